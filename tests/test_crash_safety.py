"""A process killed (SIGKILL) in the middle of an import leaves the map as it was, and the file usable.

A child process imports a synthetic organisation of 50,000 people and about
300,000 ties into a database file that already holds a map, and is killed:

* deterministically inside the import's transaction, after every row has been
  inserted (a hook in the child prints ``mid-import`` and waits);
* right after the commit (the import must then be there whole);
* at fixed delays after it starts importing (whatever phase that hits, the
  new map is there whole or not at all).

Afterwards the file opens, the earlier map is exactly as before (every row of
every table compared), and new writes work.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from tests.support import csv, dump

from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store
from stakeholder_map.synthetic import synthetic_organisation

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 50_000

CHILD = r"""
import sys, time
from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store

db, people, ties, mode = sys.argv[1:]
with open(people, "rb") as p, open(ties, "rb") as t:
    data = read_map(p, t)
store = Store(db)
if mode == "hook":
    record = store._record_stances
    def stall(*args, **kwargs):
        changes = record(*args, **kwargs)  # every row is in; the transaction is still open
        print("mid-import", flush=True)
        time.sleep(600)
    store._record_stances = stall
print("importing", flush=True)
store.import_map("Big", data)
print("committed", flush=True)
time.sleep(600)
"""


@pytest.fixture(scope="module")
def big_files(tmp_path_factory) -> tuple[Path, Path, int]:
    folder = tmp_path_factory.mktemp("big")
    people, ties = synthetic_organisation(PEOPLE, ties_per_person=5, seed=0)
    people.to_csv(folder / "people.csv", index=False)
    ties.to_csv(folder / "ties.csv", index=False)
    return folder / "people.csv", folder / "ties.csv", len(ties)


@pytest.fixture(scope="module")
def before_db(tmp_path_factory) -> Path:
    """A database file holding one small map with engagements, history and a milestone."""
    path = tmp_path_factory.mktemp("before") / "maps.duckdb"
    with Store(path) as store:
        store.import_map("Before", read_map(
            csv("id,name,department,stance\na,Ann,IT,supporter\nb,Bo,Finance,skeptic\nc,Cy,Finance,\n"),
            csv("source,target,weight,kind\na,b,2,advice\nb,c,1,reports_to\n"),
            csv("date,stakeholder_id,activity,stance_after,notes\n2026-01-05,b,demo,neutral,liked it\n")),
            today=date(2026, 1, 1))
        store.add_milestone("Before", due=date(2026, 6, 30), target=0.5, department="Finance")
    return path


def _kill_during(db: Path, files, mode: str, *, after: str, delay: float = 0.0) -> str:
    """Run the child until it prints ``after`` (then wait ``delay``), SIGKILL it; returns its output."""
    people, ties, _ = files
    env = dict(os.environ, PYTHONPATH=str(ROOT), STAKEHOLDER_MAP_LOCK_TIMEOUT="1")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(people), str(ties), mode],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    seen = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                raise AssertionError(f"child ended early: {seen} {child.stderr.read()}")
            seen.append(line.strip())
            if line.strip() == after:
                break
        time.sleep(delay)
        assert child.poll() is None, f"child finished before it could be killed: {seen}"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    return " ".join(seen)


def _fresh_copy(before_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "maps.duckdb"
    shutil.copy(before_db, db)
    return db


def _still_usable(db: Path) -> None:
    with Store(db) as store:
        store.import_map("After", read_map(csv("id,name\nz,Zoë\n")))
        store.log_engagement("Before", when=date(2026, 2, 1), stakeholder_id="a", activity="1:1")
        assert len(store.people("Before")) == 3 and store.map_names()[-1] == "After"


def test_killed_inside_the_transaction_leaves_the_previous_state(before_db, big_files, tmp_path):
    db = _fresh_copy(before_db, tmp_path)
    before = dump(db)
    output = _kill_during(db, big_files, "hook", after="mid-import")
    assert "mid-import" in output and "committed" not in output
    assert dump(db) == before  # every row of every table, no trace of 'Big'
    _still_usable(db)


def test_killed_right_after_the_commit_keeps_the_whole_import(before_db, big_files, tmp_path):
    db = _fresh_copy(before_db, tmp_path)
    before = dump(db)
    _kill_during(db, big_files, "plain", after="committed")
    with Store(db) as store:
        counts = store.list_maps().set_index("name")
        assert (counts.loc["Big", "people"], counts.loc["Big", "ties"]) == (PEOPLE, big_files[2])
    after = dump(db)
    for table in ("stakeholders", "ties", "engagements", "stance_history", "milestones"):
        old = [r for r in after[table] if r.startswith("(1,")]  # map_id 1 is 'Before'
        assert old == [r for r in before[table] if r.startswith("(1,")], table
    _still_usable(db)


@pytest.mark.parametrize("delay", [0.05, 0.4])
def test_killed_at_any_moment_the_new_map_is_whole_or_absent(before_db, big_files, tmp_path, delay):
    db = _fresh_copy(before_db, tmp_path)
    before = dump(db)
    _kill_during(db, big_files, "plain", after="importing", delay=delay)
    with Store(db) as store:
        names = store.map_names()
        counts = store.list_maps().set_index("name")
    assert names in (["Before"], ["Before", "Big"])
    if names == ["Before"]:
        assert dump(db) == before
    else:
        assert (counts.loc["Big", "people"], counts.loc["Big", "ties"]) == (PEOPLE, big_files[2])
    _still_usable(db)
