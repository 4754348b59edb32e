"""Helpers for the Champions, Audience and Simulate page tests (import from ``tests.ui.analysis_pages_support``).

Kept out of ``conftest.py`` so that no test imports a module named ``conftest``.
The tests use the ``db`` fixture of ``tests/ui/conftest.py`` by name: a temporary
DuckDB file holding one small map of six people, one of whom has an HTML name.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

PAGES = Path(__file__).resolve().parents[2] / "stakeholder_map" / "ui" / "pages"
#: The map the ``db`` fixture holds, and the hostile name of its person ``b``.
SMALL_MAP = "Small org"
HOSTILE = "<img src=x onerror=window.__xss=1>"


def run_page(name: str, *, timeout: float = 30, **preset) -> AppTest:
    """Run one page script with session state preset; fail on any exception."""
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=timeout)
    for key, value in preset.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    """Run again after changing widgets; fail on any exception."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def vega_charts(at: AppTest) -> list:
    """The Vega-Lite chart elements the page drew."""
    return list(at.get("vega_lite_chart"))


def chart_spec(element) -> dict:
    return json.loads(element.proto.spec)


def chart_data(element) -> pd.DataFrame:
    """The chart's top-level data (sent as Arrow bytes)."""
    raw = element.proto.data.data
    if not raw:
        return pd.DataFrame()
    return pa.ipc.open_stream(raw).read_pandas()


def drawn_view(at: AppTest) -> dict:
    """The view dict sent to the network component."""
    [element] = at.get("bidi_component")
    payload = element.proto.json or element.proto.mixed.json
    return json.loads(payload)


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}
