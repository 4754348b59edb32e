"""How people are drawn: colour by category, size by a score, and the legend.

The Map and Simulate drawings (:mod:`~stakeholder_map.presentation.network_view`,
:mod:`~stakeholder_map.presentation.adoption_view`) and the charts
(:mod:`~stakeholder_map.presentation.charts`) take their colours from here, so a
department or a stance has one colour everywhere. Nothing here imports Streamlit.

Examples
--------
>>> import networkx as nx
>>> G = nx.Graph(); G.add_node("a", department="IT", stance=2); G.add_node("b", department="HR")
>>> category_colours(node_categories(G, "stance"), "stance")
{'champion': '#1e8449', 'unknown': '#d6dbdf'}
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd

from .. import schema as s
from .text import markdown_text

__all__ = [
    "STANCE_COLOURS",
    "EXPOSURE",
    "EXPOSURE_COLOURS",
    "DEPARTMENT_EXPOSURE_COLOURS",
    "PALETTE",
    "STANCE_FILTERS",
    "SELECTED_COLOUR",
    "MATCH_COLOUR",
    "OTHER_COLOUR",
    "OTHER",
    "EMPTY",
    "BUILTIN_COLOURINGS",
    "SIZE_METRICS",
    "PERSON_SIZES",
    "UNIFORM",
    "MEASURES",
    "measure_label",
    "measure_help",
    "measures_help",
    "metrics_by_id",
    "custom_attributes",
    "colour_options",
    "size_options",
    "node_categories",
    "exposure_level",
    "exposure_categories",
    "department_exposure_level",
    "category_colours",
    "colours_of_counts",
    "legend_items",
    "legend_of_counts",
    "size_values",
    "scaled_sizes",
    "is_number",
]

#: Stance label -> colour (red = resistant ... green = champion, grey = unknown).
STANCE_COLOURS: dict[str, str] = {
    "resistant": "#c0392b",
    "skeptic": "#e67e22",
    "neutral": "#a6acaf",
    "supporter": "#58d68d",
    "champion": "#1e8449",
    "unknown": "#d6dbdf",
}
#: The "exposure" colouring (seeds planted, :mod:`stakeholder_map.tracking.exposure`).
EXPOSURE = "exposure"
#: Exposure level -> colour: how often someone was touched by a seed (an article, results shared, a demo
#: seen). Grey never, light blue once, dark blue several times: one hue getting darker, unlike any stance colour.
EXPOSURE_COLOURS: dict[str, str] = {
    "never": "#d5d8dc",
    "once": "#3498db",
    "several times": "#0e2f5a",
}
#: The department overview's exposure colouring: the share of a department's people exposed, same hue.
DEPARTMENT_EXPOSURE_COLOURS: dict[str, str] = {
    "nobody exposed": "#d5d8dc",
    "under half exposed": "#3498db",
    "half or more exposed": "#0e2f5a",
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
#: The ring around the selected person (the legend says "selected: <name>"): a magenta no stance or
#: department colour uses, so it reads on any colouring.
SELECTED_COLOUR = "#d1007a"
#: The ring around search matches.
MATCH_COLOUR = "#111111"
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
PERSON_SIZES = ("influence", "seniority")
UNIFORM = "uniform"

#: What the people of a map can be sized or coloured by, in plain words: name -> (label, what it means).
#: The label keeps the technical name in brackets, so the Method page and the literature can be found from it.
MEASURES: dict[str, tuple[str, str]] = {
    "pagerank": ("Reach (PageRank)",
                 "Recursive influence: high when you can move people who can themselves move many others."),
    "betweenness": ("Bridging (betweenness)",
                    "How often someone sits on the shortest path between two others: the bridges news travels "
                    "through."),
    "in_degree": ("Sought out (in-degree)", "How many people this person is influenced by (ties pointing in)."),
    "out_degree": ("Direct reach (out-degree)", "How many people this person influences directly (ties pointing "
                                                "out)."),
    "in_weight": ("Sought out, weighted (in-weight)", "The summed strength of the ties pointing in."),
    "out_weight": ("Direct reach, weighted (out-weight)", "The summed strength of the ties pointing out."),
    "effective_size": ("Non-redundant contacts (effective size)",
                       "Contacts who do not know each other: high for brokers between groups (Burt)."),
    "constraint": ("Dependence on one group (Burt's constraint)",
                   "High when all of someone's contacts know each other; low for brokers."),
    "core": ("Depth in the dense core (k-core)",
             "The largest k such that the person belongs to a group where everyone has k ties inside it."),
    "community": ("Community (Louvain)", "A group more tied to each other than to the rest, found in the ties."),
    "quadrant": ("Power/interest quadrant", "From the influence and interest scores (Mendelow's grid)."),
    "influence": ("Formal influence (1-5)", "Formal power over the decision, from the stakeholders file."),
    "seniority": ("Seniority (1-5)", "From the stakeholders file: 1 individual contributor ... 5 executive."),
    UNIFORM: ("Same size for everyone", "Every person is drawn the same size."),
    "department": ("Department", "The formal unit, from the stakeholders file."),
    "stance": ("Stance", "Attitude to the change: red resistant ... green champion, grey unknown."),
    "role": ("Role", "The job title, from the stakeholders file."),
    EXPOSURE: ("Exposure (seeds planted)",
               "How often someone has been touched by a seed (an article, results shared, a demo seen): grey "
               "never, light blue once, dark blue several times."),
}

_MIN_SIZE, _MAX_SIZE = 6.0, 28.0

_text = s.cell_text


def measure_label(name: str) -> str:
    """The plain-words label of a measure or colouring (a custom column keeps its own name).

    >>> measure_label("pagerank"), measure_label("site")
    ('Reach (PageRank)', 'site')
    """
    return MEASURES[name][0] if name in MEASURES else str(name)


def measure_help(name: str) -> str:
    """What a measure or colouring means, in one sentence ('' for a custom column).

    >>> measure_help("betweenness").startswith("How often")
    True
    """
    return MEASURES[name][1] if name in MEASURES else ""


def measures_help(names: Iterable[str]) -> str:
    """A Markdown list of the labels and meanings of ``names`` (the help text of a menu); names are escaped.

    >>> print(measures_help(["pagerank", "site"]))
    - **Reach (PageRank)**: Recursive influence: high when you can move people who can themselves move many others.
    - **site**: a column of your stakeholders file.
    """
    return "\n".join(f"- **{measure_label(n)}**: {measure_help(n)}" if n in MEASURES
                      else f"- **{markdown_text(n)}**: a column of your stakeholders file."
                      for n in names)


def metrics_by_id(metrics: pd.DataFrame | None) -> pd.DataFrame | None:
    """The metrics frame indexed by person id (None when there are no metrics)."""
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
                   with_metrics: bool = False, with_exposure: bool = False) -> list[str]:
    """What people can be coloured by: built-ins, then the map's custom columns.

    ``with_metrics`` adds the colourings that come from the network metrics
    (``community``, ``quadrant``); ``with_exposure`` adds :data:`EXPOSURE`
    (seeds planted, from the map's touchpoints).

    >>> G = nx.Graph(); G.add_node("a", attributes={"site": "Oslo"})
    >>> colour_options(G, with_metrics=True)
    ['department', 'stance', 'community', 'quadrant', 'role', 'site']
    >>> colour_options(G, with_exposure=True)
    ['department', 'stance', 'exposure', 'role', 'site']
    """
    options = (["department", "stance"] + ([EXPOSURE] if with_exposure else [])
               + (["community", "quadrant"] if with_metrics else []) + ["role"])
    extra = list(custom) if custom is not None else custom_attributes(G)
    options += [c for c in extra if c not in options]
    return options


def size_options(*, with_metrics: bool = False) -> list[str]:
    """What people can be sized by: the metrics (if available), formal influence, seniority, uniform.

    >>> size_options()
    ['influence', 'seniority', 'uniform']
    """
    return (list(SIZE_METRICS) if with_metrics else []) + list(PERSON_SIZES) + [UNIFORM]


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
        index = metrics_by_id(metrics)
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


def exposure_level(count: object) -> str:
    """The exposure colouring's category of a number of seed touches: never, once or several times.

    >>> [exposure_level(n) for n in (0, 1, 2, 7, None)]
    ['never', 'once', 'several times', 'several times', 'never']
    """
    n = int(count) if is_number(count) else 0
    return "never" if n <= 0 else "once" if n == 1 else "several times"


def exposure_categories(G: nx.Graph, exposure: pd.DataFrame | None) -> dict:
    """Person -> exposure level, from ``Workspace.exposure`` (``id``, ``exposures``); nobody listed: never.

    >>> G = nx.Graph(); G.add_nodes_from(["a", "b", "c"])
    >>> exposure_categories(G, pd.DataFrame({"id": ["a", "b"], "exposures": [1, 3]}))
    {'a': 'once', 'b': 'several times', 'c': 'never'}
    """
    counts = (dict(zip(exposure[s.ID].astype(str), exposure["exposures"]))
              if exposure is not None and len(exposure) else {})
    return {v: exposure_level(counts.get(str(v), 0)) for v in G}


def department_exposure_level(exposed: int, people: int) -> str:
    """The department overview's exposure category: nobody, under half, or half or more exposed.

    >>> department_exposure_level(0, 5), department_exposure_level(2, 5), department_exposure_level(3, 6)
    ('nobody exposed', 'under half exposed', 'half or more exposed')
    """
    if exposed <= 0 or people <= 0:
        return "nobody exposed"
    return "half or more exposed" if 2 * exposed >= people else "under half exposed"


def category_colours(categories: Mapping, by: str) -> dict[str, str]:
    """Category -> colour, stable for a given set of categories.

    Stances get their fixed colours. Otherwise the most frequent categories get
    the palette's colours in order (ties by name) and the rest share ``other``.

    >>> category_colours({"a": "IT", "b": "IT", "c": "HR"}, "department")
    {'IT': '#1f77b4', 'HR': '#ff7f0e'}
    """
    return colours_of_counts(Counter(categories.values()), by)


def colours_of_counts(counts: Mapping[str, int], by: str) -> dict[str, str]:
    """:func:`category_colours` from the number of people per category."""
    if by == "stance":
        return {label: STANCE_COLOURS[label] for label in STANCE_COLOURS if counts.get(label)}
    if by == EXPOSURE:
        fixed = EXPOSURE_COLOURS if any(c in EXPOSURE_COLOURS for c in counts) else DEPARTMENT_EXPOSURE_COLOURS
        return {label: colour for label, colour in fixed.items() if counts.get(label)}
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


def legend_items(colours: Mapping[str, str], categories: Mapping, limit: int = len(PALETTE)) -> list[dict]:
    """Legend items of the people drawn (``categories``: person -> category)."""
    return legend_of_counts(colours, Counter(categories.values()))


def legend_of_counts(colours: Mapping[str, str], counts: Mapping[str, int]) -> list[dict]:
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


def size_values(G: nx.Graph, by: str, metrics: pd.DataFrame | None) -> dict:
    """Person -> the value people are sized by (empty for ``uniform`` or an unknown measure)."""
    if by == UNIFORM:
        return {}
    if by in PERSON_SIZES:
        return {v: d.get(by) for v, d in G.nodes(data=True)}
    index = metrics_by_id(metrics)
    if index is not None and by in index.columns:
        return index[by].to_dict()
    if by in ("in_degree", "out_degree"):
        degree = G.in_degree() if by == "in_degree" else G.out_degree()
        return dict(degree)
    return {}


def scaled_sizes(values: Mapping, nodes: Iterable) -> dict:
    """Node -> radius, between the minimum and maximum size, by sqrt(value / max)."""
    numbers = [float(x) for x in values.values() if is_number(x)]
    top = max(numbers, default=0.0)
    low = min(numbers, default=0.0)
    out = {}
    for v in nodes:
        x = values.get(v)
        if not is_number(x) or top <= 0:
            out[v] = 12.0
            continue
        shifted = (float(x) - min(low, 0.0)) / (top - min(low, 0.0))
        out[v] = round(_MIN_SIZE + (_MAX_SIZE - _MIN_SIZE) * math.sqrt(max(shifted, 0.0)), 2)
    return out


def is_number(x: object) -> bool:
    """True for a finite int or float (not a bool).

    >>> is_number(2), is_number(float("nan")), is_number(True), is_number("3")
    (True, False, False, False)
    """
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(float(x))

