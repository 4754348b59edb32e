"""``stakeholder-map versions`` and ``stakeholder-map changes``: the same comparison the Map page shows."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner
from tests.test_versions import PEOPLE_1, PEOPLE_2, TIES_1, TIES_2

from stakeholder_map.cli import cli
from stakeholder_map.store import Store


@pytest.fixture
def imported(db_path, tmp_path):
    files = {}
    for name, text in (("p1", PEOPLE_1), ("t1", TIES_1), ("p2", PEOPLE_2), ("t2", TIES_2)):
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_text(text)
    runner = CliRunner()
    first = runner.invoke(cli, ["import", str(files["p1"]), str(files["t1"]), "--map", "M", "--db", str(db_path)])
    second = runner.invoke(cli, ["import", str(files["p2"]), str(files["t2"]), "--map", "M", "--replace",
                                 "--db", str(db_path)])
    assert first.exit_code == 0 and second.exit_code == 0, (first.output, second.output)
    return db_path


def invoke(db_path, *args):
    return CliRunner().invoke(cli, [*args, "--db", str(db_path)])


def test_changes_json_reports_exactly_the_joiner_the_leaver_and_three_stance_moves(imported):
    result = invoke(imported, "changes", "--map", "M", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["map"], data["from_version"], data["to_version"]) == ("M", 1, 2)
    assert data["summary"] == {"joined": 1, "left": 1, "changed_people": 3, "stance_moves": 3,
                               "changed_fields": {"stance": 3}, "ties_added": 1, "ties_removed": 2}
    assert [p["id"] for p in data["joined"]] == ["n"] and data["joined"][0]["seniority"] == 5
    assert [p["name"] for p in data["left"]] == ["Rex Ward"]
    assert [(c["id"], c["before_label"], c["after_label"]) for c in data["changed"]] == [
        ("b", "skeptic", "neutral"), ("c", "neutral", "supporter"), ("d", "skeptic", "neutral")]
    assert "example.org" not in result.output and "REXSECRETNOTE" not in result.output


def test_changes_table_names_people_and_words(imported):
    result = invoke(imported, "changes", "--map", "M")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Version 2" in out and "against version 1" in out and "1 joined, 1 left, 3 changed" in out
    assert "Joined (1):" in out and "Nia Novak" in out and "Left (1):" in out and "Rex Ward" in out
    assert "skeptic" in out and "moved up" in out and "Ties removed (2):" in out


def test_changes_from_to_and_since(imported):
    first = json.loads(invoke(imported, "changes", "--map", "M", "--to", "1", "--format", "json").output)
    assert first["from_version"] is None and first["summary"]["joined"] == 5
    back = json.loads(invoke(imported, "changes", "--map", "M", "--from", "2", "--to", "1",
                             "--format", "json").output)
    assert [p["id"] for p in back["joined"]] == ["r"] and [p["id"] for p in back["left"]] == ["n"]
    with Store(imported) as store:
        store._query("UPDATE map_versions SET imported_at = ? WHERE version = 1",
                     [datetime.now() - timedelta(days=20)])
    since = (date.today() - timedelta(days=10)).isoformat()
    week = json.loads(invoke(imported, "changes", "--map", "M", "--since", since, "--format", "json").output)
    assert (week["from_version"], week["to_version"]) == (1, 2)


def test_changes_refuses_what_is_not_there(imported):
    missing = invoke(imported, "changes", "--map", "M", "--from", "7")
    assert missing.exit_code == 1 and "no version 7" in missing.output
    both = invoke(imported, "changes", "--map", "M", "--from", "1", "--since", "2026-01-01")
    assert both.exit_code != 0 and "not both" in both.output
    assert invoke(imported, "changes", "--map", "Nope").exit_code == 1
    bad = invoke(imported, "changes", "--map", "M", "--since", "yesterday-ish")
    assert bad.exit_code != 0


def test_versions_lists_every_import(imported):
    result = invoke(imported, "versions", "--map", "M", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["map"] == "M"
    assert [(v["version"], v["people"], v["ties"], v["imported_by"]) for v in data["versions"]] == [
        (1, 5, 6, "local user"), (2, 5, 5, "local user")]
    table = invoke(imported, "versions", "--map", "M")
    assert table.exit_code == 0 and "imported_at" in table.output
