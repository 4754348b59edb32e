"""The store's members, audit log and who-logged-what (schema 3), and upgrading a schema-2 file in place."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest
from tests.support import csv, dump

from stakeholder_map.errors import MapNotFound, StoreError
from stakeholder_map.ingest import read_engagements, read_map
from stakeholder_map.store import AUDIT_COLUMNS, MEMBER_COLUMNS, SCHEMA_VERSION, Store

PEOPLE = ("id,name,department,stance,email,notes\n"
          "a,Ann Archer,IT,supporter,ann@example.org,Knows the CFO\n"
          "b,Bo Brandt,Finance,skeptic,bo@example.org,SECRETNOTEBO\n"
          "c,Cy Cole,Finance,,,\n")
TIES = "source,target,weight,kind\na,b,2,advice\nb,c,1,reports_to\n"
EVENTS = "date,stakeholder_id,activity,stance_after,notes\n2026-01-03,b,lunch,neutral,TALKEDBUDGETBO\n"


def sample(events: str | None = EVENTS):
    return read_map(csv(PEOPLE), csv(TIES), csv(events) if events else None)


# ------------------------------------------------------------ schema 3 and the upgrade of a schema-2 file

#: The table layout of schema 2, as Stakeholder Map wrote it before members and the audit log.
SCHEMA_2_DDL = [
    "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE maps (map_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL UNIQUE,
        custom_columns VARCHAR NOT NULL DEFAULT '[]', created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE stakeholders (map_id INTEGER NOT NULL, seq INTEGER NOT NULL, id VARCHAR NOT NULL,
        name VARCHAR NOT NULL, department VARCHAR NOT NULL, role VARCHAR, seniority TINYINT, stance TINYINT,
        influence TINYINT, interest TINYINT, email VARCHAR, notes VARCHAR, attributes VARCHAR)""",
    """CREATE TABLE ties (map_id INTEGER NOT NULL, seq INTEGER NOT NULL, source VARCHAR NOT NULL,
        target VARCHAR NOT NULL, weight DOUBLE NOT NULL, kind VARCHAR)""",
    """CREATE TABLE engagements (map_id INTEGER NOT NULL, seq INTEGER NOT NULL, date DATE NOT NULL,
        stakeholder_id VARCHAR NOT NULL, activity VARCHAR, stance_after TINYINT, notes VARCHAR)""",
    """CREATE TABLE stance_history (map_id INTEGER NOT NULL, stakeholder_id VARCHAR NOT NULL, stance TINYINT,
        recorded_on DATE NOT NULL, source VARCHAR NOT NULL, recorded_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE engagement_changes (map_id INTEGER NOT NULL, engagement_id INTEGER NOT NULL,
        action VARCHAR NOT NULL, changed_at TIMESTAMP NOT NULL, before VARCHAR, after VARCHAR)""",
    """CREATE TABLE milestones (map_id INTEGER NOT NULL, milestone_id INTEGER NOT NULL, label VARCHAR,
        department VARCHAR, kind VARCHAR NOT NULL, target DOUBLE NOT NULL, min_stance TINYINT NOT NULL,
        due DATE NOT NULL, created_at TIMESTAMP NOT NULL)""",
]


def write_schema_2_file(path) -> None:
    """A version-2 file with one map, one touchpoint, its change record and a milestone, made with the old DDL."""
    con = duckdb.connect(str(path))
    for statement in SCHEMA_2_DDL:
        con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', '2'), ('revision', '7')")
    con.execute("INSERT INTO maps VALUES (1, 'Old', '[]', TIMESTAMP '2025-05-01 09:00', TIMESTAMP '2025-05-02 09:00')")
    con.execute("""INSERT INTO stakeholders VALUES
                   (1, 0, 'a', 'Ann', 'IT', NULL, NULL, 1, NULL, NULL, NULL, 'old note', NULL),
                   (1, 1, 'b', 'Bo', 'Finance', NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL)""")
    con.execute("INSERT INTO ties VALUES (1, 0, 'a', 'b', 2.0, 'advice')")
    con.execute("INSERT INTO engagements VALUES (1, 0, DATE '2025-05-02', 'b', 'lunch', 0, 'talked')")
    con.execute("""INSERT INTO stance_history VALUES (1, 'a', 1, DATE '2025-05-01', 'import', TIMESTAMP '2025-05-01'),
                   (1, 'b', 0, DATE '2025-05-02', 'engagement', TIMESTAMP '2025-05-02')""")
    con.execute("""INSERT INTO engagement_changes VALUES (1, 0, 'log', TIMESTAMP '2025-05-02 10:00', NULL,
                   '{"stakeholder_id": "b"}')""")
    con.execute("""INSERT INTO milestones VALUES (1, 1, 'half', NULL, 'share', 0.5, 1, DATE '2025-12-31',
                   TIMESTAMP '2025-05-01')""")
    con.close()


