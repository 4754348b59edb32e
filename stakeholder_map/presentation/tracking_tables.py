"""Display frames for the Engagement page: tracking results shaped into tables people read.

The page shows what :mod:`~stakeholder_map.tracking.history`,
:mod:`~stakeholder_map.tracking.milestones`,
:mod:`~stakeholder_map.tracking.next_conversations` and
:mod:`~stakeholder_map.tracking.rotation` return, and the store's
engagements and change record. The reshaping (names instead of ids, stance
words instead of numbers, newest first, one line per move) lives here, as
pure functions of plain values, so the page only reads widgets, calls these
and renders. Nothing here imports Streamlit; the stance-history chart is
built by :func:`stakeholder_map.presentation.charts.stance_history_chart`.

Examples
--------
>>> import pandas as pd
>>> from datetime import date
>>> people = pd.DataFrame({"id": ["a"], "name": ["Ann"], "department": ["IT"]})
>>> events = pd.DataFrame({"date": [date(2026, 11, 2)], "stakeholder_id": ["a"], "activity": ["1:1"],
...                        "stance_after": pd.array([1], dtype="Int64"), "notes": [None]},
...                       index=pd.Index([0], name="engagement_id"))
>>> engagement_table(events, people)[["id", "name", "stance after"]].values.tolist()
[[0, 'Ann', 'supporter']]
>>> brief_file_name("R&D / Labs", as_of=date(2026, 11, 23))
'brief-R-D-Labs-2026-11-23.html'
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime  # noqa: F401  (the doctests use them)
from typing import Any

import pandas as pd

from .. import schema as s
from ..tracking.history import as_date
from .numbers import percent

__all__ = [
    "STANCE_WORDS",
    "EVERYONE",
    "stance_word",
    "person_choices",
    "engagement_table",
    "LOGGED_BY",
    "engagement_choices",
    "engagement_values",
    "change_table",
    "person_history",
    "movers_table",
    "movers_summary",
    "milestone_table",
    "milestone_choices",
    "at_risk_messages",
    "conversation_table",
    "team_from_text",
    "quarter_of",
    "quarter_choices",
    "rotation_summary",
    "brief_file_name",
]

#: Stance words the pickers offer, best first.
STANCE_WORDS: tuple[str, ...] = ("champion", "supporter", "neutral", "skeptic", "resistant")
#: How the tables name an organisation-wide milestone's scope.
EVERYONE = "Everyone"


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


_text = s.cell_text


def stance_word(value: Any) -> str:
    """The stance word of a number (−2…2); empty for none.

    >>> stance_word(2), stance_word(None), stance_word(pd.NA)
    ('champion', '', '')
    """
    return "" if _missing(value) else s.stance_label(int(value))


def _lookup(people: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    ids = people[s.ID].astype(str).tolist()
    names = dict(zip(ids, [_text(n) or i for n, i in zip(people[s.NAME], ids)]))
    departments = (dict(zip(ids, [_text(d) or s.UNASSIGNED for d in people[s.DEPARTMENT]]))
                   if s.DEPARTMENT in people else {})
    return names, departments


def person_choices(people: pd.DataFrame) -> dict[str, str]:
    """Id → "Name (Department)" for a person picker, by name.

    >>> person_choices(pd.DataFrame({"id": ["b", "a"], "name": ["Bo", "Ann"], "department": ["HR", None]}))
    {'a': 'Ann (Unassigned)', 'b': 'Bo (HR)'}
    """
    names, departments = _lookup(people)
    order = sorted(names, key=lambda pid: (names[pid].casefold(), pid))
    return {pid: f"{names[pid]} ({departments.get(pid, s.UNASSIGNED)})" for pid in order}


def _newest_first(frame: pd.DataFrame) -> pd.DataFrame:
    if not len(frame):
        return frame
    order = sorted(range(len(frame)), key=lambda i: (as_date(frame[s.DATE].iat[i]), int(frame["id"].iat[i])),
                   reverse=True)
    return frame.iloc[order].reset_index(drop=True)


#: The touchpoint table's column naming who logged each one.
LOGGED_BY = "logged by"


def engagement_table(engagements: pd.DataFrame, people: pd.DataFrame, *, person: str | None = None) -> pd.DataFrame:
    """The map's touchpoints, newest first, with each person's name and department.

    Parameters
    ----------
    engagements : DataFrame
        :meth:`Store.engagements` (indexed by engagement id).
    people : DataFrame
        :meth:`Store.people`.
    person : str, optional
        Only the touchpoints with this stakeholder id.

    Returns
    -------
    DataFrame
        ``id, date, name, department, activity, stance after, notes, logged by,
        stakeholder_id``; the stance as a word, empty when none was observed;
        ``logged by`` is who logged it (empty when not recorded).
    """
    columns = ["id", s.DATE, s.NAME, s.DEPARTMENT, s.ACTIVITY, "stance after", s.NOTES, LOGGED_BY, s.STAKEHOLDER_ID]
    if engagements is None or not len(engagements):
        return pd.DataFrame(columns=columns)
    if person is not None:
        engagements = engagements[(engagements[s.STAKEHOLDER_ID].astype(str) == str(person)).to_numpy()]
    names, departments = _lookup(people)
    ids = engagements[s.STAKEHOLDER_ID].astype(str).tolist()
    frame = pd.DataFrame({
        "id": [int(i) for i in engagements.index],
        s.DATE: [as_date(d) for d in engagements[s.DATE]],
        s.NAME: [names.get(p, p) for p in ids],
        s.DEPARTMENT: [departments.get(p, "") for p in ids],
        s.ACTIVITY: [_text(a) for a in engagements[s.ACTIVITY]],
        "stance after": [stance_word(v) for v in engagements[s.STANCE_AFTER]],
        s.NOTES: [_text(n) for n in engagements[s.NOTES]],
        LOGGED_BY: ([_text(b) for b in engagements["logged_by"]] if "logged_by" in engagements
                    else [""] * len(ids)),
        s.STAKEHOLDER_ID: ids,
    }, columns=columns)
    return _newest_first(frame)


def engagement_choices(table: pd.DataFrame) -> dict[int, str]:
    """Engagement id → "#id · date · name · activity" for a picker, in the table's order.

    ``table`` is :func:`engagement_table`.
    """
    return {int(i): " · ".join(x for x in (f"#{int(i)}", d.isoformat(), n, a) if x)
            for i, d, n, a in zip(table["id"], table[s.DATE], table[s.NAME], table[s.ACTIVITY])}


def engagement_values(engagements: pd.DataFrame, engagement_id: int) -> dict:
    """One touchpoint's fields as an edit form shows them.

    Returns
    -------
    dict
        ``date`` (date), ``stakeholder_id``, ``activity`` and ``notes``
        (text, empty if none) and ``stance_after`` (a word, or None).

    Raises
    ------
    KeyError
        No engagement with that id.
    """
    row = engagements.loc[int(engagement_id)]
    word = stance_word(row[s.STANCE_AFTER])
    return {s.DATE: as_date(row[s.DATE]), s.STAKEHOLDER_ID: str(row[s.STAKEHOLDER_ID]),
            s.ACTIVITY: _text(row[s.ACTIVITY]), s.STANCE_AFTER: word or None, s.NOTES: _text(row[s.NOTES])}


_FIELDS = ((s.DATE, "date"), (s.STAKEHOLDER_ID, "person"), (s.ACTIVITY, "activity"),
           (s.STANCE_AFTER, "stance after"), (s.NOTES, "notes"))


def _field(key: str, value: Any, names: Mapping[str, str]) -> str:
    if _missing(value) or value == "":
        return "–"
    if key == s.STAKEHOLDER_ID:
        return names.get(str(value), str(value))
    if key == s.STANCE_AFTER:
        return stance_word(value)
    return str(value)


def change_table(changes: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """The change record of the touchpoints, newest first, one readable line per change.

    Parameters
    ----------
    changes : DataFrame
        :meth:`Store.engagement_changes` (``engagement_id, action,
        changed_at, before, after``; before/after are dicts or None).
    people : DataFrame
        :meth:`Store.people`, for names.

    Returns
    -------
    DataFrame
        ``changed at, engagement, action, person, what`` where ``what`` lists
        the fields a ``log`` or ``delete`` held, or each field an ``edit``
        changed as ``old → new``.

    Examples
    --------
    >>> changes = pd.DataFrame({"engagement_id": [3], "action": ["edit"],
    ...     "changed_at": [datetime(2026, 11, 23, 9, 30)],
    ...     "before": [{"date": "2026-11-20", "stakeholder_id": "a", "activity": "call", "stance_after": None,
    ...                 "notes": None}],
    ...     "after": [{"date": "2026-11-20", "stakeholder_id": "a", "activity": "call", "stance_after": 1,
    ...                "notes": None}]})
    >>> change_table(changes, pd.DataFrame({"id": ["a"], "name": ["Ann"]}))["what"].tolist()
    ['stance after: – → supporter']
    """
    columns = ["changed at", "engagement", "action", "person", "what"]
    if changes is None or not len(changes):
        return pd.DataFrame(columns=columns)
    names, _ = _lookup(people)
    rows = []
    for eid, action, when, before, after in zip(changes["engagement_id"], changes["action"], changes["changed_at"],
                                                changes["before"], changes["after"]):
        before = before if isinstance(before, Mapping) else {}
        after = after if isinstance(after, Mapping) else {}
        held = after or before
        if action == "edit":
            what = "; ".join(f"{label}: {_field(key, before.get(key), names)} → {_field(key, after.get(key), names)}"
                             for key, label in _FIELDS if before.get(key) != after.get(key)) or "no change"
        else:
            what = "; ".join(f"{label}: {_field(key, held.get(key), names)}" for key, label in _FIELDS
                             if key != s.STAKEHOLDER_ID and not _missing(held.get(key)))
        person = held.get(s.STAKEHOLDER_ID)
        rows.append({"changed at": pd.Timestamp(when).to_pydatetime().replace(microsecond=0),
                     "engagement": int(eid), "action": str(action),
                     "person": names.get(str(person), _text(person)), "what": what})
    frame = pd.DataFrame(rows, columns=columns)
    return frame.iloc[::-1].reset_index(drop=True)


def person_history(history: pd.DataFrame) -> pd.DataFrame:
    """One person's stance record (:meth:`Store.stance_history` for them), newest first.

    Returns ``recorded on, stance, source`` (the stance as a word; ``unknown`` when empty).

    >>> h = pd.DataFrame({"stakeholder_id": ["a", "a"], "stance": pd.array([0, 1], dtype="Int64"),
    ...                   "recorded_on": [date(2026, 9, 1), date(2026, 10, 1)], "source": ["import", "engagement"]})
    >>> person_history(h).values.tolist()
    [[datetime.date(2026, 10, 1), 'supporter', 'engagement'], [datetime.date(2026, 9, 1), 'neutral', 'import']]
    """
    columns = ["recorded on", s.STANCE, "source"]
    if history is None or not len(history):
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({"recorded on": [as_date(d) for d in history["recorded_on"]],
                          s.STANCE: [stance_word(v) or "unknown" for v in history["stance"]],
                          "source": [_text(v) for v in history["source"]]}, columns=columns)
    return frame.iloc[::-1].reset_index(drop=True)


def movers_table(moved: pd.DataFrame) -> pd.DataFrame:
    """:func:`~stakeholder_map.tracking.history.movers` as a table: one line per person who moved.

    Returns
    -------
    DataFrame
        ``name, department, move`` ("skeptic → supporter"; "(assumed)"
        when the start stance was carried back), ``change`` (stance points,
        None if either side is unknown), ``moved on``, ``moves``, ``after a
        conversation`` (a logged conversation preceded a move) and
        ``conversations`` (in the period), largest gains first.

    Examples
    --------
    >>> moved = pd.DataFrame({"id": ["a"], "name": ["Ann"], "department": ["IT"], "from": ["skeptic"],
    ...     "to": ["supporter"], "change": [2], "from_assumed": [False], "moved_on": [date(2026, 10, 1)],
    ...     "moves": [1], "engaged": [True], "engagements": [2]})
    >>> movers_table(moved)[["move", "after a conversation"]].values.tolist()
    [['skeptic → supporter', True]]
    """
    columns = [s.NAME, s.DEPARTMENT, "move", "change", "moved on", "moves", "after a conversation", "conversations"]
    if moved is None or not len(moved):
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({
        s.NAME: moved[s.NAME].astype(str).to_numpy(),
        s.DEPARTMENT: moved[s.DEPARTMENT].astype(str).to_numpy(),
        "move": [f"{a}{' (assumed)' if assumed else ''} → {b}"
                 for a, b, assumed in zip(moved["from"], moved["to"], moved["from_assumed"])],
        "change": [None if _missing(c) else int(c) for c in moved["change"]],
        "moved on": [None if _missing(d) else as_date(d) for d in moved["moved_on"]],
        "moves": [int(m) for m in moved["moves"]],
        "after a conversation": [bool(e) for e in moved["engaged"]],
        "conversations": [int(e) for e in moved["engagements"]],
    }, columns=columns)
    frame["change"] = frame["change"].astype(object)
    return frame


def movers_summary(moved: pd.DataFrame, start: Any, end: Any) -> str:
    """One sentence on who moved between two dates.

    >>> moved = pd.DataFrame({"change": [2, -1, None], "engaged": [True, False, True]})
    >>> movers_summary(moved, "2026-10-01", "2026-11-23")
    '3 people moved between 2026-10-01 and 2026-11-23: 1 toward support, 1 away from it, 1 to or from unknown; 2 of the moves followed a logged conversation.'
    >>> movers_summary(moved.iloc[:0], "2026-10-01", "2026-11-23")
    'Nobody moved between 2026-10-01 and 2026-11-23.'
    """
    first, last = as_date(start).isoformat(), as_date(end).isoformat()
    if moved is None or not len(moved):
        return f"Nobody moved between {first} and {last}."
    changes = [None if _missing(c) else int(c) for c in moved["change"]]
    up = sum(1 for c in changes if c is not None and c > 0)
    down = sum(1 for c in changes if c is not None and c < 0)
    unknown = len(changes) - up - down
    engaged = int(sum(bool(e) for e in moved["engaged"]))
    people = "1 person" if len(changes) == 1 else f"{len(changes)} people"
    parts = [f"{up} toward support", f"{down} away from it"] + ([f"{unknown} to or from unknown"] if unknown else [])
    return (f"{people} moved between {first} and {last}: {', '.join(parts)}; "
            f"{engaged} of the moves followed a logged conversation.")


def _share(value: Any) -> float | None:
    return None if _missing(value) else float(value)


def milestone_table(table: pd.DataFrame) -> pd.DataFrame:
    """:attr:`MilestoneProgress.table` as the page shows it.

    Returns
    -------
    DataFrame
        ``id, milestone, for`` (the department, or :data:`EVERYONE`),
        ``now`` and ``target`` (shares 0–1), ``progress`` ("count of total"),
        ``trend / week`` (share points per week), ``projected`` (share by
        the due date), ``due``, ``status``, ``at risk`` (⚠ or empty) and
        ``needed`` (how many more people, or departments, to reach it).
    """
    columns = ["id", "milestone", "for", "now", "target", "progress", "trend / week", "projected", "due",
               "status", "at risk", "needed"]
    if table is None or not len(table):
        return pd.DataFrame(columns=columns)
    champion = table["kind"] == "champion_engaged"
    scope = [(_text(d) or ("every department" if c else EVERYONE)) for d, c in zip(table[s.DEPARTMENT], champion)]
    unit = ["departments" if c else "people" for c in champion]
    return pd.DataFrame({
        "id": table["milestone_id"].astype(int).to_numpy(),
        "milestone": table["label"].astype(str).to_numpy(),
        "for": scope,
        "now": [_share(v) for v in table["value"]],
        "target": [float(t) for t in table["target"]],
        "progress": [f"{int(c)} of {int(n)} {u}" for c, n, u in zip(table["count"], table["total"], unit)],
        "trend / week": [round(float(t) * 100, 1) for t in table["trend_per_week"]],
        "projected": [_share(v) for v in table["projected"]],
        "due": [as_date(d) for d in table["due"]],
        "status": table["status"].astype(str).to_numpy(),
        "at risk": ["⚠" if r else "" for r in table["at_risk"]],
        "needed": [int(n) for n in table["needed"]],
    }, columns=columns)


def milestone_choices(table: pd.DataFrame) -> dict[int, str]:
    """Milestone id → "#id label" for a picker (``table`` from :func:`milestone_table`)."""
    return {int(i): f"#{int(i)} {label}" for i, label in zip(table["id"], table["milestone"])}


def _pct(value: float | None) -> str:
    return percent(value)


def at_risk_messages(table: pd.DataFrame) -> list[str]:
    """One plain sentence per milestone at risk or missed (``table`` from :func:`milestone_table`).

    >>> t = pd.DataFrame({"id": [3], "milestone": ["60% of Finance supporter or better by 2027-03-31"],
    ...     "now": [0.1], "target": [0.6], "progress": ["2 of 20 people"], "projected": [0.2],
    ...     "status": ["at risk"], "at risk": ["⚠"], "needed": [10]})
    >>> at_risk_messages(t)[0]
    '60% of Finance supporter or better by 2027-03-31: at risk. Now 10% (2 of 20 people), projected 20% by the due date at the current trend; 10 more needed.'
    """
    out = []
    for row in table[table["at risk"] != ""].to_dict("records"):
        if row["status"] == "missed":
            out.append(f"{row['milestone']}: missed ({_pct(row['projected'])} on the due date against "
                       f"{_pct(row['target'])}).")
        else:
            out.append(f"{row['milestone']}: at risk. Now {_pct(row['now'])} ({row['progress']}), projected "
                       f"{_pct(row['projected'])} by the due date at the current trend; {row['needed']} more needed.")
    return out


def conversation_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`~stakeholder_map.tracking.next_conversations.next_conversations` as the page shows it.

    Returns
    -------
    DataFrame
        ``rank, name, department, role, stance, adds`` (expected extra
        adopters), ``blocker`` (bool), ``best messenger``, ``chain`` (names
        from messenger to person), ``chance`` (of the chain, 0–1),
        ``insider`` (the strongest carrier from their own department),
        ``last talked`` and ``why``.
    """
    columns = ["rank", s.NAME, s.DEPARTMENT, s.ROLE, s.STANCE, "adds", "blocker", "best messenger", "chain",
               "chance", "insider", "last talked", "why"]
    if table is None or not len(table):
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({
        "rank": table["rank"].astype(int).to_numpy(),
        s.NAME: table[s.NAME].astype(str).to_numpy(),
        s.DEPARTMENT: table[s.DEPARTMENT].astype(str).to_numpy(),
        s.ROLE: [_text(r) for r in table[s.ROLE]],
        s.STANCE: table[s.STANCE].astype(str).to_numpy(),
        "adds": [round(float(g), 1) for g in table["gain"]],
        "blocker": [bool(b) for b in table["blocker"]],
        "best messenger": [_text(m) for m in table["messenger"]],
        "chain": [_text(p) for p in table["path_names"]],
        "chance": [_share(p) for p in table["path_probability"]],
        "insider": [_text(i) for i in table["insider"]],
        "last talked": [None if _missing(d) else as_date(d) for d in table["last_engaged"]],
        "why": table["reason"].astype(str).to_numpy(),
    }, columns=columns)
    return frame


