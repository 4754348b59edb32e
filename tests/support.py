"""Helpers the tests share (import as ``from tests.support import csv``)."""

from __future__ import annotations

import textwrap
from io import BytesIO
from pathlib import Path

DATA = Path(__file__).parent / "data"
#: Krackhardt (1987) high-tech managers, in the contract's format (see its SOURCE.md).
KRACKHARDT = DATA / "krackhardt"


def csv(text: str, encoding: str = "utf-8") -> BytesIO:
    """A file object holding ``text`` (dedented, first newline dropped)."""
    return BytesIO(textwrap.dedent(text).lstrip("\n").encode(encoding))


def dump(path) -> dict:
    """Every row of every table of a DuckDB file, sorted, read with DuckDB directly (read-only)."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}
    finally:
        con.close()
