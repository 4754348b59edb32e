"""Excel workbooks (``.xlsx``) → the same validated frames as the CSV files.

A workbook is read into one :class:`~stakeholder_map.ingest.Grid` per sheet,
and :func:`stakeholder_map.ingest.read_map` checks the grids exactly as it
checks CSV files: the same header matching, problems, limits and all-or-nothing
refusal. Problems name the sheet: ``people.xlsx, sheet 'influences', row 5,
column 'target': unknown stakeholder id '9'`` (the row the spreadsheet shows).

How cells are read (python-calamine, which reads the values a spreadsheet
program last saved and never runs anything):

* text stays text (``007`` typed as text stays ``007``); a number that is
  whole is written without a decimal part (``12``, not ``12.0``), others as
  Python writes them (``2.5``); TRUE/FALSE as such;
* dates are ISO dates (``2026-10-01``), a date with a time of day
  ``2026-10-01 09:30``;
* a formula gives the value it showed when the file was last saved; a cell
  showing a spreadsheet error (``#N/A``, ``#DIV/0!``) is a problem;
* empty rows above the header, and a title row above it that is one cell
  merged across columns, are skipped (rows keep their numbers); a merged cell
  below the header (a department merged over its people, say) gives its value
  to every cell it covers; a header cell merged across columns that hold
  values is a problem (each column needs its own header);
* empty rows at the end, however many are formatted, are not rows;
* hidden sheets are ignored: not offered, not matched by name.

Sheets are found by name for each of the contract's files (``stakeholders``,
``influences``, ``engagements``, any case; see :data:`SHEET_NAMES`); the
Data page and ``stakeholder-map import --sheet`` pick one when the names don't
say. A workbook in place of a single CSV file with one visible sheet is that
file.

Refused, each with a message naming the file, before anything is parsed: a
``.xls`` (the old binary format), a password-protected workbook (an encrypted
OLE2 container, told apart from ``.xls`` by its ``EncryptedPackage`` stream),
a damaged ZIP archive, an OpenDocument spreadsheet, a workbook that expands to
more than :data:`MAX_EXPANDED` bytes or whose parts compress more than
:data:`MAX_RATIO` to 1 (a "workbook bomb"), and a sheet whose used area spans
more than :data:`MAX_CELLS` cells. A ``.xlsm`` is read for its values only: its
macros are never run, and a warning says so.

Examples
--------
>>> import io, openpyxl
>>> book = openpyxl.Workbook()
>>> book.active.title = "Stakeholders"
>>> book.active.append(["id", "name"]); book.active.append(["007", "Ann"]); book.active.append([12, "Bo"])
>>> ties = book.create_sheet("influences"); ties.append(["source", "target"]); ties.append(["007", 13])
>>> out = io.BytesIO(); book.save(out)
>>> try:
...     read_sources({"stakeholders": ("people.xlsx", out.getvalue())})
... except ContractError as e:
...     print(e.problems[0])
people.xlsx, sheet 'influences', row 2, column 'target': unknown stakeholder id '13'
"""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import BinaryIO

import numpy as np
import pandas as pd
import python_calamine

from .errors import MAX_PROBLEMS, ContractError, Problem
from .ingest import Grid, MapData, read_headers, read_map

__all__ = [
    "Workbook", "Sources", "open_workbook", "open_sources", "read_sources", "is_workbook",
    "sheet_for", "sheet_name", "LABELS", "SHEET_NAMES", "WORKBOOK_SUFFIXES",
    "MAX_UPLOAD_MB", "MAX_EXPANDED", "MAX_RATIO", "MAX_CELLS",
]

