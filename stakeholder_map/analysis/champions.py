"""Champions: the few people who together carry an idea furthest.

Influence maximisation (Kempe et al. 2003) under the contract's diffusion
model, solved with reverse influence sampling (Borgs et al. 2014) and the
OPIM-C algorithm of Tang et al. (2018): sample reverse-reachable (RR) sets
("who could have convinced this randomly chosen person?"), greedily pick the
``k`` people who cover the most sets, and keep doubling the samples until a
second, independent collection *certifies* that the chosen group reaches at
least ``1 − 1/e − ε`` of the best possible group's expected spread (with
probability ``1 − 1/n``). The certified ratio is reported; it is often far
above the guarantee.

The samples do not depend on ``k``: :func:`sample_pool` returns a
:class:`SamplePool` that a caller may keep (the UI caches one per map, model
and objective), so asking for another ``k`` reruns only the greedy step.

For each champion the result gives the marginal gain (expected extra
adopters), the people they reach on their own per department, the strongest
influence chains (largest product of tie probabilities) to the most senior
or central people they can reach, and a one-sentence reason. Two naive
choices are scored by the same estimator for comparison: the top ``k`` by
formal influence then seniority, and the top ``k`` by out-degree.

Examples
--------
>>> import networkx as nx
>>> star = nx.DiGraph([("hub", leaf) for leaf in "abcdef"])
>>> result = select_champions(star, 1, model="ic", p=0.5, seed=1)
>>> [c["id"] for c in result.champions]
['hub']
>>> 3.5 < result.expected_spread < 4.5
True

References
----------
.. [1] D. Kempe, J. Kleinberg and É. Tardos, "Maximizing the spread of
   influence through a social network", KDD 2003.
.. [2] C. Borgs, M. Brautbar, J. Chayes and B. Lucier, "Maximizing social
   influence in nearly optimal time", SODA 2014.
.. [3] Y. Tang, X. Xiao and Y. Shi, "Influence maximization: near-optimal
   time complexity meets practical efficiency", SIGMOD 2014 (RR sets under LT).
.. [4] Y. Tang, Y. Shi and X. Xiao, "Influence maximization in near-linear
   time: a martingale approach", SIGMOD 2015 (IMM).
.. [5] J. Tang, X. Tang, X. Xiao and J. Yuan, "Online processing algorithms
   for influence maximization", SIGMOD 2018 (OPIM-C).
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np

from .. import schema as s
from ..errors import InfeasibleChampions
from . import _kernels
from .diffusion import DiffusionGraph, as_diffusion_graph
from .refinement import CANDIDATE_LABELS, choose_group, fresh_sets

__all__ = [
    "select_champions",
    "sample_pool",
    "SamplePool",
    "ChampionResult",
    "InfeasibleChampions",
    "OBJECTIVES",
    "objective_targets",
]

#: What a spread counts: every adopter, or only the not-yet-convinced
#: (neutral, skeptic, resistant, unknown; :data:`schema.UNCONVINCED_STANCES`).
OBJECTIVES = ("everyone", "unconvinced")

_BATCH = 1024            # RR sets per seeded batch (the unit a pool grows by)
_MIN_SELECT = 1 << 14    # OPIM-C's first round uses this many sets (see _opim_c)
_MIN_EVAL = 1 << 14      # at least this many validation sets score the final group
_MAX_SAMPLES = 1 << 22   # sets per collection; OPIM-C stops here at the latest
_MAX_ENTRIES = 1 << 25   # ... or before a round would hold more node entries (128 MB)
_WORKERS = max(1, min(4, os.cpu_count() or 1))  # threads sampling RR sets
_PATH_FLOOR = 1e-3       # chains weaker than this don't count as "reaching"
_PATHS = 3               # strongest chains shown per champion
_E = 1.0 - 1.0 / math.e


@dataclass(eq=False, repr=False)
class SamplePool:
    """Reverse-reachable samples for one graph, model and objective.

    Two independent collections (``R1`` to select, ``R2`` to validate), grown
    in seeded batches of fixed size: the i-th set of a collection is the same
    however the pool was grown, so results never depend on what was asked of
    the pool before. Build with :func:`sample_pool`.
    """

    graph: DiffusionGraph
    objective: str
    roots: np.ndarray
    base_seed: int
    seed: int | None = None
    _ptr: list = field(default_factory=lambda: [np.zeros(1, np.int64), np.zeros(1, np.int64)])
    _nodes: list = field(default_factory=lambda: [np.zeros(0, np.int32), np.zeros(0, np.int32)])
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def target_size(self) -> int:
        """How many people the objective counts (the roots of the samples)."""
        return int(self.roots.shape[0])

    @property
    def size(self) -> int:
        """Sets held in each collection."""
        return min(len(self._ptr[0]), len(self._ptr[1])) - 1

    @property
    def model(self) -> str:
        """The diffusion model the samples follow."""
        return self.graph.model

    @cached_property
    def _scan(self) -> tuple[np.ndarray, np.ndarray]:
        """Per in-tie: chance that no in-tie of its target up to it is live.

        Used by the sampler to jump from one live in-tie to the next with one
        draw; nodes where that product would underflow (or that have a
        single in-tie) are flagged to flip their ties one by one instead.
        """
        g = self.graph
        deg = np.diff(g.in_ptr)
        surv = np.ones(g.m)
        scan = np.zeros(g.n, dtype=np.uint8)
        if g.m and not g.is_lt:
            logs = np.log1p(-np.clip(g.in_prob, 0.0, 1.0 - 1e-12))
            cum = np.cumsum(logs)
            base = np.concatenate([[0.0], cum])[g.in_ptr[:-1]]
            surv = np.exp(cum - np.repeat(base, deg))
            last = np.concatenate([[0.0], cum])[g.in_ptr[1:]] - base
            scan = ((deg >= 2) & (last > -600.0)).astype(np.uint8)
        return surv, scan

    def _generate(self, which: int, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """Batches ``first..last-1`` of collection ``which``, on up to 4 threads."""
        g = self.graph
        surv, scan = self._scan
        seeds = np.array(
            [np.random.SeedSequence([self.base_seed, which, b]).generate_state(1)[0]
             for b in range(first, last)],
            dtype=np.int64,
        )

        def run(part: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return _kernels.rr_sets(g.in_ptr, g.in_src, g.in_prob, surv, scan, g.is_lt,
                                    self.roots, part, _BATCH)

        workers = min(_WORKERS, len(seeds) // 4)
        if workers < 2:
            return run(seeds)
        with ThreadPoolExecutor(workers) as executor:
            parts = list(executor.map(run, np.array_split(seeds, workers)))
        offsets = np.cumsum([0] + [p[0][-1] for p in parts])
        ptr = np.concatenate([parts[0][0][:1]] + [p[0][1:] + off for p, off in zip(parts, offsets)])
        return ptr, np.concatenate([p[1] for p in parts])

    def ensure(self, count: int) -> None:
        """Grow both collections to at least ``count`` sets."""
        if self.target_size == 0:
            return
        need = -(-int(count) // _BATCH)
        with self._lock:   # a cached pool may serve several sessions at once
            self._grow_to(need)

    def _grow_to(self, need: int, collections: tuple[int, ...] = (0, 1)) -> None:
        for which in collections:
            have = (len(self._ptr[which]) - 1) // _BATCH
            if have >= need:
                continue
            ptr, nodes = self._generate(which, have, need)
            old_ptr, old_nodes = self._ptr[which], self._nodes[which]
            self._ptr[which] = np.concatenate([old_ptr[:-1], ptr + old_ptr[-1]])
            self._nodes[which] = np.concatenate([old_nodes, nodes])

    def sets(self, which: int, count: int) -> tuple[np.ndarray, np.ndarray]:
        """``(ptr, nodes)`` of collection ``which`` (0 = R1, 1 = R2), at least ``count`` sets.

        Only that collection grows (the other keeps its size).
        """
        if self.target_size:
            with self._lock:
                self._grow_to(-(-int(count) // _BATCH), (which,))
        return self._ptr[which], self._nodes[which]

    def estimate(self, people: Iterable[Any], *, count: int | None = None) -> float:
        """Expected number of counted adopters from ``people``, from R2.

        The first ``count`` validation sets are used (default 16,384).
        """
        idx = self.graph.positions(people)
        if self.target_size == 0 or not len(idx):
            return 0.0
        count = max(count or _MIN_EVAL, 1)
        ptr, nodes = self.sets(1, count)
        first, _, _ = _kernels.evaluate_cover(ptr, nodes, count, self.graph.n, idx,
                                              self.graph.department_codes,
                                              len(self.graph.department_names))
        return float(first.sum()) * self.target_size / count

    def __repr__(self) -> str:
        return (f"<SamplePool {self.size} sets x2, model={self.model!r}, "
                f"objective={self.objective!r}, targets={self.target_size}>")


def objective_targets(dg: DiffusionGraph, objective: str) -> np.ndarray:
    """The people an objective counts, as positions in ``dg``: everyone, or the unconvinced.

    ``"everyone"`` counts every person; ``"unconvinced"`` those whose stance
    is in :data:`~stakeholder_map.schema.UNCONVINCED_STANCES` (neutral,
    skeptic, resistant or unknown). Raises ValueError for another objective.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}")
    if objective == "everyone":
        return np.arange(dg.n, dtype=np.int32)
    return np.array([i for i, st in enumerate(dg.stances) if st in s.UNCONVINCED_STANCES],
                    dtype=np.int32)


