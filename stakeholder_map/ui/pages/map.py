"""Map page: the interactive influence graph, its filters, its exports, and the selected person's panel;
its sidebar toggle "What changed" shows the map as of an import with the changes marked (``ui/what_changed.py``).

The drawing takes the page's whole width (a map shown in a meeting needs it, and
the person panel's tie tables read better wide too): the panel opens below it.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from stakeholder_map.graph import departments, filter_graph, most_connected
from stakeholder_map.presentation import map_export, map_filters, network_view, styles, workspace_views
from stakeholder_map.presentation.people import search_people
from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.ui import preparation, state, what_changed
from stakeholder_map.ui.components import clicked, network_graph
from stakeholder_map.ui.pickers import person_picker
from stakeholder_map.workspace import kinds_key

# Widget keys of this page.
MAP_COLOUR = "map_colour"
MAP_SIZE = "map_size"
MAP_AS_OF = "map_as_of"
MAP_DEPARTMENTS = "map_departments"
MAP_STANCES = "map_stances"
MAP_KINDS = "map_kinds"
MAP_MIN_WEIGHT = "map_min_weight"
MAP_FOCUS = "map_focus"
MAP_HOPS = "map_hops"
MAP_SEARCH = "map_search"
MAP_MATCH = "map_match"
MAP_GRAPH = "map_graph"
#: The colouring last drawn: a click on the chosen colouring un-chooses it, and this one comes back.
MAP_COLOUR_LAST = "map_colour_last"
#: Widgets whose values belong to one map; forgotten when the map changes.
PER_MAP_KEYS = (MAP_COLOUR, MAP_COLOUR_LAST, MAP_SIZE, MAP_DEPARTMENTS, MAP_STANCES, MAP_KINDS, MAP_MIN_WEIGHT,
                MAP_FOCUS, MAP_HOPS, MAP_SEARCH, MAP_MATCH, *what_changed.KEYS)
DEFAULT_COLOUR = "department"


def _on_click() -> None:
    """A node was clicked: open a department, or select a person."""
    payload = clicked(MAP_GRAPH)
    name = st.session_state.get(state.CURRENT_MAP)
    if not payload or not name:
        return
    if payload.get("view") == "departments":
        opened = list(st.session_state.get(MAP_DEPARTMENTS) or [])
        if payload["id"] not in opened:
            st.session_state[MAP_DEPARTMENTS] = opened + [payload["id"]]
    else:
        state.select_person(name, payload["id"])


def _on_match() -> None:
    match = st.session_state.get(MAP_MATCH)
    name = st.session_state.get(state.CURRENT_MAP)
    if match and name:
        state.select_person(name, match)


def _clear_selection() -> None:
    state.select_person(st.session_state.get(state.CURRENT_MAP), None)


def _controls(name: str, people_names: dict[str, str]) -> dict:
    """The sidebar's view controls; returns their values (none of them needs the graph)."""
    side = st.sidebar
    side.subheader("View")
    ws = state.workspace(name)
    kinds_all = ws.tie_kinds()
    whole = state.derived(name, workspace_views.overview_of)
    size_options = styles.size_options(with_metrics=True)
    if st.session_state.get(MAP_SIZE) not in size_options:
        st.session_state[MAP_SIZE] = size_options[0]
    values = {
        "colour": _colour_choice(ws),
        "size": side.selectbox("Size by", size_options, key=MAP_SIZE, format_func=styles.measure_label,
                               help="Node size follows this score (more on the Method page):\n\n"
                                    + styles.measures_help(size_options)),
        "as_of": side.date_input("Stances as of", value=None, max_value=date.today(), key=MAP_AS_OF,
                                 format="YYYY-MM-DD",
                                 help="Show everyone's stance as it was on a past date (colours and the stance "
                                      "filter follow it). Empty: today."),
    }
    side.subheader("Filters")
    large = state.is_large(name)
    values["departments"] = side.multiselect(
        "Departments", whole.departments, key=MAP_DEPARTMENTS,
        placeholder="Overview of all departments" if large else "All departments",
        help="Large maps open on a department overview; pick departments to see their people.",
    )
    values["stances"] = side.multiselect("Stances", list(styles.STANCE_FILTERS), key=MAP_STANCES,
                                         placeholder="All stances")
    values["kinds"] = side.multiselect("Tie kinds", kinds_all, key=MAP_KINDS,
                                       placeholder="All kinds of tie") if kinds_all else []
    top = whole.max_weight
    values["min_weight"] = side.slider("Minimum tie weight", 0.0, max(top, 1.0), 0.0,
                                       step=max(round(top / 50, 2), 0.1), key=MAP_MIN_WEIGHT)
    values["focus"] = person_picker(
        side, "Focus on one person", people_names, key=MAP_FOCUS, placeholder="Nobody (whole map)",
        help="Show only the people within a few ties of this person.",
    )
    values["hops"] = side.slider("Ties away from them", 1, 4, 1, key=MAP_HOPS,
                                 disabled=values["focus"] is None)
    values["search"] = side.text_input("Search people", key=MAP_SEARCH,
                                       placeholder="Name, id, role or email")
    return values


