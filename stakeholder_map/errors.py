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
    "DatabaseBusy",
    "UnknownStakeholder",
    "InfeasibleChampions",
    "UnsafePath",
    "MAX_PROBLEMS",
]

#: How many problems a refusal lists before saying "and N more".
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One breach of the CSV contract.

    ``row`` is the row number a spreadsheet shows (header = row 1), or ``None``
    when the problem concerns the whole file (empty file, missing column).
    """

    file: str
    row: int | None
    column: str | None
    message: str

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


class StoreError(StakeholderMapError):
    """The database could not do what was asked."""


class MapNotFound(StoreError):
    """No map of that name exists in the database."""


class MapExists(StoreError):
    """A map of that name exists already (use replace to overwrite it)."""


class DatabaseBusy(StoreError):
    """Another process holds the database's write lock."""


class UnknownStakeholder(StakeholderMapError):
    """An id given by the user names nobody in the map."""


class InfeasibleChampions(StakeholderMapError, ValueError):
    """The champion constraints (pins, per-department minimums, k) cannot all hold."""


class UnsafePath(StakeholderMapError, ValueError):
    """A file to write would land outside its folder, or through a symbolic link."""
