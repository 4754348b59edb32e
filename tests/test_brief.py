"""Department brief: a self-contained, printable HTML page with every CSV text escaped."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import networkx as nx
import pandas as pd
import pytest

from stakeholder_map.demo import DEMO_MAP, load_demo
from stakeholder_map.store import Store
from stakeholder_map.presentation.brief import brief_page
from stakeholder_map.presentation.workspace_views import brief_of
from stakeholder_map.tracking.brief import department_brief_facts
from stakeholder_map.workspace import Workspace

TODAY = date(2026, 11, 23)
EVIL = '<script>alert("x")</script>'


class Tags(HTMLParser):
    """Every start tag and attribute in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def hostile_map():
    G = nx.DiGraph()
    G.add_node("a", name=f"Ann {EVIL}", department=f"R&D {EVIL}", role=f"Lead {EVIL}", stance=2,
               notes=f"Notes {EVIL} & \"quotes\"")
    G.add_node("b", name="Bo <b>bold</b>", department=f"R&D {EVIL}", role="Analyst", stance=-1,
               notes="<img src=x onerror=alert(1)>")
    G.add_node("c", name="Cy", department="Ops", stance=0)
    G.add_edge("a", "b", weight=2.0)
    G.add_edge("c", "b", weight=1.0)
    G.add_edge("b", "c", weight=1.0)
    history = pd.DataFrame({"stakeholder_id": ["a", "b", "b"], "stance": [2, 0, -1],
                            "recorded_on": [date(2026, 9, 1), date(2026, 9, 1), date(2026, 10, 1)],
                            "source": ["import", "engagement", "engagement"]})
    events = pd.DataFrame({"date": [date(2026, 10, 1)], "stakeholder_id": ["b"], "activity": [f"1:1 {EVIL}"],
                           "stance_after": pd.array([-1], dtype="Int64"), "notes": [f"said {EVIL}"]})
    milestones = pd.DataFrame({"milestone_id": [1], "label": [f"Target {EVIL}"], "department": [f"R&D {EVIL}"],
                               "kind": ["share"], "target": [0.5], "min_stance": [1], "due": [date(2027, 3, 31)]})
    return G, history, events, milestones


@pytest.fixture(scope="module")
def hostile_page() -> str:
    G, history, events, milestones = hostile_map()
    facts = department_brief_facts(G, f"R&D {EVIL}", history=history, engagements=events, milestones=milestones,
                                   as_of=TODAY, champion_ids=["a"])
    return brief_page(facts, map_name=f"Map {EVIL}")


def test_script_in_names_notes_and_labels_is_escaped(hostile_page):
    assert "<script" not in hostile_page.lower()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in hostile_page
    assert "<img" not in hostile_page and "&lt;img src=x onerror=alert(1)&gt;" in hostile_page
    assert "Bo &lt;b&gt;bold&lt;/b&gt;" in hostile_page
    parser = Tags()
    parser.feed(hostile_page)
    assert not {"script", "img", "iframe", "object", "embed"} & set(parser.tags)
    assert not any(name.startswith("on") for name, _ in parser.attrs)


def test_the_page_is_self_contained_and_print_friendly(hostile_page):
    assert hostile_page.startswith("<!DOCTYPE html>") and hostile_page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in hostile_page
    parser = Tags()
    parser.feed(hostile_page)
    assert not {"link", "script", "img", "iframe"} & set(parser.tags)
    assert not any(name in ("src", "href") for name, _ in parser.attrs)
    assert not re.search(r"https?://|@import|url\(", hostile_page)
    assert "@media print" in hostile_page and "@page" in hostile_page
    assert "<svg" in hostile_page and "<style>" in hostile_page


def test_the_page_has_every_section_with_the_right_facts(hostile_page):
    for heading in ("Where they stand", "Milestones", "Suggested approach", "Pitch angle", "Key people",
                    "Champions inside", "Influence from outside", "Next conversations", "What moved",
                    "In their words"):
        assert heading in hostile_page, heading
    assert "champion pick" in hostile_page            # the chosen champion is marked
    assert "neutral → skeptic" in hostile_page        # Bo moved on 1 Oct
    assert "as of 2026-11-23" in hostile_page


def test_unknown_department_is_refused():
    G, *_ = hostile_map()
    with pytest.raises(ValueError, match="no one in the map belongs"):
        department_brief_facts(G, "Nowhere")


def test_current_picture_only_without_history():
    G, *_ = hostile_map()
    page = brief_page(department_brief_facts(G, "Ops", as_of=TODAY))
    assert "Ops" in page and "None." in page


def test_demo_finance_brief_tells_the_story():
    with Store(":memory:") as store:
        load_demo(store, today=TODAY)
        page = brief_of(Workspace(store, DEMO_MAP), "Finance", TODAY)
    assert "Graham Whitlock" in page and "Pauline Hargreaves" in page and "Amara Nwosu" in page
    assert "60% of Finance supporter or better by 2027-03-31" in page and ">at risk<" in page
    assert "resistant → skeptic" in page               # the Finance Director moved
    assert "Finance: 10%" in page                      # its share against the organisation-wide target
    assert len(page) < 60_000


def test_a_department_nobody_talked_to_while_others_were():
    """The map has touchpoints, none with Ops: the brief says so instead of failing (a KeyError before)."""
    G, history, events, milestones = hostile_map()
    facts = department_brief_facts(G, "Ops", history=history, engagements=events, milestones=milestones,
                                   as_of=TODAY)
    assert len(facts["said"]) == 0
    assert "In their words" in brief_page(facts)


def test_the_brief_uses_the_app_stance_colours_and_forbids_scripts(hostile_page):
    from stakeholder_map.presentation import styles

    for stance in ("resistant", "skeptic", "neutral", "supporter", "champion"):
        assert f'fill="{styles.STANCE_COLOURS[stance]}"' in hostile_page or \
            f"background:{styles.STANCE_COLOURS[stance]}" in hostile_page
    assert "Content-Security-Policy" in hostile_page and "default-src 'none'" in hostile_page
