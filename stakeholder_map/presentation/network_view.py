"""What the Map page draws: graph + scores -> plain data for vis-network, or an HTML file.

Nothing here imports Streamlit. The dashboard's network component
(``stakeholder_map/ui/components``) draws the dict returned by
:func:`people_view` or :func:`department_view` with vis-network; the same
dict becomes a standalone, offline HTML file with :func:`standalone_html`
(pyvis, every script and style inlined, no request leaves the file).

Every text that comes from a CSV is treated as text, never as markup:
tooltips (``title``) are plain text, which vis-network 9 puts on the page with
``innerText``; labels are drawn on a canvas; the standalone file is made so
that pyvis never switches to its ``innerHTML`` tooltip template.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_node("a", name="Ann <b>", department="IT", stance=1, attributes={})
>>> G.add_node("b", name="Bo", department="HR", stance=None, attributes={})
>>> G.add_edge("a", "b", weight=2.0, kinds=("advice",))
>>> view = people_view(G, positions={"a": (0, 0), "b": (50, 0)}, color_by="stance")
>>> [n["label"] for n in view["nodes"]], [e["from"] for e in view["edges"]]
(['Ann <b>', 'Bo'], ['a'])
>>> [item["label"] for item in view["legend"] if item["kind"] == "colour"]
['supporter', 'unknown']
>>> page = standalone_html(view)
>>> '"Ann \\\\u003cb\\\\u003e"' in page, "cdn.jsdelivr" in page
(True, False)
"""


from __future__ import annotations

import json
import math
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd

from .. import schema as s
from ..errors import UnknownStakeholder
from ..graph import max_weight
from .layout import department_centres
from .overview import STANCE_COLUMNS, DepartmentFigures, DepartmentOverview
from .map_export import standalone_html
from .styles import (
    EXPOSURE, MATCH_COLOUR, OTHER_COLOUR, SELECTED_COLOUR, STANCE_COLOURS, UNIFORM, category_colours,
    colours_of_counts, department_exposure_level, exposure_categories, is_number, legend_items, legend_of_counts,
    measure_help, measure_label, metrics_by_id, node_categories, scaled_sizes, size_values,
)

__all__ = [
    "LARGE_MAP",
    "MAX_DRAWN",
    "TOP_LABELLED",
    "key_people",
    "tie_counts",
    "people_view",
    "department_view",
    "standalone_html",
    "person_details",
]

#: Maps with more people than this open on the department overview.
LARGE_MAP = 400
#: The people view draws at most this many people (the best connected, see :func:`~stakeholder_map.graph.most_connected`).
MAX_DRAWN = 1500


#: Department overview: centres of the people view's discs, scaled by this.
_OVERVIEW_SCALE = 0.2
_CHAMPION_SHAPE, _BLOCKER_SHAPE, _PERSON_SHAPE = "star", "diamond", "dot"
#: How many of the best-reaching people (PageRank) have their names written on the map by default.
TOP_LABELLED = 10
#: A label drawn by vis-network only when its text would be this many pixels high (zoomed in); the key
#: people's names are drawn by the browser's ``smDrawPinnedLabels`` instead, at any zoom.
_LABEL_THRESHOLD, _PINNED_THRESHOLD = 9, 10_000

_BASE_OPTIONS: dict = {
    "autoResize": True,
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False, "randomSeed": 0},
    "interaction": {
        "hover": True,
        "tooltipDelay": 120,
        "multiselect": False,
        "navigationButtons": False,
        "keyboard": False,
    },
    "nodes": {
        "shape": _PERSON_SHAPE,
        "borderWidth": 1,
        "font": {"size": 13, "face": "sans-serif", "color": "#222222"},
        # Names appear once zoomed in far enough to read them.
        "scaling": {"label": {"enabled": False, "drawThreshold": _LABEL_THRESHOLD}},
    },
    "edges": {
        "smooth": False,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
        "color": {"color": "#8d949b", "highlight": "#222222", "hover": "#444444", "opacity": 0.5},
        "selectionWidth": 1.5,
    },
}


_text = s.cell_text


# -------------------------------------------------------------------------- views


