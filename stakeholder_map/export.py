"""A map → the contract's CSV files, safe to open in a spreadsheet and to share.

The files are in the exact form :func:`stakeholder_map.ingest.read_map` reads,
so importing an export gives the same map. Text that a spreadsheet would run
as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return)
gets a leading ``'`` (OWASP's advice for CSV injection); numbers, negative
ones included, stay numbers. The importer removes that one ``'`` again.

:func:`pseudonymised_export` gives the same files for sharing outside the
team: keyed-hash ids, no names, emails, notes or free-text columns, and small
departments merged. :func:`safe_filename` and :func:`path_inside` keep names
that come from data (a map's name) from choosing where a file lands.

Examples
--------
>>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-2"), safe_cell("Ann")
('\\'=HYPERLINK("http://x")', '-2', 'Ann')
>>> safe_filename("../../etc/passwd"), safe_filename("PM rollout: Q3/Q4", suffix=".zip")
('etc_passwd', 'PM rollout_ Q3_Q4.zip')
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import schema as s
from .errors import UnsafePath
from .ingest import FORMULA_TRIGGERS
from .store import Store

__all__ = [
    "export_map", "map_tables", "NUMBER_COLUMNS", "DATE_COLUMNS", "write_export", "safe_cell", "frame_to_csv", "EXPORT_FILES",
    "pseudonymised_export", "pseudonym", "merge_small_departments", "OTHER_DEPARTMENT",
    "MIN_DEPARTMENT", "safe_filename", "path_inside", "write_files", "zip_files",
]

EXPORT_FILES = ("stakeholders.csv", "influences.csv", "engagements.csv")
#: Text a spreadsheet runs as a formula, or such text already quoted by us ('=…).
_FORMULA_LIKE = re.compile("^'*[" + re.escape("".join(FORMULA_TRIGGERS)) + "]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
#: The same two patterns in RE2 syntax, for whole columns at once (pyarrow).
_FORMULA_RE2 = "^'*[" + "".join({"\t": r"\t", "\r": r"\r", "-": r"\-"}.get(c, c) for c in FORMULA_TRIGGERS) + "]"
_NUMBER_RE2 = "^" + _NUMBER.pattern + "$"


def safe_cell(value: object) -> str:
    """Text for one CSV cell; formula-like text is prefixed with ``'``."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    if _FORMULA_LIKE.match(text) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _number(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def _numbers(values: pd.Series) -> list[str]:
    """:func:`_number` of every value, vectorised."""
    x = pd.to_numeric(pd.Series(values), errors="coerce").astype("float64").to_numpy()
    out = np.full(len(x), "", dtype=object)
    finite = ~np.isnan(x)
    whole = finite & (np.floor(x) == x) & (np.abs(x) < 1e15)
    out[whole] = x[whole].astype(np.int64).astype(str).tolist()
    rest = finite & ~whole
    out[rest] = [repr(float(v)) for v in x[rest]]
    return out.tolist()


def _safe_column(column: pd.Series) -> list[str] | pd.Series:
    """:func:`safe_cell` of every cell; text columns at once, with RE2 (pyarrow)."""
    if pd.api.types.infer_dtype(column, skipna=True) not in ("string", "empty"):
        return [safe_cell(v) for v in column]
    text = pa.array(column.astype(object).where(column.notna(), "").tolist(), type=pa.large_string())
    risky = pc.and_(pc.match_substring_regex(text, _FORMULA_RE2),
                    pc.invert(pc.match_substring_regex(text, _NUMBER_RE2)))
    if pc.any(risky).as_py():
        quote, nothing = pa.scalar("'", type=pa.large_string()), pa.scalar("", type=pa.large_string())
        text = pc.if_else(risky, pc.binary_join_element_wise(quote, text, nothing), text)
    return text.to_pylist()


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """Write a frame of text cells as UTF-8 CSV with every cell made spreadsheet-safe.

    >>> frame_to_csv(pd.DataFrame({"name": ["=1+1", "Ann"], "stance": ["-2", None]})).decode()
    "name,stance\\n'=1+1,-2\\nAnn,\\n"
    """
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([safe_cell(c) for c in frame.columns])
    if len(frame):
        cells = pd.DataFrame({i: _safe_column(frame.iloc[:, i]) for i in range(frame.shape[1])})
        cells.to_csv(out, header=False, index=False, lineterminator="\n")
    return out.getvalue().encode("utf-8")


