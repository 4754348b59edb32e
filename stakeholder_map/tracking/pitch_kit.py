"""The pitch kit: what to bring to a department when the moment comes, as plain data.

"Be prepared": know what to pitch to whom and how, and have results ready. For one
department, :func:`pitch_kit` gathers

* **what motivates them**, from what the data says and nothing else: the roles in the
  department, and the recurring themes of the notes about its people and of the notes
  of conversations with them (:data:`THEMES`, matched as words at the start of a
  word, each theme with how many people it came up for and one of their own lines).
  No notes: the kit says so (and, for a viewer, that notes are not shown to them);
  it never guesses;
* **results from the pilot department so far** (:func:`pilot_results`): its share of
  supporters or better week by week, the change, who moved towards support or away;
* **what is asked of them**: the milestones that apply, as the brief computes them;
* **who carries it**: the proposed champions inside (the champion picks who belong to
  it, else its supporters others follow most) and the messengers of the next
  conversations (who reaches whom), and supportive people outside it who influence it;
* **open questions** that leave the idea open-ended: decisions the department can own
  (timeline, training, configuration, the evidence it wants), phrased for this
  department from its milestones, people, roles and themes.

Pure: plain frames and dicts in, a dict out.
:func:`~stakeholder_map.tracking.brief.department_brief_facts` puts the kit in the
brief's facts (``facts["kit"]``); :mod:`stakeholder_map.presentation.brief` prints it
as the brief's second page.

Examples
--------
>>> themes_in([("a", "Worried about the licence cost"), ("b", "Budget is tight"), ("b", "wants Jira")])[0]
{'theme': 'cost and budget', 'people': ['a', 'b'], 'quote': ('a', 'Worried about the licence cost')}
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import pandas as pd

from .. import schema as s
from .history import as_date, conversations, movers, stance_mix, weekly_dates

__all__ = ["THEMES", "themes_in", "pilot_results", "pitch_kit"]

#: (theme, word starts): a note touches a theme when a word in it starts with one of these
#: (case-insensitive). Kept short and concrete: a theme is only reported with the lines it came from.
THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cost and budget", ("cost", "budget", "licen", "price", "spend", "saving", "roi")),
    ("risk, compliance and data protection", ("risk", "complian", "data protection", "gdpr", "dpa", "audit",
                                              "contract", "security", "privacy")),
    ("delivery dates and overruns", ("deadline", "delivery", "overr", "late", "slip", "delay", "dates")),
    ("visibility and reporting", ("visib", "report", "dashboard", "board pack", "portfolio", "status",
                                  "one view")),
    ("overlap with the tools they use", ("jira", "duplicat", "spreadsheet", "excel", "existing tool",
                                         "another tool")),
    ("training and time to learn", ("training", "learn", "onboard", "upskill")),
    ("workload and time", ("workload", "busy", "capacity", "overtime", "no time", "extra work", "admin")),
)
_PATTERNS = [(theme, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")", re.IGNORECASE))
             for theme, words in THEMES]
_SUPPORT = ("supporter", "champion")


def themes_in(notes: Iterable[tuple[str, str]]) -> list[dict]:
    """The themes of :data:`THEMES` that ``notes`` touch, most people first.

    Parameters
    ----------
    notes : iterable of (person id, text)
        Notes about people and notes of conversations with them, most telling first
        (the first matching line of a theme is its quote).

    Returns
    -------
    list of dict
        ``theme``, ``people`` (ids, in order of first mention) and ``quote`` (id, text)
        per theme touched; sorted by how many people, then :data:`THEMES` order.
    """
    found: dict[str, dict] = {}
    for pid, text in notes:
        if not isinstance(text, str) or not text.strip():
            continue
        for theme, pattern in _PATTERNS:
            if pattern.search(text):
                entry = found.setdefault(theme, {"theme": theme, "people": [], "quote": (pid, text.strip())})
                if pid not in entry["people"]:
                    entry["people"].append(pid)
    order = {theme: i for i, (theme, _) in enumerate(THEMES)}
    return sorted(found.values(), key=lambda e: (-len(e["people"]), order[e["theme"]]))


def pilot_results(people: pd.DataFrame, history: pd.DataFrame | None, engagements: pd.DataFrame | None,
                  department: str, *, as_of: Any, weeks: int = 12, source: str = "chosen") -> dict | None:
    """How the pilot department has moved: its share of supporters or better week by week, and who moved.

    Parameters
    ----------
    people, history, engagements : DataFrame
        The map's people, stance history and touchpoints (as for
        :func:`~stakeholder_map.tracking.history.stance_mix` and ``movers``).
    department : str
        The pilot department.
    as_of : date or ISO text
        The last day of the series.
    weeks : int
        How many weeks back the series starts.
    source : str
        How the pilot department was named: ``"chosen"`` (by the user) or ``"suggested"`` (the top of the
        pilot ranking); carried into the result so the brief can say which.

    Returns
    -------
    dict or None
        None when nobody belongs to ``department``; else ``department, source, size, dates,
        support`` (share supporter or better per date), ``support_now``, ``change`` (points since the
        first date), ``champions`` (champions now), ``unknown`` (stance unknown now), ``moved_up``,
        ``moved_down`` (people whose stance rose or fell over the weeks), ``talked`` (conversations
        logged with its people in the weeks).

    Examples
    --------
    >>> people = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "department": ["Ops", "Ops"],
    ...                        "stance": [2, 1]})
    >>> history = pd.DataFrame({"stakeholder_id": ["b", "b"], "stance": [0, 1], "source": ["x", "x"],
    ...                         "recorded_on": [date(2026, 9, 1), date(2026, 11, 1)]})
    >>> r = pilot_results(people, history, None, "Ops", as_of="2026-11-23", weeks=4)
    >>> r["support"][0], r["support_now"], round(r["change"]), r["moved_up"]
    (0.5, 1.0, 50, 1)
    """
    as_of = as_date(as_of)
    if department not in set(people[s.DEPARTMENT].astype(object)):
        return None
    weeks = max(int(weeks), 1)
    dates = weekly_dates(as_of, weeks)
    mix = stance_mix(people, history, dates, include_all=False)
    mix = mix[mix[s.DEPARTMENT] == department]
    support = [float(mix.loc[(mix["date"] == d) & mix[s.STANCE].isin(_SUPPORT), "share"].sum()) for d in dates]
    now = mix[mix["date"] == as_of].set_index(s.STANCE)["count"]
    start = as_of - timedelta(weeks=weeks)
    moved = movers(people, history, engagements, start=start, end=as_of)
    moved = moved[moved[s.DEPARTMENT] == department]
    change = [c for c in moved["change"] if c is not None]
    members = set(people.loc[people[s.DEPARTMENT] == department, s.ID].astype(str))
    talks = conversations(engagements)
    if len(talks):
        talks = talks[[str(p) in members and start < d <= as_of for p, d in zip(talks["stakeholder_id"],
                                                                             talks["date"])]]
    return {
        "department": department, "source": source, "size": int(now.sum()), "dates": dates,
        "support": support, "support_now": support[-1], "change": (support[-1] - support[0]) * 100,
        "champions": int(now.get("champion", 0)), "unknown": int(now.get("unknown", 0)),
        "moved_up": sum(1 for c in change if c > 0), "moved_down": sum(1 for c in change if c < 0),
        "talked": int(len(talks)),
    }


def _names(info: dict, ids: Iterable[str]) -> str:
    names = [str(info.get(pid, {}).get(s.NAME) or pid) for pid in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _roles(info: dict, members: list[str], top: int = 4) -> list[tuple[str, int]]:
    """The department's most common roles (unknown roles left out), most people first, then by name."""
    counts = Counter(str(info[pid].get(s.ROLE)).strip() for pid in members
                     if isinstance(info[pid].get(s.ROLE), str) and info[pid].get(s.ROLE).strip())
    return sorted(counts.items(), key=lambda rc: (-rc[1], rc[0]))[:top]


