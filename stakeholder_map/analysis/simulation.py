"""Forward simulation: how an idea spreads, step by step, from chosen people.

Monte Carlo over the contract's diffusion model (see
:mod:`stakeholder_map.analysis.diffusion`): each run plays one cascade from
the seed people, in compiled code; the runs are averaged into expected
adopters per step and per department with 95 % confidence intervals
(normal approximation, ``mean ± 1.96·sd/√runs``).

:func:`expected_spread` is the documented entry for "how many people adopt,
in expectation". It is an unbiased estimate of the same quantity that
:func:`~stakeholder_map.analysis.champions.select_champions` estimates from
reverse-reachable samples, so the two agree within the interval.
:func:`simulate` adds the curves over time. :func:`_simulate_once` plays a
single cascade (for tests and for animations). Both take the same settings
(model, tie probability, runs, seed, what-if stances, receptiveness,
objective) as keywords, or together as one :class:`SpreadSettings`.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph([("a", "b"), ("b", "c")])
>>> expected_spread(G, ["a"], model="ic", p=1.0, runs=10, seed=1).mean
3.0
>>> sim = simulate(G, ["a"], model="ic", p=1.0, steps=3, runs=10, seed=1)
>>> sim.curves.query("department == 'All'")["mean"].tolist()
[1.0, 2.0, 3.0, 3.0]
>>> sim.probability_at(1)
{'a': 1.0, 'b': 1.0, 'c': 0.0}

References
----------
.. [1] D. Kempe, J. Kleinberg and É. Tardos, "Maximizing the spread of
   influence through a social network", KDD 2003.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .. import schema as s
from . import _kernels
from .diffusion import DiffusionGraph, as_diffusion_graph

__all__ = ["SpreadSettings", "SpreadEstimate", "Simulation", "expected_spread", "simulate", "ALL"]

#: The ``department`` value of the whole-organisation rows of ``curves``.
ALL = "All"
_Z95 = 1.959963984540054
_OBJECTIVES = ("everyone", "unconvinced")


@dataclass(frozen=True)
class SpreadSettings:
    """How a spread is played and counted: what :func:`expected_spread` and :func:`simulate` share.

    Attributes
    ----------
    model : {"stance", "wc", "ic", "lt"}
        Diffusion model (see :mod:`~stakeholder_map.analysis.diffusion`).
    p : float
        Tie probability of the ``ic`` model.
    runs : int
        Monte Carlo runs.
    seed : int, random.Random or None
        Same seed, same answer.
    overrides : mapping, optional
        Person id → stance for a what-if.
    receptiveness : mapping, optional
        Stance → factor for the ``stance`` model.
    objective : {"everyone", "unconvinced"}
        Count every adopter, or only those not yet convinced (neutral,
        skeptic, resistant, unknown).

    Examples
    --------
    >>> SpreadSettings(model="ic", p=0.2).with_options(runs=10).runs
    10
    """

    model: str = "stance"
    p: float = 0.1
    runs: int = 1000
    seed: Any = None
    overrides: Mapping[Any, Any] | None = None
    receptiveness: Mapping[Any, float] | None = None
    objective: str = "everyone"

    def with_options(self, **options: Any) -> SpreadSettings:
        """These settings with some fields changed; an unknown name raises TypeError."""
        return replace(self, **options) if options else self

    def diffusion_graph(self, G: nx.DiGraph | DiffusionGraph) -> DiffusionGraph:
        """``G`` compiled for these settings' model, probability, receptiveness and what-ifs."""
        return as_diffusion_graph(G, model=self.model, p=self.p, receptiveness=self.receptiveness,
                                  overrides=self.overrides)


@dataclass(frozen=True)
class SpreadEstimate:
    """An expected number of adopters with its 95 % confidence interval."""

    mean: float
    ci_low: float
    ci_high: float
    runs: int

    def to_dict(self) -> dict:
        """The estimate as a plain dict."""
        return {"mean": self.mean, "ci_low": self.ci_low, "ci_high": self.ci_high, "runs": self.runs}


