"""Workbooks in: the same checks as CSV files, sheets found by name, bad workbooks refused before parsing."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from stakeholder_map import ingest_xlsx as x
from stakeholder_map.errors import ContractError
from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store
from tests.support import DATA, csv

FIXTURES = DATA / "xlsx"
ROOT = Path(__file__).resolve().parents[1]


def book(**sheets) -> bytes:
    """A workbook with the given sheets (name → rows); a name starting with ``hidden_`` makes a hidden sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name.removeprefix("hidden_"))
        if name.startswith("hidden_"):
            sheet.sheet_state = "hidden"
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def refusal(files, sheets=None) -> list[str]:
    with pytest.raises(ContractError) as caught:
        x.read_sources(files, sheets)
    return [str(p) for p in caught.value.problems]


PEOPLE = [["id", "name", "stance"], ["007", "Ann", "supporter"], [12, "Bo", None]]


# ------------------------------------------------------------ LibreOffice fixtures


def test_libreoffice_workbook_reads_as_its_cells_mean():
    data = x.read_sources({"stakeholders": ("messy.xlsx", (FIXTURES / "messy.xlsx").read_bytes())})
    people = data.people.set_index("id")
    # Text "007" stays; the number 12 is "12"; the title banner (merged A1:E1) and blank row 2 are skipped.
    assert people.index.tolist() == ["007", "12", "C3"]
    assert people.loc["007", "influence"] == 4                        # the formula's cached value
    assert people.loc["007", "attributes"] == {"Joined": "2024-03-01"}  # a date cell reads as an ISO date
    assert data.ties[["source", "target", "weight"]].values.tolist() == [["007", "12", 2.5], ["12", "C3", 1.0]]
    assert data.engagements["date"].tolist() == [date(2026, 10, 1)]
    assert data.engagements["activity"].tolist() == ['=HYPERLINK("http://x")']   # text, as typed
    assert data.warnings == []


def test_libreoffice_workbook_keeps_hidden_sheets_out():
    workbook = x.open_workbook((FIXTURES / "messy.xlsx").read_bytes(), "messy.xlsx")
    assert workbook.sheets == ["Stakeholders", "influences", "Engagements"]
    assert workbook.hidden == ["old list"]


def test_problem_names_the_workbook_sheet_row_and_column():
    raw = book(stakeholders=PEOPLE, influences=[["source", "target"], ["007", 12], [None, None], ["12", "9"]])
    assert refusal({"stakeholders": ("people.xlsx", raw)}) == [
        "people.xlsx, sheet 'influences', row 4, column 'target': unknown stakeholder id '9'"]


def test_the_same_content_gets_the_same_problems_as_csv():
    people = [["ID", "Name", "Influence"], ["1", "Ann", "7"], ["1", "Bo", "x"], ["", "Cy", ""]]
    ties = [["from", "to", "weight"], ["1", "2", "-1"]]
    as_csv = "\n".join(",".join(r) for r in people) + "\n"
    ties_csv = "\n".join(",".join(r) for r in ties) + "\n"
    with pytest.raises(ContractError) as from_csv:
        read_map(csv(as_csv), csv(ties_csv), names=("S", "I", "E"))
    raw = book(Stakeholders=people, Influences=ties)
    with pytest.raises(ContractError) as from_xlsx:
        x.read_sources({"stakeholders": ("b.xlsx", raw)})
    rename = {"b.xlsx, sheet 'Stakeholders'": "S", "b.xlsx, sheet 'Influences'": "I"}
    assert [(rename[p.file], p.row, p.column, p.message) for p in from_xlsx.value.problems] == \
        [(p.file, p.row, p.column, p.message) for p in from_csv.value.problems]
    assert from_xlsx.value.total == from_csv.value.total


def test_numbers_dates_booleans_and_whole_floats_read_as_text_cells_would():
    raw = book(stakeholders=[["id", "name", "since", "flag", "ratio"],
                             [12, "Ann", datetime(2026, 3, 4, 9, 30), True, 2.5],
                             [12.0 + 1, "Bo", datetime(2026, 3, 5), False, 1e20],
                             ["0012", "Cy", date(2026, 3, 6), None, None]])
    people = x.read_sources({"stakeholders": ("b.xlsx", raw)}).people
    assert people["id"].tolist() == ["12", "13", "0012"]
    assert [a["since"] for a in people["attributes"]] == ["2026-03-04 09:30", "2026-03-05", "2026-03-06"]
    assert [a["flag"] for a in people["attributes"]] == ["TRUE", "FALSE", ""]
    assert [a["ratio"] for a in people["attributes"]] == ["2.5", "1e+20", ""]


