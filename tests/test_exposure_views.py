"""Seeds planted where people see them: the Map's exposure colouring, the tables and the ``seeds`` command."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

from stakeholder_map.cli import cli
from stakeholder_map.ingest import read_map
from stakeholder_map.presentation import exposure_tables, network_view, styles
from stakeholder_map.store import Store

XSS = "<img src=x onerror=alert(1)>"


def graph() -> nx.DiGraph:
    G = nx.DiGraph()
    for pid, name, dept, stance in [("a", XSS, "IT", -1), ("b", "Bo", "IT", None), ("c", "Cy", "HR", 0),
                                    ("d", "Di", "HR", 2)]:
        G.add_node(pid, name=name, department=dept, stance=stance, attributes={})
    G.add_edges_from([("a", "b"), ("b", "c"), ("c", "d")], weight=1.0, kinds=("advice",))
    return G


EXPOSURE = pd.DataFrame({"id": ["a", "b", "c", "d"], "department": ["IT", "IT", "HR", "HR"],
                         "exposures": [3, 1, 0, 0],
                         "last_exposed": [date(2026, 10, 1), date(2026, 9, 2), None, None]})
POSITIONS = {v: (i * 40.0, 0.0) for i, v in enumerate("abcd")}


def test_exposure_is_a_colouring_of_the_map_with_never_once_and_several_times():
    assert "exposure" in styles.colour_options(None, [], with_metrics=True, with_exposure=True)
    assert "exposure" not in styles.colour_options(None, [], with_metrics=True)
    view = network_view.people_view(graph(), positions=POSITIONS, color_by="exposure", exposure=EXPOSURE)
    colours = {n["id"]: n["color"] for n in view["nodes"]}
    assert colours == {"a": styles.EXPOSURE_COLOURS["several times"], "b": styles.EXPOSURE_COLOURS["once"],
                       "c": styles.EXPOSURE_COLOURS["never"], "d": styles.EXPOSURE_COLOURS["never"]}
    legend = [(i["label"], i["count"]) for i in view["legend"] if i["kind"] == "colour"]
    assert legend == [("seeds planted: never", 2), ("seeds planted: once", 1), ("seeds planted: several times", 1)]
    assert len(set(styles.EXPOSURE_COLOURS.values())) == 3


def test_exposure_tooltips_say_how_often_and_when_and_keep_names_as_text():
    view = network_view.people_view(graph(), positions=POSITIONS, color_by="exposure", exposure=EXPOSURE)
    titles = {n["id"]: n["title"] for n in view["nodes"]}
    assert "Seeds planted: 3, last on 2026-10-01" in titles["a"]
    assert "Seeds planted: none yet" in titles["c"]
    assert titles["a"].startswith(XSS)          # plain text: vis-network puts titles on the page with innerText
    page = network_view.standalone_html(view)
    assert XSS not in page                      # the print view escapes it in its JSON
    other = network_view.people_view(graph(), positions=POSITIONS, color_by="stance", exposure=EXPOSURE)
    assert not any("Seeds planted" in n["title"] for n in other["nodes"])


def test_without_exposure_data_everyone_reads_never():
    view = network_view.people_view(graph(), positions=POSITIONS, color_by="exposure")
    assert {n["color"] for n in view["nodes"]} == {styles.EXPOSURE_COLOURS["never"]}


def test_the_department_overview_colours_by_the_share_exposed():
    view = network_view.department_view(graph(), color_by="exposure", exposure=EXPOSURE)
    colours = {n["id"]: n["color"] for n in view["nodes"]}
    assert colours == {"IT": styles.DEPARTMENT_EXPOSURE_COLOURS["half or more exposed"],
                       "HR": styles.DEPARTMENT_EXPOSURE_COLOURS["nobody exposed"]}
    titles = {n["id"]: n["title"] for n in view["nodes"]}
    assert "Seeds planted: 2 of 2 exposed" in titles["IT"]
    assert {i["label"] for i in view["legend"]} == {"half or more exposed", "nobody exposed"}


def test_tables_for_the_page():
    dept = pd.DataFrame({"department": ["IT", "HR"], "people": [2, 2], "exposed": [2, 0], "share": [1.0, 0.0],
                         "touches": [4, 0]})
    table = exposure_tables.department_table(dept)
    assert table["department"].tolist() == ["HR", "IT"]           # least exposed first
    assert table["share exposed"].tolist() == ["0%", "100%"]
    assert (exposure_tables.exposure_summary(dept)
            == "2 of 4 people (50%) have been exposed to the idea by 4 seed touches.")
    assert exposure_tables.seeds_table(pd.DataFrame()).empty


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "seeds.duckdb"
    with Store(path) as store:
        people = b"id,name,department,stance\n1,Ann,IT,champion\n2,Bo,IT,\n3,Cy,HR,skeptic\n4,Di,HR,\n5,Ed,HR,\n"
        store.import_map("M", read_map(BytesIO(people), BytesIO(b"source,target\n1,2\n3,4\n3,5\n")))
        store.log_engagement("M", when=date(2026, 9, 1), stakeholder_id="2", activity="Article")
        store.log_engagement("M", when=date(2026, 10, 1), stakeholder_id="2", activity="results shared")
    return path


def test_seeds_command_json(db):
    result = CliRunner().invoke(cli, ["seeds", "--map", "M", "-k", "2", "--format", "json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {d["department"]: (d["exposed"], d["touches"]) for d in out["departments"]} == {"HR": (0, 0),
                                                                                           "IT": (1, 2)}
    assert [(p["id"], p["exposures"], p["last_exposed"]) for p in out["exposed"]] == [("2", 2, "2026-10-01")]
    assert out["seeds_next"][0]["id"] == "3" and out["seeds_next"][0]["stance"] == "skeptic"
    assert "article" in out["seeds_next"][0]["touch"].lower()
    assert not {"1", "2"} & {p["id"] for p in out["seeds_next"]}


def test_seeds_command_as_of_and_table(db):
    result = CliRunner().invoke(cli, ["seeds", "--map", "M", "--k", "1", "--as-of", "2026-09-15", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 of 5 people (20%) have been exposed to the idea by 1 seed touch.")
    assert "Plant seeds next:" in result.output and "Cy" in result.output
    bad = CliRunner().invoke(cli, ["seeds", "--map", "M", "--as-of", "soon", "--db", str(db)])
    assert bad.exit_code == 2 and "--as-of" in bad.output
