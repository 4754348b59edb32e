"""Next conversations: whom to talk to next, and who should carry the message.

The candidates are the people not yet convinced (neutral, skeptic, resistant,
unknown). Each is scored by the **expected adoption their conversion adds**
under the contract's diffusion model (CONTRACT §5): the current supporters
and champions (the *carriers*) are taken as already spreading the idea, and
the score of ``v`` is ``σ(C ∪ {v}) − σ(C)``, the expected number of
not-yet-convinced people (``v`` included) who adopt only if ``v`` joins,
where σ counts expected adopters among the not-yet-convinced.

It is estimated on the reverse-reachable samples the champion selection uses
(:func:`~stakeholder_map.analysis.champions.sample_pool`, Borgs et al. 2014):
``σ(S)`` is the number of counted people times the share of samples that
contain someone of ``S``, so the marginal gain of ``v`` is that times the
share of samples that contain ``v`` and no carrier. One pass over the
samples scores everyone at once; the same seed gives the same list, and the
score equals ``pool.estimate(C + [v]) − pool.estimate(C)`` on the same samples.

*Blockers* (resistant or skeptic people others follow: top quarter of
influence rank or betweenness, see :mod:`~stakeholder_map.analysis.roles`)
are flagged; a few of those outside the top ``k`` are listed after it, as
people worth neutralising even when converting them adds little spread.

The *messenger* of each person is the carrier with the strongest influence
chain to them: the largest product of tie probabilities along a path (a
shortest path on ``−log p``). Because every probability is at most 1, that
chain never passes through another carrier, so the messenger is the last
convinced person before the target. The *insider* is the strongest carrier
from the person's own department ("make it their idea": the right insider
carries it), when there is one with a chain to them.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph([("s", "a"), ("a", "b"), ("a", "c"), ("s", "d")])
>>> nx.set_node_attributes(G, {"s": 2, "a": -1, "b": 0, "c": 0, "d": 0}, "stance")
>>> nx.set_node_attributes(G, "Ops", "department")
>>> top = next_conversations(G, k=2, model="ic", p=1.0, seed=1, blockers=0)
>>> top["id"].tolist(), top["messenger_id"].tolist()
(['a', 'b'], ['s', 's'])
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .. import schema as s
from ..analysis.champions import SamplePool, sample_pool
from ..analysis.diffusion import DiffusionGraph
from .history import last_conversations

__all__ = ["next_conversations", "conversation_gains", "COLUMNS"]

#: Columns of :func:`next_conversations`.
COLUMNS = [
    "rank", s.ID, s.NAME, s.DEPARTMENT, s.ROLE, s.STANCE, "gain", "gain_by_department", "blocker",
    "last_engaged", "last_activity", "messenger_id", "messenger", "messenger_department", "messenger_stance",
    "path", "path_names", "path_probability", "insider_id", "insider", "insider_probability", "reason",
]
_NO_PATH = 1e8        # path costs at or above this mean "no live chain" (see DiffusionGraph.path_costs)
_SAMPLES = 1 << 15


def _carriers(dg: DiffusionGraph, carriers: Iterable[Any] | None) -> np.ndarray:
    if carriers is None:
        return np.array([i for i, st in enumerate(dg.stances) if st is not None and st >= 1], dtype=np.int32)
    return dg.positions(carriers)


def _coverage(pool: SamplePool, chosen: np.ndarray, count: int):
    """The first ``count`` validation samples: entries, their set, which sets a carrier covers, roots."""
    ptr, nodes = pool.sets(1, count)
    entries = nodes[: ptr[count]]
    set_of = np.repeat(np.arange(count), np.diff(ptr[: count + 1]))
    is_carrier = np.zeros(pool.graph.n, dtype=bool)
    is_carrier[chosen] = True
    covered = np.zeros(count, dtype=bool)
    covered[set_of[is_carrier[entries]]] = True
    return entries, set_of, covered, nodes[ptr[:count]], is_carrier


def conversation_gains(pool: SamplePool, carriers: Iterable[Any] | None = None, *,
                       samples: int = _SAMPLES) -> tuple[np.ndarray, float]:
    """Marginal expected adoption of converting each person, given the carriers.

    Parameters
    ----------
    pool : SamplePool
        Reverse-reachable samples (any objective; the gain counts its targets).
    carriers : iterable of str, optional
        People already spreading the idea; default everyone whose stance is
        supporter or champion.
    samples : int
        Validation samples used.

    Returns
    -------
    (ndarray, float)
        The gain of each person in ``pool.graph`` order (0 for carriers), and
        the expected adoption the carriers reach on their own.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("c", "d")])
    >>> pool = sample_pool(G, model="ic", p=1.0, seed=0)
    >>> gains, base = conversation_gains(pool, ["a"])
    >>> [round(float(g), 1) for g in gains], round(base, 1)     # b is reached by a already
    ([0.0, 0.0, 2.0, 1.0], 2.0)
    """
    dg = pool.graph
    chosen = _carriers(dg, carriers)
    if pool.target_size == 0 or dg.n == 0:
        return np.zeros(dg.n), 0.0
    count = max(int(samples), 1)
    entries, set_of, covered, _, is_carrier = _coverage(pool, chosen, count)
    scale = pool.target_size / count
    gains = np.bincount(entries[~covered[set_of]], minlength=dg.n).astype(float) * scale
    gains[is_carrier] = 0.0
    return gains, float(covered.sum()) * scale


def _by_department(pool: SamplePool, person: int, coverage, count: int) -> dict[str, float]:
    """The gain of one person split by the department of the people it reaches."""
    dg = pool.graph
    entries, set_of, covered, roots, _ = coverage
    hit = np.zeros(count, dtype=bool)
    hit[set_of[entries == person]] = True
    hit &= ~covered
    per = np.bincount(dg.department_codes[roots[hit]], minlength=len(dg.department_names))
    scale = pool.target_size / count
    return {dg.department_names[d]: float(per[d]) * scale
            for d in np.argsort(-per, kind="stable") if per[d]}


def _chains(dg: DiffusionGraph, targets: list[int], carriers: np.ndarray) -> list[dict]:
    """For each target: the strongest carrier overall and from its own department, with the chain."""
    out = [dict(messenger=None, path=[], probability=None, insider=None, insider_probability=None)
           for _ in targets]
    if not targets or not len(carriers):
        return out
    from scipy.sparse.csgraph import dijkstra

    reverse = dg.path_costs.T.tocsr()
    dist, pred = dijkstra(reverse, directed=True, indices=targets, return_predecessors=True)
    dept = dg.department_codes
    for row, t in enumerate(targets):
        costs = dist[row, carriers]
        live = costs < _NO_PATH
        if not live.any():
            continue
        best = int(carriers[np.flatnonzero(live)[np.argmin(costs[live])]])
        chain = [best]
        while chain[-1] != t:
            chain.append(int(pred[row, chain[-1]]))
        same = live & (dept[carriers] == dept[t])
        insider = None
        if same.any():
            insider = int(carriers[np.flatnonzero(same)[np.argmin(costs[same])]])
        out[row] = dict(messenger=best, path=chain, probability=math.exp(-dist[row, best]),
                        insider=insider,
                        insider_probability=math.exp(-dist[row, insider]) if insider is not None else None)
    return out


def _fmt(x: float) -> str:
    return f"{x:.1f}" if x < 9.95 else f"{x:.0f}"


def _reason(name: str, gain: float, by_dept: dict[str, float], blocker: bool, stance: str,
            chain: dict, dg: DiffusionGraph, last: tuple | None) -> str:
    text = f"Converting {name} adds ~{_fmt(gain)} expected adopters"
    main = [d for d, v in list(by_dept.items())[:2] if v >= 0.2 * gain]
    if len(main) == 2:
        text += f", most in {main[0]} and {main[1]}"
    elif main:
        text += f", mostly in {main[0]}"
    text += "."
    if blocker:
        text += (f" A {stance} whom others follow (blocker): hear their concerns one to one and "
                 "involve them before any announcement.")
    if chain["messenger"] is not None:
        m = chain["messenger"]
        via = [dg.names[v] for v in chain["path"][1:-1]]
        how = f"via {', '.join(via)}" if via else "direct tie"
        text += (f" Best messenger: {dg.names[m]} ({dg.departments[m]}, {s.stance_label(dg.stances[m])}; "
                 f"{how}, {chain['probability']:.0%} chance).")
        insider = chain["insider"]
        if insider is not None and insider != m:
            text += f" Insider who could carry it: {dg.names[insider]} ({chain['insider_probability']:.0%})."
    else:
        text += " No supporter has a chain of influence to them: a direct conversation is needed."
    if last is not None:
        text += f" Last talked: {last[0].isoformat()}" + (f" ({last[1]})." if last[1] else ".")
    else:
        text += " Not engaged yet."
    return text


def next_conversations(
    G: nx.DiGraph | DiffusionGraph,
    *,
    k: int = 10,
    department: str | None = None,
    carriers: Iterable[Any] | None = None,
    blockers: int = 5,
    engagements: pd.DataFrame | None = None,
    metrics: pd.DataFrame | None = None,
    pool: SamplePool | None = None,
    model: str = "stance",
    p: float = 0.1,
    receptiveness: dict | None = None,
    samples: int = _SAMPLES,
    seed: Any = 0,
) -> pd.DataFrame:
    """A ranked list of whom to talk to next, each with the best messenger.

    Parameters
    ----------
    G : networkx.DiGraph or DiffusionGraph
        The influence graph with current stances.
    k : int
        How many people to rank by gain.
    department : str, optional
        Only people of this department (the gains still count adoption
        everywhere).
    carriers : iterable of str, optional
        Who is already spreading the idea (and may be a messenger); default
        everyone whose stance is supporter or champion. Pass the chosen
        champions to plan around them instead.
    blockers : int
        After the top ``k``, list up to this many more blockers (highest
        gain first): people worth neutralising.
    engagements : DataFrame, optional
        The map's engagements, for when each person was last talked to.
    metrics : DataFrame, optional
        :func:`~stakeholder_map.analysis.centrality.stakeholder_metrics` of
        ``G`` (its ``roles`` give the blockers); computed when ``G`` is a
        networkx graph and this is None.
    pool : SamplePool, optional
        Samples to reuse (e.g. the Champions page's); its model is used.
    model, p, receptiveness
        The diffusion model when no pool is given.
    samples : int
        Samples the gains are estimated on.
    seed : int, random.Random or None
        Same seed, same list.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`: ``rank`` (top ``k`` by gain, then up to
        ``blockers`` more blockers), the person (``id, name, department, role, stance``
        label), ``gain`` (expected extra adopters) and ``gain_by_department``
        (dict), ``blocker``, ``last_engaged``/``last_activity``, the
        messenger (``messenger_id, messenger, messenger_department,
        messenger_stance``), ``path`` (ids from messenger to person),
        ``path_names``, ``path_probability``, the insider (``insider_id,
        insider, insider_probability``) and ``reason`` (one paragraph).

    Raises
    ------
    UnknownStakeholder
        A carrier is not in the map.
    ValueError
        Unknown model, or a department nobody belongs to.

    References
    ----------
    .. [1] Kempe, Kleinberg and Tardos, KDD 2003.
    .. [2] Borgs, Brautbar, Chayes and Lucier, SODA 2014.
    """
    if pool is None:
        pool = sample_pool(G, model=model, p=p, objective="unconvinced", receptiveness=receptiveness, seed=seed)
    dg = pool.graph
    if dg.n == 0:
        return pd.DataFrame(columns=COLUMNS)
    if department is not None and department not in dg.department_names:
        raise ValueError(f"no one in the map belongs to department {department!r}")
    chosen = _carriers(dg, carriers)
    count = max(int(samples), 1)
    gains, _ = conversation_gains(pool, [dg.ids[i] for i in chosen], samples=count)

    is_carrier = np.zeros(dg.n, dtype=bool)
    is_carrier[chosen] = True
    candidate = np.array([st in s.UNCONVINCED_STANCES for st in dg.stances], dtype=bool) & ~is_carrier
    if department is not None:
        candidate &= dg.department_codes == dg.department_names.index(department)

    is_blocker = np.zeros(dg.n, dtype=bool)
    if metrics is None and isinstance(G, nx.DiGraph) and len(G):
        from ..analysis.centrality import stakeholder_metrics
        metrics = stakeholder_metrics(G, seed=seed if isinstance(seed, int) else 0)
    if metrics is not None and len(metrics):
        roles = dict(zip(metrics[s.ID].astype(str), metrics["roles"]))
        is_blocker = np.array([isinstance(roles.get(pid), list) and "blocker" in roles[pid] for pid in dg.ids])

    people = np.flatnonzero(candidate)
    order = people[np.lexsort((people, -dg.pagerank[people], -gains[people]))]
    top = order[: max(int(k), 0)].tolist()
    top += [int(v) for v in order[max(int(k), 0):] if is_blocker[v]][: max(int(blockers), 0)]
    chains = _chains(dg, top, chosen)

    last_talk = last_conversations(engagements)
    roles_of = {}
    if isinstance(G, nx.DiGraph):
        roles_of = {str(v): d.get(s.ROLE) for v, d in G.nodes(data=True)}

    coverage = _coverage(pool, chosen, count) if pool.target_size else None
    rows = []
    for rank, v in enumerate(top, start=1):
        chain = chains[rank - 1]
        by_dept = _by_department(pool, v, coverage, count) if coverage is not None else {}
        m = chain["messenger"]
        insider = chain["insider"]
        pid = dg.ids[v]
        stance = s.stance_label(dg.stances[v])
        rows.append({
            "rank": rank,
            s.ID: pid,
            s.NAME: dg.names[v],
            s.DEPARTMENT: dg.departments[v],
            s.ROLE: roles_of.get(pid),
            s.STANCE: stance,
            "gain": float(gains[v]),
            "gain_by_department": by_dept,
            "blocker": bool(is_blocker[v]),
            "last_engaged": last_talk.get(pid, (None, None))[0],
            "last_activity": last_talk.get(pid, (None, None))[1],
            "messenger_id": dg.ids[m] if m is not None else None,
            "messenger": dg.names[m] if m is not None else None,
            "messenger_department": dg.departments[m] if m is not None else None,
            "messenger_stance": s.stance_label(dg.stances[m]) if m is not None else None,
            "path": [dg.ids[x] for x in chain["path"]],
            "path_names": " → ".join(dg.names[x] for x in chain["path"]),
            "path_probability": chain["probability"],
            "insider_id": dg.ids[insider] if insider is not None else None,
            "insider": dg.names[insider] if insider is not None else None,
            "insider_probability": chain["insider_probability"],
            "reason": _reason(dg.names[v], float(gains[v]), by_dept, bool(is_blocker[v]), stance, chain, dg,
                              last_talk.get(pid)),
        })
    return pd.DataFrame(rows, columns=COLUMNS)
