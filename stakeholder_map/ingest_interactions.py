"""Interaction logs -> one validated table of (message, time, sender, recipient), or one ContractError.

An export of who e-mailed or met whom becomes weighted ties in
:meth:`Store.import_interactions <stakeholder_map.store.Store.import_interactions>`;
this module reads and checks the file, the store aggregates it. Three shapes:

(a) one row per message or meeting: ``timestamp``, ``sender`` (or organiser)
    and ``recipients`` (or attendees), several addresses in one cell separated
    by ``;`` (optional ``cc`` and ``bcc`` cells join them);
(b) one row per sender-recipient pair: ``timestamp``, ``sender``,
    ``recipient``; the rows that share ``message_id`` (when the column is there)
    or else sender and timestamp form one message;
(c) iCalendar ``.ics`` files: each VEVENT is a meeting from its ORGANIZER to
    its ATTENDEEs (declined attendees and cancelled events left out), at its
    DTSTART. A recurring event counts once (RRULE is not expanded).

Headers are matched as in the other files (:data:`schema.INTERACTION_MESSAGES`,
:data:`schema.INTERACTION_PAIRS`: case, spaces, ``_`` and ``-`` ignored; ``From``,
``To``, ``Date``, ``Organizer``, ``Attendees`` ... accepted). Only those
columns are read: a subject, body, location or any other column is skipped by
the CSV reader and never converted, kept or stored; in an ``.ics`` file only
DTSTART, ORGANIZER, ATTENDEE (with PARTSTAT) and STATUS are looked at.

Addresses are compared as the store compares them to the map's ``email``
column: ``Ann Smith <Ann@X.org>`` and ``mailto:ann@x.org`` both read as
``ann@x.org`` (trimmed, lower case). A timestamp is ISO 8601 (``2026-01-05``,
``2026-01-05 09:30``, ``2026-01-05T09:30:00+01:00``); one without a zone is
read as UTC. Refused, with the file, the spreadsheet row and the column:
a missing column, an empty or unreadable timestamp, an empty sender, a
sender or recipient that is not one e-mail address (``a@x.org, b@x.org`` is
two: separate them with ``;``). A message with no recipient is kept and
counts for nothing.

Big files stay in Arrow: the CSV is parsed by pyarrow's multi-threaded reader,
recipients are split and flattened by Arrow kernels, and addresses are
checked and normalised once per distinct address, so ten million rows never
become Python objects. Files that the fast reader refuses (a blank line, a
row with too many fields, an encoding other than UTF-8) are read by
:mod:`stakeholder_map.ingest`'s tolerant reader, which names the rows.

Examples
--------
>>> from io import BytesIO
>>> log = read_interactions(BytesIO(b"Date,From,To,Subject\\n2026-01-05,Ann <ANN@x.org>,bo@x.org; cy@x.org,hi\\n"))
>>> log.shape, log.rows, log.messages, log.addresses.to_pylist()
('messages', 1, 1, ['ann@x.org', 'bo@x.org', 'cy@x.org'])
>>> log.pairs.column("recipient").to_pylist()
[1, 2]
>>> try:
...     read_interactions(BytesIO(b"timestamp,sender,recipients\\nyesterday,a@x.org,b@x.org\\n"))
... except ContractError as e:
...     print(e.problems[0])
interactions.csv, row 2, column 'timestamp': 'yesterday' is not an ISO 8601 date or time
"""

from __future__ import annotations

import csv
import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from . import schema as s
from .errors import MAX_PROBLEMS, MISSING_COLUMN, ContractError, Problem
from .ingest import read_table

__all__ = ["InteractionLog", "read_interactions", "EMAIL", "MEETING", "INTERACTION_KINDS", "SHAPES"]

#: The tie kinds an interaction log makes.
EMAIL = "email"
MEETING = "meeting"
INTERACTION_KINDS = (EMAIL, MEETING)
#: The three shapes of log: a row per message, a row per pair, iCalendar events.
SHAPES = ("messages", "pairs", "ics")
#: One e-mail address after normalising: something, one ``@``, something; no spaces or separators.
_ADDRESS = r"^[^@\s<>;,\"']+@[^@\s<>;,\"']+$"
_ZONE = r"(Z|z|[+-]\d\d:?\d\d)$"
_TIME_FORMAT = r"^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|z|[+-]\d\d:?\d\d)?$"
_HEAD_BYTES = 1 << 16


