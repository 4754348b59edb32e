"""Start small: the smallest pilot that works, and where to run it.

Two questions a change manager asks before a rollout:

* *How few champions do we need to win over a given share of a department
  (or of the whole organisation)?* :func:`smallest_pilot` grows the greedy
  champion group one person at a time on reverse-reachable samples rooted in
  that department, until the estimated share reaches the target.
* *Which department is the best place to start?* :func:`rank_pilot_departments`
  picks the best few champions inside each department and ranks departments
  by how far the idea is then expected to spread *beyond* it.

Both use the diffusion model of :mod:`~stakeholder_map.analysis.diffusion`
and the samplers of :mod:`~stakeholder_map.analysis.champions`.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph([("a", "b"), ("a", "c"), ("d", "e")])
>>> pilot = smallest_pilot(G, 0.8, model="ic", p=1.0, seed=0)
>>> pilot.ids, pilot.reached
(['a', 'd'], True)

References
----------
.. [1] D. Kempe, J. Kleinberg and É. Tardos, "Maximizing the spread of
   influence through a social network", KDD 2003.
.. [2] C. Borgs, M. Brautbar, J. Chayes and B. Lucier, "Maximizing social
   influence in nearly optimal time", SODA 2014.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .. import schema as s
from . import _kernels
from .champions import OBJECTIVES, SamplePool, objective_targets, sample_pool
from .diffusion import DiffusionGraph, as_diffusion_graph

__all__ = ["PilotResult", "smallest_pilot", "rank_pilot_departments"]

_SETS = 1 << 15           # RR sets per collection behind every pilot estimate
_DEFAULT_MAX = 100        # a pilot of more than 100 champions is not a pilot


@dataclass
class PilotResult:
    """The smallest champion group found for a target share.

    ``ids``/``names`` in the order they were added; ``expected_spread`` is the
    expected number of counted adopters in the target population
    (``target_size`` people: the department, or everyone), ``share`` that
    number over ``target_size``; ``reached`` says whether ``share`` reached
    ``target_share`` within ``max_size`` champions (if not, the group is the
    best of ``max_size``). ``curve[i]`` is the expected spread with the first
    ``i + 1`` champions.
    """

    ids: list[str]
    names: list[str]
    expected_spread: float
    share: float
    reached: bool
    target_share: float = 0.0
    department: str | None = None
    target_size: int = 0
    max_size: int = 0
    curve: list[float] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Everything as plain values."""
        return asdict(self)


def _allowed(dg: DiffusionGraph, disallowed_stances: Iterable[Any], pins: np.ndarray,
             exclude: Iterable[Any]) -> np.ndarray:
    banned = {s.stance_value(v) for v in disallowed_stances}
    allowed = np.array([st not in banned for st in dg.stances], dtype=np.uint8)
    allowed[dg.positions(exclude)] = 0
    allowed[pins] = 0
    return allowed


def _department_code(dg: DiffusionGraph, department: str) -> int:
    try:
        return dg.department_names.index(str(department))
    except ValueError:
        raise ValueError(
            f"no department {department!r}; the map has {', '.join(dg.department_names)}"
        ) from None