def test_engagement_dates_as_date_cells_and_datetimes():
    raw = book(stakeholders=PEOPLE, engagements=[["date", "stakeholder_id"], [date(2026, 1, 2), "007"],
                                                  [datetime(2026, 1, 3, 14, 0), 12]])
    events = x.read_sources({"stakeholders": ("b.xlsx", raw)}).engagements
    assert events["date"].tolist() == [date(2026, 1, 2), date(2026, 1, 3)]
    assert events["stakeholder_id"].tolist() == ["007", "12"]


def test_a_workbook_in_place_of_one_csv_file():
    ties = book(Sheet1=[["source", "target"], ["007", 12]])
    data = x.read_sources({"stakeholders": ("people.csv", b"id,name\n007,Ann\n12,Bo\n"),
                           "influences": ("ties.xlsx", ties)})
    assert data.ties[["source", "target"]].values.tolist() == [["007", "12"]]


def test_sheet_names_decide_and_a_pick_overrides_them():
    raw = book(People=PEOPLE, Ties=[["source", "target"], ["007", 12]], Other=[["source", "target"], [12, "007"]])
    sources = x.open_sources({"stakeholders": ("b.xlsx", raw)})
    assert sources.picks == {"stakeholders": ("b.xlsx", "People"), "influences": ("b.xlsx", "Ties")}
    data = x.read_sources({"stakeholders": ("b.xlsx", raw)}, {"influences": "Other"})
    assert data.ties[["source", "target"]].values.tolist() == [["12", "007"]]
    left_out = x.read_sources({"stakeholders": ("b.xlsx", raw)}, {"influences": ""})
    assert left_out.ties.empty


def test_several_sheets_none_named_asks_for_a_pick():
    raw = book(Alpha=PEOPLE, Beta=PEOPLE)
    assert refusal({"stakeholders": ("b.xlsx", raw)}) == [
        "b.xlsx: the workbook has sheets 'Alpha', 'Beta' and none is named 'stakeholders': pick the sheet that "
        "holds the stakeholders"]
    assert len(x.read_sources({"stakeholders": ("b.xlsx", raw)}, {"stakeholders": "Beta"}).people) == 2
    assert "no visible sheet 'Gamma'" in refusal({"stakeholders": ("b.xlsx", raw)}, {"stakeholders": "Gamma"})[0]


def test_hidden_sheets_are_not_matched_or_offered():
    raw = book(Stakeholders=PEOPLE, hidden_influences=[["source", "target"], ["007", "nobody"]])
    data = x.read_sources({"stakeholders": ("b.xlsx", raw)})
    assert data.ties.empty
    assert "hidden" not in refusal({"stakeholders": ("b.xlsx", raw)}, {"influences": "influences"})[0]


def test_empty_rows_above_and_below_and_spaces_are_not_rows():
    raw = book(stakeholders=[[None], [None, None], ["id", "name"], ["1", " Ann "], [None, None], ["2", "Bo"],
                             [" ", None], [None, None]])
    grid = x.open_workbook(raw, "b.xlsx").grid("stakeholders")
    assert grid.rows[0] == 3
    with pytest.raises(ContractError) as caught:
        x.read_sources({"stakeholders": ("b.xlsx", raw),
                        "influences": ("t.csv", b"source,target\n1,3\n")})
    assert str(caught.value.problems[0]) == "t.csv, row 2, column 'target': unknown stakeholder id '3'"
    assert x.read_sources({"stakeholders": ("b.xlsx", raw)}).people["name"].tolist() == ["Ann", "Bo"]


def _merged_book(header_merge: bool) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "stakeholders"
    ws["A1"] = "Stakeholders of the rollout"
    ws.merge_cells("A1:C1")
    ws.append(["id", "name", "department"])
    ws.append(["1", "Ann", "IT"])
    ws.append(["2", "Bo", None])
    ws.append(["3", "Cy", "HR"])
    ws.merge_cells("C3:C4")
    if header_merge:
        ws["D2"] = "contact"
        ws.merge_cells("D2:E2")
        ws["E3"] = "ann@example.org"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_merged_title_is_skipped_and_merged_body_cells_fill_their_range():
    data = x.read_sources({"stakeholders": ("m.xlsx", _merged_book(False))})
    assert data.people["department"].tolist() == ["IT", "IT", "HR"]
    assert data.warnings == ["m.xlsx, sheet 'stakeholders': merged cells C3:C4 read as each holding 'IT'"]


def test_header_merged_over_a_column_with_values_is_a_problem():
    assert refusal({"stakeholders": ("m.xlsx", _merged_book(True))}) == [
        "m.xlsx, sheet 'stakeholders', row 2, column 'E': this column has values but its header cell is merged "
        "with 'contact''s; unmerge the header and name each column"]


