"""The tracking commands (engagements, milestones, movers, progress, next, rotation, brief), in-process."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from stakeholder_map.cli import cli
from stakeholder_map.demo import DEMO_MAP
from stakeholder_map.ingest import read_engagements
from stakeholder_map.errors import ContractError
from stakeholder_map.store import Store

from tests.support import KRACKHARDT, csv

AS_OF = "2026-11-23"
TEAM = "name,home_department,email\nTomás Ferreira,IT,tomas@example.com\nNadia Petrova,HR,\nAmara Nwosu,Finance,\n"


@pytest.fixture
def run(db_path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [*args, "--db", str(db_path)])

    return invoke


@pytest.fixture
def krackhardt(run):
    assert run("import", str(KRACKHARDT / "stakeholders.csv"), str(KRACKHARDT / "influences.csv"),
               "--map", "K").exit_code == 0
    return run


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_read_engagements_checks_the_map_ids():
    events = read_engagements(csv("date,person,stance_after\n2026-10-01,1,supporter\n"), ["1", "2"])
    assert events["stakeholder_id"].tolist() == ["1"] and int(events["stance_after"].iloc[0]) == 1
    with pytest.raises(ContractError, match="row 2, column 'stakeholder_id': unknown stakeholder id '9'"):
        read_engagements(csv("date,stakeholder_id\n2026-10-01,9\n"), ["1"])


def test_engagements_import_adds_touchpoints_and_stance_history(krackhardt, db_path, tmp_path):
    path = write(tmp_path, "events.csv",
                 "date,stakeholder_id,activity,stance_after,notes\n"
                 "2026-10-01,1,demo,supporter,liked it\n2026-10-02,2,email,,sent slides\n")
    result = krackhardt("engagements", "import", path, "--map", "K")
    assert result.exit_code == 0, result.output
    assert "Added 2 engagements to map 'K'; 1 record a stance." in result.output
    with Store(db_path) as store:
        assert len(store.engagements("K")) == 2
        assert store.stance_history("K", "1")["stance"].tolist()[-1] == 1
        assert store.people("K").set_index("id").loc["1", "stance"] == 1
        assert store.engagement_changes("K")["action"].tolist() == ["log", "log"]


def test_a_refused_engagements_file_changes_nothing(krackhardt, db_path, tmp_path):
    with Store(db_path) as store:
        revision = store.revision
    path = write(tmp_path, "bad.csv", "date,stakeholder_id\n2026-10-01,1\n2026-13-01,99\n")
    result = krackhardt("engagements", "import", path, "--map", "K")
    assert result.exit_code == 2
    assert "bad.csv, row 3, column 'stakeholder_id': unknown stakeholder id '99'" in result.output
    assert "bad.csv, row 3, column 'date'" in result.output and "Traceback" not in result.output
    with Store(db_path) as store:
        assert store.revision == revision and store.engagements("K").empty


def test_log_edit_delete_and_the_change_record(krackhardt, db_path):
    result = krackhardt("engagements", "log", "--map", "K", "--date", "2026-10-05", "--person", "3",
                        "--activity", "1:1", "--stance-after", "skeptic", "--notes", "=risky formula")
    assert result.exit_code == 0, result.output
    assert "Logged engagement 0 with 3 on 2026-10-05 (stance after: skeptic)." in result.output
    assert krackhardt("engagements", "edit", "0", "--map", "K", "--stance-after", "neutral").exit_code == 0
    listed = json.loads(krackhardt("engagements", "list", "--map", "K", "--format", "json").output)
    row = listed["engagements"][0]
    assert (row["date"], row["stakeholder_id"], row["activity"], row["stance_after"], row["notes"]) == \
        ("2026-10-05", "3", "1:1", "neutral", "=risky formula")
    assert krackhardt("engagements", "delete", "0", "--map", "K").exit_code == 0
    changes = json.loads(krackhardt("engagements", "changes", "--map", "K", "--format", "json").output)["changes"]
    assert [c["action"] for c in changes] == ["log", "edit", "delete"]
    assert changes[1]["before"]["stance_after"] == -1 and changes[1]["after"]["stance_after"] == 0
    bad = krackhardt("engagements", "log", "--map", "K", "--date", "2026-10-05", "--person", "3",
                     "--stance-after", "keen")
    assert bad.exit_code == 2 and "is not a stance" in bad.output
    unknown = krackhardt("engagements", "log", "--map", "K", "--date", "2026-10-05", "--person", "99")
    assert unknown.exit_code == 1 and "no stakeholder with id '99'" in unknown.output
    assert krackhardt("engagements", "delete", "7", "--map", "K").exit_code == 1


def test_engagements_list_filters(run):
    result = run("engagements", "list", "--person", "E028", "--since", "2026-09-01", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["engagements"]
    assert rows and {r["stakeholder_id"] for r in rows} == {"E028"} and min(r["date"] for r in rows) >= "2026-09-01"
    assert rows[0]["name"] == "Graham Whitlock" and rows[0]["department"] == "Finance"
    finance = json.loads(run("engagements", "list", "--department", "Finance", "--format", "json").output)
    assert {r["department"] for r in finance["engagements"]} == {"Finance"}


def test_milestones_add_list_delete(krackhardt):
    added = krackhardt("milestones", "add", "--map", "K", "--due", "2027-03-31", "--target", "60%",
                       "--department", "Dept 2")
    assert added.exit_code == 0, added.output
    assert "Added milestone 1: 60% of Dept 2 supporter or better by 2027-03-31." in added.output
    assert krackhardt("milestones", "add", "--map", "K", "--due", "2027-01-31", "--target", "1",
                      "--kind", "champion_engaged").exit_code == 0
    listed = json.loads(krackhardt("milestones", "list", "--map", "K", "--format", "json").output)["milestones"]
    assert [m["text"] for m in listed] == ["a champion engaged in every department by 2027-01-31",
                                           "60% of Dept 2 supporter or better by 2027-03-31"]
    assert krackhardt("milestones", "delete", "1", "--map", "K").exit_code == 0
    assert len(json.loads(krackhardt("milestones", "list", "--map", "K", "--format", "json").output)["milestones"]) == 1
    typo = krackhardt("milestones", "add", "--map", "K", "--due", "2027-03-31", "--target", "0.6",
                      "--department", "Fiance")
    assert typo.exit_code == 2 and "no one in map 'K' belongs to 'Fiance'" in typo.output
    assert krackhardt("milestones", "add", "--map", "K", "--due", "2027-03-31", "--target", "150%").exit_code == 2
    assert krackhardt("milestones", "add", "--map", "K", "--due", "31/03/2027", "--target", "50%").exit_code == 2
    assert krackhardt("milestones", "delete", "9", "--map", "K").exit_code == 1


def test_progress_json_on_the_demo(run):
    result = run("progress", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["map"] == DEMO_MAP and report["as_of"] == AS_OF
    status = {m["label"]: m["status"] for m in report["milestones"]}
    assert status["60% of Finance supporter or better by 2027-03-31"] == "at risk"
    assert status["55% of Operations supporter or better by 2026-12-31"] == "met"
    departments = {d["department"]: d for d in report["departments"]}
    assert set(departments) >= {"All", "Finance", "IT", "Legal"}
    finance = departments["Finance"]
    assert sum(finance["mix"].values()) == 20
    assert [a["due"] for a in finance["at_milestones"]] == ["2026-12-31", "2027-01-31", "2027-03-31", "2027-06-30"]
    assert finance["milestones"][0]["status"] == "at risk"
    table = run("progress", "--as-of", AS_OF)
    assert table.exit_code == 0 and "at risk" in table.output and "Finance" in table.output


def test_next_json_on_the_demo(run):
    result = run("next", "-k", "5", "--blockers", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["next"]
    assert len(rows) == 7 and [r["rank"] for r in rows] == list(range(1, 8))
    assert all(r["stance"] in ("neutral", "skeptic", "resistant", "unknown") for r in rows)
    assert all(r["path"][-1] == r["id"] for r in rows if r["messenger_id"])
    assert rows[0]["gain"] >= rows[4]["gain"] and rows[5]["blocker"] and rows[6]["blocker"]
    finance = json.loads(run("next", "--department", "Finance", "-k", "3", "--blockers", "0",
                             "--format", "json").output)["next"]
    assert len(finance) == 3 and {r["department"] for r in finance} == {"Finance"}
    table = run("next", "-k", "3")
    assert table.exit_code == 0 and "best messenger" in table.output


def test_rotation_writes_csv_and_ics(run, tmp_path):
    team = write(tmp_path, "team.csv", TEAM)
    out = tmp_path / "plans"
    result = run("rotation", "--team", team, "--quarter", "2027Q1", "--out", str(out), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "Rotation 2027Q1" in result.output and "9 departments by 3 associates" in result.output
    rows = (out / "rotation-2027Q1.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("quarter,week,week_start,date,department,visit,visits,associate")
    events = Calendar.from_ical((out / "rotation-2027Q1.ics").read_bytes()).walk("VEVENT")
    assert len(events) == len(rows) - 1 >= 27
    as_json = run("rotation", "--team", team, "--quarter", "2027Q1", "--out", str(out), "--as-of", AS_OF,
                  "--format", "json", "--start-time", "09:30")
    payload = json.loads(as_json.output)
    assert payload["priorities"][0]["department"] == "Legal" and payload["plan"][0]["department"] == "Legal"
    timed = Calendar.from_ical((out / "rotation-2027Q1.ics").read_bytes()).walk("VEVENT")[0]
    assert timed.decoded("DTSTART").hour == 9


def test_rotation_refuses_a_bad_team_or_quarter(run, tmp_path):
    lonely = write(tmp_path, "team.csv", "name\nAnn\n")
    result = run("rotation", "--team", lonely, "--quarter", "2027Q1", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "team.csv, column 'name': a rotation needs at least two associates" in result.output
    team = write(tmp_path, "team2.csv", TEAM)
    bad = run("rotation", "--team", team, "--quarter", "2027-Q7", "--out", str(tmp_path))
    assert bad.exit_code == 2 and "is not a quarter" in bad.output


def test_brief_writes_a_self_contained_page(run, tmp_path):
    out = tmp_path / "briefs" / "finance.html"
    result = run("brief", "--department", "Finance", "--out", str(out), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Graham Whitlock" in page and "<script" not in page
    missing = run("brief", "--department", "Nowhere", "--out", str(out))
    assert missing.exit_code == 1 and "no one in the map belongs to department 'Nowhere'" in missing.output


def test_movers_between_two_dates(run):
    result = run("movers", "--since", "2026-08-21", "--until", "2026-11-20", "--department", "Finance",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    moved = {m["id"]: m for m in json.loads(result.output)["movers"]}
    assert (moved["E028"]["from"], moved["E028"]["to"], moved["E028"]["engaged"]) == ("resistant", "skeptic", True)
    assert moved["E028"]["moved_on"] == "2026-10-15"


def test_every_tracking_subcommand_has_help():
    for group in ("engagements", "milestones"):
        for name, command in cli.commands[group].commands.items():
            assert command.help, f"{group} {name} has no help"
            assert CliRunner().invoke(cli, [group, name, "--help"]).exit_code == 0
    for name in ("progress", "next", "rotation", "brief", "movers"):
        assert cli.commands[name].help


def test_unknown_map_is_a_clear_error(run):
    result = run("progress", "--map", "Nope")
    assert result.exit_code == 1 and "no map named 'Nope'" in result.output
    assert date.fromisoformat(AS_OF)
