"""Forward Monte Carlo: curves, totals, what-ifs, and agreement with RR estimates."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from stakeholder_map.analysis.champions import sample_pool, select_champions
from stakeholder_map.analysis.diffusion import diffusion_graph, diffusion_graph_from_frames
from stakeholder_map.analysis.simulation import ALL, _simulate_once, expected_spread, simulate
from stakeholder_map.errors import UnknownStakeholder


def chain(n=4):
    G = nx.DiGraph()
    for i in range(n):
        G.add_node(f"p{i}", department="A" if i < 2 else "B")
    nx.add_path(G, [f"p{i}" for i in range(n)])
    return G


def test_certain_chain_gives_exact_curves():
    sim = simulate(chain(), ["p0"], model="ic", p=1.0, steps=4, runs=5, seed=0)
    whole = sim.curves[sim.curves["department"] == ALL]
    assert whole["mean"].tolist() == [1.0, 2.0, 3.0, 4.0, 4.0]
    assert (whole["ci_low"] == whole["mean"]).all() and (whole["ci_high"] == whole["mean"]).all()
    dept_b = sim.curves[sim.curves["department"] == "B"]["mean"].tolist()
    assert dept_b == [0.0, 0.0, 1.0, 2.0, 2.0]
    assert sim.total.mean == 4.0
    assert sim.probability_at(2) == {"p0": 1.0, "p1": 1.0, "p2": 1.0, "p3": 0.0}


def test_departments_add_up_to_all_and_curves_grow(krackhardt):
    sim = simulate(krackhardt, ["2", "21"], steps=6, runs=300, seed=4)
    curves = sim.curves
    per_step = curves[curves["department"] != ALL].groupby("step")["mean"].sum()
    whole = curves[curves["department"] == ALL].set_index("step")["mean"]
    assert per_step.to_numpy() == pytest.approx(whole.to_numpy())
    assert whole.is_monotonic_increasing and whole.iloc[0] == 2.0
    assert whole.iloc[-1] <= sim.total.mean + 1e-9
    assert set(curves["department"]) == {ALL, "Dept 0", "Dept 1", "Dept 2", "Dept 3", "Dept 4"}
    assert (curves["ci_low"] <= curves["mean"]).all() and (curves["mean"] <= curves["ci_high"]).all()


def test_probability_frame_matches_probability_at(krackhardt):
    sim = simulate(krackhardt, ["7"], steps=3, runs=200, seed=1)
    frame = sim.probability
    assert list(frame.columns) == ["id", "step", "probability"]
    assert len(frame) == 21 * 4
    at2 = frame[frame["step"] == 2].set_index("id")["probability"].to_dict()
    assert at2 == pytest.approx(sim.probability_at(2))
    assert sim.probability_at(0)["7"] == 1.0


def test_simulate_once_marks_seeds_at_step_zero():
    steps = _simulate_once(diffusion_graph(chain(), model="ic", p=1.0), ["p1"], seed=3)
    assert steps == {"p1": 0, "p2": 1, "p3": 2}
    assert _simulate_once(diffusion_graph(chain(), model="ic", p=1.0), [], seed=3) == {}


def test_linear_threshold_with_single_influencers_is_certain():
    assert expected_spread(chain(), ["p0"], model="lt", runs=50, seed=0).mean == 4.0


def test_empty_inputs_give_zero():
    assert expected_spread(nx.DiGraph(), [], runs=10).mean == 0.0
    assert expected_spread(chain(), [], runs=10).mean == 0.0
    sim = simulate(chain(), [], steps=2, runs=10)
    assert sim.total.mean == 0.0 and (sim.curves["mean"] == 0).all()


def test_unknown_seed_raises():
    with pytest.raises(UnknownStakeholder):
        expected_spread(chain(), ["nobody"])


def test_same_seed_same_answer(krackhardt):
    a = expected_spread(krackhardt, ["1", "2"], runs=500, seed=11)
    b = expected_spread(krackhardt, ["1", "2"], runs=500, seed=11)
    assert a == b
    s1 = simulate(krackhardt, ["1"], runs=100, seed=5)
    s2 = simulate(krackhardt, ["1"], runs=100, seed=5)
    assert s1.curves.equals(s2.curves)


@pytest.mark.parametrize("model", ["stance", "wc", "lt", "ic"])
def test_simulation_agrees_with_the_champion_estimate(krackhardt, model):
    result = select_champions(krackhardt, 3, model=model, p=0.15, seed=2)
    pool = sample_pool(krackhardt, model=model, p=0.15, seed=7)
    count = 1 << 17
    reverse = pool.estimate(result.ids, count=count)
    share = reverse / pool.target_size
    half = 1.96 * pool.target_size * math.sqrt(share * (1 - share) / count)  # binomial 95 % CI
    forward = expected_spread(krackhardt, result.ids, model=model, p=0.15, runs=20000, seed=3)
    # the two 95 % intervals overlap: same quantity, two independent estimators
    assert forward.ci_low <= reverse + half and reverse - half <= forward.ci_high
    assert forward.ci_high - forward.ci_low < 0.02 * forward.mean
    # the champion module's own (smaller-sample) figure is close as well
    assert result.expected_spread == pytest.approx(forward.mean, rel=0.05)


def test_unconvinced_objective_counts_only_the_unconvinced():
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, {"a": 1, "b": 2, "c": None}, "stance")
    assert expected_spread(G, ["a"], model="ic", p=1.0, runs=10, objective="unconvinced").mean == 1.0
    assert expected_spread(G, ["a"], model="ic", p=1.0, runs=10).mean == 3.0


def test_what_if_supporter_raises_spread(krackhardt):
    G = krackhardt.copy()
    nx.set_node_attributes(G, -2, "stance")  # everyone resistant
    seeds = ["2"]
    before = expected_spread(G, seeds, runs=4000, seed=1)
    targets = {v: "supporter" for v in G.successors("2")}
    after = expected_spread(G, seeds, runs=4000, seed=1, overrides=targets)
    assert after.ci_low > before.ci_high


def test_diffusion_graph_input_is_accepted(krackhardt):
    dg = diffusion_graph(krackhardt, model="wc")
    a = expected_spread(dg, ["2"], model="wc", runs=300, seed=2)
    b = expected_spread(krackhardt, ["2"], model="wc", runs=300, seed=2)
    assert a == b


def test_frames_and_networkx_simulate_identically():
    from stakeholder_map.synthetic import synthetic_organisation

    people, ties = synthetic_organisation(80, ties_per_person=4, seed=3)
    dg = diffusion_graph_from_frames(people, ties, model="wc")
    seeds = dg.ids[:3]
    assert expected_spread(dg, seeds, model="wc", runs=200, seed=1).mean > 3
