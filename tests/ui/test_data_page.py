"""The Data page: maps, import with a column-mapping step, refusals, export.

AppTest has no file-uploader element, so :class:`Boxes` stands in for the browser's upload boxes: a file put
in a box is what ``st.file_uploader`` returns for it, and a box drawn under a new key starts empty, as in
the browser. (tests/e2e/test_data_upload.py drives the real boxes.)
"""

from __future__ import annotations

import itertools

import pytest
import streamlit
from tests.ui.ui_support import PEOPLE_CSV, SMALL_MAP, TIES_CSV, page, store_of

from stakeholder_map.ui import state
from stakeholder_map.ui.pages import data as data_page


class _File:
    """What ``st.file_uploader`` returns: a name, the bytes and an id unique to the upload."""

    _ids = itertools.count()

    def __init__(self, name: str, data: bytes):
        self.name, self._data, self.file_id = name, data, f"fake-{next(self._ids)}"

    def getvalue(self) -> bytes:
        return self._data


class Boxes:
    """The upload boxes as the browser holds them: key -> file; a file put for a role goes into the
    box of that role drawn last (or the next one drawn)."""

    def __init__(self):
        self.held: dict[str, _File] = {}
        self.latest: dict[str, str] = {}
        self.pending: dict[str, _File] = {}

    def __call__(self, label, type=None, *, key, **_):
        role = key.rsplit(":", 1)[1]
        self.latest[role] = key
        if role in self.pending:
            self.held[key] = self.pending.pop(role)
        return self.held.get(key)

    def put(self, role: str, name: str, data: bytes) -> None:
        if role in self.latest:
            self.held[self.latest[role]] = _File(name, data)
        else:
            self.pending[role] = _File(name, data)

    def clear(self, role: str) -> None:
        self.held.pop(self.latest.get(role, ""), None)


@pytest.fixture
def boxes(monkeypatch):
    fake = Boxes()
    monkeypatch.setattr(streamlit, "file_uploader", fake)
    return fake


def run_data(boxes=None, **files):
    for role, (name, data) in files.items():
        boxes.put(role, name, data)
    at = page("data")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at, label):
    return next(b for b in at.button if b.label == label)


