"""The bundled demo organisation: the embedded default of the app and the CLI.

``data/demo/`` holds a fictional company of about two hundred people where IT
is rolling out project-management software (made by ``data/demo/generate.py``,
seeded). When a database has no map yet, :func:`ensure_demo` loads it, so a
newcomer sees a full map without uploading anything.
"""

from __future__ import annotations

from pathlib import Path

from .ingest import read_map
from .store import ImportReport, Store

__all__ = ["DEMO_MAP", "DEMO_DIR", "load_demo", "ensure_demo"]

DEMO_MAP = "PM software rollout (demo)"
DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


def load_demo(store: Store, *, replace: bool = False) -> ImportReport:
    """Import the demo organisation as the map :data:`DEMO_MAP`."""
    with open(DEMO_DIR / "stakeholders.csv", "rb") as people, \
            open(DEMO_DIR / "influences.csv", "rb") as ties, \
            open(DEMO_DIR / "engagements.csv", "rb") as events:
        data = read_map(people, ties, events)
    return store.import_map(DEMO_MAP, data, replace=replace)


def ensure_demo(store: Store) -> bool:
    """Load the demo when the store holds no map; True if it did."""
    if store.map_names():
        return False
    load_demo(store)
    return True
