"""CSV files → validated frames, or one :class:`ContractError` listing every problem.

Reads the three files of the contract (``stakeholders.csv``, ``influences.csv``,
``engagements.csv``) from file objects — what ``st.file_uploader`` returns or
``open(path, "rb")``. What real spreadsheets produce is accepted: comma, semicolon
or tab delimiters (and Excel's ``sep=;`` first line), UTF-8 with or without BOM,
UTF-16, Windows-1252 (Excel's "CSV" in Western locales; a warning says so),
CRLF, LF or old-Mac CR line ends, blank rows (also above the header), quoted
fields with line breaks, headers in any case and spacing, trailing delimiters,
and decimal commas (``2,5``) in the number columns of semicolon- or
tab-separated files. Refused, besides breaches of the contract: bytes that no
accepted encoding reads (NUL bytes of a binary file; Windows-1252's five
undefined bytes), a cell longer than :data:`MAX_CELL` characters, and a quoted
cell that is never closed.
Every problem is collected with the file, the row a spreadsheet shows (header =
row 1) and the column as the user spelt it, and raised together; nothing is
returned from a refused file, so nothing of it can be written.

Examples
--------
>>> from io import BytesIO
>>> data = read_map(BytesIO(b"ID;Full Name;Stance\\r\\n007;Ann;supporter\\r\\n8;Bo;\\r\\n"),
...                 BytesIO(b"from,to\\n007,8\\n8,8\\n"))
>>> data.people[["id", "name", "stance"]].to_dict("records")
[{'id': '007', 'name': 'Ann', 'stance': 1}, {'id': '8', 'name': 'Bo', 'stance': None}]
>>> len(data.ties), data.warnings
(1, ['influences.csv: dropped 1 self-loop (row 3)'])
>>> try:
...     read_map(BytesIO(b"id,name\\n1,Ann\\n"), BytesIO(b"source,target\\n1,2\\n"))
... except ContractError as e:
...     print(e.problems[0])
influences.csv, row 2, column 'target': unknown stakeholder id '2'
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from . import schema as s
from .errors import MAX_PROBLEMS, MISSING_COLUMN, ContractError, Problem
from .ingest_org_chart import merge_reporting_lines, reporting_lines

__all__ = [
    "MapData",
    "Grid",
    "read_map",
    "read_engagements",
    "read_table",
    "read_headers",
    "guess_mapping",
    "FORMULA_TRIGGERS",
    "MAX_CELL",
]

#: First characters that make a spreadsheet treat a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Longest cell accepted, in characters (a longer one is refused with its row and column).
MAX_CELL = 10_000
_DEFAULT_NAMES = ("stakeholders.csv", "influences.csv", "engagements.csv")
#: A decimal comma as the locales that separate CSV cells by ``;`` write it: ``2,5``, ``-1,0``.
_DECIMAL_COMMA = re.compile(r"^([+\-\u2212]?\d+),(\d+)$")
#: Excel's first-line delimiter declaration, ``sep=;``.
_SEP_LINE = re.compile(r"^sep=(.)[ \t]*\n", re.IGNORECASE)
#: A line with nothing but spaces and delimiters (an empty spreadsheet row).
_BLANK_LINE = re.compile(r"^[ \t,;]*\n")
_PEOPLE_TEXT = (s.ROLE, s.EMAIL, s.NOTES)


@dataclass
class MapData:
    """The validated content of one map, ready for :meth:`Store.import_map`.

    ``reporting_lines`` counts the ties (at the end of ``ties``) made from
    the stakeholders file's manager column.
    """

    people: pd.DataFrame
    ties: pd.DataFrame
    engagements: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    custom_columns: list[str] = field(default_factory=list)
    reporting_lines: int = 0


class _Problems:
    """Collects problems, keeping the first few of each check and counting all."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.items) < MAX_PROBLEMS * 4:
            self.items.append(problem)

    def add_rows(self, file: str, rows: np.ndarray, column: str | None,
                 message: Callable[[int], str]) -> None:
        """Add one problem per row; ``message(i)`` gets the position in ``rows``."""
        self.total += len(rows)
        for i in range(min(len(rows), MAX_PROBLEMS)):
            self.items.append(Problem(file, int(rows[i]), column, message(i)))

    def extend(self, items: list[Problem], total: int) -> None:
        """Add problems another module found and capped itself; ``total`` counts them all."""
        self.total += total
        self.items.extend(items)

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self, files: tuple[str, ...] = ()) -> None:
        """Raise one ContractError; problems in the order of ``files`` (then by name), each by row."""
        if self.total:
            rank = {name: i for i, name in reversed(list(enumerate(files)))}
            ordered = sorted(self.items, key=lambda p: (rank.get(p.file, len(files)), p.file, p.row or 0))
            raise ContractError(ordered, self.total)


