"""Simulate page: how adoption spreads, step by step and per department, from chosen people."""

from __future__ import annotations

import streamlit as st

from stakeholder_map.graph import departments, filter_graph, most_connected
from stakeholder_map.presentation import (
    adoption_view, analysis_tables, charts, commands, network_view, numbers, workspace_views,
)
from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.errors import StakeholderMapError
from stakeholder_map.ui import state
from stakeholder_map.ui.components import network_graph
from stakeholder_map.ui.pickers import person_picker
from stakeholder_map.workspace import SEED

_RUNS = (100, 250, 500, 1000, 2000, 5000)
_MAX_STEPS = 30
#: Curves drawn at first when a map has many departments (the whole organisation plus the largest).
_FIRST_CURVES = 10

# Widget keys of this page.
SIM_SEEDS = "simulate_seeds"
#: The people whose stance a what-if changes.
SIM_WHAT_IF = "simulate_what_if"
#: Prefix of the stance picked for each of them: f"{SIM_WHAT_IF_PREFIX}{id}".
SIM_WHAT_IF_PREFIX = "simulate_what_if:"
SIM_STEPS = "simulate_steps"
SIM_RUNS = "simulate_runs"
SIM_MODEL = "simulate_model"
SIM_P = "simulate_p"
SIM_STEP = "simulate_step"
SIM_SHARE = "simulate_share"
SIM_CURVES = "simulate_curves"
SIM_DEPARTMENTS = "simulate_departments"
SIM_GRAPH = "simulate_graph"
#: Widgets whose values belong to one map (people, departments); forgotten when the map changes.
PER_MAP_KEYS = (SIM_SEEDS, SIM_WHAT_IF, SIM_CURVES, SIM_DEPARTMENTS, SIM_STEP)


def _default(key: str, value) -> None:
    """Give a widget its first value through session state (never both a default and state)."""
    if key not in st.session_state:
        st.session_state[key] = value


def _settings(name: str, people_names: dict[str, str]) -> dict:
    """The sidebar's simulation settings; returns their values."""
    side = st.sidebar
    side.subheader("Simulation")
    _default(SIM_SEEDS, [i for i in state.current_champions(name) if i in people_names])
    values = {
        # On a big map these are searched first (see ``person_picker``): listing everyone costs seconds.
        "seeds": person_picker(
            side, "Start from", people_names, key=SIM_SEEDS, multi=True,
            placeholder="Pick people", help="The people convinced at step 0. At first: the champions of "
                                            "the Champions page."),
        "what_if": person_picker(
            side, "What if they had another stance?", people_names, key=SIM_WHAT_IF, multi=True,
            placeholder="Nobody changes",
            help="Simulate as if these people had the stance you pick for each below."),
    }
    overrides = {}
    for person in values["what_if"]:
        key = SIM_WHAT_IF_PREFIX + person
        _default(key, "supporter")
        overrides[person] = side.selectbox(f"Stance of {markdown_text(people_names[person])}",
                                           list(analysis_tables.STANCE_CHOICES), key=key)
    values["overrides"] = overrides
    _default(SIM_STEPS, 10)
    _default(SIM_RUNS, 1000)
    values["steps"] = side.slider("Steps", 1, _MAX_STEPS, key=SIM_STEPS,
                                  help="How many rounds of persuasion the curves show.")
    values["runs"] = side.select_slider("Runs", _RUNS, key=SIM_RUNS,
                                        help="Monte Carlo runs: more runs, narrower bands, longer wait.")
    values["model"] = side.selectbox("Diffusion model", list(analysis_tables.MODEL_LABELS), key=SIM_MODEL,
                                     format_func=analysis_tables.MODEL_LABELS.get)
    values["p"] = (side.slider("Tie probability p", 0.01, 1.0, 0.1, step=0.01, key=SIM_P)
                   if values["model"] == "ic" else 0.1)
    return values


def _curves_section(sim, sizes: dict[str, int], colours: dict[str, str], baseline=None) -> None:
    st.subheader("Adoption over time", anchor=False)
    options, first = analysis_tables.curve_choices(sizes, first=_FIRST_CURVES)
    _default(SIM_CURVES, first)
    _default(SIM_SHARE, True)
    pick, share_column = st.columns([4, 1])
    shown = pick.multiselect("Curves", options, key=SIM_CURVES,
                             help="\"All\" is the whole organisation.")
    share = share_column.toggle("As a share", key=SIM_SHARE,
                                help="Each department's adopters as a share of its people, so departments "
                                     "of different sizes compare.")
    step = st.session_state.get(SIM_STEP)
    if baseline is None:
        frame = analysis_tables.curves_frame(sim.curves, sizes, departments=shown, share=share)
    else:
        frame = analysis_tables.compare_curves_frame(sim.curves, baseline.curves, sizes, departments=shown,
                                                     share=share)
    st.vega_lite_chart(charts.adoption_curves_chart(frame, share=share, colours=colours, step=step),
                       width="stretch")
    st.caption("Lines: expected adopters (seeds included) after each step; bands: 95% confidence interval "
               "over the runs."
               + (" Solid: with the what-if; dashed: the same starting people without it." if baseline is not None
                  else "")
               + " Click a department in the legend to highlight it.")
    with st.expander("What is a step?"):
        st.markdown(analysis_tables.STEP_MEANING)


