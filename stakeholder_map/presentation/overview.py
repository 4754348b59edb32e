"""Department-level figures of a map, computed from arrays instead of the graph.

A big map (100,000 people, a million ties) opens on its department overview:
one circle per department, one arrow per pair of departments. Building the
networkx graph of such a map takes several seconds; the overview needs only
each person's department and stance and the ties summed per pair of people,
which the store returns in about half a second (:meth:`Store.tie_pairs`).
:class:`DepartmentOverview` holds those as numpy arrays, and
:meth:`DepartmentOverview.figures` applies the Map page's filters (stances,
minimum tie weight, stances as of a past date) with vectorised counting, in
milliseconds, so changing a filter on the overview never waits for the graph.

The figures are the same as counting over the graph filtered with
:func:`stakeholder_map.graph.filter_graph` (a test holds them to it), and
:func:`stakeholder_map.presentation.network_view.department_view` draws either.

Examples
--------
>>> import pandas as pd
>>> people = pd.DataFrame({"id": ["a", "b", "c"], "department": ["IT", "IT", None],
...                        "stance": [2, None, -1]})
>>> pairs = pd.DataFrame({"source": [0, 1], "target": [1, 2], "weight": [2.0, 1.0], "ties": [2, 1]})
>>> overview = DepartmentOverview.build(people, pairs)
>>> overview.departments
['IT', 'Unassigned']
>>> f = overview.figures()
>>> f.people[["department", "total", "shown", "champion", "unknown", "skeptic"]].values.tolist()
[['IT', 2, 2, 1, 1, 0], ['Unassigned', 1, 1, 0, 0, 1]]
>>> f.ties.values.tolist()
[['IT', 'IT', 2, 2.0], ['IT', 'Unassigned', 1, 1.0]]
>>> overview.figures(min_weight=1.5).ties.values.tolist()
[['IT', 'IT', 2, 2.0]]
>>> overview.figures(stances=["champion", "skeptic"]).people["shown"].tolist()
[1, 1]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from .. import schema as s

__all__ = ["STANCE_COLUMNS", "DepartmentFigures", "DepartmentOverview"]

#: The stance labels counted per department, in order (``unknown`` last).
STANCE_COLUMNS: tuple[str, ...] = tuple(s.STANCE_LABELS[v] for v in sorted(s.STANCE_LABELS)) + ("unknown",)
_UNKNOWN = len(STANCE_COLUMNS) - 1
_CODE_OF_VALUE = {v: i for i, v in enumerate(sorted(s.STANCE_LABELS))}
_CODE_OF_LABEL = {label: i for i, label in enumerate(STANCE_COLUMNS)}


@dataclass(frozen=True)
class DepartmentFigures:
    """What the department overview draws.

    Attributes
    ----------
    people : DataFrame
        One row per department with anybody shown, sorted by name:
        ``department``, ``total`` (head count), ``shown`` (people passing the
        filters) and one count of the shown people per stance label
        (:data:`STANCE_COLUMNS`).
    ties : DataFrame
        ``source_department, target_department, ties, weight``: ties between
        shown people summed per ordered pair of departments (a department to
        itself: the ties inside it), sorted.
    sizes : dict
        Head count of every department of the map (places and circle sizes
        come from the whole map, not the filtered part).
    """

    people: pd.DataFrame
    ties: pd.DataFrame
    sizes: dict[str, int]


@dataclass(frozen=True)
class DepartmentOverview:
    """A map reduced to arrays: people's departments and stances, ties summed per pair.

    Build it with :meth:`build` (from the store's frames) or
    :meth:`from_graph`; then :meth:`figures` gives the counts to draw.
    """

    ids: np.ndarray  #: person ids (text), in the order of the other per-person arrays
    departments: list[str]  #: department names, sorted (missing → ``Unassigned``)
    department: np.ndarray  #: per person: index into ``departments``
    stance: np.ndarray  #: per person: index into :data:`STANCE_COLUMNS`
    source: np.ndarray  #: per pair: position of the person who influences
    target: np.ndarray  #: per pair: position of the person influenced
    weight: np.ndarray  #: per pair: summed weight
    ties: np.ndarray  #: per pair: number of ties summed

    @classmethod
    def build(cls, people: pd.DataFrame, pairs: pd.DataFrame) -> DepartmentOverview:
        """From the people frame and :meth:`Store.tie_pairs` (positions into ``people``)."""
        n = len(people)
        ids = people[s.ID].astype(str).to_numpy(dtype=object) if n else np.zeros(0, dtype=object)
        if s.DEPARTMENT in people and n:
            names = [s.cell_text(d) or s.UNASSIGNED for d in people[s.DEPARTMENT].tolist()]
        else:
            names = [s.UNASSIGNED] * n
        codes, uniques = pd.factorize(pd.Series(names, dtype=object), sort=True)
        stances = people[s.STANCE].tolist() if s.STANCE in people else [None] * n
        return cls(
            ids=ids,
            departments=[str(d) for d in uniques],
            department=codes.astype(np.int64),
            stance=_stance_codes(stances),
            source=pairs["source"].to_numpy(dtype=np.int64),
            target=pairs["target"].to_numpy(dtype=np.int64),
            weight=pairs["weight"].to_numpy(dtype=np.float64),
            ties=pairs["ties"].to_numpy(dtype=np.int64),
        )

    @classmethod
    def from_graph(cls, G: nx.DiGraph) -> DepartmentOverview:
        """From a map's graph (edges carry ``weight`` and ``ties``, as :func:`graph.build_graph` makes them)."""
        nodes = list(G)
        people = pd.DataFrame({
            s.ID: [str(v) for v in nodes],
            s.DEPARTMENT: [G.nodes[v].get(s.DEPARTMENT) for v in nodes],
            s.STANCE: [G.nodes[v].get(s.STANCE) for v in nodes],
        })
        position = {v: i for i, v in enumerate(nodes)}
        edges = list(G.edges(data=True))
        pairs = pd.DataFrame({
            "source": [position[u] for u, _, _ in edges],
            "target": [position[v] for _, v, _ in edges],
            "weight": [float(d.get("weight", 1.0)) for _, _, d in edges],
            "ties": [int(d.get("ties", 1)) for _, _, d in edges],
        }, columns=["source", "target", "weight", "ties"])
        return cls.build(people, pairs)

    @property
    def max_weight(self) -> float:
        """The heaviest summed tie (1.0 without ties), for the weight slider."""
        return float(self.weight.max()) if len(self.weight) else 1.0

    def stances_from(self, labels: pd.DataFrame) -> np.ndarray:
        """Per-person stance codes from a frame of ``id, label`` (e.g. stances as of a date).

        People missing from ``labels`` keep their current stance.
        """
        codes = self.stance.copy()
        where = pd.Index(self.ids).get_indexer(labels[s.ID].astype(str))
        found = where >= 0
        codes[where[found]] = [_CODE_OF_LABEL.get(str(x), _UNKNOWN) for x in labels["label"].to_numpy()[found]]
        return codes

    def figures(
        self,
        *,
        stances: Iterable[str] | None = None,
        min_weight: float = 0.0,
        stance: np.ndarray | None = None,
    ) -> DepartmentFigures:
        """Counts per department and per pair of departments, after the filters.

        Parameters
        ----------
        stances : iterable of str, optional
            Keep people whose stance label is listed (None or empty keeps all).
        min_weight : float
            Drop pairs whose summed weight is below this.
        stance : array, optional
            Per-person stance codes to use instead of the current ones (from
            :meth:`stances_from`).
        """
        codes = self.stance if stance is None else stance
        wanted = {_CODE_OF_LABEL[x] for x in (stances or ()) if x in _CODE_OF_LABEL}
        keep = np.isin(codes, list(wanted)) if wanted else np.ones(len(codes), dtype=bool)
        k, m = len(self.departments), len(STANCE_COLUMNS)
        mix = np.bincount(self.department[keep] * m + codes[keep], minlength=k * m).reshape(k, m)
        totals = np.bincount(self.department, minlength=k)
        people = pd.DataFrame(mix, columns=list(STANCE_COLUMNS))
        people.insert(0, "shown", mix.sum(axis=1))
        people.insert(0, "total", totals)
        people.insert(0, "department", self.departments)
        people = people[people["shown"] > 0].reset_index(drop=True)

        edge = keep[self.source] & keep[self.target]
        if min_weight and min_weight > 0:
            edge &= self.weight >= min_weight
        cell = self.department[self.source[edge]] * k + self.department[self.target[edge]]
        count = np.bincount(cell, weights=self.ties[edge], minlength=k * k)
        weight = np.bincount(cell, weights=self.weight[edge], minlength=k * k)
        used = np.flatnonzero(np.bincount(cell, minlength=k * k))
        ties = pd.DataFrame({
            "source_department": [self.departments[c // k] for c in used],
            "target_department": [self.departments[c % k] for c in used],
            "ties": count[used].astype(np.int64),
            "weight": weight[used],
        })
        sizes = {d: int(n) for d, n in zip(self.departments, totals)}
        return DepartmentFigures(people=people, ties=ties, sizes=sizes)


def _stance_codes(values: Sequence) -> np.ndarray:
    """Stance values (−2…2, None/NA for unknown) → indexes into :data:`STANCE_COLUMNS`."""
    out = np.full(len(values), _UNKNOWN, dtype=np.int64)
    for i, v in enumerate(values):
        if v is not None and v is not pd.NA and v == v:
            out[i] = _CODE_OF_VALUE[int(v)]
    return out
