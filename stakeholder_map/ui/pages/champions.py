"""Champions page: the few people who together carry the change furthest, and where to start small."""

from __future__ import annotations

import math

import streamlit as st

from stakeholder_map import export
from stakeholder_map.graph import departments
from stakeholder_map.presentation import (
    analysis_tables, champion_cards, charts, commands, numbers, workspace_views,
)
from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.errors import InfeasibleChampions, StakeholderMapError
from stakeholder_map.ui import profiles, state
from stakeholder_map.ui.pickers import person_picker
from stakeholder_map.workspace import SEED

_MAX_K = 50
_MAX_MIN_PER_DEPARTMENT = 10
_CARDS_PER_ROW = 2

# Widget keys of this page.
CHAMP_K = "champions_k"
CHAMP_MODEL = "champions_model"
CHAMP_P = "champions_p"
CHAMP_OBJECTIVE = "champions_objective"
CHAMP_STANCES = "champions_stances"
CHAMP_MIN_DEPT = "champions_min_per_department"
CHAMP_PIN = "champions_pin"
CHAMP_EXCLUDE = "champions_exclude"
CHAMP_KINDS = "champions_kinds"
PILOT_SHARE = "pilot_share"
PILOT_DEPARTMENT = "pilot_department"
#: Prefix of the buttons that open a champion's profile: f"{CHAMP_PROFILE_PREFIX}{id}".
CHAMP_PROFILE_PREFIX = "champions_profile:"
#: Widgets whose values belong to one map (people, departments, kinds); forgotten when the map changes.
PER_MAP_KEYS = (CHAMP_PIN, CHAMP_EXCLUDE, CHAMP_KINDS, CHAMP_K, CHAMP_MIN_DEPT, PILOT_DEPARTMENT)


def _default(key: str, value) -> None:
    """Give a widget its first value through session state (never both a default and state)."""
    if key not in st.session_state:
        st.session_state[key] = value


def _settings(name: str, G, people_names: dict[str, str]) -> dict:
    """The sidebar's champion settings; returns their values."""
    side = st.sidebar
    side.subheader("Champion settings")
    top = max(1, min(G.number_of_nodes(), _MAX_K))
    _default(CHAMP_K, min(state.workspace(name).default_k(), top))
    _default(CHAMP_STANCES, list(analysis_tables.DEFAULT_ALLOWED_STANCES))
    values = {
        "k": int(side.number_input("How many champions (k)", min_value=1, max_value=top, step=1,
                                   key=CHAMP_K)),
        "model": side.selectbox("Diffusion model", list(analysis_tables.MODEL_LABELS), key=CHAMP_MODEL,
                                format_func=analysis_tables.MODEL_LABELS.get,
                                help="How an idea passes along a tie; see the Method page."),
    }
    values["p"] = (side.slider("Tie probability p", 0.01, 1.0, 0.1, step=0.01, key=CHAMP_P)
                   if values["model"] == "ic" else 0.1)
    values["objective"] = side.radio(
        "Count as success", list(analysis_tables.OBJECTIVE_LABELS), key=CHAMP_OBJECTIVE,
        format_func=analysis_tables.OBJECTIVE_LABELS.get,
        help="Maximise everyone who adopts, or only those not yet convinced "
             "(neutral, skeptic, resistant or unknown stance).")
    values["allowed"] = side.multiselect(
        "Who may be a champion", list(analysis_tables.STANCE_CHOICES), key=CHAMP_STANCES,
        help="Stances a champion may have. By default resistant and skeptic people are left out.")
    values["min_per_department"] = int(side.number_input(
        "At least this many per department", min_value=0, max_value=_MAX_MIN_PER_DEPARTMENT, value=0,
        step=1, key=CHAMP_MIN_DEPT))
    # On a big map these two are searched first (see ``person_picker``): listing everyone costs seconds.
    values["pin"] = person_picker(side, "Must be champions", people_names, key=CHAMP_PIN, multi=True,
                                  placeholder="Nobody pinned",
                                  help="People who are champions whatever the analysis says "
                                       "(they count toward k).")
    values["exclude"] = person_picker(side, "Never champions", people_names, key=CHAMP_EXCLUDE, multi=True,
                                      placeholder="Nobody excluded")
    kinds = state.workspace(name).tie_kinds()
    values["kinds"] = side.multiselect("Tie kinds", kinds, key=CHAMP_KINDS,
                                       placeholder="All kinds of tie") if kinds else []
    values["disallowed"] = analysis_tables.disallowed_stances(values["allowed"])
    return values


