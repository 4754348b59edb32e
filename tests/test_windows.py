"""Windows of opportunity (issue 15 item 2): the pure function on hand-built versions.

The fixture (``V1`` then ``V2``, the issue's "test map imported twice"):

- Kim Osei joins Finance in V2 as Finance Director, seniority 4, influence 4, supporter: a
  new key person (high formal influence, open stance).
- Bo Hart, Finance Director, resistant, seniority 4 / influence 4 and the hub of Finance's ties,
  is gone in V2: a blocker gone (from Finance).
- Three stance changes, all in Operations (4 people): Ed skeptic→neutral, Fay skeptic→supporter,
  Hal skeptic→neutral. Operations' net support goes from (0−4)/4 = −1 to (1−1)/4 = 0, and 3 people
  moved up, none down: Operations is warming.

Nothing else changes, so exactly those three windows are expected: Finance does not warm (Kim's
first stance is carried back, so she is no move), nobody else joined or was promoted, and no
touchpoint is an event or an incident.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from stakeholder_map.tracking.changes import MapChanges
from stakeholder_map.tracking.windows import (
    CALL_TO_ACTION_ACTIVITIES, KINDS, Window, call_to_action_events, is_call_to_action, windows_frame,
    windows_of_opportunity,
)

AS_OF = date(2026, 12, 1)
D1 = date(2026, 9, 1)    # the first import: before the six-week period (from 2026-10-20)
D2 = date(2026, 11, 24)  # the second import: inside it

COLUMNS = ["id", "name", "department", "role", "seniority", "stance", "influence", "interest"]
V1 = pd.DataFrame([
    ["1", "Ann Lee", "Executive", "CEO", 5, 1, 5, 3],
    ["2", "Bo Hart", "Finance", "Finance Director", 4, -2, 4, 4],
    ["3", "Cy Park", "Finance", "Analyst", 1, -1, 2, 2],
    ["4", "Di Ross", "Finance", "Analyst", 1, 0, 2, 2],
    ["5", "Ed Fox", "Operations", "Ops Manager", 3, -1, 3, 3],
    ["6", "Fay Wu", "Operations", "Planner", 1, -1, 2, 3],
    ["7", "Gus Tan", "Operations", "Planner", 1, -1, 2, 3],
    ["8", "Hal Moe", "Operations", "Clerk", 1, -1, 1, 2],
    ["9", "Ida Berg", "IT", "IT Lead", 2, 1, 3, 4],
    ["10", "Jo Kim", "IT", "Developer", 1, 0, 2, 3],
], columns=COLUMNS)
STANCE_MOVES = {"5": 0, "6": 1, "8": 0}
V2 = pd.concat([V1[V1["id"] != "2"],
                pd.DataFrame([["11", "Kim Osei", "Finance", "Finance Director", 4, 1, 4, 4]], columns=COLUMNS)],
               ignore_index=True)
V2["stance"] = [STANCE_MOVES.get(i, st) for i, st in zip(V2["id"], V2["stance"])]


def history_of(*imports: tuple[date, pd.DataFrame]) -> pd.DataFrame:
    """Stance history as the store writes it: every known stance at the first import, then each change."""
    rows, last = [], {}
    for day, people in imports:
        for pid, stance in zip(people["id"], people["stance"]):
            if stance is not None and last.get(pid) != stance:
                rows.append({"stakeholder_id": pid, "stance": stance, "recorded_on": day, "source": "import"})
            last[pid] = stance
    return pd.DataFrame(rows, columns=["stakeholder_id", "stance", "recorded_on", "source"])


def no_ties() -> pd.DataFrame:
    return pd.DataFrame(columns=["source", "target", "kind", "weight"])


def v1_to_v2(to_at: datetime = datetime.combine(D2, datetime.min.time())) -> MapChanges:
    changed = pd.DataFrame([
        {"id": pid, "name": V2.set_index("id").loc[pid, "name"], "department": "Operations", "field": "stance",
         "before": -1, "after": after} for pid, after in STANCE_MOVES.items()])
    return MapChanges(map="Org", from_version=1, to_version=2, from_at=datetime.combine(D1, datetime.min.time()),
                       to_at=to_at, joined=V2[V2["id"] == "11"].reset_index(drop=True),
                       left=V1[V1["id"] == "2"].reset_index(drop=True), changed=changed,
                       ties_added=no_ties(), ties_removed=no_ties())


HISTORY = history_of((D1, V1), (D2, V2))


def windows(changes=None, *, people=V2, history=HISTORY, engagements=None, **options):
    options.setdefault("as_of", AS_OF)
    return windows_of_opportunity(people, history, engagements, changes=changes, **options)


def test_the_issue_fixture_gives_exactly_the_three_windows():
    found = windows(v1_to_v2())
    assert sorted((w.kind, w.person_id, w.department) for w in found) == [
        ("blocker_gone", "2", "Finance"),
        ("department_warming", None, "Operations"),
        ("new_key_person", "11", "Finance"),
    ]
    assert all(w.since == D2 for w in found)
    assert [w.score for w in found] == sorted((w.score for w in found), reverse=True)
    by_kind = {w.kind: w for w in found}
    kim = by_kind["new_key_person"]
    assert kim.title == "New key person: Kim Osei (Finance Director, Finance), supporter"
    assert "joined the map in version 2 (imported 2026-11-24)" in kim.evidence
    assert "seniority 4 of 5; influence 4 of 5" in kim.evidence
    bo = by_kind["blocker_gone"]
    assert bo.title == "Blocker gone from Finance: Bo Hart (resistant) left the map"
    assert "Bo Hart was resistant in version 1 (imported 2026-09-01)" in bo.evidence
    ops = by_kind["department_warming"]
    assert ops.title == "Operations is warming: 3 of 4 people moved towards support"
    assert "supporters or champions 0 → 1 of 4, skeptics or resistant 4 → 1" in ops.evidence
    assert "Ed Fox skeptic→neutral" in ops.evidence and "Fay Wu skeptic→supporter" in ops.evidence


def test_scores_follow_the_documented_rule():
    """impact × freshness; all three opened 7 days before as_of in a 42-day period."""
    freshness = 1 - 0.5 * 7 / 42
    by_kind = {w.kind: w.score for w in windows(v1_to_v2())}
    assert by_kind["new_key_person"] == round((0.5 + 0.2 + 0.1) * freshness, 3)   # formal, supporter, no reach given
    assert by_kind["blocker_gone"] == round((0.5 + 0.2 + 0.1) * freshness, 3)     # formal, resistant
    assert by_kind["department_warming"] == round((0.5 + 0.2 * 1.0) * freshness, 3)  # net support −1 → 0


def test_reach_and_the_blocker_role_raise_the_score():
    metrics = pd.DataFrame({"id": list(V2["id"]), "pagerank": [0.01] * (len(V2) - 1) + [0.5]})  # Kim ranks first
    plain = {w.kind: w.score for w in windows(v1_to_v2())}
    more = {w.kind: w for w in windows(v1_to_v2(), metrics=metrics, before_blockers=["2"])}
    assert more["new_key_person"].score > plain["new_key_person"]
    assert "influence rank 1 of 10" in more["new_key_person"].evidence
    assert more["blocker_gone"].score > plain["blocker_gone"]
    assert "blocker by network position" in more["blocker_gone"].evidence


def test_without_versions_only_the_history_speaks():
    assert [w.kind for w in windows(None)] == ["department_warming"]


def test_an_import_before_the_period_is_no_news():
    old = v1_to_v2(to_at=datetime(2026, 10, 1))
    assert [w.kind for w in windows(old)] == ["department_warming"]
    assert windows(v1_to_v2(), as_of=date(2026, 11, 23)) == []  # the import (and the moves) came later


def test_a_first_import_is_no_news():
    first = MapChanges(map="Org", from_version=None, to_version=1, from_at=None, to_at=datetime(2026, 11, 30),
                        joined=V2, left=V2.iloc[:0], changed=pd.DataFrame(columns=["id", "name", "department",
                                                                                   "field", "before", "after"]),
                        ties_added=no_ties(), ties_removed=no_ties())
    assert windows(first, history=history_of((date(2026, 11, 30), V2))) == []


def test_unknown_stance_and_unknown_seniority_give_no_new_key_person():
    unknown = V2.assign(stance=[None if i == "11" else st for i, st in zip(V2["id"], V2["stance"])])
    history = HISTORY[HISTORY["stakeholder_id"] != "11"]
    assert "new_key_person" not in [w.kind for w in windows(v1_to_v2(), people=unknown, history=history)]
    junior = V2.assign(seniority=[None if i == "11" else x for i, x in zip(V2["id"], V2["seniority"])],
                       influence=[None if i == "11" else x for i, x in zip(V2["id"], V2["influence"])])
    assert "new_key_person" not in [w.kind for w in windows(v1_to_v2(), people=junior)]


def test_a_skeptic_newcomer_is_no_window():
    skeptic = V2.assign(stance=[-1 if i == "11" else st for i, st in zip(V2["id"], V2["stance"])])
    history = history_of((D1, V1), (D2, skeptic))
    assert "new_key_person" not in [w.kind for w in windows(v1_to_v2(), people=skeptic, history=history)]


def test_a_promotion_into_a_department_is_a_new_key_person():
    promoted = V2.assign(seniority=[4 if i == "10" else x for i, x in zip(V2["id"], V2["seniority"])],
                         department=["Finance" if i == "10" else d for i, d in zip(V2["id"], V2["department"])])
    changes = v1_to_v2()
    moves = pd.DataFrame([
        {"id": "10", "name": "Jo Kim", "department": "Finance", "field": "seniority", "before": 1, "after": 4},
        {"id": "10", "name": "Jo Kim", "department": "Finance", "field": "department", "before": "IT",
         "after": "Finance"}])
    changes = MapChanges(**{**changes.__dict__, "changed": pd.concat([changes.changed, moves], ignore_index=True)})
    jo = [w for w in windows(changes, people=promoted) if w.person_id == "10"]
    assert len(jo) == 1 and jo[0].kind == "new_key_person"
    assert "seniority 1 → 4; moved into Finance (from IT)" in jo[0].evidence
    assert "neutral" in jo[0].title


def test_a_blocker_who_moved_department_is_gone_from_the_old_one():
    moved = V2.assign(department=["IT" if i == "3" else d for i, d in zip(V2["id"], V2["department"])])
    changes = v1_to_v2()
    move = pd.DataFrame([{"id": "3", "name": "Cy Park", "department": "IT", "field": "department",
                          "before": "Finance", "after": "IT"}])
    changes = MapChanges(**{**changes.__dict__, "changed": pd.concat([changes.changed, move], ignore_index=True)})
    assert "3" not in [w.person_id for w in windows(changes, people=moved)]  # a skeptic analyst: no blocker
    found = {w.person_id: w for w in windows(changes, people=moved, before_blockers=["3"])}
    assert found["3"].kind == "blocker_gone" and found["3"].department == "Finance"
    assert found["3"].title == "Blocker gone from Finance: Cy Park (skeptic) moved to IT"


def test_calls_to_action_group_by_department_and_keep_their_notes():
    events = pd.DataFrame({
        "date": [date(2026, 11, 20), date(2026, 11, 27), date(2026, 11, 28), date(2026, 9, 1), date(2026, 11, 29)],
        "stakeholder_id": ["5", "7", "9", "6", "10"],
        "activity": ["Incident", " event ", "INCIDENT", "incident", "incident review"],
        "stance_after": [None] * 5,
        "notes": ["Project overran, no tracking", None, "Release slipped", "Too old", "Not a call"],
    })
    calls = [w for w in windows(None, engagements=events) if w.kind == "call_to_action"]
    assert [(w.department, w.since) for w in calls] == [("Operations", date(2026, 11, 27)),
                                                        ("IT", date(2026, 11, 28))]
    ops, it = calls
    assert ops.title == "Call to action in Operations: 2 event or incidents logged"
    assert ops.evidence == ("2026-11-20 incident logged against Ed Fox: Project overran, no tracking; "
                            "2026-11-27 event logged against Gus Tan.")
    assert it.person_id == "9" and ops.person_id is None
    assert "Too old" not in ops.evidence  # before the period


def test_redacted_notes_never_reach_the_evidence():
    events = pd.DataFrame({"date": [date(2026, 11, 20)], "stakeholder_id": ["5"], "activity": ["incident"],
                           "stance_after": [None], "notes": [None]})
    (call,) = [w for w in windows(None, engagements=events) if w.kind == "call_to_action"]
    assert call.evidence == "2026-11-20 incident logged against Ed Fox."


def test_only_required_columns_give_no_windows():
    first = pd.DataFrame({"id": ["1", "2", "3"], "name": ["A", "B", "C"]})
    second = pd.DataFrame({"id": ["1", "3", "4"], "name": ["A", "C", "D"]})
    changes = MapChanges(map="Org", from_version=1, to_version=2, from_at=datetime(2026, 9, 1),
                          to_at=datetime(2026, 11, 24), joined=second[second["id"] == "4"],
                          left=first[first["id"] == "2"],
                          changed=pd.DataFrame(columns=["id", "name", "department", "field", "before", "after"]),
                          ties_added=no_ties(), ties_removed=no_ties())
    metrics = pd.DataFrame({"id": ["1", "3", "4"], "pagerank": [0.1, 0.1, 0.8]})
    assert windows_of_opportunity(second, None, None, changes=changes, metrics=metrics, before_blockers=["2"],
                                  as_of=AS_OF) == []


def test_empty_map_and_bad_weeks():
    assert windows_of_opportunity(V2.iloc[:0], as_of=AS_OF) == []
    with pytest.raises(ValueError):
        windows_of_opportunity(V2, as_of=AS_OF, weeks=0)


def test_departments_drifting_apart_do_not_warm():
    """One move up is not a mood turning; up and down cancel."""
    one = history_of((D1, V1), (D2, V1.assign(stance=[1 if i == "6" else st for i, st in zip(V1["id"], V1["stance"])])))
    assert windows(None, people=V1, history=one) == []
    mixed = V1.assign(stance=[{"5": 1, "6": 1, "7": -2, "8": -2}.get(i, st) for i, st in zip(V1["id"], V1["stance"])])
    assert windows(None, people=V1, history=history_of((D1, V1), (D2, mixed))) == []


def test_helpers():
    assert CALL_TO_ACTION_ACTIVITIES == ("event", "incident")
    assert [is_call_to_action(a) for a in ("Event", "incident ", "meeting", None, 3)] == [True, True, False, False,
                                                                                       False]
    assert call_to_action_events(None).empty
    frame = windows_frame(windows(v1_to_v2()))
    assert frame["rank"].tolist() == [1, 2, 3] and set(frame["kind"]) <= set(KINDS)
    w = windows(v1_to_v2())[0]
    assert isinstance(w, Window) and w.as_dict()["since"] == "2026-11-24"


def test_a_new_role_with_less_seniority_is_no_window():
    demoted = V2.assign(role=["Finance Lead" if i == "1" else r for i, r in zip(V2["id"], V2["role"])],
                        seniority=[4 if i == "1" else x for i, x in zip(V2["id"], V2["seniority"])])
    changes = v1_to_v2()
    rows = pd.DataFrame([
        {"id": "1", "name": "Ann Lee", "department": "Executive", "field": "role", "before": "CEO",
         "after": "Finance Lead"},
        {"id": "1", "name": "Ann Lee", "department": "Executive", "field": "seniority", "before": 5, "after": 4}])
    changes = MapChanges(**{**changes.__dict__, "changed": pd.concat([changes.changed, rows], ignore_index=True)})
    assert "1" not in [w.person_id for w in windows(changes, people=demoted)]
    promoted = MapChanges(**{**changes.__dict__, "changed": pd.concat([v1_to_v2().changed, rows.iloc[:1]],
                                                                       ignore_index=True)})
    (ann,) = [w for w in windows(promoted, people=demoted) if w.person_id == "1"]
    assert "new role: CEO → Finance Lead" in ann.evidence
