"""Stakeholder Map dashboard: ``streamlit run app.py``.

Router only: the page setup, the sidebar's map chooser (the current map is shared
by every page through ``stakeholder_map.ui.state``) and the navigation. Each page
is one script under ``stakeholder_map/ui/pages/``; a page whose file is not there
yet is left out of the menu.
"""

from pathlib import Path

import streamlit as st

from stakeholder_map.ui import state

PAGES = Path(__file__).resolve().parent / "stakeholder_map" / "ui" / "pages"
#: (file, title, icon); the first is the default page.
MENU = (
    ("map.py", "Map", ":material/hub:"),
    ("champions.py", "Champions", ":material/campaign:"),
    ("audience.py", "Audience", ":material/groups:"),
    ("simulate.py", "Simulate", ":material/trending_up:"),
    ("engagement.py", "Engagement", ":material/event_note:"),
    ("data.py", "Data", ":material/upload_file:"),
    ("method.py", "Method", ":material/menu_book:"),
)

# A local favicon: Streamlit would fetch a Material or emoji favicon from a CDN.
st.set_page_config(page_title="Stakeholder Map", page_icon=PAGES.parent / "icon.png", layout="wide")
pages = [
    st.Page(PAGES / file, title=title, icon=icon, default=(i == 0))
    for i, (file, title, icon) in enumerate(MENU)
    if (PAGES / file).exists()
]
navigation = st.navigation(pages)
with state.errors_shown():
    state.map_selector()
navigation.run()
