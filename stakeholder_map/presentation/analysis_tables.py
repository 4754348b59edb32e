"""Display frames for the analysis pages: results shaped into tables people read.

The Champions, Audience and Simulate pages of the dashboard show what
:mod:`~stakeholder_map.analysis.champions`, :mod:`~stakeholder_map.analysis.pilot`,
:mod:`~stakeholder_map.analysis.departments` and
:mod:`~stakeholder_map.analysis.simulation` return. The reshaping (rounding,
names instead of ids, long frames for charts) lives here, as pure functions of plain values, so the pages only read
widgets, call these and render. Nothing here imports Streamlit; charts are
built from these frames by :mod:`stakeholder_map.presentation.charts`.

Examples
--------
>>> import networkx as nx
>>> from stakeholder_map.analysis.champions import select_champions
>>> G = nx.DiGraph([("a", "b"), ("a", "c")])
>>> nx.set_node_attributes(G, {"a": "Ann", "b": "Bo", "c": "Cy"}, "name")
>>> result = select_champions(G, 1, model="ic", p=1.0, seed=0)
>>> champion_table(result)[["rank", "name", "gain"]].to_dict("records")
[{'rank': 1, 'name': 'Ann', 'gain': 3.0}]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .. import schema as s
from ..analysis.roles import QUADRANT_STRATEGY, QUADRANTS, UNSCORED, UNSCORED_ADVICE, quadrant
from .numbers import count

__all__ = [
    "STANCE_CHOICES",
    "DEFAULT_ALLOWED_STANCES",
    "BASELINE_LABELS",
    "OUR_CHOICE",
    "MODEL_LABELS",
    "OBJECTIVE_LABELS",
    "WHOLE_ORGANISATION",
    "disallowed_stances",
    "champion_table",
    "lift_frame",
    "pilot_table",
    "pilot_departments_table",
    "department_sizes",
    "department_card",
    "power_interest_points",
    "quadrant_summary",
    "unscored_note",
    "matrix_long",
    "curves_frame",
    "compare_curves_frame",
    "WITH_WHAT_IF",
    "WITHOUT_WHAT_IF",
    "STEP_MEANING",
    "what_if_text",
    "starting_people",
    "curve_choices",
    "departments_of",
    "departments_at_step",
]

#: Every stance label (and "unknown") in the order pickers offer them.
STANCE_CHOICES: tuple[str, ...] = ("champion", "supporter", "neutral", "unknown", "skeptic", "resistant")
#: Who may be a champion unless the user says otherwise: every stance but
#: :data:`~stakeholder_map.schema.DEFAULT_DISALLOWED_STANCES`.
DEFAULT_ALLOWED_STANCES: tuple[str, ...] = tuple(label for label in STANCE_CHOICES
                                                  if label not in s.DEFAULT_DISALLOWED_STANCES)
#: The naive choices a champion group is compared with.
BASELINE_LABELS: dict[str, str] = {
    "top_influence": "Most formal influence / seniority",
    "top_degree": "Most ties (best connected)",
}
#: Label of the suggested group in the comparison.
OUR_CHOICE = "Suggested champions"
#: Diffusion models as the pickers name them.
MODEL_LABELS: dict[str, str] = {
    "stance": "Stance-aware cascade (default)",
    "wc": "Weighted cascade (no stances)",
    "ic": "Independent cascade, constant p",
    "lt": "Linear threshold",
}
#: What a spread counts, as the pickers name it.
OBJECTIVE_LABELS: dict[str, str] = {
    "everyone": "Everyone who adopts",
    "unconvinced": "Only the not-yet-convinced",
}
#: The "department" picker's entry for the whole organisation.
WHOLE_ORGANISATION = "The whole organisation"

_ALL = "All"


_text = s.cell_text


def _name(G: nx.Graph, person: str) -> str:
    if person in G:
        return _text(G.nodes[person].get(s.NAME)) or str(person)
    return str(person)


def _department(G: nx.Graph, person: str) -> str:
    if person not in G:
        return ""
    return _text(G.nodes[person].get(s.DEPARTMENT)) or s.UNASSIGNED


def _names(G: nx.Graph, people: Iterable[str]) -> str:
    return ", ".join(_name(G, p) for p in people)


def disallowed_stances(allowed: Iterable[str]) -> list[str]:
    """The stances that may not be champions, given those that may.

    >>> disallowed_stances(DEFAULT_ALLOWED_STANCES)
    ['skeptic', 'resistant']
    """
    allowed = set(allowed)
    return [label for label in STANCE_CHOICES if label not in allowed]


# ------------------------------------------------------------------ champions


def champion_table(result: Any, *, top_departments: int = 3) -> pd.DataFrame:
    """One row per champion, ready to show or export.

    Parameters
    ----------
    result : ChampionResult
        From :func:`~stakeholder_map.analysis.champions.select_champions`.
    top_departments : int
        How many departments to name in ``departments reached``.

    Returns
    -------
    DataFrame
        ``rank, name, department, stance, gain`` (expected extra adopters
        this person adds to those above), ``cumulative`` (expected adopters
        of the group so far), ``reach`` (on their own), ``departments
        reached`` (e.g. ``"IT 4.2, HR 1.0"``), ``reason`` and ``id``;
        numbers rounded to one decimal.
    """
    champions = list(result.champions)
    reached = []
    for champion in champions:
        by_dept = champion.get("reach_by_department") or {}
        top = [(d, v) for d, v in by_dept.items() if v >= 0.05][:top_departments]
        reached.append(", ".join(f"{d} {v:.1f}" for d, v in top))
    gains = pd.Series([c["gain"] for c in champions], dtype=float)
    columns = ["rank", s.NAME, s.DEPARTMENT, s.STANCE, "gain", "cumulative", "reach",
               "departments reached", "reason", s.ID]
    return pd.DataFrame({
        "rank": range(1, len(champions) + 1),
        s.NAME: [c["name"] for c in champions],
        s.DEPARTMENT: [c["department"] for c in champions],
        s.STANCE: [c["stance"] for c in champions],
        "gain": gains.round(1),
        "cumulative": gains.cumsum().round(1),
        "reach": pd.Series([c["reach"] for c in champions], dtype=float).round(1),
        "departments reached": reached,
        "reason": [c["reason"] for c in champions],
        s.ID: [c["id"] for c in champions],
    }, columns=columns)


def lift_frame(result: Any) -> pd.DataFrame:
    """The suggested group against the naive choices, as a small frame for a bar chart.

    Returns
    -------
    DataFrame
        ``choice`` (label), ``spread`` (expected adopters, rounded to 0.1),
        ``lift`` (our spread / theirs; 1.0 for our own row, None when theirs
        is 0) and ``people`` (their ids, comma-separated); ours first.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(expected_spread=12.0, champions=[{"id": "a"}],
    ...     baselines={"top_influence": {"ids": ["b"], "spread": 8.0},
    ...                "top_degree": {"ids": ["a"], "spread": 12.0}},
    ...     lift={"top_influence": 1.5, "top_degree": 1.0})
    >>> lift_frame(r)[["choice", "spread", "lift"]].values.tolist()
    [['Suggested champions', 12.0, 1.0], ['Most formal influence / seniority', 8.0, 1.5], ['Most ties (best connected)', 12.0, 1.0]]
    """
    rows = [{"choice": OUR_CHOICE, "spread": round(float(result.expected_spread), 1), "lift": 1.0,
             "people": ", ".join(c["id"] for c in result.champions)}]
    for key, label in BASELINE_LABELS.items():
        base = result.baselines.get(key)
        if base is None:
            continue
        lift = result.lift.get(key)
        rows.append({"choice": label, "spread": round(float(base["spread"]), 1),
                     "lift": None if lift is None else round(float(lift), 2),
                     "people": ", ".join(base["ids"])})
    return pd.DataFrame(rows, columns=["choice", "spread", "lift", "people"])


def pilot_table(pilot: Any, G: nx.Graph) -> pd.DataFrame:
    """The pilot group in the order it was grown, with the running expected reach.

    Parameters
    ----------
    pilot : PilotResult
        From :func:`~stakeholder_map.analysis.pilot.smallest_pilot`.
    G : networkx.DiGraph
        The map (for departments).

    Returns
    -------
    DataFrame
        ``order, name, department, expected adopters`` (of the target
        population, with the first ``order`` people), ``share`` (of the
        target population, 0–1), ``id``.

    Examples
    --------
    >>> from stakeholder_map.analysis.pilot import smallest_pilot
    >>> G = nx.DiGraph([("a", "b"), ("a", "c"), ("d", "e")])
    >>> pilot_table(smallest_pilot(G, 0.8, model="ic", p=1.0, seed=0), G)["expected adopters"].tolist()
    [3.0, 5.0]
    """
    size = max(int(pilot.target_size), 1)
    curve = list(pilot.curve) + [float("nan")] * (len(pilot.ids) - len(pilot.curve))
    return pd.DataFrame({
        "order": range(1, len(pilot.ids) + 1),
        s.NAME: [n or str(i) for n, i in zip(pilot.names, pilot.ids)],
        s.DEPARTMENT: [_department(G, i) for i in pilot.ids],
        "expected adopters": [round(float(x), 1) for x in curve],
        "share": [round(float(x) / size, 3) for x in curve],
        s.ID: list(pilot.ids),
    }, columns=["order", s.NAME, s.DEPARTMENT, "expected adopters", "share", s.ID])


def pilot_departments_table(ranking: pd.DataFrame, G: nx.Graph) -> pd.DataFrame:
    """:func:`~stakeholder_map.analysis.pilot.rank_pilot_departments` with names instead of ids.

    Returns
    -------
    DataFrame
        ``department, size, champions`` (names, comma-separated),
        ``adopters inside``, ``adopters beyond``, ``adopters in all``
        (expected, rounded to 0.1), best place to start first.

    Examples
    --------
    >>> ranking = pd.DataFrame({"department": ["IT"], "size": [2], "champions": [["a"]],
    ...     "spread_inside": [1.94], "spread_beyond": [3.0], "spread_total": [4.94]})
    >>> G = nx.DiGraph(); G.add_node("a", name="Ann")
    >>> pilot_departments_table(ranking, G).to_dict("records")[0]["champions"]
    'Ann'
    >>> pilot_departments_table(ranking, G)["adopters in all"].tolist()
    [4.9]
    """
    columns = [s.DEPARTMENT, "size", "champions", "adopters inside", "adopters beyond", "adopters in all"]
    if ranking is None or not len(ranking):
        return pd.DataFrame(columns=columns)
    return pd.DataFrame({
        s.DEPARTMENT: ranking[s.DEPARTMENT].astype(str).tolist(),
        "size": ranking["size"].astype(int).tolist(),
        "champions": [_names(G, ids) for ids in ranking["champions"]],
        "adopters inside": ranking["spread_inside"].astype(float).round(1).tolist(),
        "adopters beyond": ranking["spread_beyond"].astype(float).round(1).tolist(),
        "adopters in all": ranking["spread_total"].astype(float).round(1).tolist(),
    }, columns=columns)


# ----------------------------------------------------------------- audience


def department_sizes(G: nx.Graph) -> dict[str, int]:
    """Department -> head count (missing department = ``Unassigned``), plus ``"All"``.

    >>> G = nx.Graph(); G.add_node("a", department="IT"); G.add_node("b")
    >>> department_sizes(G)
    {'IT': 1, 'Unassigned': 1, 'All': 2}
    """
    counts: dict[str, int] = {}
    for _, dept in G.nodes(data=s.DEPARTMENT):
        key = _text(dept) or s.UNASSIGNED
        counts[key] = counts.get(key, 0) + 1
    out = dict(sorted(counts.items()))
    out[_ALL] = G.number_of_nodes()
    return out


def department_card(profile: Mapping) -> dict:
    """What one department's card shows, from a profile of
    :func:`~stakeholder_map.analysis.departments.department_profiles`.

    Returns
    -------
    dict
        ``department`` (str), ``size`` (int), ``stance_mix`` (DataFrame
        ``stance, count``, all six stances in :data:`STANCE_CHOICES` order),
        ``stance_text`` (e.g. ``"supporter 2 · unknown 1"``), ``influencers``,
        ``brokers``, ``blockers`` (one line of plain text each, "" when
        there is nobody), the same people as ``(id, label)`` pairs in
        ``influencer_people``, ``broker_people`` and ``blocker_people`` (so
        a page can make each name a link), ``scores`` ("" when everyone has
        influence and interest scores, else e.g. "no influence / interest
        scores in the data for 3 of 8") and ``approach`` (text).

    Examples
    --------
    >>> card = department_card({"department": "IT", "size": 2, "stance_mix": {"supporter": 2},
    ...     "top_influencers": [{"id": "a", "name": "Ann", "pagerank": 0.3}],
    ...     "brokers_in": [{"id": "c", "name": "Cy", "department": "HR", "weight": 2.0}],
    ...     "blockers": [], "approach": "Recruit champions."})
    >>> card["influencers"], card["brokers"], card["blockers"]
    ('Ann', 'Cy (HR, tie weight 2)', '')
    >>> card["stance_mix"].query("count > 0").values.tolist()
    [['supporter', 2]]
    >>> card["stance_text"]
    'supporter 2'
    >>> card["broker_people"]
    [('c', 'Cy (HR, tie weight 2)')]
    """
    people = {
        "influencer_people": [(_text(p.get("id")), _text(p.get("name")) or _text(p.get("id")))
                              for p in profile.get("top_influencers") or ()],
        "broker_people": [(_text(p.get("id")), f"{_text(p.get('name')) or _text(p.get('id'))} "
                                               f"({_text(p.get('department'))}, tie weight {float(p.get('weight', 0)):g})")
                          for p in profile.get("brokers_in") or ()],
        "blocker_people": [(_text(p.get("id")), f"{_text(p.get('name')) or _text(p.get('id'))} "
                                                f"({_text(p.get('stance'))})")
                           for p in profile.get("blockers") or ()],
    }
    mix = profile.get("stance_mix") or {}
    stance_mix = pd.DataFrame({"stance": list(STANCE_CHOICES),
                               "count": [int(mix.get(label, 0)) for label in STANCE_CHOICES]})
    return {
        "department": str(profile.get("department", "")),
        "size": int(profile.get("size", 0)),
        "stance_mix": stance_mix,
        "stance_text": " · ".join(f"{label} {count}" for label, count in
                                  zip(stance_mix["stance"], stance_mix["count"]) if count),
        "influencers": ", ".join(_text(p.get("name")) or _text(p.get("id"))
                                 for p in profile.get("top_influencers") or ()),
        "brokers": ", ".join(f"{_text(p.get('name')) or _text(p.get('id'))} "
                             f"({_text(p.get('department'))}, tie weight {float(p.get('weight', 0)):g})"
                             for p in profile.get("brokers_in") or ()),
        "blockers": ", ".join(f"{_text(p.get('name')) or _text(p.get('id'))} ({_text(p.get('stance'))})"
                              for p in profile.get("blockers") or ()),
        "scores": _scores_line(int(profile.get("unscored", 0) or 0), int(profile.get("size", 0) or 0)),
        **people,
        "approach": _text(profile.get("approach")),
    }


def _scores_line(unscored: int, size: int) -> str:
    """A card's line on missing power/interest scores ("" when none are missing)."""
    if not unscored:
        return ""
    if unscored >= size:
        return "no influence / interest scores in the data"
    return f"no influence / interest scores in the data for {count(unscored)} of {count(size)}"


def _score(value: Any) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        return int(float(text))
    except ValueError:
        return None


def power_interest_points(G: nx.Graph, *, jitter: float = 0.3, seed: int = 0) -> pd.DataFrame:
    """One point per person on the power/interest grid, jittered so people with equal scores don't overlap.

    Parameters
    ----------
    G : networkx.DiGraph
        Nodes with ``influence`` and ``interest`` (1–5 or missing).
    jitter : float
        Largest random offset added to each axis (the scores are whole numbers).
    seed : int
        Same seed, same offsets.

    Returns
    -------
    DataFrame
        ``id, name, department, role, stance`` (label), ``influence``,
        ``interest`` (the recorded scores, "" when missing), ``quadrant``
        (:func:`~stakeholder_map.analysis.roles.quadrant`: ``"unscored"``
        unless both scores are recorded), ``scored`` ("both", "one" or
        "none") and the drawing coordinates ``x`` (interest) and ``y``
        (influence), NaN for unscored people: they have no place on the grid
        and are not drawn as if they sat in the middle.

    Examples
    --------
    >>> G = nx.DiGraph(); G.add_node("a", name="Ann", influence=5, interest=4); G.add_node("b", influence=2)
    >>> points = power_interest_points(G, jitter=0)
    >>> points[["id", "quadrant", "scored", "x", "y"]].values.tolist()
    [['a', 'manage closely', 'both', 4.0, 5.0], ['b', 'unscored', 'one', nan, nan]]
    """
    columns = [s.ID, s.NAME, s.DEPARTMENT, s.ROLE, s.STANCE, s.INFLUENCE, s.INTEREST,
               "quadrant", "scored", "x", "y"]
    rows = []
    for v, d in G.nodes(data=True):
        power, interest = _score(d.get(s.INFLUENCE)), _score(d.get(s.INTEREST))
        known = (power is not None) + (interest is not None)
        rows.append({
            s.ID: str(v),
            s.NAME: _text(d.get(s.NAME)) or str(v),
            s.DEPARTMENT: _text(d.get(s.DEPARTMENT)) or s.UNASSIGNED,
            s.ROLE: _text(d.get(s.ROLE)),
            s.STANCE: s.stance_label(d.get(s.STANCE)),
            s.INFLUENCE: "" if power is None else str(power),
            s.INTEREST: "" if interest is None else str(interest),
            "quadrant": quadrant(power, interest),
            "scored": ("none", "one", "both")[known],
            "x": float(interest) if known == 2 else math.nan,
            "y": float(power) if known == 2 else math.nan,
        })
    frame = pd.DataFrame(rows, columns=columns)
    if len(frame) and jitter > 0:
        rng = np.random.default_rng(seed)
        frame["x"] = (frame["x"] + rng.uniform(-jitter, jitter, len(frame))).round(3)
        frame["y"] = (frame["y"] + rng.uniform(-jitter, jitter, len(frame))).round(3)
    return frame


def unscored_note(points: pd.DataFrame) -> str:
    """One sentence on the people the grid cannot place, "" when everyone is scored.

    >>> unscored_note(pd.DataFrame({"quadrant": ["unscored", "unscored", "monitor"]}))
    '2 of 3 people have no influence / interest scores in the data and are not on the grid: \
add influence and interest columns (1–5) to the stakeholders file to place them.'
    >>> unscored_note(pd.DataFrame({"quadrant": ["unscored"]}))
    'No influence / interest scores in the data: the grid needs influence and interest columns (1–5) \
in the stakeholders file, so nobody is placed and it gives no advice.'
    """
    total = len(points)
    missing = int((points["quadrant"] == UNSCORED).sum()) if total else 0
    if not missing:
        return ""
    if missing == total:
        return ("No influence / interest scores in the data: the grid needs influence and interest columns "
                "(1–5) in the stakeholders file, so nobody is placed and it gives no advice.")
    return (f"{count(missing)} of {count(total)} people have no influence / interest scores in the data and "
            "are not on the grid: add influence and interest columns (1–5) to the stakeholders file to place them.")


def quadrant_summary(points: pd.DataFrame, *, examples: int = 3) -> list[dict]:
    """The four quadrants with their head count, strategy and a few names, then the unscored.

    Returns
    -------
    list of dict
        In :data:`~stakeholder_map.analysis.roles.QUADRANTS` order, then
        ``"unscored"`` last: ``quadrant``, ``count``, ``strategy``
        (:data:`~stakeholder_map.analysis.roles.QUADRANT_STRATEGY`; for the
        unscored, :func:`unscored_note`, which says how many they are and
        that the grid needs influence and interest columns, or
        :data:`~stakeholder_map.analysis.roles.UNSCORED_ADVICE` when there
        are none) and ``examples`` (names of up to ``examples`` people,
        highest influence then interest first, comma-separated).

    Examples
    --------
    >>> G = nx.DiGraph(); G.add_node("a", name="Ann", influence=5, interest=4); G.add_node("b", name="Bo")
    >>> summary = quadrant_summary(power_interest_points(G))
    >>> [(q["quadrant"], q["count"], q["examples"]) for q in summary][::4]
    [('manage closely', 1, 'Ann'), ('unscored', 1, 'Bo')]
    """
    out = []
    for name in (*QUADRANTS, UNSCORED):
        members = points[points["quadrant"] == name] if len(points) else points
        if len(members):
            members = members.assign(_p=pd.to_numeric(members[s.INFLUENCE], errors="coerce").fillna(3),
                                     _i=pd.to_numeric(members[s.INTEREST], errors="coerce").fillna(3))
            members = members.sort_values(["_p", "_i", s.NAME], ascending=[False, False, True])
        out.append({
            "quadrant": name,
            "count": int(len(members)),
            "strategy": (QUADRANT_STRATEGY[name] if name != UNSCORED
                         else unscored_note(points) or UNSCORED_ADVICE),
            "examples": ", ".join(members[s.NAME].head(examples)) if len(members) else "",
        })
    return out


def matrix_long(matrix: pd.DataFrame) -> pd.DataFrame:
    """A department × department matrix as one row per cell, for a heatmap.

    Returns
    -------
    DataFrame
        ``source, target, value`` and ``share``: the cell's part of all the
        influence arriving in ``target`` (0–1; 0 when nothing arrives).

    Examples
    --------
    >>> m = pd.DataFrame([[1.0, 3.0], [0.0, 1.0]], index=["HR", "IT"], columns=["HR", "IT"])
    >>> matrix_long(m).values.tolist()
    [['HR', 'HR', 1.0, 1.0], ['HR', 'IT', 3.0, 0.75], ['IT', 'HR', 0.0, 0.0], ['IT', 'IT', 1.0, 0.25]]
    """
    columns = ["source", "target", "value", "share"]
    if matrix is None or matrix.empty:
        return pd.DataFrame(columns=columns)
    into = matrix.sum(axis=0)
    rows = []
    for source in matrix.index:
        for target in matrix.columns:
            value = float(matrix.loc[source, target])
            total = float(into[target])
            rows.append((str(source), str(target), value, round(value / total, 4) if total > 0 else 0.0))
    return pd.DataFrame(rows, columns=columns)


# ----------------------------------------------------------------- simulate


def curves_frame(curves: pd.DataFrame, sizes: Mapping[str, int], *, departments: Iterable[str] | None = None,
                 share: bool = False) -> pd.DataFrame:
    """Adoption curves to draw: expected adopters (or the share of each department) per step.

    Parameters
    ----------
    curves : DataFrame
        ``Simulation.curves`` (``step, department, mean, ci_low, ci_high``).
    sizes : mapping
        Department -> head count (:func:`department_sizes`), for shares.
    departments : iterable of str, optional
        Keep only these (``"All"`` is the whole organisation); default all.
    share : bool
        Divide by each department's head count (0–1) so departments of
        different sizes compare.

    Returns
    -------
    DataFrame
        ``step, department, mean, ci_low, ci_high`` (lows clipped at 0).

    Examples
    --------
    >>> curves = pd.DataFrame({"step": [0, 1], "department": ["IT", "IT"], "mean": [1.0, 2.0],
    ...                        "ci_low": [1.0, 1.5], "ci_high": [1.0, 2.5]})
    >>> curves_frame(curves, {"IT": 4}, share=True)["mean"].tolist()
    [0.25, 0.5]
    """
    frame = curves.copy()
    if departments is not None:
        keep = set(departments)
        frame = frame[frame[s.DEPARTMENT].isin(keep)]
    frame = frame[["step", s.DEPARTMENT, "mean", "ci_low", "ci_high"]].reset_index(drop=True)
    if share and len(frame):
        size = frame[s.DEPARTMENT].map(lambda d: max(int(sizes.get(d, 0)), 1)).astype(float)
        for column in ("mean", "ci_low", "ci_high"):
            frame[column] = frame[column] / size
    frame["ci_low"] = frame["ci_low"].clip(lower=0.0)
    for column in ("mean", "ci_low", "ci_high"):
        frame[column] = frame[column].astype(float).round(4)
    return frame


#: The two runs a what-if compares, as the chart's legend names them.
WITH_WHAT_IF = "With the what-if"
WITHOUT_WHAT_IF = "Without it (baseline)"
#: What one step of the simulation stands for, said as the assumption it is.
STEP_MEANING = ("One step is one round of conversations: everyone who has just adopted tries once to win over "
                "each person they influence. If people talk to their contacts about once a week, a step is "
                "about a week; that is an assumption to check against how often your people actually meet.")


def compare_curves_frame(scenario: pd.DataFrame, baseline: pd.DataFrame, sizes: Mapping[str, int], *,
                         departments: Iterable[str] | None = None, share: bool = False) -> pd.DataFrame:
    """A what-if's curves and its baseline's in one frame, told apart by ``scenario``.

    Both are :func:`curves_frame` of ``Simulation.curves``; ``scenario`` is
    :data:`WITH_WHAT_IF` or :data:`WITHOUT_WHAT_IF`, the what-if first.

    Examples
    --------
    >>> curves = pd.DataFrame({"step": [0, 1], "department": ["All", "All"], "mean": [1.0, 2.0],
    ...                        "ci_low": [1.0, 1.5], "ci_high": [1.0, 2.5]})
    >>> frame = compare_curves_frame(curves.assign(mean=[1.0, 3.0]), curves, {"All": 4})
    >>> frame[["scenario", "step", "mean"]].values.tolist()
    [['With the what-if', 0, 1.0], ['With the what-if', 1, 3.0], ['Without it (baseline)', 0, 1.0], ['Without it (baseline)', 1, 2.0]]
    """
    parts = [curves_frame(curves, sizes, departments=departments, share=share).assign(scenario=label)
             for curves, label in ((scenario, WITH_WHAT_IF), (baseline, WITHOUT_WHAT_IF))]
    frame = pd.concat(parts, ignore_index=True)
    return frame[["scenario", "step", s.DEPARTMENT, "mean", "ci_low", "ci_high"]]


def what_if_text(scenario: Any, baseline: Any, changes: Mapping[str, str]) -> str:
    """The difference a what-if makes, in one plain sentence.

    Parameters
    ----------
    scenario, baseline : SpreadEstimate
        ``Simulation.total`` with and without the what-if (same starting
        people, runs and seed): ``mean``, ``ci_low``, ``ci_high``.
    changes : mapping
        Person's name -> the stance the what-if gives them.

    Examples
    --------
    >>> from types import SimpleNamespace as E
    >>> print(what_if_text(E(mean=31.2, ci_low=29.0, ci_high=33.4), E(mean=30.9, ci_low=28.7, ci_high=33.1),
    ...                    {"Ann": "supporter"}))
    If Ann were a supporter, 31.2 people would be expected to adopt instead of 30.9: +0.3 adopters. That is smaller than the simulation's own uncertainty (±2.2), so treat it as no clear change.
    """
    who = " and ".join(f"{name} were {'an' if stance[:1] in 'aeiou' else 'a'} {stance}"
                       for name, stance in changes.items()) or "nothing changed"
    diff = float(scenario.mean) - float(baseline.mean)
    text = (f"If {who}, {float(scenario.mean):.1f} people would be expected to adopt instead of "
            f"{float(baseline.mean):.1f}: {diff:+.1f} adopters.")
    noise = max(float(scenario.ci_high) - float(scenario.ci_low), 0.0) / 2
    if abs(diff) < noise:
        text += (f" That is smaller than the simulation's own uncertainty (±{noise:.1f}), so treat it as no "
                 "clear change.")
    return text


def starting_people(G: nx.Graph, seeds: Iterable[str]) -> str:
    """``Ann (IT), Bo (HR)``: the people a simulation starts from, as a reader names them.

    >>> G = nx.Graph(); G.add_node("a", name="Ann", department="IT"); G.add_node("b", name="Bo")
    >>> starting_people(G, ["a", "b"])
    'Ann (IT), Bo (Unassigned)'
    """
    return ", ".join(f"{_name(G, p)} ({_department(G, p)})" for p in seeds if p in G)


def curve_choices(sizes: Mapping[str, int], *, first: int = 8) -> tuple[list[str], list[str]]:
    """What the curves picker offers, and what it shows at first.

    Parameters
    ----------
    sizes : mapping
        :func:`department_sizes` (departments and ``"All"``).
    first : int
        With more departments than this, show at first only the ``first``
        largest (and the whole organisation).

    Returns
    -------
    (list of str, list of str)
        Options (``"All"`` first, then the departments by name) and the
        default selection.

    Examples
    --------
    >>> curve_choices({"HR": 2, "IT": 5, "Ops": 3, "All": 10}, first=2)
    (['All', 'HR', 'IT', 'Ops'], ['All', 'IT', 'Ops'])
    """
    departments = sorted(d for d in sizes if d != _ALL)
    options = [_ALL] + departments
    if len(departments) <= first:
        return options, list(options)
    largest = sorted(departments, key=lambda d: (-int(sizes[d]), d))[:first]
    return options, [_ALL] + [d for d in departments if d in set(largest)]


def departments_of(G: nx.Graph, people: Iterable[str]) -> list[str]:
    """The departments of some people, sorted (missing department = ``Unassigned``).

    >>> G = nx.Graph(); G.add_node("a", department="IT"); G.add_node("b")
    >>> departments_of(G, ["b", "a", "zz"])
    ['IT', 'Unassigned']
    """
    return sorted({_department(G, str(p)) for p in people if str(p) in G})


def departments_at_step(curves: pd.DataFrame, sizes: Mapping[str, int], step: int) -> pd.DataFrame:
    """Expected adopters per department by one step, most adoption (as a share) first.

    Returns
    -------
    DataFrame
        ``department``, ``share`` (of its people, 0–1), ``adopters``
        (expected), ``low``, ``high`` (95 % interval) and ``size``; the
        whole organisation (``"All"``) last.

    Examples
    --------
    >>> curves = pd.DataFrame({"step": [1, 1], "department": ["All", "IT"], "mean": [2.0, 2.0],
    ...                        "ci_low": [1.5, 1.5], "ci_high": [2.5, 2.5]})
    >>> departments_at_step(curves, {"IT": 4, "All": 10}, 1)[["department", "share"]].values.tolist()
    [['IT', 0.5], ['All', 0.2]]
    """
    columns = [s.DEPARTMENT, "share", "adopters", "low", "high", "size"]
    if not len(curves):
        return pd.DataFrame(columns=columns)
    last = int(curves["step"].max())
    at = curves[curves["step"] == min(max(int(step), 0), last)]
    rows = []
    for _, row in at.iterrows():
        dept = str(row[s.DEPARTMENT])
        size = int(sizes.get(dept, 0))
        rows.append((dept, round(float(row["mean"]) / size, 3) if size else 0.0, round(float(row["mean"]), 1),
                     round(max(float(row["ci_low"]), 0.0), 1), round(float(row["ci_high"]), 1), size))
    frame = pd.DataFrame(rows, columns=columns)
    frame["_all"] = frame[s.DEPARTMENT] == _ALL
    frame = frame.sort_values(["_all", "share", s.DEPARTMENT], ascending=[True, False, True], kind="stable")
    return frame.drop(columns="_all").reset_index(drop=True)
