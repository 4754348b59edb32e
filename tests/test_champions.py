"""Champion selection (OPIM-C on reverse-reachable sets): invariants and constraints."""

from __future__ import annotations

import json
import math

import networkx as nx
import numpy as np
import pytest

from stakeholder_map.analysis.champions import (
    ChampionResult,
    InfeasibleChampions,
    sample_pool,
    select_champions,
)
from stakeholder_map.analysis.diffusion import diffusion_graph
from stakeholder_map.errors import UnknownStakeholder
from stakeholder_map.presentation.analysis_tables import champion_table


@pytest.fixture(scope="module")
def pool(krackhardt):
    return sample_pool(krackhardt, seed=42)


def star(n=8):
    G = nx.DiGraph()
    G.add_node("hub", department="HQ")
    for i in range(n):
        G.add_node(f"leaf{i}", department="Field")
        G.add_edge("hub", f"leaf{i}")
    return G


@pytest.mark.parametrize("model", ["stance", "wc", "ic", "lt"])
def test_star_picks_its_hub(model):
    result = select_champions(star(), 1, model=model, p=0.3, seed=0)
    assert result.ids == ["hub"]
    assert result.champions[0]["paths"][0] == ["hub", "leaf0"]


def test_empty_graph_gives_empty_result():
    result = select_champions(nx.DiGraph(), 3, seed=0)
    assert isinstance(result, ChampionResult)
    assert result.champions == [] and result.expected_spread == 0.0
    assert champion_table(result).empty


def test_k_zero_gives_empty_result(krackhardt):
    assert select_champions(krackhardt, 0, seed=0).champions == []


def test_k_larger_than_graph_is_capped():
    result = select_champions(star(3), 10, model="ic", p=0.5, seed=0)
    assert result.k == 4 and sorted(result.ids) == ["hub", "leaf0", "leaf1", "leaf2"]
    assert result.ids[0] == "hub"
    assert result.certified_ratio == 1.0
    assert result.expected_spread == pytest.approx(4.0)


def test_excluded_and_disallowed_are_never_chosen(krackhardt):
    G = krackhardt.copy()
    nx.set_node_attributes(G, {"2": -2, "21": -1, "18": "resistant"}, "stance")
    result = select_champions(G, 5, seed=1, exclude=["7", "14"])
    assert not {"2", "21", "18", "7", "14"} & set(result.ids)
    allowed = select_champions(G, 5, seed=1, disallowed_stances=())
    assert {"2", "21"} & set(allowed.ids)


def test_unknown_stance_can_be_disallowed(krackhardt):
    result = select_champions(krackhardt, 3, seed=1, disallowed_stances=[None, "skeptic"], pin=["5"])
    assert result.ids == ["5"]   # everyone's stance is unknown: only the pin is eligible
    assert result.k == 1


def test_pinned_are_always_chosen_and_count_toward_k(krackhardt):
    G = krackhardt.copy()
    G.nodes["9"]["stance"] = -2
    result = select_champions(G, 4, seed=1, pin=["9", "3"])
    assert result.ids[:2] == ["9", "3"] and len(result.ids) == 4
    assert "(pinned)" in result.champions[0]["reason"]


def test_impossible_pins_raise(krackhardt):
    with pytest.raises(InfeasibleChampions):
        select_champions(krackhardt, 1, pin=["1", "2"])
    with pytest.raises(ValueError):
        select_champions(krackhardt, 3, pin=["1"], exclude=["1"])
    with pytest.raises(UnknownStakeholder):
        select_champions(krackhardt, 3, pin=["nobody"])


def test_per_department_minimum_holds(krackhardt):
    result = select_champions(krackhardt, 6, seed=3, min_per_department=1)
    departments = {c["department"] for c in result.champions}
    assert departments == {"Dept 0", "Dept 1", "Dept 2", "Dept 3", "Dept 4"}
    two = select_champions(krackhardt, 9, seed=3, min_per_department=2)
    counts = {d: sum(c["department"] == d for c in two.champions) for d in departments}
    assert counts["Dept 0"] == 1      # only one person there: needs only one
    assert min(v for d, v in counts.items() if d != "Dept 0") >= 2


def test_per_department_minimum_beyond_k_raises(krackhardt):
    with pytest.raises(InfeasibleChampions, match="needs 5 champions"):
        select_champions(krackhardt, 4, min_per_department=1)
    assert issubclass(InfeasibleChampions, ValueError)


