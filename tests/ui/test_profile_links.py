"""Names on Champions, Audience and Next conversations open that person's profile on the Map.

These run the whole app (``app.py``, through ``st.navigation``), because a name
switches page: the test opens a page, clicks a name (or selects a row) and finds
the Map page showing that person.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from tests.ui.ui_support import SMALL_MAP, XSS

from stakeholder_map.presentation.text import markdown_text

from stakeholder_map.ui import state
from stakeholder_map.ui.pages import audience as audience_page
from stakeholder_map.ui.pages import champions as champions_page
from stakeholder_map.ui.pages import engagement as engagement_page

ROOT = Path(__file__).resolve().parents[2]
PAGES = "stakeholder_map/ui/pages"
NAMES = {"a": "Ann Lee", "b": XSS, "c": "Cy Ode", "d": "Dee Ray", "e": "Eve Ng", "f": "Fin Oak"}


def open_app_page(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(f"{PAGES}/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shows_profile_on_the_map(at: AppTest, person: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Map"
    assert at.session_state[state.SELECTED] == (SMALL_MAP, person)
    # The person panel: their name as its heading, and their profile tab.
    assert markdown_text(NAMES[person]) in [s.value for s in at.subheader]
    assert "Clear selection" in [b.label for b in at.button]


def test_a_champion_card_name_opens_the_profile(db):
    at = open_app_page("champions")
    assert at.title[0].value == "Champions"
    buttons = [b for b in at.button if str(b.key).startswith(champions_page.CHAMP_PROFILE_PREFIX)]
    last = buttons[-1]                          # (the six-person map's default k is 1)
    person = last.key[len(champions_page.CHAMP_PROFILE_PREFIX):]
    last.click().run()
    shows_profile_on_the_map(at, person)


def test_an_audience_card_name_opens_the_profile(db):
    at = open_app_page("audience")
    key = f"{audience_page.AUDIENCE_PROFILE_PREFIX}HR:influencer:"
    buttons = [b for b in at.button if str(b.key).startswith(key)]
    assert buttons, [b.key for b in at.button]
    person = buttons[0].key[len(key):]
    buttons[0].click().run()
    shows_profile_on_the_map(at, person)


def test_selecting_a_next_conversation_opens_the_profile(db):
    at = open_app_page("engagement")
    table = [d for d in at.dataframe if d.key == engagement_page.ENG_NEXT_TABLE][0].value
    first = table["name"][0]
    at.session_state[engagement_page.ENG_NEXT_TABLE] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    person = {v: k for k, v in NAMES.items()}[first]
    shows_profile_on_the_map(at, person)
