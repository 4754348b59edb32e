"""Seeds planted: which touches are exposure, the counts per person and department, plant seeds next."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import networkx as nx
import pandas as pd
import pytest

from stakeholder_map import privacy
from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store
from stakeholder_map.tracking.activities import SEED_ACTIVITIES, is_seed_activity
from stakeholder_map.tracking.exposure import (
    DEPARTMENT_COLUMNS, EXPOSURE_COLUMNS, SEEDS_COLUMNS, department_exposure, exposure, familiar_ids, seeds_next,
    suggested_touch,
)
from stakeholder_map.tracking.history import last_conversations, stance_moves
from stakeholder_map.workspace import Workspace

PEOPLE = pd.DataFrame({
    "id": ["a", "b", "c", "d", "e"],
    "name": ["Ann", "Bo", "Cy", "Di", "Ed"],
    "department": ["IT", "IT", "HR", "HR", None],
    "stance": [-1, 0, None, 2, -2],
})
TOUCHES = pd.DataFrame({
    "date": ["2026-09-01", "2026-09-10", "2026-10-01", "2026-09-05", "2026-09-06", "2026-09-07"],
    "stakeholder_id": ["a", "a", "a", "c", "b", "zz"],
    "activity": ["Article", "results_shared", "Demo-seen", "seed: podcast", "meeting", "article"],
})


@pytest.mark.parametrize("word", ["article", "ARTICLE", " results shared ", "results-shared", "Demo_Seen",
                                  "case study", "newsletter", "seed: intranet post", "Seed:podcast"])
def test_seed_activities_match_case_insensitively_and_by_prefix(word):
    assert is_seed_activity(word)


@pytest.mark.parametrize("word", ["demo", "meeting", "1:1", "assessment", "", None, float("nan"), "seedling"])
def test_other_activities_are_not_seeds(word):
    assert not is_seed_activity(word)


def test_every_listed_seed_activity_is_a_seed():
    assert all(is_seed_activity(word) for word in SEED_ACTIVITIES)


def test_exposure_counts_each_persons_seed_touches_and_the_last_date():
    frame = exposure(PEOPLE, TOUCHES)
    assert list(frame.columns) == EXPOSURE_COLUMNS
    rows = frame.set_index("id")
    assert rows["exposures"].to_dict() == {"a": 3, "b": 0, "c": 1, "d": 0, "e": 0}   # b's meeting is no seed
    assert rows.loc["a", "last_exposed"] == date(2026, 10, 1)
    assert rows.loc["b", "last_exposed"] is None
    assert rows["stance"].to_dict() == {"a": "skeptic", "b": "neutral", "c": "unknown", "d": "champion",
                                        "e": "resistant"}
    assert rows.loc["e", "department"] == "Unassigned"


def test_exposure_as_of_a_date_counts_only_touches_up_to_it():
    rows = exposure(PEOPLE, TOUCHES, as_of="2026-09-10").set_index("id")
    assert rows.loc["a", "exposures"] == 2 and rows.loc["a", "last_exposed"] == date(2026, 9, 10)
    assert exposure(PEOPLE, TOUCHES, as_of="2026-08-31")["exposures"].sum() == 0


def test_missing_optional_columns_read_as_unknown_and_no_engagements_as_no_exposure():
    bare = pd.DataFrame({"id": ["x", "y"]})
    frame = exposure(bare, None)
    assert frame["stance"].tolist() == ["unknown", "unknown"]
    assert frame["department"].tolist() == ["Unassigned", "Unassigned"]
    assert frame["name"].tolist() == ["x", "y"]
    assert frame["exposures"].tolist() == [0, 0]
    no_activity = TOUCHES.drop(columns="activity")
    assert exposure(PEOPLE, no_activity)["exposures"].sum() == 0


def test_department_exposure_counts_people_exposed_share_and_touches():
    table = department_exposure(exposure(PEOPLE, TOUCHES))
    assert list(table.columns) == DEPARTMENT_COLUMNS
    assert table.values.tolist() == [["HR", 2, 1, 0.5, 1], ["IT", 2, 1, 0.5, 3], ["Unassigned", 1, 0, 0.0, 0]]
    assert department_exposure(exposure(PEOPLE.iloc[:0], None)).empty


def test_seed_touches_are_not_conversations():
    """An article is exposure: it is not "last talked" and does not make a stance move "engaged"."""
    assert last_conversations(TOUCHES) == {"b": (date(2026, 9, 6), "meeting")}
    history = pd.DataFrame({"stakeholder_id": ["a", "a"], "stance": [-1, 0],
                            "recorded_on": ["2026-08-01", "2026-09-10"], "source": ["import", "engagement"]})
    seeded = pd.DataFrame({"date": ["2026-09-10"], "stakeholder_id": ["a"], "activity": ["article"],
                           "stance_after": [0], "notes": [None]})
    moves = stance_moves(PEOPLE, history, seeded)
    assert moves["engaged"].tolist() == [False]
    talked = seeded.assign(activity=["meeting"])
    assert stance_moves(PEOPLE, history, talked)["engaged"].tolist() == [True]


def test_a_viewer_still_sees_which_touches_were_seeds():
    redacted = privacy.redact_engagements(TOUCHES.assign(notes="private"))
    assert redacted["activity"].tolist() == ["seed touch"] * 4 + ["touchpoint", "seed touch"]
    assert exposure(PEOPLE, redacted)["exposures"].tolist() == exposure(PEOPLE, TOUCHES)["exposures"].tolist()


def test_familiar_people_are_the_exposed_the_talked_with_and_the_supporters():
    engagements = TOUCHES.assign(activity=["article", "article", "article", "assessment", "meeting", "x"])
    assert familiar_ids(PEOPLE, engagements) == ["a", "b", "d"]   # c only assessed; d is a champion
    assert familiar_ids(PEOPLE, engagements, as_of="2026-08-01") == ["d"]


def test_the_touch_suits_the_stance_and_an_unknown_stance_stays_unknown():
    assert "article" in suggested_touch("skeptic")
    assert "results" in suggested_touch("resistant")
    assert suggested_touch("unknown").startswith("Stance unknown")
    assert suggested_touch("anything else").startswith("Stance unknown")


def two_stars() -> nx.DiGraph:
    """hub reaches four people, e reaches one; everyone in Ops except f (HR)."""
    G = nx.DiGraph([("hub", x) for x in "abcd"] + [("e", "f")])
    nx.set_node_attributes(G, "Ops", "department")
    G.nodes["f"]["department"] = "HR"
    nx.set_node_attributes(G, {"hub": -1, "e": None}, "stance")
    return G


def test_seeds_next_picks_the_widest_reach_and_never_suggests_the_familiar():
    top = seeds_next(two_stars(), ["a", "b"], k=3, model="ic", p=1.0, seed=3)
    assert list(top.columns) == SEEDS_COLUMNS
    assert top["id"].tolist()[:2] == ["hub", "e"]
    assert top["gain"].iloc[0] == pytest.approx(3.0, abs=0.15)      # hub, c, d: a and b are covered
    assert top["gain"].iloc[1] == pytest.approx(2.0, abs=0.15)      # e and f
    assert top["gain_by_department"].iloc[1] == pytest.approx({"Ops": 1.0, "HR": 1.0}, abs=0.1)
    assert not {"a", "b"} & set(top["id"])
    assert top["stance"].tolist()[:2] == ["skeptic", "unknown"]
    assert top["touch"].iloc[0] == suggested_touch("skeptic")
    assert top["touch"].iloc[1] == suggested_touch("unknown")
    assert "reaches beyond Ops" in top["why"].iloc[1]


def test_seeds_next_is_deterministic_with_the_seed():
    first = seeds_next(two_stars(), ["a"], k=4, seed=7)
    again = seeds_next(two_stars(), ["a"], k=4, seed=7)
    pd.testing.assert_frame_equal(first, again)


def test_seeds_next_when_everyone_is_familiar_or_the_map_is_empty():
    G = two_stars()
    assert seeds_next(G, list(G), k=5).empty
    assert seeds_next(nx.DiGraph(), [], k=5).empty
    # d hears from the familiar hub anyway; e reaches f, so once e is touched nobody is left to gain
    assert seeds_next(G, ["hub", "a", "b", "c"], k=10, model="ic", p=1.0)["id"].tolist() == ["e"]
    assert seeds_next(G, ["not on the map"], k=1)["id"].tolist() == ["hub"]


def small_store() -> Store:
    store = Store(":memory:")
    people = (b"id,name,department,stance\n1,Ann,IT,champion\n2,Bo,IT,\n3,Cy,HR,skeptic\n4,Di,HR,\n"
              b"5,Ed,HR,resistant\n6,Flo,Sales,\n")
    ties = b"source,target\n1,2\n3,4\n3,5\n3,6\n6,4\n"      # nobody familiar reaches Cy
    store.import_map("M", read_map(BytesIO(people), BytesIO(ties)))
    store.log_engagement("M", when=date(2026, 9, 1), stakeholder_id="2", activity="article")
    store.log_engagement("M", when=date(2026, 9, 2), stakeholder_id="2", activity="demo seen")
    store.log_engagement("M", when=date(2026, 10, 2), stakeholder_id="4", activity="results shared")
    return store


def test_workspace_exposure_department_exposure_and_seeds_next():
    ws = Workspace(small_store(), "M")
    assert ws.exposure().set_index("id")["exposures"].to_dict() == {"1": 0, "2": 2, "3": 0, "4": 1, "5": 0, "6": 0}
    assert ws.exposure(as_of="2026-09-30")["exposures"].sum() == 2
    dept = ws.department_exposure().set_index("department")
    assert dept.loc["HR", "exposed"] == 1 and dept.loc["HR", "people"] == 3 and dept.loc["IT", "touches"] == 2
    top = ws.seeds_next(3)
    # Cy reaches Ed and Flo for sure (their only in-tie): once Cy is touched nobody is left to gain.
    assert top["id"].tolist() == ["3"]
    assert top["gain"].iloc[0] == pytest.approx(3.0, abs=0.1)
    before = ws.seeds_next(3, as_of="2026-09-30")      # before 2 Oct, Di was not exposed
    # Di hears from Cy or Flo (3/4) and a touch would add the last 1/4, but she influences nobody: no seed.
    assert before["id"].tolist() == ["3"]
    assert before["gain"].tolist() == pytest.approx([3.75], abs=0.1)
    assert Workspace(ws.store, "M").seeds_next(3).equals(top)
