"""A real published network (Krackhardt 1987, see tests/data/krackhardt/SOURCE.md) imports exactly."""

from __future__ import annotations

from collections import Counter

from stakeholder_map import schema as s
from stakeholder_map.ingest import read_map
from stakeholder_map.workspace import Workspace


def test_counts_match_the_published_data(store, krackhardt_files):
    report = store.import_map("Krackhardt", read_map(*krackhardt_files))
    assert (report.people, report.ties, report.warnings) == (21, 312, [])
    ties = store.ties("Krackhardt")
    assert Counter(ties[s.KIND]) == {"advice": 190, "friendship": 102, "reports_to": 20}
    assert Workspace(store, "Krackhardt").graph().number_of_edges() == 232  # distinct ordered pairs
    people = store.people("Krackhardt")
    assert Counter(people[s.DEPARTMENT]) == {"Dept 0": 1, "Dept 1": 5, "Dept 2": 8, "Dept 3": 3, "Dept 4": 4}
    assert store.custom_columns("Krackhardt") == ["age", "tenure_years"]


def test_manager_2_is_the_most_sought_adviser(store, krackhardt_files):
    store.import_map("Krackhardt", read_map(*krackhardt_files))
    advice = Workspace(store, "Krackhardt").graph(["advice"])
    top, degree = max(advice.out_degree(), key=lambda nd: nd[1])
    assert (top, degree) == ("2", 18)
