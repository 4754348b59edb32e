"""The "What changed" drawing and tables (presentation/changes_view.py)."""

from __future__ import annotations

import pandas as pd
from tests.test_versions import twice

from stakeholder_map.presentation import changes_view as cv
from stakeholder_map.presentation import workspace_views
from stakeholder_map.workspace import Workspace


def drawn(store):
    twice(store)
    ws = Workspace(store, "M")
    return ws, workspace_views.changes_drawing_of(ws)


def test_the_drawing_marks_joined_changed_left_and_the_ties(store):
    ws, view = drawn(store)
    nodes = {n["id"]: n for n in view["nodes"]}
    assert set(nodes) == {"a", "b", "c", "d", "n", "r"}           # Rex drawn as a ghost where he was
    assert nodes["n"]["color"]["border"] == cv.JOINED_COLOUR and nodes["n"]["label"] == "Nia Novak (new)"
    assert nodes["r"]["color"]["background"] == cv.LEFT_COLOUR and nodes["r"]["label"] == "Rex Ward (left)"
    assert nodes["r"]["shapeProperties"]["borderDashes"]
    for v in "bcd":
        assert nodes[v]["color"]["border"] == cv.CHANGED_COLOUR and "Changed: stance:" in nodes[v]["title"]
    assert "skeptic → neutral" in nodes["b"]["title"]
    assert isinstance(nodes["a"]["color"], str) and nodes["a"]["borderWidth"] == 1     # unchanged: plain
    edges = {(e["from"], e["to"]): e for e in view["edges"]}
    assert edges[("n", "b")]["color"]["color"] == cv.ADDED_TIE_COLOUR and edges[("n", "b")]["dashes"] is False
    assert edges[("r", "b")]["color"]["color"] == cv.REMOVED_TIE_COLOUR and edges[("r", "b")]["dashes"]
    assert edges[("a", "b")]["dashes"] is False and edges[("a", "b")]["color"]["opacity"] < 0.5
    labels = [(item["kind"], item["label"]) for item in view["legend"]]
    assert ("selected", "joined") in labels and ("selected", "left") in labels
    assert ("line", "tie added") in labels and ("line", "tie removed") in labels
    assert set(view["pinned"]) >= {"n", "r", "b", "c", "d"}
    # positions: the same every time (seeded), and a different comparison re-fits the view
    assert workspace_views.changes_drawing_of(Workspace(store, "M"))["nodes"] == view["nodes"]
    assert workspace_views.changes_drawing_of(ws, 1)["key"] != view["key"]


def test_a_pair_tied_before_and_after_with_another_weight_is_changed(store):
    people = "id,name\na,A\nb,B\n"
    from stakeholder_map.ingest import read_map
    from tests.support import csv
    store.import_map("W", read_map(csv(people), csv("source,target,weight\na,b,1\n")))
    store.import_map("W", read_map(csv(people), csv("source,target,weight\na,b,3\n")), replace=True)
    ws = Workspace(store, "W")
    view = workspace_views.changes_drawing_of(ws)
    assert view["edges"][0]["color"]["color"] == cv.CHANGED_TIE_COLOUR
    tables = cv.changes_tables(ws.changes(), {"a": "A", "b": "B"})
    assert tables["ties_added"].values.tolist() == [["A", "B", "", 3.0]]
    assert tables["ties_removed"].values.tolist() == [["A", "B", "", 1.0]]


def test_headline_of_nothing_changed_and_of_the_first_version(store):
    ws, _ = drawn(store)
    assert cv.changes_headline(ws.changes(from_version=2, to_version=2)).endswith("nothing changed.")
    first = cv.changes_headline(ws.changes(to_version=1))
    assert "the first import (everyone joined): 5 joined, 0 left, 6 ties added." in first


def test_tables_and_payload_hold_no_private_text(store):
    ws, view = drawn(store)
    changes = ws.changes()
    text = repr({k: t.to_dict("records") for k, t in cv.changes_tables(changes).items()})
    text += repr(cv.changes_payload(changes)) + repr(view)
    for secret in ("example.org", "REXSECRETNOTE", "Knows the CFO", "Wary"):
        assert secret not in text


def test_values_read_as_words():
    assert cv.value_text("stance", 2) == "champion" and cv.value_text("interest", None) == "unknown"
    assert cv.field_label("attribute:Site") == "Site" and cv.field_label("influence") == "formal influence"
    versions = pd.DataFrame({"version": [1, 2], "imported_at": pd.to_datetime(["2026-01-05", "2026-02-05"]),
                             "imported_by": [None, "ed@x.org"], "people": [1, 2], "ties": [0, 3]})
    assert list(cv.version_choices(versions).values()) == [
        "Version 2 · 2026-02-05 00:00 · by ed@x.org · 2 people, 3 ties (latest)",
        "Version 1 · 2026-01-05 00:00 · 1 person, 0 ties"]
