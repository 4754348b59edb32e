"""The Audience page: a card per department, the power/interest grid, the department heatmap."""

from __future__ import annotations

from tests.ui.analysis_pages_support import HOSTILE, chart_data, chart_spec, rerun, run_page, vega_charts

from stakeholder_map.analysis.roles import QUADRANT_STRATEGY
from stakeholder_map.ui import state
from stakeholder_map.ui.pages import audience as audience_page


def test_one_card_per_department_with_its_approach(db):
    at = run_page("audience")
    headings = [s.value for s in at.subheader]
    assert {"HR", "IT", "Sales"} <= set(headings)
    assert len(at.info) == 3                      # one suggested approach per department
    lines = [m.value for m in at.markdown]
    for label in ("Top influencers", "Brokers into it", "Blockers"):
        assert sum(line.startswith(f"**{label}:**") for line in lines) == 3
    assert not at.error


def test_every_card_has_a_stance_mix_bar(db):
    at = run_page("audience")
    bars = [c for c in vega_charts(at) if chart_spec(c).get("mark", {}).get("type") == "bar"]
    assert len(bars) == 3
    it = [chart_data(c) for c in bars]
    assert all(set(frame["stance"]) <= {"champion", "supporter", "neutral", "unknown", "skeptic", "resistant"}
               for frame in it)


def test_hostile_names_are_escaped_in_markdown(db):
    at = run_page("audience")
    text = (" ".join(m.value for m in at.markdown) + " ".join(i.value for i in at.info)
            + " ".join(b.label for b in at.button))
    assert "<img" not in text
    assert "&lt;img" in text                       # b is one of IT's top influencers (a name button)


def test_power_interest_grid_has_everyone_with_names_for_tooltips(db):
    at = run_page("audience")
    [grid] = [c for c in vega_charts(at) if "layer" in chart_spec(c) and len(chart_spec(c)["layer"]) == 5]
    points = chart_spec(grid)["layer"][1]
    names = {row["name"] for row in points["data"]["values"]}
    assert HOSTILE in names and len(names) == 6   # passed as data: the tooltip plugin escapes it
    assert {t["field"] for t in points["encoding"]["tooltip"]} >= {"name", "department", "quadrant"}
    strategies = " ".join(m.value for m in at.markdown)
    for advice in QUADRANT_STRATEGY.values():
        assert advice.split(":")[0] in strategies


def test_heatmap_switches_between_weight_and_ties(db):
    at = run_page("audience")
    heatmap = vega_charts(at)[-1]
    assert chart_spec(heatmap)["layer"][0]["mark"]["type"] == "rect"
    weights = chart_data(heatmap)
    assert weights.query("source == 'IT' and target == 'HR'")["value"].item() == 3.0   # a->c 1, b->c 2
    at.radio(key=audience_page.AUDIENCE_MATRIX_VALUE).set_value("ties")
    rerun(at)
    ties = chart_data(vega_charts(at)[-1])
    assert ties.query("source == 'IT' and target == 'HR'")["value"].item() == 2