def _map_section(name: str, G, sim, sizes: dict[str, int]) -> None:
    st.subheader("Who is likely to have adopted", anchor=False)
    step = st.slider("At step", 0, sim.steps, key=SIM_STEP)
    shown = None
    overview = state.derived(name, workspace_views.overview_of)
    if G.number_of_nodes() > network_view.LARGE_MAP:
        _default(SIM_DEPARTMENTS, analysis_tables.departments_of(G, sim.seeds)[:3])
        chosen = st.multiselect("Departments to draw", overview.departments, key=SIM_DEPARTMENTS,
                                placeholder="Pick departments",
                                help="Large maps are drawn a few departments at a time.")
        shown = filter_graph(G, departments=chosen) if chosen else None
    drawing, table = st.columns([3, 2])
    with drawing:
        if G.number_of_nodes() > network_view.LARGE_MAP and shown is None:
            st.info(f"{G.number_of_nodes():,} people are too many to draw at once: pick departments to draw.")
        else:
            drawn = shown if shown is not None else G
            passing = drawn.number_of_nodes()
            drawn = most_connected(G, drawn, network_view.MAX_DRAWN, keep=sim.seeds)
            view = adoption_view.adoption_map(G, sim.probability_at(step),
                                             positions=state.positions(name, departments(drawn)),
                                             seeds=sim.seeds, step=step, shown=drawn,
                                             top_weight=overview.max_weight)
            network_graph(view, key=SIM_GRAPH, file_stem="stakeholder-map-adoption")
            st.caption("Darker = more likely to have adopted by this step; ★ the people who start. "
                       "Hover a person for their probability."
                       + (f" Of these departments' {passing:,} people, the {drawn.number_of_nodes():,} with the "
                          "most ties are drawn." if drawn.number_of_nodes() < passing else ""))
    with table:
        st.dataframe(analysis_tables.departments_at_step(sim.curves, sizes, step), hide_index=True, width="stretch",
                     column_config={"share": st.column_config.ProgressColumn(
                         "share", format="percent", min_value=0.0, max_value=1.0)})


def main() -> None:
    opened = state.open_analysis_page("Simulate", PER_MAP_KEYS, (SIM_WHAT_IF_PREFIX,))
    if opened is None:
        return
    name, G = opened
    settings = _settings(name, state.derived(name, workspace_views.labels_of))
    if not settings["seeds"]:
        st.info("Pick at least one person to start from in the sidebar (the Champions page suggests some).")
        return
    people_names = state.derived(name, workspace_views.labels_of)
    try:
        with st.spinner("Simulating…"):
            ws = state.workspace(name)
            run = dict(steps=settings["steps"], runs=settings["runs"], model=settings["model"], p=settings["p"])
            sim = ws.simulation(settings["seeds"], overrides=settings["overrides"], **run)
            # A what-if is read against its baseline: the same people, runs and seed without it.
            baseline = ws.simulation(settings["seeds"], **run) if settings["overrides"] else None
    except StakeholderMapError as error:
        st.error(markdown_text(str(error)))
        return
    st.markdown(f"**Starting from {len(sim.seeds)} {'person' if len(sim.seeds) == 1 else 'people'} (★ on the "
                f"map below):** " + markdown_text(analysis_tables.starting_people(G, sim.seeds)))
    total = sim.total
    adopters, interval, runs = st.columns(3)
    adopters.metric("Expected adopters", numbers.decimal(total.mean),
                    delta=(f"{total.mean - baseline.total.mean:+.1f} vs without the what-if"
                           if baseline is not None else None),
                    help=f"Expected number of people who adopt when the cascade has run its course, "
                         f"seeds included, out of {numbers.count(G.number_of_nodes())}.")
    interval.metric("95% interval", f"{numbers.decimal(total.ci_low)} – {numbers.decimal(total.ci_high)}")
    runs.metric("Runs · seed", f"{numbers.count(total.runs)} · {SEED}")
    if baseline is not None:
        changes = {people_names.get(p, p): stance for p, stance in settings["overrides"].items()}
        st.info(markdown_text(analysis_tables.what_if_text(total, baseline.total, changes)))
    st.code(commands.simulate_command(name, sim.seeds, steps=sim.steps, runs=sim.runs,
                                   overrides=settings["overrides"], model=settings["model"],
                                   p=settings["p"], seed=SEED), language="bash")
    # The step the map shows (marked on the curves too): at first the last one.
    if st.session_state.get(SIM_STEP, sim.steps) > sim.steps:
        st.session_state[SIM_STEP] = sim.steps
    _default(SIM_STEP, sim.steps)
    sizes = analysis_tables.department_sizes(G)
    _curves_section(sim, sizes, charts.department_colours(G), baseline)
    st.divider()
    _map_section(name, G, sim, sizes)


if __name__ == "__main__":  # Streamlit runs pages as __main__; importing one (doctests) does nothing
    with state.errors_shown():
        main()
