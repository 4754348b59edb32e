"""Person pickers on big maps: the Champions, Simulate, Data and Engagement pages do not list everyone.

A map with more than ``pickers.LIST_LIMIT`` people (2,000) gets a "Find: <label>" field before each
person picker: the picker offers nobody until something is typed there, then the people whose name,
department or id contains it, plus whoever is already chosen, so a choice never disappears when the
search changes. Picking works as on a small map. The Engagement page's log and edit forms have their
person found and picked just above the form: a text field in a form sends what was typed only when the
form is submitted, so a search there could never narrow the picker.

The tests lower ``LIST_LIMIT`` to 3, so the ``db`` fixture's map of six people (Ann Lee and a hostile
name in IT, Cy Ode and Dee Ray in HR, Eve Ng and Fin Oak in Sales; ids a to f) counts as big.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from tests.ui.analysis_pages_support import rerun, run_page
from tests.ui.ui_support import SMALL_MAP, store_of

from stakeholder_map.store import Store
from stakeholder_map.workspace import Workspace
from stakeholder_map.ui import pickers, state
from stakeholder_map.ui.pages import champions as champions_page
from stakeholder_map.ui.pages import engagement as engagement_page
from stakeholder_map.ui.pages import simulate as simulate_page


@pytest.fixture
def big(db, monkeypatch):
    """The small map, counted as big: pickers list at most 3 people."""
    monkeypatch.setattr(pickers, "LIST_LIMIT", 3)
    return db


def find(at, key: str):
    """The search field of the person picker keyed ``key``."""
    return at.text_input(key=f"{key}:find")


def search(at, key: str, text: str):
    """Type ``text`` in the search field of the picker keyed ``key``; returns the page run again."""
    find(at, key).input(text)
    return rerun(at)


def offered(picker) -> list[str]:
    """The labels a picker offers ("Name (department)")."""
    return list(picker.options)


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


# ------------------------------------------------------------------ Champions


def test_champions_pickers_offer_nobody_until_a_search(big):
    at = run_champions()
    for key, label, placeholder in ((champions_page.CHAMP_PIN, "Must be champions", "Nobody pinned"),
                                    (champions_page.CHAMP_EXCLUDE, "Never champions", "Nobody excluded")):
        assert find(at, key).label == f"Find: {label}"
        picker = at.multiselect(key=key)
        assert picker.label == label and picker.placeholder == placeholder
        assert offered(picker) == []


def test_typing_part_of_a_name_or_department_offers_those_people(big):
    at = search(run_champions(), champions_page.CHAMP_PIN, "eve")
    assert offered(at.multiselect(key=champions_page.CHAMP_PIN)) == ["Eve Ng (Sales)"]
    at = search(at, champions_page.CHAMP_PIN, "hr")
    assert offered(at.multiselect(key=champions_page.CHAMP_PIN)) == ["Cy Ode (HR)", "Dee Ray (HR)"]
    assert offered(at.multiselect(key=champions_page.CHAMP_EXCLUDE)) == [], "each picker has its own search"


def test_pinning_a_found_person_makes_them_a_champion(big):
    at = search(run_champions(), champions_page.CHAMP_PIN, "Eve")
    at.multiselect(key=champions_page.CHAMP_PIN).set_value(["e"])        # skeptic, but pinned
    at = rerun(at)
    assert "e" in set(at.dataframe[0].value["id"])
    assert "--pin e" in at.code[0].value


def test_excluding_a_found_person_keeps_them_out(big):
    at = run_champions()
    assert "a" in set(at.dataframe[0].value["id"])
    at = search(at, champions_page.CHAMP_EXCLUDE, "Ann")
    at.multiselect(key=champions_page.CHAMP_EXCLUDE).set_value(["a"])
    at = rerun(at)
    assert "a" not in set(at.dataframe[0].value["id"])
    assert "--exclude a" in at.code[0].value


def test_a_pinned_person_stays_pinned_when_the_search_changes(big):
    at = search(run_champions(), champions_page.CHAMP_PIN, "Eve")
    at.multiselect(key=champions_page.CHAMP_PIN).set_value(["e"])
    at = search(rerun(at), champions_page.CHAMP_PIN, "Fin")
    pin = at.multiselect(key=champions_page.CHAMP_PIN)
    assert pin.value == ["e"]
    assert offered(pin) == ["Eve Ng (Sales)", "Fin Oak (Sales)"]    # the chosen first, then the matches
    pin.select("f")
    at = search(rerun(at), champions_page.CHAMP_PIN, "")
    assert at.multiselect(key=champions_page.CHAMP_PIN).value == ["e", "f"]
    assert {"e", "f"} <= set(at.dataframe[0].value["id"])


def run_champions(**preset):
    """The Champions page with k = 5: the tests' maps have a handful of people, whose default k
    (one champion per ten people) would be 1."""
    return run_page("champions", **{state.shown_for("Champions"): SMALL_MAP, champions_page.CHAMP_K: 5, **preset})


# ------------------------------------------------------------------ Simulate


def test_simulate_offers_only_the_starting_champions_until_a_search(big):
    at = run_page("simulate", **{state.CHAMPIONS_CURRENT: (SMALL_MAP, ["a"])})
    seeds = at.multiselect(key=simulate_page.SIM_SEEDS)
    assert seeds.value == ["a"] and offered(seeds) == ["Ann Lee (IT)"]
    assert offered(at.multiselect(key=simulate_page.SIM_WHAT_IF)) == []
    assert find(at, simulate_page.SIM_SEEDS).label == "Find: Start from"
    assert find(at, simulate_page.SIM_WHAT_IF).label == "Find: What if they had another stance?"


def test_a_found_person_joins_the_seeds_and_stays_when_the_search_changes(big):
    at = run_page("simulate", **{state.CHAMPIONS_CURRENT: (SMALL_MAP, ["a"])})
    at = search(at, simulate_page.SIM_SEEDS, "fin")
    assert offered(at.multiselect(key=simulate_page.SIM_SEEDS)) == ["Ann Lee (IT)", "Fin Oak (Sales)"]
    at.multiselect(key=simulate_page.SIM_SEEDS).select("f")
    at = rerun(at)
    assert "--seeds a,f" in at.code[0].value
    at = search(at, simulate_page.SIM_SEEDS, "nobody is called this")
    seeds = at.multiselect(key=simulate_page.SIM_SEEDS)
    assert seeds.value == ["a", "f"] and offered(seeds) == ["Ann Lee (IT)", "Fin Oak (Sales)"]


def test_what_if_a_found_person_had_another_stance(big):
    at = run_page("simulate", **{state.CHAMPIONS_CURRENT: (SMALL_MAP, ["a"])})
    at = search(at, simulate_page.SIM_WHAT_IF, "Cy")
    assert offered(at.multiselect(key=simulate_page.SIM_WHAT_IF)) == ["Cy Ode (HR)"]
    at.multiselect(key=simulate_page.SIM_WHAT_IF).set_value(["c"])
    at = rerun(at)
    stance = at.selectbox(key=simulate_page.SIM_WHAT_IF_PREFIX + "c")
    assert stance.label == "Stance of Cy Ode \\(HR\\)"     # as Markdown
    stance.set_value("champion")
    at = rerun(at)
    assert "--what-if c=champion" in at.code[0].value


# ------------------------------------------------------------------ Data

ERASE = "data_erase_person"


def test_the_erase_picker_offers_nobody_until_a_search(big):
    at = run_page("data")
    assert find(at, ERASE).label == "Find: Person"
    assert offered(at.selectbox(key=ERASE)) == []
    at = search(at, ERASE, "Eve")
    assert offered(at.selectbox(key=ERASE)) == ["Eve Ng (Sales)"]


def test_erase_a_found_person(big):
    at = search(run_page("data"), ERASE, "Eve")
    at.selectbox(key=ERASE).set_value("e")
    at = search(rerun(at), ERASE, "Fin")                       # the choice stays while searching on
    assert at.selectbox(key=ERASE).value == "e"
    assert offered(at.selectbox(key=ERASE)) == ["Eve Ng (Sales)", "Fin Oak (Sales)"]
    at.checkbox(key="data_confirm_erase").check()
    at = rerun(at)
    button(at, "Erase").click()
    at = rerun(at)
    assert at.success[0].value.startswith("Erased Eve Ng \\(Sales\\) from the map")
    assert "e" not in store_of(big).people(SMALL_MAP)["id"].tolist()
    # the choice and the search are cleared: nobody is offered again
    assert at.selectbox(key=ERASE).value is None and find(at, ERASE).value == ""
    assert offered(at.selectbox(key=ERASE)) == []


# ------------------------------------------------------------------ Engagement


def log_button(at):
    return button(at, "Log touchpoint")


def test_engagement_pickers_offer_nobody_until_a_search(big):
    at = run_page("engagement")
    for key in (engagement_page.ENG_LOG_PERSON, engagement_page.ENG_HISTORY_PERSON):
        assert find(at, key).label == "Find: Person"
        assert offered(at.selectbox(key=key)) == []


def test_on_a_big_map_the_person_to_log_is_found_and_picked_above_the_form(big):
    """A text field in a form sends what was typed only when the form is submitted, and a pick made in a
    form would be lost when the search changed: the search and the picker are outside the form."""
    at = run_page("engagement")
    assert find(at, engagement_page.ENG_LOG_PERSON).form_id == "" and at.selectbox(key=engagement_page.ENG_LOG_PERSON).form_id == ""
    assert at.selectbox(key=engagement_page.ENG_LOG_STANCE).form_id == engagement_page.ENG_LOG_FORM   # the rest stays in the form


def test_on_a_small_map_the_person_to_log_is_picked_in_the_form_from_everyone(db):
    at = run_page("engagement")
    person = at.selectbox(key=engagement_page.ENG_LOG_PERSON)
    assert person.form_id == engagement_page.ENG_LOG_FORM and len(person.options) == 6
    assert not [t for t in at.text_input if str(t.key).endswith(":find")]


def test_log_a_touchpoint_for_a_found_person(big):
    at = search(run_page("engagement"), engagement_page.ENG_LOG_PERSON, "Cy")
    assert offered(at.selectbox(key=engagement_page.ENG_LOG_PERSON)) == ["Cy Ode (HR)"]
    at.selectbox(key=engagement_page.ENG_LOG_PERSON).set_value("c")
    at.selectbox(key=engagement_page.ENG_LOG_STANCE).set_value("supporter")
    at.text_input(key=engagement_page.ENG_LOG_ACTIVITY).set_value("1:1")
    log_button(at).click()
    at = rerun(at)
    assert "Logged touchpoint #0 with Cy Ode \\(HR\\)" in at.success[0].value
    assert store_of(big).engagements(SMALL_MAP)["stakeholder_id"].tolist() == ["c"]
    # the form and its search are cleared for the next one
    assert at.selectbox(key=engagement_page.ENG_LOG_PERSON).value is None and find(at, engagement_page.ENG_LOG_PERSON).value == ""
    assert offered(at.selectbox(key=engagement_page.ENG_LOG_PERSON)) == []
    # their record opens below, without a search
    history = at.selectbox(key=engagement_page.ENG_HISTORY_PERSON)
    assert history.value == "c" and offered(history) == ["Cy Ode (HR)"]


def test_the_person_to_log_stays_chosen_when_the_search_changes(big):
    at = search(run_page("engagement"), engagement_page.ENG_LOG_PERSON, "Dee")
    at.selectbox(key=engagement_page.ENG_LOG_PERSON).set_value("d")
    at = search(rerun(at), engagement_page.ENG_LOG_PERSON, "Ann")
    person = at.selectbox(key=engagement_page.ENG_LOG_PERSON)
    assert person.value == "d" and offered(person) == ["Dee Ray (HR)", "Ann Lee (IT)"]
    log_button(at).click()
    at = rerun(at)
    assert store_of(big).engagements(SMALL_MAP)["stakeholder_id"].tolist() == ["d"]


def test_edit_a_touchpoint_to_a_found_person(big):
    first = store_of(big).log_engagement(SMALL_MAP, when=date.today() - timedelta(days=3), stakeholder_id="e",
                                         activity="call")
    at = run_page("engagement")
    at.selectbox(key=engagement_page.ENG_EDIT_ID).set_value(first)
    at = rerun(at)
    key = f"{engagement_page.ENG_EDIT_PREFIX}person:{first}"
    person = at.selectbox(key=key)
    assert person.value == "e" and offered(person) == ["Eve Ng (Sales)"]      # prefilled, nobody else listed
    assert person.form_id == find(at, key).form_id == ""                      # above the form, as when logging
    at = search(at, key, "Fin")
    assert offered(at.selectbox(key=key)) == ["Eve Ng (Sales)", "Fin Oak (Sales)"]
    at.selectbox(key=key).set_value("f")
    button(at, "Save changes").click()
    at = rerun(at)
    assert f"Saved touchpoint #{first}" in at.success[0].value
    assert store_of(big).engagements(SMALL_MAP)["stakeholder_id"].tolist() == ["f"]


def test_a_found_persons_stance_history_is_shown(big):
    at = search(run_page("engagement"), engagement_page.ENG_HISTORY_PERSON, "Dee")
    assert offered(at.selectbox(key=engagement_page.ENG_HISTORY_PERSON)) == ["Dee Ray (HR)"]
    at.selectbox(key=engagement_page.ENG_HISTORY_PERSON).set_value("d")
    at = rerun(at)
    record = next(df.value for df in at.dataframe if df.value.columns[0] == "recorded on")
    assert record["stance"].tolist() == ["supporter"]
    at = search(at, engagement_page.ENG_HISTORY_PERSON, "")
    assert at.selectbox(key=engagement_page.ENG_HISTORY_PERSON).value == "d", "the choice stays"


def test_engagement_lists_departments_without_building_the_graph(db, monkeypatch):
    """Milestones, next conversations and the brief list departments from the people, not the graph
    (building it takes seconds on a big map; only the ranking itself needs it)."""
    def no_graph(self, *args, **kwargs):
        raise AssertionError("listing departments must not build the graph")

    monkeypatch.setattr(Workspace, "graph", no_graph)
    monkeypatch.setattr(Workspace, "next_conversations", lambda *args, **kwargs: pd.DataFrame())
    at = run_page("engagement")
    assert not at.error
    assert at.selectbox(key=engagement_page.ENG_MS_DEPARTMENT).options == ["Everyone", "HR", "IT", "Sales"]
    assert at.selectbox(key=engagement_page.ENG_NEXT_DEPARTMENT).options == ["All departments", "HR", "IT", "Sales"]
    assert at.selectbox(key=engagement_page.ENG_BRIEF_DEPARTMENT).options == ["HR", "IT", "Sales"]