#: The contract's files, in the order :func:`read_map` takes them.
LABELS = ("stakeholders", "influences", "engagements")
#: Sheet names (compared without case and surrounding spaces) that mean each file.
SHEET_NAMES = {
    "stakeholders": ("stakeholders", "stakeholder", "stakeholders.csv", "people"),
    "influences": ("influences", "influence", "influences.csv", "ties"),
    "engagements": ("engagements", "engagement", "engagements.csv", "touchpoints"),
}
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: The upload limit in MB: the dashboard's ``server.maxUploadSize`` (``.streamlit/config.toml``; a test
#: keeps the two equal). A CSV file may be this big, so may a workbook.
MAX_UPLOAD_MB = 50
#: Most bytes a workbook's parts may expand to, all together: four times the upload limit, room for the
#: XML of a CSV file as big as the limit allows (a sheet's XML is 2-3 times its CSV).
MAX_EXPANDED = 4 * MAX_UPLOAD_MB * 2**20
#: Highest compression ratio of a part bigger than :data:`_RATIO_FROM` bytes. Real sheets compress about
#: 10:1 (a million formatted empty rows about 12:1); DEFLATE cannot pass about 1030:1, which bombs aim for.
MAX_RATIO = 200
_RATIO_FROM = 1 << 20
#: Most cells (rows × columns of the used area) one sheet may span: a few bytes of XML can place one
#: value at the last row and another at the last column, and a reader lays the whole area out.
MAX_CELLS = 5_000_000
_MAX_PARTS = 10_000
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
#: The end of a cell's value (``</v>``) or inline string (``</is>``): only such cells are laid out.
_VALUE_END = re.compile(rb"</(?:\w+:)?(?:v|is)>")
#: A cell reference, ``r="AB12"``.
_REF = re.compile(rb'r="([A-Z]{1,3})([0-9]{1,7})"')
#: The reference of a cell that holds a value or an inline string (after a formula, if any).
_VALUE_CELL = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*>(?:<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>))?'
                         rb"<(?:\w+:)?(?:v|is)>")
#: A cell holding a spreadsheet error, its reference and the error shown.
_ERROR = re.compile(rb'<(?:\w+:)?c\b(?=[^>]*?\bt="e")[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*>'
                    rb'(?:<(?:\w+:)?f\b[^>]*?(?:/>|>.*?</(?:\w+:)?f>))?<(?:\w+:)?v>([^<]*)<', re.S)


def is_workbook(name: str, data: bytes) -> bool:
    """True for what should be read as a workbook: an Excel name, or the bytes of a ZIP or OLE2 file.

    >>> is_workbook("people.csv", b"id,name\\n"), is_workbook("people.XLSX", b""), is_workbook("x", b"PK\\x03\\x04")
    (False, True, True)
    """
    return PurePath(name).suffix.lower() in (*WORKBOOK_SUFFIXES, ".xls") or data.startswith((*_ZIP, _OLE2[:4]))


def sheet_name(file: str, sheet: str) -> str:
    """How problems name a sheet: ``people.xlsx, sheet 'influences'``."""
    return f"{file}, sheet {sheet!r}"


def _refuse(file: str, message: str) -> ContractError:
    return ContractError([Problem(file, None, None, message)])


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class _SheetScan:
    """What the raw XML of a sheet says before any reader lays it out."""

    rows: int = 0
    columns: int = 0
    values: int = 0          # cells holding a value (those without a reference are laid out one after another)
    errors: list[tuple[int, int, str]] = field(default_factory=list)   # (row, column, error), 1-based


def _scan(xml: bytes) -> _SheetScan:
    """The used area (cells holding a value) and the error cells of a sheet's XML.

    A sheet whose cells mostly hold values is read with one regular expression; one of mostly empty
    formatted cells (``<c r="A9" s="1"/>``, a million rows of them) by looking back from each value to its
    cell's reference (the nearest ``r="…"``: neither ``<f>`` nor ``<v>`` has one), so either costs about one
    pass over the bytes.
    """
    ends = _VALUE_END.findall(xml) if b"</" in xml else []
    scan = _SheetScan(values=len(ends))
    if scan.values * 2 >= xml.count(b' r="'):
        refs = _VALUE_CELL.findall(xml)        # most cells hold a value: one regex pass
    else:                                      # mostly empty formatted cells: look back from each value only
        refs = []
        for end in _VALUE_END.finditer(xml):
            ref = _REF.match(xml, xml.rfind(b' r="', 0, end.start()) + 1)
            if ref is not None:
                refs.append(ref.groups())
    if refs:
        scan.rows = max(map(int, (row for _, row in refs)))
        scan.columns = max(_column_number(letters) for letters in {letters for letters, _ in refs})
    if b't="e"' in xml:
        for m in _ERROR.finditer(xml):
            scan.errors.append((int(m.group(2)), _column_number(m.group(1)), m.group(3).decode("utf-8", "replace")))
    return scan


