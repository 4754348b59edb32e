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

Each candidate is scored by forward Monte Carlo cascades (the same random
stream for all, so the comparison is paired), a referee independent of
every sample the candidates came from. Forward cascades are precise where
reverse samples are weak (small spreads, where few samples are covered at
all); their number is set by a work budget so a big spread costs no more
time than a small one.

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

_MC_WORK = 2e7        # tie visits allowed per candidate's Monte Carlo scoring
_MC_MIN_RUNS = 200
_MC_MAX_RUNS = 2000


@dataclass
class Refined:
    """The group chosen among the candidates, and how each candidate scored.

    ``scores`` maps each distinct candidate to its mean spread over
    ``runs`` forward cascades (counted people only); ``picked_by`` names the
    winner (a key of :data:`CANDIDATE_LABELS`).
    """

    order: np.ndarray
    picked_by: str
    runs: int
    scores: dict[str, float] = field(default_factory=dict)


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


def _mc_runs(dg, spread: float, k: int) -> int:
    """Cascades per candidate under the work budget."""
    avg_out = dg.m / max(dg.n, 1)
    per_run = max(spread, float(k)) * max(avg_out, 1.0) + k
    return int(min(_MC_MAX_RUNS, max(_MC_MIN_RUNS, _MC_WORK / per_run)))


def choose_group(pool, greedy: np.ndarray, theta: int, k: int, allowed: np.ndarray,
                 pins: np.ndarray, dept_min: np.ndarray, k_free: int) -> Refined:
    """The best of the candidate groups by paired forward Monte Carlo.

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

    first, _, _ = _kernels.evaluate_cover(ptr, nodes, 2 * theta, dg.n, groups["greedy_all"],
                                          dept, n_dept)
    guess = float(first.sum()) * pool.target_size / (2 * theta)
    runs = _mc_runs(dg, guess, k)
    counted = np.zeros(dg.n, dtype=np.uint8)
    counted[pool.roots] = 1
    mc_seed = int(np.random.SeedSequence([pool.base_seed, 2]).generate_state(1)[0])
    scores = {}
    for name, group in distinct.items():
        _, totals, _ = _kernels.forward_runs(dg.out_ptr, dg.out_dst, dg.out_prob, dg.is_lt,
                                             group, runs, 0, dept, n_dept, counted, mc_seed)
        scores[name] = float(totals.mean())
    winner = max(scores, key=lambda name: (scores[name], -list(distinct).index(name)))
    # Greedy order within the winning group, so each member's gain reads as
    # "what this person adds to those above".
    only = np.zeros(dg.n, dtype=np.uint8)
    only[distinct[winner]] = 1
    only[pins] = 0
    order, _, _, _ = _kernels.greedy_cover(ptr, nodes, 2 * theta, dg.n, len(distinct[winner]),
                                           only, pins, dg.out_weight, dept,
                                           np.zeros(n_dept, dtype=np.int64), k_free)
    return Refined(order=np.asarray(order, dtype=np.int32), picked_by=winner, runs=runs,
                   scores=scores)