def sample_pool(
    G: nx.DiGraph | DiffusionGraph,
    *,
    model: str = "stance",
    p: float = 0.1,
    objective: str = "everyone",
    receptiveness: Mapping[Any, float] | None = None,
    seed: Any = None,
    overrides: Mapping[Any, Any] | None = None,
) -> SamplePool:
    """An (initially empty, lazily grown) pool of reverse-reachable samples.

    Parameters
    ----------
    G : networkx.DiGraph or DiffusionGraph
        The influence graph.
    model, p, receptiveness, overrides
        The diffusion model (see :mod:`~stakeholder_map.analysis.diffusion`).
    objective : {"everyone", "unconvinced"}
        Whose adoption counts; samples are rooted only at those people.
    seed : int, random.Random or None
        Same seed, same samples.

    Returns
    -------
    SamplePool
        Pass it as ``pool=`` to :func:`select_champions` or
        :func:`~stakeholder_map.analysis.pilot.smallest_pilot`.

    References
    ----------
    .. [1] Borgs, Brautbar, Chayes and Lucier, SODA 2014.

    Examples
    --------
    >>> import networkx as nx
    >>> pool = sample_pool(nx.DiGraph([("a", "b")]), model="ic", p=1.0, seed=3)
    >>> pool.estimate(["a"])
    2.0
    """
    dg = as_diffusion_graph(G, model=model, p=p, receptiveness=receptiveness, overrides=overrides)
    rng = nx.utils.create_py_random_state(seed)
    return SamplePool(
        graph=dg,
        objective=objective,
        roots=objective_targets(dg, objective),
        base_seed=rng.getrandbits(32),
        seed=seed if isinstance(seed, int) else None,
    )


