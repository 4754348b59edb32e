"""Benchmark: many hands on one map — N browser sessions log touchpoints and read pages at once.

Issue 13 ("Many hands at once"): the store serialises writers inside one server
process; this proves it under load. A fresh DuckDB file gets the demo
organisation, ``streamlit run app.py`` starts on it (``tests/e2e/e2e_support``),
and N sessions of one headless Chromium (one browser context each: its own
cookies and its own Streamlit session) work on the demo map at the same time.
Each session loops:

1. opens the Engagement page (a click in the sidebar, i.e. a rerun of its own
   Streamlit session) and checks that every touchpoint any session had seen
   confirmed before the click is there: the "Touchpoints" count covers them, and
   each one in the visible rows of the newest-first table shows its exact note;
2. logs a touchpoint through the real form with a note found nowhere else
   ("bench s3 #17");
3. opens Map, Champions or Audience (in turn) and waits until it is idle.

Latencies: a **write** runs from the click on "Log touchpoint" to the success
message shown and the script idle; a **page** from the click in the sidebar to
its title shown, the script idle and no spinner (on the Map also the drawing
painted). The server's resident memory is sampled every half second. When the
time is up every session opens the Engagement page once more, after all writes.

Then the server stops and the DuckDB file is opened read-only: every touchpoint
a session saw confirmed is in ``engagements`` exactly once (by its note) under
the id the page announced, the change record (``Store.engagement_changes``) has
exactly one 'log' row per touchpoint and no other new row, and nothing else
changed (people, ties, stance history, milestones, the other touchpoints, other
maps; the store's revision grew by one per touchpoint).

Why one browser with N contexts, driven by Playwright's async API from one
thread: N sessions stay truly concurrent (every session waits on its own page
at the same time) while the machine runs one Chromium, not N, so the browser
takes less of the cores the server is measured on. Playwright's sync API cannot
drive pages from several threads at once; a thread per session would need one
Playwright driver and one Chromium each.

Run: ``python -m bench.bench_team [--sessions 8 --minutes 2 --seed 0]``. It
exits non-zero if the correctness check fails. The smaller, un-timed version is
``tests/e2e/test_many_hands.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["Write", "Visit", "Run", "Snapshot", "prepare_database", "snapshot", "check_store",
           "run_sessions", "report", "main"]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
#: The pages a session reads between its writes, in turn (the Engagement page is opened before each write).
READ_PAGES = ("Map", "Champions", "Audience")
ENGAGEMENT = "Engagement"
#: Every note this benchmark writes starts with this (and is unique: session and number follow).
NOTE_PREFIX = "bench s"
ACTIVITY = "bench"
#: How long one action may take before it counts as failed (the 2-core machine is shared).
ACTION_TIMEOUT_MS = 180_000
#: How often the browser checks whether a page is idle (ms), and the server's memory is sampled (s).
POLL_MS = 100
RSS_EVERY = 0.5
ENGAGEMENT_COLUMNS = ["date", "stakeholder_id", "activity", "stance_after", "notes"]

_IDLE = """([title, graph]) => {
    const heading = document.querySelector('h1');
    return !!heading && heading.innerText.trim() === title
        && !!document.querySelector("[data-test-script-state='notRunning']")
        && !document.querySelector('[data-testid="stSpinner"]')
        && (!graph || !!document.querySelector(".sm-graph[data-drawn='true']"));
}"""
_ROWS = """(grid) => Array.from(grid.querySelectorAll("[role='row']")).slice(1).map(
    (row) => Array.from(row.querySelectorAll("[role='gridcell']")).map((cell) => cell.innerText.trim()))"""
_LOGGED = re.compile(r"Logged touchpoint #(\d+)")


# ------------------------------------------------------------------ records


@dataclass
class Write:
    """One touchpoint a session tried to log through the form.

    ``outcome`` is "ok" (the success message named ``engagement_id``), "refused"
    (the page showed an error: nothing may be stored) or "unknown" (the action
    failed before the page answered: stored at most once).
    """

    session: int
    number: int
    note: str
    person: str
    outcome: str = "unknown"
    seconds: float | None = None
    engagement_id: int | None = None
    confirmed_at: float | None = None
    error: str | None = None


@dataclass
class Visit:
    """One page opened by a session: its latency, or the error that stopped it."""

    session: int
    page: str
    seconds: float | None
    error: str | None = None


@dataclass
class Run:
    """What the sessions did and saw; the figures :func:`main` prints are drawn from it."""

    sessions: int
    seconds: float
    writes: list[Write] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    first_loads: list[float] = field(default_factory=list)
    #: (writer, reader, engagement id) for every touchpoint of another session a reader found on its next load.
    seen: list[tuple[int, int, int]] = field(default_factory=list)
    #: What a reader should have seen and did not (each a sentence).
    unseen: list[str] = field(default_factory=list)
    engagement_loads: int = 0
    rss_mb: list[float] = field(default_factory=list)
    peak_mb: float | None = None
    #: CPU seconds (user + system) the server used from the first page to the end, and the browser side.
    server_cpu: float | None = None
    client_cpu: float | None = None

    @property
    def succeeded(self) -> list[Write]:
        return [w for w in self.writes if w.outcome == "ok"]


@dataclass
class Snapshot:
    """The parts of a map this benchmark must not change, and what it may add to."""

    revision: int
    maps: list[str]
    engagements: pd.DataFrame
    changes: pd.DataFrame
    unchanged: dict[str, str]
    #: The store's audit log (every map) where the store keeps one (team mode's store, schema 3), else None.
    audit: pd.DataFrame | None = None


# --------------------------------------------------------- database side


def prepare_database(db: Path) -> tuple[str, dict[str, str]]:
    """Write the demo organisation into a new DuckDB file.

    Returns
    -------
    tuple
        The map's name, and id -> "Name (Department)" of the people the sessions
        talk with: those whose label is unique and plain ASCII, so that typing the
        name into the picker finds exactly one option.
    """
    from stakeholder_map import demo
    from stakeholder_map.presentation.tracking_tables import person_choices
    from stakeholder_map.store import Store

    with Store(db) as store:
        demo.load_demo(store)
        labels = person_choices(store.people(demo.DEMO_MAP))
    names = [label.split(" (")[0] for label in labels.values()]
    plain = {pid: label for pid, label in labels.items()
             if label.isascii() and names.count(label.split(" (")[0]) == 1}
    return demo.DEMO_MAP, plain


def _text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=True)


def snapshot(db: Path, map_name: str) -> Snapshot:
    """Read what the check compares, with the server stopped (the file opened read-only)."""
    from stakeholder_map.store import Store

    with Store(db, read_only=True) as store:
        others = {f"map {other!r}": _text(store.people(other)) + _text(store.engagements(other)[ENGAGEMENT_COLUMNS])
                  for other in store.map_names() if other != map_name}
        return Snapshot(
            revision=store.revision,
            maps=store.map_names(),
            engagements=store.engagements(map_name)[ENGAGEMENT_COLUMNS].copy(),
            changes=store.engagement_changes(map_name)[["engagement_id", "action", "before", "after"]].copy(),
            unchanged={"people": _text(store.people(map_name)), "ties": _text(store.ties(map_name)),
                       "stance history": _text(store.stance_history(map_name)),
                       "milestones": _text(store.milestones(map_name)), **others},
            audit=store.audit_log()[["map", "action", "subject"]].copy() if hasattr(store, "audit_log") else None,
        )


def check_store(db: Path, map_name: str, before: Snapshot, writes: list[Write]) -> tuple[list[str], dict]:
    """Compare the file after the run with ``before`` and the writes the sessions made.

    Parameters
    ----------
    db : Path
        The DuckDB file (the server must have stopped).
    map_name : str
        The map the sessions wrote to.
    before : Snapshot
        :func:`snapshot` taken before the server started.
    writes : list of Write
        Every write attempted, with its outcome.

    Returns
    -------
    tuple
        The problems found (sentences; empty when all is well) and counts:
        ``stored`` (this run's touchpoints in the file), ``logs`` (new 'log' rows in
        the change record), ``revisions`` (how much the store's revision grew).
    """
    after = snapshot(db, map_name)
    problems: list[str] = []
    old = before.engagements
    new = after.engagements
    added = new.loc[~new.index.isin(old.index)]
    kept = new.loc[new.index.isin(old.index)]
    if len(kept) != len(old) or _text(kept) != _text(old):
        problems.append("touchpoints that were there before the run changed or went missing")
    ours = added[added["notes"].fillna("").str.startswith(NOTE_PREFIX)]
    if len(ours) != len(added):
        problems.append(f"{len(added) - len(ours)} touchpoints were stored that no session wrote")
    by_note = ours.groupby("notes").size()
    attempted = {w.note: w for w in writes}
    for note, count in by_note.items():
        if note not in attempted:
            problems.append(f"{note!r} is stored but no session wrote it")
        elif count > 1:
            problems.append(f"{note!r} is stored {count} times")
    for write in writes:
        stored = ours.index[ours["notes"] == write.note].tolist()
        if write.outcome == "ok":
            if not stored:
                problems.append(f"{write.note!r} was confirmed as #{write.engagement_id} but is not stored (lost)")
            elif stored[0] != write.engagement_id:
                problems.append(f"{write.note!r} was confirmed as #{write.engagement_id} but is stored as #{stored[0]}")
            elif ours.loc[stored[0], "stakeholder_id"] != write.person or ours.loc[stored[0], "activity"] != ACTIVITY:
                problems.append(f"{write.note!r} is stored with another person or activity")
        elif write.outcome == "refused" and stored:
            problems.append(f"{write.note!r} was refused on the page but is stored")

    fresh = after.changes.iloc[len(before.changes):]
    if _text(after.changes.iloc[:len(before.changes)]) != _text(before.changes):
        problems.append("the change record's earlier rows changed")
    if set(fresh["action"]) - {"log"}:
        problems.append(f"the change record gained other actions than 'log': {sorted(set(fresh['action']))}")
    logs = fresh[fresh["action"] == "log"]
    per_id = logs.groupby("engagement_id").size()
    for engagement_id in ours.index:
        count = int(per_id.get(engagement_id, 0))
        if count != 1:
            problems.append(f"touchpoint #{engagement_id} has {count} 'log' rows in the change record")
        else:
            logged = logs.loc[logs["engagement_id"] == engagement_id, "after"].iloc[0] or {}
            if logged.get("notes") != ours.loc[engagement_id, "notes"]:
                problems.append(f"the change record's 'log' row of #{engagement_id} holds another note")
    if len(logs) != len(ours):
        problems.append(f"the change record has {len(logs)} new 'log' rows for {len(ours)} new touchpoints")

    if after.maps != before.maps:
        problems.append(f"the maps changed: {before.maps} -> {after.maps}")
    for what, text in before.unchanged.items():
        if after.unchanged.get(what) != text:
            problems.append(f"{what} changed")
    if after.revision - before.revision != len(ours):
        problems.append(f"the store's revision grew by {after.revision - before.revision} "
                        f"for {len(ours)} touchpoints (something else was written)")
    counts = {"stored": len(ours), "logs": len(logs), "revisions": after.revision - before.revision}
    if before.audit is not None and after.audit is not None:
        problems += _audit_problems(before.audit, after.audit, map_name, ours.index.tolist())
        counts["audit"] = len(after.audit) - len(before.audit)
    return problems, counts


def _audit_problems(before: pd.DataFrame, after: pd.DataFrame, map_name: str, ids: list[int]) -> list[str]:
    """One 'log_engagement' audit row per stored touchpoint of the run, and no other new row."""
    problems = []
    if _text(after.iloc[:len(before)]) != _text(before):
        problems.append("the audit log's earlier rows changed")
    fresh = after.iloc[len(before):]
    other = fresh[(fresh["action"] != "log_engagement") | (fresh["map"] != map_name)]
    if len(other):
        problems.append(f"the audit log gained {len(other)} other rows: {sorted(set(other['action']))}")
    subjects = fresh.loc[fresh["action"] == "log_engagement", "subject"].astype(str).value_counts()
    for engagement_id in ids:
        if subjects.get(str(engagement_id), 0) != 1:
            problems.append(f"touchpoint #{engagement_id} has {subjects.get(str(engagement_id), 0)} audit rows")
    if int(subjects.sum()) != len(ids):
        problems.append(f"the audit log has {int(subjects.sum())} 'log_engagement' rows for {len(ids)} touchpoints")
    return problems


# ---------------------------------------------------------- browser side


_STATE = """() => {
    const heading = document.querySelector('h1');
    const state = document.querySelector('[data-test-script-state]');
    const graph = document.querySelector('.sm-graph');
    return {title: heading && heading.innerText.trim(), script: state && state.getAttribute('data-test-script-state'),
            spinner: !!document.querySelector('[data-testid="stSpinner"]'),
            graph: graph && Object.fromEntries(Array.from(graph.attributes).map((a) => [a.name, a.value])),
            exception: !!document.querySelector('[data-testid="stException"]'),
            elements: Array.from(document.querySelectorAll('[data-testid="stMain"] [data-testid^="st"]'))
                .map((e) => e.getAttribute('data-testid'))
                .filter((id) => /Component|Iframe|Spinner|Skeleton|Alert/.test(id))};
}"""


#: Each page's console errors and uncaught exceptions, which a failure report quotes.
_CONSOLE_ERRORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def _idle(page, title: str, *, graph: bool = False) -> None:
    """Wait until the page titled ``title`` is shown and idle (on the Map: its drawing painted).

    On a timeout the error says which of these was missing (and the page is saved as a screenshot in
    test-artifacts/), so a failure in a long run can be told apart from a slow server.
    """
    try:
        await page.wait_for_function(_IDLE, arg=[title, graph], polling=POLL_MS)
    except Exception as error:
        try:
            seen = await page.evaluate(_STATE)
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / f"bench-team-timeout-{title.lower()}.png"), full_page=True)
        except Exception as again:  # noqa: BLE001 - the page itself is gone: say so
            seen = f"(page state unreadable: {type(again).__name__})"
        problems = _CONSOLE_ERRORS.get(page, [])[-3:]
        raise RuntimeError(f"{type(error).__name__} waiting for {title} to be idle; the page shows {seen}; "
                           f"its last console errors: {problems}") from error


async def _shows_exception(page) -> bool:
    return await page.get_by_test_id("stException").count() > 0


class _Gate:
    """Opens once ``count`` sessions have arrived (an arrival is counted even for a session that failed, so
    nobody waits for it forever)."""

    def __init__(self, count: int):
        self.count = count
        self.arrived = 0
        self.open = asyncio.Event()

    def arrive(self) -> None:
        self.arrived += 1
        if self.arrived >= self.count:
            self.open.set()


class _Shared:
    """What all sessions share (one event loop, so no lock needed): the confirmed writes in order, and when
    to stop (counted from when every session has its first page)."""

    def __init__(self, baseline: int, sessions: int, seconds: float | None):
        self.baseline = baseline
        self.seconds = seconds
        self.confirmed: list[Write] = []
        self.loaded = _Gate(sessions)
        self.finished = _Gate(sessions)
        self.start: float | None = None   # when every session had its first page
        self.end: float | None = None     # when every session had finished its loop

    def deadline(self) -> float:
        return self.start + (self.seconds or 0)


async def _open(page, name: str) -> float:
    """Click a page in the sidebar and wait until it is idle; seconds."""
    start = time.perf_counter()
    await page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
    await _idle(page, name, graph=name == "Map")
    seconds = time.perf_counter() - start
    if await _shows_exception(page):
        raise RuntimeError(f"the {name} page shows an exception")
    return seconds


async def _engagement(page, session: int, shared: _Shared, run: Run, *, final: bool = False) -> float:
    """Open the Engagement page and check it shows every write confirmed before the click."""
    expected = list(shared.confirmed)
    seconds = await _open(page, ENGAGEMENT)
    panel = page.get_by_role("tabpanel", name="Touchpoints")
    count = await panel.get_by_test_id("stMetric").filter(has_text="Touchpoints") \
        .get_by_test_id("stMetricValue").inner_text()
    grid = panel.get_by_test_id("stDataFrame").first.locator("[role='grid']")
    await grid.locator("[role='gridcell']").first.wait_for(state="attached")  # the canvas's accessible mirror
    rows = await grid.evaluate(_ROWS)
    shown = {int(row[0]): row[6] for row in rows if len(row) >= 7 and row[0].isdigit()}
    run.engagement_loads += 1
    count = int(count.replace(",", ""))
    if count < shared.baseline + len(expected):
        run.unseen.append(f"session {session} counted {count} touchpoints after "
                          f"{shared.baseline} + {len(expected)} confirmed")
    elif final and count != shared.baseline + len(expected) and all(w.outcome == "ok" for w in run.writes):
        run.unseen.append(f"session {session} counted {count} touchpoints after the run: "
                          f"{shared.baseline} + {len(expected)} confirmed")
    lowest = min(shown) if shown else None
    for write in expected:
        if lowest is None or write.engagement_id < lowest:
            continue  # below the rows the table shows: covered by the count only
        if shown.get(write.engagement_id) != write.note:
            run.unseen.append(f"session {session} did not see {write.note!r} (#{write.engagement_id})"
                              f"{' after the run' if final else ''}: the row shows "
                              f"{shown.get(write.engagement_id)!r}")
        elif write.session != session:
            run.seen.append((write.session, session, write.engagement_id))
    return seconds


async def _log(page, write: Write, label: str, shared: _Shared) -> None:
    """Log ``write`` through the Engagement page's form (the page is open); fills in its outcome."""
    panel = page.get_by_role("tabpanel", name="Touchpoints")
    form = panel.get_by_test_id("stForm").first
    await form.get_by_role("combobox", name="Person").click()
    await page.keyboard.type(label.split(" (")[0])
    await page.get_by_role("option", name=label, exact=True).click()
    await form.get_by_label("Activity").fill(ACTIVITY)
    await form.get_by_label("Notes").fill(write.note)
    answer = panel.get_by_test_id("stAlertContentSuccess").or_(panel.get_by_test_id("stAlertContentError"))
    start = time.perf_counter()
    await form.get_by_role("button", name="Log touchpoint").click()
    await answer.first.wait_for()
    await _idle(page, ENGAGEMENT)
    write.seconds = time.perf_counter() - start
    text = await answer.first.inner_text()
    found = _LOGGED.search(text)
    if await panel.get_by_test_id("stAlertContentError").count() or not found:
        write.outcome, write.error = "refused", text.strip()
        return
    write.outcome, write.engagement_id = "ok", int(found.group(1))
    write.confirmed_at = time.perf_counter()
    shared.confirmed.append(write)



def _error(error: Exception) -> str:
    return f"{type(error).__name__}: {(str(error).splitlines() or [''])[0]}"


def _more(written: int, shared: _Shared, writes_each: int | None) -> bool:
    if writes_each is not None:
        return written < writes_each
    return time.perf_counter() < shared.deadline()


async def _session(browser, url: str, number: int, people: list[tuple[str, str]], shared: _Shared, run: Run,
                   writes_each: int | None) -> None:
    """One session: its own browser context, looping Engagement page -> write -> another page."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    errors = _CONSOLE_ERRORS.setdefault(page, [])
    page.on("console", lambda message: errors.append(message.text[:300]) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {str(error)[:300]}"))
    try:
        try:
            start = time.perf_counter()
            await page.goto(f"{url}/engagement")
            await _idle(page, ENGAGEMENT)
            run.first_loads.append(time.perf_counter() - start)
        finally:
            shared.loaded.arrive()
        await shared.loaded.open.wait()
        shared.start = shared.start or time.perf_counter()
        try:
            await _loop(page, url, number, people, shared, run, writes_each)
        finally:
            shared.finished.arrive()
        await shared.finished.open.wait()
        shared.end = shared.end or time.perf_counter()
        try:
            run.visits.append(Visit(number, ENGAGEMENT, await _engagement(page, number, shared, run, final=True)))
        except Exception as error:  # noqa: BLE001 - counted
            run.visits.append(Visit(number, ENGAGEMENT, None, _error(error)))
    finally:
        await context.close()


async def _loop(page, url: str, number: int, people: list[tuple[str, str]], shared: _Shared, run: Run,
                writes_each: int | None) -> None:
    written = 0
    while _more(written, shared, writes_each):
        person, label = people[(number * 7 + written) % len(people)]
        write = Write(number, written + 1, f"{NOTE_PREFIX}{number} #{written + 1}", person)
        other = READ_PAGES[(number + written) % len(READ_PAGES)]
        written += 1
        step = ENGAGEMENT
        try:
            run.visits.append(Visit(number, ENGAGEMENT, await _engagement(page, number, shared, run)))
            step = "write"
            run.writes.append(write)
            await _log(page, write, label, shared)
            step = other
            run.visits.append(Visit(number, other, await _open(page, other)))
        except Exception as error:  # noqa: BLE001 - counted; the session starts over from a fresh load
            message = _error(error)
            if step == "write":
                write.error = message
            else:
                run.visits.append(Visit(number, step, None, message))
            await page.goto(f"{url}/engagement")
            await _idle(page, ENGAGEMENT)


async def _sample_rss(pid: int, run: Run, stop: asyncio.Event) -> None:
    """Sample the server's resident memory (psutil if installed, else /proc) until ``stop``."""
    try:
        import psutil
        process = psutil.Process(pid)

        def read() -> float:
            return process.memory_info().rss / 2**20
    except ImportError:
        def read() -> float:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
            return float("nan")
    while not stop.is_set():
        try:
            run.rss_mb.append(read())
        except Exception:  # noqa: BLE001 - the server went away: nothing more to sample
            return
        try:
            await asyncio.wait_for(stop.wait(), RSS_EVERY)
        except asyncio.TimeoutError:
            pass


def _client_cpu_seconds(server_pid: int | None) -> float | None:
    """CPU seconds used by this process's descendants but the server: Playwright's driver and Chromium, with
    the renderers that already exited (their parents' ``cutime``/``cstime``). Linux ``/proc`` only."""
    stats: dict[int, tuple[int, float]] = {}
    try:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue  # gone meanwhile
                stats[int(entry.name)] = (int(fields[1]), sum(int(x) for x in fields[11:15]))
    except OSError:
        return None
    mine, total = {os.getpid()}, 0.0
    for _ in range(16):  # the tree is a few levels deep: driver -> chromium -> zygote -> renderer
        grown = {pid for pid, (parent, _) in stats.items() if parent in mine and pid != server_pid} - mine
        if not grown:
            break
        mine |= grown
    for pid in mine - {os.getpid()}:
        total += stats[pid][1]
    return total / os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) the process has used so far (Linux ``/proc/<pid>/stat``)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _peak_mb(pid: int) -> float | None:
    """The process's peak resident memory as Linux counts it (``VmHWM``), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


async def _drive(url: str, people: dict[str, str], baseline: int, *, sessions: int, seconds: float | None,
                 writes_each: int | None, server_pid: int | None) -> Run:
    from playwright.async_api import async_playwright
    from tests.e2e.e2e_support import CHROMIUM, CHROMIUM_ARGS

    run = Run(sessions=sessions, seconds=0.0)
    shared = _Shared(baseline, sessions, seconds)
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample_rss(server_pid, run, stop)) if server_pid else None
    pairs = sorted(people.items(), key=lambda item: item[1])
    cpu_before = _cpu_seconds(server_pid) if server_pid else None
    async with async_playwright() as p:
        client_before = _client_cpu_seconds(server_pid)
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            await asyncio.gather(*(_session(browser, url, number, pairs, shared, run, writes_each)
                                   for number in range(1, sessions + 1)))
            if shared.start is not None and shared.end is not None:
                run.seconds = shared.end - shared.start
        finally:
            if server_pid:
                run.peak_mb = _peak_mb(server_pid)
                cpu_after = _cpu_seconds(server_pid)
                if cpu_before is not None and cpu_after is not None:
                    run.server_cpu = cpu_after - cpu_before
            client_after = _client_cpu_seconds(server_pid)
            if client_before is not None and client_after is not None:
                run.client_cpu = client_after - client_before
            await browser.close()
            stop.set()
            if sampler:
                await sampler
    return run


def run_sessions(url: str, people: dict[str, str], baseline: int, *, sessions: int, seconds: float | None = None,
                 writes_each: int | None = None, server_pid: int | None = None) -> Run:
    """Drive ``sessions`` concurrent browser sessions against the app at ``url``.

    Parameters
    ----------
    url : str
        The running app (its current map is the one written to: the only map of the file).
    people : dict
        Id -> picker label of the people to log touchpoints with (:func:`prepare_database`).
    baseline : int
        How many touchpoints the map has before the run.
    sessions : int
        How many sessions work at once.
    seconds : float, optional
        Loop for this long (counted from when every session has its first page) ...
    writes_each : int, optional
        ... or until each session has tried this many writes.
    server_pid : int, optional
        The server process, whose memory is sampled.

    Returns
    -------
    Run
        Every write and page visit with its latency, what each session saw of the others' writes, memory.

    Notes
    -----
    Runs Playwright's async API in a thread of its own, so a caller that already drives
    Playwright's sync API in this thread (pytest's browser fixture) is not disturbed.
    """
    if (seconds is None) == (writes_each is None):
        raise ValueError("give either seconds or writes_each")
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["run"] = asyncio.run(_drive(url, people, baseline, sessions=sessions, seconds=seconds,
                                                writes_each=writes_each, server_pid=server_pid))
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name="bench-team")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["run"]


# ------------------------------------------------------------------ report


def _quantile(values: list[float], q: float) -> float | None:
    """The ``q`` quantile (nearest rank) of ``values``, or None if there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def _seconds(values: list[float]) -> str:
    if not values:
        return "-"
    return f"p50 {_quantile(values, 0.5):.2f} s, p95 {_quantile(values, 0.95):.2f} s (n={len(values)})"


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def report(run: Run, problems: list[str], counts: dict, *, server_up: float, load_before: str) -> bool:
    """Print the figures and the check; True if the check passed."""
    writes = run.writes
    failed = [w for w in writes if w.outcome != "ok"]
    page_seconds = [v.seconds for v in run.visits if v.seconds is not None]
    errors = [v for v in run.visits if v.error]
    print(f"  server up in {server_up:.1f} s; first loads of the Engagement page, all sessions at once: "
          f"{_seconds(run.first_loads)}")
    print(f"  ran {run.seconds:.0f} s; load average before {load_before}, after {_load()}")
    print(f"  writes: {len(writes)} attempted, {len(run.succeeded)} succeeded, {len(failed)} not "
          f"({', '.join(f'{w.note}: {w.outcome} {w.error}' for w in failed[:3])})"
          if failed else f"  writes: {len(writes)} attempted, {len(run.succeeded)} succeeded")
    print(f"  write latency (click -> success shown, script idle): {_seconds([w.seconds for w in run.succeeded])}")
    print(f"  page latency (sidebar click -> idle): {_seconds(page_seconds)}; {len(errors)} failed")
    for name in (*READ_PAGES, ENGAGEMENT):
        print(f"    {name:<11} {_seconds([v.seconds for v in run.visits if v.page == name and v.seconds])}")
    for visit in errors[:5]:
        print(f"    failed: session {visit.session} {visit.page}: {visit.error}")
    rss = [x for x in run.rss_mb if x == x]
    if rss:
        peak = f"; VmHWM {run.peak_mb:,.0f} MB" if run.peak_mb else ""
        print(f"  server RSS: peak {max(rss):,.0f} MB sampled every {RSS_EVERY:g} s (start {rss[0]:,.0f} MB, "
              f"end {rss[-1]:,.0f} MB{peak})")
    if run.server_cpu is not None:
        client = f"; browser side (Chromium, Playwright) {run.client_cpu:,.0f} s" if run.client_cpu else ""
        print(f"  CPU (user + system) from the first page loads to the end: server {run.server_cpu:,.0f} s"
              f"{client}, on {os.cpu_count()} cores shared with other work")
    pairs = {(writer, reader) for writer, reader, _ in run.seen}
    print(f"  others' writes seen on the next Engagement load: {len(run.seen)} checks ({len(pairs)} distinct "
          f"writer->reader pairs) on {run.engagement_loads} loads; {len(run.unseen)} missed")
    for line in run.unseen[:5]:
        print(f"    missed: {line}")
    print("correctness (the DuckDB file, read after the server stopped):")
    print(f"  touchpoints confirmed {len(run.succeeded)}, stored {counts['stored']} (each note exactly once "
          f"unless listed below); change record: {counts['logs']} new 'log' rows; store revision "
          f"+{counts['revisions']}" + (f"; audit log: {counts['audit']} new rows" if "audit" in counts else ""))
    for problem in problems[:20]:
        print(f"  PROBLEM: {problem}")
    reasons = [text for text, bad in (
        (f"{len(problems)} problems in the file", problems),
        (f"{len(run.unseen)} writes not seen by another session", run.unseen),
        (f"{len(failed)} writes not confirmed", failed),
        (f"{len(errors)} page loads failed (listed above)", errors),
        (f"{len(writes) - counts['stored']} attempted writes not stored", counts["stored"] != len(writes)),
    ) if bad]
    ok = not reasons
    print("  -> OK: every confirmed touchpoint stored exactly once, one 'log' row each, nothing else written, "
          "every session saw the others' writes" if ok else f"  -> FAILED: {'; '.join(reasons)}")
    return ok


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8, help="concurrent browser sessions (default 8)")
    parser.add_argument("--minutes", type=float, default=2.0, help="how long the sessions loop (default 2)")
    args = parser.parse_args(argv)
    from tests.e2e.e2e_support import CHROMIUM, start_server, stop_server

    if not Path(CHROMIUM).exists():
        print(f"team benchmark: skipped, no Chromium at {CHROMIUM}")
        return {}
    load_before = _load()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "team.duckdb"
        map_name, people = prepare_database(db)
        before = snapshot(db, map_name)
        print(f"team benchmark: {args.sessions} sessions x {args.minutes:g} min on {map_name!r} "
              f"({len(people)} people to talk with), one headless Chromium with a context "
              f"per session, {os.cpu_count()} cores")
        started = time.perf_counter()
        process, url = start_server(db, log=folder / "streamlit.log")
        server_up = time.perf_counter() - started
        try:
            run = run_sessions(url, people, len(before.engagements), sessions=args.sessions,
                               seconds=args.minutes * 60, server_pid=process.pid)
        finally:
            stop_server(process)
        problems, counts = check_store(db, map_name, before, run.writes)
        ok = report(run, problems, counts, server_up=server_up, load_before=load_before)
    return {"ok": ok, "run": run, "problems": problems, "counts": counts}


if __name__ == "__main__":
    sys.exit(0 if main().get("ok", True) else 1)
