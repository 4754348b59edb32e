"""Who may do what: the role table, and Member, the guard every write goes through."""

from __future__ import annotations

from datetime import date

import pytest
from tests.support import csv, dump

from stakeholder_map.access import ACTIONS, LOCAL_USER, MINIMUM_ROLE, ROLES, Member, allows
from stakeholder_map.errors import AccessDenied, StakeholderMapError
from stakeholder_map.ingest import read_engagements, read_map
from stakeholder_map.store import Store

PEOPLE = "id,name,department,stance,notes\na,Ann,IT,supporter,\nb,Bo,Finance,skeptic,SECRET\nc,Cy,Finance,,\n"
TIES = "source,target\na,b\nb,c\n"


def sample():
    return read_map(csv(PEOPLE), csv(TIES))


# ------------------------------------------------------------------------------------------ the table

def test_roles_are_ordered_and_each_includes_the_ones_before_it():
    assert ROLES == ("viewer", "editor", "admin")
    for action in ACTIONS:
        allowed = [allows(role, action) for role in ROLES]
        assert allowed == sorted(allowed), action   # once allowed, allowed for every higher role


def test_the_role_table_is_the_issue_13_table():
    assert {a for a in ACTIONS if MINIMUM_ROLE[a] == "viewer"} == {"read"}
    assert {a for a in ACTIONS if MINIMUM_ROLE[a] == "editor"} == {
        "read_private", "log_touchpoint", "edit_touchpoint", "delete_touchpoint", "milestones", "rotation"}
    assert {a for a in ACTIONS if MINIMUM_ROLE[a] == "admin"} == {
        "import", "replace", "erase", "export", "members", "audit", "rename_map", "delete_map"}


def test_a_viewer_reads_but_sees_no_private_text():
    assert allows("viewer", "read") and not allows("viewer", "read_private")
    assert not allows("viewer", "export")


def test_not_a_member_allows_nothing():
    assert not any(allows(None, action) for action in ACTIONS)


def test_an_unknown_action_or_role_is_a_programming_mistake():
    with pytest.raises(ValueError, match="unknown action 'fly'"):
        allows("admin", "fly")
    with pytest.raises(ValueError, match="unknown role 'owner'"):
        allows("owner", "read")


# ------------------------------------------------------------------------------------------ the guard

@pytest.fixture
def team(db_path):
    """A file with map M, an admin of every map, an editor and a viewer of M."""
    with Store(db_path) as store:
        local = Member(store, None, local=True)
        local.import_map("M", sample())
        local.add_member("admin@x.org", "admin")
        local.add_member("ed@x.org", "editor", "M")
        local.add_member("vi@x.org", "viewer", "M")
    return db_path


def test_a_viewers_write_is_refused_and_the_store_is_byte_for_byte_unchanged(team):
    before = dump(team)
    with Store(team) as store:
        events, log = store.engagements("M"), store.audit_log()
        viewer = Member(store, "vi@x.org")
        with pytest.raises(AccessDenied) as refused:
            viewer.log_engagement("M", when=date(2026, 3, 1), stakeholder_id="b", notes="crafted")
        assert str(refused.value) == ("vi@x.org may not log a touchpoint in map 'M': their role there is viewer; "
                                      "it needs editor.")
        assert (refused.value.who, refused.value.action, refused.value.map_name, refused.value.role,
                refused.value.needed) == ("vi@x.org", "log_touchpoint", "M", "viewer", "editor")
        assert isinstance(refused.value, StakeholderMapError)
        assert store.engagements("M").equals(events) and store.audit_log().equals(log)
    assert dump(team) == before


def test_a_viewer_may_do_no_write_at_all(team):
    with Store(team) as store:
        viewer = Member(store, "vi@x.org")
        writes = [
            lambda: viewer.log_engagement("M", when=date(2026, 3, 1), stakeholder_id="b"),
            lambda: viewer.add_engagements("M", read_engagements(csv("date,stakeholder_id\n2026-03-01,b\n"),
                                                                 ["a", "b", "c"])),
            lambda: viewer.edit_engagement("M", 0, stakeholder_id="b"),
            lambda: viewer.delete_engagement("M", 0),
            lambda: viewer.add_milestone("M", due=date(2026, 6, 30), target=0.5),
            lambda: viewer.delete_milestone("M", 1),
            lambda: viewer.import_map("M", sample(), replace=True),
            lambda: viewer.create_map("Mine"),
            lambda: viewer.rename_map("M", "Mine"),
            lambda: viewer.delete_map("M"),
            lambda: viewer.erase_person("M", "b"),
            lambda: viewer.add_member("vi@x.org", "admin", "M"),
            lambda: viewer.remove_member("ed@x.org", "M"),
        ]
        revision = store.revision
        for write in writes:
            with pytest.raises(AccessDenied):
                write()
        assert store.revision == revision


