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

from tests.support import KRACKHARDT


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


# ------------------------------------------------------------ analysis commands

@pytest.fixture
def krackhardt_db(run):
    assert run("import", str(KRACKHARDT / "stakeholders.csv"), str(KRACKHARDT / "influences.csv"),
               "--map", "K").exit_code == 0
    return run


def test_analyze_json_on_krackhardt_advice(krackhardt_db):
    result = krackhardt_db("analyze", "--map", "K", "--kind", "advice", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    people = {p["id"]: p for p in payload["stakeholders"]}
    assert len(people) == 21 and people["2"]["out_degree"] == 18
    for key in ("id", "name", "department", "in_degree", "out_degree", "pagerank", "betweenness",
                "constraint", "community", "quadrant", "roles"):
        assert key in people["2"]
    assert "betweenness" in payload["methods"]


def test_analyze_json_on_krackhardt_without_scores_says_unscored_for_everyone(krackhardt_db):
    result = krackhardt_db("analyze", "--map", "K", "--format", "json")
    assert result.exit_code == 0, result.output
    people = json.loads(result.output)["stakeholders"]
    assert len(people) == 21 and {p["quadrant"] for p in people} == {"unscored"}


def test_champions_default_k_is_scaled_to_the_map(krackhardt_db):
    result = krackhardt_db("champions", "--map", "K", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["k"] == 3  # 21 people: one per ten, started
    assert "scaled to the map" in " ".join(krackhardt_db("champions", "--help").output.split())


def test_champions_json_is_seeded_and_complete(krackhardt_db):
    args = ("champions", "--map", "K", "-k", "3", "--model", "wc", "--seed", "7", "--format", "json")
    first, second = krackhardt_db(*args), krackhardt_db(*args)
    assert first.exit_code == 0, first.output
    payload = json.loads(first.output)
    assert payload == json.loads(second.output)
    assert (payload["model"], payload["k"], payload["seed"]) == ("wc", 3, 7)
    assert len(payload["champions"]) == 3 and payload["expected_spread"] >= 3
    assert {"id", "name", "department", "stance", "gain"} <= set(payload["champions"][0])
    assert set(payload["baselines"]) == {"top_influence", "top_degree"}


def test_champions_prints_the_table_the_champions_page_shows(krackhardt_db):
    """The CLI's champions table is the page's (same function, same columns, same rounding)."""
    from stakeholder_map.analysis.champions import select_champions
    from stakeholder_map.graph import build_graph
    from stakeholder_map.ingest import read_map
    from stakeholder_map.presentation.analysis_tables import champion_table

    result = krackhardt_db("champions", "--map", "K", "-k", "3", "--model", "wc", "--seed", "7", "--format", "csv")
    assert result.exit_code == 0, result.output
    with open(KRACKHARDT / "stakeholders.csv", "rb") as people, open(KRACKHARDT / "influences.csv", "rb") as ties:
        data = read_map(people, ties)
    page = champion_table(select_champions(build_graph(data.people, data.ties), 3, model="wc", seed=7))
    assert result.output == page.to_csv(index=False)
    assert result.output.splitlines()[0] == ("rank,name,department,stance,gain,cumulative,reach,"
                                             "departments reached,reason,id")
    assert len(result.output.splitlines()) == 4


def test_champions_respects_exclude_and_pin(krackhardt_db):
    result = krackhardt_db("champions", "--map", "K", "-k", "2", "--pin", "5", "--exclude", "2",
                           "--format", "json")
    ids = [c["id"] for c in json.loads(result.output)["champions"]]
    assert "5" in ids and "2" not in ids


def test_champions_unknown_pin_is_a_clear_error(krackhardt_db):
    result = krackhardt_db("champions", "--map", "K", "-k", "2", "--pin", "nobody")
    assert result.exit_code == 1 and "nobody" in result.output and "Traceback" not in result.output


def test_simulate_and_pilot_and_departments(krackhardt_db):
    sim = krackhardt_db("simulate", "--map", "K", "--seeds", "2,7", "--steps", "3", "--runs", "200",
                        "--format", "json")
    assert sim.exit_code == 0, sim.output
    payload = json.loads(sim.output)
    assert payload["total"]["mean"] >= 2 and {c["step"] for c in payload["curves"]} == {0, 1, 2, 3}
    pilot = krackhardt_db("pilot", "--map", "K", "--target-share", "0.5", "--format", "json")
    assert pilot.exit_code == 0, pilot.output
    assert json.loads(pilot.output)["pilot"]["ids"]
    departments = krackhardt_db("departments", "--map", "K", "--format", "json")
    assert departments.exit_code == 0, departments.output
    assert {d["department"] for d in json.loads(departments.output)["departments"]} == {
        "Dept 0", "Dept 1", "Dept 2", "Dept 3", "Dept 4"}


def test_what_if_needs_id_equals_stance(krackhardt_db):
    result = krackhardt_db("simulate", "--map", "K", "--seeds", "2", "--what-if", "7")
    assert result.exit_code == 2 and "ID=STANCE" in result.output


def test_analysis_without_map_uses_the_demo(run):
    result = run("champions", "-k", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["champions"]) == 2


def test_receptiveness_factors_change_the_stance_model(run):
    base = json.loads(run("champions", "-k", "3", "--format", "json").output)["expected_spread"]
    eager = run("champions", "-k", "3", "--format", "json", "--receptiveness",
                "resistant=1,skeptic=1,neutral=1,unknown=1")
    assert eager.exit_code == 0, eager.output
    assert json.loads(eager.output)["expected_spread"] > base
    bad = run("champions", "-k", "3", "--receptiveness", "skeptic=2")
    assert bad.exit_code == 2 and "between 0 and 1" in bad.output
