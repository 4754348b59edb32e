"""Engagement page: log touchpoints, follow stances over time, milestones, whom to talk to next,
a rotation plan for the team and a one-page brief per department."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from io import BytesIO

import streamlit as st

from stakeholder_map import export, export_rotation, ingest_team
from stakeholder_map import schema as s
from stakeholder_map.errors import ContractError, StakeholderMapError
from stakeholder_map.presentation import charts, commands, exposure_tables, tracking_tables, workspace_views
from stakeholder_map.ui import pickers, profiles, state
from stakeholder_map.ui.pickers import person_picker
from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.workspace import SEED

TABS = ("Touchpoints", "Stance history", "Milestones", "Next conversations", "Seeds planted", "Rotation plan",
        "Department brief")
_NOT_OBSERVED = "Not observed"
_ALL_DEPARTMENTS = "All departments"
_SUGGESTED_PILOT = "Suggested pilot"
_KINDS = {"share": "A share of people at a stance or better",
          "champion_engaged": "A champion engaged in every department (or in one)"}
_MIN_STANCES = {1: "supporter or better", 2: "champion", 0: "neutral or better"}
_PROBLEMS = (StakeholderMapError, ValueError)

# Widget keys of this page.
#: A message to show once next to a section after a write: (section, kind, text).
ENG_MESSAGE = "engagement_message"
# Log a touchpoint (a form).
ENG_LOG_FORM = "engagement_log_form"
ENG_LOG_DATE = "engagement_log_date"
ENG_LOG_PERSON = "engagement_log_person"
ENG_LOG_ACTIVITY = "engagement_log_activity"
ENG_LOG_STANCE = "engagement_log_stance"
ENG_LOG_NOTES = "engagement_log_notes"
#: The touchpoint picked for editing; its form's fields are keyed f"{ENG_EDIT_PREFIX}{field}:{id}".
ENG_EDIT_ID = "engagement_edit_id"
ENG_EDIT_PREFIX = "engagement_edit:"
ENG_EDIT_CONFIRM = "engagement_edit_confirm_delete"
# Stance history.
ENG_HISTORY_WEEKS = "engagement_history_weeks"
ENG_HISTORY_SHARE = "engagement_history_share"
ENG_HISTORY_PERSON = "engagement_history_person"
ENG_MOVERS_FROM = "engagement_movers_from"
ENG_MOVERS_TO = "engagement_movers_to"
# Milestones (an add form, and a delete picker).
ENG_MS_FORM = "engagement_milestone_form"
ENG_MS_KIND = "engagement_milestone_kind"
ENG_MS_DEPARTMENT = "engagement_milestone_department"
ENG_MS_TARGET = "engagement_milestone_target"
ENG_MS_MIN_STANCE = "engagement_milestone_min_stance"
ENG_MS_DUE = "engagement_milestone_due"
ENG_MS_LABEL = "engagement_milestone_label"
ENG_MS_DELETE = "engagement_milestone_delete"
ENG_MS_CONFIRM = "engagement_milestone_confirm_delete"
# Next conversations.
ENG_NEXT_K = "engagement_next_k"
ENG_NEXT_DEPARTMENT = "engagement_next_department"
#: The next-conversations table: selecting a row opens that person's profile on the Map.
ENG_NEXT_TABLE = "engagement_next_table"
# Seeds planted (exposure).
ENG_SEEDS_K = "engagement_seeds_k"
#: The plant-seeds-next table: selecting a row opens that person's profile on the Map.
ENG_SEEDS_TABLE = "engagement_seeds_table"
# Rotation plan.
#: The uploaded team file: (file name, bytes).
ENG_TEAM_UPLOAD = "engagement_team_upload"
ENG_TEAM_UPLOADER = "engagement_team_uploader"
ENG_TEAM_TEXT = "engagement_team_text"
ENG_QUARTER = "engagement_quarter"
ENG_VISITS = "engagement_visits"
ENG_PER_VISIT = "engagement_per_visit"
# Department brief.
ENG_BRIEF_DEPARTMENT = "engagement_brief_department"
#: The pilot department whose results the brief's pitch kit brings (default: the suggested pilot).
ENG_BRIEF_PILOT = "engagement_brief_pilot"
#: The toggle that shows the brief in the page.
ENG_BRIEF_PREVIEW = "engagement_brief_preview"
#: Height of the brief's preview frame in pixels (it scrolls; an A4 page is about 1,120 at 96 dpi).
BRIEF_PREVIEW_HEIGHT = 900
#: Widgets whose values belong to one map (people, departments, ids); forgotten when the map changes.
PER_MAP_KEYS = (ENG_LOG_PERSON, ENG_EDIT_ID, ENG_EDIT_CONFIRM, ENG_HISTORY_PERSON, ENG_MS_DEPARTMENT,
                ENG_MS_DELETE, ENG_MS_CONFIRM, ENG_NEXT_DEPARTMENT, ENG_BRIEF_DEPARTMENT, ENG_BRIEF_PILOT,
                ENG_MESSAGE)


def _default(key: str, value) -> None:
    """Give a widget its first value through session state (never both a default and state)."""
    if key not in st.session_state:
        st.session_state[key] = value


def _message(section: str, kind: str, text: str) -> None:
    """Remember a message to show once next to ``section`` after the rerun a write causes."""
    st.session_state[ENG_MESSAGE] = (section, kind, text)


def _show_message(section: str) -> None:
    """Show and forget the remembered message if it belongs to ``section``."""
    message = st.session_state.get(ENG_MESSAGE)
    if isinstance(message, (tuple, list)) and len(message) == 3 and message[0] == section:
        st.session_state.pop(ENG_MESSAGE, None)
        state.show_message(*message[1:])


def _stance(word: str | None) -> int | None:
    return s.parse_stance(word) if word else None


def _text(key: str) -> str | None:
    return (st.session_state.get(key) or "").strip() or None


def _form_person(labels: dict[str, str], **picker) -> Callable:
    """The "Person" picker of a form: call this before the form, and what it returns in the form's column.

    On a small map the picker lists everyone and sits in the form, as any field. On a big map
    :func:`person_picker` offers nobody until something is typed in its search field, and a text field
    in a form sends what was typed only when the form is submitted: the picker could never offer anyone.
    So there the picker and its search field go just above the form, outside it: typing narrows the
    picker at once, and a pick is kept while searching on. The form's button reads the person from
    session state with its other fields, so nothing is logged or saved before it is pressed.
    """
    if len(labels) > pickers.LIST_LIMIT:
        person_picker(st, "Person", labels, **picker)
        return lambda column: None
    return lambda column: person_picker(column, "Person", labels, **picker)


# ------------------------------------------------------------ callbacks (writes)


def _log(name: str, labels: dict[str, str]) -> None:
    """The log form was submitted: record the touchpoint, then clear the form."""
    person = st.session_state.get(ENG_LOG_PERSON)
    if person is None:
        _message("log", "error", "Pick the person you talked with.")
        return
    when = st.session_state.get(ENG_LOG_DATE) or date.today()
    stance = st.session_state.get(ENG_LOG_STANCE)
    try:
        engagement_id = state.member().log_engagement(
            name, when=when, stakeholder_id=person, activity=_text(ENG_LOG_ACTIVITY),
            stance_after=_stance(stance), notes=_text(ENG_LOG_NOTES))
    except _PROBLEMS as error:
        _message("log", "error", markdown_text(str(error)))
        return
    for key, empty in ((ENG_LOG_PERSON, None), (ENG_LOG_ACTIVITY, ""), (ENG_LOG_STANCE, None),
                       (ENG_LOG_NOTES, "")):
        st.session_state[key] = empty
    if pickers.find_key(ENG_LOG_PERSON) in st.session_state:  # a big map's search field: cleared too
        st.session_state[pickers.find_key(ENG_LOG_PERSON)] = ""
    st.session_state[ENG_HISTORY_PERSON] = person
    after = f" (stance after: {stance})" if stance else ""
    _message("log", "success", f"Logged touchpoint #{engagement_id} with "
                             f"{markdown_text(labels.get(person, person))} on {when.isoformat()}{after}.")


def _edit_key(field: str, engagement_id: int) -> str:
    return f"{ENG_EDIT_PREFIX}{field}:{engagement_id}"


def _forget_edit_fields() -> None:
    for key in [k for k in st.session_state if str(k).startswith(ENG_EDIT_PREFIX)]:
        if str(key).endswith(pickers.find_key("")):
            st.session_state[key] = ""      # a big map's person search: emptied (the field shows it)
        else:
            st.session_state.pop(key, None)


def _save(name: str, engagement_id: int) -> None:
    value = st.session_state.get
    try:
        state.member().edit_engagement(
            name, engagement_id, when=value(_edit_key("date", engagement_id)),
            stakeholder_id=value(_edit_key("person", engagement_id)),
            activity=_text(_edit_key("activity", engagement_id)),
            stance_after=_stance(value(_edit_key("stance", engagement_id))),
            notes=_text(_edit_key("notes", engagement_id)))
    except _PROBLEMS as error:
        _message("edit", "error", markdown_text(str(error)))
        return
    _forget_edit_fields()
    _message("edit", "success", f"Saved touchpoint #{engagement_id}; the change is recorded.")


def _delete(name: str, engagement_id: int) -> None:
    if not st.session_state.get(ENG_EDIT_CONFIRM):
        _message("edit", "warning", "Tick “Yes, delete this touchpoint” first.")
        return
    try:
        state.member().delete_engagement(name, engagement_id)
    except _PROBLEMS as error:
        _message("edit", "error", markdown_text(str(error)))
        return
    _forget_edit_fields()
    st.session_state[ENG_EDIT_ID] = None
    st.session_state[ENG_EDIT_CONFIRM] = False
    _message("edit", "success", f"Deleted touchpoint #{engagement_id}; the deletion is recorded.")


def _add_milestone(name: str) -> None:
    value = st.session_state.get
    kind = value(ENG_MS_KIND) or "share"
    department = value(ENG_MS_DEPARTMENT)
    department = None if department in (None, tracking_tables.EVERYONE) else department
    target = 1.0 if kind == "champion_engaged" else float(value(ENG_MS_TARGET) or 0) / 100
    try:
        milestone_id = state.member().add_milestone(
            name, due=value(ENG_MS_DUE), target=target, kind=kind, department=department,
            min_stance=int(value(ENG_MS_MIN_STANCE) or 1), label=_text(ENG_MS_LABEL))
    except _PROBLEMS as error:
        _message("milestones", "error", markdown_text(str(error)))
        return
    st.session_state[ENG_MS_LABEL] = ""
    _message("milestones", "success", f"Added milestone #{milestone_id}.")


def _delete_milestone(name: str) -> None:
    milestone_id = st.session_state.get(ENG_MS_DELETE)
    if milestone_id is None:
        return
    try:
        state.member().delete_milestone(name, int(milestone_id))
    except _PROBLEMS as error:
        _message("milestones", "error", markdown_text(str(error)))
        return
    st.session_state[ENG_MS_DELETE] = None
    st.session_state[ENG_MS_CONFIRM] = False
    _message("milestones", "success", f"Deleted milestone #{milestone_id}.")


def _on_team_upload() -> None:
    """Keep the uploaded team file's bytes in session state (the section reads them there)."""
    file = st.session_state.get(ENG_TEAM_UPLOADER)
    if file is None:
        st.session_state.pop(ENG_TEAM_UPLOAD, None)
    else:
        st.session_state[ENG_TEAM_UPLOAD] = (file.name, file.getvalue())