@dataclass
class _Table:
    """A parsed CSV: text cells under contract names, spreadsheet row numbers."""

    frame: pd.DataFrame
    rows: np.ndarray
    headers: dict[str, str]  # contract or custom column -> header as in the file
    custom: list[str]
    decimal_comma: bool = False  # number cells may use a decimal comma (``;`` or tab files)


@dataclass(frozen=True)
class Grid:
    """A table read by another reader (a workbook's sheet): what ``read_map`` takes in place of a file.

    ``cells`` holds every record as text, the header first (blank rows above
    it already dropped); ``rows`` is the spreadsheet row of each record, for
    the messages. ``problems`` were found while reading cells (a cell holding
    a spreadsheet error, say): the table is refused with them. ``warnings``
    are passed on to :attr:`MapData.warnings`.
    """

    cells: pd.DataFrame
    rows: np.ndarray
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()


# ---------------------------------------------------------------- reading text

def _decode(raw: bytes, name: str, problems: _Problems) -> tuple[str | None, str | None]:
    """The file's text and, when it was not UTF-8, a warning naming the encoding used.

    UTF-16 (with a byte-order mark, or without one when every other byte is
    NUL), then UTF-8 (BOM or not), then Windows-1252, which reads every byte
    but five; a byte no encoding reads is refused with its row.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        return utf16, f"{name}: read as UTF-16 (the file has no byte-order mark)"
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        first_bad = e.start
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as e:
        problems.add(Problem(
            name, raw[: e.start].count(b"\n") + 1, None,
            f"unreadable encoding: byte 0x{raw[e.start]:02x} is neither UTF-8 nor Windows-1252; "
            "save the file as 'CSV UTF-8'",
        ))
        return None, None
    row = raw[:first_bad].count(b"\n") + 1
    return text, (f"{name}: not UTF-8 (first at line {row}), read as Windows-1252 (Western European); "
                  "check that accented letters look right, or save the file as 'CSV UTF-8'")


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text without a byte-order mark: mostly-ASCII text has a NUL in every other byte."""
    if len(raw) < 4 or len(raw) % 2 or b"\x00" not in raw[:2]:
        return None
    even, odd = raw[0::2], raw[1::2]
    for zeros, letters, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and not letters.count(0):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _preamble(text: str) -> tuple[str, int, str | None]:
    """Drop empty rows above the header and Excel's ``sep=`` line.

    Returns the rest of the text, how many spreadsheet rows were dropped (the
    ``sep=`` line is not one: Excel hides it) and the declared delimiter.
    """
    offset = 0
    declared = None
    while True:
        match = _BLANK_LINE.match(text)
        if match:
            text, offset = text[match.end():], offset + 1
            continue
        match = _SEP_LINE.match(text) if declared is None and not offset else None
        if match:
            declared, text = match.group(1), text[match.end():]
            continue
        return text, offset, declared


def _delimiter(text: str) -> str:
    """Guess the delimiter from the header line: the commonest of , ; and tab."""
    header = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _parse_rows(text: str, delimiter: str, name: str, problems: _Problems,
                offset: int = 0) -> pd.DataFrame | None:
    """All records as text, header included; spreadsheet row = position + 1 + ``offset``.

    pyarrow's multi-threaded reader takes well-formed files; anything it
    refuses goes through the csv module, which finds every over-long record.
    """
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error as e:
        problems.add(Problem(name, 1 + offset, None, f"the header cannot be read as CSV ({e})"))
        return None
    try:
        table = pcsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pcsv.ReadOptions(autogenerate_column_names=True, block_size=1 << 22),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                            ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(len(header))},
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
        if table.num_columns == len(header):
            return pd.DataFrame({i: table.column(i).to_pandas() for i in range(table.num_columns)})
    except (pa.ArrowException, ValueError):
        pass
    records = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            records.append(record)
    except csv.Error as e:
        problems.add(Problem(name, len(records) + 1 + offset, None,
                             f"cannot be read as CSV ({e}); is a quote (\") left open?"))
        return None
    width = len(records[0]) if records else 0
    bad = [i for i, r in enumerate(records) if len(r) > width and any(c.strip() for c in r[width:])]
    if bad:
        problems.add_rows(name, np.array(bad) + 1 + offset, None,
                          lambda i: f"has {len(records[bad[i]])} fields but the header has {width}")
        return None
    padded = [(r + [""] * width)[:width] for r in records]
    return pd.DataFrame(padded, dtype=str)


