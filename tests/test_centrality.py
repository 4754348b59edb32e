"""stakeholder_metrics: Krackhardt's advice network, networkx as the reference, degenerate graphs."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from stakeholder_map.analysis.centrality import COLUMNS, stakeholder_metrics
from stakeholder_map.analysis.communities import communities
from stakeholder_map.graph import build_graph
from stakeholder_map.ingest import read_map


def weighted_digraph(seed: int, n: int = 30, p: float = 0.12) -> nx.DiGraph:
    """A small random digraph with integer weights, mutual ties and an isolate."""
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    rng = random.Random(seed)
    for u, v in G.edges:
        G[u][v]["weight"] = rng.randint(1, 5)
    G.add_node("lonely")
    return G


def column(df, name) -> dict:
    return dict(zip(df["id"], df[name]))


def assert_close(ours: dict, ref: dict, tol: float) -> None:
    assert ours.keys() == ref.keys()
    for node, value in ref.items():
        if isinstance(value, float) and math.isnan(value):
            assert math.isnan(ours[node]), node
        else:
            assert ours[node] == pytest.approx(value, abs=tol), node


@pytest.fixture
def advice(krackhardt_files):
    data = read_map(*krackhardt_files)
    return build_graph(data.people, data.ties, kinds=["advice"])


def test_krackhardt_manager_2_is_the_most_sought_adviser(advice):
    df = stakeholder_metrics(advice)
    top = df.sort_values("out_degree", ascending=False).iloc[0]
    assert (top["id"], top["out_degree"]) == ("2", 18)
    assert len(df) == 21 and df["in_degree"].sum() == df["out_degree"].sum() == 190


def test_krackhardt_scores_match_networkx(advice):
    df = stakeholder_metrics(advice)
    assert_close(column(df, "betweenness"), nx.betweenness_centrality(advice), 1e-12)
    assert_close(column(df, "constraint"), nx.constraint(advice, weight="weight"), 1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scores_match_networkx_references(seed):
    G = weighted_digraph(seed)
    df = stakeholder_metrics(G, seed=seed)
    assert list(df.columns) == list(COLUMNS)
    assert list(df["id"]) == list(G)
    assert column(df, "in_degree") == dict(G.in_degree())
    assert column(df, "out_degree") == dict(G.out_degree())
    assert_close(column(df, "in_weight"), dict(G.in_degree(weight="weight")), 1e-12)
    assert_close(column(df, "out_weight"), dict(G.out_degree(weight="weight")), 1e-12)
    # Influence rank = PageRank of the reversed graph.
    reference = nx.pagerank(G.reverse(), weight="weight", tol=1e-14, max_iter=10_000)
    assert_close(column(df, "pagerank"), reference, 1e-8)
    assert_close(column(df, "betweenness"), nx.betweenness_centrality(G), 1e-12)
    assert_close(column(df, "constraint"), nx.constraint(G, weight="weight"), 1e-12)
    assert_close(column(df, "effective_size"), reference_effective_size(G), 1e-12)
    assert column(df, "core") == nx.core_number(G.to_undirected())


def reference_effective_size(G: nx.DiGraph, weight: str | None = "weight") -> dict:
    """networkx's effective size by Burt's definition.

    ``nodes=list(G)`` takes networkx's per-node path, which follows the
    definition; its vectorised all-nodes path (3.6) normalises ``m_vw`` by
    the wrong axis (networkx PR #8906). The per-node path calls a node with
    no *out*-ties isolated (it tests ``G[v]``); such nodes take the value on
    the reversed graph, which has the same mutual weights.
    """
    forward = nx.effective_size(G, nodes=list(G), weight=weight)
    backward = nx.effective_size(G.reverse(), nodes=list(G), weight=weight)
    return {v: backward[v] if G.out_degree(v) == 0 else forward[v] for v in G}


def test_unweighted_graph_matches_networkx_defaults():
    G = nx.gnp_random_graph(25, 0.2, seed=7, directed=True)
    df = stakeholder_metrics(G)
    assert_close(column(df, "constraint"), nx.constraint(G), 1e-12)
    assert_close(column(df, "effective_size"), reference_effective_size(G, weight=None), 1e-12)


def test_sampled_betweenness_is_networkx_pivot_sampling():
    G = weighted_digraph(3, n=40)
    df = stakeholder_metrics(G, seed=11, exact_betweenness_limit=10, betweenness_pivots=12)
    assert_close(column(df, "betweenness"), nx.betweenness_centrality(G, k=12, seed=11), 1e-12)
    assert df.attrs["methods"]["betweenness"].startswith("sampled")
    assert "12 of 41 pivot sources, seed 11" in df.attrs["methods"]["betweenness"]


def test_methods_say_which_algorithm_ran():
    methods = stakeholder_metrics(weighted_digraph(0)).attrs["methods"]
    assert methods["betweenness"].startswith("exact")
    assert {"pagerank", "betweenness", "constraint", "effective_size", "core", "community", "roles"} <= methods.keys()
    assert "reversed" in methods["pagerank"]


def test_influence_flows_to_who_moves_the_influential():
    # hub moves five people; x moves hub; y moves one leaf.
    G = nx.DiGraph([("hub", f"p{i}") for i in range(5)] + [("x", "hub"), ("y", "p0")])
    rank = column(stakeholder_metrics(G), "pagerank")
    assert rank["x"] > rank["y"]
    assert rank["hub"] > rank["p1"]
    assert sum(rank.values()) == pytest.approx(1.0)


def test_empty_graph_gives_empty_frame_with_the_columns():
    df = stakeholder_metrics(nx.DiGraph())
    assert list(df.columns) == list(COLUMNS) and len(df) == 0
    assert "betweenness" in df.attrs["methods"]


def test_edgeless_graph():
    G = nx.DiGraph()
    G.add_nodes_from(["a", "b", "c"])
    df = stakeholder_metrics(G)
    assert df["roles"].tolist() == [["isolate"]] * 3
    assert df["constraint"].isna().all() and df["effective_size"].isna().all()
    assert df["pagerank"].tolist() == pytest.approx([1 / 3] * 3)
    assert sorted(df["community"]) == [0, 1, 2]


def test_node_attributes_and_isolates():
    G = nx.DiGraph()
    G.add_node("a", name="Ann", department="IT", stance=-2, influence=5, interest=4)
    G.add_node("b", name="Bo", department="IT", stance=None, influence=None, interest=5)
    G.add_node("c", name="Cy", department="HR", stance=1)
    G.add_node("d")
    G.add_edges_from([("a", "b"), ("b", "c"), ("c", "a")])
    df = stakeholder_metrics(G).set_index("id")
    assert df["stance"].tolist() == [-2, None, 1, None]
    assert df["quadrant"].tolist() == ["manage closely", "unscored", "unscored", "unscored"]
    assert df.loc["d", "name"] == "d" and df.loc["d", "department"] == "Unassigned"
    assert df.loc["d", "roles"] == ["isolate"] and df.loc["d", "core"] == 0


def test_same_seed_same_table():
    G = weighted_digraph(5, n=60, p=0.08)
    one = stakeholder_metrics(G, seed=4, exact_betweenness_limit=0, betweenness_pivots=15)
    two = stakeholder_metrics(G, seed=4, exact_betweenness_limit=0, betweenness_pivots=15)
    assert one.equals(two)
    assert column(one, "community") == communities(G, seed=4)
