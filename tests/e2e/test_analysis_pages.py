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


def test_champions_page_shows_the_table_and_follows_k(page, app_url, requests_seen):
    open_page(page, f"{app_url}/champions")
    # Three tables: the champions, the smallest pilot, the departments to start in.
    page.wait_for_function("() => document.querySelectorAll(\"[data-testid='stDataFrame']\").length === 3")
    code = page.get_by_test_id("stCode").first
    assert "stakeholder-map champions" in code.inner_text() and "-k 5" in code.inner_text()
    page.get_by_test_id("stMetric").filter(has_text="Certified ratio").wait_for()
    wait_charts(page, 1)
    no_exception(page)
    screenshot(page, "analysis-champions")

    page.get_by_test_id("stSidebar").get_by_test_id("stNumberInputStepUp").first.click()
    wait_idle(page)
    page.wait_for_function("() => document.querySelector(\"[data-testid='stCode']\").innerText.includes('-k 6')")
    no_exception(page)
    assert outside(requests_seen) == []


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
