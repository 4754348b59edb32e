"""Concurrent use: CLI processes on one database file, and threads (browser sessions) on one Store.

DuckDB lets one process at a time hold a database file for writing. A second
process waits for it (bounded backoff up to ``$STAKEHOLDER_MAP_LOCK_TIMEOUT``
seconds) and then either lands or fails cleanly with "database busy" and exit
code 3 — nothing half-written, nothing lost. Inside one process, the
dashboard's sessions share one ``Store``: each thread has its own cursor and
write transactions take turns.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from tests.support import csv, dump

from stakeholder_map.errors import DatabaseBusy
from stakeholder_map.ingest import read_map
from stakeholder_map.store import LOCK_TIMEOUT_ENV, Store, resolve_lock_timeout
from stakeholder_map.synthetic import synthetic_organisation
from stakeholder_map.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, timeout: float | None = None) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop(LOCK_TIMEOUT_ENV, None)
    if timeout is not None:
        env[LOCK_TIMEOUT_ENV] = str(timeout)
    return subprocess.Popen([sys.executable, "-m", "stakeholder_map", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def org_files(tmp_path_factory) -> dict:
    """Two organisations of 20,000 people as CSV files (an import takes a good fraction of a second)."""
    folder = tmp_path_factory.mktemp("orgs")
    files = {}
    for name, seed in (("A", 1), ("B", 2)):
        people, ties = synthetic_organisation(20_000, ties_per_person=5, seed=seed)
        people.to_csv(folder / f"{name}-people.csv", index=False)
        ties.to_csv(folder / f"{name}-ties.csv", index=False)
        files[name] = (str(folder / f"{name}-people.csv"), str(folder / f"{name}-ties.csv"), len(people), len(ties))
    return files


# ------------------------------------------------------------------ processes

def test_two_cli_imports_at_once_both_land(org_files, db_path):
    runs = [cli("import", people, ties, "--map", name, "--db", str(db_path))
            for name, (people, ties, _, _) in org_files.items()]
    results = [(run.wait(timeout=120), run.stdout.read(), run.stderr.read()) for run in runs]
    assert [code for code, _, _ in results] == [0, 0], results
    with Store(db_path) as store:
        counts = store.list_maps().set_index("name")
        for name, (_, _, people, ties) in org_files.items():
            assert (counts.loc[name, "people"], counts.loc[name, "ties"]) == (people, ties)
        assert store.revision == 2


def test_a_writer_waits_for_the_lock_then_lands(db_path, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("id,name\n1,Ann\n2,Bo\n")
    holder = Store(db_path)  # this process holds the file ...
    started = time.monotonic()
    run = cli("import", str(people), "--map", "Waited", "--db", str(db_path), timeout=30)
    time.sleep(1.5)
    holder.close()  # ... and lets go while the CLI waits
    code = run.wait(timeout=60)
    assert code == 0, run.stderr.read()
    assert time.monotonic() - started >= 1.5
    with Store(db_path) as store:
        assert store.map_names() == ["Waited"]


def test_busy_database_fails_cleanly_with_exit_3_and_nothing_written(db_path, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("id,name\n1,Ann\n")
    with Store(db_path) as store:
        store.import_map("Kept", read_map(csv("id,name\nx,Xi\n")))
    before = dump(db_path)
    with Store(db_path):
        run = cli("import", str(people), "--map", "Blocked", "--db", str(db_path), timeout=0.5)
        code = run.wait(timeout=60)
        err = run.stderr.read()
    assert code == 3
    assert "database busy" in err and LOCK_TIMEOUT_ENV in err and "Traceback" not in err
    assert dump(db_path) == before


def test_a_busy_store_raises_database_busy_after_the_timeout(db_path):
    code = ("import sys, time; from stakeholder_map.store import Store; s = Store(sys.argv[1]); "
            "print('holding', flush=True); time.sleep(60)")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    holder = subprocess.Popen([sys.executable, "-c", code, str(db_path)], stdout=subprocess.PIPE, text=True,
                              env=env, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        with pytest.raises(DatabaseBusy, match="database busy"):
            Store(db_path, lock_timeout=0.4)
        assert 0.4 <= time.monotonic() - started < 5
        with pytest.raises(DatabaseBusy):
            Store(db_path, read_only=True, lock_timeout=0)
    finally:
        holder.kill()
        holder.wait()
    with Store(db_path, lock_timeout=5) as store:  # the lock went with the process
        assert store.map_names() == []


def test_lock_timeout_comes_from_argument_then_environment(monkeypatch):
    monkeypatch.setenv(LOCK_TIMEOUT_ENV, "2.5")
    assert resolve_lock_timeout(None) == 2.5 and resolve_lock_timeout(7) == 7.0
    monkeypatch.setenv(LOCK_TIMEOUT_ENV, "soon")
    assert resolve_lock_timeout(None) == 10.0
    monkeypatch.delenv(LOCK_TIMEOUT_ENV)
    assert resolve_lock_timeout(None) == 10.0


# -------------------------------------------------------------------- threads

SHARED_PEOPLE = "".join(f"p{i},Person {i},{'IT' if i % 2 else 'HR'},neutral\n" for i in range(40))
SHARED_TIES = "".join(f"p{i},p{(i * 7 + 1) % 40},1,advice\n" for i in range(40))


def test_many_sessions_share_one_store(db_path):
    """Eight threads read and write through one Store at once, as Streamlit sessions do."""
    threads_n, rounds = 6, 4
    store = Store(db_path)
    store.import_map("Shared", read_map(csv("id,name,department,stance\n" + SHARED_PEOPLE),
                                        csv("source,target,weight,kind\n" + SHARED_TIES)))
    revision = store.revision
    errors: list[BaseException] = []
    seen_counts: list[int] = []
    start = threading.Barrier(threads_n + 1)

    def session(i: int) -> None:
        try:
            start.wait()
            for r in range(rounds):
                store.log_engagement("Shared", when=date(2026, 1, 1 + r), stakeholder_id=f"p{(i * 5 + r) % 40}",
                                     activity=f"thread {i}", stance_after=(i + r) % 5 - 2)
                people = store.people("Shared")
                assert len(people) == 40 and people["id"].is_unique
                assert Workspace(store, "Shared").graph().number_of_edges() == 40
                store.import_map(f"T{i}", read_map(csv(f"id,name,stance\na,Ann,{(r % 5) - 2}\nb,Bo,\n")),
                                 replace=r > 0)
                seen_counts.append(len(store.engagements("Shared")))
                assert f"T{i}" in store.map_names()
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    def reader() -> None:
        try:
            start.wait()
            last = 0
            for _ in range(rounds * 4):
                events = store.engagements("Shared")
                assert len(events) >= last and events.index.is_unique
                last = len(events)
                assert len(store.ties("Shared")) == 40
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    workers = [threading.Thread(target=session, args=(i,)) for i in range(threads_n)]
    workers.append(threading.Thread(target=reader))
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert not errors, errors[:3]
    events = store.engagements("Shared")
    assert len(events) == threads_n * rounds and sorted(events.index) == list(range(threads_n * rounds))
    assert store.revision == revision + 2 * threads_n * rounds  # every write counted once
    assert sorted(store.map_names()) == sorted(["Shared"] + [f"T{i}" for i in range(threads_n)])
    history = store.stance_history("Shared")
    assert (history["source"] == "engagement").sum() == threads_n * rounds
    store.close()
    assert len(dump(db_path)["engagement_changes"]) == threads_n * rounds


def test_threads_carry_on_after_the_file_is_rewritten(db_path):
    store = Store(db_path)
    store.import_map("M", read_map(csv("id,name\n1,Ann\n2,Bo\n3,Cy\n"), csv("source,target\n1,2\n2,3\n")))
    results: list = []
    erased = threading.Event()

    def session() -> None:  # one thread, one cursor: before and after the rewrite
        results.append(len(store.people("M")))
        erased.wait(timeout=30)
        results.append(len(store.people("M")))

    worker = threading.Thread(target=session)
    worker.start()
    while not results:
        time.sleep(0.01)
    report = store.erase_person("M", "3")  # compacts: the file is swapped and reopened
    erased.set()
    worker.join()
    assert report.compacted and results == [3, 2] and len(store.ties("M")) == 1
    store.close()
