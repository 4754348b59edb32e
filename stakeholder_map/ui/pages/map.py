"""Map page: the interactive influence graph, its filters, and the selected person's panel."""

from __future__ import annotations

from datetime import date

import streamlit as st

from stakeholder_map import viz
from stakeholder_map.ui import state
from stakeholder_map.ui.components import clicked, network_graph


def _on_click() -> None:
    """A node was clicked: open a department, or select a person."""
    payload = clicked(state.MAP_GRAPH)
    name = st.session_state.get(state.CURRENT_MAP)
    if not payload or not name:
        return
    if payload.get("view") == "departments":
        opened = list(st.session_state.get(state.MAP_DEPARTMENTS) or [])
        if payload["id"] not in opened:
            st.session_state[state.MAP_DEPARTMENTS] = opened + [payload["id"]]
    else:
        state.select_person(name, payload["id"])


def _on_match() -> None:
    match = st.session_state.get(state.MAP_MATCH)
    name = st.session_state.get(state.CURRENT_MAP)
    if match and name:
        state.select_person(name, match)


def _clear_selection() -> None:
    state.select_person(st.session_state.get(state.CURRENT_MAP), None)


def _controls(name: str, G_all, people_names: dict[str, str]) -> dict:
    """The sidebar's view controls; returns their values."""
    side = st.sidebar
    side.subheader("View")
    kinds_all = state.tie_kinds(name)
    analysed = state.analysis_available()
    colour_options = viz.colour_options(G_all, state.custom_columns(name), with_metrics=analysed)
    size_options = viz.size_options(with_metrics=analysed)
    if st.session_state.get(state.MAP_SIZE) not in size_options:
        st.session_state[state.MAP_SIZE] = size_options[0]
    values = {
        "colour": side.selectbox("Colour by", colour_options, key=state.MAP_COLOUR),
        "size": side.selectbox("Size by", size_options, key=state.MAP_SIZE,
                               help="Node size follows this score (metrics are explained on the Method page)."),
        "as_of": side.date_input("Stances as of", value=None, max_value=date.today(), key=state.MAP_AS_OF,
                                 format="YYYY-MM-DD",
                                 help="Show everyone's stance as it was on a past date (colours and the stance "
                                      "filter follow it). Empty: today."),
    }
    side.subheader("Filters")
    large = G_all.number_of_nodes() > viz.LARGE_MAP
    values["departments"] = side.multiselect(
        "Departments", viz.departments(G_all), key=state.MAP_DEPARTMENTS,
        placeholder="Overview of all departments" if large else "All departments",
        help="Large maps open on a department overview; pick departments to see their people.",
    )
    values["stances"] = side.multiselect("Stances", list(viz.STANCE_FILTERS), key=state.MAP_STANCES,
                                         placeholder="All stances")
    values["kinds"] = side.multiselect("Tie kinds", kinds_all, key=state.MAP_KINDS,
                                       placeholder="All kinds of tie") if kinds_all else []
    top = viz.max_weight(G_all)
    values["min_weight"] = side.slider("Minimum tie weight", 0.0, max(top, 1.0), 0.0,
                                       step=max(round(top / 50, 2), 0.1), key=state.MAP_MIN_WEIGHT)
    values["focus"] = side.selectbox(
        "Focus on one person", list(people_names), index=None, key=state.MAP_FOCUS,
        format_func=people_names.get, placeholder="Nobody (whole map)",
        help="Show only the people within a few ties of this person.",
    )
    values["hops"] = side.slider("Ties away from them", 1, 4, 1, key=state.MAP_HOPS,
                                 disabled=values["focus"] is None)
    values["search"] = side.text_input("Search people", key=state.MAP_SEARCH,
                                       placeholder="Name, id, role or email")
    return values


def _person_panel(name: str, G, person: str, metrics, champions: list[str]) -> None:
    details = viz.person_details(G, person, metrics=metrics,
                                 history=state.stance_history(name, person), champions=champions)
    st.subheader(viz.markdown_text(details["name"]), anchor=False)
    if details["roles"]:
        st.text("Roles: " + ", ".join(details["roles"]))
    about, scores, history, moves, moved_by = st.tabs(
        ["Profile", "Metrics", "Stance history", f"Can move ({len(details['moves'])})",
         f"Moved by ({len(details['moved_by'])})"])
    with about:
        st.dataframe(details["attributes"], hide_index=True, width="stretch")
    with scores:
        if len(details["metrics"]):
            st.dataframe(details["metrics"], hide_index=True, width="stretch")
        else:
            st.caption("Network metrics are not available for this map yet.")
    with history:
        if len(details["history"]):
            st.dataframe(details["history"], hide_index=True, width="stretch")
        else:
            st.caption("No stance recorded.")
    with moves:
        st.dataframe(details["moves"], hide_index=True, width="stretch")
    with moved_by:
        st.dataframe(details["moved_by"], hide_index=True, width="stretch")
    st.button("Clear selection", on_click=_clear_selection)