def test_a_cell_showing_a_spreadsheet_error_is_a_problem():
    raw = book(stakeholders=[["id", "name", "influence"], ["1", "Ann", "#DIV/0!"], ["2", "#N/A", 3]])
    assert refusal({"stakeholders": ("e.xlsx", raw)}) == [
        "e.xlsx, sheet 'stakeholders', row 2, column 'influence': the cell shows the spreadsheet error #DIV/0! "
        "(its formula fails); fix it or type the value",
        "e.xlsx, sheet 'stakeholders', row 3, column 'name': the cell shows the spreadsheet error #N/A (its "
        "formula fails); fix it or type the value"]


def test_an_over_long_cell_is_refused_as_in_csv():
    raw = book(stakeholders=[["id", "name"], ["1", "x" * 10_001]])
    assert refusal({"stakeholders": ("l.xlsx", raw)})[0].startswith(
        "l.xlsx, sheet 'stakeholders', row 2, column 'name': the cell holds 10,001 characters")


# ------------------------------------------------------------------ bad workbooks


def test_old_xls_is_refused_by_its_magic_bytes():
    assert refusal({"stakeholders": ("people.xls", (FIXTURES / "people.xls").read_bytes())}) == [
        "people.xls: this is an old-format Excel file (.xls, Excel 97-2003), which is not read; open it and "
        "save it as an Excel Workbook (.xlsx) or as CSV UTF-8"]


def test_password_protected_workbook_is_told_apart_from_xls():
    problems = refusal({"stakeholders": ("secret.xlsx", (FIXTURES / "password.xlsx").read_bytes())})
    assert problems[0].startswith("secret.xlsx: the workbook is password-protected (encrypted)")


def test_xls_named_xlsx_and_xlsx_named_csv_are_read_by_what_they_are():
    as_csv = x.read_sources({"stakeholders": ("people.csv", book(stakeholders=PEOPLE))})
    assert as_csv.people["id"].tolist() == ["007", "12"]
    assert "old-format" in refusal({"stakeholders": ("p.xlsx", (FIXTURES / "people.xls").read_bytes())})[0]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "no workbook part", "ods"])
