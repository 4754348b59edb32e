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

import html
import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd

from . import schema as s
from .errors import UnknownStakeholder
from .layout import department_centres
from .overview import STANCE_COLUMNS, DepartmentFigures, DepartmentOverview

__all__ = [
    "LARGE_MAP",
    "STANCE_COLOURS",
    "PALETTE",
    "BUILTIN_COLOURINGS",
    "SIZE_METRICS",
    "colour_options",
    "size_options",
    "node_categories",
    "category_colours",
    "filter_graph",
    "search_people",
    "departments",
    "person_labels",
    "max_weight",
    "STANCE_FILTERS",
    "MAX_DRAWN",
    "most_connected",
    "people_view",
    "department_view",
    "standalone_html",
    "person_details",
    "markdown_text",
]

#: Maps with more people than this open on the department overview.
LARGE_MAP = 400
#: The people view draws at most this many people (the best connected, see :func:`most_connected`).
MAX_DRAWN = 1500

#: Stance label -> colour (red = resistant ... green = champion, grey = unknown).
STANCE_COLOURS: dict[str, str] = {
    "resistant": "#c0392b",
    "skeptic": "#e67e22",
    "neutral": "#a6acaf",
    "supporter": "#58d68d",
    "champion": "#1e8449",
    "unknown": "#d6dbdf",
}
#: Categorical colours (Tableau 20 order, dark shades first); the 20th group and
#: beyond share :data:`OTHER_COLOUR`.
PALETTE: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896",
    "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5",
)
#: Stance labels offered by the stance filter, in order.
STANCE_FILTERS: tuple[str, ...] = tuple(STANCE_COLOURS)
OTHER_COLOUR = "#cccccc"
OTHER = "other"
EMPTY = "(empty)"

#: Colourings that do not come from a custom column.
BUILTIN_COLOURINGS = ("department", "stance", "community", "quadrant", "role")
#: Metrics of ``centrality.stakeholder_metrics`` a node can be sized by, in menu order.
SIZE_METRICS = (
    "pagerank", "betweenness", "in_degree", "out_degree", "in_weight",
    "out_weight", "effective_size", "core",
)
_PERSON_SIZES = ("influence", "seniority")
UNIFORM = "uniform"

_MIN_SIZE, _MAX_SIZE = 6.0, 28.0
#: Department overview: centres of the people view's discs, scaled by this.
_OVERVIEW_SCALE = 0.2
_CHAMPION_SHAPE, _BLOCKER_SHAPE, _PERSON_SHAPE = "star", "diamond", "dot"
_MATCH_BORDER = "#111111"

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
        "scaling": {"label": {"enabled": False, "drawThreshold": 9}},
    },
    "edges": {
        "smooth": False,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
        "color": {"color": "#8d949b", "highlight": "#222222", "hover": "#444444", "opacity": 0.5},
        "selectionWidth": 1.5,
    },
}


# --------------------------------------------------------------------------- text


def markdown_text(text: object) -> str:
    """Escape text so that ``st.markdown`` shows it literally.

    ``<``, ``>`` and ``&`` become entities and every Markdown punctuation mark
    is backslash-escaped, so a name like ``**<img src=x>**`` is shown as typed.

    >>> markdown_text("*Ann* <b>")
    '\\\\*Ann\\\\* &lt;b&gt;'
    """
    value = html.escape("" if text is None else str(text), quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~:$])", r"\\\1", value)


_text = s.cell_text


# --------------------------------------------------------------------- categories


def _metrics_index(metrics: pd.DataFrame | None) -> pd.DataFrame | None:
    if metrics is None or not len(metrics):
        return None
    return metrics.set_index(s.ID, drop=False) if s.ID in metrics.columns else metrics


def custom_attributes(G: nx.Graph) -> list[str]:
    """Names of the custom columns found on the people of ``G``, sorted.

    >>> G = nx.Graph(); G.add_node("a", attributes={"site": "Oslo"})
    >>> custom_attributes(G)
    ['site']
    """
    names: set[str] = set()
    for _, attrs in G.nodes(data=s.ATTRIBUTES):
        if isinstance(attrs, dict):
            names.update(str(k) for k in attrs)
    return sorted(names)


def colour_options(G: nx.Graph, custom: Iterable[str] | None = None, *,
                   with_metrics: bool = False) -> list[str]:
    """What people can be coloured by: built-ins, then the map's custom columns.

    ``with_metrics`` adds the colourings that come from the network metrics
    (``community``, ``quadrant``).

    >>> G = nx.Graph(); G.add_node("a", attributes={"site": "Oslo"})
    >>> colour_options(G, with_metrics=True)
    ['department', 'stance', 'community', 'quadrant', 'role', 'site']
    """
    options = ["department", "stance"] + (["community", "quadrant"] if with_metrics else []) + ["role"]
    extra = list(custom) if custom is not None else custom_attributes(G)
    options += [c for c in extra if c not in options]
    return options


