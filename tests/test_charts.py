"""Vega-Lite specs of the analysis pages: plain JSON, data inline, no URL, the app's colours."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest

from stakeholder_map.analysis.champions import select_champions
from stakeholder_map.analysis.departments import influence_matrix
from stakeholder_map.analysis.simulation import simulate
from stakeholder_map.presentation import analysis_tables, charts, styles

XSS = "<img src=x onerror=window.__xss=1>"


@pytest.fixture
def G():
    G = nx.DiGraph()
    for pid, name, dept, stance, power, interest in [("a", "Ann", "IT", 2, 5, 5), ("b", XSS, "IT", -2, 2, 4),
                                                     ("c", "Cy", "<i>HR</i>", None, None, 2)]:
        G.add_node(pid, name=name, department=dept, stance=stance, influence=power, interest=interest)
    G.add_edges_from([("a", "b", {"weight": 2.0, "ties": 1}), ("b", "c", {"weight": 1.0, "ties": 1})])
    return G


def all_specs(G):
    result = select_champions(G, 1, model="ic", p=1.0, seed=0)
    card = analysis_tables.department_card({"department": "IT", "size": 2, "stance_mix": {"champion": 1, "resistant": 1}})
    sim = simulate(G, ["a"], model="ic", p=0.5, steps=3, runs=50, seed=0)
    return [
        charts.lift_chart(analysis_tables.lift_frame(result)),
        charts.stance_mix_chart(card["stance_mix"]),
        charts.power_interest_chart(analysis_tables.power_interest_points(G)),
        charts.influence_heatmap(analysis_tables.matrix_long(influence_matrix(G))),
        charts.adoption_curves_chart(analysis_tables.curves_frame(sim.curves, analysis_tables.department_sizes(G), share=True),
                                     share=True, colours=charts.department_colours(G), step=2),
    ]


def test_specs_are_plain_json_without_urls(G):
    for spec in all_specs(G):
        text = json.dumps(spec)                      # raises on numpy or pandas values
        assert "http" not in text and "$schema" not in text


def test_csv_text_travels_as_data_not_markup(G):
    grid = charts.power_interest_chart(analysis_tables.power_interest_points(G))
    points = grid["layer"][1]["data"]["values"]
    assert XSS in {p["name"] for p in points}
    assert all(t["type"] == "nominal" for t in grid["layer"][1]["encoding"]["tooltip"])
    heatmap = charts.influence_heatmap(analysis_tables.matrix_long(influence_matrix(G)))
    assert "<i>HR</i>" in {c["source"] for c in heatmap["data"]["values"]}


def test_stance_colours_match_the_map_page():
    spec = charts.stance_mix_chart(pd.DataFrame({"stance": ["resistant", "champion"], "count": [1, 0]}))
    scale = spec["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"])) == {k: styles.STANCE_COLOURS[k] for k in analysis_tables.STANCE_CHOICES}
    assert [row["stance"] for row in spec["data"]["values"]] == ["resistant"]    # empty stances left out


def test_department_colours_match_the_map_page(G):
    colours = charts.department_colours(G)
    expected = styles.category_colours(styles.node_categories(G, "department"), "department")
    assert {k: v for k, v in colours.items() if k != "All"} == expected
    assert colours["All"] == charts.ALL_COLOUR


def test_lift_chart_labels_our_lift(G):
    frame = pd.DataFrame({"choice": [analysis_tables.OUR_CHOICE, "Most ties (best connected)"], "spread": [10.0, 4.0],
                          "lift": [1.0, 2.5], "people": ["a", "b"]})
    labels = [row["label"] for row in charts.lift_chart(frame)["data"]["values"]]
    assert labels == ["10.0", "4.0 (ours ×2.50)"]


def test_large_grids_are_sampled_and_say_so():
    points = pd.DataFrame({"id": [str(i) for i in range(30)], "name": "x", "department": "d", "role": "",
                           "stance": "neutral", "influence": "", "interest": "", "quadrant": "monitor",
                           "scored": "none", "x": 3.0, "y": 3.0})
    spec = charts.power_interest_chart(points, max_points=10, seed=0)
    assert len(spec["layer"][1]["data"]["values"]) == 10
    assert spec["title"] == "A random sample of 10 of the 30 people"
    again = charts.power_interest_chart(points, max_points=10, seed=0)
    assert again["layer"][1]["data"]["values"] == spec["layer"][1]["data"]["values"]


def test_heatmap_labels_only_small_matrices():
    cells = analysis_tables.matrix_long(pd.DataFrame(1.0, index=list("abcdefghijklm"), columns=list("abcdefghijklm")))
    assert len(charts.influence_heatmap(cells)["layer"]) == 1
    assert len(charts.influence_heatmap(cells, labels=True)["layer"]) == 2


def test_curves_in_shares_use_percent_axes(G):
    sim = simulate(G, ["a"], model="ic", p=1.0, steps=2, runs=10, seed=0)
    frame = analysis_tables.curves_frame(sim.curves, analysis_tables.department_sizes(G))
    counts = charts.adoption_curves_chart(frame)
    shares = charts.adoption_curves_chart(frame, share=True)
    assert counts["layer"][1]["encoding"]["y"]["axis"]["format"] == ",.1f"
    assert shares["layer"][1]["encoding"]["y"]["axis"]["format"] == ".0%"
    assert len(counts["layer"]) == 2        # no step marker unless asked