def _check_container(data: bytes, file: str) -> None:
    """Refuse what is not a readable .xlsx, naming the format when it is a known other one."""
    if data.startswith(_OLE2[:4]):
        if _ENCRYPTED in data:
            raise _refuse(file, "the workbook is password-protected (encrypted), so it cannot be read; in Excel "
                                "remove the password (File › Info › Protect Workbook › Encrypt with Password, "
                                "empty) and save it again, or save each sheet as CSV UTF-8")
        raise _refuse(file, "this is an old-format Excel file (.xls, Excel 97-2003), which is not read; open it "
                            "and save it as an Excel Workbook (.xlsx) or as CSV UTF-8")
    if not data:
        raise _refuse(file, "the file is empty")
    if not data.startswith(_ZIP):
        raise _refuse(file, "this is not an Excel workbook (.xlsx): the file is damaged or in another format; "
                            "save it from Excel as an Excel Workbook (.xlsx) or as CSV UTF-8")


def _parts(data: bytes, file: str) -> tuple[zipfile.ZipFile, dict[str, bytes], list[str]]:
    """Open the ZIP, check its sizes before inflating anything, then inflate the sheets (bounded).

    Returns the archive, the worksheets' XML by part name, and warnings.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        names = {i.filename for i in infos}
        mimetype = archive.read("mimetype")[:100] if "mimetype" in names and len(names) < _MAX_PARTS else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error) as e:
        raise _refuse(file, f"the workbook is damaged: its ZIP archive cannot be read ({e})") from None
    if b"opendocument" in mimetype:
        raise _refuse(file, "this is an OpenDocument spreadsheet (.ods); save it as an Excel Workbook (.xlsx) "
                            "or as CSV UTF-8")
    if len(infos) > _MAX_PARTS:
        raise _refuse(file, f"the workbook has {len(infos):,} parts, more than the {_MAX_PARTS:,} read")
    expanded = sum(i.file_size for i in infos)
    if expanded > MAX_EXPANDED:
        raise _refuse(file, f"the workbook expands to {math.ceil(expanded / 2**20):,} MB, more than the "
                            f"{MAX_EXPANDED / 2**20:,.0f} MB read (for an upload limit of {MAX_UPLOAD_MB} MB); "
                            "is it a workbook bomb? Save the sheets as CSV, or split the workbook")
    for info in infos:
        if info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(file, f"the part {info.filename} of the workbook expands {info.file_size / 2**20:,.0f} MB "
                                f"from {info.compress_size:,} bytes (more than {MAX_RATIO}:1): a workbook bomb? "
                                "Not read")
    if "xl/workbook.xml" not in names:
        raise _refuse(file, "this ZIP archive is not an Excel workbook (it has no xl/workbook.xml); save the "
                            "file as an Excel Workbook (.xlsx) or as CSV UTF-8")
    warnings = []
    if "xl/vbaProject.bin" in names:
        warnings.append(f"{file}: the workbook holds macros; they were not run (only the values as last saved "
                        "were read)")
    sheets: dict[str, bytes] = {}
    try:
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                # ZipFile reads no more than the declared size, and a CRC error ends a part that lied about it.
                sheets[info.filename] = archive.read(info)
            elif info.file_size:
                with archive.open(info) as part:       # the rest is read by the reader: check it inflates
                    while part.read(1 << 20):
                        pass
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError, zlib.error) as e:
        raise _refuse(file, f"the workbook is damaged: a part cannot be read ({e})") from None
    return archive, sheets, warnings


_RELATIONSHIP = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*>')
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*>')


def _attribute(tag: bytes, name: bytes) -> str | None:
    match = re.search(rb'(?:^|\s)' + re.escape(name) + rb'="([^"]*)"', tag)
    return match.group(1).decode("utf-8", "replace") if match else None


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part (``xl/worksheets/sheet1.xml``), from the workbook's relationships."""
    try:
        rels = archive.read("xl/_rels/workbook.xml.rels")
        book = archive.read("xl/workbook.xml")
    except KeyError:
        return {}
    targets = {}
    for tag in _RELATIONSHIP.findall(rels):
        rid, target = _attribute(tag, b"Id"), _attribute(tag, b"Target")
        if rid and target:
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rid] = re.sub(r"[^/]+/\.\./", "", target)
    out = {}
    for tag in _SHEET.findall(book):
        found = re.search(rb'\s\w+:id="([^"]*)"', tag)          # r:id, whatever the prefix
        rid = found.group(1).decode("utf-8", "replace") if found else None
        name = _attribute(tag, b"name")
        if name and rid in targets:
            out[_unescape_xml(name)] = targets[rid]
    return out


