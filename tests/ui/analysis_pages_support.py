"""Helpers for the Champions, Audience and Simulate page tests (import from ``tests.ui.analysis_pages_support``).

Kept out of ``conftest.py`` so that no test imports a module named ``conftest``.
The tests use the ``db`` fixture of ``tests/ui/conftest.py`` by name: a temporary
DuckDB file holding one small map of six people, one of whom has an HTML name.
"""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest
from tests.ui.ui_support import drawn_view, run_page  # noqa: F401  (the pages' tests import them from here)

#: The map the ``db`` fixture holds, and the hostile name of its person ``b``.
SMALL_MAP = "Small org"
HOSTILE = "<img src=x onerror=window.__xss=1>"




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


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}
