"""Many hands on one map (issue 13): the team benchmark's correctness check, small and un-timed.

Three browser sessions of one Chromium (a context each, so three Streamlit sessions) log touchpoints through
the Engagement page's form at the same time and read other pages in between, on a server of their own with
its own DuckDB file (the demo organisation), so every count is exact. Afterwards, with the server stopped,
the file must hold each confirmed touchpoint exactly once under the id the page announced, one 'log' row
per touchpoint in the change record and nothing else new; and every session must have seen every other
session's touchpoints on its next Engagement page. The driver and the check are ``bench.bench_team``'s;
the first tests here show the check itself finds a lost, a duplicated and a stray write.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bench.bench_team import ACTIVITY, NOTE_PREFIX, Write, check_store, prepare_database, run_sessions, snapshot
from stakeholder_map.store import Store
from tests.e2e.e2e_support import CHROMIUM, start_server, stop_server

SESSIONS = 3
WRITES_EACH = 2


def _log(store: Store, map_name: str, person: str, note: str) -> int:
    return store.log_engagement(map_name, when=date.today(), stakeholder_id=person,
                                activity=ACTIVITY, notes=note)


def test_the_check_passes_when_each_write_is_stored_once(tmp_path):
    db = tmp_path / "team.duckdb"
    map_name, people = prepare_database(db)
    before = snapshot(db, map_name)
    person = next(iter(people))
    writes = []
    with Store(db) as store:
        for number in (1, 2):
            note = f"{NOTE_PREFIX}1 #{number}"
            writes.append(Write(1, number, note, person, outcome="ok",
                                engagement_id=_log(store, map_name, person, note)))
    problems, counts = check_store(db, map_name, before, writes)
    assert problems == []
    assert counts["stored"] == counts["logs"] == counts["revisions"] == 2
    assert counts.get("audit", 2) == 2          # team mode's store keeps an audit log: one row per write


def test_the_check_finds_a_lost_a_duplicated_and_a_stray_write(tmp_path):
    db = tmp_path / "team.duckdb"
    map_name, people = prepare_database(db)
    before = snapshot(db, map_name)
    person = next(iter(people))
    with Store(db) as store:
        kept = _log(store, map_name, person, f"{NOTE_PREFIX}1 #1")
        _log(store, map_name, person, f"{NOTE_PREFIX}2 #1")           # confirmed once, stored twice
        twice = _log(store, map_name, person, f"{NOTE_PREFIX}2 #1")
        _log(store, map_name, person, f"{NOTE_PREFIX}9 #9")           # written by nobody
        store.edit_engagement(map_name, 0, notes="changed behind the sessions' back")
    writes = [Write(1, 1, f"{NOTE_PREFIX}1 #1", person, outcome="ok", engagement_id=kept),
              Write(1, 2, f"{NOTE_PREFIX}1 #2", person, outcome="ok", engagement_id=kept + 4),  # lost
              Write(2, 1, f"{NOTE_PREFIX}2 #1", person, outcome="ok", engagement_id=twice - 1)]
    problems, counts = check_store(db, map_name, before, writes)
    text = "\n".join(problems)
    assert f"'{NOTE_PREFIX}1 #2' was confirmed as #{kept + 4} but is not stored (lost)" in text
    assert f"'{NOTE_PREFIX}2 #1' is stored 2 times" in text
    assert f"'{NOTE_PREFIX}9 #9' is stored but no session wrote it" in text
    assert "touchpoints that were there before the run changed" in text
    assert "the change record gained other actions than 'log'" in text
    assert "revision grew by 5 for 4 touchpoints" in text
    if hasattr(Store, "audit_log"):             # team mode's store: the edit's audit row is not a touchpoint's
        assert "the audit log gained 1 other rows: ['edit_engagement']" in text
    assert counts["stored"] == 4


def test_three_sessions_at_once_lose_and_duplicate_nothing_and_see_each_other(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (scripts/test installs Debian's chromium)")
    db = tmp_path / "team.duckdb"
    map_name, people = prepare_database(db)
    before = snapshot(db, map_name)
    process, url = start_server(db, log=tmp_path / "streamlit.log")
    try:
        run = run_sessions(url, people, len(before.engagements), sessions=SESSIONS, writes_each=WRITES_EACH,
                           server_pid=process.pid)
    finally:
        stop_server(process)

    assert [v for v in run.visits if v.error] == []
    assert [(w.note, w.outcome, w.error) for w in run.writes if w.outcome != "ok"] == []
    assert len(run.succeeded) == SESSIONS * WRITES_EACH
    assert len({w.engagement_id for w in run.succeeded}) == SESSIONS * WRITES_EACH
    problems, counts = check_store(db, map_name, before, run.writes)
    assert problems == []
    assert counts["stored"] == counts["logs"] == counts["revisions"] == SESSIONS * WRITES_EACH
    assert counts.get("audit", SESSIONS * WRITES_EACH) == SESSIONS * WRITES_EACH
    # Each session saw the touchpoints every other session had logged, at the latest on its final load.
    assert run.unseen == []
    pairs = {(writer, reader) for writer, reader, _ in run.seen}
    assert pairs == {(a, b) for a in range(1, SESSIONS + 1) for b in range(1, SESSIONS + 1) if a != b}
    assert max(run.rss_mb) > 0
