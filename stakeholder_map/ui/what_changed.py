"""The Map page's "What changed" view: the map as of one import, with what changed since another marked.

A part of the Map page (``ui/pages/map.py`` shows it instead of the usual map when
its sidebar toggle :data:`WHAT_CHANGED` is on). The user picks a version (default:
the latest) and the version to compare it with (default: the one before it); the
page draws that version's map with the changes marked
(:func:`~stakeholder_map.presentation.changes_view.changes_view`) and lists them:
who joined, who left, what changed per person, which ties appeared or went.
Everything shown comes from :meth:`Workspace.changes`, which holds no e-mail
addresses or notes, so a viewer sees the same.
"""

from __future__ import annotations

import streamlit as st

from stakeholder_map.presentation import changes_view, workspace_views
from stakeholder_map.ui import state
from stakeholder_map.ui.components import network_graph

__all__ = ["WHAT_CHANGED", "VERSION", "COMPARED_WITH", "GRAPH", "KEYS", "toggle", "show"]

# Widget keys of the view (forgotten with the Map page's other per-map keys).
WHAT_CHANGED = "map_what_changed"
VERSION = "map_changes_version"
COMPARED_WITH = "map_changes_from"
GRAPH = "map_changes_graph"
KEYS = (WHAT_CHANGED, VERSION, COMPARED_WITH)
#: The "compare with" choice of the first version: nothing before it.
NOTHING = 0


def toggle() -> bool:
    """The sidebar switch between the map and what changed; returns whether "What changed" is on."""
    return st.sidebar.toggle(
        "What changed", key=WHAT_CHANGED,
        help="Compare two imports of this map: the map as of one version, with who joined, who left, whose "
             "stance, role, department or seniority changed and which ties appeared or went.")


def _new_version() -> None:
    """Another version chosen: compare it with the one before it again."""
    st.session_state.pop(COMPARED_WITH, None)


def _pickers(choices: dict[int, str]) -> tuple[int, int | None]:
    side = st.sidebar
    side.subheader("Versions")
    if st.session_state.get(VERSION) not in choices:
        st.session_state[VERSION] = next(iter(choices))
    to = side.selectbox("Version", list(choices), key=VERSION, format_func=choices.get, on_change=_new_version,
                        help="The import to show (newest first); each import or re-import of the map is a version.")
    older = [v for v in choices if v < to] or [NOTHING]
    if st.session_state.get(COMPARED_WITH) not in older:
        st.session_state[COMPARED_WITH] = older[0]
    since = side.selectbox("Compared with", older, key=COMPARED_WITH,
                           format_func=lambda v: choices[v] if v != NOTHING else "nothing (the first import)",
                           help="What the chosen version is compared with: by default the import before it.")
    return int(to), (None if since == NOTHING else int(since))


def show(name: str) -> None:
    """Draw the "What changed" view of map ``name`` (the page's title is already written)."""
    ws = state.workspace(name)
    versions = ws.versions()
    if versions.empty:
        st.info("This map has no recorded imports yet: import its files on the Data page.")
        return
    choices = changes_view.version_choices(versions)
    to, since = _pickers(choices)
    if len(versions) == 1:
        st.info("This map has been imported once, so there is nothing to compare yet. Re-import it (Data page, "
                "tick Replace) when people, stances or ties change: each import is kept as a version.")
    changes = state.derived(name, workspace_views.changes_of, to, since)
    st.caption(changes_view.changes_headline(changes))  # numbers and dates only: no text from a file
    if changes.from_version is not None and changes.is_empty():
        return
    view = state.derived(name, workspace_views.changes_drawing_of, to, since)
    network_graph(view, key=GRAPH, file_stem=f"what-changed-v{to}", title=f"{name}: what changed",
                  subtitle=changes_view.changes_headline(changes), downloadable=state.may(name, "read_private"))
    st.caption("Colours: stance in this version. Green ring: joined; amber ring: changed (hover for what); "
               "grey dashed: left (where they were). Green tie: new; dashed red: gone; amber: weight or kind "
               "changed.")
    names = dict(zip(ws.people_at_version(to)["id"], ws.people_at_version(to)["name"]))
    if since is not None:
        names = {**dict(zip(ws.people_at_version(since)["id"], ws.people_at_version(since)["name"])), **names}
    tables = changes_view.changes_tables(changes, names)
    for key, title in changes_view.TABLE_TITLES.items():
        table = tables[key]
        if len(table):
            st.markdown(f"**{title}** ({len(table):,})")
            st.dataframe(table, hide_index=True, width="stretch")