# ------------------------------------------------------------------ sections


def _touchpoints(name: str, people, labels: dict[str, str], today: date) -> None:
    events = state.workspace(name).engagements()
    table = tracking_tables.engagement_table(events, people)
    count, engaged, latest = st.columns(3)
    count.metric("Touchpoints", f"{len(table):,}")
    engaged.metric("People talked to", f"{table[s.STAKEHOLDER_ID].nunique():,}")
    latest.metric("Latest", table[s.DATE].iat[0].isoformat() if len(table) else "–")

    if state.may(name, "log_touchpoint"):
        _log_form(name, labels, today)
    else:
        st.caption("Your role on this map is viewer: you read the touchpoints (without their text) but do not "
                   "log them.")
    _show_message("log")

    st.subheader("All touchpoints", anchor=False)
    _show_message("edit")
    if len(table):
        private = not state.is_redacted(name)
        shown = ["id", s.DATE, s.NAME, s.DEPARTMENT, s.ACTIVITY, "stance after"]
        st.dataframe(table, hide_index=True, width="stretch",
                     column_order=shown + ([s.NOTES, tracking_tables.LOGGED_BY] if private else []),
                     column_config={s.NOTES: st.column_config.TextColumn(s.NOTES, width="large")})
        if state.may(name, "edit_touchpoint"):
            _edit_section(name, events, table, labels)
    else:
        st.info("No touchpoint yet" + (": log the first one above." if state.may(name, "log_touchpoint") else "."))
    changes = tracking_tables.change_table(state.workspace(name).engagement_changes(), people)
    if not len(changes):
        return
    with st.expander(f"Change record ({len(changes):,} changes)"):
        st.caption("Every touchpoint logged, edited or deleted, newest first: nothing is changed silently.")
        st.dataframe(changes, hide_index=True, width="stretch",
                     column_config={"what": st.column_config.TextColumn("what", width="large")})


