"""CSV files → validated frames, or one :class:`ContractError` listing every problem.

Reads the three files of the contract (``stakeholders.csv``, ``influences.csv``,
``engagements.csv``) from file objects — what ``st.file_uploader`` returns or
``open(path, "rb")``. What real spreadsheets produce is accepted: comma, semicolon
or tab delimiters, UTF-8 with or without BOM, CRLF line ends, blank rows, quoted
fields with line breaks, headers in any case and spacing, a trailing delimiter.
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
from .errors import MAX_PROBLEMS, ContractError, Problem

__all__ = [
    "MapData",
    "read_map",
    "read_engagements",
    "read_table",
    "read_headers",
    "guess_mapping",
    "FORMULA_TRIGGERS",
]

#: First characters that make a spreadsheet treat a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_DEFAULT_NAMES = ("stakeholders.csv", "influences.csv", "engagements.csv")
_PEOPLE_TEXT = (s.ROLE, s.EMAIL, s.NOTES)


@dataclass
class MapData:
    """The validated content of one map, ready for :meth:`Store.import_map`."""

    people: pd.DataFrame
    ties: pd.DataFrame
    engagements: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    custom_columns: list[str] = field(default_factory=list)


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

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if self.total:
            ordered = sorted(self.items, key=lambda p: (p.file, p.row or 0))
            raise ContractError(ordered, self.total)


@dataclass
class _Table:
    """A parsed CSV: text cells under contract names, spreadsheet row numbers."""

    frame: pd.DataFrame
    rows: np.ndarray
    headers: dict[str, str]  # contract or custom column -> header as in the file
    custom: list[str]


# ---------------------------------------------------------------- reading text

def _decode(raw: bytes, name: str, problems: _Problems) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        row = raw[: e.start].count(b"\n") + 1
        problems.add(Problem(
            name, row, None,
            f"unreadable encoding: byte 0x{raw[e.start]:02x} is not UTF-8; "
            "save the file as 'CSV UTF-8'",
        ))
        return None


def _delimiter(text: str) -> str:
    """Guess the delimiter from the header line: the commonest of , ; and tab."""
    header = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _parse_rows(text: str, delimiter: str, name: str, problems: _Problems) -> pd.DataFrame | None:
    """All records as text, header included; spreadsheet row = position + 1.

    pyarrow's multi-threaded reader takes well-formed files; anything it
    refuses goes through the csv module, which finds every over-long record.
    """
    header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
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
    except (pa.ArrowInvalid, ValueError):
        pass
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = len(records[0]) if records else 0
    bad = [i for i, r in enumerate(records) if len(r) > width and any(c.strip() for c in r[width:])]
    if bad:
        problems.add_rows(name, np.array(bad) + 1, None,
                          lambda i: f"has {len(records[bad[i]])} fields but the header has {width}")
        return None
    padded = [(r + [""] * width)[:width] for r in records]
    return pd.DataFrame(padded, dtype=str)


def read_headers(fp: BinaryIO) -> list[str]:
    """The header row of a CSV file, for a column-mapping step; rewinds ``fp``.

    >>> from io import BytesIO
    >>> read_headers(BytesIO(b"\\xef\\xbb\\xbfFull Name;Dept\\r\\nAnn;IT\\r\\n"))
    ['Full Name', 'Dept']
    """
    raw = fp.read()
    if hasattr(fp, "seek"):
        fp.seek(0)
    text = _decode(raw, "", _Problems()) or ""
    first = next(csv.reader(io.StringIO(text.lstrip("\r\n")), delimiter=_delimiter(text)), [])
    return [h.strip() for h in first]


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


def _read_table(fp: BinaryIO, name: str, spec: s.FileSpec,
                mapping: Mapping[str, str | None] | None, problems: _Problems) -> _Table | None:
    raw = fp.read()
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if not raw.strip():
        problems.add(Problem(name, None, None, "the file is empty"))
        return None
    text = _decode(raw, name, problems)
    if text is None:
        return None
    if "\x00" in text:
        problems.add(Problem(name, text[: text.index("\x00")].count("\n") + 1, None,
                             "unreadable encoding: the file holds NUL bytes (is it a spreadsheet, not a CSV?)"))
        return None
    grid = _parse_rows(text, _delimiter(text), name, problems)
    if grid is None:
        return None
    if grid.empty:
        problems.add(Problem(name, None, None, "the file is empty"))
        return None
    rows = np.arange(1, len(grid) + 1)
    header = [str(h).strip() for h in grid.iloc[0]]
    body = grid.iloc[1:].reset_index(drop=True)
    for column in body.columns:
        body[column] = _strip_text(body[column])
    rows = rows[1:]
    # Blank rows (every cell empty) are skipped; they keep their row numbers.
    if len(body):
        filled = (body != "").any(axis=1).to_numpy()
        if not filled.all():
            body, rows = body[filled].reset_index(drop=True), rows[filled]

    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    custom: list[str] = []
    for pos, h in enumerate(header):
        if not h:
            if len(body) and (body.iloc[:, pos] != "").any():
                problems.add(Problem(name, 1, f"#{pos + 1}", "this column has values but no header"))
            continue
        if mapping is not None and h in mapping:
            column = mapping[h]
        else:
            column = spec.canonical(h)
        key = column or h
        if key in columns:
            problems.add(Problem(name, 1, h, f"duplicate column: {headers[key]!r} already gives {key!r}"))
            continue
        columns[key] = pos
        headers[key] = h
        if column is None:
            custom.append(h)
    for required in spec.required:
        if required not in columns:
            problems.add(Problem(name, 1, required, "missing required column"))
    if any(p.file == name and p.row == 1 for p in problems.items):
        return None
    frame = pd.DataFrame({key: body.iloc[:, pos] for key, pos in columns.items()})
    return _Table(frame, rows, headers, custom)


def _strip_text(col: pd.Series) -> pd.Series:
    """Trim spaces; undo the ``'`` our exports put before formula-like text."""
    col = col.astype(str).str.strip()
    if not len(col):
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
        try:
            parsed.append(parse(value))
        except ValueError as e:
            parsed.append(None)
            errors[i] = str(e)
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


