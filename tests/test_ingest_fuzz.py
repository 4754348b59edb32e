"""Property-based fuzzing: whatever bytes arrive, ingest answers with data or a ContractError.

Random bytes, and random CSV-like text built from the pieces real files are
made of (delimiters, quotes, line ends, BOMs, NULs, contract headers, numbers
with decimal commas, formulas, cp1252 and UTF-8 accents), go through every
reader: ``read_map`` (each file position), ``read_engagements``, ``read_table``
and ``read_headers``. Nothing but :class:`ContractError` may come out; a file
that is read must give frames of the contract's shape, and a refusal must name
at least one problem.
"""

from __future__ import annotations

import os
from io import BytesIO

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakeholder_map import schema as s
from stakeholder_map.errors import ContractError
from stakeholder_map.ingest import read_engagements, read_headers, read_map, read_table

#: Examples per property (FUZZ_EXAMPLES=5000 for a long run).
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")), deadline=None,
                suppress_health_check=list(HealthCheck))
PEOPLE = b"id,name\n1,Ann\n007,Bo\n"

#: The pieces CSV files are made of, good and bad.
TOKENS = [
    ",", ";", "\t", '"', '""', "'", "\n", "\r\n", "\r", " ", "\x00", "\ufeff", "\xa0", "sep=;\n",
    "id", "name", "ID", "Full Name", "department", "stance", "influence", "interest", "seniority",
    "source", "target", "from", "to", "weight", "kind", "date", "stakeholder_id", "stance_after",
    "notes", "email", "1", "007", "2", "-1", "2,5", "3.0", "1e308", "nan", "inf", "0",
    "supporter", "resistant", "director", "2026-01-31", "2026-02-30", "=SUM(A1)", "+1", "@x", "-",
    "Zoë", "李雷", "\u2212", "x" * 50,
]
CSV_TEXT = st.lists(st.sampled_from(TOKENS), max_size=80).map("".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"])


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


def _read_or_refuse(call) -> object:
    """Run a reader: its result, or None when it refused (with at least one problem)."""
    try:
        return call()
    except ContractError as e:
        assert e.problems and e.total >= len(e.problems)
        assert all(p.file for p in e.problems)
        return None


def _check_map(data) -> None:
    if data is None:
        return
    assert list(data.people.columns)[:3] == [s.ID, s.NAME, s.DEPARTMENT]
    assert data.people[s.ID].is_unique and (data.people[s.ID] != "").all()
    assert set(data.ties[s.SOURCE]) | set(data.ties[s.TARGET]) <= set(data.people[s.ID])
    assert (data.ties[s.WEIGHT] > 0).all()
    assert all(isinstance(w, str) for w in data.warnings)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_in_every_reader(raw):
    _check_map(_read_or_refuse(lambda: read_map(BytesIO(raw))))
    _check_map(_read_or_refuse(lambda: read_map(BytesIO(PEOPLE), BytesIO(raw))))
    _check_map(_read_or_refuse(lambda: read_map(BytesIO(PEOPLE), None, BytesIO(raw))))
    events = _read_or_refuse(lambda: read_engagements(BytesIO(raw), ["1", "007"]))
    assert events is None or isinstance(events, pd.DataFrame)
    _read_or_refuse(lambda: read_table(BytesIO(raw), s.TEAM))
    assert isinstance(read_headers(BytesIO(raw)), list)


@FUZZ
@given(CSV_TEXT, CSV_TEXT, CSV_TEXT, ENCODINGS)
def test_random_csv_like_text(people, ties, events, encoding):
    files = [BytesIO(_encode(t, encoding)) for t in (people, ties, events)]
    _check_map(_read_or_refuse(lambda: read_map(*files)))
    _read_or_refuse(lambda: read_table(BytesIO(_encode(people, encoding)), s.TEAM))
    assert isinstance(read_headers(BytesIO(_encode(people, encoding))), list)


@FUZZ
@given(CSV_TEXT, CSV_TEXT, st.sampled_from([",", ";", "\t"]), ENCODINGS)
def test_random_rows_under_valid_headers(people_rows, tie_rows, delimiter, encoding):
    d = delimiter
    people = f"id{d}name{d}department{d}stance{d}influence\n1{d}Ann{d}IT{d}{d}3\n" + people_rows
    ties = f"source{d}target{d}weight{d}kind\n" + tie_rows
    events = f"date{d}stakeholder_id{d}stance_after{d}notes\n" + tie_rows
    _check_map(_read_or_refuse(lambda: read_map(*(BytesIO(_encode(t, encoding)) for t in (people, ties, events)))))
    _read_or_refuse(lambda: read_engagements(BytesIO(_encode(events, encoding)), ["1"]))