def _log_form(name: str, labels: dict[str, str], today: date) -> None:
    st.subheader("Log a touchpoint", anchor=False)
    _default(ENG_LOG_DATE, today)
    pick_person = _form_person(labels, key=ENG_LOG_PERSON, placeholder="Pick the person you talked with")
    with st.form(ENG_LOG_FORM):
        when, person = st.columns([1, 3])
        when.date_input("Date", key=ENG_LOG_DATE, max_value=today, format="YYYY-MM-DD")
        pick_person(person)
        activity, stance = st.columns([3, 1])
        activity.text_input("Activity", key=ENG_LOG_ACTIVITY, max_chars=200,
                            placeholder="meeting, 1:1, demo, workshop, email, article…")
        stance.selectbox("Stance after", list(tracking_tables.STANCE_WORDS), index=None, key=ENG_LOG_STANCE,
                         placeholder=_NOT_OBSERVED,
                         help="Where they stood after it, if you could tell; it enters their stance history.")
        st.text_area("Notes", key=ENG_LOG_NOTES, height=80, max_chars=5000,
                     placeholder="Concerns raised, what was agreed, who else to talk to…")
        st.form_submit_button("Log touchpoint", type="primary", on_click=_log, args=(name, labels))


def _edit_section(name: str, events, table, labels: dict[str, str]) -> None:
    choices = tracking_tables.engagement_choices(table)
    if st.session_state.get(ENG_EDIT_ID) not in choices:
        st.session_state[ENG_EDIT_ID] = None
    with st.expander("Edit or delete a touchpoint", expanded=st.session_state.get(ENG_EDIT_ID) is not None):
        chosen = st.selectbox("Touchpoint", list(choices), index=None, key=ENG_EDIT_ID,
                              format_func=choices.get, placeholder="Pick a touchpoint (newest first)")
        if chosen is None:
            return
        values = tracking_tables.engagement_values(events, chosen)
        _default(_edit_key("date", chosen), values[s.DATE])
        _default(_edit_key("person", chosen), values[s.STAKEHOLDER_ID])
        _default(_edit_key("activity", chosen), values[s.ACTIVITY])
        _default(_edit_key("stance", chosen), values[s.STANCE_AFTER])
        _default(_edit_key("notes", chosen), values[s.NOTES])
        pick_person = _form_person(labels, key=_edit_key("person", chosen))
        with st.form(f"{ENG_EDIT_PREFIX}form:{chosen}"):
            when, person = st.columns([1, 3])
            when.date_input("Date", key=_edit_key("date", chosen), format="YYYY-MM-DD")
            pick_person(person)
            activity, stance = st.columns([3, 1])
            activity.text_input("Activity", key=_edit_key("activity", chosen), max_chars=200)
            stance.selectbox("Stance after", list(tracking_tables.STANCE_WORDS), index=None,
                             key=_edit_key("stance", chosen),
                             placeholder=_NOT_OBSERVED, help="Clear it if no stance was observed.")
            st.text_area("Notes", key=_edit_key("notes", chosen), height=80, max_chars=5000)
            save, sure, delete = st.columns([1, 2, 1])
            with save:
                st.form_submit_button("Save changes", type="primary", on_click=_save, args=(name, chosen))
            with sure:
                st.checkbox("Yes, delete this touchpoint", key=ENG_EDIT_CONFIRM)
            with delete:
                st.form_submit_button("Delete touchpoint", on_click=_delete, args=(name, chosen))


