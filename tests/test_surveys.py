"""Relationship surveys: definitions, links stored as hashes, responses checked and replaced, refusals that
change nothing (on a real DuckDB file), apply into ties and the stance history, department status."""

from __future__ import annotations

import hashlib
from datetime import date
from io import BytesIO

import pandas as pd
import pytest

from stakeholder_map.access import LOCAL_USER, Member
from stakeholder_map.errors import AccessDenied, SurveyError
from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store
from stakeholder_map.surveys import (
    DEFAULT_QUESTIONS, MAX_PICKS, Question, Submission, check_submission, survey_definition, token_hash,
)
from tests.support import dump

TODAY = date(2030, 1, 10)
CLOSES = date(2030, 1, 31)
# Sales has 6 people (5 answer below in one test), Ops 3.
PEOPLE = (b"id,name,department,stance\n"
          + b"".join(f"s{i},Sales {i},Sales,neutral\n".encode() for i in range(6))
          + b"o0,Ops 0,Ops,skeptic\no1,Ops 1,Ops,\no2,Ops 2,Ops,\n")
INFLUENCES = b"source,target,kind\ns0,s1,advice\no0,o1,email\n"


def mapped(store: Store) -> Store:
    store.import_map("M", read_map(BytesIO(PEOPLE), BytesIO(INFLUENCES)), today=date(2025, 1, 1))
    return store


def new_survey(store: Store, **options) -> tuple[int, dict[str, str]]:
    definition = survey_definition("Q1 network", closes_on=CLOSES, pulse="How do you feel about the new tool?",
                                   **options)
    survey_id = store.create_survey("M", definition, by="ann@x.org")
    links = store.issue_links(survey_id, by="ann@x.org")
    return survey_id, dict(zip(links["id"], links["token"]))


def answer(store, token, picks, pulse=None, today=TODAY):
    return store.submit_survey(token, Submission.of(picks, pulse=pulse, consent=True), today=today)


@pytest.fixture
def surveyed(store):
    mapped(store)
    return (store, *new_survey(store))


# ------------------------------------------------------------------ definitions and validation (no store)

def test_the_default_library_and_its_checks():
    survey = survey_definition(" Pulse  ", closes_on=CLOSES)
    assert survey.title == "Pulse" and survey.questions == DEFAULT_QUESTIONS and survey.kinds == [
        "advice", "trust", "help"]
    assert DEFAULT_QUESTIONS[0].text == "Whom do you go to for advice about how work gets done?"
    for bad, message in ((dict(questions=[]), "at least one question"),
                         (dict(questions=[Question("Who?", "Advice Ties")]), "one lower-case word"),
                         (dict(questions=[Question("Who?", "advice", MAX_PICKS + 1)]), "between 1 and"),
                         (dict(questions=[Question("  ", "advice")]), "a text for question 1")):
        with pytest.raises(SurveyError, match=message):
            survey_definition("T", closes_on=CLOSES, **bad)


def test_check_submission_refuses_what_a_response_may_not_hold():
    survey = survey_definition("T", closes_on=CLOSES, questions=[Question("Who?", "advice", 2)], pulse="How?")
    roster = {"a", "b", "c", "d"}

    def check(picks, pulse=None, consent=True):
        return check_submission(survey, Submission.of(picks, pulse=pulse, consent=consent), respondent="a",
                                roster=roster)

    assert check({0: [("b", 3), ("c", 1)]}, pulse=-1) == [(0, "b", 3), (0, "c", 1)]
    for picks, pulse, consent, message in (
            ({0: [("b", 3)]}, None, False, "consent"),
            ({0: [("zed", 3)]}, None, True, "not on the list"),
            ({0: [("a", 3)]}, None, True, "cannot name yourself"),
            ({0: [("b", 3), ("c", 3), ("d", 3)]}, None, True, "at most 2"),
            ({0: [("b", 3), ("b", 2)]}, None, True, "each person once"),
            ({0: [("b", None)]}, None, True, "how often"),
            ({0: [("b", 9)]}, None, True, "how often"),
            ({5: [("b", 3)]}, None, True, "does not match"),
            ({0: [("b", 3)]}, 7, True, "not one of the choices"),
            ({0: [("x" * 10_000, 3)]}, None, True, "not on the list"),
            ({0: [("b", 1)] * 100_000}, None, True, "at most 2")):
        with pytest.raises(SurveyError, match=message):
            check(picks, pulse, consent)


def test_token_hash_is_sha256_and_rejects_what_cannot_be_a_token():
    token = "A" * 43
    assert token_hash(token) == hashlib.sha256(token.encode()).hexdigest()
    assert token_hash("x" * 10_000) is None and token_hash("short") is None and token_hash("a b" * 10) is None
    assert token_hash(None) is None


