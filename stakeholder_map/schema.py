"""The CSV contract in one place: columns, synonyms, stance and seniority words.

Everything that names a column of the contract (``../shared/CONTRACT.md``,
documented for users in the README) imports it from here, so a column is spelt
once. Header matching ignores case, spaces, ``_`` and ``-``.

Examples
--------
>>> normalise_header(" Stakeholder_ID ")
'stakeholderid'
>>> parse_stance("Supporter"), parse_stance("-2"), parse_stance("")
(1, -2, None)
>>> parse_seniority("director"), parse_seniority("5")
(4, 5)
>>> stance_label(None), stance_label(-1)
('unknown', 'skeptic')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ID", "NAME", "DEPARTMENT", "ROLE", "SENIORITY", "STANCE", "INFLUENCE",
    "INTEREST", "EMAIL", "NOTES", "MANAGER", "ATTRIBUTES",
    "SOURCE", "TARGET", "WEIGHT", "KIND", "REPORTS_TO",
    "DATE", "STAKEHOLDER_ID", "ACTIVITY", "STANCE_AFTER",
    "HOME_DEPARTMENT",
    "UNASSIGNED", "STANCES", "STANCE_LABELS", "UNCONVINCED_STANCES",
    "DEFAULT_DISALLOWED_STANCES",
    "SENIORITY_WORDS", "FileSpec", "STAKEHOLDERS", "INFLUENCES", "ENGAGEMENTS", "TEAM",
    "normalise_header", "parse_stance", "parse_seniority", "stance_label", "cell_text",
    "as_number", "as_int", "stance_value",
    "TIMESTAMP", "SENDER", "RECIPIENTS", "RECIPIENT", "CC", "BCC", "MESSAGE_ID",
    "INTERACTION_MESSAGES", "INTERACTION_PAIRS",
]

# stakeholders.csv
ID = "id"
NAME = "name"
DEPARTMENT = "department"
ROLE = "role"
SENIORITY = "seniority"
STANCE = "stance"
INFLUENCE = "influence"
INTEREST = "interest"
EMAIL = "email"
NOTES = "notes"
#: The id of the person's manager: read into ``reports_to`` ties (manager → report), not kept as a column.
MANAGER = "manager"
#: Frame column holding the custom attributes of a person (dict column -> text).
ATTRIBUTES = "attributes"

# influences.csv
SOURCE = "source"
TARGET = "target"
WEIGHT = "weight"
KIND = "kind"
#: The tie kind of an org chart's reporting line; the manager is the source (CONTRACT §2).
REPORTS_TO = "reports_to"

# engagements.csv
DATE = "date"
STAKEHOLDER_ID = "stakeholder_id"
ACTIVITY = "activity"
STANCE_AFTER = "stance_after"

# team.csv (the associates of a rotation plan; not part of a map)
HOME_DEPARTMENT = "home_department"

#: The department of people whose department cell is empty.
UNASSIGNED = "Unassigned"

#: Stance words and their values; empty means unknown (None), treated as neutral.
STANCES: dict[str, int] = {
    "resistant": -2,
    "skeptic": -1,
    "neutral": 0,
    "supporter": 1,
    "champion": 2,
}
STANCE_LABELS: dict[int, str] = {v: k for k, v in STANCES.items()}
#: Stances (None = unknown) counted by the "only the not-yet-convinced" objective.
UNCONVINCED_STANCES: frozenset[int | None] = frozenset({0, -1, -2, None})
#: Who may not be a champion unless the user says otherwise: the resistant and the
#: skeptics (the default of ``select_champions``, the CLI and the pages).
DEFAULT_DISALLOWED_STANCES: tuple[str, ...] = ("resistant", "skeptic")

SENIORITY_WORDS: dict[str, int] = {
    "staff": 1,
    "lead": 2,
    "manager": 3,
    "director": 4,
    "executive": 5,
}


@dataclass(frozen=True)
class FileSpec:
    """What one contract file holds: its columns and accepted header synonyms."""

    label: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    synonyms: dict[str, str]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def canonical(self, header: str) -> str | None:
        """The contract column a user's header means, or None for a custom one.

        >>> INFLUENCES.canonical("From"), INFLUENCES.canonical("Weight "), INFLUENCES.canonical("x")
        ('source', 'weight', None)
        """
        key = normalise_header(header)
        for column in self.columns:
            if normalise_header(column) == key:
                return column
        return self.synonyms.get(key)

    def closest_header(self, column: str, headers: list[str]) -> str | None:
        """The header most like a missing ``column``: a hint for the column mapping.

        A header counts when its normalised form contains the column's name
        or one of its synonyms ("Employee Number" for ``id``: no; "Person
        Ref ID": yes), or is close to one of them by
        :func:`difflib.get_close_matches` (cutoff 0.6). Headers that already
        mean a contract column are never suggested.

        >>> STAKEHOLDERS.closest_header("name", ["id", "Emp Nme", "Shoe size"])
        'Emp Nme'
        >>> STAKEHOLDERS.closest_header("id", ["Name", "Badge"]) is None
        True
        """
        import difflib

        names = [normalise_header(column)] + [k for k, v in self.synonyms.items() if v == column]
        free = [h for h in headers if h and self.canonical(h) is None]
        best: tuple[float, int, str] | None = None
        for order, header in enumerate(free):
            key = normalise_header(header)
            score = max((difflib.SequenceMatcher(None, key, n).ratio() for n in names), default=0.0)
            if any(len(n) > 1 and n in key for n in names) or key.endswith(names[0]):
                score = max(score, 0.9)
            if score >= 0.6 and (best is None or score > best[0]):
                best = (score, order, header)
        return best[2] if best else None


STAKEHOLDERS = FileSpec(
    label="stakeholders",
    required=(ID, NAME),
    optional=(DEPARTMENT, ROLE, SENIORITY, STANCE, INFLUENCE, INTEREST, EMAIL, NOTES, MANAGER),
    # Keys are normalised headers (lower case, no spaces, "_" or "-"). "Title" and
    # "Position" are job titles (role), never a stance: the stance synonyms say so
    # ("Position on change", "Attitude", "Support").
    synonyms={
        "stakeholderid": ID, "personid": ID, "employeeid": ID, "empid": ID, "staffid": ID,
        "employeenumber": ID, "employeeno": ID,
        "fullname": NAME, "employeename": NAME, "personname": NAME, "stakeholdername": NAME,
        "dept": DEPARTMENT, "departmentname": DEPARTMENT, "team": DEPARTMENT, "businessunit": DEPARTMENT,
        "unit": DEPARTMENT,
        "title": ROLE, "jobtitle": ROLE, "position": ROLE, "job": ROLE,
        "level": SENIORITY, "grade": SENIORITY,
        "attitude": STANCE, "positiononchange": STANCE, "support": STANCE,
        "power": INFLUENCE, "authority": INFLUENCE,
        "impact": INTEREST,
        "emailaddress": EMAIL, "mail": EMAIL,
        "note": NOTES, "comments": NOTES, "comment": NOTES,
        "managerid": MANAGER, "reportsto": MANAGER, "reportstoid": MANAGER,
        "linemanager": MANAGER, "linemanagerid": MANAGER, "supervisor": MANAGER, "supervisorid": MANAGER,
    },
)

INFLUENCES = FileSpec(
    label="influences",
    required=(SOURCE, TARGET),
    optional=(WEIGHT, KIND),
    synonyms={
        "from": SOURCE, "to": TARGET,
        "influencer": SOURCE, "influenced": TARGET,
        "sourceid": SOURCE, "targetid": TARGET,
        "fromid": SOURCE, "toid": TARGET,
        "influencerid": SOURCE, "influencedid": TARGET,
        "strength": WEIGHT,
        "type": KIND, "tiekind": KIND, "tietype": KIND, "relationship": KIND,
    },
)

ENGAGEMENTS = FileSpec(
    label="engagements",
    required=(DATE, STAKEHOLDER_ID),
    optional=(ACTIVITY, STANCE_AFTER, NOTES),
    synonyms={"stakeholder": STAKEHOLDER_ID, "person": STAKEHOLDER_ID, "personid": STAKEHOLDER_ID,
              "employeeid": STAKEHOLDER_ID,
              "type": ACTIVITY, "stance": STANCE_AFTER, "attitude": STANCE_AFTER,
              "note": NOTES, "comments": NOTES, "comment": NOTES},
)

#: The team of a rotation plan: one associate per row (see ``tracking/rotation.py``).
TEAM = FileSpec(
    label="team",
    required=(NAME,),
    optional=(HOME_DEPARTMENT, EMAIL),
    synonyms={"associate": NAME, "fullname": NAME, "home": HOME_DEPARTMENT, "department": HOME_DEPARTMENT,
              "dept": HOME_DEPARTMENT, "homedept": HOME_DEPARTMENT, "emailaddress": EMAIL},
)

# interaction logs (who e-mailed or met whom; see ``ingest_interactions.py``): only these columns are read
TIMESTAMP = "timestamp"
SENDER = "sender"
RECIPIENTS = "recipients"
RECIPIENT = "recipient"
CC = "cc"
BCC = "bcc"
MESSAGE_ID = "message_id"

_LOG_SYNONYMS = {
    "date": TIMESTAMP, "time": TIMESTAMP, "datetime": TIMESTAMP, "sent": TIMESTAMP, "sentat": TIMESTAMP,
    "senttime": TIMESTAMP, "sentdate": TIMESTAMP, "datesent": TIMESTAMP, "received": TIMESTAMP,
    "start": TIMESTAMP, "starttime": TIMESTAMP, "dtstart": TIMESTAMP, "when": TIMESTAMP,
    "from": SENDER, "fromaddress": SENDER, "senderaddress": SENDER, "senderemail": SENDER, "author": SENDER,
    "organiser": SENDER, "organizer": SENDER, "organiseremail": SENDER, "organizeremail": SENDER, "host": SENDER,
}
#: Shape (a): one row per message or meeting, its recipients or attendees in one ``;``-separated cell.
INTERACTION_MESSAGES = FileSpec(
    label="interactions",
    required=(TIMESTAMP, SENDER, RECIPIENTS),
    optional=(CC, BCC),
    synonyms={**_LOG_SYNONYMS, "to": RECIPIENTS, "toaddresses": RECIPIENTS, "recipientaddresses": RECIPIENTS,
              "attendees": RECIPIENTS, "participants": RECIPIENTS, "invitees": RECIPIENTS,
              "ccaddresses": CC, "bccaddresses": BCC},
)
#: Shape (b): one row per sender-recipient pair; rows of one message share ``message_id`` (else sender and time).
INTERACTION_PAIRS = FileSpec(
    label="interactions",
    required=(TIMESTAMP, SENDER, RECIPIENT),
    optional=(MESSAGE_ID,),
    synonyms={**_LOG_SYNONYMS, "recipientaddress": RECIPIENT, "recipientemail": RECIPIENT, "receiver": RECIPIENT,
              "attendee": RECIPIENT, "participant": RECIPIENT, "toaddress": RECIPIENT,
              "messageid": MESSAGE_ID, "internetmessageid": MESSAGE_ID, "meetingid": MESSAGE_ID,
              "eventid": MESSAGE_ID, "uid": MESSAGE_ID},
)

_IGNORED = re.compile(r"[\s_\-]+")


def normalise_header(header: str) -> str:
    """Lower-case a header and drop spaces, ``_`` and ``-`` (and a BOM)."""
    return _IGNORED.sub("", str(header).replace("\ufeff", "")).lower()


def parse_stance(text: str) -> int | None:
    """Stance word or number (−2…2) → int; empty → None. Raises ValueError."""
    value = str(text).strip().lower()
    if not value:
        return None
    if value in STANCES:
        return STANCES[value]
    try:
        number = float(value.replace("\u2212", "-"))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a stance (use {', '.join(STANCES)} or -2..2)"
        ) from None
    if number != int(number) or not -2 <= number <= 2:
        raise ValueError(f"stance {text!r} is out of range -2..2")
    return int(number)


def parse_seniority(text: str) -> int | None:
    """Seniority word or number (1…5) → int; empty → None. Raises ValueError."""
    value = str(text).strip().lower()
    if not value:
        return None
    if value in SENIORITY_WORDS:
        return SENIORITY_WORDS[value]
    try:
        number = float(value)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a seniority (use 1-5 or {', '.join(SENIORITY_WORDS)})"
        ) from None
    if number != int(number) or not 1 <= number <= 5:
        raise ValueError(f"seniority {text!r} is out of range 1..5")
    return int(number)


def stance_label(stance: int | None) -> str:
    """The word for a stance value; None is ``unknown``."""
    if stance is None or stance != stance:  # None or NaN
        return "unknown"
    return STANCE_LABELS[int(stance)]


def cell_text(value: object) -> str:
    """A cell for display: missing values (None, NaN, pandas NA) become ``""``, anything else ``str``.

    >>> cell_text(None), cell_text(float("nan")), cell_text("Ann"), cell_text(3)
    ('', '', 'Ann', '3')
    """
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):  # list-like values: not a missing marker
        pass
    return str(value)


def as_number(value: object) -> float | None:
    """A stored value as a float, leniently: missing (None, NaN, pandas NA, '') or not a number → None.

    >>> as_number(2), as_number("3.5"), as_number(""), as_number(float("nan")), as_number("x")
    (2.0, 3.5, None, None, None)
    """
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def as_int(value: object) -> int | None:
    """A stance- or seniority-like value as int, leniently: missing or not a number → None.

    For values already stored (a graph attribute, a frame cell), where a
    missing value is None, NaN or pandas NA; text that is no number also
    reads as None (no error), a fraction is truncated.

    >>> as_int(2), as_int("-1"), as_int(1.0), as_int(None), as_int(float("nan")), as_int("x")
    (2, -1, 1, None, None, None)
    """
    number = as_number(value)
    return None if number is None else int(number)


def stance_value(value: Any) -> int | None:
    """A stance given as word, number or None → int −2…2 or None, strictly.

    For stances a caller passes in (receptiveness keys, disallowed stances,
    what-if overrides): ``"unknown"``, None, NaN and pandas NA are None;
    other text is read by :func:`parse_stance`. Raises ValueError for a
    number out of range or a word that is no stance.

    >>> stance_value("skeptic"), stance_value(2), stance_value("unknown"), stance_value(float("nan"))
    (-1, 2, None, None)
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        if not -2 <= int(value) <= 2:
            raise ValueError(f"stance {value!r} is out of range -2..2")
        return int(value)
    if str(value).strip().lower() == "unknown":
        return None
    return parse_stance(str(value))
