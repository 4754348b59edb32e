"""Team mode in a real browser, signed in through a real OpenID Connect provider.

The test starts ``oidc-provider-mock`` (a real OIDC provider: discovery document, authorisation code flow,
signed ID tokens; at its authorise step the test types the e-mail address the user signs in as) on a free
localhost port, writes a temporary ``secrets.toml`` with ``[auth]`` pointing at it and a first admin, and
starts the dashboard on a fresh database holding the demo organisation, with an editor and a viewer of the
demo map. Then, in separate browser contexts (separate cookies):

* before sign-in every page address shows the sign-in page only (no sidebar, map, table or download);
* the admin sees the Admin page, adds a member and finds the change in the audit log;
* the editor logs a touchpoint, sees no Admin page and no import;
* the viewer reads the map and the analyses without notes, e-mail addresses or touchpoint text, with no
  log form and only the pseudonymised export;
* someone signed in who is not a member sees only "ask an admin for access"; sign-out works;
* a weak ``cookie_secret`` refuses team mode with a clear message and no data.

Screenshots: ``test-artifacts/team-sign-in.png``, ``team-access.png``, ``team-admin.png``,
``team-admin-audit.png``, ``team-viewer-engagement.png``, ``team-viewer-data.png``, ``team-weak-secret.png``.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import zipfile
from pathlib import Path

import pytest

from stakeholder_map import demo
from stakeholder_map.store import Store
from tests.e2e.e2e_support import free_port, open_page, screenshot, start_server, stop_server, wait_graph, wait_idle

oidc_provider_mock = pytest.importorskip("oidc_provider_mock")

ADMIN = "admin@example.org"
EDITOR = "editor@example.org"
VIEWER = "viewer@example.org"
STRANGER = "stranger@example.org"
NEWCOMER = "newcomer@example.org"
PAGES = ("", "map", "home", "champions", "audience", "simulate", "engagement", "data", "method", "admin")
PERSON = "Pauline Hargreaves (Finance)"      # a skeptic in Finance, in the demo
NOTE = "Team-mode browser test: asked for the budget figures"


def _secrets(folder: Path, *, app_port: int, provider: str, cookie_secret: str) -> Path:
    path = folder / "secrets.toml"
    path.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"
cookie_secret = "{cookie_secret}"
client_id = "stakeholder-map"
client_secret = "test-client-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[stakeholder_map]
admins = ["{ADMIN}"]
""", encoding="utf-8")
    return path


def _team_server(folder: Path, provider: str, cookie_secret: str):
    db = folder / "team.duckdb"
    with Store(db) as store:
        demo.load_demo(store)
        store.add_member(EDITOR, "editor", demo.DEMO_MAP, by="test setup")
        store.add_member(VIEWER, "viewer", demo.DEMO_MAP, by="test setup")
    port = free_port()
    secrets_file = _secrets(folder, app_port=port, provider=provider, cookie_secret=cookie_secret)
    return start_server(db, log=folder / "streamlit.log", port=port,
                        env={"STREAMLIT_SECRETS_FILES": str(secrets_file)})


@pytest.fixture(scope="module")
def provider():
    with oidc_provider_mock.run_server_in_thread(port=free_port()) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def team_url(tmp_path_factory, provider):
    process, url = _team_server(tmp_path_factory.mktemp("team"), provider, secrets.token_urlsafe(48))
    yield url
    stop_server(process)


@pytest.fixture
def context(browser):
    made = []

    def new():
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        made.append(ctx)
        tab = ctx.new_page()
        tab.set_default_timeout(60_000)
        return tab
    yield new
    for ctx in made:
        ctx.close()


def sign_in(page, url: str, email: str) -> None:
    """Sign in through the provider's authorise page as ``email`` and wait for the app."""
    open_page(page, url)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("input[name='sub']")
    page.fill("input[name='sub']", email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(url) + r"/?($|\?)"))
    wait_idle(page)


def sign_out(page) -> None:
    """Press Sign out and confirm at the provider's end-session page (the mock asks)."""
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()
    wait_idle(page)


def body(page) -> str:
    return page.locator("body").inner_text()


