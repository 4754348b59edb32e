"""The department overview of a big map is counted from the store's arrays, never from the graph.

It must draw exactly what counting over the graph draws, for every filter the
Map page offers: stances, minimum tie weight, tie kinds and stances as of a past date.
"""

from __future__ import annotations

from io import BytesIO

import numpy as np
import pytest

from stakeholder_map import demo
from stakeholder_map.graph import filter_graph, max_weight
from stakeholder_map.ingest import read_map
from stakeholder_map.presentation import network_view
from stakeholder_map.presentation.overview import DepartmentOverview
from stakeholder_map.store import Store
from stakeholder_map.synthetic import synthetic_organisation
from stakeholder_map.tracking.history import graph_as_of, stances_as_of
from stakeholder_map.workspace import Workspace

MAP = "Messy"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A 600-person organisation with unknown stances, missing departments, two tie kinds and self-ties."""
    people, ties = synthetic_organisation(600, ties_per_person=6, seed=3)
    rng = np.random.default_rng(3)
    people.loc[rng.random(len(people)) < 0.1, "department"] = ""
    people.loc[rng.random(len(people)) < 0.2, "stance"] = ""
    ties["kind"] = np.where(rng.random(len(ties)) < 0.5, "advice", "friendship")
    ties.loc[:4, "target"] = ties.loc[:4, "source"]  # self-ties are left out of both
    with Store(tmp_path_factory.mktemp("overview") / "map.duckdb") as store:
        store.import_map(MAP, read_map(BytesIO(people.to_csv(index=False).encode()),
                                       BytesIO(ties.to_csv(index=False).encode())))
        demo.load_demo(store)
        yield store


def overview(store, name=MAP, kinds=None):
    return DepartmentOverview.build(store.people(name), store.tie_pairs(name, kinds))


def test_tie_pairs_are_the_graphs_edges(store):
    G = Workspace(store, MAP).graph()
    people = store.people(MAP)["id"].tolist()
    pairs = store.tie_pairs(MAP)
    edges = {(people[u], people[v]): (w, n) for u, v, w, n in pairs.itertuples(index=False)}
    assert edges == {(u, v): (d["weight"], d["ties"]) for u, v, d in G.edges(data=True)}


@pytest.mark.parametrize("stances, min_weight", [
    ((), 0.0),
    (("supporter", "champion"), 0.0),
    (("unknown",), 0.0),
    ((), 2.5),
    (("resistant", "skeptic", "neutral"), 1.5),
])
def test_the_overview_draws_what_the_filtered_graph_draws(store, stances, min_weight):
    G = Workspace(store, MAP).graph()
    shown = filter_graph(G, stances=stances, min_weight=min_weight)
    figures = overview(store).figures(stances=stances, min_weight=min_weight)
    for colour in ("department", "stance"):
        assert network_view.department_view(figures, color_by=colour) == network_view.department_view(G, shown, color_by=colour)


def test_the_overview_of_some_tie_kinds(store):
    G = Workspace(store, MAP).graph(["advice"])
    assert network_view.department_view(overview(store, kinds=["advice"]).figures()) == network_view.department_view(G)
    assert overview(store, kinds=["advice"]).max_weight == max_weight(G)


def test_the_overview_with_stances_as_of_a_past_date(store):
    name = demo.DEMO_MAP
    when = "2026-09-01"
    G = graph_as_of(Workspace(store, name).graph(), store.stance_history(name), when)
    whole = overview(store, name)
    then = whole.stances_from(stances_as_of(store.people(name), store.stance_history(name), when))
    assert not np.array_equal(then, whole.stance), "the demo's stances moved since that date"
    for stances in ((), ("supporter", "champion")):
        shown = filter_graph(G, stances=stances)
        figures = whole.figures(stances=stances, stance=then)
        assert network_view.department_view(figures, color_by="stance") == network_view.department_view(G, shown, color_by="stance")


def test_an_empty_map_has_no_departments():
    import pandas as pd

    empty = DepartmentOverview.build(pd.DataFrame({"id": []}),
                                     pd.DataFrame({"source": [], "target": [], "weight": [], "ties": []}))
    figures = empty.figures()
    assert figures.people.empty and figures.ties.empty and empty.max_weight == 1.0
    assert network_view.department_view(figures)["nodes"] == []
