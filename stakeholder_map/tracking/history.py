"""Stance history: where each person stood on a date, the mix over time, who moved.

The store keeps an append-only stance history (:meth:`Store.stance_history`):
one row per observation, ``stakeholder_id, stance, recorded_on, source``,
from imports (dated the day of the import) and from engagements with a
``stance_after`` (dated the engagement). Everything here reads that frame
together with the people frame (:meth:`Store.people`) and, for moves, the
engagements (:meth:`Store.engagements`).

The rule: a person's stance as of a date
    The stance of their latest history row recorded **on or before** that
    date; of several rows on one day, the one recorded last.
    *Before a person's first row*, their first recorded stance is carried
    back and flagged ``assumed``: with no earlier observation the best guess
    is that they stood where we first saw them. A person with no row at all
    takes the stance the map holds now (normally unknown), also ``assumed``.
    An empty stance is its own category, ``unknown``.

A move
    A history row whose stance differs from the same person's previous row
    (so a first row is never a move).

Talked first (one rule for every view: :func:`preceding_conversations`)
    A move was *engaged* when a conversation with that person preceded it:
    one dated after the previous row and on or before the move (somebody
    talked with them between the last time their stance was known and the
    time it changed), **or** the conversation that recorded the move itself
    (a touchpoint with that ``stance_after`` on that day). A stance recorded
    by a touchpoint is always preceded by that touchpoint, so an import
    recorded earlier the same day (dates carry no time) never hides it.
    Activities in :data:`NON_CONTACT_ACTIVITIES` (a desk ``assessment``)
    record a stance without meeting anyone and never count as engaged; nor
    do seed touches (an article shared, results shown, a demo seen:
    :func:`~stakeholder_map.tracking.activities.is_seed_activity`), which are
    exposure, not persuasion (:mod:`~stakeholder_map.tracking.exposure`
    counts them). A stance observed after a seed touch is still recorded.
    "Last talked" everywhere is the latest such conversation
    (:func:`last_conversations`).

Examples
--------
>>> import pandas as pd
>>> from datetime import date
>>> people = pd.DataFrame({"id": ["a", "b"], "name": ["Ann", "Bo"], "department": ["IT", "HR"],
...                        "stance": [1, None]})
>>> history = pd.DataFrame({"stakeholder_id": ["a", "a"], "stance": [-1, 1],
...                         "recorded_on": [date(2026, 9, 1), date(2026, 10, 1)],
...                         "source": ["engagement", "engagement"]})
>>> stances_as_of(people, history, date(2026, 9, 15))[["id", "label", "assumed"]].values.tolist()
[['a', 'skeptic', False], ['b', 'unknown', True]]
>>> stances_as_of(people, history, "2026-08-01")["label"].tolist()   # carried back
['skeptic', 'unknown']
>>> movers(people, history, start="2026-09-01", end="2026-10-31")[["id", "from", "to"]].values.tolist()
[['a', 'skeptic', 'supporter']]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .. import schema as s
from .activities import is_seed_activity

__all__ = [
    "ALL",
    "STANCE_ORDER",
    "NON_CONTACT_ACTIVITIES",
    "as_date",
    "weekly_dates",
    "stances_as_of",
    "stance_mix",
    "stance_moves",
    "movers",
    "graph_as_of",
    "people_frame",
    "StanceTimeline",
    "conversations",
    "preceding_conversations",
    "last_conversations",
]

#: The ``department`` of organisation-wide rows (as in ``analysis.simulation.ALL``).
ALL = "All"
#: Stance labels in chart order (unknown last).
STANCE_ORDER = ("resistant", "skeptic", "neutral", "supporter", "champion", "unknown")
#: Activities that record a stance without a conversation: never "engaged".
NON_CONTACT_ACTIVITIES = frozenset({"assessment"})

_HISTORY = ("stakeholder_id", "stance", "recorded_on", "source")


def as_date(value: Any) -> date:
    """A date from a ``date``, ``datetime``, ``pandas.Timestamp`` or ISO text.

    >>> as_date("2027-03-31"), as_date(datetime(2027, 1, 2, 9, 30))
    (datetime.date(2027, 3, 31), datetime.date(2027, 1, 2))
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def weekly_dates(end: Any, weeks: int = 12, *, start: Any = None) -> list[date]:
    """Dates a week apart ending at ``end``: the points of a weekly series.

    Without ``start``: the ``weeks + 1`` dates ``end - 7·weeks, …, end - 7, end``.
    With ``start``: every 7 days from ``start`` while before ``end``, then ``end``.

    >>> [d.isoformat() for d in weekly_dates("2026-11-23", 2)]
    ['2026-11-09', '2026-11-16', '2026-11-23']
    >>> [d.isoformat() for d in weekly_dates("2026-09-10", start="2026-08-24")]
    ['2026-08-24', '2026-08-31', '2026-09-07', '2026-09-10']
    """
    end = as_date(end)
    if start is None:
        return [end - timedelta(weeks=k) for k in range(max(int(weeks), 0), -1, -1)]
    first = as_date(start)
    if first > end:
        raise ValueError(f"the series starts ({first}) after it ends ({end})")
    out = []
    day = first
    while day < end:
        out.append(day)
        day += timedelta(weeks=1)
    return out + [end]


