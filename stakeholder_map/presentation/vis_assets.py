"""The scripts and styles every network drawing needs, as text to inline: nothing is fetched.

vis-network's script and style are the copies bundled with pyvis (located
without importing pyvis, whose import pulls in IPython); ``map_drawing.js``
holds the drawing helpers shared by the dashboard's component and the
print-ready file (:mod:`~stakeholder_map.presentation.map_export`). Nothing here
imports Streamlit.
"""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec
from pathlib import Path

__all__ = ["vis_network_js", "vis_network_css", "map_drawing_js"]

_HERE = Path(__file__).resolve().parent


def _vis_folder() -> Path:
    return Path(find_spec("pyvis").origin).resolve().parent / "templates" / "lib" / "vis-9.1.2"


@cache
def vis_network_js() -> str:
    """vis-network 9.1.2's minified script, without its source-map comment.

    A browser with developer tools open would fetch the map named by that
    comment from the page's origin (or, in a file, from the disk): dropped.
    """
    text = (_vis_folder() / "vis-network.min.js").read_text(encoding="utf-8")
    return text.replace("//# sourceMappingURL=vis-network.min.js.map", "")


@cache
def vis_network_css() -> str:
    """vis-network's style sheet (tooltips, navigation)."""
    return (_vis_folder() / "vis-network.css").read_text(encoding="utf-8")


@cache
def map_drawing_js() -> str:
    """``smWhiteBackground``, ``smDrawPinnedLabels`` and ``smHighResCanvas`` (see ``map_drawing.js``)."""
    return (_HERE / "map_drawing.js").read_text(encoding="utf-8")