def smallest_pilot(
    G: nx.DiGraph | DiffusionGraph,
    target_share: float,
    *,
    department: str | None = None,
    model: str = "stance",
    p: float = 0.1,
    max_size: int | None = None,
    seed: Any = None,
    pool: SamplePool | None = None,
    objective: str = "everyone",
    disallowed_stances: Iterable[Any] = (-2, -1),
    pin: Iterable[Any] = (),
    exclude: Iterable[Any] = (),
    receptiveness: Mapping[Any, float] | None = None,
    overrides: Mapping[Any, Any] | None = None,
) -> PilotResult:
    """The smallest champion group expected to win over a share of a department.

    Parameters
    ----------
    G : networkx.DiGraph or DiffusionGraph
        The influence graph.
    target_share : float
        Share in (0, 1] of the target population expected to adopt.
    department : str, optional
        Target population = this department's people (champions may come
        from anywhere); default the whole organisation.
    model, p, receptiveness, overrides
        The diffusion model (see :mod:`~stakeholder_map.analysis.diffusion`).
    max_size : int, optional
        Largest group considered; default the number of eligible people,
        at most 100.
    seed : int, random.Random or None
        Same seed, same answer.
    pool : SamplePool, optional
        Samples to reuse when ``department`` is None (its model and objective
        must match); with a department, samples rooted there are drawn.
    objective : {"everyone", "unconvinced"}
        Count every adopter in the target population, or only the not yet
        convinced (then ``target_share`` is a share of those).
    disallowed_stances, pin, exclude
        As for :func:`~stakeholder_map.analysis.champions.select_champions`.

    Returns
    -------
    PilotResult

    Raises
    ------
    UnknownStakeholder
        A pinned or excluded id is not in the map.
    ValueError
        ``target_share`` outside (0, 1], an unknown department, model or
        objective.

    References
    ----------
    .. [1] Kempe, Kleinberg and Tardos, KDD 2003.
    .. [2] Borgs, Brautbar, Chayes and Lucier, SODA 2014.
    """
    if not 0.0 < float(target_share) <= 1.0:
        raise ValueError(f"target_share must be in (0, 1], not {target_share!r}")
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}")
    if pool is not None and department is None:
        if pool.model != model or pool.objective != objective:
            raise ValueError(
                f"the sample pool is for model {pool.model!r} and objective {pool.objective!r}, "
                f"not {model!r} and {objective!r}")
        dg = pool.graph
    else:
        base = pool.graph if pool is not None else G
        dg = as_diffusion_graph(base, model=model, p=p, receptiveness=receptiveness,
                                overrides=overrides)
        pool = sample_pool(dg, model=model, p=p, objective=objective,
                           receptiveness=receptiveness, overrides=overrides, seed=seed)
        if department is not None:
            code = _department_code(dg, department)
            roots = objective_targets(dg, objective)
            pool.roots = roots[dg.department_codes[roots] == code]
    pins = dg.positions(pin)
    allowed = _allowed(dg, disallowed_stances, pins, exclude)
    eligible = int(allowed.sum()) + len(pins)
    limit = min(eligible, _DEFAULT_MAX) if max_size is None else min(int(max_size), eligible)
    limit = max(limit, len(pins))
    big_t = pool.target_size
    result = PilotResult(ids=[], names=[], expected_spread=0.0, share=0.0, reached=False,
                         target_share=float(target_share), department=department,
                         target_size=big_t, max_size=limit)
    if dg.n == 0 or big_t == 0 or limit == 0:
        return result

    goal = float(target_share) * big_t
    ptr1, nodes1 = pool.sets(0, _SETS)
    ptr2, nodes2 = pool.sets(1, _SETS)
    scale = big_t / _SETS
    n_dept = len(dg.department_names)
    no_min = np.zeros(n_dept, dtype=np.int64)
    size = min(max(8, 2 * len(pins)), limit)
    while True:
        order, _, _, _ = _kernels.greedy_cover(
            ptr1, nodes1, _SETS, dg.n, size, allowed, pins, dg.out_weight,
            dg.department_codes, no_min, 0)
        first, _, _ = _kernels.evaluate_cover(ptr2, nodes2, _SETS, dg.n, order,
                                              dg.department_codes, n_dept)
        curve = np.cumsum(first) * scale
        hit = np.flatnonzero(curve >= goal - 1e-9)
        if len(hit) or size >= limit or len(order) < size:
            break
        size = min(size * 4, limit)
    stop = int(hit[0]) + 1 if len(hit) else len(order)
    stop = max(stop, len(pins))
    chosen = order[:stop].tolist()
    spread = float(curve[stop - 1]) if stop else 0.0
    result.ids = [dg.ids[i] for i in chosen]
    result.names = [dg.names[i] for i in chosen]
    result.expected_spread = spread
    result.share = spread / big_t
    result.reached = bool(len(hit))
    result.curve = [float(x) for x in curve[:stop]]
    return result


