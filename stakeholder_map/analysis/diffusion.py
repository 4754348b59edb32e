"""The diffusion model: a compact influence graph with tie probabilities.

Every spread figure in Stakeholder Map (champions, pilots, simulations) comes
from one model, the one the contract names (CONTRACT §5): an **independent
cascade** on the influence graph. A person who adopts the idea gets one chance
to move each person they influence; the tie ``u → v`` succeeds with
probability ``p(u, v)``. Four ways to set ``p``:

``stance`` (default)
    The weighted cascade ``w(u, v) / Σ_x w(x, v)`` multiplied by ``v``'s
    *receptiveness*, a factor from ``v``'s stance (:data:`RECEPTIVENESS`):
    a resistant person is hard to move, a supporter easy.
``wc``
    Weighted cascade without stances (Kempe et al. 2003; Chen et al. 2009).
``ic``
    Independent cascade with one constant probability ``p`` on every tie.
``lt``
    Linear threshold (Kempe et al. 2003): ``v`` adopts once the summed weights
    ``w(u, v) / Σ_x w(x, v)`` of its adopting influencers exceed a threshold
    drawn uniformly from (0, 1).

The graph is held as CSR arrays (out-ties for forward cascades, in-ties for
reverse-reachable sampling) so the numba kernels in ``_kernels.py`` run over
plain arrays. :func:`diffusion_graph` builds it from a :class:`networkx.DiGraph`
made by :func:`stakeholder_map.graph.build_graph`;
:func:`diffusion_graph_from_arrays` from a map's arrays
(:class:`~stakeholder_map.graph.MapArrays`, read straight from the store) and
:func:`diffusion_graph_from_frames` from the people and ties frames, both
much faster for organisations of 100,000 people.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_node("a", stance=1); G.add_node("b", stance=-2); G.add_node("c")
>>> G.add_edge("a", "b", weight=1.0); G.add_edge("c", "b", weight=3.0)
>>> dg = diffusion_graph(G)                       # stance model
>>> round(dg.probability("c", "b"), 3)            # 3/4 x resistant 0.2
0.15
>>> round(diffusion_graph(G, model="wc").probability("c", "b"), 3)
0.75
>>> round(diffusion_graph(G, overrides={"b": "supporter"}).probability("c", "b"), 3)
0.75

References
----------
.. [1] D. Kempe, J. Kleinberg and É. Tardos, "Maximizing the spread of
   influence through a social network", KDD 2003.
.. [2] W. Chen, Y. Wang and S. Yang, "Efficient influence maximization in
   social networks", KDD 2009 (the weighted cascade).
.. [3] A. Goyal, W. Lu and L. V. S. Lakshmanan, "SIMPATH: An efficient
   algorithm for influence maximization under the linear threshold model",
   ICDM 2011 (LT weights ``w(u, v) / Σ_x w(x, v)``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .. import schema as s
from ..errors import UnknownStakeholder
from ..graph import MapArrays

__all__ = [
    "MODELS",
    "RECEPTIVENESS",
    "DiffusionGraph",
    "diffusion_graph",
    "diffusion_graph_from_frames",
    "diffusion_graph_from_arrays",
    "as_diffusion_graph",
    "receptiveness_factors",
]

#: The diffusion models, see the module docstring.
MODELS = ("stance", "wc", "ic", "lt")

#: Default receptiveness per stance (``"unknown"`` = no stance recorded): the
#: factor that multiplies every tie's weighted-cascade probability into a
#: person. Champions and supporters are moved by any tie at its full
#: strength; a neutral or unknown person at 80 %, a skeptic at half, a
#: resistant person at a fifth. Pass your own dict (keys: stance words,
#: ``"unknown"``, or the numbers −2…2 and None) to change any of them.
RECEPTIVENESS: dict[str, float] = {
    "resistant": 0.2,
    "skeptic": 0.5,
    "neutral": 0.8,
    "unknown": 0.8,
    "supporter": 1.0,
    "champion": 1.0,
}


def _stance_key(key: Any) -> str:
    """A receptiveness key (word, number, None or "unknown") → stance word."""
    if key is None or (isinstance(key, float) and math.isnan(key)):
        return "unknown"
    text = str(key).strip().lower()
    if text in ("unknown", ""):
        return "unknown"
    return s.stance_label(s.parse_stance(text))


def receptiveness_factors(receptiveness: Mapping[Any, float] | None = None) -> dict[str, float]:
    """The full receptiveness table: defaults overlaid with the user's values.

    Parameters
    ----------
    receptiveness : mapping, optional
        Stance (word, −2…2, None or ``"unknown"``) → factor in [0, 1].

    Returns
    -------
    dict
        Stance word (and ``"unknown"``) → factor, for all six.

    Raises
    ------
    ValueError
        For an unknown stance or a factor outside [0, 1].

    Examples
    --------
    >>> receptiveness_factors({"skeptic": 0.3, -2: 0.1})["resistant"]
    0.1
    """
    table = dict(RECEPTIVENESS)
    for key, value in (receptiveness or {}).items():
        word = _stance_key(key)
        factor = float(value)
        if not 0.0 <= factor <= 1.0:
            raise ValueError(f"receptiveness of {word} must be between 0 and 1, not {value!r}")
        table[word] = factor
    return table


@dataclass(eq=False, repr=False)
class DiffusionGraph:
    """An influence graph compiled for diffusion: node arrays and CSR ties.

    Node ``i`` is the person ``ids[i]``. Out-ties of ``i`` are
    ``out_dst[out_ptr[i]:out_ptr[i+1]]`` with probabilities ``out_prob``;
    in-ties of ``i`` are ``in_src[in_ptr[i]:in_ptr[i+1]]`` with ``in_prob``.
    ``weights`` are the summed tie weights in out-tie order; ``in_order``
    maps in-tie positions to out-tie positions. Build with
    :func:`diffusion_graph` or :func:`diffusion_graph_from_frames`; derive a
    variant with other model settings with :meth:`with_model`.
    """

    ids: list[str]
    index: dict[str, int]
    names: list[str]
    departments: list[str]
    department_names: tuple[str, ...]
    department_codes: np.ndarray
    base_stances: list[int | None]
    stances: list[int | None]
    seniority: np.ndarray
    influence: np.ndarray
    out_ptr: np.ndarray
    out_dst: np.ndarray
    weights: np.ndarray
    out_prob: np.ndarray
    in_ptr: np.ndarray
    in_src: np.ndarray
    in_order: np.ndarray
    in_prob: np.ndarray
    model: str = "stance"
    p: float = 0.1
    receptiveness: dict[str, float] = field(default_factory=lambda: dict(RECEPTIVENESS))
    overrides: dict[str, int | None] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of people."""
        return len(self.ids)

    @property
    def m(self) -> int:
        """Number of ties (distinct ordered pairs)."""
        return int(self.out_dst.shape[0])

    @property
    def is_lt(self) -> bool:
        """True under the linear-threshold model."""
        return self.model == "lt"

    @cached_property
    def out_degree(self) -> np.ndarray:
        """Number of distinct people each person influences."""
        return np.diff(self.out_ptr).astype(np.int64)

    @cached_property
    def out_weight(self) -> np.ndarray:
        """Summed weight of each person's out-ties."""
        sources = np.repeat(np.arange(self.n), self.out_degree)
        return np.bincount(sources, weights=self.weights, minlength=self.n).astype(np.float64)

    @cached_property
    def pagerank(self) -> np.ndarray:
        """Weighted PageRank on the reversed graph: how much a person moves movers.

        Power iteration (damping 0.85) with ``u``'s score fed by the people
        ``u`` influences, in proportion to their in-tie weights.
        """
        from scipy.sparse import csr_matrix

        n = self.n
        if n == 0:
            return np.zeros(0)
        dst = self.out_dst
        win = np.bincount(dst, weights=self.weights, minlength=n)
        share = np.divide(self.weights, win[dst], out=np.zeros_like(self.weights), where=win[dst] > 0)
        # Row u holds u's out-ties: x_new[u] = Σ_v share(u, v) · x[v].
        M = csr_matrix((share, dst, self.out_ptr), shape=(n, n))
        dangling = win == 0
        x = np.full(n, 1.0 / n)
        for _ in range(100):
            nxt = 0.85 * (M @ x + x[dangling].sum() / n) + 0.15 / n
            done = np.abs(nxt - x).sum() < 1e-9
            x = nxt
            if done:
                break
        return x

    @cached_property
    def path_costs(self):
        """Sparse matrix of ``−log p(u, v)``: shortest paths = strongest chains."""
        from scipy.sparse import csr_matrix

        with np.errstate(divide="ignore"):
            cost = -np.log(self.out_prob)
        cost = np.where(np.isfinite(cost), np.maximum(cost, 1e-12), 1e9)
        return csr_matrix((cost, self.out_dst, self.out_ptr), shape=(self.n, self.n))

    def position(self, person: Any) -> int:
        """Index of a person's id; raises :class:`UnknownStakeholder`."""
        try:
            return self.index[str(person)]
        except KeyError:
            raise UnknownStakeholder(f"{person!r} is not in the map") from None

    def positions(self, people: Iterable[Any]) -> np.ndarray:
        """Indices of several ids (order kept, duplicates dropped)."""
        seen: dict[int, None] = {}
        for person in people:
            seen.setdefault(self.position(person), None)
        return np.fromiter(seen, dtype=np.int32, count=len(seen))

    def probability(self, u: Any, v: Any) -> float:
        """Activation probability of the tie ``u → v`` (0 if there is none)."""
        i, j = self.position(u), self.position(v)
        lo, hi = self.out_ptr[i], self.out_ptr[i + 1]
        hit = np.flatnonzero(self.out_dst[lo:hi] == j)
        return float(self.out_prob[lo + hit[0]]) if len(hit) else 0.0

    def with_model(
        self,
        model: str | None = None,
        *,
        p: float | None = None,
        receptiveness: Mapping[Any, float] | None = None,
        overrides: Mapping[Any, Any] | None = None,
    ) -> DiffusionGraph:
        """The same people and ties under other model settings.

        Arguments left as ``None`` keep this graph's setting, except
        ``overrides``, which are always relative to the stances the map holds
        (``None`` means no what-if).
        """
        model = self.model if model is None else model
        p = self.p if p is None else p
        table = self.receptiveness if receptiveness is None else receptiveness_factors(receptiveness)
        fixed = _check_overrides(self, overrides)
        if (model == self.model and p == self.p and table == self.receptiveness
                and fixed == self.overrides):
            return self
        stances = list(self.base_stances)
        for pid, stance in fixed.items():
            stances[self.index[pid]] = stance
        out_prob = _probabilities(model, p, table, stances, self.out_ptr, self.out_dst, self.weights)
        return replace(
            self, model=model, p=float(p), receptiveness=dict(table), overrides=fixed,
            stances=stances, out_prob=out_prob, in_prob=out_prob[self.in_order],
        )

    def __repr__(self) -> str:
        what = f"model={self.model!r}" + (f", p={self.p}" if self.model == "ic" else "")
        if self.overrides:
            what += f", overrides={len(self.overrides)}"
        return f"<DiffusionGraph {self.n} people, {self.m} ties, {what}>"


