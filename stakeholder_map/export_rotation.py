"""A rotation plan → files: a spreadsheet-safe CSV and an iCalendar file (RFC 5545).

The plan itself is tracking's job (:func:`stakeholder_map.tracking.rotation.plan_rotation`
returns a frame); turning it into files to share is the export side's, next to
:mod:`stakeholder_map.export`, whose :func:`~stakeholder_map.export.frame_to_csv`
makes every cell safe to open in a spreadsheet.

Examples
--------
>>> import pandas as pd
>>> from datetime import date
>>> plan = pd.DataFrame({"quarter": ["2027Q1"], "date": [date(2027, 1, 5)], "gap": [0.25]})
>>> rotation_csv(plan).decode()
'quarter,date,gap\\n2027Q1,2027-01-05,0.250\\n'
"""

from __future__ import annotations

import hashlib
import math
from datetime import date, datetime, time, timedelta, timezone

import pandas as pd

from . import schema as s
from .export import frame_to_csv

__all__ = ["rotation_csv", "rotation_ics"]


def rotation_csv(plan: pd.DataFrame) -> bytes:
    """The plan as UTF-8 CSV, every cell spreadsheet-safe (dates as ISO text)."""
    table = plan.copy()
    for column in ("week_start", "date"):
        if column in table:
            table[column] = [d.isoformat() if isinstance(d, date) else d for d in table[column]]
    if "gap" in table:
        table["gap"] = [f"{g:.3f}" if isinstance(g, float) and not math.isnan(g) else g for g in table["gap"]]
    return frame_to_csv(table)


def _uid(row: dict) -> str:
    key = "|".join(str(row.get(c, "")) for c in ("quarter", s.DEPARTMENT, "visit", "associate"))
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}@stakeholder-map"


def rotation_ics(
    plan: pd.DataFrame,
    *,
    calendar_name: str | None = None,
    start_time: time | None = None,
    duration: timedelta = timedelta(hours=1),
    stamp: datetime | None = None,
) -> bytes:
    """The plan as an iCalendar file (RFC 5545): one event per associate and visit.

    Parameters
    ----------
    plan : DataFrame
        From :func:`~stakeholder_map.tracking.rotation.plan_rotation`.
    calendar_name : str, optional
        Shown by calendar apps (``X-WR-CALNAME``); default "Rotation <quarter>".
    start_time : datetime.time, optional
        Timed events starting then (floating local time) and lasting
        ``duration``; default all-day events.
    duration : timedelta
        Length of timed events.
    stamp : datetime, optional
        ``DTSTAMP`` of every event (default now, UTC); fix it for
        byte-identical files.

    Returns
    -------
    bytes
        The calendar. UIDs are stable (a hash of quarter, department, visit
        and associate), so importing an updated plan updates the events.
        Text is escaped by the ``icalendar`` package (commas, semicolons,
        backslashes, line breaks) and long lines are folded.

    Examples
    --------
    >>> from stakeholder_map.tracking.rotation import plan_rotation
    >>> plan = plan_rotation(pd.DataFrame({"name": ["Ann", "Bo"]}), ["R&D, Legal"], "2027Q1", visits=1)
    >>> text = rotation_ics(plan, stamp=datetime(2027, 1, 1, tzinfo=timezone.utc)).decode()
    >>> "SUMMARY:Visit R&D\\\\, Legal (Ann)" in text, text.count("BEGIN:VEVENT")
    (True, 1)
    """
    from icalendar import Calendar, Event, vCalAddress, vText

    stamp = stamp or datetime.now(timezone.utc)
    quarters = sorted({str(q) for q in plan["quarter"]}) if len(plan) else []
    cal = Calendar()
    cal.add("prodid", "-//Stakeholder Map//Rotation plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name or f"Rotation {', '.join(quarters)}".strip())
    for row in plan.to_dict("records"):
        event = Event()
        event.add("uid", _uid(row))
        event.add("dtstamp", stamp)
        day = row["date"]
        if start_time is None:
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        else:
            begin = datetime.combine(day, start_time)
            event.add("dtstart", begin)
            event.add("dtend", begin + duration)
        department = str(row[s.DEPARTMENT])
        event.add("summary", f"Visit {department} ({row['associate']})")
        home, reason, email = (_text(row.get(c)) for c in (s.HOME_DEPARTMENT, "reason", s.EMAIL))
        lines = [f"Rotation visit {row['visit']} of {row['visits']} to {department}, week {row['week']} of "
                 f"{row['quarter']}.", f"Associate: {row['associate']}" + (f" (home: {home})" if home else "") + "."]
        if reason:
            lines.append(f"Why now: {reason}.")
        lines.append("Listen first; bring results and the plan; ask who else should hear it.")
        event.add("description", "\n".join(lines))
        event.add("categories", ["Stakeholder Map", "Rotation"])
        if email:
            attendee = vCalAddress(f"mailto:{email}")
            attendee.params["cn"] = vText(str(row["associate"]))
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", attendee, encode=0)
        cal.add_component(event)
    return cal.to_ical()


def _text(value: object) -> str | None:
    """Text, or None for None, NaN, pd.NA and empty text."""
    return s.cell_text(value).strip() or None
