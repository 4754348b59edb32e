"""The bundled demo organisation (data/demo/): reproducible, in range, consistent.

Only the csv module is used to read the files, so these tests hold whatever
state the rest of the package is in; one test also imports the demo through
``stakeholder_map.ingest.read_map`` when that exists.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
FILES = ("stakeholders.csv", "influences.csv", "engagements.csv")
STANCES = ("resistant", "skeptic", "neutral", "supporter", "champion")


def _read(name: str) -> list[dict[str, str]]:
    with open(DEMO / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def people() -> list[dict[str, str]]:
    return _read("stakeholders.csv")


@pytest.fixture(scope="module")
def ties() -> list[dict[str, str]]:
    return _read("influences.csv")


@pytest.fixture(scope="module")
def engagements() -> list[dict[str, str]]:
    return _read("engagements.csv")


def test_regenerating_gives_byte_identical_files(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(DEMO / "generate.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name


def test_another_seed_gives_another_organisation(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(DEMO / "generate.py"), "--out", str(tmp_path), "--seed", "7"],
                   check=True, capture_output=True)
    assert (tmp_path / "influences.csv").read_bytes() != (DEMO / "influences.csv").read_bytes()


def test_files_are_utf8_with_unix_line_endings_and_quoted_commas() -> None:
    for name in FILES:
        raw = (DEMO / name).read_bytes()
        raw.decode("utf-8")
        assert b"\r" not in raw
        assert raw.endswith(b"\n")
    text = (DEMO / "stakeholders.csv").read_text(encoding="utf-8")
    assert any(ord(c) > 127 for c in text)  # accented names
    assert '"' in text  # fields with commas are quoted


def test_people_and_departments_in_range(people: list[dict[str, str]]) -> None:
    assert 150 <= len(people) <= 300
    ids = [p["id"] for p in people]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 4 and i[0] == "E" and i[1:].isdigit() for i in ids)
    departments = Counter(p["department"] for p in people)
    assert 7 <= len(departments) <= 10
    assert {"IT", "Finance"} <= set(departments)
    assert all(p["name"].strip() for p in people)
    emails = [p["email"] for p in people]
    assert len(set(emails)) == len(emails)
    assert all(e.endswith("@example.com") for e in emails)


def test_people_columns_follow_the_contract(people: list[dict[str, str]]) -> None:
    for p in people:
        assert p["stance"] in STANCES + ("",)
        assert p["seniority"] in {"1", "2", "3", "4", "5"}
        assert p["influence"] in {"1", "2", "3", "4", "5"}
        assert p["interest"] in {"1", "2", "3", "4", "5"}
    # Custom attributes beyond the contract's columns.
    assert {"location", "tenure_years"} <= set(people[0])
    assert sum(1 for p in people if p["notes"]) > len(people) / 2
    assert 0 < sum(1 for p in people if not p["stance"]) < len(people) / 4


def test_ties_reference_known_people_and_have_every_kind(people, ties) -> None:
    known = {p["id"] for p in people}
    kinds = Counter(t["kind"] for t in ties)
    assert {"reports_to", "advice", "collaboration", "friendship"} <= set(kinds)
    seen = set()
    for t in ties:
        assert t["source"] in known and t["target"] in known
        assert t["source"] != t["target"]
        assert 1 <= float(t["weight"]) <= 5
        key = (t["source"], t["target"], t["kind"])
        assert key not in seen
        seen.add(key)


def test_hierarchy_is_a_tree_under_the_ceo(people, ties) -> None:
    seniority = {p["id"]: int(p["seniority"]) for p in people}
    managers: dict[str, list[str]] = {}
    for t in ties:
        if t["kind"] == "reports_to":
            managers.setdefault(t["target"], []).append(t["source"])
            assert seniority[t["source"]] >= seniority[t["target"]]
    assert all(len(m) == 1 for m in managers.values())
    top = [p for p in people if p["id"] not in managers]
    assert 1 <= len(top) <= 3  # the CEO, and a contractor not on the chart
    assert max(top, key=lambda p: int(p["seniority"]))["seniority"] == "5"


def test_graph_is_connected_but_for_a_rare_isolate(people, ties) -> None:
    parent = {p["id"]: p["id"] for p in people}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t in ties:
        parent[find(t["source"])] = find(t["target"])
    sizes = Counter(find(p["id"]) for p in people)
    assert max(sizes.values()) >= len(people) - 2


def test_story_characters_are_present(people, ties) -> None:
    by_role = {p["role"]: p for p in people}
    assert by_role["Finance Director"]["stance"] == "skeptic"
    assert by_role["Finance Director"]["influence"] == "5"
    assert by_role["General Counsel"]["stance"] == "resistant"
    champions = Counter(p["department"] for p in people if p["stance"] == "champion")
    assert champions["IT"] >= 1 and champions["Operations"] >= 1
    # A few sought-out experts with many outgoing advice ties.
    advice_out = Counter(t["source"] for t in ties if t["kind"] == "advice")
    assert sum(1 for n in advice_out.values() if n >= 15) >= 3
    # Boundary spanners: people with many ties across departments.
    department = {p["id"]: p["department"] for p in people}
    cross = Counter()
    for t in ties:
        if t["kind"] != "reports_to" and department[t["source"]] != department[t["target"]]:
            cross[t["source"]] += 1
            cross[t["target"]] += 1
    assert sum(1 for n in cross.values() if n >= 20) >= 3


def test_engagements_span_a_quarter_and_reference_known_people(people, engagements) -> None:
    known = {p["id"] for p in people}
    assert 150 <= len(engagements) <= 300
    dates = [dt.date.fromisoformat(e["date"]) for e in engagements]
    assert dates == sorted(dates)
    assert 75 <= (max(dates) - min(dates)).days <= 100
    for e in engagements:
        assert e["stakeholder_id"] in known
        assert e["stance_after"] in STANCES + ("",)
        assert e["activity"]
    assert any(e["stance_after"] == "" for e in engagements)
    # No one has two touchpoints on one day, so "last" is well defined.
    pairs = [(e["stakeholder_id"], e["date"]) for e in engagements]
    assert len(set(pairs)) == len(pairs)


def test_current_stance_is_the_last_recorded_stance_after(people, engagements) -> None:
    last: dict[str, str] = {}
    history: dict[str, list[str]] = {}
    for e in sorted(engagements, key=lambda e: e["date"]):
        if e["stance_after"]:
            last[e["stakeholder_id"]] = e["stance_after"]
            history.setdefault(e["stakeholder_id"], []).append(e["stance_after"])
    stance = {p["id"]: p["stance"] for p in people}
    for pid, value in last.items():
        assert stance[pid] == value, pid
    # Some people's stance moved during the quarter.
    assert sum(1 for h in history.values() if len(set(h)) > 1) >= 10


def test_movers_have_a_baseline_assessment_before_their_first_touchpoint(people, engagements) -> None:
    baseline = {e["stakeholder_id"]: e for e in engagements if e["activity"] == "assessment"}
    assert len(baseline) >= 10
    stance = {p["id"]: p["stance"] for p in people}
    first = {}
    for e in engagements:
        first.setdefault(e["stakeholder_id"], e["date"])
    for pid, e in baseline.items():
        assert e["stance_after"] and e["stance_after"] != stance[pid], pid  # they moved
        assert e["date"] == first[pid]  # before anything else with them


def test_demo_imports_through_read_map() -> None:
    try:
        ingest = importlib.import_module("stakeholder_map.ingest")
    except ImportError:
        pytest.skip("stakeholder_map.ingest not available")
    if not hasattr(ingest, "read_map"):
        pytest.skip("stakeholder_map.ingest.read_map not available")
    with open(DEMO / FILES[0], "rb") as p, open(DEMO / FILES[1], "rb") as t, open(DEMO / FILES[2], "rb") as e:
        data = ingest.read_map(p, t, e)
    assert len(data.people) == len(_read(FILES[0]))
    assert len(data.ties) == len(_read(FILES[1]))
    assert len(data.engagements) == len(_read(FILES[2]))
    assert {"location", "tenure_years"} <= set(data.custom_columns)
