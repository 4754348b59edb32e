"""The Champions, Audience and Simulate pages in a real browser: they render their tables, cards,
charts and curves, react to a widget, fetch nothing from outside, and keep hostile names as text.

Uses the ``page``, ``app_url`` and ``requests_seen`` fixtures of ``tests/e2e/conftest.py`` (the
demo organisation plus a map of HTML/JavaScript names). Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from tests.e2e.e2e_support import XSS_MAP as HOSTILE_MAP
from tests.e2e.e2e_support import choose_map, open_page, screenshot, wait_idle
from tests.e2e.e2e_support import outside_requests as outside


def wait_charts(page, count: int) -> None:
    """Wait until at least ``count`` Vega-Lite charts have drawn (a canvas or an SVG)."""
    page.wait_for_function(
        """(n) => [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
                    .filter((c) => c.querySelector('canvas, svg')).length >= n""",
        arg=count)


def no_exception(page) -> None:
    assert page.get_by_test_id("stException").count() == 0
    assert page.evaluate("() => window.__xss") is None


def test_champions_page_shows_the_cards_and_follows_k(page, app_url, requests_seen):
    open_page(page, f"{app_url}/champions")
    # One card per champion, each titled by a name that opens the profile; the honest verdict (×1.00 here).
    main = page.get_by_test_id("stMain")
    page.get_by_text("Why them:", exact=False).first.wait_for()
    assert main.get_by_text("Why them:", exact=False).count() == 5
    assert main.get_by_text("Influence chains to senior or central people", exact=False).count() >= 4
    assert page.get_by_test_id("stAlertContentInfo").filter(has_text="already as good as it gets").count() == 1
    # The figures and the command line wait in the Advanced section; the table in its own.
    advanced = page.get_by_test_id("stExpander").filter(has_text="Advanced")
    advanced.get_by_text("Advanced", exact=False).first.click()
    code = advanced.get_by_test_id("stCode").first
    code.wait_for()
    assert "stakeholder-map champions" in code.inner_text() and "-k 5" in code.inner_text()
    advanced.get_by_test_id("stMetric").filter(has_text="Certified ratio").wait_for()
    wait_charts(page, 1)
    no_exception(page)
    screenshot(page, "analysis-champions")

    page.get_by_test_id("stSidebar").get_by_test_id("stNumberInputStepUp").first.click()
    wait_idle(page)
    page.wait_for_function("() => document.querySelector(\"[data-testid='stCode']\").innerText.includes('-k 6')")
    assert main.get_by_text("Why them:", exact=False).count() == 6
    no_exception(page)
    assert outside(requests_seen) == []


def test_a_champion_name_opens_their_profile_on_the_map(page, app_url):
    open_page(page, f"{app_url}/champions")
    page.get_by_text("Why them:", exact=False).first.wait_for()
    page.get_by_role("button", name="2. Amara Nwosu").click()
    page.wait_for_function("() => [...document.querySelectorAll('h1')].some((h) => h.innerText.trim() === 'Map')")
    wait_idle(page)
    page.get_by_test_id("stHeading").filter(has_text="Amara Nwosu").first.wait_for()
    assert page.get_by_role("button", name="Clear selection").count() == 1
    no_exception(page)


def test_audience_page_shows_cards_and_charts(page, app_url, requests_seen):
    open_page(page, f"{app_url}/audience")
    wait_charts(page, 5)
    headings = page.get_by_test_id("stHeading").all_inner_texts()
    assert {"Engineering", "Operations", "Power / interest grid"} <= {h.strip() for h in headings}
    assert page.get_by_test_id("stAlertContentInfo").count() >= 8    # one approach per department
    assert page.get_by_test_id("stVegaLiteChart").count() >= 11     # 9 stance bars, grid, heatmap
    no_exception(page)
    screenshot(page, "analysis-audience")
    assert outside(requests_seen) == []


def test_simulate_page_shows_curves_and_the_adoption_map(page, app_url, requests_seen):
    open_page(page, f"{app_url}/simulate")
    wait_charts(page, 1)
    page.wait_for_selector(".sm-graph[data-drawn='true']")
    wait_idle(page)
    assert "stakeholder-map simulate" in page.get_by_test_id("stCode").first.inner_text()
    assert page.get_by_text("75% or more", exact=False).count() >= 1     # the adoption legend
    no_exception(page)
    screenshot(page, "analysis-simulate")
    assert outside(requests_seen) == []


def test_a_what_if_is_compared_with_its_baseline(page, app_url, requests_seen):
    open_page(page, f"{app_url}/simulate")
    page.wait_for_selector(".sm-graph[data-drawn='true']")
    assert page.get_by_text("Starting from 5 people", exact=False).count() == 1
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name="What if they had another stance?")
    box.click()
    box.fill("Marcus Webb")
    page.get_by_role("option", name="Marcus Webb", exact=False).first.click()
    page.keyboard.press("Escape")
    wait_idle(page)
    # The difference in words and as the metric's delta; both runs drawn in the one chart.
    words = page.get_by_test_id("stAlertContentInfo").filter(has_text="If Marcus Webb")
    words.wait_for()
    assert "instead of" in words.inner_text() and "adopters" in words.inner_text()
    assert "vs without the what-if" in page.get_by_test_id("stMetricDelta").first.inner_text()
    wait_charts(page, 1)
    legend = page.get_by_test_id("stVegaLiteChart").first
    legend.get_by_text("Without it (baseline)").first.wait_for()
    page.get_by_test_id("stExpander").filter(has_text="What is a step?").click()
    page.get_by_text("one round of conversations", exact=False).wait_for()
    page.wait_for_selector(".sm-graph[data-drawn='true']")
    no_exception(page)
    screenshot(page, "analysis-simulate-what-if")
    assert outside(requests_seen) == []


#: Move the pointer over one chart in small steps, nearest its middle first (synthetic pointer
#: events), until Vega shows a tooltip holding markup-like text; return that tooltip's text.
_SWEEP_TOOLTIPS = """(index) => {
    const chart = document.querySelectorAll("[data-testid='stVegaLiteChart']")[index];
    const r = chart.getBoundingClientRect();
    const spots = [];
    for (let y = r.top + 2; y < r.bottom; y += 3) {
        for (let x = r.left + 2; x < r.right; x += 3) spots.push([x, y]);
    }
    const cx = r.left + 0.45 * r.width, cy = r.top + 0.5 * r.height;
    spots.sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy));
    for (const [x, y] of spots) {
        const target = document.elementFromPoint(x, y);
        if (!target || !chart.contains(target)) continue;
        const init = {clientX: x, clientY: y, bubbles: true, pointerType: 'mouse'};
        target.dispatchEvent(new PointerEvent('pointermove', init));
        target.dispatchEvent(new MouseEvent('mousemove', init));
        const tip = document.getElementById('vg-tooltip-element');
        if (tip && tip.classList.contains('visible') && tip.textContent.includes('<')) return tip.textContent;
    }
    return '';
}"""


def go_to(page, title: str) -> None:
    """Open another page through the sidebar (same session, so the chosen map stays)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    page.wait_for_function("(t) => [...document.querySelectorAll('h1')].some((h) => h.innerText.trim() === t)",
                           arg=title)
    wait_idle(page)


def test_hostile_names_stay_text_on_the_analysis_pages(page, app_url):
    open_page(page, f"{app_url}/audience")
    choose_map(page, HOSTILE_MAP)
    wait_charts(page, 4)                      # two stance bars, the grid, the heatmap
    grid = page.get_by_test_id("stVegaLiteChart").nth(2)        # the power/interest grid
    grid.scroll_into_view_if_needed()
    shown = page.evaluate(_SWEEP_TOOLTIPS, 2)
    assert "window.__xss" in shown, "no tooltip with a hostile name appeared"
    tip_markup = page.evaluate("() => document.querySelectorAll("
                               "'#vg-tooltip-element img, #vg-tooltip-element script, "
                               "#vg-tooltip-element svg, #vg-tooltip-element i').length")
    assert tip_markup == 0
    no_exception(page)
    screenshot(page, "analysis-audience-hostile")

    for title in ("Champions", "Simulate"):
        go_to(page, title)
        no_exception(page)
        assert page.locator("img[src='x']").count() == 0
    page.wait_for_selector(".sm-graph[data-drawn='true']")
    screenshot(page, "analysis-simulate-hostile")
