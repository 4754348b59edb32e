"""The CLI's ``members add|remove|list`` and ``audit``, run in-process against a real DuckDB file."""

from __future__ import annotations

import csv as csv_module
import io
import json

import pytest
from click.testing import CliRunner

from stakeholder_map.access import LOCAL_USER
from stakeholder_map.cli import cli
from stakeholder_map.store import Store

from tests.support import KRACKHARDT


@pytest.fixture
def run(db_path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [*args, "--db", str(db_path)])

    return invoke


@pytest.fixture
def with_map(run):
    assert run("import", str(KRACKHARDT / "stakeholders.csv"), str(KRACKHARDT / "influences.csv"),
               "--map", "K").exit_code == 0
    return run


def test_members_add_list_remove(with_map, db_path):
    result = with_map("members", "add", "Ann@Example.org", "--role", "admin")
    assert result.exit_code == 0, result.output
    assert "ann@example.org is admin on every map." in result.output
    assert with_map("members", "add", "bo@example.org", "--role", "viewer", "--map", "K").exit_code == 0
    listed = json.loads(with_map("members", "list", "--format", "json").output)["members"]
    assert [(m["email"], m["map"], m["role"], m["added_by"]) for m in listed] == [
        ("ann@example.org", "*", "admin", LOCAL_USER), ("bo@example.org", "K", "viewer", LOCAL_USER)]
    table = with_map("members", "list", "--map", "K").output
    assert "bo@example.org" in table and "viewer" in table
    result = with_map("members", "remove", "bo@example.org", "--map", "K")
    assert result.exit_code == 0 and "no role on map 'K'" in result.output
    with Store(db_path) as store:
        assert store.members()["email"].tolist() == ["ann@example.org"]
        assert store.role_of("ann@example.org", "K") == "admin"


def test_a_bad_role_address_or_map_is_a_clear_error(with_map, db_path):
    result = with_map("members", "add", "ann@example.org", "--role", "owner")
    assert result.exit_code == 2 and "'owner' is not one of 'viewer', 'editor', 'admin'" in result.output
    result = with_map("members", "add", "Ann Lee", "--role", "viewer")
    assert result.exit_code == 1 and "'Ann Lee' is not an e-mail address" in result.output
    result = with_map("members", "add", "ann@example.org", "--role", "viewer", "--map", "Nope")
    assert result.exit_code == 1 and "no map named 'Nope'" in result.output
    assert "Traceback" not in result.output
    with Store(db_path) as store:
        assert store.members().empty


def test_the_last_admin_cannot_be_removed(with_map, db_path):
    assert with_map("members", "add", "ann@example.org", "--role", "admin").exit_code == 0
    result = with_map("members", "remove", "ann@example.org")
    assert result.exit_code == 1 and "ann@example.org is the last admin" in result.output
    result = with_map("members", "remove", "cy@example.org", "--map", "K")
    assert result.exit_code == 1 and "cy@example.org has no role on map 'K'" in result.output
    with Store(db_path) as store:
        assert store.members()["email"].tolist() == ["ann@example.org"]


def test_cli_writes_are_recorded_as_the_local_user(with_map, db_path):
    assert with_map("engagements", "log", "--map", "K", "--date", "2026-11-24", "--person", "1",
                    "--notes", "Cost case").exit_code == 0
    assert with_map("milestones", "add", "--map", "K", "--target", "50%", "--due", "2027-03-31").exit_code == 0
    assert with_map("erase", "--map", "K", "--id", "21", "--yes").exit_code == 0
    with Store(db_path) as store:
        assert store.engagements("K")["logged_by"].tolist() == [LOCAL_USER]
        log = store.audit_log("K")
    assert log["action"].tolist() == ["import_map", "log_engagement", "add_milestone", "erase_person"]
    assert set(log["actor"]) == {LOCAL_USER}


def test_audit_lists_who_did_what_as_table_json_and_csv(with_map):
    assert with_map("members", "add", "ann@example.org", "--role", "admin").exit_code == 0
    table = with_map("audit")
    assert table.exit_code == 0 and "import_map" in table.output and "add_member" in table.output
    assert "NaN" not in table.output and "None" not in table.output
    rows = json.loads(with_map("audit", "--format", "json").output)["audit"]
    assert [r["action"] for r in rows] == ["import_map", "add_member"]
    assert rows[0]["detail"]["people"] == 21 and rows[1]["actor"] == LOCAL_USER
    only_k = json.loads(with_map("audit", "--map", "K", "--format", "json").output)["audit"]
    assert [r["action"] for r in only_k] == ["import_map"]    # the every-map member row is not K's
    parsed = list(csv_module.DictReader(io.StringIO(with_map("audit", "--format", "csv").output)))
    assert [r["action"] for r in parsed] == ["import_map", "add_member"]
    assert json.loads(parsed[0]["detail"])["ties"] == 312


def test_audit_csv_neutralises_formula_injection(with_map, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("id,name\n1,Ann\n", encoding="utf-8")
    assert with_map("import", str(people), "--map", "=HYPERLINK(\"http://x\")").exit_code == 0
    out = with_map("audit", "--format", "csv").output
    rows = list(csv_module.DictReader(io.StringIO(out)))
    assert rows[-1]["map"] == "'=HYPERLINK(\"http://x\")"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
    members = with_map("members", "list", "--format", "csv").output
    assert members.splitlines()[0] == "email,map,role,added_at,added_by"


def test_the_new_commands_have_help():
    for args in (["members", "--help"], ["members", "add", "--help"], ["members", "remove", "--help"],
                 ["members", "list", "--help"], ["audit", "--help"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0 and "Usage" in result.output, args