def _unescape_xml(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def _text(value: object) -> str:
    """One cell as the text a CSV file would hold."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second or value.microsecond else "minutes")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return "" if value is None else str(value)


@dataclass
class Workbook:
    """An opened workbook: its visible sheets, read into grids on demand."""

    name: str
    sheets: list[str]                      # visible worksheets, in workbook order
    hidden: list[str]
    warnings: list[str]
    _book: python_calamine.CalamineWorkbook = field(repr=False)
    _scans: dict[str, _SheetScan] = field(repr=False)
    _grids: dict[str, Grid] = field(default_factory=dict, repr=False)

    def grid(self, sheet: str) -> Grid:
        """The sheet as a :class:`Grid` for :func:`read_map` (read once)."""
        if sheet not in self._grids:
            self._grids[sheet] = self._read(sheet)
        return self._grids[sheet]

    def headers(self, sheet: str) -> list[str]:
        """The sheet's header row (for the column mapping)."""
        return read_headers(self.grid(sheet))

    def _read(self, sheet: str) -> Grid:
        where = sheet_name(self.name, sheet)
        try:
            data = self._book.get_sheet_by_name(sheet)
            values = data.to_python(skip_empty_area=False)      # from cell A1: positions are the sheet's
            merged = list(data.merged_cell_ranges or [])
        except (python_calamine.CalamineError, ValueError, OSError) as e:
            raise _refuse(where, f"the sheet cannot be read ({e})") from None
        width = max((len(r) for r in values), default=0)
        cells = [[v if isinstance(v, str) else _text(v) for v in row] + [""] * (width - len(row)) for row in values]
        first = 1                                                 # spreadsheet row of cells[0]
        warnings: list[str] = []
        covered = _merged(cells, first, merged)
        # Skip blank rows and title banners (one cell merged across columns) above the header.
        skip = 0
        while skip < len(cells) and (not any(c.strip() for c in cells[skip])
                                     or covered.get(first + skip) == "banner"):
            skip += 1
        cells, first = cells[skip:], first + skip
        problems: list[Problem] = []
        header = cells[0] if cells else []
        scan = self._scans.get(sheet)
        for row, column, error in (scan.errors if scan else []):
            if row >= first and len(problems) < MAX_PROBLEMS:
                name = header[column - 1].strip() if column - 1 < len(header) and header[column - 1].strip() \
                    else _column_letters(column)
                problems.append(Problem(where, row, name, f"the cell shows the spreadsheet error {error} (its "
                                                          "formula fails); fix it or type the value"))
        body_fills = []
        for (r0, c0), (r1, c1) in merged:
            if r0 + 1 == first and c1 > c0:                       # a header cell merged across columns
                used = [c for c in range(c0 + 1, c1 + 1)
                        if any(len(row) > c and row[c].strip() for row in cells[1:])]
                for c in used[:MAX_PROBLEMS]:
                    problems.append(Problem(where, first, _column_letters(c + 1),
                                            f"this column has values but its header cell is merged with "
                                            f"{header[c0].strip()!r}'s; unmerge the header and name each column"))
            elif r0 + 1 > first:                                  # below the header: every cell holds it
                body_fills.append(((r0, c0), (r1, c1)))
        for (r0, c0), (r1, c1) in body_fills:
            value = cells[r0 + 1 - first][c0] if r0 + 1 - first < len(cells) else ""
            for r in range(r0, r1 + 1):
                i = r + 1 - first
                if i < len(cells):
                    for c in range(c0, c1 + 1):
                        if c < len(cells[i]) and not cells[i][c]:
                            cells[i][c] = value
            if value.strip() and len(warnings) < 5:
                warnings.append(f"{where}: merged cells {_column_letters(c0 + 1)}{r0 + 1}:"
                                f"{_column_letters(c1 + 1)}{r1 + 1} read as each holding {value.strip()!r}")
        warnings.extend(self.warnings)
        frame = pd.DataFrame(cells, dtype=object) if cells else pd.DataFrame()
        return Grid(frame.astype(str) if len(frame) else frame, np.arange(first, first + len(cells)),
                    tuple(problems), tuple(warnings))


def _merged(cells: list[list[str]], first: int, merged: list) -> dict[int, str]:
    """Spreadsheet rows that are title banners: their one value is a cell merged across columns."""
    out = {}
    for (r0, c0), (r1, c1) in merged:
        i = r0 + 1 - first
        if c1 > c0 and 0 <= i < len(cells):
            others = [c for j, c in enumerate(cells[i]) if c.strip() and not c0 <= j <= c1]
            if not others:
                out[r0 + 1] = "banner"
    return out


def open_workbook(data: bytes, name: str) -> Workbook:
    """Check and open a workbook's bytes.

    Parameters
    ----------
    data : bytes
        The file (``open(path, "rb").read()`` or an upload's bytes).
    name : str
        Its file name, for the messages.

    Returns
    -------
    Workbook
        Its visible worksheets; their cells are read by :meth:`Workbook.grid`.

    Raises
    ------
    ContractError
        A ``.xls``, a password-protected or damaged workbook, an OpenDocument
        file, a workbook bomb or a sheet spanning too many cells; one problem
        naming the file.
    """
    _check_container(data, name)
    archive, xml, warnings = _parts(data, name)
    parts = _sheet_parts(archive)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = list(book.sheets_metadata)
    except python_calamine.PasswordError:
        raise _refuse(name, "the workbook is password-protected; remove the password and save it again") from None
    except (python_calamine.CalamineError, ValueError, OSError) as e:
        raise _refuse(name, f"the workbook is damaged and cannot be read ({e})") from None
    sheets, hidden, scans = [], [], {}
    for meta in metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        if meta.visible != python_calamine.SheetVisibleEnum.Visible:
            hidden.append(meta.name)
            continue
        sheets.append(meta.name)
        scan = _scan(xml.get(parts.get(meta.name, ""), b""))
        if max(scan.rows * scan.columns, scan.values) > MAX_CELLS:
            raise _refuse(sheet_name(name, meta.name),
                          f"the sheet's cells span {scan.rows:,} rows × {scan.columns:,} columns (to cell "
                          f"{_column_letters(scan.columns)}{scan.rows}), more than the {MAX_CELLS:,} cells read; "
                          "delete the rows and columns below and right of the table")
        scans[meta.name] = scan
    if not sheets:
        raise _refuse(name, "the workbook has no visible worksheet")
    return Workbook(name, sheets, hidden, warnings, book, scans)


def sheet_for(label: str, sheets: list[str]) -> str | None:
    """The sheet whose name says it holds ``label``'s file (:data:`SHEET_NAMES`), or None.

    >>> sheet_for("influences", ["People", " Influences "]), sheet_for("engagements", ["People"])
    (' Influences ', None)
    """
    wanted = SHEET_NAMES[label]
    return next((sheet for sheet in sheets if sheet.strip().lower() in wanted), None)


@dataclass
class Sources:
    """Where each of the contract's files comes from: a CSV file, or a sheet of a workbook.

    ``picks`` maps a label to ``(file name, sheet or None)`` (None: a CSV
    file); ``workbooks`` the opened workbooks by the label of the box they
    came in.
    """

    picks: dict[str, tuple[str, str | None]]
    workbooks: dict[str, Workbook]
    _data: dict[str, bytes]
    _from: dict[str, str]          # label -> label of the upload it is read from

    def stream(self, label: str) -> BinaryIO | Grid | None:
        """What :func:`read_map` takes for ``label``: a file object, a grid, or None."""
        if label not in self.picks:
            return None
        file, sheet = self.picks[label]
        source = self._from[label]
        if sheet is None:
            return io.BytesIO(self._data[source])
        return self.workbooks[source].grid(sheet)

    def name(self, label: str) -> str:
        """The name problems give ``label``'s source."""
        if label not in self.picks:
            return f"{label}.csv"
        file, sheet = self.picks[label]
        return file if sheet is None else sheet_name(file, sheet)

    def headers(self, label: str) -> list[str]:
        """``label``'s header row, for the column mapping."""
        stream = self.stream(label)
        return [] if stream is None else read_headers(stream)


def open_sources(files: Mapping[str, tuple[str, bytes]],
                 sheets: Mapping[str, str | None] | None = None) -> Sources:
    """Decide which file or sheet gives each of the contract's files.

    Parameters
    ----------
    files : mapping
        Label (``"stakeholders"``, ...) → (file name, bytes) of each file given
        for it: a CSV file or a workbook.
    sheets : mapping, optional
        Label → the sheet chosen for it (of the workbook given for that label,
        else of the first workbook given, the stakeholders one first); an
        empty string or None for an unlabelled file: leave it out.

    Returns
    -------
    Sources
        A label given its own CSV file reads it; given its own workbook, the
        chosen sheet, else the sheet named like it, else the workbook's only
        visible sheet. A label given no file reads the chosen sheet, else the
        sheet named like it in a workbook given for another label, else
        nothing.

    Raises
    ------
    ContractError
        A workbook that cannot be read, a chosen sheet it does not have, or a
        workbook with several sheets none of which is named like the file.
    """
    sheets = dict(sheets or {})
    data = {label: raw for label, (_, raw) in files.items()}
    books: dict[str, Workbook] = {}
    for label in LABELS:
        if label in files and is_workbook(*files[label]):
            books[label] = open_workbook(files[label][1], files[label][0])
    picks: dict[str, tuple[str, str | None]] = {}
    source_of: dict[str, str] = {}
    problems: list[Problem] = []
    order = [label for label in LABELS if label in books]
    for label in LABELS:
        chosen = sheets.get(label)
        own = label in files
        if own and label not in books:
            picks[label], source_of[label] = (files[label][0], None), label
            continue
        candidates = [label] if own else order
        if label in sheets and not chosen and not own:
            continue                                              # the user left it out
        if chosen:
            book_label = next((b for b in candidates if chosen in books[b].sheets), None)
            if book_label is None:
                book = books[candidates[0]] if candidates else None
                problems.append(Problem(book.name if book else f"{label}.csv", None, None,
                                        f"no visible sheet {chosen!r} for {label}"
                                        + (f"; its sheets: {', '.join(map(repr, book.sheets))}" if book else "")))
                continue
            picks[label], source_of[label] = (books[book_label].name, chosen), book_label
            continue
        for book_label in candidates:
            book = books[book_label]
            found = sheet_for(label, book.sheets)
            if found is None and own and len(book.sheets) == 1:
                found = book.sheets[0]
            if found is not None:
                picks[label], source_of[label] = (book.name, found), book_label
                break
        else:
            if own:
                book = books[label]
                problems.append(Problem(book.name, None, None,
                                        f"the workbook has sheets {', '.join(map(repr, book.sheets))} and none is "
                                        f"named {label!r}: pick the sheet that holds the {label}"))
    if problems:
        raise ContractError(problems)
    return Sources(picks, books, data, source_of)


def read_sources(files: Mapping[str, tuple[str, bytes]], sheets: Mapping[str, str | None] | None = None, *,
                 mappings: Mapping[str, Mapping[str, str | None]] | None = None) -> MapData:
    """:func:`open_sources` then :func:`stakeholder_map.ingest.read_map`: CSV files and sheets, checked as one.

    Raises
    ------
    ContractError
        Everything :func:`open_sources` and :func:`read_map` refuse; nothing is
        returned from a refused upload, so nothing of it can be written.
    """
    sources = open_sources(files, sheets)
    if "stakeholders" not in sources.picks:
        raise _refuse(next(iter(files.values()))[0] if files else "stakeholders.csv",
                      "no stakeholders: give the stakeholders file, or a workbook with a 'stakeholders' sheet")
    names = tuple(sources.name(label) for label in LABELS)
    return read_map(*(sources.stream(label) for label in LABELS), names=names, mappings=mappings)
