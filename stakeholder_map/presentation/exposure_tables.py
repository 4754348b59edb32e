"""Seeds planted, as people read them: exposure per department and where to plant seeds next.

Shapes what :mod:`stakeholder_map.tracking.exposure` returns (through
``Workspace.department_exposure`` and ``Workspace.seeds_next``) into the tables
the Engagement page and the ``seeds`` command print. Nothing here imports
Streamlit; the text stays text (Streamlit's tables and the CLI print it as is).

Examples
--------
>>> import pandas as pd
>>> dept = pd.DataFrame({"department": ["HR"], "people": [4], "exposed": [1], "share": [0.25], "touches": [3]})
>>> department_table(dept).values.tolist()
[['HR', 4, 1, '25%', 3]]
>>> exposure_summary(dept)
'1 of 4 people (25%) have been exposed to the idea by 3 seed touches.'
"""

from __future__ import annotations

import pandas as pd

from .. import schema as s
from ..tracking.activities import SEED_ACTIVITIES, SEED_PREFIX
from .numbers import percent

__all__ = ["DEPARTMENT_TABLE_COLUMNS", "SEEDS_TABLE_COLUMNS", "NO_SEEDS", "department_table", "seeds_table",
           "exposure_summary", "seed_words"]

DEPARTMENT_TABLE_COLUMNS = [s.DEPARTMENT, "people", "exposed", "share exposed", "seed touches"]
SEEDS_TABLE_COLUMNS = ["rank", s.NAME, s.DEPARTMENT, s.STANCE, "adds", "touch", "why"]
#: Why "plant seeds next" is empty (``Workspace.seeds_next`` suggests only people whose touch would spread).
NO_SEEDS = ("No seed would spread further: everyone has heard of the idea already, would hear of it from "
            "those who have, or influences nobody who hasn't. Reach anyone left one by one (Next conversations).")


def department_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``Workspace.department_exposure`` with the share as a percentage; least exposed first (then by name)."""
    if frame is None or not len(frame):
        return pd.DataFrame(columns=DEPARTMENT_TABLE_COLUMNS)
    ordered = frame.sort_values(["share", s.DEPARTMENT], kind="stable")
    return pd.DataFrame({
        s.DEPARTMENT: ordered[s.DEPARTMENT].astype(str).to_numpy(),
        "people": ordered["people"].astype(int).to_numpy(),
        "exposed": ordered["exposed"].astype(int).to_numpy(),
        "share exposed": [percent(v) for v in ordered["share"]],
        "seed touches": ordered["touches"].astype(int).to_numpy(),
    }, columns=DEPARTMENT_TABLE_COLUMNS)


def seeds_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``Workspace.seeds_next`` as the page shows it: ``rank, name, department, stance, adds, touch, why``."""
    if frame is None or not len(frame):
        return pd.DataFrame(columns=SEEDS_TABLE_COLUMNS)
    return pd.DataFrame({
        "rank": range(1, len(frame) + 1),
        s.NAME: frame[s.NAME].astype(str).to_numpy(),
        s.DEPARTMENT: frame[s.DEPARTMENT].astype(str).to_numpy(),
        s.STANCE: frame[s.STANCE].astype(str).to_numpy(),
        "adds": [round(float(g), 1) for g in frame["gain"]],
        "touch": frame["touch"].astype(str).to_numpy(),
        "why": frame["why"].astype(str).to_numpy(),
    }, columns=SEEDS_TABLE_COLUMNS)


def exposure_summary(frame: pd.DataFrame) -> str:
    """One sentence on the whole map from ``Workspace.department_exposure``.

    >>> exposure_summary(pd.DataFrame({"department": ["HR"], "people": [2], "exposed": [0], "share": [0.0],
    ...                                "touches": [0]}))
    'Nobody has been exposed yet: no seed touch is logged.'
    """
    people = int(frame["people"].sum()) if len(frame) else 0
    exposed = int(frame["exposed"].sum()) if len(frame) else 0
    touches = int(frame["touches"].sum()) if len(frame) else 0
    if not touches:
        return "Nobody has been exposed yet: no seed touch is logged."
    return (f"{exposed:,} of {people:,} people ({percent(exposed / people)}) have been exposed to the idea by "
            f"{touches:,} seed touch{'es' if touches != 1 else ''}.")


def seed_words() -> str:
    """The activity words that count as seed touches, for help texts.

    >>> seed_words().startswith("article, results shared, demo seen")
    True
    """
    words = [w for w in SEED_ACTIVITIES if w != "seed touch"]
    return ", ".join(words) + f", or any activity starting with “{SEED_PREFIX}”"