def _history(name: str, people, labels: dict[str, str], today: date) -> None:
    _default(ENG_HISTORY_WEEKS, 12)
    weeks_column, show_column = st.columns([2, 1])
    weeks = weeks_column.slider("Weeks of history", 4, 52, key=ENG_HISTORY_WEEKS)
    share = show_column.radio("Show", ["share", "people"], key=ENG_HISTORY_SHARE, horizontal=True,
                              format_func={"share": "Share of each department", "people": "Head count"}.get)
    mix = state.workspace(name).stance_mix(today, weeks)
    st.vega_lite_chart(charts.stance_history_chart(mix, share=share == "share"))
    st.caption(f"Where each department stood, week by week, over the last {weeks} weeks (“All” is the whole "
               "organisation). A stance on a date is the latest one recorded on or before it; before someone's "
               "first record their first known stance is carried back.")

    st.subheader("Who moved", anchor=False)
    _default(ENG_MOVERS_FROM, today - timedelta(weeks=4))
    _default(ENG_MOVERS_TO, today)
    first_column, last_column = st.columns(2)
    first = first_column.date_input("From", key=ENG_MOVERS_FROM, format="YYYY-MM-DD")
    last = last_column.date_input("To", key=ENG_MOVERS_TO, format="YYYY-MM-DD")
    if first > last:
        st.error("The start date is after the end date.")
    else:
        moved = state.workspace(name).movers(first, last)
        st.markdown(markdown_text(tracking_tables.movers_summary(moved, first, last)))
        if len(moved):
            st.dataframe(tracking_tables.movers_table(moved), hide_index=True, width="stretch",
                         column_config={"after a conversation": st.column_config.CheckboxColumn(
                             "after a conversation",
                             help="A touchpoint with them was logged between their previous record and the move "
                                  "(desk assessments do not count).")})

    st.subheader("One person's record", anchor=False)
    person = person_picker(st, "Person", labels, key=ENG_HISTORY_PERSON,
                           placeholder="Pick someone to see their stance history and touchpoints")
    if person is not None:
        record, talks = st.columns([2, 3])
        with record:
            st.caption("Stance history (newest first)")
            st.dataframe(tracking_tables.person_history(state.workspace(name).stance_history(person)),
                         hide_index=True, width="stretch")
        with talks:
            st.caption("Touchpoints")
            st.dataframe(tracking_tables.engagement_table(state.workspace(name).engagements(), people, person=person),
                         hide_index=True,
                         width="stretch", column_order=["id", s.DATE, s.ACTIVITY, "stance after"]
                         + ([s.NOTES, tracking_tables.LOGGED_BY] if not state.is_redacted(name) else []))


