"""Workspace.windows: the windows of a stored map, and what a viewer's workspace shows of them."""

from __future__ import annotations

from datetime import date

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