def plan(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Import will use**"))


def test_lists_maps_and_asks_for_files(db, boxes):
    at = run_data(boxes)
    assert list(at.dataframe[0].value["name"]) == [SMALL_MAP]
    assert "Upload at least the stakeholders file" in at.info[0].value
    assert button(at, "Import").disabled


def test_import_with_defaults_makes_the_map_current(db, boxes):
    at = run_data(boxes, stakeholders=("acme_people.csv", PEOPLE_CSV), influences=("ties.csv", TIES_CSV))
    assert at.text_input(key=data_page.IMPORT_NAME).value == "acme_people"   # from the file name
    assert any("6 people, 7 ties" in m.value for m in at.markdown)
    assert "acme\\_people\\.csv" in plan(at) and "6 rows" in plan(at) and "ties\\.csv" in plan(at)
    assert "engagements: none" in plan(at)
    button(at, "Import").click().run()
    assert not at.exception
    assert "Imported 6 people, 7 ties" in at.success[0].value
    assert at.session_state[state.CURRENT_MAP] == "acme_people"
    assert "acme_people" in list(at.dataframe[0].value["name"])
    assert store_of(db).has_map("acme_people")


def test_after_an_import_the_boxes_are_empty_and_nothing_old_is_used(db, boxes):
    """Issue 11: the second import takes only the new stakeholders file, never the first one's ties or name."""
    at = run_data(boxes, stakeholders=("first.csv", PEOPLE_CSV), influences=("ties.csv", TIES_CSV))
    button(at, "Import").click().run()
    assert "Imported 6 people, 7 ties" in at.success[0].value
    assert not any(t.key == data_page.IMPORT_NAME for t in at.text_input)    # no name box without a file
    assert button(at, "Import").disabled
    boxes.put("stakeholders", "second.csv", PEOPLE_CSV)
    at.run()
    assert at.text_input(key=data_page.IMPORT_NAME).value == "second"
    assert "influences: none" in plan(at) and "ties\\.csv" not in plan(at)
    button(at, "Import").click().run()
    assert "Imported 6 people, 0 ties" in at.success[0].value
    assert store_of(db).has_map("second")


def test_a_cleared_box_is_not_used(db, boxes):
    at = run_data(boxes, stakeholders=("org.csv", PEOPLE_CSV), influences=("ties.csv", TIES_CSV))
    assert any("6 people, 7 ties" in m.value for m in at.markdown)
    boxes.clear("influences")
    at.run()
    assert any("6 people, 0 ties" in m.value for m in at.markdown)
    assert "influences: none" in plan(at)


def test_a_new_stakeholders_file_renames_and_unticks_replace(db, boxes):
    at = run_data(boxes, stakeholders=("one.csv", PEOPLE_CSV))
    at.text_input(key=data_page.IMPORT_NAME).set_value("Typed name")
    at.checkbox(key=data_page.IMPORT_REPLACE).check().run()
    assert at.text_input(key=data_page.IMPORT_NAME).value == "Typed name"   # kept while the file stays
    boxes.put("stakeholders", "two.csv", PEOPLE_CSV)
    at.run()
    assert at.text_input(key=data_page.IMPORT_NAME).value == "two"
    assert not at.checkbox(key=data_page.IMPORT_REPLACE).value
    assert "**two**" in plan(at)


def test_preview_shows_stance_words_and_empty_cells(db, boxes):
    at = run_data(boxes, stakeholders=("org.csv", PEOPLE_CSV))
    people = at.dataframe[1].value
    assert list(people["stance"]) == ["champion", "resistant", "", "supporter", "skeptic", "neutral"]
    assert list(people["site"]) == ["Oslo", "Rome", "Oslo", "", "Rome", "Oslo"]        # a custom column
    assert people.iloc[2]["email"] == "" and "attributes" not in people
    cells = {str(v) for v in people.to_numpy().ravel()}
    assert not cells & {"None", "nan", "<NA>", "NaN"}


def test_column_mapping_is_guessed_and_can_be_overridden(db, boxes):
    people = b"Person ID,Full Name,Dept,Badge\n1,Ann,IT,x\n2,Bo,HR,y\n"
    at = run_data(boxes, stakeholders=("staff.csv", people))
    boxes_ = {b.label: b for b in at.selectbox}
    assert boxes_["Person ID"].value == "id" and boxes_["Full Name"].value == "name"
    assert boxes_["Dept"].value == "department" and boxes_["Badge"].value == "(custom column)"
    assert not at.expander[0].proto.expanded
    boxes_["Badge"].set_value("role").run()
    preview = at.dataframe[1].value
    assert list(preview["role"]) == ["x", "y"]


def test_a_missing_required_column_opens_the_mapping_with_a_hint(db, boxes):
    people = b"Code,Full Name\n1,Ann\n2,Bo\n"
    at = run_data(boxes, stakeholders=("staff.csv", people))
    expander = at.expander[0]
    assert expander.proto.expanded and "not recognised" in expander.label
    assert "**id**" in at.warning[0].value and "Code" in at.warning[0].value
    assert "column mapping above is open" in at.info[0].value
    assert not any(b.label == "Import" for b in at.button)
    next(b for b in at.selectbox if b.label == "Code").set_value("id").run()
    assert not at.warning and any("2 people" in m.value for m in at.markdown)
    assert not button(at, "Import").disabled


def test_refused_file_shows_problems_and_changes_nothing(db, boxes):
    bad = b"id,name,stance\n1,Ann,supporter\n1,Bo,angry\n"
    at = run_data(boxes, stakeholders=("bad.csv", bad))
    assert "Refused bad\\.csv" in at.error[0].value and "2 problems" in at.error[0].value
    problems = at.dataframe[-1].value
    assert list(problems.columns) == ["file", "row", "column", "message"]
    assert set(problems["row"]) == {3}
    assert not any(b.label == "Import" for b in at.button)
    assert store_of(db).map_names() == [SMALL_MAP]


def test_existing_map_needs_replace(db, boxes):
    at = run_data(boxes, stakeholders=("x.csv", PEOPLE_CSV))
    at.text_input(key=data_page.IMPORT_NAME).set_value(SMALL_MAP).run()
    assert button(at, "Import").disabled and "exists" in plan(at)
    at.checkbox(key=data_page.IMPORT_REPLACE).check().run()
    button(at, "Import").click().run()
    assert "Imported 6 people, 0 ties" in at.success[0].value


def test_create_rename_delete(db, boxes):
    at = run_data(boxes)
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


def test_rename_to_a_taken_name_is_an_error_not_a_traceback(db, boxes):
    at = run_data(boxes)
    at.text_input(key="data_new_map").set_value("Other").run()
    button(at, "Create map").click().run()
    at.text_input(key="data_rename_to").set_value(SMALL_MAP).run()
    button(at, "Rename").click().run()
    assert "exists already" in at.error[0].value


def test_export_offers_the_three_files(db, boxes):
    at = run_data(boxes)
    labels = [b.label for b in at.get("download_button")]
    assert labels[:3] == ["stakeholders.csv", "influences.csv", "engagements.csv"]   # then the pseudonymised zip
