"""The store a command opens, and the map it works on (the demo map when none is named) as a workspace."""

from __future__ import annotations

from ..access import LOCAL_USER
from ..store import Store, resolve_db_path
from ..workspace import SEED, Workspace


def open_store(db: str | None) -> Store:
    """The store the command works on."""
    return Store(resolve_db_path(db))


def open_workspace(store: Store, map_name: str | None, *, seed: int = SEED) -> Workspace:
    """The workspace of the map (the demo map when none is named), with every frame read,
    so the command may close the store before it analyses."""
    return Workspace(store, resolve_map(store, map_name), seed=seed).read_all()


def resolve_map(store: Store, map_name: str | None) -> str:
    """The map to work on; without a name, the demo map (loaded into an empty database)."""
    from ..demo import DEMO_MAP, ensure_demo

    if map_name is None:
        ensure_demo(store, by=LOCAL_USER)
        return DEMO_MAP
    if not store.has_map(map_name):
        from ..errors import MapNotFound
        raise MapNotFound(f"no map named {map_name!r}")
    return map_name
