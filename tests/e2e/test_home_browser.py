"""The This week page in a real browser: the app opens on it for the demo map (it has touchpoints), its
sections paint, a name opens the profile and a department its people on the Map, and the brief it offers
carries the pitch kit. Artefacts: ``test-artifacts/home-this-week.png`` (and the first paint's time in
``test-artifacts/home-first-paint.txt``)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from tests.e2e.e2e_support import ARTIFACTS, open_page, outside_requests, screenshot, wait_graph, wait_idle

from stakeholder_map import demo

SECTIONS = ("Milestones at risk", "Next conversations", "Windows of opportunity", "Seeds to plant")


def no_exception(page) -> None:
    assert page.get_by_test_id("stException").count() == 0


def test_the_app_opens_on_this_week(page, app_url, requests_seen):
    started = time.perf_counter()
    open_page(page, app_url)
    page.get_by_role("heading", name="This week").wait_for()
    for title in SECTIONS:
        page.get_by_test_id("stHeading").filter(has_text=title).first.wait_for()
    painted = time.perf_counter() - started
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "home-first-paint.txt").write_text(f"{painted:.2f} s to the four headings of This week "
                                                    f"on {demo.DEMO_MAP} (fresh session)\n")
    wait_idle(page)
    nav = page.get_by_test_id("stSidebarNav").locator("a").all_inner_texts()
    assert nav[0].strip().splitlines()[-1] == "This week" and nav[1].strip().splitlines()[-1] == "Map"
    text = page.get_by_test_id("stMain").inner_text()
    assert "60% of Finance supporter or better by 2027-03-31" in text        # the demo's milestone at risk
    # Earlier browser tests log touchpoints on this server's demo, so who leads (and who has a messenger) is not
    # fixed here: the shape is. Each conversation names its messenger (a link) or says that no chain reaches them.
    conversations = text.count(" expected adopters.")
    assert conversations >= 3 and "blocker" in text
    assert text.count("Messenger: ") + text.count("No chain of influence reaches them") == conversations
    no_exception(page)
    page.set_viewport_size({"width": 1400, "height": 1900})     # the whole page (its main part scrolls)
    screenshot(page, "home-this-week")
    assert outside_requests(requests_seen) == []


def test_a_name_opens_the_profile_on_the_map(page, app_url):
    open_page(page, app_url)
    first = page.get_by_role("button", name=re.compile(r"\((Finance|Sales|Legal|Engineering|Marketing|HR), "
                                                      r"(skeptic|neutral|resistant|unknown)\)$")).first
    person = re.sub(r"^person\s*", "", first.inner_text().strip()).split(" (")[0]
    first.click()
    page.wait_for_function("() => [...document.querySelectorAll('h1')].some((h) => h.innerText.trim() === 'Map')")
    wait_idle(page)
    page.get_by_test_id("stHeading").filter(has_text=person).first.wait_for()
    assert page.get_by_role("button", name="Clear selection").count() == 1
    no_exception(page)


def test_a_department_opens_its_people_on_the_map(page, app_url):
    open_page(page, app_url)
    # The first department link is the milestone's (the left column comes first): Finance.
    page.get_by_role("button", name=re.compile(r"(^|\s)Finance$")).first.click()
    page.wait_for_function("() => [...document.querySelectorAll('h1')].some((h) => h.innerText.trim() === 'Map')")
    wait_idle(page)
    wait_graph(page)
    assert page.get_attribute(".sm-graph", "data-nodes") == "20"             # Finance's 20 people
    no_exception(page)


def test_the_brief_it_offers_has_the_pitch_kit(page, app_url):
    open_page(page, app_url)
    with page.expect_download() as download:       # the first brief is the milestone's department's: Finance
        page.get_by_role("button", name=re.compile(r"(^|\s)Brief$")).first.click()
    html = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Finance" in html and "Pitch kit" in html and "Questions to ask" in html
