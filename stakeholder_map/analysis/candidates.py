"""Cheap champion groups that compete with the greedy pick.

Reverse-influence sampling certifies its greedy group against the best
possible one, but on a modest number of samples the greedy favours people
who were lucky in that sample. A few centrality heuristics cost almost
nothing and, on some graphs, beat it: the top people by PageRank on the
reversed graph (who moves the movers), degree discount (Chen, Wang and Yang
2009: out-degree, discounted for ties to people already chosen), and plain
top out-degree. :func:`heuristic_groups` builds them under the same
constraints as the greedy pick (pins first, only allowed people, at least
``dept_min`` per department); the caller scores them against the greedy
group and keeps the best.

Private to the analysis package: the public entry is
:func:`~stakeholder_map.analysis.champions.select_champions`.

References
----------
.. [1] W. Chen, Y. Wang and S. Yang, "Efficient influence maximization in
   social networks", KDD 2009 (degree discount).
"""

from __future__ import annotations

import numpy as np

from .diffusion import DiffusionGraph

__all__ = ["HEURISTICS", "heuristic_groups", "ranked_group", "degree_discount_group"]

#: Names of the heuristic candidates, in the order they are built (and the
#: order that breaks exact ties between equally good groups).
HEURISTICS = ("pagerank", "degree_discount", "top_degree")


def _restricted(count_d: np.ndarray, dept_min: np.ndarray, slots: int) -> np.ndarray | None:
    """Departments still short, if the slots left are all needed for them."""
    short = np.maximum(dept_min - count_d, 0)
    if short.sum() > 0 and short.sum() >= slots:
        return short > 0
    return None


def ranked_group(dg: DiffusionGraph, k: int, allowed: np.ndarray, pins: np.ndarray,
                 dept_min: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Pins, then allowed people by descending ``score`` (ties: lower index).

    Department minimums are kept the way the greedy keeps them: once the
    slots left equal the departments' total shortfall, only people of
    departments still short are taken.

    Examples
    --------
    >>> from stakeholder_map.analysis.diffusion import diffusion_graph
    >>> import networkx as nx
    >>> dg = diffusion_graph(nx.DiGraph([("a", "b"), ("a", "c"), ("b", "c")]), model="ic")
    >>> ranked_group(dg, 2, np.ones(3, np.uint8), np.zeros(0, np.int32),
    ...              np.zeros(1, np.int64), dg.out_degree.astype(float)).tolist()
    [0, 1]
    """
    dept = dg.department_codes
    chosen = [int(v) for v in pins[:k]]
    count_d = np.bincount(dept[pins], minlength=len(dept_min)).astype(np.int64)
    cand = np.flatnonzero(allowed)
    order = cand[np.lexsort((cand, -score[cand]))]
    if not dept_min.any():
        return np.asarray(chosen + order[: k - len(chosen)].tolist(), dtype=np.int32)
    for v in order.tolist():
        if len(chosen) >= k:
            break
        short = _restricted(count_d, dept_min, k - len(chosen))
        if short is not None and not short[dept[v]]:
            continue
        chosen.append(v)
        count_d[dept[v]] += 1
    return np.asarray(chosen, dtype=np.int32)


def degree_discount_group(dg: DiffusionGraph, k: int, allowed: np.ndarray, pins: np.ndarray,
                          dept_min: np.ndarray) -> np.ndarray:
    """Degree discount (Chen et al. 2009) on the directed graph.

    A person's score is ``d − 2t − (d − t)·t·p``: out-degree ``d``, ``t``
    chosen people among those they are tied to (either direction), ``p`` the
    mean tie probability. Each pick discounts its neighbours, so the group
    spreads over the graph instead of piling into one cluster.
    """
    n = dg.n
    dept = dg.department_codes
    d = dg.out_degree.astype(np.float64)
    p = float(dg.out_prob.mean()) if dg.m else 0.0
    t = np.zeros(n)
    free = allowed.astype(bool).copy()
    count_d = np.zeros(len(dept_min), dtype=np.int64)
    chosen: list[int] = []

    def take(v: int) -> None:
        chosen.append(v)
        free[v] = False
        count_d[dept[v]] += 1
        nbrs = np.concatenate([dg.out_dst[dg.out_ptr[v]:dg.out_ptr[v + 1]],
                               dg.in_src[dg.in_ptr[v]:dg.in_ptr[v + 1]]])
        np.add.at(t, np.unique(nbrs), 1.0)

    for v in pins[:k].tolist():
        take(int(v))
    while len(chosen) < k:
        mask = free.copy()
        short = _restricted(count_d, dept_min, k - len(chosen))
        if short is not None:
            mask &= short[dept]
        if not mask.any():
            break
        score = d - 2.0 * t - (d - t) * t * p
        score = np.where(mask, score, -np.inf)
        take(int(np.argmax(score)))
    return np.asarray(chosen, dtype=np.int32)


def heuristic_groups(dg: DiffusionGraph, k: int, allowed: np.ndarray, pins: np.ndarray,
                     dept_min: np.ndarray) -> dict[str, np.ndarray]:
    """The heuristic candidates of :data:`HEURISTICS`, each obeying the constraints."""
    return {
        "pagerank": ranked_group(dg, k, allowed, pins, dept_min, dg.pagerank),
        "degree_discount": degree_discount_group(dg, k, allowed, pins, dept_min),
        "top_degree": ranked_group(dg, k, allowed, pins, dept_min,
                                   dg.out_degree + dg.out_weight / (1.0 + dg.out_weight.max())),
    }
