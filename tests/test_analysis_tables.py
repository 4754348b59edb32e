"""Display frames of the analysis pages: champion and pilot tables, CLI lines, cards, grid, curves."""

from __future__ import annotations

import csv
import io
import shlex

import networkx as nx
import pandas as pd
import pytest

from stakeholder_map.analysis.champions import select_champions
from stakeholder_map.analysis.departments import department_profiles, influence_matrix
from stakeholder_map.analysis.centrality import stakeholder_metrics
from stakeholder_map.analysis.pilot import rank_pilot_departments, smallest_pilot
from stakeholder_map.analysis.roles import QUADRANTS
from stakeholder_map.analysis.simulation import simulate
from stakeholder_map.export import frame_to_csv
from stakeholder_map.presentation import analysis_tables, charts, commands

FORMULA = "=HYPERLINK(\"http://x\",\"y\")"


@pytest.fixture
def G():
    """Two departments; the hub ``a`` reaches everyone with p = 1."""
    G = nx.DiGraph()
    people = [("a", FORMULA, "IT", 2, 5, 4), ("b", "Bo", "IT", 1, 2, 5), ("c", "Cy", "HR", None, None, None),
              ("d", "<b>Dee</b>", "HR", -2, 4, 1), ("e", "Eve", "HR", 0, 1, 1)]
    for pid, name, dept, stance, influence, interest in people:
        G.add_node(pid, name=name, department=dept, stance=stance, influence=influence, interest=interest,
                   role="Lead")
    G.add_edges_from([("a", "b"), ("a", "c"), ("c", "d"), ("c", "e")], weight=1.0, ties=1)
    return G


def test_champion_table_rounds_and_names_the_departments_reached(G):
    result = select_champions(G, 2, model="ic", p=1.0, seed=0, disallowed_stances=())
    table = analysis_tables.champion_table(result)
    assert table["id"].tolist()[0] == "a"
    assert table.loc[0, "gain"] == 5.0 and table.loc[0, "cumulative"] == 5.0
    assert table.loc[0, "departments reached"] == "HR 3.0, IT 2.0"
    assert table["rank"].tolist() == [1, 2]


def test_champion_table_exports_without_live_formulas(G):
    result = select_champions(G, 1, model="ic", p=1.0, seed=0)
    rows = list(csv.reader(io.StringIO(frame_to_csv(analysis_tables.champion_table(result)).decode())))
    assert rows[0][:2] == ["rank", "name"]
    assert rows[1][1] == "'" + FORMULA


def test_empty_result_gives_an_empty_table():
    result = select_champions(nx.DiGraph(), 3, seed=0)
    assert analysis_tables.champion_table(result).empty
    frame = analysis_tables.lift_frame(result)
    assert frame["choice"].tolist()[0] == analysis_tables.OUR_CHOICE
    assert frame["lift"].iloc[1:].isna().all()


def test_lift_frame_compares_with_both_baselines(G):
    result = select_champions(G, 1, model="ic", p=1.0, seed=0, disallowed_stances=())
    frame = analysis_tables.lift_frame(result)
    assert frame["choice"].tolist() == [analysis_tables.OUR_CHOICE, *analysis_tables.BASELINE_LABELS.values()]
    assert frame.loc[0, "spread"] == 5.0


def test_pilot_tables_use_names(G):
    pilot = smallest_pilot(G, 1.0, model="ic", p=1.0, seed=0, disallowed_stances=())
    table = analysis_tables.pilot_table(pilot, G)
    assert table["id"].tolist() == ["a"]
    assert table.loc[0, "department"] == "IT" and table.loc[0, "share"] == 1.0
    ranking = analysis_tables.pilot_departments_table(rank_pilot_departments(G, per_department=1, model="ic", p=1.0,
                                                                   seed=0, disallowed_stances=()), G)
    assert ranking["department"].tolist() == ["IT", "HR"]
    assert ranking.loc[0, "champions"] == FORMULA
    assert analysis_tables.pilot_departments_table(pd.DataFrame(), G).empty


def test_disallowed_stances_is_the_complement():
    assert analysis_tables.disallowed_stances([]) == list(analysis_tables.STANCE_CHOICES)
    assert analysis_tables.disallowed_stances(analysis_tables.STANCE_CHOICES) == []


def test_command_lines_quote_hostile_map_names():
    name = "Acme; rm -rf / $(whoami)"
    line = commands.champions_command(name, 3, model="lt", min_per_department=1, exclude=["x y"],
                                   kinds=["advice"], seed=7)
    args = shlex.split(line)
    assert args[:4] == ["stakeholder-map", "champions", "--map", name]
    assert args[args.index("--exclude") + 1] == "x y"
    assert ["--kind", "advice"] == args[4:6] and args[-2:] == ["--seed", "7"]
    assert "--p" not in args                                   # p only matters to ic
    sim = shlex.split(commands.simulate_command(name, ["a", "b"], steps=5, runs=200, model="ic", p=0.25))
    assert sim[sim.index("--seeds") + 1] == "a,b" and sim[sim.index("--p") + 1] == "0.25"


