"""Survey page (admins): create a relationship survey of the current map, get everyone's link, follow the
response rate, close it, and apply the answers to the map.

Every write goes through the session's :class:`~stakeholder_map.access.Member` (``import`` on the map, an
admin's right), which records it in the audit log. Links are issued once per click: issuing again revokes
the earlier ones, so the CSV is offered for download right after and not kept.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from stakeholder_map.errors import StakeholderMapError
from stakeholder_map.export import frame_to_csv
from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.surveys import DEFAULT_CONSENT, DEFAULT_MAX_PICKS, DEFAULT_QUESTIONS, MAX_PICKS, MIN_GROUP, \
    Question, link_table, survey_definition, survey_link
from stakeholder_map.ui import state

# Widget keys of this page.
SURVEYS_FORM = "surveys_form"
SURVEYS_TITLE = "surveys_title"
SURVEYS_CLOSES = "surveys_closes"
SURVEYS_QUESTIONS = "surveys_questions"
SURVEYS_MAX_PICKS = "surveys_max_picks"
SURVEYS_STRENGTH = "surveys_strength"
SURVEYS_PULSE = "surveys_pulse"
SURVEYS_CONSENT = "surveys_consent"
SURVEYS_PICK = "surveys_pick"
SURVEYS_BASE_URL = "surveys_base_url"
#: The last links issued: (survey id, CSV bytes); a message to show once: (kind, text).
SURVEYS_LINKS = "surveys_links"
SURVEYS_MESSAGE = "surveys_message"
PER_MAP_KEYS = (SURVEYS_PICK, SURVEYS_LINKS)
_LIBRARY = {q.text: q for q in DEFAULT_QUESTIONS}


def _base_url() -> str:
    """The dashboard's own address, as the browser sees it (the links' default base)."""
    url = getattr(st.context, "url", None) or "http://localhost:8501"
    return url.split("?")[0].rsplit("/", 1)[0] if url.count("/") > 2 else url


def _create(name: str) -> None:
    texts = st.session_state.get(SURVEYS_QUESTIONS) or []
    picks = int(st.session_state.get(SURVEYS_MAX_PICKS) or DEFAULT_MAX_PICKS)
    try:
        definition = survey_definition(
            st.session_state.get(SURVEYS_TITLE) or "", closes_on=st.session_state.get(SURVEYS_CLOSES),
            questions=[Question(t, _LIBRARY[t].kind, picks) for t in texts],
            consent=st.session_state.get(SURVEYS_CONSENT), strength=bool(st.session_state.get(SURVEYS_STRENGTH)),
            pulse=st.session_state.get(SURVEYS_PULSE))
        survey_id = state.member().create_survey(name, definition)
    except StakeholderMapError as error:
        st.session_state[SURVEYS_MESSAGE] = ("error", markdown_text(str(error)))
        return
    st.session_state[SURVEYS_PICK] = survey_id
    st.session_state[SURVEYS_MESSAGE] = ("success", f"Survey {survey_id} created. Now issue its links below.")


def _create_form(name: str) -> None:
    with st.expander("New survey", expanded=state.get_store().surveys(name).empty):
        with st.form(SURVEYS_FORM):
            st.text_input("Title (respondents see it)", key=SURVEYS_TITLE, value="Who do you turn to?")
            st.date_input("Closes on", key=SURVEYS_CLOSES, value=date.today() + timedelta(days=14),
                          min_value=date.today())
            st.multiselect("Network questions (each becomes a tie kind)", options=list(_LIBRARY),
                           default=list(_LIBRARY), key=SURVEYS_QUESTIONS,
                           format_func=lambda t: f"{t} → {_LIBRARY[t].kind}")
            left, right = st.columns(2)
            left.number_input("Most people named per question", min_value=1, max_value=MAX_PICKS,
                              value=DEFAULT_MAX_PICKS, key=SURVEYS_MAX_PICKS)
            right.checkbox("Ask how often (the tie weight)", value=True, key=SURVEYS_STRENGTH)
            st.text_input("Pulse question on the change (optional, answered on the stance scale)",
                          key=SURVEYS_PULSE, placeholder="How do you feel about the new PM tool?")
            st.text_area("Consent text", value=DEFAULT_CONSENT, key=SURVEYS_CONSENT)
            st.form_submit_button("Create survey", type="primary", on_click=_create, args=(name,))


def _issue(survey_id: int) -> None:
    """The Issue links button: fresh links for everyone (earlier ones revoked), kept for one download."""
    try:
        base = st.session_state.get(SURVEYS_BASE_URL) or _base_url()
        survey_link(base, "")  # a bad address is refused before any link is issued
        links = state.member().issue_links(survey_id)
    except StakeholderMapError as error:
        st.session_state[SURVEYS_MESSAGE] = ("error", markdown_text(str(error)))
        return
    st.session_state[SURVEYS_LINKS] = (survey_id, frame_to_csv(link_table(links, base)))
    st.session_state[SURVEYS_MESSAGE] = ("success", f"{len(links)} links issued: download them below.")


def _survey_section(name: str, surveys) -> None:
    member = state.member()
    ids = surveys["survey_id"].tolist()
    labels = {int(r.survey_id): f"{r.survey_id}: {r.title} ({r.status})" for r in surveys.itertuples()}
    if st.session_state.get(SURVEYS_PICK) not in ids:
        st.session_state[SURVEYS_PICK] = ids[0]
    survey_id = st.selectbox("Survey", ids, format_func=labels.get, key=SURVEYS_PICK)
    _, definition, status = state.get_store().survey(survey_id)
    st.caption(" · ".join([f"closes {definition.closes_on:%d %b %Y}", ", ".join(definition.kinds),
                           "how often: " + ("asked" if definition.strength else "not asked"),
                           f"pulse: {markdown_text(definition.pulse) if definition.pulse else 'none'}"]))
    st.markdown("**Response rate by department** "
                f"(a department with fewer than {MIN_GROUP} respondents shows no figures)")
    st.dataframe(state.get_store().survey_status(survey_id), hide_index=True, use_container_width=True)
    if status == "open":
        st.markdown("**Personal links**")
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        left.text_input("Dashboard address for the links", value=_base_url(), key=SURVEYS_BASE_URL)
        right.button("Issue links", icon=":material/link:", use_container_width=True, on_click=_issue,
                     args=(survey_id,), help="Everyone on the map gets a new link; links issued before stop working.")
        issued = st.session_state.get(SURVEYS_LINKS)
        if issued and issued[0] == survey_id:
            st.download_button("Download links (name, email, link) for a mail merge", issued[1],
                               file_name=f"survey-{survey_id}-links.csv", mime="text/csv",
                               icon=":material/download:")
            st.caption("Keep this file safe: each link lets one person answer as themselves. It is not "
                       "stored; issuing links again makes new ones.")
    close, apply = st.columns(2)
    if status == "open" and close.button("Close survey", icon=":material/lock:", use_container_width=True):
        _run(lambda: member.close_survey(survey_id), f"Survey {survey_id} is closed.")
    if apply.button("Apply answers to the map", type="primary", icon=":material/merge:",
                    use_container_width=True,
                    help="Ties of each question's kind (named person → respondent) and the pulse answers "
                         "into the stance history, as one new revision. The survey then takes no answers."):
        report = _run(lambda: member.apply_survey(survey_id), None)
        if report is not None:
            st.session_state[SURVEYS_MESSAGE] = (
                "success", f"Applied: {report.ties} ties from {report.respondents} respondents (replacing "
                           f"{report.replaced_ties}), {report.pulse_answers} pulse answers.")
            st.rerun()


def _run(action, message: str | None):
    try:
        result = action()
    except StakeholderMapError as error:
        st.error(markdown_text(str(error)))
        return None
    if message:
        st.session_state[SURVEYS_MESSAGE] = ("success", message)
        st.rerun()
    return result


name = state.open_map_page("Survey", PER_MAP_KEYS)
if name is not None:
    if not state.may(name, "import"):
        st.info("Only an admin of this map runs its surveys.")
        st.stop()
    st.caption("A relationship survey asks everyone on the map whom they go to for advice, whom they trust and "
               "who helps them learn; each answer becomes a tie from the person named to the respondent.")
    message = st.session_state.pop(SURVEYS_MESSAGE, None)
    if message:
        state.show_message(*message)
    _create_form(name)
    surveys = state.get_store().surveys(name)
    if surveys.empty:
        st.info("No survey of this map yet.")
    else:
        _survey_section(name, surveys)
