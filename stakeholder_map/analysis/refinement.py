"""After the certificate: pick the best of a few candidate champion groups.

OPIM-C (in :mod:`~stakeholder_map.analysis.champions`) stops as soon as it
can prove its greedy group reaches ``1 − 1/e − ε`` of the best group. The
proof is a floor: on a modest sample the greedy favours people who were
lucky in it, and on some graphs the top PageRank or top out-degree people
reach 2–10 % more. So the group returned is the best of a small portfolio,
judged on evidence none of them was built from:

* ``greedy``: OPIM-C's group (greedy on the selection samples ``R1``);
* ``greedy_all``: the greedy on both collections, ``R1`` and the ``R2``
  prefix the certificate used (twice the samples, no new sampling);
* the heuristics of :mod:`~stakeholder_map.analysis.candidates` (PageRank
  on the reversed graph, degree discount, top out-degree).

The candidates race in forward Monte Carlo cascades (rounds seeded alike
for every candidate, so comparisons are paired), a referee independent of
every sample the candidates came from; a candidate clearly behind the
leader stops early, so the close contenders get most of the cascades.
Forward cascades are precise where reverse samples are weak (small spreads,
where few samples are covered at all); a work budget proportional to the
graph's size bounds them, so a big spread costs no more time than a small
one.

The figures reported for the winner come from validation sets *after* the
prefix the certificate and ``greedy_all`` used, so no step of the choice
looked at them (the certificate's own prefix reads a few per cent high when
it decides to stop on a lucky draw).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _kernels
from .candidates import heuristic_groups

__all__ = ["Refined", "choose_group", "fresh_sets", "CANDIDATE_LABELS"]

#: What each candidate is, in words (for the result's "picked by").
CANDIDATE_LABELS = {
    "greedy": "greedy on the reverse-reachable samples (OPIM-C)",
    "greedy_all": "greedy on both sample collections",
    "pagerank": "top PageRank on the reversed graph",
    "degree_discount": "degree discount",
    "top_degree": "top out-degree",
}

_MIN_REFEREE = 1 << 14  # validation sets refereeing the candidates, at least
_MC_WORK = 100        # tie checks for the whole race, per person or tie of the graph
_MC_CHUNK = 100       # cascades per candidate per round (same seeds for every candidate)
_MC_MIN_ROUNDS = 3    # rounds before a candidate may be dropped
_MC_MAX_RUNS = 5000   # cascades per candidate at most
_MC_DROP = 3.0        # drop a candidate this many standard errors behind the leader


@dataclass
class Refined:
    """The group chosen among the candidates, and how each candidate scored.

    ``scores`` maps each distinct candidate to its estimated spread
    (counted people only): the inverse-variance mean of ``runs[name]``
    forward cascades and of the validation sets ``θ … used−1``;
    ``picked_by`` names the winner (a key of :data:`CANDIDATE_LABELS`).
    Validation sets from ``used`` on are untouched by the choice.
    """

    order: np.ndarray
    picked_by: str
    runs: dict[str, int] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    used: int = 0


def _union(pool, theta: int) -> tuple[np.ndarray, np.ndarray]:
    """``R1[:θ]`` followed by ``R2[:θ]`` as one collection of ``2θ`` sets."""
    ptr1, nodes1 = pool.sets(0, theta)
    ptr2, nodes2 = pool.sets(1, theta)
    end1 = ptr1[theta]
    ptr = np.concatenate([ptr1[: theta + 1], ptr2[1: theta + 1] + end1])
    return ptr, np.concatenate([nodes1[:end1], nodes2[: ptr2[theta]]])


def fresh_sets(pool, theta: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """``(ptr, nodes)`` of validation sets ``θ … θ+count−1`` (untouched by the choice)."""
    ptr2, nodes2 = pool.sets(1, theta + count)
    return ptr2[theta:], nodes2


def _race(dg, groups: dict[str, np.ndarray], counted: np.ndarray,
          base_seed: int) -> dict[str, np.ndarray]:
    """Mean counted spread of each group over paired forward cascades.

    Rounds of :data:`_MC_CHUNK` cascades per group, round ``r`` seeded the
    same for every group so their difference is measured on shared luck.
    After :data:`_MC_MIN_ROUNDS` rounds, a group whose paired mean
    difference to the leader exceeds :data:`_MC_DROP` standard errors stops
    running; the race ends when one group is left, a group reaches
    :data:`_MC_MAX_RUNS` cascades, or the ties checked reach
    ``_MC_WORK · (n + m)``. The budget counts work, not seconds, so the same
    seed gives the same answer.

    Returns each group's mean counted spread per round it ran.
    """
    budget = _MC_WORK * (dg.n + dg.m)
    names = list(groups)
    per_round: dict[str, list[float]] = {name: [] for name in names}
    alive = list(names)
    work, rnd = 0, 0
    while len(alive) > 1 or rnd < _MC_MIN_ROUNDS:
        seed = int(np.random.SeedSequence([base_seed, 2, rnd]).generate_state(1)[0])
        for name in alive:
            totals, checked = _kernels.forward_spread(dg.out_ptr, dg.out_dst, dg.out_prob,
                                                      dg.is_lt, groups[name], _MC_CHUNK,
                                                      counted, seed)
            per_round[name].append(float(totals.mean()))
            work += int(checked)
        rnd += 1
        if work >= budget or rnd * _MC_CHUNK >= _MC_MAX_RUNS:
            break
        if rnd >= _MC_MIN_ROUNDS and len(alive) > 1:
            means = {name: float(np.mean(per_round[name])) for name in alive}
            leader = max(alive, key=lambda name: means[name])
            lead = np.asarray(per_round[leader])
            keep = []
            for name in alive:
                diff = lead - np.asarray(per_round[name])
                se = float(diff.std(ddof=1)) / np.sqrt(len(diff))
                if name == leader or diff.mean() <= _MC_DROP * se:
                    keep.append(name)
            alive = keep
    return {name: np.asarray(per_round[name]) for name in names}


def choose_group(pool, greedy: np.ndarray, theta: int, k: int, allowed: np.ndarray,
                 pins: np.ndarray, dept_min: np.ndarray, k_free: int) -> Refined:
    """The best of the candidate groups, refereed by fresh validation sets and cascades.

    Parameters
    ----------
    pool : SamplePool
        The samples OPIM-C used (``θ`` sets of each collection).
    greedy : ndarray
        OPIM-C's group (pins first).
    theta : int
        Sets per collection OPIM-C used.
    k, allowed, pins, dept_min, k_free
        The constraints, as OPIM-C had them; every candidate obeys them.

    Returns
    -------
    Refined
        Ties between equally scored groups go to the earlier candidate
        (greedy first), so the certified group is kept unless beaten.
    """
    dg = pool.graph
    dept = dg.department_codes
    n_dept = len(dg.department_names)
    ptr, nodes = _union(pool, theta)
    both, _, _, _ = _kernels.greedy_cover(ptr, nodes, 2 * theta, dg.n, k, allowed, pins,
                                          dg.out_weight, dept, dept_min, k_free)
    groups = {"greedy": np.asarray(greedy, dtype=np.int32),
              "greedy_all": np.asarray(both, dtype=np.int32)}
    groups.update(heuristic_groups(dg, k, allowed, pins, dept_min))
    distinct: dict[str, np.ndarray] = {}
    seen: set[frozenset] = set()
    for name, group in groups.items():
        key = frozenset(group.tolist())
        if len(group) == len(groups["greedy"]) and key not in seen:
            seen.add(key)
            distinct[name] = group

    # Referee 1: validation sets after the certificate's prefix.
    count = max(theta, _MIN_REFEREE)
    ptr2, nodes2 = fresh_sets(pool, theta, count)
    big_t = pool.target_size
    rr, rr_var = {}, {}
    for name, group in distinct.items():
        first, _, _ = _kernels.evaluate_cover(ptr2, nodes2, count, dg.n, group, dept, n_dept)
        share = float(first.sum()) / count
        rr[name] = share * big_t
        rr_var[name] = big_t ** 2 * max(share * (1.0 - share), 1.0 / count) / count
    # Referee 2: forward cascades.
    counted = np.zeros(dg.n, dtype=np.uint8)
    counted[pool.roots] = 1
    rounds = _race(dg, distinct, counted, pool.base_seed)
    scores, runs = {}, {}
    for name in distinct:
        mc = float(rounds[name].mean())
        mc_var = float(rounds[name].var(ddof=1)) / len(rounds[name]) if len(rounds[name]) > 1 else np.inf
        mc_var = max(mc_var, 1e-12)
        w_mc, w_rr = 1.0 / mc_var, 1.0 / max(rr_var[name], 1e-12)
        scores[name] = (w_mc * mc + w_rr * rr[name]) / (w_mc + w_rr)
        runs[name] = len(rounds[name]) * _MC_CHUNK
    # The best combined estimate wins (earlier candidate on exact ties).
    winner = max(distinct, key=lambda name: (scores[name], -list(distinct).index(name)))
    # Greedy order within the winning group, so each member's gain reads as
    # "what this person adds to those above".
    only = np.zeros(dg.n, dtype=np.uint8)
    only[distinct[winner]] = 1
    only[pins] = 0
    order, _, _, _ = _kernels.greedy_cover(ptr, nodes, 2 * theta, dg.n, len(distinct[winner]),
                                           only, pins, dg.out_weight, dept,
                                           np.zeros(n_dept, dtype=np.int64), k_free)
    return Refined(order=np.asarray(order, dtype=np.int32), picked_by=winner, runs=runs,
                   scores=scores, used=theta + count)
