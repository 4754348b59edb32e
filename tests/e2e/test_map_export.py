"""The Map page for a meeting, in a real browser: key people named by default, a PNG at 3x the screen,
and a one-page print view with its title once, the date, the filters in force and the legend."""

from __future__ import annotations

import struct
from datetime import date
from pathlib import Path

from tests.e2e.e2e_support import ARTIFACTS, open_page, pick_option, screenshot, wait_graph, wait_idle

DEMO = "PM software rollout (demo)"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_key_people_are_named_by_default(page, app_url):
    open_page(page, f"{app_url}/map")
    wait_graph(page)
    view = page.evaluate("""() => {
        const graph = document.querySelector('.sm-graph');
        const nodes = graph.smNetwork.body.data.nodes.get();
        return {stars: nodes.filter((n) => n.shape === 'star').length,
                pinned: nodes.filter((n) => n.scaling.label.drawThreshold > 1000).length,
                scale: graph.smNetwork.getScale(),
                drawn: Number(graph.getAttribute('data-pinned-labels'))};
    }""")
    # at the overview's zoom vis-network writes nobody's name (13 px x scale < 8): the component writes the key ones
    assert view["scale"] * 13 < 8
    assert view["stars"] >= 1 and view["pinned"] >= view["stars"] + 5
    assert view["drawn"] == view["pinned"]


def test_png_is_at_least_twice_the_canvas(page, app_url, tmp_path):
    open_page(page, f"{app_url}/map")
    wait_graph(page)
    canvas = page.evaluate("() => { const c = document.querySelector('.sm-graph canvas');"
                           " return [c.clientWidth, c.clientHeight]; }")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PNG").click()
    path = tmp_path / "map.png"
    download.value.save_as(path)
    width, height = png_size(path)
    assert width >= 2 * canvas[0] and height >= 2 * canvas[1], (width, height, canvas)
    # the drawing on screen is back at the screen's resolution
    assert page.evaluate("() => document.querySelector('.sm-graph canvas').width") == canvas[0]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "mapview-export.png").write_bytes(path.read_bytes())


def test_print_view_has_title_once_date_filters_and_legend_on_one_page(page, app_url, tmp_path, browser):
    open_page(page, f"{app_url}/map")
    wait_graph(page)
    side = page.get_by_test_id("stSidebar")
    pick_option(page, side.get_by_role("combobox", name="Stances"), "supporter")
    page.keyboard.press("Escape")
    wait_idle(page)
    page.wait_for_selector(".sm-graph[data-drawn='true']")
    wait_graph(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download print view (HTML)").click()
    path = tmp_path / "map.html"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert text.count("<h1>") == 1
    # open the file as a user would: offline, from the disk
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, offline=True)
    try:
        tab = context.new_page()
        tab.goto(path.as_uri())
        tab.wait_for_selector("body[data-print-ready='true']")
        assert tab.locator("h1").all_inner_texts() == [DEMO]
        meta = tab.inner_text(".sm-meta")
        assert f"Made on {date.today().isoformat()}" in meta and "pairs of people" in meta
        assert "stance: supporter" in tab.inner_text(".sm-filters")
        legend = tab.inner_text(".sm-legend")
        assert "Engineering (" in legend and "champion (suggested)" in legend
        width = tab.evaluate("() => document.getElementById('sm-print').naturalWidth")
        assert width >= 2 * tab.evaluate("() => document.getElementById('sm-map').clientWidth")
        tab.emulate_media(media="print")
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "mapview-print.png"), full_page=True)
        pdf = tab.pdf(prefer_css_page_size=True)
        assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page\r") + pdf.count(b"/Type /Page>") \
            + pdf.count(b"/Type /Page/") + pdf.count(b"/Type /Page ") == 1
    finally:
        context.close()
    screenshot(page, "mapview-filtered")
