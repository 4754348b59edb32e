"""Stakeholder Map dashboard: ``streamlit run app.py``.

Router only: the page setup, team mode's gate (with ``[auth]`` in the secrets, nothing
is shown before sign-in, see ``stakeholder_map.ui.team``), the sidebar's map chooser (the
current map is shared by every page through ``stakeholder_map.ui.state``) and the
navigation. A survey respondent's link (``/survey?token=…``) opens only the survey page, before the
gate and with the navigation hidden. Each page is one script under ``stakeholder_map/ui/pages/``; a page whose
file is not there yet is left out of the menu, and so is a page the member may not use. The app opens on
"This week" once the current map has touchpoints, else on the Map.
"""

from pathlib import Path

import streamlit as st

from stakeholder_map.ui import state, survey_respondent, team

PAGES = Path(__file__).resolve().parent / "stakeholder_map" / "ui" / "pages"
#: (file, title, icon); the first is the default page, but see :data:`HOME`.
MENU = (
    ("map.py", "Map", ":material/hub:"),
    ("home.py", "This week", ":material/today:"),
    ("champions.py", "Champions", ":material/campaign:"),
    ("audience.py", "Audience", ":material/groups:"),
    ("simulate.py", "Simulate", ":material/trending_up:"),
    ("engagement.py", "Engagement", ":material/event_note:"),
    ("data.py", "Data", ":material/upload_file:"),
    ("method.py", "Method", ":material/menu_book:"),
    ("survey_admin.py", "Survey", ":material/how_to_vote:"),
    ("admin.py", "Admin", ":material/admin_panel_settings:"),
)
#: The "This week" page: first (and the default page) once the current map has touchpoints; until then
#: the Map is, and This week comes second.
HOME = "home.py"
#: Pages only some members see: file -> whether the session's member may open it.
RESTRICTED = {"admin.py": team.administers, "survey_admin.py": team.runs_surveys}

# A local favicon: Streamlit would fetch a Material or emoji favicon from a CDN.
st.set_page_config(page_title="Stakeholder Map", page_icon=PAGES.parent / "icon.png", layout="wide")
# A respondent's personal link: the survey page alone, before (and without) sign-in; it checks the token.
if team.respondent_link():
    team.respondent_only(survey_respondent.show)
# Team mode: before sign-in (or without access) this shows the sign-in (or access) page at every address, and stops.
# Every address a page may have: either of the first two pages may be the default one (served at "").
member = team.gate([""] + [Path(file).stem for file, _, _ in MENU])
# The current map is known before the sidebar's chooser is drawn (a choice there reruns with it set).
home_first = state.has_engagements(state.current_map())
menu = sorted(MENU, key=lambda entry: entry[0] != HOME) if home_first else MENU
pages = [
    st.Page(PAGES / file, title=title, icon=icon, default=(i == 0))
    for i, (file, title, icon) in enumerate(menu)
    if (PAGES / file).exists() and RESTRICTED.get(file, lambda _: True)(member)
]
navigation = st.navigation(pages)
with state.errors_shown():
    team.account_sidebar(member, state.map_selector())
navigation.run()
