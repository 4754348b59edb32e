"""Interaction logs into ties: the three shapes, matching, broadcasts, half-life weights, reciprocity,
idempotent re-import, refusals that change nothing, and the CLI command."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import numpy as np
import pytest
from click.testing import CliRunner

from stakeholder_map.access import LOCAL_USER, Member
from stakeholder_map.cli import cli
from stakeholder_map.errors import AccessDenied, ContractError
from stakeholder_map.ingest import read_map
from stakeholder_map.ingest_interactions import read_interactions
from stakeholder_map.store import Store

PEOPLE = b"id,name,email\n1,Ann,Ann@X.org\n2,Bo,bo@x.org\n3,Cy, cy@x.org \n4,Di,\n"
INFLUENCES = b"source,target,kind\n1,2,advice\n2,3,email\n"


def log(text: bytes | str, name: str = "log.csv"):
    return read_interactions(BytesIO(text.encode() if isinstance(text, str) else text), name=name)


@pytest.fixture
def mapped(store):
    store.import_map("M", read_map(BytesIO(PEOPLE), BytesIO(INFLUENCES)))
    return store


def ties(store, kind="email"):
    frame = store.ties("M", [kind])
    return {(a, b): round(w, 9) for a, b, w in zip(frame["source"], frame["target"], frame["weight"])}


def generated_log(seed: int = 7, messages: int = 300) -> tuple[bytes, dict]:
    """A log among Ann, Bo, Cy and two outsiders, in shape (a), with the expected per-pair message counts."""
    rng = np.random.default_rng(seed)
    people = ["ann@x.org", "BO@x.org", "cy@x.org", "out@y.org", "ext@z.org"]
    owner = {"ann@x.org": "1", "bo@x.org": "2", "cy@x.org": "3"}
    lines, counts = ["Date,From,To,Subject,Body"], {}
    for i in range(messages):
        sender = rng.integers(len(people))
        others = [p for j, p in enumerate(people) if j != sender]
        chosen = rng.choice(others, size=rng.integers(1, 4), replace=False)
        lines.append(f"2026-03-{1 + i % 28:02d},{people[sender]},{';'.join(chosen)},\"secret, do not read\",body")
        for r in chosen:
            a, b = owner.get(people[sender].lower()), owner.get(r.lower())
            if a and b:
                counts[(a, b)] = counts.get((a, b), 0) + 1
    return ("\n".join(lines) + "\n").encode(), counts


# ------------------------------------------------------------------ the three shapes

def test_shape_a_on_a_generated_log_counts_every_matched_pair(mapped):
    text, counts = generated_log()
    report = mapped.import_interactions("M", log(text), half_life_days=1e9)
    got = ties(mapped)
    assert {pair: round(w) for pair, w in got.items()} == counts  # an enormous half-life: weight = count
    assert report.messages == report.rows == 300
    assert report.unmatched_addresses == 2 and set(report.unmatched_examples) == {"out@y.org", "ext@z.org"}
    assert report.pairs_counted == sum(counts.values())


def test_shape_b_pairs_group_into_messages_by_id_or_by_sender_and_time(mapped):
    pairs = ("timestamp,sender,recipient\n"
             "2026-01-05 10:00,ann@x.org,bo@x.org\n2026-01-05 10:00,ann@x.org,cy@x.org\n"
             "2026-01-05 11:00,bo@x.org,ann@x.org\n")
    report = mapped.import_interactions("M", log(pairs), max_recipients=1)
    assert report.messages == 2 and report.broadcasts_dropped == 1  # ann's message had two recipients
    assert ties(mapped) == {("2", "1"): 1.0}
    with_ids = ("message_id,timestamp,sender,recipient\n"
                "m1,2026-01-05 10:00,ann@x.org,bo@x.org\nm2,2026-01-05 10:00,ann@x.org,cy@x.org\n")
    report = mapped.import_interactions("M", log(with_ids), max_recipients=1)
    assert report.messages == 2 and report.broadcasts_dropped == 0
    assert ties(mapped) == {("1", "2"): 1.0, ("1", "3"): 1.0}


ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VEVENT\r
UID:1\r
SUMMARY:Secret reorganisation\r
DTSTART:20260105T000000Z\r
ORGANIZER;CN=Ann:mailto:ANN@x.org\r
ATTENDEE;CN=Bo;PARTSTAT=ACCEPTED:mailto:bo@x.org\r
ATTENDEE;CN=Cy;PARTSTAT=DECLINED:mailto:cy@x.org\r
ATTENDEE:mailto:someone@else.org\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:2\r
DTSTART;VALUE=DATE:20251007\r
ORGANIZER:mailto:bo@x.org\r
ATTENDEE:mailto:ann@x.org\r
ATTENDEE:mailto:cy@x\r
 .org\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:3\r
STATUS:CANCELLED\r
DTSTART:20260105T090000Z\r
ORGANIZER:mailto:bo@x.org\r
ATTENDEE:mailto:ann@x.org\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_shape_c_ics_ties_organiser_to_each_attendee(mapped):
    events = log(ICS, "team.ics")
    assert events.kind == "meeting" and events.rows == 3 and events.messages == 2
    report = mapped.import_interactions("M", events, half_life_days=90)
    # Event 2 is 90 days before event 1 (the newest): it counts half. Cy declined event 1; event 3 was cancelled.
    assert ties(mapped, "meeting") == {("1", "2"): 1.0, ("2", "1"): 0.5, ("2", "3"): 0.5}
    assert report.reciprocated_pairs == 1 and report.unmatched_examples == ["someone@else.org"]
    assert any("cancelled" in w for w in report.warnings)
    assert ties(mapped) == {("2", "3"): 1.0}  # the file's email tie is another kind: untouched


def test_ics_event_without_organiser_is_refused_with_its_line():
    text = ICS.replace("ORGANIZER:mailto:bo@x.org\r\nATTENDEE:mailto:ann@x.org\r\nATTENDEE:mailto:cy@x",
                       "ATTENDEE:mailto:ann@x.org\r\nATTENDEE:mailto:cy@x")
    with pytest.raises(ContractError) as e:
        log(text, "team.ics")
    assert [(p.file, p.row, p.column) for p in e.value.problems] == [("team.ics", 13, "ORGANIZER")]


# ------------------------------------------------------------------ semantics

def test_matching_ignores_case_and_spaces_on_both_sides(mapped):
    mapped.import_interactions("M", log("date,from,to\n"
                                        "2026-01-01,\"Ann Smith <ANN@x.ORG>\",  Bo@X.Org ; CY@x.org\n"))
    assert ties(mapped) == {("1", "2"): 1.0, ("1", "3"): 1.0}


def test_broadcast_above_the_limit_is_dropped_whole(mapped):
    crowd = ";".join(["bo@x.org", "cy@x.org"] + [f"p{i}@y.org" for i in range(30)])
    report = mapped.import_interactions("M", log(f"date,from,to\n2026-01-01,ann@x.org,{crowd}\n"
                                                 "2026-01-02,ann@x.org,bo@x.org;bo@x.org;ann@x.org\n"))
    assert report.broadcasts_dropped == 1
    assert ties(mapped) == {("1", "2"): 1.0}  # repeated recipient once, self-copy left out
    report = mapped.import_interactions("M", log(f"date,from,to\n2026-01-01,ann@x.org,{crowd}\n"),
                                        max_recipients=40)
    assert report.broadcasts_dropped == 0 and ties(mapped)[("1", "2")] == 1.0


def test_half_life_weighting_is_exact_and_as_of_leaves_later_messages_out(mapped):
    text = ("date,from,to\n2026-07-01,ann@x.org,bo@x.org\n2026-04-02,ann@x.org,bo@x.org\n"
            "2026-01-02,ann@x.org,bo@x.org\n")  # 0, 90 and 180 days before the newest
    report = mapped.import_interactions("M", log(text), half_life_days=90)
    assert ties(mapped) == {("1", "2"): 1.75} and report.as_of.startswith("2026-07-01")
    report = mapped.import_interactions("M", log(text), half_life_days=90, as_of=date(2026, 4, 1))
    # Counted back from 2026-04-02 00:00 UTC: the April message is later and left out; January is 90 days old.
    assert ties(mapped) == {("1", "2"): 0.5} and report.after_as_of == 2


def test_reciprocity_is_counted_per_pair(mapped):
    report = mapped.import_interactions("M", log("date,from,to\n2026-01-01,ann@x.org,bo@x.org;cy@x.org\n"
                                                 "2026-01-01,bo@x.org,ann@x.org\n2026-01-01,cy@x.org,bo@x.org\n"))
    assert report.reciprocated_pairs == 1 and report.ties == 4


def test_reimport_gives_the_same_map_and_is_audited(mapped):
    text, _ = generated_log()
    mapped.import_interactions("M", log(text), by="ann@x.org")
    first = mapped.ties("M")
    mapped.import_interactions("M", log(text), by="ann@x.org")
    assert mapped.ties("M").equals(first)
    assert set(first["kind"].dropna()) == {"advice", "email"} and ("1", "2") in set(
        zip(first.loc[first["kind"] == "advice", "source"], first.loc[first["kind"] == "advice", "target"]))
    audit = mapped.audit_log("M")
    rows = audit[audit["action"] == "import_interactions"]
    assert len(rows) == 2 and set(rows["actor"]) == {"ann@x.org"}
    detail = json.loads(rows["detail"].iloc[-1])
    assert detail["kind"] == "email" and "ann@x.org" not in rows["detail"].iloc[-1]


def test_member_guard_needs_an_admin(mapped):
    mapped.add_member("ed@x.org", "editor", "M", by=LOCAL_USER)
    with pytest.raises(AccessDenied):
        Member(mapped, "ed@x.org").import_interactions("M", log("date,from,to\n2026-01-01,ann@x.org,bo@x.org\n"))
    Member(mapped, None, local=True).import_interactions("M", log("date,from,to\n2026-01-01,ann@x.org,bo@x.org\n"))
    assert mapped.audit_log("M")["actor"].iloc[-1] == LOCAL_USER


# ------------------------------------------------------------------ bad input

def test_bad_rows_are_refused_naming_file_row_and_column_and_the_store_is_unchanged(tmp_path):
    path = tmp_path / "maps.duckdb"
    with Store(path) as store:
        store.import_map("M", read_map(BytesIO(PEOPLE), BytesIO(INFLUENCES)))
        store.import_interactions("M", log("date,from,to\n2026-01-01,ann@x.org,bo@x.org\n"))
    bad = ("Sent,From,To\n2026-01-01,ann@x.org,bo@x.org\nnext week,ann@x.org,bo@x.org\n"
           "2026-01-03,,bo@x.org\n2026-01-04,ann@x.org,\"bo@x.org, cy@x.org\"\n")
    with pytest.raises(ContractError) as e:
        log(bad, "mail.csv")
    assert [(p.file, p.row, p.column) for p in e.value.problems] == [
        ("mail.csv", 3, "Sent"), ("mail.csv", 4, "From"), ("mail.csv", 5, "To")]
    assert "'next week' is not an ISO 8601" in str(e.value) and "separate addresses with ';'" in str(e.value)
    with pytest.raises(ContractError) as e:
        log("date,sender,subject\n2026-01-01,ann@x.org,hi\n", "mail.csv")
    assert e.value.problems[0].column == "recipients" and e.value.problems[0].row == 1
    with Store(path) as store:
        before = store.ties("M"), store.revision, len(store.audit_log())
        with pytest.raises(Exception):
            with store.atomic():  # a failure inside the import's transaction leaves nothing behind
                store.import_interactions("M", log("date,from,to\n2026-02-01,bo@x.org,cy@x.org\n"))
                raise RuntimeError("crash")
    with Store(path) as store:
        assert store.ties("M").equals(before[0]) and store.revision == before[1]
        assert len(store.audit_log()) == before[2]


def test_tolerant_reader_numbers_rows_after_blank_lines_and_reads_windows_1252():
    text = "date;from;to\n\n2026-01-01;ann@x.org;bo@x.org\n\n2026-13-01;ann@x.org;bo@x.org\n"
    with pytest.raises(ContractError) as e:
        log(text)
    assert [(p.row, p.column) for p in e.value.problems] == [(5, "date")]
    found = log("date,from,to,subject\n2026-01-01,ann@x.org,bo@x.org,Caf\xe9\n".encode("cp1252"))
    assert found.rows == 1 and found.addresses.to_pylist() == ["ann@x.org", "bo@x.org"]


# ------------------------------------------------------------------ CLI

def test_cli_import_prints_the_counts_and_is_recorded_as_the_local_user(tmp_path):
    db = tmp_path / "maps.duckdb"
    with Store(db) as store:
        store.import_map("M", read_map(BytesIO(PEOPLE), BytesIO(INFLUENCES)))
    (tmp_path / "mail.csv").write_text("date,from,to\n2026-01-01,ann@x.org,bo@x.org;who@y.org\n"
                                       "2026-01-02,bo@x.org,ann@x.org\n")
    result = CliRunner().invoke(cli, ["interactions", "import", str(tmp_path / "mail.csv"), "--map", "M",
                                      "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["ties"], report["messages"], report["reciprocated_pairs"], report["unmatched_addresses"],
            report["broadcasts_dropped"]) == (2, 2, 1, 1, 0)
    result = CliRunner().invoke(cli, ["interactions", "import", str(tmp_path / "mail.csv"), "--map", "M",
                                      "--db", str(db)])
    assert result.exit_code == 0 and "reciprocated pairs" in result.output and "who@y.org" in result.output
    (tmp_path / "bad.csv").write_text("date,from,to\nsoon,ann@x.org,bo@x.org\n")
    result = CliRunner().invoke(cli, ["interactions", "import", str(tmp_path / "bad.csv"), "--map", "M",
                                      "--db", str(db)])
    assert result.exit_code == 2 and "bad.csv, row 2, column 'date'" in result.output
    with Store(db) as store:
        assert store.audit_log("M")["actor"].iloc[-1] == LOCAL_USER
