"""Fixed positions for drawing: seeded, clustered by department, never overlapping discs."""

from __future__ import annotations

import math
from io import BytesIO

import networkx as nx
import pytest

from stakeholder_map.graph import build_graph
from stakeholder_map.ingest import read_map
from stakeholder_map.layout import department_centres, department_layout, department_radius
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
