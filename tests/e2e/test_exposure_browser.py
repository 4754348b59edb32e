"""Seeds planted in a real browser, on a server of its own (the demo plus seed touches, and a hostile map):

the Map's "Exposure (seeds planted)" colouring paints the exposed people in the exposure colours with a
legend, its tooltips say how often and when (and a hostile name stays text), and the Engagement page's
"Seeds planted" tab shows exposure per department and whom to touch next. Screenshots:
test-artifacts/map-exposure.png and test-artifacts/engagement-seeds.png.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest

from stakeholder_map import demo
from stakeholder_map.ingest import read_map
from stakeholder_map.presentation.styles import EXPOSURE_COLOURS
from stakeholder_map.store import Store
from tests.e2e.e2e_support import (
    XSS_NAMES, choose_map, node_points, open_page, pick_option, screenshot, start_server, stop_server, wait_graph,
    wait_idle, xss_csvs,
)

HOSTILE = "Hostile names"
#: Seed touches on the demo: (id, activity, days ago). Finance and Legal skeptics read articles and saw results.
SEEDS = (
    ("E028", "article", 30), ("E028", "results shared", 12), ("E028", "demo seen", 3),   # Graham Whitlock
    ("E037", "Article", 20), ("E037", "case study", 6),                                # Pauline Hargreaves
    ("E038", "article", 15),                                                           # Helena Mensah
    ("E039", "results shared", 9),                                                     # Sam Matthews
    ("E157", "results shared", 8),                                                     # Ingrid Sørensen
    ("E163", "seed: podcast", 4),                                                      # Jonathan Campbell
    ("E097", "demo seen", 10), ("E098", "demo seen", 10),                              # Sales
)
LABEL = "Exposure (seeds planted)"


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeds")
    db = folder / "seeds.duckdb"
    today = date.today()
    people, ties = xss_csvs()
    with Store(db) as store:
        demo.load_demo(store)
        for pid, activity, ago in SEEDS:
            store.log_engagement(demo.DEMO_MAP, when=today - timedelta(days=ago), stakeholder_id=pid,
                                 activity=activity)
        store.import_map(HOSTILE, read_map(BytesIO(people), BytesIO(ties)))
        store.log_engagement(HOSTILE, when=today, stakeholder_id="x0", activity="article")
    process, url = start_server(db, log=folder / "streamlit.log")
    yield url
    stop_server(process)


def colour_by(page, label: str) -> None:
    page.get_by_test_id("stMain").get_by_test_id("stButtonGroup").get_by_text(label, exact=True).click()
    wait_idle(page)
    page.wait_for_function("(want) => { const g = document.querySelector('.sm-graph');"
                           " return g && g.smNetwork && g.getAttribute('data-drawn') === 'true'"
                           " && [...document.querySelectorAll('.sm-legend-label')]"
                           "      .some((l) => l.textContent.includes(want)); }",
                           arg="seeds planted")
    wait_idle(page)


def drawn_nodes(page) -> dict[str, dict]:
    return {n["id"]: n for n in page.evaluate(
        "() => document.querySelector('.sm-graph').smNetwork.body.data.nodes.get()"
        ".map((n) => ({id: String(n.id), color: n.color, title: n.title}))")}


def test_the_map_colours_people_by_exposure_with_a_legend(page, seeds_server):
    open_page(page, f"{seeds_server}/map")     # the demo has touchpoints: the app opens on This week
    choose_map(page, demo.DEMO_MAP)
    wait_graph(page)
    colour_by(page, LABEL)
    nodes = drawn_nodes(page)
    assert nodes["E028"]["color"] == EXPOSURE_COLOURS["several times"]      # three seed touches
    assert nodes["E038"]["color"] == EXPOSURE_COLOURS["once"]
    assert nodes["E051"]["color"] == EXPOSURE_COLOURS["never"]              # a champion, never seeded
    counts = {c: sum(n["color"] == colour for n in nodes.values()) for c, colour in EXPOSURE_COLOURS.items()}
    assert counts == {"never": 220 - 8, "once": 6, "several times": 2}
    legend = page.locator(".sm-legend").inner_text()
    for words in ("seeds planted: never", "seeds planted: once", "seeds planted: several times"):
        assert words in legend
    title = nodes["E028"]["title"]
    assert "Seeds planted: 3, last on " + (date.today() - timedelta(days=3)).isoformat() in title
    screenshot(page, "map-exposure")
    # where the seeds were planted: Finance and Legal, as a change manager would look at them
    side = page.get_by_test_id("stSidebar")
    for department in ("Finance", "Legal"):
        pick_option(page, side.get_by_role("combobox", name="Departments"), department)
        page.keyboard.press("Escape")
        wait_idle(page)
    page.wait_for_function("() => document.querySelector('.sm-graph').smNetwork.body.data.nodes.length === 28")
    wait_graph(page)
    nodes = drawn_nodes(page)
    assert sum(n["color"] != EXPOSURE_COLOURS["never"] for n in nodes.values()) == 6
    page.get_by_role("button", name="Fit").click()          # fits at once (no animation)
    screenshot(page, "map-exposure-finance-legal")


def test_a_hostile_name_stays_text_in_the_exposure_tooltip(page, seeds_server):
    open_page(page, f"{seeds_server}/map")     # the demo has touchpoints: the app opens on This week
    choose_map(page, HOSTILE)
    wait_graph(page)
    colour_by(page, LABEL)
    point = next(p for p in node_points(page) if p["id"] == "x0")
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator(".vis-tooltip")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert XSS_NAMES[0] in text and "Seeds planted: 1" in text
    assert page.evaluate("() => window.__xss") is None
    assert tooltip.locator("img").count() == 0


def test_the_engagement_page_shows_seeds_planted(page, seeds_server):
    open_page(page, seeds_server)
    choose_map(page, demo.DEMO_MAP)
    open_page(page, f"{seeds_server}/engagement")
    page.get_by_role("tab", name="Seeds planted", exact=True).click()
    panel = page.get_by_role("tabpanel", name="Seeds planted")
    panel.get_by_text("8 of 220 people", exact=False).wait_for()
    panel.get_by_text("Plant seeds next").wait_for()
    panel.get_by_text("stakeholder-map seeds --map", exact=False).wait_for()
    wait_idle(page)
    grid = panel.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    assert "touch" in grid.locator("[role='grid']").inner_text()
    screenshot(page, "engagement-seeds")
