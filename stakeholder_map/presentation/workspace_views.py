"""What the pages draw straight from a workspace: the department overview, positions, labels, briefs.

Each function takes a :class:`~stakeholder_map.workspace.Workspace` and
hashable arguments and returns a read-only value, so the dashboard keeps each
result per map revision (``ui.state.derived``) and the CLI may call them as
they are. The overview needs no graph (it reads the store's summed tie pairs),
which is what keeps a 100,000-person map's first paint fast.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np

from ..workspace import SEED, Workspace
from .brief import brief_page
from .changes_view import changes_view
from .layout import department_layout
from .overview import DepartmentOverview
from .people import person_labels

__all__ = ["overview_of", "overview_stances_of", "positions_of", "labels_of", "brief_of", "changes_of",
           "changes_drawing_of"]


def overview_of(ws: Workspace, kinds: tuple[str, ...] | None = None) -> DepartmentOverview:
    """The map's department overview arrays (optionally only some tie kinds), without the graph."""
    return DepartmentOverview.build(ws.people(), ws.tie_pairs(kinds))


def overview_stances_of(ws: Workspace, when: Any) -> np.ndarray:
    """Per-person stance codes of the overview as of ``when`` (for :meth:`DepartmentOverview.figures`)."""
    return overview_of(ws).stances_from(ws.stances_as_of(when))


def positions_of(ws: Workspace, department: str) -> dict[str, tuple[float, float]]:
    """Drawing positions of one department's people, from the whole map (every tie kind),
    so filters never move anyone."""
    return department_layout(ws.graph(), departments=[department], seed=SEED)


def labels_of(ws: Workspace) -> dict[str, str]:
    """Id -> "Name (department)" of the map's people, ordered by name (from the people frame, not the graph)."""
    return person_labels(ws.people())


def brief_of(ws: Workspace, department: str, as_of: Any = None, weeks: int = 12,
             champion_ids: tuple[str, ...] = (), pilot_department: str | None = None) -> str:
    """The HTML brief on a department with its pitch kit (``ValueError`` if nobody belongs to it).

    ``pilot_department`` None: the kit brings the suggested pilot's results (``Workspace.suggested_pilot``).
    """
    return brief_page(ws.brief_facts(department, as_of, weeks=weeks, champion_ids=champion_ids,
                                     pilot_department=pilot_department), map_name=ws.name)


def changes_of(ws: Workspace, to_version: int | None = None, from_version: int | None = None):
    """``ws.changes`` of two versions (default: the latest against the one before it)."""
    return ws.changes(from_version=from_version, to_version=to_version)


def changes_drawing_of(ws: Workspace, to_version: int | None = None, from_version: int | None = None) -> dict:
    """The map of ``to_version`` with what changed since ``from_version`` marked
    (:func:`~stakeholder_map.presentation.changes_view.changes_view`), laid out by department with the
    product's seed; the people who left stand where the older version had them."""
    changes = changes_of(ws, to_version, from_version)
    before = ws.graph_at_version(changes.from_version) if changes.from_version is not None else nx.DiGraph()

    def positions(G, shown) -> dict:
        return department_layout(G, departments={d for _, d in shown.nodes(data="department")}, seed=SEED)

    return changes_view(before, ws.graph_at_version(changes.to_version), changes, positions_of=positions)