def size_options(*, with_metrics: bool = False) -> list[str]:
    """What people can be sized by: the metrics (if available), formal influence, seniority, uniform.

    >>> size_options()
    ['influence', 'seniority', 'uniform']
    """
    return (list(SIZE_METRICS) if with_metrics else []) + list(_PERSON_SIZES) + [UNIFORM]


def node_categories(G: nx.Graph, by: str, metrics: pd.DataFrame | None = None) -> dict:
    """Each person's category for colouring by ``by`` (a built-in or a custom column).

    >>> G = nx.Graph(); G.add_node("a", department="IT", stance=-2, attributes={"site": "Oslo"})
    >>> node_categories(G, "stance"), node_categories(G, "site"), node_categories(G, "x")
    ({'a': 'resistant'}, {'a': 'Oslo'}, {'a': '(empty)'})
    """
    if by == "stance":
        return {v: s.stance_label(d.get(s.STANCE)) for v, d in G.nodes(data=True)}
    if by in ("department", "role"):
        return {v: _text(d.get(by)) or (s.UNASSIGNED if by == "department" else EMPTY)
                for v, d in G.nodes(data=True)}
    if by in ("community", "quadrant"):
        index = _metrics_index(metrics)
        column = index[by].to_dict() if index is not None and by in index.columns else {}
        out = {}
        for v in G:
            value = column.get(v)
            text = _text(value)
            if by == "community" and text:
                text = f"community {int(value) + 1}" if isinstance(value, (int, float)) else text
            out[v] = text or EMPTY
        return out
    out = {}
    for v, attrs in G.nodes(data=s.ATTRIBUTES):
        value = attrs.get(by) if isinstance(attrs, dict) else None
        out[v] = _text(value).strip() or EMPTY
    return out


def category_colours(categories: Mapping, by: str) -> dict[str, str]:
    """Category -> colour, stable for a given set of categories.

    Stances get their fixed colours. Otherwise the most frequent categories get
    the palette's colours in order (ties by name) and the rest share ``other``.

    >>> category_colours({"a": "IT", "b": "IT", "c": "HR"}, "department")
    {'IT': '#1f77b4', 'HR': '#ff7f0e'}
    """
    return _colours_of_counts(Counter(categories.values()), by)


def _colours_of_counts(counts: Mapping[str, int], by: str) -> dict[str, str]:
    """:func:`category_colours` from the number of people per category."""
    if by == "stance":
        return {label: STANCE_COLOURS[label] for label in STANCE_COLOURS if counts.get(label)}
    ordered = sorted((c for c in counts if counts[c]), key=lambda c: (c == EMPTY, -counts[c], str(c)))
    colours: dict[str, str] = {}
    for i, category in enumerate(ordered):
        if category == EMPTY:
            colours[category] = "#e5e7e9"
        elif i < len(PALETTE):
            colours[category] = PALETTE[i]
        else:
            colours[category] = OTHER_COLOUR
    return colours


def _legend(colours: Mapping[str, str], categories: Mapping, limit: int = len(PALETTE)) -> list[dict]:
    return _legend_of_counts(colours, Counter(categories.values()))


def _legend_of_counts(colours: Mapping[str, str], counts: Mapping[str, int]) -> list[dict]:
    """Legend items of the categories drawn (``counts``: people drawn per category)."""
    items, others = [], 0
    for category, colour in colours.items():
        if not counts.get(category):
            continue  # nobody of this category is drawn
        if colour == OTHER_COLOUR:
            others += counts.get(category, 0)
            continue
        items.append({"kind": "colour", "label": str(category), "colour": colour,
                      "count": int(counts.get(category, 0))})
    if others:
        items.append({"kind": "colour", "label": OTHER, "colour": OTHER_COLOUR, "count": others})
    return items


def _size_values(G: nx.Graph, by: str, metrics: pd.DataFrame | None) -> dict:
    if by == UNIFORM:
        return {}
    if by in _PERSON_SIZES:
        return {v: d.get(by) for v, d in G.nodes(data=True)}
    index = _metrics_index(metrics)
    if index is not None and by in index.columns:
        return index[by].to_dict()
    if by in ("in_degree", "out_degree"):
        degree = G.in_degree() if by == "in_degree" else G.out_degree()
        return dict(degree)
    return {}


