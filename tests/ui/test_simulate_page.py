"""The Simulate page: starts from the current champions, what-ifs change the outcome, curves and map follow."""

from __future__ import annotations

from tests.ui.analysis_pages_support import (
    SMALL_MAP, chart_data, chart_spec, drawn_view, metric_values, rerun, run_page, vega_charts,
)

from stakeholder_map.ui import state
from stakeholder_map.ui.pages import champions as champions_page
from stakeholder_map.ui.pages import simulate as simulate_page


def curves(at):
    [chart] = [c for c in vega_charts(at) if chart_spec(c)["layer"][0]["mark"]["type"] == "area"]
    return chart_data(chart)


def test_starts_from_the_champions_chosen_on_the_champions_page(db):
    champions = run_page("champions")
    champions.number_input(key=champions_page.CHAMP_K).set_value(2)
    rerun(champions)
    chosen = champions.session_state[state.CHAMPIONS_CURRENT]
    at = run_page("simulate", **{state.CHAMPIONS_CURRENT: chosen})
    assert at.multiselect(key=simulate_page.SIM_SEEDS).value == chosen[1]
    assert f"--seeds {','.join(chosen[1])}" in at.code[0].value


def test_without_a_visit_to_champions_it_starts_from_the_default_suggestion(db):
    at = run_page("simulate")
    seeds = at.multiselect(key=simulate_page.SIM_SEEDS).value
    assert seeds and set(seeds) <= {"a", "c", "d", "f"}   # default: no resistant or skeptic champion


def test_shows_curves_per_department_with_bands(db):
    at = run_page("simulate", **{state.CHAMPIONS_CURRENT: (SMALL_MAP, ["a"])})
    frame = curves(at)
    assert set(frame["department"]) == {"All", "HR", "IT", "Sales"}
    assert sorted(set(frame["step"])) == list(range(11))
    assert (frame["ci_low"] <= frame["mean"]).all() and (frame["mean"] <= frame["ci_high"]).all()
    assert frame["mean"].max() <= 1.0                      # shown as shares by default
    at.toggle(key=simulate_page.SIM_SHARE).set_value(False)
    rerun(at)
    assert curves(at).query("department == 'All' and step == 0")["mean"].item() == 1.0   # the seed
    assert "Expected adopters" in metric_values(at)
    assert not at.error


def test_steps_and_what_ifs_change_the_result(db):
    at = run_page("simulate", **{state.CHAMPIONS_CURRENT: (SMALL_MAP, ["a"])})
    before = metric_values(at)["Expected adopters"]
    at.slider(key=simulate_page.SIM_STEPS).set_value(3)
    rerun(at)
    assert sorted(set(curves(at)["step"])) == [0, 1, 2, 3]
    at.multiselect(key=simulate_page.SIM_WHAT_IF).set_value(["b"])
    rerun(at)
    at.selectbox(key=simulate_page.SIM_WHAT_IF_PREFIX + "b").set_value("champion")   # b was resistant
    rerun(at)
    assert float(metric_values(at)["Expected adopters"]) > float(before)
    assert "--what-if b=champion" in at.code[0].value


def test_the_map_is_coloured_by_adoption_at_the_chosen_step(db):
    at = run_page("simulate", **{state.CHAMPIONS_CURRENT: (SMALL_MAP, ["a"])})
    view = drawn_view(at)
    nodes = {n["id"]: n for n in view["nodes"]}
    assert nodes["a"]["shape"] == "star"
    assert "Starts convinced" in nodes["a"]["title"]
    assert any(item["label"] == "75% or more" for item in view["legend"])
    at.slider(key=simulate_page.SIM_STEP).set_value(0)
    rerun(at)
    zero = {n["id"]: n for n in drawn_view(at)["nodes"]}
    assert "Adopted by step 0: 0%" in zero["d"]["title"]
    table = at.dataframe[0].value
    assert table.iloc[-1]["department"] == "All" and table.iloc[-1]["adopters"] == 1.0


def test_no_seed_asks_for_one(db):
    at = run_page("simulate", **{state.CHAMPIONS_CURRENT: (SMALL_MAP, [])})
    assert "Pick at least one person" in at.info[0].value
    assert not vega_charts(at)


def test_champions_of_another_map_are_not_used(db):
    at = run_page("simulate", **{state.CHAMPIONS_CURRENT: ("Another map", ["zz"])})
    assert at.multiselect(key=simulate_page.SIM_SEEDS).value   # falls back to the default suggestion
    assert not at.error


def test_a_what_if_is_shown_beside_its_baseline(db):
    at = run_page("simulate", **{state.CHAMPIONS_CURRENT: (SMALL_MAP, ["a"])})
    assert "scenario" not in curves(at).columns          # nothing to compare yet
    assert not [m for m in at.metric if m.delta]
    alone = float(metric_values(at)["Expected adopters"])
    at.multiselect(key=simulate_page.SIM_WHAT_IF).set_value(["b"])
    rerun(at)
    at.selectbox(key=simulate_page.SIM_WHAT_IF_PREFIX + "b").set_value("champion")
    rerun(at)
    frame = curves(at)
    # Both runs in one chart: the what-if and the same start without it, for every department shown.
    assert list(dict.fromkeys(frame["scenario"])) == ["With the what-if", "Without it (baseline)"]
    baseline = frame[frame["scenario"] == "Without it (baseline)"]
    assert set(baseline["department"]) == {"All", "HR", "IT", "Sales"}
    [chart] = [c for c in vega_charts(at) if chart_spec(c)["layer"][0]["mark"]["type"] == "area"]
    assert chart_spec(chart)["layer"][1]["encoding"]["strokeDash"]["field"] == "scenario"
    # The difference in numbers and in words; the baseline is the run without the what-if.
    with_it = float(metric_values(at)["Expected adopters"])
    [adopters] = [m for m in at.metric if m.label == "Expected adopters"]
    assert adopters.delta == f"{with_it - alone:+.1f} vs without the what-if"
    words = [i.value for i in at.info if i.value.startswith("If ")][0]
    assert f"instead of {alone:.1f}".replace(".", "\\.") in words
    assert "were a champion" in words and f"{with_it - alone:+.1f} adopters".replace(".", "\\.").replace("+", "\\+") in words


def test_says_what_a_step_means_and_names_the_starting_people(db):
    at = run_page("simulate", **{state.CHAMPIONS_CURRENT: (SMALL_MAP, ["a", "d"])})
    starting = [m.value for m in at.markdown if m.value.startswith("**Starting from")][0]
    assert "Ann Lee \\(IT\\)" in starting and "Dee Ray \\(HR\\)" in starting
    [step] = [e for e in at.expander if e.label == "What is a step?"]
    assert "one round of conversations" in step.markdown[0].value and "assumption" in step.markdown[0].value
