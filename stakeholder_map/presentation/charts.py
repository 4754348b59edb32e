"""Vega-Lite chart specs for the analysis pages, as plain dicts.

Each function takes a display frame from :mod:`stakeholder_map.presentation.analysis_tables`
and returns a Vega-Lite specification (a JSON-ready dict with its data inline
under ``data.values``). The dashboard draws it with ``st.vega_lite_chart``:
Streamlit bundles Vega-Lite, so nothing is fetched from a CDN. Nothing here
imports Streamlit or Altair, and no spec names a URL.

Text from the CSV files (names, departments, roles) only ever reaches the page
as chart data: axis labels are drawn as SVG/canvas text, and tooltips go
through vega-tooltip, whose default ``sanitize`` escapes ``&`` and ``<``
before the tooltip is put on the page.

Examples
--------
>>> import pandas as pd
>>> spec = lift_chart(pd.DataFrame({"choice": ["Suggested champions", "Most ties (best connected)"],
...                                 "spread": [12.0, 8.0], "lift": [1.0, 1.5], "people": ["a", "b"]}))
>>> spec["layer"][0]["mark"]["type"], len(spec["data"]["values"])
('bar', 2)
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import pandas as pd

from ..analysis.roles import QUADRANTS, UNSCORED
from . import styles
from .analysis_tables import OUR_CHOICE, STANCE_CHOICES
from .numbers import count, decimal, ratio

__all__ = [
    "ALL_COLOUR",
    "department_colours",
    "lift_chart",
    "stance_mix_chart",
    "power_interest_chart",
    "influence_heatmap",
    "adoption_curves_chart",
    "stance_history_chart",
]

#: Colour of the whole-organisation curve ("All").
ALL_COLOUR = "#222222"
_OURS, _THEIRS = "#1e8449", "#a6acaf"
_CONFIG = {"view": {"stroke": None}}


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts (NaN -> None) for ``data.values``."""
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict("records")


def department_colours(G: nx.Graph) -> dict[str, str]:
    """Department -> colour, the same as the Map page's "colour by department", plus "All".

    >>> G = nx.Graph(); G.add_node("a", department="IT")
    >>> department_colours(G)
    {'IT': '#1f77b4', 'All': '#222222'}
    """
    colours = styles.category_colours(styles.node_categories(G, "department"), "department")
    colours["All"] = ALL_COLOUR
    return colours


def lift_chart(frame: pd.DataFrame) -> dict:
    """Horizontal bars: expected adopters of the suggested champions and of the naive choices.

    Parameters
    ----------
    frame : DataFrame
        :func:`~stakeholder_map.presentation.analysis_tables.lift_frame`.

    Returns
    -------
    dict
        Vega-Lite spec; our bar is green, the others grey, each labelled
        with its spread and (for the naive choices) our lift over it.
    """
    data = frame.copy()
    data["label"] = [
        decimal(spread) if choice == OUR_CHOICE or lift is None or pd.isna(lift)
        else f"{decimal(spread)} (ours {ratio(lift)})"
        for choice, spread, lift in zip(data["choice"], data["spread"], data["lift"])
    ]
    y = {"field": "choice", "type": "nominal", "sort": None, "title": None,
         "axis": {"labelLimit": 260}}
    return {
        "data": {"values": _records(data[["choice", "spread", "lift", "label"]])},
        "height": {"step": 34},
        "layer": [
            {
                "mark": {"type": "bar", "cornerRadiusEnd": 3},
                "encoding": {
                    "y": y,
                    "x": {"field": "spread", "type": "quantitative", "title": "Expected adopters"},
                    "color": {"field": "choice", "type": "nominal", "legend": None,
                              "scale": {"domain": list(data["choice"]),
                                        "range": [_OURS if c == OUR_CHOICE else _THEIRS for c in data["choice"]]}},
                    "tooltip": [
                        {"field": "choice", "type": "nominal", "title": "Choice"},
                        {"field": "spread", "type": "quantitative", "title": "Expected adopters", "format": ".1f"},
                        {"field": "lift", "type": "quantitative", "title": "Ours ×", "format": ".2f"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4},
                "encoding": {"y": y, "x": {"field": "spread", "type": "quantitative"},
                             "text": {"field": "label", "type": "nominal"}},
            },
        ],
        "config": _CONFIG,
    }


def stance_mix_chart(frame: pd.DataFrame, *, height: int = 26) -> dict:
    """One stacked bar: how many people of a department hold each stance.

    Parameters
    ----------
    frame : DataFrame
        ``stance, count`` (``department_card(...)["stance_mix"]``).

    Returns
    -------
    dict
        Vega-Lite spec in the Map page's stance colours, no axes or legend
        (the card names the counts); tooltips give stance and count.

    Examples
    --------
    >>> spec = stance_mix_chart(pd.DataFrame({"stance": ["supporter"], "count": [3]}))
    >>> spec["encoding"]["color"]["scale"]["range"][:2]
    ['#1e8449', '#58d68d']
    """
    data = frame[frame["count"] > 0].copy()
    order = {label: i for i, label in enumerate(STANCE_CHOICES)}
    data["order"] = data["stance"].map(order)
    return {
        "data": {"values": _records(data[["stance", "count", "order"]])},
        "height": int(height),
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "count", "type": "quantitative", "stack": "normalize", "axis": None},
            "color": {"field": "stance", "type": "nominal", "legend": None,
                      "scale": {"domain": list(STANCE_CHOICES),
                                "range": [styles.STANCE_COLOURS[label] for label in STANCE_CHOICES]}},
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [{"field": "stance", "type": "nominal", "title": "Stance"},
                        {"field": "count", "type": "quantitative", "title": "People"}],
        },
        "config": _CONFIG,
    }


