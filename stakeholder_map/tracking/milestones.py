"""Milestones: targets for buy-in, their progress, trend and an at-risk flag.

A milestone (:meth:`Store.add_milestone`, :meth:`Store.milestones`) is a
target to reach by a due date, for one department or (department None) the
whole organisation. Two kinds:

``share``
    The share of the department's (or everyone's) people whose stance is
    ``min_stance`` or better (default 1: supporter or champion); unknown
    stances count as not there yet. "60 % of Finance supporter or better by
    2027-03-31" is ``kind="share", department="Finance", target=0.6,
    min_stance=1``.
``champion_engaged``
    The share of departments (every department of the map, or only the
    milestone's one) in which at least one *champion* has been engaged: a
    person whose stance that day is ``min_stance`` or better (default 1:
    supporter or champion), or who is among the ``champion_ids`` passed
    (e.g. the champions chosen on the Champions page), and who has a logged
    conversation with the rollout team dated on or before that day (desk
    assessments and seed touches do not count, see
    :func:`~stakeholder_map.tracking.history.conversations`).
    "A champion engaged in every department" is ``target=1``.

Stances on a date follow the rule of :mod:`~stakeholder_map.tracking.history`
(latest record on or before the date; the first record carried back).

Progress, trend and status
    ``value`` is the milestone's share as of ``as_of`` (default today). The
    *trend* is the least-squares slope of the weekly series of the last
    ``weeks`` weeks (``weeks + 1`` points ending at ``as_of``), and
    ``projected`` the value it reaches by the due date (clipped to 0–1).
    Status:

    * ``met`` — the value is at or above the target (by the due date, if
      that has passed);
    * ``missed`` — the due date has passed and the value on it was below
      the target;
    * ``on track`` — not met yet, but the projection reaches the target by
      the due date;
    * ``at risk`` — the projection falls short (``at_risk`` is True for
      this and for ``missed``).

Examples
--------
>>> import pandas as pd
>>> from datetime import date
>>> people = pd.DataFrame({"id": list("abcd"), "name": list("ABCD"), "department": ["Finance"] * 4,
...                        "stance": [1, 1, 0, -1]})
>>> history = pd.DataFrame({"stakeholder_id": ["a", "b", "b"], "stance": [1, 0, 1],
...                         "recorded_on": [date(2026, 9, 1), date(2026, 9, 1), date(2026, 10, 27)],
...                         "source": "engagement"})
>>> goals = pd.DataFrame({"milestone_id": [1], "label": [None], "department": ["Finance"], "kind": ["share"],
...                       "target": [0.75], "min_stance": [1], "due": [date(2027, 3, 31)]})
>>> from stakeholder_map.tracking import TrackingFrames
>>> frames = TrackingFrames(people, history, milestones=goals)
>>> row = milestone_progress(frames, as_of=date(2026, 11, 24), weeks=8).table.iloc[0]
>>> row["label"], float(row["value"]), row["status"]
('75% of Finance supporter or better by 2027-03-31', 0.5, 'on track')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from .. import schema as s
from . import TrackingFrames
from .history import ALL, STANCE_ORDER, StanceTimeline, as_date, conversations, weekly_dates

__all__ = [
    "STATUSES",
    "MilestoneProgress",
    "milestone_label",
    "milestone_progress",
    "progress_report",
    "department_gaps",
]

#: The statuses of a milestone, best first.
STATUSES = ("met", "on track", "at risk", "missed")
_EPS = 1e-9
_COLUMNS = ["milestone_id", "label", s.DEPARTMENT, "kind", "target", "min_stance", "due", "value", "count",
            "total", "needed", "trend_per_week", "projected", "reaches_on", "status", "at_risk", "weeks_left",
            "value_at_due"]


def _stance_words(min_stance: int) -> str:
    if int(min_stance) >= 2:
        return "champion"
    return f"{s.stance_label(int(min_stance))} or better"


def milestone_label(milestone: Mapping) -> str:
    """A milestone's own label, or one made from its fields.

    >>> milestone_label({"kind": "share", "department": None, "target": 0.5, "min_stance": 1,
    ...                  "due": date(2027, 6, 30)})
    '50% of everyone supporter or better by 2027-06-30'
    >>> milestone_label({"kind": "champion_engaged", "department": None, "target": 1.0, "min_stance": 1,
    ...                  "due": date(2027, 1, 31)})
    'a champion engaged in every department by 2027-01-31'
    """
    label = milestone.get("label")
    if isinstance(label, str) and label.strip():
        return label.strip()
    due = as_date(milestone["due"]).isoformat()
    target = float(milestone["target"])
    department = milestone.get(s.DEPARTMENT)
    if milestone.get("kind") == "champion_engaged":
        if department:
            return f"a champion engaged in {department} by {due}"
        where = "every department" if target >= 1 - _EPS else f"{target:.0%} of departments"
        return f"a champion engaged in {where} by {due}"
    who = department or "everyone"
    return f"{target:.0%} of {who} {_stance_words(int(milestone.get('min_stance', 1)))} by {due}"


@dataclass
class MilestoneProgress:
    """Progress of every milestone of a map.

    Attributes
    ----------
    table : DataFrame
        One row per milestone (by due date): ``milestone_id, label,
        department, kind, target, min_stance, due, value`` (share now),
        ``count``/``total`` (people, or departments, there / in scope),
        ``needed`` (how many more to reach the target), ``trend_per_week``
        (share points per week), ``projected`` (share by the due date at that
        trend), ``reaches_on`` (when the trend reaches the target, None if
        never), ``status`` (:data:`STATUSES`), ``at_risk``, ``weeks_left``
        and ``value_at_due`` (the value on the due date, once it has passed).
    series : DataFrame
        ``milestone_id, date, value``: the weekly series behind each trend.
    as_of : date
    weeks : int
    """

    table: pd.DataFrame
    series: pd.DataFrame
    as_of: date
    weeks: int

    def to_dict(self) -> dict:
        """JSON-ready plain values."""
        def plain(frame: pd.DataFrame) -> list[dict]:
            out = []
            for record in frame.to_dict("records"):
                out.append({k: _plain(v) for k, v in record.items()})
            return out
        return {"as_of": self.as_of.isoformat(), "weeks": self.weeks, "milestones": plain(self.table),
                "series": plain(self.series)}


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if value is pd.NA:
        return None
    return value


class _Scorer:
    """Milestone values at any date, from one timeline."""

    def __init__(self, frames: TrackingFrames, champion_ids: Iterable[str] | None):
        self.line = StanceTimeline(frames.people, frames.history)
        self.ids = self.line.base[s.ID].to_numpy()
        index = pd.Index(self.ids)
        contacts = conversations(frames.engagements)
        pos = index.get_indexer(contacts["stakeholder_id"]) if len(contacts) else np.zeros(0, np.int64)
        first = np.full(len(self.ids), np.iinfo(np.int64).max, dtype=np.int64)
        if len(pos):
            keep = pos >= 0
            days = np.array([d.toordinal() for d in contacts["date"]], dtype=np.int64)[keep]
            np.minimum.at(first, pos[keep], days)
        self.first_contact = first
        self.pinned = np.isin(self.ids, [str(c) for c in (champion_ids or ())])
        self._cache: dict[date, np.ndarray] = {}

    def stance_value(self, when: date) -> np.ndarray:
        """Stance points per person (unknown = −9, below every threshold)."""
        if when not in self._cache:
            _, code, _ = self.line.at(when)
            self._cache[when] = np.where(code == len(STANCE_ORDER) - 1, -9, code - 2)
        return self._cache[when]

    def departments(self, department: str | None) -> list[int]:
        names = self.line.department_names
        if department is None:
            return list(range(len(names)))
        return [names.index(department)] if department in names else []

    def value(self, milestone: Mapping, when: date) -> tuple[float | None, int, int]:
        """``(share, count, total)`` of a milestone on a date; share None if nobody is in scope."""
        stance = self.stance_value(when)
        minimum = int(milestone.get("min_stance", 1))
        department = milestone.get(s.DEPARTMENT) or None
        codes = self.line.department_codes
        if milestone.get("kind") == "champion_engaged":
            scope = self.departments(department)
            champion = (stance >= minimum) | self.pinned
            engaged = champion & (self.first_contact <= when.toordinal())
            count = sum(1 for d in scope if engaged[codes == d].any())
            return (count / len(scope) if scope else None), count, len(scope)
        scope = self.departments(department)
        if not scope:
            return None, 0, 0
        inside = np.isin(codes, scope)
        total = int(inside.sum())
        count = int((stance[inside] >= minimum).sum())
        return (count / total if total else None), count, total


def _slope(days: list[int], values: list[float | None]) -> float:
    """Least-squares slope (share per day) of the known points; 0 with fewer than two."""
    pts = [(d, v) for d, v in zip(days, values) if v is not None]
    if len(pts) < 2 or len({d for d, _ in pts}) < 2:
        return 0.0
    x = np.array([d for d, _ in pts], dtype=float)
    y = np.array([v for _, v in pts], dtype=float)
    x -= x.mean()
    return float((x * (y - y.mean())).sum() / (x * x).sum())


def _needed(target: float, count: int, total: int) -> int:
    return max(0, math.ceil(target * total - _EPS) - count)


def _milestone_rows(milestones: pd.DataFrame | None) -> list[dict]:
    if milestones is None or not len(milestones):
        return []
    rows = []
    for record in milestones.to_dict("records"):
        department = record.get(s.DEPARTMENT)
        if department is None or (isinstance(department, float) and math.isnan(department)) or department == "":
            department = None
        record[s.DEPARTMENT] = department
        record["due"] = as_date(record["due"])
        record["target"] = float(record["target"])
        record["min_stance"] = int(record.get("min_stance", 1) if record.get("min_stance") is not None else 1)
        record["kind"] = record.get("kind") or "share"
        rows.append(record)
    return rows


def milestone_progress(frames: TrackingFrames, *, as_of: Any = None, weeks: int = 12,
                       champion_ids: Iterable[str] | None = None) -> MilestoneProgress:
    """Progress, trend and status of each milestone.

    Parameters
    ----------
    frames : TrackingFrames
        The map's people, stance history, engagements and milestones (the
        store's frames; milestones as :meth:`Store.milestones` returns them:
        ``milestone_id, label, department, kind, target, min_stance, due``).
    as_of : date or ISO text, optional
        The day to report on; default today.
    weeks : int
        Weeks of weekly series the trend is fitted on.
    champion_ids : iterable of str, optional
        People who count as champions for ``champion_engaged`` whatever
        their stance (e.g. the chosen champions).

    Returns
    -------
    MilestoneProgress
        ``table`` and ``series`` (rules in the module docstring).
    """
    as_of = as_date(as_of) if as_of is not None else date.today()
    weeks = max(int(weeks), 0)
    dates = weekly_dates(as_of, weeks)
    scorer = _Scorer(frames, champion_ids)
    rows, points = [], []
    for m in _milestone_rows(frames.milestones):
        values = []
        for day in dates:
            value, _, _ = scorer.value(m, day)
            values.append(value)
            points.append((m["milestone_id"], day, value))
        value, count, total = scorer.value(m, as_of)
        slope = _slope([d.toordinal() for d in dates], values)
        due = m["due"]
        days_left = (due - as_of).days
        target = m["target"]
        at_due = None
        if value is None:
            projected, status, reaches = None, "at risk", None
        elif days_left < 0:
            at_due, _, _ = scorer.value(m, due)
            projected = at_due
            reaches = None
            status = "met" if at_due is not None and at_due >= target - _EPS else "missed"
        else:
            projected = min(max(value + slope * days_left, 0.0), 1.0)
            if value >= target - _EPS:
                status, reaches = "met", as_of
            else:
                reaches = as_of + timedelta(days=math.ceil((target - value) / slope - 1e-6)) if slope > _EPS else None
                status = "on track" if projected >= target - _EPS else "at risk"
        rows.append({
            "milestone_id": int(m["milestone_id"]),
            "label": milestone_label(m),
            s.DEPARTMENT: m[s.DEPARTMENT],
            "kind": m["kind"],
            "target": target,
            "min_stance": m["min_stance"],
            "due": due,
            "value": value,
            "count": count,
            "total": total,
            "needed": _needed(target, count, total),
            "trend_per_week": slope * 7,
            "projected": projected,
            "reaches_on": reaches,
            "status": status,
            "at_risk": status in ("at risk", "missed"),
            "weeks_left": max(days_left, 0) / 7,
            "value_at_due": at_due,
        })
    table = pd.DataFrame(rows, columns=_COLUMNS)
    series = pd.DataFrame(points, columns=["milestone_id", "date", "value"])
    return MilestoneProgress(table=table, series=series, as_of=as_of, weeks=weeks)


def _mix_counts(scorer: _Scorer, when: date, department: int | None) -> np.ndarray:
    _, code, _ = scorer.line.at(when)
    if department is not None:
        code = code[scorer.line.department_codes == department]
    return np.bincount(code, minlength=len(STANCE_ORDER)).astype(float)


def progress_report(frames: TrackingFrames, *, as_of: Any = None, weeks: int = 12,
                    champion_ids: Iterable[str] | None = None) -> dict:
    """Per department: stance mix now, the mix at each milestone date, milestone status.

    Parameters
    ----------
    frames, as_of, weeks, champion_ids
        As for :func:`milestone_progress`.

    Returns
    -------
    dict
        ``as_of``, ``weeks``, ``milestones`` (the progress table as records)
        and ``departments``: the organisation (department ``"All"``) first,
        then each department by name, with ``department``, ``size``,
        ``mix`` (stance label → people now), ``supporter_or_better`` (share
        now), ``trend_per_week`` (of that share), ``champion_engaged`` (a
        champion engaged there yet, at the stance of the first
        ``champion_engaged`` milestone, else supporter; organisation: in
        every department),
        ``at_milestones`` (for each distinct milestone due date: ``due``,
        ``projected`` and ``mix``; a date that has passed gives the mix on
        that day, a future one the mix projected from each stance's linear
        trend over the last ``weeks`` weeks, rescaled to the department's
        size) and ``milestones`` (those set for it: ``milestone_id, label,
        status, value, target, projected, due``).
    """
    progress = milestone_progress(frames, as_of=as_of, weeks=weeks, champion_ids=champion_ids)
    as_of = progress.as_of
    scorer = _Scorer(frames, champion_ids)
    dates = weekly_dates(as_of, progress.weeks)
    days = np.array([d.toordinal() for d in dates], dtype=float)
    due_dates = sorted({d for d in progress.table["due"]})
    table = progress.table
    engaged_now = {}
    names = scorer.line.department_names
    champion_goals = table[table["kind"] == "champion_engaged"]
    minimum = int(champion_goals["min_stance"].iloc[0]) if len(champion_goals) else 1
    for name in names:
        value, _, _ = scorer.value({"kind": "champion_engaged", s.DEPARTMENT: name, "min_stance": minimum}, as_of)
        engaged_now[name] = bool(value)
    entries = []
    for d, name in [(None, ALL)] + list(enumerate(names)):
        now = _mix_counts(scorer, as_of, d)
        size = int(now.sum())
        series = np.array([_mix_counts(scorer, day, d) for day in dates])  # dates × stances
        support = (series[:, 3] + series[:, 4]) / max(size, 1)
        slope_share = _slope(days.astype(int).tolist(), support.tolist())
        at_milestones = []
        for due in due_dates:
            if due <= as_of:
                mix, projected = _mix_counts(scorer, due, d), False
            else:
                mix = np.array([now[j] + _slope(days.astype(int).tolist(), series[:, j].tolist())
                                * (due - as_of).days for j in range(len(STANCE_ORDER))])
                mix = np.clip(mix, 0.0, None)
                mix = mix * (size / mix.sum()) if mix.sum() > 0 else now
                projected = True
            at_milestones.append({"due": due.isoformat(), "projected": projected,
                                  "mix": {label: round(float(v), 1) if projected else int(v)
                                          for label, v in zip(STANCE_ORDER, mix)}})
        own = table[table[s.DEPARTMENT].isna()] if d is None else table[table[s.DEPARTMENT] == name]
        entries.append({
            s.DEPARTMENT: name,
            "size": size,
            "mix": {label: int(v) for label, v in zip(STANCE_ORDER, now)},
            "supporter_or_better": float((now[3] + now[4]) / size) if size else None,
            "trend_per_week": slope_share * 7,
            "champion_engaged": all(engaged_now.values()) if d is None else engaged_now[name],
            "at_milestones": at_milestones,
            "milestones": [{k: _plain(r[k]) for k in ("milestone_id", "label", "status", "value", "target",
                                                     "projected", "due")}
                           for r in own.to_dict("records")],
        })
    return {"as_of": as_of.isoformat(), "weeks": progress.weeks,
            "milestones": progress.to_dict()["milestones"], "departments": entries}


def department_gaps(frames: TrackingFrames, *, as_of: Any = None,
                    champion_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """How far each department is from its milestones: the rotation's priority.

    For each department, the largest gap over the milestones that apply to
    it and are still open (due on or after ``as_of``):

    * a ``share`` milestone of the department, or an organisation-wide one:
      ``target − the department's own share`` (so an organisation-wide 50 %
      pulls hardest on the departments furthest below 50 %);
    * a ``champion_engaged`` milestone (organisation-wide, or of the
      department): its ``target`` when the department has no engaged
      champion yet, else 0.

    With no open milestone at all the gap is ``1 − share supporter or
    better`` (the distance from everyone supporting). Gaps are at least 0.

    Parameters
    ----------
    frames, as_of, champion_ids
        As for :func:`milestone_progress`.

    Returns
    -------
    DataFrame
        ``department, gap, reason``, largest gap first (then by name).

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"id": list("abc"), "name": list("ABC"), "department": ["IT", "HR", "HR"],
    ...                        "stance": [1, 1, -1]})
    >>> from stakeholder_map.tracking import TrackingFrames
    >>> department_gaps(TrackingFrames(people))[["department", "gap"]].values.tolist()
    [['HR', 0.5], ['IT', 0.0]]
    """
    as_of = as_date(as_of) if as_of is not None else date.today()
    scorer = _Scorer(frames, champion_ids)
    open_ = [m for m in _milestone_rows(frames.milestones) if m["due"] >= as_of]
    rows = []
    for name in scorer.line.department_names:
        best, reason = 0.0, "all its open milestones are met"
        if not open_:
            value, _, _ = scorer.value({"kind": "share", s.DEPARTMENT: name, "min_stance": 1}, as_of)
            best = 1.0 - (value or 0.0)
            reason = f"{value or 0:.0%} supporter or better (no open milestone)"
        for m in open_:
            if m[s.DEPARTMENT] not in (None, name):
                continue
            if m["kind"] == "champion_engaged":
                value, _, _ = scorer.value({**m, s.DEPARTMENT: name}, as_of)
                gap = 0.0 if value else m["target"]
                why = f"no champion engaged yet ({milestone_label(m)})"
            else:
                value, _, _ = scorer.value({**m, s.DEPARTMENT: name}, as_of)
                gap = m["target"] - (value or 0.0)
                why = f"{value or 0:.0%} {_stance_words(m['min_stance'])} against {milestone_label(m)}"
            if gap > best + _EPS:
                best, reason = gap, why
        rows.append({s.DEPARTMENT: name, "gap": max(best, 0.0), "reason": reason})
    frame = pd.DataFrame(rows, columns=[s.DEPARTMENT, "gap", "reason"])
    return frame.sort_values(["gap", s.DEPARTMENT], ascending=[False, True], kind="stable").reset_index(drop=True)
