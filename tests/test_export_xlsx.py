"""Workbook out: typed sheets, no formula anywhere, and importing it gives the same map."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.support import csv
from tests.test_export import organisation_map, organisations, same_map, to_csv

from stakeholder_map import schema as s
from stakeholder_map.export_xlsx import export_workbook, workbook_bytes
from stakeholder_map.ingest import read_map
from stakeholder_map.ingest_xlsx import read_sources
from stakeholder_map.store import Store

#: Text a spreadsheet would run, text that looks like a number or date, and what XML cannot hold.
TRICKY = ["=cmd|' /C calc'!A0", "=1+1", "+1", "-x", "@SUM(A1)", "'=x", "007", "12", "1e5", "TRUE",
          "2026-01-01", "_x0041_", "a_x005F_b", "a\x01b", "<b>&amp;", "é中"]


def reimport_xlsx(store: Store, name: str, as_name: str) -> bytes:
    raw = export_workbook(store, name)
    store.import_map(as_name, read_sources({"stakeholders": (f"{name}.xlsx", raw)}))
    return raw


def sheets_xml(raw: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(raw))
    return {n: archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")}


def tricky_map(store: Store) -> None:
    people = to_csv(["id", "name", "department", "role", "seniority", "stance", "influence", "interest", "Badge"],
                    [[str(i), t, "IT", t, str(i % 5 + 1), "supporter", "3", "", t] for i, t in enumerate(TRICKY)])
    ties = csv("source,target,weight,kind\n0,1,2.5,'=advice\n1,2,1e-3,\n")
    events = csv("date,stakeholder_id,activity,stance_after,notes\n2026-10-01,0,'=HYPERLINK(\"x\"),champion,'-1\n")
    store.import_map("tricky", read_map(people, ties, events))


def test_workbook_has_three_typed_sheets_and_a_frozen_header(store):
    tricky_map(store)
    raw = export_workbook(store, "tricky")
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    assert wb.sheetnames == ["stakeholders", "influences", "engagements"]
    people, ties, events = (wb[n] for n in wb.sheetnames)
    for sheet in (people, ties, events):
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.b
    assert [c.value for c in people[1]][:9] == ["id", "name", "department", "role", "seniority", "stance",
                                                "influence", "interest", "email"]
    assert people["A2"].data_type == "s" and people["A2"].value == "0"           # ids are text
    assert people["E2"].data_type == "n" and people["E2"].value == 1             # numbers are numbers
    assert people["H2"].value is None                                           # missing stays empty
    assert ties["C2"].value == 2.5 and ties["C3"].value == 0.001
    assert events["A2"].is_date and events["A2"].value.date() == date(2026, 10, 1)
    assert events["A2"].number_format == "yyyy-mm-dd"
    assert events["C2"].value == '=HYPERLINK("x")' and events["C2"].data_type == "s"


def test_no_cell_of_the_workbook_is_a_formula(store):
    tricky_map(store)
    for part, xml in sheets_xml(export_workbook(store, "tricky")).items():
        assert not re.search(rb"<(\w+:)?f[ >]", xml), part
        assert b"=cmd|" in xml or part != "xl/worksheets/sheet1.xml"


def test_tricky_text_comes_back_as_it_was(store):
    tricky_map(store)
    reimport_xlsx(store, "tricky", "copy")
    same_map(store, "tricky", "copy")
    assert store.people("copy")[s.NAME].tolist() == TRICKY


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations(), st.lists(st.sampled_from(TRICKY), max_size=3))
def test_export_then_import_of_a_workbook_gives_the_same_map(org, extra):
    people, custom, ties, events = org
    for person, text in zip(people, extra):
        person[s.NOTES] = text
    data = organisation_map(people, custom, ties, events)
    with Store(":memory:") as store:
        store.import_map("original", data)
        raw = reimport_xlsx(store, "original", "copy")
        same_map(store, "original", "copy")
        assert store.people("copy")[s.ID].tolist() == [p[s.ID] for p in people]
        assert store.ties("copy")[s.WEIGHT].tolist() == [w for _, _, w, _ in ties]
        assert all(not re.search(rb"<(\w+:)?f[ >]", xml) for xml in sheets_xml(raw).values())


def test_empty_map_exports_headers_only(store):
    store.import_map("one", read_map(csv("id,name\n1,Ann\n")))
    wb = openpyxl.load_workbook(io.BytesIO(export_workbook(store, "one")))
    assert wb["influences"].max_row == 1 and [c.value for c in wb["influences"][1]] == ["source", "target",
                                                                                         "weight", "kind"]


def test_sheet_names_come_from_the_file_names():
    import pandas as pd

    raw = workbook_bytes({"stakeholders.csv": pd.DataFrame({"id": ["1"]}), "x" * 40 + ".csv": pd.DataFrame()})
    assert openpyxl.load_workbook(io.BytesIO(raw)).sheetnames == ["stakeholders", "x" * 31]


# ------------------------------------------------------------ LibreOffice

SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: scripts/test installs "
                                            "libreoffice-calc-nogui; apt-get install libreoffice-calc-nogui")
def test_libreoffice_opens_the_export_and_shows_no_formula_cell(store, tmp_path):
    tricky_map(store)
    book = tmp_path / "tricky.xlsx"
    book.write_bytes(export_workbook(store, "tricky"))
    done = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                           "--convert-to", "fods", "--outdir", str(tmp_path), str(book)],
                          capture_output=True, text=True, timeout=120)
    converted = tmp_path / "tricky.fods"
    assert converted.exists(), done.stdout + done.stderr
    content = converted.read_text(encoding="utf-8")
    assert "table:formula" not in content
    # The cells LibreOffice shows: the text as typed, the numbers and dates as such.
    assert "=cmd|&apos; /C calc&apos;!A0" in content or "=cmd|' /C calc'!A0" in content
    assert 'office:value-type="float" office:value="2.5"' in content
    assert 'office:value-type="date" office:date-value="2026-10-01' in content
    for sheet in ("stakeholders", "influences", "engagements"):
        assert f'table:name="{sheet}"' in content
    # The check can fail: the same text written the way openpyxl writes it by default is a formula.
    control = openpyxl.Workbook()
    control.active["A1"] = "=cmd|' /C calc'!A0"
    control.save(tmp_path / "control.xlsx")
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "fods", "--outdir", str(tmp_path), str(tmp_path / "control.xlsx")], capture_output=True,
                   timeout=120)
    assert "table:formula" in (tmp_path / "control.fods").read_text(encoding="utf-8")


def test_custom_columns_named_like_other_files_numbers_stay_text(store):
    store.import_map("c", read_map(csv("id,name,weight,date\n1,Ann,heavy,soon\n2,Bo,,\n")))
    wb = openpyxl.load_workbook(io.BytesIO(export_workbook(store, "c")))
    assert [c.value for c in wb["stakeholders"]["K"]] == ["weight", "heavy", None]
    assert wb["stakeholders"]["K2"].data_type == "s"
    reimport_xlsx(store, "c", "copy")
    same_map(store, "c", "copy")
    from stakeholder_map.export import export_map

    assert b"heavy,soon" in export_map(store, "c")["stakeholders.csv"]