class _Problems:
    """Problems found so far: the first few of each check kept, all counted; raised together."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        self.items.append(problem)

    def add_rows(self, file: str, rows: np.ndarray, column: str | None, message) -> None:
        """One problem per row; ``message(i)`` gets the position in ``rows``."""
        self.total += len(rows)
        self.items.extend(Problem(file, int(rows[i]), column, message(i)) for i in range(min(len(rows), MAX_PROBLEMS)))

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if self.total:
            raise ContractError(sorted(self.items, key=lambda p: (p.row or 0, p.column or "")), self.total)


@dataclass
class InteractionLog:
    """A validated interaction log, ready for :meth:`Store.import_interactions`.

    Attributes
    ----------
    pairs : pyarrow.Table
        One row per (message, recipient): ``message`` (int64 key, one per
        message or meeting), ``at`` (int64 microseconds since 1970, UTC),
        ``sender`` and ``recipient`` (int32 positions in :attr:`addresses`).
    addresses : pyarrow.Array
        The distinct normalised addresses (trimmed, lower case).
    rows : int
        Rows (or events) read.
    messages : int
        Distinct messages or meetings.
    shape : str
        ``"messages"``, ``"pairs"`` or ``"ics"``.
    kind : str
        The tie kind the log makes by default: ``meeting`` for ``.ics``, else ``email``.
    warnings : list of str
        What was read leniently (events left out, a non-UTF-8 file).
    """

    pairs: pa.Table
    addresses: pa.Array
    rows: int
    messages: int
    shape: str
    kind: str
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_interactions(fp: BinaryIO, *, name: str = "interactions.csv") -> InteractionLog:
    """Read and validate one interaction log (CSV in shape a or b, or iCalendar).

    Parameters
    ----------
    fp : binary file object
        The file (``open(path, "rb")`` or an upload's bytes).
    name : str
        File name used in problem messages; a name ending in ``.ics`` (or
        content starting with ``BEGIN:VCALENDAR``) is read as iCalendar.

    Returns
    -------
    InteractionLog

    Raises
    ------
    ContractError
        Every problem found (file, spreadsheet row or the event's line, column), nothing returned.
    """
    head = fp.read(_HEAD_BYTES)
    problems = _Problems()
    if isinstance(head, str):  # a text-mode file
        head = (head + fp.read()).encode("utf-8")
        source: bytes | BinaryIO = head
    elif len(head) < _HEAD_BYTES or not _rewinds(fp):
        source = head + fp.read()
    else:
        fp.seek(0)
        source = fp  # a big file on disk: the CSV reader streams it, the bytes are never held whole
    ics = name.lower().endswith(".ics") or head.lstrip(b"\xef\xbb\xbf \r\n\t")[:15].upper() == b"BEGIN:VCALENDAR"
    if ics or not head.strip():
        raw = source if isinstance(source, bytes) else source.read()
        if not raw.strip():
            problems.add(Problem(name, None, None, "the file is empty"))
            problems.raise_if_any()
        if ics:
            return _read_ics(raw, name, problems)
        source = raw
    return _read_csv(source, head, name, problems)


def _rewinds(fp) -> bool:
    try:
        return bool(fp.seekable())
    except (AttributeError, OSError, ValueError):
        return False


# ------------------------------------------------------------------ CSV shapes

def _spec_for(headers: list[str]) -> tuple[s.FileSpec, str]:
    """Shape (b) when a header means ``recipient`` and none means ``recipients``; else shape (a)."""
    if any(s.INTERACTION_MESSAGES.canonical(h) == s.RECIPIENTS for h in headers):
        return s.INTERACTION_MESSAGES, "messages"
    if any(s.INTERACTION_PAIRS.canonical(h) == s.RECIPIENT for h in headers):
        return s.INTERACTION_PAIRS, "pairs"
    return s.INTERACTION_MESSAGES, "messages"


def _read_csv(source: bytes | BinaryIO, head: bytes, name: str, problems: _Problems) -> InteractionLog:
    """``source``: the file's bytes, or the (rewound) file itself; ``head``: its first bytes."""
    warnings: list[str] = []
    found = _read_fast(source, head, name, problems)
    problems.raise_if_any()
    if found is None:
        if not isinstance(source, bytes):
            source.seek(0)
            source = source.read()
        found, warnings = _read_tolerant(source, name)
    columns, rows, headers, shape = found
    log = _validate(columns, rows, headers, shape, name, problems)
    problems.raise_if_any()
    log.rows = int(len(rows))
    log.warnings.extend(warnings)
    return log


def _header(raw: bytes) -> tuple[list[str], str, int, int] | None:
    """The header's cells, the delimiter, lines to skip before it, and blank rows above it (rows a spreadsheet
    counts; Excel's ``sep=`` line is not one); None when the head is not plain UTF-8."""
    head = raw[:_HEAD_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not just a character cut at the end of the head
            return None
        text = head[: e.start].decode("utf-8-sig")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blank, declared = 0, None
    while lines and (not lines[0].strip(" \t,;") or (declared is None and not blank
                                                      and lines[0].lower().startswith("sep=")
                                                      and len(lines[0].strip()) == 5)):
        if lines[0].strip(" \t,;"):
            declared = lines[0].strip()[4]
        else:
            blank += 1
        lines.pop(0)
    if not lines:
        return None
    counts = {d: lines[0].count(d) for d in (",", ";", "\t")}
    delimiter = declared or max(counts, key=lambda d: counts[d])
    try:
        cells = next(csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=delimiter), [])
    except csv.Error:
        return None
    return [c.strip() for c in cells], delimiter, blank + (1 if declared else 0), blank


def _columns_of(headers: list[str], spec: s.FileSpec, name: str, header_row: int,
                problems: _Problems) -> dict[str, int] | None:
    """Contract column -> position in the file; problems for a duplicate or a missing required column."""
    columns: dict[str, int] = {}
    given: dict[str, str] = {}
    before = problems.total
    for pos, h in enumerate(headers):
        column = spec.canonical(h) if h else None
        if column is None:
            continue  # any other column (subject, body, ...) is never read
        if column in columns:
            problems.add(Problem(name, header_row, h, f"duplicate column: {given[column]!r} already gives {column!r}"))
            continue
        columns[column], given[column] = pos, h
    custom = [h for h in headers if h and spec.canonical(h) is None]
    for required in spec.required:
        if required not in columns:
            hint = spec.closest_header(required, custom)
            problems.add(Problem(name, header_row, required, MISSING_COLUMN + (
                f" (closest header: {hint!r}; rename it to {required!r})" if hint else ""), hint))
    return None if problems.total > before else columns


def _read_fast(source: bytes | BinaryIO, head: bytes, name: str, problems: _Problems):
    """pyarrow's reader on UTF-8 files of full rows; None (no problem added) when the tolerant reader should try."""
    found = _header(head)
    if found is None:
        return None
    headers, delimiter, skip, offset = found
    spec, shape = _spec_for(headers)
    columns = _columns_of(headers, spec, name, offset + 1, problems)
    if columns is None:
        return None
    wanted = {column: f"f{pos}" for column, pos in columns.items()}
    try:
        table = pcsv.read_csv(
            pa.BufferReader(source) if isinstance(source, bytes) else source,
            read_options=pcsv.ReadOptions(skip_rows=skip + 1, autogenerate_column_names=True, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(
                include_columns=list(wanted.values()), column_types={f: pa.string() for f in wanted.values()},
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowException, ValueError):
        return None
    cells = {column: table.column(f) for column, f in wanted.items()}
    rows = np.arange(table.num_rows, dtype=np.int64) + offset + 2
    return cells, rows, {column: headers[pos] for column, pos in columns.items()}, shape


def _read_tolerant(raw: bytes, name: str):
    """The contract files' reader (blank rows, short rows, Windows-1252, UTF-16 ...), for what pyarrow refuses;
    it raises its own ContractError for a file it cannot read."""
    from .ingest import read_headers

    spec, shape = _spec_for(read_headers(io.BytesIO(raw)))
    frame, rows = read_table(io.BytesIO(raw), spec, name=name)
    keep = [c for c in spec.columns if c in frame]
    cells = {c: pa.chunked_array([pa.array(frame[c].to_numpy(dtype=object), type=pa.string())]) for c in keep}
    headers = frame.attrs["headers"]
    return (cells, np.asarray(rows, dtype=np.int64), {c: headers.get(c, c) for c in keep}, shape), \
        list(frame.attrs.get("warnings", []))


# ------------------------------------------------------------------- checks

def _trimmed(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.utf8_trim_whitespace(column)


def _timestamps(text: pa.ChunkedArray, rows: np.ndarray, column: str, name: str,
                problems: _Problems) -> np.ndarray:
    """ISO 8601 text -> int64 microseconds since 1970 UTC (no zone: UTC); bad cells -> problems.

    A log whose times all carry a zone, or all carry none, is one Arrow cast; a mixed
    one is split by a pattern first, and only a log with a bad cell is parsed again
    (by pandas) to find which.
    """
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks() if text.num_chunks else pa.array([], type=pa.string())
    for attempt in (text, pc.utf8_trim_whitespace(text)):
        for target in (pa.timestamp("us", tz="UTC"), pa.timestamp("us")):
            try:
                return pc.cast(attempt, target).cast(pa.int64()).to_numpy(zero_copy_only=False)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass
    text = pc.utf8_trim_whitespace(text)
    zoned = pc.match_substring_regex(text, _ZONE).to_numpy(zero_copy_only=False)
    out = np.zeros(len(text), dtype=np.int64)
    bad = np.zeros(len(text), dtype=bool)
    for mask, target in ((zoned, pa.timestamp("us", tz="UTC")), (~zoned, pa.timestamp("us"))):
        if not mask.any():
            continue
        part = text.filter(pa.array(mask))
        try:
            out[mask] = pc.cast(part, target).cast(pa.int64()).to_numpy(zero_copy_only=False)
            continue
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
        # Some cell is wrong: find which (slowly, only now), parsing the well-formed ones.
        ok = pc.match_substring_regex(part, _TIME_FORMAT).to_numpy(zero_copy_only=False)
        values = part.to_numpy(zero_copy_only=False)
        parsed = pd.to_datetime(pd.Series(values[ok]), format="ISO8601", utc=True, errors="coerce")
        good = parsed.notna().to_numpy()
        ok[np.flatnonzero(ok)[~good]] = False
        micro = np.zeros(len(part), dtype=np.int64)
        micro[ok] = parsed[good].dt.tz_localize(None).to_numpy().astype("datetime64[us]").astype("int64")
        out[mask] = micro
        bad[np.flatnonzero(mask)[~ok]] = True
    if bad.any():
        original = text.filter(pa.array(bad)).to_pylist()
        problems.add_rows(name, rows[bad], column, lambda i: (
            "the timestamp is empty" if not original[i] else f"{original[i]!r} is not an ISO 8601 date or time"))
    return out


def _normalise(addresses: pa.Array) -> pa.Array:
    """``Ann <Ann@X.org>``, `` mailto:ann@x.org`` -> ``ann@x.org``."""
    text = pc.utf8_trim_whitespace(addresses)
    text = pc.replace_substring_regex(text, r"^[^<]*<([^<>]*)>\s*$", r"\1")
    text = pc.replace_substring_regex(pc.utf8_lower(pc.utf8_trim_whitespace(text)), r"^mailto:", "")
    return pc.utf8_trim_whitespace(text)


def _encode(values: pa.ChunkedArray) -> tuple[np.ndarray, pa.Array, np.ndarray]:
    """Codes of each value in its distinct normalised addresses; which values are malformed.

    The values are hashed once (dictionary encoding); normalising and checking
    touch each distinct address once, however many rows it is on.
    """
    encoded = pc.dictionary_encode(values)
    chunks = [c for c in encoded.chunks if len(c)]
    if not chunks:
        return np.zeros(0, np.int32), pa.array([], pa.string()), np.zeros(0, bool)
    raw = chunks[-1].dictionary  # one dictionary, grown chunk by chunk: the last holds every value
    codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks]).astype(np.int64)
    normal = _normalise(raw)
    malformed = ~pc.match_substring_regex(normal, _ADDRESS).to_numpy(zero_copy_only=False)
    distinct = pc.unique(normal)
    remap = pc.index_in(normal, value_set=distinct).to_numpy(zero_copy_only=False).astype(np.int32)
    return remap[codes], distinct, malformed[codes]


def _split(batch: pa.RecordBatch, shape: str) -> dict:
    """One batch of rows: recipients split and flattened, addresses dictionary-encoded, times cast if they can be.

    Runs in a thread per batch (Arrow's kernels release the GIL), so the
    hashing of ten million addresses uses every core.
    """
    sender = batch.column(s.SENDER)
    if shape == "messages":
        parts = [batch.column(c) for c in (s.RECIPIENTS, s.CC, s.BCC) if c in batch.schema.names]
        joined = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, ";")
        lists = pc.split_pattern(joined, ";")
        flat = pc.list_flatten(lists)
        parent = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    else:
        flat = batch.column(s.RECIPIENT)
        parent = np.arange(batch.num_rows, dtype=np.int64)
    encoded = pc.dictionary_encode(pa.chunked_array([sender, flat], type=pa.string()))
    # One dictionary, grown chunk by chunk: the last chunk's holds every value.
    dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary if encoded.num_chunks else pa.array([], pa.string())
    indices = [c.indices.to_numpy(zero_copy_only=False) for c in encoded.chunks]
    at = None
    for target in (pa.timestamp("us", tz="UTC"), pa.timestamp("us")):
        try:
            at = pc.cast(batch.column(s.TIMESTAMP), target).cast(pa.int64()).to_numpy(zero_copy_only=False)
            break
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    return {"rows": batch.num_rows, "parent": parent, "dictionary": dictionary,
            "sender": indices[0] if indices else np.zeros(0, np.int32),
            "flat": indices[1] if len(indices) > 1 else np.zeros(0, np.int32), "at": at}


def _validate(cells: dict, rows: np.ndarray, headers: dict[str, str], shape: str, name: str,
              problems: _Problems) -> InteractionLog:
    """Check the cells of a CSV log and turn it into pairs (shape a or b).

    Cells are not trimmed row by row: addresses are trimmed and checked once
    per distinct value, so an empty cell is the code of ``""``.
    """
    count = len(rows)
    table = pa.table(cells)
    batches = table.to_batches() or [pa.RecordBatch.from_pylist([], schema=table.schema)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        pieces = list(pool.map(lambda b: _split(b, shape), batches))
        raw = pc.unique(pa.chunked_array([p["dictionary"] for p in pieces], type=pa.string()))
        remaps = list(pool.map(lambda p: pc.index_in(p["dictionary"], value_set=raw).to_numpy(
            zero_copy_only=False).astype(np.int64), pieces))
    starts = np.cumsum([0] + [p["rows"] for p in pieces])
    parent = np.concatenate([p["parent"] + start for p, start in zip(pieces, starts)])
    raw_sender = np.concatenate([r[p["sender"]] for p, r in zip(pieces, remaps)]).astype(np.int64)
    raw_flat = np.concatenate([r[p["flat"]] for p, r in zip(pieces, remaps)]).astype(np.int64)
    normal = _normalise(raw)
    wrong = ~pc.match_substring_regex(normal, _ADDRESS).to_numpy(zero_copy_only=False)
    addresses = pc.unique(normal)
    remap = pc.index_in(normal, value_set=addresses).to_numpy(zero_copy_only=False).astype(np.int32)
    blank = pc.index(addresses, "").as_py()  # the code of an empty cell, -1 when there is none
    sender_codes, recipient_codes = remap[raw_sender], remap[raw_flat]
    sender_empty, piece_empty = sender_codes == blank, recipient_codes == blank
    malformed = np.concatenate([wrong[raw_sender] & ~sender_empty, wrong[raw_flat] & ~piece_empty])
    recipient_column = headers[s.RECIPIENTS if shape == "messages" else s.RECIPIENT]
    stamps = cells[s.TIMESTAMP]
    has_recipient = np.bincount(parent[~piece_empty], minlength=count) > 0
    # Rows whose every read cell is empty (a row of delimiters) are skipped, keeping the others' numbers.
    hollow = sender_empty & ~has_recipient
    if hollow.any():
        hollow &= ~pc.not_equal(pc.utf8_trim_whitespace(stamps.combine_chunks()), "").to_numpy(
            zero_copy_only=False)
    kept_rows = ~hollow
    if all(p["at"] is not None for p in pieces):
        at = np.concatenate([p["at"] for p in pieces]) if pieces else np.zeros(0, np.int64)
    else:
        at = np.zeros(count, dtype=np.int64)
        at[kept_rows] = _timestamps(stamps.filter(pa.chunked_array([pa.array(kept_rows)])), rows[kept_rows],
                                    headers[s.TIMESTAMP], name, problems)
    empty = sender_empty & kept_rows
    if empty.any():
        problems.add_rows(name, rows[empty], headers[s.SENDER], lambda i: "the sender is empty")
    if shape == "pairs":
        no_recipient = ~has_recipient & kept_rows
        if no_recipient.any():
            problems.add_rows(name, rows[no_recipient], recipient_column, lambda i: "the recipient is empty")
    bad_sender = malformed[:count]
    if bad_sender.any():
        texts = raw.take(pa.array(raw_sender[bad_sender])).to_pylist()
        problems.add_rows(name, rows[bad_sender], headers[s.SENDER],
                          lambda i: f"{texts[i].strip()!r} is not one e-mail address")
    bad_recipient = malformed[count:]
    if bad_recipient.any():
        bad_rows, first = np.unique(parent[bad_recipient], return_index=True)
        texts = raw.take(pa.array(raw_flat[bad_recipient])).to_pylist()
        problems.add_rows(name, rows[bad_rows], recipient_column, lambda i: (
            f"{texts[first[i]].strip()!r} is not one e-mail address (separate addresses with ';')"))
    if problems:
        return None
    if shape == "pairs":
        ids = cells[s.MESSAGE_ID].combine_chunks() if s.MESSAGE_ID in cells else None
        message, messages = _message_keys(ids, kept_rows, sender_codes, at)
    else:
        message, messages = parent, int(kept_rows.sum())
    keep = ~piece_empty
    pairs = pa.table({
        "message": pa.array(message[keep] if shape == "pairs" else parent[keep], type=pa.int64()),
        "at": pa.array(at[parent[keep]], type=pa.int64()),
        "sender": pa.array(sender_codes[parent[keep]], type=pa.int32()),
        "recipient": pa.array(recipient_codes[keep], type=pa.int32()),
    })
    return InteractionLog(pairs, addresses, messages, messages, shape, EMAIL, [name])


def _message_keys(ids: pa.Array | None, kept: np.ndarray, sender_codes: np.ndarray,
                  at: np.ndarray) -> tuple[np.ndarray, int]:
    """Shape (b): one key per row's message, from ``message_id`` where given, else from sender and time."""
    if ids is not None:
        id_codes = pc.dictionary_encode(pc.utf8_trim_whitespace(ids)).indices.to_numpy(zero_copy_only=False)
    else:
        id_codes = np.full(len(at), -1, dtype=np.int64)
    combined = pd.MultiIndex.from_arrays([id_codes, sender_codes, at])
    keys, uniques = pd.factorize(combined)
    keys = keys.astype(np.int64)
    return keys, len(np.unique(keys[kept]))


# ------------------------------------------------------------------ iCalendar

def _event_lines(text: str) -> list[int]:
    """The line number of each ``BEGIN:VEVENT`` (folded lines begin with a space, so never match)."""
    return [i + 1 for i, line in enumerate(text.split("\n")) if line.strip().upper() == "BEGIN:VEVENT"]


def _micros(value) -> int:
    """A DTSTART value (date, naive or aware datetime) as microseconds since 1970 UTC (naive: UTC)."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    else:
        raise ValueError(f"{value!r} is not a date or time")
    delta = moment - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _read_ics(raw: bytes, name: str, problems: _Problems) -> InteractionLog:
    """Events -> shape (a) rows (organiser, attendees), then the same checks as a CSV."""
    from icalendar import Calendar

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        problems.add(Problem(name, raw[: e.start].count(b"\n") + 1, None,
                             "unreadable encoding: an iCalendar file is UTF-8"))
        problems.raise_if_any()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError) as e:
        problems.add(Problem(name, None, None, f"not an iCalendar file ({str(e).splitlines()[0][:200]})"))
        problems.raise_if_any()
    lines = _event_lines(text)
    stamps, senders, attendee_cells, rows = [], [], [], []
    left_out = {"cancelled": 0, "without attendees": 0}
    events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
    for k, event in enumerate(events):
        row = lines[k] if k < len(lines) else None
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            left_out["cancelled"] += 1
            continue
        found = event.get("ATTENDEE")
        attendees = found if isinstance(found, list) else ([found] if found is not None else [])
        attendees = [a for a in attendees if str(a.params.get("PARTSTAT", "")).upper() != "DECLINED"]
        if not attendees:
            left_out["without attendees"] += 1
            continue
        start = event.get("DTSTART")
        try:
            stamp = _micros(start.dt) if start is not None else None
        except (ValueError, AttributeError, OverflowError):
            stamp = None
        if stamp is None:
            problems.add(Problem(name, row, "DTSTART", "the event has no readable start (DTSTART)"))
        organiser = event.get("ORGANIZER")
        if organiser is None or not str(organiser).strip():
            problems.add(Problem(name, row, "ORGANIZER",
                                 "the event has attendees but no ORGANIZER (RFC 5545 requires one)"))
        stamps.append(stamp or 0)
        senders.append(str(organiser or ""))
        attendee_cells.append(";".join(str(a) for a in attendees))
        rows.append(row or 0)
    problems.raise_if_any()
    rows_array = np.asarray(rows, dtype=np.int64)
    cells = {s.TIMESTAMP: None, s.SENDER: pa.chunked_array([pa.array(senders, pa.string())]),
             s.RECIPIENTS: pa.chunked_array([pa.array(attendee_cells, pa.string())])}
    log = _validate_events(cells, np.asarray(stamps, dtype=np.int64), rows_array, name, problems)
    problems.raise_if_any()
    log.rows = len(events)
    log.warnings.extend(f"{name}: left out {n} event{'s' if n != 1 else ''} {why}"
                        for why, n in left_out.items() if n)
    return log


def _validate_events(cells: dict, stamps: np.ndarray, rows: np.ndarray, name: str,
                     problems: _Problems) -> InteractionLog:
    """The address checks of shape (a) on events whose times are read already."""
    count = len(rows)
    sender = _trimmed(cells[s.SENDER])
    lists = pc.split_pattern(cells[s.RECIPIENTS].combine_chunks(), ";")
    flat = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    parent = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    both = pa.chunked_array([sender.combine_chunks(), flat], type=pa.string())
    codes, addresses, malformed = _encode(both)
    bad_sender = malformed[:count]
    if bad_sender.any():
        texts = sender.combine_chunks().filter(pa.array(bad_sender)).to_pylist()
        problems.add_rows(name, rows[bad_sender], "ORGANIZER", lambda i: f"{texts[i]!r} is not one e-mail address")
    bad = malformed[count:]
    if bad.any():
        bad_rows, first = np.unique(parent[bad], return_index=True)
        texts = flat.filter(pa.array(bad)).to_pylist()
        problems.add_rows(name, rows[bad_rows], "ATTENDEE", lambda i: f"{texts[first[i]]!r} is not one e-mail address")
    pairs = pa.table({
        "message": pa.array(parent, type=pa.int64()),
        "at": pa.array(stamps[parent], type=pa.int64()),
        "sender": pa.array(codes[:count][parent], type=pa.int32()),
        "recipient": pa.array(codes[count:], type=pa.int32()),
    })
    return InteractionLog(pairs, addresses, count, count, "ics", MEETING, [name])
