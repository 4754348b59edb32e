"""Finding and naming people the way the pickers show them.

:func:`person_labels` gives "Name (department)" for every picker that lists
people; :func:`search_people` is the Map page's search box. Both read the map's
graph or its people frame (a big map is searched without building its graph).
Nothing here imports Streamlit.

Examples
--------
>>> import pandas as pd
>>> people = pd.DataFrame({"id": ["1", "2"], "name": ["Ann Lee", "Lee"], "department": ["IT", None]})
>>> person_labels(people)
{'1': 'Ann Lee (IT)', '2': 'Lee (Unassigned)'}
>>> search_people(people, "lee")
['2', '1']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd

from .. import schema as s

__all__ = ["person_labels", "search_people"]

_text = s.cell_text


def _people_rows(people: nx.Graph | pd.DataFrame) -> Iterable[tuple[str, Mapping]]:
    """(id, fields) of every person, from a map's graph or its people frame."""
    if isinstance(people, pd.DataFrame):
        columns = [c for c in (s.NAME, s.DEPARTMENT, s.ROLE, s.EMAIL) if c in people]
        ids = people[s.ID].astype(str).tolist() if s.ID in people else []
        values = [people[c].tolist() for c in columns]
        return ((v, dict(zip(columns, row))) for v, *row in zip(ids, *values))
    return ((str(v), d) for v, d in people.nodes(data=True))


def person_labels(people: nx.Graph | pd.DataFrame) -> dict[str, str]:
    """Id -> "Name (department)" for pickers, ordered by name (from the graph or the people frame).

    >>> G = nx.Graph(); G.add_node("2", name="Bo", department="IT"); G.add_node("1", name="Al")
    >>> person_labels(G)
    {'1': 'Al (Unassigned)', '2': 'Bo (IT)'}
    >>> person_labels(pd.DataFrame({"id": ["2", "1"], "name": ["Bo", "Al"], "department": ["IT", None]}))
    {'1': 'Al (Unassigned)', '2': 'Bo (IT)'}
    """
    items = sorted(
        ((_text(d.get(s.NAME)) or v, _text(d.get(s.DEPARTMENT)) or s.UNASSIGNED, v)
         for v, d in _people_rows(people)),
        key=lambda t: (t[0].casefold(), t[2]),
    )
    return {v: f"{name} ({dept})" for name, dept, v in items}


def search_people(people: nx.Graph | pd.DataFrame, text: str, *, limit: int = 50) -> list[str]:
    """Ids of people whose name, id, role or email contains ``text`` (any case).

    Searches the map's graph or its people frame. Exact name or id matches
    come first, then by name.

    >>> G = nx.Graph(); G.add_node("1", name="Ann Lee"); G.add_node("2", name="Lee")
    >>> search_people(G, "lee")
    ['2', '1']
    """
    needle = str(text or "").strip().casefold()
    if not needle:
        return []
    hits = []
    for v, d in _people_rows(people):
        name = _text(d.get(s.NAME))
        fields = (v, name, _text(d.get(s.ROLE)), _text(d.get(s.EMAIL)))
        if any(needle in f.casefold() for f in fields):
            exact = needle in (v.casefold(), name.casefold())
            hits.append((not exact, name.casefold(), v))
    return [v for _, _, v in sorted(hits)[:limit]]