def _card(name: str, card: dict) -> None:
    """One champion in plain words; their name opens their profile on the Map."""
    with st.container(border=True):
        profiles.profile_button(f"{card['rank']}. {card['name']}", name, card["id"],
                                key=f"{CHAMP_PROFILE_PREFIX}{card['id']}", strong=True)
        st.caption(markdown_text(" · ".join(t for t in (card["role"], card["department"], card["stance"]) if t)))
        st.markdown(markdown_text(card["reason"]))
        if card["departments"]:
            st.markdown("**Expected adopters they reach, by department:** " + markdown_text(card["departments"]))
        if card["chains"]:
            st.markdown("**Influence chains to senior or central people:**\n"
                        + "\n".join(f"- {markdown_text(chain)}" for chain in card["chains"]))
        st.markdown("**Why them:** " + markdown_text(card["why"]))


def _cards(name: str, cards: list[dict]) -> None:
    st.caption("In the order they were picked: each adds the most people the ones above don't already reach. "
               "Click a name to open their profile on the Map.")
    for start in range(0, len(cards), _CARDS_PER_ROW):
        for card, column in zip(cards[start:start + _CARDS_PER_ROW], st.columns(_CARDS_PER_ROW)):
            with column:
                _card(name, card)


def _champions_section(name: str, G, settings: dict) -> None:
    with st.spinner("Choosing champions…"):
        result = state.workspace(name).champions(
            settings["k"], model=settings["model"], p=settings["p"], objective=settings["objective"],
            disallowed=settings["disallowed"], pin=settings["pin"], exclude=settings["exclude"],
            min_per_department=settings["min_per_department"], kinds=settings["kinds"] or None)
    state.set_current_champions(name, result.ids)
    if not result.champions:
        st.info("Nobody can be a champion with these settings (or, counting only the not-yet-convinced, "
                "everyone is already convinced). Allow more stances or change what counts.")
        return
    counted = "people" if settings["objective"] == "everyone" else "not-yet-convinced people"
    st.metric("Expected adopters", numbers.decimal(result.expected_spread),
              help=f"Expected number of {counted} who adopt, champions included, "
                   f"out of {numbers.count(result.target_size)}.")
    kind, verdict = champion_cards.lift_verdict(result, G)
    if verdict:
        getattr(st, kind)(markdown_text(verdict))
    _cards(name, champion_cards.champion_cards(result, G))

    with st.expander("Advanced: certified ratio, samples, seed and the command line"):
        ratio, samples, seed = st.columns(3)
        ratio.metric("Certified ratio", numbers.percent(result.certified_ratio),
                     help="With high probability the group reaches at least this share of the best possible "
                          "group's spread, measured on samples that took no part in choosing it (the "
                          f"guarantee is 1 − 1/e − ε = {numbers.percent(1 - 1 / math.e - result.epsilon)}).")
        samples.metric("Samples", numbers.count(result.samples),
                       help="Reverse-reachable samples drawn: to choose the group, to compare it with the "
                            "obvious candidates, and to report its spread.")
        seed.metric("Seed", str(SEED), help="The same seed gives the same champions.")
        st.caption(f"Picked by: {markdown_text(result.picked_by)} — the best of the candidate groups compared on "
                   "cascades none of them was built from (the Method page explains).")
        st.caption("The same result from the command line:")
        st.code(commands.champions_command(
            name, result.k, model=settings["model"], p=settings["p"], objective=settings["objective"],
            disallowed=settings["disallowed"], min_per_department=settings["min_per_department"],
            pin=settings["pin"], exclude=settings["exclude"], seed=SEED, kinds=settings["kinds"]),
            language="bash")
    with st.expander("The champions as a table"):
        table = analysis_tables.champion_table(result)
        st.dataframe(
            table, hide_index=True, width="stretch",
            column_config={
                "gain": st.column_config.NumberColumn(
                    "gain", format="%.1f", help="Expected extra adopters this person adds to those above."),
                "cumulative": st.column_config.NumberColumn("cumulative", format="%.1f",
                                                            help="Expected adopters of the group so far."),
                "reach": st.column_config.NumberColumn(
                    "reach", format="%.1f", help="Expected adopters this person reaches on their own."),
                "departments reached": st.column_config.TextColumn(
                    "departments reached", help="Expected adopters they reach on their own, by department."),
                "reason": st.column_config.TextColumn("reason", width="large"),
            },
        )
        if state.may(name, "read_private"):   # a viewer's only export is the pseudonymised map (Data page)
            st.download_button("Download CSV", data=export.frame_to_csv(table), file_name="champions.csv",
                               mime="text/csv", on_click="ignore", key="champions_csv",
                               help="The table above (text that a spreadsheet would run as a formula is quoted).")

    st.subheader("Compared with the obvious choices", anchor=False)
    st.vega_lite_chart(charts.lift_chart(analysis_tables.lift_frame(result)), width="stretch")
    st.caption(f"Expected adopters from {result.k} suggested champions and from the same number of people "
               "picked the obvious ways (the most senior / formally powerful, and those with the most ties), "
               "scored by the same model and samples.")