_CORNERS = {
    "manage closely": (5.45, 5.45, "right"),
    "keep satisfied": (0.55, 5.45, "left"),
    "keep informed": (5.45, 0.6, "right"),
    "monitor": (0.55, 0.6, "left"),
}


def power_interest_chart(points: pd.DataFrame, *, height: int = 460, max_points: int = 5000,
                         seed: int = 0) -> dict:
    """The power/interest grid as an interactive scatter (zoom and pan, tooltips with names).

    Parameters
    ----------
    points : DataFrame
        :func:`~stakeholder_map.presentation.analysis_tables.power_interest_points`.

    Returns
    -------
    dict
        Vega-Lite spec: interest across, formal influence up, each person
        with both scores a point in their stance colour, lines between low
        (1–3) and high (4–5), the quadrant names in the corners. Unscored
        people (a score missing) are not drawn: the title says how many and
        that the grid needs influence and interest columns
        (:func:`~stakeholder_map.presentation.analysis_tables.unscored_note`).
        Drag to pan, scroll to zoom. Maps of more than ``max_points`` scored
        people show a random sample of that many (same ``seed``, same
        sample), also named in the title.

    Examples
    --------
    >>> import networkx as nx
    >>> from stakeholder_map.presentation.analysis_tables import power_interest_points
    >>> G = nx.DiGraph(); G.add_node("a", name="<b>Ann</b>", influence=5, interest=4)
    >>> spec = power_interest_chart(power_interest_points(G))
    >>> spec["layer"][1]["data"]["values"][0]["name"]
    '<b>Ann</b>'
    >>> G.add_node("b", name="Bo", influence=2)
    >>> spec = power_interest_chart(power_interest_points(G))
    >>> len(spec["layer"][1]["data"]["values"]), spec["title"]["text"]
    (1, ['1 of 2 people not drawn: no influence / interest scores in the data (the grid needs both columns)'])
    """
    unscored = points["quadrant"] == UNSCORED if len(points) else pd.Series(dtype=bool)
    data = points[~unscored].copy()
    lines = []
    if len(data) > max_points:
        lines.append(f"A random sample of {count(max_points)} of the {count(len(data))} people"
                     + (" on the grid" if unscored.any() else ""))
        data = data.sample(n=max_points, random_state=seed).sort_index()
    if unscored.any():
        lines.append(f"{count(unscored.sum())} of {count(len(points))} people not drawn: no influence / interest "
                     "scores in the data (the grid needs both columns)")
    title = None
    if len(lines) == 1 and not unscored.any():
        title = lines[0]
    elif lines:
        title = {"text": lines, "anchor": "start", "fontSize": 12, "fontWeight": "normal"}
    data["filled"] = data["scored"] == "both"
    stances = {"domain": list(STANCE_CHOICES), "range": [styles.STANCE_COLOURS[label] for label in STANCE_CHOICES]}
    scale = {"domain": [0.5, 5.5], "nice": False, "zero": False}
    axis = {"values": [1, 2, 3, 4, 5], "format": "d", "grid": False}
    corners = pd.DataFrame([
        {"quadrant": q, "x": _CORNERS[q][0], "y": _CORNERS[q][1], "align": _CORNERS[q][2]}
        for q in QUADRANTS
    ])
    tooltip = [
        {"field": "name", "type": "nominal", "title": "Name"},
        {"field": "department", "type": "nominal", "title": "Department"},
        {"field": "role", "type": "nominal", "title": "Role"},
        {"field": "stance", "type": "nominal", "title": "Stance"},
        {"field": "influence", "type": "nominal", "title": "Influence (power)"},
        {"field": "interest", "type": "nominal", "title": "Interest"},
        {"field": "quadrant", "type": "nominal", "title": "Quadrant"},
    ]
    return {
        "height": int(height),
        "layer": [
            {
                "data": {"values": [{"at": 3.5}]},
                "mark": {"type": "rule", "color": "#8d949b", "strokeDash": [4, 4]},
                "encoding": {"x": {"field": "at", "type": "quantitative", "scale": scale}},
            },
            {
                "data": {"values": _records(data)},
                "params": [{"name": "zoom", "select": "interval", "bind": "scales"}],
                "mark": {"type": "point", "filled": True, "size": 70, "strokeWidth": 1.5},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "scale": scale, "axis": axis,
                          "title": "Interest (how much the change touches them)"},
                    "y": {"field": "y", "type": "quantitative", "scale": scale, "axis": axis,
                          "title": "Influence (formal power over the decision)"},
                    "color": {"field": "stance", "type": "nominal", "title": "Stance", "scale": stances},
                    "stroke": {"field": "stance", "type": "nominal", "scale": stances, "title": "Stance"},
                    "fillOpacity": {"condition": {"test": "datum.filled", "value": 0.85}, "value": 0.0},
                    "tooltip": tooltip,
                },
            },
            {
                "data": {"values": [{"at": 3.5}]},
                "mark": {"type": "rule", "color": "#8d949b", "strokeDash": [4, 4]},
                "encoding": {"y": {"field": "at", "type": "quantitative", "scale": scale}},
            },
            *[{
                "data": {"values": _records(corners[corners["align"] == side])},
                "mark": {"type": "text", "fontWeight": "bold", "color": "#5d6d7e", "fontSize": 12,
                         "align": side},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "scale": scale},
                    "y": {"field": "y", "type": "quantitative", "scale": scale},
                    "text": {"field": "quadrant", "type": "nominal"},
                },
            } for side in ("left", "right")],
        ],
        "config": _CONFIG,
        **({"title": title} if title else {}),
    }