def _stance(value: Any) -> int | None:
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return s.parse_stance(str(value))
    return None if number != number else int(number)


def _label(value: int | None) -> str:
    return s.stance_label(value)


def people_frame(G: nx.DiGraph) -> pd.DataFrame:
    """``id, name, department, role, stance, notes`` of a graph's people (graph order).

    For callers that hold a graph rather than the store's people frame.
    """
    rows = [{s.ID: str(v), s.NAME: str(d.get(s.NAME) or v), s.DEPARTMENT: str(d.get(s.DEPARTMENT) or s.UNASSIGNED),
             s.ROLE: d.get(s.ROLE), s.STANCE: _stance(d.get(s.STANCE)), s.NOTES: d.get(s.NOTES)}
            for v, d in G.nodes(data=True)]
    frame = pd.DataFrame(rows, columns=[s.ID, s.NAME, s.DEPARTMENT, s.ROLE, s.STANCE, s.NOTES])
    frame[s.STANCE] = frame[s.STANCE].astype(object)
    return frame


def _people(people: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({s.ID: people[s.ID].astype(str).to_numpy()})
    out[s.NAME] = (people[s.NAME].astype(str).to_numpy() if s.NAME in people else out[s.ID])
    if s.DEPARTMENT in people:
        dep = people[s.DEPARTMENT].astype(object).where(people[s.DEPARTMENT].notna(), None).to_numpy()
        out[s.DEPARTMENT] = [str(d) if d not in (None, "") else s.UNASSIGNED for d in dep]
    else:
        out[s.DEPARTMENT] = s.UNASSIGNED
    current = np.empty(len(out), dtype=object)
    current[:] = [_stance(v) for v in people[s.STANCE]] if s.STANCE in people else None
    out["current"] = current
    return out


def _history(history: pd.DataFrame | None) -> pd.DataFrame:
    """The history rows in recording order, stances as int/None, dates as ``date``."""
    if history is None or not len(history):
        return pd.DataFrame({"stakeholder_id": pd.Series(dtype=object), "stance": pd.Series(dtype=object),
                             "recorded_on": pd.Series(dtype=object), "source": pd.Series(dtype=object)})
    h = pd.DataFrame({
        "stakeholder_id": history["stakeholder_id"].astype(str).to_numpy(),
        "stance": pd.Series([_stance(v) for v in history["stance"]], dtype=object).to_numpy(),
        "recorded_on": [as_date(d) for d in history["recorded_on"]],
        "source": history["source"].to_numpy() if "source" in history else "import",
    })
    # Stable: rows of one day keep the order the store recorded them in.
    order = np.argsort(np.array([d.toordinal() for d in h["recorded_on"]]), kind="stable")
    return h.iloc[order].reset_index(drop=True)


_CODE = {v: i for i, v in enumerate((-2, -1, 0, 1, 2))}
_UNKNOWN = len(STANCE_ORDER) - 1


def _code(value: int | None) -> int:
    return _UNKNOWN if value is None else _CODE[int(value)]


class StanceTimeline:
    """People and their history rows as arrays, for stances at many dates.

    Built once from the people and stance-history frames; :meth:`at` then
    gives everyone's stance on a date (the rule in the module docstring)
    without re-reading the frames, which is what weekly series over many
    dates need (:mod:`~stakeholder_map.tracking.milestones`).

    Attributes
    ----------
    base : DataFrame
        The people (``id``, ``name``, ``department``, ``current`` stance).
    department_codes, department_names
        Each person's department as a code into the sorted department names.
    current : ndarray
        Each person's stance on the map now (used when they have no row).
    """

    def __init__(self, people: pd.DataFrame, history: pd.DataFrame | None):
        self.base = _people(people)
        h = _history(history)
        index = pd.Index(self.base[s.ID])
        pos = index.get_indexer(h["stakeholder_id"]) if len(h) else np.zeros(0, dtype=np.int64)
        keep = pos >= 0
        self.pos = pos[keep].astype(np.int64)
        self.day = np.array([d.toordinal() for d in h["recorded_on"]], dtype=np.int64)[keep]
        self.recorded = np.asarray(h["recorded_on"].to_numpy(), dtype=object)[keep]
        self.stance = np.asarray(h["stance"].to_numpy(), dtype=object)[keep]
        self.code = np.array([_code(v) for v in self.stance], dtype=np.int64)
        n = len(self.base)
        self.first = np.full(n, -1, dtype=np.int64)
        if len(self.pos):
            first = np.full(n, len(self.pos), dtype=np.int64)
            np.minimum.at(first, self.pos, np.arange(len(self.pos)))
            self.first = np.where(first < len(self.pos), first, -1)
        self.current = np.asarray(self.base["current"].to_numpy(), dtype=object) if n else np.zeros(0, object)
        self.current_code = np.array([_code(v) for v in self.current], dtype=np.int64)
        codes, names = pd.factorize(self.base[s.DEPARTMENT], sort=True)
        self.department_codes = codes.astype(np.int64)
        self.department_names = [str(d) for d in names]

    def at(self, when: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per person: the history row used (−1: none), the label code, assumed."""
        n = len(self.base)
        row = np.full(n, -1, dtype=np.int64)
        upto = np.flatnonzero(self.day <= when.toordinal())
        if len(upto):
            np.maximum.at(row, self.pos[upto], upto)
        assumed = row < 0
        row = np.where(assumed, self.first, row)
        code = np.where(row >= 0, self.code[np.maximum(row, 0)] if len(self.code) else 0, self.current_code)
        return row, code.astype(np.int64), assumed


def stances_as_of(people: pd.DataFrame, history: pd.DataFrame | None, when: Any) -> pd.DataFrame:
    """Each person's stance on a date (the rule in the module docstring).

    Parameters
    ----------
    people : DataFrame
        ``id``, ``name``, ``department``, ``stance`` (the map's people; the
        current stance is used only for people with no history row).
    history : DataFrame
        ``stakeholder_id, stance, recorded_on`` (the store's stance history).
    when : date or ISO text

    Returns
    -------
    DataFrame
        One row per person in ``people`` order: ``id, name, department,
        stance`` (int −2…2 or None), ``label`` (stance word or ``unknown``),
        ``recorded_on`` (date of the row used, None if none) and ``assumed``
        (True when carried back from a later row, or no row at all).
    """
    return _frame_at(StanceTimeline(people, history), as_date(when))


def _frame_at(line: StanceTimeline, when: date) -> pd.DataFrame:
    row, code, assumed = line.at(when)
    has = row >= 0
    stance = np.empty(len(row), dtype=object)
    recorded = np.empty(len(row), dtype=object)
    stance[:] = line.current
    recorded[:] = None
    stance[has] = line.stance[row[has]]
    recorded[has] = line.recorded[row[has]]
    out = line.base[[s.ID, s.NAME, s.DEPARTMENT]].copy()
    out[s.STANCE] = stance
    out["label"] = [STANCE_ORDER[c] for c in code]
    out["recorded_on"] = recorded
    out["assumed"] = assumed
    return out


def stance_mix(
    people: pd.DataFrame,
    history: pd.DataFrame | None,
    dates: Iterable[Any],
    *,
    include_all: bool = True,
) -> pd.DataFrame:
    """Stance mix per department at each date: a tidy frame for a stacked chart.

    Parameters
    ----------
    people, history
        As for :func:`stances_as_of`.
    dates : iterable of dates
        E.g. :func:`weekly_dates` for a weekly series.
    include_all : bool
        Add organisation-wide rows with department :data:`ALL`.

    Returns
    -------
    DataFrame
        ``date, department, stance, count, share, assumed``: one row per date,
        department and stance label (all six, in :data:`STANCE_ORDER`, zeros
        included, so stacks line up); ``share`` is of the department's
        people; ``assumed`` counts those whose stance that day was carried
        back (see the module docstring). Departments sorted, ``All`` first.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "department": ["IT", "IT"],
    ...                        "stance": [1, 2]})
    >>> mix = stance_mix(people, None, ["2026-01-01"], include_all=False)
    >>> mix[mix["count"] > 0][["stance", "count", "share"]].values.tolist()
    [['supporter', 1, 0.5], ['champion', 1, 0.5]]
    """
    line = StanceTimeline(people, history)
    k, m = len(line.department_names), len(STANCE_ORDER)
    names = ([ALL] if include_all else []) + line.department_names
    parts = []
    for day in [as_date(d) for d in dates]:
        _, code, assumed = line.at(day)
        cell = line.department_codes * m + code
        counts = np.bincount(cell, minlength=k * m).reshape(k, m)
        guessed = np.bincount(cell[assumed], minlength=k * m).reshape(k, m)
        if include_all:
            counts = np.vstack([counts.sum(axis=0, keepdims=True), counts])
            guessed = np.vstack([guessed.sum(axis=0, keepdims=True), guessed])
        size = counts.sum(axis=1, keepdims=True)
        share = np.divide(counts, size, out=np.zeros(counts.shape), where=size > 0)
        parts.append(pd.DataFrame({
            "date": [day] * (len(names) * m),
            s.DEPARTMENT: np.repeat(names, m),
            s.STANCE: np.tile(STANCE_ORDER, len(names)),
            "count": counts.ravel().astype(np.int64),
            "share": share.ravel(),
            "assumed": guessed.ravel().astype(np.int64),
        }))
    if not parts:
        return pd.DataFrame(columns=["date", s.DEPARTMENT, s.STANCE, "count", "share", "assumed"])
    return pd.concat(parts, ignore_index=True)


def conversations(engagements: pd.DataFrame | None) -> pd.DataFrame:
    """Engagements that were conversations: ``stakeholder_id, date, activity, notes, stance_after``, by date.

    Drops the activities in :data:`NON_CONTACT_ACTIVITIES` (a desk
    assessment meets nobody) and the seed touches
    (:func:`~stakeholder_map.tracking.activities.is_seed_activity`: an article
    shared persuades nobody face to face); ``date`` is a
    :class:`datetime.date`. An empty or missing frame gives an empty frame
    with those columns.

    >>> conversations(pd.DataFrame({"date": ["2026-09-01"] * 3, "stakeholder_id": ["a", "b", "c"],
    ...     "activity": ["meeting", "Assessment", "article"]}))["stakeholder_id"].tolist()
    ['a']
    """
    if engagements is None or not len(engagements):
        return pd.DataFrame({"stakeholder_id": pd.Series(dtype=object), "date": pd.Series(dtype=object),
                             "activity": pd.Series(dtype=object), "notes": pd.Series(dtype=object),
                             "stance_after": pd.Series(dtype=object)})
    e = pd.DataFrame({
        "stakeholder_id": engagements[s.STAKEHOLDER_ID].astype(str).to_numpy(),
        "date": [as_date(d) for d in engagements[s.DATE]],
        "activity": engagements[s.ACTIVITY].to_numpy() if s.ACTIVITY in engagements else None,
        "notes": engagements[s.NOTES].to_numpy() if s.NOTES in engagements else None,
        "stance_after": (pd.Series([_stance(v) for v in engagements[s.STANCE_AFTER]], dtype=object).to_numpy()
                         if s.STANCE_AFTER in engagements else None),
    })
    activity = e["activity"].astype(object).where(e["activity"].notna(), "")
    keep = ~activity.astype(str).str.strip().str.lower().isin(NON_CONTACT_ACTIVITIES)
    keep &= ~np.array([is_seed_activity(a) for a in activity], dtype=bool)
    e = e[keep.to_numpy()]
    order = np.argsort(np.array([d.toordinal() for d in e["date"]], dtype=np.int64), kind="stable")
    return e.iloc[order].reset_index(drop=True)


def preceding_conversations(
    contacts: pd.DataFrame,
    moved_on: Any,
    *,
    previous_on: Any = None,
    source: str | None = None,
    stance: Any = None,
) -> pd.DataFrame:
    """The conversations that preceded one recorded stance: the "talked first" rule.

    Every view that says whether somebody talked with a person before their
    stance changed (movers, the Engagement page, the department brief) asks
    this function, so they cannot disagree.

    Parameters
    ----------
    contacts : DataFrame
        One person's :func:`conversations` (or everyone's; filter first).
    moved_on : date or ISO text
        The day the stance was recorded.
    previous_on : date or ISO text, optional
        The day of the person's previous record; None: no earlier record,
        so every conversation up to ``moved_on`` counts.
    source : {"import", "engagement"}, optional
        What recorded the stance (the stance history's ``source``).
    stance : int or None
        The stance recorded (−2…2), to find the touchpoint that recorded it.

    Returns
    -------
    DataFrame
        The rows of ``contacts`` dated after ``previous_on`` and on or before
        ``moved_on``, plus, when ``source`` is ``"engagement"``, the
        conversations on ``moved_on`` whose ``stance_after`` is ``stance``:
        the touchpoint that recorded a stance came before it, even when an
        import recorded another stance earlier that day. In date order.

    Examples
    --------
    >>> contacts = conversations(pd.DataFrame({"date": ["2026-12-01"], "stakeholder_id": ["a"],
    ...     "activity": ["meeting"], "stance_after": [1], "notes": [None]}))
    >>> len(preceding_conversations(contacts, "2026-12-01", previous_on="2026-12-01", source="import", stance=1))
    0
    >>> len(preceding_conversations(contacts, "2026-12-01", previous_on="2026-12-01", source="engagement", stance=1))
    1
    """
    if not len(contacts):
        return contacts
    until = as_date(moved_on)
    since = as_date(previous_on) if previous_on is not None else None
    days = contacts["date"].tolist()
    between = np.array([(since is None or since < d) and d <= until for d in days], dtype=bool)
    if source == "engagement":
        wanted = _stance(stance)
        recorded = np.array([d == until and _stance(a) == wanted
                             for d, a in zip(days, contacts["stance_after"].tolist())], dtype=bool)
        between |= recorded
    return contacts[between]


def last_conversations(engagements: pd.DataFrame | None, *, as_of: Any = None) -> dict[str, tuple]:
    """Each person's latest conversation on or before ``as_of``: id -> ``(date, activity)``.

    "Last talked" in every view (next conversations, the department brief):
    only :func:`conversations` count, so a desk assessment is not a talk.

    >>> last_conversations(pd.DataFrame({"date": ["2026-09-01", "2026-10-01", "2026-10-02"],
    ...     "stakeholder_id": ["a", "a", "a"], "activity": ["demo", "meeting", "assessment"]}))
    {'a': (datetime.date(2026, 10, 1), 'meeting')}
    """
    contacts = conversations(engagements)
    if as_of is not None and len(contacts):
        last = as_date(as_of)
        contacts = contacts[[d <= last for d in contacts["date"]]]
    return {pid: (day, activity) for pid, day, activity in
            zip(contacts["stakeholder_id"], contacts["date"], contacts["activity"])}


def stance_moves(
    people: pd.DataFrame,
    history: pd.DataFrame | None,
    engagements: pd.DataFrame | None = None,
    *,
    start: Any = None,
    end: Any = None,
) -> pd.DataFrame:
    """Every move (a change of recorded stance) after ``start`` and up to ``end``.

    Parameters
    ----------
    people, history
        As for :func:`stances_as_of`.
    engagements : DataFrame, optional
        ``date, stakeholder_id, activity, notes`` (the store's engagements),
        to tell whether a conversation preceded each move.
    start, end : date or ISO text, optional
        Keep moves with ``start < moved_on <= end`` (open ends without them).

    Returns
    -------
    DataFrame
        ``id, name, department, moved_on, from, to, change`` (stance points,
        None if either side is unknown), ``previous_on`` (date of the row
        before), ``source`` (``import`` or ``engagement``), ``engaged``,
        ``engagements`` (the conversations that preceded it: :func:`preceding_conversations`),
        ``last_engagement`` (its date) and ``last_activity``; by date, then
        person.
    """
    columns = [s.ID, s.NAME, s.DEPARTMENT, "moved_on", "from", "to", "change", "previous_on", "source",
               "engaged", "engagements", "last_engagement", "last_activity"]
    h = _history(history)
    if not len(h):
        return pd.DataFrame(columns=columns)
    h["previous"] = h.groupby("stakeholder_id", sort=False)["stance"].shift(1)
    h["previous_on"] = h.groupby("stakeholder_id", sort=False)["recorded_on"].shift(1)
    h["rank"] = h.groupby("stakeholder_id", sort=False).cumcount()
    moved = [(r > 0) and (_stance(a) != _stance(b)) for r, a, b in zip(h["rank"], h["stance"], h["previous"])]
    m = h[moved]
    if start is not None:
        first = as_date(start)
        m = m[[d > first for d in m["recorded_on"]]]
    if end is not None:
        last = as_date(end)
        m = m[[d <= last for d in m["recorded_on"]]]
    if not len(m):
        return pd.DataFrame(columns=columns)
    base = _people(people).set_index(s.ID)
    contacts = conversations(engagements)
    by_person = {pid: g for pid, g in contacts.groupby("stakeholder_id", sort=False)}
    rows = []
    for pid, on, stance, prev, prev_on, source in zip(m["stakeholder_id"], m["recorded_on"], m["stance"],
                                                        m["previous"], m["previous_on"], m["source"]):
        mine = by_person.get(pid)
        window = (preceding_conversations(mine, on, previous_on=prev_on, source=source, stance=stance)
                  if mine is not None else contacts.iloc[:0])
        a, b = _stance(prev), _stance(stance)
        rows.append({
            s.ID: pid,
            s.NAME: base[s.NAME].get(pid, pid),
            s.DEPARTMENT: base[s.DEPARTMENT].get(pid, s.UNASSIGNED),
            "moved_on": on,
            "from": _label(a),
            "to": _label(b),
            "change": None if a is None or b is None else b - a,
            "previous_on": prev_on,
            "source": source,
            "engaged": bool(len(window)),
            "engagements": int(len(window)),
            "last_engagement": window["date"].iloc[-1] if len(window) else None,
            "last_activity": window["activity"].iloc[-1] if len(window) else None,
        })
    frame = pd.DataFrame(rows, columns=columns)
    frame["change"] = frame["change"].astype(object)
    return frame


def movers(
    people: pd.DataFrame,
    history: pd.DataFrame | None,
    engagements: pd.DataFrame | None = None,
    *,
    start: Any,
    end: Any,
) -> pd.DataFrame:
    """Who stood somewhere else on ``end`` than on ``start``: one row per person.

    Parameters
    ----------
    people, history, engagements
        As for :func:`stance_moves`.
    start, end : date or ISO text

    Returns
    -------
    DataFrame
        ``id, name, department, from, to`` (stance words as of ``start`` and
        ``end``), ``change`` (points; None if either is unknown),
        ``from_assumed`` (the ``start`` stance was carried back),
        ``moved_on`` (the last move), ``moves`` (how many), ``engaged``
        (a conversation preceded at least one of the moves; see the module
        docstring) and ``engagements`` (conversations with them in
        ``(start, end]``). Largest gains first, then losses.
    """
    first, last = as_date(start), as_date(end)
    columns = [s.ID, s.NAME, s.DEPARTMENT, "from", "to", "change", "from_assumed", "moved_on", "moves",
               "engaged", "engagements"]
    if last < first:
        raise ValueError(f"the end ({last}) is before the start ({first})")
    before = stances_as_of(people, history, first)
    after = stances_as_of(people, history, last)
    changed = (before["label"] != after["label"]).to_numpy()
    if not changed.any():
        return pd.DataFrame(columns=columns)
    moves = stance_moves(people, history, engagements, start=first, end=last)
    contacts = conversations(engagements)
    contacts = contacts[[first < d <= last for d in contacts["date"]]] if len(contacts) else contacts
    talks = contacts.groupby("stakeholder_id").size()
    rows = []
    for i in np.flatnonzero(changed):
        pid = before[s.ID].iat[i]
        mine = moves[moves[s.ID] == pid]
        a, b = before[s.STANCE].iat[i], after[s.STANCE].iat[i]
        rows.append({
            s.ID: pid, s.NAME: before[s.NAME].iat[i], s.DEPARTMENT: before[s.DEPARTMENT].iat[i],
            "from": before["label"].iat[i], "to": after["label"].iat[i],
            "change": None if a is None or b is None else int(b) - int(a),
            "from_assumed": bool(before["assumed"].iat[i]),
            "moved_on": mine["moved_on"].iloc[-1] if len(mine) else None,
            "moves": int(len(mine)),
            "engaged": bool(mine["engaged"].any()) if len(mine) else False,
            "engagements": int(talks.get(pid, 0)),
        })
    frame = pd.DataFrame(rows, columns=columns)
    key = [-(c if c is not None else 0) for c in frame["change"]]
    frame = frame.assign(_key=key).sort_values(["_key", s.DEPARTMENT, s.NAME], kind="stable")
    frame = frame.drop(columns="_key").reset_index(drop=True)
    frame["change"] = frame["change"].astype(object)
    return frame


def graph_as_of(G: nx.DiGraph, history: pd.DataFrame | None, when: Any) -> nx.DiGraph:
    """A copy of the map with every person's stance as of ``when``.

    Node attribute ``stance`` holds the stance then (rule in the module
    docstring); ``stance_assumed`` tells whether it was carried back and
    ``stance_recorded_on`` the date of the observation used. Ties and every
    other attribute are unchanged, so the Map can draw the organisation as
    it stood on a past date.

    Examples
    --------
    >>> import pandas as pd
    >>> G = nx.DiGraph(); G.add_node("a", stance=1, department="IT")
    >>> h = pd.DataFrame({"stakeholder_id": ["a", "a"], "stance": [0, 1],
    ...                   "recorded_on": ["2026-09-01", "2026-10-01"], "source": ["import", "engagement"]})
    >>> graph_as_of(G, h, "2026-09-15").nodes["a"]["stance"], G.nodes["a"]["stance"]
    (0, 1)
    """
    then = stances_as_of(people_frame(G), history, when)
    H = G.copy()
    for pid, stance, assumed, recorded in zip(then[s.ID], then[s.STANCE], then["assumed"], then["recorded_on"]):
        node = pid if pid in H else next((v for v in H if str(v) == pid), pid)
        H.nodes[node][s.STANCE] = stance
        H.nodes[node]["stance_assumed"] = bool(assumed)
        H.nodes[node]["stance_recorded_on"] = recorded
    H.graph["as_of"] = as_date(when)
    return H
