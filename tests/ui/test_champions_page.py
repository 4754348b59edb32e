"""The Champions page: the champion table follows every setting, errors are messages, the set is shared."""

from __future__ import annotations

from tests.ui.analysis_pages_support import HOSTILE, SMALL_MAP, chart_data, rerun, run_page, vega_charts

from stakeholder_map.ui import state
from stakeholder_map.workspace import SEED
from stakeholder_map.ui.pages import champions as champions_page


def run_champions(**preset):
    """The Champions page with k = 5: the tests' maps have a handful of people, whose default k
    (one champion per ten people) would be 1."""
    return run_page("champions", **{state.shown_for("Champions"): SMALL_MAP, champions_page.CHAMP_K: 5, **preset})


def champions_table(at):
    return at.dataframe[0].value


def test_shows_the_champions_with_gain_departments_and_reason(db):
    at = run_champions()
    table = champions_table(at)
    assert list(table.columns) == ["rank", "name", "department", "stance", "gain", "cumulative", "reach",
                                   "departments reached", "reason", "id"]
    # k starts at 5, capped at the 4 people allowed by default (b is resistant, e skeptic).
    assert sorted(table["id"]) == ["a", "c", "d", "f"]
    assert table["reason"].str.startswith("Reaches").all()
    assert (table["departments reached"] != "").all()
    assert at.session_state[state.CHAMPIONS_CURRENT] == (SMALL_MAP, list(table["id"]))
    assert not at.error


def test_shows_seed_ratio_samples_and_the_cli_line(db):
    at = run_champions()
    labels = [m.label for m in at.metric]
    assert labels == ["Expected adopters", "Certified ratio", "Samples", "Seed"]
    assert at.metric[3].value == str(SEED)
    assert at.code[0].value == (f"stakeholder-map champions --map '{SMALL_MAP}' -k 4 --model stance "
                                f"--seed {SEED}")


def test_changing_k_reruns_the_greedy_step(db):
    at = run_champions()
    at.number_input(key=champions_page.CHAMP_K).set_value(2)
    rerun(at)
    assert len(champions_table(at)) == 2
    assert "-k 2" in at.code[0].value
    assert len(at.session_state[state.CHAMPIONS_CURRENT][1]) == 2


def test_objective_changes_what_is_counted(db):
    at = run_champions()
    everyone = at.metric[0].value
    at.radio(key=champions_page.CHAMP_OBJECTIVE).set_value("unconvinced")
    rerun(at)
    assert at.metric[0].value != everyone
    assert "--objective unconvinced" in at.code[0].value


def test_allowed_stances_pins_and_exclusions(db):
    at = run_champions()
    at.multiselect(key=champions_page.CHAMP_STANCES).set_value(["champion", "supporter", "neutral", "unknown", "resistant"])
    at.multiselect(key=champions_page.CHAMP_EXCLUDE).set_value(["a"])
    rerun(at)
    ids = set(champions_table(at)["id"])
    assert "a" not in ids and "b" in ids      # b is resistant: allowed now
    at.multiselect(key=champions_page.CHAMP_PIN).set_value(["e"])   # skeptic, but pinned
    rerun(at)
    assert "e" in set(champions_table(at)["id"])
    assert "--pin e" in at.code[0].value and "--exclude a" in at.code[0].value


def test_hostile_names_stay_text_in_the_table(db):
    at = run_champions(**{champions_page.CHAMP_PIN: ["b"]})
    assert HOSTILE in set(champions_table(at)["name"])


def test_impossible_constraints_say_what_to_change_and_offer_the_fix(db):
    at = run_champions()
    at.number_input(key=champions_page.CHAMP_K).set_value(2)
    at.number_input(key=champions_page.CHAMP_MIN_DEPT).set_value(1)
    rerun(at)
    warning = at.warning[0].value
    assert "per department" in warning and "raise k to 3" in warning, warning
    assert not at.error
    # The rest of the page still works.
    assert "Best departments to start in" in [s.value for s in at.subheader]
    # One click applies the fix, and the champions appear.
    fix = next(b for b in at.button if b.label == "Set k to 3")
    fix.click()
    rerun(at)
    assert not at.warning and at.number_input(key=champions_page.CHAMP_K).value == 3