_THEME_QUESTIONS = {
    "cost and budget": "What would a cost case have to show {d}, and who in {d} should judge it?",
    "risk, compliance and data protection": "Which risks would {d} want settled first, and who in {d} should "
                                            "sign them off?",
    "delivery dates and overruns": "Which dates and overruns would {d} want it to track, and who in {d} owns "
                                   "them?",
    "visibility and reporting": "Which views or reports would be worth it to {d}, and for whom?",
    "overlap with the tools they use": "Which of the tools {d} uses today should it work with or replace, and "
                                       "who in {d} decides?",
    "training and time to learn": "How much time could {d} give to learning it, and when in their year?",
    "workload and time": "What would make it save {d} time rather than add work?",
}


def _questions(department: str, *, info: dict, members: list[str], carriers: list[str], milestones: list[dict],
               themes: list[dict], pilot: dict | None, opposed: float) -> list[dict]:
    """Open questions that hand a decision to the department: ``decision`` and ``question`` each."""
    d = department
    out = []
    dated = [m for m in milestones if m.get("due") is not None and not pd.isna(m.get("due"))]
    due = sorted(dated, key=lambda m: (m.get(s.DEPARTMENT) != department, as_date(m["due"])))
    if due:
        out.append({"decision": "timeline",
                    "question": f"Which team in {d} could start first, and when would suit them? "
                                f"(The plan hopes for {due[0]['label']}: what date would {d} set?)"})
    else:
        out.append({"decision": "timeline",
                    "question": f"When in {d}'s year would a first project fit, and which team should go first?"})
    trainer = f"{_names(info, carriers[:2])}, " if carriers else ""
    out.append({"decision": "training",
                "question": f"How would {d} like to learn it, and from whom: {trainer}someone from "
                            + (f"the {pilot['department']} pilot" if pilot and pilot["department"] != d
                               else "another department")
                            + f", or someone {d} picks?"})
    roles = [r for r, _ in _roles(info, members, top=2)]
    out.append({"decision": "configuration",
                "question": f"What should it show, or leave out, for the work of {d}"
                            + (f" ({' and '.join(roles)} roles)" if roles else "")
                            + f"? Which settings should {d} decide for themselves?"})
    for theme in themes[:2]:
        out.append({"decision": theme["theme"], "question": _THEME_QUESTIONS[theme["theme"]].format(d=d)})
    if pilot and pilot["department"] != d:
        out.append({"decision": "evidence",
                    "question": f"What would {d} want to see from the results of the {pilot['department']} pilot "
                                f"before deciding anything, and who in {d} should see them first-hand?"})
    if opposed >= 0.4:
        out.append({"decision": "conditions",
                    "question": f"What would have to be true for {d} to try it on one project, on their terms?"})
    return out


