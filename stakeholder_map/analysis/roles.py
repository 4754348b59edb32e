"""Plain-language labels from the scores: power/interest quadrant and network roles.

Quadrant (Mendelow's power/interest grid)
    ``influence`` (1–5, formal power over the decision) is the power axis and
    ``interest`` (1–5) the interest axis. A score is *high* when it is above
    the scale's midpoint 3, i.e. 4 or 5. A person is placed only when
    **both** scores are recorded; otherwise they are :data:`UNSCORED`
    (``"unscored"``): with one axis unknown, any cell would be invented, and
    the advice that follows from it (e.g. "monitor" for someone who may be
    the key decision maker) would be made up. Maps with no influence or
    interest column leave everyone unscored, and say so
    (:data:`UNSCORED_ADVICE`).

    ============  ===============  ===============
    power         interest high    interest low
    ============  ===============  ===============
    high          manage closely   keep satisfied
    low           keep informed    monitor
    ============  ===============  ===============

Roles (a person can hold several; see :func:`assign_roles`)
    *isolate*
        no tie at all (in- and out-degree 0).
    *blocker*
        stance resistant or skeptic (−2 or −1) **and** in the top quartile of
        PageRank (influence rank) or of betweenness. Top quartile means
        strictly above the 75th percentile (numpy's linear interpolation) of
        that score over everyone in the map; "strictly" keeps ties at the
        threshold out, so people with zero betweenness are never in its top
        quartile and a map where everyone scores the same has none.
    *broker*
        at least one tie **and** either constraint strictly below the 10th
        percentile or effective size strictly above the 90th percentile,
        both taken over the people with at least one tie (Burt: low
        constraint and many non-redundant contacts mean the person spans
        structural holes).

Examples
--------
>>> quadrant(5, 4), quadrant(4, 1), quadrant(2, 5), quadrant(4, None), quadrant(None, None)
('manage closely', 'keep satisfied', 'keep informed', 'unscored', 'unscored')
>>> import pandas as pd
>>> df = pd.DataFrame({"stance": [-2, 1, -1, None], "pagerank": [0.4, 0.3, 0.2, 0.1],
...                    "betweenness": [0.0, 0.0, 0.0, 0.0], "constraint": [0.5, 0.6, 0.7, float("nan")],
...                    "effective_size": [2.0, 1.5, 1.0, float("nan")],
...                    "in_degree": [2, 1, 1, 0], "out_degree": [1, 1, 1, 0]})
>>> assign_roles(df).tolist()
[['broker', 'blocker'], [], [], ['isolate']]
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from .. import schema as s

__all__ = [
    "QUADRANTS",
    "QUADRANT_STRATEGY",
    "UNSCORED",
    "UNSCORED_ADVICE",
    "ROLES",
    "HIGH_SCORE",
    "BLOCKER_QUANTILE",
    "BROKER_DECILE",
    "quadrant",
    "assign_roles",
]

#: The four cells of the power/interest grid.
QUADRANTS = ("manage closely", "keep satisfied", "keep informed", "monitor")

#: What to do with the people of each quadrant (text for a change manager).
QUADRANT_STRATEGY: dict[str, str] = {
    "manage closely": (
        "Key players: engage them fully. Meet one to one, involve them in decisions "
        "and in the design of the change, and check their stance often."
    ),
    "keep satisfied": (
        "Powerful but less involved: keep them satisfied without overloading them. "
        "Short briefings on what matters to them, consult before big decisions."
    ),
    "keep informed": (
        "Interested but with little formal power: keep them informed and listen. "
        "Demos, newsletters, Q&A sessions; they often make good champions."
    ),
    "monitor": (
        "Low power, low interest: monitor with light-touch communication, "
        "and watch for changes in their interest or influence."
    ),
}

#: The quadrant of a person without both scores (not a cell of the grid).
UNSCORED = "unscored"

#: What the grid says about unscored people: nothing, and what would change that.
UNSCORED_ADVICE = (
    "No influence / interest scores in the data, so the power/interest grid gives no advice for them: "
    "add influence and interest columns (1–5) to the stakeholders file to place them."
)

#: Network roles, in the order :func:`assign_roles` lists them.
ROLES = ("broker", "blocker", "isolate")

#: A 1–5 score at or above this is high (above the midpoint 3).
HIGH_SCORE = 4
#: Blockers are strictly above this quantile of PageRank or betweenness.
BLOCKER_QUANTILE = 0.75
#: Brokers are strictly below this quantile of constraint (or strictly above
#: ``1 - BROKER_DECILE`` of effective size) among people with ties.
BROKER_DECILE = 0.10

_OPPOSED = (-2, -1)


def quadrant(influence: int | float | None, interest: int | float | None) -> str:
    """The power/interest quadrant of a stakeholder.

    Parameters
    ----------
    influence : int, float or None
        Formal power over the decision, 1–5 (the power axis).
    interest : int, float or None
        How much the change touches them, 1–5.

    Returns
    -------
    str
        One of :data:`QUADRANTS` when both scores are known (4 or more is
        high), else :data:`UNSCORED`.

    References
    ----------
    .. [1] Mendelow, A. (1991). "Stakeholder mapping." Proceedings of the 2nd
       International Conference on Information Systems, Cambridge, MA.

    Examples
    --------
    >>> quadrant(3, 3), quadrant(4, 4), quadrant(None, 5)
    ('monitor', 'manage closely', 'unscored')
    """
    power, attention = s.as_number(influence), s.as_number(interest)
    if power is None or attention is None:
        return UNSCORED
    power_high = power >= HIGH_SCORE
    interest_high = attention >= HIGH_SCORE
    if power_high:
        return QUADRANTS[0] if interest_high else QUADRANTS[1]
    return QUADRANTS[2] if interest_high else QUADRANTS[3]


def _above(values: pd.Series, q: float) -> np.ndarray:
    """True where ``values`` is strictly above its ``q`` quantile (NaN → False)."""
    data = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    known = data[~np.isnan(data)]
    if not len(known):
        return np.zeros(len(data), dtype=bool)
    with np.errstate(invalid="ignore"):
        return data > np.quantile(known, q)


def _below(values: pd.Series, q: float) -> np.ndarray:
    """True where ``values`` is strictly below its ``q`` quantile (NaN → False)."""
    data = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    known = data[~np.isnan(data)]
    if not len(known):
        return np.zeros(len(data), dtype=bool)
    with np.errstate(invalid="ignore"):
        return data < np.quantile(known, q)


def assign_roles(metrics_df: pd.DataFrame) -> pd.Series:
    """Label brokers, blockers and isolates from a scores table.

    Parameters
    ----------
    metrics_df : DataFrame
        Needs the columns ``stance`` (−2…2 or None), ``pagerank``,
        ``betweenness``, ``constraint``, ``effective_size``, ``in_degree`` and
        ``out_degree``, as made by
        :func:`~stakeholder_map.analysis.centrality.stakeholder_metrics`.

    Returns
    -------
    Series
        Same index; each value a list of role names in :data:`ROLES` order
        (empty when none applies). The rules are in the module docstring.

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of
       Competition. Harvard University Press.
    """
    if not len(metrics_df):
        return pd.Series([], index=metrics_df.index, dtype=object)
    degree = (pd.to_numeric(metrics_df["in_degree"]).to_numpy()
              + pd.to_numeric(metrics_df["out_degree"]).to_numpy())
    isolate = degree == 0
    opposed = np.array([s.as_int(x) in _OPPOSED for x in metrics_df["stance"].tolist()], dtype=bool)
    blocker = opposed & (_above(metrics_df["pagerank"], BLOCKER_QUANTILE)
                         | _above(metrics_df["betweenness"], BLOCKER_QUANTILE))
    tied = pd.Series(~isolate, index=metrics_df.index)
    constraint = metrics_df["constraint"].where(tied)
    effective = metrics_df["effective_size"].where(tied)
    broker = ~isolate & (_below(constraint, BROKER_DECILE) | _above(effective, 1 - BROKER_DECILE))
    # One bit per role; each person gets a fresh list for their combination.
    code = broker.astype(np.int64) | blocker.astype(np.int64) << 1 | isolate.astype(np.int64) << 2
    combos = [tuple(name for bit, name in enumerate(ROLES) if c >> bit & 1) for c in range(8)]
    roles = [list(combos[c]) for c in code.tolist()]
    return pd.Series(roles, index=metrics_df.index, dtype=object)
