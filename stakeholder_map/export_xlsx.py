"""A map → one Excel workbook (``.xlsx``) that the import reads back as the same map.

Three sheets, ``stakeholders``, ``influences`` and ``engagements``, with the
columns of the CSV export (:func:`stakeholder_map.export.map_tables`): numbers
as numbers, engagement dates as dates (shown ``yyyy-mm-dd``), everything else
as text cells, a bold header row frozen in place. Every text cell is written
with the text type, so text starting with ``=`` (or ``+``, ``-``, ``@``) is
shown as typed and never run as a formula: the workbook holds no formula at
all. Unlike the CSV export no ``'`` is put in front of such text (a text cell
needs none).

Characters XML cannot hold (control characters other than tab and line
breaks) are written as Excel writes them, ``_x0001_``, and a ``_`` that would
read as the start of such an escape as ``_x005F_``; readers of the format
(Excel, LibreOffice, python-calamine) turn both back into the text.

Examples
--------
>>> import io, zipfile
>>> import pandas as pd
>>> book = workbook_bytes({"stakeholders.csv": pd.DataFrame({"id": ["007"], "name": ["=cmd|' /C calc'!A0"]})})
>>> sheet = zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml")
>>> b"<f>" in sheet, b"=cmd" in sheet
(False, True)
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .export import DATE_COLUMNS, NUMBER_COLUMNS, map_tables, safe_filename
from .store import Store

__all__ = ["export_workbook", "workbook_bytes", "workbook_filename", "XLSX_MIME"]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Characters XML 1.0 cannot hold (openpyxl refuses them); written as ``_xHHHH_``.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: A ``_`` that a reader would take for the start of an ``_xHHHH_`` escape.
_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_WIDEST = 60


def _escaped(text: str) -> str:
    """Text as a cell holds it: ``_xHHHH_`` for what XML cannot hold.

    >>> _escaped("a\\x01b"), _escaped("_x0041_")
    ('a_x0001_b', '_x005F_x0041_')
    """
    text = _ESCAPE_LIKE.sub("_x005F_", text)
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _cell(sheet, value: object, kind: str) -> WriteOnlyCell:
    """One cell of the given kind ("text", "number", "date"); an empty cell for a missing value."""
    if _missing(value):
        return WriteOnlyCell(sheet, value=None)
    if kind == "number":
        number = float(value)
        if number.is_integer() and abs(number) < 1e15:
            return WriteOnlyCell(sheet, value=int(number))
        # openpyxl writes floats with 16 digits ("%.16g"); the shortest exact form is written instead, so the
        # number read back is the same double.
        cell = WriteOnlyCell(sheet, value=repr(number))
        cell.data_type = "n"
        return cell
    if kind == "date":
        cell = WriteOnlyCell(sheet, value=value.date() if isinstance(value, datetime) else value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    cell = WriteOnlyCell(sheet, value=_escaped(str(value)))
    cell.data_type = "s"            # text, always: openpyxl makes "=..." a formula otherwise
    return cell


def _kind(file_name: str, column: str, values: pd.Series) -> str:
    """How a column is written: the contract's number and date columns of its file as such, the rest text."""
    if column in NUMBER_COLUMNS.get(file_name, ()):
        return "number"
    if column in DATE_COLUMNS.get(file_name, ()) and all(_missing(v) or isinstance(v, date) for v in values):
        return "date"
    return "text"


def workbook_bytes(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """Tables (file name → frame, as :func:`stakeholder_map.export.map_tables` gives) as one workbook.

    Each table becomes a sheet named after its file (``stakeholders.csv`` →
    ``stakeholders``), header row bold and frozen, columns typed as the module
    docstring says.
    """
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for file_name, frame in tables.items():
        sheet = book.create_sheet(file_name.rsplit(".", 1)[0][:31])
        sheet.freeze_panes = "A2"
        kinds = [_kind(file_name, str(c), frame.iloc[:, i]) for i, c in enumerate(frame.columns)]
        for i, column in enumerate(frame.columns, start=1):
            longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200) if not _missing(v)])
            sheet.column_dimensions[get_column_letter(i)].width = min(_WIDEST, max(8, longest + 2))
        header = []
        for column in frame.columns:
            cell = _cell(sheet, str(column), "text")
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_cell(sheet, value, kind) for value, kind in zip(row, kinds)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_workbook(store: Store, name: str) -> bytes:
    """The map as one ``.xlsx`` workbook: the CSV export's three files as three sheets."""
    return workbook_bytes(map_tables(store, name))


def workbook_filename(name: str) -> str:
    """The download's file name for map ``name``: safe for any file system.

    >>> workbook_filename("PM rollout: Q3/Q4")
    'PM rollout_ Q3_Q4.xlsx'
    """
    return safe_filename(name, suffix=".xlsx")