def test_a_schema_2_file_is_upgraded_in_place_and_keeps_everything(db_path):
    write_schema_2_file(db_path)
    before = dump(db_path)
    with Store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION == 5
        assert store.revision == 7
        assert store.people("Old")["id"].tolist() == ["a", "b"] and store.people("Old")["notes"].iat[0] == "old note"
        assert store.ties("Old")["weight"].tolist() == [2.0]
        events = store.engagements("Old")
        assert events.loc[0, "notes"] == "talked" and events.loc[0, "logged_by"] is None
        assert store.engagement_changes("Old")["changed_by"].tolist() == [None]
        assert store.stance_history("Old")["stance"].tolist() == [1, 0]
        assert store.milestones("Old")["label"].tolist() == ["half"]
        assert store.members().empty and store.audit_log().empty
        # the upgraded file takes new writes with their authors
        eid = store.log_engagement("Old", when=date(2026, 1, 5), stakeholder_id="a", by="ann@x.org")
        assert store.engagements("Old").loc[eid, "logged_by"] == "ann@x.org"
        store.create_map("New")   # not given id 1's audit rows
        assert store.audit_log("New")["action"].tolist() == ["create_map"]
    after = dump(db_path)
    for table, rows in before.items():
        if table not in ("meta", "engagements", "engagement_changes", "maps", "stance_history", "stakeholders"):
            assert after[table] == rows, table
    assert set(after) == set(before) | {"members", "audit_log", "surveys", "survey_invitations", "survey_responses",
                                        "survey_ties", "map_versions", "person_versions", "tie_versions"}


def test_opening_a_schema_3_file_twice_changes_nothing(db_path):
    with Store(db_path) as store:
        store.import_map("M", sample(), by="ann@x.org")
    first = dump(db_path)
    with Store(db_path):
        pass
    assert dump(db_path) == first


# ------------------------------------------------------------------------------------------ members

def test_members_are_kept_lower_cased_per_map_or_for_every_map(store):
    store.import_map("M", sample())
    store.add_member("  Ann@Example.ORG ", "admin", by="local user")
    store.add_member("bo@example.org", "viewer", "M", by="ann@example.org")
    frame = store.members()
    assert list(frame.columns) == MEMBER_COLUMNS
    assert frame[["email", "map", "role", "added_by"]].values.tolist() == [
        ["ann@example.org", "*", "admin", "local user"], ["bo@example.org", "M", "viewer", "ann@example.org"]]
    assert store.role_of("ANN@example.org", "M") == "admin" and store.role_of("bo@example.org", "M") == "viewer"
    assert store.role_of("bo@example.org", None) is None and store.role_of("cy@example.org", "M") is None
    assert store.role_of(None, "M") is None


def test_a_maps_own_row_beats_the_every_map_row(store):
    store.import_map("M", sample())
    store.import_map("N", sample())
    store.add_member("root@x.org", "admin")
    store.add_member("ed@x.org", "editor")
    store.add_member("ed@x.org", "viewer", "M")
    assert store.role_of("ed@x.org", "M") == "viewer" and store.role_of("ed@x.org", "N") == "editor"
    store.add_member("ed@x.org", "admin", "M")    # the same row again: its role is replaced
    assert store.role_of("ed@x.org", "M") == "admin"
    assert len(store.members("M").query("email == 'ed@x.org'")) == 2   # its own row and the '*' row
    assert store.members("N")["map"].tolist() == ["*", "*"]