@dataclass
class ChampionResult:
    """The chosen champions, how much they reach, and how that compares.

    ``champions`` is in greedy order (pins first); each entry has ``id``,
    ``name``, ``department``, ``stance`` (label), ``gain`` (expected extra
    adopters this person adds to those before), ``reach`` (expected adopters
    they reach on their own) and ``reach_by_department`` (the same per
    department, largest first), ``paths`` (id chains from the champion to the
    most important people they can reach), ``path_chances`` (the chance the
    idea passes along each chain), ``pinned`` (bool) and ``reason`` (one sentence).
    ``baselines`` maps ``"top_influence"`` and ``"top_degree"`` to
    ``{"ids", "spread", "reach"}`` (``reach``: what each of those people
    reaches on their own, same estimator); ``lift`` maps them to our spread /
    theirs. ``picked_by`` says which candidate group won (OPIM-C's greedy, the
    greedy on both sample collections, or a heuristic such as top PageRank
    on the reversed graph) and ``candidates`` maps each candidate to the
    spread it reached in the Monte Carlo cascades that chose among them.
    """

    model: str
    k: int
    seed: int | None
    epsilon: float
    objective: str
    expected_spread: float
    certified_ratio: float
    samples: int
    target_size: int
    champions: list[dict] = field(default_factory=list)
    baselines: dict[str, dict] = field(default_factory=dict)
    lift: dict[str, float | None] = field(default_factory=dict)
    picked_by: str = CANDIDATE_LABELS["greedy"]
    candidates: dict[str, float] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        """Champion ids in greedy order."""
        return [c["id"] for c in self.champions]

    def to_dict(self) -> dict:
        """Everything as JSON-ready plain values."""
        return asdict(self)


