"""The bundled demo organisation: the embedded default of the app and the CLI.

``data/demo/`` holds a fictional company of about two hundred people where IT
is rolling out project-management software (made by ``data/demo/generate.py``,
seeded). When a database has no map yet, :func:`ensure_demo` loads it, so a
newcomer sees a full map without uploading anything.

The demo also gets a few milestones (:data:`DEMO_MILESTONES`; milestones are
not part of the CSV contract), so the progress views have something to track:
Finance is far behind its target, Operations has met its own, and the
organisation-wide ones are under way.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .ingest import read_map
from .store import ImportReport, Store

__all__ = ["DEMO_MAP", "DEMO_DIR", "DEMO_MILESTONES", "load_demo", "ensure_demo"]

DEMO_MAP = "PM software rollout (demo)"
DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"

#: Milestones the demo map starts with (keyword arguments of :meth:`Store.add_milestone`).
DEMO_MILESTONES: tuple[dict, ...] = (
    dict(department="Operations", target=0.55, due=date(2026, 12, 31)),
    dict(kind="champion_engaged", target=1.0, due=date(2027, 1, 31)),
    dict(department="Finance", target=0.6, due=date(2027, 3, 31)),
    dict(target=0.5, due=date(2027, 6, 30)),
)


def load_demo(store: Store, *, replace: bool = False, today: date | None = None,
              by: str | None = None) -> ImportReport:
    """Import the demo organisation as the map :data:`DEMO_MAP`, with its milestones.

    The milestones are added only when the map has none (a reload keeps the
    ones the user has set). ``today`` dates the import's stance records
    (default: today). ``by``: who loads it (the audit log).
    """
    with open(DEMO_DIR / "stakeholders.csv", "rb") as people, \
            open(DEMO_DIR / "influences.csv", "rb") as ties, \
            open(DEMO_DIR / "engagements.csv", "rb") as events:
        data = read_map(people, ties, events)
    with store.atomic():
        report = store.import_map(DEMO_MAP, data, replace=replace, today=today, by=by)
        if store.milestones(DEMO_MAP).empty:
            for milestone in DEMO_MILESTONES:
                store.add_milestone(DEMO_MAP, **milestone, by=by)
    return report


def ensure_demo(store: Store, *, by: str | None = None) -> bool:
    """Load the demo when the store holds no map; True if it did. ``by``: who (the audit log)."""
    if store.map_names():
        return False
    load_demo(store, by=by)
    return True
