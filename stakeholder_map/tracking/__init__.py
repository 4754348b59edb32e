"""Tracking buy-in over time: the working plan and the record of progress.

One module per concept; each takes the store's plain frames (people, stance
history, engagements, milestones) or the map's graph and returns frames,
dicts or text, so a dashboard page or a CLI command needs one or two calls:

``history``
    Stance as of a date (the rule for dates before a person's first record),
    the stance mix per department over time, who moved between two dates
    and whether a conversation preceded each move, the map as of a date.
``milestones``
    Progress, trend, projection and status (met, on track, at risk, missed)
    of each milestone; a per-department progress report; each department's
    gap to its milestones.
``next_conversations``
    Whom to talk to next (marginal expected adoption, blockers) and the best
    messenger for each.
``rotation``
    A quarter's visiting schedule for a team (the team file is read by
    :mod:`stakeholder_map.ingest_team`, the plan written as CSV and
    iCalendar by :mod:`stakeholder_map.export_rotation`: tracking reads and
    returns plain frames, never files).
``brief``
    A one-page, print-friendly HTML briefing on one department.

The functions that read several of the store's frames of one map take them
together as a :class:`TrackingFrames`; :func:`tracking_frames` reads them from
the store in one call (the store is passed in, never imported here).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # for the annotation only: tracking reads frames, it does not depend on the store
    from ..store import Store

__all__ = ["TrackingFrames", "tracking_frames"]


@dataclass(frozen=True)
class TrackingFrames:
    """The frames of one map that the tracking functions read.

    Attributes
    ----------
    people : DataFrame
        The map's people (:meth:`Store.people`).
    history : DataFrame or None
        The stance history (:meth:`Store.stance_history`); None reads as none.
    engagements : DataFrame or None
        The logged engagements (:meth:`Store.engagements`); None reads as none.
    milestones : DataFrame or None
        The milestones (:meth:`Store.milestones`); None reads as none.
    """

    people: pd.DataFrame
    history: pd.DataFrame | None = None
    engagements: pd.DataFrame | None = None
    milestones: pd.DataFrame | None = None


def tracking_frames(store: Store, name: str) -> TrackingFrames:
    """People, stance history, engagements and milestones of the map ``name``.

    Raises :class:`~stakeholder_map.errors.MapNotFound` for an unknown map.
    """
    return TrackingFrames(
        people=store.people(name),
        history=store.stance_history(name),
        engagements=store.engagements(name),
        milestones=store.milestones(name),
    )