def influence_heatmap(cells: pd.DataFrame, *, value_title: str = "Tie weight", labels: bool | None = None) -> dict:
    """Department × department influence as a heatmap (rows: who moves, columns: who is moved).

    Parameters
    ----------
    cells : DataFrame
        :func:`~stakeholder_map.presentation.analysis_tables.matrix_long`.
    value_title : str
        What the value is ("Tie weight" or "Ties").
    labels : bool, optional
        Write the value in each cell; default when there are at most 12
        departments.

    Returns
    -------
    dict
        Vega-Lite spec.

    Examples
    --------
    >>> cells = pd.DataFrame({"source": ["IT"], "target": ["HR"], "value": [2.0], "share": [1.0]})
    >>> [layer["mark"]["type"] for layer in influence_heatmap(cells)["layer"]]
    ['rect', 'text']
    """
    departments = sorted(set(cells["source"]) | set(cells["target"])) if len(cells) else []
    if labels is None:
        labels = len(departments) <= 12
    top = float(cells["value"].max()) if len(cells) else 0.0
    data = cells.copy()
    data["dark"] = data["value"] > top * 0.55 if top > 0 else False
    data["text"] = [f"{v:g}" if v else "" for v in data["value"]]
    x = {"field": "target", "type": "nominal", "sort": departments,
         "title": "Department influenced",
         "axis": {"labelAngle": -40, "labelLimit": 160, "labelOverlap": False}}
    y = {"field": "source", "type": "nominal", "sort": departments,
         "title": "Department that influences", "axis": {"labelLimit": 200, "labelOverlap": False}}
    layers: list[dict] = [{
        "mark": {"type": "rect"},
        "encoding": {
            "x": x, "y": y,
            "color": {"field": "value", "type": "quantitative", "title": value_title,
                      "scale": {"scheme": "blues"}},
            "tooltip": [
                {"field": "source", "type": "nominal", "title": "From"},
                {"field": "target", "type": "nominal", "title": "To"},
                {"field": "value", "type": "quantitative", "title": value_title, "format": ",.4~g"},
                {"field": "share", "type": "quantitative", "title": "Share of what reaches 'To'",
                 "format": ".0%"},
            ],
        },
    }]
    if labels:
        layers.append({
            "mark": {"type": "text", "fontSize": 11},
            "encoding": {
                "x": x, "y": y,
                "text": {"field": "text", "type": "nominal"},
                "color": {"condition": {"test": "datum.dark", "value": "white"}, "value": "#222222"},
            },
        })
    return {
        "data": {"values": _records(data)},
        "height": {"step": 30 if len(departments) <= 20 else 16},
        "width": {"step": 44 if len(departments) <= 20 else 16},
        "layer": layers,
        "config": _CONFIG,
    }


