"""Fixed positions for drawing: seeded, clustered by department, never overlapping discs."""

from __future__ import annotations

import math
import tracemalloc
from io import BytesIO

import networkx as nx
import numpy as np
import pytest
from scipy.spatial import cKDTree

from stakeholder_map.presentation import layout
from stakeholder_map.graph import build_graph
from stakeholder_map.ingest import read_map
from stakeholder_map.presentation.layout import (
    DENSE_LAYOUT_LIMIT,
    NODE_SPACING,
    department_centres,
    department_layout,
    department_radius,
)
from stakeholder_map.synthetic import synthetic_organisation


def synthetic_graph(n: int, seed: int = 0) -> nx.DiGraph:
    people, ties = synthetic_organisation(n, ties_per_person=4, seed=seed)
    data = read_map(BytesIO(people.to_csv(index=False).encode()), BytesIO(ties.to_csv(index=False).encode()))
    return build_graph(data.people, data.ties)


@pytest.fixture(scope="module")
def G():
    return synthetic_graph(150)


def test_empty_graph_has_no_positions():
    assert department_layout(nx.DiGraph()) == {}


def test_single_person_sits_at_the_origin():
    G = nx.DiGraph()
    G.add_node("a", department="IT")
    assert department_layout(G) == {"a": (0.0, 0.0)}


def test_everyone_gets_a_finite_position(G):
    pos = department_layout(G)
    assert set(pos) == set(G)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())


def test_same_seed_same_positions_other_seed_other_positions(G):
    assert department_layout(G, seed=3) == department_layout(G, seed=3)
    assert department_layout(G, seed=3) != department_layout(G, seed=4)


def test_one_department_is_laid_out_as_in_the_full_layout(G):
    full = department_layout(G)
    dept = G.nodes[next(iter(G))]["department"]
    part = department_layout(G, departments=[dept])
    assert part and all(part[v] == full[v] for v in part)
    assert {G.nodes[v]["department"] for v in part} == {dept}


def test_people_stay_inside_their_departments_disc(G):
    pos = department_layout(G)
    sizes = {}
    for _, d in G.nodes(data="department"):
        sizes[d] = sizes.get(d, 0) + 1
    centres = department_centres(sizes)
    for v, (x, y) in pos.items():
        d = G.nodes[v]["department"]
        cx, cy = centres[d]
        assert math.hypot(x - cx, y - cy) <= department_radius(sizes[d]) + 1e-6


def test_department_discs_do_not_overlap():
    sizes = {"Big": 400, "Mid": 60, "Small": 3, "Tiny": 1, "Other": 25}
    centres = department_centres(sizes)
    names = list(sizes)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            gap = math.dist(centres[a], centres[b])
            assert gap >= department_radius(sizes[a]) + department_radius(sizes[b])


def test_people_do_not_pile_up():
    """Within a department nobody sits on top of someone else."""
    G = synthetic_graph(120, seed=2)
    pos = department_layout(G)
    points = list(pos.values())
    closest = min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1:])
    assert closest > 5.0


# Large departments: a department of more than DENSE_LAYOUT_LIMIT people is
# laid out in memory that grows with its people and ties, not their pairs.

BIG = 5_500  # a dense people-by-people float array alone would take 5,500² × 8 B = 242 MB


def team_organisation(n: int = BIG, team: int = 25, seed: int = 0) -> nx.DiGraph:
    """``n`` people in Sales, in teams of ``team``, each tied to three teammates and
    one other colleague; plus a 40-person Legal department."""
    rng = np.random.default_rng(seed)
    G = nx.DiGraph()
    G.add_nodes_from((f"s{i:05d}", {"department": "Sales"}) for i in range(n))
    G.add_nodes_from((f"l{i:02d}", {"department": "Legal"}) for i in range(40))
    source = np.repeat(np.arange(n), 3)
    mate = (source // team) * team + rng.integers(0, team, len(source))
    mate = np.minimum(mate, n - 1)
    other = rng.integers(0, n, n)
    pairs = [(a, b) for a, b in zip(source.tolist(), mate.tolist())] + list(enumerate(other.tolist()))
    G.add_edges_from((f"s{a:05d}", f"s{b:05d}", {"weight": float(1 + a % 3)}) for a, b in pairs if a != b)
    G.add_edges_from((f"l{i:02d}", f"l{(i + 1) % 40:02d}", {"weight": 1.0}) for i in range(40))
    G.add_edges_from((f"l{i:02d}", f"s{i:05d}", {"weight": 1.0}) for i in range(40))
    return G


@pytest.fixture(scope="module")
def big():
    return team_organisation()


def test_a_large_department_needs_memory_for_its_people_and_ties_not_their_pairs(big):
    assert BIG > DENSE_LAYOUT_LIMIT
    tracemalloc.start()
    try:
        pos = department_layout(big, departments=["Sales"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(pos) == BIG
    assert peak < 50e6  # the dense layout peaks at ~1.7 GB here


def test_everyone_in_a_large_department_sits_inside_its_disc(big):
    pos = department_layout(big)
    assert set(pos) == set(big)
    sizes = {"Sales": BIG, "Legal": 40}
    centres = department_centres(sizes)
    for v, (x, y) in pos.items():
        d = big.nodes[v]["department"]
        assert math.hypot(x - centres[d][0], y - centres[d][1]) <= department_radius(sizes[d])


def test_a_large_department_same_seed_same_positions_other_seed_other_positions(big):
    first = department_layout(big, departments=["Sales"], seed=3)
    assert department_layout(big, departments=["Sales"], seed=3) == first
    assert department_layout(big, departments=["Sales"], seed=4) != first


def test_a_large_department_is_laid_out_as_in_the_full_layout(big):
    full = department_layout(big)
    part = department_layout(big, departments=["Sales"])
    assert set(part) == {v for v, d in big.nodes(data="department") if d == "Sales"}
    assert all(part[v] == full[v] for v in part)


def test_in_a_large_department_nobody_piles_up(big):
    pos = department_layout(big, departments=["Sales"])
    points = np.array(list(pos.values()))
    closest, _ = cKDTree(points).query(points, k=2)
    assert closest[:, 1].min() > NODE_SPACING / 2


def test_in_a_large_department_tied_people_sit_closer_than_strangers(big):
    pos = department_layout(big, departments=["Sales"])
    ties = [(u, v) for u, v in big.edges if u in pos and v in pos]
    tie_length = np.mean([math.dist(pos[u], pos[v]) for u, v in ties])
    people = sorted(pos)
    rng = np.random.default_rng(1)
    strangers = rng.integers(0, len(people), (2, 20_000))
    stranger_distance = np.mean([math.dist(pos[people[a]], pos[people[b]]) for a, b in strangers.T])
    assert tie_length < 0.5 * stranger_distance


def test_the_large_department_method_takes_odd_ties_in_its_stride(monkeypatch):
    """Ties to oneself, both directions, zero weight and people without ties."""
    monkeypatch.setattr(layout, "DENSE_LAYOUT_LIMIT", 10)
    G = nx.DiGraph()
    G.add_nodes_from((f"p{i:02d}", {"department": "IT"}) for i in range(60))
    G.add_edge("p00", "p00", weight=2.0)
    G.add_edge("p01", "p02", weight=1.0)
    G.add_edge("p02", "p01", weight=3.0)
    G.add_edge("p03", "p04", weight=0.0)
    pos = department_layout(G)
    assert set(pos) == set(G) and len(set(pos.values())) == 60
    radius = department_radius(60)
    assert all(math.hypot(x, y) <= radius for x, y in pos.values())
