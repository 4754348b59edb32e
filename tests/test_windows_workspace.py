"""Workspace.windows: the windows of a stored map, and what a viewer's workspace shows of them."""

from __future__ import annotations

from datetime import date, timedelta

from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store
from stakeholder_map.workspace import Workspace

from .support import csv

PEOPLE = """id,name,department,stance
1,Ann Lee,Operations,skeptic
2,Bo Hart,Operations,skeptic
3,Cy Park,IT,neutral
"""
TIES = "source,target\n1,2\n2,3\n"
ENGAGEMENTS = """date,stakeholder_id,activity,stance_after,notes
2026-11-10,1,1:1,supporter,Saw the demo
2026-11-12,2,workshop,neutral,
2026-11-20,3,Incident,,Project overran: no tracking
2026-11-21,3,lunch,,Private chat about her manager
"""


def stored() -> Store:
    store = Store(":memory:")
    store.import_map("Org", read_map(csv(PEOPLE), csv(TIES), csv(ENGAGEMENTS)), today=date(2026, 10, 1))
    return store


def test_windows_of_a_stored_map():
    ws = Workspace(stored(), "Org")
    found = ws.windows(as_of="2026-12-01", weeks=6)
    assert [(w.kind, w.department) for w in found] == [("department_warming", "Operations"),
                                                       ("call_to_action", "IT")]
    call = found[1]
    assert call.evidence == "2026-11-20 incident logged against Cy Park: Project overran: no tracking."
    assert ws.windows(as_of=date(2026, 12, 1), weeks=6) is found  # computed once per key
    assert [w.kind for w in ws.windows(as_of="2026-11-15", weeks=6)] == ["department_warming"]


def test_a_viewer_sees_the_call_to_action_but_no_notes():
    store = stored()
    viewer = Workspace(store, "Org", redacted=True)
    found = viewer.windows(as_of="2026-12-01", weeks=6)
    (call,) = [w for w in found if w.kind == "call_to_action"]
    assert call.evidence == "2026-11-20 incident logged against Cy Park."
    text = " ".join(f"{w.title} {w.evidence} {w.action}" for w in found)
    for private in ("overran", "Saw the demo", "Private chat", "lunch"):
        assert private not in text


# ---------------------------------------------------------------- the test: a map imported twice

def stakeholders_csv(people) -> str:
    """The fixture's people as a stakeholders file (stances as words)."""
    from stakeholder_map.schema import stance_label

    frame = people.assign(stance=[stance_label(v) for v in people["stance"]])
    return frame.to_csv(index=False)


V1_TIES = "source,target\n1,2\n2,3\n2,4\n2,5\n5,6\n5,7\n5,8\n1,9\n9,10\n"
V2_TIES = "source,target\n1,11\n11,3\n11,4\n5,6\n5,7\n5,8\n1,9\n9,10\n1,5\n"


def test_a_map_imported_twice_reports_exactly_its_windows():
    """The fixture of ``test_windows`` through the store: Kim joins (senior, supporter), Bo (a resistant
    Finance Director, the hub of Finance's ties) leaves, and three Operations stances move up. Both imports
    are today, so the period compares version 1 with version 2 and the stance history moves today."""
    from tests.test_windows import V1, V2

    store = Store(":memory:")
    store.import_map("Org", read_map(csv(stakeholders_csv(V1)), csv(V1_TIES)))
    store.import_map("Org", read_map(csv(stakeholders_csv(V2)), csv(V2_TIES)), replace=True)
    ws = Workspace(store, "Org")
    found = ws.windows()
    assert [(w.kind, w.person_id, w.department) for w in found] == [
        ("new_key_person", "11", "Finance"),
        ("blocker_gone", "2", "Finance"),
        ("department_warming", None, "Operations"),
    ]
    today = date.today()
    assert all(w.since == today for w in found)
    kim, bo, ops = found
    assert "joined the map in version 2" in kim.evidence and "seniority 4 of 5; influence 4 of 5" in kim.evidence
    assert "blocker by network position" in bo.evidence  # Bo was a blocker on version 1's map too
    assert ops.title == "Operations is warming: 3 of 4 people moved towards support"
    # a viewer sees the same windows (nothing here comes from notes)
    assert Workspace(store, "Org", redacted=True).windows() == found
    # a third import with no change: the period still compares version 1 with the latest
    store.import_map("Org", read_map(csv(stakeholders_csv(V2)), csv(V2_TIES)), replace=True)
    assert [w.kind for w in Workspace(store, "Org").windows()] == [w.kind for w in found]


def test_only_required_columns_imported_twice_give_no_windows():
    store = Store(":memory:")
    store.import_map("Org", read_map(csv("id,name\n1,A\n2,B\n3,C\n"), csv("source,target\n2,1\n2,3\n")))
    store.import_map("Org", read_map(csv("id,name\n1,A\n3,C\n4,D\n"), csv("source,target\n4,1\n4,3\n1,3\n")),
                     replace=True)
    ws = Workspace(store, "Org")
    assert len(ws.versions()) == 2 and not ws.changes().is_empty()
    assert ws.windows() == []


def test_an_old_version_is_no_news():
    """Versions imported before the period: nothing is compared, whatever changed then."""
    from tests.test_windows import V1, V2

    store = Store(":memory:")
    store.import_map("Org", read_map(csv(stakeholders_csv(V1)), csv(V1_TIES)))
    store.import_map("Org", read_map(csv(stakeholders_csv(V2)), csv(V2_TIES)), replace=True)
    ws = Workspace(store, "Org")
    assert ws._window_changes(date.today(), 6).to_version == 2
    assert ws.windows(as_of=date.today() - timedelta(days=1)) == []  # before both imports
