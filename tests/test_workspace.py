"""The workspace: one opened map, everything derived from it computed once, the product's defaults in one place."""

from __future__ import annotations

import threading
from io import BytesIO

import networkx as nx
import pytest

from stakeholder_map.analysis.champions import select_champions
from stakeholder_map.errors import MapNotFound
from stakeholder_map.graph import build_graph
from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store
from stakeholder_map.workspace import (
    CHAMPIONS_K, DISALLOWED_STANCES, SEED, Workspace, default_champions_k, kinds_key,
)

PEOPLE = b"id,name,department,stance\n1,Ann,IT,supporter\n2,Bo,IT,skeptic\n3,Cy,HR,\n4,Di,HR,resistant\n5,Ed,HR,neutral\n"
TIES = b"source,target,kind\n1,2,advice\n1,3,advice\n3,4,friendship\n3,5,advice\n2,5,friendship\n"


@pytest.fixture
def store():
    with Store(":memory:") as store:
        store.import_map("Org", read_map(BytesIO(PEOPLE), BytesIO(TIES)))
        yield store


def test_an_unknown_map_is_refused(store):
    with pytest.raises(MapNotFound):
        Workspace(store, "Nope")


def test_the_graph_is_built_from_the_stores_frames(store):
    ws = Workspace(store, "Org")
    expected = build_graph(store.people("Org"), store.ties("Org"), name="Org")
    assert nx.utils.graphs_equal(ws.graph(), expected)
    assert sorted(ws.graph(["advice"]).edges) == [("1", "2"), ("1", "3"), ("3", "5")]


def test_each_result_is_computed_once_and_shared(store):
    ws = Workspace(store, "Org")
    assert ws.graph() is ws.graph()
    assert ws.metrics() is ws.metrics()
    assert ws.champions(2) is ws.champions(2)
    assert ws.graph(["friendship", "advice"]) is ws.graph(["advice", "friendship"])  # kinds in any order


def test_threads_asking_at_once_share_one_computation(store):
    ws = Workspace(store, "Org")
    calls = []
    people = store.people

    def slow_people(name):
        calls.append(name)
        threading.Event().wait(0.2)
        return people(name)

    store.people = slow_people
    threads = [threading.Thread(target=ws.graph) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["Org"]


def test_champions_use_the_products_defaults(store):
    ws = Workspace(store, "Org")
    result = ws.champions()
    assert result.k == 1 == default_champions_k(5)  # a 5-person map: one champion, not five
    assert len(ws.champions(CHAMPIONS_K).champions) == 3  # k is capped at those who may champion
    assert result.seed == SEED
    chosen = {c["id"] for c in result.champions}
    assert not chosen & {"2", "4"}  # the skeptic and the resistant are not champions by default
    assert DISALLOWED_STANCES == ("resistant", "skeptic")


def test_champions_match_the_library_call_with_the_same_seed(store):
    ws = Workspace(store, "Org", seed=7)
    direct = select_champions(build_graph(store.people("Org"), store.ties("Org")), 2, seed=7,
                              disallowed_stances=DISALLOWED_STANCES)
    assert [c["id"] for c in ws.champions(2).champions] == [c["id"] for c in direct.champions]


def test_read_all_lets_the_store_close_before_the_analysis():
    with Store(":memory:") as store:
        store.import_map("Org", read_map(BytesIO(PEOPLE), BytesIO(TIES)))
        ws = Workspace(store, "Org").read_all()
    assert ws.metrics()["id"].tolist() and ws.tracking_frames().people.shape[0] == 5
    assert ws.champion_ids(1)


def test_prepared_once_the_graph_metrics_and_default_champions_are_there(store):
    ws = Workspace(store, "Org")
    assert not ws.prepared()
    ws.prepare()
    assert ws.prepared() and ws.has("graph", None)


def test_parameterised_results_are_kept_in_a_bounded_memory(store):
    ws = Workspace(store, "Org")
    for runs in range(10, 30):
        ws.simulation(["1"], runs=runs, steps=2)
    kept = sum(ws.has("simulation", (None, ("1",), (), 2, runs, "stance", 0.1, None)) for runs in range(10, 30))
    assert kept == 8


def test_kinds_key_treats_no_choice_as_every_kind():
    assert kinds_key([]) is None and kinds_key(None) is None
    assert kinds_key(["b", "a"]) == ("a", "b")


def test_the_default_number_of_champions_is_scaled_to_the_map():
    assert default_champions_k(6) == 1 and default_champions_k(21) == 3 and default_champions_k(220) == CHAMPIONS_K
    ks = [default_champions_k(n) for n in range(0, 200)]
    assert ks == sorted(ks) and max(ks) == CHAMPIONS_K and all(k <= n for n, k in enumerate(ks))
    people = "id,name,department\n" + "".join(f"{i},P{i},IT\n" for i in range(6))
    with Store(":memory:") as store:
        store.import_map("Six", read_map(BytesIO(people.encode()), BytesIO(b"source,target\n0,1\n1,2\n2,3\n")))
        ws = Workspace(store, "Six")
        assert len(ws.champion_ids()) == 1 == ws.champions().k
