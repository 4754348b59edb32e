"""Rotation plan: a quarter of visits by a team of associates to every department.

The practice: visit other departments regularly, two or more associates per
department, a few times each quarter; spend the most time where buy-in is
furthest from its milestone. :func:`plan_rotation` turns a team (``team.csv``,
read by :func:`stakeholder_map.ingest_team.read_team`) and the departments'
priorities (e.g.
:func:`~stakeholder_map.tracking.milestones.department_gaps`) into a
schedule:

* **Weeks.** A quarter ``YYYYQn`` has one week per Monday that falls in it
  (12 to 14; week 1 starts on the first Monday of the quarter). Each visit is
  on a Tuesday, Wednesday or Thursday (Monday or Friday only when an
  associate has more than three visits that week), never two visits of one
  associate on the same day.
* **How often.** Every department gets ``visits`` visits (default 3); the
  third of departments with the largest positive gap gets ``extra_visits``
  more (default 1). A department never gets more visits than there are weeks.
* **When.** A department's visits are spread evenly across the weeks, one
  every ``spacing = weeks / visits`` weeks from a starting week. Departments
  are placed in order of gap (largest first, then by name); each takes the
  starting week (within its first spacing) whose weeks hold the fewest
  visits placed so far, the earliest on a tie, so the department furthest
  from its milestone starts in week 1 and the visits spread over the quarter.
* **Who.** ``per_visit`` associates per visit (default 1), chosen visit by
  visit in date order: not their own home department where avoidable; the
  least loaded so far (so loads differ by at most one when homes allow);
  then the one with the fewest visits that week; then someone who has not
  yet been to that department; ties broken by a seeded shuffle. Every
  department is seen by at least ``min_associates`` (default 2) different
  associates when the team and its visits allow.

Same team, departments, quarter and seed: the same plan.

Examples
--------
>>> team = pd.DataFrame({"name": ["Ann", "Bo", "Cy"], "home_department": ["IT", "Finance", None]})
>>> plan = plan_rotation(team, ["Finance", "IT", "Sales"], "2027Q1", seed=0)
>>> len(plan), sorted(plan.groupby("associate").size().tolist())
(9, [3, 3, 3])
>>> bool((plan["associate"] == "Ann").loc[plan["department"] == "IT"].any())
False
>>> int(plan.groupby("department")["associate"].nunique().min())
2
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import networkx as nx
import pandas as pd

from .. import schema as s

__all__ = [
    "parse_quarter",
    "quarter_weeks",
    "plan_rotation",
    "PLAN_COLUMNS",
]

#: Columns of a plan, in order.
PLAN_COLUMNS = ["quarter", "week", "week_start", "date", s.DEPARTMENT, "visit", "visits", "associate",
                s.HOME_DEPARTMENT, s.EMAIL, "gap", "reason"]
_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
_DAY_ORDER = (1, 2, 3, 0, 4)   # Tue, Wed, Thu, then Mon, Fri


def parse_quarter(quarter: str) -> tuple[date, date]:
    """First and last day of a quarter written ``YYYYQn`` (or ``YYYY-Qn``).

    >>> parse_quarter("2027Q1")
    (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31))
    >>> parse_quarter("2026-q4")[1]
    datetime.date(2026, 12, 31)
    """
    found = _QUARTER.match(str(quarter))
    if not found:
        raise ValueError(f"{quarter!r} is not a quarter; write it as YYYYQn, e.g. 2027Q1")
    year, q = int(found.group(1)), int(found.group(2))
    first = date(year, 3 * q - 2, 1)
    last = date(year + 1, 1, 1) - timedelta(days=1) if q == 4 else date(year, 3 * q + 1, 1) - timedelta(days=1)
    return first, last


def quarter_weeks(quarter: str) -> list[date]:
    """The Mondays of a quarter: the start of each of its weeks.

    >>> weeks = quarter_weeks("2027Q1")
    >>> len(weeks), weeks[0], weeks[-1]
    (13, datetime.date(2027, 1, 4), datetime.date(2027, 3, 29))
    """
    first, last = parse_quarter(quarter)
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    out = []
    while monday <= last:
        out.append(monday)
        monday += timedelta(weeks=1)
    return out


def _quarter_label(quarter: str) -> str:
    first, _ = parse_quarter(quarter)
    return f"{first.year}Q{(first.month - 1) // 3 + 1}"


def _priorities(departments: pd.DataFrame | Iterable[str]) -> pd.DataFrame:
    if isinstance(departments, pd.DataFrame):
        frame = departments.copy()
        if "gap" not in frame:
            frame["gap"] = 0.0
        if "reason" not in frame:
            frame["reason"] = None
    else:
        names = list(dict.fromkeys(str(d) for d in departments))
        frame = pd.DataFrame({s.DEPARTMENT: names, "gap": 0.0, "reason": None})
    frame = frame[[s.DEPARTMENT, "gap", "reason"]].drop_duplicates(s.DEPARTMENT)
    frame["gap"] = pd.to_numeric(frame["gap"], errors="coerce").fillna(0.0).clip(lower=0.0)
    return frame.sort_values(["gap", s.DEPARTMENT], ascending=[False, True], kind="stable").reset_index(drop=True)


def plan_rotation(
    team: pd.DataFrame,
    departments: pd.DataFrame | Iterable[str],
    quarter: str,
    *,
    visits: int = 3,
    extra_visits: int = 1,
    per_visit: int = 1,
    min_associates: int = 2,
    seed: Any = 0,
) -> pd.DataFrame:
    """A quarter's visiting schedule (rules in the module docstring).

    Parameters
    ----------
    team : DataFrame
        ``name`` and optionally ``home_department`` and ``email`` (as from
        :func:`stakeholder_map.ingest_team.read_team`).
    departments : DataFrame or iterable of str
        ``department, gap[, reason]`` (e.g.
        :func:`~stakeholder_map.tracking.milestones.department_gaps`), or
        just department names (all equally urgent).
    quarter : str
        ``YYYYQn``, e.g. ``"2027Q1"``.
    visits : int
        Visits per department in the quarter.
    extra_visits : int
        More visits for the third of departments furthest from their
        milestones (positive gap only).
    per_visit : int
        Associates sent on each visit.
    min_associates : int
        Different associates each department should see.
    seed : int, random.Random or None
        Breaks ties between equally suitable associates.

    Returns
    -------
    DataFrame
        :data:`PLAN_COLUMNS`, one row per associate and visit, by date:
        ``quarter, week`` (1-based), ``week_start`` (Monday), ``date``,
        ``department``, ``visit`` (n-th of ``visits`` to that department),
        ``associate``, ``home_department``, ``email``, ``gap`` and ``reason``
        (why the department is a priority).

    Raises
    ------
    ValueError
        A bad quarter, fewer than one visit, or an empty team.
    """
    label = _quarter_label(quarter)
    weeks = quarter_weeks(quarter)
    if int(visits) < 1:
        raise ValueError("each department needs at least one visit")
    if team is None or not len(team):
        raise ValueError("the team has no associates")
    per_visit = max(1, min(int(per_visit), len(team)))
    rng = nx.utils.create_py_random_state(seed)
    names = [str(n) for n in team[s.NAME].tolist()]
    homes = [_text(v) for v in team[s.HOME_DEPARTMENT]] if s.HOME_DEPARTMENT in team else [None] * len(names)
    emails = [_text(v) for v in team[s.EMAIL]] if s.EMAIL in team else [None] * len(names)
    shuffle = list(range(len(names)))
    rng.shuffle(shuffle)
    tiebreak = {a: i for i, a in enumerate(shuffle)}

    ranked = _priorities(departments)
    n_dept = len(ranked)
    if n_dept == 0:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    positive = int((ranked["gap"] > 0).sum())
    boosted = min(math.ceil(n_dept / 3), positive)
    n_weeks = len(weeks)
    slots = []  # (week index, rank, department, visit number, visits)
    placed = [0] * n_weeks
    for rank, department in enumerate(ranked[s.DEPARTMENT]):
        count = min(int(visits) + (int(extra_visits) if rank < boosted else 0), n_weeks)
        spacing = n_weeks / count

        def weeks_from(start: int) -> list[int]:
            return [int(math.floor(start + i * spacing + 1e-9)) for i in range(count)]

        starts = [o for o in range(max(int(math.ceil(spacing - 1e-9)), 1)) if weeks_from(o)[-1] < n_weeks]
        start = min(starts, key=lambda o: (sum(placed[w] for w in weeks_from(o)), o))
        for i, week in enumerate(weeks_from(start)):
            placed[week] += 1
            slots.append((week, rank, department, i + 1, count))
    slots.sort(key=lambda x: (x[0], x[1], x[3]))

    load = [0] * len(names)
    week_load: dict[tuple[int, int], int] = {}
    seen: dict[str, dict[int, int]] = {}
    busy_days: dict[tuple[int, date], bool] = {}
    day_load: dict[date, int] = {}
    remaining = {d: sum(1 for x in slots if x[2] == d) for d in ranked[s.DEPARTMENT]}
    rows = []
    for week, rank, department, visit, count in slots:
        met = seen.setdefault(department, {})
        chosen: list[int] = []
        for _ in range(per_visit):
            shortfall = min_associates - len(set(met) | set(chosen))
            places_left = remaining[department] * per_visit - len(chosen)
            need_new = 0 < shortfall and places_left <= shortfall

            def key(a: int) -> tuple:
                return (homes[a] == department,
                        need_new and a in met,
                        load[a],
                        week_load.get((a, week), 0),
                        met.get(a, 0),
                        tiebreak[a])

            pick = min((a for a in range(len(names)) if a not in chosen), key=key)
            chosen.append(pick)
        remaining[department] -= 1
        monday = weeks[week]
        day = _visit_day(monday, chosen, busy_days, day_load)
        for a in chosen:
            load[a] += 1
            week_load[(a, week)] = week_load.get((a, week), 0) + 1
            met[a] = met.get(a, 0) + 1
            busy_days[(a, day)] = True
            row = ranked.iloc[rank]
            rows.append({
                "quarter": label, "week": week + 1, "week_start": monday, "date": day,
                s.DEPARTMENT: department, "visit": visit, "visits": count, "associate": names[a],
                s.HOME_DEPARTMENT: homes[a], s.EMAIL: emails[a],
                "gap": float(row["gap"]), "reason": _text(row["reason"]),
            })
        day_load[day] = day_load.get(day, 0) + 1
    plan = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    return plan.sort_values(["date", s.DEPARTMENT, "associate"], kind="stable").reset_index(drop=True)


def _text(value: Any) -> str | None:
    """Text, or None for None, NaN, pd.NA and empty text."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _visit_day(monday: date, people: list[int], busy: dict, day_load: dict) -> date:
    """The weekday for a visit: free for everyone on it, least busy, Tue–Thu first."""
    options = [monday + timedelta(days=k) for k in _DAY_ORDER]
    free = [d for d in options if not any(busy.get((a, d)) for a in people)] or options
    midweek = [d for d in free if d.weekday() in (1, 2, 3)]
    return min(midweek or free, key=lambda d: (day_load.get(d, 0), _DAY_ORDER.index(d.weekday())))
