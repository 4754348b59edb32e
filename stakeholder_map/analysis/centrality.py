"""Who matters in the influence network: one row of scores per stakeholder.

Direction follows the contract: an edge ``u → v`` means "u can move v", with
``weight`` its strength. networkx stays the graph model (and the reference
the tests compare against); the heavy scores are computed on arrays with
igraph, scipy.sparse and one compiled (numba) loop, so 100,000 people take
seconds, not hours. How each score was computed is returned in
``df.attrs["methods"]``.

Columns
-------
in_degree, out_degree
    Distinct people who can move this person / whom this person can move.
in_weight, out_weight
    The summed weights of those ties.
pagerank
    Influence rank: PageRank on the *reversed* graph, weighted, damping 0.85.
    Score flows from the influenced to their influencers — each person hands
    their score to the people who can move them, in proportion to the tie
    weights — so you rank high when you move people who themselves rank high
    ("who reaches the influential"). Sums to 1.
betweenness
    Share of shortest paths between other people that run through this
    person (Brandes), normalised by ``(n−1)(n−2)``; directed, and unweighted
    hop counts (weights are strengths, not distances). Exact up to
    ``exact_betweenness_limit`` people; above it, estimated from a seeded
    sample of pivot sources (Brandes & Pich), scaled exactly as
    ``networkx.betweenness_centrality(G, k=..., seed=...)`` does.
constraint, effective_size
    Burt's structural-hole measures on the ties in both directions, with
    mutual weights (the definitions of :func:`networkx.constraint` and
    :func:`networkx.effective_size`; for the latter, its per-node path — the
    vectorised all-nodes path of networkx 3.6 normalises by the wrong axis,
    networkx PR #8906). Low constraint and a large effective size mark
    brokers. NaN for isolates.
core
    k-core number on the undirected graph of distinct contacts: the largest
    k such that the person belongs to a group where everyone has at least k
    contacts inside the group.
community
    Informal community (Leiden on mutual weights, seeded;
    see :mod:`~stakeholder_map.analysis.communities`).
quadrant, roles
    Power/interest quadrant and network roles
    (see :mod:`~stakeholder_map.analysis.roles`).

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph([("boss", "a"), ("boss", "b"), ("a", "b")])
>>> G.add_node("lone")
>>> df = stakeholder_metrics(G)
>>> df[["id", "in_degree", "out_degree", "core"]].to_dict("records")[0]
{'id': 'boss', 'in_degree': 0, 'out_degree': 2, 'core': 2}
>>> df.set_index("id")["pagerank"].idxmax(), df.set_index("id").loc["lone", "roles"]
('boss', ['isolate'])
>>> df.attrs["methods"]["betweenness"]
'exact (igraph, Brandes): unweighted directed shortest paths, normalised by (n-1)(n-2)'
"""

from __future__ import annotations

import numbers
import os
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from typing import TypeVar

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from .. import schema as s
from ..graph import MapArrays
from . import roles as _roles
from . import _centrality_kernels as _kernels
from . import arrays
from .communities import community_labels

__all__ = ["stakeholder_metrics", "COLUMNS", "DAMPING"]

#: The columns of :func:`stakeholder_metrics`, in order.
COLUMNS = (
    "id", "name", "department", "stance",
    "in_degree", "out_degree", "in_weight", "out_weight",
    "pagerank", "betweenness", "constraint", "effective_size",
    "core", "community", "quadrant", "roles",
)

#: PageRank damping factor (probability of following a tie rather than jumping).
DAMPING = 0.85
_PAGERANK_TOL = 1e-10  # per person, as networkx's ``tol`` (L1 error < n * tol)
_PAGERANK_MAX_ITER = 1000

