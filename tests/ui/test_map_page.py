"""The Map page: draws the current map, filters it, selects people, never shows a traceback."""

from __future__ import annotations

from tests.ui.ui_support import SMALL_MAP, XSS, drawn_view, run_map

from stakeholder_map.errors import StakeholderMapError
from stakeholder_map.presentation import styles
from stakeholder_map.ui import state
from stakeholder_map.ui.pages import map as map_page


def caption(at) -> str:
    return at.caption[0].value


def test_draws_every_person_of_the_current_map(db):
    at = run_map()
    view = drawn_view(at)
    assert view["view"] == "people"
    assert sorted(n["id"] for n in view["nodes"]) == list("abcdef")
    assert len(view["edges"]) == 7
    assert view["options"]["physics"]["enabled"] is False
    assert "Showing everyone: 6 of 6 people and 7 pairs of people (7 ties)" in caption(at)
    assert at.session_state[state.CURRENT_MAP] == SMALL_MAP


def test_champions_are_marked(db):
    at = run_map()
    shapes = {n["id"]: n.get("shape") for n in drawn_view(at)["nodes"]}
    assert "star" in shapes.values()


def test_department_filter_redraws_only_those_people(db):
    at = run_map()
    at.multiselect(key=map_page.MAP_DEPARTMENTS).set_value(["HR"]).run()
    assert sorted(n["id"] for n in drawn_view(at)["nodes"]) == ["c", "d"]
    assert "the people of HR: 2 of 6 people" in caption(at)


def test_stance_and_weight_filters(db):
    at = run_map()
    at.multiselect(key=map_page.MAP_STANCES).set_value(["unknown", "champion"]).run()
    assert sorted(n["id"] for n in drawn_view(at)["nodes"]) == ["a", "c"]
    # the caption says what is filtered, never "everyone" (issue 11)
    assert "Showing everyone whose stance is unknown or champion: 2 of 6 people" in caption(at)
    at.multiselect(key=map_page.MAP_STANCES).set_value([]).run()
    at.slider(key=map_page.MAP_MIN_WEIGHT).set_value(2.0).run()
    assert sorted((e["from"], e["to"]) for e in drawn_view(at)["edges"]) == [("a", "b"), ("b", "c"), ("d", "e"), ("e", "f")]
    assert "Showing everyone (only ties of weight 2 or more)" in caption(at)


def test_tie_kind_filter_rebuilds_the_graph(db):
    at = run_map()
    at.multiselect(key=map_page.MAP_KINDS).set_value(["friendship"]).run()
    assert sorted((e["from"], e["to"]) for e in drawn_view(at)["edges"]) == [("b", "c"), ("f", "a")]


def test_focus_shows_the_neighbourhood(db):
    at = run_map()
    at.selectbox(key=map_page.MAP_FOCUS).set_value("d").run()
    assert sorted(n["id"] for n in drawn_view(at)["nodes"]) == ["c", "d", "e"]
    at.slider(key=map_page.MAP_HOPS).set_value(2).run()
    assert sorted(n["id"] for n in drawn_view(at)["nodes"]) == ["a", "b", "c", "d", "e", "f"]
    assert "within 2 tie(s) of Dee Ray" in caption(at)


def test_colour_and_size_choices(db):
    at = run_map()
    colours = at.button_group(key=map_page.MAP_COLOUR)
    assert {"Department", "Stance", "Community (Louvain)", "site"} <= set(colours.options)
    colours.set_value("site").run()
    legend = {i["label"] for i in drawn_view(at)["legend"] if i["kind"] == "colour"}
    assert legend == {"Oslo", "Rome", "(empty)"}
    assert at.selectbox(key=map_page.MAP_SIZE).value == "pagerank"
    at.selectbox(key=map_page.MAP_SIZE).set_value("uniform").run()
    assert {n["size"] for n in drawn_view(at)["nodes"]} == {12.0}


def test_stance_is_one_click_and_unchoosing_keeps_the_colouring(db):
    at = run_map()
    assert drawn_view(at)["colour_by"] == "department"
    at.button_group(key=map_page.MAP_COLOUR).set_value("stance").run()
    assert drawn_view(at)["colour_by"] == "stance"
    at.button_group(key=map_page.MAP_COLOUR).set_value(None).run()      # a click on the chosen one
    assert drawn_view(at)["colour_by"] == "stance"


def test_readable_measure_names_in_the_menus_and_panel(db):
    at = run_map(**{state.SELECTED: (SMALL_MAP, "a")})
    size = at.selectbox(key=map_page.MAP_SIZE)
    assert "Reach (PageRank)" in size.options and "Bridging (betweenness)" in size.options
    assert "Reach (PageRank)" in size.help
    metrics = next(df.value for df in at.dataframe if "metric" in df.value.columns)
    assert "Reach (PageRank)" in set(metrics["metric"]) and "pagerank" not in set(metrics["metric"])
    assert metrics["meaning"].str.len().min() > 10