def read_headers(fp: BinaryIO | Grid) -> list[str]:
    """The header row of a CSV file (or a :class:`Grid`), for a column-mapping step; rewinds ``fp``.

    >>> from io import BytesIO
    >>> read_headers(BytesIO(b"\\xef\\xbb\\xbfFull Name;Dept\\r\\nAnn;IT\\r\\n"))
    ['Full Name', 'Dept']
    """
    if isinstance(fp, Grid):
        return [str(h).strip() for h in fp.cells.iloc[0]] if len(fp.cells) else []
    raw = fp.read()
    if hasattr(fp, "seek"):
        fp.seek(0)
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    text, _ = _decode(raw, "", _Problems())
    text, _, declared = _preamble(_newlines(text or ""))
    try:
        first = next(csv.reader(io.StringIO(text, newline=""), delimiter=declared or _delimiter(text)), [])
    except csv.Error:
        return []
    return [h.strip() for h in first]


def _newlines(text: str) -> str:
    """CRLF and old-Mac CR line ends (also inside quoted cells) become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def guess_mapping(headers: list[str], spec: s.FileSpec) -> dict[str, str | None]:
    """Map each header to the contract column it means, or None for a custom one.

    >>> guess_mapping(["Full Name", "Dept", "Badge"], s.STAKEHOLDERS)
    {'Full Name': 'name', 'Dept': 'department', 'Badge': None}
    """
    mapping: dict[str, str | None] = {}
    taken: set[str] = set()
    for header in headers:
        column = spec.canonical(header)
        mapping[header] = column if column not in taken else None
        if column:
            taken.add(column)
    return mapping


def _read_table(fp: BinaryIO | Grid, name: str, spec: s.FileSpec,
                mapping: Mapping[str, str | None] | None, problems: _Problems,
                warnings: list[str] | None = None) -> _Table | None:
    if isinstance(fp, Grid):
        return _grid_table(fp, name, spec, mapping, problems, warnings)
    raw = fp.read()
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if not raw.strip():
        problems.add(Problem(name, None, None, "the file is empty"))
        return None
    text, note = _decode(raw, name, problems)
    if text is None:
        return None
    if "\x00" in text:
        problems.add(Problem(name, text[: text.index("\x00")].count("\n") + 1, None,
                             "unreadable encoding: the file holds NUL bytes (is it a spreadsheet, not a CSV?)"))
        return None
    text, offset, declared = _preamble(_newlines(text))
    if not text.strip(" \t\n,;"):
        problems.add(Problem(name, None, None, "the file is empty"))
        return None
    delimiter = declared or _delimiter(text)
    grid = _parse_rows(text, delimiter, name, problems, offset)
    if grid is None:
        return None
    if grid.empty:
        problems.add(Problem(name, None, None, "the file is empty"))
        return None
    rows = np.arange(1, len(grid) + 1) + offset
    header = [str(h).strip() for h in grid.iloc[0]]
    too_long = len(text) > MAX_CELL and _long_cells(grid, rows, header, name, problems)
    if too_long or _open_quote(text, delimiter, grid, rows, name, problems):
        return None
    if note and warnings is not None:
        warnings.append(note)
    return _columns(grid, rows, name, spec, mapping, problems, decimal_comma=delimiter != ",", unquote=True)


def _grid_table(grid: Grid, name: str, spec: s.FileSpec, mapping: Mapping[str, str | None] | None,
                problems: _Problems, warnings: list[str] | None) -> _Table | None:
    """A :class:`Grid` (a workbook's sheet) through the same checks as a CSV file's records."""
    if grid.problems:
        problems.extend(list(grid.problems[:MAX_PROBLEMS]), len(grid.problems))
        return None
    if grid.cells.empty or not (grid.cells != "").to_numpy().any():
        problems.add(Problem(name, None, None, "the sheet is empty"))
        return None
    cells = grid.cells.copy()
    cells.columns = range(cells.shape[1])
    header = [str(h).strip() for h in cells.iloc[0]]
    if _long_cells(cells, grid.rows, header, name, problems):
        return None
    if warnings is not None:
        warnings.extend(grid.warnings)
    # A workbook's text cells are text already: no ``'`` of ours to undo (a CSV export's).
    return _columns(cells, grid.rows, name, spec, mapping, problems, decimal_comma=False, unquote=False)


def _columns(grid: pd.DataFrame, rows: np.ndarray, name: str, spec: s.FileSpec,
             mapping: Mapping[str, str | None] | None, problems: _Problems, *,
             decimal_comma: bool, unquote: bool) -> _Table | None:
    """Records as text (header first; ``rows`` their spreadsheet rows) → the table under contract names."""
    header_row = int(rows[0])
    header = [str(h).strip() for h in grid.iloc[0]]
    body = grid.iloc[1:].reset_index(drop=True)
    for column in body.columns:
        body[column] = _strip_text(body[column], unquote=unquote)
    rows = rows[1:]
    # Blank rows (every cell empty) are skipped; they keep their row numbers.
    if len(body):
        filled = (body != "").any(axis=1).to_numpy()
        if not filled.all():
            body, rows = body[filled].reset_index(drop=True), rows[filled]

    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    custom: list[str] = []
    found = problems.total
    for pos, h in enumerate(header):
        if not h:
            if len(body) and (body.iloc[:, pos] != "").any():
                problems.add(Problem(name, header_row, f"#{pos + 1}", "this column has values but no header"))
            continue
        if mapping is not None and h in mapping:
            column = mapping[h]
        else:
            column = spec.canonical(h)
        key = column or h
        if key in columns:
            problems.add(Problem(name, header_row, h, f"duplicate column: {headers[key]!r} already gives {key!r}"))
            continue
        columns[key] = pos
        headers[key] = h
        if column is None:
            custom.append(h)
    suggested: set[str] = set()
    for required in spec.required:
        if required not in columns:
            hint = spec.closest_header(required, [h for h in custom if h not in suggested])
            suggested.add(hint)
            message = MISSING_COLUMN + (f" (closest header: {hint!r}; map it to {required!r})" if hint else "")
            problems.add(Problem(name, header_row, required, message, hint))
    if problems.total > found:
        return None
    frame = pd.DataFrame({key: body.iloc[:, pos] for key, pos in columns.items()})
    return _Table(frame, rows, headers, custom, decimal_comma=decimal_comma)


def _long_cells(grid: pd.DataFrame, rows: np.ndarray, header: list[str], name: str,
                problems: _Problems) -> bool:
    """Refuse cells longer than :data:`MAX_CELL` characters; True if there were any."""
    found = False
    for pos in range(grid.shape[1]):
        lengths = grid.iloc[:, pos].str.len().to_numpy()
        if not len(lengths) or lengths.max() <= MAX_CELL:
            continue
        long = lengths > MAX_CELL
        sizes = lengths[long]
        column = (header[pos] if pos < len(header) and header[pos] else f"#{pos + 1}")[:60]
        problems.add_rows(name, rows[long], column,
                          lambda i: f"the cell holds {sizes[i]:,} characters, more than the {MAX_CELL:,} "
                                    "allowed (is a quote left open?)")
        found = True
    return found


def _open_quote(text: str, delimiter: str, grid: pd.DataFrame, rows: np.ndarray, name: str,
                problems: _Problems) -> bool:
    """Refuse a quoted cell that is never closed (it would swallow every row after it).

    Such a cell runs to the end of the file, so it is in the last record and
    holds a line break; only then is the file read again, strictly.
    """
    last = grid.iloc[-1]
    if not last.str.contains("\n", regex=False).any():
        return False
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as e:
        if "unexpected end of data" not in str(e):
            return False
        problems.add(Problem(name, int(rows[-1]), None,
                             "a quoted cell is never closed: it runs to the end of the file "
                             "(a missing \" ?)"))
        return True
    return False


def _strip_text(col: pd.Series, *, unquote: bool = True) -> pd.Series:
    """Trim spaces; undo the ``'`` our CSV exports put before formula-like text (``unquote``)."""
    col = col.astype(str).str.strip()
    if not len(col) or not unquote:
        return col
    quoted = col.str.startswith("'") & col.str.lstrip("'").str[:1].isin(list(FORMULA_TRIGGERS))
    if quoted.any():
        col = col.where(~quoted, col.str[1:])
    return col


# ------------------------------------------------------------- typed columns

def _parse_column(table: _Table, name: str, column: str, parse: Callable[[str], object],
                  problems: _Problems, *, dtype: str | None = "Int64") -> pd.Series:
    """Parse a text column through ``parse`` (unique values once); bad → problem."""
    texts = table.frame[column] if column in table.frame else pd.Series([""] * len(table.frame), dtype=str)
    codes, uniques = pd.factorize(texts)
    parsed: list[object] = []
    errors: dict[int, str] = {}
    for i, value in enumerate(uniques):
        number = _decimal_point(value) if table.decimal_comma else value
        try:
            parsed.append(parse(number))
        except ValueError as e:
            parsed.append(None)
            message = str(e).replace(repr(number), repr(value))
            if not table.decimal_comma and _DECIMAL_COMMA.match(value):
                message += "; in a comma-separated file write decimals with a point"
            errors[i] = message
    if errors:
        bad = np.isin(codes, list(errors))
        bad_codes = codes[bad]
        problems.add_rows(name, table.rows[bad], table.headers.get(column, column),
                          lambda i: errors[bad_codes[i]])
    if dtype == "float64":
        lookup = np.array([np.nan if v is None else v for v in parsed], dtype="float64")
        return pd.Series(lookup[codes] if len(codes) else np.array([], dtype="float64"))
    if dtype == "Int64":
        lookup = np.array([0 if v is None else v for v in parsed], dtype="int64")
        missing = np.array([v is None for v in parsed], dtype=bool)
        if not len(codes):
            return pd.Series(pd.array([], dtype="Int64"))
        return pd.Series(pd.arrays.IntegerArray(lookup[codes], missing[codes]))
    lookup = np.empty(len(parsed), dtype=object)
    lookup[:] = parsed
    return pd.Series(lookup[codes] if len(codes) else np.array([], dtype=object))


def _decimal_point(text: str) -> str:
    """``2,5`` → ``2.5``; anything else unchanged (thousands separators are not guessed)."""
    match = _DECIMAL_COMMA.match(text)
    return f"{match.group(1)}.{match.group(2)}" if match else text


def _int_in(low: int, high: int, label: str) -> Callable[[str], int | None]:
    def parse(text: str) -> int | None:
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number ({label} takes {low}-{high})") from None
        if number != int(number) or not low <= number <= high:
            raise ValueError(f"{label} {text!r} is out of range {low}-{high}")
        return int(number)
    return parse


def _weight(text: str) -> float:
    if not text:
        return 1.0
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number (weight must be > 0)") from None
    if not number > 0 or number == float("inf"):
        raise ValueError(f"weight {text!r} must be a number > 0")
    return number


def _iso_date(text: str) -> date:
    if not text:
        raise ValueError("date is required (YYYY-MM-DD)")
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 and text[10:11] in ("", "T", " ") \
            else date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date (YYYY-MM-DD)") from None


def _require_text(table: _Table, name: str, column: str, problems: _Problems, what: str) -> None:
    empty = (table.frame[column] == "").to_numpy()
    if empty.any():
        problems.add_rows(name, table.rows[empty], table.headers.get(column, column),
                          lambda i: f"{what} is empty")


def _check_known(table: _Table, name: str, column: str, known: pd.Index,
                 problems: _Problems) -> np.ndarray:
    values = table.frame[column]
    found = pc.is_in(pa.array(values, type=pa.string()),
                     value_set=pa.array(known.astype(str), type=pa.string()))
    unknown = ~found.to_numpy(zero_copy_only=False) & (values != "").to_numpy()
    if unknown.any():
        bad_values = values[unknown].to_numpy()
        problems.add_rows(name, table.rows[unknown], table.headers.get(column, column),
                          lambda i: f"unknown stakeholder id {bad_values[i]!r}")
    return unknown


# ------------------------------------------------------------------ the files

def _people(table: _Table, name: str, problems: _Problems) -> pd.DataFrame:
    f = table.frame
    _require_text(table, name, s.ID, problems, "id")
    _require_text(table, name, s.NAME, problems, "name")
    ids = f[s.ID]
    dup = ids.duplicated(keep="first").to_numpy() & (ids != "").to_numpy()
    if dup.any():
        first_row = dict(zip(ids[~ids.duplicated(keep="first")], table.rows[~ids.duplicated(keep="first").to_numpy()]))
        dup_values = ids[dup].to_numpy()
        problems.add_rows(name, table.rows[dup], table.headers[s.ID],
                          lambda i: f"duplicate id {dup_values[i]!r} (first at row {first_row[dup_values[i]]})")
    people = pd.DataFrame({s.ID: ids, s.NAME: f[s.NAME]})
    department = f[s.DEPARTMENT] if s.DEPARTMENT in f else pd.Series([""] * len(f))
    people[s.DEPARTMENT] = department.where(department != "", s.UNASSIGNED)
    people[s.ROLE] = _text_or_none(f, s.ROLE)
    people[s.SENIORITY] = _parse_column(table, name, s.SENIORITY, s.parse_seniority, problems).array
    people[s.STANCE] = _parse_column(table, name, s.STANCE, s.parse_stance, problems).array
    people[s.INFLUENCE] = _parse_column(table, name, s.INFLUENCE, _int_in(1, 5, "influence"), problems).array
    people[s.INTEREST] = _parse_column(table, name, s.INTEREST, _int_in(1, 5, "interest"), problems).array
    people[s.EMAIL] = _text_or_none(f, s.EMAIL)
    people[s.NOTES] = _text_or_none(f, s.NOTES)
    if table.custom:
        people[s.ATTRIBUTES] = f[table.custom].to_dict("records")
    else:
        people[s.ATTRIBUTES] = [{} for _ in range(len(f))]
    return people


def _text_or_none(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), None, dtype=object)
    col = frame[column]
    return col.astype(object).where(col != "", None).to_numpy()


