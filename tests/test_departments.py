"""Departments: influence matrix, profiles with a suggested approach, community alignment."""

from __future__ import annotations

import networkx as nx
import pytest

from stakeholder_map.analysis.centrality import stakeholder_metrics
from stakeholder_map.analysis.departments import community_alignment, department_profiles, influence_matrix
from stakeholder_map.graph import build_graph
from stakeholder_map.ingest import read_map


def org(people: dict[str, tuple[str, int | None]], ties: list[tuple[str, str, float]]) -> nx.DiGraph:
    """people: id -> (department, stance); ties: (source, target, weight)."""
    G = nx.DiGraph()
    for pid, (dept, stance) in people.items():
        G.add_node(pid, name=pid.upper(), department=dept, stance=stance, seniority=2)
    for u, v, w in ties:
        G.add_edge(u, v, weight=w, ties=1)
    return G


@pytest.fixture
def krackhardt(krackhardt_files):
    data = read_map(*krackhardt_files)
    return build_graph(data.people, data.ties)


def test_influence_matrix_rows_are_who_moves():
    G = org({"a": ("IT", 1), "b": ("IT", 0), "c": ("HR", -1), "d": ("Legal", None)},
            [("a", "b", 2.0), ("c", "a", 1.5), ("c", "b", 1.0), ("a", "c", 4.0)])
    G["c"]["a"]["ties"] = 3
    weight = influence_matrix(G)
    assert list(weight.index) == list(weight.columns) == ["HR", "IT", "Legal"]
    assert weight.loc["HR", "IT"] == 2.5 and weight.loc["IT", "HR"] == 4.0 and weight.loc["IT", "IT"] == 2.0
    assert weight.loc["Legal"].sum() == 0 and weight.to_numpy().sum() == 8.5
    ties = influence_matrix(G, value="ties")
    assert ties.loc["HR", "IT"] == 4 and ties.to_numpy().sum() == 6
    with pytest.raises(ValueError):
        influence_matrix(G, value="people")


def test_krackhardt_matrix_totals(krackhardt):
    assert influence_matrix(krackhardt, value="ties").to_numpy().sum() == 312
    assert influence_matrix(krackhardt).to_numpy().sum() == pytest.approx(312.0)


def test_profiles_of_krackhardt(krackhardt):
    profiles = department_profiles(krackhardt, stakeholder_metrics(krackhardt))
    assert [(p["department"], p["size"]) for p in profiles] == [
        ("Dept 2", 8), ("Dept 1", 5), ("Dept 4", 4), ("Dept 3", 3), ("Dept 0", 1)]
    assert all(p["stance_mix"]["unknown"] == p["size"] for p in profiles)
    assert all("Find out first" in p["approach"] for p in profiles)
    ceo = profiles[-1]
    assert ceo["top_influencers"][0]["id"] == "7" and ceo["seniority_mix"]["executive"] == 1


def test_brokers_in_are_outsiders_with_most_weight_into_the_department():
    G = org({"a": ("IT", 1), "b": ("IT", 1), "x": ("HR", 0), "y": ("HR", 0), "z": ("Ops", 0)},
            [("x", "a", 3.0), ("x", "b", 2.0), ("y", "a", 4.0), ("z", "b", 1.0), ("a", "b", 9.0)])
    it = next(p for p in department_profiles(G, stakeholder_metrics(G), top=2) if p["department"] == "IT")
    assert it["brokers_in"] == [
        {"id": "x", "name": "X", "department": "HR", "weight": 5.0},
        {"id": "y", "name": "Y", "department": "HR", "weight": 4.0},
    ]


def test_blockers_are_the_blocker_role():
    G = org({f"p{i}": ("IT", -1 if i < 3 else 1) for i in range(8)},
            [("p0", f"p{i}", 1.0) for i in range(1, 8)] + [("p3", "p1", 1.0)])
    metrics = stakeholder_metrics(G)
    (it,) = department_profiles(G, metrics)
    expected = [pid for pid, roles in zip(metrics["id"], metrics["roles"]) if "blocker" in roles]
    assert [b["id"] for b in it["blockers"]] == expected == ["p0"]
    assert it["blockers"][0]["stance"] == "skeptic"
    assert it["stance_mix"] == {"resistant": 0, "skeptic": 3, "neutral": 0, "supporter": 5,
                                "champion": 0, "unknown": 0}
    assert sum(it["seniority_mix"].values()) == 8


