"""Browser tests: the real app (``streamlit run app.py``) driven by headless Chromium.

A session-scoped fixture starts the server on a free port with a fresh
database (``$STAKEHOLDER_MAP_DB``) holding the demo organisation and a small map
whose names are HTML/JavaScript, waits until it is healthy, and stops it at the
end. Chromium is Debian's ``/usr/bin/chromium`` (``$CHROMIUM`` overrides;
``scripts/test`` installs it), driven through Playwright's Python API. Tests
wait on the app's own signals (``data-test-script-state``, the drawing's
``data-drawn``), never on fixed sleeps. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from io import BytesIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
XSS_MAP = "XSS <b onmouseover=window.__xss=1>check</b>"
LARGE_MAP = "Large synthetic org"
XSS_NAMES = ("<img src=x onerror=window.__xss=1>", "<script>window.__xss=1</script>",
             "\"><svg onload=window.__xss=1>", "**bold** [link](javascript:window.__xss=1)")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def xss_csvs() -> tuple[bytes, bytes]:
    lines = ["id,name,department,stance,role,influence,interest"]
    for i, name in enumerate(XSS_NAMES):
        quoted = '"' + name.replace('"', '""') + '"'   # scored, so the power/interest grid draws them
        lines.append(f"x{i},{quoted},<i>Dept {i % 2}</i>,supporter,<u>role</u>,{1 + i % 5},{5 - i % 5}")
    people = ("\n".join(lines) + "\n").encode()
    ties = b"source,target,weight,kind\nx0,x1,2,<b>advice</b>\nx1,x2,1,advice\nx2,x3,3,advice\nx3,x0,1,advice\n"
    return people, ties


def prepare_database(path: Path) -> None:
    """The demo organisation, a small map of hostile names and a 450-person map, written before the server starts."""
    from stakeholder_map import demo
    from stakeholder_map.ingest import read_map
    from stakeholder_map.store import Store

    from stakeholder_map.synthetic import synthetic_organisation

    people, ties = xss_csvs()
    big_people, big_ties = synthetic_organisation(450, ties_per_person=3, seed=2)
    with Store(path) as store:
        demo.load_demo(store)
        store.import_map(XSS_MAP, read_map(BytesIO(people), BytesIO(ties)))
        store.import_map(LARGE_MAP, read_map(BytesIO(big_people.to_csv(index=False).encode()),
                                             BytesIO(big_ties.to_csv(index=False).encode())))


def start_server(db: Path, *, log: Path, port: int | None = None, timeout: float = 90,
                 shipped_config: bool = False, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """``streamlit run app.py`` on a free port with ``$STAKEHOLDER_MAP_DB=db``; returns (process, url).

    By default the command line pins the address, usage statistics and file watcher; with
    ``shipped_config=True`` only the port is given, so the server runs on ``.streamlit/config.toml`` as a
    user's would. ``env`` adds to the server's environment.
    """
    port = port or free_port()
    env = dict(os.environ, **(env or {}), STAKEHOLDER_MAP_DB=str(db))
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    if not shipped_config:
        command += ["--server.headless", "true", "--server.address", "127.0.0.1",
                    "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    handle = open(log, "wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return process, url
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"streamlit was not healthy after {timeout} s:\n{log.read_text()}")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    db = folder / "e2e.duckdb"
    prepare_database(db)
    process, url = start_server(db, log=folder / "streamlit.log")
    yield url
    stop_server(process)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (scripts/test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def requests_seen():
    return []


@pytest.fixture
def page(browser, requests_seen):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.on("request", lambda request: requests_seen.append(request.url))
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


def outside_requests(urls: list[str]) -> list[str]:
    """The requests that would leave the machine (data: and blob: URLs never do)."""
    return [u for u in urls
            if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname not in LOCAL_HOSTS]


def wait_idle(page) -> None:
    """Wait until the app has rendered and its script has finished running."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_selector("h1")
    page.wait_for_selector("[data-test-script-state='notRunning']")


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


#: How long a drawing may take to paint before the wait looks into why. In CI a just-imported small map's
#: first paint on the Map page twice never came (150 s), once in each of two full runs, never alone or
#: locally under load 20; the cause is not known yet (see :func:`wait_graph`).
GRAPH_PAINT_TIMEOUT_MS = 90_000
#: After a nudge (a resize, then a rerun), how long the drawing gets to paint.
GRAPH_NUDGE_TIMEOUT_MS = 45_000
_DRAWN = ".sm-graph[data-drawn='true']"