def rank_pilot_departments(
    G: nx.DiGraph | DiffusionGraph,
    *,
    per_department: int = 3,
    model: str = "stance",
    p: float = 0.1,
    seed: Any = None,
    disallowed_stances: Iterable[Any] = (-2, -1),
    receptiveness: Mapping[Any, float] | None = None,
    overrides: Mapping[Any, Any] | None = None,
) -> pd.DataFrame:
    """Rank departments as the place to start a pilot.

    In each department the best ``per_department`` champions *from that
    department* are chosen (greedy on one shared set of reverse-reachable
    samples, maximising their total expected spread); the department's score
    is the expected number of adopters *outside* it.

    Parameters
    ----------
    G : networkx.DiGraph or DiffusionGraph
        The influence graph.
    per_department : int
        Champions chosen inside each department (fewer if it has fewer
        eligible people).
    model, p, receptiveness, overrides
        The diffusion model (see :mod:`~stakeholder_map.analysis.diffusion`).
    seed : int, random.Random or None
        Same seed, same answer.
    disallowed_stances : iterable
        Stances that may not be champions (default resistant and skeptic).

    Returns
    -------
    DataFrame
        ``department, size, champions`` (list of ids), ``spread_inside``,
        ``spread_beyond``, ``spread_total`` (expected adopters), sorted by
        ``spread_beyond``, largest first.

    References
    ----------
    .. [1] Kempe, Kleinberg and Tardos, KDD 2003.
    .. [2] Borgs, Brautbar, Chayes and Lucier, SODA 2014.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "Ops", "b": "IT", "c": "IT"}, "department")
    >>> rank_pilot_departments(G, per_department=1, model="ic", p=1.0, seed=0)[
    ...     ["department", "champions", "spread_beyond"]].round(1)
      department champions  spread_beyond
    0        Ops       [a]            2.0
    1         IT       [b]            0.0
    """
    columns = [s.DEPARTMENT, "size", "champions", "spread_inside", "spread_beyond", "spread_total"]
    dg = as_diffusion_graph(G, model=model, p=p, receptiveness=receptiveness, overrides=overrides)
    if dg.n == 0:
        return pd.DataFrame(columns=columns)
    pool = sample_pool(dg, model=model, p=p, receptiveness=receptiveness, overrides=overrides,
                       seed=seed)
    ptr1, nodes1 = pool.sets(0, _SETS)
    ptr2, nodes2 = pool.sets(1, _SETS)
    scale = pool.target_size / _SETS
    codes = dg.department_codes
    n_dept = len(dg.department_names)
    allowed = _allowed(dg, disallowed_stances, np.zeros(0, dtype=np.int32), ())
    no_pins = np.zeros(0, dtype=np.int32)
    no_min = np.zeros(n_dept, dtype=np.int64)
    sizes = np.bincount(codes, minlength=n_dept)
    rows = []
    for d, name in enumerate(dg.department_names):
        mask = (allowed.astype(bool) & (codes == d)).astype(np.uint8)
        k = min(max(int(per_department), 0), int(mask.sum()))
        inside = total = 0.0
        order = no_pins
        if k:
            order, _, _, _ = _kernels.greedy_cover(ptr1, nodes1, _SETS, dg.n, k, mask, no_pins,
                                                   dg.out_weight, codes, no_min, 0)
            _, _, by_dept = _kernels.evaluate_cover(ptr2, nodes2, _SETS, dg.n, order, codes, n_dept)
            total = float(by_dept.sum()) * scale
            inside = float(by_dept[d]) * scale
        rows.append((name, int(sizes[d]), [dg.ids[i] for i in order.tolist()],
                     inside, total - inside, total))
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["spread_beyond", s.DEPARTMENT], ascending=[False, True],
                             kind="stable").reset_index(drop=True)