def _person_title(v: str, d: Mapping, size_by: str, size_value: object, seeds: tuple | None = None) -> str:
    lines = [_text(d.get(s.NAME)) or str(v)]
    role = _text(d.get(s.ROLE))
    lines.append(" · ".join(x for x in (role, _text(d.get(s.DEPARTMENT))) if x))
    lines.append(f"Stance: {s.stance_label(d.get(s.STANCE))}")
    if seeds is not None:
        count, last = seeds
        lines.append(f"Seeds planted: {count}" + (f", last on {last.isoformat()}" if count and last else "")
                     if count else "Seeds planted: none yet")
    if size_by != UNIFORM and is_number(size_value):
        value = float(size_value)
        shown = f"{value:.4f}" if abs(value) < 10 and value != int(value) else f"{value:g}"
        lines.append(f"{measure_label(size_by)}: {shown}")
    return "\n".join(line for line in lines if line)


def _edge_title(G: nx.Graph, u: str, v: str, d: Mapping) -> str:
    name_u = _text(G.nodes[u].get(s.NAME)) or str(u)
    name_v = _text(G.nodes[v].get(s.NAME)) or str(v)
    kinds = ", ".join(str(k) for k in d.get("kinds", ()) if k)
    weight = float(d.get("weight", 1.0))
    return f"{name_u} → {name_v}\nweight {weight:g}" + (f" ({kinds})" if kinds else "")


def _options(n_nodes: int, n_edges: int) -> dict:
    options = json.loads(json.dumps(_BASE_OPTIONS))
    big = n_nodes > 600 or n_edges > 4000
    options["interaction"]["hideEdgesOnDrag"] = big
    options["interaction"]["hideEdgesOnZoom"] = big
    return options


