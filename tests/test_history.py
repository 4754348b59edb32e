"""Stance history: the as-of rule, the mix over time, moves and movers, the map as of a date."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pandas as pd
import pytest

from stakeholder_map.demo import DEMO_MAP, load_demo
from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store
from stakeholder_map.tracking import tracking_frames
from stakeholder_map.tracking.history import (
    ALL, STANCE_ORDER, graph_as_of, movers, stance_mix, stance_moves, stances_as_of, weekly_dates,
)
from stakeholder_map.workspace import Workspace

from tests.support import csv

TODAY = date(2026, 11, 23)


def frames(rows: list[tuple], people: dict[str, tuple[str, int | None]] | None = None):
    """People (id -> (department, current stance)) and history rows (id, stance, day, source)."""
    people = people or {"a": ("IT", 1), "b": ("IT", None), "c": ("HR", -1)}
    p = pd.DataFrame({"id": list(people), "name": [k.upper() for k in people],
                      "department": [v[0] for v in people.values()],
                      "stance": pd.array([v[1] for v in people.values()], dtype="Int64")})
    h = pd.DataFrame(rows, columns=["stakeholder_id", "stance", "recorded_on", "source"])
    return p, h


def events(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["date", "stakeholder_id", "activity", "stance_after", "notes"])


@pytest.fixture(scope="module")
def demo():
    with Store(":memory:") as store:
        load_demo(store, today=TODAY)
        yield tracking_frames(store, DEMO_MAP), Workspace(store, DEMO_MAP).graph()


def test_latest_record_on_or_before_the_date_wins_and_same_day_keeps_recording_order():
    people, history = frames([
        ("a", -1, date(2026, 9, 1), "engagement"),
        ("a", 0, date(2026, 10, 1), "engagement"),
        ("a", 1, date(2026, 10, 1), "engagement"),   # recorded later the same day
        ("c", -1, date(2026, 9, 1), "import"),
    ])
    on = stances_as_of(people, history, date(2026, 10, 1)).set_index("id")
    assert on.loc["a", "label"] == "supporter" and not on.loc["a", "assumed"]
    assert on.loc["a", "recorded_on"] == date(2026, 10, 1)
    before = stances_as_of(people, history, date(2026, 9, 30)).set_index("id")
    assert before.loc["a", "label"] == "skeptic"


def test_before_the_first_record_the_first_stance_is_carried_back_and_flagged():
    people, history = frames([("a", -2, date(2026, 9, 1), "engagement"), ("a", 1, date(2026, 10, 1), "import")])
    early = stances_as_of(people, history, "2026-01-01").set_index("id")
    assert early.loc["a", "label"] == "resistant" and early.loc["a", "assumed"]
    assert early.loc["a", "recorded_on"] == date(2026, 9, 1)


def test_a_person_without_any_record_keeps_the_current_stance_flagged_assumed():
    people, history = frames([])
    now = stances_as_of(people, history, TODAY).set_index("id")
    assert now["label"].tolist() == ["supporter", "unknown", "skeptic"]
    assert now["assumed"].all() and now["recorded_on"].isna().all()
    assert now.loc["b", "stance"] is None


def test_stance_mix_has_every_label_shares_sum_to_one_and_all_is_the_sum():
    people, history = frames([("a", 0, date(2026, 9, 1), "engagement"), ("a", 2, date(2026, 10, 1), "engagement")])
    mix = stance_mix(people, history, weekly_dates("2026-10-06", 5))
    assert set(mix["stance"]) == set(STANCE_ORDER)
    assert len(mix) == 6 * 3 * len(STANCE_ORDER)            # dates × (All, HR, IT) × labels
    shares = mix.groupby(["date", "department"])["share"].sum()
    assert shares.round(9).eq(1.0).all()
    by = mix.set_index(["date", "department", "stance"])["count"]
    for day in mix["date"].unique():
        departments = by.loc[day].drop(ALL, level=0).groupby(level=1).sum()
        assert departments.to_dict() == by.loc[(day, ALL)].to_dict()
    last = mix[(mix["date"] == date(2026, 10, 6)) & (mix["department"] == "IT")].set_index("stance")
    assert last.loc["champion", "count"] == 1 and last.loc["unknown", "count"] == 1
    assert last.loc["unknown", "assumed"] == 1


def test_weekly_dates_end_at_the_end():
    assert weekly_dates("2026-11-23", 0) == [TODAY]
    dates = weekly_dates(TODAY, start="2026-08-24")
    assert dates[0] == date(2026, 8, 24) and dates[-1] == TODAY
    assert all((b - a).days <= 7 for a, b in zip(dates, dates[1:]))
    with pytest.raises(ValueError):
        weekly_dates("2026-01-01", start="2026-02-01")


def test_a_move_is_engaged_only_if_a_conversation_fell_between_the_previous_record_and_the_move():
    people, history = frames([
        ("a", -1, date(2026, 9, 1), "import"),
        ("a", 0, date(2026, 10, 1), "import"),        # re-import; a meeting on 9 Sep came before
        ("c", -1, date(2026, 9, 1), "import"),
        ("c", 0, date(2026, 10, 1), "import"),        # re-import; only a desk assessment before
        ("b", 0, date(2026, 9, 1), "engagement"),
        ("b", 1, date(2026, 10, 5), "engagement"),    # recorded at the engagement itself
    ])
    log = events([
        (date(2026, 9, 9), "a", "meeting", None, None),
        (date(2026, 8, 30), "a", "email", None, None),      # before the previous record: not counted
        (date(2026, 9, 20), "c", "assessment", None, None),
        (date(2026, 10, 5), "b", "demo", 1, None),
    ])
    moves = stance_moves(people, history, log).set_index("id")
    assert moves.loc["a", "engaged"] and moves.loc["a", "engagements"] == 1
    assert moves.loc["a", "last_activity"] == "meeting"
    assert not moves.loc["c", "engaged"]
    assert moves.loc["b", "engaged"] and moves.loc["b", "from"] == "neutral" and moves.loc["b", "to"] == "supporter"
    assert stance_moves(people, history, log, start="2026-10-01")["id"].tolist() == ["b"]   # start is exclusive


def test_movers_are_net_between_two_dates():
    people, history = frames([
        ("a", -1, date(2026, 9, 1), "engagement"),
        ("a", 0, date(2026, 9, 15), "engagement"),
        ("a", 1, date(2026, 10, 1), "engagement"),
        ("c", -1, date(2026, 9, 1), "engagement"),
        ("c", 0, date(2026, 9, 15), "engagement"),
        ("c", -1, date(2026, 10, 1), "engagement"),   # back where they started: not a mover
    ])
    moved = movers(people, history, start="2026-09-01", end="2026-10-31")
    assert moved[["id", "from", "to", "change", "moves"]].values.tolist() == [["a", "skeptic", "supporter", 2, 2]]
    assert movers(people, history, start="2026-09-20", end="2026-09-30").empty
    with pytest.raises(ValueError):
        movers(people, history, start="2026-10-31", end="2026-09-01")


def test_empty_history_means_no_moves_and_current_stances():
    people, _ = frames([])
    assert stance_moves(people, None).empty
    assert movers(people, None, start="2026-01-01", end=TODAY).empty
    assert stance_mix(people, None, [TODAY], include_all=False)["count"].sum() == 3


def test_graph_as_of_shows_the_past_stance_and_leaves_the_map_alone():
    G = nx.DiGraph([("a", "b")])
    nx.set_node_attributes(G, {"a": 1, "b": 0}, "stance")
    people, history = frames([("a", -1, date(2026, 9, 1), "engagement"), ("a", 1, date(2026, 10, 1), "engagement")],
                             {"a": ("IT", 1), "b": ("IT", 0)})
    past = graph_as_of(G, history, "2026-09-15")
    assert past.nodes["a"]["stance"] == -1 and not past.nodes["a"]["stance_assumed"]
    assert past.nodes["b"]["stance"] == 0 and past.nodes["b"]["stance_assumed"]
    assert G.nodes["a"]["stance"] == 1 and "stance_assumed" not in G.nodes["a"]
    assert list(past.edges) == list(G.edges) and past.graph["as_of"] == date(2026, 9, 15)


def test_history_follows_logged_edited_and_deleted_engagements():
    with Store(":memory:") as store:
        data = read_map(csv("id,name,department,stance\n1,Ann,IT,skeptic\n2,Bo,HR,\n"))
        store.import_map("M", data, today=date(2026, 9, 1))
        eid = store.log_engagement("M", when=date(2026, 10, 1), stakeholder_id="1", activity="demo", stance_after=1)
        f = tracking_frames(store, "M")
        assert stances_as_of(f.people, f.history, "2026-10-02").set_index("id").loc["1", "label"] == "supporter"
        moved = movers(f.people, f.history, f.engagements, start="2026-09-01", end="2026-10-31")
        assert moved["engaged"].tolist() == [True]
        store.edit_engagement("M", eid, when=date(2026, 10, 1), stakeholder_id="1", activity="demo", stance_after=0)
        f = tracking_frames(store, "M")
        assert stances_as_of(f.people, f.history, "2026-10-02").set_index("id").loc["1", "label"] == "neutral"
        store.delete_engagement("M", eid)
        f = tracking_frames(store, "M")
        assert movers(f.people, f.history, f.engagements, start="2026-09-01", end="2026-10-31").empty


def test_demo_quarter_shows_buy_in_growing_and_the_story_characters_moving(demo):
    f, _ = demo
    mix = stance_mix(f.people, f.history, [date(2026, 8, 24), date(2026, 11, 20)])
    org = mix[mix["department"] == ALL].pivot(index="date", columns="stance", values="count")
    support = org["supporter"] + org["champion"]
    assert support[date(2026, 11, 20)] > support[date(2026, 8, 24)] + 10
    assert org.sum(axis=1).eq(220).all()
    moved = movers(f.people, f.history, f.engagements, start="2026-08-21", end="2026-11-20").set_index("id")
    assert (moved.loc["E033", "from"], moved.loc["E033", "to"]) == ("skeptic", "supporter")     # Amara Nwosu
    assert (moved.loc["E028", "from"], moved.loc["E028", "to"]) == ("resistant", "skeptic")     # Finance Director
    assert (moved.loc["E157", "from"], moved.loc["E157", "to"]) == ("skeptic", "resistant")     # General Counsel
    assert moved["engaged"].all()          # every demo move was seen at a conversation
    assert len(moved) >= 30 and (moved["change"] > 0).sum() > (moved["change"] < 0).sum()


# ---- "talked first": one rule (issue 11, a move credited to its conversation)

_PEOPLE = "id,name,department,stance\n1,Ann,IT,skeptic\n2,Bo,IT,neutral\n"


def _talked_first_everywhere(store, today):
    """movers' ``engaged`` and the department brief's "talked first" for Ann's move."""
    from stakeholder_map.tracking.brief import department_brief_facts

    f = tracking_frames(store, "M")
    moved = movers(f.people, f.history, f.engagements, start=today - pd.Timedelta(weeks=4), end=today)
    facts = department_brief_facts(Workspace(store, "M").graph(), "IT", history=f.history,
                                   engagements=f.engagements, as_of=today)
    return (moved.set_index("id").loc["1", ["to", "engaged"]].tolist(),
            [(r["id"], r["to"], r["engaged"]) for r in facts["moved"]], facts["last_talk"].get("1"))


