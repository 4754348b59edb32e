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

__all__ = ["build_graph", "PERSON_FIELDS"]

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
