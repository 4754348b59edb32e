"""The Data page: maps, import with a column-mapping step, refusals, export.

AppTest has no file-uploader element, so the uploaded files are preset in
session state (``data_page.UPLOADS``), exactly where the uploaders' callback puts them.
"""

from __future__ import annotations

from tests.ui.ui_support import PEOPLE_CSV, SMALL_MAP, TIES_CSV, run_page, store_of

from stakeholder_map.ui import state
from stakeholder_map.ui.pages import data as data_page


def run_data(**preset):
    return run_page("data", **preset)


def button(at, label):
    return next(b for b in at.button if b.label == label)


def uploads(**files):
    return {data_page.UPLOADS: {label: (name, data) for label, (name, data) in files.items()}}


def test_lists_maps_and_asks_for_files(db):
    at = run_data()
    assert list(at.dataframe[0].value["name"]) == [SMALL_MAP]
    assert "Upload at least the stakeholders file" in at.info[0].value


def test_import_with_defaults_makes_the_map_current(db):
    at = run_data(**uploads(stakeholders=("acme_people.csv", PEOPLE_CSV), influences=("ties.csv", TIES_CSV)))
    assert at.text_input(key=data_page.IMPORT_NAME).value == "acme_people"   # from the file name
    assert "6 people, 7 ties, 0 engagements" in at.markdown[-1].value or any(
        "6 people, 7 ties" in m.value for m in at.markdown)
    button(at, "Import").click().run()
    assert not at.exception
    assert "Imported 6 people, 7 ties" in at.success[0].value
    assert at.session_state[state.CURRENT_MAP] == "acme_people"
    assert "acme_people" in list(at.dataframe[0].value["name"])
    assert store_of(db).has_map("acme_people")


def test_column_mapping_is_guessed_and_can_be_overridden(db):
    people = b"Person ID,Full Name,Dept,Badge\n1,Ann,IT,x\n2,Bo,HR,y\n"
    at = run_data(**uploads(stakeholders=("staff.csv", people)))
    boxes = {b.label: b for b in at.selectbox}
    assert boxes["Person ID"].value == "id" and boxes["Full Name"].value == "name"
    assert boxes["Dept"].value == "department" and boxes["Badge"].value == "(custom column)"
    boxes["Badge"].set_value("role").run()
    preview = at.dataframe[1].value
    assert list(preview["role"]) == ["x", "y"]


def test_refused_file_shows_problems_and_changes_nothing(db):
    bad = b"id,name,stance\n1,Ann,supporter\n1,Bo,angry\n"
    at = run_data(**uploads(stakeholders=("bad.csv", bad)))
    assert "Refused bad\\.csv" in at.error[0].value and "2 problems" in at.error[0].value
    problems = at.dataframe[-1].value
    assert list(problems.columns) == ["file", "row", "column", "message"]
    assert set(problems["row"]) == {3}
    assert not any(b.label == "Import" for b in at.button)
    assert store_of(db).map_names() == [SMALL_MAP]


def test_existing_map_needs_replace(db):
    at = run_data(**uploads(stakeholders=("x.csv", PEOPLE_CSV)))
    at.text_input(key=data_page.IMPORT_NAME).set_value(SMALL_MAP)
    button(at, "Import").click().run()
    assert "exists already" in at.error[0].value
    at.checkbox(key=data_page.IMPORT_REPLACE).check()
    button(at, "Import").click().run()
    assert "Imported 6 people, 0 ties" in at.success[0].value


def test_create_rename_delete(db):
    at = run_data()
    at.text_input(key="data_new_map").set_value("Pilot").run()
    button(at, "Create map").click().run()
    assert at.session_state[state.CURRENT_MAP] == "Pilot"
    at.text_input(key="data_rename_to").set_value("Pilot 2").run()
    button(at, "Rename").click().run()
    assert at.session_state[state.CURRENT_MAP] == "Pilot 2"
    assert button(at, "Delete map").disabled
    at.checkbox(key="data_confirm_delete").check().run()
    button(at, "Delete map").click().run()
    assert store_of(db).map_names() == [SMALL_MAP]
    assert at.session_state[state.CURRENT_MAP] == SMALL_MAP


def test_rename_to_a_taken_name_is_an_error_not_a_traceback(db):
    at = run_data()
    at.text_input(key="data_new_map").set_value("Other").run()
    button(at, "Create map").click().run()
    at.text_input(key="data_rename_to").set_value(SMALL_MAP).run()
    button(at, "Rename").click().run()
    assert "exists already" in at.error[0].value


def test_export_offers_the_three_files(db):
    at = run_data()
    labels = [b.label for b in at.get("download_button")]
    assert labels[:3] == ["stakeholders.csv", "influences.csv", "engagements.csv"]   # then the pseudonymised zip
