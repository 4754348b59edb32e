"""Privacy: erase a person for good; a pseudonymised export fit for sharing; nothing leaves the machine."""

from __future__ import annotations

import ipaddress
import tomllib
from datetime import date
from io import BytesIO
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from tests.support import csv, dump

from stakeholder_map import schema as s
from stakeholder_map.cli import cli
from stakeholder_map.errors import MapNotFound, UnknownStakeholder
from stakeholder_map.export import (
    EXPORT_FILES,
    OTHER_DEPARTMENT,
    merge_small_departments,
    pseudonym,
    pseudonymised_export,
    zip_files,
)
from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store
from stakeholder_map.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent

PEOPLE = """\
id,name,department,role,stance,influence,email,notes,Badge
a,Ann Archer,IT,CIO,supporter,5,ann@example.org,Knows the CFO,B-17
b,Bo Brandt,Finance,CFO,skeptic,5,bo@example.org,SECRETNOTEBO,B-22
c,Cy Cole,Finance,Analyst,,2,,,
d,Di Dunn,Finance,Analyst,neutral,1,,,
"""
TIES = "source,target,weight,kind\na,b,2,advice\nb,c,1,reports_to\nb,d,1,reports_to\nc,b,3,advice\nd,a,1,friendship\n"
EVENTS = ("date,stakeholder_id,activity,stance_after,notes\n2026-01-05,b,demo,neutral,BOSAIDTHIS\n"
          "2026-01-06,c,lunch,,fine\n")


@pytest.fixture
def filled(db_path) -> Path:
    with Store(db_path) as store:
        store.import_map("M", read_map(csv(PEOPLE), csv(TIES), csv(EVENTS)), today=date(2026, 1, 1))
        store.import_map("Other map", read_map(csv(PEOPLE), csv(TIES)), today=date(2026, 1, 1))
        eid = store.log_engagement("M", when=date(2026, 1, 10), stakeholder_id="b", activity="1:1",
                                   stance_after=1, notes="BOLOGGEDNOTE")
        store.edit_engagement("M", eid, when=date(2026, 1, 11), stakeholder_id="b", activity="1:1",
                              stance_after=1, notes="BOEDITEDNOTE")
        store.add_milestone("M", due=date(2026, 6, 30), target=0.5, department="Finance")
    return db_path


# ----------------------------------------------------------------------- erase

def test_erase_removes_the_person_and_everything_about_them(filled):
    with Store(filled) as store:
        revision = store.revision
        report = store.erase_person("M", "b")
        assert (report.people, report.ties, report.engagements) == (1, 4, 2)
        assert report.stance_history == 3 and report.engagement_changes == 2 and report.compacted
        assert store.people("M")[s.ID].tolist() == ["a", "c", "d"]
        ties = store.ties("M")
        assert "b" not in set(ties[s.SOURCE]) | set(ties[s.TARGET]) and len(ties) == 1
        assert store.engagements("M")[s.STAKEHOLDER_ID].tolist() == ["c"]
        assert "b" not in set(store.stance_history("M")[s.STAKEHOLDER_ID])
        changes = store.engagement_changes("M")
        assert all((r or {}).get("stakeholder_id") != "b" for r in list(changes["before"]) + list(changes["after"]))
        assert len(store.people("Other map")) == 4 and len(store.ties("Other map")) == 5  # other maps untouched
        assert len(store.milestones("M")) == 1 and store.revision == revision + 1


SECRETS = (b"Bo Brandt", b"bo@example.org", b"SECRETNOTEBO", b"BOSAIDTHIS", b"BOLOGGEDNOTE", b"BOEDITEDNOTE")


def file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def test_erased_text_is_gone_from_the_database_file(filled):
    with Store(filled) as store:
        store.delete_map("Other map")
    assert all(secret in file_bytes(filled) for secret in SECRETS)  # stored as plain bytes, so the check below holds
    with Store(filled) as store:
        store.erase_person("M", "b")
    raw = file_bytes(filled)
    for secret in SECRETS:
        assert secret not in raw, secret
    with Store(filled) as store:
        assert store.people("M")[s.NAME].tolist() == ["Ann Archer", "Cy Cole", "Di Dunn"]


def test_erase_is_all_or_nothing(filled, monkeypatch):
    before = dump(filled)
    with Store(filled) as store:
        real = store._query

        def fail_on_people(sql, params=()):
            if sql.startswith("DELETE FROM stakeholders"):
                raise RuntimeError("power cut")
            return real(sql, params)

        monkeypatch.setattr(store, "_query", fail_on_people)
        with pytest.raises(RuntimeError):
            store.erase_person("M", "b")
    assert dump(filled) == before


def test_erase_unknown_person_or_map(filled):
    with Store(filled) as store:
        with pytest.raises(UnknownStakeholder):
            store.erase_person("M", "zz")
        with pytest.raises(MapNotFound):
            store.erase_person("Nope", "a")


def test_erase_in_memory_does_not_compact(store):
    store.import_map("M", read_map(csv(PEOPLE), csv(TIES)))
    assert store.erase_person("M", "a").compacted is False
    assert len(store.people("M")) == 3


