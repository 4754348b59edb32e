"""communities: obvious groups, seeds, degenerate graphs, modularity against networkx."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from stakeholder_map.analysis import arrays
from stakeholder_map.analysis.communities import communities, modularity


def two_triangles() -> nx.DiGraph:
    return nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d"), ("c", "d")])


def karate() -> nx.DiGraph:
    return nx.DiGraph(nx.karate_club_graph())  # both directions of every tie, weights kept


def test_two_triangles_are_two_communities():
    labels = communities(two_triangles(), seed=0)
    assert labels["a"] == labels["b"] == labels["c"]
    assert labels["d"] == labels["e"] == labels["f"]
    assert labels["a"] != labels["d"]


def test_labels_are_numbered_by_size():
    G = two_triangles()
    G.add_edges_from([("f", "g"), ("g", "e")])
    labels = communities(G, seed=0)
    assert labels["g"] == labels["d"] == 0  # the group of four is the largest
    assert labels["a"] == 1


def test_same_seed_same_communities():
    G = karate()
    assert communities(G, seed=42) == communities(G, seed=42)
    assert communities(G, seed=random.Random(42)) == communities(G, seed=42)


def test_seeded_run_leaves_the_global_random_state_alone():
    state = random.getstate()
    communities(karate(), seed=1)
    assert random.getstate() == state


def test_karate_modularity_is_near_the_known_optimum():
    G = karate()
    labels = communities(G, seed=0)
    parts = [{n for n, c in labels.items() if c == k} for k in set(labels.values())]
    assert nx.community.modularity(nx.karate_club_graph(), parts, weight="weight") > 0.43


def test_isolates_and_empty_graph():
    assert communities(nx.DiGraph()) == {}
    G = nx.DiGraph()
    G.add_nodes_from("xyz")
    assert sorted(communities(G, seed=0).values()) == [0, 1, 2]
    H = two_triangles()
    H.add_node("alone")
    labels = communities(H, seed=0)
    assert list(labels.values()).count(labels["alone"]) == 1


@pytest.mark.parametrize("resolution", [0.5, 1.0, 2.0])
def test_modularity_matches_networkx(resolution):
    G = nx.gnp_random_graph(30, 0.15, seed=5, directed=True)
    rng = random.Random(5)
    for u, v in G.edges:
        G[u][v]["weight"] = rng.randint(1, 4)
    ids, src, dst, w = arrays.graph_arrays(G)
    u, v, mw = arrays.undirected(len(ids), src, dst, w)
    undirected = nx.Graph()
    undirected.add_nodes_from(G)
    for a, b, weight in G.edges(data="weight"):
        old = undirected.get_edge_data(a, b, {"weight": 0})["weight"]
        undirected.add_edge(a, b, weight=old + weight)
    labels = np.array([i % 4 for i in range(len(ids))])
    parts = [{ids[i] for i in np.flatnonzero(labels == k)} for k in range(4)]
    expected = nx.community.modularity(undirected, parts, weight="weight", resolution=resolution)
    assert modularity(len(ids), u, v, mw, labels, resolution=resolution) == pytest.approx(expected)


def test_higher_resolution_gives_more_communities():
    G = karate()
    assert len(set(communities(G, resolution=2.0, seed=0).values())) > len(
        set(communities(G, resolution=0.5, seed=0).values())
    )