def test_approach_follows_the_profile():
    people = {
        "s1": ("Sales", 1), "s2": ("Sales", 2), "s3": ("Sales", 1), "s4": ("Sales", 0),
        "f1": ("Finance", -1), "f2": ("Finance", -2), "f3": ("Finance", -1), "f4": ("Finance", 1),
        "m1": ("Marketing", 1), "m2": ("Marketing", -1), "m3": ("Marketing", 0), "m4": ("Marketing", 0),
        "u1": ("Unknowns", None), "u2": ("Unknowns", None), "u3": ("Unknowns", 1),
    }
    ties = [("s1", "f1", 3.0), ("s1", "s2", 1.0), ("s2", "s3", 1.0), ("f1", "f2", 2.0), ("f2", "f3", 1.0),
            ("m1", "m2", 1.0), ("m3", "m4", 1.0), ("u1", "u2", 1.0), ("s1", "m1", 1.0)]
    G = org(people, ties)
    approach = {p["department"]: p["approach"] for p in department_profiles(G, stakeholder_metrics(G))}
    assert approach["Sales"].startswith("75% of those with a known stance in Sales support the change.")
    assert "Recruit champions: S1" in approach["Sales"] and "carry it to Finance" in approach["Sales"]
    assert approach["Finance"].startswith("75% of those with a known stance in Finance are resistant or skeptic.")
    assert "Start with 1:1s with" in approach["Finance"]
    assert "Bring results from Sales" in approach["Finance"] and "involve them in decisions" in approach["Finance"]
    assert "S1 (Sales)" in approach["Finance"]
    assert approach["Marketing"].startswith("Marketing is mixed or undecided (25% support, 25% resistant")
    assert approach["Unknowns"].startswith("Stance is unknown for 2 of 3 people in Unknowns. Find out first")


def test_profiles_of_an_empty_graph():
    assert department_profiles(nx.DiGraph(), stakeholder_metrics(nx.DiGraph())) == []


def test_alignment_when_communities_are_the_departments():
    G = org({"a": ("X", 0), "b": ("X", 0), "c": ("Y", 0), "d": ("Y", 0)},
            [("a", "b", 1.0), ("c", "d", 1.0), ("b", "c", 1.0)])
    out = community_alignment(G, {"a": 5, "b": 5, "c": 7, "d": 7})
    assert out["nmi"] == pytest.approx(1.0)
    assert out["modularity_departments"] == pytest.approx(out["modularity_communities"])
    reference = nx.community.modularity(G.to_undirected(), [{"a", "b"}, {"c", "d"}], weight="weight")
    assert out["modularity_departments"] == pytest.approx(reference)
    assert out["spanning"] == []


def test_alignment_finds_communities_that_cut_across_departments():
    people = {f"x{i}": ("X", 0) for i in range(4)} | {f"y{i}": ("Y", 0) for i in range(4)}
    G = org(people, [])
    labels = {"x0": 0, "x1": 0, "y0": 0, "y1": 0, "x2": 1, "x3": 1, "y2": 1, "y3": 2}
    out = community_alignment(G, labels)
    assert out["spanning"] == [
        {"community": 0, "size": 4, "departments": {"X": 2, "Y": 2}},
        {"community": 1, "size": 3, "departments": {"X": 2, "Y": 1}},
    ]
    assert 0 <= out["nmi"] < 0.5
    assert out["modularity_communities"] == 0.0  # no ties


def test_alignment_on_krackhardt_uses_the_metrics_communities(krackhardt):
    metrics = stakeholder_metrics(krackhardt)
    out = community_alignment(krackhardt, dict(zip(metrics["id"], metrics["community"])))
    assert 0 <= out["nmi"] <= 1
    assert out["modularity_communities"] > out["modularity_departments"]
    assert sum(s["size"] for s in out["spanning"]) <= 21


def test_people_missing_from_the_communities_count_alone():
    G = org({"a": ("X", 0), "b": ("X", 0), "c": ("X", 0)}, [("a", "b", 1.0)])
    out = community_alignment(G, {"a": 0, "b": 0})
    assert out["spanning"] == [] and out["nmi"] == 0.0


def test_departments_without_power_interest_scores_say_so_instead_of_advising_from_them(krackhardt):
    profiles = department_profiles(krackhardt, stakeholder_metrics(krackhardt, seed=0))
    assert all(p["unscored"] == p["size"] for p in profiles)
    assert all(p["approach"].endswith("No influence / interest scores in the data for "
                                      f"{p['department']}, so the power/interest grid gives no advice here.")
               for p in profiles)


def test_a_department_with_some_scores_names_how_many_lack_them():
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, "IT", "department")
    nx.set_node_attributes(G, {"a": 5, "b": 2}, "influence")
    nx.set_node_attributes(G, {"a": 4, "b": 2, "c": 5}, "interest")
    profile = department_profiles(G, stakeholder_metrics(G))[0]
    assert profile["unscored"] == 1
    assert "No influence / interest scores in the data for 1 of 3 people here" in profile["approach"]
    nx.set_node_attributes(G, {"c": 1}, "influence")
    profile = department_profiles(G, stakeholder_metrics(G))[0]
    assert profile["unscored"] == 0 and "No influence / interest" not in profile["approach"]
