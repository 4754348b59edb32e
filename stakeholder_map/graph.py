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

import networkx as nx
import numpy as np
import pandas as pd

from . import schema as s
from .errors import UnknownStakeholder

__all__ = ["build_graph", "PERSON_FIELDS", "filter_graph", "departments", "max_weight", "most_connected"]

#: Person attributes copied onto every node (missing ones become None).
PERSON_FIELDS = (
    s.NAME, s.DEPARTMENT, s.ROLE, s.SENIORITY, s.STANCE,
    s.INFLUENCE, s.INTEREST, s.EMAIL, s.NOTES,
)


def _plain(value):
    """pandas missing values → None, numpy scalars → Python scalars."""
    if value is None or value is pd.NA:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value.item() if hasattr(value, "item") else value


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
        Every person is a node, isolates included.
    """
    G = nx.DiGraph(name=name or "")
    if people is not None and len(people):
        # Column by column (a pandas lookup per cell took seconds at 100k people).
        columns = {c: [_plain(x) for x in people[c].tolist()] if c in people else [None] * len(people)
                   for c in PERSON_FIELDS}
        attrs = people[s.ATTRIBUTES].tolist() if s.ATTRIBUTES in people else [None] * len(people)
        for i, pid in enumerate(people[s.ID].astype(str)):
            data = {c: columns[c][i] for c in PERSON_FIELDS}
            if data[s.DEPARTMENT] in (None, ""):
                data[s.DEPARTMENT] = s.UNASSIGNED
            extra = attrs[i]
            data[s.ATTRIBUTES] = dict(extra) if isinstance(extra, dict) else {}
            G.add_node(pid, **data)
    if ties is None or not len(ties):
        return G
    frame = ties
    kind_col = frame[s.KIND] if s.KIND in frame else pd.Series([None] * len(frame), index=frame.index)
    if kinds is not None:
        wanted = set(kinds)
        frame = frame[kind_col.isin(wanted)]
        kind_col = kind_col[frame.index]
    if not len(frame):
        return G
    weights = frame[s.WEIGHT].astype(float) if s.WEIGHT in frame else 1.0
    work = pd.DataFrame({
        "u": frame[s.SOURCE].astype(str).to_numpy(),
        "v": frame[s.TARGET].astype(str).to_numpy(),
        "w": pd.Series(weights, index=frame.index).fillna(1.0).to_numpy(),
        "k": kind_col.astype(object).where(kind_col.notna(), "").to_numpy(),
    })
    work = work[work.u != work.v]
    grouped = work.groupby(["u", "v"], sort=False).agg(weight=("w", "sum"), ties=("w", "size"))
    kinds_of_pair = _kinds_per_pair(work, grouped.index)
    sources = grouped.index.get_level_values(0).tolist()
    targets = grouped.index.get_level_values(1).tolist()
    G.add_nodes_from(set(sources).union(targets).difference(G))  # ties may name people not listed
    _add_edges(G, sources, targets, grouped["weight"].astype(float).tolist(),
               grouped["ties"].astype(int).tolist(), kinds_of_pair)
    return G


def _add_edges(G: nx.DiGraph, sources: list, targets: list, weights: list, ties: list, kinds: list) -> None:
    """Add distinct new edges between existing nodes, straight into the adjacency dicts.

    ``DiGraph.add_edges_from`` checks and copies per edge and took 5 of the 8
    seconds of a million-tie map; here every pair is known to be new and both
    ends to be nodes, so each edge is one shared attribute dict stored under
    ``succ[u][v]`` and ``pred[v][u]``, as networkx itself stores it. The
    cyclic garbage collector is paused meanwhile: the new dicts hold no cycles.
    """
    succ, pred = G._succ, G._pred
    collecting = gc.isenabled()
    gc.disable()  # a million new dicts would trigger dozens of full collections, for nothing
    try:
        for u, v, w, n, k in zip(sources, targets, weights, ties, kinds):
            succ[u][v] = pred[v][u] = {"weight": w, "ties": n, "kinds": k}
    finally:
        if collecting:
            gc.enable()
    nx._clear_cache(G)


def _kinds_per_pair(work: pd.DataFrame, pairs: pd.MultiIndex) -> list[tuple[str, ...]]:
    """The sorted tuple of non-empty kinds of each (u, v) pair, in ``pairs`` order.

    Vectorised: every distinct kind is one bit, a pair's kinds are the sum of
    its distinct bits, and each distinct bit pattern becomes a tuple once (a
    Python function per pair took seconds on a million ties).
    """
    labels, uniques = pd.factorize(work["k"], sort=True)
    if len(uniques) > 62:  # too many kinds for a bit mask: the plain way
        per_pair = work.groupby(["u", "v"], sort=False)["k"].agg(lambda k: tuple(sorted({x for x in k if x})))
        return list(per_pair.reindex(pairs))
    pair_code = pairs.get_indexer(pd.MultiIndex.from_arrays([work["u"], work["v"]]))
    bits = pd.DataFrame({"pair": pair_code, "bit": labels}).drop_duplicates()
    masks = np.zeros(len(pairs), dtype=np.int64)
    np.add.at(masks, bits["pair"].to_numpy(), np.left_shift(np.int64(1), bits["bit"].to_numpy(dtype=np.int64)))
    names = [str(k) for k in uniques]
    as_tuple = {
        int(m): tuple(name for b, name in enumerate(names) if m >> b & 1 and name)
        for m in np.unique(masks)
    }
    return [as_tuple[m] for m in masks.tolist()]


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
