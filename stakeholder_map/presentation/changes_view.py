"""What changed between two versions of a map, as people read it: labels, tables, JSON, and the drawing.

:func:`~stakeholder_map.tracking.changes.map_changes` returns ids and codes; this
module turns them into what the CLI prints and the Map page's "What changed"
view shows: a version's label, a one-line headline, display tables (names,
stance and seniority words), the JSON payload, and the map of the newer version
with the changes marked (:func:`changes_view`): people who joined ringed green,
people whose fields changed ringed amber, people who left drawn as grey ghosts
where they were, ties that appeared green, ties that went dashed red.

Nothing here imports Streamlit; every text from a file stays plain text (tables
and canvas labels), Markdown callers escape it with
:func:`~stakeholder_map.presentation.text.markdown_text`.

Examples
--------
>>> import pandas as pd
>>> from stakeholder_map.tracking.changes import compare_versions
>>> before = pd.DataFrame({"id": ["1", "2"], "name": ["Ann", "Bo"], "department": ["IT", "HR"],
...                        "stance": pd.array([-1, -2], dtype="Int64")})
>>> after = pd.DataFrame({"id": ["1", "3"], "name": ["Ann", "Cy"], "department": ["IT", "HR"],
...                       "stance": pd.array([0, 1], dtype="Int64")})
>>> none = pd.DataFrame(columns=["source", "target", "weight", "kind"])
>>> c = compare_versions("M", before, none, after, none, from_version=1, to_version=2,
...                      from_at=pd.Timestamp("2026-01-05 09:00"), to_at=pd.Timestamp("2026-02-05 10:30"))
>>> changes_headline(c)
'Version 2 (2026-02-05 10:30) against version 1 (2026-01-05 09:00): 1 joined, 1 left, 1 changed (1 stance move).'
>>> changes_tables(c)["changed"].values.tolist()
[['Ann', 'IT', 'stance', 'skeptic', 'neutral', 'moved up']]
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import pandas as pd

from .. import schema as s
from ..graph import most_connected
from ..tracking.changes import ATTRIBUTE_PREFIX, MapChanges
from .network_view import MAX_DRAWN, people_view

__all__ = ["JOINED_COLOUR", "CHANGED_COLOUR", "LEFT_COLOUR", "ADDED_TIE_COLOUR", "REMOVED_TIE_COLOUR",
           "version_label", "version_choices", "changes_headline", "changes_tables", "changes_payload",
           "field_label", "value_text", "count", "changes_view", "changed_pairs", "TABLE_TITLES"]

#: Ring of the people who joined.
JOINED_COLOUR = "#2b8a3e"
#: Ring of the people with a changed field.
CHANGED_COLOUR = "#e8590c"
#: Fill and border of the people who left (drawn as ghosts where they were).
LEFT_COLOUR, LEFT_BORDER = "#f1f3f5", "#9aa1a8"
#: Ties that appeared, ties that went (dashed), ties whose weight or kind changed.
ADDED_TIE_COLOUR, REMOVED_TIE_COLOUR, CHANGED_TIE_COLOUR = "#2b8a3e", "#c92a2a", "#e8590c"
_PLAIN_TIE = "#8d949b"
#: Opacity of the people and ties no change touches, the ring width and least size of the people marked,
#: and how many names of people marked are written at any zoom.
_FADED, _FADED_TIE, _RING, _MARKED_SIZE, _MAX_PINNED = 0.35, 0.18, 5, 18.0, 60
#: The tables of :func:`changes_tables`, in the order a page shows them, with their titles.
TABLE_TITLES = {"joined": "Joined", "left": "Left", "changed": "Changed", "ties_added": "Ties added",
                "ties_removed": "Ties removed"}
_SENIORITY_WORDS = {v: k for k, v in s.SENIORITY_WORDS.items()}
_FIELD_LABELS = {s.NAME: "name", s.DEPARTMENT: "department", s.ROLE: "role", s.SENIORITY: "seniority",
                 s.STANCE: "stance", s.INFLUENCE: "formal influence", s.INTEREST: "interest"}


def count(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun, singular or plural: ``count(1, "tie")`` → "1 tie", ``count(2, "person", "people")``."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _when(at: Any) -> str:
    return pd.Timestamp(at).strftime("%Y-%m-%d %H:%M") if at is not None else ""


def version_label(row: Mapping) -> str:
    """A version as a picker shows it: number, when, by whom, how many people and ties.

    >>> version_label({"version": 2, "imported_at": pd.Timestamp("2026-02-05 10:30"), "imported_by": "ed@x.org",
    ...                "people": 120, "ties": 1, "latest": True})
    'Version 2 · 2026-02-05 10:30 · by ed@x.org · 120 people, 1 tie (latest)'
    """
    by = s.cell_text(row.get("imported_by"))
    return (f"Version {int(row['version'])} · {_when(row['imported_at'])}" + (f" · by {by}" if by else "")
            + f" · {count(int(row['people']), 'person', 'people')}, {count(int(row['ties']), 'tie')}"
            + (" (latest)" if row.get("latest") else ""))


def version_choices(versions: pd.DataFrame) -> dict[int, str]:
    """Version number → :func:`version_label`, newest first (for a picker)."""
    rows = versions.to_dict("records")
    last = rows[-1]["version"] if rows else None
    return {int(r["version"]): version_label({**r, "latest": r["version"] == last}) for r in reversed(rows)}


def changes_headline(changes: MapChanges) -> str:
    """One line: which versions, and how many joined, left, changed, and ties came or went (plain text)."""
    to = f"Version {changes.to_version} ({_when(changes.to_at)})"
    against = (f"against version {changes.from_version} ({_when(changes.from_at)})"
               if changes.from_version is not None else "the first import (everyone joined)")
    if changes.from_version is not None and changes.is_empty():
        return f"{to} {against}: nothing changed."
    summary = changes.summary()
    parts = [f"{summary['joined']} joined", f"{summary['left']} left"]
    if changes.from_version is not None:
        moves = summary["stance_moves"]
        parts.append(f"{summary['changed_people']} changed"
                     + (f" ({count(moves, 'stance move')})" if moves else ""))
    ties = [f"{count(n, 'tie')} {verb}" for n, verb in ((summary["ties_added"], "added"),
                                                        (summary["ties_removed"], "removed")) if n]
    return f"{to} {against}: " + ", ".join(parts + ties) + "."


def field_label(field: str) -> str:
    """A changed field as people say it: ``influence`` → "formal influence", ``attribute:Site`` → "Site"."""
    if field.startswith(ATTRIBUTE_PREFIX):
        return field[len(ATTRIBUTE_PREFIX):]
    return _FIELD_LABELS.get(field, field)


def value_text(field: str, value: Any) -> str:
    """A before/after value as text: stance and seniority words, numbers, or "unknown" for none.

    >>> value_text("stance", -1), value_text("seniority", 4), value_text("influence", 3), value_text("role", None)
    ('skeptic', 'director (4)', '3', 'unknown')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "unknown"
    if field == s.STANCE:
        return s.stance_label(int(value))
    if field == s.SENIORITY:
        word = _SENIORITY_WORDS.get(int(value))
        return f"{word} ({int(value)})" if word else str(int(value))
    return str(value)


