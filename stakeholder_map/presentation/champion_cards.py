"""The Champions page in plain words: one card per champion, and an honest verdict on the group.

A :class:`~stakeholder_map.analysis.champions.ChampionResult` holds numbers and
ids. A change manager needs sentences: who this person is, whom they reach,
through whom, and why they were picked rather than the person anyone would
have picked (the most senior, or the best connected). And when the suggested
group is no better than the obvious one, the page must say so rather than
dress it up. Both are built here from the result and the map, as plain text
(the page escapes it for Markdown); nothing here imports Streamlit.

Examples
--------
>>> import networkx as nx
>>> from stakeholder_map.analysis.champions import select_champions
>>> G = nx.DiGraph([("a", "b"), ("b", "c")])
>>> nx.set_node_attributes(G, {"a": "Ann", "b": "Bo", "c": "Cy"}, "name")
>>> result = select_champions(G, 1, model="ic", p=1.0, seed=0)
>>> card = champion_cards(result, G)[0]
>>> card["name"], card["departments"]
('Ann', 'Unassigned 3.0')
>>> card["chains"]
['Ann → Bo → Cy (100% chance)']
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from .. import schema as s

__all__ = ["champion_cards", "lift_verdict", "BASIS"]

#: How each naive choice picks people, as the cards say it.
BASIS: dict[str, str] = {
    "top_influence": "formal influence and seniority",
    "top_degree": "number of ties",
}
#: The same, as a noun phrase for the group ("the 5 …").
_GROUP: dict[str, str] = {
    "top_influence": "most senior / formally influential people",
    "top_degree": "people with the most ties",
}
#: The same for a group of one.
_ONE: dict[str, str] = {
    "top_influence": "most senior / formally influential person",
    "top_degree": "best connected person",
}
#: Lifts this close to 1 (they are estimates) count as "no better".
_SAME = 0.005
_DEPARTMENTS_NAMED = 3


def _group(k: int, key: str) -> str:
    """``the 5 people with the most ties`` (or ``the best connected person``)."""
    return f"the {k} {_GROUP[key]}" if k > 1 else f"the {_ONE[key]}"


def _fmt(x: float) -> str:
    """``~6.7`` below ten, ``~18`` above: the precision the estimates deserve."""
    return f"~{x:.1f}" if x < 9.95 else f"~{x:.0f}"


def _node(G: nx.Graph, person: str) -> dict:
    return G.nodes[person] if person in G else {}


def _name(G: nx.Graph, person: str) -> str:
    return s.cell_text(_node(G, person).get(s.NAME)) or str(person)


def _who(G: nx.Graph, person: str) -> str:
    """``Name (role, department)``, leaving out what the map does not say."""
    node = _node(G, person)
    about = [t for t in (s.cell_text(node.get(s.ROLE)), s.cell_text(node.get(s.DEPARTMENT))) if t]
    return _name(G, person) + (f" ({', '.join(about)})" if about else "")


def _people(count: float) -> str:
    return "person" if round(count) == 1 else "people"


def _departments_text(champion: dict) -> str:
    """``Operations 7.9 · Engineering 4.9 · IT 4.6``: expected adopters they reach, largest first."""
    parts = [(d, v) for d, v in (champion.get("reach_by_department") or {}).items() if v >= 0.05]
    text = " · ".join(f"{d} {v:.1f}" for d, v in parts[:_DEPARTMENTS_NAMED])
    more = len(parts) - _DEPARTMENTS_NAMED
    return text + (f" · {more} more department{'s' if more > 1 else ''}" if more > 0 else "")


def _chance(p: float) -> str:
    return f"{p:.0%} chance" if p >= 0.005 else "under 1% chance"


def _chains(G: nx.Graph, champion: dict) -> list[str]:
    chances = list(champion.get("path_chances") or [])
    paths = [list(p) for p in champion.get("paths") or []]
    out = []
    for i, path in enumerate(paths):
        # A chain that another one shown continues (A → B inside A → B → C) says nothing new.
        if len(path) < 2 or any(len(o) > len(path) and o[:len(path)] == path for o in paths):
            continue
        steps = [_name(G, path[0])] + [_name(G, v) for v in path[1:-1]] + [_who(G, path[-1])]
        text = " → ".join(steps)
        if i < len(chances):
            text += f" ({_chance(chances[i])})"
        out.append(text)
    return out


def _passed_over(result: Any, rank: int) -> tuple[str, str, float | None] | None:
    """The obvious pick at this rank that the suggested group left out: (basis, id, their reach)."""
    ours = set(result.ids)
    for key in BASIS:
        base = result.baselines.get(key) or {}
        ids, reach = list(base.get("ids") or []), list(base.get("reach") or [])
        if rank < len(ids) and ids[rank] not in ours:
            return key, ids[rank], (float(reach[rank]) if rank < len(reach) else None)
    return None


def _why(result: Any, G: nx.Graph, rank: int, champion: dict) -> str:
    name = champion["name"] or champion["id"]
    if champion.get("pinned"):
        return f"Pinned by you: {name} is a champion whatever the analysis says."
    among = [("one of " if result.k > 1 else "") + _group(result.k, key) for key in BASIS
             if champion["id"] in ((result.baselines.get(key) or {}).get("ids") or [])]
    also = f" Also {' and '.join(among)}: an obvious pick, and a good one." if among else ""
    over = _passed_over(result, rank)
    if over is None:
        return also.strip() or f"Adds {_fmt(float(champion['gain']))} people the others don't reach."
    key, other, their_reach = over
    text = f"Picked over {_who(G, other)}, whom a pick by {BASIS[key]} would put here."
    if their_reach is not None:
        mine = float(champion["reach"])
        text += (f" On their own, {_name(G, other)} reaches {_fmt(their_reach)} {_people(their_reach)} and "
                 f"{name} {_fmt(mine)}.")
        if their_reach >= 0.95 * mine and rank > 0:
            text += (f" {name} adds {_fmt(float(champion['gain']))} people the champions above don't "
                     "already reach.")
    return text + also


def champion_cards(result: Any, G: nx.Graph) -> list[dict]:
    """What each champion's card says, in greedy order.

    Parameters
    ----------
    result : ChampionResult
        From :func:`~stakeholder_map.analysis.champions.select_champions`.
    G : networkx.DiGraph
        The map (roles, and names along the chains).

    Returns
    -------
    list of dict
        ``rank`` (1-based), ``id``, ``name``, ``role``, ``department``,
        ``stance``; ``reason`` (the analysis's full sentence: whom they
        reach, what they add, their strongest chain), ``departments``
        (expected adopters they reach on their own in the largest
        departments, e.g. ``IT 4.2 · HR 1.0``), ``chains`` (their strongest chains of
        influence to the most senior or central people they can reach, as
        ``A → B → C (role, department) (12% chance)``), ``why`` (why them
        rather than the person the obvious pick by seniority or by ties would
        have put in their place). All plain text: escape before showing as Markdown.
    """
    cards = []
    for rank, champion in enumerate(result.champions):
        node = _node(G, champion["id"])
        cards.append({
            "rank": rank + 1,
            "id": champion["id"],
            "name": champion["name"] or champion["id"],
            "role": s.cell_text(node.get(s.ROLE)),
            "department": champion["department"],
            "stance": champion["stance"],
            "departments": _departments_text(champion),
            "chains": _chains(G, champion),
            "why": _why(result, G, rank, champion),
            "reason": champion.get("reason", ""),
        })
    return cards


def lift_verdict(result: Any, G: nx.Graph) -> tuple[str, str]:
    """How the suggested group compares with the obvious ones, said honestly.

    Returns
    -------
    (str, str)
        A kind (``"success"`` when the group beats both obvious choices,
        ``"info"`` when an obvious choice is as good, ``"warning"`` when one
        is better, as settings such as department minimums can make it) and
        one paragraph of plain text. ``("", "")`` when there is nothing to
        compare.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> G = nx.DiGraph(); G.add_nodes_from(["a", "b"])
    >>> r = SimpleNamespace(k=1, expected_spread=4.0, ids=["a"], champions=[{"id": "a"}],
    ...     baselines={"top_influence": {"ids": ["b"], "spread": 2.0}, "top_degree": {"ids": ["a"], "spread": 4.0}},
    ...     lift={"top_influence": 2.0, "top_degree": 1.0})
    >>> kind, text = lift_verdict(r, G)
    >>> kind, text.split(":")[0]
    ('info', 'On this map, picking the best connected person is already as good as it gets')
    """
    if not result.champions:
        return "", ""
    ours = float(result.expected_spread)
    same, better, worse = [], [], []
    for key in BASIS:
        lift = result.lift.get(key)
        if lift is None:
            continue
        (same if abs(lift - 1.0) <= _SAME else better if lift > 1.0 else worse).append(key)
    if worse:
        key = worse[0]
        theirs = float(result.baselines[key]["spread"])
        return "warning", (
            f"With these settings, picking {_group(result.k, key)} is expected to reach more people "
            f"({_fmt(theirs)}) than the suggested champions ({_fmt(ours)}). The constraints in the sidebar "
            f"(department minimums, pinned or excluded people, allowed stances) cost about "
            f"{_fmt(theirs - ours)} adopters: loosen them if reach matters most.")
    if same:
        key = same[-1]   # the most connected first: that is the comparison people make
        base_ids = list(result.baselines[key]["ids"])
        overlap = len(set(base_ids) & set(result.ids))
        who = ("they are the same people, in another order" if overlap == len(result.ids) == len(base_ids)
               else f"{overlap} of the {len(base_ids)} are the same people")
        return "info", (
            f"On this map, picking {_group(result.k, key)} is already as good as it gets: the suggested "
            f"champions reach {_fmt(ours)} people, no more than that pick (×1.00), and {who}. "
            f"So pick them: the analysis confirms the obvious choice rather than improving on it. Use the "
            "cards below for whom to talk to first (in order of what each adds) and through whom their "
            "influence travels.")
    parts = [f"×{result.lift[key]:.2f} what picking {_group(result.k, key)} reaches "
             f"({_fmt(float(result.baselines[key]['spread']))})" for key in better]
    return "success", (f"The suggested champions are expected to reach {_fmt(ours)} people: "
                       + " and ".join(parts) + ".")