# --------------------------------------------------------------------------
# OPIM-C


def _log_comb(n: int, k: int) -> float:
    if k <= 0 or k >= n:
        return 0.0
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


@dataclass
class _Choice:
    order: np.ndarray
    ratio: float
    theta: int
    upper: float = 1.0     # bound on the best group's covered share of R1 (prob. 1 − δ/3)
    a: float = 0.0         # the log term of the bounds, for one more lower bound


def _lower(covered: float, a: float) -> float:
    """OPIM-C's lower confidence bound on a coverage count (Tang et al. 2018, Eq. 5)."""
    return max((math.sqrt(covered + 2.0 * a / 9.0) - math.sqrt(a / 2.0)) ** 2 - a / 18.0, 0.0)


def _opim_c(pool: SamplePool, k: int, allowed: np.ndarray, pins: np.ndarray,
            dept_min: np.ndarray, epsilon: float, delta: float) -> _Choice:
    """Tang et al. (2018), Algorithm OPIM-C, with pins and department minimums.

    Pins are taken first; the bound ``Λ^u`` covers every allowed group that
    contains the pins, so the certified ratio is against the best group that
    obeys the same constraints.
    """
    dg = pool.graph
    n_free = int(allowed.sum())
    k_free = k - len(pins)
    big_t = pool.target_size
    alpha = math.sqrt(math.log(6.0 / delta))
    beta = math.sqrt(_E * (_log_comb(max(n_free, 1), k_free) + math.log(6.0 / delta)))
    theta0 = max(int(math.ceil(2.0 * (_E * alpha + beta) ** 2)), 1)
    theta_max = 2.0 * big_t * (_E * alpha + beta) ** 2 / (max(k_free, 1) * epsilon ** 2)
    i_max = max(int(math.log2(max(theta_max / theta0, 1.0))) + 1, 1)
    # Rounds use _MIN_SELECT·2^i sets (at least the paper's θ0): the same
    # sizes for every k, so a cached pool serves other k without sampling
    # more, and the greedy always sees enough samples to match IMM's picks.
    # ``a`` counts the larger of the two numbers of rounds, so the union
    # bound over rounds behind the certificate still holds.
    start = _MIN_SELECT
    while start < theta0:
        start *= 2
    rounds = max(int(math.ceil(math.log2(max(theta_max / start, 1.0)))) + 1, 1)
    a = math.log(3.0 * max(i_max, rounds) / delta)
    priority = dg.out_weight
    dept = dg.department_codes
    order = pins
    ratio = 0.0
    theta = theta0
    for i in range(rounds):
        theta = min(start << i, _MAX_SAMPLES)
        ptr1, nodes1 = pool.sets(0, theta)
        order, _, cov1, bound = _kernels.greedy_cover(
            ptr1, nodes1, theta, dg.n, k, allowed, pins, priority, dept, dept_min, k_free)
        ptr2, nodes2 = pool.sets(1, theta)
        first, _, _ = _kernels.evaluate_cover(ptr2, nodes2, theta, dg.n, order, dept,
                                              len(dg.department_names))
        cov2 = float(first.sum())
        lower = _lower(cov2, a)
        upper = (math.sqrt(float(bound) + a / 2.0) + math.sqrt(a / 2.0)) ** 2
        ratio = lower / upper if upper > 0 else 1.0
        if ratio >= _E - epsilon or theta >= _MAX_SAMPLES or 2 * ptr1[theta] > _MAX_ENTRIES:
            break
    return _Choice(order=np.asarray(order, dtype=np.int32), ratio=min(ratio, 1.0), theta=theta,
                   upper=upper / theta, a=a)


# --------------------------------------------------------------------------
# Constraints and explanations


def _fmt(x: float) -> str:
    return f"{x:.1f}" if x < 9.95 else f"{x:.0f}"