def _scaled_sizes(values: Mapping, nodes: Iterable) -> dict:
    """Node -> radius, between the minimum and maximum size, by sqrt(value / max)."""
    numbers = [float(x) for x in values.values() if _is_number(x)]
    top = max(numbers, default=0.0)
    low = min(numbers, default=0.0)
    out = {}
    for v in nodes:
        x = values.get(v)
        if not _is_number(x) or top <= 0:
            out[v] = 12.0
            continue
        shifted = (float(x) - min(low, 0.0)) / (top - min(low, 0.0))
        out[v] = round(_MIN_SIZE + (_MAX_SIZE - _MIN_SIZE) * math.sqrt(max(shifted, 0.0)), 2)
    return out


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(float(x))


# ------------------------------------------------------------------------ filters


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


def max_weight(G: nx.Graph) -> float:
    """The heaviest tie's weight (1.0 for a graph without ties).

    >>> max_weight(nx.DiGraph([("a", "b", {"weight": 2.5})]))
    2.5
    """
    return float(max((w for _, _, w in G.edges(data="weight", default=1.0)), default=1.0))


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


# -------------------------------------------------------------------------- views


def _person_title(v: str, d: Mapping, size_by: str, size_value: object) -> str:
    lines = [_text(d.get(s.NAME)) or str(v)]
    role = _text(d.get(s.ROLE))
    lines.append(" · ".join(x for x in (role, _text(d.get(s.DEPARTMENT))) if x))
    lines.append(f"Stance: {s.stance_label(d.get(s.STANCE))}")
    if size_by != UNIFORM and _is_number(size_value):
        value = float(size_value)
        shown = f"{value:.4f}" if abs(value) < 10 and value != int(value) else f"{value:g}"
        lines.append(f"{size_by}: {shown}")
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
) -> dict:
    """The people-level drawing of a map, as plain data for vis-network.

    Parameters
    ----------
    G : networkx.DiGraph
        The whole map: colours and sizes are scaled on it, so filtering does
        not change anyone's colour or size.
    shown : networkx.DiGraph, optional
        The part to draw (e.g. from :func:`filter_graph`); default ``G``.
    positions : mapping
        Node -> (x, y) from :func:`stakeholder_map.layout.department_layout`.
    color_by : str
        A built-in colouring or a custom column (see :func:`colour_options`).
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

    Returns
    -------
    dict
        ``view`` ("people"), ``nodes`` and ``edges`` (vis-network items),
        ``legend`` (list of dicts), ``options`` (vis-network options),
        ``height``, ``selected`` and ``key`` (changes when the set of people
        drawn changes, telling the browser to re-fit the view).
    """
    shown = G if shown is None else shown
    categories = node_categories(G, color_by, metrics)
    colours = category_colours(categories, color_by)
    size_values = _size_values(G, size_by, metrics)
    sizes = _scaled_sizes(size_values, G) if size_values else {}
    champions, blockers, highlight = set(champions), set(blockers), set(highlight)
    nodes = []
    for v, d in shown.nodes(data=True):
        x, y = positions.get(v, (0.0, 0.0))
        colour = colours.get(categories.get(v), OTHER_COLOUR)
        node = {
            "id": str(v),
            "label": _text(d.get(s.NAME)) or str(v),
            "title": _person_title(v, d, size_by, size_values.get(v)),
            "x": float(x),
            "y": float(y),
            "size": sizes.get(v, 12.0),
            # Every look-related field is always given: the browser updates
            # nodes in place, and a field left out would keep its old value.
            "color": colour,
            "shape": _CHAMPION_SHAPE if v in champions else _BLOCKER_SHAPE if v in blockers else _PERSON_SHAPE,
            "borderWidth": 1,
        }
        if v in highlight:
            node["borderWidth"] = 4
            node["color"] = {"background": colour, "border": _MATCH_BORDER}
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
    legend = _legend(colours, {v: categories[v] for v in shown}) if len(shown) else []
    if champions & set(shown):
        legend.append({"kind": "shape", "label": "champion (suggested)", "shape": _CHAMPION_SHAPE})
    if blockers & set(shown):
        legend.append({"kind": "shape", "label": "blocker", "shape": _BLOCKER_SHAPE})
    ids = sorted(str(v) for v in shown)
    return {
        "view": "people",
        "key": f"people:{len(ids)}:{zlib.crc32(chr(31).join(ids).encode()):08x}",
        "nodes": nodes,
        "edges": edges,
        "legend": legend,
        "options": _options(len(nodes), len(edges)),
        "height": int(height),
        "selected": str(selected) if selected is not None and selected in shown else None,
        "colour_by": color_by,
        "size_by": size_by,
    }


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
        The people and ties to count (e.g. :func:`filter_graph` by stance or
        weight); departments with nobody shown are left out. Default ``G``.
    color_by : str
        ``"stance"`` for the mean stance, anything else for department colours.
    selected : str, optional
        A department to mark as selected.
    height : int
        Height of the drawing in pixels.

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
    colours = _colours_of_counts(sizes, "department")
    categories = {dept: dept for dept in shown_people}
    legend = _legend_of_counts(colours, shown_people)
    if color_by == "stance":
        categories = {dept: _mean_stance_of_mix(mixes[dept]) for dept in shown_people}
        colours = category_colours(categories, "stance")
        legend = [dict(item, label=f"mean stance: {item['label']}") for item in _legend(colours, categories)]
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
                     "\nClick to open this department.",
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