def test_cli_erase_asks_first_unless_yes(filled):
    runner = CliRunner()
    declined = runner.invoke(cli, ["erase", "--map", "M", "--id", "b", "--db", str(filled)], input="n\n")
    assert declined.exit_code == 1 and "Erase Bo Brandt (id b)" in declined.output
    with Store(filled) as store:
        assert len(store.people("M")) == 4
    confirmed = runner.invoke(cli, ["erase", "--map", "M", "--id", "b", "--db", str(filled)], input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert "4 ties, 2 engagements" in confirmed.output
    result = runner.invoke(cli, ["erase", "--map", "M", "--id", "a", "--yes", "--db", str(filled)])
    assert result.exit_code == 0 and "Erased 'a'" in result.output
    missing = runner.invoke(cli, ["erase", "--map", "M", "--id", "a", "--yes", "--db", str(filled)])
    assert missing.exit_code == 1 and "no stakeholder with id 'a'" in missing.output
    with Store(filled) as store:
        assert store.people("M")[s.ID].tolist() == ["c", "d"]


# ----------------------------------------------------------- pseudonymised export

def big_enough(store: Store) -> None:
    """IT 6, Finance 5, Legal 2, HR 1: Legal and HR are merged into Other (3 people, so Finance joins)."""
    rows = ([f"it{i},IT person {i},IT,staff,supporter,3,it{i}@x.org,secret {i}" for i in range(6)]
            + [f"fi{i},Fin person {i},Finance,manager,skeptic,4,,=cmd()" for i in range(5)]
            + ["le0,Lee Legal,Legal,lead,,2,,", "le1,Lou Legal,Legal,,,,,", "hr0,Hana HR,HR,director,neutral,5,,"])
    people = "id,name,department,seniority,stance,influence,email,notes\n" + "\n".join(rows) + "\n"
    ids = [r.split(",")[0] for r in rows]
    ties = "source,target,weight,kind\n" + "".join(f"{ids[i]},{ids[(i * 5 + 3) % len(ids)]},{1 + i % 3},advice\n"
                                                   for i in range(len(ids)))
    events = "date,stakeholder_id,activity,stance_after,notes\n2026-02-01,hr0,meeting,supporter,PRIVATE REMARK\n"
    store.import_map("Org", read_map(csv(people), csv(ties), csv(events)))


def files_text(files: dict) -> str:
    return "".join(b.decode() for b in files.values())


def test_pseudonymised_files_name_no_one(store):
    big_enough(store)
    files = pseudonymised_export(store, "Org", salt="correct horse battery")
    assert list(files) == list(EXPORT_FILES)
    text = files_text(files)
    for secret in ("person", "Legal", "Hana", "@x.org", "secret", "PRIVATE REMARK", "=cmd", "it0", "hr0", "fi1",
                   "correct horse", "staff"):
        assert secret not in text, secret
    people = pd.read_csv(BytesIO(files["stakeholders.csv"]), dtype=str, keep_default_na=False)
    assert list(people.columns) == [s.ID, s.NAME, s.DEPARTMENT, s.SENIORITY, s.STANCE, s.INFLUENCE, s.INTEREST]
    assert (people[s.ID] == people[s.NAME]).all() and people[s.ID].str.fullmatch(r"P[0-9a-f]{16}").all()
    assert people[s.ID].tolist() == sorted(people[s.ID])  # order tells nothing
    assert people[s.DEPARTMENT].value_counts().to_dict() == {OTHER_DEPARTMENT: 8, "IT": 6}
    events = pd.read_csv(BytesIO(files["engagements.csv"]), dtype=str, keep_default_na=False)
    assert list(events.columns) == [s.DATE, s.STAKEHOLDER_ID, s.ACTIVITY, s.STANCE_AFTER]


def test_pseudonymised_files_import_as_the_same_network(store):
    big_enough(store)
    files = pseudonymised_export(store, "Org")
    data = read_map(*(BytesIO(files[f]) for f in EXPORT_FILES))
    store.import_map("Shared copy", data)
    original, shared = Workspace(store, "Org").graph(), Workspace(store, "Shared copy").graph()
    assert sorted(d for _, d in original.degree()) == sorted(d for _, d in shared.degree())
    assert sorted(w for *_, w in original.edges(data="weight")) == sorted(w for *_, w in shared.edges(data="weight"))
    assert sorted(store.people("Org")[s.STANCE].dropna()) == sorted(store.people("Shared copy")[s.STANCE].dropna())


def test_pseudonyms_are_keyed_hashes():
    assert pseudonym("E001", "salt one!") != pseudonym("E001", "salt two!")
    assert pseudonym("E001", "x" * 100) == pseudonym("E001", b"x" * 100)  # long salts are hashed to a key


def test_the_same_salt_gives_the_same_pseudonyms_and_no_salt_a_fresh_one(store):
    big_enough(store)
    one = pseudonymised_export(store, "Org", salt="team secret 2026")
    two = pseudonymised_export(store, "Org", salt=b"team secret 2026")
    fresh = [pseudonymised_export(store, "Org") for _ in range(2)]
    assert one == two
    ids = [set(pd.read_csv(BytesIO(f["stakeholders.csv"]), dtype=str)[s.ID]) for f in (one, *fresh)]
    assert not ids[0] & ids[1] and not ids[1] & ids[2]


def test_keep_role_or_custom_columns_on_request(store):
    people = "id,name,department,role,Site,Badge\n1,Ann,IT,CIO,Paris,B1\n2,Bo,IT,,Rome,B2\n"
    store.import_map("R", read_map(csv(people)))
    files = pseudonymised_export(store, "R", salt="long enough salt", keep=["role", "Site"])
    people = pd.read_csv(BytesIO(files["stakeholders.csv"]), dtype=str, keep_default_na=False)
    assert {s.ROLE, "Site"} <= set(people.columns) and "Badge" not in people.columns
    assert sorted(people["Site"]) == ["Paris", "Rome"] and set(people[s.DEPARTMENT]) == {OTHER_DEPARTMENT}
    with pytest.raises(ValueError, match="Badge2"):
        pseudonymised_export(store, "R", keep=["Badge2"])
    with pytest.raises(ValueError, match="8 characters"):
        pseudonymised_export(store, "R", salt="short")


@pytest.mark.parametrize("sizes,expected", [
    ({"A": 5, "B": 4}, {OTHER_DEPARTMENT: 9}),  # B alone would make an Other of 4: A joins it
    ({"A": 9, "B": 3, "C": 2}, {"A": 9, OTHER_DEPARTMENT: 5}),
    ({"A": 3}, {OTHER_DEPARTMENT: 3}),
    ({"A": 5, "B": 5}, {"A": 5, "B": 5}),
])
def test_small_departments_merge_until_other_is_big_enough(sizes, expected):
    departments = pd.Series([d for d, n in sizes.items() for _ in range(n)])
    assert merge_small_departments(departments).value_counts().to_dict() == expected


def test_cli_pseudonymised_export(filled, tmp_path, monkeypatch):
    runner = CliRunner()
    out = tmp_path / "share"
    result = runner.invoke(cli, ["export", "--map", "M", "--out", str(out), "--pseudonymise", "--db", str(filled)])
    assert result.exit_code == 0, result.output
    text = "".join((out / f).read_text() for f in EXPORT_FILES)
    assert "Bo Brandt" not in text and "SECRETNOTEBO" not in text and "random salt" in result.output
    monkeypatch.setenv("STAKEHOLDER_MAP_SALT", "from the environment")
    again = [runner.invoke(cli, ["export", "--map", "M", "--out", str(tmp_path / f"s{i}"), "--pseudonymise",
                                 "--db", str(filled)]) for i in range(2)]
    assert all(r.exit_code == 0 for r in again)
    assert (tmp_path / "s0" / "influences.csv").read_bytes() == (tmp_path / "s1" / "influences.csv").read_bytes()
    plain = runner.invoke(cli, ["export", "--map", "M", "--out", str(tmp_path / "plain"), "--db", str(filled)])
    assert plain.exit_code == 0 and "Bo Brandt" in (tmp_path / "plain" / "stakeholders.csv").read_text()
    monkeypatch.delenv("STAKEHOLDER_MAP_SALT")
    misuse = runner.invoke(cli, ["export", "--map", "M", "--out", str(out), "--keep", "role", "--db", str(filled)])
    assert misuse.exit_code == 2 and "--pseudonymise" in misuse.output


def test_zip_of_the_files_for_one_download(store):
    import zipfile

    big_enough(store)
    archive = zipfile.ZipFile(BytesIO(zip_files(pseudonymised_export(store, "Org", salt="long enough salt"))))
    assert archive.namelist() == list(EXPORT_FILES)


# -------------------------------------------------------------- stays local

def test_streamlit_sends_no_usage_statistics_and_limits_uploads():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert 0 < config["server"]["maxUploadSize"] <= 200


def test_streamlit_listens_on_loopback_only_and_looks_up_no_address():
    """Loopback only (no sign-in yet), and a manual browser address so no IP lookup runs at start-up."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert ipaddress.ip_address(config["server"]["address"]).is_loopback
    assert ipaddress.ip_address(config["browser"]["serverAddress"]).is_loopback
    assert config["browser"]["gatherUsageStats"] is False


def test_the_library_makes_no_network_calls():
    sources = [p for p in (ROOT / "stakeholder_map").rglob("*.py")] + [ROOT / "app.py"]
    for path in sources:
        text = path.read_text()
        for module in ("requests", "urllib.request", "http.client", "socket", "httpx", "aiohttp"):
            assert f"import {module}" not in text and f"from {module} import" not in text, (path, module)


def test_erase_inside_a_larger_transaction_leaves_the_rewrite_for_later(filled):
    with Store(filled) as store:
        with store.atomic():
            report = store.erase_person("M", "b")
            store.erase_person("M", "c")
        assert report.compacted is False and store.people("M")[s.ID].tolist() == ["a", "d"]
        assert store.compact() is True
