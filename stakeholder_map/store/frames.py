"""The store's rows as the library's frames: nullable codes, ``None`` for missing text, attributes as dicts.

Shared by the reads of the current map (:meth:`Store.people`, :meth:`Store.ties`) and of its versions
(:meth:`Store.people_at_version`, :meth:`Store.ties_at_version`), so both return the same columns and types.
"""

from __future__ import annotations

import json

import pandas as pd

from .. import schema as s

__all__ = ["PEOPLE_COLUMNS", "TIE_COLUMNS", "typed_people", "typed_ties"]

#: The columns of a people frame, in order (as :class:`~stakeholder_map.ingest.MapData.people`).
PEOPLE_COLUMNS = (s.ID, s.NAME, s.DEPARTMENT, s.ROLE, s.SENIORITY, s.STANCE, s.INFLUENCE, s.INTEREST,
                  s.EMAIL, s.NOTES, s.ATTRIBUTES)
#: The columns of a ties frame, in order.
TIE_COLUMNS = (s.SOURCE, s.TARGET, s.WEIGHT, s.KIND)


def _text(column: pd.Series) -> pd.Series:
    return column.astype(object).where(column.notna(), None)


def typed_people(frame: pd.DataFrame) -> pd.DataFrame:
    """People rows read from DuckDB → codes as ``Int64``, missing text as None, attributes parsed (JSON → dict)."""
    for column in (s.SENIORITY, s.STANCE, s.INFLUENCE, s.INTEREST):
        frame[column] = frame[column].astype("Int64")
    for column in (s.ROLE, s.EMAIL, s.NOTES):
        frame[column] = _text(frame[column])
    frame[s.ATTRIBUTES] = [json.loads(a) if isinstance(a, str) else {} for a in frame[s.ATTRIBUTES]]
    return frame


def typed_ties(frame: pd.DataFrame) -> pd.DataFrame:
    """Tie rows read from DuckDB → a missing kind as None."""
    frame[s.KIND] = _text(frame[s.KIND])
    return frame
