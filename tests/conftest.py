"""Shared fixtures: a fresh store, the Krackhardt data, database paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakeholder_map.store import Store

from tests.support import KRACKHARDT


@pytest.fixture
def store():
    """An in-memory store, closed after the test."""
    with Store(":memory:") as s:
        yield s


@pytest.fixture
def db_path(tmp_path) -> Path:
    """A path for a real DuckDB file in the test's temporary folder."""
    return tmp_path / "maps.duckdb"


@pytest.fixture
def krackhardt_files():
    """Open binary handles of Krackhardt's stakeholders and influences CSVs."""
    with open(KRACKHARDT / "stakeholders.csv", "rb") as people, open(KRACKHARDT / "influences.csv", "rb") as ties:
        yield people, ties