def test_a_touchpoint_logged_the_day_of_the_import_is_credited_with_the_move_it_recorded():
    today = date.today()
    with Store(":memory:") as store:
        store.import_map("M", read_map(csv(_PEOPLE), csv("source,target\n1,2\n")), today=today)
        store.log_engagement("M", when=today, stakeholder_id="1", activity="meeting", stance_after=1)
        mover, brief, last = _talked_first_everywhere(store, today)
        assert mover == ["supporter", True]
        assert brief == [("1", "supporter", True)]
        assert last == (today, "meeting")


def test_a_same_day_re_import_does_not_hide_the_touchpoint_that_recorded_the_move():
    from stakeholder_map.export import export_map

    today = date.today()
    with Store(":memory:") as store:
        store.import_map("M", read_map(csv(_PEOPLE), csv("source,target\n1,2\n")), today=today)
        store.log_engagement("M", when=today, stakeholder_id="1", activity="meeting", stance_after=1)
        files = export_map(store, "M")
        # the exported map again (current stances), then the first file again with the exported engagements
        for people in (files["stakeholders.csv"], _PEOPLE.encode()):
            store.import_map("M", read_map(csv(people.decode()), csv(files["influences.csv"].decode()),
                                           csv(files["engagements.csv"].decode())), replace=True, today=today)
            mover, brief, _ = _talked_first_everywhere(store, today)
            assert mover == ["supporter", True]
            assert brief == [("1", "supporter", True)]


def test_a_desk_assessment_is_never_credited_even_when_it_recorded_the_move():
    today = date.today()
    with Store(":memory:") as store:
        store.import_map("M", read_map(csv(_PEOPLE)), today=today)
        store.log_engagement("M", when=today, stakeholder_id="1", activity="assessment", stance_after=1)
        mover, brief, last = _talked_first_everywhere(store, today)
        assert mover == ["supporter", False] and brief == [("1", "supporter", False)] and last is None