def _check_model(model: str, p: float) -> None:
    if model not in MODELS:
        raise ValueError(f"unknown diffusion model {model!r}; use one of {', '.join(MODELS)}")
    if model == "ic" and not 0.0 < float(p) <= 1.0:
        raise ValueError(f"the ic model needs 0 < p <= 1, not {p!r}")


def _check_overrides(dg: DiffusionGraph, overrides: Mapping[Any, Any] | None) -> dict[str, int | None]:
    fixed: dict[str, int | None] = {}
    for pid, stance in (overrides or {}).items():
        dg.position(pid)
        fixed[str(pid)] = s.stance_value(stance)
    return fixed


def _probabilities(
    model: str,
    p: float,
    table: Mapping[str, float],
    stances: list[int | None],
    out_ptr: np.ndarray,
    out_dst: np.ndarray,
    weights: np.ndarray,
) -> np.ndarray:
    """Tie probabilities in out-tie order for one model."""
    _check_model(model, p)
    n = len(stances)
    if model == "ic":
        return np.full(len(out_dst), float(p))
    w = np.maximum(weights.astype(np.float64), 0.0)
    win = np.bincount(out_dst, weights=w, minlength=n)
    denom = win[out_dst]
    prob = np.divide(w, denom, out=np.zeros_like(w), where=denom > 0)
    if model == "stance":
        factor = np.array([table[s.stance_label(v)] for v in stances], dtype=np.float64)
        prob = prob * factor[out_dst]
    return np.clip(prob, 0.0, 1.0)