def nav_titles(page) -> list[str]:
    """The menu's page titles (each link's last line: the first is its icon's name)."""
    return [t.strip().splitlines()[-1] for t in page.get_by_test_id("stSidebarNav").locator("a").all_inner_texts()]


def open_tab(page, name: str):
    page.get_by_role("tab", name=name, exact=True).click()
    panel = page.get_by_role("tabpanel", name=name)
    panel.wait_for()
    return panel


def assert_sign_in_page_only(page) -> None:
    assert page.get_by_role("heading", name="Stakeholder Map").is_visible()
    assert page.get_by_role("button", name="Sign in").is_visible()
    for test_id in ("stSidebar", "stDataFrame", "stDownloadButton", "stFileUploader", "stTabs", "stMetric"):
        assert page.get_by_test_id(test_id).count() == 0, test_id
    assert page.locator(".sm-graph").count() == 0
    text = body(page)
    assert demo.DEMO_MAP not in text and "Helen Marsh" not in text and "Finance" not in text


def test_before_sign_in_every_page_shows_only_the_sign_in_page(context, team_url):
    page = context()
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    for path in PAGES:
        open_page(page, f"{team_url}/{path}")
        assert_sign_in_page_only(page)
    screenshot(page, "team-sign-in")
    icon = page.evaluate("() => new URL(document.querySelector(\"link[rel~='icon']\").href).pathname")
    served = [u for u in seen if u.startswith(f"{team_url}/media/") and not u.endswith(icon)]
    assert served == [], "no file (download, image, component) was served before sign-in"


def test_admin_sees_the_admin_page_and_adds_a_member(context, team_url):
    page = context()
    sign_in(page, team_url, ADMIN)
    assert "Admin" in nav_titles(page)
    assert ADMIN in page.get_by_test_id("stSidebar").inner_text()
    open_page(page, f"{team_url}/admin")
    page.get_by_role("textbox", name="E-mail address").fill(NEWCOMER)
    page.get_by_role("button", name="Add member").click()
    wait_idle(page)
    assert f"{NEWCOMER} is now viewer on {demo.DEMO_MAP}" in body(page)
    members = page.get_by_test_id("stDataFrame").first.locator("[role='grid']").inner_text()
    assert NEWCOMER in members and EDITOR in members and VIEWER in members
    log = page.get_by_test_id("stDataFrame").nth(1).locator("[role='grid']").inner_text()
    assert "add_member" in log and NEWCOMER in log
    assert page.get_by_role("button", name="Download the audit log (CSV)").is_visible()
    screenshot(page, "team-admin")
    page.set_viewport_size({"width": 1400, "height": 1900})     # the members and the audit log in one picture
    screenshot(page, "team-admin-audit")
    page.set_viewport_size({"width": 1400, "height": 1000})
    # The newcomer can now sign in and read the map.
    other = context()
    sign_in(other, team_url, NEWCOMER)
    assert "Ask an admin for access" not in body(other)
    chooser = other.get_by_test_id("stSidebar").get_by_role("combobox", name="Map")
    assert demo.DEMO_MAP in (chooser.input_value() or chooser.inner_text())


def test_editor_logs_a_touchpoint_but_has_no_admin_page_and_no_import(context, team_url):
    page = context()
    sign_in(page, team_url, EDITOR)
    assert "Admin" not in nav_titles(page)
    open_page(page, f"{team_url}/engagement")
    panel = open_tab(page, "Touchpoints")
    form = panel.get_by_test_id("stForm").first
    form.get_by_role("combobox", name="Person").click()
    page.keyboard.type("Pauline Harg")
    page.get_by_role("option", name=PERSON, exact=True).click()
    form.get_by_label("Notes").fill(NOTE)
    form.get_by_role("button", name="Log touchpoint").click()
    success = panel.get_by_test_id("stAlertContentSuccess")
    success.wait_for()
    wait_idle(page)
    assert "Logged touchpoint" in success.inner_text()
    grid = panel.get_by_test_id("stDataFrame").first.locator("[role='grid']").inner_text()
    assert NOTE in grid and EDITOR in grid, "the touchpoint shows who logged it"
    # The brief is made when its button is pressed, outside the script run: still the editor's, with notes.
    brief = open_tab(page, "Department brief")
    brief.get_by_role("combobox", name="Department").click()
    page.get_by_role("option", name="Finance", exact=True).click()
    wait_idle(page)
    with page.expect_download() as download:
        brief.get_by_role("button", name="Download the brief (HTML)").click()
    assert NOTE in Path(download.value.path()).read_text(encoding="utf-8")
    open_page(page, f"{team_url}/data")
    assert "Import CSV files" not in body(page) and page.get_by_test_id("stFileUploader").count() == 0
    assert page.get_by_role("button", name="Create map").count() == 0
    open_page(page, f"{team_url}/admin")
    assert page.get_by_role("heading", name="Admin").count() == 0


