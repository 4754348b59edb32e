"""The This week page: the app's first page once the current map has touchpoints, each item linking to the
person (their profile on the Map), the department (its people on the Map) or its brief."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest
from tests.ui.ui_support import SMALL_MAP, XSS, run_page, store_of

from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.ui import state
from stakeholder_map.ui.pages import engagement as engagement_page
from stakeholder_map.ui.pages import home as home_page
from stakeholder_map.ui.pages import map as map_page

ROOT = Path(__file__).resolve().parents[2]


def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def with_touchpoints(db) -> None:
    """A touchpoint with Eve and a milestone Sales cannot reach."""
    store = store_of(db)
    store.log_engagement(SMALL_MAP, when=date.today() - timedelta(days=3), stakeholder_id="e", activity="1:1",
                         stance_after=-1, notes="Worried about cost")
    store.add_milestone(SMALL_MAP, due=date.today() + timedelta(days=30), target=1.0, department="Sales",
                        label=f"All of Sales {XSS}")


def test_without_touchpoints_the_map_is_the_first_page(db):
    at = app()
    assert at.title[0].value == "Map"


def test_with_touchpoints_this_week_is_the_first_page(db):
    with_touchpoints(db)
    at = app()
    assert at.title[0].value == "This week"
    subheaders = [h.value for h in at.subheader]
    assert any(h.startswith("Milestones at risk (1)") for h in subheaders), subheaders
    assert any(h.startswith("Next conversations") for h in subheaders)
    assert any(h.startswith("Rotation: no plan yet") for h in subheaders)   # no team given in this session


def test_the_page_says_what_to_do_when_a_section_is_empty(db):
    at = run_page("home")
    infos = " ".join(i.value for i in at.info)
    assert "No touchpoints are logged on this map yet" in infos
    assert "No milestones yet" in infos                      # what to do, not made-up content
    assert "No rotation plan yet" in " ".join(c.value for c in at.caption) + infos


def test_a_name_opens_the_profile_and_a_department_opens_its_people(db):
    with_touchpoints(db)
    at = app()
    people = [b for b in at.button if str(b.key).startswith(home_page.link_key("conversations", 0, "person"))]
    assert people, [b.key for b in at.button]
    before = {b.key: b.label for b in at.button}
    people[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Map"
    chosen = at.session_state[state.SELECTED]
    assert chosen[0] == SMALL_MAP and chosen[1] in "abcdef"
    assert "Clear selection" in [b.label for b in at.button]
    assert before[people[0].key]                             # the button was labelled with the name

    at = app()
    departments = [b for b in at.button if b.key == home_page.link_key("milestones", 0, "department")]
    assert departments and departments[0].label == "Sales"
    departments[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Map"
    assert at.session_state[map_page.MAP_DEPARTMENTS] == ["Sales"]


def test_hostile_labels_stay_text_and_briefs_are_offered(db):
    with_touchpoints(db)
    at = run_page("home")
    shown = " ".join(m.value for m in at.markdown)
    assert markdown_text(f"All of Sales {XSS}") in shown and XSS not in shown
    assert "Brief" in [d.proto.label for d in at.get("download_button")]


def test_a_team_given_on_the_engagement_page_gives_the_weeks_visits(db):
    with_touchpoints(db)
    team = "Ann Lee, IT\nBo Chen, HR\nCy Ode, Sales\n"
    at = run_page("home", **{engagement_page.ENG_TEAM_TEXT: team, engagement_page.ENG_VISITS: 13})
    # 13 visits a department in a quarter of 13 or 14 weeks: every department is visited this week.
    rotation = [h.value for h in at.subheader if h.value.startswith("Rotation visits this week")]
    assert rotation == ["Rotation visits this week (3)"]
    captions = " ".join(c.value for c in at.caption)
    assert "From the rotation plan of" in captions and "No rotation plan yet" not in captions
    shown = " ".join(m.value for m in at.markdown)
    assert "visits IT" in shown and "visits HR" in shown and "visits Sales" in shown


AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "Zq3v8LwK1pN6xR0sT5yU2bH9cJ4dF7gA",
        "client_id": "sm", "client_secret": "s", "server_metadata_url": "http://127.0.0.1:1/.well-known/x"}


def signed_in_home(email: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "stakeholder_map" / "ui" / "pages" / "home.py"), default_timeout=30)
    at.secrets["auth"] = AUTH
    at.user = {"email": email, "is_logged_in": True}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_viewer_gets_the_week_without_notes_or_brief_downloads(db):
    with_touchpoints(db)
    store = store_of(db)
    store.log_engagement(SMALL_MAP, when=date.today() - timedelta(days=1), stakeholder_id="f", activity="incident",
                         notes="Release overran by a month, nobody saw it coming")
    store.add_member("viewer@x.org", "viewer", SMALL_MAP, by="test")
    store.add_member("editor@x.org", "editor", SMALL_MAP, by="test")

    def shown(at: AppTest) -> str:
        return " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)

    editor = signed_in_home("editor@x.org")
    assert "nobody saw it coming" in shown(editor)              # the call to action's evidence: its note
    assert "Brief" in [d.proto.label for d in editor.get("download_button")]
    viewer = signed_in_home("viewer@x.org")
    assert viewer.title[0].value == "This week"
    assert "nobody saw it coming" not in shown(viewer)
    assert "Brief" not in [d.proto.label for d in viewer.get("download_button")]
    assert any(b.key == home_page.link_key("milestones", 0, "department") for b in viewer.button)
