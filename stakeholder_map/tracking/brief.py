"""The department brief's content: what we know about one department, as plain data.

:func:`department_brief_facts` gathers, for one department: the stance mix now
and over the last weeks, the milestones that apply and their status, the
suggested approach and pitch angle, the key influencers and the blockers with
what we know of them (their notes) and when we last talked, the insiders and
outsiders who can carry the message, the next conversations with their best
messenger, who moved lately, and the latest conversation notes. The printable
page is drawn from these facts by :func:`stakeholder_map.presentation.brief.department_brief`.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph([("a", "b")])
>>> nx.set_node_attributes(G, {"a": "Ann", "b": "Bo"}, "name")
>>> nx.set_node_attributes(G, "IT", "department")
>>> department_brief_facts(G, "IT", as_of="2026-11-23")["pitch"].split(":")[0]
'Lead with questions, not the tool'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import networkx as nx
import pandas as pd

from .. import schema as s
from . import TrackingFrames
from .history import NON_CONTACT_ACTIVITIES, as_date, last_conversations, movers, people_frame, stance_mix
from .milestones import milestone_progress
from .pitch_kit import pilot_results, pitch_kit

__all__ = ["department_brief_facts"]


def _pitch(mix: dict[str, int], size: int) -> str:
    """A one-line pitch angle from the stance mix (same thresholds as the department approach)."""
    unknown = mix.get("unknown", 0)
    known = size - unknown
    opposed = (mix.get("resistant", 0) + mix.get("skeptic", 0)) / known if known else 0.0
    support = (mix.get("supporter", 0) + mix.get("champion", 0)) / known if known else 0.0
    if size and unknown / size > 0.5:
        return ("Lead with questions, not the tool: ask what slows their projects today and who they go to "
                "for advice, then come back with an answer to that.")
    if opposed >= 0.4:
        return ("Lead with their concerns: show you have heard them (their own words are below), bring "
                "results from a department they respect, and offer them a say in how it is rolled out.")
    if support >= 0.5:
        return ("Lead with what they can show others: give the supporters a demo to run themselves and "
                "make it their idea, carried to the departments they influence.")
    return ("Lead with results from peers and a low-risk first step (one team, one project), "
            "carried by the people they already listen to.")


def department_brief_facts(
    G: nx.DiGraph,
    department: str,
    *,
    history: pd.DataFrame | None = None,
    engagements: pd.DataFrame | None = None,
    milestones: pd.DataFrame | None = None,
    metrics: pd.DataFrame | None = None,
    conversations: pd.DataFrame | None = None,
    champion_ids: Iterable[str] = (),
    as_of: Any = None,
    weeks: int = 12,
    seed: int = 0,
    pilot_department: str | None = None,
    pilot_source: str = "chosen",
    notes_hidden: bool = False,
) -> dict:
    """What the department brief says about one department, as plain data.

    Parameters
    ----------
    G : networkx.DiGraph
        The map's graph with current stances.
    department : str
        The department to brief on.
    history, engagements, milestones : DataFrame, optional
        The map's stance history, engagements and milestones (the store's
        frames); without them only the current picture is known.
    metrics : DataFrame, optional
        :func:`~stakeholder_map.analysis.centrality.stakeholder_metrics` of
        ``G``; computed when None.
    conversations : DataFrame, optional
        :func:`~stakeholder_map.tracking.next_conversations.next_conversations`
        for this department; computed (seeded) when None.
    champion_ids : iterable of str
        The chosen champions.
    as_of : date or ISO text, optional
        The day of the brief; default today.
    weeks : int
        How far back the trend and "what moved" look.
    seed : int
        Seed of the metrics and next-conversation estimates.
    pilot_department : str, optional
        The pilot department whose results the pitch kit brings
        (:func:`~stakeholder_map.tracking.pitch_kit.pilot_results`); None: no pilot results.
    pilot_source : str
        ``"chosen"`` or ``"suggested"``: how the pilot department was named (the kit says which).
    notes_hidden : bool
        The reader may not see notes (a viewer's redacted frames): the kit says notes are hidden
        rather than "no notes".

    Returns
    -------
    dict
        ``department``, ``as_of`` (date), ``weeks``, ``size`` (head count),
        ``dates`` (the trend's dates, latest last), ``mix`` (stance counts
        per date: ``date, department, stance, count, assumed``), ``now``
        (stance label -> count today), ``support_now`` (share supporter or
        better), ``change`` (points since the first date), ``assumed``
        (stances on the first date carried back from a later record),
        ``milestones`` (records of
        :func:`~stakeholder_map.tracking.milestones.milestone_progress` that
        apply, with ``department_share`` or ``department_engaged`` for
        organisation-wide ones), ``approach`` and ``pitch`` (text),
        ``people`` (id -> person record), ``champions`` (set of ids),
        ``last_talk`` (id -> (date, activity) of the latest conversation:
        :func:`~stakeholder_map.tracking.history.last_conversations`),
        ``key_people`` (``id, influencer, blocker``), ``insiders`` (ids),
        ``brokers`` (people outside who influence it: ``id, department,
        weight``), ``conversations`` (next-conversation records),
        ``moved`` (movers' records) and ``said`` (latest notes: ``date, id,
        activity, stance, note``, newest first), ``kit`` (the pitch kit:
        :func:`~stakeholder_map.tracking.pitch_kit.pitch_kit`).

    Raises
    ------
    ValueError
        Nobody in the map belongs to ``department`` (or to ``pilot_department``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b")])
    >>> nx.set_node_attributes(G, {"a": "Ann", "b": "Bo"}, "name")
    >>> nx.set_node_attributes(G, "R&D", "department")
    >>> nx.set_node_attributes(G, {"a": 2, "b": -1}, "stance")
    >>> facts = department_brief_facts(G, "R&D", as_of="2026-11-23")
    >>> facts["size"], facts["now"]["champion"], facts["support_now"], facts["insiders"]
    (2, 1, 0.5, ['a'])
    """
    from ..analysis.centrality import stakeholder_metrics
    from ..analysis.departments import department_profiles
    from .next_conversations import next_conversations

    people = people_frame(G)
    if department not in set(people[s.DEPARTMENT]):
        raise ValueError(f"no one in the map belongs to department {department!r}")
    if pilot_department is not None and pilot_department not in set(people[s.DEPARTMENT]):
        raise ValueError(f"no one in the map belongs to the pilot department {pilot_department!r}")
    as_of = as_date(as_of) if as_of is not None else date.today()
    weeks = max(int(weeks), 1)
    champions = {str(c) for c in champion_ids}
    if metrics is None:
        metrics = stakeholder_metrics(G, seed=seed)
    profile = next(p for p in department_profiles(G, metrics) if p["department"] == department)
    scores = metrics.set_index(s.ID)
    members = people[people[s.DEPARTMENT] == department].copy()
    members["pagerank"] = scores["pagerank"].reindex(members[s.ID]).to_numpy()
    members = members.sort_values(["pagerank", s.NAME], ascending=[False, True])
    info = {r[s.ID]: r for r in people.to_dict("records")}

    contacts = pd.DataFrame(columns=[s.DATE, s.STAKEHOLDER_ID, s.ACTIVITY, s.STANCE_AFTER, s.NOTES])
    if engagements is not None and len(engagements):
        contacts = engagements.reset_index(drop=True)
        contacts = contacts[contacts[s.STAKEHOLDER_ID].astype(str).isin(set(members[s.ID]))]
        contacts = contacts.assign(_day=[as_date(d) for d in contacts[s.DATE]])
        # A boolean Series, not a list: an empty list would select no columns (a department nobody talked to).
        on_or_before = pd.Series([d <= as_of for d in contacts["_day"]], index=contacts.index, dtype=bool)
        contacts = contacts[on_or_before].sort_values("_day", kind="stable")
    member_ids = set(members[s.ID])
    last_talk = {pid: talk for pid, talk in last_conversations(engagements, as_of=as_of).items()
                 if pid in member_ids}

    # ---- stance mix now and over time
    dates = sorted({as_of - timedelta(weeks=w) for w in (weeks, 2 * weeks // 3, weeks // 3, 0)})
    mix = stance_mix(people, history, dates, include_all=False)
    mix = mix[mix[s.DEPARTMENT] == department]
    now = mix[mix["date"] == as_of].set_index(s.STANCE)["count"].to_dict()
    size = int(sum(now.values()))
    support_now = (now.get("supporter", 0) + now.get("champion", 0)) / size if size else 0.0
    first = mix[mix["date"] == dates[0]]
    support_then = first.loc[first[s.STANCE].isin(["supporter", "champion"]), "count"].sum() / size if size else 0.0
    change = (support_now - support_then) * 100
    assumed = int(mix.loc[mix["date"] == dates[0], "assumed"].sum())

    # ---- milestones
    progress = milestone_progress(TrackingFrames(people, history, engagements, milestones), as_of=as_of,
                                  weeks=weeks, champion_ids=champions).table
    relevant = progress[progress[s.DEPARTMENT].isna() | (progress[s.DEPARTMENT] == department)]
    milestone_rows = []
    for r in relevant.to_dict("records"):
        share = engaged = None
        if r[s.DEPARTMENT] is None or (isinstance(r[s.DEPARTMENT], float)):
            if r["kind"] == "share":
                share = sum(1 for v in members[s.STANCE] if v is not None and v >= r["min_stance"]) / max(size, 1)
            else:
                engaged = any(pid in last_talk and ((v is not None and v >= r["min_stance"]) or pid in champions)
                              for pid, v in zip(members[s.ID], members[s.STANCE]))
        milestone_rows.append({**r, "department_share": share, "department_engaged": engaged})

    # ---- people
    influencer_ids = [p["id"] for p in profile["top_influencers"]]
    blocker_ids = [p["id"] for p in profile["blockers"]][:4]
    rank = dict(zip(members[s.ID], range(len(members))))
    key_ids = sorted(dict.fromkeys(influencer_ids + blocker_ids), key=lambda pid: rank.get(pid, 0))
    key_people = [{"id": pid, "influencer": pid in influencer_ids, "blocker": pid in blocker_ids}
                  for pid in key_ids]
    insiders = [pid for pid, v in zip(members[s.ID], members[s.STANCE])
                if (v is not None and v >= 1) or pid in champions]

    # ---- next conversations
    if conversations is None:
        conversations = next_conversations(G, k=4, department=department, engagements=engagements,
                                           metrics=metrics, seed=seed, blockers=2)
    conv = conversations[conversations[s.DEPARTMENT] == department] if len(conversations) else conversations

    # ---- what moved, what they said
    moved_rows: list[dict] = []
    if history is not None and len(history):
        moved = movers(people, history, engagements, start=as_of - timedelta(weeks=weeks), end=as_of)
        moved_rows = moved[moved[s.DEPARTMENT] == department].head(5).to_dict("records")
    said = contacts[contacts[s.NOTES].notna()].tail(4).iloc[::-1] if len(contacts) else contacts
    said_rows = [{"date": day, "id": str(pid), "activity": act,
                  "stance": s.stance_label(st) if pd.notna(st) else "", "note": note}
                 for day, pid, act, st, note in zip(said.get("_day", []), said.get(s.STAKEHOLDER_ID, []),
                                                   said.get(s.ACTIVITY, []), said.get(s.STANCE_AFTER, []),
                                                   said.get(s.NOTES, []))]
    facts = {
        "department": department,
        "as_of": as_of,
        "weeks": weeks,
        "seed": seed,
        "size": size,
        "dates": dates,
        "mix": mix,
        "now": now,
        "support_now": support_now,
        "change": change,
        "assumed": assumed,
        "milestones": milestone_rows,
        "approach": profile["approach"],
        "pitch": _pitch(now, size),
        "people": info,
        "champions": champions,
        "last_talk": last_talk,
        "key_people": key_people,
        "insiders": insiders,
        "brokers": list(profile["brokers_in"]),
        "conversations": conv.to_dict("records"),
        "moved": moved_rows,
        "said": said_rows,
    }
    # ---- the pitch kit: what they care about in their own words (notes about them, then their talks, newest
    # first), the pilot's results, who carries it and what to ask
    notes = [(pid, note) for pid, note in zip(members[s.ID], members.get(s.NOTES, [None] * len(members)))]
    if len(contacts):
        talk_notes = contacts[contacts[s.NOTES].notna() & ~contacts[s.ACTIVITY].astype(str).str.strip().str.lower()
                              .isin(NON_CONTACT_ACTIVITIES)].iloc[::-1]
        notes += [(str(pid), note) for pid, note in zip(talk_notes[s.STAKEHOLDER_ID], talk_notes[s.NOTES])]
    pilot = (pilot_results(people, history, engagements, pilot_department, as_of=as_of, weeks=weeks,
                           source=pilot_source) if pilot_department is not None else None)
    facts["kit"] = pitch_kit(facts, members=list(members[s.ID]), notes=notes, notes_hidden=notes_hidden,
                             pilot=pilot)
    return facts