def _ties(table: _Table, name: str, known: pd.Index | None, problems: _Problems,
          warnings: list[str]) -> pd.DataFrame:
    """The ties; ids are checked against ``known`` unless it is None (no people to check against)."""
    _require_text(table, name, s.SOURCE, problems, "source")
    _require_text(table, name, s.TARGET, problems, "target")
    if known is not None:
        _check_known(table, name, s.SOURCE, known, problems)
        _check_known(table, name, s.TARGET, known, problems)
    weight = _parse_column(table, name, s.WEIGHT, _weight, problems, dtype="float64")
    f = table.frame
    ties = pd.DataFrame({
        s.SOURCE: f[s.SOURCE],
        s.TARGET: f[s.TARGET],
        s.WEIGHT: weight,
        s.KIND: f[s.KIND].where(f[s.KIND] != "") if s.KIND in f else None,
    })
    loops = (ties[s.SOURCE] == ties[s.TARGET]).to_numpy() & (ties[s.SOURCE] != "").to_numpy()
    if loops.any():
        rows = table.rows[loops]
        shown = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
        warnings.append(f"{name}: dropped {len(rows)} self-loop{'s' if len(rows) != 1 else ''} "
                        f"(row{'s' if len(rows) != 1 else ''} {shown})")
        ties = ties[~loops].reset_index(drop=True)
    return ties