def graph_state(page) -> dict:
    """What the page shows of the drawing: for the report of a drawing that never painted."""
    return page.evaluate("""() => {
        const graphs = [...document.querySelectorAll('.sm-graph')].map((g) => {
            const box = g.getBoundingClientRect();
            const canvas = g.querySelector('canvas');
            return {attrs: Object.fromEntries([...g.attributes].map((a) => [a.name, a.value])),
                    box: [box.width, box.height], connected: g.isConnected,
                    canvas: canvas && [canvas.width, canvas.height, canvas.clientWidth, canvas.clientHeight]};
        });
        return {graphs, url: location.href, visibility: document.visibilityState,
                script: document.querySelector('[data-test-script-state]')?.getAttribute('data-test-script-state'),
                errors: [...document.querySelectorAll('[data-testid=stException], [data-testid=stAlertContentError]')]
                        .map((e) => e.innerText.slice(0, 500)),
                text: document.querySelector('[data-testid=stMain]')?.innerText.slice(0, 800)};
    }""")


def wait_graph(page) -> None:
    """Wait until the network drawing has painted and the page is idle (champions marked).

    A drawing that has not painted after :data:`GRAPH_PAINT_TIMEOUT_MS` is looked into: the page's state
    and a screenshot go to ``test-artifacts/wait-graph-*``, then the page is nudged (the window resized,
    which makes vis-network measure its canvas again; then a rerun, which sends the drawing again). A
    drawing that paints only after a nudge passes with a warning naming the nudge, so the run's summary
    says which one helped; one that never paints fails with the page's state.
    """
    try:
        page.wait_for_selector(_DRAWN, timeout=GRAPH_PAINT_TIMEOUT_MS)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        before = graph_state(page)
        page.screenshot(path=str(ARTIFACTS / "wait-graph-timeout.png"), full_page=True)
        (ARTIFACTS / "wait-graph-timeout.json").write_text(json.dumps(before, indent=1))
        size = page.viewport_size or {"width": 1400, "height": 1000}
        nudges = (("a window resize", lambda: page.set_viewport_size({"width": size["width"] - 40,
                                                                    "height": size["height"]})),
                  ("a rerun", lambda: (page.evaluate("() => document.activeElement?.blur()"),
                                       page.keyboard.press("r"))))
        for what, nudge in nudges:
            nudge()
            try:
                page.wait_for_selector(_DRAWN, timeout=GRAPH_NUDGE_TIMEOUT_MS)
            except Exception:
                continue
            page.set_viewport_size(size)
            warnings.warn(f"the drawing painted only after {what}; before it, the page was: {before}")
            break
        else:
            raise AssertionError(f"the drawing never painted, even after a resize and a rerun; "
                                 f"before the nudges: {before}; after: {graph_state(page)}") from None
    wait_idle(page)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSpinner\"]')")
    wait_idle(page)


def node_points(page) -> list[dict]:
    """Every drawn node's id and its position on the screen."""
    return page.evaluate("""() => {
        const graph = document.querySelector('.sm-graph');
        const network = graph.smNetwork;
        const box = graph.querySelector('canvas').getBoundingClientRect();
        return network.body.nodeIndices.map((id) => {
            const p = network.canvasToDOM(network.getPosition(id));
            return {id: String(id), x: box.left + p.x, y: box.top + p.y};
        });
    }""")


def pick_option(page, combobox, name: str, *, tries: int = 3) -> None:
    """Pick ``name`` in a select or multiselect box: open it, type the name (the open list shows only some
    options, and a rerun of the page may close it), click the option; again if the list closed meanwhile."""
    for attempt in range(tries):
        combobox.click()
        page.keyboard.type(name)
        option = page.get_by_role("option", name=name, exact=True)
        try:
            option.wait_for(timeout=15_000)
            option.click(timeout=15_000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            page.keyboard.press("Escape")
            wait_idle(page)


def choose_map(page, name: str) -> None:
    """Pick a map in the sidebar's chooser."""
    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Map").click()
    page.get_by_role("option", name=name, exact=True).click()
    wait_idle(page)


def screenshot(page, name: str) -> None:
    """Save the page to test-artifacts/<name>.png once its lazy parts (tables, menus) have loaded."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
