"""Rotation plan: the team file, the quarter's schedule and its CSV and iCalendar exports."""

from __future__ import annotations

import csv as csvlib
import io
from datetime import date, datetime, time, timezone

import pandas as pd
import pytest
from icalendar import Calendar

from stakeholder_map.errors import ContractError
from stakeholder_map.export_rotation import rotation_csv, rotation_ics
from stakeholder_map.ingest_team import read_team
from stakeholder_map.tracking.rotation import parse_quarter, plan_rotation, quarter_weeks

from tests.support import csv

DEPARTMENTS = pd.DataFrame({
    "department": ["Legal", "Finance", "Sales", "Engineering", "Marketing", "HR", "IT", "Operations",
                   "Executive Office"],
    "gap": [1.0, 0.5, 0.31, 0.2, 0.17, 0.07, 0.0, 0.0, 0.0],
    "reason": ["no champion engaged yet"] + ["behind"] * 5 + ["met"] * 3,
})
STAMP = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def team() -> pd.DataFrame:
    return read_team(csv("""
        name,home_department,email
        Tomás Ferreira,IT,tomas@example.com
        Nadia Petrova,HR,
        Amara Nwosu,Finance,amara@example.com
        Rachel Adeyemi,Operations,
        Wei Zhang,IT,
    """))


def test_quarters_and_their_weeks():
    assert parse_quarter("2027Q1") == (date(2027, 1, 1), date(2027, 3, 31))
    assert parse_quarter(" 2026-q4 ") == (date(2026, 10, 1), date(2026, 12, 31))
    weeks = quarter_weeks("2027Q1")
    assert len(weeks) == 13 and all(w.weekday() == 0 for w in weeks)
    assert weeks[0] == date(2027, 1, 4) and weeks[-1] == date(2027, 3, 29)
    assert 12 <= min(len(quarter_weeks(f"2026Q{q}")) for q in range(1, 5))
    for bad in ("2027Q5", "Q1 2027", "2027"):
        with pytest.raises(ValueError):
            parse_quarter(bad)


def test_team_file_is_read_like_the_map_files():
    team = read_team(csv("\ufeffAssociate;Home\r\nAnn;IT\r\n\r\nBo;\r\n"))
    assert team.to_dict("records") == [{"name": "Ann", "home_department": "IT", "email": None},
                                       {"name": "Bo", "home_department": None, "email": None}]


def test_team_file_problems_name_the_row_and_column():
    with pytest.raises(ContractError) as refused:
        read_team(csv("name,home_department\nAnn,IT\n,HR\nann,Sales\n"), name="team.csv")
    assert [str(p) for p in refused.value.problems] == [
        "team.csv, row 3, column 'name': name is empty",
        "team.csv, row 4, column 'name': duplicate name 'ann' (first at row 2)",
    ]
    with pytest.raises(ContractError, match="missing required column"):
        read_team(csv("associate_id,home\n1,IT\n"))
    with pytest.raises(ContractError, match="at least two associates"):
        read_team(csv("name\nAnn\n"))
    with pytest.raises(ContractError, match="empty"):
        read_team(io.BytesIO(b""))


def test_every_department_is_visited_by_two_or_more_associates_spread_over_the_quarter(team):
    plan = plan_rotation(team, DEPARTMENTS, "2027Q1", seed=0)
    per = plan.groupby("department")
    assert per["associate"].nunique().min() >= 2
    assert per["visit"].nunique().to_dict() == {d: (4 if d in ("Legal", "Finance", "Sales") else 3)
                                                for d in DEPARTMENTS["department"]}
    for department, visits in per:
        weeks = sorted(visits["week"])
        assert len(set(weeks)) == len(weeks)                      # never twice in a week
        assert min(b - a for a, b in zip(weeks, weeks[1:])) >= 3  # spread out
        assert weeks[-1] - weeks[0] >= 6
    assert plan["week"].between(1, 13).all()
    assert all(d.weekday() in (1, 2, 3) for d in plan["date"])
    assert all(w <= d <= date(2027, 3, 31) for w, d in zip(plan["week_start"], plan["date"]))