def _colour_choice(ws) -> str:
    """The one-click colourings above the map (Stance, Department, ...); returns the one chosen."""
    options = styles.colour_options(None, ws.custom_columns(), with_metrics=True, with_exposure=True)
    # Stance first: the colouring a change manager switches to most.
    options = ["stance"] + [o for o in options if o != "stance"]
    last = st.session_state.get(MAP_COLOUR_LAST)
    if st.session_state.get(MAP_COLOUR) not in options:
        st.session_state[MAP_COLOUR] = last if last in options else DEFAULT_COLOUR
    chosen = st.segmented_control(
        "Colour by", options, key=MAP_COLOUR, format_func=styles.measure_label,
        help="What the colours of the people show:\n\n" + styles.measures_help(options))
    chosen = chosen if chosen in options else DEFAULT_COLOUR
    st.session_state[MAP_COLOUR_LAST] = chosen
    return chosen


def _person_panel(name: str, G, person: str, metrics, champions: list[str]) -> None:
    details = network_view.person_details(G, person, metrics=metrics,
                                 history=state.workspace(name).stance_history(person), champions=champions)
    st.subheader(markdown_text(details["name"]), anchor=False)
    if details["roles"]:
        st.text("Roles: " + ", ".join(details["roles"]))
    about, scores, history, moves, moved_by = st.tabs(
        ["Profile", "Metrics", "Stance history", f"Can move ({len(details['moves'])})",
         f"Moved by ({len(details['moved_by'])})"])
    with about:
        st.dataframe(details["attributes"], hide_index=True, width="stretch")
    with scores:
        if len(details["metrics"]):
            st.dataframe(details["metrics"], hide_index=True, width="stretch",
                         column_config={"meaning": st.column_config.TextColumn("what it means", width="large")})
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
    name = state.open_map_page("Map", PER_MAP_KEYS)
    if name is None:
        return
    if what_changed.toggle():  # the map as of an import, with what changed since another (ui/what_changed.py)
        what_changed.show(name)
        return
    people_names = state.derived(name, workspace_views.labels_of)
    head = st.container()  # the caption: written once the drawing is known, shown above the colour choice
    controls = _controls(name, people_names)
    kinds = controls["kinds"] or None
    as_of = (f" Stances as of {controls['as_of'].isoformat()}." if controls["as_of"] is not None else "")
    large = state.is_large(name)
    overview = large and not controls["departments"] and controls["focus"] is None
    # Scores and champions are computed once per map (and tie kinds). A small
    # map is drawn first and scored right after; a large one is prepared in a
    # server thread while the user works on the department overview.
    ws = state.workspace(name)
    scoring = not ws.prepared(kinds)
    failed = preparation.error(ws, kinds) if large and scoring else None
    metrics = None if scoring else ws.metrics(kinds)
    champions = None if scoring else state.current_champions(name)
    exposure = ws.exposure(controls["as_of"]) if controls["colour"] == styles.EXPOSURE else None   # seeds planted
    selected = state.selected_person(name)
    if selected is not None and selected not in people_names:
        selected = None
    matches = search_people(ws.people(), controls["search"]) if controls["search"] else []

    G = None
    if overview:
        # Drawn from the store's arrays: a big map's graph is not needed (nor waited for) here.
        whole = state.derived(name, workspace_views.overview_of, kinds_key(kinds))
        then = (state.derived(name, workspace_views.overview_stances_of, str(controls["as_of"]))
                if controls["as_of"] is not None else None)
        figures = whole.figures(stances=controls["stances"], min_weight=controls["min_weight"], stance=then)
        view = network_view.department_view(figures, color_by=controls["colour"], exposure=exposure)
        shown_people, shown_ties = int(figures.people["shown"].sum()), int(figures.ties["ties"].sum())
        every_tie = int(whole.ties.sum())
        summary = f"{len(people_names):,} people in {len(whole.departments)} departments, one circle per department"
        head.caption(
            f"{len(people_names):,} people in {len(whole.departments)} departments: too many to draw one by one, "
            "so each circle is a department (sized by its people) and each arrow adds up the ties from one "
            "department to another. Click a department, or pick departments in the sidebar, to see its people."
            + (f" Counting the {shown_people:,} people and {shown_ties:,} ties that pass the filters."
               if shown_people != len(people_names) or shown_ties != every_tie else "") + as_of
        )
    else:
        G = _graph(name, kinds, controls["as_of"])
        blockers = ws.blocker_ids(kinds) if metrics is not None else []
        shown = filter_graph(G, departments=controls["departments"], stances=controls["stances"],
                             min_weight=controls["min_weight"], focus=controls["focus"],
                             hops=controls["hops"])
        passing = shown.number_of_nodes()
        shown = most_connected(G, shown, network_view.MAX_DRAWN,
                               keep=[v for v in (selected, controls["focus"], *matches) if v is not None])
        positions = state.positions(name, departments(shown))
        view = network_view.people_view(G, shown, positions=positions, color_by=controls["colour"],
                                        size_by=controls["size"], metrics=metrics, champions=champions or (),
                                        blockers=blockers, selected=selected, highlight=matches,
                                        top_weight=state.derived(name, workspace_views.overview_of,
                                                                 kinds_key(kinds)).max_weight, exposure=exposure)
        what = map_filters.shown_subject(**_filter_args(controls, people_names), quote=markdown_text)
        capped = (f" Of the {passing:,} people who pass the filters, the {network_view.MAX_DRAWN:,} with the most "
                  "ties are drawn: search, focus or narrow the filters to see anyone else."
                  if shown.number_of_nodes() < passing else "")
        drawn = (f"{shown.number_of_nodes():,} of {G.number_of_nodes():,} people and "
                 f"{map_filters.counted(*network_view.tie_counts(shown))}")
        summary = drawn
        head.caption(
            f"Showing {what}: {drawn}. Arrows point from who influences to who is influenced; thicker = stronger. "
            f"★ suggested champion, ◆ blocker; names of champions, blockers and the {network_view.TOP_LABELLED} "
            f"people of widest reach are written, everyone else's on hover or zoomed in. Click a person for "
            f"details (below the map).{capped}{as_of}"
        )
    if controls["search"]:
        if matches:
            st.sidebar.selectbox("Matches", matches, index=None, key=MAP_MATCH,
                                 format_func=people_names.get, on_change=_on_match,
                                 placeholder=f"{len(matches)} match(es): pick one to select")
        else:
            st.sidebar.caption("Nobody matches.")

    filters = map_filters.filter_phrases(**_filter_args(controls, people_names), as_of=controls["as_of"])
    summary += (f" · colour: {styles.measure_label(controls['colour'])}"
                + (f" · size: {styles.measure_label(controls['size'])}" if view["view"] == "people" else ""))
    made_on = date.today()
    drawing = st.container()
    with drawing:
        if failed:
            st.warning(failed)
        elif large and scoring:
            _wait_for_scores(name, kinds)
        exports = state.may(name, "read_private")   # a viewer's only export is the pseudonymised map (Data page)
        network_graph(view, key=MAP_GRAPH, on_select=_on_click, file_stem="stakeholder-map", title=name,
                      subtitle=f"Made on {made_on.isoformat()} · filters: "
                               f"{'; '.join(filters) if filters else 'none, everyone is shown'} · {summary}",
                      downloadable=exports)
    if exports:
        drawing.download_button(
            "Download print view (HTML)",
            data=lambda: map_export.standalone_html(view, heading=name, filters=filters, made_on=made_on,
                                                    summary=summary),
            file_name="stakeholder-map.html", mime="text/html", on_click="ignore",
            help="This view as one page to print or mail: title, date, the filters in force, the legend and "
                 "the drawing (A4 landscape). A single HTML file that works offline; for slides, use "
                 "Download PNG above the map (3x the screen's resolution).",
        )
    if selected is not None:
        G = G if G is not None else _graph(name, kinds, controls["as_of"])
        _person_panel(name, G, selected, metrics, champions or [])
    else:
        st.caption("Click a person on the map (or search for them) to see their profile, "
                   "scores, stance history and ties here.")
    if scoring and not large:
        with drawing, st.spinner("Scoring the network and finding champions…"):
            ws.prepare(kinds)
        st.rerun()
    elif scoring and not failed:
        state.prepare_in_background(name, kinds)  # last: the drawing above goes out first


