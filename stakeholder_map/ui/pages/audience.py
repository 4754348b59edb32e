"""Audience page: how to approach each department, the power/interest grid, influence across departments."""

from __future__ import annotations

import streamlit as st

from stakeholder_map.presentation import analysis_tables, charts, numbers
from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.ui import profiles, state
from stakeholder_map.workspace import SEED

#: Department cards shown at first (the largest departments); the rest are a pick away.
_FIRST_CARDS = 12
_CARDS_PER_ROW = 3
#: The grid's quadrants laid out as on the chart: high power on top, high interest on the right.
_GRID = (("keep satisfied", "manage closely"), ("monitor", "keep informed"))
_MATRIX_VALUES = {"weight": "Summed tie weight", "ties": "Number of ties"}

# Widget keys of this page.
AUDIENCE_DEPARTMENTS = "audience_departments"
AUDIENCE_MATRIX_VALUE = "audience_matrix_value"
#: Widgets whose values belong to one map; forgotten when the map changes.
PER_MAP_KEYS = (AUDIENCE_DEPARTMENTS,)
#: Prefix of the buttons that open a profile: f"{AUDIENCE_PROFILE_PREFIX}{department}:{list}:{id}".
AUDIENCE_PROFILE_PREFIX = "audience_profile:"


def _card(name: str, profile: dict) -> None:
    card = analysis_tables.department_card(profile)
    with st.container(border=True):
        st.subheader(markdown_text(card["department"]), anchor=False)
        st.caption(f"{card['size']:,} people · {markdown_text(card['stance_text'])}")
        st.vega_lite_chart(charts.stance_mix_chart(card["stance_mix"]), width="stretch")
        # Each name opens that person's profile on the Map.
        key = f"{AUDIENCE_PROFILE_PREFIX}{card['department']}"
        profiles.profile_links("Top influencers", card["influencer_people"], name, key=f"{key}:influencer")
        profiles.profile_links("Brokers into it", card["broker_people"], name, key=f"{key}:broker")
        profiles.profile_links("Blockers", card["blocker_people"], name, key=f"{key}:blocker")
        if card["scores"]:
            st.markdown(f"**Power / interest:** {markdown_text(card['scores'])}")
        st.info(markdown_text(card["approach"]))


def _cards_section(name: str) -> None:
    st.subheader("Departments", anchor=False)
    profiles = state.workspace(name).department_profiles()
    names = [p["department"] for p in profiles]
    if len(names) > _FIRST_CARDS:
        if AUDIENCE_DEPARTMENTS not in st.session_state:
            st.session_state[AUDIENCE_DEPARTMENTS] = names[:_FIRST_CARDS]
        chosen = set(st.multiselect("Departments to show", names, key=AUDIENCE_DEPARTMENTS,
                                    help="The largest departments are shown first."))
        profiles = [p for p in profiles if p["department"] in chosen]
    st.caption("Each department's stance mix, whom its people follow, who brings influence in from outside, "
               "who may block, and a suggested way in. Click a name to open their profile on the Map.")
    for start in range(0, len(profiles), _CARDS_PER_ROW):
        columns = st.columns(_CARDS_PER_ROW)
        for profile, column in zip(profiles[start:start + _CARDS_PER_ROW], columns):
            with column:
                _card(name, profile)


def _grid_section(G) -> None:
    st.subheader("Power / interest grid", anchor=False)
    points = analysis_tables.power_interest_points(G, seed=SEED)
    st.vega_lite_chart(charts.power_interest_chart(points, seed=SEED), width="stretch")
    st.caption("Each point is a person: formal influence over the decision up, interest in the change across, "
               "in their stance colour. Points are spread a little so equal scores don't hide each other; "
               "people without both scores are not drawn. Hover for names; drag to pan, scroll to zoom, "
               "double-click to reset.")
    note = analysis_tables.unscored_note(points)
    if note:
        st.info(markdown_text(note))
    summary = {q["quadrant"]: q for q in analysis_tables.quadrant_summary(points)}
    for row in _GRID:
        for quadrant, column in zip(row, st.columns(2)):
            q = summary[quadrant]
            with column, st.container(border=True):
                st.markdown(f"**{quadrant.capitalize()}** · {numbers.count(q['count'])} people")
                st.markdown(markdown_text(q["strategy"]))
                if q["examples"]:
                    st.caption("For example " + markdown_text(q["examples"]))


def _matrix_section(name: str) -> None:
    st.subheader("Who influences whom across departments", anchor=False)
    value = st.radio("Measure", list(_MATRIX_VALUES), format_func=_MATRIX_VALUES.get, horizontal=True,
                     key=AUDIENCE_MATRIX_VALUE)
    cells = analysis_tables.matrix_long(state.workspace(name).influence_matrix(value))
    if not len(cells):
        st.info("No ties yet.")
        return
    st.vega_lite_chart(charts.influence_heatmap(cells, value_title=_MATRIX_VALUES[value]))
    st.caption("Rows: the department of the person who influences; columns: the department influenced. "
               "The diagonal is influence inside a department. Hover a cell for its share of all the "
               "influence reaching that department.")


def main() -> None:
    opened = state.open_analysis_page("Audience", PER_MAP_KEYS)
    if opened is None:
        return
    name, G = opened
    with st.spinner("Profiling departments…"):
        _cards_section(name)
    st.divider()
    _grid_section(G)
    st.divider()
    _matrix_section(name)


if __name__ == "__main__":  # Streamlit runs pages as __main__; importing one (doctests) does nothing
    with state.errors_shown():
        main()
