"""A viewer's workspace: no e-mails, notes or touchpoint text anywhere, and the same figures."""

from __future__ import annotations

from datetime import date

from stakeholder_map import demo
from stakeholder_map import schema as s
from stakeholder_map.presentation import tracking_tables
from stakeholder_map.presentation.network_view import person_details
from stakeholder_map.store import Store
from stakeholder_map.presentation.workspace_views import brief_of
from stakeholder_map.workspace import Workspace

import pytest


@pytest.fixture(scope="module")
def store():
    with Store(":memory:") as opened:
        demo.load_demo(opened)
        yield opened


def _texts(frame) -> str:
    return " ".join(str(v) for v in frame.astype(str).to_numpy().ravel())


def test_a_redacted_workspace_has_no_private_text_and_the_same_figures(store):
    full = Workspace(store, demo.DEMO_MAP)
    viewer = Workspace(store, demo.DEMO_MAP, redacted=True)
    people, events = full.people(), full.engagements()
    assert people[s.EMAIL].notna().any() and people[s.NOTES].notna().any() and events[s.NOTES].notna().any()
    assert viewer.people()[s.EMAIL].isna().all() and viewer.people()[s.NOTES].isna().all()
    assert viewer.engagements()[s.NOTES].isna().all()
    assert set(viewer.engagements()[s.ACTIVITY]) <= {"touchpoint", "assessment"}
    assert viewer.engagement_changes().empty
    # Nothing a page draws from it shows a note or an address.
    table = tracking_tables.engagement_table(viewer.engagements(), viewer.people())
    someone = str(people[s.ID].iloc[0])
    department = str(people[s.DEPARTMENT].iloc[0])
    assert any(note[:40] in brief_of(full, department, "2026-12-01") for note in people[s.NOTES].dropna())
    for text in (_texts(table), str(person_details(viewer.graph(), someone)),
                 brief_of(viewer, department, "2026-12-01")):
        assert "@example.com" not in text
        assert not any(note in text for note in people[s.NOTES].dropna().head(20))
        assert not any(note in text for note in events[s.NOTES].dropna().head(20))
    # Same analyses.
    assert viewer.champion_ids() == full.champion_ids()
    today = date(2026, 12, 1)
    assert viewer.movers(date(2026, 9, 1), today).equals(full.movers(date(2026, 9, 1), today))
    assert viewer.stance_mix(today).equals(full.stance_mix(today))


def test_a_viewers_pseudonymised_export_has_no_touchpoint_text(store):
    from stakeholder_map import export, privacy

    full = export.pseudonymised_export(store, demo.DEMO_MAP, salt="same-salt-1")["engagements.csv"].decode()
    viewer = export.pseudonymised_export(store, demo.DEMO_MAP, salt="same-salt-1",
                                         activities=privacy.redact_activities)["engagements.csv"].decode()
    assert len(full.splitlines()) == len(viewer.splitlines())
    activities = {line.split(",")[2] for line in viewer.splitlines()[1:]}
    assert activities == {"touchpoint", "assessment"}
    assert {line.split(",")[2] for line in full.splitlines()[1:]} - activities, "the demo has other activities"