def test_same_seed_same_answer(krackhardt, pool):
    a = select_champions(krackhardt, 4, seed=9)
    b = select_champions(krackhardt, 4, seed=9)
    assert a.to_dict() == b.to_dict()
    via_pool = select_champions(krackhardt, 4, pool=sample_pool(krackhardt, seed=9))
    assert via_pool.ids == a.ids and via_pool.expected_spread == a.expected_spread


def test_pool_results_do_not_depend_on_what_was_asked_before(krackhardt):
    fresh = sample_pool(krackhardt, seed=5)
    used = sample_pool(krackhardt, seed=5)
    select_champions(krackhardt, 6, pool=used)
    used.ensure(200_000)
    assert select_champions(krackhardt, 2, pool=fresh).to_dict() == \
        select_champions(krackhardt, 2, pool=used).to_dict()


def test_samples_do_not_depend_on_the_number_of_threads(krackhardt, monkeypatch):
    import stakeholder_map.analysis.champions as champions

    pools = []
    for workers in (1, 2, 3):
        monkeypatch.setattr(champions, "_WORKERS", workers)
        pool = sample_pool(krackhardt, seed=6)
        pool.ensure(20 * 1024)
        pools.append(pool)
    for other in pools[1:]:
        for which in (0, 1):
            assert np.array_equal(pools[0]._ptr[which], other._ptr[which])
            assert np.array_equal(pools[0]._nodes[which], other._nodes[which])


def test_spread_grows_with_k(krackhardt, pool):
    spreads = [select_champions(krackhardt, k, pool=pool).expected_spread for k in range(1, 7)]
    assert all(b > a for a, b in zip(spreads, spreads[1:]))


def test_greedy_spread_never_below_best_single_node(krackhardt, pool):
    result = select_champions(krackhardt, 3, pool=pool)
    best_single = max(pool.estimate([v]) for v in krackhardt)
    assert result.expected_spread >= best_single
    assert result.champions[0]["gain"] == pytest.approx(best_single, rel=0.05)


def test_certified_ratio_meets_the_guarantee(krackhardt):
    result = select_champions(krackhardt, 3, epsilon=0.1, seed=0)
    assert 1 - 1 / math.e - 0.1 <= result.certified_ratio <= 1.0
    assert result.samples > 0


def test_unconvinced_objective_ignores_supporters():
    # Two groups: "s" moves five supporters, "u" moves three neutral people.
    G = nx.DiGraph()
    G.add_node("s", stance=1)
    G.add_node("u", stance=1)
    for i in range(5):
        G.add_node(f"fan{i}", stance=1)
        G.add_edge("s", f"fan{i}")
    for i in range(3):
        G.add_node(f"doubter{i}", stance=0)
        G.add_edge("u", f"doubter{i}")
    everyone = select_champions(G, 1, model="ic", p=1.0, seed=0)
    unconvinced = select_champions(G, 1, model="ic", p=1.0, seed=0, objective="unconvinced")
    assert everyone.ids == ["s"] and unconvinced.ids == ["u"]
    assert unconvinced.expected_spread == pytest.approx(3.0)
    assert unconvinced.target_size == 3
    nobody = nx.DiGraph([("a", "b")])
    nx.set_node_attributes(nobody, 1, "stance")
    assert select_champions(nobody, 1, objective="unconvinced", seed=0).expected_spread == 0.0


def test_what_if_override_to_supporter_raises_spread(krackhardt):
    G = krackhardt.copy()
    nx.set_node_attributes(G, -2, "stance")
    seeds = select_champions(G, 2, seed=1, disallowed_stances=()).ids
    before = sample_pool(G, seed=3).estimate(seeds, count=1 << 16)
    after = sample_pool(G, seed=3, overrides={v: "supporter" for v in G}).estimate(seeds, count=1 << 16)
    assert after > before * 1.5
    # a what-if stance also decides who may be a champion
    chosen = select_champions(G, 2, seed=1, overrides={"7": "champion"})
    assert chosen.ids == ["7"] and chosen.champions[0]["stance"] == "champion"


