"""The dashboard in a real browser: it paints, every page opens, import and click work,
nothing is fetched from outside, and hostile names stay text."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from tests.e2e.e2e_support import (
    LARGE_MAP, ROOT, XSS_MAP, XSS_NAMES, choose_map, node_points, open_page, outside_requests, screenshot,
    wait_graph, wait_idle,
)

PAGES = ROOT / "stakeholder_map" / "ui" / "pages"
#: url path -> page file; pages another developer has not written yet are skipped. The demo map has touchpoints,
#: so the app opens on This week ("") and the Map has its own address.
ROUTES = {"": "home.py", "map": "map.py", "champions": "champions.py", "audience": "audience.py",
          "simulate": "simulate.py", "data": "data.py", "method": "method.py"}


def non_blank_pixels(page) -> int:
    """How many pixels of the drawing differ from the white background."""
    return page.evaluate("""() => {
        const canvas = document.querySelector('.sm-graph canvas');
        const ctx = canvas.getContext('2d');
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) count++;
        }
        return count;
    }""")


def test_map_page_paints_the_graph(page, app_url):
    open_page(page, f"{app_url}/map")
    wait_graph(page)
    assert int(page.get_attribute(".sm-graph", "data-nodes")) > 150
    assert non_blank_pixels(page) > 5_000
    assert page.get_by_test_id("stException").count() == 0
    screenshot(page, "map")


@pytest.mark.parametrize("path", [p for p, f in ROUTES.items() if (PAGES / f).exists()])
def test_every_page_opens_without_an_exception(page, app_url, path):
    open_page(page, f"{app_url}/{path}")
    if path == "map":
        wait_graph(page)
    assert page.get_by_test_id("stException").count() == 0
    screenshot(page, f"page-{path or 'home'}")


def test_clicking_a_person_opens_their_panel(page, app_url):
    open_page(page, f"{app_url}/map")
    wait_graph(page)
    target = node_points(page)[17]
    page.mouse.click(target["x"], target["y"])
    page.wait_for_selector(f".sm-graph[data-selected='{target['id']}']")
    wait_idle(page)
    page.get_by_role("button", name="Clear selection").wait_for()
    page.get_by_role("tab", name="Stance history").wait_for()
    name = page.evaluate(f"() => document.querySelector('.sm-graph').smNetwork.body.data.nodes.get('{target['id']}').label")
    expect(page.get_by_test_id("stHeading").last).to_have_text(name)
    screenshot(page, "map-selected")


def test_import_through_the_data_page(page, app_url, tmp_path):
    people = tmp_path / "browser_org.csv"
    people.write_text("id,name,department,stance\n1,Ann,IT,supporter\n2,Bo,IT,skeptic\n3,Cy,HR,\n")
    ties = tmp_path / "browser_ties.csv"
    ties.write_text("source,target,weight\n1,2,2\n2,3,1\n")
    open_page(page, f"{app_url}/data")
    uploader = page.get_by_test_id("stFileUploader")
    uploader.filter(has_text="Stakeholders CSV").locator("input[type=file]").set_input_files(str(people))
    wait_idle(page)
    uploader.filter(has_text="Influences CSV").locator("input[type=file]").set_input_files(str(ties))
    wait_idle(page)
    page.get_by_text("3 people, 2 ties", exact=False).wait_for()
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_test_id("stAlertContentSuccess").wait_for()
    wait_idle(page)
    assert "Imported 3 people, 2 ties" in page.get_by_test_id("stAlertContentSuccess").inner_text()
    chooser = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Map")
    assert chooser.input_value() == "browser_org"
    screenshot(page, "data-imported")
    # the imported map is the current one on the Map page too
    page.get_by_test_id("stSidebarNav").get_by_text("Map", exact=True).click()
    wait_graph(page)
    assert page.get_attribute(".sm-graph", "data-nodes") == "3"


def test_hostile_names_are_shown_as_text_and_never_run(page, app_url):
    open_page(page, f"{app_url}/map")
    wait_graph(page)
    choose_map(page, XSS_MAP)
    wait_graph(page)
    assert page.get_attribute(".sm-graph", "data-nodes") == str(len(XSS_NAMES))
    tooltips = []
    for point in node_points(page):
        page.mouse.move(point["x"], point["y"])
        page.wait_for_selector(".sm-graph .vis-tooltip", state="visible")
        tooltips.append(page.inner_text(".sm-graph .vis-tooltip").splitlines()[0])
        page.mouse.move(5, 5)
    assert sorted(tooltips) == sorted(XSS_NAMES)
    legend = page.inner_text(".sm-legend")
    assert "<i>Dept 0</i>" in legend
    # select each hostile name in turn: the panel's heading shows it exactly as typed
    points = {p["id"]: p for p in node_points(page)}
    for i, name in enumerate(XSS_NAMES):
        page.mouse.click(points[f"x{i}"]["x"], points[f"x{i}"]["y"])
        page.wait_for_selector(f".sm-graph[data-selected='x{i}']")
        wait_idle(page)
        expect(page.get_by_test_id("stHeading").last).to_have_text(name)
    screenshot(page, "xss-map")
    assert page.evaluate("() => window.__xss") is None
    open_page(page, f"{app_url}/data")
    assert page.evaluate("() => window.__xss") is None
    screenshot(page, "xss-data")


def test_no_request_leaves_the_machine(page, app_url, requests_seen):
    for path in [p for p, f in ROUTES.items() if (PAGES / f).exists()]:
        open_page(page, f"{app_url}/{path}")
        if path == "map":
            wait_graph(page)
            for point in node_points(page)[:25]:
                page.mouse.move(point["x"], point["y"])
    assert requests_seen, "the recorder saw nothing"
    assert outside_requests(requests_seen) == []


def test_download_buttons_give_png_and_offline_html(page, app_url, tmp_path):
    open_page(page, f"{app_url}/map")
    wait_graph(page)
    with page.expect_download() as png:
        page.get_by_role("button", name="Download PNG").click()
    png_path = tmp_path / "map.png"
    png.value.save_as(png_path)
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as html:
        page.get_by_role("button", name="Download print view (HTML)").click()
    html_path = tmp_path / "map.html"
    html.value.save_as(html_path)
    text = Path(html_path).read_text(encoding="utf-8")
    assert "vis.Network" in text and "cdn.jsdelivr" not in text


def test_large_map_opens_on_departments_and_a_click_opens_one(page, app_url):
    open_page(page, f"{app_url}/map")
    wait_graph(page)
    choose_map(page, LARGE_MAP)
    page.wait_for_selector(".sm-graph[data-view='departments'][data-drawn='true']")
    wait_idle(page)
    assert "each circle is a department" in page.get_by_test_id("stCaptionContainer").first.inner_text()
    screenshot(page, "map-departments")
    target = max(node_points(page), key=lambda p: p["id"])
    page.mouse.click(target["x"], target["y"])
    page.wait_for_selector(".sm-graph[data-view='people'][data-drawn='true']")
    wait_idle(page)
    assert f"the people of {target['id']}" in page.get_by_test_id("stCaptionContainer").first.inner_text()
    screenshot(page, "map-department-opened")
