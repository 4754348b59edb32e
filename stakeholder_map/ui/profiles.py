"""Names that open a person's profile: select them and go to the Map page, whose panel shows them.

The Champions, Audience, Engagement and This week pages name people; clicking a name there
does what clicking a person on the Map does. The Map page is switched to by its
script's path, the same path ``app.py`` builds its ``st.Page`` from. A department's name
(This week) opens the Map on that department's people the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import streamlit as st

from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.ui import state

#: The Map page's script (``app.py`` registers the pages from this folder).
MAP_PAGE = Path(__file__).resolve().parent / "pages" / "map.py"
_HELP = "Open this person's profile on the Map page."


def open_profile(name: str, person: str) -> None:
    """Select ``person`` on map ``name`` and switch to the Map page (this run stops here)."""
    state.select_person(name, person)
    st.switch_page(MAP_PAGE)


def open_department(name: str, department: str) -> None:
    """Show ``department``'s people on the Map page of map ``name`` and switch to it (this run stops here)."""
    from stakeholder_map.ui.pages import map as map_page

    # Forget the Map's filters if they were set for another map, then mark them as this map's (else the
    # Map page would forget the department picked here when it opens).
    state.reset_page_widgets("Map", name, map_page.PER_MAP_KEYS)
    st.session_state[map_page.MAP_DEPARTMENTS] = [department]
    st.switch_page(MAP_PAGE)


def department_button(department: str, name: str, *, key: str, label: str | None = None) -> None:
    """A department's name as a link-like button that opens its people on the Map page."""
    if st.button(markdown_text(label or department), key=key, type="tertiary", icon=":material/hub:",
                 help=f"Show {markdown_text(department)}'s people on the Map page."):
        open_department(name, department)


def profile_button(label: str, name: str, person: str, *, key: str, help: str = _HELP, strong: bool = False,
                   icon: str | None = None) -> None:
    """One name as a link-like button that opens the person's profile (``label`` is plain text;
    ``strong`` sets it in bold, as a card's title, with a person icon unless ``icon`` says another)."""
    text = markdown_text(label)
    if st.button(f"**{text}**" if strong else text, key=key, type="tertiary", help=help,
                 icon=icon or (":material/person:" if strong else None)):
        open_profile(name, person)


def profile_links(title: str, people: Sequence[tuple[str, str]], name: str, *, key: str) -> None:
    """A labelled row of names, each opening its profile; an em dash when there is nobody.

    ``people`` are (id, label) pairs; ``key`` prefixes the buttons' keys (one
    per id, so it must be unique on the page).
    """
    row = st.container(horizontal=True, gap="xsmall", vertical_alignment="center")
    row.markdown(f"**{markdown_text(title)}:**" + ("" if people else " —"), width="content")
    for person, label in people:
        with row:
            profile_button(label, name, person, key=f"{key}:{person}")


def open_selected_row(event, ids: Iterable[str], name: str) -> None:
    """If a row of a table was just selected, open that person's profile.

    ``event`` is what ``st.dataframe(..., on_select="rerun",
    selection_mode="single-row")`` returned; ``ids`` are the people of its
    rows, in order.
    """
    rows = list(event.selection.rows) if event is not None else []
    ids = list(ids)
    if rows and 0 <= int(rows[0]) < len(ids):
        open_profile(name, str(ids[int(rows[0])]))
