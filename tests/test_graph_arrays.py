"""A map as arrays (graph.MapArrays) gives what the networkx graph gives: same edges, metrics, champions.

Big maps are analysed on arrays read straight from the store; these tests hold
that path to the networkx one on small graphs (and ``build_graph`` itself to
the obvious row-by-row construction).
"""

from __future__ import annotations

import random
from io import BytesIO

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

import stakeholder_map.workspace as workspace_module
from stakeholder_map.analysis import _centrality_kernels
from stakeholder_map.analysis.centrality import stakeholder_metrics
from stakeholder_map.analysis.champions import select_champions
from stakeholder_map.analysis.diffusion import diffusion_graph, diffusion_graph_from_arrays
from stakeholder_map.analysis.simulation import simulate
from stakeholder_map.graph import arrays_from_frames, build_graph, map_arrays
from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store
from stakeholder_map.synthetic import synthetic_organisation
from stakeholder_map.workspace import Workspace


def _reference_graph(people: pd.DataFrame, ties: pd.DataFrame, kinds=None) -> nx.DiGraph:
    """``build_graph``'s contract, the slow obvious way: one row at a time."""
    G = nx.DiGraph()
    for row in people.to_dict("records"):
        data = {c: (None if row.get(c) is None or row.get(c) is pd.NA or row.get(c) != row.get(c) else row[c])
                for c in ("name", "department", "role", "seniority", "stance", "influence", "interest",
                          "email", "notes")}
        data["department"] = data["department"] or "Unassigned"
        data["attributes"] = dict(row.get("attributes") or {})
        G.add_node(str(row["id"]), **data)
    extra = set()
    for row in ties.to_dict("records"):
        kind = row.get("kind") if isinstance(row.get("kind"), str) else None
        if kinds is not None and kind not in kinds:
            continue
        u, v = str(row["source"]), str(row["target"])
        if u == v:
            continue
        for x in (u, v):
            if x not in G:
                extra.add(x)
        weight = row.get("weight")
        weight = 1.0 if weight is None or weight != weight else float(weight)
        if G.has_edge(u, v):
            G[u][v]["weight"] += weight
            G[u][v]["ties"] += 1
            G[u][v]["kinds"] = tuple(sorted(set(G[u][v]["kinds"]) | ({kind} if kind else set())))
        else:
            for x in (u, v):
                if x not in G:
                    G.add_node(x)
            G.add_edge(u, v, weight=weight, ties=1, kinds=(kind,) if kind else ())
    return G


@pytest.fixture(scope="module")
def organisation():
    people, ties = synthetic_organisation(400, ties_per_person=5, seed=3)
    data = read_map(BytesIO(people.to_csv(index=False).encode()), BytesIO(ties.to_csv(index=False).encode()))
    return data.people, data.ties


def test_build_graph_is_the_row_by_row_graph_in_the_same_order():
    people = pd.DataFrame({"id": ["a", "b", "c", "b"], "name": ["Ann", "Bo", None, "Bob"],
                           "department": ["IT", "", None, "HR"], "stance": pd.array([1, None, -2, 2], "Int64")})
    ties = pd.DataFrame({"source": ["c", "a", "a", "b", "z", "a", "c", "y"],
                         "target": ["a", "b", "b", "b", "a", "c", "a", "y"],
                         "weight": [1.0, 2.0, np.nan, 5.0, 1.5, 0.5, 3.0, 1.0],
                         "kind": ["advice", "friendship", "advice", "advice", None, "advice", "advice", "x"]})
    for kinds in (None, ["advice"]):
        got = build_graph(people, ties, kinds=kinds)
        want = _reference_graph(people.iloc[[0, 3, 2]].reset_index(drop=True), ties, kinds)
        assert list(got.nodes(data=True))[:3] == [
            ("a", want.nodes["a"]), ("b", want.nodes["b"]), ("c", want.nodes["c"])]
        assert list(got.nodes) == ["a", "b", "c"] + sorted(set(want) - {"a", "b", "c"})
        assert list(got.edges(data=True)) == list(want.edges(data=True))
        assert [list(got.pred[v]) for v in got] == [list(want.pred[v]) for v in got]
    assert "y" not in build_graph(people, ties)  # named only by a tie to themself


def test_arrays_are_the_graphs_edges(organisation):
    people, ties = organisation
    G = build_graph(people, ties)
    arrays = arrays_from_frames(people, ties)
    assert arrays.ids == list(G)
    edges = sorted((arrays.ids[u], arrays.ids[v], w, n)
                   for u, v, w, n in zip(arrays.src, arrays.dst, arrays.weight, arrays.ties))
    assert edges == sorted((u, v, d["weight"], d["ties"]) for u, v, d in G.edges(data=True))