def adoption_curves_chart(frame: pd.DataFrame, *, share: bool = False,
                          colours: Mapping[str, str] | None = None, step: int | None = None,
                          height: int = 380) -> dict:
    """Adoption over time per department: a line for the mean and a band for the 95 % interval.

    Parameters
    ----------
    frame : DataFrame
        :func:`~stakeholder_map.presentation.analysis_tables.curves_frame`.
    share : bool
        The values are shares of each department (axis in %).
    colours : mapping, optional
        Department -> colour (:func:`department_colours`).
    step : int, optional
        Mark this step with a vertical rule (the step the map shows).

    A frame with a ``scenario`` column
    (:func:`~stakeholder_map.presentation.analysis_tables.compare_curves_frame`)
    draws both runs of a what-if: the first scenario solid with its band, the
    second (the baseline) dashed, in the same department colours.

    Returns
    -------
    dict
        Vega-Lite spec; click a department in the legend to highlight it.

    Examples
    --------
    >>> frame = pd.DataFrame({"step": [0, 1], "department": ["All", "All"], "mean": [1.0, 2.0],
    ...                       "ci_low": [1.0, 1.5], "ci_high": [1.0, 2.5]})
    >>> [layer["mark"]["type"] for layer in adoption_curves_chart(frame, step=1)["layer"]]
    ['area', 'line', 'rule']
    >>> both = pd.concat([frame.assign(scenario="With"), frame.assign(scenario="Without")])
    >>> adoption_curves_chart(both)["layer"][1]["encoding"]["strokeDash"]["sort"]
    ['With', 'Without']
    """
    names: list[str] = list(dict.fromkeys(frame["department"])) if len(frame) else []
    colour = {"field": "department", "type": "nominal", "title": "Department",
              "sort": names, "legend": {"symbolOpacity": 1, "symbolStrokeWidth": 3}}
    if colours:
        colour["scale"] = {"domain": names,
                           "range": [colours.get(n, styles.OTHER_COLOUR) for n in names]}
    fmt = ".0%" if share else ",.1f"
    title = "Share of the department that has adopted" if share else "Expected adopters"
    y = {"field": "mean", "type": "quantitative", "title": title, "axis": {"format": fmt}}
    pick = {"name": "pick", "select": {"type": "point", "fields": ["department"]}, "bind": "legend"}
    faded = {"condition": {"param": "pick", "value": 1}, "value": 0.15}
    scenarios = list(dict.fromkeys(frame["scenario"])) if "scenario" in frame and len(frame) else []
    band: dict = {"transform": [{"filter": {"field": "scenario", "equal": scenarios[0]}}]} if scenarios else {}
    layers: list[dict] = [
        {
            **band,
            "mark": {"type": "area", "opacity": 0.18},
            "encoding": {
                "x": {"field": "step", "type": "quantitative"},
                "y": {"field": "ci_low", "type": "quantitative"},
                "y2": {"field": "ci_high"},
                "color": colour,
                "opacity": {"condition": {"param": "pick", "value": 0.18}, "value": 0.03},
            },
        },
        {
            "params": [pick],
            "mark": {"type": "line", "point": True, "strokeWidth": 2},
            "encoding": {
                "x": {"field": "step", "type": "quantitative", "title": "Step",
                      "axis": {"tickMinStep": 1, "format": "d"}},
                "y": y,
                "color": colour,
                "opacity": faded,
                "tooltip": [
                    {"field": "department", "type": "nominal", "title": "Department"},
                    {"field": "step", "type": "quantitative", "title": "Step"},
                    {"field": "mean", "type": "quantitative", "title": title, "format": fmt},
                    {"field": "ci_low", "type": "quantitative", "title": "95% low", "format": fmt},
                    {"field": "ci_high", "type": "quantitative", "title": "95% high", "format": fmt},
                ],
            },
        },
    ]
    if scenarios:
        line = layers[1]["encoding"]
        line["strokeDash"] = {"field": "scenario", "type": "nominal", "title": "Run", "sort": scenarios,
                              "scale": {"domain": scenarios, "range": [[1, 0], [6, 4]][:len(scenarios)]},
                              "legend": {"symbolStrokeWidth": 2, "symbolType": "stroke"}}
        line["tooltip"].insert(0, {"field": "scenario", "type": "nominal", "title": "Run"})
    if step is not None:
        layers.append({
            "data": {"values": [{"step": int(step)}]},
            "mark": {"type": "rule", "color": "#888888", "strokeDash": [4, 4]},
            "encoding": {"x": {"field": "step", "type": "quantitative"}},
        })
    return {
        "data": {"values": _records(frame)},
        "height": int(height),
        "layer": layers,
        "config": _CONFIG,
    }


