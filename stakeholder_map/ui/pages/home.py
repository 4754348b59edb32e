"""This week page: milestones at risk, next conversations and their messengers, windows of opportunity,
seeds to plant and the rotation visits of the week, each linking to the person, the department or its brief.

The app opens on it once the current map has touchpoints (``app.py``). What it shows is built by
:func:`stakeholder_map.presentation.this_week.this_week`, the same call as ``stakeholder-map week``.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pandas as pd
import streamlit as st

from stakeholder_map import ingest_team
from stakeholder_map.errors import ContractError
from stakeholder_map.presentation import tracking_tables, workspace_views
from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.presentation.this_week import ThisWeek, WeekItem, WeekSection, this_week
from stakeholder_map.ui import profiles, state
from stakeholder_map.ui.pages import engagement as engagement_page

TITLE = "This week"
#: Prefix of the page's link buttons (one per item and link: f"{HOME_PREFIX}{section}:{index}:{link}").
HOME_PREFIX = "home:"
#: Where each section goes: the left column, then the right.
LAYOUT = (("milestones", "conversations", "rotation"), ("windows", "seeds"))
_FLAG_COLOURS = {"at risk": "orange", "missed": "red", "blocker": "orange"}


def link_key(section: str, index: int, link: str) -> str:
    """The key of an item's link button (``link``: person, messenger, department or brief)."""
    return f"{HOME_PREFIX}{section}:{index}:{link}"


def _session_plan(name: str, today: date) -> tuple[pd.DataFrame | None, str | None]:
    """The rotation plan of this quarter from the team given on the Engagement page in this session.

    Returns (plan, problem): no team (or no right to plan) gives (None, None); a team that cannot be
    read gives (None, why).
    """
    if not state.may(name, "rotation"):
        return None, None
    uploaded = st.session_state.get(engagement_page.ENG_TEAM_UPLOAD)
    text = st.session_state.get(engagement_page.ENG_TEAM_TEXT) or ""
    if not uploaded and not text.strip():
        return None, None
    try:
        team = (ingest_team.read_team(BytesIO(uploaded[1]), name=uploaded[0]) if uploaded
                else tracking_tables.team_from_text(text))
    except ContractError as refused:
        return None, refused.summary().splitlines()[0]
    quarter = tracking_tables.quarter_choices(today)[0]
    visits = int(st.session_state.get(engagement_page.ENG_VISITS) or 3)
    per_visit = int(st.session_state.get(engagement_page.ENG_PER_VISIT) or 1)
    return state.workspace(name).rotation_plan(team, quarter, visits=visits, per_visit=per_visit,
                                               as_of=today), None


def _brief_button(name: str, department: str, today: date, key: str, hidden: bool) -> None:
    st.download_button(
        "Brief", file_name=tracking_tables.brief_file_name(department, as_of=today), mime="text/html",
        on_click="ignore", icon=":material/description:", type="tertiary", key=key,
        # Made when pressed, outside the script run: whether it is redacted is decided now.
        data=lambda: state.derived(name, workspace_views.brief_of, department, str(today),
                                   redacted=hidden).encode("utf-8"),
        help=f"Download the brief and pitch kit on {markdown_text(department)} (HTML, prints on A4).")


def _item(name: str, section: str, index: int, item: WeekItem, today: date, briefs: bool, hidden: bool) -> None:
    with st.container(gap="xsmall"):
        _item_body(name, section, index, item, today, briefs, hidden)


def _item_body(name: str, section: str, index: int, item: WeekItem, today: date, briefs: bool,
               hidden: bool) -> None:
    head = st.container(horizontal=True, gap="small", vertical_alignment="center")
    with head:
        if item.person_id:
            profiles.profile_button(item.title, name, item.person_id, key=link_key(section, index, "person"),
                                    strong=True)
        else:
            st.markdown(f"**{markdown_text(item.title)}**", width="content")
        if item.flag:
            st.badge(markdown_text(item.flag), color=_FLAG_COLOURS.get(item.flag, "blue"))
    if item.detail:
        st.caption(markdown_text(item.detail))
    if not (item.messenger_id or item.department):
        return
    links = st.container(horizontal=True, gap="xsmall", vertical_alignment="center")
    with links:
        if item.messenger_id:
            profiles.profile_button(f"Messenger: {item.messenger or item.messenger_id}", name, item.messenger_id,
                                    key=link_key(section, index, "messenger"), icon=":material/campaign:",
                                    help="Open the messenger's profile on the Map page.")
        if item.department:
            profiles.department_button(item.department, name, key=link_key(section, index, "department"))
            if briefs:
                _brief_button(name, item.department, today, link_key(section, index, "brief"), hidden)


def _section(name: str, section: WeekSection, today: date, briefs: bool, hidden: bool) -> None:
    with st.container(border=True):
        count = f" ({len(section.items)})" if section.items and section.counted else ""
        st.subheader(f"{section.title}{count}", anchor=False)
        if section.note:
            st.caption(markdown_text(section.note))
        if not section.items:
            st.info(markdown_text(section.empty), icon=":material/lightbulb:")
            return
        for index, item in enumerate(section.items):
            _item(name, section.key, index, item, today, briefs, hidden)


def _show(name: str, week: ThisWeek, today: date) -> None:
    briefs = state.may(name, "read_private")    # a viewer's only export is the pseudonymised map (Data page)
    hidden = state.is_redacted(name)
    for column, keys in zip(st.columns(len(LAYOUT), gap="medium"), LAYOUT):
        with column:
            for key in keys:
                _section(name, week.section(key), today, briefs, hidden)


def main() -> None:
    name = state.open_map_page(TITLE, prefixes=(HOME_PREFIX,))
    if name is None:
        return
    today = date.today()
    plan, problem = _session_plan(name, today)
    with st.spinner("Gathering the week…"):
        week = this_week(state.workspace(name), as_of=today, plan=plan)
    st.caption(f"Week of {week.week_start:%a %d %b} to {week.week_end:%a %d %b %Y}: what to look at first. "
               "Names open profiles on the Map; departments open their people there.")
    if not week.has_engagements:
        st.info("No touchpoints are logged on this map yet, so the Map is the app's first page. Log conversations "
                "on the Engagement page: milestones, next conversations and windows follow them.",
                icon=":material/info:")
    if problem:
        st.warning(f"The team given on the Engagement page cannot be read: {markdown_text(problem)}")
    _show(name, week, today)


if __name__ == "__main__":  # Streamlit runs pages as __main__; importing one (doctests) does nothing
    with state.errors_shown():
        main()