@dataclass(frozen=True)
class Simulation:
    """Expected adoption over time from one seed set.

    Attributes
    ----------
    curves : DataFrame
        ``step, department, mean, ci_low, ci_high``: cumulative expected
        adopters (seeds included, step 0 = the seeds) per department and for
        the whole organisation (department ``"All"``).
    total : SpreadEstimate
        Expected adopters when the cascade has run its course (all steps,
        not only the first ``steps``).
    ids : list of str
        Person ids, in the order of the rows of ``hits``.
    hits : ndarray
        ``hits[i, t]``: runs in which person ``i`` adopted at step ``t``.
    """

    seeds: list[str]
    model: str
    steps: int
    runs: int
    curves: pd.DataFrame
    total: SpreadEstimate
    ids: list[str]
    hits: np.ndarray

    def probability_at(self, step: int) -> dict[str, float]:
        """Probability that each person has adopted by ``step`` (capped at ``steps``)."""
        if not self.ids:
            return {}
        upto = min(max(int(step), 0), self.steps)
        share = self.hits[:, : upto + 1].sum(axis=1) / max(self.runs, 1)
        return dict(zip(self.ids, share.astype(float).tolist()))

    @property
    def probability(self) -> pd.DataFrame:
        """``id, step, probability``: adoption by each step, one row per person and step."""
        cumulative = np.cumsum(self.hits, axis=1) / max(self.runs, 1)
        steps = np.arange(self.steps + 1)
        return pd.DataFrame({
            s.ID: np.repeat(np.asarray(self.ids, dtype=object), len(steps)),
            "step": np.tile(steps, len(self.ids)),
            "probability": cumulative.ravel() if len(self.ids) else np.zeros(0),
        })


def _interval(values: np.ndarray) -> tuple[float, float, float]:
    runs = values.shape[0]
    mean = float(values.mean()) if runs else 0.0
    if runs < 2:
        return mean, mean, mean
    half = _Z95 * float(values.std(ddof=1)) / math.sqrt(runs)
    return mean, mean - half, mean + half


def _counted_mask(dg: DiffusionGraph, objective: str) -> np.ndarray:
    if objective not in _OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; use one of {', '.join(_OBJECTIVES)}")
    if objective == "everyone":
        return np.ones(dg.n, dtype=np.uint8)
    return np.array([st in s.UNCONVINCED_STANCES for st in dg.stances], dtype=np.uint8)


def _draw_seed(seed: Any) -> int:
    return nx.utils.create_py_random_state(seed).getrandbits(32)


def _runs(dg: DiffusionGraph, seeds: np.ndarray, runs: int, steps: int, counted: np.ndarray,
          seed: Any):
    return _kernels.forward_runs(
        dg.out_ptr, dg.out_dst, dg.out_prob, dg.is_lt, seeds, int(runs), int(steps),
        dg.department_codes, len(dg.department_names), counted, _draw_seed(seed),
    )


def _simulate_once(dg: DiffusionGraph, seeds: Iterable[Any], seed: Any = None) -> dict[str, int]:
    """Play one cascade: who adopts, and at which step (seeds at step 0)."""
    idx = dg.positions(seeds)
    if dg.n == 0 or not len(idx):
        return {}
    step_of = _kernels.cascade_once(dg.out_ptr, dg.out_dst, dg.out_prob, dg.is_lt, idx, _draw_seed(seed))
    return {dg.ids[i]: int(step_of[i]) for i in np.flatnonzero(step_of >= 0)}


def _prepare(G: nx.DiGraph | DiffusionGraph, seeds: Iterable[Any], settings: SpreadSettings | None,
             options: Mapping[str, Any]) -> tuple[SpreadSettings, DiffusionGraph, np.ndarray, int]:
    """The settings in force, the compiled graph, the seeds' positions and the run count (at least 1)."""
    settings = (settings or SpreadSettings()).with_options(**options)
    dg = settings.diffusion_graph(G)
    return settings, dg, dg.positions(seeds), max(int(settings.runs), 1)


