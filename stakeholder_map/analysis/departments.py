"""Departments: who influences whom across formal lines, and how to approach each unit.

Three views for a change manager:

* :func:`influence_matrix` — department × department influence (rows: the
  department of the person who moves, columns: the department of the person
  moved), as summed tie weight or number of ties.
* :func:`department_profiles` — per department: size, stance and seniority
  mix, top influencers, the outsiders who bring the most influence *into* it,
  its blockers, and a suggested approach in plain English.
* :func:`community_alignment` — how far the informal communities follow the
  formal departments: normalised mutual information (NMI) between the two
  labelings, modularity of each partition, and the communities that span
  several departments.

How the suggested approach is chosen (shares are of the people whose stance
is known):

1. stance unknown for more than half of the department → find out first;
2. at least 40 % resistant or skeptic → start with 1:1s with the blockers
   (or the top influencers), bring results from the most supportive
   department that influences them, involve them in decisions;
3. at least 50 % supporter or champion → recruit champions, give them a demo
   to show, ask them to carry it to the department they influence most;
4. otherwise (mixed, undecided) → work through the top influencers, show a
   demo and early results, meet any blockers one to one.

Each approach ends by naming the outsiders who bring influence in, if any,
and, when people of the department lack an influence or interest score, by
saying so ("No influence / interest scores in the data for ..."): no advice is
ever derived from a power/interest cell that was not recorded (see
:mod:`~stakeholder_map.analysis.roles`).

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_nodes_from([("a", {"department": "IT"}), ("b", {"department": "IT"}),
...                   ("c", {"department": "HR"})])
>>> G.add_edge("a", "b", weight=2.0, ties=1); G.add_edge("c", "a", weight=1.0, ties=2)
>>> influence_matrix(G).loc["HR", "IT"], influence_matrix(G, value="ties").loc["HR", "IT"]
(np.float64(1.0), np.int64(2))
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd

from .. import schema as s
from .arrays import graph_arrays, undirected
from .communities import modularity
from .roles import UNSCORED, quadrant

__all__ = [
    "influence_matrix",
    "department_profiles",
    "community_alignment",
    "UNKNOWN_MAJORITY",
    "OPPOSED_SHARE",
    "SUPPORT_SHARE",
    "SPANNING_MAIN_SHARE",
]

#: Above this share of unknown stances, the approach is "find out first".
UNKNOWN_MAJORITY = 0.5
#: At or above this share (of known stances) resistant or skeptic: "skeptical" approach.
OPPOSED_SHARE = 0.4
#: At or above this share (of known stances) supporter or champion: "supportive" approach.
SUPPORT_SHARE = 0.5
#: A community (of three or more) spans departments when its largest
#: department holds less than this share of its members.
SPANNING_MAIN_SHARE = 0.8
_MIN_SPANNING_SIZE = 3

_STANCE_KEYS = ("resistant", "skeptic", "neutral", "supporter", "champion", "unknown")
_SENIORITY_NAMES = {v: k for k, v in s.SENIORITY_WORDS.items()}
_SENIORITY_KEYS = tuple(_SENIORITY_NAMES[i] for i in sorted(_SENIORITY_NAMES)) + ("unknown",)


def _department(data: Mapping) -> str:
    dept = data.get(s.DEPARTMENT)
    if dept is None or dept == "" or (isinstance(dept, float) and dept != dept):
        return s.UNASSIGNED
    return str(dept)


def _departments(G: nx.DiGraph) -> tuple[list, np.ndarray, list[str]]:
    """Node list, each node's department code, and the sorted department names."""
    ids = list(G)
    names = [_department(G.nodes[i]) for i in ids]
    codes, uniques = pd.factorize(pd.Series(names, dtype=object), sort=True)
    return ids, codes.astype(np.int64), [str(d) for d in uniques]


def influence_matrix(G: nx.DiGraph, *, value: str = "weight") -> pd.DataFrame:
    """Department × department influence.

    Parameters
    ----------
    G : networkx.DiGraph
        Influence graph (edge ``u → v``: u can move v).
    value : {"weight", "ties"}
        ``"weight"`` sums tie weights; ``"ties"`` counts ties, i.e. rows of
        ``influences.csv`` (the edge attribute ``ties``, 1 when absent).

    Returns
    -------
    DataFrame
        Rows: source department (who moves), columns: target department
        (who is moved), both every department of the map in sorted order;
        the diagonal is influence inside a department. Float for weight,
        int for ties. Empty for an empty graph.

    Examples
    --------
    >>> influence_matrix(nx.DiGraph()).shape
    (0, 0)
    """
    if value not in ("weight", "ties"):
        raise ValueError(f"value must be 'weight' or 'ties', not {value!r}")
    ids, codes, names = _departments(G)
    _, src, dst, amount = graph_arrays(G, weight=value)
    cells = _matrix(codes, len(names), src, dst, amount)
    if value == "ties":
        cells = np.rint(cells).astype(np.int64)
    index = pd.Index(names, name="source")
    return pd.DataFrame(cells, index=index, columns=pd.Index(names, name="target"))


