"""The admin Survey page in AppTest: an editor is refused; an admin creates a survey, issues links (a CSV to
download) and applies it; every write is in the audit log under the admin's address."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from stakeholder_map.surveys import Question, survey_definition
from tests.ui.test_team_roles import ADMIN, EDITOR, signed_in, team  # noqa: F401  (team is a fixture)
from tests.ui.ui_support import SMALL_MAP, page


def test_an_editor_is_refused_and_an_admin_runs_a_survey(team):  # noqa: F811
    at = signed_in(page("survey_admin"), EDITOR)
    assert any("Only an admin of this map runs its surveys" in i.value for i in at.info)
    assert not at.button
    at = signed_in(page("survey_admin"), ADMIN)
    at.text_input(key="surveys_title").set_value("Pilot survey")
    at.text_input(key="surveys_pulse").set_value("How do you feel about the new PM tool?")
    next(b for b in at.button if b.label == "Create survey").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    surveys = team.surveys(SMALL_MAP)
    assert surveys[["title", "status", "questions"]].values.tolist() == [["Pilot survey", "open", 3]]
    next(b for b in at.button if b.label == "Issue links").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("links issued" in s.value for s in at.success)
    assert team.surveys(SMALL_MAP).at[0, "invited"] == len(team.people(SMALL_MAP))
    next(b for b in at.button if b.label == "Apply answers to the map").click()
    at.run()
    assert team.surveys(SMALL_MAP).at[0, "status"] == "applied"
    log = team.audit_log(SMALL_MAP)
    assert set(log.query("action.str.contains('survey')")["actor"]) == {ADMIN}


def _respondent() -> None:
    from stakeholder_map.ui import survey_respondent

    survey_respondent.show()


def _respondent_page(token: str) -> AppTest:
    at = AppTest.from_function(_respondent, default_timeout=30)
    at.query_params["token"] = token
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_respondent_page_shows_only_the_survey_and_saves_answers(team):  # noqa: F811
    survey_id = team.create_survey(SMALL_MAP, survey_definition(
        "Pilot survey", closes_on=date(2099, 1, 1), pulse="How do you feel about the new PM tool?",
        questions=[Question("Whom do you go to for advice about how work gets done?", "advice", 2)]))
    links = team.issue_links(survey_id)
    me, other = links.iloc[0], links.iloc[1]
    at = _respondent_page("forged" * 8)
    assert "not valid" in at.error[0].value and not at.multiselect and not at.button
    at = _respondent_page(me["token"])
    assert at.title[0].value == "Pilot survey" and f"For **{me['name']}**" in at.markdown[1].value
    picker = at.multiselect[0]
    assert me["name"] not in picker.options and other["name"] in picker.options  # options show as names
    picker.set_value([other["id"]]).run()
    at.segmented_control[0].set_value(3).run()
    at.radio[0].set_value(1)
    at.checkbox[0].check()
    at.button[0].click().run()
    assert not at.error, [e.value for e in at.error]
    assert "you named 1 person" in at.success[0].value
    invite = team.survey_invite(me["token"])
    assert invite.answers.picks == {0: [(other["id"], 3)]} and invite.answers.pulse == 1
