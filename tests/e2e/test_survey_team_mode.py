"""Team mode and the survey: a respondent's valid link is the one page reachable without sign-in; without a
token the survey address shows the sign-in page, and a forged token an error only (no sign-in, no map)."""

from __future__ import annotations

import secrets
from datetime import date

import pytest

from stakeholder_map import demo
from stakeholder_map.store import Store
from stakeholder_map.surveys import Question, survey_definition
from tests.e2e.e2e_support import free_port, open_page, start_server, stop_server, wait_idle

oidc_provider_mock = pytest.importorskip("oidc_provider_mock")
from tests.e2e.test_team_mode import _secrets, assert_sign_in_page_only  # noqa: E402


@pytest.fixture(scope="module")
def team_survey(tmp_path_factory):
    folder = tmp_path_factory.mktemp("team-survey")
    db = folder / "team.duckdb"
    with Store(db) as store:
        demo.load_demo(store)
        survey_id = store.create_survey(demo.DEMO_MAP, survey_definition(
            "Team survey", closes_on=date(2099, 1, 1), strength=False,
            questions=[Question("Whom do you go to for advice about how work gets done?", "advice", 3)]))
        token = store.issue_links(survey_id).set_index("name").at["Helen Marsh", "token"]
    with oidc_provider_mock.run_server_in_thread(port=free_port()) as server:
        port = free_port()
        secrets_file = _secrets(folder, app_port=port, provider=f"http://localhost:{server.server_port}",
                                cookie_secret=secrets.token_urlsafe(48))
        process, url = start_server(db, log=folder / "streamlit.log", port=port,
                                    env={"STREAMLIT_SECRETS_FILES": str(secrets_file)})
        yield url, token
        stop_server(process)


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def test_a_valid_link_opens_the_survey_without_sign_in_and_takes_an_answer(tab, team_survey):
    url, token = team_survey
    open_page(tab, f"{url}/survey?token={token}")
    main = tab.get_by_test_id("stMain")
    assert "For Helen Marsh" in main.inner_text() and "Team survey" in main.inner_text()
    assert tab.get_by_role("button", name="Sign in").count() == 0 and tab.get_by_test_id("stSidebarNav").count() == 0
    main.get_by_test_id("stMultiSelect").first.click()
    tab.keyboard.type("Declan")
    tab.get_by_role("option", name="Declan Powell", exact=True).click()
    tab.keyboard.press("Escape")
    wait_idle(tab)
    main.get_by_text("I agree to my answers", exact=False).click()
    wait_idle(tab)
    main.get_by_role("button", name="Submit my answers").click()
    assert "you named 1 person" in tab.get_by_test_id("stAlertContentSuccess").inner_text()


def test_without_a_token_the_survey_address_asks_for_sign_in(tab, team_survey):
    url, _ = team_survey
    open_page(tab, f"{url}/survey")
    assert_sign_in_page_only(tab)


def test_a_forged_token_sees_an_error_only(tab, team_survey):
    url, token = team_survey
    for path in ("survey", "champions", ""):
        open_page(tab, f"{url}/{path}?token={token[:-3]}xyz")
        assert "not valid" in tab.get_by_test_id("stAlertContentError").inner_text()
        text = tab.get_by_test_id("stMain").inner_text()
        assert "Declan" not in text and "Sign in" not in text and tab.get_by_role("combobox").count() == 0
        assert tab.get_by_test_id("stSidebarNav").count() == 0