@pytest.mark.parametrize("email", ["", "Ann Lee", "ann", "a@b@c", "a b@x.org", "ann@x.org, bo@x.org", None,
                                   "=cmd|calc@x.org", "-1@x.org", "ann@"])
def test_an_invalid_address_is_refused_naming_it(store, email):
    with pytest.raises(StoreError, match="is not an e-mail address"):
        store.add_member(email, "viewer")
    assert store.members().empty and store.audit_log().empty


def test_an_invalid_role_is_refused_naming_it(store):
    with pytest.raises(StoreError, match="unknown role 'owner'; use one of viewer, editor, admin"):
        store.add_member("ann@x.org", "owner")
    assert store.members().empty


def test_a_member_of_an_unknown_map_is_refused(store):
    with pytest.raises(MapNotFound):
        store.add_member("ann@x.org", "viewer", "Nope")


def test_the_last_admin_cannot_be_removed_or_demoted(store):
    store.import_map("M", sample())
    store.add_member("ann@x.org", "admin", "M")
    store.add_member("bo@x.org", "editor")
    with pytest.raises(StoreError, match="ann@x.org is the last admin"):
        store.remove_member("ann@x.org", "M")
    with pytest.raises(StoreError, match="last admin"):
        store.add_member("ann@x.org", "viewer", "M")
    store.add_member("cy@x.org", "admin")
    store.remove_member("ann@x.org", "M")
    store.remove_member("bo@x.org")
    assert store.members()["email"].tolist() == ["cy@x.org"]
    with pytest.raises(StoreError, match="bo@x.org has no role on every map"):
        store.remove_member("bo@x.org")


def test_renaming_a_map_moves_its_members_and_deleting_it_removes_them(store):
    store.import_map("M", sample())
    store.add_member("root@x.org", "admin")
    store.add_member("vi@x.org", "viewer", "M")
    store.rename_map("M", "Pilot")
    assert store.role_of("vi@x.org", "Pilot") == "viewer"
    store.delete_map("Pilot")
    assert store.members()["email"].tolist() == ["root@x.org"]


# ------------------------------------------------------------------------------------------ audit log

def every_write(store: Store, by: str) -> list[str]:
    """Call every write method of the store once, as ``by``; the actions the audit log should show, in order."""
    store.import_map("M", sample(), by=by)
    store.import_map("M", sample(), replace=True, by=by)
    store.create_map("Empty", by=by)
    store.rename_map("Empty", "Spare", by=by)
    store.delete_map("Spare", by=by)
    eid = store.log_engagement("M", when=date(2026, 2, 1), stakeholder_id="a", notes="x", by=by)
    store.add_engagements("M", read_engagements(csv("date,stakeholder_id\n2026-02-02,c\n"), ["a", "b", "c"]), by=by)
    store.edit_engagement("M", eid, when=date(2026, 2, 3), stakeholder_id="a", activity="demo", by=by)
    store.delete_engagement("M", eid, by=by)
    mid = store.add_milestone("M", due=date(2026, 6, 30), target=0.5, by=by)
    store.delete_milestone("M", mid, by=by)
    store.add_member("x@x.org", "admin", "M", by=by)
    store.add_member("y@x.org", "viewer", by=by)
    store.remove_member("y@x.org", by=by)
    store.erase_person("M", "c", by=by)
    return ["import_map", "replace_map", "create_map", "rename_map", "delete_map", "log_engagement",
            "add_engagements", "edit_engagement", "delete_engagement", "add_milestone", "delete_milestone",
            "add_member", "add_member", "remove_member", "erase_person"]


def test_every_write_leaves_exactly_one_audit_row_with_its_actor(store):
    actions = every_write(store, "ann@x.org")
    log = store.audit_log()
    assert list(log.columns) == AUDIT_COLUMNS
    assert log["action"].tolist() == actions
    assert set(log["actor"]) == {"ann@x.org"}
    assert log["at"].is_monotonic_increasing
    assert [json.loads(d) for d in log["detail"] if d]  # details are JSON text
    by_map = store.audit_log("M")["action"].tolist()
    assert "create_map" not in by_map and "y@x.org" not in store.audit_log("M")["subject"].tolist()


