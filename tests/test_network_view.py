"""Drawing data for vis-network and the standalone HTML file: filters, colours, escaping, offline."""

from __future__ import annotations

import html
import re

import networkx as nx
import pandas as pd
import pytest

from stakeholder_map.errors import UnknownStakeholder
from stakeholder_map.graph import filter_graph
from stakeholder_map.presentation import network_view, styles
from stakeholder_map.presentation.people import search_people
from stakeholder_map.presentation.text import markdown_text

XSS = "<img src=x onerror=window.__xss=1>"


@pytest.fixture
def G():
    G = nx.DiGraph()
    people = [
        ("a", "Ann", "IT", 2, {"site": "Oslo"}),
        ("b", XSS, "IT", -2, {"site": "Rome"}),
        ("c", "<script>window.__xss=1</script>", "HR", None, {}),
        ("d", "Dee href", "HR", 1, {"site": "Oslo"}),
    ]
    for pid, name, dept, stance, attrs in people:
        G.add_node(pid, name=name, department=dept, stance=stance, role="Lead", influence=3,
                   interest=None, email=None, notes=None, seniority=2, attributes=attrs)
    G.add_edge("a", "b", weight=1.0, ties=1, kinds=("advice",))
    G.add_edge("b", "c", weight=4.0, ties=2, kinds=("advice", "friendship"))
    G.add_edge("c", "d", weight=2.0, ties=1, kinds=("reports_to",))
    return G


@pytest.fixture
def positions(G):
    return {v: (float(i * 10), 0.0) for i, v in enumerate(G)}


@pytest.fixture
def metrics(G):
    return pd.DataFrame({
        "id": list(G), "pagerank": [0.4, 0.3, 0.2, 0.1], "community": [0, 0, 1, 1],
        "roles": [[], ["blocker"], [], ["broker"]],
    })


def test_filter_by_department_stance_weight_and_focus(G):
    assert sorted(filter_graph(G, departments=["HR"])) == ["c", "d"]
    assert sorted(filter_graph(G, stances=["unknown", "champion"])) == ["a", "c"]
    assert sorted(filter_graph(G, min_weight=2.0).edges()) == [("b", "c"), ("c", "d")]
    assert sorted(filter_graph(G, focus="a", hops=2)) == ["a", "b", "c"]
    # the focus person is kept whatever the stance filter says
    assert "a" in filter_graph(G, focus="a", hops=1, stances=["resistant"])


def test_focus_on_an_unknown_person_is_our_error(G):
    with pytest.raises(UnknownStakeholder):
        filter_graph(G, focus="nobody")


def test_search_matches_name_id_role_any_case(G):
    assert search_people(G, "ANN") == ["a"]
    assert search_people(G, "  ") == []
    assert set(search_people(G, "lead")) == set(G)


def test_colours_are_stable_when_filtering(G, positions):
    full = network_view.people_view(G, positions=positions, color_by="department")
    part = network_view.people_view(G, filter_graph(G, departments=["HR"]), positions=positions, color_by="department")
    colour = {n["id"]: n["color"] for n in full["nodes"]}
    assert all(colour[n["id"]] == n["color"] for n in part["nodes"])


def test_colour_by_custom_attribute_with_legend(G, positions):
    view = network_view.people_view(G, positions=positions, color_by="site")
    legend = {item["label"]: item["count"] for item in view["legend"] if item["kind"] == "colour"}
    assert legend == {"Oslo": 2, "Rome": 1, "(empty)": 1}
    assert "site" in styles.colour_options(G)


def test_colour_by_community_needs_metrics(G, positions, metrics):
    assert "community" not in styles.colour_options(G)
    assert "community" in styles.colour_options(G, with_metrics=True)
    view = network_view.people_view(G, positions=positions, color_by="community", metrics=metrics)
    assert {i["label"] for i in view["legend"] if i["kind"] == "colour"} == {"community 1", "community 2"}


def test_size_by_metric_and_marks(G, positions, metrics):
    view = network_view.people_view(G, positions=positions, size_by="pagerank", metrics=metrics,
                           champions=["a"], blockers=["b"], selected="c", highlight=["d"])
    nodes = {n["id"]: n for n in view["nodes"]}
    assert nodes["a"]["size"] > nodes["b"]["size"] > nodes["c"]["size"] > nodes["d"]["size"]
    assert nodes["a"]["shape"] == "star" and nodes["b"]["shape"] == "diamond" and nodes["c"]["shape"] == "dot"
    assert nodes["d"]["borderWidth"] == 4
    assert view["selected"] == "c"
    assert {i["label"] for i in view["legend"] if i["kind"] == "shape"} == {"champion (suggested)", "blocker"}
    assert "pagerank" in styles.size_options(with_metrics=True) and styles.size_options()[-1] == "uniform"


def test_edges_have_direction_and_width_by_weight(G, positions):
    view = network_view.people_view(G, positions=positions)
    edges = {(e["from"], e["to"]): e for e in view["edges"]}
    assert set(edges) == set(G.edges())
    assert edges[("b", "c")]["width"] > edges[("a", "b")]["width"]
    assert view["options"]["edges"]["arrows"]["to"]["enabled"] is True
    assert view["options"]["physics"]["enabled"] is False


