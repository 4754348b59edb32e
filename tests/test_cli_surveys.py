"""``stakeholder-map survey create|links|status|close|apply`` end to end on a DuckDB file."""

from __future__ import annotations

import csv
from datetime import date
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

from click.testing import CliRunner

from stakeholder_map.access import LOCAL_USER
from stakeholder_map.cli import cli
from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store
from stakeholder_map.surveys import Submission


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_create_links_status_close_apply(tmp_path):
    db, out = tmp_path / "s.duckdb", tmp_path / "links.csv"
    with Store(db) as store:
        store.import_map("M", read_map(BytesIO(b"id,name,email,department\na,=Ann,a@x.org,X\nb,Bo,,X\nc,Cy,c@x.org,Y\n"),
                                       BytesIO(b"source,target\na,b\n")))
    result = run("survey", "create", "--db", db, "--map", "M", "--title", "Q1", "--closes", "2030-01-31",
                 "--question", "advice", "--max-picks", "2", "--pulse", "How do you feel about the new tool?")
    assert result.exit_code == 0 and result.output.startswith("Survey 1 created"), result.output
    assert run("survey", "links", "1", "--db", db, "--out", out, "--base-url", "notaurl").exit_code == 1
    assert not out.exists()
    result = run("survey", "links", "1", "--db", db, "--out", out, "--base-url", "https://maps.example.org/")
    assert result.exit_code == 0 and "3 links" in result.output, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["name"] for r in rows] == ["'=Ann", "Bo", "Cy"] and rows[1]["email"] == ""  # formula-safe
    assert all(r["link"].startswith("https://maps.example.org/survey?token=") for r in rows)
    tokens = {r["name"]: parse_qs(urlsplit(r["link"]).query)["token"][0] for r in rows}
    with Store(db) as store:
        store.submit_survey(tokens["Bo"], Submission({0: [("a", 4)]}, 1, True), today=date(2030, 1, 2))
    result = run("survey", "status", "1", "--db", db, "--format", "csv")
    assert result.exit_code == 0 and "X,2,fewer than 5," in result.output, result.output
    assert run("survey", "close", "1", "--db", db).exit_code == 0
    result = run("survey", "apply", "1", "--db", db)
    assert result.exit_code == 0 and "1 ties from 1 respondents" in result.output, result.output
    with Store(db) as store:
        assert store.ties("M", ["advice"]).values.tolist() == [["a", "b", 4.0, "advice"]]
        assert store.stance_history("M").query("source == 'survey'")["stance"].tolist() == [1]
        assert set(store.audit_log("M").query("action.str.contains('survey')")["actor"]) == {
            LOCAL_USER, "survey respondent b"}
    assert run("survey", "status", "9", "--db", db).exit_code == 1
