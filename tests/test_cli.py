"""The CLI, run in-process with click's runner, against a real DuckDB file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from stakeholder_map.cli import cli
from stakeholder_map.demo import DEMO_MAP
from stakeholder_map.store import Store

from conftest import KRACKHARDT


@pytest.fixture
def run(db_path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [*args, "--db", str(db_path)] if args[0] != "--help" else list(args))

    return invoke


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_krackhardt_gives_21_stakeholders_and_312_ties(run, db_path):
    result = run("import", str(KRACKHARDT / "stakeholders.csv"), str(KRACKHARDT / "influences.csv"), "--map", "K")
    assert result.exit_code == 0, result.output
    assert "21 stakeholders, 312 ties" in result.output
    with Store(db_path) as store:
        assert len(store.people("K")) == 21 and len(store.ties("K")) == 312


def test_unknown_id_on_row_5_is_refused_with_exit_2_and_store_unchanged(run, db_path, tmp_path):
    people = write(tmp_path, "people.csv", "id,name\n1,Ann\n2,Bo\n3,Cy\n")
    ties = write(tmp_path, "ties.csv", "source,target\n1,2\n2,3\n3,1\n1,42\n")
    assert run("import", people, "--map", "Before").exit_code == 0
    before = Store(db_path)
    snapshot = (before.list_maps()[["name", "people", "ties"]].values.tolist(), before.revision)
    before.close()
    result = run("import", people, ties, "--map", "New")
    assert result.exit_code == 2
    assert "ties.csv, row 5, column 'target': unknown stakeholder id '42'" in result.output
    assert "Traceback" not in result.output
    with Store(db_path) as store:
        assert (store.list_maps()[["name", "people", "ties"]].values.tolist(), store.revision) == snapshot


def test_every_problem_is_listed(run, tmp_path):
    people = write(tmp_path, "people.csv", "id,name,influence\n1,Ann,7\n1,Bo,\n")
    result = run("import", people, "--map", "M")
    assert result.exit_code == 2
    assert "row 2, column 'influence'" in result.output and "row 3, column 'id'" in result.output


def test_import_into_existing_map_needs_replace(run, tmp_path):
    people = write(tmp_path, "people.csv", "id,name,stance\n1,Ann,skeptic\n")
    assert run("import", people, "--map", "M").exit_code == 0
    refused = run("import", people, "--map", "M")
    assert refused.exit_code == 2 and "--replace" in refused.output
    changed = write(tmp_path, "people2.csv", "id,name,stance\n1,Ann,supporter\n")
    replaced = run("import", changed, "--map", "M", "--replace")
    assert replaced.exit_code == 0 and "Replaced" in replaced.output and "1 stance changes" in replaced.output


def test_import_prints_warnings(run, tmp_path):
    people = write(tmp_path, "people.csv", "id,name\n1,Ann\n2,Bo\n")
    ties = write(tmp_path, "ties.csv", "source,target\n1,1\n1,2\n")
    result = run("import", people, ties, "--map", "M")
    assert result.exit_code == 0 and "warning: ties.csv: dropped 1 self-loop (row 2)" in result.output


def test_import_with_engagements(run, tmp_path):
    people = write(tmp_path, "people.csv", "id,name\n1,Ann\n")
    events = write(tmp_path, "e.csv", "date,stakeholder_id,stance_after\n2026-10-01,1,supporter\n")
    result = run("import", people, "--engagements", events, "--map", "M")
    assert result.exit_code == 0 and "1 engagements" in result.output


def test_maps_lists_counts_as_json(run):
    run("import", str(KRACKHARDT / "stakeholders.csv"), str(KRACKHARDT / "influences.csv"), "--map", "K")
    result = run("maps", "--format", "json")
    assert result.exit_code == 0
    assert [(m["name"], m["people"], m["ties"]) for m in json.loads(result.output)["maps"]] == [("K", 21, 312)]


def test_export_then_import_gives_the_same_counts(run, tmp_path):
    run("import", str(KRACKHARDT / "stakeholders.csv"), str(KRACKHARDT / "influences.csv"), "--map", "K")
    out = tmp_path / "out"
    assert run("export", "--map", "K", "--out", str(out)).exit_code == 0
    again = run("import", str(out / "stakeholders.csv"), str(out / "influences.csv"),
                "--engagements", str(out / "engagements.csv"), "--map", "K2")
    assert again.exit_code == 0 and "21 stakeholders, 312 ties" in again.output


def test_demo_loads_the_bundled_organisation(run, db_path):
    result = run("demo")
    assert result.exit_code == 0 and "loaded" in result.output
    with Store(db_path) as store:
        assert store.map_names() == [DEMO_MAP] and 150 <= len(store.people(DEMO_MAP)) <= 300
    assert "already there" in run("demo").output


def test_unknown_map_is_a_clear_error(run, tmp_path):
    result = run("export", "--map", "Nope", "--out", str(tmp_path))
    assert result.exit_code == 1 and "no map named 'Nope'" in result.output


def test_every_command_has_help_text():
    for name, command in cli.commands.items():
        assert command.help, f"{name} has no help"
        assert CliRunner().invoke(cli, [name, "--help"]).exit_code == 0


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "stakeholder_map", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "import" in out.stdout
