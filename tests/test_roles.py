"""Quadrants and roles: the documented rules, exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stakeholder_map.analysis.roles import QUADRANT_STRATEGY, QUADRANTS, ROLES, assign_roles, quadrant


@pytest.mark.parametrize(
    ("influence", "interest", "expected"),
    [
        (5, 5, "manage closely"),
        (4, 4, "manage closely"),
        (4, 3, "keep satisfied"),
        (5, None, "unscored"),
        (3, 4, "keep informed"),
        (None, 5, "unscored"),
        (3, 3, "monitor"),
        (1, 1, "monitor"),
        (None, None, "unscored"),
        (float("nan"), pd.NA, "unscored"),
        (3.5, 3.5, "monitor"),
        ("", 4, "unscored"),
        (4, "high", "unscored"),
    ],
)
def test_quadrant(influence, interest, expected):
    assert quadrant(influence, interest) == expected


def test_every_quadrant_has_a_strategy():
    assert set(QUADRANT_STRATEGY) == set(QUADRANTS)
    assert all(text.strip() for text in QUADRANT_STRATEGY.values())


def metrics(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {
        "stance": [0] * n, "pagerank": [1.0 / max(n, 1)] * n, "betweenness": [0.0] * n,
        "constraint": [0.5] * n, "effective_size": [2.0] * n,
        "in_degree": [1] * n, "out_degree": [1] * n,
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_blocker_rule_is_exact():
    rng = np.random.default_rng(3)
    n = 200
    df = metrics(
        stance=rng.choice([-2, -1, 0, 1, 2, None], size=n).tolist(),
        pagerank=rng.random(n),
        betweenness=np.where(rng.random(n) < 0.6, 0.0, rng.random(n)),
        constraint=rng.random(n),
        effective_size=rng.random(n) * 10,
    )
    pr_cut = np.quantile(df["pagerank"], 0.75)
    bc_cut = np.quantile(df["betweenness"], 0.75)
    expected = [
        s in (-2, -1) and (pr > pr_cut or bc > bc_cut)
        for s, pr, bc in zip(df["stance"], df["pagerank"], df["betweenness"])
    ]
    assert ["blocker" in r for r in assign_roles(df)] == expected
    assert any(expected)


def test_blocker_needs_opposition_and_top_quartile():
    df = metrics(
        stance=[-1, 1, -2, None, -1, 0, 0, 0],
        pagerank=[0.30, 0.25, 0.01, 0.20, 0.05, 0.04, 0.03, 0.12],
        betweenness=[0.0, 0.0, 0.0, 0.0, 0.9, 0.0, 0.0, 0.0],
    )
    blockers = ["blocker" in r for r in assign_roles(df)]
    # skeptic with top PageRank; supporter never; resistant but low; unknown never;
    # skeptic with top betweenness.
    assert blockers == [True, False, False, False, True, False, False, False]


def test_equal_scores_make_no_blocker():
    df = metrics(stance=[-2, -2, -1, -1], pagerank=[0.25] * 4)
    assert assign_roles(df).tolist() == [[], [], [], []]


def test_isolates_are_never_brokers_and_only_isolates_are_isolates():
    df = metrics(
        in_degree=[0, 0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        out_degree=[0, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        constraint=[np.nan, 1.0, 0.1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
        effective_size=[np.nan, 1.0, 6.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0],
    )
    roles = assign_roles(df).tolist()
    assert roles[0] == ["isolate"]
    assert roles[1] == []
    assert roles[2] == ["broker"]
    assert all(r == [] for r in roles[3:])


def test_broker_by_effective_size_alone():
    df = metrics(constraint=[0.5] * 10, effective_size=[2.0] * 9 + [9.0])
    assert assign_roles(df).tolist()[-1] == ["broker"]


def test_roles_keep_the_index_and_order():
    df = metrics(stance=[-2, 0], pagerank=[0.9, 0.1], in_degree=[1, 1], out_degree=[0, 0],
                 constraint=[0.1, 0.9]).set_index(pd.Index(["x", "y"]))
    out = assign_roles(df)
    assert list(out.index) == ["x", "y"]
    assert out["x"] == ["broker", "blocker"] and list(ROLES) == ["broker", "blocker", "isolate"]


def test_empty_frame():
    assert assign_roles(metrics(stance=[]).iloc[:0]).tolist() == []
