"""``stakeholder-map windows``: the same windows as Workspace.windows, as a list, JSON or CSV."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from stakeholder_map.cli import cli

PEOPLE = "id,name,department,stance\n1,Ann Lee,Operations,skeptic\n2,Bo Hart,Operations,skeptic\n3,Cy Park,IT,neutral\n"
# The import records everyone's stance today; the touchpoints come after it, the report a month on.
TODAY = date.today()
AS_OF = (TODAY + timedelta(days=30)).isoformat()
INCIDENT = (TODAY + timedelta(days=20)).isoformat()
ENGAGEMENTS = f"""date,stakeholder_id,activity,stance_after,notes
{TODAY + timedelta(days=10)},1,1:1,supporter,Saw the demo
{TODAY + timedelta(days=12)},2,workshop,neutral,
{INCIDENT},3,Incident,,"Project overran, no tracking"
"""


@pytest.fixture
def run(db_path, tmp_path):
    runner = CliRunner()
    for name, text in (("people.csv", PEOPLE), ("events.csv", ENGAGEMENTS)):
        (tmp_path / name).write_text(text, encoding="utf-8")

    def invoke(*args: str):
        return runner.invoke(cli, [*args, "--db", str(db_path)])

    result = invoke("import", str(tmp_path / "people.csv"), "--map", "Org")
    assert result.exit_code == 0, result.output
    result = invoke("engagements", "import", str(tmp_path / "events.csv"), "--map", "Org")
    assert result.exit_code == 0, result.output
    return invoke


def test_json_lists_the_windows_best_first(run):
    result = run("windows", "--map", "Org", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert (payload["map"], payload["as_of"], payload["weeks"]) == ("Org", AS_OF, 6)
    assert [(w["kind"], w["department"]) for w in payload["windows"]] == [("department_warming", "Operations"),
                                                                          ("call_to_action", "IT")]
    call = payload["windows"][1]
    assert call["since"] == INCIDENT and call["person_id"] == "3"
    assert call["evidence"] == f"{INCIDENT} incident logged against Cy Park: Project overran, no tracking."
    assert set(call) == {"kind", "score", "title", "evidence", "action", "person_id", "department", "since"}


def test_weeks_narrows_the_period(run):
    result = run("windows", "--map", "Org", "--as-of", AS_OF, "--weeks", "2", "--format", "json")
    assert [w["kind"] for w in json.loads(result.output)["windows"]] == ["call_to_action"]


def test_table_is_a_numbered_list_and_says_when_there_is_none(run):
    result = run("windows", "--map", "Org", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "1. Operations is warming: 2 of 2 people moved towards support" in result.output
    assert "2. Call to action in IT: 1 incident logged" in result.output
    assert "Now: Offer help while the problem is fresh" in result.output
    quiet = run("windows", "--map", "Org", "--as-of", TODAY.isoformat(), "--weeks", "1")
    assert quiet.exit_code == 0 and "No window of opportunity in this period" in quiet.output


def test_csv_and_errors(run):
    result = run("windows", "--map", "Org", "--as-of", AS_OF, "--format", "csv")
    assert result.output.splitlines()[0] == "rank,kind,score,title,evidence,action,person_id,department,since"
    assert len(result.output.splitlines()) == 3
    assert run("windows", "--map", "Nope").exit_code == 1
    bad = run("windows", "--map", "Org", "--as-of", "someday")
    assert bad.exit_code == 2 and "--as-of" in bad.output
    assert run("windows", "--map", "Org", "--weeks", "0").exit_code == 2


def test_a_map_imported_twice_through_the_cli(db_path, tmp_path):
    """The issue's fixture (tests/test_windows.py) imported, then re-imported with --replace."""
    from tests.test_windows import V1, V2
    from tests.test_windows_workspace import V1_TIES, V2_TIES, stakeholders_csv

    runner = CliRunner()
    for version, people, ties in ((1, V1, V1_TIES), (2, V2, V2_TIES)):
        (tmp_path / f"people{version}.csv").write_text(stakeholders_csv(people), encoding="utf-8")
        (tmp_path / f"ties{version}.csv").write_text(ties, encoding="utf-8")
        args = ["import", str(tmp_path / f"people{version}.csv"), str(tmp_path / f"ties{version}.csv"),
                "--map", "Org", "--db", str(db_path)] + (["--replace"] if version == 2 else [])
        assert runner.invoke(cli, args).exit_code == 0
    result = runner.invoke(cli, ["windows", "--map", "Org", "--format", "json", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert [(w["kind"], w["person_id"], w["department"]) for w in json.loads(result.output)["windows"]] == [
        ("new_key_person", "11", "Finance"), ("blocker_gone", "2", "Finance"),
        ("department_warming", None, "Operations")]
