"""The Map page's "What changed" view in a real browser: the demo map re-imported with a new General Counsel
(supportive), the resistant one gone and three stances moved; screenshot in test-artifacts/."""

from __future__ import annotations

from io import BytesIO

import pandas as pd
import pytest

from tests.e2e.e2e_support import ARTIFACTS, open_page, screenshot, start_server, stop_server, wait_graph, wait_idle

from stakeholder_map import demo
from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store

#: The second import of the demo: who leaves, who joins, whose stance moves.
LEAVER = "E157"          # Ingrid Sørensen, General Counsel, resistant
JOINER = {"id": "E901", "name": "Marta Quinn", "department": "Legal", "role": "General Counsel", "seniority": "4",
          "stance": "supporter", "influence": "4", "interest": "4", "email": "marta.quinn@example.com",
          "location": "Leeds (HQ)", "tenure_years": "0", "notes": "Joined from a firm that runs projects in one tool"}
MOVES = {"E031": "neutral", "E036": "supporter", "E039": "skeptic"}


def second_import() -> tuple[bytes, bytes]:
    people = pd.read_csv(demo.DEMO_DIR / "stakeholders.csv", dtype=str, keep_default_na=False)
    ties = pd.read_csv(demo.DEMO_DIR / "influences.csv", dtype=str, keep_default_na=False)
    people = people[people["id"] != LEAVER]
    for person, stance in MOVES.items():
        people.loc[people["id"] == person, "stance"] = stance
    people = pd.concat([people, pd.DataFrame([JOINER])], ignore_index=True)
    gone = ties[(ties["source"] == LEAVER) | (ties["target"] == LEAVER)]
    ties = ties.drop(gone.index)
    # the new General Counsel takes over three of the old one's ties, the other way round
    new = gone.head(3).assign(source=JOINER["id"], target=lambda t: t["target"].where(t["target"] != LEAVER,
                                                                                        t["source"]))
    ties = pd.concat([ties, new], ignore_index=True)
    return people.to_csv(index=False).encode(), ties.to_csv(index=False).encode()


@pytest.fixture(scope="module")
def versions_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e-versions")
    db = folder / "versions.duckdb"
    with Store(db) as store:
        demo.load_demo(store, by="lead@example.org")
        people, ties = second_import()
        store.import_map(demo.DEMO_MAP, read_map(BytesIO(people), BytesIO(ties)), replace=True,
                         by="ed@example.org")
    process, url = start_server(db, log=folder / "streamlit.log")
    yield url
    stop_server(process)


def test_what_changed_marks_the_new_the_gone_and_the_moved(page, versions_url):
    open_page(page, versions_url)
    wait_graph(page)
    page.get_by_test_id("stSidebar").get_by_text("What changed", exact=True).click()
    wait_idle(page)
    page.wait_for_selector(".sm-graph[data-drawn='true']")
    wait_graph(page)
    main = page.get_by_test_id("stMain")
    text = main.inner_text()
    assert "1 joined, 1 left, 3 changed (3 stance moves)" in text
    for table in ("Joined (1)", "Left (1)", "Changed (3)", "Ties removed"):
        assert table in text
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stDataFrame]').length === 5")
    nodes = page.evaluate("""() => {
        const graph = document.querySelector('.sm-graph');
        return graph.smNetwork.body.data.nodes.get().map((n) => ({id: n.id, label: n.label,
            border: typeof n.color === 'object' ? n.color.border : null}));
    }""")
    by_id = {n["id"]: n for n in nodes}
    assert by_id[JOINER["id"]]["label"] == "Marta Quinn (new)"
    assert by_id[LEAVER]["label"] == "Ingrid Sørensen (left)"
    assert {by_id[p]["border"] for p in MOVES} == {"#e8590c"}
    pinned = int(page.get_attribute(".sm-graph", "data-pinned-labels"))
    assert pinned >= 5                       # everyone involved is named on the drawing
    legend = page.inner_text(".sm-legend")
    assert "joined (1)" in legend and "left (1)" in legend and "tie removed" in legend
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".sm-graph").screenshot(path=str(ARTIFACTS / "what-changed-drawing.png"))
    screenshot(page, "what-changed")
    # the tables under the drawing, as a change manager scrolls to them
    page.get_by_text("Joined", exact=True).scroll_into_view_if_needed()
    page.get_by_test_id("stDataFrame").last.scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # the grids paint on their canvas after scrolling in
    page.screenshot(path=str(ARTIFACTS / "what-changed-tables.png"))