def _matrix(codes: np.ndarray, k: int, src: np.ndarray, dst: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """k × k sums of ``amount`` by (department of src, department of dst)."""
    return np.bincount(codes[src] * k + codes[dst], weights=amount, minlength=k * k).reshape(k, k)


def _names(people: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(people) <= 1:
        return "".join(people)
    return ", ".join(people[:-1]) + " and " + people[-1]


def _pct(share: float) -> str:
    return f"{round(100 * share)}%"


def department_profiles(G: nx.DiGraph, metrics: pd.DataFrame, *, top: int = 3) -> list[dict]:
    """Profile each department and suggest how to approach it.

    Parameters
    ----------
    G : networkx.DiGraph
        Influence graph (node attributes ``department``, ``name``,
        ``stance``, ``seniority``).
    metrics : DataFrame
        The table of :func:`~stakeholder_map.analysis.centrality.stakeholder_metrics`
        for ``G`` (``id``, ``pagerank``, ``roles`` are used).
    top : int
        How many top influencers, brokers-in and supporters to name.

    Returns
    -------
    list of dict
        One dict per department, largest first, with keys ``department``,
        ``size``, ``stance_mix`` (label → count, all six labels),
        ``seniority_mix`` (staff … executive, unknown → count),
        ``top_influencers`` (``id``, ``name``, ``pagerank``; highest
        PageRank in the department), ``brokers_in`` (``id``, ``name``,
        ``department``, ``weight``: people of other departments with the most
        tie weight into this one), ``blockers`` (``id``, ``name``, ``stance``
        label; every blocker of the department, highest PageRank first),
        ``unscored`` (how many lack an influence or interest score: they have
        no place on the power/interest grid) and ``approach`` (text; rules in
        the module docstring).

    Examples
    --------
    >>> from stakeholder_map.analysis.centrality import stakeholder_metrics
    >>> G = nx.DiGraph([("a", "b"), ("c", "a")])
    >>> nx.set_node_attributes(G, {"a": "IT", "b": "IT", "c": "HR"}, "department")
    >>> nx.set_node_attributes(G, {"a": 1, "b": 2, "c": -1}, "stance")
    >>> it = department_profiles(G, stakeholder_metrics(G))[0]
    >>> it["department"], it["size"], it["brokers_in"][0]["id"]
    ('IT', 2, 'c')
    >>> it["approach"].split(".")[0]
    '100% of those with a known stance in IT support the change'
    """
    ids, codes, names = _departments(G)
    if not ids:
        return []
    k = len(names)
    nodes = G.nodes
    person_name = [str(nodes[i].get(s.NAME) or i) for i in ids]
    stance = [s.as_int(nodes[i].get(s.STANCE)) for i in ids]
    seniority = [s.as_int(nodes[i].get(s.SENIORITY)) for i in ids]
    unscored = np.array([quadrant(nodes[i].get(s.INFLUENCE), nodes[i].get(s.INTEREST)) == UNSCORED for i in ids])
    scores = metrics.set_index("id") if len(metrics) else pd.DataFrame(columns=["pagerank", "roles"])
    pagerank = scores["pagerank"].reindex(ids).to_numpy(dtype=float)
    roles = scores["roles"].reindex(ids).tolist()
    is_blocker = np.array([isinstance(r, list) and "blocker" in r for r in roles])

    _, src, dst, w = graph_arrays(G)
    weight = _matrix(codes, k, src, dst, w)
    frame = pd.DataFrame({
        "pos": np.arange(len(ids)),
        "dept": codes,
        "stance": pd.array(stance, dtype="Int64"),
        "pagerank": pagerank,
        "blocker": is_blocker,
    })
    known = frame.dropna(subset=["stance"])
    support_share = np.zeros(k)
    for d, group in known.groupby("dept"):
        support_share[d] = (group["stance"] >= 1).mean()
    has_known = np.bincount(known["dept"], minlength=k) > 0

    # Outsiders' weight into each department: sum of w(u → v) with v inside, u outside.
    cross = codes[src] != codes[dst]
    into = (pd.DataFrame({"dept": codes[dst][cross], "pos": src[cross], "weight": w[cross]})
            .groupby(["dept", "pos"], as_index=False)["weight"].sum()
            .sort_values(["dept", "weight", "pos"], ascending=[True, False, True]))
    into_top = {d: g.head(top) for d, g in into.groupby("dept")}

    by_rank = frame.sort_values(["pagerank", "pos"], ascending=[False, True], na_position="last")
    profiles = []
    for d, members in by_rank.groupby("dept", sort=False):
        d = int(d)
        positions = members["pos"].to_numpy()
        stance_mix = dict.fromkeys(_STANCE_KEYS, 0)
        for value in (stance[p] for p in positions):
            stance_mix[s.stance_label(value)] += 1
        seniority_mix = dict.fromkeys(_SENIORITY_KEYS, 0)
        for value in (seniority[p] for p in positions):
            seniority_mix[_SENIORITY_NAMES.get(value, "unknown")] += 1
        ranked = members.dropna(subset=["pagerank"])
        top_influencers = [
            {"id": ids[p], "name": person_name[p], "pagerank": float(pagerank[p])}
            for p in ranked["pos"].head(top)
        ]
        brokers_in = [
            {"id": ids[p], "name": person_name[p], "department": names[codes[p]], "weight": float(wt)}
            for p, wt in zip(into_top[d]["pos"], into_top[d]["weight"])
        ] if d in into_top else []
        blockers = [
            {"id": ids[p], "name": person_name[p], "stance": s.stance_label(stance[p])}
            for p in members.loc[members["blocker"], "pos"]
        ]
        supporters = [person_name[p] for p in members.loc[members["stance"].fillna(0) >= 1, "pos"].head(top)]
        allies = [e for e in np.argsort(-weight[:, d], kind="stable")
                  if e != d and weight[e, d] > 0 and has_known[e] and support_share[e] >= SUPPORT_SHARE]
        outward = [e for e in np.argsort(-weight[d], kind="stable") if e != d and weight[d, e] > 0]
        profile = {
            "department": names[d],
            "size": len(positions),
            "stance_mix": stance_mix,
            "seniority_mix": seniority_mix,
            "top_influencers": top_influencers,
            "brokers_in": brokers_in,
            "blockers": blockers,
            "unscored": int(unscored[positions].sum()),
        }
        profile["approach"] = _approach(
            profile, supporters=supporters,
            ally=names[allies[0]] if allies else None,
            reach=names[outward[0]] if outward else None,
        )
        profiles.append(profile)
    profiles.sort(key=lambda p: (-p["size"], p["department"]))
    return profiles


def _approach(profile: dict, *, supporters: list[str], ally: str | None, reach: str | None) -> str:
    """Plain-English advice from a department profile (rules in the module docstring)."""
    dept, size, mix = profile["department"], profile["size"], profile["stance_mix"]
    unknown = mix["unknown"]
    known = size - unknown
    influencers = _names([p["name"] for p in profile["top_influencers"]]) or "the people others follow"
    blockers = [p["name"] for p in profile["blockers"]][:3]
    opposed = (mix["resistant"] + mix["skeptic"]) / known if known else 0.0
    support = (mix["supporter"] + mix["champion"]) / known if known else 0.0
    if unknown / size > UNKNOWN_MAJORITY:
        text = (f"Stance is unknown for {unknown} of {size} people in {dept}. Find out first: "
                f"short listening 1:1s with {influencers}, whom others here follow most.")
    elif opposed >= OPPOSED_SHARE:
        who = _names(blockers) if blockers else influencers
        results = (f"results from {ally}, a supportive department that influences {dept}" if ally
                   else "results from a pilot elsewhere")
        text = (f"{_pct(opposed)} of those with a known stance in {dept} are resistant or skeptic. "
                f"Start with 1:1s with {who}: hear their concerns before any announcement. "
                f"Bring {results}, and involve them in decisions (a seat in the pilot or design group).")
    elif support >= SUPPORT_SHARE:
        champions = _names(supporters) or influencers
        carry = f", and ask them to carry it to {reach}, the department {dept} influences most" if reach else ""
        text = (f"{_pct(support)} of those with a known stance in {dept} support the change. "
                f"Recruit champions: {champions}. Give them a demo to show their peers{carry}.")
    else:
        results = f" from {ally}" if ally else ""
        concerns = f" Meet {_names(blockers)} one to one to hear their concerns." if blockers else ""
        text = (f"{dept} is mixed or undecided ({_pct(support)} support, {_pct(opposed)} resistant "
                f"or skeptic). Work through the people others follow: {influencers}. "
                f"Show a demo and early results{results}.{concerns}")
    if profile["brokers_in"]:
        outsiders = _names([f"{p['name']} ({p['department']})" for p in profile["brokers_in"]])
        text += f" Influence also arrives from outside through {outsiders}: brief them early."
    missing = int(profile.get("unscored", 0))
    if missing == size:
        text += (f" No influence / interest scores in the data for {dept}, so the power/interest grid "
                 "gives no advice here.")
    elif missing:
        text += (f" No influence / interest scores in the data for {missing} of {size} people here: "
                 "the power/interest grid gives no advice for them.")
    return text


def _nmi(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised mutual information, arithmetic mean of the entropies (as scikit-learn)."""
    n = len(a)
    if n == 0:
        return 1.0
    _, a = np.unique(a, return_inverse=True)
    _, b = np.unique(b, return_inverse=True)
    ka, kb = int(a.max()) + 1, int(b.max()) + 1
    if ka == kb == 1:
        return 1.0
    joint = np.bincount(a * kb + b, minlength=ka * kb).astype(float) / n
    pa, pb = np.bincount(a) / n, np.bincount(b) / n
    nz = joint > 0
    outer = np.outer(pa, pb).ravel()
    mi = float((joint[nz] * np.log(joint[nz] / outer[nz])).sum())
    ha = float(-(pa * np.log(pa)).sum())
    hb = float(-(pb * np.log(pb)).sum())
    mean = (ha + hb) / 2
    if mi <= 0 or mean == 0:
        return 0.0
    return min(1.0, mi / mean)


def community_alignment(G: nx.DiGraph, communities: Mapping) -> dict:
    """How far informal communities cut across formal departments.

    Parameters
    ----------
    G : networkx.DiGraph
        Influence graph with node attribute ``department``.
    communities : mapping
        Stakeholder id → community number, e.g. from
        :func:`~stakeholder_map.analysis.communities.communities` or the
        ``community`` column of the metrics table. People missing from it
        count as communities of one.

    Returns
    -------
    dict
        ``nmi``: normalised mutual information between community and
        department labels (1 = communities are the departments, 0 =
        unrelated; arithmetic-mean normalisation).
        ``modularity_departments`` and ``modularity_communities``: Newman's
        modularity of each partition on the undirected graph of mutual
        weights (the one the communities were found on); communities well
        above departments mean the informal structure differs from the org
        chart.
        ``spanning``: communities of three or more whose largest department
        holds less than 80 % of members, largest first, each
        ``{community, size, departments: {department: count}}``.

    References
    ----------
    .. [1] Newman, M. E. J. (2006). "Modularity and community structure in
       networks." PNAS 103(23), 8577-8582.
    .. [2] Danon, L., Díaz-Guilera, A., Duch, J. & Arenas, A. (2005).
       "Comparing community structure identification." J. Stat. Mech. P09008.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"}, "department")
    >>> out = community_alignment(G, {"a": 0, "b": 0, "c": 1, "d": 1})
    >>> out["nmi"], out["modularity_departments"], out["spanning"]
    (1.0, 0.5, [])
    """
    ids, dept_codes, names = _departments(G)
    result = {"nmi": 1.0, "modularity_departments": 0.0, "modularity_communities": 0.0, "spanning": []}
    if not ids:
        return result
    raw = [communities.get(i) if hasattr(communities, "get") else None for i in ids]
    label_of, comm = {}, np.empty(len(ids), dtype=np.int64)
    for pos, label in enumerate(raw):
        key = ("own", pos) if label is None or (isinstance(label, float) and label != label) else label
        comm[pos] = label_of.setdefault(key, len(label_of))
    _, src, dst, w = graph_arrays(G)
    u, v, mw = undirected(len(ids), src, dst, w)
    result["nmi"] = _nmi(dept_codes, comm)
    result["modularity_departments"] = modularity(len(ids), u, v, mw, dept_codes)
    result["modularity_communities"] = modularity(len(ids), u, v, mw, comm)

    labels = list(label_of)  # code → the caller's label
    k = len(names)
    crosstab = np.bincount(comm * k + dept_codes, minlength=len(labels) * k).reshape(len(labels), k)
    sizes = crosstab.sum(axis=1)
    spanning = []
    for c in np.flatnonzero((sizes >= _MIN_SPANNING_SIZE) & (crosstab.max(axis=1) < SPANNING_MAIN_SHARE * sizes)):
        order = np.argsort(-crosstab[c], kind="stable")  # most members first, ties by name
        label = labels[c]
        spanning.append({
            "community": int(label) if isinstance(label, (int, np.integer)) else label,
            "size": int(sizes[c]),
            "departments": {names[d]: int(crosstab[c, d]) for d in order if crosstab[c, d]},
        })
    spanning.sort(key=lambda x: (-x["size"], str(x["community"])))
    result["spanning"] = spanning
    return result
