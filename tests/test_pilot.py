"""Start small: the smallest pilot for a target share, and where to start."""

from __future__ import annotations

import networkx as nx
import pytest

from stakeholder_map.analysis.champions import sample_pool
from stakeholder_map.analysis.pilot import PilotResult, rank_pilot_departments, smallest_pilot
from stakeholder_map.errors import UnknownStakeholder


def two_teams():
    """Team A: a → a1..a3; team B: b → b1; an isolate z."""
    G = nx.DiGraph()
    for v, d in [("a", "A"), ("a1", "A"), ("a2", "A"), ("a3", "A"), ("b", "B"), ("b1", "B"), ("z", "C")]:
        G.add_node(v, department=d)
    G.add_edges_from([("a", "a1"), ("a", "a2"), ("a", "a3"), ("b", "b1")])
    return G


def test_smallest_pilot_stops_as_soon_as_the_share_is_reached():
    G = two_teams()
    half = smallest_pilot(G, 0.5, model="ic", p=1.0, seed=0)
    assert half.ids == ["a"] and half.reached
    assert half.share == pytest.approx(4 / 7, rel=0.03)
    most = smallest_pilot(G, 0.8, model="ic", p=1.0, seed=0)
    assert most.ids == ["a", "b"] and most.reached
    assert most.curve == pytest.approx([4.0, 6.0], rel=0.03)


def test_department_target_counts_only_that_department():
    pilot = smallest_pilot(two_teams(), 1.0, department="B", model="ic", p=1.0, seed=0)
    assert pilot.ids == ["b"] and pilot.target_size == 2 and pilot.share == pytest.approx(1.0)


def test_unreachable_target_is_reported():
    pilot = smallest_pilot(two_teams(), 1.0, model="ic", p=1.0, max_size=2, seed=0)
    assert not pilot.reached
    assert len(pilot.ids) == 2 and pilot.share < 1.0
    assert pilot.max_size == 2


def test_larger_target_needs_no_fewer_champions(krackhardt):
    sizes = [len(smallest_pilot(krackhardt, share, seed=3).ids) for share in (0.2, 0.4, 0.6)]
    assert sizes == sorted(sizes) and sizes[0] >= 1


def test_krackhardt_department_pilot_reaches_its_target(krackhardt):
    pilot = smallest_pilot(krackhardt, 0.5, department="Dept 2", seed=1)
    assert isinstance(pilot, PilotResult) and pilot.reached
    assert pilot.share >= 0.5 and pilot.target_size == 8


def test_constraints_and_pool_are_honoured(krackhardt):
    pool = sample_pool(krackhardt, seed=4)
    pilot = smallest_pilot(krackhardt, 0.5, pool=pool, pin=["1"], exclude=["2"])
    assert pilot.ids[0] == "1" and "2" not in pilot.ids
    with pytest.raises(ValueError, match="sample pool"):
        smallest_pilot(krackhardt, 0.5, pool=pool, model="wc")


def test_bad_arguments_raise(krackhardt):
    with pytest.raises(ValueError):
        smallest_pilot(krackhardt, 0.0)
    with pytest.raises(ValueError, match="no department"):
        smallest_pilot(krackhardt, 0.5, department="Narnia")
    with pytest.raises(UnknownStakeholder):
        smallest_pilot(krackhardt, 0.5, exclude=["nobody"])


def test_empty_graph():
    assert smallest_pilot(nx.DiGraph(), 0.5).ids == []
    assert rank_pilot_departments(nx.DiGraph()).empty


def test_same_seed_same_pilot(krackhardt):
    assert smallest_pilot(krackhardt, 0.5, seed=8) == smallest_pilot(krackhardt, 0.5, seed=8)


def test_rank_pilot_departments(krackhardt):
    table = rank_pilot_departments(krackhardt, per_department=2, seed=2)
    assert list(table.columns) == ["department", "size", "champions", "spread_inside",
                                   "spread_beyond", "spread_total"]
    assert len(table) == 5 and table["size"].sum() == 21
    assert table["spread_beyond"].is_monotonic_decreasing
    assert (table["spread_inside"] + table["spread_beyond"]).to_numpy() == pytest.approx(
        table["spread_total"].to_numpy())
    for _, row in table.iterrows():
        assert len(row["champions"]) == min(2, row["size"])
        assert all(krackhardt.nodes[c]["department"] == row["department"] for c in row["champions"])


def test_rank_prefers_the_department_that_reaches_out():
    G = two_teams()
    G.add_edge("b", "a")          # B's head moves A's head
    table = rank_pilot_departments(G, per_department=1, model="ic", p=1.0, seed=0)
    assert table["department"].iloc[0] == "B"
    assert table["spread_beyond"].iloc[0] == pytest.approx(4.0, abs=0.2)