# ------------------------------------------------------------------ store

def test_links_are_stored_as_hashes_only_and_reissuing_revokes(surveyed):
    store, survey_id, tokens = surveyed
    assert len(tokens) == 9 and len(set(tokens.values())) == 9
    stored = {r[0] for r in store._query("SELECT token_hash FROM survey_invitations")}
    assert stored == {token_hash(t) for t in tokens.values()}
    assert not any(t in repr(store._query("SELECT * FROM survey_invitations")) for t in tokens.values())
    invite = store.survey_invite(tokens["s2"], today=TODAY)
    assert (invite.respondent, invite.respondent_name) == ("s2", "Sales 2")
    assert "s2" not in invite.roster and len(invite.roster) == 8 and invite.answers is None
    fresh = dict(zip(*store.issue_links(survey_id)[["id", "token"]].T.values))
    with pytest.raises(SurveyError, match="replaced by a newer one"):
        store.survey_invite(tokens["s2"], today=TODAY)
    assert store.survey_invite(fresh["s2"], today=TODAY).respondent == "s2"
    assert store.revoke_link(survey_id, "s2", by="ann@x.org") == 1
    with pytest.raises(SurveyError, match="replaced"):
        store.survey_invite(fresh["s2"], today=TODAY)


def test_a_new_submission_replaces_the_earlier_one(surveyed):
    store, survey_id, tokens = surveyed
    revision = store.revision
    assert answer(store, tokens["s1"], {0: [("s0", 4), ("s2", 1)]}, pulse=1) == 2
    assert answer(store, tokens["s1"], {1: [("o0", 2)]}) == 1
    invite = store.survey_invite(tokens["s1"], today=TODAY)
    assert invite.answers.picks == {1: [("o0", 2)]} and invite.answers.pulse is None
    assert store.revision == revision  # answers are not a change to the map until applied
    assert store.surveys("M")[["invited", "responded", "status"]].values.tolist() == [[9, 1, "open"]]
    assert [a for a in store.audit_log("M")["action"]].count("submit_survey") == 2


def test_refused_responses_leave_the_file_exactly_as_it_was(db_path):
    with Store(db_path) as store:
        mapped(store)
        survey_id, tokens = new_survey(store)
        answer(store, tokens["s1"], {0: [("s0", 4)]}, pulse=1)
        expired = store.issue_links(survey_id, expires_on=date(2030, 1, 5)).set_index("id")["token"]
        tokens = dict(zip(*store.issue_links(survey_id)[["id", "token"]].T.values))
    before = dump(db_path)
    with Store(db_path) as store:
        attempts = (
            (tokens["s1"][:-2] + "xx", {0: [("s0", 4)]}, TODAY, "not valid"),        # forged
            ("A" * 43, {0: [("s0", 4)]}, TODAY, "not valid"),                        # forged
            ("", {0: [("s0", 4)]}, TODAY, "not valid"),
            ("x" * 1_000_000, {0: [("s0", 4)]}, TODAY, "not valid"),                 # huge token
            (expired["s1"], {0: [("s0", 4)]}, TODAY, "replaced"),                    # revoked
            (tokens["s1"], {0: [("s0", 4)]}, date(2030, 2, 1), "closed"),            # after the closing date
            (tokens["s1"], {0: [("nobody", 4)]}, TODAY, "not on the list"),
            (tokens["s1"], {0: [("s1", 4)]}, TODAY, "yourself"),
            (tokens["s1"], {0: [(f"s{i}", 1) for i in (0, 2, 3, 4, 5)] + [("o0", 1)]}, TODAY, "at most 5"),
            (tokens["s1"], {0: [("s0", 1)] * 500_000}, TODAY, "at most 5"),          # huge payload
        )
        for token, picks, today, message in attempts:
            with pytest.raises(SurveyError, match=message):
                answer(store, token, picks, today=today)
    assert dump(db_path) == before


def test_an_expired_link_is_refused(store):
    mapped(store)
    survey_id, _ = new_survey(store)
    token = store.issue_links(survey_id, expires_on=date(2030, 1, 5)).set_index("id").at["s1", "token"]
    assert store.survey_invite(token, today=date(2030, 1, 5)).respondent == "s1"
    with pytest.raises(SurveyError, match="expired"):
        store.survey_invite(token, today=date(2030, 1, 6))


