"""The store: maps in one DuckDB file, all-or-nothing imports, stance history."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import duckdb
import pytest
from tests.support import csv, dump

from stakeholder_map import schema as s
from stakeholder_map.errors import ContractError, MapExists, MapNotFound, StoreError
from stakeholder_map.ingest import read_map
from stakeholder_map.store import DB_ENV, DEFAULT_DB, SCHEMA_VERSION, Store, resolve_db_path
from stakeholder_map.workspace import Workspace

PEOPLE = "id,name,department,stance\na,Ann,IT,supporter\nb,Bo,Finance,skeptic\nc,Cy,Finance,\n"
TIES = "source,target,weight,kind\na,b,2,advice\nb,c,1,reports_to\na,b,1,friendship\n"


def sample(people=PEOPLE, ties=TIES, engagements=None):
    return read_map(csv(people), csv(ties), csv(engagements) if engagements else None)


def test_import_then_read_back(store):
    report = store.import_map("Rollout", sample(), today=date(2026, 1, 1))
    assert (report.people, report.ties, report.engagements, report.replaced) == (3, 3, 0, False)
    people = store.people("Rollout")
    assert list(people[s.ID]) == ["a", "b", "c"]
    assert people[s.STANCE].tolist()[:2] == [1, -1] and people[s.STANCE].isna().iloc[2]
    assert store.ties("Rollout")[s.KIND].tolist() == ["advice", "reports_to", "friendship"]
    assert store.ties("Rollout", kinds=["advice"]).shape[0] == 1
    assert store.tie_kinds("Rollout") == ["advice", "friendship", "reports_to"]


def test_one_file_holds_many_maps(store):
    store.import_map("One", sample())
    store.import_map("Two", sample(people="id,name\nx,Xi\n", ties="source,target\n"))
    maps = store.list_maps().set_index("name")
    assert maps.loc["One", "people"] == 3 and maps.loc["Two", "people"] == 1
    assert maps.loc["One", "ties"] == 3 and store.map_names() == ["One", "Two"]


def test_importing_over_an_existing_map_needs_replace(store):
    store.import_map("Rollout", sample())
    with pytest.raises(MapExists, match="--replace"):
        store.import_map("Rollout", sample())


def test_replace_appends_history_only_for_changed_stances(store):
    store.import_map("R", sample(), today=date(2026, 1, 1))
    changed = PEOPLE.replace("b,Bo,Finance,skeptic", "b,Bo,Finance,neutral") + "d,Di,HR,champion\n"
    report = store.import_map("R", sample(people=changed), replace=True, today=date(2026, 2, 1))
    assert report.replaced and report.stance_changes == 2
    history = store.stance_history("R")
    assert history[["stakeholder_id", "stance", "recorded_on", "source"]].values.tolist() == [
        ["a", 1, date(2026, 1, 1), "import"],
        ["b", -1, date(2026, 1, 1), "import"],
        ["b", 0, date(2026, 2, 1), "import"],
        ["d", 2, date(2026, 2, 1), "import"],
    ]
    assert len(store.people("R")) == 4


def test_engagement_stances_enter_the_history(store):
    events = "date,stakeholder_id,activity,stance_after\n2025-12-01,c,demo,neutral\n2025-12-05,c,lunch,\n"
    store.import_map("R", sample(engagements=events), today=date(2026, 1, 1))
    history = store.stance_history("R", "c")
    assert history[["stance", "recorded_on", "source"]].values.tolist() == [[0, date(2025, 12, 1), "engagement"]]
    # replacing with the same engagements does not duplicate their history
    store.import_map("R", sample(engagements=events), replace=True, today=date(2026, 1, 2))
    assert len(store.stance_history("R", "c")) == 1


def test_refused_file_leaves_store_unchanged(db_path):
    with Store(db_path) as store:
        store.import_map("R", sample())
    before = dump(db_path)
    with pytest.raises(ContractError):
        bad = read_map(csv(PEOPLE), csv("source,target\na,b\nb,c\na,c\nzz,a\n"))
        with Store(db_path) as store:
            store.import_map("R", bad, replace=True)
    assert dump(db_path) == before


def test_failure_mid_import_rolls_everything_back(db_path, monkeypatch):
    with Store(db_path) as store:
        store.import_map("R", sample())
        revision = store.revision
    before = dump(db_path)

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    with Store(db_path) as store:
        monkeypatch.setattr(store, "_record_stances", explode)
        new = sample(people=PEOPLE + "d,Di,HR,champion\n")
        with pytest.raises(RuntimeError):
            store.import_map("R", new, replace=True)
        with pytest.raises(RuntimeError):
            store.import_map("Fresh map", new)
        assert store.revision == revision
    assert dump(db_path) == before


def test_atomic_block_rolls_back_every_write(store):
    store.import_map("R", sample())
    with pytest.raises(ValueError):
        with store.atomic():
            store.delete_map("R")
            store.create_map("Other")
            raise ValueError("changed my mind")
    assert store.map_names() == ["R"] and len(store.people("R")) == 3


def test_revision_grows_with_every_write(store):
    seen = [store.revision]
    store.import_map("R", sample())
    seen.append(store.revision)
    store.rename_map("R", "S")
    seen.append(store.revision)
    store.delete_map("S")
    seen.append(store.revision)
    assert seen == sorted(set(seen))


def test_rename_and_delete(store):
    store.import_map("R", sample())
    store.create_map("Empty")
    store.rename_map("R", "Renamed")
    assert store.map_names() == ["Renamed", "Empty"]
    with pytest.raises(MapExists):
        store.rename_map("Empty", "Renamed")
    store.delete_map("Renamed")
    assert store.map_names() == ["Empty"]
    with pytest.raises(MapNotFound):
        store.people("Renamed")


def test_map_names_are_data_not_sql(store):
    name = "x'; DROP TABLE stakeholders; --"
    store.import_map(name, sample())
    assert store.map_names() == [name] and len(store.people(name)) == 3


@pytest.mark.parametrize("name", ["", "   ", "x" * 500])
def test_map_name_must_be_sensible(store, name):
    with pytest.raises(StoreError):
        store.create_map(name)


def test_custom_attributes_round_trip(store):
    store.import_map("R", read_map(csv("id,name,Site,Badge\n1,Ann,Paris,007\n")))
    assert store.custom_columns("R") == ["Site", "Badge"]
    assert store.people("R")[s.ATTRIBUTES].iloc[0] == {"Site": "Paris", "Badge": "007"}


def test_graph_sums_weights_per_pair(store):
    store.import_map("R", sample())
    G = Workspace(store, "R").graph()
    assert G["a"]["b"]["weight"] == 3.0 and G.nodes["c"]["department"] == "Finance"
    assert Workspace(store, "R").graph(["advice"])["a"]["b"]["weight"] == 2.0


def test_schema_version_is_recorded_and_newer_files_are_refused(db_path):
    with Store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
    con = duckdb.connect(str(db_path))
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db_path)


def test_db_path_comes_from_argument_then_environment_then_default(monkeypatch):
    monkeypatch.delenv(DB_ENV, raising=False)
    assert resolve_db_path(None) == DEFAULT_DB == resolve_db_path("")
    monkeypatch.setenv(DB_ENV, "/tmp/from-env.duckdb")
    assert str(resolve_db_path(None)) == "/tmp/from-env.duckdb"
    assert str(resolve_db_path("explicit.duckdb")) == "explicit.duckdb"


def test_store_is_a_real_file_another_process_can_read(db_path):
    with Store(db_path) as store:
        store.import_map("R", sample())
    code = ("import duckdb,sys; c=duckdb.connect(sys.argv[1], read_only=True);"
            "print(c.execute('select count(*) from stakeholders').fetchone()[0])")
    out = subprocess.run([sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "3"


# ------------------------------------------------------ engagements (schema 2)

def test_logging_an_engagement_records_stance_history_and_current_stance(store):
    store.import_map("R", sample(), today=date(2026, 1, 1))
    eid = store.log_engagement("R", when=date(2026, 1, 10), stakeholder_id="b", activity="demo",
                               stance_after=1, notes="convinced by the demo")
    events = store.engagements("R")
    assert events.loc[eid, "stakeholder_id"] == "b" and events.loc[eid, "stance_after"] == 1
    assert store.people("R").set_index("id").loc["b", "stance"] == 1
    assert store.stance_history("R", "b")[["stance", "source"]].values.tolist() == [
        [-1, "import"], [1, "engagement"]]


def test_an_older_engagement_does_not_override_a_newer_stance(store):
    store.import_map("R", sample(), today=date(2026, 1, 1))
    store.log_engagement("R", when=date(2025, 6, 1), stakeholder_id="b", stance_after=2)
    assert store.people("R").set_index("id").loc["b", "stance"] == -1


def test_edit_and_delete_are_recorded(store):
    store.import_map("R", sample(), today=date(2026, 1, 1))
    eid = store.log_engagement("R", when=date(2026, 1, 10), stakeholder_id="c", stance_after=0)
    store.edit_engagement("R", eid, when=date(2026, 1, 11), stakeholder_id="c", activity="workshop",
                          stance_after=1)
    assert store.people("R").set_index("id").loc["c", "stance"] == 1
    store.delete_engagement("R", eid)
    assert store.engagements("R").empty
    changes = store.engagement_changes("R")
    assert changes["action"].tolist() == ["log", "edit", "delete"]
    assert changes["before"].iloc[1]["stance_after"] == 0 and changes["after"].iloc[1]["activity"] == "workshop"
    assert store.stance_history("R", "c").empty  # its stance came only from the deleted engagement


def test_engagement_for_unknown_person_is_refused(store):
    from stakeholder_map.errors import UnknownStakeholder

    store.import_map("R", sample())
    with pytest.raises(UnknownStakeholder):
        store.log_engagement("R", when=date(2026, 1, 1), stakeholder_id="zz")


def test_milestones(store):
    store.import_map("R", sample())
    first = store.add_milestone("R", due=date(2027, 3, 31), target=0.6, department="Finance",
                                label="60% of Finance supporter or better")
    store.add_milestone("R", due=date(2027, 1, 31), target=1.0, kind="champion_engaged")
    frame = store.milestones("R")
    assert frame["kind"].tolist() == ["champion_engaged", "share"]
    assert frame.set_index("milestone_id").loc[first, "department"] == "Finance"
    store.delete_milestone("R", first)
    assert len(store.milestones("R")) == 1
    with pytest.raises(StoreError):
        store.add_milestone("R", due=date(2027, 1, 1), target=1.5)


def test_a_schema_1_file_is_migrated(db_path):
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.close()
    with Store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION == 5
        store.import_map("R", sample())
        assert store.milestones("R").empty


def test_adding_many_engagements_is_one_write(store):
    from stakeholder_map.ingest import read_engagements

    store.import_map("R", sample(), today=date(2026, 1, 1))
    events = read_engagements(csv("date,stakeholder_id,stance_after\n2026-02-01,b,neutral\n2026-02-02,c,\n"),
                              ["a", "b", "c"])
    revision = store.revision
    ids = store.add_engagements("R", events)
    assert store.revision == revision + 1 and len(ids) == 2
    assert store.people("R").set_index("id").loc["b", "stance"] == 0
    assert store.engagement_changes("R")["action"].tolist() == ["log", "log"]
