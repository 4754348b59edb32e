"""Team mode's gate: nothing of any map before sign-in, and nothing for someone who is not a member.

``app.py`` calls :func:`gate` before anything else. Without ``[auth]`` in the secrets it returns the local
user (the single-user tool, unchanged). In team mode every page address shows, instead of the page:

* a refusal, when the configuration is unsafe (a missing or weak ``[auth] cookie_secret``, XSRF protection
  off; :mod:`stakeholder_map.team_config`): what to fix, and no data;
* the sign-in page (one button, ``st.login``), before sign-in;
* "ask an admin for access", for someone signed in who holds no role on any map, with their address and
  a sign-out button.

The exception: a survey respondent's personal link (``?token=…``) opens the survey page alone, before
sign-in (:func:`respondent_only`); that page checks the token and shows nothing but the survey.

Those pages are registered under every page's address (hidden from the menu), so a direct link to
``/champions`` or ``/data`` shows them too, and no component, table or download is ever drawn. The first
admins named in ``[stakeholder_map] admins`` are made admins of every map once per server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlparse

import streamlit as st

from stakeholder_map.access import Member
from stakeholder_map.errors import StakeholderMapError
from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.surveys import SURVEY_PATH
from stakeholder_map.team_config import TeamConfig
from stakeholder_map.ui import state

__all__ = ["gate", "account_sidebar", "administers", "runs_surveys", "respondent_link", "respondent_only",
           "FIRST_ADMINS_BY"]

#: Who the audit log names for the first admins added from the secrets.
FIRST_ADMINS_BY = "secrets.toml"
_SIGN_IN_KEY = "team_sign_in"
_SIGN_OUT_KEY = "team_sign_out"


@st.cache_resource(show_spinner=False)
def _first_admins_added(db: str, admins: tuple[str, ...]) -> tuple[str, ...]:
    """Make the configured first admins admins of every map (once per server, database and list)."""
    store = state.get_store()
    for email in admins:
        if store.role_of(email, None) != "admin":
            store.add_member(email, "admin", None, by=FIRST_ADMINS_BY)
    return admins


def _problems(config: TeamConfig) -> list[str]:
    problems = list(config.problems)
    if not st.get_option("server.enableXsrfProtection"):
        problems.append("server.enableXsrfProtection is off: team mode needs Streamlit's XSRF protection "
                        "(remove the setting, or set it to true, in .streamlit/config.toml).")
    return problems


def _provider_host(config: TeamConfig) -> str | None:
    auth = st.secrets.get("auth", {})
    section = auth.get(config.provider, {}) if config.provider else auth
    url = section.get("server_metadata_url") if hasattr(section, "get") else None
    return urlparse(str(url)).hostname if url else None


def _refusal(problems: list[str]) -> Callable[[], None]:
    def page() -> None:
        st.title("Team mode cannot start", anchor=False)
        st.error("The sign-in settings in secrets.toml are not safe to run with, so nothing is shown. "
                 "Fix them and restart the dashboard:\n\n" + "\n".join(f"- {markdown_text(p)}" for p in problems),
                 icon=":material/lock:")
        st.caption("The cookie secret signs everyone's sign-in cookie: whoever knows it can sign in as anybody. "
                   "Keep it out of the repository (secrets.toml is read from .streamlit/ or from the files "
                   "named by the secrets.files setting).")
    return page


def _sign_in(config: TeamConfig) -> Callable[[], None]:
    def page() -> None:
        st.title("Stakeholder Map", anchor=False)
        st.markdown("This dashboard holds your change team's stakeholder maps. **Sign in with your company "
                    "account** to see the maps you are a member of.")
        host = _provider_host(config)
        if st.button("Sign in", type="primary", icon=":material/login:", key=_SIGN_IN_KEY):
            if config.provider:
                st.login(config.provider)
            else:
                st.login()
        if host:
            st.caption(f"Signing in takes you to your organisation's identity provider ({markdown_text(host)}) "
                       "and back.")
    return page


def _no_access(email: str | None) -> Callable[[], None]:
    def page() -> None:
        st.title("Ask an admin for access", anchor=False)
        if email:
            st.markdown(f"You are signed in as **{markdown_text(email)}**, but you are not a member of any map "
                        "yet. Ask an admin of your change team to add you with this address (on the Admin "
                        "page, or with `stakeholder-map members add ADDRESS --role viewer --map MAP`).")
        else:
            st.markdown("You are signed in, but your identity provider did not send an e-mail address, and "
                        "members are known by their address. Ask an admin to check the sign-in settings "
                        "(the `email` scope).")
        if st.button("Sign out", icon=":material/logout:", key=_SIGN_OUT_KEY):
            st.logout()
    return page


def _show_instead(page: Callable[[], None], title: str, paths: Iterable[str]) -> None:
    """Run ``page`` under every page address (hidden from the menu), then stop the script."""
    paths = list(dict.fromkeys(paths))
    pages = [st.Page(page, title=title, url_path=path or None, default=not path) for path in paths]
    if "" not in paths:
        pages.insert(0, st.Page(page, title=title, default=True))
    st.navigation(pages, position="hidden").run()
    st.stop()


def respondent_link() -> bool:
    """Whether the address carries a survey token (a respondent's personal link, ``/survey?token=…``)."""
    return "token" in st.query_params


def respondent_only(page: Callable[[], None]) -> None:
    """The survey respondent's page alone, navigation hidden, then ``st.stop()``.

    The one page reachable without sign-in in team mode: it shows nothing but
    the survey, and only for a valid token (else an error); it never asks who
    is signed in.
    """
    pages = [st.Page(page, title="Survey", default=True), st.Page(page, title="Survey", url_path=SURVEY_PATH)]
    st.navigation(pages, position="hidden").run()
    st.stop()


def gate(paths: Iterable[str]) -> Member:
    """The session's member, or (in team mode, for whoever may not see the maps) a page that replaces
    every page at ``paths`` (the app's page addresses, ``""`` being the home page), then ``st.stop()``."""
    config = state.team_config()
    if not config.enabled:
        return state.member()
    problems = _problems(config)
    if problems:
        _show_instead(_refusal(problems), "Team mode cannot start", paths)
    if not st.user.get("is_logged_in"):
        _show_instead(_sign_in(config), "Sign in", paths)
    try:
        _first_admins_added(state.get_store().path, config.admins)
    except StakeholderMapError as error:
        _show_instead(_refusal([f"[stakeholder_map] admins: {error}"]), "Team mode cannot start", paths)
    member = state.member()
    if member.email is None or (member.role(None) is None and not member.maps()):
        _show_instead(_no_access(member.email), "Ask an admin for access", paths)
    return member


def administers(member: Member) -> bool:
    """Whether the Admin page is for them: team mode, and admin of every map or of one they read."""
    if member.local:
        return False
    return member.can(None, "members") or any(member.can(name, "members") for name in member.maps())


def runs_surveys(member: Member) -> bool:
    """Whether the Survey page is for them: someone who may import into a map (an admin), or the local user."""
    return member.local or any(member.can(name, "import") for name in member.maps())


def account_sidebar(member: Member, name: str | None) -> None:
    """Who is signed in, their role on the current map, and the sign-out button (team mode only)."""
    if member.local:
        return
    role = member.role(name) if name is not None else member.role(None)
    where = "on this map" if name is not None else "on every map"
    with st.sidebar:
        st.divider()
        st.caption(f"Signed in as **{markdown_text(member.email or '')}** · {role or 'no role'} {where}")
        if st.button("Sign out", icon=":material/logout:", key=_SIGN_OUT_KEY):
            st.logout()
