"""The Engagement page: log, edit and delete touchpoints, stance history, milestones, next conversations,
rotation plan and department brief; problems are shown with ``st.error``, never as a traceback.

Runs the page on the ``db`` fixture's small map (six people in IT, HR and Sales; ``c`` in HR has no
stance, ``d`` in HR is a supporter, ``b`` has an HTML name).
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.ui.ui_support import SMALL_MAP, XSS, page, store_of

from stakeholder_map.ui import state
from stakeholder_map.ui.pages import engagement as engagement_page


def run(**preset):
    at = page("engagement")
    for key, value in preset.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at, label):
    return next(b for b in at.button if b.label == label)


def table(at, first_column: str, *, containing: str | None = None):
    """The first dataframe whose first column is ``first_column`` (and that has column ``containing``)."""
    return next(df.value for df in at.dataframe
                if df.value.columns[0] == first_column and (containing is None or containing in df.value.columns))


def log(at, person: str, *, stance: str | None = None, activity: str = "", notes: str = ""):
    at.selectbox(key=engagement_page.ENG_LOG_PERSON).set_value(person)
    if stance is not None:
        at.selectbox(key=engagement_page.ENG_LOG_STANCE).set_value(stance)
    at.text_input(key=engagement_page.ENG_LOG_ACTIVITY).set_value(activity)
    at.text_area(key=engagement_page.ENG_LOG_NOTES).set_value(notes)
    button(at, "Log touchpoint").click()
    return rerun(at)


def add_milestone(at, *, department: str, target: int, kind: str = "share", due: date | None = None):
    at.radio(key=engagement_page.ENG_MS_KIND).set_value(kind)
    at.selectbox(key=engagement_page.ENG_MS_DEPARTMENT).set_value(department)
    at.slider(key=engagement_page.ENG_MS_TARGET).set_value(target)
    if due is not None:
        at.date_input(key=engagement_page.ENG_MS_DUE).set_value(due)
    button(at, "Add milestone").click()
    return rerun(at)


def milestones(at):
    return table(at, "id", containing="status")


def test_every_section_renders_on_a_fresh_map(db):
    at = run()
    assert [t.label for t in at.tabs] == ["Touchpoints", "Stance history", "Milestones", "Next conversations",
                                          "Seeds planted", "Rotation plan", "Department brief"]
    assert {m.label: m.value for m in at.metric} == {"Touchpoints": "0", "People talked to": "0", "Latest": "–"}
    infos = " ".join(i.value for i in at.info)
    assert "No touchpoint yet" in infos and "No milestone yet" in infos and "Upload the team file" in infos
    assert not at.error
    assert len(at.get("vega_lite_chart")) == 1


def test_log_a_touchpoint_through_the_form(db):
    at = run()
    at = add_milestone(at, department="HR", target=100)
    before = milestones(at)
    assert before["now"].tolist() == [0.5] and before["status"].tolist() == ["at risk"]   # d of c, d

    at = log(at, "c", stance="supporter", activity="1:1", notes="Wants training first")
    assert "Logged touchpoint #0 with Cy Ode \\(HR\\)" in at.success[0].value
    assert "stance after: supporter" in at.success[0].value
    listed = table(at, "id", containing="stance after")
    assert listed[["name", "activity", "stance after", "notes"]].values.tolist() == [
        ["Cy Ode", "1:1", "supporter", "Wants training first"]]
    assert {m.label: m.value for m in at.metric}["Touchpoints"] == "1"
    # the form is cleared for the next one
    assert at.selectbox(key=engagement_page.ENG_LOG_PERSON).value is None and at.text_area(key=engagement_page.ENG_LOG_NOTES).value == ""

    # their stance history gained a row (the page opens their record)
    assert at.selectbox(key=engagement_page.ENG_HISTORY_PERSON).value == "c"
    record = table(at, "recorded on")
    assert record.iloc[0].tolist() == [date.today(), "supporter", "engagement"]
    assert store_of(db).stance_history(SMALL_MAP, "c")["source"].tolist()[-1] == "engagement"

    # and the milestone moved: both HR people are supporters now
    after = milestones(at)
    assert after["now"].tolist() == [1.0] and after["status"].tolist() == ["met"]
    assert after["progress"].tolist() == ["2 of 2 people"]


def test_logging_without_a_person_is_an_error_not_a_traceback(db):
    at = run()
    button(at, "Log touchpoint").click()
    at = rerun(at)
    assert "Pick the person" in at.error[0].value
    assert store_of(db).engagements(SMALL_MAP).empty


def test_hostile_names_stay_text_in_messages(db):
    at = log(run(), "b", stance="neutral")
    assert "&lt;img src=x" in at.success[0].value and "<img" not in at.success[0].value
    assert XSS in table(at, "id", containing="stance after")["name"].tolist()


def test_a_vanished_person_is_reported_with_st_error(db):
    at = run()
    at.selectbox(key=engagement_page.ENG_LOG_PERSON).set_value("f")
    store_of(db).erase_person(SMALL_MAP, "f", compact=False)     # meanwhile, in another session
    button(at, "Log touchpoint").click()
    at = rerun(at)
    assert "no stakeholder with id 'f'" in at.error[0].value


def test_edit_and_delete_a_touchpoint_with_a_change_record(db):
    store = store_of(db)
    first = store.log_engagement(SMALL_MAP, when=date.today() - timedelta(days=3), stakeholder_id="e",
                                 activity="call", notes="Busy")
    at = run()
    at.selectbox(key=engagement_page.ENG_EDIT_ID).set_value(first)
    at = rerun(at)
    prefix = engagement_page.ENG_EDIT_PREFIX
    assert at.text_input(key=f"{prefix}activity:{first}").value == "call"            # prefilled
    assert at.selectbox(key=f"{prefix}person:{first}").value == "e"
    at.selectbox(key=f"{prefix}stance:{first}").set_value("supporter")
    at.text_input(key=f"{prefix}activity:{first}").set_value("workshop")
    button(at, "Save changes").click()
    at = rerun(at)
    assert "Saved touchpoint" in at.success[0].value
    assert store.engagements(SMALL_MAP).loc[first, "activity"] == "workshop"
    history = store.stance_history(SMALL_MAP, "e")                                   # re-derived
    assert history[history["source"] == "engagement"]["stance"].tolist() == [1]
    changes = table(at, "changed at")
    assert changes["action"].tolist() == ["edit", "log"]
    assert "stance after: – → supporter" in changes["what"].iat[0]

    button(at, "Delete touchpoint").click()            # not confirmed: nothing happens
    at = rerun(at)
    assert "first" in at.warning[0].value
    assert first in store.engagements(SMALL_MAP).index
    at.checkbox(key=engagement_page.ENG_EDIT_CONFIRM).check()
    button(at, "Delete touchpoint").click()
    at = rerun(at)
    assert "Deleted touchpoint" in at.success[0].value
    assert store.engagements(SMALL_MAP).empty
    assert at.session_state[engagement_page.ENG_EDIT_ID] is None
    assert table(at, "changed at")["action"].tolist()[0] == "delete"


def test_add_and_delete_milestones(db):
    at = run()
    at = add_milestone(at, department="Everyone", target=50, due=date.today() + timedelta(days=60))
    at = add_milestone(at, department="Everyone", target=100, kind="champion_engaged")
    shown = milestones(at)
    assert shown["for"].tolist() == ["Everyone", "every department"]
    assert shown["milestone"].tolist()[0].startswith("50% of everyone supporter or better by ")
    assert shown["progress"].tolist() == ["2 of 6 people", "0 of 3 departments"]
    warnings = " ".join(w.value for w in at.warning)          # nobody engaged yet, no trend: at risk
    assert "a champion engaged in every department" in warnings

    ids = store_of(db).milestones(SMALL_MAP)["milestone_id"].tolist()
    at.selectbox(key=engagement_page.ENG_MS_DELETE).set_value(ids[1])
    at = rerun(at)
    assert button(at, "Delete milestone").disabled
    at.checkbox(key=engagement_page.ENG_MS_CONFIRM).check()
    at = rerun(at)
    button(at, "Delete milestone").click()
    at = rerun(at)
    assert f"Deleted milestone #{ids[1]}" in at.success[0].value
    assert store_of(db).milestones(SMALL_MAP)["milestone_id"].tolist() == ids[:1]
    assert milestones(at)["for"].tolist() == ["Everyone"]


def test_next_conversations_table(db):
    at = run()
    ranked = table(at, "rank")
    assert {"name", "adds", "blocker", "best messenger", "chain", "insider", "why"} <= set(ranked.columns)
    assert set(ranked["name"]) <= {XSS, "Cy Ode", "Eve Ng", "Fin Oak"}       # the not yet convinced
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert "stakeholder-map next --map 'Small org' -k 10 --seed 0" in at.code[0].value
    at.selectbox(key=engagement_page.ENG_NEXT_DEPARTMENT).set_value("Sales")
    at = rerun(at)
    assert set(table(at, "rank")["department"]) == {"Sales"}


def test_stance_history_movers_and_bad_dates(db):
    store = store_of(db)
    store.log_engagement(SMALL_MAP, when=date.today() - timedelta(days=10), stakeholder_id="c",
                         activity="assessment", stance_after=0)
    store.log_engagement(SMALL_MAP, when=date.today(), stakeholder_id="c", activity="demo", stance_after=1)
    at = run()
    summary = " ".join(m.value for m in at.markdown)
    assert "1 person moved between" in summary and "1 toward support" in summary
    assert "1 of the moves followed a logged conversation" in summary
    moved = table(at, "name", containing="move")
    assert moved[["name", "move", "after a conversation"]].values.tolist() == [
        ["Cy Ode", "neutral (assumed) → supporter", True]]     # carried back from its first record
    at.date_input(key=engagement_page.ENG_MOVERS_FROM).set_value(date.today() + timedelta(days=5))
    at = rerun(at)
    assert "start date is after the end date" in at.error[0].value
    at.radio(key=engagement_page.ENG_HISTORY_SHARE).set_value("people")
    at = rerun(at)
    assert len(at.get("vega_lite_chart")) == 1


def test_rotation_plan_from_a_typed_team(db):
    at = run(**{engagement_page.ENG_TEAM_TEXT: "Ann Lee, IT\nBo Chen, HR\nCy Ode"})
    quarters = at.selectbox(key=engagement_page.ENG_QUARTER)
    assert len(quarters.options) == 5 and quarters.value == quarters.options[1]
    plan = table(at, "quarter")
    assert set(plan["department"]) == {"HR", "IT", "Sales"}
    assert set(plan["associate"]) == {"Ann Lee", "Bo Chen", "Cy Ode"}
    assert not ((plan["associate"] == "Ann Lee") & (plan["department"] == "IT")).any()   # not their home
    labels = [b.label for b in at.get("download_button")]
    assert "Download CSV" in labels and "Download calendar (.ics)" in labels
    assert any("visits to 3 departments in " + quarters.value in m.value for m in at.markdown)
    at.number_input(key=engagement_page.ENG_VISITS).set_value(2)
    at = rerun(at)
    assert len(table(at, "quarter")) == 3 * 2 + 1        # the furthest-behind third gets one more


def test_a_bad_team_is_refused_with_every_problem(db):
    at = run(**{engagement_page.ENG_TEAM_TEXT: "Ann\nann"})
    assert "Refused" in at.error[0].value or "problem" in at.error[0].value
    problems = table(at, "file")
    assert "duplicate name" in problems["message"].iat[0]


def test_department_brief_download_is_offered(db):
    at = run()
    brief = next(b for b in at.get("download_button") if b.label == "Download the brief (HTML)")
    assert brief is not None
    assert at.selectbox(key=engagement_page.ENG_BRIEF_DEPARTMENT).options == ["HR", "IT", "Sales"]


def test_widgets_reset_when_the_map_changes(db):
    at = run()
    at.selectbox(key=engagement_page.ENG_HISTORY_PERSON).set_value("a")
    at = rerun(at)
    store_of(db).create_map("Empty")
    at.session_state[state.CURRENT_MAP] = "Empty"
    at = rerun(at)
    assert "no people yet" in at.info[0].value
    assert engagement_page.ENG_HISTORY_PERSON not in at.session_state


def test_the_brief_preview_is_shown_on_request(db):
    at = run()
    assert not at.get("iframe")                     # not made until asked for (it needs the graph)
    at.toggle(key=engagement_page.ENG_BRIEF_PREVIEW).set_value(True)
    rerun(at)
    [frame] = at.get("iframe")
    assert frame.proto.srcdoc.startswith("<!DOCTYPE html>") and "Department brief" in frame.proto.srcdoc


def test_the_brief_preview_has_the_pitch_kit_with_the_chosen_pilot(db):
    at = run()
    assert at.selectbox(key=engagement_page.ENG_BRIEF_PILOT).options[0] == "Suggested pilot"
    at.toggle(key=engagement_page.ENG_BRIEF_PREVIEW).set_value(True)
    at.selectbox(key=engagement_page.ENG_BRIEF_DEPARTMENT).set_value("HR")
    at.selectbox(key=engagement_page.ENG_BRIEF_PILOT).set_value("Sales")
    rerun(at)
    [frame] = at.get("iframe")
    page = frame.proto.srcdoc
    assert "Pitch kit" in page and "Sales is the pilot department." in page and "Questions to ask" in page