def _milestones(name: str, people, labels: dict[str, str], today: date) -> None:
    progress = state.workspace(name).milestone_progress(today)
    table = tracking_tables.milestone_table(progress.table)
    if not len(table):
        st.info("No milestone yet: add one below.")
    else:
        for message in tracking_tables.at_risk_messages(table):
            st.warning(markdown_text(message), icon=":material/warning:")
        percent = {"format": "percent"}
        st.dataframe(table, hide_index=True, width="stretch", column_order=[
            "at risk", "milestone", "status", "now", "target", "projected", "trend / week", "due", "progress",
            "needed", "for"], column_config={
            "now": st.column_config.ProgressColumn("now", min_value=0.0, max_value=1.0, **percent),
            "target": st.column_config.NumberColumn("target", **percent),
            "projected": st.column_config.NumberColumn(
                "projected", help="The value on the due date if the trend of the last 12 weeks holds.", **percent),
            "trend / week": st.column_config.NumberColumn("trend / week", format="%+.1f pts",
                                                          help="Share points gained per week (least squares)."),
            "at risk": st.column_config.TextColumn("at risk", help="⚠ at risk or missed: the projection falls "
                                                                   "short of the target."),
            "needed": st.column_config.NumberColumn("needed", help="How many more people (or departments) must "
                                                                   "get there to reach the target."),
        })
        st.caption(f"As of {progress.as_of.isoformat()}. Status: met, on track (the trend reaches the target by "
                   "the due date), at risk (it does not), missed (the due date passed below target).")
    _show_message("milestones")

    if not state.may(name, "milestones"):
        return
    departments = state.derived(name, workspace_views.overview_of).departments
    add, remove = st.columns([3, 2])
    with add:
        st.subheader("Add a milestone", anchor=False)
        _default(ENG_MS_TARGET, 60)
        _default(ENG_MS_DUE, today + timedelta(days=90))
        with st.form(ENG_MS_FORM):
            st.radio("Kind", list(_KINDS), key=ENG_MS_KIND, format_func=_KINDS.get)
            where, stance = st.columns(2)
            where.selectbox("For", [tracking_tables.EVERYONE] + departments, key=ENG_MS_DEPARTMENT,
                            help="A department, or everyone (for a champion milestone: every department).")
            stance.selectbox("At least", list(_MIN_STANCES), key=ENG_MS_MIN_STANCE,
                             format_func=_MIN_STANCES.get,
                             help="The stance that counts (for a champion milestone: who counts as a champion).")
            st.slider("Target share", 5, 100, step=5, format="%d%%", key=ENG_MS_TARGET,
                      help="For a share milestone only; a champion milestone asks for every department.")
            due, label = st.columns([1, 2])
            due.date_input("Due", key=ENG_MS_DUE, format="YYYY-MM-DD")
            label.text_input("Label (optional)", key=ENG_MS_LABEL, max_chars=200,
                             placeholder="Made from the fields if empty")
            st.form_submit_button("Add milestone", type="primary", on_click=_add_milestone, args=(name,))
    with remove:
        st.subheader("Delete a milestone", anchor=False)
        choices = tracking_tables.milestone_choices(table)
        if st.session_state.get(ENG_MS_DELETE) not in choices:
            st.session_state[ENG_MS_DELETE] = None
        chosen = st.selectbox("Milestone", list(choices), index=None, key=ENG_MS_DELETE,
                              format_func=choices.get, placeholder="Pick a milestone")
        sure = st.checkbox("Yes, delete it", key=ENG_MS_CONFIRM)
        st.button("Delete milestone", disabled=chosen is None or not sure, on_click=_delete_milestone, args=(name,))


