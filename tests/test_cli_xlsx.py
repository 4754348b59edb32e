"""``stakeholder-map import`` of workbooks and ``export --xlsx``."""

from __future__ import annotations


import openpyxl
from click.testing import CliRunner

from stakeholder_map.cli import cli
from stakeholder_map.store import Store
from tests.support import DATA, KRACKHARDT
from tests.test_ingest_xlsx import PEOPLE, book


def run(db_path, *args: str):
    return CliRunner().invoke(cli, [*args, "--db", str(db_path)])


def test_import_one_workbook_with_three_sheets(db_path):
    result = run(db_path, "import", str(DATA / "xlsx" / "messy.xlsx"), "--map", "M")
    assert result.exit_code == 0, result.output
    assert "3 stakeholders, 2 ties" in result.output and "1 engagements" in result.output
    with Store(db_path) as store:
        assert store.people("M")["id"].tolist() == ["007", "12", "C3"]


def test_import_refuses_a_bad_row_naming_the_sheet_and_writes_nothing(db_path, tmp_path):
    path = tmp_path / "people.xlsx"
    path.write_bytes(book(stakeholders=PEOPLE, influences=[["source", "target"], ["007", 12], ["12", "9"]]))
    result = run(db_path, "import", str(path), "--map", "M")
    assert result.exit_code == 2
    assert "people.xlsx, sheet 'influences', row 3, column 'target': unknown stakeholder id '9'" in result.output
    with Store(db_path) as store:
        assert not store.has_map("M")


def test_sheet_option_picks_and_leaves_out(db_path, tmp_path):
    path = tmp_path / "b.xlsx"
    path.write_bytes(book(Alpha=PEOPLE, influences=[["source", "target"], ["007", 12]]))
    refused = run(db_path, "import", str(path), "--map", "M")
    assert refused.exit_code == 2 and "pick the sheet that holds the stakeholders" in refused.output
    done = run(db_path, "import", str(path), "--map", "M", "--sheet", "stakeholders=Alpha", "--sheet", "influences=")
    assert done.exit_code == 0 and "2 stakeholders, 0 ties" in done.output
    assert run(db_path, "import", str(path), "--map", "N", "--sheet", "people").exit_code == 2


def test_old_xls_is_refused_with_exit_2(db_path):
    result = run(db_path, "import", str(DATA / "xlsx" / "people.xls"), "--map", "M")
    assert result.exit_code == 2 and "old-format Excel file (.xls" in result.output and "Traceback" not in result.output


def test_export_xlsx_then_import_gives_the_same_map(db_path, tmp_path):
    run(db_path, "import", str(KRACKHARDT / "stakeholders.csv"), str(KRACKHARDT / "influences.csv"), "--map", "K/1")
    result = run(db_path, "export", "--map", "K/1", "--out", str(tmp_path / "out"), "--xlsx")
    assert result.exit_code == 0, result.output
    written = tmp_path / "out" / "K_1.xlsx"
    assert result.output.strip() == str(written)
    assert openpyxl.load_workbook(written).sheetnames == ["stakeholders", "influences", "engagements"]
    again = run(db_path, "import", str(written), "--map", "K2")
    assert again.exit_code == 0 and "21 stakeholders, 312 ties" in again.output
    with Store(db_path) as store:
        assert store.people("K/1").equals(store.people("K2")) and store.ties("K/1").equals(store.ties("K2"))


def test_export_xlsx_does_not_go_with_pseudonymise(db_path, tmp_path):
    run(db_path, "import", str(KRACKHARDT / "stakeholders.csv"), "--map", "K")
    result = run(db_path, "export", "--map", "K", "--out", str(tmp_path), "--xlsx", "--pseudonymise")
    assert result.exit_code == 2 and "--xlsx" in result.output