def team_from_text(text: str) -> pd.DataFrame:
    """A team typed one associate per line, ``name, home department[, email]``.

    A first line naming the columns (``name,home_department,...``) is read
    as a header; otherwise the lines are read in that order. Read with
    :func:`~stakeholder_map.ingest_team.read_team`, so the same
    problems are reported (empty or duplicate names, fewer than two).

    Raises
    ------
    ContractError
        As :func:`~stakeholder_map.ingest_team.read_team`.

    Examples
    --------
    >>> team_from_text("Ann, IT\\nBo Li, Finance, bo@example.org\\n\\nCy").values.tolist()
    [['Ann', 'IT', None], ['Bo Li', 'Finance', 'bo@example.org'], ['Cy', None, None]]
    """
    from ..ingest_team import read_team

    lines = [line for line in str(text or "").splitlines() if line.strip()]
    first = lines[0].split(",")[0].strip().casefold() if lines else ""
    if first != s.NAME:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([s.NAME, s.HOME_DEPARTMENT, s.EMAIL])
        for line in lines:
            cells = [c.strip() for c in line.split(",", 2)]
            writer.writerow(cells + [""] * (3 - len(cells)))
        lines = out.getvalue().splitlines()
    return read_team(io.BytesIO("\n".join(lines).encode("utf-8")), name="the typed team")


