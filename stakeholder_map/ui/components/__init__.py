"""The click-to-select network drawing, a Streamlit components-v2 element.

``network_graph(view, key=..., on_select=...)`` draws a view dict from
:mod:`stakeholder_map.presentation.network_view` with vis-network inside the Streamlit page (no
iframe). vis-network's script is the copy bundled with pyvis, inlined into the
component's JavaScript with the drawing helpers it shares with the print-ready
file (:mod:`stakeholder_map.presentation.vis_assets`), so the page requests
nothing from outside. When the
user clicks a node the browser sends ``{"view": ..., "id": ...}`` back as the
trigger value ``select``; the ``on_select`` callback runs before the rerun and
can read it with :func:`clicked`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import streamlit as st

from stakeholder_map.presentation.vis_assets import map_drawing_js, vis_network_js

__all__ = ["network_graph", "clicked", "COMPONENT_NAME"]

COMPONENT_NAME = "stakeholder_map_network"
_HERE = Path(__file__).resolve().parent


# vis-network and the shared drawing helpers first, then the component's module.
_JS = "\n;\n".join((vis_network_js(), map_drawing_js(), (_HERE / "network.js").read_text(encoding="utf-8")))
_CSS = (_HERE / "network.css").read_text(encoding="utf-8")

_component = st.components.v2.component(
    COMPONENT_NAME,
    js=_JS,
    css=_CSS,
    isolate_styles=False,
)


def network_graph(view: Mapping, *, key: str, on_select: Callable[[], None] | None = None,
                  file_stem: str = "stakeholder-map", title: str = "", subtitle: str = "",
                  downloadable: bool = True):
    """Draw a view and return the component's result (``.select`` holds the last click).

    Parameters
    ----------
    view : dict
        From :func:`stakeholder_map.presentation.network_view.people_view` or
        :func:`~stakeholder_map.presentation.network_view.department_view`.
    key : str
        Widget key; keep it stable so the drawing survives reruns.
    on_select : callable, optional
        Called (before the rerun) when the user clicks a node.
    file_stem : str
        Name of the PNG file the "Download PNG" button saves.
    title, subtitle : str
        Written above the legend in that PNG (plain text, drawn on a canvas).
    downloadable : bool
        Whether the "Download PNG" button is shown (not for a team's viewers, whose only export is the
        pseudonymised map).
    """
    data = dict(view)
    data["file_stem"] = file_stem
    data["downloadable"] = bool(downloadable)
    data["title"] = title
    data["subtitle"] = subtitle
    return _component(
        key=key,
        data=data,
        on_select_change=on_select or (lambda: None),
        height="content",
    )


def clicked(key: str) -> dict | None:
    """The click that triggered this rerun (``{"view", "id"}``), read inside ``on_select``."""
    value = st.session_state.get(key)
    if value is None:
        return None
    payload = value.get("select") if hasattr(value, "get") else None
    return payload if isinstance(payload, dict) and "id" in payload else None