def _assemble(
    ids: list[str],
    names: list[str],
    departments: list[str],
    stances: list[int | None],
    seniority: np.ndarray,
    influence: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    w: np.ndarray,
    *,
    model: str,
    p: float,
    receptiveness: Mapping[Any, float] | None,
    overrides: Mapping[Any, Any] | None,
) -> DiffusionGraph:
    """Node lists + one row per distinct tie (no self-ties) → DiffusionGraph."""
    _check_model(model, p)
    n = len(ids)
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    # One int64 key per distinct pair sorts as (src, dst) -- ten times faster than lexsort.
    order = np.argsort(src * max(n, 1) + dst, kind="stable")
    src, dst, w = src[order], dst[order].astype(np.int32), w[order].astype(np.float64)
    out_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=out_ptr[1:])
    in_order = np.argsort(dst.astype(np.int64) * max(n, 1) + src, kind="stable").astype(np.int64)
    in_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(dst, minlength=n), out=in_ptr[1:])
    dept_names = tuple(sorted(set(departments)))
    code_of = {d: i for i, d in enumerate(dept_names)}
    dg = DiffusionGraph(
        ids=ids,
        index={pid: i for i, pid in enumerate(ids)},
        names=names,
        departments=departments,
        department_names=dept_names,
        department_codes=np.array([code_of[d] for d in departments], dtype=np.int32),
        base_stances=list(stances),
        stances=list(stances),
        seniority=np.asarray(seniority, dtype=np.float64),
        influence=np.asarray(influence, dtype=np.float64),
        out_ptr=out_ptr,
        out_dst=dst,
        weights=w,
        out_prob=np.zeros(len(dst)),
        in_ptr=in_ptr,
        in_src=src[in_order].astype(np.int32),
        in_order=in_order,
        in_prob=np.zeros(len(dst)),
        model="",
        p=float(p),
    )
    return dg.with_model(model, p=p, receptiveness=receptiveness or {}, overrides=overrides)


