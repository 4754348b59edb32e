"""This week's builder (the home page and ``stakeholder-map week``): each section from the workspace's own
analyses, links named, empty sections that say what to do, windows and seeds wired to their contracts."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import BytesIO

import pandas as pd
import pytest
from click.testing import CliRunner

from stakeholder_map.cli import cli
from stakeholder_map.demo import DEMO_MAP, load_demo
from stakeholder_map.ingest import read_map
from stakeholder_map.presentation.this_week import this_week, week_bounds
from stakeholder_map.store import Store
from stakeholder_map.tracking.windows import Window
from stakeholder_map.workspace import Workspace

TODAY = date(2026, 11, 23)          # a Monday
EVIL = "<script>x</script>"


@pytest.fixture(scope="module")
def demo_store():
    with Store(":memory:") as store:
        load_demo(store, today=TODAY)
        yield store


def small_store() -> Store:
    store = Store(":memory:")
    store.import_map("Small", read_map(
        BytesIO(f"id,name,department,stance\n1,Ann {EVIL},IT,supporter\n2,Bo,IT,skeptic\n3,Cy,HR,neutral\n".encode()),
        BytesIO(b"source,target\n1,2\n1,3\n2,3\n")))
    return store


def test_week_bounds_run_monday_to_sunday():
    assert week_bounds("2026-11-23") == (date(2026, 11, 23), date(2026, 11, 29))
    assert week_bounds(date(2026, 11, 29)) == (date(2026, 11, 23), date(2026, 11, 29))


def test_the_demo_week_has_every_section_in_order(demo_store):
    ws = Workspace(demo_store, DEMO_MAP)
    week = this_week(ws, as_of=TODAY)
    assert [s.key for s in week.sections] == ["milestones", "conversations", "windows", "seeds", "rotation"]
    assert week.has_engagements and (week.week_start, week.week_end) == (TODAY, TODAY + timedelta(days=6))
    risky = week.section("milestones").items
    assert [i.title for i in risky] == ["60% of Finance supporter or better by 2027-03-31"]
    assert risky[0].department == "Finance" and risky[0].flag == "at risk" and risky[0].detail.startswith("At risk.")
    windows = week.section("windows").items
    assert [w.title for w in windows] == [w.title for w in ws.windows(as_of=TODAY)[:5]] and windows
    assert all(w.department or w.person_id for w in windows)
    seeds = week.section("seeds").items
    assert [i.person_id for i in seeds] == list(ws.seeds_next(5, as_of=TODAY)["id"]) and seeds


def test_next_conversations_are_the_engagement_pages_with_their_messengers(demo_store):
    ws = Workspace(demo_store, DEMO_MAP)
    items = this_week(ws, as_of=TODAY).section("conversations").items
    ranked = ws.next_conversations(10).head(5)
    assert [i.person_id for i in items] == list(ranked["id"])
    assert [i.messenger_id for i in items] == list(ranked["messenger_id"])
    assert items[0].person == "Pauline Hargreaves" and items[0].messenger == "Kate Brown"
    assert items[0].flag == "blocker" and "Best messenger: Kate Brown (Operations, champion)" in items[0].detail


def test_without_a_plan_the_rotation_lists_its_priorities_and_how_to_plan(demo_store):
    ws = Workspace(demo_store, DEMO_MAP)
    rotation = this_week(ws, as_of=TODAY).section("rotation")
    assert rotation.title == "Rotation: no plan yet"
    gaps = ws.department_gaps(TODAY)
    assert [i.department for i in rotation.items] == list(gaps[gaps["gap"] > 0]["department"].head(3))
    assert "Engagement page" in rotation.empty and "stakeholder-map rotation command" in rotation.empty


def test_a_plan_gives_only_the_visits_of_the_week(demo_store):
    ws = Workspace(demo_store, DEMO_MAP)
    team = pd.DataFrame({"name": ["Ann", "Bo", "Cy"], "home_department": ["IT", "Finance", None]})
    plan = ws.rotation_plan(team, "2026Q4", visits=3, as_of=TODAY)
    rotation = this_week(ws, as_of=TODAY, plan=plan).section("rotation")
    in_week = plan[[TODAY <= d <= TODAY + timedelta(days=6) for d in plan["date"]]]
    assert rotation.title == "Rotation visits this week"
    assert [(i.department, i.when) for i in rotation.items] == list(zip(in_week["department"], in_week["date"]))
    later = this_week(ws, as_of="2027-06-01", plan=plan).section("rotation")
    assert later.items == () and "No visit planned from 2027-05-31 to 2027-06-06" in later.empty


def test_empty_sections_say_what_to_do():
    with small_store() as store:
        week = this_week(Workspace(store, "Small"), as_of=TODAY)
    assert not week.has_engagements
    assert week.section("milestones").items == () and "Add one on the Engagement page" in \
        week.section("milestones").empty
    rotation = week.section("rotation")             # no milestone: the departments with fewest supporters first
    assert [i.department for i in rotation.items][0] == "HR" and "no open milestone" in rotation.items[0].detail
    assert rotation.note.startswith("No rotation plan yet")
    conversations = week.section("conversations").items
    assert {i.person_id for i in conversations} <= {"2", "3"}   # the supporter is not on the list


def test_a_map_without_people_says_import_it():
    with Store(":memory:") as store:
        store.create_map("Empty")
        week = this_week(Workspace(store, "Empty"), as_of=TODAY)
    assert all(s.items == () and "import its CSV files" in s.empty for s in week.sections)


class ContractWorkspace(Workspace):
    """A workspace whose windows and seeds are hand-made (escaping and links are what is tested)."""

    def windows(self, *, as_of=None, weeks: int = 6):
        return [Window("new_key_person", 2.0, f"Bo {EVIL} joined IT", "Arrived 2026-11-16, skeptic",
                               "Meet Bo before the IT kick-off", "2", "IT", date(2026, 11, 16)),
                Window("call_to_action", 1.0, "Project overran in HR", "Incident logged 2026-11-20",
                               "Offer HR the tracking", None, "HR", date(2026, 11, 20))]

    def seeds_next(self, k: int = 5, *, as_of=None):
        return pd.DataFrame({"id": ["3"], "name": ["Cy"], "department": ["HR"], "stance": ["neutral"],
                             "gain": [1.5], "touch": ["Share the IT results"], "why": ["Cy reaches 2 people"]})


def test_windows_and_seeds_follow_their_contracts():
    with small_store() as store:
        week = this_week(ContractWorkspace(store, "Small"), as_of=TODAY)
    windows = week.section("windows")
    assert [w.title for w in windows.items] == [f"Bo {EVIL} joined IT",
                                                                      "Project overran in HR"]
    first = windows.items[0]
    assert (first.person_id, first.person, first.department, first.flag) == ("2", "Bo", "IT", "new key person")
    assert first.detail == "Arrived 2026-11-16, skeptic. Meet Bo before the IT kick-off."
    assert windows.items[1].person_id is None and windows.items[1].department == "HR"
    seeds = week.section("seeds").items
    assert [(s.person_id, s.department) for s in seeds] == [("3", "HR")]
    assert seeds[0].title == "Cy (HR, neutral)" and seeds[0].detail == "Share the IT results. Cy reaches 2 people."


def test_to_dict_is_plain_json(demo_store):
    data = this_week(Workspace(demo_store, DEMO_MAP), as_of=TODAY).to_dict()
    text = json.dumps(data)
    assert data["week_start"] == "2026-11-23" and [s["key"] for s in data["sections"]][0] == "milestones"
    assert "Pauline Hargreaves" in text


def test_cli_week_in_json_and_table(db_path, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["week", "--as-of", "2026-11-23", "--format", "json", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["map"] == DEMO_MAP and data["sections"][1]["items"][0]["messenger"]
    team = tmp_path / "team.csv"
    team.write_text("name,home_department\nAnn,IT\nBo,HR\nCy,Sales\n", encoding="utf-8")
    table = runner.invoke(cli, ["week", "--as-of", "2026-11-23", "--team", str(team), "--visits", "13",
                                "--db", str(db_path)])
    assert table.exit_code == 0, table.output
    assert "Rotation visits this week (" in table.output and " visits Legal" in table.output
    assert "Next conversations (5)" in table.output