def pitch_kit(facts: dict, *, members: list[str], notes: list[tuple[str, str]], notes_hidden: bool = False,
              pilot: dict | None = None) -> dict:
    """The pitch kit of one department, from its brief's facts.

    Parameters
    ----------
    facts : dict
        What :func:`~stakeholder_map.tracking.brief.department_brief_facts` gathered (``department``,
        ``people``, ``now``, ``size``, ``milestones``, ``champions``, ``insiders``, ``conversations``,
        ``brokers``).
    members : list of str
        The department's people, the most influential first.
    notes : list of (id, text)
        Notes about its people, then notes of conversations with them (newest first).
    notes_hidden : bool
        The reader may not see notes (a viewer): the kit says so instead of "no notes".
    pilot : dict, optional
        :func:`pilot_results` of the pilot department.

    Returns
    -------
    dict
        ``roles`` ((role, people) pairs), ``themes`` (:func:`themes_in`), ``noted`` (people with a note),
        ``notes_hidden``, ``pilot``, ``is_pilot`` (this department is the pilot), ``asks`` (milestone records
        that apply), ``champions`` (proposed champions inside: ids), ``champions_from`` (``"picks"`` or
        ``"supporters"`` or ``None``), ``messengers`` (``id, name, department, stance, reaches`` (names)),
        ``outside`` (supportive people outside who influence it: ids), ``questions`` (``decision,
        question``).
    """
    department, info = facts["department"], facts["people"]
    known = facts["size"] - facts["now"].get("unknown", 0)
    opposed = (facts["now"].get("resistant", 0) + facts["now"].get("skeptic", 0)) / known if known else 0.0
    themes = [] if notes_hidden else themes_in(notes)
    noted = [] if notes_hidden else list(dict.fromkeys(pid for pid, text in notes
                                                       if isinstance(text, str) and text.strip()))

    picks = [pid for pid in members if pid in facts["champions"]]
    supporters = [pid for pid in members if (info[pid].get(s.STANCE) is not None
                                             and not pd.isna(info[pid].get(s.STANCE))
                                             and info[pid].get(s.STANCE) >= 1)]
    champions, source = (picks[:3], "picks") if picks else ((supporters[:3], "supporters") if supporters
                                                            else ([], None))
    messengers: dict[str, dict] = {}
    for r in facts["conversations"]:
        mid = r.get("messenger_id")
        if not isinstance(mid, str) or not mid:
            continue
        entry = messengers.setdefault(mid, {"id": mid, "name": r.get("messenger"),
                                            "department": r.get("messenger_department"),
                                            "stance": r.get("messenger_stance"), "reaches": []})
        entry["reaches"].append(r[s.NAME])
    outside = [b["id"] for b in facts["brokers"]
               if info.get(b["id"], {}).get(s.STANCE) is not None
               and not pd.isna(info[b["id"]].get(s.STANCE)) and info[b["id"]][s.STANCE] >= 1][:3]
    carriers = list(dict.fromkeys(champions + [pid for pid in facts["insiders"] if pid in set(members)]))
    return {
        "roles": _roles(info, members),
        "themes": themes,
        "noted": noted,
        "notes_hidden": bool(notes_hidden),
        "pilot": pilot,
        "is_pilot": bool(pilot) and pilot["department"] == department,
        "asks": list(facts["milestones"]),
        "champions": champions,
        "champions_from": source,
        "messengers": list(messengers.values())[:4],
        "outside": outside,
        "questions": _questions(department, info=info, members=members, carriers=carriers,
                                milestones=facts["milestones"], themes=themes, pilot=pilot, opposed=opposed),
    }
