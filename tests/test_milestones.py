"""Milestones: value, least-squares trend, projection, status; the progress report; department gaps."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from stakeholder_map.demo import DEMO_MAP, load_demo
from stakeholder_map.store import Store
from stakeholder_map.tracking import TrackingFrames, tracking_frames
from stakeholder_map.tracking.milestones import (
    STATUSES, department_gaps, milestone_label, milestone_progress, progress_report,
)

TODAY = date(2026, 11, 23)
START = date(2026, 9, 1)
AS_OF = date(2026, 10, 5)


def goals(*rows: dict) -> pd.DataFrame:
    base = {"label": None, "department": None, "kind": "share", "min_stance": 1}
    return pd.DataFrame([{**base, "milestone_id": i + 1, **r} for i, r in enumerate(rows)])


@pytest.fixture
def growing():
    """Ten skeptics in Ops; one becomes a supporter every Monday from 7 Sep (a share of +0.1 a week)."""
    ids = [f"p{i}" for i in range(10)]
    people = pd.DataFrame({"id": ids, "name": ids, "department": "Ops", "stance": -1})
    rows = [(pid, -1, START, "import") for pid in ids]
    rows += [(f"p{i}", 1, date(2026, 9, 7) + timedelta(weeks=i), "engagement") for i in range(5)]
    history = pd.DataFrame(rows, columns=["stakeholder_id", "stance", "recorded_on", "source"])
    return people, history


@pytest.fixture(scope="module")
def demo():
    with Store(":memory:") as store:
        load_demo(store, today=TODAY)
        yield tracking_frames(store, DEMO_MAP)


def test_labels_are_made_from_the_fields_unless_given():
    assert milestone_label({"kind": "share", "department": "Finance", "target": 0.6, "min_stance": 1,
                            "due": "2027-03-31"}) == "60% of Finance supporter or better by 2027-03-31"
    assert milestone_label({"kind": "share", "department": None, "target": 0.25, "min_stance": 2,
                            "due": date(2027, 1, 1)}) == "25% of everyone champion by 2027-01-01"
    assert milestone_label({"kind": "champion_engaged", "department": "HR", "target": 1, "min_stance": 1,
                            "due": date(2027, 1, 1)}) == "a champion engaged in HR by 2027-01-01"
    assert milestone_label({"label": " Pilot ready ", "kind": "share", "target": 1, "due": TODAY}) == "Pilot ready"


def test_value_trend_projection_and_status_on_a_steady_climb(growing):
    people, history = growing
    due = AS_OF + timedelta(weeks=3)
    table = milestone_progress(TrackingFrames(people, history, milestones=goals(
        {"department": "Ops", "target": 0.8, "due": due},     # the trend gets there exactly
        {"department": "Ops", "target": 0.9, "due": due},     # it does not
        {"department": "Ops", "target": 0.5, "due": due},     # there already
    )), as_of=AS_OF, weeks=4).table.set_index("milestone_id")
    assert table["value"].tolist() == [0.5, 0.5, 0.5]
    assert table["trend_per_week"].round(9).tolist() == [0.1, 0.1, 0.1]
    assert table.loc[1, "projected"] == pytest.approx(0.8)
    assert table["status"].tolist() == ["on track", "at risk", "met"]
    assert table["at_risk"].tolist() == [False, True, False]
    assert table.loc[1, "reaches_on"] == due and table.loc[2, "reaches_on"] == AS_OF + timedelta(days=28)
    assert table.loc[1, "needed"] == 3 and table.loc[3, "needed"] == 0
    assert (table.loc[1, "count"], table.loc[1, "total"], table.loc[1, "weeks_left"]) == (5, 10, 3.0)


def test_a_due_date_that_has_passed_is_met_or_missed_on_its_value_that_day(growing):
    people, history = growing
    table = milestone_progress(TrackingFrames(people, history, milestones=goals(
        {"department": "Ops", "target": 0.5, "due": date(2026, 9, 21)},   # 0.3 that day
        {"department": "Ops", "target": 0.3, "due": date(2026, 9, 21)},
    )), as_of=AS_OF, weeks=4).table
    assert table["status"].tolist() == ["missed", "met"]
    assert table["value_at_due"].tolist() == [pytest.approx(0.3)] * 2
    assert table["at_risk"].tolist() == [True, False]
    assert set(table["status"]) <= set(STATUSES)


def test_a_flat_series_has_no_trend_and_is_at_risk_until_met(growing):
    people, history = growing
    later = date(2026, 12, 31)            # weeks after the last move
    frames = TrackingFrames(people, history, milestones=goals({"target": 0.6, "due": date(2027, 3, 1)}))
    row = milestone_progress(frames, as_of=later, weeks=6).table.iloc[0]
    assert row["trend_per_week"] == 0 and row["projected"] == pytest.approx(0.5)
    assert row["status"] == "at risk" and row["reaches_on"] is None


def test_series_holds_the_weekly_points_behind_the_trend(growing):
    people, history = growing
    progress = milestone_progress(TrackingFrames(people, history, milestones=goals(
        {"department": "Ops", "target": 1, "due": date(2027, 1, 1)})), as_of=AS_OF, weeks=4)
    assert progress.series["value"].round(9).tolist() == [0.1, 0.2, 0.3, 0.4, 0.5]
    assert progress.series["date"].iloc[-1] == AS_OF
    assert progress.to_dict()["milestones"][0]["due"] == "2027-01-01"


def test_champion_engaged_counts_departments_with_a_supporter_we_have_talked_to():
    people = pd.DataFrame({"id": list("abcd"), "name": list("ABCD"), "department": ["IT", "HR", "Ops", "Ops"],
                           "stance": [1, 1, 0, -1]})
    history = pd.DataFrame({"stakeholder_id": list("abcd"), "stance": [1, 1, 0, -1],
                            "recorded_on": [START] * 4, "source": "import"})
    log = pd.DataFrame({"date": [date(2026, 9, 10), date(2026, 9, 12), date(2026, 9, 20)],
                        "stakeholder_id": ["a", "b", "c"], "activity": ["meeting", "assessment", "1:1"],
                        "stance_after": [None, None, None], "notes": [None, None, None]})
    milestones = goals({"kind": "champion_engaged", "target": 1.0, "due": date(2027, 1, 31)},
                       {"kind": "champion_engaged", "department": "HR", "target": 1.0, "due": date(2027, 1, 31)})
    frames = TrackingFrames(people, history, log, milestones)
    table = milestone_progress(frames, as_of=AS_OF).table
    assert table["value"].tolist() == [pytest.approx(1 / 3), 0.0]       # a desk assessment is no conversation
    assert (table.loc[0, "count"], table.loc[0, "total"]) == (1, 3)
    picked = milestone_progress(frames, as_of=AS_OF, champion_ids=["c"]).table
    assert picked.loc[0, "value"] == pytest.approx(2 / 3)
    before = milestone_progress(frames, as_of=date(2026, 9, 9)).table
    assert before.loc[0, "value"] == 0


def test_no_milestones_and_unknown_departments():
    people = pd.DataFrame({"id": ["a"], "name": ["A"], "department": ["IT"], "stance": [1]})
    assert milestone_progress(TrackingFrames(people), as_of=AS_OF).table.empty
    row = milestone_progress(TrackingFrames(people, milestones=goals(
        {"department": "Nobody", "target": 0.5, "due": date(2027, 1, 1)})), as_of=AS_OF).table.iloc[0]
    assert row["value"] is None and row["total"] == 0 and row["status"] == "at risk"


def test_department_gaps_rank_the_furthest_behind_first(growing):
    people, history = growing
    people = pd.concat([people, pd.DataFrame({"id": ["x", "y"], "name": ["X", "Y"], "department": ["HR", "HR"],
                                              "stance": [1, 1]})], ignore_index=True)
    history = pd.concat([history, pd.DataFrame({"stakeholder_id": ["x", "y"], "stance": [1, 1],
                                                "recorded_on": [START] * 2, "source": "import"})])
    frames = TrackingFrames(people, history, milestones=goals({"target": 0.8, "due": date(2027, 1, 1)}))
    gaps = department_gaps(frames, as_of=AS_OF)
    assert gaps["department"].tolist() == ["Ops", "HR"]
    assert gaps["gap"].round(9).tolist() == [0.3, 0.0]
    champion = goals({"kind": "champion_engaged", "target": 1.0, "due": date(2027, 1, 1)})
    assert department_gaps(TrackingFrames(people, history, milestones=champion), as_of=AS_OF)["gap"].tolist() == [1.0, 1.0]
    old = goals({"target": 0.8, "due": date(2026, 9, 1)})                  # past: no open milestone
    gaps = department_gaps(TrackingFrames(people, history, milestones=old), as_of=AS_OF)
    assert gaps.set_index("department")["gap"].round(9).to_dict() == {"Ops": 0.5, "HR": 0.0}


def test_the_demo_milestones_show_one_met_one_at_risk_and_two_on_track(demo):
    table = milestone_progress(demo, as_of=TODAY).table.set_index("label")
    assert table.loc["55% of Operations supporter or better by 2026-12-31", "status"] == "met"
    assert table.loc["60% of Finance supporter or better by 2027-03-31", "status"] == "at risk"
    assert table.loc["60% of Finance supporter or better by 2027-03-31", "needed"] == 10
    assert table.loc["50% of everyone supporter or better by 2027-06-30", "status"] == "on track"
    assert table.loc["a champion engaged in every department by 2027-01-31", "value"] == pytest.approx(8 / 9)


def test_progress_report_gives_each_department_its_mix_now_and_at_each_milestone_date(demo):
    report = progress_report(demo, as_of=TODAY)
    names = [d["department"] for d in report["departments"]]
    assert names[0] == "All" and names[1:] == sorted(names[1:]) and len(names) == 10
    org = report["departments"][0]
    assert org["size"] == 220 and sum(org["mix"].values()) == 220 and not org["champion_engaged"]
    assert {m["milestone_id"] for m in org["milestones"]} == {2, 4}
    finance = next(d for d in report["departments"] if d["department"] == "Finance")
    assert finance["supporter_or_better"] == pytest.approx(0.1)
    assert [m["status"] for m in finance["milestones"]] == ["at risk"]
    assert [a["due"] for a in finance["at_milestones"]] == ["2026-12-31", "2027-01-31", "2027-03-31", "2027-06-30"]
    assert all(a["projected"] for a in finance["at_milestones"])
    assert all(sum(a["mix"].values()) == pytest.approx(20, abs=0.3) for a in finance["at_milestones"])
    later = progress_report(demo, as_of="2027-02-15")
    ops = next(d for d in later["departments"] if d["department"] == "Operations")
    past = ops["at_milestones"][0]
    assert past["due"] == "2026-12-31" and not past["projected"] and sum(past["mix"].values()) == 45
    assert later["milestones"][0]["status"] == "met" and later["milestones"][0]["value_at_due"] is not None