def stance_history_chart(mix: pd.DataFrame, *, share: bool = True, columns: int = 3, width: int = 230,
                         height: int = 120) -> dict:
    """Stance mix over time, one small stacked-area chart per department.

    Parameters
    ----------
    mix : DataFrame
        :func:`~stakeholder_map.tracking.history.stance_mix` (``date,
        department, stance, count, share, assumed``); the departments keep
        their order there (``All`` first).
    share : bool
        Stack shares of each department (0–100 %); else head counts, each
        department on its own scale.
    columns : int
        Charts per row.
    width, height : int
        Size of each small chart in pixels.

    Returns
    -------
    dict
        Vega-Lite facet spec in the Map page's stance colours, supporters
        and champions at the bottom of each stack; tooltips give the date,
        stance, people, share and how many of them were carried back.

    Examples
    --------
    >>> mix = pd.DataFrame({"date": ["2026-11-16", "2026-11-23"], "department": ["All", "All"],
    ...                     "stance": ["supporter", "supporter"], "count": [1, 2], "share": [0.5, 1.0],
    ...                     "assumed": [0, 0]})
    >>> spec = stance_history_chart(mix)
    >>> spec["spec"]["mark"]["type"], spec["facet"]["sort"], spec["data"]["values"][0]["date"]
    ('area', ['All'], '2026-11-16')
    """
    data = mix.copy()
    data["date"] = [d.isoformat() if hasattr(d, "isoformat") else str(d) for d in data["date"]]
    order = {label: i for i, label in enumerate(STANCE_CHOICES)}
    data["order"] = data["stance"].map(order)
    departments = list(dict.fromkeys(str(d) for d in data["department"]))
    value = "share" if share else "count"
    y = {"field": value, "type": "quantitative", "stack": "zero",
         "title": "Share of the department" if share else "People",
         "axis": {"format": ".0%" if share else "d", "tickCount": 3}}
    if share:
        y["scale"] = {"domain": [0, 1]}
    spec = {
        "data": {"values": _records(data[["date", "department", "stance", "count", "share", "assumed", "order"]])},
        "facet": {"field": "department", "type": "nominal", "sort": departments, "title": None,
                  "header": {"labelFontWeight": "bold", "labelFontSize": 12}},
        "columns": max(int(columns), 1),
        "spec": {
            "width": int(width),
            "height": int(height),
            "mark": {"type": "area", "line": False},
            "encoding": {
                "x": {"field": "date", "type": "temporal", "title": None,
                      "axis": {"format": "%d %b", "labelAngle": 0, "tickCount": 4}},
                "y": y,
                "color": {"field": "stance", "type": "nominal", "title": "Stance",
                          "scale": {"domain": list(STANCE_CHOICES),
                                    "range": [styles.STANCE_COLOURS[label] for label in STANCE_CHOICES]},
                          "legend": {"orient": "top"}},
                "order": {"field": "order", "type": "quantitative"},
                "tooltip": [
                    {"field": "department", "type": "nominal", "title": "Department"},
                    {"field": "date", "type": "temporal", "title": "Date", "format": "%Y-%m-%d"},
                    {"field": "stance", "type": "nominal", "title": "Stance"},
                    {"field": "count", "type": "quantitative", "title": "People"},
                    {"field": "share", "type": "quantitative", "title": "Share", "format": ".0%"},
                    {"field": "assumed", "type": "quantitative", "title": "Of them carried back"},
                ],
            },
        },
        "config": _CONFIG,
    }
    if not share:
        spec["resolve"] = {"scale": {"y": "independent"}}
    return spec
