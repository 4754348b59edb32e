"""Export writes the contract's files; importing them gives the same map."""

from __future__ import annotations

import string
from datetime import date
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.support import csv

from stakeholder_map import schema as s
from stakeholder_map.export import export_map, safe_cell, write_export
from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store


def reimport(store: Store, name: str, as_name: str) -> None:
    files = export_map(store, name)
    data = read_map(*(BytesIO(files[f]) for f in ("stakeholders.csv", "influences.csv", "engagements.csv")))
    store.import_map(as_name, data)


def same_map(store: Store, a: str, b: str) -> None:
    assert store.people(a).equals(store.people(b))
    assert store.ties(a).equals(store.ties(b))
    assert store.engagements(a).equals(store.engagements(b))
    assert store.custom_columns(a) == store.custom_columns(b)


def test_formula_cells_are_neutralised_but_numbers_stay_numbers():
    assert safe_cell("=SUM(A1:A9)") == "'=SUM(A1:A9)"
    assert safe_cell("@cmd") == "'@cmd" and safe_cell("+33 1 23") == "'+33 1 23"
    assert safe_cell("-2") == "-2" and safe_cell("-0.5") == "-0.5" and safe_cell("1e3") == "1e3"
    assert safe_cell("'=x") == "''=x"  # so that the importer's unquoting gives it back
    assert safe_cell(None) == "" and safe_cell("Ann") == "Ann"


@pytest.mark.parametrize("text", ["=x", "'=x", "''=x", "'plain", "-", "@"])
def test_neutralised_cells_import_as_they_were(text):
    assert read_map(csv(f"id,name\n1,{safe_cell(text)}\n")).people[s.NAME].iloc[0] == text


def test_export_files_are_in_the_contract_form(store, tmp_path):
    store.import_map("R", read_map(
        csv("id,name,stance,seniority,Site\n1,=cmd(),skeptic,director,Paris\n2,Bo,,,\n"),
        csv("source,target,weight,kind\n1,2,2.5,advice\n"),
        csv("date,stakeholder_id,activity,stance_after\n2026-03-01,2,demo,supporter\n")))
    paths = write_export(store, "R", tmp_path / "out")
    assert [p.name for p in paths] == ["stakeholders.csv", "influences.csv", "engagements.csv"]
    people = paths[0].read_text().splitlines()
    assert people[0] == "id,name,department,role,seniority,stance,influence,interest,email,notes,Site"
    assert people[1] == "1,'=cmd(),Unassigned,,4,skeptic,,,,,Paris"
    assert paths[1].read_text().splitlines()[1] == "1,2,2.5,advice"
    assert paths[2].read_text().splitlines()[1] == "2026-03-01,2,demo,supporter,"


def test_krackhardt_round_trip(store, krackhardt_files):
    store.import_map("K", read_map(*krackhardt_files))
    reimport(store, "K", "K again")
    same_map(store, "K", "K again")


# ------------------------------------------------------------ property test

_tricky = st.sampled_from([",", ";", '"', "\n", "=", "+", "-", "@", "'", " ", "é", "中", "\t", "<b>", "0"])
_chars = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), max_codepoint=0x2FFF)
text = st.lists(st.one_of(_chars, _tricky), min_size=1, max_size=12).map("".join).filter(
    lambda t: t == t.strip() and t != "")
optional_text = st.none() | text
custom_header = st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=8).map(str.strip).filter(
    lambda h: h and s.STAKEHOLDERS.canonical(h) is None)