def _next(name: str, people, labels: dict[str, str], today: date) -> None:
    st.caption("The people not yet convinced whose conversion adds the most expected adoption, given that today's "
               "supporters and champions already spread the idea; blockers (resistant or skeptic people others "
               "follow) are flagged and a few more are listed after the top. The best messenger is the supporter "
               "with the strongest chain of influence to them; the insider, the strongest from their own "
               "department.")
    _default(ENG_NEXT_K, 10)
    k_column, department_column = st.columns([1, 3])
    k = int(k_column.number_input("How many", min_value=1, max_value=50, step=1, key=ENG_NEXT_K))
    departments = state.derived(name, workspace_views.overview_of).departments
    department = department_column.selectbox("Department", [_ALL_DEPARTMENTS] + departments,
                                             key=ENG_NEXT_DEPARTMENT)
    department = None if department == _ALL_DEPARTMENTS else department
    with st.spinner("Ranking the next conversations…"):
        ranked = state.workspace(name).next_conversations(k, department=department)
        table = tracking_tables.conversation_table(ranked)
    if not len(table):
        st.info("Everyone here is already a supporter or champion.")
        return
    st.caption("Select a row to open that person's profile on the Map.")
    picked = st.dataframe(table, hide_index=True, width="stretch", key=ENG_NEXT_TABLE, on_select="rerun",
                          selection_mode="single-row", column_config={
        "adds": st.column_config.NumberColumn("adds", format="%.1f", help="Expected extra adopters if they convert."),
        "blocker": st.column_config.CheckboxColumn("blocker"),
        "chance": st.column_config.NumberColumn("chance", format="percent",
                                                help="Chance the idea passes along the whole chain."),
        "why": st.column_config.TextColumn("why", width="large"),
    })
    profiles.open_selected_row(picked, ranked[s.ID], name)
    if not state.may(name, "read_private"):     # a viewer's only export is the pseudonymised map (Data page)
        return
    st.download_button("Download CSV", data=export.frame_to_csv(table), file_name="next-conversations.csv",
                       mime="text/csv", on_click="ignore", key="engagement_next_csv")
    st.caption("The same list from the command line:")
    st.code(commands.next_command(name, k, department=department, seed=SEED), language="bash")