def _importance_order(dg: DiffusionGraph, candidates: np.ndarray) -> np.ndarray:
    seniority = np.nan_to_num(dg.seniority[candidates], nan=0.0)
    influence = np.nan_to_num(dg.influence[candidates], nan=0.0)
    rank = dg.pagerank[candidates]
    return candidates[np.lexsort((candidates, -rank, -influence, -seniority))]


def _strongest_paths(dg: DiffusionGraph, order: np.ndarray) -> list[list[tuple[list[int], float]]]:
    """For each champion: chains to up to three important people they can reach."""
    if not len(order):
        return []
    from scipy.sparse.csgraph import dijkstra

    limit = -math.log(_PATH_FLOOR)
    dist, pred = dijkstra(dg.path_costs, directed=True, indices=order, limit=limit,
                          return_predecessors=True)
    out = []
    dept = dg.department_codes
    for row, c in enumerate(order):
        reach = np.flatnonzero(np.isfinite(dist[row]))
        reach = reach[reach != c]
        outside = reach[dept[reach] != dept[c]]
        pick = _importance_order(dg, outside if len(outside) else reach)[:_PATHS]
        chains = []
        for t in pick:
            chain = [int(t)]
            while chain[-1] != c:
                chain.append(int(pred[row, chain[-1]]))
            chains.append((chain[::-1], float(math.exp(-dist[row, t]))))
        out.append(chains)
    return out


def _reason(dg: DiffusionGraph, c: int, reach: float, by_dept: list[tuple[str, float]],
            gain: float, chains: list[tuple[list[int], float]], pinned: bool,
            unconvinced: bool) -> str:
    who = "not-yet-convinced " if unconvinced else ""
    noun = "person" if round(reach) == 1 else "people"
    text = f"Reaches ~{_fmt(reach)} {who}{noun}"
    main = [d for d, v in by_dept[:2] if v >= 0.2 * reach] or [d for d, _ in by_dept[:1]]
    if len(main) == 2:
        text += f", most in {main[0]} and {main[1]}"
    elif main:
        text += f", mostly in {main[0]}"
    if reach - gain > 0.05 * max(reach, 1.0):
        text += f", ~{_fmt(gain)} not already reached by those above"
    if pinned:
        text += " (pinned)"
    if chains:
        path, prob = chains[0]
        t = path[-1]
        target = f"{dg.names[t]} ({dg.departments[t]})"
        via = [dg.names[v] for v in path[1:-1]]
        if via:
            text += f"; strongest path to {target} via {' and '.join(via) if len(via) <= 2 else ', '.join(via)}"
        else:
            text += f"; direct tie to {target}"
        text += f" ({prob:.0%} chance)"
    return text + "."


def _baseline(dg: DiffusionGraph, k: int, allowed: np.ndarray, pins: np.ndarray,
              keys: tuple[np.ndarray, ...]) -> np.ndarray:
    """Pins, then the allowed people ranked by ``keys`` (most significant last)."""
    cand = np.flatnonzero(allowed)
    ranked = cand[np.lexsort(tuple(k_[cand] for k_ in keys))]
    picks = list(pins) + [v for v in ranked[: k].tolist() if v not in set(pins.tolist())]
    return np.asarray(picks[:k], dtype=np.int32)


def _empty(model: str, k: int, seed: Any, epsilon: float, objective: str, target_size: int) -> ChampionResult:
    return ChampionResult(model=model, k=k, seed=seed if isinstance(seed, int) else None,
                          epsilon=epsilon, objective=objective, expected_spread=0.0,
                          certified_ratio=1.0, samples=0, target_size=target_size,
                          baselines={"top_influence": {"ids": [], "spread": 0.0, "reach": []},
                                     "top_degree": {"ids": [], "spread": 0.0, "reach": []}},
                          lift={"top_influence": None, "top_degree": None})


