"""The Engagement page in a real browser: log a touchpoint through the form, see it in the list, in the
person's stance history and in the milestone progress; then delete it again through the edit form, and
download a department brief.

Uses the ``page``, ``app_url`` and ``requests_seen`` fixtures of ``tests/e2e/conftest.py`` (a fresh
database with the demo organisation, whose Finance milestone is at risk). The touchpoint is removed at
the end, so the demo's stances are as before for any test that runs later. Screenshot:
``test-artifacts/engagement.png``.
"""

from __future__ import annotations

import re

from tests.e2e.e2e_support import open_page, outside_requests, screenshot, wait_idle
from playwright.sync_api import TimeoutError as PlaywrightTimeout

PERSON = "Pauline Hargreaves (Finance)"          # a skeptic in Finance, in the demo
NOTE = "Logged from the browser test"
FINANCE = re.compile(r"60% of Finance supporter or better by \S+: at risk\. Now \d+% \((\d+) of 20 people\)")


def metric(page, label: str) -> str:
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue").inner_text()


def open_tab(page, name: str):
    page.get_by_role("tab", name=name, exact=True).click()
    panel = page.get_by_role("tabpanel", name=name)
    panel.wait_for()
    return panel


def finance_supporters(page) -> int:
    panel = open_tab(page, "Milestones")
    text = panel.get_by_test_id("stAlertContentWarning").filter(has_text="of Finance").inner_text()
    return int(FINANCE.search(text).group(1))


def choose(page, combobox, option) -> None:
    """Open a selectbox and pick an option (the options list is only there while the box is open; a box
    that was just scrolled into view may need a second click to stay open)."""
    for _ in range(3):
        combobox.scroll_into_view_if_needed()
        combobox.click()
        try:
            page.get_by_role("option", name=option).first.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    page.get_by_role("option", name=option).first.click()


def grid_text(locator) -> str:
    """The visible cells of a st.dataframe (its accessible grid mirrors the canvas)."""
    return locator.locator("[role='grid']").inner_text()


def test_log_a_touchpoint_and_see_history_and_milestones_follow(page, app_url, requests_seen):
    open_page(page, f"{app_url}/engagement")
    before_count = int(metric(page, "Touchpoints").replace(",", ""))
    before_finance = finance_supporters(page)

    panel = open_tab(page, "Touchpoints")
    form = panel.get_by_test_id("stForm").first
    form.get_by_role("combobox", name="Person").click()
    page.keyboard.type("Pauline Harg")
    page.get_by_role("option", name=PERSON, exact=True).click()
    choose(page, form.get_by_role("combobox", name="Stance after"), "supporter")
    form.get_by_role("textbox", name="Activity").fill("1:1 coffee")   # (the field has a help button too)
    form.get_by_label("Notes").fill(NOTE)
    form.get_by_role("button", name="Log touchpoint").click()
    success = panel.get_by_test_id("stAlertContentSuccess")
    success.wait_for()
    wait_idle(page)
    assert "Logged touchpoint" in success.inner_text() and "Pauline Hargreaves" in success.inner_text()
    assert "stance after: supporter" in success.inner_text()
    engagement_id = int(re.search(r"#(\d+)", success.inner_text()).group(1))

    # in the list, newest first
    assert int(metric(page, "Touchpoints").replace(",", "")) == before_count + 1
    listed = grid_text(panel.get_by_test_id("stDataFrame").first)
    assert NOTE in listed and "Pauline Hargreaves" in listed
    assert page.get_by_test_id("stException").count() == 0
    screenshot(page, "engagement")

    # her stance history gained the row (the page opens her record after logging)
    history = open_tab(page, "Stance history")
    record = history.get_by_test_id("stDataFrame").filter(has_text="recorded on").first
    first_rows = grid_text(record)
    assert "supporter" in first_rows and "engagement" in first_rows

    # one more Finance supporter towards the milestone
    assert finance_supporters(page) == before_finance + 1

    # delete it again through the edit form: the demo is as before
    panel = open_tab(page, "Touchpoints")
    panel.get_by_text("Edit or delete a touchpoint").click()
    choose(page, panel.get_by_role("combobox", name="Touchpoint"), re.compile(rf"^#{engagement_id} "))
    wait_idle(page)
    edit = panel.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Delete touchpoint"))
    edit.get_by_text("Yes, delete this touchpoint").click()
    edit.get_by_role("button", name="Delete touchpoint").click()
    panel.get_by_test_id("stAlertContentSuccess").filter(has_text="Deleted touchpoint").wait_for()
    wait_idle(page)
    assert int(metric(page, "Touchpoints").replace(",", "")) == before_count
    assert finance_supporters(page) == before_finance

    # the department brief is made when its button is pressed, outside the script run
    brief = open_tab(page, "Department brief")
    with page.expect_download() as download:
        brief.get_by_role("button", name="Download the brief (HTML)").click()
    assert re.fullmatch(r"brief-[A-Za-z0-9_-]+\.html", download.value.suggested_filename)
    with open(download.value.path(), encoding="utf-8") as html:
        assert html.read().startswith("<!DOCTYPE html>")

    assert page.get_by_test_id("stException").count() == 0
    assert outside_requests(requests_seen) == []