def _seeds(name: str, people, labels: dict[str, str], today: date) -> None:
    """Where to plant seeds next, and exposure per department (``Workspace.seeds_next``, ``department_exposure``)."""
    st.caption("Seeds are small, low-pressure touches that make the idea familiar before anyone is asked to "
               "decide: log them as touchpoints with the activity " + markdown_text(exposure_tables.seed_words())
               + ". They count as exposure here, not as conversations.")
    ws = state.workspace(name)
    departments = ws.department_exposure()
    st.markdown(exposure_tables.exposure_summary(departments))
    st.subheader("Plant seeds next", anchor=False)
    st.caption("The people whose touch would spread familiarity furthest among those who have not heard of the "
               "idea (nobody exposed, talked with or supporting it is suggested again), each with a touch suited "
               "to their stance. Familiarity spreads by word of mouth (weighted cascade; stance plays no part).")
    _default(ENG_SEEDS_K, 5)
    k = int(st.columns([1, 3])[0].number_input("How many", min_value=1, max_value=50, step=1, key=ENG_SEEDS_K))
    with st.spinner("Finding where seeds would spread furthest…"):
        ranked = ws.seeds_next(k)
    table = exposure_tables.seeds_table(ranked)
    if len(table):
        st.caption("Select a row to open that person's profile on the Map.")
        picked = st.dataframe(table, hide_index=True, width="stretch", key=ENG_SEEDS_TABLE, on_select="rerun",
                              selection_mode="single-row", column_config={
            "adds": st.column_config.NumberColumn("adds", format="%.1f",
                                                  help="Expected extra people familiar with the idea."),
            "touch": st.column_config.TextColumn("touch", width="medium"),
            "why": st.column_config.TextColumn("why", width="large"),
        })
        profiles.open_selected_row(picked, ranked[s.ID], name)
    else:
        st.info(exposure_tables.NO_SEEDS)
    st.subheader("Exposure per department", anchor=False)
    st.dataframe(exposure_tables.department_table(departments), hide_index=True, width="stretch",
                 key="engagement_seeds_departments")
    st.caption("The same from the command line:")
    st.code(commands.seeds_command(name, k, seed=SEED), language="bash")


def _rotation(name: str, people, labels: dict[str, str], today: date) -> None:
    st.caption("Two or more associates visit every department a few times a quarter, spending the most time "
               "where buy-in is furthest from its milestone.")
    if not state.may(name, "rotation"):
        st.info("Planning the team's visits is for the map's editors and admins.")
        return
    upload, typed = st.columns(2)
    upload.file_uploader("Team CSV (name, home_department, email)", type=["csv", "tsv", "txt"],
                         key=ENG_TEAM_UPLOADER, on_change=_on_team_upload)
    typed.text_area("…or type the team, one per line: name, home department", key=ENG_TEAM_TEXT, height=110,
                    placeholder="Ann Lee, Finance\nBo Chen, IT\nCy Ode")
    quarters = tracking_tables.quarter_choices(today)
    _default(ENG_QUARTER, quarters[1])
    _default(ENG_VISITS, 3)
    _default(ENG_PER_VISIT, 1)
    quarter_column, visits_column, per_visit_column = st.columns(3)
    quarter = quarter_column.selectbox("Quarter", quarters, key=ENG_QUARTER)
    visits = int(visits_column.number_input("Visits per department", min_value=1, max_value=13, step=1,
                                            key=ENG_VISITS))
    per_visit = int(per_visit_column.number_input("Associates per visit", min_value=1, max_value=5, step=1,
                                                  key=ENG_PER_VISIT))
    uploaded = st.session_state.get(ENG_TEAM_UPLOAD)
    text = st.session_state.get(ENG_TEAM_TEXT) or ""
    if not uploaded and not text.strip():
        st.info("Upload the team file or type the team to plan the quarter.")
        return
    try:
        team = (ingest_team.read_team(BytesIO(uploaded[1]), name=uploaded[0]) if uploaded
                else tracking_tables.team_from_text(text))
    except ContractError as refused:
        st.error(markdown_text(refused.summary().splitlines()[0]))
        st.dataframe(refused.as_records(), hide_index=True, width="stretch")
        return
    plan = state.workspace(name).rotation_plan(team, quarter, visits=visits, per_visit=per_visit, as_of=today)
    st.markdown(markdown_text(tracking_tables.rotation_summary(plan)))
    st.dataframe(plan, hide_index=True, width="stretch",
                 column_order=["week", "date", s.DEPARTMENT, "visit", "visits", "associate", s.HOME_DEPARTMENT,
                               "reason"],
                 column_config={"reason": st.column_config.TextColumn("why this department", width="large"),
                                s.HOME_DEPARTMENT: st.column_config.TextColumn("home department")})
    csv_column, ics_column = st.columns(2)
    csv_column.download_button("Download CSV", data=export_rotation.rotation_csv(plan),
                               file_name=f"rotation-{quarter}.csv", mime="text/csv", on_click="ignore",
                               key="engagement_rotation_csv")
    ics_column.download_button(
        "Download calendar (.ics)", file_name=f"rotation-{quarter}.ics", mime="text/calendar", on_click="ignore",
        data=lambda: export_rotation.rotation_ics(plan, calendar_name=f"{name}: rotation {quarter}"),
        key="engagement_rotation_ics", help="One all-day event per associate and visit, for any calendar app.")