def test_load_is_balanced_homes_are_avoided_and_the_furthest_behind_go_first(team):
    plan = plan_rotation(team, DEPARTMENTS, "2027Q1", seed=0)
    load = plan.groupby("associate").size()
    assert load.max() - load.min() <= 1 and len(load) == 5
    assert not (plan["home_department"] == plan["department"]).any()
    assert plan.sort_values("date")["department"].iloc[0] == "Legal"
    assert plan.loc[plan["department"] == "Legal", "week"].min() == 1
    weekly = plan.groupby("week").size().reindex(range(1, 14), fill_value=0)
    assert weekly.max() - weekly.min() <= 2
    busy = plan.groupby(["associate", "date"]).size()
    assert busy.max() == 1                                         # one visit a day each


def test_same_seed_same_plan_and_pairs_per_visit(team):
    a = plan_rotation(team, DEPARTMENTS, "2027Q1", seed=3)
    pd.testing.assert_frame_equal(a, plan_rotation(team, DEPARTMENTS, "2027Q1", seed=3))
    pairs = plan_rotation(team, ["IT", "HR"], "2027Q2", visits=2, per_visit=2, seed=0)
    assert len(pairs) == 8 and pairs.groupby(["department", "visit"])["associate"].nunique().eq(2).all()
    assert (pairs["gap"] == 0).all()


def test_a_two_person_team_from_one_department_still_covers_it():
    team = pd.DataFrame({"name": ["Ann", "Bo"], "home_department": ["IT", "IT"]})
    plan = plan_rotation(team, ["IT", "HR"], "2027Q1", visits=3, seed=0)
    assert plan.groupby("department")["associate"].nunique().tolist() == [2, 2]
    with pytest.raises(ValueError):
        plan_rotation(team, ["IT"], "2027Q1", visits=0)
    assert plan_rotation(team, [], "2027Q1").empty


def test_csv_export_is_spreadsheet_safe(team):
    departments = pd.DataFrame({"department": ["=HYPERLINK(\"http://x\")", "R&D, Legal"], "gap": [0.5, 0.1]})
    plan = plan_rotation(team, departments, "2027Q1", seed=0)
    rows = list(csvlib.DictReader(io.StringIO(rotation_csv(plan).decode("utf-8"))))
    assert len(rows) == len(plan)
    assert {r["department"] for r in rows} == {"'=HYPERLINK(\"http://x\")", "R&D, Legal"}
    assert rows[0]["date"] == plan["date"].iloc[0].isoformat() and rows[0]["gap"] == "0.500"


def test_ics_is_rfc5545_with_stable_uids_and_escaped_text(team):
    departments = pd.DataFrame({"department": ["R&D; Legal, EU", "Finance"], "gap": [0.5, 0.1],
                                "reason": ["line one\nline two", None]})
    plan = plan_rotation(team, departments, "2027Q1", seed=0)
    raw = rotation_ics(plan, stamp=STAMP)
    assert raw == rotation_ics(plan, stamp=STAMP)                # byte-identical
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"SUMMARY:Visit R&D\\; Legal\\, EU" in raw
    events = Calendar.from_ical(raw).walk("VEVENT")
    assert len(events) == len(plan)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    again = Calendar.from_ical(rotation_ics(plan_rotation(team, departments, "2027Q1", seed=0))).walk("VEVENT")
    assert [str(e["UID"]) for e in again] == uids                # stable across runs
    first = events[0]
    assert first.decoded("DTSTART") == plan["date"].iloc[0] and isinstance(first.decoded("DTSTART"), date)
    assert str(first["SUMMARY"]) == f"Visit {plan['department'].iloc[0]} ({plan['associate'].iloc[0]})"
    legal = next(e for e in events if "R&D" in str(e["SUMMARY"]))
    assert "line one\nline two" in str(legal["DESCRIPTION"])
    emails = {str(e["ATTENDEE"]) for e in events if "ATTENDEE" in e}
    assert emails <= {"mailto:tomas@example.com", "mailto:amara@example.com"} and emails


def test_ics_timed_events(team):
    plan = plan_rotation(team, ["IT"], "2027Q1", visits=1, seed=0)
    event = Calendar.from_ical(rotation_ics(plan, start_time=time(10, 30), stamp=STAMP)).walk("VEVENT")[0]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime.combine(plan["date"].iloc[0], time(10, 30)) and (end - start).seconds == 3600
