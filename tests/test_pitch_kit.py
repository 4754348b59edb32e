"""The pitch kit: what moves a department (only what its notes and roles say), the pilot's results, who
carries it and open questions; escaped in the brief's HTML, and without notes for a viewer."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

from stakeholder_map.cli import cli
from stakeholder_map.demo import DEMO_MAP, load_demo
from stakeholder_map.presentation.brief import brief_page
from stakeholder_map.presentation.workspace_views import brief_of
from stakeholder_map.store import Store
from stakeholder_map.tracking.brief import department_brief_facts
from stakeholder_map.tracking.pitch_kit import pilot_results, themes_in
from stakeholder_map.workspace import Workspace

TODAY = date(2026, 11, 23)
EVIL = '<script>alert("kit")</script>'


@pytest.fixture(scope="module")
def demo_store():
    with Store(":memory:") as store:
        load_demo(store, today=TODAY)
        yield store


def small_map(notes: dict[str, str | None]) -> nx.DiGraph:
    G = nx.DiGraph([("a", "b"), ("c", "a"), ("b", "c")])
    nx.set_node_attributes(G, {"a": f"Ann {EVIL}", "b": "Bo", "c": "Cy"}, "name")
    nx.set_node_attributes(G, {"a": f"Ops {EVIL}", "b": f"Ops {EVIL}", "c": "IT"}, "department")
    nx.set_node_attributes(G, {"a": f"Planner {EVIL}", "b": "Planner", "c": "Engineer"}, "role")
    nx.set_node_attributes(G, {"a": 1, "b": -1, "c": 2}, "stance")
    nx.set_node_attributes(G, notes, "notes")
    return G


def test_themes_are_words_the_notes_start_and_keep_the_first_line_as_quote():
    found = themes_in([("a", "A discount is no cost case"), ("b", "Our costs rise"), ("c", "She reviews it")])
    assert [t["theme"] for t in found] == ["cost and budget"]          # "discount" alone would not count
    assert found[0]["people"] == ["a", "b"] and found[0]["quote"] == ("a", "A discount is no cost case")
    assert themes_in([("a", None), ("b", "  "), ("c", "Happy to help")]) == []


def test_no_notes_says_so_and_invents_nothing():
    G = small_map({"a": None, "b": None, "c": "Budget owner"})
    facts = department_brief_facts(G, f"Ops {EVIL}", as_of=TODAY)
    kit = facts["kit"]
    assert kit["themes"] == [] and kit["noted"] == []
    page = brief_page(facts)
    assert "No notes about" in page and "nothing here says what motivates them" in page
    assert "cost and budget" not in page                # Cy's note is about IT, not Ops


def test_the_kit_escapes_names_roles_departments_and_notes():
    G = small_map({"a": f"Worried about cost {EVIL}", "b": "<img src=x onerror=alert(1)> budget", "c": None})
    page = brief_page(department_brief_facts(G, f"Ops {EVIL}", as_of=TODAY, champion_ids=["a"]),
                      map_name=EVIL)
    kit = page[page.index('<div class="kit">'):]
    assert "<script" not in kit.lower() and "<img" not in kit
    assert "Worried about cost &lt;script&gt;alert(&quot;kit&quot;)&lt;/script&gt;" in kit
    assert "Planner &lt;script&gt;" in kit              # a role in "their work"
    assert "Ops &lt;script&gt;" in kit                  # the department in the questions


def test_questions_hand_decisions_to_the_department():
    G = small_map({"a": "Wants a cost case", "b": "Distrusts the audit trail", "c": None})
    facts = department_brief_facts(G, f"Ops {EVIL}", as_of=TODAY, champion_ids=["a"])
    questions = facts["kit"]["questions"]
    decisions = [q["decision"] for q in questions]
    assert decisions[:3] == ["timeline", "training", "configuration"]
    assert all(f"Ops {EVIL}" in q["question"] for q in questions)
    assert "cost and budget" in decisions and "risk, compliance and data protection" in decisions
    assert "Ann" in questions[1]["question"]            # the champion pick inside is offered as trainer
    assert facts["kit"]["champions"] == ["a"] and facts["kit"]["champions_from"] == "picks"


def test_pilot_results_follow_the_stance_history():
    people = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"], "department": ["Ops", "Ops", "IT"],
                           "stance": [2, -1, 1]})
    history = pd.DataFrame({"stakeholder_id": ["a", "a", "b", "b"], "stance": [0, 2, 0, -1],
                            "recorded_on": [date(2026, 9, 1), date(2026, 11, 2), date(2026, 9, 1),
                                            date(2026, 10, 1)], "source": ["x"] * 4})
    result = pilot_results(people, history, None, "Ops", as_of=TODAY, weeks=8, source="chosen")
    assert result["support"][0] == 0.0 and result["support_now"] == 0.5 and round(result["change"]) == 50
    assert (result["moved_up"], result["moved_down"], result["champions"], result["size"]) == (1, 1, 1, 2)
    assert len(result["dates"]) == 9 and result["source"] == "chosen"
    assert pilot_results(people, history, None, "Nowhere", as_of=TODAY) is None


def test_the_demo_kit_brings_the_operations_pilot_to_finance(demo_store):
    ws = Workspace(demo_store, DEMO_MAP)
    assert ws.suggested_pilot() == "Operations"
    kit = ws.brief_facts("Finance", TODAY)["kit"]
    assert kit["pilot"]["department"] == "Operations" and kit["pilot"]["source"] == "suggested"
    assert kit["pilot"]["change"] > 0 and not kit["is_pilot"]
    assert kit["themes"][0]["theme"] == "cost and budget"
    page = brief_of(ws, "Finance", TODAY)
    assert "Pitch kit" in page and "Operations is the suggested pilot" in page
    assert "Controls the licence budget" in page        # the Finance Director's own note, quoted
    chosen = ws.brief_facts("Operations", TODAY, pilot_department="Operations")["kit"]
    assert chosen["is_pilot"] and chosen["pilot"]["source"] == "chosen"
    with pytest.raises(ValueError, match="pilot department 'Nowhere'"):
        ws.brief_facts("Finance", TODAY, pilot_department="Nowhere")


def test_a_viewer_kit_has_no_notes_and_says_why(demo_store):
    viewer = Workspace(demo_store, DEMO_MAP, redacted=True)
    page = brief_of(viewer, "Finance", TODAY)
    assert "Notes are not shown to viewers" in page
    assert "Controls the licence budget" not in page and "cost case" not in page
    assert viewer.brief_facts("Finance", TODAY)["kit"]["themes"] == []


def test_cli_brief_takes_the_pilot(db_path, tmp_path):
    runner = CliRunner()
    out = tmp_path / "legal.html"
    result = runner.invoke(cli, ["brief", "--department", "Legal", "--pilot", "IT", "--out", str(out),
                                 "--as-of", "2026-11-23", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "IT is the pilot department." in page and "Pitch kit" in page
    bad = runner.invoke(cli, ["brief", "--department", "Legal", "--pilot", "Nowhere", "--out", str(out),
                              "--db", str(db_path)])
    assert bad.exit_code == 1 and "pilot department 'Nowhere'" in bad.output