def test_search_highlights_and_offers_matches(db):
    at = run_map()
    at.text_input(key=map_page.MAP_SEARCH).set_value("ray").run()
    nodes = {n["id"]: n for n in drawn_view(at)["nodes"]}
    assert nodes["d"]["borderWidth"] == 4 and nodes["a"]["borderWidth"] == 1
    matches = at.selectbox(key=map_page.MAP_MATCH)
    matches.set_value("d").run()
    assert at.session_state[state.SELECTED] == (SMALL_MAP, "d")
    assert at.subheader[0].value == "Dee Ray"


def test_selected_person_panel_escapes_their_name(db):
    at = run_map(**{state.SELECTED: (SMALL_MAP, "b")})
    assert drawn_view(at)["selected"] == "b"
    # the subheader is Markdown: the name arrives escaped, so it is shown as typed
    assert at.subheader[0].value == "&lt;img src=x onerror=window\\.\\_\\_xss=1&gt;"
    attributes = at.dataframe[0].value
    assert dict(zip(attributes["field"], attributes["value"]))["name"] == XSS
    tables = [df.value for df in at.dataframe]
    assert any("recorded_on" in t.columns for t in tables)          # stance history
    assert any(list(t.get("id", [])) == ["c"] for t in tables)      # b can move c


def test_clear_selection(db):
    at = run_map(**{state.SELECTED: (SMALL_MAP, "a")})
    at.button[0].click().run()
    assert at.session_state[state.SELECTED] is None
    assert drawn_view(at)["selected"] is None


def test_large_map_opens_on_departments_and_drills_in(large_db):
    at = run_map()
    view = drawn_view(at)
    assert view["view"] == "departments"
    assert sum(n["people"] for n in view["nodes"]) == 450
    assert "450 people in" in caption(at) and "each circle is a department" in caption(at)
    biggest = max(view["nodes"], key=lambda n: n["people"])
    at.multiselect(key=map_page.MAP_DEPARTMENTS).set_value([biggest["id"]]).run()
    view = drawn_view(at)
    assert view["view"] == "people" and len(view["nodes"]) == biggest["people"]


def test_library_errors_are_shown_not_raised(db, monkeypatch):
    from stakeholder_map.presentation import network_view

    def broken(*args, **kwargs):
        raise StakeholderMapError("the map could not be drawn")

    monkeypatch.setattr(network_view, "people_view", broken)
    at = run_map()
    assert at.error[0].value == "the map could not be drawn"


def test_an_empty_map_says_so(db):
    from tests.ui.ui_support import store_of

    store_of(db).create_map("Empty")
    at = run_map(**{state.CURRENT_MAP: "Empty"})
    assert "no people yet" in at.info[0].value
    assert not at.get("bidi_component")


def test_widgets_reset_when_the_map_changes(db):
    from tests.ui.ui_support import PEOPLE_CSV, import_csv, store_of

    import_csv(store_of(db), "Second", PEOPLE_CSV)
    at = run_map()
    at.multiselect(key=map_page.MAP_DEPARTMENTS).set_value(["HR"]).run()
    at.session_state[state.CURRENT_MAP] = "Second"
    at.run()
    assert at.multiselect(key=map_page.MAP_DEPARTMENTS).value == []
    assert len(drawn_view(at)["nodes"]) == 6 and drawn_view(at)["edges"] == []


def test_caption_escapes_focused_person_and_departments(db):
    """Names and departments come from CSVs: the caption (Markdown) shows them as typed."""
    from tests.ui.ui_support import import_csv, store_of

    hostile = "![x](http://example.invalid/x.png)"
    import_csv(store_of(db), "Hostile caption",
               f"id,name,department\n1,{hostile},{hostile}\n2,Bo,IT\n".encode(), b"source,target\n1,2\n")
    at = run_map(**{state.CURRENT_MAP: "Hostile caption"})
    at.multiselect(key=map_page.MAP_DEPARTMENTS).set_value([hostile]).run()
    assert "![x](" not in " ".join(c.value for c in at.caption)
    at.multiselect(key=map_page.MAP_DEPARTMENTS).set_value([]).run()
    at.selectbox(key=map_page.MAP_FOCUS).set_value("1").run()
    captions = " ".join(c.value for c in at.caption)
    assert "within" in captions and "![x](" not in captions and "example" in captions


def test_pairs_and_ties_are_both_counted(db):
    """Two kinds of tie between one pair are one arrow: the caption says pairs and ties (issue 11)."""
    from tests.ui.ui_support import PEOPLE_CSV, import_csv, store_of

    import_csv(store_of(db), "Two kinds", PEOPLE_CSV, b"source,target,kind\na,b,advice\na,b,friendship\nb,c,advice\n")
    at = run_map(**{state.CURRENT_MAP: "Two kinds"})
    assert "2 pairs of people (3 ties)" in caption(at)


def test_key_people_are_named_and_the_selected_one_is_in_the_legend(db):
    at = run_map(**{state.SELECTED: (SMALL_MAP, "e")})
    view = drawn_view(at)
    stars = {n["id"] for n in view["nodes"] if n["shape"] == "star"}
    assert stars and stars <= set(view["pinned"]) and "e" in view["pinned"]
    assert {"kind": "selected", "label": "selected: Eve Ng", "colour": styles.SELECTED_COLOUR} in view["legend"]
    node = next(n for n in view["nodes"] if n["id"] == "e")
    assert node["color"]["border"] == styles.SELECTED_COLOUR
