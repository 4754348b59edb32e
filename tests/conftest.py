"""Shared fixtures: a fresh store, the Krackhardt data (files, frames, graph), database paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakeholder_map.graph import build_graph
from stakeholder_map.ingest import read_map
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


@pytest.fixture(scope="module")
def krackhardt_map():
    """Krackhardt's managers read through the contract: ``people`` and ``ties`` frames (one read per module)."""
    with open(KRACKHARDT / "stakeholders.csv", "rb") as people, open(KRACKHARDT / "influences.csv", "rb") as ties:
        return read_map(people, ties)


@pytest.fixture(scope="module")
def krackhardt(krackhardt_map):
    """Krackhardt's managers as the map's graph (shared by a module's tests: do not change it)."""
    return build_graph(krackhardt_map.people, krackhardt_map.ties)
