"""The rotation team file (``team.csv``) → a validated frame, or one :class:`ContractError`.

The team of associates who visit the departments (see
:mod:`stakeholder_map.tracking.rotation`) comes as a file of its own, read with
the same tolerance as the map files (:func:`stakeholder_map.ingest.read_table`:
delimiters, BOM, header spelling, blank rows). It sits on the ingest side so
that tracking reads plain frames and never a file.

Examples
--------
>>> from io import BytesIO
>>> read_team(BytesIO(b"Associate;Home\\r\\nAnn;IT\\r\\nBo;\\r\\n")).values.tolist()
[['Ann', 'IT', None], ['Bo', None, None]]
"""

from __future__ import annotations

from typing import BinaryIO

import pandas as pd

from . import schema as s
from .errors import ContractError, Problem
from .ingest import read_table

__all__ = ["read_team"]


def read_team(fp: BinaryIO, *, name: str = "team.csv") -> pd.DataFrame:
    """Read the team of associates: ``name`` (required), ``home_department``, ``email``.

    Parameters
    ----------
    fp : binary file object
        What ``st.file_uploader`` returns or ``open(path, "rb")``; the same
        tolerance as the map files (delimiters, BOM, header spelling, blank
        rows).
    name : str
        The file name used in problem messages.

    Returns
    -------
    DataFrame
        ``name, home_department, email`` in file order (missing values None).

    Raises
    ------
    ContractError
        Listing every problem with file, spreadsheet row and column: a
        missing ``name`` column, an empty or duplicate name, fewer than two
        associates.

    Examples
    --------
    >>> from io import BytesIO
    >>> try:
    ...     read_team(BytesIO(b"name\\nAnn\\nAnn\\n"))
    ... except ContractError as e:
    ...     print(e.problems[0])
    team.csv, row 3, column 'name': duplicate name 'Ann' (first at row 2)
    """
    frame, rows = read_table(fp, s.TEAM, name=name)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for row, who in zip(rows.tolist(), frame[s.NAME].tolist()):
        if not who:
            problems.append(Problem(name, row, s.NAME, "name is empty"))
        elif who.casefold() in seen:
            problems.append(Problem(name, row, s.NAME, f"duplicate name {who!r} (first at row {seen[who.casefold()]})"))
        else:
            seen[who.casefold()] = row
    if not problems and len(seen) < 2:
        problems.append(Problem(name, None, s.NAME,
                                f"a rotation needs at least two associates; the file names {len(seen)}"))
    if problems:
        raise ContractError(problems)

    def text(column: str) -> list[str | None]:
        if column not in frame:
            return [None] * len(frame)
        return [v if v else None for v in frame[column].tolist()]

    return pd.DataFrame({s.NAME: pd.Series(frame[s.NAME].tolist(), dtype=object),
                         s.HOME_DEPARTMENT: pd.Series(text(s.HOME_DEPARTMENT), dtype=object),
                         s.EMAIL: pd.Series(text(s.EMAIL), dtype=object)})
