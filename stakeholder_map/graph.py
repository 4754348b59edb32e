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

from collections.abc import Iterable

import networkx as nx
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
        columns = {c: people[c] if c in people else [None] * len(people) for c in PERSON_FIELDS}
        attrs = people[s.ATTRIBUTES] if s.ATTRIBUTES in people else [None] * len(people)
        for i, pid in enumerate(people[s.ID].astype(str)):
            data = {c: _plain(columns[c].iloc[i] if hasattr(columns[c], "iloc") else None)
                    for c in PERSON_FIELDS}
            if data[s.DEPARTMENT] in (None, ""):
                data[s.DEPARTMENT] = s.UNASSIGNED
            extra = attrs.iloc[i] if hasattr(attrs, "iloc") else None
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
    grouped = work.groupby(["u", "v"], sort=False).agg(
        weight=("w", "sum"), ties=("w", "size"), kinds=("k", lambda k: tuple(sorted({x for x in k if x})))
    )
    G.add_edges_from(
        (u, v, {"weight": float(w), "ties": int(n), "kinds": kk})
        for (u, v), w, n, kk in zip(grouped.index, grouped["weight"], grouped["ties"], grouped["kinds"])
    )
    return G
