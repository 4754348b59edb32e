"""This week: what a change manager should look at first, gathered from one map.

:func:`this_week` builds the dashboard's home page and the ``stakeholder-map week``
command from a :class:`~stakeholder_map.workspace.Workspace`, in five sections:

1. **Milestones at risk**: each milestone at risk or missed (``Workspace.milestone_progress``),
   with the department it concerns or, for an organisation-wide one, the department furthest
   behind (``Workspace.department_gaps``).
2. **Next conversations**: the first :data:`CONVERSATIONS` of ``Workspace.next_conversations``
   (the Engagement page's list, the same call) with their best messenger.
3. **Windows of opportunity**: ``Workspace.windows`` (:mod:`stakeholder_map.tracking.windows`),
   the highest-scored first.
4. **Seeds to plant**: ``Workspace.seeds_next``, with the low-pressure touch for each person.
5. **Rotation visits this week**: the visits of a rotation plan that fall in the week
   (Monday to Sunday) of ``as_of``. A plan is made from the team, which the map does not hold:
   without one the section ("Rotation: no plan yet") lists the departments a plan would visit
   first (the rotation's priorities) and says how to plan.

Every item names who or what it links to (a person's profile, a department, its brief). An empty
section says what to do, never shows made-up content. Every text is plain (escape it where it meets
HTML or Markdown).

Examples
--------
>>> from io import BytesIO
>>> from stakeholder_map.ingest import read_map
>>> from stakeholder_map.store import Store
>>> from stakeholder_map.workspace import Workspace
>>> store = Store(":memory:")
>>> _ = store.import_map("Pilot", read_map(BytesIO(b"id,name,stance\\n1,Ann,supporter\\n2,Bo,skeptic\\n"),
...                                         BytesIO(b"source,target\\n1,2\\n")))
>>> week = this_week(Workspace(store, "Pilot"), as_of="2026-12-02")
>>> [s.key for s in week.sections], week.week_start.isoformat()
(['milestones', 'conversations', 'windows', 'seeds', 'rotation'], '2026-11-30')
>>> week.section("conversations").items[0].person
'Bo'
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from .. import schema as s
from ..tracking.history import as_date
from ..workspace import Workspace
from .exposure_tables import NO_SEEDS
from .numbers import percent
from .tracking_tables import at_risk_messages, milestone_table
from .windows_table import KIND_LABELS

__all__ = ["WeekItem", "WeekSection", "ThisWeek", "this_week", "week_bounds", "CONVERSATIONS", "SEEDS",
           "WINDOWS", "PRIORITIES"]

#: How many next conversations, seeds, windows and rotation priorities the page lists.
CONVERSATIONS = 5
SEEDS = 5
WINDOWS = 5
PRIORITIES = 3


@dataclass(frozen=True)
class WeekItem:
    """One thing to do or look at this week; plain text, with what it links to.

    ``person_id``/``person``: the person whose profile it opens; ``messenger_id``/``messenger``: who
    carries the message to them; ``department``: the department it concerns (its view and brief);
    ``when``: its date, if it has one.
    """

    title: str
    detail: str = ""
    person_id: str | None = None
    person: str | None = None
    messenger_id: str | None = None
    messenger: str | None = None
    department: str | None = None
    when: date | None = None
    flag: str | None = None


@dataclass(frozen=True)
class WeekSection:
    """A section of the week: its items, or (when there are none) ``empty``: what to do.

    ``note`` is a line shown above the items (e.g. where they come from); ``counted``: whether the
    title may show how many items there are (not for a list that stands in for what is missing).
    """

    key: str
    title: str
    items: tuple[WeekItem, ...] = ()
    empty: str = ""
    note: str = ""
    counted: bool = True


@dataclass(frozen=True)
class ThisWeek:
    """The week of one map: its dates and sections, in page order."""

    map: str
    as_of: date
    week_start: date
    week_end: date
    has_engagements: bool
    sections: tuple[WeekSection, ...] = field(default_factory=tuple)

    def section(self, key: str) -> WeekSection:
        """The section named ``key`` (KeyError if none)."""
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def to_dict(self) -> dict:
        """JSON-ready: dates as ISO text."""
        def plain(value: Any) -> Any:
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [plain(v) for v in value]
            return value

        return plain(asdict(self))


def week_bounds(as_of: Any) -> tuple[date, date]:
    """Monday and Sunday of the week of ``as_of``.

    >>> [d.isoformat() for d in week_bounds("2026-12-02")]
    ['2026-11-30', '2026-12-06']
    """
    day = as_date(as_of)
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _sentence(text: str) -> str:
    """``text`` with its first letter upper-case (the rest as it is: names keep their case), ending in a stop."""
    text = text[:1].upper() + text[1:]
    return text if not text or text[-1] in ".!?:" else text + "."


def _furthest_behind(ws: Workspace, as_of: date) -> tuple[str | None, str | None]:
    gaps = ws.department_gaps(as_of)
    gaps = gaps[gaps["gap"] > 0] if len(gaps) else gaps
    if not len(gaps):
        return None, None
    return str(gaps[s.DEPARTMENT].iat[0]), _text(gaps["reason"].iat[0])


def _milestones(ws: Workspace, as_of: date) -> WeekSection:
    title = "Milestones at risk"
    progress = ws.milestone_progress(as_of)
    table = milestone_table(progress.table)
    if not len(table):
        return WeekSection("milestones", title, empty="No milestones yet. Add one on the Engagement page "
                           "(Milestones tab): this page then warns you when one falls behind.")
    risky = table[table["at risk"] != ""]
    if not len(risky):
        return WeekSection("milestones", title, empty=f"None at risk: all {len(table)} milestones are met or on "
                                                      "track at the current trend.")
    messages = at_risk_messages(table)
    departments = dict(zip(progress.table["milestone_id"], progress.table[s.DEPARTMENT]))
    behind, why = None, None
    items = []
    for row, message in zip(risky.to_dict("records"), messages):
        department = _text(departments.get(row["id"]))
        detail = message.split(": ", 1)[1] if ": " in message else message
        detail = _sentence(detail)
        if department is None:
            if behind is None:
                behind, why = _furthest_behind(ws, as_of)
            if behind is not None:
                detail += f" Furthest behind: {behind}" + (f" ({why})." if why else ".")
        items.append(WeekItem(title=str(row["milestone"]), detail=detail, department=department or behind,
                              when=as_date(row["due"]) if row.get("due") is not None else None,
                              flag=str(row["status"])))
    return WeekSection("milestones", title, tuple(items))


def _conversations(ws: Workspace) -> WeekSection:
    title = "Next conversations"
    ranked = ws.next_conversations(10)      # the Engagement page's list (same call, shared result)
    if not len(ranked):
        return WeekSection("conversations", title, empty="Nobody left to convince: everyone on this map is a "
                                                         "supporter or champion (or the map has no ties).")
    items = []
    for r in ranked.head(CONVERSATIONS).to_dict("records"):
        stance = _text(r.get(s.STANCE)) or "unknown"
        messenger = _text(r.get("messenger"))
        if messenger:
            where = ", ".join(x for x in (_text(r.get("messenger_department")), _text(r.get("messenger_stance")))
                              if x)
            path = r.get("path")
            chain = f" along {_text(r.get('path_names'))}" if isinstance(path, (list, tuple)) and len(path) > 2 \
                else ""
            how = f"Best messenger: {messenger}" + (f" ({where})" if where else "") + \
                  f"{chain}, {percent(r.get('path_probability'))} chance the idea gets through."
        else:
            how = "No chain of influence reaches them: talk to them directly."
        last = r.get("last_engaged")
        talked = f" Last talked {as_date(last).isoformat()}." if last is not None and not pd.isna(last) else \
            " Not talked to yet."
        items.append(WeekItem(
            title=f"{r[s.NAME]} ({r[s.DEPARTMENT]}, {stance})",
            detail=f"Adds about {float(r['gain']):.1f} expected adopters. {how}{talked}",
            person_id=str(r[s.ID]), person=str(r[s.NAME]),
            messenger_id=_text(r.get("messenger_id")), messenger=messenger,
            department=str(r[s.DEPARTMENT]), flag="blocker" if r.get("blocker") else None))
    return WeekSection("conversations", title, tuple(items),
                       note="Whose conversion adds the most expected adoption, and who reaches them best.")


def _windows(ws: Workspace, as_of: date) -> WeekSection:
    title = "Windows of opportunity"
    found = ws.windows(as_of=as_of)
    names = dict(zip(ws.people()[s.ID].astype(str), ws.people()[s.NAME].astype(str)))
    items = tuple(WeekItem(title=w.title, detail=" ".join(_sentence(x) for x in (w.evidence, w.action) if x),
                           person_id=w.person_id, person=names.get(str(w.person_id)) if w.person_id else None,
                           department=w.department, when=w.since, flag=KIND_LABELS.get(w.kind, w.kind).lower())
                  for w in found[:WINDOWS])
    return WeekSection("windows", title, items,
                       empty="No window open: nothing in the last weeks signals a good moment (a new key person, "
                             "a department warming, an incident, a blocker gone). Keep planting seeds, log events "
                             "and incidents as touchpoints, and re-import the map when people join or move.")


def _seeds(ws: Workspace, as_of: date) -> WeekSection:
    title = "Seeds to plant"
    frame = ws.seeds_next(SEEDS, as_of=as_of)
    items = []
    for r in frame.to_dict("records"):
        stance = _text(r.get(s.STANCE)) or "unknown"
        detail = " ".join(_sentence(x) for x in (_text(r.get("touch")), _text(r.get("why"))) if x)
        items.append(WeekItem(title=f"{r[s.NAME]} ({r[s.DEPARTMENT]}, {stance})", detail=detail,
                              person_id=str(r[s.ID]), person=str(r[s.NAME]), department=str(r[s.DEPARTMENT])))
    return WeekSection("seeds", title, tuple(items),
                       note="Low-pressure touches (an article, results shared, a demo seen) that would spread "
                            "furthest.",
                       empty=NO_SEEDS)


def _rotation(ws: Workspace, as_of: date, start: date, end: date, plan: pd.DataFrame | None) -> WeekSection:
    title = "Rotation visits this week"
    if plan is None:
        gaps = ws.department_gaps(as_of)
        gaps = gaps[gaps["gap"] > 0].head(PRIORITIES) if len(gaps) else gaps
        items = tuple(WeekItem(title=str(r[s.DEPARTMENT]), detail=_sentence(_text(r["reason"]) or ""),
                               department=str(r[s.DEPARTMENT]), flag=f"priority {i}")
                      for i, r in enumerate(gaps.to_dict("records"), start=1))
        how = ("No rotation plan yet (the team is not part of the map): plan the quarter on the Engagement page, "
               "Rotation plan tab (or with the stakeholder-map rotation command), and this week's visits show here.")
        return WeekSection("rotation", "Rotation: no plan yet", items, empty=how,
                           note=(how + " The departments a plan would visit first:") if items else "", counted=False)
    days = [as_date(d) for d in plan["date"]] if len(plan) else []
    week = plan[[start <= d <= end for d in days]] if len(plan) else plan
    items = tuple(WeekItem(
        title=f"{r['associate']} visits {r[s.DEPARTMENT]}",
        detail=f"{as_date(r['date']).strftime('%A')} {as_date(r['date']).isoformat()}: visit {r['visit']} of "
               f"{r['visits']}. {_text(r.get('reason')) or ''}".strip(),
        department=str(r[s.DEPARTMENT]), when=as_date(r["date"])) for r in week.to_dict("records"))
    quarter = str(plan["quarter"].iat[0]) if len(plan) else ""
    return WeekSection("rotation", title, items, note=f"From the rotation plan of {quarter}." if quarter else "",
                       empty=f"No visit planned from {start.isoformat()} to {end.isoformat()} in the rotation plan"
                             + (f" of {quarter}." if quarter else "."))


def this_week(ws: Workspace, *, as_of: Any = None, plan: pd.DataFrame | None = None) -> ThisWeek:
    """The week of a map: milestones at risk, next conversations, windows, seeds, rotation visits.

    Parameters
    ----------
    ws : Workspace
        The map (a viewer's redacted workspace gives a viewer's week: no notes in it).
    as_of : date or ISO text, optional
        A day of the week to show; default today.
    plan : DataFrame, optional
        A rotation plan (``Workspace.rotation_plan``) whose visits of the week are listed; None: the
        rotation's priorities and how to plan.

    Returns
    -------
    ThisWeek
    """
    day = as_date(as_of) if as_of is not None else date.today()
    start, end = week_bounds(day)
    has_engagements = len(ws.engagements()) > 0
    if ws.head_count() == 0:
        empty = "This map has no people yet: import its CSV files on the Data page."
        return ThisWeek(ws.name, day, start, end, has_engagements, tuple(
            WeekSection(key, title, empty=empty) for key, title in (
                ("milestones", "Milestones at risk"), ("conversations", "Next conversations"),
                ("windows", "Windows of opportunity"), ("seeds", "Seeds to plant"),
                ("rotation", "Rotation visits this week"))))
    sections = (_milestones(ws, day), _conversations(ws), _windows(ws, day), _seeds(ws, day),
                _rotation(ws, day, start, end, plan))
    return ThisWeek(ws.name, day, start, end, has_engagements, sections)