def _number(value: Any) -> float:
    if value is None or value is pd.NA:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def diffusion_graph(
    G: nx.DiGraph,
    *,
    model: str = "stance",
    p: float = 0.1,
    receptiveness: Mapping[Any, float] | None = None,
    overrides: Mapping[Any, Any] | None = None,
) -> DiffusionGraph:
    """Compile an influence graph for diffusion under one model.

    Parameters
    ----------
    G : networkx.DiGraph
        As made by :func:`stakeholder_map.graph.build_graph`: node attributes
        ``name``, ``department``, ``stance`` (−2…2 or None), ``seniority``,
        ``influence``; edge ``u → v`` ("u can move v") with ``weight``
        (default 1). Self-loops are ignored.
    model : {"stance", "wc", "ic", "lt"}
        How tie probabilities are set (see the module docstring).
    p : float
        The constant tie probability of the ``ic`` model.
    receptiveness : mapping, optional
        Stance → factor, overriding :data:`RECEPTIVENESS` (``stance`` model).
    overrides : mapping, optional
        Person id → stance (word or −2…2) for a what-if, e.g.
        ``{"cfo": "supporter"}``.

    Returns
    -------
    DiffusionGraph

    Raises
    ------
    UnknownStakeholder
        An id in ``overrides`` is not in the map.
    ValueError
        Unknown model, ``p`` out of (0, 1], or a bad receptiveness or stance.

    References
    ----------
    .. [1] Kempe, Kleinberg and Tardos, KDD 2003.
    .. [2] Chen, Wang and Yang, KDD 2009 (weighted cascade).
    """
    ids = [str(v) for v in G.nodes]
    data = [G.nodes[v] for v in G.nodes]
    index = {v: i for i, v in enumerate(G.nodes)}
    names = [str(d.get(s.NAME) or v) for v, d in zip(ids, data)]
    departments = [str(d.get(s.DEPARTMENT) or s.UNASSIGNED) for d in data]
    stances = [s.stance_value(d.get(s.STANCE)) for d in data]
    seniority = np.array([_number(d.get(s.SENIORITY)) for d in data], dtype=np.float64)
    influence = np.array([_number(d.get(s.INFLUENCE)) for d in data], dtype=np.float64)
    m = G.number_of_edges()
    src = np.empty(m, dtype=np.int64)
    dst = np.empty(m, dtype=np.int64)
    w = np.empty(m, dtype=np.float64)
    k = 0
    for u, v, weight in G.edges(data=s.WEIGHT, default=1.0):
        if u == v:
            continue
        src[k], dst[k] = index[u], index[v]
        w[k] = 1.0 if weight is None else float(weight)
        k += 1
    return _assemble(
        ids, names, departments, stances, seniority, influence, src[:k], dst[:k], w[:k],
        model=model, p=p, receptiveness=receptiveness, overrides=overrides,
    )