def _filter_args(controls: dict, people_names: dict[str, str]) -> dict:
    """The filters in force, as :mod:`~stakeholder_map.presentation.map_filters` takes them."""
    focus = controls["focus"]
    return {"departments": controls["departments"], "stances": controls["stances"], "kinds": controls["kinds"],
            "min_weight": controls["min_weight"], "focus": people_names.get(focus, focus) if focus else None,
            "hops": controls["hops"]}


def _graph(name: str, kinds: list[str] | None, as_of: date | None):
    """The map's graph for drawing people (stances as of a date if given); a big map's may take a moment."""
    with st.spinner("Loading the people of this map…"):
        G = state.graph(name, kinds)
        return G if as_of is None else state.workspace(name).graph_as_of(as_of, kinds)


@st.fragment(run_every=1.5)
def _wait_for_scores(name: str, kinds: list[str] | None) -> None:
    """While a big map is scored in the background: say so, and redraw the page once it is done."""
    ws = state.workspace(name)
    if ws.prepared(kinds) or preparation.error(ws, kinds):
        st.rerun()
    st.caption("Scoring the network and finding champions in the background: the map is usable meanwhile; "
               "sizes by score, ★ champions and ◆ blockers appear when that is done.")


if __name__ == "__main__":  # Streamlit runs pages as __main__; importing one (doctests) does nothing
    with state.errors_shown():
        main()
