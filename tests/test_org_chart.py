"""The org chart: a manager column in the stakeholders file becomes ``reports_to`` ties.

CONTRACT §2: "From an org chart, the manager is the source of a ``reports_to`` tie to
the report." The column holds the manager's id; an empty cell is the top of the chart.
An unknown manager id, a person who is their own manager, or a loop in the chain of
managers refuses the file as a whole (CONTRACT §4), naming file, rows and column, and
nothing is written.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from click.testing import CliRunner

from stakeholder_map import schema as s
from stakeholder_map.cli import cli
from stakeholder_map.errors import MAX_PROBLEMS, ContractError
from stakeholder_map.export import export_map
from stakeholder_map.ingest import read_map
from stakeholder_map.ingest_org_chart import manager_cycles
from stakeholder_map.store import Store

from tests.support import csv, dump

#: Ann heads the chart; Bo and Cy report to her, Di to Bo.
ORG = """
id,name,department,manager
1,Ann,Exec,
2,Bo,Sales,1
3,Cy,IT,1
4,Di,Sales,2
"""


def pairs(ties, kind: str | None = s.REPORTS_TO) -> list[tuple[str, str]]:
    chosen = ties if kind is None else ties[ties[s.KIND] == kind]
    return list(zip(chosen[s.SOURCE], chosen[s.TARGET]))


def refused(*files, **kwargs) -> ContractError:
    with pytest.raises(ContractError) as info:
        read_map(*files, **kwargs)
    return info.value


def where(error: ContractError) -> list[tuple[str, int | None, str | None]]:
    return [(p.file, p.row, p.column) for p in error.problems]


# ------------------------------------------------------------------ the ties it makes

def test_each_manager_cell_makes_a_reports_to_tie_from_manager_to_report_with_weight_1():
    data = read_map(csv(ORG))
    assert pairs(data.ties) == [("1", "2"), ("1", "3"), ("2", "4")]
    assert data.ties[s.WEIGHT].tolist() == [1.0, 1.0, 1.0]
    assert data.reporting_lines == 3 and data.warnings == []


def test_an_empty_manager_cell_is_the_top_of_the_chart():
    data = read_map(csv(ORG))
    assert "1" not in set(data.ties[s.TARGET])


def test_the_org_chart_comes_after_the_influences_files_ties():
    data = read_map(csv(ORG), csv("source,target,kind\n3,4,advice\n"))
    assert pairs(data.ties, None) == [("3", "4"), ("1", "2"), ("1", "3"), ("2", "4")]


@pytest.mark.parametrize("header", ["manager", "Manager", "manager_id", "Manager ID", "reports_to", "Reports To",
                                    "reports-to-id", "Line Manager", "Line manager ID", "Supervisor", "Supervisor ID"])
def test_manager_header_synonyms(header):
    assert s.STAKEHOLDERS.canonical(header) == s.MANAGER
    data = read_map(csv(ORG.replace(",manager\n", f",{header}\n")))
    assert pairs(data.ties) == [("1", "2"), ("1", "3"), ("2", "4")]


def test_the_manager_column_is_part_of_the_contract_not_a_custom_attribute():
    data = read_map(csv("id,name,manager,location\n1,Ann,,Leeds\n2,Bo,1,York\n"))
    assert data.custom_columns == ["location"]
    assert data.people[s.ATTRIBUTES].tolist() == [{"location": "Leeds"}, {"location": "York"}]
    assert s.MANAGER not in data.people


def test_a_header_mapped_to_manager_in_the_dashboard_makes_the_ties():
    data = read_map(csv("id,name,Boss\n1,Ann,\n2,Bo,1\n"), mappings={"stakeholders": {"Boss": s.MANAGER}})
    assert pairs(data.ties) == [("1", "2")] and data.custom_columns == []


def test_a_manager_header_mapped_to_a_custom_column_keeps_names_and_makes_no_ties():
    data = read_map(csv("id,name,Manager\n1,Ann,\n2,Bo,Ann\n"), mappings={"stakeholders": {"Manager": None}})
    assert data.ties.empty and data.custom_columns == ["Manager"]


def test_a_manager_id_missing_from_the_header_is_no_hint_for_a_missing_id_column():
    # Before the org chart, "Manager ID" (it ends in "id") was offered as the map's id column.
    assert refused(csv("Badge,name,Manager ID\n1,Ann,\n")).missing_columns == [
        {"file": "stakeholders.csv", "column": "id", "suggestion": None}]


# ------------------------------------------- reporting lines the influences file has too

def test_a_reporting_line_in_the_influences_file_too_is_kept_once_with_that_files_weight():
    data = read_map(csv(ORG), csv("source,target,weight,kind\n1,2,3,reports_to\n1,3,2,advice\n"))
    assert pairs(data.ties, None) == [("1", "2"), ("1", "3"), ("1", "3"), ("2", "4")]
    assert data.ties[s.KIND].tolist() == ["reports_to", "advice", "reports_to", "reports_to"]
    assert data.ties[s.WEIGHT].tolist() == [3.0, 2.0, 1.0, 1.0]
    assert data.reporting_lines == 2
    assert data.warnings == ["stakeholders.csv: 1 reporting line is in influences.csv already "
                             "(kind reports_to); kept once, as that file gives it"]


def test_the_influences_file_may_add_reporting_lines_of_its_own():
    """A second (matrix) manager in the influences file is a tie like any other, not checked as a chart."""
    data = read_map(csv(ORG), csv("source,target,kind\n3,4,reports_to\n4,3,reports_to\n"))
    assert sorted(pairs(data.ties)) == [("1", "2"), ("1", "3"), ("2", "4"), ("3", "4"), ("4", "3")]


# ------------------------------------------------------------------------- refusals

def test_an_unknown_manager_id_is_refused_naming_file_row_and_column():
    e = refused(csv("id,name,Manager ID\n1,Ann,\n2,Bo,1\n3,Cy,42\n"), names=("org.csv", "i.csv", "e.csv"))
    assert [str(p) for p in e.problems] == ["org.csv, row 4, column 'Manager ID': unknown manager id '42'"]


def test_a_name_in_the_manager_column_is_pointed_out():
    e = refused(csv("id,name,manager\n1,Ann,\n2,Bo,Ann\n"))
    assert where(e) == [("stakeholders.csv", 3, "manager")]
    assert "unknown manager id 'Ann' (that is a name: this column takes the manager's id, here '1'" \
        in e.problems[0].message


def test_a_person_who_is_their_own_manager_is_refused():
    e = refused(csv("id,name,manager\n1,Ann,\n2,Bo,2\n"))
    assert [str(p) for p in e.problems] == ["stakeholders.csv, row 3, column 'manager': '2' is given as their "
                                            "own manager"]


def test_a_two_person_loop_is_refused_naming_both_rows():
    e = refused(csv("id,name,manager\n1,Ann,\nA,Al,B\nB,Bea,A\n"))
    assert where(e) == [("stakeholders.csv", 3, "manager"), ("stakeholders.csv", 4, "manager")]
    assert e.problems[0].message == ("the chain of managers is a loop: 'A' → 'B' → 'A' "
                                     "(each reports to the next; rows 3, 4)")


def test_a_three_person_loop_is_refused_naming_its_rows_and_not_the_rows_that_lead_into_it():
    # 4 reports to 1, who is in the loop 1 → 3 → 2 → 1; 4 itself is in no loop.
    e = refused(csv("id,name,manager\n1,Ann,3\n2,Bo,1\n3,Cy,2\n4,Di,1\n5,Ed,\n"))
    assert [p.row for p in e.problems] == [2, 3, 4]
    assert e.problems[0].message == ("the chain of managers is a loop: '1' → '3' → '2' → '1' "
                                     "(each reports to the next; rows 2, 4, 3)")


def test_every_loop_is_reported():
    e = refused(csv("id,name,manager\n1,Ann,2\n2,Bo,1\n3,Cy,4\n4,Di,3\n"))
    assert [p.row for p in e.problems] == [2, 3, 4, 5] and e.total == 4


def test_a_loop_of_100000_people_is_counted_whole_and_listed_up_to_the_cap():
    n = 100_000
    rows = "".join(f"{i},P{i},{(i + 1) % n}\n" for i in range(n))
    e = refused(csv("id,name,manager\n" + rows))
    assert e.total == n and len(e.problems) == MAX_PROBLEMS
    assert "→ … (100000 people)" in e.problems[0].message


def test_org_chart_problems_come_with_the_files_other_problems():
    e = refused(csv("id,name,manager,influence\n1,Ann,9,7\n2,Bo,1,\n"), csv("source,target\n1,5\n"))
    assert where(e) == [("stakeholders.csv", 2, "influence"), ("stakeholders.csv", 2, "manager"),
                        ("influences.csv", 2, "target")]


# --------------------------------------------------------------- the loop finder

def test_manager_cycles_finds_each_loop_once_starting_at_its_first_position():
    assert manager_cycles([]) == []
    assert manager_cycles([-1, 0, 1, 1]) == []
    assert manager_cycles([2, 0, 1, 3, 3]) == [[0, 2, 1], [3]]


def test_manager_cycles_walks_a_chain_of_100000_without_recursion():
    n = 100_000
    assert manager_cycles([i - 1 for i in range(n)]) == []
    assert manager_cycles([n - 1] + [i - 1 for i in range(1, n)]) == [[0, n - 1] + list(range(n - 2, 0, -1))]


# ------------------------------------------------------ store, export and command line

def test_a_refused_org_chart_leaves_the_database_file_exactly_as_it_was(db_path):
    with Store(db_path) as store:
        store.import_map("Org", read_map(csv(ORG)))
    before = dump(db_path)
    loop = csv("id,name,manager\n1,Ann,2\n2,Bo,1\n")
    with pytest.raises(ContractError), Store(db_path) as store:
        store.import_map("Org", read_map(loop), replace=True)
    assert dump(db_path) == before
    with Store(db_path) as store:
        assert pairs(store.ties("Org")) == [("1", "2"), ("1", "3"), ("2", "4")]


def test_export_then_import_keeps_the_org_chart():
    """The export writes the reporting lines into influences.csv (no manager column), so an import of it
    gives the same ties, and importing the export together with a manager column does not double them."""
    with Store(":memory:") as store:
        store.import_map("Org", read_map(csv(ORG), csv("source,target,weight,kind\n3,4,2,advice\n")))
        files = export_map(store, "Org")
        assert files["stakeholders.csv"].decode().splitlines()[0] == (
            "id,name,department,role,seniority,stance,influence,interest,email,notes")
        store.import_map("Copy", read_map(BytesIO(files["stakeholders.csv"]), BytesIO(files["influences.csv"])))
        assert store.ties("Copy").equals(store.ties("Org"))
        again = read_map(csv(ORG), BytesIO(files["influences.csv"]))
        assert sorted(pairs(again.ties, None)) == sorted(pairs(store.ties("Org"), None))


def test_the_command_line_imports_an_org_chart_and_refuses_a_loop(db_path, tmp_path):
    people = tmp_path / "org.csv"
    people.write_text(ORG.lstrip(), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(people), "--map", "Org", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "4 stakeholders, 3 ties (3 reporting lines from the manager column), 0 engagements" in result.output
    loop = tmp_path / "loop.csv"
    loop.write_text("id,name,Reports To\n1,Ann,2\n2,Bo,1\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(loop), "--map", "Org", "--replace", "--db", str(db_path)])
    assert result.exit_code == 2
    assert "loop.csv, row 2, column 'Reports To': the chain of managers is a loop: '1' → '2' → '1'" in result.output
    with Store(db_path) as store:
        assert len(store.people("Org")) == 4 and store.tie_kinds("Org") == ["reports_to"]
