"""The Map page's "exposure" colouring (seeds planted), on the small map and on a large map's overview."""

from __future__ import annotations

from datetime import date

from tests.ui.ui_support import SMALL_MAP, drawn_view, run_map, store_of

from stakeholder_map.presentation.styles import DEPARTMENT_EXPOSURE_COLOURS, EXPOSURE_COLOURS
from stakeholder_map.ui.pages import map as map_page


def test_exposure_colours_people_and_follows_the_as_of_date(db):
    store = store_of(db)
    store.log_engagement(SMALL_MAP, when=date(2026, 9, 1), stakeholder_id="e", activity="article")
    store.log_engagement(SMALL_MAP, when=date(2026, 10, 1), stakeholder_id="e", activity="results shared")
    store.log_engagement(SMALL_MAP, when=date(2026, 10, 2), stakeholder_id="f", activity="demo seen")
    at = run_map()
    colours = at.button_group(key=map_page.MAP_COLOUR)
    assert "Exposure (seeds planted)" in colours.options
    colours.set_value("exposure").run()
    assert not at.exception
    nodes = {n["id"]: n for n in drawn_view(at)["nodes"]}
    assert nodes["e"]["color"] == EXPOSURE_COLOURS["several times"]
    assert nodes["f"]["color"] == EXPOSURE_COLOURS["once"]
    assert nodes["a"]["color"] == EXPOSURE_COLOURS["never"]
    assert "Seeds planted: 2, last on 2026-10-01" in nodes["e"]["title"]
    legend = [i["label"] for i in drawn_view(at)["legend"] if i["kind"] == "colour"]
    assert legend == ["seeds planted: never", "seeds planted: once", "seeds planted: several times"]
    at.date_input(key=map_page.MAP_AS_OF).set_value(date(2026, 9, 15)).run()
    nodes = {n["id"]: n for n in drawn_view(at)["nodes"]}
    assert nodes["e"]["color"] == EXPOSURE_COLOURS["once"] and nodes["f"]["color"] == EXPOSURE_COLOURS["never"]


def test_a_large_maps_overview_colours_departments_by_the_share_exposed(large_db):
    store = store_of(large_db)
    first = store.people("Large org").iloc[0]
    store.log_engagement("Large org", when=date(2026, 9, 1), stakeholder_id=str(first["id"]), activity="article")
    at = run_map()
    at.button_group(key=map_page.MAP_COLOUR).set_value("exposure").run()
    assert not at.exception
    view = drawn_view(at)
    assert view["view"] == "departments"
    colours = {n["id"]: n["color"] for n in view["nodes"]}
    assert colours[first["department"]] == DEPARTMENT_EXPOSURE_COLOURS["under half exposed"]
    others = {c for d, c in colours.items() if d != first["department"]}
    assert others == {DEPARTMENT_EXPOSURE_COLOURS["nobody exposed"]}