def test_damaged_or_foreign_files_are_refused_naming_the_file(damage):
    good = book(stakeholders=PEOPLE)
    if damage == "truncated":
        raw = good[: len(good) // 2]
    elif damage == "garbage":
        raw = b"PK\x03\x04" + bytes(range(256)) * 4
    elif damage == "empty":
        raw = b""
    else:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            if damage == "ods":
                z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            z.writestr("content.xml", "<x/>")
        raw = out.getvalue()
    problems = refusal({"stakeholders": ("broken.xlsx", raw)})
    assert len(problems) == 1 and problems[0].startswith("broken.xlsx: ")
    expected = {"truncated": "damaged", "garbage": "damaged", "empty": "empty", "no workbook part":
                "not an Excel workbook", "ods": "OpenDocument"}[damage]
    assert expected in problems[0]


def _bomb(size: int, *, lie: bool = False) -> bytes:
    """A workbook with an extra part of ``size`` zero bytes (deflated: about 1000 to 1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zipfile.ZipFile(io.BytesIO(book(stakeholders=PEOPLE))).infolist():
            z.writestr(info, zipfile.ZipFile(io.BytesIO(book(stakeholders=PEOPLE))).read(info))
        z.writestr("xl/media/padding.bin", b"\0" * size)
    raw = out.getvalue()
    if lie:   # declare 1 KB in both headers: a reader trusting them inflates far more than it was told
        raw = raw.replace(size.to_bytes(4, "little"), (1024).to_bytes(4, "little"))
    return raw


def test_workbook_bomb_is_refused_before_inflating():
    raw = _bomb(x.MAX_EXPANDED + 1)
    assert len(raw) < x.MAX_EXPANDED // 500
    started = time.perf_counter()
    problems = refusal({"stakeholders": ("bomb.xlsx", raw)})
    assert time.perf_counter() - started < 1.0                    # nothing was inflated
    assert problems[0].startswith("bomb.xlsx: the workbook expands to 201 MB, more than the 200 MB read")


def test_part_compressed_beyond_any_real_sheet_is_refused():
    assert "more than 200:1" in refusal({"stakeholders": ("bomb.xlsx", _bomb(20 << 20))})[0]


def test_part_lying_about_its_size_is_refused_as_damaged():
    problems = refusal({"stakeholders": ("liar.xlsx", _bomb(5 << 20, lie=True))})
    assert problems[0].startswith("liar.xlsx: the workbook is damaged")


def test_a_sheet_spanning_too_many_cells_is_refused_before_a_reader_lays_it_out():
    raw = book(stakeholders=PEOPLE)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        source = zipfile.ZipFile(io.BytesIO(raw))
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x'
                                                     b'</t></is></c></row></sheetData>')
            z.writestr(info, data)
    problems = refusal({"stakeholders": ("wide.xlsx", out.getvalue())})
    assert problems == ["wide.xlsx, sheet 'stakeholders': the sheet's cells span 1,048,576 rows × 16,384 columns "
                        "(to cell XFD1048576), more than the 5,000,000 cells read; delete the rows and columns below "
                        "and right of the table"]


def _with_rows(raw: bytes, rows: int) -> bytes:
    """The workbook with ``rows`` empty formatted rows after its data, as Excel writes them."""
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(raw))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                start = len(PEOPLE) + 1
                empty = "".join(f'<row r="{r}" spans="1:3" s="1" customFormat="1"><c r="A{r}" s="1"/>'
                                f'<c r="B{r}" s="1"/><c r="C{r}" s="1"/></row>' for r in range(start, rows + 1))
                data = data.replace(b"</sheetData>", empty.encode() + b"</sheetData>")
            z.writestr(info, data)
    return out.getvalue()


def test_a_million_empty_formatted_rows_read_as_no_rows():
    raw = _with_rows(book(stakeholders=PEOPLE), 1_048_576)
    assert len(raw) < x.MAX_UPLOAD_MB << 20
    started = time.perf_counter()
    data = x.read_sources({"stakeholders": ("formatted.xlsx", raw)})
    elapsed = time.perf_counter() - started
    assert data.people["id"].tolist() == ["007", "12"]
    assert elapsed < 30, f"{elapsed:.1f} s"


def test_macros_are_never_run_and_the_user_is_told(tmp_path):
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(book(stakeholders=PEOPLE)))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info, source.read(info))
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Sub Workbook_Open(): Shell \"calc\": End Sub")
    data = x.read_sources({"stakeholders": ("macro.xlsm", out.getvalue())})
    assert data.people["id"].tolist() == ["007", "12"]
    assert data.warnings == ["macro.xlsm: the workbook holds macros; they were not run (only the values as last "
                             "saved were read)"]


def test_nothing_is_written_when_a_workbook_is_refused(db_path):
    raw = book(stakeholders=PEOPLE, influences=[["source", "target"], ["007", "nobody"]])
    with Store(db_path) as store:
        with pytest.raises(ContractError):
            store.import_map("M", x.read_sources({"stakeholders": ("b.xlsx", raw)}))
        assert not store.has_map("M")


def test_upload_limit_is_the_dashboards():
    config = (ROOT / ".streamlit" / "config.toml").read_text()      # (tomllib is Python 3.11+; we run on 3.10)
    assert re.findall(r"(?m)^maxUploadSize\s*=\s*(\d+)", config) == [str(x.MAX_UPLOAD_MB)]


def test_fixture_readme_says_how_each_fixture_was_made():
    readme = (FIXTURES / "README.md").read_text()
    for fixture in FIXTURES.glob("*.xls*"):
        assert re.search(rf"`{re.escape(fixture.name)}`", readme), fixture.name


# ------------------------------------------------------------------ fuzz

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_GOOD = book(stakeholders=PEOPLE, influences=[["source", "target"], ["007", 12]])


def _stored(raw: bytes) -> bytes:
    """The same workbook with its parts stored, not deflated: damage then hits the XML itself."""
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(raw))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for info in source.infolist():
            z.writestr(info.filename, source.read(info), compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


_PLAIN = _stored(_GOOD)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([_GOOD, _PLAIN]),
       st.lists(st.tuples(st.integers(0, len(_PLAIN) - 1), st.integers(0, 255)), min_size=1, max_size=6))
def test_damaged_workbooks_give_contract_errors_only(raw, flips):
    damaged = bytearray(raw)
    for at, value in flips:
        damaged[at % len(damaged)] = value
    try:
        x.read_sources({"stakeholders": ("fuzz.xlsx", bytes(damaged))})
    except ContractError as e:
        assert all(p.file.startswith("fuzz.xlsx") for p in e.problems)


_PARTS = {i.filename: zipfile.ZipFile(io.BytesIO(_GOOD)).read(i) for i in zipfile.ZipFile(io.BytesIO(_GOOD)).infolist()}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(n for n in _PARTS if n.endswith(".xml") or n.endswith(".rels"))),
       st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(list(b'<>/"=&x0 AZ:e1;')) | st.integers(0, 255)),
                min_size=1, max_size=8))
def test_workbooks_with_damaged_xml_give_contract_errors_only(part, flips):
    xml = bytearray(_PARTS[part])
    for at, value in flips:
        xml[at % len(xml)] = value
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in _PARTS.items():
            z.writestr(name, bytes(xml) if name == part else data)
    try:
        x.read_sources({"stakeholders": ("fuzz.xlsx", out.getvalue())})
    except ContractError as e:
        assert all(p.file.startswith("fuzz.xlsx") for p in e.problems)