def quarter_of(day: Any) -> str:
    """The quarter ``YYYYQn`` a date falls in.

    >>> quarter_of("2026-11-23")
    '2026Q4'
    """
    d = as_date(day)
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"


def quarter_choices(today: Any, ahead: int = 4) -> list[str]:
    """The quarter of ``today`` and the ``ahead`` quarters after it.

    >>> quarter_choices("2026-11-23")
    ['2026Q4', '2027Q1', '2027Q2', '2027Q3', '2027Q4']
    """
    d = as_date(today)
    index = d.year * 4 + (d.month - 1) // 3
    return [f"{i // 4}Q{i % 4 + 1}" for i in range(index, index + max(int(ahead), 0) + 1)]


def rotation_summary(plan: pd.DataFrame) -> str:
    """One sentence on a rotation plan (:func:`~stakeholder_map.tracking.rotation.plan_rotation`).

    >>> plan = pd.DataFrame({"quarter": ["2027Q1"] * 3, "department": ["IT", "HR", "IT"],
    ...                      "associate": ["Ann", "Bo", "Bo"]})
    >>> rotation_summary(plan)
    '3 visits to 2 departments in 2027Q1 by 2 associates (1–2 each).'
    """
    if plan is None or not len(plan):
        return "Nothing to plan: the map has no departments."
    load = plan.groupby("associate").size()
    spread = f"{load.min()}" if load.min() == load.max() else f"{load.min()}–{load.max()}"
    return (f"{len(plan)} visits to {plan[s.DEPARTMENT].nunique()} departments in {plan['quarter'].iat[0]} "
            f"by {len(load)} associates ({spread} each).")


def brief_file_name(department: Any, *, as_of: Any = None) -> str:
    """``brief-<department>[-<date>].html`` with only letters, digits, ``-`` and ``_`` before ``.html``.

    Accents are dropped (é → e); every other run of characters becomes one ``-``.

    >>> brief_file_name("Café ../../etc"), brief_file_name("<script>")
    ('brief-Cafe-etc.html', 'brief-script.html')
    >>> brief_file_name("***")
    'brief-department.html'
    """
    text = unicodedata.normalize("NFKD", str(department or "")).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9_]+", "-", text).strip("-_")[:60].strip("-_") or "department"
    day = f"-{as_date(as_of).isoformat()}" if as_of is not None else ""
    return f"brief-{stem}{day}.html"