#: Sampled betweenness uses about this many edge visits: pivots ≈ budget / ties,
#: at least ``_MIN_PIVOTS`` (a BFS + accumulation per pivot costs about one pass
#: over the ties: ~5 ms at 20k people / 200k ties, ~50 ms at 100k / 1M).
_PIVOT_BUDGET = 100_000_000
_MIN_PIVOTS = 100
#: Threads for the compiled passes (they release the GIL).
_WORKERS = max(1, min(2, os.cpu_count() or 1))
T = TypeVar("T")


class _Compact:
    """A graph as arrays: positions 0..n-1 in ``list(G)`` (or the arrays') order, directed ties."""

    def __init__(self, G: nx.DiGraph | MapArrays):
        if isinstance(G, MapArrays):
            self.ids, self.src, self.dst, self.weight = G.ids, G.src, G.dst, G.weight
        else:
            self.ids, self.src, self.dst, self.weight = arrays.graph_arrays(G)
        self.n = len(self.ids)

    def fields(self, G: nx.DiGraph | MapArrays) -> dict[str, list]:
        """Name, department, stance, influence and interest of everyone, in position order."""
        wanted = (s.NAME, s.DEPARTMENT, s.STANCE, s.INFLUENCE, s.INTEREST)
        if isinstance(G, MapArrays):
            return {f: G.column(f) for f in wanted}
        nodes = G.nodes
        return {f: [nodes[i].get(f) for i in self.ids] for f in wanted}

    @cached_property
    def digraph(self) -> ig.Graph:
        return ig.Graph(n=self.n, edges=list(zip(self.src.tolist(), self.dst.tolist())), directed=True)

    @cached_property
    def out_csr(self) -> tuple[np.ndarray, np.ndarray]:
        """Out-ties as CSR ``(indptr, indices)``: pointers int64, indices int32."""
        order = np.argsort(self.src, kind="stable")
        indptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.src, minlength=self.n), out=indptr[1:])
        return indptr, self.dst[order].astype(np.int32)

    @cached_property
    def undirected_graph(self) -> ig.Graph:
        """The undirected simple graph of distinct contacts (igraph), for k-cores and communities."""
        u, v, _ = self.undirected
        return ig.Graph(n=self.n, edges=list(zip(u.tolist(), v.tolist())), directed=False)

    @cached_property
    def undirected(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Edges ``u < v`` with mutual weight ``w(u,v) + w(v,u)``."""
        return arrays.undirected(self.n, self.src, self.dst, self.weight)

    @cached_property
    def mutual(self) -> sp.csr_array:
        """Symmetric matrix of mutual weights (zero diagonal)."""
        u, v, w = self.undirected
        upper = sp.csr_array((w, (u, v)), shape=(self.n, self.n))
        return (upper + upper.T).tocsr()


def _seed_text(seed) -> str:
    if seed is None:
        return "unseeded"
    return f"seed {int(seed)}" if isinstance(seed, numbers.Integral) else "the caller's random.Random"


def stakeholder_metrics(
    G: nx.DiGraph | MapArrays,
    *,
    seed: int | random.Random | None = 0,
    exact_betweenness_limit: int = 3000,
    betweenness_pivots: int | None = None,
) -> pd.DataFrame:
    """Score every stakeholder: degree, influence rank, brokerage, core, community, roles.

    Parameters
    ----------
    G : networkx.DiGraph or MapArrays
        Influence graph from :func:`~stakeholder_map.graph.build_graph`
        (edge ``u → v``: u can move v; ``weight`` default 1; node attributes
        ``name``, ``department``, ``stance``, ``influence``, ``interest`` are
        used when present), or the same map as arrays
        (:func:`~stakeholder_map.graph.map_arrays`: the same table, without
        building the graph -- a big map's way).
    seed : int, random.Random or None
        Seeds the betweenness pivots (when sampled) and the communities; same
        seed, same table.
    exact_betweenness_limit : int
        Up to this many people betweenness is exact; above it, sampled.
    betweenness_pivots : int, optional
        Number of pivot sources when sampling. Default: about
        ``10**8 / number of ties`` (at least 100), which keeps sampling to a
        few seconds.

    Returns
    -------
    DataFrame
        One row per person in graph order, columns :data:`COLUMNS` (see the
        module docstring). ``stance`` holds ints −2…2 or None (unknown);
        ``roles`` holds lists. ``df.attrs["methods"]`` maps each score to how
        it was computed and ``df.attrs["seconds"]`` each step to its wall
        time (for benchmarks). An empty graph gives an empty frame with these
        columns.

    References
    ----------
    .. [1] Page, L., Brin, S., Motwani, R. & Winograd, T. (1999). "The PageRank
       citation ranking: bringing order to the web." Stanford InfoLab.
    .. [2] Brandes, U. (2001). "A faster algorithm for betweenness centrality."
       Journal of Mathematical Sociology 25(2), 163-177.
    .. [3] Brandes, U. & Pich, C. (2007). "Centrality estimation in large
       networks." Int. J. Bifurcation and Chaos 17(7), 2303-2318.
    .. [4] Brandes, U. (2008). "On variants of shortest-path betweenness
       centrality and their generic computation." Social Networks 30(2), 136-145.
    .. [5] Burt, R. S. (1992). Structural Holes: The Social Structure of
       Competition. Harvard University Press.
    .. [6] Burt, R. S. (2004). "Structural holes and good ideas." American
       Journal of Sociology 110(2), 349-399.
    .. [7] Batagelj, V. & Zaversnik, M. (2003). "An O(m) algorithm for cores
       decomposition of networks." arXiv:cs/0310049.
    .. [8] Traag, V. A., Waltman, L. & van Eck, N. J. (2019). "From Louvain to
       Leiden: guaranteeing well-connected communities." Scientific Reports 9, 5233.
    """
    methods = {
        "degree": "distinct people tied in / out; weights summed per direction",
        "pagerank": (f"PageRank on the reversed graph (score flows from the influenced to their "
                     f"influencers), weighted, damping {DAMPING}, power iteration (scipy.sparse)"),
        "constraint": ("Burt's constraint, weighted, ties in both directions "
                       "(compiled numba pass; = networkx.constraint)"),
        "effective_size": ("Burt's effective size, weighted, ties in both directions "
                           "(compiled numba pass; = networkx.effective_size per node)"),
        "core": "k-core number of the undirected graph of distinct contacts (igraph coreness)",
        "community": f"Leiden, modularity, resolution 1.0, mutual weights (igraph), {_seed_text(seed)}",
        "quadrant": "influence (power) and interest: 4-5 high, 1-3 low; unscored unless both are recorded",
        "roles": ("isolate: no ties; blocker: resistant/skeptic with PageRank or betweenness above the "
                  "75th percentile; broker: constraint below the 10th or effective size above the "
                  "90th percentile of connected people"),
    }
    if len(G) == 0:
        empty = pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, object)) for c in COLUMNS})
        methods["betweenness"] = "exact (igraph, Brandes): no people"
        empty.attrs["methods"] = methods
        empty.attrs["seconds"] = {}
        return empty

    seconds: dict[str, float] = {}
    start = time.perf_counter()

    def timed(step: str, compute: Callable[[], T]) -> T:
        began = time.perf_counter()
        value = compute()
        seconds[step] = time.perf_counter() - began
        return value

    c = timed("arrays", lambda: _Compact(G))
    n = c.n
    # The compiled passes (sampled betweenness, structural holes) release the
    # GIL: they run on worker threads while this one does the igraph work.
    with ThreadPoolExecutor(_WORKERS) as workers:
        betweenness_done = _betweenness(c, workers, seed=seed, exact_limit=exact_betweenness_limit,
                                        pivots=betweenness_pivots)
        holes_done = _structural_holes(c, workers)
        in_degree, out_degree, in_weight, out_weight = timed("degree", lambda: (
            np.bincount(c.dst, minlength=n), np.bincount(c.src, minlength=n),
            np.bincount(c.dst, weights=c.weight, minlength=n), np.bincount(c.src, weights=c.weight, minlength=n)))
        pagerank = timed("pagerank", lambda: _pagerank(c))
        core = timed("core", lambda: _core_numbers(c))
        u, v, w = c.undirected
        community = timed("community", lambda: community_labels(n, u, v, w, seed=seed, graph=c.undirected_graph))
        (betweenness, methods["betweenness"]), seconds["betweenness"] = betweenness_done()
        (constraint, effective_size), seconds["constraint+effective_size"] = holes_done()
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[step] = now - clock
        clock = now

    fields = c.fields(G)
    df = pd.DataFrame({
        "id": c.ids,
        "name": [_text(name, i) for name, i in zip(fields[s.NAME], c.ids)],
        "department": [_text(d, s.UNASSIGNED) for d in fields[s.DEPARTMENT]],
        "stance": pd.Series([s.as_int(v) for v in fields[s.STANCE]], dtype=object),
        "in_degree": in_degree.astype(np.int64),
        "out_degree": out_degree.astype(np.int64),
        "in_weight": in_weight.astype(float),
        "out_weight": out_weight.astype(float),
        "pagerank": pagerank,
        "betweenness": betweenness,
        "constraint": constraint,
        "effective_size": effective_size,
        "core": core,
        "community": community,
        "quadrant": [_roles.quadrant(a, b) for a, b in zip(fields[s.INFLUENCE], fields[s.INTEREST])],
    })
    lap("attributes")
    df["roles"] = _roles.assign_roles(df)
    lap("roles")
    seconds["total"] = time.perf_counter() - start
    df.attrs["methods"] = methods
    df.attrs["seconds"] = seconds
    return df


_DTYPES = {
    "in_degree": np.int64, "out_degree": np.int64, "core": np.int64, "community": np.int64,
    "in_weight": float, "out_weight": float, "pagerank": float, "betweenness": float,
    "constraint": float, "effective_size": float,
}


def _text(value, default) -> str:
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return str(default)
    return str(value)


def _pagerank(c: _Compact) -> np.ndarray:
    """PageRank of the reversed weighted graph, as networkx's ``_pagerank_scipy``.

    Person v passes ``DAMPING`` of its score to the people who can move it,
    split by tie weight; people nobody moves (dangling in the reversed graph)
    spread theirs uniformly, like networkx.
    """
    n = c.n
    # Reversed graph R[v, u] = w(u → v); row-normalise by the weight v receives.
    received = np.bincount(c.dst, weights=c.weight, minlength=n)
    inv = np.divide(1.0, received, out=np.zeros(n), where=received != 0)
    transition_t = sp.csr_array((c.weight * inv[c.dst], (c.src, c.dst)), shape=(n, n))  # = (D⁻¹R)ᵀ
    dangling = received == 0
    x = np.full(n, 1.0 / n)
    for _ in range(_PAGERANK_MAX_ITER):
        last = x
        x = DAMPING * (transition_t @ x + x[dangling].sum() / n) + (1.0 - DAMPING) / n
        if np.abs(x - last).sum() < n * _PAGERANK_TOL:
            break
    return x


def _betweenness(c: _Compact, workers: ThreadPoolExecutor, *, seed, exact_limit: int, pivots: int | None
                 ) -> Callable[[], tuple[tuple[np.ndarray, str], float]]:
    """Normalised directed betweenness; exact or pivot-sampled like networkx ``k=``.

    Returns a function that gives ``((scores, method), seconds)`` once done:
    exact scores are computed at once (igraph, up to ``exact_limit``
    people); sampled ones start on the worker threads (a compiled Brandes
    pass per share of the pivots) and are summed when asked for.
    """
    began = time.perf_counter()
    n = c.n
    if n <= 2 or not len(c.src):
        result = (np.zeros(n), "exact (igraph, Brandes): no paths through anyone")
        return lambda: (result, time.perf_counter() - began)
    if pivots is None:
        pivots = max(_MIN_PIVOTS, _PIVOT_BUDGET // max(len(c.src), 1))
    k = min(max(int(pivots), 2), n)  # one pivot cannot scale its own score (networkx: NaN)
    if n <= exact_limit or k >= n:
        raw = np.asarray(c.digraph.betweenness(directed=True), dtype=float)
        result = (raw / ((n - 1) * (n - 2)),
                  "exact (igraph, Brandes): unweighted directed shortest paths, normalised by (n-1)(n-2)")
        elapsed = time.perf_counter() - began
        return lambda: (result, elapsed)
    # Brandes & Pich pivot sampling, the same draw and scaling as networkx:
    # ``seed.sample(list(G), k)``; sources scaled by 1/((k-1)(n-2)), others 1/(k(n-2)).
    rng = nx.utils.create_py_random_state(seed)
    sources = np.asarray(rng.sample(range(n), k), dtype=np.int64)
    indptr, indices = c.out_csr
    parts = [workers.submit(_kernels.brandes, indptr, indices, n, share)
             for share in np.array_split(sources, _WORKERS) if len(share)]
    method = (f"sampled (compiled Brandes-Pich): {k} of {n} pivot sources, {_seed_text(seed)}; "
              f"unweighted directed shortest paths, normalised by (n-1)(n-2) "
              f"(exact only up to {exact_limit} people)")

    def done() -> tuple[tuple[np.ndarray, str], float]:
        raw = np.sum([part.result() for part in parts], axis=0)
        scale = np.full(n, 1.0 / (k * (n - 2)))
        scale[sources] = 1.0 / ((k - 1) * (n - 2))
        return (raw * scale, method), time.perf_counter() - began

    return done


def _structural_holes(c: _Compact, workers: ThreadPoolExecutor
                      ) -> Callable[[], tuple[tuple[np.ndarray, np.ndarray], float]]:
    """Burt's constraint and effective size of everyone, NaN for isolates.

    Both follow networkx's definitions on the mutual weights ``a_uv + a_vu``
    (ties in both directions): ``p_uv`` is the mutual weight over u's total,
    ``m_vw`` the mutual weight over v's largest one, and

    * constraint ``c(u) = Σ_{v∈N(u)} (p_uv + Σ_{w∈N(u)} p_uw p_wv)²``,
    * effective size ``e(u) = Σ_{v∈N(u)} (1 − Σ_{w∈N(u)} p_uw m_vw)``.

    One compiled pass over the two-step paths that close back on u's
    contacts, split by people over the worker threads; returns a function
    that gives ``((constraint, effective_size), seconds)`` once done.
    """
    began = time.perf_counter()
    mutual = c.mutual
    mutual.sort_indices()
    indptr, indices = mutual.indptr.astype(np.int64), mutual.indices.astype(np.int64)
    data = mutual.data.astype(np.float64)
    constraint, effective = np.full(c.n, np.nan), np.full(c.n, np.nan)
    # Shares of about equal work (Σ degree² per person), not of equal head count.
    work = np.cumsum(np.diff(indptr).astype(np.float64) ** 2)
    cuts = np.searchsorted(work, work[-1] * np.arange(1, _WORKERS) / _WORKERS) if c.n else []
    bounds = [0, *[int(x) for x in cuts], c.n]
    parts = [workers.submit(_kernels.burt, indptr, indices, data, c.n, lo, hi, constraint, effective)
             for lo, hi in zip(bounds[:-1], bounds[1:]) if hi > lo]

    def done() -> tuple[tuple[np.ndarray, np.ndarray], float]:
        for part in parts:
            part.result()
        return (constraint, effective), time.perf_counter() - began

    return done


def _core_numbers(c: _Compact) -> np.ndarray:
    """k-core numbers of the undirected simple graph (Batagelj & Zaversnik)."""
    if not len(c.undirected[0]):
        return np.zeros(c.n, dtype=np.int64)
    return np.asarray(c.undirected_graph.coreness(), dtype=np.int64)
