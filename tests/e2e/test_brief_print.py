"""The department brief on paper and on screen: it prints on one A4 page in the app's stance colours, its pitch
kit on a second, and the Engagement page previews it.

The PDF is printed by the same headless Chromium (``page.pdf(format="A4")``), as a user's "Print to PDF"
would; its pages are counted from the PDF's page objects. Artefacts: ``test-artifacts/brief-finance.pdf``,
``test-artifacts/brief-pitch-kit-print.png`` (the printed Finance brief with its pitch kit, print styles on)
and ``test-artifacts/engagement-brief-preview.png``.
"""

from __future__ import annotations

import re

import pytest
from tests.e2e.e2e_support import ARTIFACTS, open_page, outside_requests, wait_idle
from tests.e2e.test_engagement_browser import choose, open_tab

from stakeholder_map import demo
from stakeholder_map.presentation import styles, workspace_views
from stakeholder_map.presentation.brief import brief_page
from stakeholder_map.store import Store
from stakeholder_map.workspace import Workspace

LONG_NOTE = ("Has concerns about every part of the rollout and explains them at length in every meeting, "
             "from licences to training to reporting to the audit trail, and wants each answered in writing. ") * 4


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF has (its ``/Type /Page`` objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def printed(page, html: str) -> bytes:
    page.set_content(html)
    return page.pdf(format="A4", print_background=True)


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory):
    path = tmp_path_factory.mktemp("brief") / "demo.duckdb"
    with Store(path) as store:
        demo.load_demo(store)
        yield Workspace(store, demo.DEMO_MAP)


def test_page_count_is_read_right(page):
    two = "<!DOCTYPE html><p>one</p><p style='break-before: page'>two</p>"
    assert pdf_pages(printed(page, two)) == 2


def brief_only(facts: dict) -> dict:
    """The facts without the pitch kit: the brief alone."""
    return {**facts, "kit": None}


@pytest.mark.parametrize("department", ["Finance", "Engineering"])   # Engineering: the demo's biggest
def test_the_demo_brief_prints_on_one_a4_page_in_the_app_colours(page, demo_workspace, department):
    html = workspace_views.brief_of(demo_workspace, department, "2026-12-01")
    for colour in styles.STANCE_COLOURS.values():
        assert colour in html
    pdf = printed(page, html)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"brief-{department.lower()}.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 2                          # the brief, then its pitch kit
    alone = brief_page(brief_only(demo_workspace.brief_facts(department, "2026-12-01")), map_name=demo.DEMO_MAP)
    assert pdf_pages(printed(page, alone)) == 1
    if department == "Finance":
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 794, "height": 1123})     # A4 at 96 dpi
        page.set_content(html)
        page.screenshot(path=str(ARTIFACTS / "brief-pitch-kit-print.png"), full_page=True)
        page.emulate_media(media="screen")


@pytest.mark.parametrize("department", ["Finance", "Engineering"])
def test_long_notes_still_fit_one_page_and_the_kit_another(page, demo_workspace, department):
    facts = demo_workspace.brief_facts(department, "2026-12-01")
    people = {pid: {**info, "notes": LONG_NOTE} for pid, info in facts["people"].items()}
    said = [{**row, "note": LONG_NOTE} for row in facts["said"]]
    kit = {**facts["kit"], "themes": [{**t, "quote": (t["quote"][0], LONG_NOTE)} for t in facts["kit"]["themes"]]}
    long = {**facts, "people": people, "said": said}
    assert pdf_pages(printed(page, brief_page(brief_only(long), map_name=demo.DEMO_MAP))) == 1
    assert pdf_pages(printed(page, brief_page({**long, "kit": kit}, map_name=demo.DEMO_MAP))) == 2


def test_the_engagement_page_previews_the_brief(page, app_url, requests_seen):
    open_page(page, f"{app_url}/engagement")
    panel = open_tab(page, "Department brief")
    choose(page, panel.get_by_role("combobox", name="Department"), "Finance")
    wait_idle(page)
    panel.get_by_text("Preview the brief here").click()
    wait_idle(page)
    frame = page.frame_locator("iframe[data-testid='stIFrame']")
    frame.get_by_role("heading", name=re.compile("^Finance")).first.wait_for()      # the brief, then its kit
    assert frame.locator("svg[aria-label='Stance mix over time'] rect").count() > 0
    panel.get_by_role("button", name="Download the brief (HTML)").wait_for()
    page.get_by_test_id("stIFrame").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "engagement-brief-preview.png"))
    assert page.get_by_test_id("stException").count() == 0
    assert outside_requests(requests_seen) == []
