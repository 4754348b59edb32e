"""Colouring the people drawing by adoption probability."""

from __future__ import annotations

import copy

import networkx as nx
import pytest

from stakeholder_map.graph import filter_graph
from stakeholder_map.presentation import network_view
from stakeholder_map.presentation.adoption_view import ADOPTION_BINS, adoption_colour, adoption_map, adoption_view

XSS = "<img src=x onerror=window.__xss=1>"


@pytest.fixture
def G():
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    nx.set_node_attributes(G, {"a": "IT", "b": "IT", "c": "HR", "d": "HR"}, "department")
    nx.set_node_attributes(G, {"a": "Ann", "b": XSS, "c": "Cy", "d": "Dee"}, "name")
    return G


def positions(G):
    return {v: (float(i), 0.0) for i, v in enumerate(G)}


@pytest.mark.parametrize("p, colour", [(0.0, "#eff3ff"), (0.0999, "#eff3ff"), (0.1, "#bdd7e7"),
                                       (0.25, "#6baed6"), (0.5, "#3182bd"), (0.75, "#08519c"),
                                       (1.0, "#08519c"), (None, "#eff3ff")])
def test_bins(p, colour):
    assert adoption_colour(p) == colour


def test_the_view_is_recoloured_not_changed(G):
    view = network_view.people_view(G, positions=positions(G), champions=["c"])
    before = copy.deepcopy(view)
    out = adoption_view(view, {"a": 1.0, "b": 0.6, "c": 0.2}, seeds=["a"], step=3)
    assert view == before
    nodes = {n["id"]: n for n in out["nodes"]}
    assert nodes["b"]["color"]["background"] == "#3182bd"
    assert nodes["d"]["color"]["background"] == "#eff3ff"          # missing = 0
    assert nodes["a"]["shape"] == "star" and "shape" not in nodes["c"]   # only seeds are stars here
    assert nodes["b"]["title"].startswith(XSS) and nodes["b"]["title"].endswith("Adopted by step 3: 60%")
    assert out["edges"] == view["edges"] and out["options"] == view["options"]


def test_legend_counts_everyone_drawn(G):
    out = adoption_view(network_view.people_view(G, positions=positions(G)), {"a": 1.0, "b": 0.5}, seeds=["a"])
    colours = [item for item in out["legend"] if item["kind"] == "colour"]
    assert [item["label"] for item in colours] == [label for _, label, _ in ADOPTION_BINS]
    assert sum(item["count"] for item in colours) == 4
    assert out["legend"][-1] == {"kind": "shape", "label": "starts convinced", "shape": "star"}
    assert "eventually" in {n["id"]: n for n in out["nodes"]}["b"]["title"]


def test_adoption_map_draws_only_the_part_shown(G):
    shown = filter_graph(G, departments=["HR"])
    out = adoption_map(G, {"c": 0.3}, positions=positions(G), seeds=["a"], step=1, shown=shown)
    assert sorted(n["id"] for n in out["nodes"]) == ["c", "d"]
    assert not [item for item in out["legend"] if item["kind"] == "shape"]   # the seed is not drawn