def map_tables(store: Store, name: str) -> dict[str, pd.DataFrame]:
    """The map's three tables as the export writes them, cells still typed.

    Keys are :data:`EXPORT_FILES`. Numbers (seniority, influence, interest,
    weight) are numbers (missing: NA), engagement dates are ``date`` objects,
    stances their labels, everything else text or None; custom columns follow
    the contract's in the stakeholders table. The CSV export
    (:func:`export_map`) and the workbook export
    (:mod:`stakeholder_map.export_xlsx`) both write these.
    """
    people = store.people(name)
    custom = store.custom_columns(name)
    table = pd.DataFrame({
        s.ID: people[s.ID], s.NAME: people[s.NAME], s.DEPARTMENT: people[s.DEPARTMENT],
        s.ROLE: people[s.ROLE],
        s.SENIORITY: people[s.SENIORITY],
        s.STANCE: [None if pd.isna(v) else s.stance_label(int(v)) for v in people[s.STANCE]],
        s.INFLUENCE: people[s.INFLUENCE],
        s.INTEREST: people[s.INTEREST],
        s.EMAIL: people[s.EMAIL], s.NOTES: people[s.NOTES],
    })
    for column in custom:
        table[column] = [a.get(column, "") for a in people[s.ATTRIBUTES]]
    ties = store.ties(name)
    tie_table = pd.DataFrame({
        s.SOURCE: ties[s.SOURCE], s.TARGET: ties[s.TARGET], s.WEIGHT: ties[s.WEIGHT], s.KIND: ties[s.KIND],
    })
    events = store.engagements(name)
    event_table = pd.DataFrame({
        s.DATE: list(events[s.DATE]),
        s.STAKEHOLDER_ID: events[s.STAKEHOLDER_ID],
        s.ACTIVITY: events[s.ACTIVITY],
        s.STANCE_AFTER: [None if pd.isna(v) else s.stance_label(int(v)) for v in events[s.STANCE_AFTER]],
        s.NOTES: events[s.NOTES],
    })
    return dict(zip(EXPORT_FILES, (table, tie_table, event_table)))


#: Per file of :func:`map_tables`, the contract's columns it gives as numbers and as dates (a custom column
#: is text, whatever its name).
NUMBER_COLUMNS = {EXPORT_FILES[0]: (s.SENIORITY, s.INFLUENCE, s.INTEREST), EXPORT_FILES[1]: (s.WEIGHT,),
                  EXPORT_FILES[2]: ()}
DATE_COLUMNS = {EXPORT_FILES[0]: (), EXPORT_FILES[1]: (), EXPORT_FILES[2]: (s.DATE,)}
_STANCE_COLUMNS = {EXPORT_FILES[0]: (s.STANCE,), EXPORT_FILES[1]: (), EXPORT_FILES[2]: (s.STANCE_AFTER,)}


def export_map(store: Store, name: str) -> dict[str, bytes]:
    """The map's three CSV files as ``{file name: bytes}``."""
    out = {}
    for file_name, table in map_tables(store, name).items():
        table = table.copy()
        for column in NUMBER_COLUMNS[file_name]:
            table[column] = _numbers(table[column])
        for column in DATE_COLUMNS[file_name]:
            table[column] = [d.isoformat() for d in table[column]]
        for column in _STANCE_COLUMNS[file_name]:
            table[column] = table[column].fillna("")
        out[file_name] = frame_to_csv(table)
    return out


def write_export(store: Store, name: str, out_dir: str | Path) -> list[Path]:
    """Write the map's CSV files into ``out_dir`` (created if missing); returns their paths."""
    return write_files(export_map(store, name), out_dir)


# ------------------------------------------------------------------ file names

_UNSAFE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
MAX_FILENAME = 120


