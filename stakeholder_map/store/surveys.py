"""Relationship surveys in the store: definitions, personal links (hashes only), responses, and applying them.

- :meth:`SurveyRecords.create_survey` stores a checked
  :class:`~stakeholder_map.surveys.SurveyDefinition` for a map (status ``open``).
- :meth:`SurveyRecords.issue_links` gives everyone on the map a fresh token,
  revoking earlier ones; only the SHA-256 of each is stored, the tokens are
  returned once.
- :meth:`SurveyRecords.submit_survey` takes a respondent's answers by token:
  checked (:func:`~stakeholder_map.surveys.check_submission`) and written in one
  transaction that replaces their earlier answers; a refusal writes nothing.
- :meth:`SurveyRecords.apply_survey` turns the responses into ties (named
  person -> respondent, weight = strength or 1, summed per pair and kind) and
  pulse answers into the stance history (source ``survey``), replacing what an
  earlier apply of the same survey wrote, as one new revision; the survey is
  then ``applied`` and takes no more answers.

A part of :class:`~stakeholder_map.store.Store` (it mixes this class in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from ..errors import SurveyError
from ..surveys import (
    MIN_GROUP, Submission, SurveyDefinition, check_submission, hidden_count, new_token, token_hash,
)

__all__ = ["SurveyRecords", "SurveyInvite", "SurveyApplyReport", "SURVEY_LIST_COLUMNS"]

SURVEY_LIST_COLUMNS = ["survey_id", "title", "status", "closes_on", "questions", "invited", "responded",
                       "created_at"]


@dataclass(frozen=True)
class SurveyInvite:
    """What a valid link opens: the survey, who answers, whom they may name, and their current answers."""

    survey_id: int
    map_name: str
    survey: SurveyDefinition
    respondent: str
    respondent_name: str
    roster: dict[str, str]
    answers: Submission | None


@dataclass(frozen=True)
class SurveyApplyReport:
    """What :meth:`SurveyRecords.apply_survey` wrote."""

    survey_id: int
    respondents: int
    ties: int
    replaced_ties: int
    pulse_answers: int


class SurveyRecords:
    """Relationship surveys (mixed into :class:`Store`)."""

    # --------------------------------------------------------------- definitions

    def create_survey(self, name: str, survey: SurveyDefinition, *, by: str | None = None) -> int:
        """Store a survey for the map (status ``open``); returns its id. ``by``: who (audit log)."""
        with self.atomic():
            map_id = self._map_id(name)
            survey_id = self._query("SELECT coalesce(max(survey_id), 0) + 1 FROM surveys")[0][0]
            self._query("""INSERT INTO surveys (map_id, survey_id, title, definition, closes_on, status,
                                                created_at, created_by)
                           VALUES (?, ?, ?, ?, ?, 'open', ?, ?)""",
                        [map_id, survey_id, survey.title, survey.to_json(), survey.closes_on, datetime.now(), by])
            self._audit("create_survey", by=by, map_id=map_id, map_name=name, subject=survey_id,
                        detail={"questions": len(survey.questions), "kinds": survey.kinds,
                                "closes_on": survey.closes_on.isoformat(), "pulse": survey.pulse is not None})
        return int(survey_id)

    def _survey_row(self, survey_id: int) -> tuple:
        found = self._query("""SELECT s.map_id, m.name, s.title, s.closes_on, s.definition, s.status, s.applied_at
                               FROM surveys s JOIN maps m USING (map_id) WHERE s.survey_id = ?""", [int(survey_id)])
        if not found:
            raise SurveyError(f"There is no survey {survey_id}.")
        return found[0]

    def survey(self, survey_id: int) -> tuple[str, SurveyDefinition, str]:
        """A survey's map, definition and status."""
        _, map_name, title, closes_on, definition, status, _ = self._survey_row(survey_id)
        return map_name, SurveyDefinition.from_json(title, closes_on, definition), status

    def surveys(self, name: str, *, today: date | None = None) -> pd.DataFrame:
        """The map's surveys, newest first, with how many were invited (live links) and answered.

        An open survey whose closing date is before ``today`` (default: the
        real today) lists as ``past closing date``: its links are refused, though
        nobody closed it.
        """
        map_id = self._map_id(name)
        frame = self._frame("""
            SELECT s.survey_id, s.title,
                   CASE WHEN s.status = 'open' AND s.closes_on < ? THEN 'past closing date' ELSE s.status END
                       AS status,
                   s.closes_on,
                   json_array_length(json_extract(s.definition, '$.questions')) AS questions,
                   (SELECT count(DISTINCT stakeholder_id) FROM survey_invitations i
                    WHERE i.survey_id = s.survey_id AND NOT i.revoked) AS invited,
                   (SELECT count(DISTINCT respondent) FROM survey_responses r
                    WHERE r.survey_id = s.survey_id) AS responded,
                   s.created_at
            FROM surveys s WHERE s.map_id = ? ORDER BY s.survey_id DESC""", [today or date.today(), map_id])
        frame["closes_on"] = [v.date() if hasattr(v, "date") else v for v in frame["closes_on"]]
        return frame[SURVEY_LIST_COLUMNS]

    def close_survey(self, survey_id: int, *, by: str | None = None) -> None:
        """Stop taking answers (an applied survey stays applied). ``by``: who (audit log)."""
        with self.atomic():
            map_id, map_name, *_ = self._survey_row(survey_id)
            self._query("UPDATE surveys SET status = 'closed' WHERE survey_id = ? AND status = 'open'",
                        [int(survey_id)])
            self._audit("close_survey", by=by, map_id=map_id, map_name=map_name, subject=int(survey_id))

    # --------------------------------------------------------------- links

    def issue_links(self, survey_id: int, *, expires_on: date | None = None, by: str | None = None) -> pd.DataFrame:
        """A fresh personal token for everyone on the map; earlier tokens of this survey are revoked.

        Returns id, name, email, token — the only time the tokens exist outside
        the respondents' links (the store keeps their hashes). ``expires_on``:
        the last day a link works (default: the closing date).
        """
        with self.atomic():
            map_id, map_name, _, closes_on, _, status, _ = self._survey_row(survey_id)
            if status != "open":
                raise SurveyError(f"Survey {survey_id} is {status}; links are only issued for an open survey.")
            people = self._frame("SELECT id, name, email FROM stakeholders WHERE map_id = ? ORDER BY seq", [map_id])
            tokens = [new_token() for _ in range(len(people))]
            revoked = self._query("""UPDATE survey_invitations SET revoked = true
                                     WHERE survey_id = ? AND NOT revoked""", [int(survey_id)])[0][0]
            rows = pd.DataFrame({"survey_id": int(survey_id), "stakeholder_id": people["id"],
                                 "token_hash": [token_hash(t) for t in tokens]})
            con = self._con
            con.register("new_invitations", rows)
            try:
                con.execute("""INSERT INTO survey_invitations (map_id, survey_id, stakeholder_id, token_hash,
                                                               expires_on, revoked, issued_at)
                               SELECT ?, survey_id, stakeholder_id, token_hash, ?, false, ? FROM new_invitations""",
                            [map_id, expires_on or closes_on, datetime.now()])
            finally:
                con.unregister("new_invitations")
            self._audit("issue_survey_links", by=by, map_id=map_id, map_name=map_name, subject=int(survey_id),
                        detail={"links": len(tokens), "revoked": int(revoked)})
        out = people.copy()
        out["token"] = tokens
        return out

    def revoke_link(self, survey_id: int, stakeholder_id: str, *, by: str | None = None) -> int:
        """Revoke a person's links to a survey; returns how many were live."""
        with self.atomic():
            map_id, map_name, *_ = self._survey_row(survey_id)
            count = self._query("""UPDATE survey_invitations SET revoked = true
                                   WHERE survey_id = ? AND stakeholder_id = ? AND NOT revoked""",
                                [int(survey_id), stakeholder_id])[0][0]
            self._audit("revoke_survey_link", by=by, map_id=map_id, map_name=map_name, subject=stakeholder_id,
                        detail={"survey": int(survey_id), "revoked": int(count)})
        return int(count)

    # --------------------------------------------------------------- respondents

    def _invitation(self, token: object, today: date) -> tuple:
        """(map_id, map name, survey id, definition, respondent id, respondent name) of a live link, or a refusal."""
        hashed = token_hash(token)
        found = self._query("""
            SELECT i.map_id, m.name, i.survey_id, s.title, s.closes_on, s.definition, s.status, i.expires_on,
                   i.revoked, i.stakeholder_id, p.name
            FROM survey_invitations i JOIN surveys s USING (survey_id) JOIN maps m ON m.map_id = i.map_id
            LEFT JOIN stakeholders p ON p.map_id = i.map_id AND p.id = i.stakeholder_id
            WHERE i.token_hash = ?""", [hashed]) if hashed else []
        if not found:
            raise SurveyError("This survey link is not valid. Use the link from your invitation, or ask "
                              "whoever sent it for a new one.")
        (map_id, map_name, survey_id, title, closes_on, definition, status, expires_on, revoked,
         respondent, respondent_name) = found[0]
        if revoked:
            raise SurveyError("This survey link has been replaced by a newer one. Use the latest link you were sent.")
        if status != "open" or today > closes_on:
            raise SurveyError("This survey is closed; thank you. Answers are no longer taken.")
        if today > expires_on:
            raise SurveyError("This survey link has expired. Ask whoever sent it for a new one.")
        if respondent_name is None:
            raise SurveyError("This survey link is not valid any more.")
        return (map_id, map_name, int(survey_id), SurveyDefinition.from_json(title, closes_on, definition),
                respondent, respondent_name)

    def survey_invite(self, token: str, *, today: date | None = None) -> SurveyInvite:
        """What a link opens (reads only); raises SurveyError for a forged, revoked or expired link."""
        map_id, map_name, survey_id, survey, respondent, respondent_name = self._invitation(
            token, today or date.today())
        roster = dict(self._query("SELECT id, name FROM stakeholders WHERE map_id = ? AND id <> ? ORDER BY name, seq",
                                  [map_id, respondent]))
        rows = self._query("""SELECT question, named, strength, pulse FROM survey_responses
                              WHERE survey_id = ? AND respondent = ? ORDER BY question, position""",
                           [survey_id, respondent])
        answers = None
        if rows:
            picks: dict[int, list] = {}
            pulse = None
            for question, named, strength, stance in rows:
                if question is None:
                    pulse = stance
                else:
                    picks.setdefault(int(question), []).append((named, strength))
            answers = Submission(picks, pulse, True)
        return SurveyInvite(survey_id, map_name, survey, respondent, respondent_name, roster, answers)

    def submit_survey(self, token: str, submission: Submission, *, today: date | None = None) -> int:
        """Record a respondent's answers, replacing their earlier ones, in one transaction; returns the picks kept.

        The respondent is the link's person, never anyone the payload names.
        Refusals (SurveyError) write nothing. Answers are not a change to the
        map (the revision stays) until the survey is applied.
        """
        with self.atomic(bump=False):
            map_id, map_name, survey_id, survey, respondent, _ = self._invitation(token, today or date.today())
            roster = {r[0] for r in self._query("SELECT id FROM stakeholders WHERE map_id = ?", [map_id])}
            rows = check_submission(survey, submission, respondent=respondent, roster=roster)
            replaced = self._query("DELETE FROM survey_responses WHERE survey_id = ? AND respondent = ?",
                                   [survey_id, respondent])[0][0]
            now = datetime.now()
            frame = pd.DataFrame(
                [(None, -1, None, None, submission.pulse)]
                + [(q, i, person, strength, None) for i, (q, person, strength) in enumerate(rows)],
                columns=["question", "position", "named", "strength", "pulse"])
            con = self._con
            con.register("new_responses", frame.astype(object))
            try:
                con.execute("""INSERT INTO survey_responses (map_id, survey_id, respondent, question, position,
                                                             named, strength, pulse, submitted_at)
                               SELECT ?, ?, ?, CAST(question AS INTEGER), CAST(position AS INTEGER),
                                      CAST(named AS VARCHAR), CAST(strength AS TINYINT), CAST(pulse AS TINYINT), ?
                               FROM new_responses""", [map_id, survey_id, respondent, now])
            finally:
                con.unregister("new_responses")
            self._audit("submit_survey", by=f"survey respondent {respondent}", map_id=map_id, map_name=map_name,
                        subject=survey_id, detail={"picks": len(rows), "replaced": bool(replaced)})
        return len(rows)

    # --------------------------------------------------------------- results

    def survey_status(self, survey_id: int) -> pd.DataFrame:
        """Response rate per department: department, invited, responded, rate.

        A department with fewer than :data:`~stakeholder_map.surveys.MIN_GROUP`
        respondents shows "fewer than 5" and no rate; the last row is the total.
        """
        self._survey_row(survey_id)
        counts = self._frame("""
            SELECT p.department, count(DISTINCT i.stakeholder_id) AS invited,
                   count(DISTINCT r.respondent) AS responded
            FROM survey_invitations i
            JOIN stakeholders p ON p.map_id = i.map_id AND p.id = i.stakeholder_id
            LEFT JOIN survey_responses r ON r.survey_id = i.survey_id AND r.respondent = i.stakeholder_id
            WHERE i.survey_id = ? AND NOT i.revoked
            GROUP BY p.department ORDER BY p.department""", [int(survey_id)])
        rows = []
        for department, invited, responded in counts.itertuples(index=False):
            shown = hidden_count(int(responded))
            rows.append((department, int(invited), str(shown),
                         f"{responded / invited:.0%}" if responded >= MIN_GROUP and invited else ""))
        invited, responded = int(counts["invited"].sum()), int(counts["responded"].sum())
        rows.append(("All", invited, str(hidden_count(responded)),
                     f"{responded / invited:.0%}" if responded >= MIN_GROUP and invited else ""))
        return pd.DataFrame(rows, columns=["department", "invited", "responded", "rate"])

    def apply_survey(self, survey_id: int, *, by: str | None = None) -> SurveyApplyReport:
        """The responses into the map, as one new revision; the survey becomes ``applied``.

        Ties: named person -> respondent, of each question's kind, weight =
        strength (or 1), summed per pair and kind. Pulse answers: stance
        history rows with source ``survey`` dated the day of the answer, and
        the person's current stance becomes the latest in their history. An
        earlier apply of this survey is replaced (its ties, known by their row number and
        values, and its pulse rows).
        """
        now = datetime.now()
        with self.atomic():
            map_id, map_name, title, closes_on, definition, status, applied_at = self._survey_row(survey_id)
            survey = SurveyDefinition.from_json(title, closes_on, definition)
            sid = int(survey_id)
            replaced = self._query("""DELETE FROM ties t WHERE t.map_id = ? AND EXISTS (
                                          SELECT 1 FROM survey_ties x WHERE x.survey_id = ? AND x.seq = t.seq
                                          AND x.source = t.source AND x.target = t.target AND x.kind = t.kind
                                          AND x.weight = t.weight)""", [map_id, sid])[0][0]
            self._query("DELETE FROM survey_ties WHERE survey_id = ?", [sid])
            if applied_at is not None:
                self._query("""DELETE FROM stance_history WHERE map_id = ? AND source = 'survey'
                               AND recorded_at = ?""", [map_id, applied_at])
            kinds = pd.DataFrame({"question": range(len(survey.questions)),
                                  "kind": [q.kind for q in survey.questions]})
            con = self._con
            con.register("survey_kinds", kinds)
            try:
                con.execute("""INSERT INTO survey_ties (map_id, survey_id, seq, source, target, kind, weight)
                               SELECT ?, ?, (SELECT coalesce(max(seq), -1) FROM ties WHERE map_id = ?)
                                            + row_number() OVER (ORDER BY kind, source, target), *
                               FROM (SELECT r.named AS source, r.respondent AS target, k.kind,
                                            sum(coalesce(r.strength, 1)) AS weight
                                     FROM survey_responses r JOIN survey_kinds k ON k.question = r.question
                                     JOIN stakeholders a ON a.map_id = r.map_id AND a.id = r.named
                                     JOIN stakeholders b ON b.map_id = r.map_id AND b.id = r.respondent
                                     WHERE r.survey_id = ? AND r.named IS NOT NULL
                                     GROUP BY r.named, r.respondent, k.kind)""", [map_id, sid, map_id, sid])
            finally:
                con.unregister("survey_kinds")
            ties = self._query("""INSERT INTO ties (map_id, seq, source, target, weight, kind)
                SELECT map_id, seq, source, target, weight, kind FROM survey_ties WHERE survey_id = ?""", [sid])[0][0]
            pulses = self._query("""INSERT INTO stance_history (map_id, stakeholder_id, stance, recorded_on, source,
                                                                recorded_at)
                SELECT r.map_id, r.respondent, r.pulse, CAST(r.submitted_at AS DATE), 'survey', ?
                FROM survey_responses r JOIN stakeholders p ON p.map_id = r.map_id AND p.id = r.respondent
                WHERE r.survey_id = ? AND r.question IS NULL AND r.pulse IS NOT NULL""", [now, sid])[0][0]
            people = [r[0] for r in self._query("""SELECT DISTINCT respondent FROM survey_responses
                                                   WHERE survey_id = ? AND question IS NULL""", [sid])]
            self._stances_follow_history(map_id, people)
            self._query("UPDATE surveys SET status = 'applied', applied_at = ? WHERE survey_id = ?", [now, sid])
            self._query("UPDATE maps SET updated_at = ? WHERE map_id = ?", [now, map_id])
            self._audit("apply_survey", by=by, map_id=map_id, map_name=map_name, subject=sid,
                        detail={"respondents": len(people), "ties": int(ties), "replaced_ties": int(replaced),
                                "pulse_answers": int(pulses), "kinds": survey.kinds})
        return SurveyApplyReport(sid, len(people), int(ties), int(replaced), int(pulses))