def test_the_stores_pairs_give_the_frames_arrays(organisation, store):
    people, ties = organisation
    store.import_map("Org", read_map(BytesIO(people.to_csv(index=False).encode()),
                                     BytesIO(ties.to_csv(index=False).encode())))
    for kinds in (None, ["advice"]):
        stored = map_arrays(store.people("Org"), store.tie_pairs("Org", kinds))
        framed = arrays_from_frames(store.people("Org"), store.ties("Org"), kinds=kinds)
        assert stored.ids == framed.ids
        for field in ("src", "dst", "ties"):
            assert getattr(stored, field).tolist() == getattr(framed, field).tolist()
        np.testing.assert_allclose(stored.weight, framed.weight)


def test_metrics_on_arrays_are_the_graphs(organisation):
    people, ties = organisation
    G, arrays = build_graph(people, ties), arrays_from_frames(people, ties)
    for limit in (3000, 0):  # exact betweenness, then the sampled estimate (compiled Brandes)
        on_graph = stakeholder_metrics(G, seed=5, exact_betweenness_limit=limit)
        on_arrays = stakeholder_metrics(arrays, seed=5, exact_betweenness_limit=limit)
        assert on_graph.attrs["methods"] == on_arrays.attrs["methods"]
        for column in on_graph:
            if on_graph[column].dtype == float:
                np.testing.assert_allclose(on_arrays[column], on_graph[column], rtol=1e-9, atol=1e-12,
                                           err_msg=column)
            else:
                assert on_arrays[column].tolist() == on_graph[column].tolist(), column


def test_compiled_brandes_counts_what_igraph_counts():
    G = nx.gnp_random_graph(300, 0.02, seed=2, directed=True)
    src, dst = np.array(G.edges, dtype=np.int64).T
    order = np.lexsort((dst, src))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=300))]).astype(np.int64)
    sources = np.array(random.Random(1).sample(range(300), 40), dtype=np.int64)
    got = _centrality_kernels.brandes(indptr, dst[order].astype(np.int32), 300, sources)
    want = ig.Graph(n=300, edges=list(G.edges), directed=True).betweenness(directed=True, sources=sources.tolist())
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


def test_the_diffusion_graph_of_the_arrays_is_the_graphs(organisation):
    people, ties = organisation
    from_graph = diffusion_graph(build_graph(people, ties))
    from_arrays = diffusion_graph_from_arrays(arrays_from_frames(people, ties))
    for field in ("ids", "names", "departments", "stances", "department_names"):
        assert getattr(from_arrays, field) == getattr(from_graph, field), field
    for field in ("seniority", "influence", "out_ptr", "out_dst", "weights", "out_prob", "in_ptr", "in_src"):
        np.testing.assert_array_equal(getattr(from_arrays, field), getattr(from_graph, field), err_msg=field)


def test_same_champions_and_curves_from_the_arrays_with_the_same_seed(organisation):
    people, ties = organisation
    G, dg = build_graph(people, ties), diffusion_graph_from_arrays(arrays_from_frames(people, ties))
    for model in ("stance", "ic"):
        assert (select_champions(dg, 4, model=model, seed=7).ids
                == select_champions(G, 4, model=model, seed=7).ids)
    seeds = select_champions(G, 3, seed=7).ids
    pd.testing.assert_frame_equal(simulate(dg, seeds, runs=200, seed=1).curves,
                                  simulate(G, seeds, runs=200, seed=1).curves)


def test_a_big_map_is_analysed_on_arrays_with_the_graphs_results(organisation, monkeypatch):
    people, ties = organisation
    files = (BytesIO(people.to_csv(index=False).encode()), BytesIO(ties.to_csv(index=False).encode()))
    with Store(":memory:") as store:
        store.import_map("Org", read_map(*files))
        small = Workspace(store, "Org")
        assert not small.on_arrays()
        monkeypatch.setattr(workspace_module, "ARRAYS_ABOVE", 100)
        big = Workspace(store, "Org")
        assert big.on_arrays()
        big.prepare()
        assert big.prepared() and big.has("arrays", None) and big.has("graph", None)
        pd.testing.assert_frame_equal(big.metrics(), small.metrics(), check_exact=False, rtol=1e-9)
        assert big.champion_ids() == small.champion_ids()
        assert big.champions(3, model="wc").ids == small.champions(3, model="wc").ids
        assert big.pilot(0.2).ids == small.pilot(0.2).ids
        seeds = big.champion_ids()
        pd.testing.assert_frame_equal(big.simulation(seeds, runs=100).curves,
                                      small.simulation(seeds, runs=100).curves)