def expected_spread(G: nx.DiGraph | DiffusionGraph, seeds: Iterable[Any],
                    settings: SpreadSettings | None = None, **options: Any) -> SpreadEstimate:
    """Expected number of adopters (seeds included) from a seed set.

    Parameters
    ----------
    G : networkx.DiGraph or DiffusionGraph
        The influence graph.
    seeds : iterable of str
        Ids of the people who start, already convinced.
    settings : SpreadSettings, optional
        Model, tie probability, runs, seed, what-ifs, receptiveness and
        objective (default :class:`SpreadSettings()`).
    **options
        Any field of :class:`SpreadSettings` as a keyword (``model=``,
        ``p=``, ``runs=``, ``seed=``, ``overrides=``, ``receptiveness=``,
        ``objective=``), taking precedence over ``settings``.

    Returns
    -------
    SpreadEstimate
        Mean and 95 % confidence interval over ``runs`` cascades.

    Raises
    ------
    UnknownStakeholder
        A seed or override names nobody in the map.

    References
    ----------
    .. [1] Kempe, Kleinberg and Tardos, KDD 2003.

    Examples
    --------
    >>> import networkx as nx
    >>> est = expected_spread(nx.DiGraph([("a", "b")]), ["a"], model="ic", p=0.5, runs=2000, seed=0)
    >>> est.ci_low < 1.5 < est.ci_high
    True
    """
    settings, dg, idx, runs = _prepare(G, seeds, settings, options)
    if dg.n == 0 or not len(idx):
        return SpreadEstimate(0.0, 0.0, 0.0, runs)
    _, totals, _ = _runs(dg, idx, runs, 0, _counted_mask(dg, settings.objective), settings.seed)
    return SpreadEstimate(*_interval(totals.astype(np.float64)), runs)


def simulate(G: nx.DiGraph | DiffusionGraph, seeds: Iterable[Any], settings: SpreadSettings | None = None,
             *, steps: int = 10, **options: Any) -> Simulation:
    """Expected adopters per step and per department from a seed set.

    Parameters
    ----------
    G, seeds, settings, **options
        As for :func:`expected_spread`.
    steps : int
        Number of steps the curves cover (step 0 = the seeds). The total is
        always over the whole cascade.

    Returns
    -------
    Simulation
        ``curves`` (cumulative, with 95 % intervals), ``probability`` /
        ``probability_at(step)`` per person, ``total``.

    Raises
    ------
    UnknownStakeholder
        As for :func:`expected_spread`.
    """
    settings, dg, idx, runs = _prepare(G, seeds, settings, options)
    steps = max(int(steps), 0)
    departments = list(dg.department_names)
    counted = _counted_mask(dg, settings.objective)
    if dg.n == 0 or not len(idx):
        new = np.zeros((runs, steps + 1, len(departments)), dtype=np.int64)
        totals = np.zeros(runs, dtype=np.int64)
        hits = np.zeros((dg.n, steps + 1), dtype=np.int32)
    else:
        new, totals, hits = _runs(dg, idx, runs, steps, counted, settings.seed)
    cumulative = np.cumsum(new, axis=1, dtype=np.int64)  # runs × steps+1 × departments
    rows = []
    whole = cumulative.sum(axis=2)
    for t in range(steps + 1):
        rows.append((t, ALL, *_interval(whole[:, t].astype(np.float64))))
        for d, name in enumerate(departments):
            rows.append((t, name, *_interval(cumulative[:, t, d].astype(np.float64))))
    curves = pd.DataFrame(rows, columns=["step", s.DEPARTMENT, "mean", "ci_low", "ci_high"])
    return Simulation(
        seeds=[dg.ids[i] for i in idx],
        model=dg.model,
        steps=steps,
        runs=runs,
        curves=curves,
        total=SpreadEstimate(*_interval(totals.astype(np.float64)), runs),
        ids=list(dg.ids),
        hits=hits,
    )