# ----------------------------------------------------------------- standalone file

_EXTERNAL_TAG = re.compile(
    r"<(?:link|script)\b[^>]*\b(?:href|src)\s*=\s*[\"']?(?:https?:)?//[^>]*>(?:\s*</script>)?",
    re.IGNORECASE,
)


def standalone_html(view: Mapping, *, heading: str = "") -> str:
    """A self-contained HTML file of a view, for download: works offline, requests nothing.

    Built with pyvis (``cdn_resources="in_line"``: vis-network's script and
    style inlined). pyvis's template still links Bootstrap from a CDN; those
    tags are removed. Tooltips stay plain text: pyvis switches to an
    ``innerHTML`` tooltip when a node title contains ``href``, so that word is
    broken with an invisible word joiner in titles.

    Parameters
    ----------
    view : dict
        From :func:`people_view` or :func:`department_view`.
    heading : str
        Shown above the graph (escaped).

    Returns
    -------
    str
        The HTML document.
    """
    from pyvis.network import Network

    net = Network(height=f"{int(view.get('height', 640)) + 120}px", width="100%", directed=True,
                  cdn_resources="in_line", heading=html.escape(heading))
    nodes = []
    for node in view.get("nodes", ()):
        item = {k: v for k, v in node.items() if k not in ("people",)}
        item["title"] = _defuse(item.get("title", ""))
        item["label"] = str(item.get("label", ""))
        item.setdefault("shape", _PERSON_SHAPE)
        nodes.append(item)
    edges = []
    for edge in view.get("edges", ()):
        item = {k: v for k, v in edge.items() if k != "id"}
        item["title"] = _defuse(item.get("title", ""))
        edges.append(item)
    # pyvis's add_node/add_edge check membership in lists (quadratic); the
    # items are already complete vis-network dicts, so hand them over as is.
    net.nodes = nodes
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.edges = edges
    net.options = json.loads(json.dumps(view.get("options", _BASE_OPTIONS)))
    page = net.generate_html()
    page = _EXTERNAL_TAG.sub("", page)
    page = page.replace("//# sourceMappingURL=vis-network.min.js.map", "")
    legend = "".join(
        f'<span style="margin-right:14px;white-space:nowrap">'
        f'<span style="display:inline-block;width:11px;height:11px;border-radius:6px;'
        f'background:{html.escape(item.get("colour", "#999"))};margin-right:4px"></span>'
        f'{html.escape(str(item["label"]))}</span>'
        for item in view.get("legend", ()) if item.get("kind") == "colour"
    )
    if legend:
        page = page.replace("<body>", f'<body>\n<div style="font:13px sans-serif;margin:6px">{legend}</div>', 1)
    return page


def _defuse(title: object) -> str:
    text = _text(title)
    return re.sub("href", "hre\u2060f", text, flags=re.IGNORECASE)


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
    metric_rows: list[tuple[str, str]] = []
    index = _metrics_index(metrics)
    if index is not None and person in index.index:
        row = index.loc[person]
        for column in ("pagerank", "betweenness", "in_degree", "out_degree", "in_weight", "out_weight",
                       "constraint", "effective_size", "core", "community", "quadrant"):
            if column in index.columns and _text(row[column]) != "":
                value = row[column]
                if column == "community" and _is_number(value):
                    metric_rows.append((column, f"community {int(value) + 1}"))
                elif _is_number(value) and float(value) != int(float(value)):
                    metric_rows.append((column, f"{float(value):.4f}"))
                else:
                    metric_rows.append((column, _text(value)))
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
        "metrics": pd.DataFrame(metric_rows, columns=["metric", "value"]),
        "roles": roles,
        "history": mine,
        "moves": ties((v, G[person][v]) for v in G.successors(person)),
        "moved_by": ties((u, G[u][person]) for u in G.predecessors(person)),
    }
