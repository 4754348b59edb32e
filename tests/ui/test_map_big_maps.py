"""The Map page on big maps: the department overview comes first, drawn without the graph;
the graph, scores and champions are prepared in a server thread; the people view never
draws more than the browser can take; pickers do not list everyone."""

from __future__ import annotations

import pytest
from tests.ui.ui_support import drawn_view, run_map

from stakeholder_map.presentation import network_view
from stakeholder_map.store import Store
from stakeholder_map.ui import pickers, preparation, state
from stakeholder_map.workspace import Workspace
from stakeholder_map.ui.pages import map as map_page


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def finish_preparing() -> None:
    for thread in list(preparation._THREADS.values()):
        thread.join(timeout=60)


@pytest.fixture
def no_graph(monkeypatch):
    """Fails a test that builds the graph, and holds the background preparation back."""
    started = []

    def graph(self, *args, **kwargs):
        raise AssertionError("the overview must not need the graph")

    monkeypatch.setattr(Workspace, "graph", graph)
    monkeypatch.setattr(state, "prepare_in_background", lambda name, kinds=None: started.append(name) or True)
    return started


def test_the_overview_is_drawn_without_the_graph(large_db, no_graph):
    at = run_map()
    view = drawn_view(at)
    assert view["view"] == "departments" and sum(n["people"] for n in view["nodes"]) == 450
    assert no_graph == ["Large org"], "the graph and scores are prepared in the background"
    assert "in the background" in captions(at)


def test_overview_filters_need_no_graph_either(large_db, no_graph):
    at = run_map()
    at.multiselect(key=map_page.MAP_STANCES).set_value(["supporter", "champion"]).run()
    assert not at.exception
    shown = sum(n["people"] for n in drawn_view(at)["nodes"])
    assert 0 < shown < 450
    assert f"Counting the {shown:,} people" in captions(at)


def test_scores_and_champions_arrive_from_the_background(large_db):
    at = run_map()
    assert "in the background" in captions(at)
    finish_preparing()
    at.multiselect(key=map_page.MAP_DEPARTMENTS).set_value(["Sales"]).run()
    assert "in the background" not in captions(at)
    assert state.workspace("Large org").prepared()
    sizes = {n["id"]: n["size"] for n in drawn_view(at)["nodes"]}
    assert len(set(sizes.values())) > 1, "people are sized by their scores"


def test_a_failed_preparation_is_said_not_raised(large_db, monkeypatch):
    from stakeholder_map.errors import StakeholderMapError

    def broken(*args, **kwargs):
        raise StakeholderMapError("this map could not be scored")

    monkeypatch.setattr(Workspace, "metrics", broken)
    run_map()
    finish_preparing()
    at = run_map()
    assert at.warning[0].value == "this map could not be scored"
    assert drawn_view(at)["view"] == "departments"


def test_the_people_view_draws_at_most_the_best_connected(large_db, monkeypatch):
    monkeypatch.setattr(network_view, "MAX_DRAWN", 40)
    at = run_map()
    biggest = max(drawn_view(at)["nodes"], key=lambda n: n["people"])
    assert biggest["people"] > 40
    at.multiselect(key=map_page.MAP_DEPARTMENTS).set_value([biggest["id"]]).run()
    view = drawn_view(at)
    assert view["view"] == "people" and len(view["nodes"]) == 40
    assert f"Of the {biggest['people']} people who pass the filters, the 40 with the most ties" in captions(at)


def test_focus_on_a_big_map_is_picked_by_searching(large_db, monkeypatch):
    monkeypatch.setattr(pickers, "LIST_LIMIT", 100)
    at = run_map()
    focus = at.selectbox(key=map_page.MAP_FOCUS)
    assert focus.options == [], "nobody is listed before a search"
    people = state.workspace("Large org").people()
    someone = people.iloc[7]
    at.text_input(key=f"{map_page.MAP_FOCUS}:find").input(someone["id"]).run()
    focus = at.selectbox(key=map_page.MAP_FOCUS)
    assert someone["name"] in " ".join(focus.options)
    at.selectbox(key=map_page.MAP_FOCUS).set_value(someone["id"]).run()
    view = drawn_view(at)
    assert view["view"] == "people" and someone["id"] in {n["id"] for n in view["nodes"]}
    at.text_input(key=f"{map_page.MAP_FOCUS}:find").input("nobody is called this").run()
    assert at.selectbox(key=map_page.MAP_FOCUS).value == someone["id"], "the choice stays"


def test_a_new_revision_frees_the_graphs_of_the_old_one(large_db, monkeypatch):
    """Every write makes a new revision; a big map's old graph (about 0.7 GB at 100k people) must not linger."""
    from datetime import date

    from tests.ui.ui_support import store_of

    run_map()
    finish_preparing()
    store = store_of(large_db)
    old = store.revision
    assert state._workspace(store, str(large_db), "Large org", old).has("graph", None), "the graph is kept"
    person = str(state.workspace("Large org").people()["id"].iat[0])
    store.log_engagement("Large org", when=date(2026, 11, 1), stakeholder_id=person, activity="1:1")
    run_map()
    finish_preparing()
    assert store.revision == old + 1
    assert state._workspace(store, str(large_db), "Large org", old + 1).has("graph", None), \
        "the new revision's graph was prepared"
    assert not state._workspace(store, str(large_db), "Large org", old).has("graph", None), \
        "the old revision's workspace was forgotten: asking for it gives a new, empty one"
