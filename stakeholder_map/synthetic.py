"""Seeded synthetic organisations of any size, for benchmarks and scale tests.

Unlike the hand-shaped demo organisation (``data/demo/``), these are plain
and fast to make: departments of uneven size, a ``reports_to`` hierarchy, and
about ``ties_per_person`` outgoing ties per person, most of them inside the
department, with preferential attachment so that a few people are sought out
by many (as in real advice networks). Vectorised with numpy: 100k people and
1M ties take well under a second.

Examples
--------
>>> people, ties = synthetic_organisation(50, ties_per_person=4, seed=1)
>>> len(people), people["id"].is_unique, set(ties.columns) >= {"source", "target", "weight", "kind"}
(50, True, True)
>>> synthetic_organisation(50, ties_per_person=4, seed=1)[1].equals(ties)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema as s

__all__ = ["synthetic_organisation"]

_DEPARTMENTS = (
    "IT", "Finance", "Operations", "Sales", "Marketing", "HR", "Legal",
    "Engineering", "Customer Service", "Procurement", "Facilities", "Research",
)
_STANCE_WORDS = np.array(["resistant", "skeptic", "neutral", "supporter", "champion", ""])


def synthetic_organisation(
    n_people: int,
    *,
    ties_per_person: float = 10.0,
    n_departments: int | None = None,
    inside_share: float = 0.8,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Make a stakeholders frame and an influences frame in the contract's form.

    Parameters
    ----------
    n_people : int
        Number of stakeholders.
    ties_per_person : float
        Mean number of outgoing ties per person (the ``reports_to`` ties come
        on top).
    n_departments : int, optional
        Defaults to about one per 25 people, between 1 and 12.
    inside_share : float
        Share of the non-hierarchy ties that stay inside a department.
    seed : int
        Same seed, same organisation.

    Returns
    -------
    (people, ties) : tuple of DataFrame
        Columns as in ``stakeholders.csv`` and ``influences.csv``; all text.
    """
    rng = np.random.default_rng(seed)
    n = int(n_people)
    if n <= 0:
        return (pd.DataFrame(columns=[s.ID, s.NAME]),
                pd.DataFrame(columns=[s.SOURCE, s.TARGET, s.WEIGHT, s.KIND]))
    if n_departments is None:
        n_departments = int(min(len(_DEPARTMENTS), max(1, round(n / 25))))
    names = [_DEPARTMENTS[i] if i < len(_DEPARTMENTS) else f"Unit {i + 1}" for i in range(n_departments)]
    share = rng.dirichlet(np.full(n_departments, 3.0))
    dept = np.sort(rng.choice(n_departments, size=n, p=share))
    ids = np.array([f"p{i:06d}" for i in range(n)])

    # Seniority: the first person of each department heads it, a few managers.
    seniority = rng.choice([1, 2, 3], size=n, p=[0.7, 0.2, 0.1])
    starts = np.flatnonzero(np.r_[True, dept[1:] != dept[:-1]])
    seniority[starts] = 4
    if n:
        seniority[0] = 5
    # Stances skewed per department.
    tilt = rng.normal(0, 0.6, n_departments)[dept]
    stance_idx = np.clip(np.round(rng.normal(2 + tilt, 1.0)), 0, 4).astype(int)
    stance_idx[rng.random(n) < 0.1] = 5  # unknown
    people = pd.DataFrame({
        s.ID: ids,
        s.NAME: [f"Person {i}" for i in range(n)],
        s.DEPARTMENT: np.array(names)[dept],
        s.ROLE: np.where(seniority >= 4, "Head", np.where(seniority == 3, "Manager", "Staff")),
        s.SENIORITY: seniority.astype(str),
        s.STANCE: _STANCE_WORDS[stance_idx],
        s.INFLUENCE: np.clip(seniority + rng.integers(-1, 2, n), 1, 5).astype(str),
        s.INTEREST: rng.integers(1, 6, n).astype(str),
    })

    # Hierarchy: everyone but a department head reports to an earlier, more
    # senior person of the department; heads report to person 0.
    first_of = starts[np.searchsorted(starts, np.arange(n), side="right") - 1]
    span = np.arange(n) - first_of
    boss = first_of + (rng.random(n) * np.maximum(span, 1) * 0.3).astype(int)
    boss[starts] = 0
    has_boss = np.arange(n) != boss
    h_src, h_dst = boss[has_boss], np.arange(n)[has_boss]

    # Other ties: targets are random, sources drawn with preferential weight.
    m = int(round(n * ties_per_person))
    popularity = rng.pareto(1.5, n) + 1.0
    src = rng.choice(n, size=m, p=popularity / popularity.sum())
    inside = rng.random(m) < inside_share
    dept_lo = starts[np.searchsorted(starts, src, side="right") - 1]
    dept_hi = np.r_[starts[1:], n][np.searchsorted(starts, src, side="right") - 1]
    dst_inside = dept_lo + (rng.random(m) * (dept_hi - dept_lo)).astype(int)
    dst_any = rng.integers(0, n, m)
    dst = np.where(inside, dst_inside, dst_any)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    kinds = np.array(["advice", "collaboration", "friendship"])[rng.choice(3, size=len(src), p=[0.5, 0.35, 0.15])]
    weight = rng.integers(1, 6, len(src))

    ties = pd.DataFrame({
        s.SOURCE: np.r_[ids[h_src], ids[src]],
        s.TARGET: np.r_[ids[h_dst], ids[dst]],
        s.WEIGHT: np.r_[np.full(len(h_src), 3), weight].astype(str),
        s.KIND: np.r_[np.full(len(h_src), "reports_to"), kinds],
    })
    return people, ties
