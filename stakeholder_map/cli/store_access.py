"""The store a command opens, and the map it works on (the demo map when none is named)."""

from __future__ import annotations

from ..store import Store, resolve_db_path


def open_store(db: str | None) -> Store:
    """The store the command works on."""
    return Store(resolve_db_path(db))


def load_graph(store: Store, map_name: str | None, kinds: tuple[str, ...] = ()):
    """The map's graph; without a name, the demo map (loaded into an empty database)."""
    from ..demo import DEMO_MAP, ensure_demo

    if map_name is None:
        ensure_demo(store)
        map_name = DEMO_MAP
    return store.graph(map_name, kinds=list(kinds) or None)


def resolve_map(store: Store, map_name: str | None) -> str:
    """The map to work on; without a name, the demo map (loaded into an empty database)."""
    from ..demo import DEMO_MAP, ensure_demo

    if map_name is None:
        ensure_demo(store)
        return DEMO_MAP
    if not store.has_map(map_name):
        from ..errors import MapNotFound
        raise MapNotFound(f"no map named {map_name!r}")
    return map_name