def test_the_default_k_is_scaled_to_the_map(db):
    at = run_page("champions")
    assert at.number_input(key=champions_page.CHAMP_K).value == 1   # six people: one champion
    assert len(champions_table(at)) == 1


def test_pinned_and_excluded_person_is_a_warning_that_says_what_to_change(db):
    at = run_champions(**{champions_page.CHAMP_PIN: ["c"],
                                  champions_page.CHAMP_EXCLUDE: ["c"]})
    assert "both pinned and excluded" in at.warning[0].value


def test_lift_over_the_naive_choices_is_charted(db):
    at = run_champions()
    data = chart_data(vega_charts(at)[0])
    assert list(data["choice"]) == ["Suggested champions", "Most formal influence / seniority",
                                    "Most ties (best connected)"]


def test_start_small_finds_a_pilot_and_ranks_departments(db):
    at = run_champions()
    pilot, ranking = at.dataframe[1].value, at.dataframe[2].value
    assert len(pilot) >= 1 and "share" in pilot.columns
    assert set(ranking["department"]) == {"HR", "IT", "Sales"}
    at.selectbox(key=champions_page.PILOT_DEPARTMENT).set_value("HR")
    at.slider(key=champions_page.PILOT_SHARE).set_value(100)
    rerun(at)
    assert "of HR" in (at.success[0].value if at.success else at.warning[0].value)


def test_the_ic_model_asks_for_p(db):
    at = run_champions()
    assert champions_page.CHAMP_P not in [s.key for s in at.slider]
    at.selectbox(key=champions_page.CHAMP_MODEL).set_value("ic")
    rerun(at)
    at.slider(key=champions_page.CHAMP_P).set_value(0.5)
    rerun(at)
    assert "--model ic --p 0.5" in at.code[0].value


def test_an_empty_map_says_so(db):
    at = run_champions()
    store = state._open_store(str(db))
    store.create_map("Empty")
    at.session_state[state.CURRENT_MAP] = "Empty"
    rerun(at)
    assert "no people" in at.info[0].value


def _markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def test_one_card_per_champion_in_plain_words(db):
    at = run_champions()
    table = champions_table(at)
    names = [b for b in at.button if str(b.key).startswith(champions_page.CHAMP_PROFILE_PREFIX)]
    # Each champion's name is a button (it opens their profile), in the order they were picked.
    assert [b.key for b in names] == [champions_page.CHAMP_PROFILE_PREFIX + i for i in table["id"]]
    assert names[0].label == f"**1\\. {table['name'][0]}**"
    text = "\n".join(_markdown(at))
    # The full reason, not cut off in a cell; the departments reached, the chains, why them.
    assert text.count("**Why them:**") == len(table)
    assert text.count("**Expected adopters they reach, by department:**") == len(table)
    assert "**Influence chains to senior or central people:**" in text
    # Here every champion is also among the obvious picks, and the card says so.
    assert text.count("an obvious pick, and a good one") == len(table)
    for reason in table["reason"]:
        assert reason.split(";")[0].replace(".", "\\.").replace("~", "\\~") in text


def test_the_technical_figures_move_into_an_advanced_section(db):
    at = run_champions()
    advanced = [e for e in at.expander if e.label.startswith("Advanced")]
    assert len(advanced) == 1
    assert [m.label for m in advanced[0].metric] == ["Certified ratio", "Samples", "Seed"]
    assert "stakeholder-map champions" in advanced[0].code[0].value
    # The table stays, with its download.
    table = [e for e in at.expander if "table" in e.label]
    assert len(table[0].dataframe) == 1 and at.get("download_button")


def test_says_honestly_when_the_most_connected_are_as_good(db):
    # Four people may be champions and k is 4: the suggestion is the obvious group itself (×1.00).
    at = run_champions()
    assert "already as good as it gets" in at.info[0].value
    assert "×1\\.00" in at.info[0].value and "the same people" in at.info[0].value
    assert not any("what picking" in s.value for s in at.success)
    # With two champions the suggestion beats both obvious picks, and the page says by how much.
    at.number_input(key=champions_page.CHAMP_K).set_value(2)
    rerun(at)
    verdict = at.success[0].value
    assert "what picking the 2 people with the most ties reaches" in verdict and "×1\\." in verdict
    assert not any("already as good" in i.value for i in at.info)
    # ... and each card names the obvious candidate it was picked over.
    assert "**Why them:** Picked over" in "\n".join(_markdown(at))
