"""Next conversations: marginal expected adoption, blockers, the strongest messenger."""

from __future__ import annotations

import math
import time
from datetime import date

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from stakeholder_map.analysis.champions import sample_pool
from stakeholder_map.demo import DEMO_MAP, load_demo
from stakeholder_map.store import Store
from stakeholder_map.tracking.next_conversations import COLUMNS, conversation_gains, next_conversations
from stakeholder_map.workspace import Workspace


def chain_graph() -> nx.DiGraph:
    """s1 (IT champion) reaches t (Ops) best through m; s2 is t's only supporter in Ops."""
    G = nx.DiGraph()
    for node, dept, stance in [("s1", "IT", 2), ("s2", "Ops", 1), ("m", "IT", 0), ("t", "Ops", 0)]:
        G.add_node(node, name=node.upper(), department=dept, stance=stance)
    G.add_edge("s1", "t", weight=1.0)
    G.add_edge("m", "t", weight=6.0)
    G.add_edge("s2", "t", weight=1.0)
    G.add_edge("s1", "m", weight=1.0)
    return G


def test_the_messenger_is_the_carrier_with_the_strongest_chain_and_the_insider_is_from_their_department():
    table = next_conversations(chain_graph(), k=5, model="wc", seed=0, blockers=0).set_index("id")
    t = table.loc["t"]
    assert t["messenger_id"] == "s1" and t["path"] == ["s1", "m", "t"]
    assert t["path_probability"] == pytest.approx(1.0 * 6 / 8)
    assert t["path_names"] == "S1 → M → T"
    assert t["insider_id"] == "s2" and t["insider_probability"] == pytest.approx(1 / 8)
    assert table.loc["m", "messenger_id"] == "s1" and table.loc["m", "insider_id"] == "s1"
    assert set(table.index) == {"m", "t"}                 # carriers are never candidates
    assert list(table.columns) == [c for c in COLUMNS if c != "id"]


def test_chain_ranking_on_a_certain_cascade():
    G = nx.DiGraph([("s", "a"), ("a", "b"), ("a", "c"), ("s", "d"), ("x", "y")])
    nx.set_node_attributes(G, {"s": 2, "a": -1, "b": 0, "c": 0, "d": 0, "x": 0, "y": 0}, "stance")
    nx.set_node_attributes(G, "Ops", "department")
    table = next_conversations(G, k=3, model="ic", p=1.0, seed=1, blockers=0)
    # s reaches everyone but x and y for sure: only x (x and y) adds anything.
    assert table["id"].tolist()[0] == "x" and table["gain"].iloc[0] == pytest.approx(2.0, abs=0.1)
    assert pd.isna(table.set_index("id").loc["x", "messenger_id"])
    assert "No supporter has a chain" in table.set_index("id").loc["x", "reason"]


def test_gains_are_the_differences_of_the_pool_estimates():
    G = nx.gnp_random_graph(40, 0.12, seed=4, directed=True)
    rng = np.random.default_rng(2)
    nx.set_node_attributes(G, {v: int(rng.integers(-2, 3)) for v in G}, "stance")
    G = nx.relabel_nodes(G, {v: f"p{v}" for v in G})
    pool = sample_pool(G, objective="unconvinced", seed=3)
    carriers = [pid for pid, st in G.nodes(data="stance") if st >= 1]
    gains, base = conversation_gains(pool, carriers, samples=1 << 14)
    assert base == pytest.approx(pool.estimate(carriers))
    for v in ("p0", "p7", "p21"):
        i = pool.graph.index[v]
        expected = pool.estimate(carriers + [v]) - pool.estimate(carriers)
        assert gains[i] == pytest.approx(expected, abs=1e-9)
    assert all(gains[pool.graph.index[c]] == 0 for c in carriers)


def test_blockers_are_flagged_and_listed_after_the_top_k():
    G = chain_graph()
    G.add_node("b", name="B", department="Ops", stance=-1)
    G.add_edge("b", "t", weight=0.1)
    G.add_edge("s1", "b", weight=5.0)     # s1 always convinces b: converting b adds nothing
    metrics = pd.DataFrame({"id": list(G), "roles": [["blocker"] if v == "b" else [] for v in G]})
    table = next_conversations(G, k=1, model="wc", seed=0, metrics=metrics, blockers=3)
    assert table["rank"].tolist() == [1, 2]
    assert table["id"].iloc[1] == "b" and table["blocker"].tolist() == [False, True]
    assert "blocker" in table["reason"].iloc[1]
    assert len(next_conversations(G, k=1, model="wc", seed=0, metrics=metrics, blockers=0)) == 1


def test_department_filter_carriers_and_engagements():
    G = chain_graph()
    events = pd.DataFrame({"date": [date(2026, 10, 1), date(2026, 11, 2)], "stakeholder_id": ["t", "t"],
                           "activity": ["demo", "assessment"], "stance_after": [None, None], "notes": [None, None]})
    table = next_conversations(G, department="Ops", model="wc", seed=0, engagements=events, blockers=0)
    assert table["id"].tolist() == ["t"]
    assert table["last_engaged"].iloc[0] == date(2026, 10, 1) and table["last_activity"].iloc[0] == "demo"
    only_s2 = next_conversations(G, carriers=["s2"], model="wc", seed=0, blockers=0).set_index("id")
    assert only_s2.loc["t", "messenger_id"] == "s2" and pd.isna(only_s2.loc["m", "messenger_id"])
    assert "s1" not in only_s2.index          # candidates are the unconvinced only
    with pytest.raises(ValueError):
        next_conversations(G, department="Nowhere", model="wc", seed=0)


def test_empty_graph_and_same_seed_same_answer():
    assert next_conversations(nx.DiGraph(), seed=0).empty
    G = nx.gnp_random_graph(30, 0.15, seed=1, directed=True)
    nx.set_node_attributes(G, {v: (1 if v % 4 == 0 else 0) for v in G}, "stance")
    G = nx.relabel_nodes(G, str)
    a = next_conversations(G, seed=5)
    b = next_conversations(G, seed=5)
    pd.testing.assert_frame_equal(a, b)


def test_demo_list_is_meaningful_and_fast_enough_for_the_dashboard():
    with Store(":memory:") as store:
        load_demo(store, today=date(2026, 11, 23))
        G = Workspace(store, DEMO_MAP).graph()
        events = store.engagements(DEMO_MAP)
    next_conversations(G, engagements=events, seed=1)            # warm the compiled kernels
    start = time.perf_counter()
    table = next_conversations(G, engagements=events, seed=0)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"{elapsed:.2f} s"
    top = table[table["rank"] <= 10]
    assert len(top) == 10 and top["gain"].is_monotonic_decreasing
    assert set(table["stance"]) <= {"neutral", "skeptic", "resistant", "unknown"}
    assert table["blocker"].any() and "Finance" in set(top["department"])
    with_messenger = table[table["messenger_id"].notna()]
    assert set(with_messenger["messenger_stance"]) <= {"supporter", "champion"}
    assert all(p[0] == m and p[-1] == i for p, m, i in zip(with_messenger["path"], with_messenger["messenger_id"],
                                                          with_messenger["id"]))
    assert all(0 < pr <= 1 and not math.isnan(pr) for pr in with_messenger["path_probability"])