def test_an_editor_logs_touchpoints_and_milestones_but_cannot_import_erase_or_manage_members(team):
    with Store(team) as store:
        editor = Member(store, "ED@x.org ")
        eid = editor.log_engagement("M", when=date(2026, 3, 1), stakeholder_id="b", stance_after=0)
        editor.edit_engagement("M", eid, stakeholder_id="b", activity="demo", stance_after=1)
        mid = editor.add_milestone("M", due=date(2026, 6, 30), target=0.5)
        editor.delete_milestone("M", mid)
        editor.delete_engagement("M", eid)
        assert editor.can("M", "read_private") and editor.can("M", "rotation")
        revision = store.revision
        for refused, action in [
            (lambda: editor.import_map("M", sample(), replace=True), "replace"),
            (lambda: editor.erase_person("M", "b"), "erase"),
            (lambda: editor.add_member("new@x.org", "viewer", "M"), "members"),
            (lambda: editor.remove_member("vi@x.org", "M"), "members"),
            (lambda: editor.rename_map("M", "Other"), "rename_map"),
            (lambda: editor.delete_map("M"), "delete_map"),
            (lambda: editor.create_map("Other"), "import"),
        ]:
            with pytest.raises(AccessDenied) as e:
                refused()
            assert e.value.action == action and e.value.needed == "admin"
        assert store.revision == revision
        assert not editor.can("M", "export") and not editor.can("M", "audit")


def test_an_admin_may_do_everything(team):
    with Store(team) as store:
        admin = Member(store, "admin@x.org")
        assert all(admin.can("M", action) for action in ACTIONS)
        admin.import_map("M", sample(), replace=True)
        admin.add_member("new@x.org", "editor", "M")
        admin.remove_member("new@x.org", "M")
        admin.create_map("Other")
        admin.rename_map("Other", "Spare")
        admin.delete_map("Spare")
        report = admin.erase_person("M", "b")
        assert report.people == 1 and "b" not in store.people("M")["id"].tolist()


def test_someone_who_is_not_a_member_can_do_nothing_and_sees_no_map(team):
    with Store(team) as store:
        stranger = Member(store, "stranger@x.org")
        assert stranger.maps() == [] and stranger.role("M") is None
        assert not any(stranger.can("M", action) for action in ACTIONS)
        with pytest.raises(AccessDenied, match="stranger@x.org may not read in map 'M': they are not a member"):
            stranger.require("M", "read")
        nobody = Member(store, None)
        assert nobody.maps() == [] and nobody.role("M") is None
        with pytest.raises(AccessDenied):
            nobody.log_engagement("M", when=date(2026, 3, 1), stakeholder_id="a")


def test_a_maps_own_role_beats_the_every_map_role(team):
    with Store(team) as store:
        Member(store, "admin@x.org").add_member("ed@x.org", "admin")   # admin everywhere, editor of M
        store.import_map("N", sample())
        editor = Member(store, "ed@x.org")
        assert editor.role("M") == "editor" and editor.role("N") == "admin" and editor.role(None) == "admin"
        assert editor.can("N", "erase") and not editor.can("M", "erase")
        assert editor.maps() == ["M", "N"]
        assert Member(store, "vi@x.org").maps() == ["M"]


def test_a_map_admin_manages_that_maps_members_but_not_every_maps(team):
    with Store(team) as store:
        Member(store, "admin@x.org").add_member("lead@x.org", "admin", "M")
        lead = Member(store, "lead@x.org")
        lead.add_member("new@x.org", "viewer", "M")
        with pytest.raises(AccessDenied, match="may not manage members on every map: they are not a member"):
            lead.add_member("new@x.org", "viewer")


def test_the_local_user_is_admin_everywhere_and_recorded_as_such(store):
    local = Member(store, None, local=True)
    assert local.actor == LOCAL_USER and local.role("anything") == "admin"
    local.import_map("M", sample())
    eid = local.log_engagement("M", when=date(2026, 3, 1), stakeholder_id="a")
    assert local.maps() == ["M"]
    assert store.engagements("M").loc[eid, "logged_by"] == LOCAL_USER
    assert set(store.audit_log()["actor"]) == {LOCAL_USER}


def test_every_guarded_write_is_recorded_with_the_members_address(team):
    with Store(team) as store:
        before = len(store.audit_log())
        editor = Member(store, "Ed@X.org")
        eid = editor.log_engagement("M", when=date(2026, 3, 1), stakeholder_id="a")
        editor.add_engagements("M", read_engagements(csv("date,stakeholder_id\n2026-03-02,c\n"), ["a", "b", "c"]))
        editor.edit_engagement("M", eid, stakeholder_id="a", notes="changed")
        log = store.audit_log().iloc[before:]
        assert log["actor"].tolist() == ["ed@x.org"] * 3
        assert log["action"].tolist() == ["log_engagement", "add_engagements", "edit_engagement"]
        assert store.engagements("M")["logged_by"].tolist()[-2:] == ["ed@x.org", "ed@x.org"]
