"""Seeds planted: who has been exposed to the idea, and where to plant the next seeds.

*Exposure* is what the low-pressure touches of "plant seeds" leave behind: an
article shared, the pilot's results shown, a demo seen. They make the idea
familiar before anyone is asked to decide, so they are counted apart from the
conversations that try to persuade (:mod:`~stakeholder_map.tracking.activities`
holds the words; :func:`~stakeholder_map.tracking.history.conversations` leaves
them out, so a seed is never "last talked" nor the talk that preceded a move).

Counts
    A person's ``exposures`` are their seed touches dated on or before
    ``as_of`` (all of them without it); ``last_exposed`` the latest date. A
    department's ``exposed`` counts its people with at least one,
    ``share`` = exposed / people, ``touches`` its seed touches. Touches of
    ids not on the map (e.g. erased people) are not counted.

Plant seeds next
    The same machinery as the champions (reverse-reachable samples,
    :func:`~stakeholder_map.analysis.champions.sample_pool`, and the marginal
    gains of :func:`~stakeholder_map.tracking.next_conversations.conversation_gains`),
    with *familiarity* as the objective. The people already **familiar**
    with the idea (exposed by a seed, talked with in a conversation, or
    supporter/champion) are covered: they carry it and are never suggested.
    The samples are rooted at everyone else, so ``gain`` is the expected
    number of not-yet-familiar people (the person included) who would hear of
    the idea only if that person were touched now (someone likely to hear of
    it from the familiar anyway counts only in part, so a gain may be below 1). Word of mouth needs no
    agreement, so familiarity spreads under the weighted cascade (``wc``,
    CONTRACT §5, without the stance's receptiveness) unless another model is
    asked for. The ``k`` people are picked greedily: each next one is the
    largest gain given the familiar and those picked before; gains equal to
    one decimal (the sampling noise) rank by direct ties to people not yet
    familiar, then reach by PageRank, then map order. A seed is planted to
    spread, so only people who influence at least one not-yet-familiar person
    directly are candidates, and nobody whose gain is below 0.05 is suggested
    (they would hear of it anyway): the list may be shorter than ``k``. Same
    seed, same list.

Examples
--------
>>> import pandas as pd
>>> people = pd.DataFrame({"id": ["a", "b"], "name": ["Ann", "Bo"], "department": ["IT", "HR"],
...                        "stance": [-1, None]})
>>> touches = pd.DataFrame({"date": ["2026-09-01", "2026-09-08"], "stakeholder_id": ["a", "a"],
...                         "activity": ["Article", "results shared"]})
>>> exposure(people, touches)[["id", "stance", "exposures", "last_exposed"]].values.tolist()
[['a', 'skeptic', 2, datetime.date(2026, 9, 8)], ['b', 'unknown', 0, None]]
>>> department_exposure(exposure(people, touches)).values.tolist()
[['HR', 1, 0, 0.0, 0], ['IT', 1, 1, 1.0, 2]]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .. import schema as s
from ..analysis.champions import SamplePool
from ..analysis.diffusion import DiffusionGraph, as_diffusion_graph
from .activities import SEED_ACTIVITIES, SEED_PREFIX, is_seed_activity
from .history import as_date, conversations
from .next_conversations import conversation_gains

__all__ = [
    "SEED_ACTIVITIES",
    "SEED_PREFIX",
    "is_seed_activity",
    "EXPOSURE_COLUMNS",
    "DEPARTMENT_COLUMNS",
    "SEEDS_COLUMNS",
    "seed_touches",
    "exposure",
    "department_exposure",
    "familiar_ids",
    "suggested_touch",
    "seeds_next",
]

#: Columns of :func:`exposure`.
EXPOSURE_COLUMNS = [s.ID, s.NAME, s.DEPARTMENT, s.STANCE, "exposures", "last_exposed"]
#: Columns of :func:`department_exposure`.
DEPARTMENT_COLUMNS = [s.DEPARTMENT, "people", "exposed", "share", "touches"]
#: Columns of :func:`seeds_next`.
SEEDS_COLUMNS = [s.ID, s.NAME, s.DEPARTMENT, s.STANCE, "gain", "gain_by_department", "touch", "why"]
_SAMPLES = 1 << 15
_MAX = 1 << 17
_LEAST = 0.05   # a smaller gain: they would hear of it anyway, no touch needed

#: The low-pressure touch suggested per stance (people not yet familiar are never supporters or
#: champions; if one is asked for, they get the neutral touch).
TOUCHES: dict[str, str] = {
    "resistant": "Let them see the pilot's results (a short write-up from the pilot department), with no ask "
                 "attached",
    "skeptic": "Share an article or a case study that speaks to their concerns, with no ask attached",
    "neutral": "Invite them to see a demo or the pilot's results when it suits them",
    "unknown": "Stance unknown: share something light (an article or the pilot's results) and note how they "
               "react",
}


def seed_touches(engagements: pd.DataFrame | None, *, as_of: Any = None) -> pd.DataFrame:
    """The seed touches among the engagements: ``stakeholder_id, date, activity``, by date.

    Dated on or before ``as_of`` when given. An empty or missing frame, or one
    without an ``activity`` column, gives an empty frame.
    """
    empty = pd.DataFrame({"stakeholder_id": pd.Series(dtype=object), "date": pd.Series(dtype=object),
                          "activity": pd.Series(dtype=object)})
    if engagements is None or not len(engagements) or s.ACTIVITY not in engagements:
        return empty
    seeds = np.array([is_seed_activity(a) for a in engagements[s.ACTIVITY]], dtype=bool)
    if not seeds.any():
        return empty
    e = engagements[seeds]
    out = pd.DataFrame({"stakeholder_id": e[s.STAKEHOLDER_ID].astype(str).to_numpy(),
                        "date": [as_date(d) for d in e[s.DATE]],
                        "activity": e[s.ACTIVITY].to_numpy()})
    if as_of is not None:
        last = as_date(as_of)
        out = out[[d <= last for d in out["date"]]]
    order = np.argsort(np.array([d.toordinal() for d in out["date"]], dtype=np.int64), kind="stable")
    return out.iloc[order].reset_index(drop=True)


def _label(value: Any) -> str:
    if isinstance(value, str):
        return value if value in TOUCHES or value in s.STANCES else s.stance_label(s.parse_stance(value))
    if value is None or value is pd.NA or value != value:
        return "unknown"
    return s.stance_label(int(value))


def exposure(people: pd.DataFrame, engagements: pd.DataFrame | None, *, as_of: Any = None) -> pd.DataFrame:
    """How often each person has been exposed to the idea, and when last.

    Parameters
    ----------
    people : DataFrame
        ``id`` and optionally ``name``, ``department`` (missing:
        ``Unassigned``) and ``stance`` (a −2…2 code or a word; missing:
        ``unknown``), e.g. :meth:`Store.people`.
    engagements : DataFrame or None
        ``date, stakeholder_id, activity`` (:meth:`Store.engagements`).
    as_of : date or ISO text, optional
        Count only touches on or before this date.

    Returns
    -------
    DataFrame
        :data:`EXPOSURE_COLUMNS`, one row per person in ``people`` order:
        ``stance`` as a word, ``exposures`` (int) and ``last_exposed``
        (``date`` or None).
    """
    ids = people[s.ID].astype(str).to_numpy() if s.ID in people else np.array([], dtype=object)
    touches = seed_touches(engagements, as_of=as_of)
    counts = touches.groupby("stakeholder_id").size() if len(touches) else pd.Series(dtype=np.int64)
    last = touches.groupby("stakeholder_id")["date"].max() if len(touches) else pd.Series(dtype=object)
    if s.DEPARTMENT in people:
        departments = [s.cell_text(d) or s.UNASSIGNED for d in people[s.DEPARTMENT]]
    else:
        departments = [s.UNASSIGNED] * len(ids)
    frame = pd.DataFrame({
        s.ID: ids,
        s.NAME: [s.cell_text(n) or i for n, i in zip(people[s.NAME], ids)] if s.NAME in people else ids,
        s.DEPARTMENT: departments,
        s.STANCE: [_label(v) for v in people[s.STANCE]] if s.STANCE in people else ["unknown"] * len(ids),
        "exposures": np.array([int(counts.get(i, 0)) for i in ids], dtype=np.int64),
        "last_exposed": pd.Series([last.get(i) for i in ids], dtype=object).to_numpy(),
    }, columns=EXPOSURE_COLUMNS)
    return frame


def department_exposure(per_person: pd.DataFrame) -> pd.DataFrame:
    """Exposure per department from :func:`exposure`: ``department, people, exposed, share, touches``.

    Sorted by department name; ``share`` is exposed / people (0…1).
    """
    if not len(per_person):
        return pd.DataFrame(columns=DEPARTMENT_COLUMNS)
    grouped = per_person.assign(_exposed=per_person["exposures"] > 0).groupby(s.DEPARTMENT, sort=True)
    out = pd.DataFrame({
        "people": grouped.size(),
        "exposed": grouped["_exposed"].sum().astype(np.int64),
        "touches": grouped["exposures"].sum().astype(np.int64),
    }).reset_index()
    out["share"] = out["exposed"] / out["people"]
    return out[DEPARTMENT_COLUMNS]


def familiar_ids(people: pd.DataFrame, engagements: pd.DataFrame | None, *, as_of: Any = None,
                 stances: Iterable[Any] | None = None) -> list[str]:
    """Who already knows the idea: exposed by a seed, talked with, or supporter/champion.

    Parameters
    ----------
    people : DataFrame
        ``id`` and optionally ``stance`` (missing: unknown, so not familiar
        by stance).
    engagements : DataFrame or None
        The map's touchpoints; seed touches and conversations (not desk
        assessments) dated on or before ``as_of`` count.
    as_of : date or ISO text, optional
    stances : iterable, optional
        Each person's stance (code or word) in ``people`` order, to use
        instead of ``people["stance"]`` (e.g. the stances as of a date).

    Returns
    -------
    list of str
        Ids in ``people`` order.

    Examples
    --------
    >>> people = pd.DataFrame({"id": ["a", "b", "c", "d"], "stance": [None, 1, 0, 0]})
    >>> talks = pd.DataFrame({"date": ["2026-09-01"] * 3, "stakeholder_id": ["a", "c", "d"],
    ...                       "activity": ["demo seen", "meeting", "assessment"]})
    >>> familiar_ids(people, talks)
    ['a', 'b', 'c']
    """
    ids = people[s.ID].astype(str).tolist()
    known = set(seed_touches(engagements, as_of=as_of)["stakeholder_id"])
    talks = conversations(engagements)
    if as_of is not None and len(talks):
        last = as_date(as_of)
        talks = talks[[d <= last for d in talks["date"]]]
    known |= set(talks["stakeholder_id"])
    values = list(stances) if stances is not None else (people[s.STANCE].tolist() if s.STANCE in people
                                                        else [None] * len(ids))
    known |= {pid for pid, v in zip(ids, values) if _label(v) in ("supporter", "champion")}
    return [pid for pid in ids if pid in known]


def suggested_touch(stance: str) -> str:
    """The low-pressure touch for a stance word (unknown stays unknown: nothing is guessed).

    >>> suggested_touch("skeptic").startswith("Share an article")
    True
    """
    return TOUCHES.get(stance, TOUCHES["neutral"] if stance in s.STANCES else TOUCHES["unknown"])


def _fmt(x: float) -> str:
    return f"{x:.1f}" if x < 9.95 else f"{x:.0f}"


def _reach_by_department(pool: SamplePool, covered_by: np.ndarray, person: int, count: int) -> dict[str, float]:
    """The gain of ``person`` split by the department of the people it would reach."""
    dg = pool.graph
    ptr, nodes = pool.sets(1, count)
    entries = nodes[: ptr[count]]
    set_of = np.repeat(np.arange(count), np.diff(ptr[: count + 1]))
    covered = np.zeros(count, dtype=bool)
    covered[set_of[covered_by[entries]]] = True
    hit = np.zeros(count, dtype=bool)
    hit[set_of[entries == person]] = True
    hit &= ~covered
    roots = nodes[ptr[:count]]
    per = np.bincount(dg.department_codes[roots[hit]], minlength=len(dg.department_names))
    scale = pool.target_size / count
    return {dg.department_names[d]: float(per[d]) * scale for d in np.argsort(-per, kind="stable") if per[d]}


def _why(gain: float, by_dept: dict[str, float], department: str, direct: int, unfamiliar: int) -> str:
    """One sentence: how many would hear of it, where, and through how many direct ties."""
    text = f"Adds ~{_fmt(gain)} people familiar with the idea, themselves included"
    places = [d for d in by_dept if by_dept[d] >= 0.1 * gain][:3]
    if places:
        text += ": " + ", ".join(f"{_fmt(by_dept[d])} in {d}" for d in places)
    text += (f". Influences {direct} {'person' if direct == 1 else 'people'} directly, "
             f"{unfamiliar} of them not yet familiar with it")
    if any(d != department for d in places):
        text += f"; reaches beyond {department}"
    return text + "."


def seeds_next(
    G: nx.DiGraph | DiffusionGraph,
    familiar: Iterable[Any] = (),
    *,
    k: int = 5,
    model: str = "wc",
    p: float = 0.1,
    samples: int | None = None,
    seed: Any = 0,
    overrides: Mapping[Any, Any] | None = None,
) -> pd.DataFrame:
    """Where to plant seeds next: the people whose touch would spread familiarity furthest.

    Parameters
    ----------
    G : networkx.DiGraph or DiffusionGraph
        The influence graph (stances give the suggested touch).
    familiar : iterable of str
        People already familiar with the idea (:func:`familiar_ids`): covered,
        carriers, never suggested. Ids not on the map are ignored.
    k : int
        How many people to suggest (fewer when fewer would add anything).
    model, p
        How familiarity spreads (default ``wc``; see the module docstring).
    samples : int, optional
        Reverse-reachable samples the gains are estimated on; default 1,000
        per person not yet familiar, at least 32,768 and at most 131,072.
    seed : int, random.Random or None
        Same seed, same list.
    overrides : mapping, optional
        Stances to use instead of the map's (id -> stance), e.g. the stances
        as of a date: they choose the suggested touch (the ``wc`` model does
        not read stances).

    Returns
    -------
    DataFrame
        :data:`SEEDS_COLUMNS`, best first: the person (``id, name,
        department, stance`` word), ``gain`` (expected extra people made
        familiar, themselves included), ``gain_by_department`` (dict,
        largest first), ``touch`` (a low-pressure touch suited to their
        stance) and ``why`` (one sentence with the numbers).

    Examples
    --------
    >>> G = nx.DiGraph([("hub", x) for x in "abcd"] + [("e", "f")])
    >>> nx.set_node_attributes(G, "Ops", "department")
    >>> top = seeds_next(G, ["a"], k=2, model="ic", p=1.0, seed=1)   # a is familiar already
    >>> top["id"].tolist(), [round(g, 1) for g in top["gain"]]       # hub reaches b, c, d and itself
    (['hub', 'e'], [4.0, 2.0])

    References
    ----------
    .. [1] Kempe, Kleinberg and Tardos, KDD 2003.
    .. [2] Borgs, Brautbar, Chayes and Lucier, SODA 2014.
    """
    dg = as_diffusion_graph(G, model=model, p=p, overrides=overrides)
    if dg.n == 0 or k <= 0:
        return pd.DataFrame(columns=SEEDS_COLUMNS)
    covered = np.zeros(dg.n, dtype=bool)
    covered[[dg.index[str(v)] for v in familiar if str(v) in dg.index]] = True
    rng = nx.utils.create_py_random_state(seed)
    pool = SamplePool(graph=dg, objective="unfamiliar", roots=np.flatnonzero(~covered).astype(np.int32),
                      base_seed=rng.getrandbits(32), seed=seed if isinstance(seed, int) else None)
    count = max(int(samples), 1) if samples is not None else min(max(_SAMPLES, 1000 * pool.target_size), _MAX)
    rank = dg.pagerank
    sources = np.repeat(np.arange(dg.n), dg.out_degree)
    rows = []
    carriers = covered.copy()
    for _ in range(min(int(k), int((~covered).sum()))):
        gains, _ = conversation_gains(pool, [dg.ids[i] for i in np.flatnonzero(carriers)], samples=count)
        # A seed is planted to spread: only people who influence someone not yet familiar are candidates.
        direct = np.bincount(sources[~carriers[dg.out_dst]], minlength=dg.n)
        left = np.flatnonzero(~carriers & (direct > 0))
        if not len(left):
            break
        # Gains closer than the sampling noise rank by direct ties to the unfamiliar, then PageRank.
        best = int(left[np.lexsort((left, -rank[left], -direct[left], -np.round(gains[left], 1)))[0]])
        if gains[best] < _LEAST:
            break   # everyone left would hear of it anyway
        by_dept = _reach_by_department(pool, carriers, best, count)
        out = dg.out_dst[dg.out_ptr[best]:dg.out_ptr[best + 1]]
        stance = s.stance_label(dg.stances[best])
        rows.append({
            s.ID: dg.ids[best], s.NAME: dg.names[best], s.DEPARTMENT: dg.departments[best], s.STANCE: stance,
            "gain": float(gains[best]), "gain_by_department": by_dept, "touch": suggested_touch(stance),
            "why": _why(float(gains[best]), by_dept, dg.departments[best], len(out),
                        int((~carriers[out]).sum())),
        })
        carriers[best] = True
    return pd.DataFrame(rows, columns=SEEDS_COLUMNS)
