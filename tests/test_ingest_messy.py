"""Messy and hostile files as real spreadsheets write them: read right, or refused with every problem.

Each sample is written as bytes the way Excel (or a colleague's editor) saves
it: Windows-1252 from a Western-European Excel, UTF-16 "Unicode text",
semicolons and decimal commas from continental locales, ``sep=;`` first
lines, empty rows above the header, old-Mac CR line ends, cells with line
breaks, formulas, very long cells, duplicate headers, ids that look like
numbers.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from click.testing import CliRunner
from tests.support import csv

from stakeholder_map import schema as s
from stakeholder_map.cli import cli
from stakeholder_map.errors import ContractError
from stakeholder_map.export import export_map, safe_cell
from stakeholder_map.ingest import MAX_CELL, read_engagements, read_headers, read_map, read_table
from stakeholder_map.store import Store


def refused(*files, **kwargs) -> ContractError:
    with pytest.raises(ContractError) as info:
        read_map(*files, **kwargs)
    return info.value


def where(e: ContractError) -> list[tuple]:
    return [(p.file, p.row, p.column) for p in e.problems]


# A stakeholder list saved by a French or German Excel as "CSV (séparateur: point-virgule)":
# Windows-1252, semicolons, CRLF, decimal commas, a euro sign and typographic quotes.
EXCEL_FR = (
    "Id;Full Name;Department;Role;Influence;Interest;Notes\r\n"
    "007;Zoë Lefèvre;Qualité;Directrice;4,0;5;Budget 2,5 M€ – “prudente”\r\n"
    "008;Jürgen Weiß;Finanzen;Controller;3;2,0;\r\n"
    "009;Ñuño Peña;Ventas;;;;\r\n"
).encode("cp1252")
TIES_FR = "Source;Target;Weight;Kind\r\n007;008;2,5;advice\r\n008;009;0,75;reports_to\r\n".encode("cp1252")


# ------------------------------------------------------------------ encodings

def test_windows_1252_from_excel_is_read_with_a_warning():
    data = read_map(BytesIO(EXCEL_FR), BytesIO(TIES_FR), names=("people.csv", "ties.csv", "e.csv"))
    people = data.people.set_index(s.ID)
    assert list(people[s.NAME]) == ["Zoë Lefèvre", "Jürgen Weiß", "Ñuño Peña"]
    assert people.loc["007", s.NOTES] == "Budget 2,5 M€ – “prudente”"
    assert people.loc["007", s.DEPARTMENT] == "Qualité"
    assert len(data.warnings) == 1 and data.warnings[0].startswith("people.csv: not UTF-8")
    assert "Windows-1252" in data.warnings[0]  # ties.csv is plain ASCII: nothing to say


def test_a_utf8_file_gets_no_encoding_warning():
    data = read_map(BytesIO(EXCEL_FR.decode("cp1252").encode("utf-8")))
    assert data.people[s.NAME].iloc[0] == "Zoë Lefèvre" and data.warnings == []


@pytest.mark.parametrize("byte", [b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"])
def test_bytes_undefined_in_windows_1252_are_refused_with_their_row(byte):
    raw = b"id;name\r\n1;Ann\r\n2;Bo" + byte + b"\r\n"
    e = refused(BytesIO(raw))
    assert [(p.row, p.column) for p in e.problems] == [(3, None)]
    assert "neither UTF-8 nor Windows-1252" in e.problems[0].message


def test_binary_file_is_refused_as_unreadable():
    xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256))
    e = refused(BytesIO(xlsx))
    assert len(e.problems) == 1 and "encoding" in e.problems[0].message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_unicode_text_with_tabs(encoding):
    raw = "id\tname\tdepartment\r\n1\tZoë\tR&D\r\n2\t李雷\t研发\r\n".encode(encoding)
    data = read_map(BytesIO(raw))
    assert list(data.people[s.NAME]) == ["Zoë", "李雷"]
    assert any("UTF-16" in w for w in data.warnings) == (encoding != "utf-16")  # no BOM: said so


def test_engagements_and_small_tables_report_the_encoding_too():
    events = read_engagements(BytesIO("date;person;notes\n2026-01-05;1;Café\n".encode("cp1252")), ["1"])
    assert events[s.NOTES].iloc[0] == "Café" and "Windows-1252" in events.attrs["warnings"][0]
    frame, _ = read_table(BytesIO("name;home\nZoë;IT\n".encode("cp1252")), s.TEAM)
    assert frame[s.NAME].iloc[0] == "Zoë" and frame.attrs["warnings"]
    assert read_headers(BytesIO("Nom complet;Département\n".encode("cp1252"))) == ["Nom complet", "Département"]


# -------------------------------------------------------------- number formats

def test_decimal_commas_in_semicolon_files():
    data = read_map(BytesIO(EXCEL_FR), BytesIO(TIES_FR))
    people = data.people.set_index(s.ID)
    assert (people.loc["007", s.INFLUENCE], people.loc["008", s.INTEREST]) == (4, 2)
    assert data.ties[s.WEIGHT].tolist() == [2.5, 0.75]


def test_decimal_commas_in_tab_files_and_stances():
    data = read_map(csv("id\tname\tstance\n1\tAnn\t-1,0\n2\tBo\t2\n"), csv("from\tto\tweight\n1\t2\t1,5\n"))
    assert data.people[s.STANCE].tolist() == [-1, 2] and data.ties[s.WEIGHT].tolist() == [1.5]


def test_decimal_comma_out_of_range_is_named_as_written():
    e = refused(csv("id;name;influence\n1;Ann;7,5\n"))
    assert where(e) == [("stakeholders.csv", 2, "influence")] and "'7,5'" in e.problems[0].message


def test_a_decimal_comma_in_a_comma_separated_file_is_refused_with_a_hint():
    e = refused(csv('id,name\n1,Ann\n2,Bo\n'), csv('source,target,weight\n1,2,"2,5"\n'))
    assert where(e) == [("influences.csv", 2, "weight")]
    assert "'2,5'" in e.problems[0].message and "point" in e.problems[0].message


@pytest.mark.parametrize("weight", ["1.000,5", "1 000", "2,5,1", "1,000.5"])
def test_thousands_separators_are_not_guessed(weight):
    e = refused(csv("id;name\n1;Ann\n2;Bo\n"), csv(f"source;target;weight\n1;2;{weight}\n"))
    assert where(e) == [("influences.csv", 2, "weight")]


# ------------------------------------------------------------ layout and lines

def test_empty_rows_above_the_header_keep_the_sheets_row_numbers():
    e = refused(csv(";;;\n\nid;name;;\n1;Ann;;\n;;;\n1;Bo;;\n"))
    assert where(e) == [("stakeholders.csv", 6, "id")] and "first at row 4" in e.problems[0].message


def test_excel_sep_line_declares_the_delimiter():
    data = read_map(csv("sep=;\nid;name;notes\n1;Smith, Ann;a, b\n"))
    assert data.people[[s.NAME, s.NOTES]].values.tolist() == [["Smith, Ann", "a, b"]]
    e = refused(csv("sep=;\nid;name\n1;Ann\n1;Bo\n"))
    assert where(e) == [("stakeholders.csv", 3, "id")]  # Excel hides the sep line


def test_old_mac_cr_line_ends():
    data = read_map(BytesIO(b"id,name,department\r1,Ann,IT\r2,Bo,HR\r"), BytesIO(b"source,target\r1,2\r"))
    assert list(data.people[s.NAME]) == ["Ann", "Bo"] and len(data.ties) == 1


def test_cells_with_line_breaks_in_a_crlf_file():
    raw = b'id,name,notes\r\n1,Ann,"Line one\nline two\r\nline three"\r\n2,Bo,\r\n2,Cy,\r\n'
    e = refused(BytesIO(raw))
    assert where(e) == [("stakeholders.csv", 4, "id")]  # rows are records, as in the sheet
    data = read_map(BytesIO(raw.rsplit(b"2,Cy", 1)[0]))
    assert data.people[s.NOTES].iloc[0] == "Line one\nline two\nline three"


def test_trailing_delimiters_everywhere():
    data = read_map(csv("id;name;department;;;\n1;Ann;IT;;;\n2;Bo;;;;\n\n;;;;;\n"),
                    csv("source;target;\n1;2;\n"))
    assert data.people[s.DEPARTMENT].tolist() == ["IT", s.UNASSIGNED] and len(data.ties) == 1


def test_an_unclosed_quote_is_refused_not_swallowing_the_rest():
    e = refused(csv('id,name\n1,"Ann\n2,Bo\n3,Cy\n'))
    assert where(e) == [("stakeholders.csv", 2, None)] and "never closed" in e.problems[0].message


def test_a_last_cell_with_a_line_break_is_fine():
    data = read_map(csv('id,name,notes\n1,Ann,"two\nlines"\n'))
    assert data.people[s.NOTES].iloc[0] == "two\nlines"


def test_non_breaking_spaces_and_tabs_around_values_are_trimmed():
    data = read_map(csv("id;name\n\u00a0007\u00a0;\tAnn \n"), csv("source;target\n007 ;007\n"))
    assert data.people[[s.ID, s.NAME]].values.tolist() == [["007", "Ann"]]


# --------------------------------------------------------------- long cells

def test_cells_up_to_the_cap_are_accepted():
    data = read_map(csv(f"id,name,notes\n1,Ann,{'x' * MAX_CELL}\n"))
    assert len(data.people[s.NOTES].iloc[0]) == MAX_CELL


def test_longer_cells_are_refused_with_row_and_column():
    e = refused(csv(f"id,name,notes\n1,Ann,ok\n2,Bo,{'y' * (MAX_CELL + 1)}\n3,{'z' * 50_000},\n"))
    assert where(e) == [("stakeholders.csv", 3, "notes"), ("stakeholders.csv", 4, "name")]
    assert "10,001 characters" in e.problems[0].message


def test_a_huge_cell_from_an_open_quote_is_refused_quickly():
    e = refused(BytesIO(b'id,name\n1,"Ann\n' + b"2,Bo\n" * 100_000))
    assert where(e) == [("stakeholders.csv", 2, "name")]


# ------------------------------------------------------------------- formulas

FORMULAS = ['=HYPERLINK("http://evil.example","Click")', "+1-2", "@SUM(A1:A9)", "-2+3", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_formulas_are_kept_as_text_and_neutralised_again_on_export(store, formula):
    quoted = '"' + formula.replace('"', '""') + '"'
    data = read_map(csv(f"id,name,notes\n1,{quoted},{quoted}\n2,Bo,\n"))
    assert data.people[s.NAME].iloc[0] == formula == data.people[s.NOTES].iloc[0]
    store.import_map("F", data)
    exported = export_map(store, "F")["stakeholders.csv"].decode()
    assert safe_cell(formula).startswith("'") and f"'{formula.split(',')[0]}" in exported.replace('""', '"')
    again = read_map(BytesIO(exported.encode()))
    assert again.people[s.NAME].iloc[0] == formula


def test_a_formula_in_a_number_column_is_refused():
    e = refused(csv("id,name,influence\n1,Ann,=1+2\n"))
    assert where(e) == [("stakeholders.csv", 2, "influence")]


# --------------------------------------------------------------------- headers

@pytest.mark.parametrize("header,column", [("id,name,Name", "Name"), ("id,name,Full Name", "Full Name"),
                                           ("ID,Id,name", "Id"), ("id;name;Notes;note", "note")])
def test_duplicate_headers_are_refused_naming_the_second(header, column):
    d = ";" if ";" in header else ","
    e = refused(csv(header + "\n" + d.join(["1"] * (header.count(d) + 1)) + "\n"))
    assert where(e) == [("stakeholders.csv", 1, column)] and "duplicate column" in e.problems[0].message


# ------------------------------------------------------------------------ ids

def test_ids_that_look_like_numbers_stay_exactly_as_written():
    data = read_map(csv("id,name\n007,Bond\n7,Seven\n1.0,One\n1e3,Thousand\n00123,Padded\n"),
                    csv("source,target\n007,7\n1e3,00123\n"))
    assert list(data.people[s.ID]) == ["007", "7", "1.0", "1e3", "00123"]
    assert data.ties[[s.SOURCE, s.TARGET]].values.tolist() == [["007", "7"], ["1e3", "00123"]]
    e = refused(csv("id,name\n007,Bond\n"), csv("source,target\n7,007\n"))
    assert where(e) == [("influences.csv", 2, "source")]


# ------------------------------------------------------------------------ CLI

def test_cli_imports_an_excel_file_and_says_which_encoding(tmp_path, db_path):
    (tmp_path / "people.csv").write_bytes(EXCEL_FR)
    (tmp_path / "ties.csv").write_bytes(TIES_FR)
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "people.csv"), str(tmp_path / "ties.csv"),
                                      "--map", "FR", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "3 stakeholders, 2 ties" in result.output and "Windows-1252" in result.output
    with Store(db_path) as store:
        assert store.people("FR")[s.NAME].tolist()[0] == "Zoë Lefèvre"


def test_cli_refuses_a_broken_file_with_exit_2_and_leaves_the_store_alone(tmp_path, db_path):
    (tmp_path / "people.csv").write_bytes(EXCEL_FR)
    runner = CliRunner()
    first = runner.invoke(cli, ["import", str(tmp_path / "people.csv"), "--map", "FR", "--db", str(db_path)])
    assert first.exit_code == 0
    (tmp_path / "bad.csv").write_bytes(b"id;name\r\n1;Ann\x81\r\n2;" + b"x" * (MAX_CELL + 5) + b"\r\n")
    result = runner.invoke(cli, ["import", str(tmp_path / "bad.csv"), "--map", "FR", "--replace", "--db", str(db_path)])
    assert result.exit_code == 2 and "bad.csv, row 2" in result.output and "Traceback" not in result.output
    with Store(db_path) as store:
        assert store.people("FR")[s.NAME].tolist()[0] == "Zoë Lefèvre"


def test_rows_too_long_below_empty_rows_keep_the_sheets_numbers():
    e = refused(BytesIO(b"\r\n;;\r\nid;name\r\n1;Ann;extra\r\n"))
    assert where(e) == [("stakeholders.csv", 4, None)]