def test_apply_makes_ties_from_the_named_person_and_pulse_history(surveyed):
    store, survey_id, tokens = surveyed
    answer(store, tokens["s1"], {0: [("s0", 4), ("o0", 1)], 1: [("s0", 2)]}, pulse=2)
    answer(store, tokens["o1"], {0: [("o0", 3)], 2: [("s0", 2)]}, pulse=-1)
    answer(store, tokens["o2"], {})  # took part, named nobody
    revision = store.revision
    report = store.apply_survey(survey_id, by="ann@x.org")
    assert store.revision == revision + 1
    assert (report.respondents, report.ties, report.replaced_ties, report.pulse_answers) == (3, 5, 0, 2)
    ties = sorted(map(tuple, store.ties("M", ["advice", "trust", "help"]).values.tolist()))
    # the person named is the source (the contract: advice surveys), the respondent the target; weight = how often
    assert ties == [("o0", "o1", 3.0, "advice"), ("o0", "s1", 1.0, "advice"), ("s0", "o1", 2.0, "help"),
                    ("s0", "s1", 1.0, "advice"), ("s0", "s1", 2.0, "trust"), ("s0", "s1", 4.0, "advice")]
    history = store.stance_history("M")
    pulses = history[history["source"] == "survey"]
    assert pulses[["stakeholder_id", "stance"]].values.tolist() == [["o1", -1], ["s1", 2]]
    people = store.people("M").set_index("id")
    assert people.at["s1", "stance"] == 2 and people.at["o1", "stance"] == -1 and people.at["o2", "stance"] is pd.NA
    assert store.surveys("M").at[0, "status"] == "applied"
    with pytest.raises(SurveyError, match="closed"):
        answer(store, tokens["s3"], {0: [("s0", 1)]})
    # applying again replaces what the first apply wrote
    again = store.apply_survey(survey_id)
    assert (again.ties, again.replaced_ties, again.pulse_answers) == (5, 5, 2)
    assert len(store.ties("M", ["advice", "trust", "help"])) == 6
    assert (store.stance_history("M")["source"] == "survey").sum() == 2


def test_status_hides_departments_with_fewer_than_five_respondents(surveyed):
    store, survey_id, tokens = surveyed
    for i in range(5):
        answer(store, tokens[f"s{i}"], {0: [("o0", 1)]})
    answer(store, tokens["o1"], {0: [("s0", 1)]})
    status = store.survey_status(survey_id).set_index("department")
    assert status.loc["Sales"].tolist() == [6, "5", "83%"]
    assert status.loc["Ops"].tolist() == [3, "fewer than 5", ""]
    assert status.loc["All"].tolist() == [9, "6", "67%"]


def test_erasing_a_person_erases_their_survey_rows(surveyed):
    store, survey_id, tokens = surveyed
    answer(store, tokens["s1"], {0: [("s0", 4)]})
    answer(store, tokens["s2"], {0: [("s1", 4)]})
    store.erase_person("M", "s1")
    left = store._query("SELECT respondent, named FROM survey_responses WHERE question IS NOT NULL")
    assert left == [] and not store._query("SELECT 1 FROM survey_invitations WHERE stakeholder_id = 's1'")


def test_only_admins_create_issue_close_and_apply(surveyed):
    store, survey_id, _ = surveyed
    store.add_member("ed@x.org", "editor", "M")
    editor, local = Member(store, "ed@x.org"), Member(store, None, local=True)
    definition = survey_definition("T", closes_on=CLOSES)
    for call in (lambda m: m.create_survey("M", definition), lambda m: m.issue_links(survey_id),
                 lambda m: m.close_survey(survey_id), lambda m: m.apply_survey(survey_id)):
        with pytest.raises(AccessDenied):
            call(editor)
    new_id = local.create_survey("M", definition)
    assert len(local.issue_links(new_id)) == 9
    local.close_survey(new_id)
    assert store.surveys("M").set_index("survey_id").at[new_id, "status"] == "closed"
    assert store.audit_log("M").query("action == 'close_survey'")["actor"].tolist() == [LOCAL_USER]


def test_a_schema_3_file_gets_the_survey_tables(db_path):
    with Store(db_path) as store:
        mapped(store)
        store._query("DROP TABLE surveys")
        store._query("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    with Store(db_path) as store:
        assert store.schema_version == 5 and store.surveys("M").empty
        assert len(store.people("M")) == 9


def test_a_closed_survey_takes_no_answers_and_issues_no_links(surveyed):
    store, survey_id, tokens = surveyed
    store.close_survey(survey_id)
    with pytest.raises(SurveyError, match="closed"):
        answer(store, tokens["s1"], {0: [("s0", 1)]})
    with pytest.raises(SurveyError, match="only issued for an open survey"):
        store.issue_links(survey_id)
