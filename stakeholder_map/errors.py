"""Exceptions raised by Stakeholder Map's library code.

The UI shows them with ``st.error`` and the CLI prints them and exits non-zero;
neither ever shows a traceback for a user's mistake. Driver exceptions (DuckDB,
pandas) never leave the module that caught them: they are translated into one
of these.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Problem",
    "StakeholderMapError",
    "ContractError",
    "StoreError",
    "MapNotFound",
    "MapExists",
    "VersionNotFound",
    "DatabaseBusy",
    "UnknownStakeholder",
    "InfeasibleChampions",
    "UnsafePath",
    "AccessDenied",
    "SurveyError",
    "MAX_PROBLEMS",
    "MISSING_COLUMN",
]

#: How many problems a refusal lists before saying "and N more".
MAX_PROBLEMS = 50
#: The message of a missing required column (a hint may follow it).
MISSING_COLUMN = "missing required column"


@dataclass(frozen=True)
class Problem:
    """One breach of the CSV contract.

    ``row`` is the row number a spreadsheet shows (header = row 1), or ``None``
    when the problem concerns the whole file (empty file, missing column).
    ``suggestion`` is, for a missing required column, the file's header most
    like it (the column mapping can open with it chosen), else None.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class StakeholderMapError(Exception):
    """Base class of every error a user can cause."""


class ContractError(StakeholderMapError):
    """A file breaks the CSV contract; it was refused as a whole.

    Carries the first :data:`MAX_PROBLEMS` problems and the total count, so a
    message can say how many more there were.
    """

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = list(problems[:MAX_PROBLEMS])
        self.total = max(total if total is not None else len(problems), len(self.problems))
        super().__init__(self.summary())

    @property
    def more(self) -> int:
        """How many problems were found beyond the listed ones."""
        return self.total - len(self.problems)

    def summary(self) -> str:
        files = sorted({p.file for p in self.problems})
        head = (
            f"Refused {', '.join(files)}: {self.total} problem"
            f"{'s' if self.total != 1 else ''}; nothing was imported."
        )
        lines = [head] + [f"  - {p}" for p in self.problems]
        if self.more:
            lines.append(f"  ... and {self.more} more")
        return "\n".join(lines)

    def as_records(self) -> list[dict]:
        """The listed problems as plain dicts (file, row, column, message)."""
        return [
            {"file": p.file, "row": p.row, "column": p.column, "message": p.message}
            for p in self.problems
        ]

    @property
    def missing_columns(self) -> list[dict]:
        """The required columns a file lacks, with the closest header found: for the column mapping.

        One dict per missing column: ``file``, ``column`` (the contract's
        name) and ``suggestion`` (the user's header most like it, or None).

        >>> e = ContractError([Problem("people.csv", 1, "name", MISSING_COLUMN, "Emp Nme")])
        >>> e.missing_columns
        [{'file': 'people.csv', 'column': 'name', 'suggestion': 'Emp Nme'}]
        """
        return [{"file": p.file, "column": p.column, "suggestion": p.suggestion}
                for p in self.problems if p.message.startswith(MISSING_COLUMN)]


class StoreError(StakeholderMapError):
    """The database could not do what was asked."""


class MapNotFound(StoreError):
    """No map of that name exists in the database."""


class MapExists(StoreError):
    """A map of that name exists already (use replace to overwrite it)."""


class VersionNotFound(StoreError):
    """A map has no version of that number (or no version at all yet)."""


class DatabaseBusy(StoreError):
    """Another process holds the database's write lock."""


class UnknownStakeholder(StakeholderMapError):
    """An id given by the user names nobody in the map."""


class InfeasibleChampions(StakeholderMapError, ValueError):
    """The champion constraints (pins, per-department minimums, k) cannot all hold.

    The message is a full sentence saying what to change; the same facts are
    fields, for a page that offers the fix (e.g. sets k to ``needed``).

    Attributes
    ----------
    reason : str
        ``"pinned_and_excluded"``, ``"too_many_pins"`` or ``"department_minimum"``.
    k : int or None
        How many champions were asked for.
    eligible : int or None
        How many people may be champions with these settings (allowed
        stances, not excluded, pins included).
    needed : int or None
        How many champions the constraints need (pins, or pins plus the
        per-department minimums).
    min_per_department : int
        The per-department minimum asked for.
    feasible_min_per_department : int or None
        The largest per-department minimum that can be met with these
        settings (``department_minimum`` only).
    people : tuple of str
        The ids concerned: both pinned and excluded, or the pins.
    changes : tuple of str
        What to change, one short instruction each, most direct first.

    Examples
    --------
    >>> e = InfeasibleChampions("Pick fewer.", reason="too_many_pins", k=1, needed=2, people=("a", "b"))
    >>> str(e), e.reason, e.needed
    ('Pick fewer.', 'too_many_pins', 2)
    """

    def __init__(self, message: str, *, reason: str = "", k: int | None = None, eligible: int | None = None,
                 needed: int | None = None, min_per_department: int = 0,
                 feasible_min_per_department: int | None = None, people: tuple[str, ...] = (),
                 changes: tuple[str, ...] = ()):
        super().__init__(message)
        self.reason = reason
        self.k = k
        self.eligible = eligible
        self.needed = needed
        self.min_per_department = min_per_department
        self.feasible_min_per_department = feasible_min_per_department
        self.people = tuple(people)
        self.changes = tuple(changes)


class UnsafePath(StakeholderMapError, ValueError):
    """A file to write would land outside its folder, or through a symbolic link."""


class AccessDenied(StakeholderMapError):
    """Someone's role on a map does not allow what they tried; nothing was written.

    The message names who, what and which map, and the role that would allow
    it; the same facts are fields, for a page that explains the refusal.

    Attributes
    ----------
    who : str
        The e-mail address of the person (or ``"local user"``).
    action : str
        The action refused (one of :data:`stakeholder_map.access.ACTIONS`).
    map_name : str or None
        The map, or None for something that concerns every map.
    role : str or None
        The person's role there (None: not a member).
    needed : str or None
        The least role that allows the action.

    Examples
    --------
    >>> e = AccessDenied("b@x.org may not erase a person in map 'M'", who="b@x.org", action="erase",
    ...                  map_name="M", role="editor", needed="admin")
    >>> e.who, e.role, e.needed
    ('b@x.org', 'editor', 'admin')
    """

    def __init__(self, message: str, *, who: str = "", action: str = "", map_name: str | None = None,
                 role: str | None = None, needed: str | None = None):
        super().__init__(message)
        self.who = who
        self.action = action
        self.map_name = map_name
        self.role = role
        self.needed = needed


class SurveyError(StakeholderMapError):
    """A survey or a response to one was refused (a bad, expired or revoked link, a name not on the
    roster, too many picks, a closed survey); nothing was written. The message says what to do."""