def _engagements(table: _Table, name: str, known: pd.Index | None, problems: _Problems) -> pd.DataFrame:
    """The touchpoints; ids are checked against ``known`` unless it is None (no people to check against)."""
    _require_text(table, name, s.STAKEHOLDER_ID, problems, "stakeholder_id")
    if known is not None:
        _check_known(table, name, s.STAKEHOLDER_ID, known, problems)
    dates = _parse_column(table, name, s.DATE, _iso_date, problems, dtype=None)
    f = table.frame
    return pd.DataFrame({
        s.DATE: dates,
        s.STAKEHOLDER_ID: f[s.STAKEHOLDER_ID],
        s.ACTIVITY: _text_or_none(f, s.ACTIVITY),
        s.STANCE_AFTER: _parse_column(table, name, s.STANCE_AFTER, s.parse_stance, problems).array,
        s.NOTES: _text_or_none(f, s.NOTES),
    })


def empty_ties() -> pd.DataFrame:
    """A ties frame with no rows and the contract's columns."""
    return pd.DataFrame({s.SOURCE: pd.Series(dtype=object), s.TARGET: pd.Series(dtype=object),
                         s.WEIGHT: pd.Series(dtype="float64"), s.KIND: pd.Series(dtype=object)})


def empty_engagements() -> pd.DataFrame:
    """An engagements frame with no rows and the contract's columns."""
    return pd.DataFrame({s.DATE: pd.Series(dtype=object), s.STAKEHOLDER_ID: pd.Series(dtype=object),
                         s.ACTIVITY: pd.Series(dtype=object), s.STANCE_AFTER: pd.Series(dtype="Int64"),
                         s.NOTES: pd.Series(dtype=object)})