def _ties(table: _Table, name: str, known: pd.Index, problems: _Problems,
          warnings: list[str]) -> pd.DataFrame:
    _require_text(table, name, s.SOURCE, problems, "source")
    _require_text(table, name, s.TARGET, problems, "target")
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


def _engagements(table: _Table, name: str, known: pd.Index, problems: _Problems) -> pd.DataFrame:
    _require_text(table, name, s.STAKEHOLDER_ID, problems, "stakeholder_id")
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
    stakeholders: BinaryIO,
    influences: BinaryIO | None = None,
    engagements: BinaryIO | None = None,
    *,
    names: tuple[str, str, str] = _DEFAULT_NAMES,
    mappings: Mapping[str, Mapping[str, str | None]] | None = None,
) -> MapData:
    """Read and validate one map's files together.

    Parameters
    ----------
    stakeholders, influences, engagements : binary file objects
        The contract's three files; only ``stakeholders`` is required.
    names : (str, str, str)
        File names used in problem messages (e.g. the uploaded file names).
    mappings : dict, optional
        Per file label (``"stakeholders"``, ``"influences"``, ``"engagements"``),
        the user's header → contract column (None = keep as custom attribute),
        overriding the automatic header matching.

    Returns
    -------
    MapData

    Raises
    ------
    ContractError
        Listing every problem (file, spreadsheet row, column, message) across
        all files, capped at :data:`~stakeholder_map.errors.MAX_PROBLEMS`.
    """
    mappings = mappings or {}
    problems = _Problems()
    warnings: list[str] = []
    people_name, ties_name, eng_name = names
    people_table = _read_table(stakeholders, people_name, s.STAKEHOLDERS,
                               mappings.get(s.STAKEHOLDERS.label), problems)
    ties_table = eng_table = None
    if influences is not None:
        ties_table = _read_table(influences, ties_name, s.INFLUENCES,
                                 mappings.get(s.INFLUENCES.label), problems)
    if engagements is not None:
        eng_table = _read_table(engagements, eng_name, s.ENGAGEMENTS,
                                mappings.get(s.ENGAGEMENTS.label), problems)
    people = _people(people_table, people_name, problems) if people_table else None
    known = pd.Index(people[s.ID]) if people is not None else None
    ties = empty_ties()
    if ties_table is not None and known is not None:
        ties = _ties(ties_table, ties_name, known, problems, warnings)
    elif ties_table is not None:
        ties = None
    events = empty_engagements()
    if eng_table is not None and known is not None:
        events = _engagements(eng_table, eng_name, known, problems)
    problems.raise_if_any()
    return MapData(
        people=people,
        ties=ties,
        engagements=events,
        warnings=warnings,
        custom_columns=list(people_table.custom),
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
        :attr:`MapData.engagements`.

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
    table = _read_table(fp, name, s.ENGAGEMENTS, mapping, problems)
    events = None
    if table is not None:
        events = _engagements(table, name, pd.Index([str(i) for i in known_ids]), problems)
    problems.raise_if_any()
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
        header), and each row's spreadsheet row number (header = row 1), for
        the caller's own checks.

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
    table = _read_table(fp, name or f"{spec.label}.csv", spec, None, problems)
    problems.raise_if_any()
    return table.frame, table.rows