def main() -> None:
    name = state.current_map()
    st.title("Map", anchor=False)
    if name is None:
        st.info("There is no map yet. Import one on the Data page.")
        return
    state.reset_map_widgets(name)
    G_all = state.graph(name)
    if G_all.number_of_nodes() == 0:
        st.info("This map has no people yet. Import its CSV files on the Data page.")
        return
    people_names = viz.person_labels(G_all)
    controls = _controls(name, G_all, people_names)
    kinds = controls["kinds"] or None
    G = state.graph(name, kinds) if kinds else G_all
    if controls["as_of"] is not None:
        G = state.graph_as_of(name, controls["as_of"], kinds)
    as_of = (f" Stances as of {controls['as_of'].isoformat()}." if controls["as_of"] is not None else "")
    # Scores and champions are computed once per map (and tie kinds); on the
    # first visit the map is drawn first and scored right after.
    scoring = not state.analysis_ready(name, kinds)
    metrics = None if scoring else state.metrics(name, kinds)
    champions = None if scoring else state.current_champions(name)

    large = G.number_of_nodes() > viz.LARGE_MAP
    overview = large and not controls["departments"] and controls["focus"] is None
    matches = viz.search_people(G, controls["search"]) if controls["search"] else []
    selected = state.selected_person(name)
    if selected is not None and selected not in G:
        selected = None

    if overview:
        shown = viz.filter_graph(G, stances=controls["stances"], min_weight=controls["min_weight"])
        view = viz.department_view(G, shown, color_by=controls["colour"])
        st.caption(
            f"{G.number_of_nodes():,} people in {len(viz.departments(G))} departments: too many to draw one by one, "
            "so each circle is a department (sized by its people) and each arrow adds up the ties from one "
            "department to another. Click a department, or pick departments in the sidebar, to see its people."
            + (f" Counting the {shown.number_of_nodes():,} people and {shown.number_of_edges():,} ties that pass "
               "the filters." if shown.number_of_nodes() != G.number_of_nodes()
               or shown.number_of_edges() != G.number_of_edges() else "") + as_of
        )
    else:
        blockers = state.blocker_ids(metrics)
        shown = viz.filter_graph(G, departments=controls["departments"], stances=controls["stances"],
                                 min_weight=controls["min_weight"], focus=controls["focus"],
                                 hops=controls["hops"])
        positions = state.positions(name, viz.departments(shown))
        view = viz.people_view(G, shown, positions=positions, color_by=controls["colour"],
                               size_by=controls["size"], metrics=metrics, champions=champions or (),
                               blockers=blockers, selected=selected, highlight=matches)
        if controls["focus"] is not None:
            what = f"everyone within {controls['hops']} tie(s) of {viz.markdown_text(people_names[controls['focus']])}"
        elif controls["departments"]:
            what = "the people of " + ", ".join(viz.markdown_text(d) for d in controls["departments"])
        else:
            what = "everyone"
        st.caption(
            f"Showing {what}: {shown.number_of_nodes():,} of {G.number_of_nodes():,} people and "
            f"{shown.number_of_edges():,} ties. Arrows point from who influences to who is influenced; "
            f"thicker = stronger. ★ suggested champion, ◆ blocker. Click a person for details.{as_of}"
        )
    if controls["search"]:
        if matches:
            st.sidebar.selectbox("Matches", matches, index=None, key=state.MAP_MATCH,
                                 format_func=people_names.get, on_change=_on_match,
                                 placeholder=f"{len(matches)} match(es): pick one to select")
        else:
            st.sidebar.caption("Nobody matches.")

    drawing, panel = st.columns([5, 3])
    with drawing:
        network_graph(view, key=state.MAP_GRAPH, on_select=_on_click, file_stem="stakeholder-map")
        st.download_button(
            "Download HTML", data=lambda: viz.standalone_html(view, heading=name),
            file_name="stakeholder-map.html", mime="text/html", on_click="ignore",
            help="This view as a single HTML file that works offline.",
        )
    with panel:
        if selected is not None:
            _person_panel(name, G, selected, metrics, champions or [])
        else:
            st.caption("Click a person on the map (or search for them) to see their profile, "
                       "scores, stance history and ties here.")
    if scoring:
        with drawing, st.spinner("Scoring the network and finding champions…"):
            state.metrics(name, kinds)
            state.champion_ids(name)
        st.rerun()

if __name__ == "__main__":  # Streamlit runs pages as __main__; importing one (doctests) does nothing
    with state.errors_shown():
        main()
