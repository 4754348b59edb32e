"""What a write to the store reports back."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ImportReport", "ErasureReport"]


@dataclass
class ImportReport:
    """What an import wrote."""

    map: str
    people: int
    ties: int
    engagements: int
    stance_changes: int
    replaced: bool
    warnings: list[str] = field(default_factory=list)


@dataclass
class ErasureReport:
    """What :meth:`Store.erase_person` removed (rows per table)."""

    map: str
    id: str
    people: int
    ties: int
    engagements: int
    stance_history: int
    engagement_changes: int
    compacted: bool