def people_view(
    G: nx.DiGraph,
    shown: nx.DiGraph | None = None,
    *,
    positions: Mapping[str, tuple[float, float]],
    color_by: str = "department",
    size_by: str = UNIFORM,
    metrics: pd.DataFrame | None = None,
    champions: Iterable[str] = (),
    blockers: Iterable[str] = (),
    selected: str | None = None,
    highlight: Iterable[str] = (),
    height: int = 640,
    top_weight: float | None = None,
    exposure: pd.DataFrame | None = None,
    pinned: Iterable[str] | None = None,
) -> dict:
    """The people-level drawing of a map, as plain data for vis-network.

    Parameters
    ----------
    G : networkx.DiGraph
        The whole map: colours and sizes are scaled on it, so filtering does
        not change anyone's colour or size.
    shown : networkx.DiGraph, optional
        The part to draw (e.g. from :func:`~stakeholder_map.graph.filter_graph`); default ``G``.
    positions : mapping
        Node -> (x, y) from :func:`stakeholder_map.presentation.layout.department_layout`.
    color_by : str
        A built-in colouring or a custom column (see :func:`~stakeholder_map.presentation.styles.colour_options`).
    size_by : str
        A metric column of ``metrics``, ``influence``, ``seniority`` or
        ``uniform``.
    metrics : DataFrame, optional
        ``centrality.stakeholder_metrics`` of ``G``.
    champions, blockers : iterable of str
        Ids drawn as stars (champions) and diamonds (blockers).
    selected : str, optional
        The selected person's id.
    highlight : iterable of str
        Ids drawn with a thick dark border (search matches).
    height : int
        Height of the drawing in pixels.
    top_weight : float, optional
        The heaviest tie of ``G`` (tie widths are scaled on it), if the caller
        knows it: finding it walks every tie, a second on a million of them.
    exposure : DataFrame, optional
        ``Workspace.exposure`` (``id, exposures, last_exposed``): what the
        ``"exposure"`` colouring and its tooltips show (without it, everyone
        reads as never exposed).
    pinned : iterable of str, optional
        The people whose names are written at any zoom; default :func:`key_people` (champions, blockers,
        the widest reaching, the selected person and the search matches).

    Returns
    -------
    dict
        ``view`` ("people"), ``nodes`` and ``edges`` (vis-network items),
        ``legend`` (list of dicts), ``options`` (vis-network options),
        ``height``, ``selected`` and ``key`` (changes when the set of people
        drawn changes, telling the browser to re-fit the view).
    """
    shown = G if shown is None else shown
    seeds: dict = {}
    if color_by == EXPOSURE:
        categories = exposure_categories(G, exposure)
        if exposure is not None and len(exposure):
            seeds = {str(i): (int(n), last) for i, n, last in
                     zip(exposure[s.ID], exposure["exposures"], exposure["last_exposed"])}
    else:
        categories = node_categories(G, color_by, metrics)
    colours = category_colours(categories, color_by)
    values = size_values(G, size_by, metrics)
    sizes = scaled_sizes(values, G) if values else {}
    champions, blockers, highlight = set(champions), set(blockers), set(highlight)
    selected = str(selected) if selected is not None and selected in shown else None
    if pinned is None:
        pinned = key_people(G, metrics, champions=champions, blockers=blockers,
                            also=[*highlight, *([selected] if selected else [])])
    pinned = [v for v in pinned if v in shown]
    pinned_set = set(pinned)
    nodes = []
    for v, d in shown.nodes(data=True):
        x, y = positions.get(v, (0.0, 0.0))
        colour = colours.get(categories.get(v), OTHER_COLOUR)
        node = {
            "id": str(v),
            "label": _text(d.get(s.NAME)) or str(v),
            "title": _person_title(v, d, size_by, values.get(v),
                                   seeds.get(str(v), (0, None)) if color_by == EXPOSURE else None),
            "x": float(x),
            "y": float(y),
            "size": sizes.get(v, 12.0),
            # Every look-related field is always given: the browser updates
            # nodes in place, and a field left out would keep its old value.
            "color": colour,
            "shape": _CHAMPION_SHAPE if v in champions else _BLOCKER_SHAPE if v in blockers else _PERSON_SHAPE,
            "borderWidth": 1,
            "borderWidthSelected": 2,
            "scaling": {"label": {"enabled": False,
                                  "drawThreshold": _PINNED_THRESHOLD if v in pinned_set else _LABEL_THRESHOLD}},
        }
        ring = SELECTED_COLOUR if v == selected else MATCH_COLOUR if v in highlight else None
        if ring is not None:
            node["borderWidth"] = 5 if v == selected else 4
            node["borderWidthSelected"] = node["borderWidth"]
            node["color"] = {"background": colour, "border": ring,
                             "highlight": {"background": colour, "border": ring}}
        nodes.append(node)
    top_weight = (top_weight if top_weight is not None else max_weight(G)) or 1.0
    edges = [
        {
            "id": f"{u}\u2192{v}",
            "from": str(u),
            "to": str(v),
            "width": round(0.6 + 4.4 * float(d.get("weight", 1.0)) / top_weight, 2),
            "title": _edge_title(G, u, v, d),
        }
        for u, v, d in shown.edges(data=True)
    ]
    legend = legend_items(colours, {v: categories[v] for v in shown}) if len(shown) else []
    if color_by == EXPOSURE:
        legend = [dict(item, label=f"seeds planted: {item['label']}") for item in legend]
    if champions & set(shown):
        legend.append({"kind": "shape", "label": "champion (suggested)", "shape": _CHAMPION_SHAPE})
    if blockers & set(shown):
        legend.append({"kind": "shape", "label": "blocker", "shape": _BLOCKER_SHAPE})
    if selected is not None:
        name = _text(shown.nodes[selected].get(s.NAME)) or selected
        legend.append({"kind": "selected", "label": f"selected: {name}", "colour": SELECTED_COLOUR})
    if highlight & (set(shown) - {selected}):
        legend.append({"kind": "selected", "label": "search match", "colour": MATCH_COLOUR})
    ids = sorted(str(v) for v in shown)
    return {
        "view": "people",
        "key": f"people:{len(ids)}:{zlib.crc32(chr(31).join(ids).encode()):08x}",
        "nodes": nodes,
        "edges": edges,
        "legend": legend,
        "options": _options(len(nodes), len(edges)),
        "height": int(height),
        "selected": selected,
        "pinned": [str(v) for v in pinned],
        "colour_by": color_by,
        "size_by": size_by,
    }


def key_people(G: nx.DiGraph, metrics: pd.DataFrame | None = None, *, champions: Iterable[str] = (),
               blockers: Iterable[str] = (), also: Iterable[str] = (), top: int = TOP_LABELLED) -> list[str]:
    """Whose names the map writes by default: champions, blockers, the ``top`` best-reaching people, ``also``.

    The best-reaching are those of highest PageRank in ``metrics`` (none
    without metrics). Everyone else's name is in their tooltip, and on the map
    once zoomed in. Ids not in ``G`` are left out; each id once, in that order.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b"), ("c", "b")])
    >>> metrics = pd.DataFrame({"id": ["a", "b", "c"], "pagerank": [0.2, 0.5, 0.3]})
    >>> key_people(G, metrics, champions=["c"], top=1)
    ['c', 'b']
    >>> key_people(G, None, blockers=["a", "zz"])
    ['a']
    """
    index = metrics_by_id(metrics)
    best: list[str] = []
    if index is not None and "pagerank" in index.columns and top > 0:
        ranks = pd.to_numeric(index["pagerank"], errors="coerce").dropna()
        best = [str(v) for v in ranks.sort_values(ascending=False, kind="stable").index[:top]]
    out: dict[str, None] = {}
    for v in (*champions, *blockers, *best, *also):
        if v in G:
            out.setdefault(str(v), None)
    return list(out)


