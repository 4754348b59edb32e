"""What the Data page shows about an upload before it is imported: the preview tables and the import plan.

An upload is checked by :func:`stakeholder_map.ingest.read_map`, whose frames
hold stances as numbers (−2…2) and missing cells as None/NaN/NA. A person
checking a file wants to see it as they wrote it: :func:`preview_table` turns
stances back into words and missing cells into empty text, and spreads the
custom columns out again. :func:`import_plan` says in words exactly which
files and which map name an import will use, so nothing hidden can slip in.
:func:`missing_columns` reads a refusal for required columns the file lacks
(the cue to open the column mapping).

Nothing here imports Streamlit; the text is plain and the page escapes it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from .. import schema as s
from ..errors import ContractError

__all__ = ["UploadFacts", "preview_table", "import_plan", "missing_columns", "size_text", "MISSING_COLUMN"]

#: The message ingest gives a problem about a required column the file lacks.
MISSING_COLUMN = "missing required column"
_STANCE_COLUMNS = (s.STANCE, s.STANCE_AFTER)


@dataclass(frozen=True)
class UploadFacts:
    """One file an import would use: its role (``stakeholders``, ...), file name, size in bytes, data rows."""

    label: str
    name: str
    size: int
    rows: int


def _cell(value: object) -> str:
    """Display text of one cell: missing is empty, a whole float has no ``.0``."""
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return s.cell_text(value)


def preview_table(frame: pd.DataFrame, *, limit: int = 100) -> pd.DataFrame:
    """The first ``limit`` rows of an ingested frame as the user wrote them, every cell text.

    Stances become words (``supporter``, not ``1``), missing cells become ``""``
    (not ``None``/``nan``/``<NA>``), and the custom columns kept in
    ``attributes`` become columns of their own, after the contract's.

    >>> frame = pd.DataFrame({"id": ["1", "2"], "stance": pd.array([1, None], dtype="Int64"),
    ...                       "weight": [2.0, float("nan")], "attributes": [{"site": "Oslo"}, {}]})
    >>> preview_table(frame).to_dict("list")
    {'id': ['1', '2'], 'stance': ['supporter', ''], 'weight': ['2', ''], 'site': ['Oslo', '']}
    """
    head = frame.head(limit)
    out = pd.DataFrame(index=range(len(head)))
    for column in head.columns:
        if column == s.ATTRIBUTES:
            continue
        values = head[column].tolist()
        if column in _STANCE_COLUMNS:
            out[column] = [_cell(v) and s.stance_label(v) for v in values]
        else:
            out[column] = [_cell(v) for v in values]
    if s.ATTRIBUTES in head:
        extras = [a if isinstance(a, Mapping) else {} for a in head[s.ATTRIBUTES].tolist()]
        for key in dict.fromkeys(k for a in extras for k in a):
            if key not in out:
                out[key] = [_cell(a.get(key)) for a in extras]
    return out


def size_text(size: int) -> str:
    """A file size in words.

    >>> size_text(512), size_text(20_480), size_text(3_500_000)
    ('512 bytes', '20 KB', '3.5 MB')
    """
    if size < 1024:
        return f"{size:,} byte{'s' if size != 1 else ''}"
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / 1e6:,.1f} MB"


def import_plan(files: Iterable[UploadFacts], labels: Iterable[str]) -> list[tuple[str, str]]:
    """(role, what the import takes for it) per file role, in ``labels`` order; an empty box says so.

    >>> import_plan([UploadFacts("stakeholders", "org.csv", 90, 5)], ["stakeholders", "influences"])
    [('stakeholders', 'org.csv (90 bytes, 5 rows)'), ('influences', 'none (the box is empty)')]
    """
    by_label = {f.label: f for f in files}
    plan = []
    for label in labels:
        f = by_label.get(label)
        plan.append((label, "none (the box is empty)" if f is None else
                     f"{f.name} ({size_text(f.size)}, {f.rows:,} row{'s' if f.rows != 1 else ''})"))
    return plan


def missing_columns(error: ContractError) -> dict[str, list[str]]:
    """File name -> the required columns it lacks (with the closest header, when there is one).

    >>> from stakeholder_map.errors import Problem
    >>> missing_columns(ContractError([Problem("org.csv", 1, "name", MISSING_COLUMN, "Emp Nme")]))
    {'org.csv': ['name (closest header: “Emp Nme”)']}
    """
    out: dict[str, list[str]] = {}
    for lack in error.missing_columns:
        hint = f" (closest header: “{lack['suggestion']}”)" if lack["suggestion"] else ""
        out.setdefault(lack["file"], []).append(f"{lack['column']}{hint}")
    return out
