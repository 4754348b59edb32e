"""What every page shares: the store, the current map and selection, and one cache.

* **The store**: ``get_store()`` opens one :class:`Store` per database file for
  the whole server (``st.cache_resource``); a new database opens on the demo
  organisation.
* **Who is looking**: ``member()`` is the session's :class:`~stakeholder_map.access.Member`, the one way
  pages write (each write is checked against the person's role where it happens, and recorded as theirs):
  the signed-in person in team mode (``team_config()``: the secrets have ``[auth]``), else the local user,
  admin of every map. The map chooser offers only the maps they may read; a viewer's workspace has no
  e-mail addresses, notes or touchpoint text (``workspace(name)`` is redacted for them).
* **The current map and selection**: the map every page shows
  (``current_map()``, ``set_current_map()``, the sidebar's ``map_selector()``),
  the selected person, and the champions chosen on the Champions page.
* **One revision-keyed cache**: ``workspace(name)`` is the
  :class:`~stakeholder_map.workspace.Workspace` of the map at the store's
  current revision, shared by every session; it computes each analysis once
  and keeps it. Any write bumps the revision, so every page sees fresh results
  after an import, a logged touchpoint or a rename. ``derived(name, fn, *args)``
  keeps what the presentation room draws from a workspace (layouts, overview
  arrays, labels) on the same key.

Widget keys that only one page uses live on that page; the page hands them to
:func:`open_map_page`, which forgets them when the page shows another map.
Big maps are prepared in a server thread (:mod:`stakeholder_map.ui.preparation`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import networkx as nx
import pandas as pd
import streamlit as st

from stakeholder_map import demo
from stakeholder_map import store as store_module
from stakeholder_map.access import Member
from stakeholder_map.errors import StakeholderMapError
from stakeholder_map.ingest import MapData
from stakeholder_map.ingest_xlsx import open_sources, open_workbook, read_sources
from stakeholder_map.presentation import workspace_views
from stakeholder_map.presentation.network_view import LARGE_MAP
from stakeholder_map.presentation.text import markdown_text
from stakeholder_map.store import Store
from stakeholder_map.team_config import TeamConfig, normalise_email, read_team_config
from stakeholder_map.ui import preparation
from stakeholder_map.ui.pickers import find_key
from stakeholder_map.workspace import Workspace

#: The map every page shows (a map name; not a widget key).
CURRENT_MAP = "current_map"
#: The sidebar's map chooser (a widget mirroring CURRENT_MAP).
MAP_WIDGET = "sidebar_map"
#: The selected person, as (map name, stakeholder id).
SELECTED = "selected_person"
#: A message to show once after a rerun: (kind, text).
FLASH = "flash"
#: The champions chosen on the Champions page: (map name, [ids]); the Map and Simulate pages show them.
CHAMPIONS_CURRENT = "champions_current"

T = TypeVar("T")
_MESSAGE_KINDS = ("success", "info", "warning", "error")


# ----------------------------------------------------------------- store


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Store:
    store = Store(path)
    demo.ensure_demo(store)
    return store


def get_store() -> Store:
    """The shared store of the database named by ``$STAKEHOLDER_MAP_DB`` (or the default file).

    Opened once per database path and server; a database with no map gets the demo organisation.
    """
    return _open_store(str(store_module.resolve_db_path(None)))


# ------------------------------------------------------------ who is looking


def team_config() -> TeamConfig:
    """Team mode's configuration from ``st.secrets`` (off when there is no secrets file or no ``[auth]``)."""
    try:
        secrets = st.secrets.to_dict()
    except (FileNotFoundError, OSError, ValueError, KeyError, AttributeError):
        secrets = {}
    except Exception:  # noqa: BLE001  a malformed secrets.toml: Streamlit raises its own error type
        return TeamConfig(enabled=True, problems=("The secrets file cannot be read: check its TOML syntax.",))
    return read_team_config(secrets)


def signed_in_email() -> str | None:
    """The signed-in person's e-mail address (lower-cased), from ``st.user``; None before sign-in."""
    user = st.user
    if not user.get("is_logged_in"):
        return None
    return normalise_email(user.get("email"))