def test_viewer_reads_without_notes_emails_or_touchpoint_text(context, team_url):
    page = context()
    sign_in(page, team_url, VIEWER)
    assert "Admin" not in nav_titles(page)
    open_page(page, f"{team_url}/map")
    wait_graph(page)
    assert page.get_by_role("button", name="Download print view (HTML)").count() == 0
    open_page(page, f"{team_url}/engagement")
    assert page.get_by_test_id("stForm").count() == 0, "no log form"
    assert "Log touchpoint" not in body(page)
    grid = page.get_by_test_id("stDataFrame").first.locator("[role='grid']").inner_text()
    assert "Baseline assessment" not in grid and "notes" not in grid and "@" not in grid
    screenshot(page, "team-viewer-engagement")
    for tab in ("Milestones", "Rotation plan"):
        panel = open_tab(page, tab)
        assert panel.get_by_role("button").filter(has_text=re.compile("Add milestone|Delete milestone")).count() == 0
    assert page.get_by_test_id("stFileUploader").count() == 0
    open_page(page, f"{team_url}/champions")
    assert page.get_by_test_id("stDownloadButton").count() == 0
    assert "@example.com" not in body(page)
    open_page(page, f"{team_url}/data")
    page.get_by_role("heading", name="Export").wait_for()
    screenshot(page, "team-viewer-data")
    downloads = page.get_by_test_id("stDownloadButton")
    assert downloads.count() == 1 and "pseudonymised" in downloads.inner_text()
    with page.expect_download() as download:
        downloads.get_by_role("button").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        people = archive.read("stakeholders.csv").decode()
        events = list(csv.DictReader(io.StringIO(archive.read("engagements.csv").decode())))
    assert "@" not in people and "Helen Marsh" not in people
    assert events and {row["activity"] for row in events} <= {"touchpoint", "assessment"}


def test_a_stranger_sees_only_the_access_page_and_signs_out(context, team_url):
    page = context()
    sign_in(page, team_url, STRANGER)
    assert page.get_by_role("heading", name="Ask an admin for access").is_visible()
    assert STRANGER in body(page)
    for test_id in ("stSidebar", "stDataFrame", "stDownloadButton"):
        assert page.get_by_test_id(test_id).count() == 0, test_id
    open_page(page, f"{team_url}/data")
    assert page.get_by_role("heading", name="Ask an admin for access").is_visible()
    assert demo.DEMO_MAP not in body(page)
    screenshot(page, "team-access")
    sign_out(page)
    assert_sign_in_page_only(page)
    open_page(page, f"{team_url}/engagement")
    assert_sign_in_page_only(page)


def test_a_weak_cookie_secret_refuses_team_mode(context, tmp_path, provider):
    process, url = _team_server(tmp_path, provider, "changeme")
    try:
        page = context()
        for path in ("", "data"):
            open_page(page, f"{url}/{path}")
            assert page.get_by_role("heading", name="Team mode cannot start").is_visible()
            assert "cookie_secret" in body(page) and "changeme" not in body(page)
            assert page.get_by_role("button", name="Sign in").count() == 0
            assert page.get_by_test_id("stSidebar").count() == 0 and "Helen Marsh" not in body(page)
        screenshot(page, "team-weak-secret")
    finally:
        stop_server(process)