def test_writes_without_by_record_no_actor(store):
    store.import_map("M", sample())
    assert store.audit_log()["actor"].tolist() == [None]
    assert store.engagements("M")["logged_by"].tolist() == [None]


def test_a_refused_write_leaves_no_audit_row(db_path):
    with Store(db_path) as store:
        store.import_map("M", sample(), by="ann@x.org")
    before = dump(db_path)
    with Store(db_path) as store:
        with pytest.raises(Exception):
            store.log_engagement("M", when=date(2026, 1, 1), stakeholder_id="nobody", by="ann@x.org")
        with pytest.raises(Exception):
            store.import_map("M", sample(), by="ann@x.org")    # exists, no replace
    assert dump(db_path) == before


def test_the_audit_row_rolls_back_with_its_write(store):
    store.import_map("M", sample(), by="ann@x.org")
    with pytest.raises(RuntimeError):
        with store.atomic():
            store.log_engagement("M", when=date(2026, 1, 1), stakeholder_id="a", by="bo@x.org")
            raise RuntimeError("power cut")
    assert store.audit_log()["action"].tolist() == ["import_map"] and len(store.engagements("M")) == 1


def test_touchpoints_show_who_logged_them_and_changes_who_made_them(store):
    store.import_map("M", sample(), by="ann@x.org")
    eid = store.log_engagement("M", when=date(2026, 2, 1), stakeholder_id="a", by="ed@x.org")
    store.edit_engagement("M", eid, when=date(2026, 2, 2), stakeholder_id="a", activity="demo", by="bo@x.org")
    events = store.engagements("M")
    assert events["logged_by"].tolist() == ["ann@x.org", "ed@x.org"]   # an imported touchpoint: the importer
    assert store.engagement_changes("M")["changed_by"].tolist() == ["ed@x.org", "bo@x.org"]
    assert json.loads(store.audit_log("M")["detail"].iat[-1])["changed"] == ["activity", "date"]


def test_the_audit_log_survives_re_import_and_deleting_the_map(store):
    store.import_map("M", sample(), by="ann@x.org")
    store.log_engagement("M", when=date(2026, 2, 1), stakeholder_id="a", by="ed@x.org")
    store.import_map("M", sample(), replace=True, by="ann@x.org")
    assert store.audit_log("M")["action"].tolist() == ["import_map", "log_engagement", "replace_map"]
    store.delete_map("M", by="ann@x.org")
    assert store.audit_log()["action"].tolist() == ["import_map", "log_engagement", "replace_map", "delete_map"]
    store.import_map("M", sample(), by="bo@x.org")    # a new map of the same name has a history of its own
    assert store.audit_log("M")["action"].tolist() == ["import_map"]


def test_erasing_a_person_leaves_no_personal_text_in_the_audit_log(db_path):
    with Store(db_path) as store:
        store.import_map("M", sample(), by="ann@x.org")
        eid = store.log_engagement("M", when=date(2026, 2, 1), stakeholder_id="b", activity="Bo Brandt's budget",
                                   notes="Bo Brandt SECRETNOTEBO", by="ed@x.org")
        store.edit_engagement("M", eid, stakeholder_id="b", notes="still SECRETNOTEBO", by="ed@x.org")
        store.add_milestone("M", due=date(2026, 6, 30), target=0.5, label="win over Bo Brandt", by="ed@x.org")
        report = store.erase_person("M", "b", by="ann@x.org")
        log = store.audit_log()
        assert log["action"].iat[-1] == "erase_person" and log["subject"].iat[-1] == "b"
        assert json.loads(log["detail"].iat[-1]) == {
            "people": 1, "ties": report.ties, "engagements": 2, "stance_history": report.stance_history,
            "engagement_changes": report.engagement_changes, "survey_rows": 0,
            "version_rows": 3}
    text = repr(dump(db_path)["audit_log"])
    for secret in ("Bo Brandt", "Brandt", "SECRETNOTEBO", "TALKEDBUDGETBO", "bo@example.org", "budget"):
        assert secret not in text
