"""Security: hostile text stays data (SQL, HTML, spreadsheets), and file names cannot choose their folder."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from click.testing import CliRunner
from tests.support import csv

from stakeholder_map import schema as s
from stakeholder_map.cli import cli
from stakeholder_map.errors import UnsafePath
from stakeholder_map.export import (
    EXPORT_FILES,
    export_map,
    path_inside,
    pseudonymised_export,
    safe_filename,
    write_files,
)
from stakeholder_map.ingest import read_map
from stakeholder_map.store import MAP_TABLES, Store
from stakeholder_map.workspace import Workspace

DROP = "x'; DROP TABLE stakeholders; --"
QUOTE = 'Robert"); DELETE FROM ties WHERE (1=1'
HOSTILE = f'''id,name,department,role,stance,notes,Custom'; DROP TABLE maps; --
"{DROP}","{QUOTE.replace('"', '""')}","{DROP}","=HYPERLINK(""http://evil.example"")",skeptic,"<script>alert(1)</script>",1
plain,"Ann",IT,,supporter,"-2+3",'; SELECT 1
'''
HOSTILE_TIES = f'''source,target,weight,kind
"{DROP}",plain,2,"advice'); DROP TABLE ties; --"
plain,"{DROP}",1,
'''
HOSTILE_EVENTS = f'''date,stakeholder_id,activity,stance_after,notes
2026-01-05,"{DROP}","1:1'; --",neutral,"'); DROP TABLE engagements; --"
'''


def tables_intact(store: Store) -> None:
    names = {r[0] for r in store._query("SELECT table_name FROM information_schema.tables")}
    assert {"meta", "maps", *MAP_TABLES} <= names


# ------------------------------------------------------------------------- SQL

def test_sql_in_every_field_is_just_text(store):
    name = "Map'; DROP TABLE maps; --"
    report = store.import_map(name, read_map(csv(HOSTILE), csv(HOSTILE_TIES), csv(HOSTILE_EVENTS)),
                              today=date(2026, 1, 1))
    assert (report.people, report.ties, report.engagements) == (2, 2, 1)
    tables_intact(store)
    people = store.people(name).set_index(s.ID)
    assert people.loc[DROP, s.NAME] == QUOTE and people.loc[DROP, s.DEPARTMENT] == DROP
    assert people.loc["plain", s.ATTRIBUTES] == {"Custom'; DROP TABLE maps; --": "'; SELECT 1"}
    assert store.custom_columns(name) == ["Custom'; DROP TABLE maps; --"]
    assert store.ties(name, kinds=["advice'); DROP TABLE ties; --"]).shape[0] == 1
    assert store.tie_kinds(name) == ["advice'); DROP TABLE ties; --"]
    assert store.stance_history(name, DROP)["stance"].tolist() == [-1, 0]
    eid = store.log_engagement(name, when=date(2026, 2, 1), stakeholder_id=DROP, activity=DROP, notes=QUOTE)
    store.edit_engagement(name, eid, when=date(2026, 2, 2), stakeholder_id=DROP, activity=QUOTE, notes=DROP)
    store.add_milestone(name, due=date(2026, 6, 1), target=0.5, department=DROP, label=QUOTE)
    assert store.milestones(name)["department"].tolist() == [DROP]
    G = Workspace(store, name).graph()
    assert G.nodes[DROP][s.NAME] == QUOTE and G.has_edge(DROP, "plain")
    store.rename_map(name, DROP)
    assert store.map_names() == [DROP]
    report = store.erase_person(DROP, DROP)
    assert (report.people, report.ties, report.engagements) == (1, 2, 2)
    tables_intact(store)
    assert store.people(DROP)[s.ID].tolist() == ["plain"]


def test_hostile_map_exports_and_reimports_unharmed(store):
    store.import_map(DROP, read_map(csv(HOSTILE), csv(HOSTILE_TIES), csv(HOSTILE_EVENTS)))
    files = export_map(store, DROP)
    text = files["stakeholders.csv"].decode()
    assert "'=HYPERLINK" in text and "\n=" not in text and ",=" not in text  # formula neutralised
    assert ",'-2+3," in text  # "-2+3" is not a number: quoted too
    again = read_map(*(BytesIO(files[f]) for f in EXPORT_FILES))
    store.import_map(QUOTE, again)
    assert store.people(DROP).equals(store.people(QUOTE)) and store.ties(DROP).equals(store.ties(QUOTE))
    shared = pseudonymised_export(store, DROP, salt="a long salt here")
    assert DROP not in "".join(b.decode() for b in shared.values())
    tables_intact(store)


def test_negative_numbers_stay_numbers_in_exports(store):
    store.import_map("N", read_map(csv("id,name,stance\n-1,-2,-2\n"), csv("source,target\n")))
    line = export_map(store, "N")["stakeholders.csv"].decode().splitlines()[1]
    assert line.startswith("-1,-2,") and ",resistant," in line


# ------------------------------------------------------------------ file names

@pytest.mark.parametrize("name,expected", [
    ("PM rollout", "PM rollout"),
    ("../../etc/passwd", "etc_passwd"),
    ("..", "export"),
    ("", "export"),
    (None, "export"),
    ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"),
    ("x\x00y\nz\r\t", "x_y_z"),
    (".hidden", "hidden"),
    ("evil\u202etxt.exe", "evil_txt.exe"),  # right-to-left override
    ("Zoë's map — 2026", "Zoë's map — 2026"),
    ("nul", "_nul"),
    ("LPT1.txt", "_LPT1.txt"),
    ("a....b", "a.b"),
])
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_is_bounded_and_keeps_its_suffix():
    long = safe_filename("é" * 1000, suffix=".stakeholders.csv")
    assert len(long) == 120 and long.endswith(".stakeholders.csv")
    for hostile in ("../" * 50, "/" * 300, "." * 300, DROP):
        clean = safe_filename(hostile, suffix=".csv")
        assert "/" not in clean and "\\" not in clean and ".." not in clean and not clean.startswith(".")


def test_files_land_only_inside_their_folder(tmp_path):
    out = tmp_path / "out"
    written = write_files({"../../escape.csv": b"a", "/etc/owned": b"b", "ok.csv": b"c"}, out)
    assert [p.parent for p in written] == [out] * 3
    assert sorted(p.name for p in out.iterdir()) == ["escape.csv", "etc_owned", "ok.csv"]
    assert not (tmp_path / "escape.csv").exists()


def test_no_writing_through_a_symbolic_link(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "stakeholders.csv").symlink_to(target)
    with pytest.raises(UnsafePath, match="symbolic link"):
        path_inside(out, "stakeholders.csv")
    with pytest.raises(UnsafePath):
        write_files({"stakeholders.csv": b"x"}, out)
    assert target.read_text() == "keep me"


def test_cli_export_refuses_a_planted_link_and_leaves_no_partial_files(tmp_path, db_path):
    runner = CliRunner()
    people = tmp_path / "people.csv"
    people.write_text("id,name\n1,Ann\n")
    assert runner.invoke(cli, ["import", str(people), "--map", "M", "--db", str(db_path)]).exit_code == 0
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "influences.csv").symlink_to(target)
    result = runner.invoke(cli, ["export", "--map", "M", "--out", str(out), "--db", str(db_path)])
    assert result.exit_code == 1 and "symbolic link" in result.output and "Traceback" not in result.output
    assert target.read_text() == "keep me"
    assert not [p for p in out.iterdir() if p.name.endswith(".partial")]


def test_cli_brief_on_a_hostile_department_is_escaped(tmp_path, db_path):
    runner = CliRunner()
    evil = "<script>alert(1)</script>"
    (tmp_path / "p.csv").write_text(f'id,name,department\n1,"{evil}","{evil}"\n2,Bo,"{evil}"\n3,Cy,Ops\n')
    (tmp_path / "t.csv").write_text("source,target\n1,2\n2,3\n3,1\n")
    assert runner.invoke(cli, ["import", str(tmp_path / "p.csv"), str(tmp_path / "t.csv"), "--map", evil,
                               "--db", str(db_path)]).exit_code == 0
    out = tmp_path / "brief.html"
    result = runner.invoke(cli, ["brief", "--map", evil, "--department", evil, "--out", str(out),
                                 "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page



def test_cli_tables_do_not_pass_terminal_escapes_through(tmp_path, db_path):
    runner = CliRunner()
    (tmp_path / "p.csv").write_bytes(b'id,name\n1,"Ann\x1b[2J\x1b]0;owned\x07"\n2,"Bo\xe2\x80\xae"\n')
    assert runner.invoke(cli, ["import", str(tmp_path / "p.csv"), "--map", "M", "--db", str(db_path)]).exit_code == 0
    table = runner.invoke(cli, ["engagements", "list", "--map", "M", "--db", str(db_path)])
    assert table.exit_code == 0
    analysed = runner.invoke(cli, ["analyze", "--map", "M", "--db", str(db_path)])
    assert analysed.exit_code == 0, analysed.output
    assert "\x1b" not in analysed.output and "\u202e" not in analysed.output
    assert "Ann?[2J?]0;owned?" in analysed.output
    as_json = runner.invoke(cli, ["analyze", "--map", "M", "--format", "json", "--db", str(db_path)])
    assert "\x1b" not in as_json.output and "\\u001b" in as_json.output
