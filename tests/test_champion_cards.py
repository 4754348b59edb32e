"""Champion cards and the verdict on the group: plain words from a ChampionResult."""

from __future__ import annotations

from types import SimpleNamespace

import networkx as nx

from stakeholder_map.analysis.champions import select_champions
from stakeholder_map.presentation.champion_cards import champion_cards, lift_verdict


def _result(lift_degree: float, *, ours=("a",), degree=("b",), influence=("c",)):
    spread = 6.0
    return SimpleNamespace(
        k=len(ours), expected_spread=spread, ids=list(ours),
        champions=[{"id": i, "name": i.upper(), "department": "IT", "stance": "supporter", "gain": 3.0,
                    "reach": 3.0, "reach_by_department": {"IT": 3.0}, "paths": [], "pinned": False,
                    "reason": "Reaches ~3.0 people."} for i in ours],
        baselines={"top_influence": {"ids": list(influence), "spread": 3.0, "reach": [2.0]},
                   "top_degree": {"ids": list(degree), "spread": spread / lift_degree, "reach": [4.0]}},
        lift={"top_influence": 2.0, "top_degree": lift_degree})


def test_a_better_obvious_group_is_a_warning_with_the_cost():
    kind, text = lift_verdict(_result(0.8), nx.DiGraph())
    assert kind == "warning"
    assert "the best connected person is expected to reach more people (~7.5)" in text
    assert "cost about ~1.5 adopters" in text


def test_an_equal_obvious_group_is_said_plainly():
    kind, text = lift_verdict(_result(1.0, degree=("a",)), nx.DiGraph())
    assert kind == "info" and "already as good as it gets" in text and "the same people" in text


def test_a_better_suggestion_gives_both_lifts():
    kind, text = lift_verdict(_result(1.5), nx.DiGraph())
    assert kind == "success" and "×2.00" in text and "×1.50" in text


def test_the_card_names_the_person_passed_over_and_compares_reach():
    G = nx.DiGraph()
    G.add_node("c", name="Cleo", role="CEO", department="Board")
    card = champion_cards(_result(1.5), G)[0]
    assert card["why"] == ("Picked over Cleo (CEO, Board), whom a pick by formal influence and seniority would "
                           "put here. On their own, Cleo reaches ~2.0 people and A ~3.0.")


def test_pinned_champions_are_said_to_be_pinned_and_chains_skip_prefixes():
    G = nx.DiGraph([("hub", "x"), ("x", "y"), ("hub", "z")])
    nx.set_node_attributes(G, {"hub": "Hub", "x": "Xe", "y": "Yo", "z": "Zed"}, "name")
    result = select_champions(G, 1, model="ic", p=1.0, seed=0, pin=["x"])
    card = champion_cards(result, G)[0]
    assert card["why"].startswith("Pinned by you")
    result = select_champions(G, 1, model="ic", p=1.0, seed=0)
    chains = champion_cards(result, G)[0]["chains"]
    assert "Hub → Xe (100% chance)" not in chains        # Hub → Xe → Yo says it already
    assert any(c.startswith("Hub → Xe → Yo") for c in chains)