def _pilot_section(name: str, G, settings: dict) -> None:
    st.subheader("Start small", anchor=False)
    st.caption("The fewest champions expected to win over a share of the organisation or of one department, "
               "with the settings in the sidebar.")
    share_column, department_column = st.columns(2)
    share = share_column.slider("Target share", 5, 100, 30, step=5, format="%d%%", key=PILOT_SHARE)
    options = [analysis_tables.WHOLE_ORGANISATION] + departments(G)
    department = department_column.selectbox("Of", options, key=PILOT_DEPARTMENT)
    target = None if department == analysis_tables.WHOLE_ORGANISATION else department
    with st.spinner("Sizing the pilot…"):
        pilot = state.workspace(name).pilot(share / 100, department=target, model=settings["model"],
                                            p=settings["p"],
                            objective=settings["objective"], disallowed=settings["disallowed"],
                            kinds=settings["kinds"] or None)
    where = "the organisation" if target is None else markdown_text(target)
    if not pilot.ids:
        st.info("Nobody here can be a champion with these settings.")
    elif pilot.reached:
        st.success(f"**{len(pilot.ids)}** champion(s) are expected to win over {numbers.percent(pilot.share)} "
                   f"of {where} ({numbers.decimal(pilot.expected_spread)} of {numbers.count(pilot.target_size)} "
                   "people).")
    else:
        st.warning(f"Even {len(pilot.ids)} champions reach only {numbers.percent(pilot.share)} of {where} "
                   f"({numbers.decimal(pilot.expected_spread)} of {numbers.count(pilot.target_size)} people), "
                   f"short of {share}%.")
    if pilot.ids:
        st.dataframe(analysis_tables.pilot_table(pilot, G), hide_index=True, width="stretch",
                     column_config={"share": st.column_config.ProgressColumn(
                         "share", format="percent", min_value=0.0, max_value=1.0)})

    st.subheader("Best departments to start in", anchor=False)
    st.caption("The three best champions inside each department, and how many people they are expected to "
               "win over inside it and beyond it. Start where the idea travels furthest.")
    ranking = state.workspace(name).pilot_departments(model=settings["model"], p=settings["p"],
                                      disallowed=settings["disallowed"], kinds=settings["kinds"] or None)
    st.dataframe(analysis_tables.pilot_departments_table(ranking, G), hide_index=True, width="stretch")


def _set(key: str, value) -> None:
    st.session_state[key] = value


def _infeasible(error: InfeasibleChampions, top: int) -> None:
    """Say in a full sentence why the constraints cannot all hold, and offer the fixes that need one click."""
    st.warning(markdown_text(str(error)))
    fixes = []
    if error.reason == "department_minimum" and error.needed and error.needed <= top:
        fixes.append((f"Set k to {error.needed}", CHAMP_K, int(error.needed)))
    if error.feasible_min_per_department is not None:
        fixes.append((f"Lower to {error.feasible_min_per_department} per department", CHAMP_MIN_DEPT,
                      int(error.feasible_min_per_department)))
    for column, (label, key, value) in zip(st.columns(max(len(fixes), 1)), fixes):
        column.button(label, on_click=_set, args=(key, value), key=f"champions_fix:{key}")


def main() -> None:
    opened = state.open_analysis_page("Champions", PER_MAP_KEYS)
    if opened is None:
        return
    name, G = opened
    st.caption("The people who together are expected to carry the change to the most others, under the "
               "diffusion model of the Method page, and why each was picked. The Simulate page starts from "
               "them.")
    settings = _settings(name, G, state.derived(name, workspace_views.labels_of))
    try:
        _champions_section(name, G, settings)
    except InfeasibleChampions as error:
        _infeasible(error, min(G.number_of_nodes(), _MAX_K))
    except StakeholderMapError as error:
        st.error(markdown_text(str(error)))
    st.divider()
    try:
        _pilot_section(name, G, settings)
    except StakeholderMapError as error:
        st.error(markdown_text(str(error)))


if __name__ == "__main__":  # Streamlit runs pages as __main__; importing one (doctests) does nothing
    with state.errors_shown():
        main()
