"""The Data page in a real browser: what the upload boxes show is exactly what Import uses.

Issue 11's stale upload: upload a stakeholders and an influences file, import, go to Map, come back,
upload only a new stakeholders file. The influences box is empty, so the new map must get no ties, and
the name Import uses is the one on the page (never a hidden one from the first upload).
"""

from __future__ import annotations

import pytest
from tests.e2e.e2e_support import screenshot, open_page, wait_graph, wait_idle

#: A 6-person map (ties among people 1-5 only) and a different 5-person map, both numbered from 1,
#: so the first map's ties would fit the second map's ids without a single complaint.
FIRST_PEOPLE = ("id,name,department,stance\n1,Ada,IT,supporter\n2,Ben,IT,skeptic\n3,Cas,HR,neutral\n"
                "4,Dov,HR,champion\n5,Eli,Sales,resistant\n6,Fay,Sales,\n")
FIRST_TIES = "source,target,weight\n1,2,2\n2,3,1\n3,4,1\n4,5,3\n5,1,1\n"
SECOND_PEOPLE = ("id,name,department,stance\n1,Uma,Ops,supporter\n2,Vic,Ops,neutral\n3,Wes,Legal,skeptic\n"
                 "4,Xia,Legal,\n5,Yul,Ops,champion\n")


def uploader(page, title: str):
    return page.get_by_test_id("stFileUploader").filter(has_text=title)


def upload(page, title: str, path) -> None:
    uploader(page, title).locator("input[type=file]").set_input_files(str(path))
    wait_idle(page)


def go_to(page, title: str) -> None:
    """Follow the sidebar's link (the same session, as a user would), not a fresh page load."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    wait_idle(page)


def import_and_confirm(page) -> str:
    page.get_by_role("button", name="Import", exact=True).click()
    success = page.get_by_test_id("stAlertContentSuccess")
    success.wait_for()
    wait_idle(page)
    return success.inner_text()


@pytest.fixture
def csv_files(tmp_path):
    files = {}
    for name, text in (("first_org.csv", FIRST_PEOPLE), ("first_ties.csv", FIRST_TIES),
                       ("second_org.csv", SECOND_PEOPLE)):
        (tmp_path / name).write_text(text)
        files[name] = tmp_path / name
    return files


def test_a_new_upload_after_an_import_uses_only_what_the_boxes_show(page, app_url, csv_files):
    open_page(page, f"{app_url}/data")
    upload(page, "Stakeholders CSV", csv_files["first_org.csv"])
    upload(page, "Influences CSV", csv_files["first_ties.csv"])
    assert page.get_by_test_id("stFileChip").count() == 2
    assert "Imported 6 people, 5 ties" in import_and_confirm(page)
    assert page.get_by_test_id("stFileChip").count() == 0          # the boxes start empty after an import

    go_to(page, "Map")
    wait_graph(page)
    go_to(page, "Data")
    # Nothing of the first upload is left: no file in any box, nothing to import.
    assert page.get_by_test_id("stFileChip").count() == 0
    assert page.get_by_role("button", name="Import", exact=True).count() == 0 or \
        page.get_by_role("button", name="Import", exact=True).is_disabled()

    upload(page, "Stakeholders CSV", csv_files["second_org.csv"])
    # The page says exactly which files and which map name Import will use.
    plan = page.get_by_test_id("stMarkdownContainer").filter(has_text="Import will use").inner_text()
    assert "second_org.csv" in plan and "5 rows" in plan
    assert "first_ties.csv" not in plan and "first_org" not in plan
    page.get_by_text("5 people, 0 ties", exact=False).first.wait_for()
    name_box = page.get_by_label("Map name", exact=True)
    assert name_box.input_value() == "second_org"
    screenshot(page, "data-second-upload")

    assert "Imported 5 people, 0 ties" in import_and_confirm(page)
    assert "second_org" in page.get_by_test_id("stAlertContentSuccess").inner_text()


def test_a_cleared_box_is_not_used(page, app_url, csv_files):
    open_page(page, f"{app_url}/data")
    upload(page, "Stakeholders CSV", csv_files["second_org.csv"])
    upload(page, "Influences CSV", csv_files["first_ties.csv"])
    page.get_by_text("5 people, 5 ties", exact=False).first.wait_for()
    uploader(page, "Influences CSV").get_by_test_id("stFileChipDeleteBtn").click()
    wait_idle(page)
    page.get_by_text("5 people, 0 ties", exact=False).first.wait_for()
    plan = page.get_by_test_id("stMarkdownContainer").filter(has_text="Import will use").inner_text()
    assert "first_ties.csv" not in plan
