"""The store: the only module that talks to DuckDB.

One DuckDB file holds many *maps* (one per initiative, e.g. "PM software
rollout"). Each map has stakeholders, ties and engagements, and an append-only
stance history (who, stance, date, source: ``import`` or ``engagement``).

Writes are all-or-nothing: :meth:`Store.atomic` wraps them in one
transaction, so an import either lands whole or leaves the file exactly as it
was — also when the process is killed in the middle (DuckDB logs a
transaction only when it commits). Every write bumps a persisted ``revision``
number that caches key on.

Concurrency: one ``Store`` may be shared by threads (each gets its own cursor;
writes take turns, reads never wait). One process at a time holds a file: a
``Store`` that finds it held retries with bounded backoff for up to
``$STAKEHOLDER_MAP_LOCK_TIMEOUT`` seconds (default 10), then raises
``DatabaseBusy``.
SQL uses bound parameters only; frames are loaded in bulk by registering them
and ``INSERT … SELECT``. DuckDB errors never leave this module: they become
:class:`~stakeholder_map.errors.StoreError` (or ``DatabaseBusy`` when another
process holds the file's lock).

Examples
--------
>>> from io import BytesIO
>>> from stakeholder_map.ingest import read_map
>>> with Store(":memory:") as store:
...     data = read_map(BytesIO(b"id,name,stance\\n1,Ann,skeptic\\n2,Bo,\\n"),
...                     BytesIO(b"source,target\\n1,2\\n"))
...     report = store.import_map("Pilot", data, today=date(2026, 1, 5))
...     print(report.people, report.ties, store.map_names(), len(store.stance_history("Pilot")))
2 1 ['Pilot'] 1
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from . import schema as s
from .errors import DatabaseBusy, MapExists, MapNotFound, StoreError
from .ingest import MapData

__all__ = ["Store", "ImportReport", "ErasureReport", "resolve_db_path", "SCHEMA_VERSION", "DB_ENV", "DEFAULT_DB",
           "LOCK_TIMEOUT_ENV", "DEFAULT_LOCK_TIMEOUT", "resolve_lock_timeout"]

#: Version of the table layout; :meth:`Store._migrate` upgrades older files.
SCHEMA_VERSION = 2
#: Environment variable naming the database file.
DB_ENV = "STAKEHOLDER_MAP_DB"
#: Where the database lives when neither ``--db`` nor the variable says.
DEFAULT_DB = Path("data") / "stakeholder_map.duckdb"
MAX_MAP_NAME = 120
#: Environment variable: seconds to wait for another process's lock on the file.
LOCK_TIMEOUT_ENV = "STAKEHOLDER_MAP_LOCK_TIMEOUT"
#: Seconds to wait for the file's lock when neither the caller nor the variable says.
DEFAULT_LOCK_TIMEOUT = 10.0

_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS maps (
        map_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL UNIQUE,
        custom_columns VARCHAR NOT NULL DEFAULT '[]',
        created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS stakeholders (
        map_id INTEGER NOT NULL, seq INTEGER NOT NULL, id VARCHAR NOT NULL,
        name VARCHAR NOT NULL, department VARCHAR NOT NULL, role VARCHAR,
        seniority TINYINT, stance TINYINT, influence TINYINT, interest TINYINT,
        email VARCHAR, notes VARCHAR, attributes VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS ties (
        map_id INTEGER NOT NULL, seq INTEGER NOT NULL, source VARCHAR NOT NULL,
        target VARCHAR NOT NULL, weight DOUBLE NOT NULL, kind VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS engagements (
        map_id INTEGER NOT NULL, seq INTEGER NOT NULL, date DATE NOT NULL,
        stakeholder_id VARCHAR NOT NULL, activity VARCHAR, stance_after TINYINT,
        notes VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS stance_history (
        map_id INTEGER NOT NULL, stakeholder_id VARCHAR NOT NULL, stance TINYINT,
        recorded_on DATE NOT NULL, source VARCHAR NOT NULL,
        recorded_at TIMESTAMP NOT NULL)""",
    # schema 2: engagement edits are recorded; milestones per department or organisation-wide
    """CREATE TABLE IF NOT EXISTS engagement_changes (
        map_id INTEGER NOT NULL, engagement_id INTEGER NOT NULL, action VARCHAR NOT NULL,
        changed_at TIMESTAMP NOT NULL, before VARCHAR, after VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS milestones (
        map_id INTEGER NOT NULL, milestone_id INTEGER NOT NULL, label VARCHAR,
        department VARCHAR, kind VARCHAR NOT NULL, target DOUBLE NOT NULL,
        min_stance TINYINT NOT NULL, due DATE NOT NULL, created_at TIMESTAMP NOT NULL)""",
]
_MAP_TABLES = ("stakeholders", "ties", "engagements", "stance_history", "engagement_changes", "milestones")
#: Kinds of milestone: a share of people at or above a stance, or a champion engaged per department.
MILESTONE_KINDS = ("share", "champion_engaged")