def member() -> Member:
    """The session's member: the signed-in person in team mode, else the local user (admin everywhere)."""
    config = team_config()
    if not config.enabled:
        return Member(get_store(), None, local=True)
    return Member(get_store(), signed_in_email() if config.ready else None)


def may(name: str | None, action: str) -> bool:
    """Whether the session's member may do ``action`` on map ``name`` (see :mod:`stakeholder_map.access`)."""
    return member().can(name, action)


@contextmanager
def errors_shown() -> Iterator[None]:
    """Show our exceptions with ``st.error`` instead of a traceback."""
    try:
        yield
    except StakeholderMapError as error:
        st.error(markdown_text(str(error)))


def show_message(kind: str, text: str) -> None:
    """``st.success`` / ``info`` / ``warning`` / ``error`` by name (anything else is info)."""
    getattr(st, kind if kind in _MESSAGE_KINDS else "info")(text)


def flash(kind: str, text: str) -> None:
    """Remember a message to show on the next run (e.g. after ``st.rerun``)."""
    st.session_state[FLASH] = (kind, text)


def show_flash() -> None:
    """Show and forget the remembered message, if any."""
    message = st.session_state.pop(FLASH, None)
    if message:
        show_message(*message)


# ----------------------------------------------------------------- cache


#: A workspace of 100,000 people holds about 1 GB once its graph is built: few are kept
#: (every write makes a new revision, and an old revision is never asked for again).
_WORKSPACES_KEPT = 3


@st.cache_resource(show_spinner=False, max_entries=_WORKSPACES_KEPT)
def _workspace(_store: Store, db: str, name: str, revision: int, redacted: bool = False) -> Workspace:
    return Workspace(_store, name, redacted=redacted)


def _workspace_at(store: Store, db: str, name: str, revision: int, hidden: bool) -> Workspace:
    # The full workspace is cached under the same key as before team mode (no fifth argument).
    return _workspace(store, db, name, revision, True) if hidden else _workspace(store, db, name, revision)


def is_redacted(name: str) -> bool:
    """Whether the session reads map ``name`` without notes, e-mail addresses and touchpoint text (a viewer)."""
    return not may(name, "read_private")


def workspace(name: str) -> Workspace:
    """The map's workspace at the store's current revision (shared by every session with the same right to
    read private text; read-only results). A viewer's is redacted (:mod:`stakeholder_map.privacy`)."""
    store = get_store()
    return _workspace_at(store, store.path, name, store.revision, is_redacted(name))


def forget_workspace(name: str, revision: int) -> None:
    """Drop the cached workspaces of an older revision (and what was drawn from them)."""
    store = get_store()
    _workspace.clear(store, store.path, name, revision)
    _workspace.clear(store, store.path, name, revision, True)


@st.cache_resource(show_spinner=False, max_entries=256)
def _derived(_store: Store, db: str, name: str, revision: int, hidden: bool, what: str, args: tuple,
             _fn: Callable[..., Any]) -> Any:
    return _fn(_workspace_at(_store, db, name, revision, hidden), *args)


def derived(name: str, fn: Callable[..., T], *args: Any, redacted: bool | None = None) -> T:
    """``fn(workspace(name), *args)``, computed once per map revision and (hashable) ``args``; read-only.

    For what the pages draw from a workspace (layouts, overview arrays, labels):
    analyses themselves are kept by the workspace. Trailing ``None`` arguments
    are dropped, so ``fn(ws)`` and ``fn(ws, None)`` share one entry. ``redacted``
    says whether the session reads the map redacted; give it (decided during the
    script run) when this runs outside one, e.g. in a download's data callable,
    where there is no ``st.user``.
    """
    while args and args[-1] is None:
        args = args[:-1]
    hidden = is_redacted(name) if redacted is None else bool(redacted)
    store = get_store()
    return _derived(store, store.path, name, store.revision, hidden, f"{fn.__module__}.{fn.__qualname__}", args, fn)


