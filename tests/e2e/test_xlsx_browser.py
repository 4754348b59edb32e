"""The Data page in a real browser with a workbook: pick the sheets, import, download the workbook export."""

from __future__ import annotations

import io

import openpyxl
from tests.e2e.e2e_support import ARTIFACTS, open_page, screenshot, wait_idle
from tests.e2e.test_data_upload import import_and_confirm, upload


def workbook(path) -> None:
    """Sheets whose names don't say which file they are: the page must ask."""
    wb = openpyxl.Workbook()
    people = wb.active
    people.title = "Team list"
    for row in (["ID", "Full name", "Department", "Stance"], ["007", "Ada", "IT", "supporter"],
                [12, "Ben", "IT", "skeptic"], ["C3", "=cmd|' /C calc'!A0", "HR", None]):
        people.append(row)
    people["B4"].data_type = "s"           # typed as text in a spreadsheet: no formula
    links = wb.create_sheet("Who listens to whom")
    for row in (["from", "to", "weight"], ["007", 12, 2], [12, "C3", 1.5]):
        links.append(row)
    wb.create_sheet("Notes").append(["nothing to import here"])
    wb.save(path)


def pick(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label)
    box.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    wait_idle(page)


def test_workbook_upload_picks_sheets_imports_and_exports(page, app_url, tmp_path):
    path = tmp_path / "Falcon team.xlsx"
    workbook(path)
    open_page(page, f"{app_url}/data")
    upload(page, "Stakeholders CSV or workbook", path)
    page.get_by_text("No sheet of the workbook is named stakeholders").wait_for()
    text = page.get_by_test_id("stMain").inner_text()
    assert "Sheets of Falcon team.xlsx" in text
    assert "No sheet of the workbook is named stakeholders" in text
    pick(page, "Sheet for stakeholders", "Team list")
    pick(page, "Sheet for influences", "Who listens to whom")
    page.get_by_text("3 people, 2 ties, 0 engagements.").wait_for()     # the reruns of both picks are done
    text = page.get_by_test_id("stMain").inner_text()
    assert "Preview: 3 people, 2 ties, 0 engagements." in text
    assert "Falcon team.xlsx, sheet 'Team list'" in text and "Falcon team.xlsx, sheet 'Who listens to whom'" in text
    page.get_by_text("Import will use").scroll_into_view_if_needed()      # the picks, preview and plan in view
    screenshot(page, "xlsx-data-page-workbook-picked")
    assert "Imported 3 people, 2 ties" in import_and_confirm(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Workbook (.xlsx)").click()
    saved = tmp_path / "export.xlsx"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "Falcon team.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()))
    assert wb.sheetnames == ["stakeholders", "influences", "engagements"]
    people = wb["stakeholders"]
    assert [people.cell(r, 1).value for r in range(2, 5)] == ["007", "12", "C3"]
    assert people["B4"].value == "=cmd|' /C calc'!A0" and people["B4"].data_type == "s"
    assert [c.value for c in wb["influences"]["C"]][1:] == [2, 1.5]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "xlsx-export.xlsx").write_bytes(saved.read_bytes())


def test_old_xls_upload_is_refused_with_a_clear_message(page, app_url, tmp_path):
    from tests.support import DATA

    open_page(page, f"{app_url}/data")
    upload(page, "Stakeholders CSV or workbook", DATA / "xlsx" / "people.xls")
    error = page.get_by_test_id("stAlertContentError")
    error.first.wait_for()
    assert "people.xls" in error.first.inner_text()
    assert "old-format Excel file" in page.get_by_test_id("stMain").inner_text()
    assert page.get_by_role("button", name="Import", exact=True).is_disabled()
