"""Frames of people and ties → a :class:`networkx.DiGraph` for analysis.

Direction follows the contract: an edge ``u → v`` means "u can move v's
opinion". Several ties between one ordered pair (e.g. ``advice`` and
``friendship``) become one edge whose ``weight`` is their sum; ``kinds`` lists
the kinds that were summed and ``ties`` how many rows. Passing ``kinds`` keeps
only ties of those kinds before summing.

Node keys are stakeholder ids (text). Node attributes: ``name``,
``department``, ``role``, ``seniority``, ``stance``, ``influence``,
``interest``, ``email``, ``notes`` (missing values are ``None``) and
``attributes`` (dict of custom columns).

Examples
--------
>>> import pandas as pd
>>> people = pd.DataFrame({"id": ["a", "b"], "name": ["Ann", "Bo"]})
>>> ties = pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"],
...                      "weight": [1.0, 2.0], "kind": ["advice", "friendship"]})
>>> G = build_graph(people, ties)
>>> G["a"]["b"]["weight"], G["a"]["b"]["kinds"]
(3.0, ('advice', 'friendship'))
>>> build_graph(people, ties, kinds=["advice"])["a"]["b"]["weight"]
1.0
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from functools import cached_property

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import schema as s
from .errors import UnknownStakeholder

__all__ = ["build_graph", "MapArrays", "map_arrays", "arrays_from_frames", "PERSON_FIELDS", "filter_graph", "departments", "max_weight", "most_connected"]

#: Person attributes copied onto every node (missing ones become None).
PERSON_FIELDS = (
    s.NAME, s.DEPARTMENT, s.ROLE, s.SENIORITY, s.STANCE,
    s.INFLUENCE, s.INTEREST, s.EMAIL, s.NOTES,
)


class MapArrays:
    """A map's people and summed ties as arrays: what the analysis of a big map runs on.

    Person ``i`` is row ``i`` of ``people``; tie ``j`` runs from ``src[j]``
    to ``dst[j]`` (positions, self-ties left out) with ``weight[j]`` the
    summed weights and ``ties[j]`` the rows summed into it, one entry per
    ordered pair sorted by ``(src, dst)`` -- the edges of :func:`build_graph`
    without networkx's dict per edge. Build with :func:`map_arrays` (from the
    store's summed pairs) or :func:`arrays_from_frames` (from the frames).

    Node fields are read as :func:`build_graph` stores them (missing values
    None, department :data:`~stakeholder_map.schema.UNASSIGNED` if empty),
    one column at a time and only when asked (:meth:`column`).
    """

    def __init__(self, people: pd.DataFrame, src: np.ndarray, dst: np.ndarray, weight: np.ndarray,
                 ties: np.ndarray, *, name: str = ""):
        self.people = people.reset_index(drop=True)
        self.src = np.asarray(src, dtype=np.int64)
        self.dst = np.asarray(dst, dtype=np.int64)
        self.weight = np.asarray(weight, dtype=np.float64)
        self.ties = np.asarray(ties, dtype=np.int64)
        self.name = name or ""
        self._columns: dict[str, list] = {}

    def __len__(self) -> int:
        return len(self.people)

    def __repr__(self) -> str:
        return f"<MapArrays {self.n} people, {self.m} ties>"

    @property
    def n(self) -> int:
        """Number of people."""
        return len(self.people)

    @property
    def m(self) -> int:
        """Number of ties (distinct ordered pairs)."""
        return int(self.src.shape[0])

    @cached_property
    def ids(self) -> list[str]:
        """Person ids (text), in position order."""
        return self.people[s.ID].astype(str).tolist() if self.n else []

    def column(self, field: str) -> list:
        """A person field as plain values in position order (what :func:`build_graph` puts on nodes)."""
        if field not in self._columns:
            if field in self.people:
                values = self.people[field].astype(object).where(self.people[field].notna(), None).tolist()
            else:
                values = [None] * self.n
            if field == s.DEPARTMENT:
                values = [s.UNASSIGNED if v in (None, "") else v for v in values]
            self._columns[field] = values
        return self._columns[field]


def map_arrays(people: pd.DataFrame, pairs: pd.DataFrame, *, name: str | None = None) -> MapArrays:
    """The arrays of a map from its people and its ties summed per pair (``Store.tie_pairs``).

    Parameters
    ----------
    people : DataFrame
        One row per person, in the order the pairs' positions refer to.
    pairs : DataFrame
        ``source, target`` (positions in ``people``), ``weight`` (summed)
        and ``ties`` (rows), one row per ordered pair, no self-ties.
    name : str, optional
        The map's name.

    Returns
    -------
    MapArrays

    Raises
    ------
    ValueError
        A position outside ``people``.

    Examples
    --------
    >>> people = pd.DataFrame({"id": ["a", "b"], "name": ["Ann", "Bo"]})
    >>> pairs = pd.DataFrame({"source": [1, 0], "target": [0, 1], "weight": [1.0, 3.0], "ties": [1, 2]})
    >>> arrays = map_arrays(people, pairs)
    >>> arrays.src.tolist(), arrays.dst.tolist(), arrays.weight.tolist(), arrays.column("department")
    ([0, 1], [1, 0], [3.0, 1.0], ['Unassigned', 'Unassigned'])
    """
    n = len(people)
    src = pairs[s.SOURCE].to_numpy(dtype=np.int64)
    dst = pairs[s.TARGET].to_numpy(dtype=np.int64)
    if len(src) and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n):
        raise ValueError("a tie pair names a position outside the people")
    weight = pairs[s.WEIGHT].to_numpy(dtype=np.float64)
    ties = pairs["ties"].to_numpy(dtype=np.int64) if "ties" in pairs else np.ones(len(src), dtype=np.int64)
    key = src * max(n, 1) + dst
    if len(key) > 1 and not (np.diff(key) > 0).all():  # the store sorts them; other callers may not
        order = np.argsort(key, kind="stable")
        src, dst, weight, ties = src[order], dst[order], weight[order], ties[order]
    return MapArrays(people, src, dst, weight, ties, name=name or "")


def _text_array(column: pd.Series) -> pa.Array:
    """A column as one Arrow text array (the store's text columns already are Arrow: no copy)."""
    if isinstance(column.dtype, (pd.StringDtype, pd.ArrowDtype)):
        try:
            array = pa.array(column.array)
            array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
            return array.cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
            pass
    return pa.array(column.astype(str).to_numpy(dtype=object), type=pa.string())


def _positions(values: pa.Array, index: pa.Array) -> np.ndarray:
    """Position of each value in ``index`` (distinct), -1 where absent: one C++ hash join."""
    found = pc.fill_null(pc.index_in(values, value_set=index), -1)
    return found.to_numpy(zero_copy_only=False).astype(np.int64)


class _Pairs:
    """The ties of one map summed per ordered pair of positions, from the frames."""

    def __init__(self, people: pd.DataFrame, ties: pd.DataFrame | None, kinds: Iterable[str] | None):
        ids = people[s.ID].astype(str) if people is not None and len(people) else pd.Series([], dtype=object)
        if ids.duplicated().any():  # one node per id, as networkx: first position, last row's fields
            ids, people = ids.reset_index(drop=True), people.reset_index(drop=True)
            last_row = pd.Series(np.arange(len(ids))).groupby(ids.to_numpy()).last()
            people = people.iloc[last_row.loc[ids[~ids.duplicated()].to_numpy()].to_numpy()]
            ids = people[s.ID].astype(str)
        self.people = people if people is not None else pd.DataFrame({s.ID: []})
        self.listed = len(ids)
        self.src = self.dst = self.first = self.inverse = np.zeros(0, dtype=np.int64)
        self.weight = np.zeros(0)
        self.ties = np.zeros(0, dtype=np.int64)
        self.kind_text = np.zeros(0, dtype=object)
        if ties is None or not len(ties):
            return
        frame = ties
        kind_col = frame[s.KIND] if s.KIND in frame else pd.Series([None] * len(frame), index=frame.index)
        if kinds is not None:
            keep = kind_col.isin(set(kinds)).to_numpy()
            frame, kind_col = frame[keep], kind_col[keep]
        if not len(frame):
            return
        index = _text_array(ids)
        u, v = _text_array(frame[s.SOURCE]), _text_array(frame[s.TARGET])
        src, dst = _positions(u, index), _positions(v, index)
        loop = pc.fill_null(pc.equal(u, v), False).to_numpy(zero_copy_only=False)
        unknown = ((src < 0) | (dst < 0)) & ~loop
        if unknown.any():  # ties may name people not listed: they become people with only an id
            missing = pa.concat_arrays([u.filter(pa.array(unknown & (src < 0))),
                                        v.filter(pa.array(unknown & (dst < 0)))])
            extra = sorted(set(missing.to_pylist()))
            self.people = pd.concat([self.people, pd.DataFrame({s.ID: extra})], ignore_index=True)
            index = pa.concat_arrays([index, pa.array(extra, type=pa.string())])
            src, dst = _positions(u, index), _positions(v, index)
        weights = frame[s.WEIGHT].astype(float).fillna(1.0).to_numpy() if s.WEIGHT in frame else np.ones(len(src))
        keep = ~loop
        src, dst, weights = src[keep], dst[keep], weights[keep]
        kind_text = kind_col.astype(object).where(kind_col.notna(), "").to_numpy()[keep]
        if not len(src):
            return
        n = len(self.people)
        pair_key, first, inverse = np.unique(src * n + dst, return_index=True, return_inverse=True)
        self.src, self.dst, self.first = pair_key // n, pair_key % n, first
        self.weight = np.bincount(inverse, weights=weights, minlength=len(pair_key))
        self.ties = np.bincount(inverse, minlength=len(pair_key)).astype(np.int64)
        self.inverse, self.kind_text = inverse, kind_text

    def kinds_of_pairs(self) -> list[tuple[str, ...]]:
        """The sorted tuple of non-empty kinds of each pair, in pair order.

        Vectorised: every distinct kind is one bit, a pair's kinds are the
        sum of its distinct bits, and each distinct bit pattern becomes a
        tuple once (a Python function per pair took seconds on a million ties).
        """
        if not len(self.src):
            return []
        labels, uniques = pd.factorize(self.kind_text, sort=True)
        names = [str(k) for k in uniques]
        if len(names) > 62:  # too many kinds for a bit mask: the plain way
            per_pair: list[set] = [set() for _ in range(len(self.src))]
            for pair, kind in zip(self.inverse.tolist(), self.kind_text.tolist()):
                if kind:
                    per_pair[pair].add(kind)
            return [tuple(sorted(k)) for k in per_pair]
        codes = np.sort(self.inverse.astype(np.int64) * 64 + labels)
        distinct = codes[np.r_[True, codes[1:] != codes[:-1]]]
        masks = np.zeros(len(self.src), dtype=np.int64)
        np.add.at(masks, distinct // 64, np.left_shift(np.int64(1), distinct % 64))
        as_tuple = {
            int(m): tuple(name for b, name in enumerate(names) if m >> b & 1 and name)
            for m in pd.unique(masks)
        }
        return [as_tuple[m] for m in masks.tolist()]


def arrays_from_frames(people: pd.DataFrame, ties: pd.DataFrame, *, kinds: Iterable[str] | None = None,
                       name: str | None = None) -> MapArrays:
    """The arrays of a map from its people and ties frames (what :func:`build_graph` reads).

    The same people, pairs, summed weights and tie counts as the edges of
    ``build_graph(people, ties, kinds=kinds)``, vectorised (no networkx):
    a tie naming someone who is not listed adds a person with only an id.

    Examples
    --------
    >>> people = pd.DataFrame({"id": ["a", "b"], "name": ["Ann", "Bo"]})
    >>> ties = pd.DataFrame({"source": ["b", "a", "a"], "target": ["a", "b", "b"],
    ...                      "weight": [1.0, 1.0, 2.0], "kind": ["advice", "advice", "friendship"]})
    >>> arrays = arrays_from_frames(people, ties)
    >>> arrays.ids, arrays.src.tolist(), arrays.dst.tolist(), arrays.weight.tolist(), arrays.ties.tolist()
    (['a', 'b'], [0, 1], [1, 0], [3.0, 1.0], [2, 1])
    """
    pairs = _Pairs(people, ties, kinds)
    return MapArrays(pairs.people, pairs.src, pairs.dst, pairs.weight, pairs.ties, name=name or "")


def build_graph(
    people: pd.DataFrame,
    ties: pd.DataFrame,
    *,
    kinds: Iterable[str] | None = None,
    name: str | None = None,
) -> nx.DiGraph:
    """Build the influence graph of one map.

    Parameters
    ----------
    people : DataFrame
        One row per stakeholder, with at least ``id`` and ``name``.
    ties : DataFrame
        ``source``, ``target`` and optionally ``weight`` (default 1) and ``kind``.
    kinds : iterable of str, optional
        Keep only ties of these kinds; ``None`` keeps every tie.
    name : str, optional
        The map's name, stored as ``G.graph["name"]``.

    Returns
    -------
    networkx.DiGraph
        Every person is a node, isolates included, in the frame's order
        (then anyone only a tie names, by id); edges in the order their
        first tie appears.
    """
    G = nx.DiGraph(name=name or "")
    pairs = _Pairs(people, ties, kinds)
    arrays = MapArrays(pairs.people, pairs.src, pairs.dst, pairs.weight, pairs.ties)
    names = np.asarray(arrays.ids, dtype=object)
    collecting = gc.isenabled()
    gc.disable()  # a million new dicts would trigger dozens of full collections, for nothing
    try:
        _add_nodes(G, arrays, pairs.listed)
        if arrays.m:
            _add_edges(G, names, pairs, pairs.kinds_of_pairs())
    finally:
        if collecting:
            gc.enable()
    nx._clear_cache(G)
    return G


def _add_nodes(G: nx.DiGraph, arrays: MapArrays, listed: int) -> None:
    """Every person as a node, straight into networkx's dicts (ids are distinct; the graph is new).

    The first ``listed`` people carry their fields (column by column: a
    pandas lookup per cell took seconds at 100k people); the others, whom
    only a tie names, are bare nodes.
    """
    columns = [arrays.column(c) for c in PERSON_FIELDS] if listed else []
    extras = (arrays.people[s.ATTRIBUTES].tolist() if s.ATTRIBUTES in arrays.people
              else [None] * arrays.n)
    node, succ, pred = G._node, G._succ, G._pred
    for i, pid in enumerate(arrays.ids):
        if i < listed:
            data = {c: column[i] for c, column in zip(PERSON_FIELDS, columns)}
            data[s.ATTRIBUTES] = dict(extras[i]) if isinstance(extras[i], dict) else {}
        else:
            data = {}
        node[pid], succ[pid], pred[pid] = data, {}, {}


def _add_edges(G: nx.DiGraph, names: np.ndarray, pairs: _Pairs, kinds: list[tuple[str, ...]]) -> None:
    """Add the pairs as edges, straight into the adjacency dicts, one person at a time.

    ``DiGraph.add_edges_from`` checks and copies per edge and took 5 of the 8
    seconds of a million-tie map; here every pair is new and both ends are
    nodes, so each edge is one shared attribute dict stored under
    ``succ[u][v]`` and ``pred[v][u]``, as networkx itself stores it, and
    each person's successors (predecessors) are filled in one C-level
    ``dict.update``, in the order their first tie appears in the frame.
    """
    data = [{"weight": w, "ties": n, "kinds": k}
            for w, n, k in zip(pairs.weight.tolist(), pairs.ties.tolist(), kinds)]
    for adjacency, own, other in ((G._succ, pairs.src, pairs.dst), (G._pred, pairs.dst, pairs.src)):
        order = np.lexsort((pairs.first, own))
        owners = own[order]
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        ends = np.r_[starts[1:], len(owners)]
        others = names[other[order]].tolist()
        values = [data[j] for j in order.tolist()]
        for a, b, person in zip(starts.tolist(), ends.tolist(), names[owners[starts]].tolist()):
            adjacency[person].update(zip(others[a:b], values[a:b]))


# ------------------------------------------------------------------ queries

_text = s.cell_text


def filter_graph(
    G: nx.DiGraph,
    *,
    departments: Iterable[str] | None = None,
    stances: Iterable[str] | None = None,
    min_weight: float = 0.0,
    focus: str | None = None,
    hops: int = 1,
) -> nx.DiGraph:
    """The part of the map to draw (a read-only view of ``G``).

    Parameters
    ----------
    G : networkx.DiGraph
        The map's graph (ties already filtered by kind).
    departments : iterable of str, optional
        Keep people of these departments; None or empty keeps all. Ignored
        when ``focus`` is given (a neighbourhood crosses departments).
    stances : iterable of str, optional
        Keep people whose stance label (``resistant`` ... ``champion``,
        ``unknown``) is listed; None or empty keeps all.
    min_weight : float
        Drop ties lighter than this.
    focus : str, optional
        Show only people within ``hops`` ties of this person (either
        direction); the person is always kept.
    hops : int
        Radius of the focus view.

    Returns
    -------
    networkx.DiGraph
        A subgraph view; do not modify it.

    Raises
    ------
    UnknownStakeholder
        If ``focus`` names nobody in ``G``.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b", {"weight": 1.0}), ("b", "c", {"weight": 3.0})])
    >>> nx.set_node_attributes(G, {"a": "IT", "b": "IT", "c": "HR"}, "department")
    >>> sorted(filter_graph(G, departments=["IT"]))
    ['a', 'b']
    >>> list(filter_graph(G, min_weight=2).edges())
    [('b', 'c')]
    >>> sorted(filter_graph(G, focus="a", hops=1))
    ['a', 'b']
    """
    weighted = (
        nx.subgraph_view(G, filter_edge=lambda u, v: G[u][v].get("weight", 1.0) >= min_weight)
        if min_weight and min_weight > 0 else G
    )
    keep: set
    if focus is not None:
        if focus not in G:
            raise UnknownStakeholder(f"No stakeholder with id {focus!r} in this map.")
        undirected = weighted.to_undirected(as_view=True)
        keep = set(nx.single_source_shortest_path_length(undirected, focus, cutoff=max(int(hops), 0)))
    else:
        wanted = set(departments or ())
        keep = {v for v, d in G.nodes(data=s.DEPARTMENT) if not wanted or (d or s.UNASSIGNED) in wanted}
    wanted_stances = set(stances or ())
    if wanted_stances:
        keep = {v for v in keep if s.stance_label(G.nodes[v].get(s.STANCE)) in wanted_stances or v == focus}
    if len(keep) == G.number_of_nodes():
        return weighted  # nothing left out: skip the (slower) node-filtered view
    return weighted.subgraph(keep)


def departments(G: nx.Graph) -> list[str]:
    """The departments of the people of ``G``, sorted.

    >>> G = nx.Graph(); G.add_nodes_from([("a", {"department": "IT"}), ("b", {})])
    >>> departments(G)
    ['IT', 'Unassigned']
    """
    return sorted({_text(d) or s.UNASSIGNED for _, d in G.nodes(data=s.DEPARTMENT)})


def max_weight(G: nx.Graph) -> float:
    """The heaviest tie's weight (1.0 for a graph without ties).

    >>> max_weight(nx.DiGraph([("a", "b", {"weight": 2.5})]))
    2.5
    """
    return float(max((w for _, _, w in G.edges(data="weight", default=1.0)), default=1.0))


def most_connected(G: nx.DiGraph, shown: nx.DiGraph, limit: int, *, keep: Iterable[str] = ()) -> nx.DiGraph:
    """At most ``limit`` people of ``shown``: the best connected (most ties in
    or out in the whole map ``G``), plus everyone in ``keep``.

    A browser draws a few thousand people at most, and nobody reads more: a
    department of 19,000 people is drawn as its 1,500 best-connected members
    (search or focus reaches anyone else). Ties broken by id, so the same
    filters always draw the same people.

    >>> G = nx.DiGraph([("hub", "a"), ("hub", "b"), ("a", "b"), ("c", "hub")])
    >>> sorted(most_connected(G, G, 2))
    ['a', 'hub']
    >>> sorted(most_connected(G, G, 2, keep=["c"]))
    ['a', 'c', 'hub']
    """
    if shown.number_of_nodes() <= limit:
        return shown
    ranked = sorted(shown, key=lambda v: (-G.degree(v), str(v)))
    chosen = set(ranked[:limit]) | {v for v in keep if v in shown}
    return shown.subgraph(chosen)
