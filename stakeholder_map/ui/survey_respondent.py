"""The respondent's page of a relationship survey, opened from a personal link ``/survey?token=…``.

It shows only the survey: the respondent's own name, the questions with a
search-as-you-type list of the map's people (at most N picks each), the
optional "how often" and pulse answers, the consent text, and a submit
button — nothing of the map, of other answers or of any analysis. ``app.py``
routes every address with a ``token`` here, before team mode's sign-in gate,
with the navigation hidden; a link that is forged, revoked, expired or of a
closed survey gets an error and nothing else. Submitting again replaces the
earlier answers (until the survey closes); the link's token names the
respondent, never the form.
"""

from __future__ import annotations

import streamlit as st

from stakeholder_map.errors import SurveyError
from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.schema import STANCE_LABELS
from stakeholder_map.surveys import STRENGTH_SCALE, Submission
from stakeholder_map.ui import state

# Widget keys of this page (per question: SURVEY_PICKS + index; per pick: SURVEY_STRENGTH + index + "_" + id).
SURVEY_PICKS = "survey_q"
SURVEY_STRENGTH = "survey_strength_"
SURVEY_PULSE = "survey_pulse"
SURVEY_CONSENT = "survey_consent"
#: The token whose saved answers the widgets were filled with; the message after a submit.
SURVEY_LOADED = "survey_loaded_for"
SURVEY_DONE = "survey_done"
_PULSE_WORDS = {-2: "Strongly against", -1: "Doubtful", 0: "Neutral", 1: "In favour", 2: "Enthusiastic"}
# Narrow screens: the page is a column of its own; nothing else of the app's chrome is shown.
_PHONE_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"],
[data-testid="stHeader"] {display: none;}
.block-container {max-width: 46rem; padding: 2rem 1rem 4rem 1rem;}
</style>"""


def _error(message: str) -> None:
    st.title("Survey", anchor=False)
    st.error(markdown_text(message))
    st.stop()


def _prefill(invite) -> None:
    """Put the respondent's saved answers into the widgets once per link."""
    token_key = invite.survey_id, invite.respondent
    if st.session_state.get(SURVEY_LOADED) == token_key:
        return
    st.session_state[SURVEY_LOADED] = token_key
    if invite.answers is None:
        return
    for q, picks in invite.answers.picks.items():
        st.session_state[f"{SURVEY_PICKS}{q}"] = [p for p, _ in picks if p in invite.roster]
        for person, strength in picks:
            st.session_state[f"{SURVEY_STRENGTH}{q}_{person}"] = strength
    st.session_state[SURVEY_PULSE] = invite.answers.pulse


def show() -> None:
    """Draw the page for the link's token (``app.py`` registers it at ``/survey`` and as the default page)."""
    st.markdown(_PHONE_CSS, unsafe_allow_html=True)
    token = st.query_params.get("token", "")
    store = state.get_store()
    try:
        invite = store.survey_invite(token)
    except SurveyError as error:
        _error(str(error))
        return

    survey = invite.survey
    _prefill(invite)
    st.title(markdown_text(survey.title), anchor=False)
    st.markdown(f"For **{markdown_text(invite.respondent_name)}** · open until {survey.closes_on:%d %B %Y}")
    st.caption(markdown_text(survey.consent))
    names = invite.roster
    picks: dict[int, list[tuple[str, int | None]]] = {}
    for q, question in enumerate(survey.questions):
        st.markdown(f"#### {q + 1}. {markdown_text(question.text)}")
        chosen = st.multiselect(
            f"Up to {question.max_picks} people", options=list(names), format_func=lambda i: names.get(i, i),
            max_selections=question.max_picks, key=f"{SURVEY_PICKS}{q}", placeholder="Type a name…")
        answers = []
        for person in chosen:
            strength = None
            if survey.strength:
                strength = st.segmented_control(
                    f"How often with {markdown_text(names[person])}?", options=list(STRENGTH_SCALE),
                    format_func=STRENGTH_SCALE.get, key=f"{SURVEY_STRENGTH}{q}_{person}")
            answers.append((person, strength))
        picks[q] = answers

    pulse = None
    if survey.pulse:
        st.markdown(f"#### {markdown_text(survey.pulse)}")
        pulse = st.radio("Your answer", options=sorted(STANCE_LABELS), format_func=_PULSE_WORDS.get, index=None,
                         key=SURVEY_PULSE, label_visibility="collapsed")

    st.divider()
    consent = st.checkbox("I agree to my answers being used as described above.", key=SURVEY_CONSENT)
    if st.button("Submit my answers", type="primary", icon=":material/send:", use_container_width=True):
        try:
            kept = store.submit_survey(token, Submission(picks, pulse, bool(consent)))
        except SurveyError as error:
            st.error(markdown_text(str(error)))
        else:
            st.session_state[SURVEY_DONE] = kept
    if SURVEY_DONE in st.session_state:
        named = st.session_state[SURVEY_DONE]
        st.success(f"Thank you — your answers are saved (you named {named} {'person' if named == 1 else 'people'}). "
                   f"You may change them and submit again until {survey.closes_on:%d %B %Y}.")
