"""The admin Survey page in AppTest: an editor is refused; an admin creates a survey, issues links (a CSV to
download) and applies it; every write is in the audit log under the admin's address."""

from __future__ import annotations

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
