"""The relationship survey's rules: the question library, links, and what a definition or a response may hold.

A survey asks each person on a map a few network questions ("Whom do you go to
for advice about how work gets done?"); every question becomes a tie kind. The
person *named* is the tie's source and the respondent its target (the CSV
contract: from an advice survey, the person named is the source). An optional
strength scale (how often) gives the tie's weight; an optional pulse question
on the change is answered on the stance scale and enters the stance history
with source ``survey``.

Each invited person gets a personal link holding an unguessable token
(:func:`new_token`); only its SHA-256 (:func:`token_hash`) is stored.
Everything here is plain Python: the store (:mod:`stakeholder_map.store.surveys`)
calls these checks inside its transactions, so a refused response writes nothing.

Examples
--------
>>> survey = survey_definition("Q1 network", closes_on=date(2030, 1, 31))
>>> [q.kind for q in survey.questions], survey.strength
(['advice', 'trust', 'help'], True)
>>> Submission.of({0: ["b"]}).picks
{0: [('b', None)]}
>>> check_submission(survey, Submission.of({0: [("b", 3), ("a", 1)]}, consent=True), respondent="a",
...                  roster={"a", "b"})
Traceback (most recent call last):
...
stakeholder_map.errors.SurveyError: Question 1: you cannot name yourself.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import pandas as pd

from .errors import SurveyError
from .schema import STANCE_LABELS

__all__ = [
    "Question", "SurveyDefinition", "Submission", "DEFAULT_QUESTIONS", "STRENGTH_SCALE", "DEFAULT_CONSENT",
    "DEFAULT_MAX_PICKS", "MAX_PICKS", "MAX_QUESTIONS", "MAX_TEXT", "MAX_ID", "MIN_GROUP", "SURVEY_STATUSES",
    "new_token", "token_hash", "survey_definition", "check_submission", "hidden_count", "survey_link",
    "link_table", "SURVEY_PATH",
]

#: Picks per question unless the admin says otherwise, and the most a question may allow.
DEFAULT_MAX_PICKS = 5
MAX_PICKS = 20
#: Questions per survey; characters of a question, title or consent text; characters of a person's id.
MAX_QUESTIONS = 8
MAX_TEXT = 1000
MAX_ID = 200
#: Department response figures are shown only from this many respondents on.
MIN_GROUP = 5
#: open: takes responses; closed: takes none; applied: its responses are in the map (and it takes none).
SURVEY_STATUSES = ("open", "closed", "applied")
#: How often (the optional strength scale): the value is the tie's weight.
STRENGTH_SCALE: dict[int, str] = {1: "Now and then", 2: "Monthly", 3: "Weekly", 4: "Daily"}
DEFAULT_CONSENT = ("Your answers are used only to map who people turn to during this change. Only the project's "
                   "admins see individual answers; results by department are shown only for groups of "
                   f"{MIN_GROUP} or more. You may change your answers until the survey closes.")
#: The respondent page's address under the dashboard's base URL.
SURVEY_PATH = "survey"
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Question:
    """One network question: its text, the tie kind it makes, and how many people one may name."""

    text: str
    kind: str
    max_picks: int = DEFAULT_MAX_PICKS

    def as_dict(self) -> dict:
        return {"text": self.text, "kind": self.kind, "max_picks": self.max_picks}


#: The question library's defaults.
DEFAULT_QUESTIONS: tuple[Question, ...] = (
    Question("Whom do you go to for advice about how work gets done?", "advice"),
    Question("Whose opinion on new tools do you trust?", "trust"),
    Question("Who would you ask to help you learn a new system?", "help"),
)


@dataclass(frozen=True)
class SurveyDefinition:
    """What a survey asks: questions, the optional strength scale and pulse question, consent, closing date."""

    title: str
    questions: tuple[Question, ...]
    closes_on: date
    consent: str = DEFAULT_CONSENT
    strength: bool = True
    pulse: str | None = None

    def to_json(self) -> str:
        """The stored form (the closing date and title are columns of their own)."""
        return json.dumps({"questions": [q.as_dict() for q in self.questions], "consent": self.consent,
                           "strength": self.strength, "pulse": self.pulse}, ensure_ascii=False)

    @classmethod
    def from_json(cls, title: str, closes_on: date, text: str) -> "SurveyDefinition":
        data = json.loads(text)
        return cls(title, tuple(Question(**q) for q in data["questions"]), closes_on, data["consent"],
                   bool(data["strength"]), data["pulse"])

    @property
    def kinds(self) -> list[str]:
        """The tie kinds its questions make, each once, in question order."""
        return list(dict.fromkeys(q.kind for q in self.questions))


def _text(value: object, what: str, *, required: bool = True) -> str | None:
    clean = " ".join(str(value).split()) if value is not None else ""
    if not clean:
        if required:
            raise SurveyError(f"The survey needs {what}.")
        return None
    if len(clean) > MAX_TEXT:
        raise SurveyError(f"{what[0].upper()}{what[1:]} has at most {MAX_TEXT} characters.")
    return clean


def survey_definition(title: str, *, closes_on: date, questions: list | tuple | None = None,
                      consent: str | None = DEFAULT_CONSENT, strength: bool = True,
                      pulse: str | None = None) -> SurveyDefinition:
    """A checked survey definition.

    Parameters
    ----------
    title : str
        Shown to respondents on top of the page.
    closes_on : date
        The last day responses are taken; links expire after it.
    questions : list of Question or dict, optional
        Each with ``text``, ``kind`` (a lower-case word: the tie kind) and
        ``max_picks`` (1 to :data:`MAX_PICKS`). Default: :data:`DEFAULT_QUESTIONS`.
    consent : str
        Shown above the answers; the respondent must agree before submitting.
    strength : bool
        Whether each named person gets a "how often" answer (the tie weight).
    pulse : str, optional
        A question on the change answered on the stance scale, e.g. "How do
        you feel about the new PM tool?".

    Raises
    ------
    SurveyError
        A missing text, an unusable kind, a pick limit out of range, too many questions.
    """
    title = _text(title, "a title")
    raw = list(DEFAULT_QUESTIONS if questions is None else questions)
    if not raw:
        raise SurveyError("The survey needs at least one question.")
    if len(raw) > MAX_QUESTIONS:
        raise SurveyError(f"A survey has at most {MAX_QUESTIONS} questions.")
    checked = []
    for i, q in enumerate(raw, start=1):
        q = q if isinstance(q, Question) else Question(**{k: q[k] for k in ("text", "kind", "max_picks") if k in q})
        kind = str(q.kind).strip().lower()
        if not _KIND.match(kind):
            raise SurveyError(f"Question {i}: the tie kind {q.kind!r} should be one lower-case word "
                              "(letters, digits, _), e.g. advice.")
        try:
            picks = int(q.max_picks)
        except (TypeError, ValueError):
            raise SurveyError(f"Question {i}: the most people one may name is a whole number.") from None
        if not 1 <= picks <= MAX_PICKS:
            raise SurveyError(f"Question {i}: the most people one may name is between 1 and {MAX_PICKS}.")
        checked.append(Question(_text(q.text, f"a text for question {i}"), kind, picks))
    if not isinstance(closes_on, date):
        raise SurveyError("The survey needs a closing date.")
    return SurveyDefinition(title, tuple(checked), closes_on, _text(consent, "a consent text"),
                            bool(strength), _text(pulse, "a pulse question", required=False))


@dataclass(frozen=True)
class Submission:
    """One respondent's answers: per question (index from 0) the people named with a strength, the pulse, consent."""

    picks: dict[int, list[tuple[str, int | None]]] = field(default_factory=dict)
    pulse: int | None = None
    consent: bool = False

    @classmethod
    def of(cls, picks: dict, *, pulse: int | None = None, consent: bool = False) -> "Submission":
        """From ``{question: [id, ...]}`` or ``{question: [(id, strength), ...]}``."""
        return cls({int(q): [p if isinstance(p, tuple) else (p, None) for p in people]
                    for q, people in picks.items()}, pulse, consent)


