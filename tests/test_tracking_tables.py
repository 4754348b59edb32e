"""Display frames of the Engagement page (``presentation.tracking_tables``) and its stance-history chart."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import networkx as nx
import pandas as pd
import pytest

from stakeholder_map.errors import ContractError
from stakeholder_map.presentation import charts, commands, styles, tracking_tables
from stakeholder_map.store import Store
from stakeholder_map.tracking import history, milestones, tracking_frames
from stakeholder_map.tracking.next_conversations import next_conversations

XSS = "<img src=x onerror=window.__xss=1>"


@pytest.fixture
def store():
    from io import BytesIO

    from stakeholder_map.ingest import read_map

    with Store(":memory:") as s:
        s.import_map("M", read_map(BytesIO(f"id,name,department,stance\na,Ann,IT,supporter\nb,\"{XSS}\",IT,skeptic\n"
                                           "c,Cy,HR,\n".encode()),
                                   BytesIO(b"source,target\na,b\nb,c\n")), today=date(2026, 9, 1))
        yield s


def test_engagement_table_names_people_newest_first(store):
    store.log_engagement("M", when=date(2026, 10, 1), stakeholder_id="b", activity="call", stance_after=0)
    store.log_engagement("M", when=date(2026, 11, 1), stakeholder_id="c", notes="Asked for a demo")
    store.log_engagement("M", when=date(2026, 10, 1), stakeholder_id="a")
    table = tracking_tables.engagement_table(store.engagements("M"), store.people("M"))
    assert table["id"].tolist() == [1, 2, 0]
    assert table[["name", "stance after", "activity"]].values.tolist() == [["Cy", "", ""], ["Ann", "", ""],
                                                                           [XSS, "neutral", "call"]]
    only_b = tracking_tables.engagement_table(store.engagements("M"), store.people("M"), person="b")
    assert only_b["id"].tolist() == [0]
    assert tracking_tables.engagement_choices(table)[0] == f"#0 · 2026-10-01 · {XSS} · call"
    assert tracking_tables.engagement_values(store.engagements("M"), 0) == {
        "date": date(2026, 10, 1), "stakeholder_id": "b", "activity": "call", "stance_after": "neutral", "notes": ""}
    assert tracking_tables.engagement_table(store.engagements("M").iloc[:0], store.people("M")).empty


def test_change_table_reads_logs_edits_and_deletes(store):
    eid = store.log_engagement("M", when=date(2026, 10, 1), stakeholder_id="b", activity="call")
    store.edit_engagement("M", eid, when=date(2026, 10, 2), stakeholder_id="c", activity="call", stance_after=2)
    store.delete_engagement("M", eid)
    changes = tracking_tables.change_table(store.engagement_changes("M"), store.people("M"))
    assert changes["action"].tolist() == ["delete", "edit", "log"]
    assert changes["person"].tolist() == ["Cy", "Cy", XSS]
    edit = changes["what"].iat[1]
    assert "date: 2026-10-01 → 2026-10-02" in edit and f"person: {XSS} → Cy" in edit
    assert "stance after: – → champion" in edit and "activity" not in edit
    assert changes["what"].iat[2] == "date: 2026-10-01; activity: call"
    assert isinstance(changes["changed at"].iat[0], datetime)


def test_person_history_and_movers_tables(store):
    store.log_engagement("M", when=date(2026, 10, 1), stakeholder_id="b", activity="1:1", stance_after=1)
    record = tracking_tables.person_history(store.stance_history("M", "b"))
    assert record.values.tolist() == [[date(2026, 10, 1), "supporter", "engagement"],
                                      [date(2026, 9, 1), "skeptic", "import"]]
    moved = history.movers(store.people("M"), store.stance_history("M"), store.engagements("M"),
                           start="2026-09-15", end="2026-10-15")
    shown = tracking_tables.movers_table(moved)
    assert shown[["name", "move", "change", "after a conversation"]].values.tolist() == [
        [XSS, "skeptic → supporter", 2, True]]
    assert tracking_tables.movers_summary(moved, "2026-09-15", "2026-10-15").startswith("1 person moved between 2026-09-15")
    assert tracking_tables.movers_table(moved.iloc[:0]).empty


def test_milestone_table_and_at_risk_messages(store):
    store.add_milestone("M", department="IT", target=1.0, due=date(2027, 1, 31))
    store.add_milestone("M", kind="champion_engaged", target=1.0, due=date(2026, 12, 31))
    store.add_milestone("M", target=0.3, due=date(2026, 12, 1))
    progress = milestones.milestone_progress(tracking_frames(store, "M"), as_of=date(2026, 11, 23))
    table = tracking_tables.milestone_table(progress.table)
    assert table["for"].tolist() == ["Everyone", "every department", "IT"]
    assert table["progress"].tolist() == ["1 of 3 people", "0 of 2 departments", "1 of 2 people"]
    assert table["status"].tolist() == ["met", "at risk", "at risk"]
    assert table["at risk"].tolist() == ["", "⚠", "⚠"]
    messages = tracking_tables.at_risk_messages(table)
    assert len(messages) == 2 and messages[1].startswith("100% of IT supporter or better by 2027-01-31: at risk.")
    assert "1 more needed" in messages[1]
    assert tracking_tables.milestone_choices(table)[1].startswith("#1 100% of IT")
    assert tracking_tables.milestone_table(progress.table.iloc[:0]).empty


def test_conversation_table():
    G = nx.DiGraph([("s", "a"), ("a", "b"), ("a", "c"), ("s", "d")])
    nx.set_node_attributes(G, {"s": 2, "a": -1, "b": 0, "c": 0, "d": 0}, "stance")
    nx.set_node_attributes(G, {"s": "Sam", "a": XSS, "b": "Bo", "c": "Cy", "d": "Di"}, "name")
    nx.set_node_attributes(G, "Ops", "department")
    ranked = next_conversations(G, k=2, model="ic", p=1.0, seed=1, blockers=0)
    table = tracking_tables.conversation_table(ranked)
    assert table["name"].tolist() == [XSS, "Bo"]
    assert table["best messenger"].tolist() == ["Sam", "Sam"]
    assert table["chain"].iat[1] == f"Sam → {XSS} → Bo"
    assert table["chance"].tolist() == pytest.approx([1.0, 1.0]) and table["adds"].tolist() == [0.0, 0.0]   # Sam reaches everyone
    assert commands.next_command("Demo", 5) == "stakeholder-map next --map Demo -k 5 --seed 0"


def test_team_from_text_with_or_without_a_header():
    plain = tracking_tables.team_from_text("  Ann Lee , IT \n\nBo, , bo@example.org\n")
    assert plain.values.tolist() == [["Ann Lee", "IT", None], ["Bo", None, "bo@example.org"]]
    headed = tracking_tables.team_from_text("name,home_department\nAnn,IT\nBo,HR\n")
    assert headed["home_department"].tolist() == ["IT", "HR"]
    with pytest.raises(ContractError) as refused:
        tracking_tables.team_from_text("Ann\nann\n")
    assert "duplicate name" in str(refused.value.problems[0])
    with pytest.raises(ContractError):
        tracking_tables.team_from_text("")


def test_quarters():
    assert tracking_tables.quarter_of(date(2027, 3, 31)) == "2027Q1"
    assert tracking_tables.quarter_choices(date(2026, 12, 31), ahead=2) == ["2026Q4", "2027Q1", "2027Q2"]


@pytest.mark.parametrize("department", [XSS, "../../etc/passwd", "R&D, Labs", "Café Ünïcode", "CON", "",
                                        "\x00\n\t", "a" * 500, "名前"])
def test_brief_file_names_are_safe(department):
    name = tracking_tables.brief_file_name(department, as_of=date(2026, 11, 23))
    assert re.fullmatch(r"brief-[A-Za-z0-9_-]+\.html", name)
    assert name.endswith("-2026-11-23.html") and len(name) < 100


def test_stance_history_chart_is_plain_inline_json():
    people = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"], "department": ["IT", XSS, "IT"],
                           "stance": [1, -2, None]})
    mix = history.stance_mix(people, None, history.weekly_dates("2026-11-23", 2))
    spec = charts.stance_history_chart(mix)
    text = json.dumps(spec)
    assert "http" not in text and "url" not in text
    assert spec["facet"]["sort"] == ["All", XSS, "IT"]       # All, then by name
    assert spec["spec"]["encoding"]["color"]["scale"]["range"][0] == styles.STANCE_COLOURS["champion"]
    assert spec["spec"]["encoding"]["y"]["field"] == "share" and "resolve" not in spec
    assert len(spec["data"]["values"]) == 3 * 3 * 6 and spec["data"]["values"][0]["date"] == "2026-11-09"
    counts = charts.stance_history_chart(mix, share=False)
    assert counts["spec"]["encoding"]["y"]["field"] == "count"
    assert counts["resolve"] == {"scale": {"y": "independent"}}
