"""Map versions (store schema 5): every import is kept, storage grows with the changes, erasure reaches every
version, a schema-4 file is upgraded in place; and what changed between two versions (tracking/changes.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import pandas as pd
import pytest
from tests.support import csv, dump

from stakeholder_map import schema as s
from stakeholder_map.errors import UnknownStakeholder, VersionNotFound
from stakeholder_map.ingest import read_map
from stakeholder_map.store import MAP_TABLES, SCHEMA_VERSION, Store
from stakeholder_map.tracking.changes import MapChanges, compare_versions, map_changes
from stakeholder_map.workspace import Workspace

#: Version 1 of the test map: Rex Ward is the blocker (resistant, senior) who leaves in version 2.
PEOPLE_1 = """\
id,name,department,role,seniority,stance,influence,email,notes,Site
a,Ann Archer,IT,CIO,5,supporter,5,ann@example.org,Knows the CFO,Leeds
b,Bo Brandt,Finance,CFO,5,skeptic,5,bo@example.org,Wary,York
c,Cy Cole,Finance,Analyst,1,neutral,2,,,York
d,Di Dunn,Finance,Analyst,1,skeptic,1,,,York
r,Rex Ward,Operations,COO,5,resistant,5,rex@example.org,REXSECRETNOTE,Hull
"""
TIES_1 = """\
source,target,weight,kind
a,b,2,advice
b,c,1,reports_to
b,d,1,reports_to
r,b,3,advice
r,b,3,advice
d,a,1,friendship
"""
#: Version 2: Nia Novak joins (senior, supportive), Rex leaves, three stances move (b, c, d); e-mail and notes
#: of Ann change (never compared), nothing else does.
PEOPLE_2 = """\
id,name,department,role,seniority,stance,influence,email,notes,Site
a,Ann Archer,IT,CIO,5,supporter,5,ann.archer@example.org,Now knows the CEO too,Leeds
b,Bo Brandt,Finance,CFO,5,neutral,5,bo@example.org,Wary,York
c,Cy Cole,Finance,Analyst,1,supporter,2,,,York
d,Di Dunn,Finance,Analyst,1,neutral,1,,,York
n,Nia Novak,Operations,COO,5,supporter,5,nia@example.org,,Hull
"""
TIES_2 = """\
source,target,weight,kind
a,b,2,advice
b,c,1,reports_to
b,d,1,reports_to
n,b,2,advice
d,a,1,friendship
"""


def twice(store: Store) -> None:
    store.import_map("M", read_map(csv(PEOPLE_1), csv(TIES_1)), today=date(2026, 1, 5), by="lead@x.org")
    store.import_map("M", read_map(csv(PEOPLE_2), csv(TIES_2)), replace=True, today=date(2026, 2, 5),
                     by="ed@x.org")


@pytest.fixture
def versioned(store) -> Store:
    twice(store)
    return store


# ---------------------------------------------------------------- store

def test_every_import_records_a_version_with_who_and_when(versioned):
    versions = versioned.map_versions("M")
    assert list(versions.columns) == ["version", "imported_at", "imported_by", "people", "ties"]
    assert versions["version"].tolist() == [1, 2]
    assert versions["imported_by"].tolist() == ["lead@x.org", "ed@x.org"]
    assert versions["people"].tolist() == [5, 5] and versions["ties"].tolist() == [6, 5]
    assert versions["imported_at"].is_monotonic_increasing
    assert isinstance(versions["imported_at"].iat[0], pd.Timestamp)


def test_a_version_reads_back_as_it_was_imported(versioned):
    first = versioned.people_at_version("M", 1)
    assert list(first.columns) == list(versioned.people("M").columns)
    assert first[s.ID].tolist() == ["a", "b", "c", "d", "r"]
    rex = first.set_index(s.ID).loc["r"]
    assert rex[s.STANCE] == -2 and rex[s.NOTES] == "REXSECRETNOTE" and rex[s.ATTRIBUTES] == {"Site": "Hull"}
    assert first.set_index(s.ID).loc["a", s.EMAIL] == "ann@example.org"
    assert str(first[s.STANCE].dtype) == "Int64"
    latest = versioned.people_at_version("M", 2)
    current = versioned.people("M")
    pd.testing.assert_frame_equal(latest.sort_values(s.ID).reset_index(drop=True),
                                  current.sort_values(s.ID).reset_index(drop=True))
    ties = versioned.ties_at_version("M", 1)
    assert list(ties.columns) == list(versioned.ties("M").columns)
    assert len(ties) == 6 and len(ties.query("source == 'r'")) == 2  # a repeated tie keeps its copies
    assert sorted(map(tuple, versioned.ties_at_version("M", 2)[[s.SOURCE, s.TARGET]].values)) == \
        sorted(map(tuple, versioned.ties("M")[[s.SOURCE, s.TARGET]].values))


def test_unknown_versions_are_refused(versioned):
    with pytest.raises(VersionNotFound):
        versioned.people_at_version("M", 3)
    with pytest.raises(VersionNotFound):
        versioned.ties_at_version("M", 0)
    versioned.create_map("Empty")
    assert versioned.map_versions("Empty").empty
    with pytest.raises(VersionNotFound, match="no versions"):
        map_changes(versioned, "Empty")


def rows(store: Store, table: str) -> int:
    return store._query(f"SELECT count(*) FROM {table}")[0][0]


def test_storage_grows_with_the_changes_not_with_a_copy(store):
    twice(store)
    # version 1: 5 people; version 2: a (e-mail and notes changed), b, c, d (stances), n (joined) are new rows
    assert rows(store, "person_versions") == 5 + 5
    # tie groups: 5 in version 1 (r->b twice is one group); version 2 adds only n->b
    assert rows(store, "tie_versions") == 5 + 1
    store.import_map("M", read_map(csv(PEOPLE_2), csv(TIES_2)), replace=True)  # the same file again
    assert rows(store, "person_versions") == 10 and rows(store, "tie_versions") == 6
    assert store.map_versions("M")["version"].tolist() == [1, 2, 3]
    assert map_changes(store, "M").is_empty()


def test_a_changed_number_of_copies_is_one_tie_more_or_less(store):
    people = "id,name\na,A\nb,B\n"
    store.import_map("T", read_map(csv(people), csv("source,target\na,b\na,b\n")))
    store.import_map("T", read_map(csv(people), csv("source,target\na,b\na,b\na,b\nb,a\n")), replace=True)
    changes = map_changes(store, "T")
    assert changes.ties_added[[s.SOURCE, s.TARGET]].values.tolist() == [["a", "b"], ["b", "a"]]
    assert changes.ties_removed.empty and len(store.ties_at_version("T", 2)) == 4
    assert store.map_versions("T")["ties"].tolist() == [2, 4]
    back = map_changes(store, "T", from_version=2, to_version=1)
    assert len(back.ties_removed) == 2 and back.ties_added.empty


def test_delete_map_deletes_its_versions(versioned):
    versioned.import_map("Other", read_map(csv(PEOPLE_1), csv(TIES_1)))
    versioned.delete_map("M")
    for table in ("map_versions", "person_versions", "tie_versions"):
        assert table in MAP_TABLES
        assert versioned._query(f"SELECT count(DISTINCT map_id) FROM {table}")[0][0] == 1, table
    assert versioned.map_versions("Other")["people"].tolist() == [5]


# -------------------------------------------------------------- erasure

SECRETS = (b"Rex Ward", b"rex@example.org", b"REXSECRETNOTE")


def file_bytes(path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def test_erasing_a_person_erases_them_from_every_version(db_path):
    with Store(db_path) as store:
        twice(store)
        store.import_map("M", read_map(csv(PEOPLE_1), csv(TIES_1)), replace=True)  # Rex is back in version 3
        assert all(secret in file_bytes(db_path) for secret in SECRETS)
        report = store.erase_person("M", "r")
        assert report.compacted and report.people == 1
        for version in (1, 2, 3):
            people = store.people_at_version("M", version)
            ties = store.ties_at_version("M", version)
            assert "r" not in set(people[s.ID]) and "Rex Ward" not in set(people[s.NAME])
            assert "r" not in set(ties[s.SOURCE]) | set(ties[s.TARGET])
        assert store.map_versions("M")["people"].tolist() == [4, 5, 4]
        assert store.map_versions("M")["ties"].tolist() == [4, 5, 4]
        changes = map_changes(store, "M", from_version=1, to_version=2)
        assert changes.left.empty and "r" not in set(changes.ties_removed[s.SOURCE])
    raw = file_bytes(db_path)
    for secret in SECRETS:
        assert secret not in raw, secret


def test_someone_who_left_can_still_be_erased_from_the_versions(db_path):
    with Store(db_path) as store:
        twice(store)  # Rex left in version 2: not in the current map
        assert "r" not in set(store.people("M")[s.ID])
        store.erase_person("M", "r")
        assert "r" not in set(store.people_at_version("M", 1)[s.ID])
        assert map_changes(store, "M").left.empty
        with pytest.raises(UnknownStakeholder):
            store.erase_person("M", "r")
    raw = file_bytes(db_path)
    for secret in SECRETS:
        assert secret not in raw, secret


# ------------------------------------------------------------- migration

def test_a_schema_4_file_is_upgraded_with_version_1_as_its_content(db_path):
    with Store(db_path) as store:
        store.import_map("Old", read_map(csv(PEOPLE_1), csv(TIES_1)), today=date(2026, 1, 5))
        people, ties = store.people("Old"), store.ties("Old")
    # Make it the file a schema-4 Stakeholder Map wrote: no version tables, schema 4, a known updated_at.
    con = duckdb.connect(str(db_path))
    for table in ("map_versions", "person_versions", "tie_versions"):
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    con.execute("UPDATE maps SET updated_at = TIMESTAMP '2025-11-30 09:15:00'")
    con.close()
    before = dump(db_path)
    with Store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION == 5
        versions = store.map_versions("Old")
        assert versions["version"].tolist() == [1] and versions["imported_by"].tolist() == [None]
        assert versions["imported_at"].iat[0] == pd.Timestamp("2025-11-30 09:15:00")
        assert versions[["people", "ties"]].values.tolist() == [[5, 6]]
        pd.testing.assert_frame_equal(store.people_at_version("Old", 1), people)
        pd.testing.assert_frame_equal(store.ties_at_version("Old", 1), ties)
        assert store.version_columns("Old", 1) == ["Site"]
        # the next import is version 2 and compares with the migrated version 1
        store.import_map("Old", read_map(csv(PEOPLE_2), csv(TIES_2)), replace=True, by="ed@x.org")
        changes = map_changes(store, "Old")
        assert (changes.from_version, changes.to_version) == (1, 2)
        assert changes.joined[s.ID].tolist() == ["n"] and changes.left[s.ID].tolist() == ["r"]
        assert len(changes.stance_moves()) == 3
    after = dump(db_path)
    for table, content in before.items():
        if table not in ("meta", "maps", "stakeholders", "ties", "stance_history", "audit_log"):
            assert after[table] == content, table
    with Store(db_path) as store:  # opening again changes nothing
        assert store.map_versions("Old")["version"].tolist() == [1, 2]
        assert rows(store, "person_versions") == 10


# ---------------------------------------------------------------- changes

def test_changes_report_exactly_the_joiner_the_leaver_and_three_stance_moves(versioned):
    changes = map_changes(versioned, "M")
    assert isinstance(changes, MapChanges)
    assert (changes.map, changes.from_version, changes.to_version) == ("M", 1, 2)
    assert changes.from_at < changes.to_at
    assert changes.joined.to_dict("records") == [
        {"id": "n", "name": "Nia Novak", "department": "Operations", "role": "COO", "seniority": 5, "stance": 1,
         "influence": 5, "interest": None}]
    assert changes.left[s.ID].tolist() == ["r"] and changes.left[s.STANCE].tolist() == [-2]
    assert changes.left[s.NAME].tolist() == ["Rex Ward"]
    assert changes.changed.to_dict("records") == [
        {"id": "b", "name": "Bo Brandt", "department": "Finance", "field": "stance", "before": -1, "after": 0},
        {"id": "c", "name": "Cy Cole", "department": "Finance", "field": "stance", "before": 0, "after": 1},
        {"id": "d", "name": "Di Dunn", "department": "Finance", "field": "stance", "before": -1, "after": 0}]
    moves = changes.stance_moves()
    assert moves["id"].tolist() == ["b", "c", "d"] and str(moves["after"].dtype) == "Int64"
    assert changes.ties_added.to_dict("records") == [
        {"source": "n", "target": "b", "kind": "advice", "weight": 2.0}]
    assert changes.ties_removed.to_dict("records") == [
        {"source": "r", "target": "b", "kind": "advice", "weight": 3.0}] * 2
    assert changes.summary() == {
        "map": "M", "from_version": 1, "to_version": 2, "from_at": changes.from_at.isoformat(),
        "to_at": changes.to_at.isoformat(), "joined": 1, "left": 1, "changed_people": 3, "stance_moves": 3,
        "changed_fields": {"stance": 3}, "ties_added": 1, "ties_removed": 2}
    assert not changes.is_empty()


def test_no_email_or_notes_in_the_changes(versioned):
    changes = map_changes(versioned, "M")
    text = repr([changes.joined.to_dict("records"), changes.left.to_dict("records"),
                 changes.changed.to_dict("records")])
    for secret in ("example.org", "REXSECRETNOTE", "Knows", "CEO"):
        assert secret not in text
    assert s.EMAIL not in changes.joined and s.NOTES not in changes.left


def test_first_version_is_everyone_joined_and_versions_can_be_chosen(versioned):
    first = map_changes(versioned, "M", to_version=1)
    assert first.from_version is None and first.from_at is None
    assert first.joined[s.ID].tolist() == ["a", "b", "c", "d", "r"] and len(first.ties_added) == 6
    assert first.left.empty and first.changed.empty and first.ties_removed.empty
    same = map_changes(versioned, "M", from_version=2, to_version=2)
    assert same.is_empty()
    with pytest.raises(VersionNotFound):
        map_changes(versioned, "M", from_version=7)
    with pytest.raises(ValueError):
        map_changes(versioned, "M", since=date(2026, 1, 1), from_version=1)


def test_since_compares_with_the_last_version_before_the_date(store):
    twice(store)
    store.import_map("M", read_map(csv(PEOPLE_2.replace("Cy Cole,Finance", "Cy Cole,IT")), csv(TIES_2)),
                     replace=True)
    # Date the three versions 10, 5 and 1 days ago.
    for version, days in ((1, 10), (2, 5), (3, 1)):
        store._query("UPDATE map_versions SET imported_at = ? WHERE version = ?",
                     [datetime.now() - timedelta(days=days), version])
    today = date.today()
    week = map_changes(store, "M", since=today - timedelta(days=7))
    assert (week.from_version, week.to_version) == (1, 3)
    assert week.joined[s.ID].tolist() == ["n"] and len(week.changed) == 4  # three stances, one department
    assert map_changes(store, "M", since=today - timedelta(days=3)).from_version == 2
    # nothing imported before the date: compared with the first version
    assert map_changes(store, "M", since=today - timedelta(days=30)).from_version == 1
    moved = map_changes(store, "M", since=today - timedelta(days=3)).changed
    assert moved.to_dict("records") == [{"id": "c", "name": "Cy Cole", "department": "IT", "field": "department",
                                         "before": "Finance", "after": "IT"}]


def test_role_seniority_and_custom_attributes_are_changes_a_new_column_is_not(store):
    store.import_map("A", read_map(csv("id,name,role,seniority,Site\na,Ann,Analyst,1,Leeds\nb,Bo,,,York\n")))
    store.import_map("A", read_map(csv("id,name,role,seniority,Site,Badge\na,Ann,Lead analyst,2,York,B1\n"
                                       "b,Bo,,,York,B2\n")), replace=True)
    changed = map_changes(store, "A").changed
    assert changed[["id", "field", "before", "after"]].values.tolist() == [
        ["a", "role", "Analyst", "Lead analyst"], ["a", "seniority", 1, 2], ["a", "attribute:Site", "Leeds", "York"]]


def test_compare_versions_is_pure_and_reads_missing_columns_as_unknown():
    people = pd.DataFrame({"id": ["1", "2"], "name": ["Ann", "Bo"], "department": ["IT", "IT"]})
    more = people.assign(stance=pd.array([None, 1], dtype="Int64"))
    changes = compare_versions("X", people, None, more, pd.DataFrame(columns=["source", "target", "weight", "kind"]),
                               from_version=1, to_version=2, from_at=datetime(2026, 1, 1),
                               to_at=datetime(2026, 2, 1))
    # Ann's stance stays unknown; Bo's goes from unknown to supporter
    assert changes.changed[["id", "field", "before", "after"]].values.tolist() == [["2", "stance", None, 1]]
    assert changes.ties_added.empty and changes.ties_removed.empty


def test_workspace_changes_are_the_store_changes_and_viewers_see_no_private_columns(versioned):
    ws = Workspace(versioned, "M")
    changes = ws.changes()
    assert changes is ws.changes()  # cached per revision
    assert changes.summary() == map_changes(versioned, "M").summary()
    viewer = Workspace(versioned, "M", redacted=True)
    old = viewer.people_at_version(1)
    assert old[s.EMAIL].isna().all() and old[s.NOTES].isna().all()
    assert viewer.changes().summary() == changes.summary()
    assert viewer.graph_at_version(1).number_of_nodes() == 5 and "r" in viewer.graph_at_version(1)
    assert ws.versions()["version"].tolist() == [1, 2]


def test_a_map_without_ties_or_people_changes_is_versioned_too(store):
    store.import_map("N", read_map(csv("id,name\na,A\n")))
    store.import_map("N", read_map(csv("id,name\na,A\nb,B\n")), replace=True)
    assert store.map_versions("N")[["people", "ties"]].values.tolist() == [[1, 0], [2, 0]]
    changes = map_changes(store, "N")
    assert changes.joined[s.ID].tolist() == ["b"] and changes.ties_added.empty and changes.changed.empty
