"""The relationship survey in a real browser, on a server of its own (a fresh demo database):

an admin creates a survey with a pulse question on the Survey page and downloads the links; three respondents
answer in fresh browser contexts (one on a phone-sized screen); a forged and an expired link see only an error;
the admin applies the answers; the new ties show on the Map under their kind, the champion pick changes
(a champion answered the pulse "strongly against"), and the pulse shows in the stance history.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from stakeholder_map import demo
from stakeholder_map.store import Store
from stakeholder_map.surveys import survey_definition
from tests.e2e.e2e_support import open_page, pick_option, screenshot, start_server, stop_server, wait_graph, wait_idle

#: Respondents: a current champion (Rachel Adeyemi, E051) and two people of Sales; all name the same colleague.
RESPONDENTS = ("Rachel Adeyemi", "Harry Walker", "Florian Allen")
NAMED = "Declan Powell"


@pytest.fixture(scope="module")
def survey_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("survey")
    db = folder / "survey.duckdb"
    with Store(db) as store:  # an older survey whose links expired yesterday (the server holds the file later)
        demo.load_demo(store)
        old = store.create_survey(demo.DEMO_MAP, survey_definition("Older survey", closes_on=date(2099, 1, 1)))
        links = store.issue_links(old, expires_on=date.today() - timedelta(days=1)).set_index("name")
    expired = f"/survey?token={links.at['Helen Marsh', 'token']}"
    process, url = start_server(db, log=folder / "streamlit.log")
    yield url, url + expired
    stop_server(process)


def champion_names(page) -> list[str]:
    page.get_by_text("Why them:", exact=False).first.wait_for()
    page.get_by_role("button", name=re.compile(r"^1\. ")).first.wait_for()
    buttons = page.get_by_test_id("stMain").get_by_role("button").all_inner_texts()
    found = [re.match(r"^\d+\.\s+(.+)$", b.strip().splitlines()[-1]) for b in buttons if b.strip()]
    return [m.group(1).strip() for m in found if m]  # a card's button: an icon's name, then "1. Name"


def answer(browser, link: str, *, pulse: str, phone: bool = False, shot: str | None = None) -> None:
    """Open a link in a fresh context (no cookies, no session), name NAMED for every question, submit."""
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=size)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    try:
        open_page(tab, link)
        main = tab.get_by_test_id("stMain")
        assert tab.get_by_test_id("stSidebar").count() == 0 or not tab.get_by_test_id("stSidebar").is_visible()
        for i in range(3):
            main.get_by_test_id("stMultiSelect").nth(i).click()
            tab.keyboard.type(NAMED.split()[0])
            tab.get_by_role("option", name=NAMED, exact=True).click()
            tab.keyboard.press("Escape")
            wait_idle(tab)
            main.get_by_test_id("stButtonGroup").nth(i).get_by_text("Daily", exact=True).click()
            wait_idle(tab)
        main.get_by_text(pulse, exact=True).click()
        main.get_by_text("I agree to my answers", exact=False).click()
        wait_idle(tab)
        if shot:
            screenshot(tab, shot)
        main.get_by_role("button", name="Submit my answers").click()
        tab.get_by_test_id("stAlertContentSuccess").wait_for()
        assert "you named 3 people" in tab.get_by_test_id("stAlertContentSuccess").inner_text()
    finally:
        context.close()


def only_an_error(browser, url: str, expected: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    try:
        open_page(tab, url)
        error = tab.get_by_test_id("stAlertContentError")
        error.wait_for()
        assert expected in error.inner_text()
        text = tab.get_by_test_id("stMain").inner_text()
        assert "Helen Marsh" not in text and "Submit" not in text and tab.get_by_role("combobox").count() == 0
        assert tab.get_by_test_id("stSidebarNav").count() == 0
    finally:
        context.close()


def test_a_survey_from_creation_to_the_map(browser, survey_server, tmp_path):
    url, expired = survey_server
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(45_000)
    open_page(page, f"{url}/champions")
    before = champion_names(page)
    assert "Rachel Adeyemi" in before and NAMED not in before

    # The admin creates a survey with a pulse question and downloads everyone's link.
    open_page(page, f"{url}/survey_admin")
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stExpander").filter(has_text="New survey").get_by_text("New survey").click()
    main.get_by_label("Title (respondents see it)").fill("How work gets done")
    main.get_by_label("Pulse question on the change", exact=False).fill("How do you feel about the new PM tool?")
    main.get_by_role("button", name="Create survey").click()
    page.get_by_test_id("stAlertContentSuccess").filter(has_text="Survey 2 created").wait_for()
    wait_idle(page)
    main.get_by_role("button", name="Issue links").click()
    page.get_by_test_id("stAlertContentSuccess").filter(has_text="220 links issued").wait_for()
    wait_idle(page)
    with page.expect_download() as download:
        main.get_by_role("button", name="Download links", exact=False).click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert len(rows) == 220 and list(rows[0]) == ["name", "email", "link"]
    links = {r["name"]: r["link"] for r in rows}
    assert all(link.startswith(f"{url}/survey?token=") for link in links.values())
    screenshot(page, "survey-admin")

    # Three respondents in fresh contexts; the champion is strongly against; one answers on a phone.
    answer(browser, links[RESPONDENTS[0]], pulse="Strongly against", shot="survey-respondent-desktop")
    answer(browser, links[RESPONDENTS[1]], pulse="In favour", phone=True, shot="survey-respondent-phone")
    answer(browser, links[RESPONDENTS[2]], pulse="Enthusiastic")

    # A forged link and an expired one: an error page only.
    token = parse_qs(urlsplit(links["Helen Marsh"]).query)["token"][0]
    only_an_error(browser, f"{url}/survey?token={token[:-4]}AAAA", "not valid")
    only_an_error(browser, expired, "expired")

    # Status, then apply.
    open_page(page, f"{url}/survey_admin")
    status = page.get_by_test_id("stDataFrame").first
    status.wait_for()
    main.get_by_role("button", name="Apply answers to the map").click()
    page.get_by_test_id("stAlertContentSuccess").filter(has_text="Applied: 9 ties from 3 respondents").wait_for()
    wait_idle(page)
    screenshot(page, "survey-admin-applied")

    # The new ties on the Map, under their kind.
    open_page(page, f"{url}/map")      # (the demo has touchpoints: the app opens on This week)
    wait_graph(page)
    kinds = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Tie kinds")
    pick_option(page, kinds, "trust")
    page.keyboard.press("Escape")
    wait_idle(page)
    wait_graph(page)
    page.get_by_text("3 pairs of people (3 ties)", exact=False).first.wait_for()
    screenshot(page, "survey-map-trust-ties")

    # The champion pick changed: the champion who is now against is no longer suggested.
    open_page(page, f"{url}/champions")
    after = champion_names(page)
    assert after != before and "Rachel Adeyemi" not in after, (before, after)

    # The pulse in the stance history (Engagement page, one person's record).
    open_page(page, f"{url}/engagement")
    page.get_by_role("tab", name="Stance history").click()
    picker = page.get_by_test_id("stMain").get_by_role("combobox", name="Person")
    picker.click()
    picker.fill("Rachel")
    page.get_by_role("option", name=re.compile("^Rachel Adeyemi")).first.click()
    wait_idle(page)
    history = page.get_by_test_id("stDataFrame").filter(has_text="survey").first
    history.wait_for()
    history.scroll_into_view_if_needed()
    screenshot(page, "survey-stance-history")
    context.close()

