"""What a viewer may not read, taken out of a map's frames before anything is derived from them.

In team mode a *viewer* reads the map and the analyses, but no notes, no e-mail addresses and no
touchpoint text. The dashboard gives a viewer a workspace opened with ``redacted=True``
(:class:`~stakeholder_map.workspace.Workspace`), whose frames pass through the functions here: every
table, tooltip, person panel and brief drawn from it then has nothing private to show, whatever page
draws it. The figures stay the same: stances, ties, dates and who was talked to are kept, and a
touchpoint's activity becomes a neutral word that keeps the distinctions the analyses make (a desk
assessment is not a conversation, see :data:`~stakeholder_map.tracking.history.NON_CONTACT_ACTIVITIES`; a
seed touch is exposure, not a conversation, see :mod:`~stakeholder_map.tracking.activities`).

Examples
--------
>>> import pandas as pd
>>> people = pd.DataFrame({"id": ["1"], "name": ["Ann"], "email": ["ann@x.org"], "notes": ["Wary of cost"]})
>>> redact_people(people).to_dict("records")
[{'id': '1', 'name': 'Ann', 'email': None, 'notes': None}]
>>> events = pd.DataFrame({"date": ["2026-01-05", "2026-01-06"], "stakeholder_id": ["1", "1"],
...                        "activity": ["Lunch with Ann", "Assessment"], "notes": ["She hates it", None]})
>>> redact_engagements(events)[["activity", "notes"]].to_dict("records")
[{'activity': 'touchpoint', 'notes': None}, {'activity': 'assessment', 'notes': None}]
"""

from __future__ import annotations

import pandas as pd

from . import schema as s
from .tracking.activities import REDACTED_SEED, is_seed_activity
from .tracking.history import NON_CONTACT_ACTIVITIES

__all__ = ["redact_people", "redact_engagements", "redact_changes", "redact_activities", "PRIVATE_PEOPLE_COLUMNS",
           "PRIVATE_ENGAGEMENT_COLUMNS", "TOUCHPOINT"]

#: Columns of the stakeholders frame a viewer does not read.
PRIVATE_PEOPLE_COLUMNS = (s.EMAIL, s.NOTES)
#: Columns of the engagements frame a viewer does not read (the activity is replaced, not emptied).
PRIVATE_ENGAGEMENT_COLUMNS = (s.NOTES, "logged_by")
#: The activity a viewer sees for any conversation.
TOUCHPOINT = "touchpoint"


def _emptied(frame: pd.DataFrame, columns) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        if column in out:
            out[column] = pd.Series([None] * len(out), index=out.index, dtype=object)
    return out


def redact_people(people: pd.DataFrame) -> pd.DataFrame:
    """The stakeholders frame without e-mail addresses and notes (the columns stay, empty)."""
    return _emptied(people, PRIVATE_PEOPLE_COLUMNS)


def redact_activities(activities: pd.Series) -> list[str]:
    """Each activity reduced to ``"assessment"`` (a desk assessment, no conversation), ``"seed touch"``
    (exposure: :data:`~stakeholder_map.tracking.activities.REDACTED_SEED`) or :data:`TOUCHPOINT`.

    >>> redact_activities(pd.Series(["1:1 about her budget worries", " Assessment", None, "Article on cost"]))
    ['touchpoint', 'assessment', 'touchpoint', 'touchpoint']
    >>> redact_activities(pd.Series(["results shared", "Seed: podcast on budgets"]))
    ['seed touch', 'seed touch']
    """
    words = activities.astype(object).where(activities.notna(), "").astype(str).str.strip().str.lower()
    return [word if word in NON_CONTACT_ACTIVITIES else REDACTED_SEED if is_seed_activity(word) else TOUCHPOINT
            for word in words]


def redact_engagements(engagements: pd.DataFrame) -> pd.DataFrame:
    """The touchpoints without their text: no notes, no author, and the activity reduced
    (:func:`redact_activities`)."""
    out = _emptied(engagements, PRIVATE_ENGAGEMENT_COLUMNS)
    if s.ACTIVITY in out and len(out):
        out[s.ACTIVITY] = redact_activities(out[s.ACTIVITY])
    return out


def redact_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """The touchpoints' change record holds their text before and after each edit: a viewer gets none of it
    (an empty frame with the same columns)."""
    return changes.iloc[0:0].copy()