def _listed(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _department_minimum_error(minimum: int, k: int, eligible: int, needed: int, n_dept: int,
                              can: np.ndarray, have: np.ndarray, pinned: list[str]) -> InfeasibleChampions:
    """A full sentence on a per-department minimum that k cannot meet, and the largest one it can.

    (A department with fewer eligible people than the minimum needs only those
    it has, so the minimum never asks for more than the eligible people: k is
    what is short.)
    """
    feasible = 0
    for m in range(minimum - 1, 0, -1):
        if int(np.maximum(np.minimum(m, can + have) - have, 0).sum()) + len(pinned) <= k:
            feasible = m
            break
    lower = (f"lower 'at least N per department' to {feasible}" if feasible
             else "drop 'at least N per department'")
    pins = " with the pinned people" if pinned else ""
    message = (f"At least {minimum} champion{'s' if minimum != 1 else ''} in every department needs {needed} "
               f"champions across {n_dept} departments{pins}, but k is {k}: raise k to {needed}, or {lower}.")
    return InfeasibleChampions(message, reason="department_minimum", k=k, eligible=eligible, needed=needed,
                               min_per_department=minimum, feasible_min_per_department=feasible,
                               people=tuple(pinned), changes=(f"raise k to {needed}", lower))


def select_champions(
    G: nx.DiGraph | DiffusionGraph,
    k: int,
    *,
    model: str = "stance",
    p: float = 0.1,
    objective: str = "everyone",
    disallowed_stances: Iterable[Any] = s.DEFAULT_DISALLOWED_STANCES,
    pin: Iterable[Any] = (),
    exclude: Iterable[Any] = (),
    min_per_department: int = 0,
    epsilon: float = 0.1,
    seed: Any = None,
    receptiveness: Mapping[Any, float] | None = None,
    pool: SamplePool | None = None,
    overrides: Mapping[Any, Any] | None = None,
) -> ChampionResult:
    """Choose ``k`` people who together maximise expected adoption.

    Parameters
    ----------
    G : networkx.DiGraph or DiffusionGraph
        The influence graph (``u → v``: u can move v).
    k : int
        How many champions, pins included. Capped at the number of eligible
        people.
    model : {"stance", "wc", "ic", "lt"}
        Diffusion model (see :mod:`~stakeholder_map.analysis.diffusion`).
    p : float
        Tie probability of the ``ic`` model.
    objective : {"everyone", "unconvinced"}
        Maximise all adopters, or only adopters among the not yet convinced
        (neutral, skeptic, resistant, unknown).
    disallowed_stances : iterable
        Stances (words or −2…2; None = unknown) that may not be champions.
        Default: :data:`schema.DEFAULT_DISALLOWED_STANCES` (resistant and skeptic).
    pin : iterable of str
        Ids forced into the group (they count toward ``k``; a pin overrides
        ``disallowed_stances``).
    exclude : iterable of str
        Ids never chosen.
    min_per_department : int
        At least this many champions per department (a department with
        fewer eligible people needs only as many as it has). The greedy
        restricts itself to departments still short once the slots left
        equal the shortfall.
    epsilon : float
        OPIM-C's ε: the group is certified to reach at least ``1 − 1/e − ε``
        of the best group's spread, with probability ``1 − 1/n``.
    seed : int, random.Random or None
        Same seed, same answer.
    receptiveness : mapping, optional
        Stance → factor for the ``stance`` model.
    pool : SamplePool, optional
        Samples from :func:`sample_pool` to reuse; its graph, model and
        objective are used (``model`` and ``objective`` must match).
    overrides : mapping, optional
        Person id → stance for a what-if.

    Returns
    -------
    ChampionResult
        ``certified_ratio`` is the ratio OPIM-C proved for the group (with
        probability ``1 − 1/n``); it is at least ``1 − 1/e − ε`` unless the
        sampling cap (4M sets, or 32M stored entries, per collection) was
        reached first, as on maps where even the best group reaches almost
        nobody. The certificate is a floor, so the group returned is the
        best of a few candidates (OPIM-C's greedy, the greedy on both
        sample collections, top PageRank on the reversed graph, degree
        discount, top out-degree), refereed on validation sets and forward
        cascades none of them was built from; ``picked_by`` names the
        winner. ``expected_spread``, the per-champion figures and
        ``certified_ratio`` (recomputed for the group returned) come from
        further validation sets (at least 16,384) that neither the stopping
        rule nor the choice looked at, so they are not flattered by either;
        the recomputed ratio can fall slightly below ``1 − 1/e − ε`` when
        the stopping round was lucky. ``samples`` counts every
        reverse-reachable set used.

    Raises
    ------
    UnknownStakeholder
        A pinned or excluded id is not in the map.
    InfeasibleChampions
        More pins than ``k``, a person both pinned and excluded, or
        department minimums that need more than ``k`` champions. (Also a
        ``ValueError``.)
    ValueError
        Unknown model or objective, bad ``epsilon`` or ``p``.

    References
    ----------
    .. [1] Kempe, Kleinberg and Tardos, KDD 2003.
    .. [2] Borgs, Brautbar, Chayes and Lucier, SODA 2014.
    .. [3] Tang, Shi and Xiao, SIGMOD 2015 (IMM).
    .. [4] Tang, Tang, Xiao and Yuan, SIGMOD 2018 (OPIM-C).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("a", "c"), ("d", "e")])
    >>> select_champions(G, 2, model="ic", p=1.0, seed=0).ids
    ['a', 'd']
    >>> select_champions(G, 2, model="ic", p=1.0, seed=0, exclude=["a"]).ids[0]
    'd'
    """
    if not 0.0 < float(epsilon) < _E:
        raise ValueError(f"epsilon must be between 0 and {_E:.3f}, not {epsilon!r}")
    if pool is None:
        pool = sample_pool(G, model=model, p=p, objective=objective, receptiveness=receptiveness,
                           seed=seed, overrides=overrides)
    else:
        if pool.model != model or pool.objective != objective:
            raise ValueError(
                f"the sample pool is for model {pool.model!r} and objective {pool.objective!r}, "
                f"not {model!r} and {objective!r}")
        if not isinstance(G, DiffusionGraph) and G is not None and len(G) != pool.graph.n:
            raise ValueError("the sample pool was drawn on another graph")
        seed = pool.seed
    dg = pool.graph
    n = dg.n
    k = max(int(k), 0)
    unconvinced = objective == "unconvinced"

    pins = dg.positions(pin)
    excluded = dg.positions(exclude)
    clash = set(pins.tolist()) & set(excluded.tolist())
    if clash:
        both = sorted(dg.ids[i] for i in clash)
        raise InfeasibleChampions(
            f"{_listed(both)} {'is' if len(both) == 1 else 'are'} both pinned and excluded: "
            "take them off one of the two lists.",
            reason="pinned_and_excluded", k=k, people=tuple(both),
            changes=("unpin them", "stop excluding them"))
    if len(pins) > k:
        pinned = [dg.ids[i] for i in pins]
        raise InfeasibleChampions(
            f"{len(pins)} people are pinned but only {k} champion{'s are' if k != 1 else ' is'} asked for: "
            f"raise k to {len(pins)}, or unpin {len(pins) - k} of them.",
            reason="too_many_pins", k=k, needed=len(pins), people=tuple(pinned),
            changes=(f"raise k to {len(pins)}", f"unpin {len(pins) - k}"))
    if n == 0 or k == 0:
        return _empty(dg.model, k, seed, float(epsilon), objective, pool.target_size)

    banned = {s.stance_value(v) for v in disallowed_stances}
    allowed = np.array([st not in banned for st in dg.stances], dtype=np.uint8)
    allowed[excluded] = 0
    allowed[pins] = 0          # pins are placed first, never picked again
    eligible = int(allowed.sum()) + len(pins)
    k = min(k, eligible)

    n_dept = len(dg.department_names)
    dept = dg.department_codes
    dept_min = np.zeros(n_dept, dtype=np.int64)
    if min_per_department > 0:
        can = np.bincount(dept[allowed.astype(bool)], minlength=n_dept)
        have = np.bincount(dept[pins], minlength=n_dept)
        dept_min = np.minimum(int(min_per_department), can + have).astype(np.int64)
        short = int(np.maximum(dept_min - have, 0).sum())
        if short > k - len(pins):
            raise _department_minimum_error(int(min_per_department), k, eligible, short + len(pins),
                                            n_dept, can, have, [dg.ids[i] for i in pins])

    if pool.target_size == 0:
        return _empty(dg.model, k, seed, float(epsilon), objective, 0)

    if k - len(pins) == 0 or k == eligible:
        # Nothing to choose: every eligible person (or only the pins) is in.
        rest = np.flatnonzero(allowed).astype(np.int32)
        choice = _Choice(order=np.concatenate([pins, rest])[:k].astype(np.int32), ratio=1.0, theta=0)
        # Greedy order still helps the explanations: order the rest by coverage.
        if k > len(pins):
            ptr, nodes = pool.sets(0, _MIN_EVAL)
            order, _, _, _ = _kernels.greedy_cover(ptr, nodes, _MIN_EVAL, n, k, allowed, pins,
                                                   dg.out_weight, dept, dept_min, k - len(pins))
            choice.order = np.asarray(order, dtype=np.int32)
        refined = None
        count = _MIN_EVAL
        ptr2, nodes2 = pool.sets(1, count)
    else:
        choice = _opim_c(pool, k, allowed, pins, dept_min, float(epsilon), 1.0 / max(n, 2))
        # The certificate is a floor: keep the best of a few candidates.
        refined = choose_group(pool, choice.order, choice.theta, k, allowed, pins, dept_min,
                               k - len(pins))
        choice.order = refined.order
        # Report on validation sets that neither the stopping rule nor the
        # choice looked at, and certify the group returned on them.
        count = max(choice.theta, _MIN_EVAL)
        ptr2, nodes2 = fresh_sets(pool, refined.used, count)

    # Score the group, its members and the baselines on the validation sets.
    order = choice.order
    scale = pool.target_size / count
    first, single, _ = _kernels.evaluate_cover(ptr2, nodes2, count, n, order, dept, n_dept)
    spread = float(first.sum()) * scale
    if refined is not None and choice.upper > 0:
        choice.ratio = min(_lower(float(first.sum()), choice.a) / count / choice.upper, 1.0)

    chains = _strongest_paths(dg, order)
    pinned = set(pins.tolist())
    champions = []
    for j, c in enumerate(order.tolist()):
        by_dept = sorted(((dg.department_names[d], float(single[j, d]) * scale)
                          for d in range(n_dept) if single[j, d]), key=lambda x: -x[1])
        reach = float(single[j].sum()) * scale
        gain = float(first[j]) * scale
        champions.append({
            "id": dg.ids[c],
            "name": dg.names[c],
            "department": dg.departments[c],
            "stance": s.stance_label(dg.stances[c]),
            "gain": gain,
            "reach": reach,
            "reach_by_department": dict(by_dept),
            "paths": [[dg.ids[v] for v in path] for path, _ in chains[j]],
            "path_chances": [prob for _, prob in chains[j]],
            "pinned": c in pinned,
            "reason": _reason(dg, c, reach, by_dept, gain, chains[j], c in pinned, unconvinced),
        })

    everyone_allowed = allowed.copy()
    influence = np.nan_to_num(dg.influence, nan=-1.0)
    seniority = np.nan_to_num(dg.seniority, nan=-1.0)
    naive = {
        "top_influence": _baseline(dg, k, everyone_allowed, pins,
                                   (np.arange(n), -dg.out_weight, -seniority, -influence)),
        "top_degree": _baseline(dg, k, everyone_allowed, pins,
                                (np.arange(n), -dg.out_weight, -dg.out_degree.astype(np.float64))),
    }
    baselines, lift = {}, {}
    for name, ids in naive.items():
        f, alone, _ = _kernels.evaluate_cover(ptr2, nodes2, count, n, ids, dept, n_dept)
        theirs = float(f.sum()) * scale
        baselines[name] = {"ids": [dg.ids[i] for i in ids.tolist()], "spread": theirs,
                           "reach": [float(row.sum()) * scale for row in alone]}
        lift[name] = spread / theirs if theirs > 0 else None

    return ChampionResult(
        model=dg.model,
        k=k,
        seed=seed if isinstance(seed, int) else None,
        epsilon=float(epsilon),
        objective=objective,
        expected_spread=spread,
        certified_ratio=float(choice.ratio),
        samples=choice.theta + (refined.used + count if refined else choice.theta),
        target_size=pool.target_size,
        champions=champions,
        baselines=baselines,
        lift=lift,
        picked_by=CANDIDATE_LABELS[refined.picked_by if refined else "greedy"],
        candidates=dict(refined.scores) if refined else {},
    )