def read_map(
    stakeholders: BinaryIO | Grid,
    influences: BinaryIO | Grid | None = None,
    engagements: BinaryIO | Grid | None = None,
    *,
    names: tuple[str, str, str] = _DEFAULT_NAMES,
    mappings: Mapping[str, Mapping[str, str | None]] | None = None,
) -> MapData:
    """Read and validate one map's files together.

    Parameters
    ----------
    stakeholders, influences, engagements : binary file objects or Grid
        The contract's three files (or workbook sheets read as :class:`Grid`,
        see :mod:`stakeholder_map.ingest_xlsx`); only ``stakeholders`` is required.
    names : (str, str, str)
        File names used in problem messages (e.g. the uploaded file names).
    mappings : dict, optional
        Per file label (``"stakeholders"``, ``"influences"``, ``"engagements"``),
        the user's header → contract column (None = keep as custom attribute),
        overriding the automatic header matching.

    Returns
    -------
    MapData
        A manager column in the stakeholders file adds a ``reports_to`` tie
        from each manager to their report after the influences file's ties
        (one the influences file has already is not doubled); see
        :mod:`stakeholder_map.ingest_org_chart`.

    Raises
    ------
    ContractError
        Listing every problem (file, spreadsheet row, column, message) across
        all files, capped at :data:`~stakeholder_map.errors.MAX_PROBLEMS`;
        among them an unknown manager id, a person who is their own manager,
        and each row of a loop in the chain of managers.
    """
    mappings = mappings or {}
    problems = _Problems()
    warnings: list[str] = []
    people_name, ties_name, eng_name = names
    people_table = _read_table(stakeholders, people_name, s.STAKEHOLDERS,
                               mappings.get(s.STAKEHOLDERS.label), problems, warnings)
    ties_table = eng_table = None
    if influences is not None:
        ties_table = _read_table(influences, ties_name, s.INFLUENCES,
                                 mappings.get(s.INFLUENCES.label), problems, warnings)
    if engagements is not None:
        eng_table = _read_table(engagements, eng_name, s.ENGAGEMENTS,
                                mappings.get(s.ENGAGEMENTS.label), problems, warnings)
    people = _people(people_table, people_name, problems) if people_table else None
    known = pd.Index(people[s.ID]) if people is not None else None
    referring = [t for t in (ties_table, eng_table) if t is not None and len(t.frame)]
    if people is not None and people.empty and referring:
        # Said once, first, instead of an "unknown stakeholder id" for every row of the other files.
        problems.add(Problem(people_name, None, None,
                             "the file has a header but no people: add one row per stakeholder below it"))
        known = None
    ties = empty_ties()
    if ties_table is not None and people is not None:
        ties = _ties(ties_table, ties_name, known, problems, warnings)
    elif ties_table is not None:
        ties = None
    lines = 0
    if people is not None and s.MANAGER in people_table.frame:
        chart = reporting_lines(people_table.frame[s.ID], people_table.frame[s.MANAGER], people_table.rows,
                                file=people_name, column=people_table.headers[s.MANAGER],
                                names=people_table.frame[s.NAME])
        problems.extend(chart.problems, chart.total)
        if ties is not None:
            ties, doubled = merge_reporting_lines(ties, chart.ties)
            lines = len(chart.ties) - doubled
            if doubled:
                warnings.append(
                    f"{people_name}: {doubled} reporting line{'s are' if doubled != 1 else ' is'} in "
                    f"{ties_name} already (kind {s.REPORTS_TO}); kept once, as that file gives it")
    events = empty_engagements()
    if eng_table is not None and people is not None:
        events = _engagements(eng_table, eng_name, known, problems)
    problems.raise_if_any(names)
    return MapData(
        people=people,
        ties=ties,
        engagements=events,
        warnings=warnings,
        custom_columns=list(people_table.custom),
        reporting_lines=lines,
    )