def _mapped(column: pd.Series, parse) -> list:
    """Parse a text or numeric column through its unique values (fast)."""
    values = column.astype(object).where(column.notna(), None)
    cache: dict[Any, Any] = {}
    out = []
    for value in values:
        if value not in cache:
            if value is None:
                cache[value] = None
            elif isinstance(value, (int, float, np.integer, np.floating)):
                cache[value] = None if value != value else int(value)
            else:
                cache[value] = parse(str(value))
        out.append(cache[value])
    return out


def diffusion_graph_from_frames(
    people: pd.DataFrame,
    ties: pd.DataFrame,
    *,
    kinds: Iterable[str] | None = None,
    model: str = "stance",
    p: float = 0.1,
    receptiveness: Mapping[Any, float] | None = None,
    overrides: Mapping[Any, Any] | None = None,
) -> DiffusionGraph:
    """Compile the people and ties frames directly, without networkx.

    Same result as ``diffusion_graph(build_graph(people, ties, kinds=kinds))``
    (weights summed per ordered pair, self-ties dropped) but vectorised: an
    organisation of 100,000 people and a million ties takes a couple of
    seconds instead of a minute. Columns may be typed (as from
    :func:`stakeholder_map.ingest.read_map`) or text in the contract's form
    (stance and seniority words or numbers).

    Parameters
    ----------
    people, ties : DataFrame
        ``stakeholders.csv`` and ``influences.csv`` as frames.
    kinds : iterable of str, optional
        Keep only ties of these kinds.
    model, p, receptiveness, overrides
        As for :func:`diffusion_graph`.

    Returns
    -------
    DiffusionGraph

    Raises
    ------
    UnknownStakeholder
        A tie names an id that is not in ``people``.

    Examples
    --------
    >>> people = pd.DataFrame({"id": ["a", "b"], "name": ["Ann", "Bo"], "stance": ["", "skeptic"]})
    >>> ties = pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"], "weight": ["1", "2"]})
    >>> dg = diffusion_graph_from_frames(people, ties)
    >>> dg.m, dg.stances, dg.probability("a", "b")
    (1, [None, -1], 0.5)
    """
    n = len(people)
    ids = people[s.ID].astype(str).tolist() if n else []
    names = (people[s.NAME].astype(object).where(people[s.NAME].notna(), None).tolist()
             if s.NAME in people else [None] * n)
    names = [str(x) if x not in (None, "") else pid for x, pid in zip(names, ids)]
    if s.DEPARTMENT in people:
        dep = people[s.DEPARTMENT].astype(object).where(people[s.DEPARTMENT].notna(), None)
        departments = [str(d) if d not in (None, "") else s.UNASSIGNED for d in dep]
    else:
        departments = [s.UNASSIGNED] * n
    stances = _mapped(people[s.STANCE], s.parse_stance) if s.STANCE in people else [None] * n
    seniority = (_mapped(people[s.SENIORITY], s.parse_seniority) if s.SENIORITY in people
                 else [None] * n)
    influence = (pd.to_numeric(people[s.INFLUENCE], errors="coerce").to_numpy(dtype=np.float64)
                 if s.INFLUENCE in people else np.full(n, np.nan))
    seniority_arr = np.array([np.nan if v is None else v for v in seniority], dtype=np.float64)

    src = dst = np.zeros(0, dtype=np.int64)
    w = np.zeros(0)
    if ties is not None and len(ties) and n:
        frame = ties
        if kinds is not None and s.KIND in frame:
            frame = frame[frame[s.KIND].isin(set(kinds))]
        elif kinds is not None:
            frame = frame.iloc[:0]
        codes = pd.Index(ids)
        src = codes.get_indexer(frame[s.SOURCE].astype(str))
        dst = codes.get_indexer(frame[s.TARGET].astype(str))
        bad = (src < 0) | (dst < 0)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            who = frame[s.SOURCE].iloc[row] if src[row] < 0 else frame[s.TARGET].iloc[row]
            raise UnknownStakeholder(f"a tie names {who!r}, who is not in the stakeholders")
        if s.WEIGHT in frame:
            w = pd.to_numeric(frame[s.WEIGHT], errors="coerce").fillna(1.0).to_numpy(dtype=np.float64)
        else:
            w = np.ones(len(frame))
        keep = src != dst
        src, dst, w = src[keep].astype(np.int64), dst[keep].astype(np.int64), w[keep]
        if len(src):
            key = src * n + dst
            uniq, inverse = np.unique(key, return_inverse=True)
            w = np.bincount(inverse, weights=w, minlength=len(uniq))
            src, dst = uniq // n, uniq % n
    return _assemble(
        ids, names, departments, stances, np.asarray(seniority_arr), influence, src, dst, w,
        model=model, p=p, receptiveness=receptiveness, overrides=overrides,
    )


