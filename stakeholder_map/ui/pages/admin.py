"""Admin page (team mode, admins only): who is a member with which role, and the audit log.

An admin of every map manages every map's members and reads the whole log; an admin of one map, that
map's. Every change goes through the session's :class:`~stakeholder_map.access.Member`, which checks the
role where the write happens (the page's buttons are a convenience, not the check) and records the change
in the audit log.
"""

from __future__ import annotations

import streamlit as st

from stakeholder_map import export
from stakeholder_map.access import ROLES
from stakeholder_map.errors import StakeholderMapError
from stakeholder_map.presentation import team_tables
from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.ui import state

# Widget keys of this page.
ADMIN_ADD_FORM = "admin_add_form"
ADMIN_EMAIL = "admin_email"
ADMIN_ROLE = "admin_role"
ADMIN_SCOPE = "admin_scope"
ADMIN_REMOVE = "admin_remove"
ADMIN_CONFIRM = "admin_confirm_remove"
#: A message to show once after a change: (kind, text).
ADMIN_MESSAGE = "admin_message"
#: How the scope picker names the rows of every map.
_EVERY_MAP = team_tables.ALL_MAPS_LABEL
_ROLE_HELP = ("viewer: reads the map and the analyses, without notes, e-mail addresses or touchpoint text. "
              "editor: also logs and edits touchpoints, milestones and rotation plans. "
              "admin: also imports, replaces, erases, exports and manages members.")


def _scope(choice: str | None) -> str | None:
    """The map a scope choice names (None: every map)."""
    return None if choice in (None, _EVERY_MAP) else choice


def _add() -> None:
    """The add form was submitted: give the address its role (checked by the member)."""
    email = (st.session_state.get(ADMIN_EMAIL) or "").strip()
    role = st.session_state.get(ADMIN_ROLE) or "viewer"
    where = _scope(st.session_state.get(ADMIN_SCOPE))
    try:
        state.member().add_member(email, role, where)
    except StakeholderMapError as error:
        st.session_state[ADMIN_MESSAGE] = ("error", markdown_text(str(error)))
        return
    st.session_state[ADMIN_EMAIL] = ""
    st.session_state[ADMIN_MESSAGE] = ("success", f"{markdown_text(email.lower())} is now {role} on "
                                                  f"{markdown_text(where) if where else 'every map'}.")


def _remove() -> None:
    """The remove button was pressed: take the picked role away (checked by the member)."""
    picked = st.session_state.get(ADMIN_REMOVE)
    if not picked or not st.session_state.get(ADMIN_CONFIRM):
        return
    email, where = picked
    try:
        state.member().remove_member(email, None if where == team_tables.EVERY_MAP else where)
    except StakeholderMapError as error:
        st.session_state[ADMIN_MESSAGE] = ("error", markdown_text(str(error)))
        return
    st.session_state[ADMIN_REMOVE] = None
    st.session_state[ADMIN_CONFIRM] = False
    st.session_state[ADMIN_MESSAGE] = ("success", f"Removed {markdown_text(email)}'s role on "
                                                  f"{'every map' if where == team_tables.EVERY_MAP else markdown_text(where)}.")


def _members(name: str | None, everywhere: bool) -> None:
    st.subheader("Members", anchor=False)
    st.caption(_ROLE_HELP + " A role on one map wins over a role on every map.")
    store = state.get_store()
    members = store.members(None if everywhere else name)
    message = st.session_state.pop(ADMIN_MESSAGE, None)
    if message:
        state.show_message(*message)
    st.dataframe(team_tables.member_table(members), hide_index=True, width="stretch")
    # The current map first: a role on every map (present and future) is the wider grant, chosen on purpose.
    scopes = ([name] if name is not None else []) + ([_EVERY_MAP] if everywhere else [])
    add, remove = st.columns([3, 2])
    with add, st.form(ADMIN_ADD_FORM):
        st.markdown("**Add a member or change a role**")
        st.text_input("E-mail address", key=ADMIN_EMAIL, max_chars=254, placeholder="name@example.org",
                      help="The address they sign in with (compared without regard to case).")
        role, scope = st.columns(2)
        role.selectbox("Role", list(ROLES), key=ADMIN_ROLE, help=_ROLE_HELP)
        scope.selectbox("On", scopes, key=ADMIN_SCOPE, help="One map (the current one), or every map.")
        st.form_submit_button("Add member", type="primary", on_click=_add)
    with remove:
        st.markdown("**Remove a role**")
        choices = team_tables.member_choices(members)
        if not everywhere:
            choices = {k: v for k, v in choices.items() if k[1] == name}
        if st.session_state.get(ADMIN_REMOVE) not in choices:
            st.session_state[ADMIN_REMOVE] = None
        picked = st.selectbox("Member", list(choices), index=None, key=ADMIN_REMOVE, format_func=choices.get,
                              placeholder="Pick a member")
        sure = st.checkbox("Yes, remove this role", key=ADMIN_CONFIRM)
        st.button("Remove", disabled=picked is None or not sure, on_click=_remove)


def _audit(name: str | None, everywhere: bool) -> None:
    st.subheader("Audit log", anchor=False)
    member = state.member()
    member.require(None if everywhere else name, "audit")
    log = state.get_store().audit_log(None if everywhere else name)
    table = team_tables.audit_table(log)
    st.caption(("Everything done on every map" if everywhere else f"Everything done on {markdown_text(name)}")
               + ", newest first: touchpoints logged, edited and deleted, milestones, imports, erasures, maps "
                 "and membership changes, with who did it and when.")
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"detail": st.column_config.TextColumn("detail", width="large")})
    st.download_button("Download the audit log (CSV)", data=export.frame_to_csv(table), mime="text/csv",
                       file_name=export.safe_filename("every-map" if everywhere else name, suffix="-audit-log.csv"),
                       on_click="ignore", key="admin_audit_csv",
                       help="Text a spreadsheet would run as a formula is quoted.")


def main() -> None:
    st.title("Admin", anchor=False)
    member = state.member()
    name = state.current_map()
    everywhere = member.can(None, "members")
    if not everywhere and (name is None or not member.can(name, "members")):
        st.error("This page is for admins. Your role does not allow managing members here.")
        return
    st.caption(f"Signed in as {markdown_text(member.actor)}: admin "
               + ("of every map." if everywhere else f"of {markdown_text(name)}."))
    _members(name, everywhere)
    st.divider()
    _audit(name, everywhere)


if __name__ == "__main__":  # Streamlit runs pages as __main__; importing one (doctests) does nothing
    with state.errors_shown():
        main()