def resolve_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file: ``explicit`` (``--db``), else ``$STAKEHOLDER_MAP_DB``, else the default.

    >>> str(resolve_db_path("maps.duckdb"))
    'maps.duckdb'
    """
    if explicit:
        return Path(explicit)
    env = os.environ.get(DB_ENV)
    return Path(env) if env else DEFAULT_DB


@dataclass
class ImportReport:
    """What an import wrote."""

    map: str
    people: int
    ties: int
    engagements: int
    stance_changes: int
    replaced: bool
    warnings: list[str] = field(default_factory=list)


@dataclass
class ErasureReport:
    """What :meth:`Store.erase_person` removed (rows per table)."""

    map: str
    id: str
    people: int
    ties: int
    engagements: int
    stance_history: int
    engagement_changes: int
    compacted: bool


def _is_lock_conflict(error: duckdb.Error) -> bool:
    text = str(error).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def _translate(error: duckdb.Error) -> StoreError:
    text = str(error)
    if _is_lock_conflict(error):
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


def _connect(path: str, *, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying with bounded backoff while another process holds its lock."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.Error as e:
            left = deadline - time.monotonic()
            if not _is_lock_conflict(e):
                raise _translate(e) from None
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


def _dates(column: pd.Series) -> list[date]:
    """DuckDB DATE values come back as timestamps; the library speaks ``date``."""
    return [d.date() if hasattr(d, "date") else d for d in column]


class Store:
    """A DuckDB file of stakeholder maps.

    Parameters
    ----------
    path : str or Path
        The database file (created with its folder if missing), or ``":memory:"``.
    read_only : bool
        Open without taking the write lock (other readers may share the file).
    lock_timeout : float, optional
        Seconds to wait while another process holds the file (default
        ``$STAKEHOLDER_MAP_LOCK_TIMEOUT``, else 10).

    Raises
    ------
    DatabaseBusy
        Another process still held the file when the wait was over.

    Notes
    -----
    One ``Store`` may be shared by threads (Streamlit sessions): each thread
    gets its own cursor, so transactions never interleave; write transactions
    take turns (a lock per ``Store``), reads see the last committed state and
    never wait.
    """

    def __init__(self, path: str | os.PathLike = ":memory:", *, read_only: bool = False,
                 lock_timeout: float | None = None):
        self.path = str(path)
        self.read_only = read_only
        self._timeout = resolve_lock_timeout(lock_timeout)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._root = _connect(self.path, read_only=read_only, timeout=self._timeout)
        self._local = threading.local()
        self._writing = threading.RLock()
        self._cursors = threading.Lock()
        self._generation = 0
        if not read_only:
            self._migrate()

    # ----------------------------------------------------------- plumbing

    def close(self) -> None:
        """Close the file (every thread's cursor with it)."""
        self._root.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        con = getattr(self._local, "con", None)
        if con is None or self._local.generation != self._generation:
            with self._cursors:
                con = self._local.con = self._root.cursor()
                self._local.generation = self._generation
            self._local.depth = 0
        return con

    def _query(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        return self._run(sql, params, lambda result: result.fetchall())

    def _frame(self, sql: str, params: list | tuple = ()) -> pd.DataFrame:
        return self._run(sql, params, lambda result: result.df())

    def _run(self, sql: str, params: list | tuple, fetch):
        generation = self._generation
        try:
            return fetch(self._con.execute(sql, params))
        except duckdb.Error as e:
            # A read that raced :meth:`compact` (which reopens the file) is run once more.
            if generation != self._generation and not getattr(self._local, "depth", 0):
                try:
                    return fetch(self._con.execute(sql, params))
                except duckdb.Error as again:
                    raise _translate(again) from None
            raise _translate(e) from None

    @contextmanager
    def atomic(self, *, bump: bool = True) -> Iterator["Store"]:
        """All writes inside land together, or none does (BEGIN / COMMIT / ROLLBACK).

        Nested blocks join the outer transaction. ``bump`` (the default) counts
        the block as a write that caches must see (:attr:`revision`).
        """
        con = self._con
        if self._local.depth:
            self._local.depth += 1
            try:
                yield self
            finally:
                self._local.depth -= 1
            return
        with self._writing:  # one write transaction at a time per Store: no write-write conflicts
            con = self._con
            try:
                con.execute("BEGIN TRANSACTION")
            except duckdb.Error as e:
                raise _translate(e) from None
            self._local.depth = 1
            try:
                yield self
                if bump:
                    con.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('revision', CAST(? AS VARCHAR))",
                        [self.revision + 1],
                    )
                con.execute("COMMIT")
            except BaseException as exc:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:
                    pass
                if isinstance(exc, duckdb.Error):
                    raise _translate(exc) from None
                raise
            finally:
                self._local.depth = 0

    def _migrate(self) -> None:
        with self.atomic(bump=False):
            for statement in _SCHEMA:
                self._query(statement)
            found = self._query("SELECT value FROM meta WHERE key = 'schema_version'")
            version = int(found[0][0]) if found else 0
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer Stakeholder Map (schema {version}; "
                    f"this one reads up to {SCHEMA_VERSION})"
                )
            # Layout changes, oldest first. Schema 2 only added tables (created above).
            # Future changes go here as `if version < N: ...` steps.
            self._query("INSERT OR REPLACE INTO meta VALUES ('schema_version', CAST(? AS VARCHAR))",
                        [SCHEMA_VERSION])

    @property
    def schema_version(self) -> int:
        """The table-layout version recorded in the file."""
        return int(self._query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0])

    @property
    def revision(self) -> int:
        """A number that grows with every write; caches key on it."""
        found = self._query("SELECT value FROM meta WHERE key = 'revision'")
        return int(found[0][0]) if found else 0

    # ---------------------------------------------------------------- maps

    def _map_id(self, name: str) -> int:
        found = self._query("SELECT map_id FROM maps WHERE name = ?", [name])
        if not found:
            raise MapNotFound(f"no map named {name!r}")
        return found[0][0]

    @staticmethod
    def _check_name(name: str) -> str:
        clean = " ".join(str(name).split())
        if not clean:
            raise StoreError("a map needs a name")
        if len(clean) > MAX_MAP_NAME:
            raise StoreError(f"a map name has at most {MAX_MAP_NAME} characters")
        return clean

    def has_map(self, name: str) -> bool:
        """Whether a map of that name exists."""
        return bool(self._query("SELECT 1 FROM maps WHERE name = ?", [name]))

    def map_names(self) -> list[str]:
        """Map names, oldest first."""
        return [r[0] for r in self._query("SELECT name FROM maps ORDER BY created_at, map_id")]

    def list_maps(self) -> pd.DataFrame:
        """Every map with its counts of people, ties and engagements."""
        return self._frame("""
            SELECT m.name,
                   (SELECT count(*) FROM stakeholders t WHERE t.map_id = m.map_id) AS people,
                   (SELECT count(*) FROM ties t WHERE t.map_id = m.map_id) AS ties,
                   (SELECT count(*) FROM engagements t WHERE t.map_id = m.map_id) AS engagements,
                   m.created_at, m.updated_at
            FROM maps m ORDER BY m.created_at, m.map_id""")

    def _new_map(self, name: str, custom_columns: list[str]) -> int:
        now = datetime.now()
        map_id = self._query("SELECT coalesce(max(map_id), 0) + 1 FROM maps")[0][0]
        self._query("INSERT INTO maps VALUES (?, ?, ?, ?, ?)",
                    [map_id, name, json.dumps(custom_columns), now, now])
        return map_id

    def create_map(self, name: str) -> None:
        """Create an empty map. Raises MapExists if the name is taken."""
        name = self._check_name(name)
        with self.atomic():
            if self.has_map(name):
                raise MapExists(f"a map named {name!r} exists already")
            self._new_map(name, [])

    def rename_map(self, old: str, new: str) -> None:
        """Give a map another name."""
        new = self._check_name(new)
        with self.atomic():
            map_id = self._map_id(old)
            if new != old and self.has_map(new):
                raise MapExists(f"a map named {new!r} exists already")
            self._query("UPDATE maps SET name = ?, updated_at = ? WHERE map_id = ?",
                        [new, datetime.now(), map_id])

    def delete_map(self, name: str) -> None:
        """Delete a map and everything in it."""
        with self.atomic():
            map_id = self._map_id(name)
            for table in _MAP_TABLES:
                self._query(f"DELETE FROM {table} WHERE map_id = ?", [map_id])
            self._query("DELETE FROM maps WHERE map_id = ?", [map_id])

    def custom_columns(self, name: str) -> list[str]:
        """The map's custom attribute columns, in file order."""
        found = self._query("SELECT custom_columns FROM maps WHERE name = ?", [name])
        if not found:
            raise MapNotFound(f"no map named {name!r}")
        return json.loads(found[0][0])

    # ------------------------------------------------------------- privacy

    def erase_person(self, name: str, stakeholder_id: str, *, compact: bool = True) -> ErasureReport:
        """Remove a person from a map with everything recorded about them, in one transaction.

        Their row goes, and with it every tie from or to them, their
        engagements, their stance history and the change records of every
        engagement that ever concerned them. Other people's free-text notes
        are not searched for their name.

        Parameters
        ----------
        name : str
            The map.
        stakeholder_id : str
            The person's id.
        compact : bool
            Then rewrite the database file (:meth:`compact`), so that the
            removed rows leave no bytes behind in it. Default True.

        Returns
        -------
        ErasureReport
            Rows removed per table.

        Raises
        ------
        MapNotFound, UnknownStakeholder

        Examples
        --------
        >>> from io import BytesIO
        >>> from stakeholder_map.ingest import read_map
        >>> with Store(":memory:") as store:
        ...     _ = store.import_map("M", read_map(BytesIO(b"id,name,stance\\n1,Ann,skeptic\\n2,Bo,\\n"),
        ...                                        BytesIO(b"source,target\\n1,2\\n2,1\\n")))
        ...     report = store.erase_person("M", "1")
        ...     print(report.people, report.ties, report.stance_history, store.people("M")["id"].tolist())
        1 2 1 ['2']
        """
        with self.atomic():
            map_id = self._map_id(name)
            self._check_person(map_id, stakeholder_id)

            def delete(sql: str, params: list) -> int:
                return int(self._query(sql, params)[0][0])

            changes = delete("""DELETE FROM engagement_changes WHERE map_id = ?
                                AND (json_extract_string(before, '$.stakeholder_id') = ?
                                     OR json_extract_string(after, '$.stakeholder_id') = ?)""",
                             [map_id, stakeholder_id, stakeholder_id])
            ties = delete("DELETE FROM ties WHERE map_id = ? AND (source = ? OR target = ?)",
                          [map_id, stakeholder_id, stakeholder_id])
            events = delete("DELETE FROM engagements WHERE map_id = ? AND stakeholder_id = ?", [map_id, stakeholder_id])
            history = delete("DELETE FROM stance_history WHERE map_id = ? AND stakeholder_id = ?",
                             [map_id, stakeholder_id])
            people = delete("DELETE FROM stakeholders WHERE map_id = ? AND id = ?", [map_id, stakeholder_id])
            self._query("UPDATE maps SET updated_at = ? WHERE map_id = ?", [datetime.now(), map_id])
        compacted = self.compact() if compact else False
        return ErasureReport(name, stakeholder_id, people, ties, events, history, changes, compacted)

    def compact(self) -> bool:
        """Rewrite the database file so that deleted rows leave no bytes behind in it.

        DuckDB marks deleted rows and reuses their blocks later; until then
        their bytes stay in the file. This copies every table into a fresh
        file, swaps it in (an atomic rename) and reopens it; threads sharing
        this ``Store`` carry on with the new file. Does nothing in memory or
        read-only, nor inside an :meth:`atomic` block (the rewrite needs the
        transaction to be over). Returns whether the file was rewritten.

        Only this ``Store`` may have the file open in this process (the
        dashboard shares one; each CLI command opens its own).
        """
        if self.path == ":memory:" or self.read_only or getattr(self._local, "depth", 0):
            return False
        path = Path(self.path)
        fresh = path.with_name(path.name + ".compacting")
        with self._writing:
            for leftover in (fresh, Path(f"{fresh}.wal")):
                leftover.unlink(missing_ok=True)
            con = self._root
            try:
                con.execute("CHECKPOINT")
                source = con.execute("SELECT current_database()").fetchone()[0]
                con.execute("ATTACH '" + str(fresh).replace("'", "''") + "' AS stakeholder_map_compacted")
                try:
                    con.execute('COPY FROM DATABASE "' + source.replace('"', '""') + '" TO stakeholder_map_compacted')
                finally:
                    con.execute("DETACH stakeholder_map_compacted")
            except duckdb.Error as e:
                fresh.unlink(missing_ok=True)
                raise _translate(e) from None
            with self._cursors:
                self._generation += 1
                self._root.close()
                os.replace(fresh, path)
                self._root = _connect(self.path, read_only=False, timeout=self._timeout)
        return True

    # -------------------------------------------------------------- import

    def _insert(self, table: str, map_id: int, frame: pd.DataFrame, columns: list[str]) -> None:
        incoming = frame[columns].copy()
        incoming.insert(0, "seq", range(len(incoming)))
        con = self._con
        con.register("incoming", incoming)
        try:
            con.execute(
                f"INSERT INTO {table} (map_id, seq, {', '.join(columns)}) "
                f"SELECT ?, seq, {', '.join(columns)} FROM incoming",
                [map_id],
            )
        finally:
            con.unregister("incoming")

    def import_map(self, name: str, data: MapData, *, replace: bool = False,
                   today: date | None = None) -> ImportReport:
        """Write a validated map in one transaction.

        Parameters
        ----------
        name : str
            The map to create (or to replace).
        data : MapData
            From :func:`stakeholder_map.ingest.read_map`.
        replace : bool
            Replace an existing map's people, ties and engagements. A stance
            history row is appended for every stance that changed.
        today : date, optional
            The date stance-history rows from this import carry.

        Raises
        ------
        MapExists
            The map exists and ``replace`` is false.
        """
        name = self._check_name(name)
        today = today or date.today()
        now = datetime.now()
        people = data.people.copy()
        people[s.ATTRIBUTES] = [json.dumps(a, ensure_ascii=False) if a else None
                                for a in people[s.ATTRIBUTES]]
        with self.atomic():
            replaced = self.has_map(name)
            if replaced and not replace:
                raise MapExists(
                    f"a map named {name!r} exists already; import with --replace "
                    "(or tick 'Replace') to overwrite it, or choose another name"
                )
            if replaced:
                map_id = self._map_id(name)
                before = self._frame("SELECT id, stance FROM stakeholders WHERE map_id = ?", [map_id])
                for table in ("stakeholders", "ties", "engagements"):
                    self._query(f"DELETE FROM {table} WHERE map_id = ?", [map_id])
                self._query("DELETE FROM stance_history WHERE map_id = ? AND source = 'engagement'", [map_id])
                self._query("UPDATE maps SET custom_columns = ?, updated_at = ? WHERE map_id = ?",
                            [json.dumps(data.custom_columns), now, map_id])
            else:
                map_id = self._new_map(name, data.custom_columns)
                before = None
            self._insert("stakeholders", map_id, people,
                         [s.ID, s.NAME, s.DEPARTMENT, s.ROLE, s.SENIORITY, s.STANCE,
                          s.INFLUENCE, s.INTEREST, s.EMAIL, s.NOTES, s.ATTRIBUTES])
            self._insert("ties", map_id, data.ties, [s.SOURCE, s.TARGET, s.WEIGHT, s.KIND])
            self._insert("engagements", map_id, data.engagements,
                         [s.DATE, s.STAKEHOLDER_ID, s.ACTIVITY, s.STANCE_AFTER, s.NOTES])
            changes = self._record_stances(map_id, people, before, today, now)
            self._query("""
                INSERT INTO stance_history
                SELECT map_id, stakeholder_id, stance_after, date, 'engagement', ?
                FROM engagements WHERE map_id = ? AND stance_after IS NOT NULL""", [now, map_id])
        return ImportReport(name, len(people), len(data.ties), len(data.engagements),
                            changes, replaced, list(data.warnings))

    def _record_stances(self, map_id: int, people: pd.DataFrame, before: pd.DataFrame | None,
                        today: date, now: datetime) -> int:
        """Append a history row for each new known stance, or each changed one on replace."""
        con = self._con
        current = pd.DataFrame({"id": people[s.ID], "stance": people[s.STANCE]})
        con.register("current_stances", current)
        try:
            if before is None:
                sql = """INSERT INTO stance_history
                         SELECT ?, id, stance, ?, 'import', ? FROM current_stances
                         WHERE stance IS NOT NULL"""
            else:
                con.register("previous_stances", before)
                sql = """INSERT INTO stance_history
                         SELECT ?, c.id, c.stance, ?, 'import', ?
                         FROM current_stances c LEFT JOIN previous_stances p ON c.id = p.id
                         WHERE (p.id IS NULL AND c.stance IS NOT NULL)
                            OR (p.id IS NOT NULL AND c.stance IS DISTINCT FROM p.stance)"""
            return con.execute(sql, [map_id, today, now]).fetchall()[0][0]
        finally:
            con.unregister("current_stances")
            if before is not None:
                con.unregister("previous_stances")

    # --------------------------------------------------------- engagements

    def _engagement_row(self, map_id: int, engagement_id: int) -> dict:
        found = self._frame("""SELECT date, stakeholder_id, activity, stance_after, notes FROM engagements
                               WHERE map_id = ? AND seq = ?""", [map_id, engagement_id])
        if found.empty:
            raise StoreError(f"no engagement {engagement_id} in this map")
        row = found.iloc[0].to_dict()
        row["date"] = _dates(found["date"])[0].isoformat()
        row["stance_after"] = None if pd.isna(row["stance_after"]) else int(row["stance_after"])
        return {k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in row.items()}

    def _check_person(self, map_id: int, stakeholder_id: str) -> None:
        if not self._query("SELECT 1 FROM stakeholders WHERE map_id = ? AND id = ?", [map_id, stakeholder_id]):
            from .errors import UnknownStakeholder
            raise UnknownStakeholder(f"no stakeholder with id {stakeholder_id!r} in this map")

    def _rederive_engagement_stances(self, map_id: int, people: list[str]) -> None:
        """Engagement rows of the stance history follow the engagements; current stances follow the history."""
        now = datetime.now()
        self._query("DELETE FROM stance_history WHERE map_id = ? AND source = 'engagement'", [map_id])
        self._query("""INSERT INTO stance_history
                       SELECT map_id, stakeholder_id, stance_after, date, 'engagement', ?
                       FROM engagements WHERE map_id = ? AND stance_after IS NOT NULL
                       ORDER BY date, seq""", [now, map_id])
        for person in people:
            latest = self._query("""SELECT stance FROM stance_history WHERE map_id = ? AND stakeholder_id = ?
                                    ORDER BY recorded_on DESC, recorded_at DESC, source = 'engagement' DESC
                                    LIMIT 1""", [map_id, person])
            if latest:
                self._query("UPDATE stakeholders SET stance = ? WHERE map_id = ? AND id = ?",
                            [latest[0][0], map_id, person])

    def _record_change(self, map_id: int, engagement_id: int, action: str,
                       before: dict | None, after: dict | None) -> None:
        self._query("INSERT INTO engagement_changes VALUES (?, ?, ?, ?, ?, ?)",
                    [map_id, engagement_id, action, datetime.now(),
                     json.dumps(before, ensure_ascii=False) if before else None,
                     json.dumps(after, ensure_ascii=False) if after else None])

    def log_engagement(self, name: str, *, when: date, stakeholder_id: str, activity: str | None = None,
                       stance_after: int | None = None, notes: str | None = None) -> int:
        """Record one touchpoint; a stance after it enters the stance history. Returns its id.

        The person's current stance becomes the latest one in their history.
        """
        with self.atomic():
            map_id = self._map_id(name)
            self._check_person(map_id, stakeholder_id)
            engagement_id = self._query("SELECT coalesce(max(seq), -1) + 1 FROM engagements WHERE map_id = ?",
                                        [map_id])[0][0]
            self._query("INSERT INTO engagements VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [map_id, engagement_id, when, stakeholder_id, activity or None, stance_after,
                         notes or None])
            after = self._engagement_row(map_id, engagement_id)
            self._record_change(map_id, engagement_id, "log", None, after)
            if stance_after is not None:
                self._rederive_engagement_stances(map_id, [stakeholder_id])
            self._query("UPDATE maps SET updated_at = ? WHERE map_id = ?", [datetime.now(), map_id])
        return engagement_id

    def add_engagements(self, name: str, events: pd.DataFrame) -> list[int]:
        """Append many touchpoints at once (e.g. an engagements CSV), all or nothing.

        ``events`` has the columns of :attr:`MapData.engagements` with known
        stakeholder ids (see :func:`stakeholder_map.ingest.read_engagements`).
        Each is recorded as logged; returns their ids.
        """
        with self.atomic():
            map_id = self._map_id(name)
            first = self._query("SELECT coalesce(max(seq), -1) + 1 FROM engagements WHERE map_id = ?",
                                [map_id])[0][0]
            incoming = events[[s.DATE, s.STAKEHOLDER_ID, s.ACTIVITY, s.STANCE_AFTER, s.NOTES]].reset_index(drop=True)
            incoming.insert(0, "seq", range(first, first + len(incoming)))
            con = self._con
            con.register("incoming", incoming)
            try:
                con.execute("""INSERT INTO engagements
                               SELECT ?, seq, date, stakeholder_id, activity, stance_after, notes FROM incoming""",
                            [map_id])
            finally:
                con.unregister("incoming")
            ids = list(range(first, first + len(incoming)))
            for engagement_id in ids:
                self._record_change(map_id, engagement_id, "log", None, self._engagement_row(map_id, engagement_id))
            moved = incoming.loc[incoming[s.STANCE_AFTER].notna(), s.STAKEHOLDER_ID].unique().tolist()
            self._rederive_engagement_stances(map_id, sorted(moved))
            self._query("UPDATE maps SET updated_at = ? WHERE map_id = ?", [datetime.now(), map_id])
        return ids

    def edit_engagement(self, name: str, engagement_id: int, *, when: date | None = None,
                        stakeholder_id: str | None = None, activity: str | None = None,
                        stance_after: int | None = None, notes: str | None = None) -> None:
        """Change a touchpoint (every field is replaced); the change is recorded."""
        with self.atomic():
            map_id = self._map_id(name)
            before = self._engagement_row(map_id, engagement_id)
            person = stakeholder_id or before["stakeholder_id"]
            self._check_person(map_id, person)
            self._query("""UPDATE engagements SET date = ?, stakeholder_id = ?, activity = ?, stance_after = ?,
                           notes = ? WHERE map_id = ? AND seq = ?""",
                        [when or date.fromisoformat(before["date"]), person, activity or None, stance_after,
                         notes or None, map_id, engagement_id])
            after = self._engagement_row(map_id, engagement_id)
            self._record_change(map_id, engagement_id, "edit", before, after)
            self._rederive_engagement_stances(map_id, sorted({before["stakeholder_id"], person}))
            self._query("UPDATE maps SET updated_at = ? WHERE map_id = ?", [datetime.now(), map_id])

    def delete_engagement(self, name: str, engagement_id: int) -> None:
        """Remove a touchpoint; the deletion (with what it held) is recorded."""
        with self.atomic():
            map_id = self._map_id(name)
            before = self._engagement_row(map_id, engagement_id)
            self._query("DELETE FROM engagements WHERE map_id = ? AND seq = ?", [map_id, engagement_id])
            self._record_change(map_id, engagement_id, "delete", before, None)
            self._rederive_engagement_stances(map_id, [before["stakeholder_id"]])
            self._query("UPDATE maps SET updated_at = ? WHERE map_id = ?", [datetime.now(), map_id])

    def engagement_changes(self, name: str) -> pd.DataFrame:
        """Every logged, edited or deleted touchpoint: engagement_id, action, changed_at, before, after."""
        map_id = self._map_id(name)
        frame = self._frame("""SELECT engagement_id, action, changed_at, before, after FROM engagement_changes
                               WHERE map_id = ? ORDER BY changed_at""", [map_id])
        for column in ("before", "after"):
            frame[column] = [json.loads(v) if isinstance(v, str) else None for v in frame[column]]
        return frame

    # ---------------------------------------------------------- milestones

    def add_milestone(self, name: str, *, due: date, target: float, kind: str = "share",
                      department: str | None = None, min_stance: int = 1, label: str | None = None) -> int:
        """A target to reach by ``due``; returns its id.

        ``kind="share"``: at least ``target`` (0–1) of the department (or, with no
        department, of everyone) at stance ``min_stance`` or better.
        ``kind="champion_engaged"``: a champion engaged in every department
        (``target`` is the share of departments).
        """
        if kind not in MILESTONE_KINDS:
            raise StoreError(f"unknown milestone kind {kind!r}; use one of {', '.join(MILESTONE_KINDS)}")
        if not 0 < float(target) <= 1:
            raise StoreError("a milestone's target is a share between 0 and 1")
        if not -2 <= int(min_stance) <= 2:
            raise StoreError("a milestone's stance is between -2 and 2")
        with self.atomic():
            map_id = self._map_id(name)
            milestone_id = self._query("SELECT coalesce(max(milestone_id), 0) + 1 FROM milestones WHERE map_id = ?",
                                       [map_id])[0][0]
            self._query("INSERT INTO milestones VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [map_id, milestone_id, label or None, department or None, kind, float(target),
                         int(min_stance), due, datetime.now()])
        return milestone_id

    def milestones(self, name: str) -> pd.DataFrame:
        """The map's milestones by due date: milestone_id, label, department (None = everyone), kind,
        target, min_stance, due."""
        map_id = self._map_id(name)
        frame = self._frame("""SELECT milestone_id, label, department, kind, target, min_stance, due
                               FROM milestones WHERE map_id = ? ORDER BY due, milestone_id""", [map_id])
        frame["due"] = _dates(frame["due"])
        for column in ("label", "department"):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        return frame

    def delete_milestone(self, name: str, milestone_id: int) -> None:
        """Remove a milestone."""
        with self.atomic():
            map_id = self._map_id(name)
            if not self._query("SELECT 1 FROM milestones WHERE map_id = ? AND milestone_id = ?",
                               [map_id, milestone_id]):
                raise StoreError(f"no milestone {milestone_id} in this map")
            self._query("DELETE FROM milestones WHERE map_id = ? AND milestone_id = ?", [map_id, milestone_id])

    # --------------------------------------------------------------- reads

    def people(self, name: str) -> pd.DataFrame:
        """The map's stakeholders in file order (columns as :class:`MapData.people`)."""
        map_id = self._map_id(name)
        frame = self._frame("""
            SELECT id, name, department, role, seniority, stance, influence, interest,
                   email, notes, attributes
            FROM stakeholders WHERE map_id = ? ORDER BY seq""", [map_id])
        for column in (s.SENIORITY, s.STANCE, s.INFLUENCE, s.INTEREST):
            frame[column] = frame[column].astype("Int64")
        for column in (s.ROLE, s.EMAIL, s.NOTES):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        frame[s.ATTRIBUTES] = [json.loads(a) if isinstance(a, str) else {} for a in frame[s.ATTRIBUTES]]
        return frame

    def ties(self, name: str, kinds: list[str] | None = None) -> pd.DataFrame:
        """The map's ties in file order, optionally only those of some kinds."""
        map_id = self._map_id(name)
        if kinds is None:
            frame = self._frame("SELECT source, target, weight, kind FROM ties WHERE map_id = ? ORDER BY seq",
                                [map_id])
        else:
            frame = self._frame("""SELECT source, target, weight, kind FROM ties
                                   WHERE map_id = ? AND kind = ANY(?) ORDER BY seq""", [map_id, list(kinds)])
        frame[s.KIND] = frame[s.KIND].astype(object).where(frame[s.KIND].notna(), None)
        return frame

    def tie_kinds(self, name: str) -> list[str]:
        """The distinct tie kinds of a map, sorted."""
        map_id = self._map_id(name)
        return [r[0] for r in self._query(
            "SELECT DISTINCT kind FROM ties WHERE map_id = ? AND kind IS NOT NULL ORDER BY kind", [map_id])]

    def engagements(self, name: str) -> pd.DataFrame:
        """The map's engagements in the order they were imported or logged, indexed by engagement id."""
        map_id = self._map_id(name)
        frame = self._frame("""SELECT seq AS engagement_id, date, stakeholder_id, activity, stance_after, notes
                               FROM engagements WHERE map_id = ? ORDER BY seq""", [map_id])
        frame = frame.set_index("engagement_id")
        frame[s.DATE] = _dates(frame[s.DATE])
        frame[s.STANCE_AFTER] = frame[s.STANCE_AFTER].astype("Int64")
        for column in (s.ACTIVITY, s.NOTES):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        return frame

    def stance_history(self, name: str, stakeholder_id: str | None = None) -> pd.DataFrame:
        """Stance history rows (oldest first), for the map or one person.

        Rows recorded in the same instant (an import writes the file's stances
        and its engagements' together) list the import's first: a touchpoint's
        stance is what was observed after the touchpoint, so it is the later one.
        """
        map_id = self._map_id(name)
        frame = self._frame("""
            SELECT stakeholder_id, stance, recorded_on, source FROM stance_history
            WHERE map_id = ? AND (CAST(? AS VARCHAR) IS NULL OR stakeholder_id = ?)
            ORDER BY recorded_on, recorded_at, source = 'engagement', stakeholder_id""",
            [map_id, stakeholder_id, stakeholder_id])
        frame["stance"] = frame["stance"].astype("Int64")
        frame["recorded_on"] = _dates(frame["recorded_on"])
        return frame

    def tie_pairs(self, name: str, kinds: list[str] | None = None) -> pd.DataFrame:
        """The map's ties summed per ordered pair of people, as row positions in :meth:`people`.

        The same pairs as the edges of :meth:`graph` (self-ties left out,
        weights summed, rows counted), computed in the database: for a million
        ties this takes about half a second, where building the graph takes
        several, so the department overview of a big map can be drawn first.

        Returns
        -------
        DataFrame
            ``source, target`` (int64 positions of the people in
            ``people(name)``), ``weight`` (float, summed) and ``ties`` (rows).

        Examples
        --------
        >>> from io import BytesIO
        >>> from stakeholder_map.ingest import read_map
        >>> with Store(":memory:") as store:
        ...     _ = store.import_map("M", read_map(
        ...         BytesIO(b"id,name\\nb,B\\na,A\\n"),
        ...         BytesIO(b"source,target,weight,kind\\na,b,2,advice\\na,b,1,friendship\\nb,a,1,advice\\n")))
        ...     store.tie_pairs("M").values.tolist(), store.tie_pairs("M", ["advice"]).values.tolist()
        ([[0.0, 1.0, 1.0, 1.0], [1.0, 0.0, 3.0, 2.0]], [[0.0, 1.0, 1.0, 1.0], [1.0, 0.0, 2.0, 1.0]])
        """
        map_id = self._map_id(name)
        frame = self._frame("""
            WITH p AS (SELECT id, row_number() OVER (ORDER BY seq) - 1 AS i
                       FROM stakeholders WHERE map_id = ?)
            SELECT a.i AS source, b.i AS target, sum(t.weight) AS weight, count(*) AS ties
            FROM ties t JOIN p a ON a.id = t.source JOIN p b ON b.id = t.target
            WHERE t.map_id = ? AND t.source <> t.target
              AND (CAST(? AS VARCHAR[]) IS NULL OR t.kind = ANY(?))
            GROUP BY 1, 2 ORDER BY 1, 2""", [map_id, map_id, kinds, kinds])
        return frame.astype({"source": "int64", "target": "int64", "weight": "float64", "ties": "int64"})
