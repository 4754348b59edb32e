"""The store: the only module that talks to DuckDB.

One DuckDB file holds many *maps* (one per initiative, e.g. "PM software
rollout"). Each map has stakeholders, ties and engagements, and an append-only
stance history (who, stance, date, source: ``import`` or ``engagement``).

Members of the team hold a role per map or for every map; every write takes
``by=`` (who did it) and appends one row to the audit log in the same
transaction (schema 3).

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
>>> from datetime import date
>>> from io import BytesIO
>>> from stakeholder_map.ingest import read_map
>>> with Store(":memory:") as store:
...     data = read_map(BytesIO(b"id,name,stance\\n1,Ann,skeptic\\n2,Bo,\\n"),
...                     BytesIO(b"source,target\\n1,2\\n"))
...     report = store.import_map("Pilot", data, today=date(2026, 1, 5))
...     print(report.people, report.ties, store.map_names(), len(store.stance_history("Pilot")))
2 1 ['Pilot'] 1
"""

from .connection import (
    DB_ENV, DEFAULT_DB, DEFAULT_LOCK_TIMEOUT, LOCK_TIMEOUT_ENV, resolve_db_path, resolve_lock_timeout,
)
from .audit import AUDIT_COLUMNS
from .core import Store
from .interactions import DEFAULT_HALF_LIFE_DAYS, DEFAULT_MAX_RECIPIENTS, InteractionReport
from .members import MEMBER_COLUMNS, normalise_email
from .reports import ErasureReport, ImportReport
from .surveys import SURVEY_LIST_COLUMNS, SurveyApplyReport, SurveyInvite
from .tables import ALL_MAPS, MAP_TABLES, MEMBER_ROLES, MILESTONE_KINDS, SCHEMA_VERSION

__all__ = ["Store", "ImportReport", "ErasureReport", "resolve_db_path", "SCHEMA_VERSION", "DB_ENV", "DEFAULT_DB",
           "LOCK_TIMEOUT_ENV", "DEFAULT_LOCK_TIMEOUT", "resolve_lock_timeout", "MAP_TABLES", "MILESTONE_KINDS",
           "MEMBER_ROLES", "ALL_MAPS", "MEMBER_COLUMNS", "AUDIT_COLUMNS", "normalise_email", "InteractionReport",
           "DEFAULT_MAX_RECIPIENTS", "DEFAULT_HALF_LIFE_DAYS", "SurveyInvite", "SurveyApplyReport",
           "SURVEY_LIST_COLUMNS"]
