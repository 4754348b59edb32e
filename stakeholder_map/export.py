"""A map → the contract's CSV files, safe to open in a spreadsheet.

The files are in the exact form :func:`stakeholder_map.ingest.read_map` reads,
so importing an export gives the same map. Text that a spreadsheet would run
as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return)
gets a leading ``'`` (OWASP's advice for CSV injection); numbers, negative
ones included, stay numbers. The importer removes that one ``'`` again.

Examples
--------
>>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-2"), safe_cell("Ann")
('\\'=HYPERLINK("http://x")', '-2', 'Ann')
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pandas as pd

from . import schema as s
from .ingest import FORMULA_TRIGGERS
from .store import Store

__all__ = ["export_map", "write_export", "safe_cell", "frame_to_csv", "EXPORT_FILES"]

EXPORT_FILES = ("stakeholders.csv", "influences.csv", "engagements.csv")
#: Text a spreadsheet runs as a formula, or such text already quoted by us ('=…).
_FORMULA_LIKE = re.compile("^'*[" + re.escape("".join(FORMULA_TRIGGERS)) + "]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: object) -> str:
    """Text for one CSV cell; formula-like text is prefixed with ``'``."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    if _FORMULA_LIKE.match(text) and not _NUMBER.match(text):
        return "'" + text
    return text


def _number(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """Write a frame of text cells as UTF-8 CSV with every cell made spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(c) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def export_map(store: Store, name: str) -> dict[str, bytes]:
    """The map's three CSV files as ``{file name: bytes}``."""
    people = store.people(name)
    custom = store.custom_columns(name)
    table = pd.DataFrame({
        s.ID: people[s.ID], s.NAME: people[s.NAME], s.DEPARTMENT: people[s.DEPARTMENT],
        s.ROLE: people[s.ROLE],
        s.SENIORITY: [_number(v) for v in people[s.SENIORITY]],
        s.STANCE: ["" if pd.isna(v) else s.stance_label(int(v)) for v in people[s.STANCE]],
        s.INFLUENCE: [_number(v) for v in people[s.INFLUENCE]],
        s.INTEREST: [_number(v) for v in people[s.INTEREST]],
        s.EMAIL: people[s.EMAIL], s.NOTES: people[s.NOTES],
    })
    for column in custom:
        table[column] = [a.get(column, "") for a in people[s.ATTRIBUTES]]
    ties = store.ties(name)
    tie_table = pd.DataFrame({
        s.SOURCE: ties[s.SOURCE], s.TARGET: ties[s.TARGET],
        s.WEIGHT: [_number(w) for w in ties[s.WEIGHT]], s.KIND: ties[s.KIND],
    })
    events = store.engagements(name)
    event_table = pd.DataFrame({
        s.DATE: [d.isoformat() for d in events[s.DATE]],
        s.STAKEHOLDER_ID: events[s.STAKEHOLDER_ID],
        s.ACTIVITY: events[s.ACTIVITY],
        s.STANCE_AFTER: ["" if pd.isna(v) else s.stance_label(int(v)) for v in events[s.STANCE_AFTER]],
        s.NOTES: events[s.NOTES],
    })
    return dict(zip(EXPORT_FILES, (frame_to_csv(table), frame_to_csv(tie_table), frame_to_csv(event_table))))


def write_export(store: Store, name: str, out_dir: str | Path) -> list[Path]:
    """Write the map's CSV files into ``out_dir`` (created if missing); returns their paths."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, content in export_map(store, name).items():
        path = folder / file_name
        path.write_bytes(content)
        written.append(path)
    return written