def _brief(name: str, people, labels: dict[str, str], today: date) -> None:
    st.caption("One printable page to prepare a meeting with a department: its stance mix now and over the last "
               "weeks, its milestones, the pitch angle, key influencers and blockers with what we know of them, "
               "who can carry the message, the next conversations, who moved lately and the latest notes. "
               "A second page is the pitch kit for the moment they are ready: what moves them (from the notes and "
               "roles), results from the pilot department, what the plan asks of them, who carries it, and open "
               "questions that leave decisions to them. A single HTML file that opens offline and prints on A4.")
    departments = state.derived(name, workspace_views.overview_of).departments
    department_column, pilot_column = st.columns(2)
    department = department_column.selectbox("Department", departments, key=ENG_BRIEF_DEPARTMENT)
    if department is None:
        return
    pilot = pilot_column.selectbox(
        "Pilot whose results the kit brings", [_SUGGESTED_PILOT] + departments, key=ENG_BRIEF_PILOT,
        help="The pilot department, whose results the pitch kit brings. Suggested: the top of the Champions "
             "page's pilot ranking.")
    pilot = None if pilot == _SUGGESTED_PILOT else pilot
    if state.may(name, "read_private"):     # a viewer's only export is the pseudonymised map (Data page)
        _brief_download(name, department, today, pilot)
    # Made on request: the brief needs the graph, which takes seconds on a big map, and every tab runs.
    if not st.toggle("Preview the brief here", key=ENG_BRIEF_PREVIEW):
        return
    page = state.derived(name, workspace_views.brief_of, department, str(today), 12, (), pilot)
    st.caption("The brief as it opens in a browser. Printed, it fits one A4 page (long notes are cut to fit), "
               "and the pitch kit a second.")
    # Its own document in a frame, so its print styles never touch the app's. Every CSV-derived text in it is
    # escaped, and its content policy forbids scripts and fetches.
    st.iframe(page, height=BRIEF_PREVIEW_HEIGHT)


def _brief_download(name: str, department: str, today: date, pilot: str | None = None) -> None:
    hidden = state.is_redacted(name)
    st.download_button(
        "Download the brief (HTML)", file_name=tracking_tables.brief_file_name(department, as_of=today),
        mime="text/html", on_click="ignore",
        # Made when pressed, outside the script run (no st.user there): whether it is redacted is decided now.
        data=lambda: state.derived(name, workspace_views.brief_of, department, str(today), 12, (), pilot,
                                   redacted=hidden).encode("utf-8"),
        type="primary", key="engagement_brief",
        help="Open it in a browser and print it (A4: the brief, then the pitch kit); it needs no connection.")


def main() -> None:
    name = state.open_map_page("Engagement", PER_MAP_KEYS, (ENG_EDIT_PREFIX,))
    if name is None:
        return
    people = state.workspace(name).people()
    st.caption("Log every conversation and the stance you saw after it; follow how stances move, how the "
               "milestones are going, whom to talk to next, and plan the team's visits.")
    labels = state.derived(name, workspace_views.labels_of)  # "Name (department)" by name, as person_choices
    today = date.today()
    for tab, section in zip(st.tabs(list(TABS)),
                            (_touchpoints, _history, _milestones, _next, _seeds, _rotation, _brief)):
        with tab:
            try:
                section(name, people, labels, today)
            except _PROBLEMS as error:
                st.error(markdown_text(str(error)))


if __name__ == "__main__":  # Streamlit runs pages as __main__; importing one (doctests) does nothing
    with state.errors_shown():
        main()