def read_engagements(
    fp: BinaryIO,
    known_ids,
    *,
    name: str = _DEFAULT_NAMES[2],
    mapping: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """Read an engagements file for a map that exists already.

    Parameters
    ----------
    fp : binary file object
        ``engagements.csv`` (CONTRACT §3).
    known_ids : iterable of str
        The map's stakeholder ids; an engagement with anyone else is refused.
    name : str
        File name used in problem messages.
    mapping : dict, optional
        The user's header → contract column, overriding header matching.

    Returns
    -------
    DataFrame
        ``date, stakeholder_id, activity, stance_after, notes``, as
        :attr:`MapData.engagements`; ``attrs["warnings"]`` lists what was
        read leniently (e.g. the file was Windows-1252, not UTF-8).

    Raises
    ------
    ContractError
        Every problem, with file, spreadsheet row and column.

    Examples
    --------
    >>> from io import BytesIO
    >>> events = read_engagements(BytesIO(b"date,person,stance_after\\n2026-10-01,1,supporter\\n"), ["1"])
    >>> events.iloc[0]["date"], events.iloc[0]["stakeholder_id"], int(events.iloc[0]["stance_after"])
    (datetime.date(2026, 10, 1), '1', 1)
    >>> try:
    ...     read_engagements(BytesIO(b"date,stakeholder_id\\n2026-10-01,9\\n"), ["1"])
    ... except ContractError as e:
    ...     print(e.problems[0])
    engagements.csv, row 2, column 'stakeholder_id': unknown stakeholder id '9'
    """
    problems = _Problems()
    warnings: list[str] = []
    table = _read_table(fp, name, s.ENGAGEMENTS, mapping, problems, warnings)
    events = None
    if table is not None:
        events = _engagements(table, name, pd.Index([str(i) for i in known_ids]), problems)
    problems.raise_if_any()
    events.attrs["warnings"] = warnings
    return events


def read_table(fp: BinaryIO, spec: s.FileSpec, *, name: str | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """Read any small contract-style CSV as text cells (e.g. :data:`schema.TEAM`).

    The same tolerance as the map files (delimiters, BOM, header spelling,
    blank rows, the ``'`` before formula-like text) and the same refusals
    (empty file, bad encoding, over-long rows, a missing required column).

    Returns
    -------
    (DataFrame, ndarray)
        Text cells under the spec's column names (custom columns under their
        header; ``attrs["warnings"]`` as for :func:`read_engagements`,
        ``attrs["headers"]`` each column's header as the file spells it), and
        each row's spreadsheet row number (header = row 1), for the caller's
        own checks.

    Raises
    ------
    ContractError
        For a file that cannot be read as such a table.

    Examples
    --------
    >>> from io import BytesIO
    >>> frame, rows = read_table(BytesIO(b"Associate;Home\\nAnn;IT\\n\\nBo;\\n"), s.TEAM)
    >>> frame.to_dict("records"), rows.tolist()
    ([{'name': 'Ann', 'home_department': 'IT'}, {'name': 'Bo', 'home_department': ''}], [2, 4])
    """
    problems = _Problems()
    warnings: list[str] = []
    table = _read_table(fp, name or f"{spec.label}.csv", spec, None, problems, warnings)
    problems.raise_if_any()
    table.frame.attrs["warnings"] = warnings
    table.frame.attrs["headers"] = dict(table.headers)  # column -> the header as the file spells it
    return table.frame, table.rows
