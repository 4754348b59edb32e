"""Where the database file is, and opening it while another process may hold its lock.

DuckDB lets one process at a time hold a file for writing: :func:`connect`
retries with bounded backoff, then raises
:class:`~stakeholder_map.errors.DatabaseBusy`. :func:`translate` turns a DuckDB
error into our :class:`~stakeholder_map.errors.StoreError`, so driver
exceptions never leave the store package.
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from ..errors import DatabaseBusy, StoreError

__all__ = ["DB_ENV", "DEFAULT_DB", "LOCK_TIMEOUT_ENV", "DEFAULT_LOCK_TIMEOUT", "resolve_db_path",
           "resolve_lock_timeout", "connect", "translate", "is_lock_conflict", "as_dates"]

#: Environment variable naming the database file.
DB_ENV = "STAKEHOLDER_MAP_DB"
#: Where the database lives when neither ``--db`` nor the variable says.
DEFAULT_DB = Path("data") / "stakeholder_map.duckdb"
#: Environment variable: seconds to wait for another process's lock on the file.
LOCK_TIMEOUT_ENV = "STAKEHOLDER_MAP_LOCK_TIMEOUT"
#: Seconds to wait for the file's lock when neither the caller nor the variable says.
DEFAULT_LOCK_TIMEOUT = 10.0


def resolve_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file: ``explicit`` (``--db``), else ``$STAKEHOLDER_MAP_DB``, else the default.

    >>> str(resolve_db_path("maps.duckdb"))
    'maps.duckdb'
    """
    if explicit:
        return Path(explicit)
    env = os.environ.get(DB_ENV)
    return Path(env) if env else DEFAULT_DB


def is_lock_conflict(error: duckdb.Error) -> bool:
    text = str(error).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def translate(error: duckdb.Error) -> StoreError:
    text = str(error)
    if is_lock_conflict(error):
        return DatabaseBusy(f"database busy: another process is using the file ({text.splitlines()[0]})")
    return StoreError(f"database error: {text.splitlines()[0] if text else type(error).__name__}")


def resolve_lock_timeout(explicit: float | None = None) -> float:
    """Seconds to wait for another process's lock: ``explicit``, else ``$STAKEHOLDER_MAP_LOCK_TIMEOUT``, else 10.

    >>> resolve_lock_timeout(2.5), resolve_lock_timeout(-1)
    (2.5, 0.0)
    """
    if explicit is not None:
        return max(0.0, float(explicit))
    text = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    try:
        return max(0.0, float(text)) if text else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


def connect(path: str, *, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying with bounded backoff while another process holds its lock."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.Error as e:
            left = deadline - time.monotonic()
            if not is_lock_conflict(e):
                raise translate(e) from None
            if left <= 0:
                holder = str(e).split("Conflicting lock is held in", 1)[-1].split(". See", 1)[0].strip()
                raise DatabaseBusy(
                    f"database busy: {path} is in use by another process"
                    + (f" ({holder})" if holder and holder != str(e) else "")
                    + f" and stayed locked for {timeout:g} s. Close the dashboard or the other command, "
                    f"or wait longer with {LOCK_TIMEOUT_ENV}=SECONDS."
                ) from None
            time.sleep(min(delay, left))
            delay = min(delay * 2, 0.5)


def as_dates(column: pd.Series) -> list[date]:
    """DuckDB DATE values come back as timestamps; the library speaks ``date``."""
    return [d.date() if hasattr(d, "date") else d for d in column]


