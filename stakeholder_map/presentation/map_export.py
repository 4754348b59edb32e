"""The map as one print-ready HTML file: title, date, the filters in force, legend and the drawing.

The file is for a meeting: it opens offline (vis-network's script and style
and the shared drawing helpers are inlined, see
:mod:`~stakeholder_map.presentation.vis_assets`), the drawing can be zoomed and
hovered on screen, and it prints on one A4 page in landscape: for print, the
drawing is replaced by a high-resolution image of it (3x the screen's
resolution) made in the browser, so the page does not depend on how a browser
resizes a canvas while printing. Nothing here imports Streamlit.

Every text that comes from a CSV stays text: the title, filters and legend
are HTML-escaped, the view's data is JSON inside a script with ``<``, ``>``
and ``&`` escaped, tooltips are plain strings (vis-network 9 shows them with
``innerText``) and labels are drawn on a canvas.

Examples
--------
>>> view = {"nodes": [{"id": "a", "label": "Ann <b>", "x": 0, "y": 0}], "edges": [],
...         "legend": [{"kind": "colour", "label": "IT", "colour": "#1f77b4", "count": 1}]}
>>> page = standalone_html(view, heading="Rollout <2025>", filters=["stance: champion"],
...                        made_on=date(2025, 3, 1))
>>> page.count("Rollout &lt;2025&gt;</h1>"), '"Ann \\\\u003cb\\\\u003e"' in page, "2025-03-01" in page
(1, True, True)
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from datetime import date

from .vis_assets import map_drawing_js, vis_network_css, vis_network_js

__all__ = ["standalone_html", "PRINT_RATIO"]

#: The printed image has this many pixels per CSS pixel of the drawing.
PRINT_RATIO = 3

_STYLE = """
@page { size: A4 landscape; margin: 10mm; }
html, body { background: #fff; }
body { font: 13px/1.35 sans-serif; color: #222; margin: 14px 18px; }
h1 { font-size: 21px; margin: 0 0 2px; }
.sm-meta { color: #555; margin: 0 0 4px; }
.sm-filters { margin: 0 0 6px; }
.sm-filters b { font-weight: 600; }
.sm-legend { display: flex; flex-wrap: wrap; gap: 2px 14px; margin: 0 0 8px; }
.sm-legend span { white-space: nowrap; }
.sm-dot { display: inline-block; width: 11px; height: 11px; border-radius: 6px; margin-right: 4px;
          vertical-align: -1px; }
.sm-ring { display: inline-block; width: 7px; height: 7px; border-radius: 6px; border: 2.5px solid;
           margin-right: 4px; vertical-align: -1px; }
#sm-map { width: 100%; height: 74vh; border: 1px solid #d9dcdf; border-radius: 4px; position: relative; }
#sm-map .vis-tooltip { position: absolute; white-space: pre-line; background: #fff; padding: 6px 8px;
                       border: 1px solid #b8bcc0; border-radius: 4px; font: 13px sans-serif; }
#sm-print { display: none; }
.sm-hint { color: #777; font-size: 12px; margin-top: 4px; }
@media print {
  body { margin: 0; }
  #sm-map, .sm-hint { display: none; }
  #sm-print { display: block; width: 100%; max-height: 148mm; object-fit: contain; object-position: left top;
              border: 1px solid #d9dcdf; }
  header { break-inside: avoid; }
}
"""

_SCRIPT = """
(function () {
  const view = JSON.parse(document.getElementById("sm-view").textContent);
  const container = document.getElementById("sm-map");
  const nodes = new vis.DataSet(view.nodes || []);
  const edges = new vis.DataSet(view.edges || []);
  const network = new vis.Network(container, { nodes, edges }, view.options || {});
  smWhiteBackground(network);
  network.on("afterDrawing", (ctx) => smDrawPinnedLabels(ctx, network, view.pinned || []));
  network.fit({ animation: false, maxZoomLevel: 1.3 });
  const image = document.getElementById("sm-print");
  let pending = null;
  function snapshot() {
    pending = null;
    image.src = smHighResCanvas(network, %(ratio)d).toDataURL("image/png");
    document.body.setAttribute("data-print-ready", "true");
  }
  function later() {
    if (pending) clearTimeout(pending);
    pending = setTimeout(snapshot, 250);
  }
  network.on("zoom", later);
  network.on("dragEnd", later);
  setTimeout(snapshot, 0);
  window.smNetwork = network;
})();
"""


def _script_json(value: object) -> str:
    """JSON that cannot end or open a tag inside a ``<script>`` element."""
    return (json.dumps(value, ensure_ascii=True)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _legend_html(legend: Iterable[Mapping]) -> str:
    parts = []
    for item in legend:
        label = html.escape(str(item.get("label", "")))
        if item.get("count") is not None:
            label += f" ({int(item['count']):,})"
        colour = html.escape(str(item.get("colour", "#999999")))
        if item.get("kind") == "shape":
            mark = "\u2605 " if item.get("shape") == "star" else "\u25c6 "
        elif item.get("kind") == "selected":
            mark = f'<i class="sm-ring" style="border-color:{colour}"></i>'
        else:
            mark = f'<i class="sm-dot" style="background:{colour}"></i>'
        parts.append(f"<span>{mark}{label}</span>")
    return "".join(parts)


def standalone_html(view: Mapping, *, heading: str = "", filters: Iterable[str] = (),
                    made_on: date | None = None, summary: str = "") -> str:
    """A self-contained, print-ready HTML file of a view: works offline, requests nothing.

    Parameters
    ----------
    view : dict
        From :func:`~stakeholder_map.presentation.network_view.people_view` or
        :func:`~stakeholder_map.presentation.network_view.department_view`.
    heading : str
        The title, written once at the top (escaped); also the document's title.
    filters : iterable of str
        The filters in force, one phrase each (plain text, escaped); none says
        that everyone is shown.
    made_on : datetime.date, optional
        The date printed under the title; default today.
    summary : str
        One line under the title, e.g. what is drawn and how (plain text, escaped).

    Returns
    -------
    str
        The HTML document.
    """
    made_on = made_on or date.today()
    title = html.escape(heading or "Stakeholder map")
    filters = [str(f) for f in filters]
    filter_text = ("; ".join(html.escape(f) for f in filters) if filters
                   else "none: everyone is shown")
    meta = f"Made on {made_on.isoformat()}" + (f" \u00b7 {html.escape(summary)}" if summary else "")
    data = {
        "nodes": list(view.get("nodes", ())),
        "edges": list(view.get("edges", ())),
        "options": view.get("options", {}),
        "pinned": list(view.get("pinned", ())),
    }
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>{vis_network_css()}</style>
<style>{_STYLE}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p class="sm-meta">{meta}</p>
<p class="sm-filters"><b>Filters:</b> {filter_text}</p>
<div class="sm-legend">{_legend_html(view.get("legend", ()))}</div>
</header>
<div id="sm-map"></div>
<img id="sm-print" alt="The map">
<p class="sm-hint">Zoom and hover to explore; print (Ctrl+P) gives one landscape A4 page of this view.</p>
<script id="sm-view" type="application/json">{_script_json(data)}</script>
<script>{vis_network_js()}</script>
<script>{map_drawing_js()}</script>
<script>{_SCRIPT % {"ratio": PRINT_RATIO}}</script>
</body>
</html>
"""