def test_department_cards(G):
    profiles = department_profiles(G, stakeholder_metrics(G, seed=0))
    cards = {c["department"]: c for c in map(analysis_tables.department_card, profiles)}
    assert set(cards) == {"IT", "HR"}
    hr = cards["HR"]
    assert hr["size"] == 3 and "Cy" in hr["influencers"]
    assert hr["stance_mix"]["count"].sum() == 3 and hr["stance_mix"]["stance"].tolist() == list(analysis_tables.STANCE_CHOICES)
    assert "resistant 1" in hr["stance_text"]
    empty = analysis_tables.department_card({"department": "X", "size": 0})
    assert empty["influencers"] == empty["brokers"] == empty["blockers"] == ""


def test_power_interest_points_are_jittered_reproducibly(G):
    first = analysis_tables.power_interest_points(G, jitter=0.3, seed=1)
    again = analysis_tables.power_interest_points(G, jitter=0.3, seed=1)
    pd.testing.assert_frame_equal(first, again)
    exact = analysis_tables.power_interest_points(G, jitter=0)
    assert ((first["x"] - exact["x"]).abs().dropna() <= 0.3).all() and ((first["y"] - exact["y"]).abs().dropna() <= 0.3).all()
    row = exact.set_index("id").loc["c"]
    assert (row["scored"], row["quadrant"], row["influence"]) == ("none", "unscored", "")
    assert pd.isna(first.set_index("id").loc["c", "x"]) and pd.isna(row["y"])   # no place on the grid, not 3/3
    assert exact.set_index("id").loc["a", "quadrant"] == "manage closely"


def test_quadrant_summary_covers_everyone(G):
    summary = analysis_tables.quadrant_summary(analysis_tables.power_interest_points(G))
    assert [q["quadrant"] for q in summary] == [*QUADRANTS, "unscored"]
    assert sum(q["count"] for q in summary) == G.number_of_nodes()
    keep_satisfied = summary[1]
    assert keep_satisfied["examples"] == "<b>Dee</b>"        # plain text; the page escapes it
    assert analysis_tables.quadrant_summary(analysis_tables.power_interest_points(nx.DiGraph()))[0]["count"] == 0


def test_matrix_long_shares_sum_to_one_per_target(G):
    cells = analysis_tables.matrix_long(influence_matrix(G))
    into = cells.groupby("target")["share"].sum()
    assert into.round(6).tolist() == [1.0, 1.0]
    assert analysis_tables.matrix_long(pd.DataFrame()).empty


def test_curves_and_the_table_at_a_step(G):
    sim = simulate(G, ["a"], model="ic", p=1.0, steps=3, runs=20, seed=0)
    sizes = analysis_tables.department_sizes(G)
    assert sizes == {"HR": 3, "IT": 2, "All": 5}
    frame = analysis_tables.curves_frame(sim.curves, sizes, departments=["All", "HR"], share=True)
    assert set(frame["department"]) == {"All", "HR"}
    assert frame.query("department == 'All' and step == 3")["mean"].item() == 1.0
    table = analysis_tables.departments_at_step(sim.curves, sizes, 99)     # clamped to the last step
    assert table["department"].tolist() == ["HR", "IT", "All"]
    assert table["adopters"].tolist() == [3.0, 2.0, 5.0]
    at_start = analysis_tables.departments_at_step(sim.curves, sizes, 0)
    assert dict(zip(at_start["department"], at_start["adopters"])) == {"IT": 1.0, "HR": 0.0, "All": 1.0}
    assert at_start["department"].tolist() == ["IT", "HR", "All"]     # highest share first


def test_curve_choices_and_departments_of(G):
    options, first = analysis_tables.curve_choices(analysis_tables.department_sizes(G))
    assert options == first == ["All", "HR", "IT"]
    assert analysis_tables.departments_of(G, ["d", "a", "nobody"]) == ["HR", "IT"]


def test_unscored_people_are_counted_apart_with_a_note_that_the_grid_needs_both_columns(krackhardt):
    points = analysis_tables.power_interest_points(krackhardt)
    assert set(points["quadrant"]) == {"unscored"} and points[["x", "y"]].isna().all().all()
    summary = {q["quadrant"]: q for q in analysis_tables.quadrant_summary(points)}
    assert [summary[q]["count"] for q in QUADRANTS] == [0, 0, 0, 0]
    assert summary["unscored"]["count"] == 21
    assert "No influence / interest scores in the data" in summary["unscored"]["strategy"]
    assert "influence and interest columns" in summary["unscored"]["strategy"]
    card = analysis_tables.department_card(
        department_profiles(krackhardt, stakeholder_metrics(krackhardt, seed=0))[0])
    assert card["scores"] == "no influence / interest scores in the data"


def test_the_grid_chart_does_not_draw_unscored_people_in_the_middle(G):
    points = analysis_tables.power_interest_points(G)
    spec = charts.power_interest_chart(points)
    drawn = {p["id"] for p in spec["layer"][1]["data"]["values"]}
    unscored = set(points.loc[points["quadrant"] == "unscored", "id"])
    assert unscored and not drawn & unscored and drawn == set(points["id"]) - unscored
    assert spec["title"]["text"] == [f"{len(unscored)} of {len(points)} people not drawn: no influence / interest "
                                     "scores in the data (the grid needs both columns)"]