def test_details_are_consistent(krackhardt):
    result = select_champions(krackhardt, 3, seed=4)
    gains = sum(c["gain"] for c in result.champions)
    assert gains == pytest.approx(result.expected_spread)
    for c in result.champions:
        assert sum(c["reach_by_department"].values()) == pytest.approx(c["reach"])
        assert c["reach"] >= c["gain"] - 1e-9
        assert 1 <= len(c["paths"]) <= 3
        for path in c["paths"]:
            assert path[0] == c["id"] and len(path) >= 2
            assert all(krackhardt.has_edge(u, v) for u, v in zip(path, path[1:]))
        assert c["reason"].startswith("Reaches ~") and c["reason"].endswith(".")
        assert c["stance"] == "unknown"
    assert set(result.baselines) == {"top_influence", "top_degree"}
    assert result.baselines["top_influence"]["ids"][0] == "7"   # the CEO: most senior
    for name, base in result.baselines.items():
        assert len(base["ids"]) == 3
        assert result.lift[name] == pytest.approx(result.expected_spread / base["spread"])
    json.dumps(result.to_dict())
    table = champion_table(result)
    assert list(table.columns) == ["rank", "name", "department", "stance", "gain", "cumulative", "reach",
                                   "departments reached", "reason", "id"]
    assert table["cumulative"].iloc[-1] == pytest.approx(result.expected_spread, abs=0.05)


def test_paths_prefer_important_people_in_other_departments(krackhardt):
    result = select_champions(krackhardt, 1, seed=4)
    champion = result.champions[0]
    targets = [path[-1] for path in champion["paths"]]
    assert all(krackhardt.nodes[t]["department"] != champion["department"] for t in targets)
    assert "7" in targets   # the CEO is the most senior person anyone can reach


def test_diffusion_graph_input_and_pool_checks(krackhardt, pool):
    dg = diffusion_graph(krackhardt, model="wc")
    from_dg = select_champions(dg, 2, model="wc", seed=8)
    from_nx = select_champions(krackhardt, 2, model="wc", seed=8)
    assert from_dg.to_dict() == from_nx.to_dict()
    with pytest.raises(ValueError, match="sample pool"):
        select_champions(krackhardt, 2, model="wc", pool=pool)
    with pytest.raises(ValueError, match="sample pool"):
        select_champions(krackhardt, 2, objective="unconvinced", pool=pool)


def test_bad_epsilon_raises(krackhardt):
    with pytest.raises(ValueError):
        select_champions(krackhardt, 2, epsilon=0.0)


def test_beats_or_matches_naive_choices_on_a_bigger_organisation():
    from stakeholder_map.analysis.diffusion import diffusion_graph_from_frames
    from stakeholder_map.synthetic import synthetic_organisation

    people, ties = synthetic_organisation(400, ties_per_person=5, seed=1)
    dg = diffusion_graph_from_frames(people, ties, model="wc")
    result = select_champions(dg, 5, model="wc", seed=2, disallowed_stances=())
    assert result.lift["top_degree"] >= 1.0 and result.lift["top_influence"] >= 1.0
    assert len(set(result.ids)) == 5
    assert np.isfinite(result.expected_spread)


def test_constraints_that_cannot_be_met_say_what_to_change(krackhardt):
    with pytest.raises(InfeasibleChampions) as caught:
        select_champions(krackhardt, 4, min_per_department=1)
    e = caught.value
    assert str(e) == ("At least 1 champion in every department needs 5 champions across 5 departments, "
                      "but k is 4: raise k to 5, or drop 'at least N per department'.")
    assert (e.reason, e.k, e.needed, e.eligible, e.feasible_min_per_department) == ("department_minimum", 4, 5, 21, 0)
    assert e.changes[0] == "raise k to 5"
    with pytest.raises(InfeasibleChampions) as caught:
        select_champions(krackhardt, 8, min_per_department=2)
    assert caught.value.feasible_min_per_department == 1 and "lower 'at least N per department' to 1" in str(caught.value)
    with pytest.raises(InfeasibleChampions) as caught:
        select_champions(krackhardt, 1, pin=["1", "2"])
    assert str(caught.value) == "2 people are pinned but only 1 champion is asked for: raise k to 2, or unpin 1 of them."
    assert caught.value.people == ("1", "2") and caught.value.reason == "too_many_pins"
    with pytest.raises(InfeasibleChampions, match=r"^1 is both pinned and excluded: take them off one of the two lists\.$"):
        select_champions(krackhardt, 3, pin=["1"], exclude=["1"])

