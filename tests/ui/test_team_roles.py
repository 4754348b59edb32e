"""Roles in the pages (team mode): the check happens where the write happens, not by hiding buttons.

Each page runs with ``[auth]`` in its secrets and a signed-in user given through AppTest's own ``at.user``
(Streamlit's test API for ``st.user``; nothing is patched). A viewer whose session holds the log form's
values, as if the hidden form had been submitted, calls the page's own write callback: the member refuses
it with a clear message and the store is unchanged. The same crafted call by an editor does write, so the
refusal is the role's doing.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.ui_support import SMALL_MAP, page, store_of

from stakeholder_map.ui.pages import data as data_page
from stakeholder_map.ui.pages import engagement as engagement_page

AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "Zq3v8LwK1pN6xR0sT5yU2bH9cJ4dF7gA",
        "client_id": "sm", "client_secret": "s", "server_metadata_url": "http://127.0.0.1:1/.well-known/x"}
ADMIN, EDITOR, VIEWER = "admin@x.org", "editor@x.org", "viewer@x.org"
CRAFTED = "Crafted note that must never be stored"


@pytest.fixture
def team(db):
    store = store_of(db)
    store.add_member(ADMIN, "admin", by="test")
    store.add_member(EDITOR, "editor", SMALL_MAP, by="test")
    store.add_member(VIEWER, "viewer", SMALL_MAP, by="test")
    return store


def signed_in(at: AppTest, email: str, **preset) -> AppTest:
    at.secrets["auth"] = AUTH
    at.user = {"email": email, "is_logged_in": True}
    for key, value in preset.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _crafted_log() -> None:
    """The log form's callback, called with whatever the session holds (as a submitted form would)."""
    from stakeholder_map.ui import state
    from stakeholder_map.ui.pages import engagement

    engagement._log(state.current_map(), {})
    engagement.main()


def _crafted_erase() -> None:
    from stakeholder_map.ui import state
    from stakeholder_map.ui.pages import data

    data._erase(state.current_map(), {})
    data.main()


def crafted(script, email: str, **preset) -> AppTest:
    """Run the page once (as the person opened it), then again with the crafted values in the session."""
    at = signed_in(AppTest.from_function(script, default_timeout=30), email)
    for key, value in preset.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def errors(at: AppTest) -> str:
    """The page's error messages as read (without the Markdown escapes)."""
    return " ".join(e.value for e in at.error).replace("\\", "")


def test_a_viewers_crafted_touchpoint_is_refused_and_nothing_is_stored(team):
    before = len(team.engagements(SMALL_MAP))
    at = crafted(_crafted_log, VIEWER, **{engagement_page.ENG_LOG_PERSON: "a", engagement_page.ENG_LOG_NOTES: CRAFTED})
    assert "viewer@x.org may not log a touchpoint" in errors(at) and "it needs editor" in errors(at)
    assert len(team.engagements(SMALL_MAP)) == before
    assert not team.audit_log(SMALL_MAP)["action"].str.contains("engagement").any()


def test_the_same_crafted_call_by_an_editor_is_stored_as_theirs(team):
    before = len(team.engagements(SMALL_MAP))
    at = crafted(_crafted_log, EDITOR, **{engagement_page.ENG_LOG_PERSON: "a", engagement_page.ENG_LOG_NOTES: CRAFTED})
    assert not at.error
    events = team.engagements(SMALL_MAP)
    assert len(events) == before + 1 and events["logged_by"].iloc[-1] == EDITOR


def test_an_editors_crafted_erasure_is_refused(team):
    at = crafted(_crafted_erase, EDITOR, **{data_page._ERASE_PERSON: "a", data_page._CONFIRM_ERASE: True})
    assert "editor@x.org may not erase a person" in errors(at)
    assert "a" in set(team.people(SMALL_MAP)["id"])


def test_a_viewer_reads_the_engagement_page_without_text_forms_or_downloads(team):
    team.log_engagement(SMALL_MAP, when=__import__("datetime").date(2026, 1, 5), stakeholder_id="a",
                        activity="Lunch with the CIO", notes="Private: worried about the budget", by=EDITOR)
    at = signed_in(page("engagement"), VIEWER)
    assert not [b for b in at.button if b.label in ("Log touchpoint", "Add milestone", "Delete milestone")]
    assert not at.get("download_button")
    shown = " ".join(df.value.astype(str).to_string() for df in at.dataframe)
    assert "worried about the budget" not in shown and "Lunch with the CIO" not in shown and EDITOR not in shown
    # The editor sees the same touchpoint with its text and who logged it.
    at = signed_in(page("engagement"), EDITOR)
    shown = " ".join(df.value.astype(str).to_string() for df in at.dataframe)
    assert "worried about the budget" in shown and EDITOR in shown
    assert [b for b in at.button if b.label == "Log touchpoint"]


def test_a_viewers_data_page_offers_only_the_pseudonymised_export(team):
    at = signed_in(page("data"), VIEWER)
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Download pseudonymised export (.zip)"]
    assert not [b for b in at.button if b.label in ("Import", "Create map", "Erase", "Delete map")]


def test_the_admin_page_refuses_a_non_admin_and_serves_an_admin(team):
    at = signed_in(page("admin"), EDITOR)
    assert "This page is for admins" in errors(at)
    assert not at.dataframe
    at = signed_in(page("admin"), ADMIN)
    assert not at.error
    at.text_input(key="admin_email").set_value("new@x.org")
    at.selectbox(key="admin_role").set_value("editor")
    at.selectbox(key="admin_scope").set_value(SMALL_MAP)
    next(b for b in at.button if b.label == "Add member").click()
    at.run()
    assert team.role_of("new@x.org", SMALL_MAP) == "editor"
    log = team.audit_log()
    assert ((log["action"] == "add_member") & (log["actor"] == ADMIN) & (log["subject"] == "new@x.org")).any()


def test_the_map_chooser_offers_only_readable_maps(team):
    team.create_map("Secret map", by="test")
    at = signed_in(page("data"), VIEWER)
    listed = " ".join(df.value.astype(str).to_string() for df in at.dataframe)
    assert SMALL_MAP in listed and "Secret map" not in listed
    at = signed_in(page("data"), ADMIN)
    listed = " ".join(df.value.astype(str).to_string() for df in at.dataframe)
    assert "Secret map" in listed