def tie_counts(shown: nx.DiGraph) -> tuple[int, int]:
    """(pairs of people, ties) drawn: a pair sums the ties of every kind from one person to another.

    The Data page counts ties (rows of the influences file); the map draws one
    arrow per pair, so both are said wherever the map counts them.

    >>> G = nx.DiGraph([("a", "b", {"ties": 2}), ("b", "a", {"ties": 1}), ("b", "c", {})])
    >>> tie_counts(G)
    (3, 4)
    """
    return shown.number_of_edges(), sum(int(d.get("ties", 1)) for _, _, d in shown.edges(data=True))


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _mean_stance_of_mix(mix: Mapping[str, int]) -> str:
    """The label of the rounded mean known stance of a department's stance counts."""
    known = sum(mix.get(label, 0) for label in s.STANCES)
    if not known:
        return "unknown"
    total = sum(value * mix.get(label, 0) for label, value in s.STANCES.items())
    return s.stance_label(int(round(total / known)))


def department_view(
    G: nx.DiGraph | DepartmentFigures,
    shown: nx.DiGraph | None = None,
    *,
    color_by: str = "department",
    selected: str | None = None,
    height: int = 640,
    exposure: pd.DataFrame | None = None,
) -> dict:
    """The department-level drawing: one node per department, sized by head count.

    A tie from department A to department B sums the weights of every tie
    from someone in A to someone in B; ties inside a department are counted in
    its tooltip. With ``color_by="stance"`` a department takes the colour of its
    mean known stance; otherwise departments keep the colours they have in the
    people view.

    Parameters
    ----------
    G : networkx.DiGraph or DepartmentFigures
        The whole map (places, colours and the size scale come from it), or
        figures already counted by :meth:`DepartmentOverview.figures` (how a
        big map is drawn without its graph; ``shown`` is then ignored).
    shown : networkx.DiGraph, optional
        The people and ties to count (e.g. :func:`~stakeholder_map.graph.filter_graph` by stance or
        weight); departments with nobody shown are left out. Default ``G``.
    color_by : str
        ``"stance"`` for the mean stance, anything else for department colours.
    selected : str, optional
        A department to mark as selected.
    height : int
        Height of the drawing in pixels.
    exposure : DataFrame, optional
        ``Workspace.exposure`` (``department, exposures``): with
        ``color_by="exposure"`` each department is coloured by the share of
        its people exposed to a seed (nobody, under half, half or more).

    Returns
    -------
    dict
        Same shape as :func:`people_view`, with ``view`` = "departments",
        department names as node ids and ``people`` (shown head count) on
        each node.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b", {"weight": 2.0}), ("b", "c", {"weight": 1.0})])
    >>> nx.set_node_attributes(G, {"a": "IT", "b": "IT", "c": "HR"}, "department")
    >>> view = department_view(G)
    >>> [(n["id"], n["people"]) for n in view["nodes"]], [(e["from"], e["to"]) for e in view["edges"]]
    ([('HR', 1), ('IT', 2)], [('IT', 'HR')])
    >>> [n["label"] for n in department_view(G, G.subgraph(["a", "c"]))["nodes"]]
    ['HR (1)', 'IT (1 of 2)']
    """
    figures = G if isinstance(G, DepartmentFigures) else _figures_of_graph(G, G if shown is None else shown)
    sizes = figures.sizes
    centres = department_centres(sizes)
    shown_people = dict(zip(figures.people["department"], figures.people["shown"].astype(int)))
    mixes = {row["department"]: {label: int(row[label]) for label in STANCE_COLUMNS}
             for row in figures.people.to_dict("records")}
    cross: dict[tuple[str, str], tuple[int, float]] = {}
    inside: dict[str, tuple[int, float]] = {}
    for a, b, n, w in figures.ties.itertuples(index=False):
        if a == b:
            inside[a] = (int(n), float(w))
        else:
            cross[(a, b)] = (int(n), float(w))
    colours = colours_of_counts(sizes, "department")
    categories = {dept: dept for dept in shown_people}
    legend = legend_of_counts(colours, shown_people)
    if color_by == "stance":
        categories = {dept: _mean_stance_of_mix(mixes[dept]) for dept in shown_people}
        colours = category_colours(categories, "stance")
        legend = [dict(item, label=f"mean stance: {item['label']}") for item in legend_items(colours, categories)]
    exposed: dict[str, int] = {}
    if color_by == EXPOSURE:
        if exposure is not None and len(exposure):
            exposed = (exposure.assign(_seen=exposure["exposures"] > 0).groupby(s.DEPARTMENT)["_seen"].sum()
                       .astype(int).to_dict())
        categories = {dept: department_exposure_level(exposed.get(dept, 0), sizes[dept]) for dept in shown_people}
        colours = category_colours(categories, EXPOSURE)
        legend = legend_items(colours, categories)
    top = max(sizes.values(), default=1)
    nodes = []
    for dept in sorted(shown_people):
        n_shown = shown_people[dept]
        mix = ", ".join(f"{mixes[dept][label]} {label}" for label in STANCE_COLOURS if mixes[dept].get(label))
        n_in, w_in = inside.get(dept, (0, 0.0))
        count = f"{n_shown}" if n_shown == sizes[dept] else f"{n_shown} of {sizes[dept]}"
        # The people view's disc centres, pulled together: a department node
        # is much smaller than the disc of its people.
        x, y = (round(c * _OVERVIEW_SCALE, 1) for c in centres[dept])
        nodes.append({
            "id": dept,
            "label": f"{dept} ({count})",
            "title": f"{dept}\n{_count(n_shown, 'person', 'people')} shown\n{mix}\n"
                     f"{_count(n_in, 'tie')} inside (weight {w_in:g})"
                     + (f"\nSeeds planted: {exposed.get(dept, 0)} of {sizes[dept]} exposed"
                        if color_by == EXPOSURE else "")
                     + "\nClick to open this department.",
            "x": x,
            "y": y,
            "size": round(14 + 46 * math.sqrt(sizes[dept] / top), 2),
            "color": colours.get(categories[dept], OTHER_COLOUR),
            "people": n_shown,
            "font": {"size": 16},
        })
    top_weight = max((w for _, w in cross.values()), default=1.0) or 1.0
    edges = [
        {
            "id": f"{a}\u2192{b}",
            "from": a,
            "to": b,
            "width": round(0.8 + 11.2 * w / top_weight, 2),
            "title": f"{a} → {b}\n{_count(n, 'tie')}, weight {w:g}",
        }
        for (a, b), (n, w) in sorted(cross.items())
    ]
    options = _options(len(nodes), len(edges))
    options["edges"]["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.15}
    options["nodes"]["scaling"]["label"]["drawThreshold"] = 4
    ids = tuple(sorted(shown_people))
    return {
        "view": "departments",
        "key": f"departments:{len(ids)}:{zlib.crc32(chr(31).join(ids).encode()):08x}",
        "nodes": nodes,
        "edges": edges,
        "legend": legend,
        "options": options,
        "height": int(height),
        "selected": selected if selected in shown_people else None,
        "colour_by": color_by,
        "size_by": "people",
    }


def _figures_of_graph(G: nx.DiGraph, shown: nx.DiGraph) -> DepartmentFigures:
    """Department figures of the people and ties of ``shown``, head counts from ``G``."""
    figures = DepartmentOverview.from_graph(shown).figures()
    sizes = Counter(_text(d) or s.UNASSIGNED for _, d in G.nodes(data=s.DEPARTMENT))
    people = figures.people.assign(total=[sizes[d] for d in figures.people["department"]])
    return DepartmentFigures(people=people, ties=figures.ties, sizes=dict(sizes))


# --------------------------------------------------------------------- the panel


def person_details(
    G: nx.DiGraph,
    person: str,
    *,
    metrics: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    champions: Iterable[str] = (),
) -> dict:
    """Everything the selected-person panel shows, as plain frames.

    Parameters
    ----------
    G : networkx.DiGraph
        The map's graph.
    person : str
        The selected person's id.
    metrics : DataFrame, optional
        ``centrality.stakeholder_metrics`` of ``G``.
    history : DataFrame, optional
        ``Store.stance_history`` of the map (all people).
    champions : iterable of str
        Ids of the suggested champions.

    Returns
    -------
    dict
        ``name`` (str), ``attributes`` (DataFrame field/value), ``metrics``
        (DataFrame metric/value, empty without metrics), ``roles`` (list of
        str), ``history`` (DataFrame), ``moves`` (whom this person can move)
        and ``moved_by`` (who can move this person): DataFrames of id, name,
        department, stance, weight, kinds.

    Raises
    ------
    UnknownStakeholder
        If ``person`` is not in ``G``.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b", {"weight": 2.0, "kinds": ("advice",)})])
    >>> nx.set_node_attributes(G, {"a": "Ann", "b": "Bo"}, "name")
    >>> details = person_details(G, "a")
    >>> details["name"], details["moves"]["name"].tolist(), len(details["moved_by"])
    ('Ann', ['Bo'], 0)
    """
    if person not in G:
        raise UnknownStakeholder(f"No stakeholder with id {person!r} in this map.")
    d = G.nodes[person]
    fields = [
        ("id", str(person)),
        ("name", _text(d.get(s.NAME))),
        ("department", _text(d.get(s.DEPARTMENT))),
        ("role", _text(d.get(s.ROLE))),
        ("seniority", _text(d.get(s.SENIORITY))),
        ("stance", s.stance_label(d.get(s.STANCE))),
        ("influence", _text(d.get(s.INFLUENCE))),
        ("interest", _text(d.get(s.INTEREST))),
        ("email", _text(d.get(s.EMAIL))),
        ("notes", _text(d.get(s.NOTES))),
    ]
    attrs = d.get(s.ATTRIBUTES) or {}
    fields += [(str(k), _text(v)) for k, v in sorted(attrs.items(), key=lambda kv: str(kv[0]))]
    attributes = pd.DataFrame([f for f in fields if f[1] != ""], columns=["field", "value"])

    roles: list[str] = []
    metric_rows: list[tuple[str, str, str]] = []
    index = metrics_by_id(metrics)
    if index is not None and person in index.index:
        row = index.loc[person]
        for column in ("pagerank", "betweenness", "in_degree", "out_degree", "in_weight", "out_weight",
                       "constraint", "effective_size", "core", "community", "quadrant"):
            if column in index.columns and _text(row[column]) != "":
                value = row[column]
                if column == "community" and is_number(value):
                    shown = f"community {int(value) + 1}"
                elif is_number(value) and float(value) != int(float(value)):
                    shown = f"{float(value):.4f}"
                else:
                    shown = _text(value)
                metric_rows.append((measure_label(column), shown, measure_help(column)))
        if "roles" in index.columns and isinstance(row["roles"], (list, tuple)):
            roles += [str(r) for r in row["roles"]]
    if person in set(champions):
        roles.insert(0, "champion (suggested)")

    def ties(pairs) -> pd.DataFrame:
        rows = []
        for other, data in pairs:
            od = G.nodes[other]
            rows.append({
                "id": str(other),
                "name": _text(od.get(s.NAME)),
                "department": _text(od.get(s.DEPARTMENT)),
                "stance": s.stance_label(od.get(s.STANCE)),
                "weight": float(data.get("weight", 1.0)),
                "kinds": ", ".join(str(k) for k in data.get("kinds", ()) if k),
            })
        frame = pd.DataFrame(rows, columns=["id", "name", "department", "stance", "weight", "kinds"])
        return frame.sort_values(["weight", "name"], ascending=[False, True], ignore_index=True)

    if history is not None and len(history) and s.STAKEHOLDER_ID in history.columns:
        mine = history[history[s.STAKEHOLDER_ID].astype(str) == str(person)].copy()
        if "stance" in mine.columns:
            mine["stance"] = [s.stance_label(None if pd.isna(x) else int(x)) for x in mine["stance"]]
        mine = mine.drop(columns=[s.STAKEHOLDER_ID]).reset_index(drop=True)
    else:
        mine = pd.DataFrame(columns=["stance", "recorded_on", "source"])
    return {
        "id": str(person),
        "name": _text(d.get(s.NAME)) or str(person),
        "attributes": attributes,
        "metrics": pd.DataFrame(metric_rows, columns=["metric", "value", "meaning"]),
        "roles": roles,
        "history": mine,
        "moves": ties((v, G[person][v]) for v in G.successors(person)),
        "moved_by": ties((u, G[u][person]) for u in G.predecessors(person)),
    }