def test_positions_come_from_the_server(G, positions):
    view = network_view.people_view(G, positions=positions)
    assert {n["id"]: (n["x"], n["y"]) for n in view["nodes"]} == positions


def test_view_key_changes_only_with_the_people_shown(G, positions):
    a = network_view.people_view(G, positions=positions, color_by="stance")
    b = network_view.people_view(G, positions=positions, color_by="department", selected="a")
    c = network_view.people_view(G, filter_graph(G, departments=["IT"]), positions=positions)
    assert a["key"] == b["key"] != c["key"]


def test_tooltips_are_plain_text(G, positions):
    view = network_view.people_view(G, positions=positions)
    titles = {n["id"]: n["title"] for n in view["nodes"]}
    assert titles["b"].splitlines()[0] == XSS  # shown as typed, never parsed
    assert all("<br" not in t for t in titles.values())


def test_department_view_sums_cross_department_ties(G):
    view = network_view.department_view(G)
    assert [(n["id"], n["people"]) for n in view["nodes"]] == [("HR", 2), ("IT", 2)]
    assert [(e["from"], e["to"]) for e in view["edges"]] == [("IT", "HR")]
    assert "4 ties" not in view["edges"][0]["title"] and "2 ties, weight 4" in view["edges"][0]["title"]
    stance = network_view.department_view(G, color_by="stance")
    assert {i["label"] for i in stance["legend"]} == {"mean stance: neutral", "mean stance: supporter"}


def test_standalone_html_is_offline_and_escaped(G, positions):
    page = network_view.standalone_html(network_view.people_view(G, positions=positions), heading="<b>Map</b>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.IGNORECASE)
    assert "bootstrap" not in page.lower()
    assert "sourceMappingURL" not in page
    assert "&lt;b&gt;Map&lt;/b&gt;" in page
    # names are JSON-escaped inside the script, never raw markup
    assert XSS not in page and "<script>window.__xss" not in page
    assert "tooltip_link" not in page and "popup.innerHTML" not in page


def test_standalone_html_shows_its_title_once_with_date_filters_and_legend(G, positions):
    """pyvis wrote the heading twice (issue 11): the print view writes it once."""
    from datetime import date

    view = network_view.people_view(G, positions=positions, color_by="stance", champions=["a"], selected="d")
    page = network_view.standalone_html(view, heading="Rollout map", filters=["stance: champion", XSS],
                                        made_on=date(2025, 3, 14), summary="4 of 4 people")
    assert page.count("Rollout map") == 2                      # <title> and <h1>
    assert page.count("<h1>Rollout map</h1>") == 1
    assert "Made on 2025-03-14" in page and "4 of 4 people" in page
    assert "stance: champion" in page and html.escape(XSS) in page and XSS not in page
    for label in ("champion (1)", "resistant (1)", "champion (suggested)", "selected: Dee href"):
        assert label in page
    assert "@page { size: A4 landscape" in page
    assert "Filters:</b> none: everyone is shown" in network_view.standalone_html(view, heading="x")


def test_key_people_are_labelled_by_default(G, positions, metrics):
    view = network_view.people_view(G, positions=positions, metrics=metrics, champions=["c"], blockers=["b"])
    assert view["pinned"][:2] == ["c", "b"] and set(view["pinned"]) == {"a", "b", "c", "d"}
    few = network_view.key_people(G, metrics, top=1)
    assert few == ["a"]
    threshold = {n["id"]: n["scaling"]["label"]["drawThreshold"] for n in view["nodes"]}
    # vis-network leaves the key people's names to the component, which writes them at any zoom
    assert threshold["c"] > 1000
    unpinned = network_view.people_view(G, positions=positions, metrics=None)
    assert unpinned["pinned"] == [] and {n["scaling"]["label"]["drawThreshold"] for n in unpinned["nodes"]} == {9}


def test_measures_have_readable_names_in_tooltips_and_details(G, positions, metrics):
    view = network_view.people_view(G, positions=positions, metrics=metrics, size_by="pagerank")
    assert "Reach (PageRank): 0.4" in view["nodes"][0]["title"]
    details = network_view.person_details(G, "a", metrics=metrics)
    assert details["metrics"]["metric"].tolist()[0] == "Reach (PageRank)"
    assert details["metrics"]["meaning"].str.len().min() > 10


def test_person_details(G, metrics):
    details = network_view.person_details(G, "b", metrics=metrics, champions=["b"])
    assert details["name"] == XSS
    assert details["roles"] == ["champion (suggested)", "blocker"]
    assert details["moves"]["id"].tolist() == ["c"] and details["moved_by"]["id"].tolist() == ["a"]
    assert dict(zip(details["attributes"]["field"], details["attributes"]["value"]))["site"] == "Rome"
    with pytest.raises(UnknownStakeholder):
        network_view.person_details(G, "zz")


def test_markdown_text_shows_markup_literally():
    assert markdown_text("<b>*x*</b>") == "&lt;b&gt;\\*x\\*&lt;/b&gt;"
    assert markdown_text(None) == ""
