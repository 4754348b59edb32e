"""The org chart of a stakeholders file: its manager column → ``reports_to`` ties.

A stakeholders file may say who each person's manager is, by id, in a
``manager`` column (also accepted: ``manager id``, ``reports to``, ``line
manager``, ``supervisor``; see :data:`stakeholder_map.schema.STAKEHOLDERS`).
Each filled cell becomes one tie of kind ``reports_to`` from the manager to
the report, weight 1 — the direction the contract gives an org chart
(CONTRACT §2: "the manager is the source of a ``reports_to`` tie to the
report"). An empty cell means no manager: the top of the chart.

The file is refused as a whole (CONTRACT §4), naming file, rows and column,
when a manager id is nobody's id in the file, when a person is given as their
own manager, or when the chain of managers loops (A reports to B, B reports to
A; longer loops too).

Each person has at most one manager, so the chains of managers form a
functional graph (every node has at most one outgoing edge) and each loop is a
cycle that no other loop shares. :func:`manager_cycles` finds them all in one
pass, marking every person as it walks up from them (linear time: 100,000
people in well under a second). networkx's ``find_cycle`` is no substitute: it
reports one cycle, not every row, and on an acyclic chart of 100,000 people it
took over 10 s.

The column is part of the contract, not a custom attribute; the store keeps
the org chart only as these ties.

Examples
--------
>>> import pandas as pd
>>> lines = reporting_lines(pd.Series(["1", "2", "3"]), pd.Series(["", "1", "1"]), np.array([2, 3, 4]),
...                         file="org.csv", column="Manager")
>>> lines.ties.values.tolist(), lines.total
([['1', '2', 1.0, 'reports_to'], ['1', '3', 1.0, 'reports_to']], 0)
>>> lines = reporting_lines(pd.Series(["1", "2"]), pd.Series(["2", "1"]), np.array([2, 3]),
...                         file="org.csv", column="Manager")
>>> print(lines.problems[0])
org.csv, row 2, column 'Manager': the chain of managers is a loop: '1' → '2' → '1' (each reports to the next; rows 2, 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schema as s
from .errors import MAX_PROBLEMS, Problem

__all__ = ["ReportingLines", "reporting_lines", "manager_cycles", "merge_reporting_lines"]

#: Weight of a tie made from the manager column (the contract's default weight).
REPORTING_WEIGHT = 1.0
#: How many ids of a loop a message spells out before "…".
_SHOWN_IDS = 8


@dataclass
class ReportingLines:
    """What a manager column says: the ties it makes and the problems it has.

    ``problems`` holds at most :data:`~stakeholder_map.errors.MAX_PROBLEMS`
    per kind of problem; ``total`` counts them all. ``ties`` are made even
    when there are problems (the caller refuses the file then).
    """

    ties: pd.DataFrame
    problems: list[Problem]
    total: int


def manager_cycles(manager: Sequence[int]) -> list[list[int]]:
    """Every loop in the chains of managers, each once, in chain order.

    Parameters
    ----------
    manager : sequence of int
        ``manager[i]`` is the position of person ``i``'s manager, or a
        negative number for no manager.

    Returns
    -------
    list of list of int
        One list of positions per loop, each starting at its smallest
        position and following managers (``loop[k + 1] == manager[loop[k]]``);
        loops ordered by that first position. A person who is their own
        manager is a loop of one.

    Notes
    -----
    Walks up from each person not yet seen, marking everyone on the walk as
    "on this walk"; reaching a person on this walk closes a loop, reaching
    one seen on an earlier walk (or no manager) does not. Each person is
    walked over once: O(n) time and memory.

    Examples
    --------
    >>> manager_cycles([-1, 0, 0])
    []
    >>> manager_cycles([1, 2, 0, 3, 0, 4])
    [[0, 1, 2], [3]]
    """
    up = list(manager)
    n = len(up)
    state = bytearray(n)  # 0 unseen, 1 on the current walk, 2 done
    cycles: list[list[int]] = []
    for start in range(n):
        if state[start]:
            continue
        walk: list[int] = []
        v = start
        while 0 <= v < n and not state[v]:
            state[v] = 1
            walk.append(v)
            v = up[v]
        if 0 <= v < n and state[v] == 1:
            loop = walk[walk.index(v):]
            first = loop.index(min(loop))
            cycles.append(loop[first:] + loop[:first])
        for u in walk:
            state[u] = 2
    cycles.sort(key=lambda loop: loop[0])
    return cycles


def _empty_ties() -> pd.DataFrame:
    return pd.DataFrame({s.SOURCE: pd.Series(dtype=object), s.TARGET: pd.Series(dtype=object),
                         s.WEIGHT: pd.Series(dtype="float64"), s.KIND: pd.Series(dtype=object)})


def _listing(items: Sequence[object], limit: int) -> str:
    shown = ", ".join(str(i) for i in items[:limit])
    return shown + (" …" if len(items) > limit else "")


def reporting_lines(ids: pd.Series, managers: pd.Series, rows: np.ndarray, *, file: str, column: str,
                    names: pd.Series | None = None) -> ReportingLines:
    """Read a stakeholders file's manager column into ``reports_to`` ties, or say what is wrong.

    Parameters
    ----------
    ids, managers : Series of str
        The id and manager cells of each row, trimmed; ``""`` is an empty
        cell (a manager cell left empty means no manager).
    rows : ndarray of int
        The spreadsheet row of each person (header = row 1), for messages.
    file, column : str
        The file's name and the manager column's header as the user spelt it.
    names : Series of str, optional
        The people's names: an unknown manager id that is someone's name is
        pointed out (the column takes ids).

    Returns
    -------
    ReportingLines
        The ties (``source`` manager, ``target`` report, ``weight`` 1,
        ``kind`` ``reports_to``) in row order, and the problems: unknown
        manager ids, people given as their own manager, and every row of
        every loop in the chain of managers. Where an id appears twice (a
        refusal of its own), its first row is the person others report to.
    """
    ids_arr = ids.to_numpy(dtype=object)
    mgr_arr = managers.to_numpy(dtype=object)
    n = len(ids_arr)
    has = mgr_arr != ""
    firsts = ~ids.duplicated(keep="first").to_numpy()
    first_pos = np.flatnonzero(firsts)
    found = pd.Index(ids_arr[firsts]).get_indexer(mgr_arr) if n else np.array([], dtype=np.int64)
    unknown = has & (found < 0)
    own = has & (mgr_arr == ids_arr)
    manager = np.where(found >= 0, first_pos[np.clip(found, 0, None)] if n else found, -1)
    manager[~has | own] = -1

    problems: list[Problem] = []
    total = 0
    if unknown.any():
        at = np.flatnonzero(unknown)
        total += len(at)
        by_name: dict[str, str] = {}
        if names is not None:
            named = pd.Series(ids_arr, index=names.to_numpy(dtype=object))
            by_name = named[~named.index.duplicated(keep="first")].to_dict()
        for i in at[:MAX_PROBLEMS]:
            value = mgr_arr[i]
            message = f"unknown manager id {value!r}"
            if value in by_name:
                message += (f" (that is a name: this column takes the manager's id, here {by_name[value]!r}; "
                            "to keep names instead, rename the header or map it to a custom column)")
            problems.append(Problem(file, int(rows[i]), column, message))
    if own.any():
        at = np.flatnonzero(own)
        total += len(at)
        problems += [Problem(file, int(rows[i]), column, f"{ids_arr[i]!r} is given as their own manager")
                     for i in at[:MAX_PROBLEMS]]
    listed = 0
    for loop in manager_cycles(manager.tolist()):
        total += len(loop)
        chain = [repr(ids_arr[p]) for p in loop[:_SHOWN_IDS]]
        shown = " → ".join(chain) + (f" → … ({len(loop)} people)" if len(loop) > _SHOWN_IDS else
                                     f" → {chain[0]}")
        where = _listing([int(rows[p]) for p in loop], 10)
        message = f"the chain of managers is a loop: {shown} (each reports to the next; rows {where})"
        for p in loop:
            if listed < MAX_PROBLEMS:
                problems.append(Problem(file, int(rows[p]), column, message))
                listed += 1

    reports = np.flatnonzero(manager >= 0)
    ties = _empty_ties() if not len(reports) else pd.DataFrame({
        s.SOURCE: ids_arr[manager[reports]],
        s.TARGET: ids_arr[reports],
        s.WEIGHT: np.full(len(reports), REPORTING_WEIGHT),
        s.KIND: np.full(len(reports), s.REPORTS_TO, dtype=object),
    })
    return ReportingLines(ties, problems, total)


def merge_reporting_lines(ties: pd.DataFrame, lines: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The influences file's ties followed by the org chart's, each reporting line once.

    A manager → report pair the influences file already has with kind
    ``reports_to`` is not added again: the file's row stays (with its
    weight), so importing both an org chart and an export of it gives the
    same ties. Pairs of other kinds are separate ties (CONTRACT §2) and kept.

    Returns
    -------
    (DataFrame, int)
        The merged ties, and how many reporting lines were in the influences
        file already.

    Examples
    --------
    >>> file = pd.DataFrame({"source": ["1", "1"], "target": ["2", "3"], "weight": [3.0, 1.0],
    ...                      "kind": ["reports_to", "advice"]})
    >>> chart = pd.DataFrame({"source": ["1", "1"], "target": ["2", "3"], "weight": [1.0, 1.0],
    ...                       "kind": ["reports_to", "reports_to"]})
    >>> merged, doubled = merge_reporting_lines(file, chart)
    >>> merged.values.tolist(), doubled
    ([['1', '2', 3.0, 'reports_to'], ['1', '3', 1.0, 'advice'], ['1', '3', 1.0, 'reports_to']], 1)
    """
    if lines.empty:
        return ties, 0
    if ties.empty:
        return lines.reset_index(drop=True), 0
    stated = ties[ties[s.KIND] == s.REPORTS_TO]
    known = pd.MultiIndex.from_arrays([stated[s.SOURCE], stated[s.TARGET]])
    doubled = pd.MultiIndex.from_arrays([lines[s.SOURCE], lines[s.TARGET]]).isin(known)
    merged = pd.concat([ties, lines[~doubled]], ignore_index=True)
    return merged, int(doubled.sum())
