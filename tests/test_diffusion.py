"""The diffusion model: tie probabilities per model, stances, what-ifs, frames."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from stakeholder_map.analysis.diffusion import (
    MODELS,
    RECEPTIVENESS,
    DiffusionGraph,
    as_diffusion_graph,
    diffusion_graph,
    diffusion_graph_from_frames,
    receptiveness_factors,
)
from stakeholder_map.errors import UnknownStakeholder
from stakeholder_map.graph import build_graph
from stakeholder_map.synthetic import synthetic_organisation


def fan_in():
    """Three people move ``t``; weights 1, 1, 2."""
    G = nx.DiGraph()
    G.add_node("t", stance=-1, department="Ops")
    for u in "abc":
        G.add_node(u, stance=1, department="IT")
    G.add_edge("a", "t", weight=1.0)
    G.add_edge("b", "t", weight=1.0)
    G.add_edge("c", "t", weight=2.0)
    return G


def test_models_and_default_receptiveness_are_ordered():
    assert MODELS == ("stance", "wc", "ic", "lt")
    r = RECEPTIVENESS
    assert r["resistant"] < r["skeptic"] < r["neutral"] <= r["supporter"] <= r["champion"]
    assert min(r.values()) == r["resistant"] and max(r.values()) == r["champion"]
    assert r["unknown"] == r["neutral"]


def test_weighted_cascade_divides_by_incoming_weight():
    dg = diffusion_graph(fan_in(), model="wc")
    assert dg.probability("a", "t") == pytest.approx(0.25)
    assert dg.probability("c", "t") == pytest.approx(0.5)
    assert dg.probability("t", "a") == 0.0


def test_stance_model_multiplies_by_receptiveness():
    dg = diffusion_graph(fan_in())
    assert dg.probability("c", "t") == pytest.approx(0.5 * RECEPTIVENESS["skeptic"])
    custom = diffusion_graph(fan_in(), receptiveness={"skeptic": 0.1})
    assert custom.probability("c", "t") == pytest.approx(0.05)


def test_ic_uses_one_constant_probability():
    dg = diffusion_graph(fan_in(), model="ic", p=0.3)
    assert set(np.round(dg.out_prob, 12)) == {0.3}


def test_lt_weights_sum_to_one_per_person(krackhardt_map):
    dg = diffusion_graph_from_frames(krackhardt_map.people, krackhardt_map.ties, model="lt")
    sums = np.add.reduceat(dg.in_prob, dg.in_ptr[:-1][np.diff(dg.in_ptr) > 0])
    assert np.allclose(sums, 1.0)
    assert dg.is_lt


def test_overrides_change_only_that_person():
    dg = diffusion_graph(fan_in(), overrides={"t": "supporter"})
    assert dg.probability("c", "t") == pytest.approx(0.5)
    assert dg.stances[dg.index["t"]] == 1 and dg.base_stances[dg.index["t"]] == -1
    assert diffusion_graph(fan_in(), overrides={"t": -2}).probability("c", "t") == pytest.approx(0.1)


def test_unknown_override_raises():
    with pytest.raises(UnknownStakeholder):
        diffusion_graph(fan_in(), overrides={"nobody": 1})


@pytest.mark.parametrize("kwargs", [{"model": "sir"}, {"model": "ic", "p": 0.0}, {"model": "ic", "p": 1.5},
                                    {"receptiveness": {"skeptic": 2}}, {"receptiveness": {"grumpy": 0.5}}])
def test_bad_settings_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        diffusion_graph(fan_in(), **kwargs)


def test_receptiveness_accepts_words_numbers_and_none():
    table = receptiveness_factors({-2: 0.05, None: 0.6, "Champion": 0.9})
    assert (table["resistant"], table["unknown"], table["champion"]) == (0.05, 0.6, 0.9)


def test_empty_graph():
    dg = diffusion_graph(nx.DiGraph())
    assert (dg.n, dg.m) == (0, 0)
    assert diffusion_graph_from_frames(pd.DataFrame(columns=["id", "name"]), None).n == 0


def test_self_loops_are_ignored():
    G = nx.DiGraph([("a", "a"), ("a", "b")])
    dg = diffusion_graph(G, model="wc")
    assert dg.m == 1 and dg.probability("a", "b") == 1.0


def test_frames_give_the_same_graph_as_networkx(krackhardt_map):
    people, ties = krackhardt_map.people, krackhardt_map.ties
    from_nx = diffusion_graph(build_graph(people, ties))
    from_frames = diffusion_graph_from_frames(people, ties)
    assert from_nx.ids == from_frames.ids
    assert from_nx.departments == from_frames.departments
    assert np.array_equal(from_nx.out_ptr, from_frames.out_ptr)
    assert np.array_equal(from_nx.out_dst, from_frames.out_dst)
    assert np.allclose(from_nx.out_prob, from_frames.out_prob)
    assert np.array_equal(from_nx.in_src, from_frames.in_src)
    assert np.allclose(from_nx.in_prob, from_frames.in_prob)
    assert (from_nx.n, from_nx.m) == (21, 232)


def test_frames_accept_text_columns_and_filter_kinds():
    people, ties = synthetic_organisation(60, ties_per_person=3, seed=2)
    dg = diffusion_graph_from_frames(people, ties, kinds=["reports_to"], model="wc")
    assert dg.m == (ties["kind"] == "reports_to").sum()
    assert set(dg.stances) <= {None, -2, -1, 0, 1, 2}
    assert not np.isnan(dg.seniority).any()


def test_tie_to_unknown_person_raises():
    people = pd.DataFrame({"id": ["a"], "name": ["Ann"]})
    ties = pd.DataFrame({"source": ["a"], "target": ["zed"]})
    with pytest.raises(UnknownStakeholder):
        diffusion_graph_from_frames(people, ties)


def test_with_model_shares_structure_and_keeps_identity_when_unchanged():
    dg = diffusion_graph(fan_in(), model="wc")
    assert dg.with_model("wc") is dg
    assert as_diffusion_graph(dg, model="wc") is dg
    ic = as_diffusion_graph(dg, model="ic", p=0.2)
    assert isinstance(ic, DiffusionGraph) and ic.out_dst is dg.out_dst
    assert ic.probability("a", "t") == pytest.approx(0.2)
    # overrides are relative to the map's stances, not to earlier what-ifs
    what_if = dg.with_model("stance", overrides={"t": 1})
    assert what_if.with_model(overrides=None).stances == dg.base_stances


def test_in_and_out_views_agree(krackhardt_map):
    dg = diffusion_graph_from_frames(krackhardt_map.people, krackhardt_map.ties)
    src = np.repeat(np.arange(dg.n), np.diff(dg.out_ptr))
    dst_in = np.repeat(np.arange(dg.n), np.diff(dg.in_ptr))
    out_edges = sorted(zip(src.tolist(), dg.out_dst.tolist(), np.round(dg.out_prob, 12).tolist()))
    in_edges = sorted(zip(dg.in_src.tolist(), dst_in.tolist(), np.round(dg.in_prob, 12).tolist()))
    assert out_edges == in_edges


def test_pagerank_favours_people_who_move_others():
    G = nx.DiGraph([("boss", x) for x in "abcd"])
    dg = diffusion_graph(G)
    assert dg.ids[int(np.argmax(dg.pagerank))] == "boss"
    assert dg.pagerank.sum() == pytest.approx(1.0)