def diffusion_graph_from_arrays(
    arrays: MapArrays,
    *,
    model: str = "stance",
    p: float = 0.1,
    receptiveness: Mapping[Any, float] | None = None,
    overrides: Mapping[Any, Any] | None = None,
) -> DiffusionGraph:
    """Compile a map's arrays (people and summed ties), without networkx.

    The same result as ``diffusion_graph(G)`` for the graph ``G`` of the
    same map (:func:`stakeholder_map.graph.build_graph`): the same people in
    the same order, the same ties and weights, so the same champions from
    the same seed.

    Parameters
    ----------
    arrays : MapArrays
        From :func:`stakeholder_map.graph.map_arrays` or
        :func:`~stakeholder_map.graph.arrays_from_frames`.
    model, p, receptiveness, overrides
        As for :func:`diffusion_graph`.

    Returns
    -------
    DiffusionGraph

    Examples
    --------
    >>> from stakeholder_map.graph import map_arrays
    >>> people = pd.DataFrame({"id": ["a", "b"], "name": ["Ann", None], "stance": [None, -1]})
    >>> pairs = pd.DataFrame({"source": [0], "target": [1], "weight": [2.0], "ties": [2]})
    >>> dg = diffusion_graph_from_arrays(map_arrays(people, pairs))
    >>> dg.names, dg.stances, dg.probability("a", "b")
    (['Ann', 'b'], [None, -1], 0.5)
    """
    ids = arrays.ids
    names = [str(name or pid) for name, pid in zip(arrays.column(s.NAME), ids)]
    departments = [str(d or s.UNASSIGNED) for d in arrays.column(s.DEPARTMENT)]
    stance_of = {v: s.stance_value(v) for v in set(arrays.column(s.STANCE))}  # as diffusion_graph reads them
    stances = [stance_of[v] for v in arrays.column(s.STANCE)]
    seniority = np.array([_number(v) for v in arrays.column(s.SENIORITY)], dtype=np.float64)
    influence = np.array([_number(v) for v in arrays.column(s.INFLUENCE)], dtype=np.float64)
    return _assemble(
        ids, names, departments, stances, seniority, influence, arrays.src, arrays.dst, arrays.weight,
        model=model, p=p, receptiveness=receptiveness, overrides=overrides,
    )


def as_diffusion_graph(
    G: nx.DiGraph | DiffusionGraph | MapArrays,
    *,
    model: str = "stance",
    p: float = 0.1,
    receptiveness: Mapping[Any, float] | None = None,
    overrides: Mapping[Any, Any] | None = None,
) -> DiffusionGraph:
    """Accept a networkx graph, a map's arrays or a DiffusionGraph, under these settings.

    A :class:`DiffusionGraph` is re-weighted with :meth:`DiffusionGraph.with_model`
    (cheap; the arrays are shared), :class:`~stakeholder_map.graph.MapArrays`
    are compiled with :func:`diffusion_graph_from_arrays`, a
    :class:`networkx.DiGraph` with :func:`diffusion_graph`.
    """
    if isinstance(G, DiffusionGraph):
        return G.with_model(model, p=p, receptiveness=receptiveness or {}, overrides=overrides)
    if isinstance(G, MapArrays):
        return diffusion_graph_from_arrays(G, model=model, p=p, receptiveness=receptiveness,
                                           overrides=overrides)
    return diffusion_graph(G, model=model, p=p, receptiveness=receptiveness, overrides=overrides)
