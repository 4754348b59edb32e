"""The org chart in a real browser: a manager column uploaded on the Data page becomes reporting lines on the Map.

The Data page needs no change for it: its preview counts the ties made from the manager column, the
warning about a reporting line the influences file has too is shown, and the Map page's "Tie kinds"
filter shows the chart alone.
"""

from __future__ import annotations

import pytest

from tests.e2e.e2e_support import open_page, pick_option, screenshot, wait_graph, wait_idle

#: Helen heads the chart; three directors report to her, two people to each director.
PEOPLE = """id,name,department,role,stance,manager
1,Helen Marsh,Executive,Chief Executive,supporter,
2,Raj Patel,Finance,Finance Director,skeptic,1
3,Lena Vogel,IT,IT Director,champion,1
4,Tom Reed,Finance,Accountant,neutral,2
5,Ana Silva,Finance,Analyst,resistant,2
6,Omar Haddad,IT,Developer,supporter,3
7,Mia Chen,IT,Developer,,3
8,Kofi Mensah,Operations,Operations Manager,neutral,1
9,Eva Novak,Operations,Planner,skeptic,8
10,Sam Ortiz,Operations,Coordinator,supporter,8
"""
#: Four advice ties and one reporting line the manager column gives too (kept once).
TIES = "source,target,weight,kind\n4,5,2,advice\n6,9,1,advice\n5,2,3,advice\n3,6,1,reports_to\n7,10,1,advice\n"
MAP_NAME = "Org chart"


@pytest.fixture
def org_files(tmp_path):
    (tmp_path / "org_chart.csv").write_text(PEOPLE)
    (tmp_path / "org_ties.csv").write_text(TIES)
    return tmp_path / "org_chart.csv", tmp_path / "org_ties.csv"


def upload(page, title: str, path) -> None:
    page.get_by_test_id("stFileUploader").filter(has_text=title).locator("input[type=file]").set_input_files(str(path))
    wait_idle(page)


def test_a_manager_column_imports_on_the_data_page_and_shows_as_reports_to_ties_on_the_map(page, app_url, org_files):
    people, ties = org_files
    open_page(page, f"{app_url}/data")
    upload(page, "Stakeholders CSV", people)
    upload(page, "Influences CSV", ties)
    # 5 rows of the influences file + 9 reporting lines − the one both give.
    page.get_by_text("10 people, 13 ties", exact=False).first.wait_for()
    warning = page.get_by_test_id("stAlertContentWarning").filter(has_text="reporting line").inner_text()
    assert "1 reporting line is in org_ties.csv already" in warning
    page.get_by_label("Map name", exact=True).fill(MAP_NAME)
    page.keyboard.press("Enter")
    wait_idle(page)
    screenshot(page, "org-chart-data-preview")
    page.get_by_role("button", name="Import", exact=True).click()
    success = page.get_by_test_id("stAlertContentSuccess")
    success.wait_for()
    assert "Imported 10 people, 13 ties" in success.inner_text()

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Map", exact=True).click()
    wait_idle(page)
    wait_graph(page)
    kinds = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Tie kinds")
    pick_option(page, kinds, "reports_to")
    page.keyboard.press("Escape")
    wait_idle(page)
    wait_graph(page)
    page.get_by_text("9 pairs of people (9 ties)", exact=False).first.wait_for()
    screenshot(page, "org-chart-map-reports-to")
