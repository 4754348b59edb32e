"""Windows of opportunity: ranked signals that now is a good time to move, with the evidence.

"Bide your time": wait for the moment the organisation becomes open, and act
when it comes. :func:`windows_of_opportunity` looks at the ``weeks`` weeks up
to ``as_of`` (the *window period* ``(as_of − 7·weeks, as_of]``) and reports
four kinds of :class:`Window`:

``new_key_person``
    Someone who joined the map, or was promoted, in a version imported in the
    period: promoted means seniority or influence went up, their role changed
    or they moved into another department, and neither seniority nor
    influence went down (what a re-import shows; see
    :mod:`~stakeholder_map.tracking.changes`). They must be *key* — high
    formal influence (seniority or influence at least :data:`HIGH_SCORE`,
    i.e. director / 4 of 5, only when those columns are filled in) or high
    network reach (PageRank, the map's influence rank, strictly above the
    :data:`REACH_QUANTILE` quantile of the map, the rule the blocker role
    uses) — and *open*: their stance as of ``as_of`` is neutral, supporter or
    champion. **An unknown stance is not open**: a window says the moment is
    good, and with the stance unknown nothing says so, so such a person gives
    no window (finding out where they stand is what "next conversations" is
    for).
``department_warming``
    A department whose stance mix improved over the period (the stance
    history, which holds imports and touchpoints: :mod:`.history`): at least
    :data:`MIN_NET_MOVERS` more of its people moved towards support than away
    from it (both stances known, as of the period's start and ``as_of``),
    and its *net support* — (supporters + champions − skeptics − resistant)
    ÷ people, unknown stances counted in the people only — rose. People of
    no department (``Unassigned``, e.g. a file without the column) give none.
``call_to_action``
    Touchpoints in the period whose activity is one of
    :data:`CALL_TO_ACTION_ACTIVITIES` (``event``, ``incident``; matched
    case-insensitively on the whole activity, spaces around ignored), e.g.
    an incident "project overran, no tracking" logged against someone: one
    window per department of the people they were logged against (their
    department now). Their notes are the evidence; a viewer's frames carry
    no notes (:mod:`stakeholder_map.privacy`), so a viewer's window says
    only when and against whom.
``blocker_gone``
    A blocker who left the map or moved to another department in a version
    imported in the period. A blocker, as they were before: resistant or
    skeptic **and** either a blocker on that version's map (the network role:
    top quartile of PageRank or betweenness, :mod:`~stakeholder_map.analysis.roles`)
    or of high formal influence (seniority or influence ≥ :data:`HIGH_SCORE`).

Ranking (``score``, higher first)
    ``score = impact × freshness``, rounded to 3 decimals.
    *impact* (0.5…1.0) says how strong the signal is:

    - new_key_person: 0.5, + 0.2 for high formal influence, + 0.2 for high
      reach, + 0.1 when supporter or champion (not just neutral);
    - blocker_gone: 0.5, + 0.2 for high formal influence, + 0.2 when a
      blocker by the network role, + 0.1 when resistant (not just skeptic);
    - call_to_action: 0.6, + 0.1 per further event in the department, at
      most 0.9;
    - department_warming: 0.5 + 0.2 × the rise in net support (which is
      at most 2: from everyone against to everyone for).

    *freshness* = 1 − 0.5 × (days since the window opened ÷ days of the
    period): a window that opened on ``as_of`` counts fully, one that opened
    at the start of the period half. Equal scores keep the order of
    :data:`KINDS`, then the title. ``since`` is the date of the latest
    evidence: the import that showed the join, promotion or departure, the
    last move towards support, the last event.

Versions
    Joins, promotions and departures come from a
    :class:`~stakeholder_map.tracking.changes.MapChanges` (two imported
    versions of the map compared). Without one (``changes=None``, or a map
    imported once) those two kinds give nothing; a comparison whose later
    version was imported outside the period is ignored, so an old import
    never reads as news. Reach and "as of" stances are measured on the map
    given (``people``, ``metrics``): the map now.

Examples
--------
>>> import pandas as pd
>>> people = pd.DataFrame({"id": ["1", "2", "3"], "name": ["Ann", "Bo", "Cy"],
...                        "department": ["Ops", "Ops", "IT"], "stance": [1, 0, None]})
>>> history = pd.DataFrame({"stakeholder_id": ["1", "2", "1", "2"], "stance": [-1, -1, 1, 0],
...                         "recorded_on": ["2026-10-01", "2026-10-01", "2026-11-20", "2026-11-25"],
...                         "source": ["import"] * 4})
>>> events = pd.DataFrame({"date": ["2026-11-24"], "stakeholder_id": ["3"], "activity": ["Incident"],
...                        "stance_after": [None], "notes": ["Project overran, no tracking"]})
>>> found = windows_of_opportunity(people, history, events, as_of="2026-12-01", weeks=6)
>>> [(w.kind, w.department, w.score) for w in found]
[('department_warming', 'Ops', 0.743), ('call_to_action', 'IT', 0.55)]
>>> found[0].title
'Ops is warming: 2 of 2 people moved towards support'
>>> found[1].evidence
'2026-11-24 incident logged against Cy: Project overran, no tracking.'
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import schema as s
from .history import as_date, movers, stance_mix, stances_as_of

if TYPE_CHECKING:  # for the annotations only: windows read the frames of a MapChanges
    from .changes import MapChanges

__all__ = [
    "Window",
    "KINDS",
    "CALL_TO_ACTION_ACTIVITIES",
    "HIGH_SCORE",
    "REACH_QUANTILE",
    "MIN_NET_MOVERS",
    "OPEN_STANCES",
    "is_call_to_action",
    "call_to_action_events",
    "windows_of_opportunity",
    "windows_frame",
]

#: The kinds of window, in the order equal scores are listed.
KINDS = ("new_key_person", "blocker_gone", "call_to_action", "department_warming")
#: Touchpoint activities that record a call to action (matched case-insensitively, whole activity).
CALL_TO_ACTION_ACTIVITIES: tuple[str, ...] = ("event", "incident")
#: A seniority or influence (1–5) at or above this is high formal influence (director, 4 of 5).
HIGH_SCORE = 4
#: High reach: PageRank strictly above this quantile of the map (as the blocker role's rule).
REACH_QUANTILE = 0.75
#: A department warms when at least this many more of its people moved towards support than away.
MIN_NET_MOVERS = 2
#: Stances that are open to the idea: neutral, supporter, champion (unknown is not among them).
OPEN_STANCES = frozenset({0, 1, 2})
_OPPOSED = frozenset({-2, -1})
_PROMOTION_FIELDS = (s.SENIORITY, s.INFLUENCE, s.ROLE, s.DEPARTMENT)


@dataclass(frozen=True)
class Window:
    """One window of opportunity (the rules and the ranking are in the module docstring).

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    score : float
        Ranks windows across kinds, higher first.
    title : str
        One line, plain text (escape it where it meets HTML).
    evidence : str
        What the data shows, with dates and numbers.
    action : str
        What to do now.
    person_id : str or None
        The person it is about (None for a department's window).
    department : str or None
        The department it is about (the one a blocker left; None when unknown).
    since : date
        When the window opened: the date of the latest evidence.
    """

    kind: str
    score: float
    title: str
    evidence: str
    action: str
    person_id: str | None
    department: str | None
    since: date

    def as_dict(self) -> dict:
        """The window as a JSON-ready dict (``since`` as ISO text)."""
        out = asdict(self)
        out["since"] = self.since.isoformat()
        return out


def is_call_to_action(activity: Any) -> bool:
    """Whether a touchpoint's activity records a call to action (:data:`CALL_TO_ACTION_ACTIVITIES`).

    >>> is_call_to_action(" Incident "), is_call_to_action("EVENT"), is_call_to_action("incident review")
    (True, True, False)
    >>> is_call_to_action(None)
    False
    """
    if activity is None or not isinstance(activity, str):
        return False
    return activity.strip().casefold() in CALL_TO_ACTION_ACTIVITIES


def call_to_action_events(engagements: pd.DataFrame | None) -> pd.DataFrame:
    """The touchpoints that record a call to action: ``date, stakeholder_id, activity, notes``.

    ``activity`` is the accepted word in lower case; ``notes`` as given (None
    when absent). Oldest first.
    """
    columns = [s.DATE, s.STAKEHOLDER_ID, s.ACTIVITY, s.NOTES]
    if engagements is None or not len(engagements) or s.ACTIVITY not in engagements:
        return pd.DataFrame(columns=columns)
    keep = np.array([is_call_to_action(a) for a in engagements[s.ACTIVITY].tolist()], dtype=bool)
    rows = engagements[keep]
    notes = rows[s.NOTES].tolist() if s.NOTES in rows else [None] * len(rows)
    out = pd.DataFrame({
        s.DATE: [as_date(d) for d in rows[s.DATE]],
        s.STAKEHOLDER_ID: rows[s.STAKEHOLDER_ID].astype(str).tolist(),
        s.ACTIVITY: [a.strip().casefold() for a in rows[s.ACTIVITY]],
        s.NOTES: [n if isinstance(n, str) and n.strip() else None for n in notes],
    }, columns=columns)
    return out.sort_values(s.DATE, kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------ helpers


def _high(value: Any) -> bool:
    number = s.as_int(value)
    return number is not None and number >= HIGH_SCORE


def _formal(row: dict) -> list[str]:
    """What makes a person's formal influence high, in words (empty: not high, or unknown)."""
    out = []
    if _high(row.get(s.SENIORITY)):
        out.append(f"seniority {s.as_int(row.get(s.SENIORITY))} of 5")
    if _high(row.get(s.INFLUENCE)):
        out.append(f"influence {s.as_int(row.get(s.INFLUENCE))} of 5")
    return out


def _reach(metrics: pd.DataFrame | None) -> dict[str, tuple[float, int, int]]:
    """Per id with high reach: (PageRank, rank, people) — strictly above the quantile."""
    if metrics is None or not len(metrics) or "pagerank" not in metrics:
        return {}
    ranks = pd.to_numeric(metrics["pagerank"], errors="coerce").to_numpy(dtype=float)
    known = ranks[~np.isnan(ranks)]
    if not len(known):
        return {}
    threshold = np.quantile(known, REACH_QUANTILE)
    order = (-np.nan_to_num(ranks, nan=-1.0)).argsort(kind="stable")
    position = np.empty(len(ranks), dtype=np.int64)
    position[order] = np.arange(1, len(ranks) + 1)
    return {str(i): (float(r), int(p), len(ranks))
            for i, r, p in zip(metrics[s.ID], ranks, position) if r == r and r > threshold}


def _freshness(since: date, as_of: date, days: int) -> float:
    age = min(max((as_of - since).days, 0), days)
    return 1.0 - 0.5 * age / days


def _window(kind: str, impact: float, since: date, as_of: date, days: int, **fields) -> Window:
    return Window(kind=kind, score=round(impact * _freshness(since, as_of, days), 3), since=since, **fields)


def _name(row: dict, pid: str) -> str:
    name = row.get(s.NAME)
    return str(name) if isinstance(name, str) and name.strip() else pid


def _department(value: Any) -> str | None:
    text = s.cell_text(value).strip()
    return text if text and text != s.UNASSIGNED else None


def _plain(value: Any) -> str:
    return s.cell_text(value).strip() or "none"


def _version(changes: MapChanges, which: str) -> str:
    number = getattr(changes, f"{which}_version")
    at = getattr(changes, f"{which}_at")
    return f"version {number} (imported {as_date(at).isoformat()})"


def _changes_in_period(changes: MapChanges | None, start: date, end: date) -> MapChanges | None:
    if changes is None or changes.from_version is None:  # nothing before: a first import is no news
        return None
    return changes if start < as_date(changes.to_at) <= end else None


# --------------------------------------------------------------- the kinds


def _new_key_people(changes: MapChanges, people: pd.DataFrame, stances: pd.DataFrame,
                    reach: dict, as_of: date, days: int) -> list[Window]:
    since = as_date(changes.to_at)
    why: dict[str, list[str]] = {}
    for pid in changes.joined[s.ID].astype(str) if len(changes.joined) else []:
        why.setdefault(pid, []).append(f"joined the map in {_version(changes, 'to')}")
    changed = changes.changed
    demoted: set[str] = set()
    for pid, field, before, after in (zip(changed[s.ID].astype(str), changed["field"], changed["before"],
                                          changed["after"]) if len(changed) else []):
        if field in (s.SENIORITY, s.INFLUENCE):
            a, b = s.as_int(before), s.as_int(after)
            if b is not None and (a is None or b > a):
                why.setdefault(pid, []).append(f"{field} {a if a is not None else 'unknown'} → {b}")
            elif a is not None and (b is None or b < a):
                demoted.add(pid)
        elif field == s.ROLE and s.cell_text(after).strip():
            why.setdefault(pid, []).append(f"new role: {_plain(before)} → {_plain(after)}")
        elif field == s.DEPARTMENT and _department(after):
            why.setdefault(pid, []).append(f"moved into {_department(after)} (from {_plain(before)})")
    if not why:
        return []
    rows = {str(r[s.ID]): r for r in people.to_dict("records")}
    now = {str(i): (st, label) for i, st, label in zip(stances[s.ID], stances[s.STANCE], stances["label"])}
    out = []
    for pid, reasons in why.items():
        if pid in demoted:  # a new role or department with less seniority or influence is no arrival of power
            continue
        row = rows.get(pid)
        stance, label = now.get(pid, (None, "unknown"))
        stance = s.as_int(stance)
        if row is None or stance not in OPEN_STANCES:
            continue
        formal = _formal(row)
        high_reach = reach.get(pid)
        if not formal and high_reach is None:
            continue
        name, department = _name(row, pid), _department(row.get(s.DEPARTMENT))
        key = formal + ([f"influence rank {high_reach[1]} of {high_reach[2]} (top quartile of reach)"]
                        if high_reach else [])
        role = s.cell_text(row.get(s.ROLE)).strip()
        where = ", ".join(x for x in (role, department) if x)
        impact = 0.5 + 0.2 * bool(formal) + 0.2 * bool(high_reach) + 0.1 * (stance >= 1)
        out.append(_window(
            "new_key_person", impact, since, as_of, days,
            title=f"New key person: {name}{f' ({where})' if where else ''}, {label}",
            evidence=(f"{'; '.join(reasons)} (between {_version(changes, 'from')} and {_version(changes, 'to')}); "
                      f"{'; '.join(key)}; stance {label} as of {as_of.isoformat()}."),
            action=(f"Meet {name} while they are new in the position: show results so far and ask what "
                    f"{department or 'their area'} would need"
                    + (" — and whether they would sponsor it." if stance >= 1 else
                       " — they are open, not yet convinced.")),
            person_id=pid, department=department))
    return out


def _blockers_gone(changes: MapChanges, people: pd.DataFrame, before_blockers: Collection[str],
                   as_of: date, days: int) -> list[Window]:
    since = as_date(changes.to_at)
    now = {str(r[s.ID]): r for r in people.to_dict("records")}
    gone: list[tuple[dict, str]] = []  # (row as before, what happened)
    for row in changes.left.to_dict("records") if len(changes.left) else []:
        gone.append((row, "left the map"))
    changed = changes.changed
    if len(changed):
        for pid, group in changed.groupby(changed[s.ID].astype(str), sort=False):
            moves = group[group["field"] == s.DEPARTMENT]
            if not len(moves) or pid not in now:
                continue
            before = dict(now[pid])  # the row as it was: undo every changed field
            for field, value in zip(group["field"], group["before"]):
                if field in (s.NAME, s.DEPARTMENT, s.ROLE, s.SENIORITY, s.STANCE, s.INFLUENCE, s.INTEREST):
                    before[field] = value
            to = _department(moves["after"].iloc[-1])
            gone.append((before, f"moved to {to or 'no department'}"))
    out = []
    blockers = {str(b) for b in before_blockers}
    for row, what in gone:
        pid = str(row[s.ID])
        stance = s.as_int(row.get(s.STANCE))
        formal = _formal(row)
        by_role = pid in blockers
        if stance not in _OPPOSED or not (formal or by_role):
            continue
        name, department = _name(row, pid), _department(row.get(s.DEPARTMENT))
        label = s.stance_label(stance)
        basis = formal + (["a blocker by network position (top quartile of influence rank or brokerage)"]
                          if by_role else [])
        impact = 0.5 + 0.2 * bool(formal) + 0.2 * by_role + 0.1 * (stance == -2)
        out.append(_window(
            "blocker_gone", impact, since, as_of, days,
            title=f"Blocker gone{f' from {department}' if department else ''}: {name} ({label}) {what}",
            evidence=(f"{name} was {label} in {_version(changes, 'from')}; {'; '.join(basis)}; "
                      f"{what} in {_version(changes, 'to')}."),
            action=(f"Re-open the conversation in {department or 'their former area'}: the people {name} held back "
                    "may now be open — ask who takes over the decisions and meet them."),
            person_id=pid, department=department))
    return out


def _calls_to_action(engagements: pd.DataFrame | None, people: pd.DataFrame, start: date, as_of: date,
                     days: int) -> list[Window]:
    events = call_to_action_events(engagements)
    if not len(events):
        return []
    events = events[[start < d <= as_of for d in events[s.DATE]]]
    if not len(events):
        return []
    rows = {str(r[s.ID]): r for r in people.to_dict("records")}
    events = events.assign(_dept=[_department(rows.get(p, {}).get(s.DEPARTMENT)) for p in events[s.STAKEHOLDER_ID]])
    out = []
    for department, group in events.groupby(events["_dept"].fillna(""), sort=True):
        department = department or None
        n = len(group)
        words = sorted(set(group[s.ACTIVITY]))
        noun = " or ".join(words) + ("s" if n > 1 else "")
        lines = []
        for day, pid, word, note in zip(group[s.DATE], group[s.STAKEHOLDER_ID], group[s.ACTIVITY], group[s.NOTES]):
            who = _name(rows.get(pid, {}), pid)
            said = f": {note.strip()}" if isinstance(note, str) else ""
            lines.append(f"{day.isoformat()} {word} logged against {who}{said}")
        last = max(group[s.DATE])
        impact = min(0.9, 0.6 + 0.1 * (n - 1))
        out.append(_window(
            "call_to_action", impact, last, as_of, days,
            title=f"Call to action in {department or 'an unassigned area'}: {n} {noun} logged",
            evidence="; ".join(lines) + ".",
            action=("Offer help while the problem is fresh: show how the change would have prevented or eased it, "
                    f"and propose a small start in {department or 'the area concerned'}."),
            person_id=str(group[s.STAKEHOLDER_ID].iloc[-1]) if n == 1 else None, department=department))
    return out


def _net_support(counts: dict[str, int]) -> tuple[int, int, float]:
    size = sum(counts.values())
    support = counts.get("supporter", 0) + counts.get("champion", 0)
    against = counts.get("skeptic", 0) + counts.get("resistant", 0)
    return support, against, (support - against) / size if size else 0.0


def _warming(people: pd.DataFrame, history: pd.DataFrame | None, engagements: pd.DataFrame | None,
             start: date, as_of: date, days: int) -> list[Window]:
    moved = movers(people, history, engagements, start=start, end=as_of)
    moved = moved[[c is not None for c in moved["change"]]] if len(moved) else moved
    if not len(moved):
        return []
    mix = stance_mix(people, history, [start, as_of], include_all=False)
    out = []
    for department, group in moved.groupby(s.DEPARTMENT, sort=True):
        if _department(department) is None:
            continue
        ups = group[[c > 0 for c in group["change"]]]
        downs = int(sum(c < 0 for c in group["change"]))
        if len(ups) - downs < MIN_NET_MOVERS:
            continue
        here = mix[mix[s.DEPARTMENT] == department]
        before = dict(zip(here.loc[here["date"] == start, s.STANCE], here.loc[here["date"] == start, "count"]))
        after = dict(zip(here.loc[here["date"] == as_of, s.STANCE], here.loc[here["date"] == as_of, "count"]))
        s0, a0, net0 = _net_support(before)
        s1, a1, net1 = _net_support(after)
        if net1 <= net0:
            continue
        size = sum(after.values())
        last = max(d for d in ups["moved_on"] if d is not None) if ups["moved_on"].notna().any() else as_of
        steps = ", ".join(f"{n} {a}→{b}" for n, a, b in zip(ups[s.NAME], ups["from"], ups["to"]))
        out.append(_window(
            "department_warming", 0.5 + 0.2 * (net1 - net0), last, as_of, days,
            title=f"{department} is warming: {len(ups)} of {size} people moved towards support",
            evidence=(f"Between {start.isoformat()} and {as_of.isoformat()}: supporters or champions "
                      f"{s0} → {s1} of {size}, skeptics or resistant {a0} → {a1}; moved up: {steps}"
                      + (f"; {downs} moved away" if downs else "") + "."),
            action=(f"Propose a next step to {department} now (a pilot or a demo for the team), "
                    "with the people who moved as messengers."),
            person_id=None, department=str(department)))
    return out


# ------------------------------------------------------------------- public


def windows_of_opportunity(
    people: pd.DataFrame,
    history: pd.DataFrame | None = None,
    engagements: pd.DataFrame | None = None,
    *,
    changes: MapChanges | None = None,
    metrics: pd.DataFrame | None = None,
    before_blockers: Iterable[str] = (),
    as_of: Any = None,
    weeks: int = 6,
) -> list[Window]:
    """The windows of opportunity of a map in the ``weeks`` weeks up to ``as_of``, best first.

    Parameters
    ----------
    people : DataFrame
        The map's people now (``Store.people``): ``id, name`` and, when
        known, ``department, role, seniority, stance, influence``.
    history : DataFrame, optional
        The stance history (``Store.stance_history``), for the stances as of
        a date and the departments' moves.
    engagements : DataFrame, optional
        The touchpoints (``Store.engagements``), for the calls to action
        (their ``notes`` are shown as evidence: pass a viewer's redacted
        frame and none are).
    changes : MapChanges, optional
        The map's versions compared over the period (the version imported on
        or before the period's start, or the first, against the latest
        imported by ``as_of``). None: no joins, promotions or departures.
    metrics : DataFrame, optional
        ``centrality.stakeholder_metrics`` of the map now (``id, pagerank``), for reach.
    before_blockers : iterable of str
        Ids with the blocker role on the map of ``changes.from_version``.
    as_of : date or ISO text, optional
        The end of the period (default today).
    weeks : int
        The period's length in weeks (at least 1).

    Returns
    -------
    list of Window
        Ranked by ``score`` (rules in the module docstring); empty when
        nothing shows a window — a file with only ``id`` and ``name`` never
        gives one.

    Raises
    ------
    ValueError
        ``weeks`` below 1, or ``as_of`` not a date.
    """
    if int(weeks) < 1:
        raise ValueError(f"weeks must be at least 1 (got {weeks})")
    end = as_date(as_of) if as_of is not None else date.today()
    days = 7 * int(weeks)
    start = end - timedelta(days=days)
    if people is None or not len(people):
        return []
    found: list[Window] = []
    recent = _changes_in_period(changes, start, end)
    if recent is not None:
        stances = stances_as_of(people, history, end)
        found += _new_key_people(recent, people, stances, _reach(metrics), end, days)
        found += _blockers_gone(recent, people, tuple(before_blockers), end, days)
    found += _calls_to_action(engagements, people, start, end, days)
    found += _warming(people, history, engagements, start, end, days)
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(found, key=lambda w: (-w.score, order[w.kind], w.title))


def windows_frame(windows: Iterable[Window]) -> pd.DataFrame:
    """Windows as a frame (``rank`` first, then the :class:`Window` fields), for tables and JSON.

    >>> windows_frame([]).columns.tolist()
    ['rank', 'kind', 'score', 'title', 'evidence', 'action', 'person_id', 'department', 'since']
    """
    columns = ["rank", "kind", "score", "title", "evidence", "action", "person_id", "department", "since"]
    rows = [{"rank": i, **asdict(w)} for i, w in enumerate(windows, start=1)]
    return pd.DataFrame(rows, columns=columns)