@st.composite
def organisations(draw):
    ids = draw(st.lists(text, min_size=1, max_size=8, unique=True))
    custom = draw(st.lists(custom_header, max_size=2, unique_by=s.normalise_header))
    people = []
    for pid in ids:
        row = {
            s.ID: pid, s.NAME: draw(text), s.DEPARTMENT: draw(text), s.ROLE: draw(optional_text),
            s.SENIORITY: draw(st.sampled_from(["", "1", "5", "manager"])),
            s.STANCE: draw(st.sampled_from(["", "resistant", "-1", "0", "supporter", "2"])),
            s.INFLUENCE: draw(st.sampled_from(["", "1", "3", "5"])),
            s.INTEREST: draw(st.sampled_from(["", "2", "4"])),
            s.EMAIL: draw(optional_text), s.NOTES: draw(optional_text),
        }
        for h in custom:
            row[h] = draw(st.sampled_from(["", "x", "007", "=1"]))
        people.append(row)
    ties = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids),
                                   st.floats(min_value=1e-6, max_value=1e6, allow_nan=False),
                                   optional_text), max_size=12))
    events = draw(st.lists(st.tuples(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.sampled_from(ids),
                                     optional_text, st.sampled_from(["", "skeptic", "champion"]),
                                     optional_text), max_size=5))
    return people, custom, [t for t in ties if t[0] != t[1]], events


def to_csv(header: list[str], rows: list[list]) -> BytesIO:
    import csv as csvmod
    import io

    out = io.StringIO()
    writer = csvmod.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else safe_cell(v) if isinstance(v, str) else v for v in r] for r in rows])
    return BytesIO(out.getvalue().encode("utf-8"))


def organisation_map(people: list[dict], custom: list[str], ties: list, events: list):
    """An :func:`organisations` example written as the contract's three CSV files and read back (MapData)."""
    header = [s.ID, s.NAME, s.DEPARTMENT, s.ROLE, s.SENIORITY, s.STANCE, s.INFLUENCE, s.INTEREST,
              s.EMAIL, s.NOTES, *custom]
    return read_map(
        to_csv(header, [[p[h] for h in header] for p in people]),
        to_csv([s.SOURCE, s.TARGET, s.WEIGHT, s.KIND], [[u, v, repr(w), k] for u, v, w, k in ties]),
        to_csv([s.DATE, s.STAKEHOLDER_ID, s.ACTIVITY, s.STANCE_AFTER, s.NOTES],
               [[d.isoformat(), i, a, st_, n] for d, i, a, st_, n in events]),
    )


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_export_then_import_gives_the_same_map(org):
    people, custom, ties, events = org
    data = organisation_map(people, custom, ties, events)
    with Store(":memory:") as store:
        store.import_map("original", data)
        reimport(store, "original", "copy")
        same_map(store, "original", "copy")
        assert store.people("copy")[s.ID].tolist() == [p[s.ID] for p in people]
        assert store.ties("copy")[s.WEIGHT].tolist() == [w for _, _, w, _ in ties]


def _reference_csv(frame) -> bytes:
    """frame_to_csv as first written: one safe_cell per cell, row by row."""
    import csv as csv_module
    import io

    out = io.StringIO()
    writer = csv_module.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(c) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


CELLS = st.one_of(st.none(), st.text(alphabet=st.sampled_from(list("=+-@'\t\r\n\",; a1.eE") + ["\u00e9"]),
                                     max_size=8))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(CELLS, CELLS, st.one_of(st.none(), st.floats(allow_nan=False), st.integers())),
                max_size=12))
def test_vectorised_frame_to_csv_writes_what_the_row_by_row_writer_wrote(rows):
    import pandas as pd

    from stakeholder_map.export import frame_to_csv

    frame = pd.DataFrame(rows, columns=["text", "more", "number"]) if rows else pd.DataFrame(
        {"text": [], "more": [], "number": []})
    frame["object"] = pd.Series([r[2] for r in rows], dtype=object)
    assert frame_to_csv(frame) == _reference_csv(frame)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-10**16, 10**16), st.floats(allow_nan=True)), max_size=20))
def test_vectorised_numbers_match_one_by_one(values):
    import pandas as pd

    from stakeholder_map.export import _number, _numbers

    series = pd.Series(values, dtype="float64") if values else pd.Series([], dtype="float64")
    assert _numbers(series) == [_number(v) for v in series]
    ints = pd.array([v if isinstance(v, int) and abs(v) < 2**62 else None for v in values], dtype="Int64")
    assert _numbers(pd.Series(ints)) == [_number(v) for v in ints]