def _direction(field: str, before: Any, after: Any) -> str:
    if field not in (s.STANCE, s.SENIORITY, s.INFLUENCE, s.INTEREST):
        return ""
    if before is None or after is None:
        return "now known" if before is None else "now unknown"
    return "moved up" if after > before else "moved down"


def _people_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "name": frame[s.NAME].tolist(), "department": frame[s.DEPARTMENT].tolist(),
        "role": [s.cell_text(r) for r in frame[s.ROLE]],
        "seniority": [value_text(s.SENIORITY, v) if v is not pd.NA and v is not None else "" for v in frame[s.SENIORITY]],
        "stance": [value_text(s.STANCE, v) for v in frame[s.STANCE]],
        "formal influence": [value_text(s.INFLUENCE, v) if v is not pd.NA and v is not None else ""
                             for v in frame[s.INFLUENCE]],
        "id": frame[s.ID].tolist(),
    }, columns=["name", "department", "role", "seniority", "stance", "formal influence", "id"])


def _tie_table(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame({
        "from": [names.get(v, v) for v in frame[s.SOURCE]], "to": [names.get(v, v) for v in frame[s.TARGET]],
        "kind": [s.cell_text(k) for k in frame[s.KIND]], "weight": frame[s.WEIGHT].astype(float).tolist(),
    }, columns=["from", "to", "kind", "weight"])


def changes_tables(changes: MapChanges, names: Mapping[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """The changes as display tables (:data:`TABLE_TITLES` order): names and words instead of ids and codes.

    Parameters
    ----------
    changes : MapChanges
    names : mapping, optional
        Id → name for the ends of ties; by default the names of the people in the changes (the ends of a
        tie between two unchanged people then show as their ids).
    """
    known = {**{str(i): n for i, n in zip(changes.left[s.ID], changes.left[s.NAME])},
             **{str(i): n for i, n in zip(changes.changed[s.ID], changes.changed[s.NAME])},
             **{str(i): n for i, n in zip(changes.joined[s.ID], changes.joined[s.NAME])},
             **dict(names or {})}
    changed = changes.changed
    return {
        "joined": _people_table(changes.joined),
        "left": _people_table(changes.left),
        "changed": pd.DataFrame({
            "name": changed[s.NAME].tolist(), "department": changed[s.DEPARTMENT].tolist(),
            "what": [field_label(f) for f in changed["field"]],
            "before": [value_text(f, v) for f, v in zip(changed["field"], changed["before"])],
            "after": [value_text(f, v) for f, v in zip(changed["field"], changed["after"])],
            "direction": [_direction(f, b, a) for f, b, a in zip(changed["field"], changed["before"],
                                                                 changed["after"])],
        }, columns=["name", "department", "what", "before", "after", "direction"]),
        "ties_added": _tie_table(changes.ties_added, known),
        "ties_removed": _tie_table(changes.ties_removed, known),
    }


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", default_handler=str))


def changes_payload(changes: MapChanges) -> dict[str, Any]:
    """The changes as JSON-ready data: the versions compared, ``summary`` (the counts of
    :meth:`MapChanges.summary`), then every category's rows (ids and codes, as stored).

    Stance moves carry their words too (``before_label``, ``after_label``).
    """
    changed = changes.changed.copy()
    stance = changed["field"] == s.STANCE
    changed["before_label"] = [value_text(s.STANCE, v) if m else None for v, m in zip(changed["before"], stance)]
    changed["after_label"] = [value_text(s.STANCE, v) if m else None for v, m in zip(changed["after"], stance)]
    summary = changes.summary()
    head = {key: summary.pop(key) for key in ("map", "from_version", "to_version", "from_at", "to_at")}
    return {**head, "summary": summary, "joined": _records(changes.joined), "left": _records(changes.left),
            "changed": _records(changed), "ties_added": _records(changes.ties_added),
            "ties_removed": _records(changes.ties_removed)}


# ------------------------------------------------------------------ drawing

def changed_pairs(changes: MapChanges, before: nx.DiGraph, after: nx.DiGraph) -> dict[tuple[str, str], str]:
    """Each pair of people whose ties changed → ``"added"`` (no tie before), ``"removed"`` (none after) or
    ``"changed"`` (a tie came or went, or its weight or kind changed, and the pair is tied in both)."""
    out: dict[tuple[str, str], str] = {}
    for frame in (changes.ties_added, changes.ties_removed):
        for u, v in zip(frame[s.SOURCE].astype(str), frame[s.TARGET].astype(str)):
            if u == v:
                continue
            was, now = before.has_edge(u, v), after.has_edge(u, v)
            out[(u, v)] = "changed" if was and now else "added" if now else "removed"
    return out


def _union(before: nx.DiGraph, after: nx.DiGraph, left: Iterable[str], removed: Iterable[tuple[str, str]]):
    """The newer graph with the people who left and the ties that went put back (for drawing only)."""
    union = after.copy()
    for v in left:
        if v in before:
            union.add_node(v, **before.nodes[v])
    for u, v in removed:
        if u in union and v in union and before.has_edge(u, v):
            union.add_edge(u, v, **before.edges[u, v])
    return union


def _ring(node: dict, colour: str, width: int) -> None:
    fill = node["color"] if isinstance(node["color"], str) else node["color"].get("background")
    node["borderWidth"] = node["borderWidthSelected"] = width
    node["color"] = {"background": fill, "border": colour, "highlight": {"background": fill, "border": colour}}


def changes_view(before: nx.DiGraph, after: nx.DiGraph, changes: MapChanges, *,
                 positions_of: Any, height: int = 640) -> dict:
    """The map of the newer version with the changes marked, as a vis-network view (see ``people_view``).

    People are coloured by their stance in the newer version; those who joined get a green ring and
    "(new)" after their name, those with a changed field an amber ring (their tooltip lists what
    changed), those who left are drawn grey and dashed where they were with "(left)" after their name.
    Ties that appeared are green, ties that went are dashed red, pairs whose ties changed amber. The names
    of everyone involved are written at any zoom. A map of more than
    :data:`~stakeholder_map.presentation.network_view.MAX_DRAWN` people is drawn around the changes: the
    people involved first, then their best connected neighbours.

    Parameters
    ----------
    before, after : networkx.DiGraph
        The graphs of the older (empty when there is none) and the newer version.
    changes : MapChanges
        Their comparison.
    positions_of : callable
        ``(graph, shown) -> {id: (x, y)}``: where the people of ``shown`` (a part of ``graph``) are drawn
        (e.g. ``layout.department_layout`` of their departments).
    height : int
        Height of the drawing in pixels.
    """
    joined = [str(v) for v in changes.joined[s.ID]]
    left = [str(v) for v in changes.left[s.ID]]
    changed = changes.changed_ids()
    pairs = changed_pairs(changes, before, after)
    union = _union(before, after, left, [p for p, status in pairs.items() if status == "removed"])
    involved = list(dict.fromkeys([*joined, *changed, *left, *(v for pair in pairs for v in pair)]))
    involved = [v for v in involved if v in union]
    shown = union
    if union.number_of_nodes() > MAX_DRAWN:
        around = set(involved)
        for v in involved[:MAX_DRAWN]:
            around.update(union.successors(v))
            around.update(union.predecessors(v))
        shown = most_connected(union, union.subgraph(around), MAX_DRAWN, keep=involved[:MAX_DRAWN])
    # Names written at any zoom: the people who joined, left or changed (not every tie's ends: too many).
    pinned = [*joined, *changes.changed_ids(), *left][:_MAX_PINNED]
    view = people_view(union, shown, positions=positions_of(union, shown), color_by="stance", height=height,
                       pinned=pinned)
    what = {}
    for record in changes.changed.to_dict("records"):
        what.setdefault(str(record[s.ID]), []).append(
            f"{field_label(record['field'])}: {value_text(record['field'], record['before'])} → "
            f"{value_text(record['field'], record['after'])}")
    joined_set, left_set, marked = set(joined), set(left), {*joined, *left, *what}
    near = set(involved)
    for node in view["nodes"]:
        v = node["id"]
        node["shapeProperties"] = {"borderDashes": False}
        # The people a change touches stand out; everyone else steps back (their stance colour still reads).
        node["opacity"] = 1.0 if v in near else _FADED
        node["font"] = {"color": "#222222"}
        if v in marked:
            node["size"] = max(node["size"], _MARKED_SIZE)
        if v in joined_set:
            _ring(node, JOINED_COLOUR, _RING)
            node["label"] += " (new)"
            node["title"] += "\nJoined in this version"
        elif v in left_set:
            node["color"] = {"background": LEFT_COLOUR, "border": LEFT_BORDER,
                             "highlight": {"background": LEFT_COLOUR, "border": LEFT_BORDER}}
            node["borderWidth"] = node["borderWidthSelected"] = 3
            node["shapeProperties"] = {"borderDashes": [4, 3]}
            node["font"] = {"color": "#868e96"}
            node["label"] += " (left)"
            node["title"] += "\nLeft the map in this version (stance as it was)"
        elif v in what:
            _ring(node, CHANGED_COLOUR, _RING)
            node["title"] += "\nChanged: " + "; ".join(what[v])
    for edge in view["edges"]:
        status = pairs.get((edge["from"], edge["to"]))
        colour = {"added": ADDED_TIE_COLOUR, "removed": REMOVED_TIE_COLOUR,
                  "changed": CHANGED_TIE_COLOUR}.get(status, _PLAIN_TIE)
        edge["color"] = {"color": colour, "highlight": colour, "hover": colour,
                         "opacity": 0.9 if status else _FADED_TIE}
        edge["dashes"] = [6, 4] if status == "removed" else False
        if status:
            edge["width"] = max(edge["width"], 2.0)
            edge["title"] += {"added": "\nNew in this version", "removed": "\nGone in this version",
                              "changed": "\nChanged in this version"}[status]
    counts = {"joined": sum(v in shown for v in joined), "changed": sum(v in shown for v in what),
              "left": sum(v in shown for v in left)}
    # The stance counts are of the people in this version: the ghosts of those who left are not.
    ghosts = Counter(s.stance_label(union.nodes[v].get(s.STANCE)) for v in left if v in shown)
    legend = [{**item, "count": item["count"] - ghosts[item["label"]]} if "count" in item else item
              for item in view["legend"] if item["kind"] == "colour"]
    legend = [item for item in legend if item.get("count", 1) > 0]
    legend += [{"kind": "selected", "label": label, "colour": colour, "count": counts[key]}
               for key, label, colour in (("joined", "joined", JOINED_COLOUR), ("changed", "changed", CHANGED_COLOUR))
               if counts[key]]
    if counts["left"]:
        legend.append({"kind": "selected", "label": "left", "colour": LEFT_BORDER, "count": counts["left"]})
    statuses = set(pairs.values())
    legend += [{"kind": "line", "label": label, "colour": colour, "dashed": status == "removed"}
               for status, label, colour in (("added", "tie added", ADDED_TIE_COLOUR),
                                             ("removed", "tie removed", REMOVED_TIE_COLOUR),
                                             ("changed", "ties changed", CHANGED_TIE_COLOUR))
               if status in statuses]
    view["legend"] = legend
    view["key"] = f"changes:{changes.from_version}:{changes.to_version}:" + view["key"]
    view["colour_by"] = "stance"
    return view
