"""The Map page's "What changed" view: the latest import against the one before, versions to choose, tables."""

from __future__ import annotations

from io import BytesIO

from tests.ui.ui_support import PEOPLE_CSV, SMALL_MAP, TIES_CSV, XSS, drawn_view, page, store_of

from stakeholder_map.ingest import read_map
from stakeholder_map.presentation import changes_view
from stakeholder_map.ui import what_changed
from stakeholder_map.ui.pages import map as map_page

#: The second import: Gus joins (senior, supportive), Eve (the skeptic) leaves, Cy, Fin and b's stances move,
#: Dee's role changes, a tie to Eve goes and one from Gus comes.
PEOPLE_2 = (PEOPLE_CSV.decode()
            .replace("c,Cy Ode,HR,Partner,,3,2,Oslo", "c,Cy Ode,HR,Partner,supporter,3,2,Oslo")
            .replace("f,Fin Oak,Sales,Lead,neutral,2,2,Oslo", "f,Fin Oak,Sales,Lead,supporter,2,2,Oslo")
            .replace("IT,Engineer,resistant", "IT,Engineer,skeptic")
            .replace("d,Dee Ray,HR,Head of HR", "d,Dee Ray,HR,HR Director")
            .replace("e,Eve Ng,Sales,Rep,skeptic,1,3,Rome\n", "")
            + "g,Gus Holm,Sales,VP Sales,champion,5,5,Rome\n").encode()
TIES_2 = (TIES_CSV.decode().replace("d,e,4,advice\n", "").replace("e,f,2,advice\n", "")
          + "g,f,3,advice\n").encode()


def reimport(db) -> None:
    store_of(db).import_map(SMALL_MAP, read_map(BytesIO(PEOPLE_2), BytesIO(TIES_2)), replace=True, by="ed@x.org")


def what_changed_page(db):
    at = page("map").run()
    assert not at.exception
    at.toggle(key=what_changed.WHAT_CHANGED).set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_latest_import_against_the_one_before(db):
    reimport(db)
    at = what_changed_page(db)
    assert at.selectbox(key=what_changed.VERSION).value == 2
    assert at.selectbox(key=what_changed.COMPARED_WITH).value == 1
    headline = at.caption[0].value
    assert "Version 2" in headline and "against version 1" in headline
    assert "1 joined, 1 left, 4 changed (3 stance moves)" in headline
    view = drawn_view(at)
    nodes = {n["id"]: n for n in view["nodes"]}
    assert nodes["g"]["color"]["border"] == changes_view.JOINED_COLOUR
    assert nodes["e"]["label"] == "Eve Ng (left)" and nodes["e"]["color"]["background"] == changes_view.LEFT_COLOUR
    assert nodes["d"]["color"]["border"] == changes_view.CHANGED_COLOUR and "role: Head of HR → HR Director" in \
        nodes["d"]["title"]
    titles = [m.value for m in at.markdown]
    assert "**Joined** (1)" in titles and "**Left** (1)" in titles and "**Changed** (4)" in titles
    joined, left, changed, added, removed = (df.value for df in at.dataframe)
    assert joined["name"].tolist() == ["Gus Holm"] and joined["stance"].tolist() == ["champion"]
    assert left["name"].tolist() == ["Eve Ng"]
    assert sorted(zip(changed["name"], changed["what"], changed["after"])) == sorted([
        (XSS, "stance", "skeptic"), ("Cy Ode", "stance", "supporter"), ("Dee Ray", "role", "HR Director"),
        ("Fin Oak", "stance", "supporter")])
    assert added.values.tolist() == [["Gus Holm", "Fin Oak", "advice", 3.0]]
    assert sorted(map(tuple, removed[["from", "to"]].values)) == [("Dee Ray", "Eve Ng"), ("Eve Ng", "Fin Oak")]


def test_choosing_the_first_version_shows_everyone_joined(db):
    reimport(db)
    at = what_changed_page(db)
    at.selectbox(key=what_changed.VERSION).set_value(1).run()
    assert not at.exception
    assert at.selectbox(key=what_changed.COMPARED_WITH).value == what_changed.NOTHING
    assert "the first import (everyone joined): 6 joined" in at.caption[0].value
    assert len(drawn_view(at)["nodes"]) == 6


def test_a_map_imported_once_says_there_is_nothing_to_compare(db):
    at = what_changed_page(db)
    assert any("imported once" in i.value for i in at.info)
    assert at.selectbox(key=what_changed.VERSION).value == 1


def test_the_same_file_again_changes_nothing(db):
    store_of(db).import_map(SMALL_MAP, read_map(BytesIO(PEOPLE_CSV), BytesIO(TIES_CSV)), replace=True)
    at = what_changed_page(db)
    assert at.caption[0].value.endswith("nothing changed.")
    assert not at.get("bidi_component") and not at.dataframe


def test_turning_it_off_brings_the_map_back(db):
    reimport(db)
    at = what_changed_page(db)
    at.toggle(key=what_changed.WHAT_CHANGED).set_value(False).run()
    assert not at.exception
    assert at.button_group(key=map_page.MAP_COLOUR) is not None
    assert "(left)" not in repr(drawn_view(at)["nodes"])


def test_a_viewer_sees_no_email_or_notes(db, monkeypatch):
    people = PEOPLE_CSV.decode().replace("id,name,department,role,stance,influence,interest,site",
                                         "id,name,department,role,stance,influence,interest,site,email,notes")
    people = "\n".join(line + (",eve@secret.org,EVESECRETNOTE" if line.startswith("e,") else ",," if line and
                               not line.startswith("id,") else "") for line in people.split("\n"))
    store = store_of(db)
    store.import_map(SMALL_MAP, read_map(BytesIO(people.encode()), BytesIO(TIES_CSV)), replace=True)
    reimport(db)
    from stakeholder_map.ui import state
    monkeypatch.setattr(state, "is_redacted", lambda name: True)
    at = what_changed_page(db)
    shown = repr(drawn_view(at)) + "".join(df.value.to_csv() for df in at.dataframe)
    assert "Eve Ng" in shown
    assert "eve@secret.org" not in shown and "EVESECRETNOTE" not in shown