def positions(name: str, departments: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Drawing positions of the people of ``departments``, each department laid out once per revision."""
    out: dict[str, tuple[float, float]] = {}
    for department in sorted(set(departments)):
        out.update(derived(name, workspace_views.positions_of, department))
    return out


Upload = tuple[str, str, bytes]          # (label, file name, bytes)
Sheets = tuple[tuple[str, str], ...]     # (label, sheet picked for it; "" = left out)


def _files(files: tuple[Upload | None, ...]) -> dict[str, tuple[str, bytes]]:
    return {f[0]: (f[1], f[2]) for f in files if f is not None}


@st.cache_data(show_spinner=False, max_entries=8)
def read_upload(files: tuple[Upload | None, ...], sheets: Sheets,
                mappings: tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...]) -> MapData:
    """``ingest_xlsx.read_sources`` of uploaded files (CSV files or workbooks), cached by content.

    Raises ContractError like ``read_map`` (errors are not cached).
    """
    return read_sources(_files(files), dict(sheets), mappings={label: dict(pairs) for label, pairs in mappings})


@st.cache_data(show_spinner=False, max_entries=16)
def workbook_sheets(name: str, data: bytes) -> list[str]:
    """The visible sheets of an uploaded workbook; raises ContractError for one that cannot be read."""
    return open_workbook(data, name).sheets


@st.cache_data(show_spinner=False, max_entries=8)
def upload_sources(files: tuple[Upload | None, ...], sheets: Sheets) -> dict[str, tuple[str, list[str]]]:
    """Per label the uploads give: (the name problems give its file or sheet, its header row).

    Raises ContractError when a workbook cannot be read or a sheet is not found.
    """
    sources = open_sources(_files(files), dict(sheets))
    return {label: (sources.name(label), sources.headers(label)) for label in sources.picks}


# ------------------------------------------------------------------ maps


@st.cache_data(show_spinner=False, max_entries=32)
def _map_list(_store: Store, db: str, revision: int) -> pd.DataFrame:
    return _store.list_maps()


def map_list() -> pd.DataFrame:
    """The maps the session's member may read, with their counts (``Store.list_maps``)."""
    store = get_store()
    maps = _map_list(store, store.path, store.revision)
    readable = set(member().maps())
    return maps[maps["name"].astype(str).isin(readable)].reset_index(drop=True)


def map_names() -> list[str]:
    """The names of the maps the session's member may read, oldest first."""
    return [str(n) for n in map_list()["name"]]


def current_map() -> str | None:
    """The map every page shows: the chosen one, else the demo, else the first; None if no map."""
    names = map_names()
    name = st.session_state.get(CURRENT_MAP)
    if name not in names:
        name = demo.DEMO_MAP if demo.DEMO_MAP in names else (names[0] if names else None)
        st.session_state[CURRENT_MAP] = name
    return name


def set_current_map(name: str | None) -> None:
    """Make ``name`` the current map on every page (before the sidebar chooser is drawn)."""
    st.session_state[CURRENT_MAP] = name


def _from_widget() -> None:
    set_current_map(st.session_state.get(MAP_WIDGET))


def map_selector() -> str | None:
    """Draw the sidebar's map chooser and return the current map."""
    names = map_names()
    current = current_map()
    if not names:
        st.sidebar.info("No maps yet: import one on the Data page.")
        return None
    if st.session_state.get(MAP_WIDGET) != current:
        st.session_state[MAP_WIDGET] = current
    st.sidebar.selectbox("Map", names, key=MAP_WIDGET, on_change=_from_widget, help="The map every page shows.")
    return current


def head_count(name: str) -> int:
    """How many people the map has (0 for an unknown map), from the map list: no frame is read."""
    maps = map_list()
    found = maps.loc[maps["name"] == name, "people"]
    return int(found.iloc[0]) if len(found) else 0


def has_engagements(name: str | None) -> bool:
    """Whether map ``name`` has touchpoints logged, from the map list (no frame is read): the app opens on
    This week when it has, else on the Map."""
    if name is None:
        return False
    maps = map_list()
    found = maps.loc[maps["name"] == name, "engagements"]
    return bool(len(found)) and int(found.iloc[0]) > 0


def is_large(name: str) -> bool:
    """Whether the map is drawn department by department first, and prepared in the background."""
    return head_count(name) > LARGE_MAP


def graph(name: str, kinds: Iterable[str] | None = None) -> nx.DiGraph:
    """The map's influence graph (shared, read-only), optionally with only some tie kinds.

    A large map's graph is built by the background preparation (started here
    if need be): the page waits for it without building it again, and a click
    elsewhere ends the wait.
    """
    ws = workspace(name)
    if is_large(name):
        preparation.wait(ws, kinds, on_done=lambda: _forget_older(name, ws.revision))
    return ws.graph(kinds)


def prepare_in_background(name: str, kinds: Iterable[str] | None = None) -> bool:
    """Prepare a big map in a server thread (see :mod:`~stakeholder_map.ui.preparation`); True while it runs."""
    ws = workspace(name)
    return preparation.start(ws, kinds, on_done=lambda: _forget_older(name, ws.revision))


def _forget_older(name: str, revision: int) -> None:
    for older in preparation.prepared_revisions(get_store().path, name, below=revision):
        forget_workspace(name, older)


# ------------------------------------------------------------- selection


def selected_person(name: str) -> str | None:
    """The id selected on map ``name``, if any."""
    chosen = st.session_state.get(SELECTED)
    if isinstance(chosen, (tuple, list)) and len(chosen) == 2 and chosen[0] == name:
        return str(chosen[1])
    return None


def select_person(name: str, person: str | None) -> None:
    """Select ``person`` on map ``name`` (None clears the selection)."""
    st.session_state[SELECTED] = (name, person) if person is not None else None


def set_current_champions(name: str, ids: Iterable[str]) -> None:
    """Remember the champions chosen on the Champions page for map ``name``."""
    st.session_state[CHAMPIONS_CURRENT] = (name, [str(i) for i in ids])


def current_champions(name: str) -> list[str]:
    """The champions of map ``name``: those chosen on the Champions page in this session,
    else the default suggestion (the same as the Champions page's defaults)."""
    chosen = st.session_state.get(CHAMPIONS_CURRENT)
    if isinstance(chosen, (tuple, list)) and len(chosen) == 2 and chosen[0] == name:
        G = graph(name)
        return [str(i) for i in chosen[1] if str(i) in G]
    return workspace(name).champion_ids()


# ----------------------------------------------------------------- pages


def shown_for(page: str) -> str:
    """The session-state key remembering which map page ``page``'s widgets were set for."""
    return f"{page}:shown_for"


def reset_page_widgets(page: str, name: str, keys: Iterable[str], prefixes: Iterable[str] = ()) -> None:
    """Forget a page's per-map widget values (people, departments, ids) when it now shows another map.

    ``page`` names the page (its memory of which map the widgets were set for);
    ``keys`` are widget keys, ``prefixes`` start the keys of widgets made per item.
    """
    marker = shown_for(page)
    if st.session_state.get(marker) == name:
        return
    prefixes = tuple(prefixes)
    stale = list(keys) + [k for k in st.session_state if prefixes and str(k).startswith(prefixes)]
    for key in stale:
        st.session_state.pop(key, None)
        st.session_state.pop(find_key(key), None)
    st.session_state[marker] = name


def open_map_page(title: str, keys: Iterable[str] = (), prefixes: Iterable[str] = ()) -> str | None:
    """Title a page and return the current map, or None after telling the user
    why there is nothing to show (no map, or a map without people).

    The page's per-map widgets (``keys``, ``prefixes``) are forgotten when the
    map changed. The emptiness check is a head count: no page waits for a
    graph to learn it.
    """
    name = current_map()
    st.title(title, anchor=False)
    if name is None:
        st.info("There is no map yet. Import one on the Data page.")
        return None
    reset_page_widgets(title, name, keys, prefixes)
    if head_count(name) == 0:
        st.info("This map has no people yet. Import its CSV files on the Data page.")
        return None
    return name


def open_analysis_page(title: str, keys: Iterable[str] = (),
                       prefixes: Iterable[str] = ()) -> tuple[str, nx.DiGraph] | None:
    """Title an analysis page and return (current map, its graph); see :func:`open_map_page`."""
    name = open_map_page(title, keys, prefixes)
    return None if name is None else (name, graph(name))