def new_token() -> str:
    """A fresh personal link token (256 random bits, URL-safe); shown once, never stored."""
    return secrets.token_urlsafe(32)


def token_hash(token: object) -> str | None:
    """The stored form of a token (hex SHA-256), or None for something that cannot be a token."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100 or not re.fullmatch(r"[A-Za-z0-9_-]+", token):
        return None
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def check_submission(survey: SurveyDefinition, submission: Submission, *, respondent: str,
                     roster: set[str] | frozenset[str]) -> list[tuple[int, str, int | None]]:
    """The rows a response holds — ``(question, named person, strength)`` — or a refusal.

    Parameters
    ----------
    survey : SurveyDefinition
    submission : Submission
    respondent : str
        The respondent's stakeholder id (from their link, never from the payload).
    roster : set of str
        The ids of the people on the map.

    Raises
    ------
    SurveyError
        No consent; an unknown question; a name not on the roster; oneself;
        a name twice; more picks than allowed; a strength or pulse off its scale.
    """
    if not submission.consent:
        raise SurveyError("Please tick the consent box before you submit.")
    if not isinstance(submission.picks, dict) or len(submission.picks) > len(survey.questions):
        raise SurveyError("The response does not match this survey's questions.")
    rows = []
    for q, people in sorted(submission.picks.items()):
        if not isinstance(q, int) or not 0 <= q < len(survey.questions):
            raise SurveyError("The response does not match this survey's questions.")
        question = survey.questions[q]
        if not isinstance(people, list) or len(people) > question.max_picks:
            raise SurveyError(f"Question {q + 1}: name at most {question.max_picks} "
                              f"{'person' if question.max_picks == 1 else 'people'}.")
        seen = set()
        for item in people:
            person, strength = item if isinstance(item, tuple) and len(item) == 2 else (None, None)
            if not isinstance(person, str) or len(person) > MAX_ID or person not in roster:
                raise SurveyError(f"Question {q + 1}: a name that is not on the list; pick people from the list.")
            if person == respondent:
                raise SurveyError(f"Question {q + 1}: you cannot name yourself.")
            if person in seen:
                raise SurveyError(f"Question {q + 1}: each person once, please.")
            seen.add(person)
            if survey.strength:
                if strength not in STRENGTH_SCALE:
                    raise SurveyError(f"Question {q + 1}: say how often for everyone you named.")
            elif strength is not None:
                raise SurveyError("This survey does not ask how often.")
            rows.append((q, person, strength))
    if submission.pulse is not None and (survey.pulse is None or submission.pulse not in STANCE_LABELS):
        raise SurveyError("The answer on the change is not one of the choices.")
    return rows


def hidden_count(respondents: int) -> str | int:
    """A department's respondent count as shown: the number, or "fewer than 5" below :data:`MIN_GROUP`."""
    return int(respondents) if respondents >= MIN_GROUP else f"fewer than {MIN_GROUP}"


def survey_link(base_url: str, token: str) -> str:
    """The respondent's personal link: ``<base_url>/survey?token=<token>``.

    >>> survey_link("https://maps.example.org/", "abc")
    'https://maps.example.org/survey?token=abc'
    """
    base = str(base_url or "").strip()
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SurveyError(f"The base URL {base!r} should be the dashboard's address, e.g. https://maps.example.org")
    return f"{base.rstrip('/')}/{SURVEY_PATH}?token={token}"


def link_table(links: pd.DataFrame, base_url: str) -> pd.DataFrame:
    """name, email, link for a mail merge, from :meth:`Store.issue_links`' id, name, email, token."""
    return pd.DataFrame({"name": links["name"], "email": links["email"].fillna(""),
                         "link": [survey_link(base_url, t) for t in links["token"]]})
