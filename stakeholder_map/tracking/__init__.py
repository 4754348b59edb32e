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
    The team file, a quarter's visiting schedule, and its CSV and iCalendar
    exports.
``brief``
    A one-page, print-friendly HTML briefing on one department.

:func:`tracking_frames` reads the frames they need from the store in one call.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["TrackingFrames", "tracking_frames"]


@dataclass(frozen=True)
class TrackingFrames:
    """The store's frames of one map that the tracking functions read."""

    people: pd.DataFrame
    history: pd.DataFrame
    engagements: pd.DataFrame
    milestones: pd.DataFrame


def tracking_frames(store, name: str) -> TrackingFrames:
    """People, stance history, engagements and milestones of the map ``name``.

    Raises :class:`~stakeholder_map.errors.MapNotFound` for an unknown map.
    """
    return TrackingFrames(
        people=store.people(name),
        history=store.stance_history(name),
        engagements=store.engagements(name),
        milestones=store.milestones(name),
    )