def safe_filename(name: object, *, suffix: str = "", default: str = "export",
                  max_length: int = MAX_FILENAME) -> str:
    """A file name made from user text (e.g. a map's name) that can only name a file in its folder.

    Path separators, ``:*?"<>|`` and control characters become ``_``; runs of
    dots become one; leading dots, spaces and ``_`` go (no hidden files, no
    ``..``); Windows' reserved device names get a ``_`` in front; the result
    is at most ``max_length`` characters (suffix included) and never empty.

    >>> safe_filename("..\\\\..\\\\boot.ini"), safe_filename("\\x1b[31mred"), safe_filename("CON", suffix=".csv")
    ('boot.ini', '[31mred', '_CON.csv')
    >>> safe_filename("...", suffix=".csv"), len(safe_filename("x" * 500, suffix=".html"))
    ('export.csv', 120)
    """
    text = unicodedata.normalize("NFKC", "" if name is None else str(name))
    text = "".join(c if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp") else "_" for c in text)
    text = _UNSAFE_CHARS.sub("_", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = text.strip(" ._")
    if not text:
        text = default
    if _WINDOWS_RESERVED.match(text):
        text = "_" + text
    room = max(1, max_length - len(suffix))
    text = text[:room].rstrip(" .") or default[:room]
    return text + suffix


def path_inside(folder: str | Path, file_name: str) -> Path:
    """``folder / safe_filename(file_name)``, refusing a symbolic link there.

    Raises
    ------
    UnsafePath
        The path is (or leads through) a symbolic link, or resolves outside ``folder``.
    """
    base = Path(folder)
    clean = safe_filename(file_name)
    path = base / clean
    if path.is_symlink():
        raise UnsafePath(f"{path} is a symbolic link; not writing through it")
    if base.exists() and path.resolve().parent != base.resolve():
        raise UnsafePath(f"{clean!r} would be written outside {base}")
    return path


def write_files(files: Mapping[str, bytes], out_dir: str | Path) -> list[Path]:
    """Write ``{file name: bytes}`` into ``out_dir`` (created if missing); returns the paths.

    Each name goes through :func:`safe_filename`, so nothing lands outside
    the folder; each file is written to a temporary name first and then
    renamed, so a crash never leaves half a file.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, content in files.items():
        path = path_inside(folder, file_name)
        partial = path.with_name(f".{path.name}.partial")
        partial.unlink(missing_ok=True)
        partial.write_bytes(content)
        os.replace(partial, path)
        written.append(path)
    return written


def zip_files(files: Mapping[str, bytes]) -> bytes:
    """The files as one ZIP archive (for a single download); names made safe, dates fixed.

    >>> import zipfile, io
    >>> zipfile.ZipFile(io.BytesIO(zip_files({"../a.csv": b"x"}))).namelist()
    ['a.csv']
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file_name, content in files.items():
            info = zipfile.ZipInfo(safe_filename(file_name), date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()


# ---------------------------------------------------------- pseudonymised export

#: Departments with fewer people than this are merged into :data:`OTHER_DEPARTMENT`.
MIN_DEPARTMENT = 5
OTHER_DEPARTMENT = "Other"
_MIN_SALT = 8


def _key(salt: str | bytes) -> bytes:
    key = salt.encode("utf-8") if isinstance(salt, str) else bytes(salt)
    if len(key) < _MIN_SALT:
        raise ValueError(f"a salt needs at least {_MIN_SALT} characters (a short one can be guessed)")
    return key if len(key) <= 64 else hashlib.blake2b(key).digest()


def pseudonym(stakeholder_id: str, salt: str | bytes) -> str:
    """A person's pseudonym: ``P`` and 16 hex digits of the id's BLAKE2b hash keyed by ``salt``.

    The same salt gives the same pseudonym, so exports made with it join;
    without the salt the id cannot be recovered, even by trying every
    likely id.

    >>> pseudonym("E001", "a secret salt") == pseudonym("E001", "a secret salt") != pseudonym("E002", "a secret salt")
    True
    >>> len(pseudonym("E001", "a secret salt")), pseudonym("E001", "a secret salt")[0]
    (17, 'P')
    """
    return _pseudonyms([stakeholder_id], _key(salt))[0]


def _pseudonyms(ids: Iterable[str], key: bytes) -> list[str]:
    return ["P" + hashlib.blake2b(str(i).encode("utf-8"), key=key, digest_size=8).hexdigest() for i in ids]


def merge_small_departments(departments: pd.Series, *, minimum: int = MIN_DEPARTMENT,
                            other: str = OTHER_DEPARTMENT) -> pd.Series:
    """Each department with fewer than ``minimum`` people becomes ``other``.

    When that leaves ``other`` itself with fewer than ``minimum`` people, the
    next smallest departments join it until it has enough (or nothing else
    is left), so no group of under ``minimum`` people stays visible.

    >>> departments = pd.Series(["IT"] * 5 + ["HR"] * 2 + ["Legal"] * 6)
    >>> merge_small_departments(departments, minimum=5).value_counts().to_dict()  # HR alone: IT joins it
    {'Other': 7, 'Legal': 6}
    """
    merged = departments.astype(object).where(~departments.map(departments.value_counts()).lt(minimum), other)
    while 0 < int((merged == other).sum()) < minimum:
        rest = merged[merged != other].value_counts()
        if rest.empty:
            break
        smallest = sorted(rest.items(), key=lambda kv: (kv[1], str(kv[0])))[0][0]
        merged = merged.where(merged != smallest, other)
    return merged


def pseudonymised_export(store: Store, name: str, *, salt: str | bytes | None = None,
                         min_department: int = MIN_DEPARTMENT, keep: Iterable[str] = (),
                         activities: Callable[[pd.Series], Iterable] | None = None) -> dict[str, bytes]:
    """The map's CSV files made fit for sharing: no one in them can be named.

    * ids become :func:`pseudonym` (keyed BLAKE2b); ties and engagements
      carry the same pseudonyms, so the files still import as one map;
    * ``name`` is the pseudonym; ``email``, ``notes``, ``role`` and every
      custom column are left out (``keep`` puts ``role`` or named custom
      columns back); engagement notes are left out;
    * departments of fewer than ``min_department`` people are merged into
      ``Other`` (:func:`merge_small_departments`);
    * rows are sorted by pseudonym, so their order tells nothing either.

    Stances, seniority, influence, interest, tie weights and kinds, engagement
    dates and activities are kept: the analysis of the shared files gives the
    same network.

    Parameters
    ----------
    store : Store
    name : str
        The map.
    salt : str or bytes, optional
        The key of the hash (at least 8 characters). Default: a fresh random
        one, used once and never written anywhere, so the pseudonyms match
        no other export. Give the same salt (kept secret) to make exports
        whose pseudonyms match.
    min_department : int
        Smallest department shown by name.
    keep : iterable of str
        ``role`` and/or custom columns to keep.
    activities : callable, optional
        Applied to the engagements' activity column before it is written (e.g.
        :func:`stakeholder_map.privacy.redact_activities`, for a team's viewer,
        who reads no touchpoint text). Default: the activities as they are.

    Returns
    -------
    dict
        ``{"stakeholders.csv": bytes, "influences.csv": bytes, "engagements.csv": bytes}``.

    Raises
    ------
    MapNotFound
    ValueError
        A salt shorter than 8 characters, or ``keep`` names an unknown column.
    """
    key = _key(secrets.token_bytes(32) if salt is None else salt)
    people = store.people(name)
    custom = store.custom_columns(name)
    keep = list(dict.fromkeys(keep))
    unknown = [c for c in keep if c != s.ROLE and c not in custom]
    if unknown:
        raise ValueError(f"cannot keep {', '.join(map(repr, unknown))}: "
                         f"choose from {', '.join([s.ROLE, *custom])}")
    codes = dict(zip(people[s.ID], _pseudonyms(people[s.ID], key)))
    if len(set(codes.values())) != len(codes):  # 64 bits: about 1 in 10^9 for 100k people
        raise ValueError("two ids got the same pseudonym; export again (a new salt is drawn)")
    table = pd.DataFrame({
        s.ID: people[s.ID].map(codes),
        s.DEPARTMENT: merge_small_departments(people[s.DEPARTMENT], minimum=min_department),
        s.SENIORITY: _numbers(people[s.SENIORITY]),
        s.STANCE: ["" if pd.isna(v) else s.stance_label(int(v)) for v in people[s.STANCE]],
        s.INFLUENCE: _numbers(people[s.INFLUENCE]),
        s.INTEREST: _numbers(people[s.INTEREST]),
    })
    table.insert(1, s.NAME, table[s.ID])
    if s.ROLE in keep:
        table.insert(3, s.ROLE, people[s.ROLE])
    for column in keep:
        if column != s.ROLE:
            table[column] = [a.get(column, "") for a in people[s.ATTRIBUTES]]
    table = table.sort_values(s.ID, kind="stable")
    ties = store.ties(name)
    tie_table = pd.DataFrame({
        s.SOURCE: ties[s.SOURCE].map(codes), s.TARGET: ties[s.TARGET].map(codes),
        s.WEIGHT: _numbers(ties[s.WEIGHT]), s.KIND: ties[s.KIND],
    }).sort_values([s.SOURCE, s.TARGET, s.KIND], kind="stable", na_position="first")
    events = store.engagements(name)
    event_table = pd.DataFrame({
        s.DATE: [d.isoformat() for d in events[s.DATE]],
        s.STAKEHOLDER_ID: events[s.STAKEHOLDER_ID].map(codes).to_numpy(),
        s.ACTIVITY: events[s.ACTIVITY].to_numpy() if activities is None
        else np.asarray(list(activities(events[s.ACTIVITY])), dtype=object),
        s.STANCE_AFTER: ["" if pd.isna(v) else s.stance_label(int(v)) for v in events[s.STANCE_AFTER]],
    }).sort_values([s.DATE, s.STAKEHOLDER_ID], kind="stable")
    return dict(zip(EXPORT_FILES, (frame_to_csv(table), frame_to_csv(tie_table), frame_to_csv(event_table))))
