"""presentation/windows_table.py: windows as a table, HTML cards and Markdown, with the user's text escaped."""

from __future__ import annotations

from datetime import date

from stakeholder_map.presentation.windows_table import (
    KIND_LABELS, NO_WINDOWS, windows_html, windows_markdown, windows_table,
)
from stakeholder_map.tracking.windows import KINDS, Window

HOSTILE = Window("new_key_person", 0.81, "New key person: <img src=x onerror=alert(1)> (CFO, R&D), supporter",
                 "joined the map in version 2; seniority 5 of 5.", "Meet <b>them</b> & ask.", "7", "R&D",
                 date(2026, 11, 24))
CALL = Window("call_to_action", 0.6, "Call to action in IT: 1 incident logged", "2026-11-20 incident.",
              "Offer help.", "3", "IT", date(2026, 11, 20))


def test_every_kind_has_a_label():
    assert set(KIND_LABELS) == set(KINDS)


def test_table_rows_in_rank_order():
    table = windows_table([HOSTILE, CALL])
    assert table.columns.tolist() == ["#", "Window", "Since", "What", "Evidence", "What to do", "Score"]
    assert table["#"].tolist() == [1, 2] and table["Window"].tolist() == ["New key person", "Call to action"]
    assert table["Since"].tolist() == ["2026-11-24", "2026-11-20"] and table["Score"].tolist() == [0.81, 0.6]
    assert windows_table([]).empty


def test_html_escapes_every_field_and_links():
    page = windows_html([HOSTILE, CALL], link=lambda w: f"?person={w.person_id}&x=\"y\"" if w.person_id == "7"
                        else None)
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Meet &lt;b&gt;them&lt;/b&gt; &amp; ask." in page
    assert '<a href="?person=7&amp;x=&quot;y&quot;">' in page and page.count("<a ") == 1
    assert page.startswith('<ol class="windows">') and page.count("<li ") == 2
    assert windows_html([]) == f'<p class="windows-none">{NO_WINDOWS}</p>'


def test_markdown_escapes():
    text = windows_markdown([HOSTILE])
    assert "<img" not in text and "&lt;img" in text and "R&amp;D" in text
    assert windows_markdown([]).startswith("No window of opportunity")
