"""Session-state keys, the shared store, and every cached query of the dashboard.

Caching lives only here. ``get_store()`` opens one :class:`Store` per
database file for the whole server (``st.cache_resource``); a new database
opens on the demo organisation. Query and analysis results are cached with
the store passed as ``_store`` (not hashed) and the database path, the map
name and ``store.revision`` in the key: any write bumps the revision, so
every page sees fresh results after an import, a rename or a delete.
Graphs and layouts are cached as shared resources (no copy per rerun);
treat them as read-only.

The current map is shared by all pages: ``current_map()`` reads it,
``set_current_map()`` changes it (the Data page after an import), and
``map_selector()`` draws the sidebar's chooser.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import networkx as nx
import pandas as pd
import streamlit as st

from stakeholder_map import demo
from stakeholder_map import store as store_module
from stakeholder_map.errors import StakeholderMapError
from stakeholder_map.presentation import layout
from stakeholder_map.presentation.overview import DepartmentOverview
from stakeholder_map.store import Store
from stakeholder_map.ui.pickers import find_key
from stakeholder_map.presentation.network_view import LARGE_MAP
from stakeholder_map.presentation.text import markdown_text

__all__ = [
    "CURRENT_MAP", "MAP_WIDGET", "SELECTED", "FLASH", "MAP_FOR",
    "MAP_COLOUR", "MAP_SIZE", "MAP_DEPARTMENTS", "MAP_STANCES", "MAP_KINDS",
    "MAP_MIN_WEIGHT", "MAP_FOCUS", "MAP_HOPS", "MAP_SEARCH", "MAP_MATCH", "MAP_GRAPH",
    "MAP_PAGE_KEYS", "UPLOADS", "IMPORT_NAME", "IMPORT_REPLACE", "MAPPING_PREFIX",
    "CHAMPIONS_K", "SEED",
    "get_store", "db_key", "map_names", "map_list", "current_map", "set_current_map",
    "map_selector", "reset_map_widgets", "selected_person", "select_person",
    "graph", "head_count", "is_large", "tie_kinds", "custom_columns", "people", "stance_history",
    "positions", "metrics", "champion_ids", "blocker_ids", "read_upload",
    "analysis_available", "analysis_ready", "person_labels", "overview", "overview_stances",
    "prepare_in_background", "preparation_error",
    "flash", "show_flash", "errors_shown",
    # analysis pages: Champions, Audience, Simulate
    "CHAMPIONS_CURRENT", "ANALYSIS_FOR", "CHAMP_K", "CHAMP_MODEL", "CHAMP_P", "CHAMP_OBJECTIVE",
    "CHAMP_STANCES", "CHAMP_MIN_DEPT", "CHAMP_PIN", "CHAMP_EXCLUDE", "CHAMP_KINDS", "PILOT_SHARE",
    "PILOT_DEPARTMENT", "AUDIENCE_DEPARTMENTS", "AUDIENCE_MATRIX_VALUE", "SIM_SEEDS", "SIM_WHAT_IF",
    "SIM_WHAT_IF_PREFIX", "SIM_STEPS", "SIM_RUNS", "SIM_MODEL", "SIM_P", "SIM_STEP", "SIM_SHARE",
    "SIM_CURVES", "SIM_DEPARTMENTS", "SIM_GRAPH", "ANALYSIS_PAGE_KEYS", "DEFAULT_DISALLOWED",
    "reset_analysis_widgets", "set_current_champions", "open_map_page", "open_analysis_page", "current_champions",
    "champions", "pilot",
    "pilot_departments", "department_profiles", "influence_matrix", "simulation",
]

# ------------------------------------------------------------------ keys

#: The map every page shows (a map name; not a widget key).
CURRENT_MAP = "current_map"
#: The sidebar's map chooser (a widget mirroring CURRENT_MAP).
MAP_WIDGET = "sidebar_map"
#: The selected person, as (map name, stakeholder id).
SELECTED = "selected_person"
#: A message to show once after a rerun: (kind, text).
FLASH = "flash"
#: Which map the Map page's widgets were set for.
MAP_FOR = "map_page_for"

# Map page widgets.
MAP_COLOUR = "map_colour"
MAP_SIZE = "map_size"
MAP_DEPARTMENTS = "map_departments"
MAP_STANCES = "map_stances"
MAP_KINDS = "map_kinds"
MAP_MIN_WEIGHT = "map_min_weight"
MAP_FOCUS = "map_focus"
MAP_HOPS = "map_hops"
MAP_SEARCH = "map_search"
MAP_MATCH = "map_match"
MAP_GRAPH = "map_graph"
#: Widgets whose values belong to one map; reset when the map changes.
MAP_PAGE_KEYS = (MAP_COLOUR, MAP_SIZE, MAP_DEPARTMENTS, MAP_STANCES, MAP_KINDS,
                 MAP_MIN_WEIGHT, MAP_FOCUS, MAP_HOPS, MAP_SEARCH, MAP_MATCH)

# Data page.
#: Uploaded files: {"stakeholders" | "influences" | "engagements": (file name, bytes)}.
UPLOADS = "uploads"
IMPORT_NAME = "import_name"
IMPORT_REPLACE = "import_replace"
#: Prefix of the column-mapping selectboxes: f"{MAPPING_PREFIX}{label}:{header}".
MAPPING_PREFIX = "mapping:"

#: Champions marked on the map, and the seed of every random analysis the UI runs.
CHAMPIONS_K = 5
SEED = 0

_SHARED = {"show_spinner": False}
_LOG = logging.getLogger(__name__)


# ----------------------------------------------------------------- store


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Store:
    store = Store(path)
    demo.ensure_demo(store)
    return store


def get_store() -> Store:
    """The shared store of the database named by ``$STAKEHOLDER_MAP_DB`` (or the default file).

    Opened once per database path and server; a database with no map gets
    the demo organisation.
    """
    return _open_store(str(store_module.resolve_db_path(None)))


def db_key() -> tuple[Store, str, int]:
    """(store, database path, revision): what every cached query is keyed on."""
    store = get_store()
    return store, store.path, store.revision


@contextmanager
def errors_shown() -> Iterator[None]:
    """Show our exceptions with ``st.error`` instead of a traceback."""
    try:
        yield
    except StakeholderMapError as error:
        st.error(markdown_text(str(error)))


def flash(kind: str, text: str) -> None:
    """Remember a message to show on the next run (e.g. after ``st.rerun``)."""
    st.session_state[FLASH] = (kind, text)


def show_flash() -> None:
    """Show and forget the remembered message, if any."""
    message = st.session_state.pop(FLASH, None)
    if message:
        kind, text = message
        getattr(st, kind if kind in ("success", "info", "warning", "error") else "info")(text)


# ------------------------------------------------------------------ maps


@st.cache_data(**_SHARED, max_entries=32)
def _map_list(_store: Store, db: str, revision: int) -> pd.DataFrame:
    return _store.list_maps()


def map_list() -> pd.DataFrame:
    """Every map with its counts (``Store.list_maps``)."""
    return _map_list(*db_key())


def map_names() -> list[str]:
    """Map names, oldest first."""
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
    st.sidebar.selectbox("Map", names, key=MAP_WIDGET, on_change=_from_widget,
                         help="The map every page shows.")
    return current


def reset_map_widgets(name: str) -> None:
    """Forget the Map page's filters when the page now shows another map."""
    if st.session_state.get(MAP_FOR) != name:
        for key in MAP_PAGE_KEYS:
            st.session_state.pop(key, None)
            st.session_state.pop(find_key(key), None)
        st.session_state[MAP_FOR] = name


def selected_person(name: str) -> str | None:
    """The id selected on map ``name``, if any."""
    chosen = st.session_state.get(SELECTED)
    if isinstance(chosen, (tuple, list)) and len(chosen) == 2 and chosen[0] == name:
        return str(chosen[1])
    return None


def select_person(name: str, person: str | None) -> None:
    """Select ``person`` on map ``name`` (None clears the selection)."""
    st.session_state[SELECTED] = (name, person) if person is not None else None


# --------------------------------------------------------------- queries


#: A graph of 100,000 people and a million ties takes about 1 GB: few are kept (every
#: write makes a new revision, and an old revision's graph is never asked for again).
_GRAPHS_KEPT = 3


@st.cache_resource(**_SHARED, max_entries=_GRAPHS_KEPT)
def _graph(_store: Store, db: str, name: str, revision: int, kinds: tuple[str, ...] | None,
           _computing: Callable[[], None] | None = None) -> nx.DiGraph:
    if _computing is not None:  # runs under the cache's compute lock: others asking now wait for this
        _computing()
    return _store.graph(name, kinds=list(kinds) if kinds is not None else None)


def head_count(name: str) -> int:
    """How many people the map has (0 for an unknown map)."""
    maps = map_list()
    found = maps.loc[maps["name"] == name, "people"]
    return int(found.iloc[0]) if len(found) else 0


def is_large(name: str) -> bool:
    """Whether the map is drawn department by department first, and prepared in the background."""
    return head_count(name) > LARGE_MAP


def graph(name: str, kinds: Iterable[str] | None = None) -> nx.DiGraph:
    """The map's influence graph (shared, read-only), optionally with only some tie kinds.

    A large map's whole graph is built by the background preparation
    (:func:`prepare_in_background`, started here if need be): the page waits
    for it without computing it again, and a click elsewhere stops the wait
    at once instead of after the seconds the building takes.
    """
    if is_large(name):
        prepare_in_background(name)
    store, db, revision = db_key()
    key = tuple(sorted(kinds)) if kinds is not None else None
    return _graph(store, db, name, revision, key)


@st.cache_data(**_SHARED, max_entries=64)
def _tie_kinds(_store: Store, db: str, name: str, revision: int) -> list[str]:
    return _store.tie_kinds(name)


def tie_kinds(name: str) -> list[str]:
    """Kinds of tie present in the map."""
    store, db, revision = db_key()
    return _tie_kinds(store, db, name, revision)


@st.cache_data(**_SHARED, max_entries=64)
def _custom_columns(_store: Store, db: str, name: str, revision: int) -> list[str]:
    return _store.custom_columns(name)


def custom_columns(name: str) -> list[str]:
    """The map's custom attribute columns."""
    store, db, revision = db_key()
    return _custom_columns(store, db, name, revision)


@st.cache_data(**_SHARED, max_entries=16)
def _people(_store: Store, db: str, name: str, revision: int) -> pd.DataFrame:
    return _store.people(name)


def people(name: str) -> pd.DataFrame:
    """The map's stakeholders frame."""
    store, db, revision = db_key()
    return _people(store, db, name, revision)


@st.cache_data(**_SHARED, max_entries=256)
def _stance_history(_store: Store, db: str, name: str, revision: int, person: str | None) -> pd.DataFrame:
    return _store.stance_history(name, person)


def stance_history(name: str, person: str | None = None) -> pd.DataFrame:
    """Recorded stances of the map (of one person if given)."""
    store, db, revision = db_key()
    return _stance_history(store, db, name, revision, person)


@st.cache_data(**_SHARED, max_entries=256)
def _department_positions(_store: Store, db: str, name: str, revision: int,
                          department: str) -> dict[str, tuple[float, float]]:
    return layout.department_layout(_graph(_store, db, name, revision, None),
                                    departments=[department], seed=SEED)


def positions(name: str, departments: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Drawing positions of the people of ``departments`` (computed once per department).

    Positions come from the whole map (every tie kind), so filters never move anyone.
    """
    store, db, revision = db_key()
    out: dict[str, tuple[float, float]] = {}
    for department in sorted(set(departments)):
        out.update(_department_positions(store, db, name, revision, department))
    return out


@st.cache_data(**_SHARED, max_entries=16)
def _person_labels(_store: Store, db: str, name: str, revision: int) -> dict[str, str]:
    from stakeholder_map.presentation.people import person_labels as labels

    return labels(_people(_store, db, name, revision))


def person_labels(name: str) -> dict[str, str]:
    """Id -> "Name (department)" of the map's people, ordered by name (from the people frame, not the graph)."""
    store, db, revision = db_key()
    return _person_labels(store, db, name, revision)


@st.cache_resource(**_SHARED, max_entries=8)
def _overview(_store: Store, db: str, name: str, revision: int,
              kinds: tuple[str, ...] | None) -> DepartmentOverview:
    return DepartmentOverview.build(_people(_store, db, name, revision),
                                    _store.tie_pairs(name, list(kinds) if kinds is not None else None))


def overview(name: str, kinds: Iterable[str] | None = None) -> DepartmentOverview:
    """The map's department overview arrays (shared, read-only; no graph needed: :mod:`stakeholder_map.overview`)."""
    store, db, revision = db_key()
    return _overview(store, db, name, revision, _kinds_key(kinds))


@st.cache_resource(**_SHARED, max_entries=16)
def _overview_stances(_store: Store, db: str, name: str, revision: int, when: str):
    from stakeholder_map.tracking.history import stances_as_of

    then = stances_as_of(_people(_store, db, name, revision), _stance_history(_store, db, name, revision, None), when)
    return _overview(_store, db, name, revision, None).stances_from(then)


def overview_stances(name: str, when) -> object:
    """Per-person stance codes of the overview as of ``when`` (for :meth:`DepartmentOverview.figures`)."""
    store, db, revision = db_key()
    return _overview_stances(store, db, name, revision, str(when))


def _analysis(module: str, attribute: str) -> Callable | None:
    """An analysis function, or None while that module is not part of the install."""
    import importlib

    try:
        return getattr(importlib.import_module(f"stakeholder_map.analysis.{module}"), attribute)
    except (ImportError, AttributeError):
        return None


def analysis_available() -> bool:
    """Whether the network metrics can be computed in this install (checked without importing them)."""
    from importlib.util import find_spec

    return find_spec("stakeholder_map.analysis.centrality") is not None


def _kinds_key(kinds: Iterable[str] | None) -> tuple[str, ...] | None:
    return tuple(sorted(kinds)) if kinds else None


#: Analyses this server process has computed: ("metrics", db, map, revision, kinds)
#: and ("champions", db, map, revision, k). Lets a page draw first and score after.
_COMPUTED: set[tuple] = set()


def analysis_ready(name: str, kinds: Iterable[str] | None = None) -> bool:
    """Whether the map's metrics (for these tie kinds) and champions are already computed."""
    store, db, revision = db_key()
    return (("metrics", db, name, revision, _kinds_key(kinds)) in _COMPUTED
            and ("champions", db, name, revision, CHAMPIONS_K) in _COMPUTED)


@st.cache_data(**_SHARED, max_entries=32)
def _metrics(_store: Store, db: str, name: str, revision: int,
             kinds: tuple[str, ...] | None) -> pd.DataFrame | None:
    stakeholder_metrics = _analysis("centrality", "stakeholder_metrics")
    if stakeholder_metrics is None:
        return None
    return stakeholder_metrics(_graph(_store, db, name, revision, kinds), seed=SEED)


def metrics(name: str, kinds: Iterable[str] | None = None) -> pd.DataFrame | None:
    """``centrality.stakeholder_metrics`` of the map (None if the analysis is unavailable)."""
    store, db, revision = db_key()
    key = _kinds_key(kinds)
    frame = _metrics(store, db, name, revision, key)
    _COMPUTED.add(("metrics", db, name, revision, key))
    return frame


@st.cache_data(**_SHARED, max_entries=32)
def _champion_ids(_store: Store, db: str, name: str, revision: int, k: int) -> list[str]:
    select_champions = _analysis("champions", "select_champions")
    if select_champions is None:
        return []
    G = _graph(_store, db, name, revision, None)
    if G.number_of_nodes() == 0:
        return []
    result = select_champions(G, min(k, G.number_of_nodes()), seed=SEED)
    return [str(c["id"]) for c in result.champions]


def champion_ids(name: str, k: int = CHAMPIONS_K) -> list[str]:
    """Ids of the ``k`` suggested champions of the whole map (default model and seed)."""
    store, db, revision = db_key()
    ids = _champion_ids(store, db, name, revision, int(k))
    _COMPUTED.add(("champions", db, name, revision, int(k)))
    return ids


#: Background preparations: (db, map, revision, kinds) -> the thread computing them.
_PREPARING: dict[tuple, threading.Thread] = {}
#: Preparations that failed: same key -> what to tell the user.
_PREPARE_FAILED: dict[tuple, str] = {}
_PREPARE_LOCK = threading.Lock()


def _prepare(store: Store, db: str, name: str, revision: int, kinds: tuple[str, ...] | None,
             started: threading.Event | None = None) -> None:
    """Build the graph, score it and pick the champions, filling the same caches the pages read."""
    key = (db, name, revision, kinds)
    try:
        _graph(store, db, name, revision, None, _computing=started.set if started is not None else None)
        if started is not None:
            started.set()  # (already built: nothing to wait for)
        if kinds is not None:
            _graph(store, db, name, revision, kinds)
        _metrics(store, db, name, revision, kinds)
        _COMPUTED.add(("metrics", db, name, revision, kinds))
        _champion_ids(store, db, name, revision, CHAMPIONS_K)
        _COMPUTED.add(("champions", db, name, revision, CHAMPIONS_K))
        _forget_older_revisions(store, db, name, revision)
    except StakeholderMapError as error:  # e.g. the map was deleted meanwhile
        _PREPARE_FAILED[key] = str(error)
    except Exception:  # a bug: keep the page usable, say so, and log the traceback
        _LOG.exception("preparing map %r failed", name)
        _PREPARE_FAILED[key] = "Scoring this map failed; the server log has the details."
    finally:
        if started is not None:
            started.set()


def _forget_older_revisions(store: Store, db: str, name: str, revision: int) -> None:
    """Drop the graphs and overviews of the map's earlier revisions that were prepared here.

    Every write (an import, a logged touchpoint) makes a new revision, and an
    old revision's results are never asked for again; a 100,000-person graph
    holds about 0.7 GB, so without this the server kept up to
    :data:`_GRAPHS_KEPT` of them (2.8 GB measured after four touchpoints).
    """
    with _PREPARE_LOCK:
        older = [key for key in _PREPARING if key[0] == db and key[1] == name and key[2] < revision]
    for _, _, old, kinds in older:
        for variant in {None, kinds}:
            _graph.clear(store, db, name, old, variant)
            _overview.clear(store, db, name, old, variant)


def prepare_in_background(name: str, kinds: Iterable[str] | None = None) -> bool:
    """Start building, scoring and picking champions for the map in a server thread.

    Big maps take seconds to prepare (100,000 people: about 25 s); the page
    stays usable meanwhile: the department overview needs none of it, and a
    page that needs the graph waits for this thread's result instead of
    computing it again (Streamlit's caches hold one computation per key).
    One thread per map, revision and tie kinds, however many sessions ask.
    Returns True while it runs (False once done, or if it failed:
    :func:`preparation_error`).
    """
    store, db, revision = db_key()
    key = (db, name, revision, _kinds_key(kinds))
    if analysis_ready(name, kinds) or key in _PREPARE_FAILED:
        return False
    with _PREPARE_LOCK:
        thread = _PREPARING.get(key)
        if thread is None:
            started = threading.Event()
            thread = threading.Thread(target=_prepare, args=(store, *key), kwargs={"started": started},
                                      name=f"prepare {name}", daemon=True)
            _PREPARING[key] = thread
            thread.start()
            started.wait(timeout=1)  # let it take the graph's compute lock before the page asks for the graph
    return thread.is_alive()


def preparation_error(name: str, kinds: Iterable[str] | None = None) -> str | None:
    """Why preparing the map in the background failed, if it did."""
    store, db, revision = db_key()
    return _PREPARE_FAILED.get((db, name, revision, _kinds_key(kinds)))


def blocker_ids(frame: pd.DataFrame | None) -> list[str]:
    """Ids whose metrics roles include ``blocker``."""
    if frame is None or "roles" not in frame.columns:
        return []
    return [str(i) for i, roles in zip(frame["id"], frame["roles"])
            if isinstance(roles, (list, tuple)) and "blocker" in roles]


@st.cache_data(**_SHARED, max_entries=8)
def read_upload(files: tuple[tuple[str, str, bytes] | None, ...],
                mappings: tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...]):
    """``ingest.read_map`` of uploaded files ((label, file name, bytes) or None each), cached by content.

    Raises ContractError like ``read_map`` (errors are not cached).
    """
    from io import BytesIO

    from stakeholder_map.ingest import read_map

    by_label = {f[0]: f for f in files if f is not None}
    names = tuple(by_label[label][1] if label in by_label else default
                  for label, default in (("stakeholders", "stakeholders.csv"),
                                         ("influences", "influences.csv"),
                                         ("engagements", "engagements.csv")))

    def stream(label: str):
        return BytesIO(by_label[label][2]) if label in by_label else None

    return read_map(stream("stakeholders"), stream("influences"), stream("engagements"),
                    names=names, mappings={label: dict(pairs) for label, pairs in mappings})


# ---- analysis pages: Champions, Audience, Simulate
#
# Widget keys of those three pages, the champions chosen on the Champions page
# (shared with the Simulate and Map pages), and the cached analyses behind them.
# The champion samples (a SamplePool per map, revision, tie kinds, model, p and
# objective) are a shared resource, so changing k or the constraints reruns only
# the greedy step; every result is cached on all of its inputs.

#: The champions chosen on the Champions page: (map name, [ids]).
CHAMPIONS_CURRENT = "champions_current"
#: Which map the analysis pages' widgets were set for.
ANALYSIS_FOR = "analysis_pages_for"

# Champions page widgets.
CHAMP_K = "champions_k"
CHAMP_MODEL = "champions_model"
CHAMP_P = "champions_p"
CHAMP_OBJECTIVE = "champions_objective"
CHAMP_STANCES = "champions_stances"
CHAMP_MIN_DEPT = "champions_min_per_department"
CHAMP_PIN = "champions_pin"
CHAMP_EXCLUDE = "champions_exclude"
CHAMP_KINDS = "champions_kinds"
PILOT_SHARE = "pilot_share"
PILOT_DEPARTMENT = "pilot_department"
# Audience page widgets.
AUDIENCE_DEPARTMENTS = "audience_departments"
AUDIENCE_MATRIX_VALUE = "audience_matrix_value"
# Simulate page widgets.
SIM_SEEDS = "simulate_seeds"
#: The people whose stance a what-if changes.
SIM_WHAT_IF = "simulate_what_if"
#: Prefix of the stance picked for each of them: f"{SIM_WHAT_IF_PREFIX}{id}".
SIM_WHAT_IF_PREFIX = "simulate_what_if:"
SIM_STEPS = "simulate_steps"
SIM_RUNS = "simulate_runs"
SIM_MODEL = "simulate_model"
SIM_P = "simulate_p"
SIM_STEP = "simulate_step"
SIM_SHARE = "simulate_share"
SIM_CURVES = "simulate_curves"
SIM_DEPARTMENTS = "simulate_departments"
SIM_GRAPH = "simulate_graph"
#: Widgets whose values belong to one map (people, departments); reset when the map changes.
ANALYSIS_PAGE_KEYS = (CHAMP_PIN, CHAMP_EXCLUDE, CHAMP_KINDS, CHAMP_K, CHAMP_MIN_DEPT, PILOT_DEPARTMENT,
                      AUDIENCE_DEPARTMENTS, SIM_SEEDS, SIM_WHAT_IF, SIM_CURVES, SIM_DEPARTMENTS, SIM_STEP)
#: Stances the champions may not have unless the user says otherwise (the CLI's default).
DEFAULT_DISALLOWED = ("resistant", "skeptic")


def reset_analysis_widgets(name: str) -> None:
    """Forget the analysis pages' per-map choices (people, departments) when the map changes."""
    if st.session_state.get(ANALYSIS_FOR) != name:
        for key in list(ANALYSIS_PAGE_KEYS) + [k for k in st.session_state
                                               if str(k).startswith(SIM_WHAT_IF_PREFIX)]:
            st.session_state.pop(key, None)
            st.session_state.pop(find_key(key), None)
        st.session_state[ANALYSIS_FOR] = name


def set_current_champions(name: str, ids: Iterable[str]) -> None:
    """Remember the champions chosen on the Champions page for map ``name``."""
    st.session_state[CHAMPIONS_CURRENT] = (name, [str(i) for i in ids])


def open_map_page(title: str, reset: Callable[[str], None]) -> str | None:
    """Title a page and return the current map, or None after telling the user
    why there is nothing to show (no map, or a map without people).

    ``reset(name)`` forgets the page's widgets when the map changed. The
    emptiness check is a head count: no page waits for a graph to learn it.
    """
    name = current_map()
    st.title(title, anchor=False)
    if name is None:
        st.info("There is no map yet. Import one on the Data page.")
        return None
    reset(name)
    if head_count(name) == 0:
        st.info("This map has no people yet. Import its CSV files on the Data page.")
        return None
    return name


def open_analysis_page(title: str) -> tuple[str, nx.DiGraph] | None:
    """Title an analysis page and return (current map, its graph); see :func:`open_map_page`."""
    name = open_map_page(title, reset_analysis_widgets)
    return None if name is None else (name, graph(name))


def current_champions(name: str) -> list[str]:
    """The champions of map ``name``: those chosen on the Champions page in this session,
    else the default suggestion (:func:`champion_ids`, the same as the page's defaults)."""
    chosen = st.session_state.get(CHAMPIONS_CURRENT)
    if isinstance(chosen, (tuple, list)) and len(chosen) == 2 and chosen[0] == name:
        G = graph(name)
        return [str(i) for i in chosen[1] if str(i) in G]
    return champion_ids(name)


def _model_key(model: str, p: float) -> tuple[str, float]:
    """p matters only to the ic model: one cache entry for every p otherwise."""
    return str(model), (round(float(p), 4) if model == "ic" else 0.1)


@st.cache_resource(**_SHARED, max_entries=4)  # each holds the map's diffusion arrays and samples
def _champion_pool(_store: Store, db: str, name: str, revision: int, kinds: tuple[str, ...] | None,
                   model: str, p: float, objective: str):
    import threading

    from stakeholder_map.analysis.champions import sample_pool

    G = _graph(_store, db, name, revision, kinds)
    # A pool grows lazily; the lock keeps two sessions from growing it at once.
    return sample_pool(G, model=model, p=p, objective=objective, seed=SEED), threading.Lock()


@st.cache_data(**_SHARED, max_entries=64)
def _champions(_store: Store, db: str, name: str, revision: int, kinds: tuple[str, ...] | None,
               k: int, model: str, p: float, objective: str, disallowed: tuple[str, ...],
               pin: tuple[str, ...], exclude: tuple[str, ...], min_per_department: int):
    from stakeholder_map.analysis.champions import select_champions

    G = _graph(_store, db, name, revision, kinds)
    pool, lock = _champion_pool(_store, db, name, revision, kinds, model, p, objective)
    with lock:
        return select_champions(G, k, model=model, p=p, objective=objective, disallowed_stances=disallowed,
                                pin=pin, exclude=exclude, min_per_department=min_per_department,
                                seed=SEED, pool=pool)


def champions(name: str, k: int, *, model: str = "stance", p: float = 0.1, objective: str = "everyone",
              disallowed: Iterable[str] = DEFAULT_DISALLOWED, pin: Iterable[str] = (),
              exclude: Iterable[str] = (), min_per_department: int = 0,
              kinds: Iterable[str] | None = None):
    """``champions.select_champions`` of the map with seed :data:`SEED` (a ChampionResult).

    Raises InfeasibleChampions / UnknownStakeholder like ``select_champions`` (errors are not cached).
    """
    store, db, revision = db_key()
    model, p = _model_key(model, p)
    return _champions(store, db, name, revision, _kinds_key(kinds), int(k), model, p, objective,
                      tuple(sorted(str(d) for d in disallowed)), tuple(str(x) for x in pin),
                      tuple(sorted(str(x) for x in exclude)), int(min_per_department))


@st.cache_data(**_SHARED, max_entries=64)
def _pilot(_store: Store, db: str, name: str, revision: int, kinds: tuple[str, ...] | None,
           share: float, department: str | None, model: str, p: float, objective: str,
           disallowed: tuple[str, ...]):
    from stakeholder_map.analysis.pilot import smallest_pilot

    G = _graph(_store, db, name, revision, kinds)
    options = dict(department=department, model=model, p=p, objective=objective,
                   disallowed_stances=disallowed, seed=SEED)
    if department is not None:
        return smallest_pilot(G, share, **options)
    pool, lock = _champion_pool(_store, db, name, revision, kinds, model, p, objective)
    with lock:
        return smallest_pilot(G, share, pool=pool, **options)


def pilot(name: str, share: float, *, department: str | None = None, model: str = "stance",
          p: float = 0.1, objective: str = "everyone", disallowed: Iterable[str] = DEFAULT_DISALLOWED,
          kinds: Iterable[str] | None = None):
    """``pilot.smallest_pilot`` of the map (whole organisation or one department), seed :data:`SEED`."""
    store, db, revision = db_key()
    model, p = _model_key(model, p)
    return _pilot(store, db, name, revision, _kinds_key(kinds), round(float(share), 4), department,
                  model, p, objective, tuple(sorted(str(d) for d in disallowed)))


@st.cache_data(**_SHARED, max_entries=32)
def _pilot_departments(_store: Store, db: str, name: str, revision: int, kinds: tuple[str, ...] | None,
                       model: str, p: float, disallowed: tuple[str, ...], per_department: int) -> pd.DataFrame:
    from stakeholder_map.analysis.pilot import rank_pilot_departments

    return rank_pilot_departments(_graph(_store, db, name, revision, kinds), per_department=per_department,
                                  model=model, p=p, seed=SEED, disallowed_stances=disallowed)


def pilot_departments(name: str, *, model: str = "stance", p: float = 0.1,
                      disallowed: Iterable[str] = DEFAULT_DISALLOWED, per_department: int = 3,
                      kinds: Iterable[str] | None = None) -> pd.DataFrame:
    """``pilot.rank_pilot_departments`` of the map, seed :data:`SEED`."""
    store, db, revision = db_key()
    model, p = _model_key(model, p)
    return _pilot_departments(store, db, name, revision, _kinds_key(kinds), model, p,
                              tuple(sorted(str(d) for d in disallowed)), int(per_department))


@st.cache_data(**_SHARED, max_entries=32)
def _department_profiles(_store: Store, db: str, name: str, revision: int) -> list[dict] | None:
    from stakeholder_map.analysis.departments import department_profiles as profiles

    frame = _metrics(_store, db, name, revision, None)
    if frame is None:
        return None
    return profiles(_graph(_store, db, name, revision, None), frame)


def department_profiles(name: str) -> list[dict] | None:
    """``departments.department_profiles`` of the map (None if the metrics are unavailable)."""
    store, db, revision = db_key()
    return _department_profiles(store, db, name, revision)


@st.cache_data(**_SHARED, max_entries=32)
def _influence_matrix(_store: Store, db: str, name: str, revision: int, value: str) -> pd.DataFrame:
    from stakeholder_map.analysis.departments import influence_matrix as matrix

    return matrix(_graph(_store, db, name, revision, None), value=value)


def influence_matrix(name: str, value: str = "weight") -> pd.DataFrame:
    """``departments.influence_matrix`` of the map (``value`` "weight" or "ties")."""
    store, db, revision = db_key()
    return _influence_matrix(store, db, name, revision, value)


@st.cache_data(**_SHARED, max_entries=8)  # a result holds a people × steps array
def _simulation(_store: Store, db: str, name: str, revision: int, kinds: tuple[str, ...] | None,
                seeds: tuple[str, ...], overrides: tuple[tuple[str, str], ...], steps: int, runs: int,
                model: str, p: float):
    from stakeholder_map.analysis.simulation import simulate

    return simulate(_graph(_store, db, name, revision, kinds), list(seeds), model=model, p=p, steps=steps,
                    runs=runs, seed=SEED, overrides=dict(overrides) or None)


def simulation(name: str, seeds: Iterable[str], *, overrides: dict[str, str] | None = None, steps: int = 10,
               runs: int = 1000, model: str = "stance", p: float = 0.1, kinds: Iterable[str] | None = None):
    """``simulation.simulate`` of the map from ``seeds`` with what-if stances, seed :data:`SEED`."""
    store, db, revision = db_key()
    model, p = _model_key(model, p)
    return _simulation(store, db, name, revision, _kinds_key(kinds), tuple(str(x) for x in seeds),
                       tuple(sorted((str(k), str(v)) for k, v in (overrides or {}).items())),
                       int(steps), int(runs), model, p)


# ---- Engagement page
#
# Widget keys of the Engagement page (log and edit touchpoints, stance history,
# milestones, next conversations, rotation plan, department brief), the Map
# page's "as of a past date", and the cached tracking queries behind them.
# Every result is keyed on the database, the map name and ``store.revision``
# (a logged, edited or deleted touchpoint or milestone bumps it), plus the day
# it is computed for, so results refresh after a write and at midnight.

#: Which map the Engagement page's widgets were set for.
ENG_FOR = "engagement_page_for"
#: A message to show once next to a section after a write: (section, kind, text).
ENG_MESSAGE = "engagement_message"
# Log a touchpoint (a form).
ENG_LOG_FORM = "engagement_log_form"
ENG_LOG_DATE = "engagement_log_date"
ENG_LOG_PERSON = "engagement_log_person"
ENG_LOG_ACTIVITY = "engagement_log_activity"
ENG_LOG_STANCE = "engagement_log_stance"
ENG_LOG_NOTES = "engagement_log_notes"
#: The touchpoint picked for editing; its form's fields are keyed f"{ENG_EDIT_PREFIX}{field}:{id}".
ENG_EDIT_ID = "engagement_edit_id"
ENG_EDIT_PREFIX = "engagement_edit:"
ENG_EDIT_CONFIRM = "engagement_edit_confirm_delete"
# Stance history.
ENG_HISTORY_WEEKS = "engagement_history_weeks"
ENG_HISTORY_SHARE = "engagement_history_share"
ENG_HISTORY_PERSON = "engagement_history_person"
ENG_MOVERS_FROM = "engagement_movers_from"
ENG_MOVERS_TO = "engagement_movers_to"
# Milestones (an add form, and a delete picker).
ENG_MS_FORM = "engagement_milestone_form"
ENG_MS_KIND = "engagement_milestone_kind"
ENG_MS_DEPARTMENT = "engagement_milestone_department"
ENG_MS_TARGET = "engagement_milestone_target"
ENG_MS_MIN_STANCE = "engagement_milestone_min_stance"
ENG_MS_DUE = "engagement_milestone_due"
ENG_MS_LABEL = "engagement_milestone_label"
ENG_MS_DELETE = "engagement_milestone_delete"
ENG_MS_CONFIRM = "engagement_milestone_confirm_delete"
# Next conversations.
ENG_NEXT_K = "engagement_next_k"
ENG_NEXT_DEPARTMENT = "engagement_next_department"
# Rotation plan.
#: The uploaded team file: (file name, bytes).
ENG_TEAM_UPLOAD = "engagement_team_upload"
ENG_TEAM_UPLOADER = "engagement_team_uploader"
ENG_TEAM_TEXT = "engagement_team_text"
ENG_QUARTER = "engagement_quarter"
ENG_VISITS = "engagement_visits"
ENG_PER_VISIT = "engagement_per_visit"
# Department brief.
ENG_BRIEF_DEPARTMENT = "engagement_brief_department"
#: Widgets whose values belong to one map (people, departments, ids); reset when the map changes.
ENGAGEMENT_PAGE_KEYS = (ENG_LOG_PERSON, ENG_EDIT_ID, ENG_EDIT_CONFIRM, ENG_HISTORY_PERSON, ENG_MS_DEPARTMENT,
                        ENG_MS_DELETE, ENG_MS_CONFIRM, ENG_NEXT_DEPARTMENT, ENG_BRIEF_DEPARTMENT, ENG_MESSAGE)
#: The Map page's "stances as of" date (None: now).
MAP_AS_OF = "map_as_of"

__all__ += [
    "ENG_FOR", "ENG_MESSAGE", "ENG_LOG_FORM", "ENG_LOG_DATE", "ENG_LOG_PERSON", "ENG_LOG_ACTIVITY",
    "ENG_LOG_STANCE", "ENG_LOG_NOTES", "ENG_EDIT_ID", "ENG_EDIT_PREFIX", "ENG_EDIT_CONFIRM", "ENG_HISTORY_WEEKS",
    "ENG_HISTORY_SHARE", "ENG_HISTORY_PERSON", "ENG_MOVERS_FROM", "ENG_MOVERS_TO", "ENG_MS_FORM", "ENG_MS_KIND",
    "ENG_MS_DEPARTMENT", "ENG_MS_TARGET", "ENG_MS_MIN_STANCE", "ENG_MS_DUE", "ENG_MS_LABEL", "ENG_MS_DELETE",
    "ENG_MS_CONFIRM", "ENG_NEXT_K", "ENG_NEXT_DEPARTMENT", "ENG_TEAM_UPLOAD", "ENG_TEAM_UPLOADER",
    "ENG_TEAM_TEXT", "ENG_QUARTER", "ENG_VISITS", "ENG_PER_VISIT", "ENG_BRIEF_DEPARTMENT",
    "ENGAGEMENT_PAGE_KEYS", "MAP_AS_OF",
    "reset_engagement_widgets", "engagement_message", "show_engagement_message", "engagements", "milestones",
    "engagement_changes", "stance_mix", "movers", "milestone_progress", "next_conversations",
    "department_gaps", "rotation_plan", "department_brief", "graph_as_of",
]


def reset_engagement_widgets(name: str) -> None:
    """Forget the Engagement page's per-map choices (people, departments, ids) when the map changes."""
    if st.session_state.get(ENG_FOR) != name:
        for key in list(ENGAGEMENT_PAGE_KEYS) + [k for k in st.session_state
                                                 if str(k).startswith(ENG_EDIT_PREFIX)]:
            st.session_state.pop(key, None)
            st.session_state.pop(find_key(key), None)
        st.session_state[ENG_FOR] = name


def engagement_message(section: str, kind: str, text: str) -> None:
    """Remember a message to show once next to ``section`` of the Engagement page."""
    st.session_state[ENG_MESSAGE] = (section, kind, text)


def show_engagement_message(section: str) -> None:
    """Show and forget the remembered message if it belongs to ``section``."""
    message = st.session_state.get(ENG_MESSAGE)
    if isinstance(message, (tuple, list)) and len(message) == 3 and message[0] == section:
        st.session_state.pop(ENG_MESSAGE, None)
        _, kind, text = message
        getattr(st, kind if kind in ("success", "info", "warning", "error") else "info")(text)


@st.cache_data(**_SHARED, max_entries=16)
def _engagements(_store: Store, db: str, name: str, revision: int) -> pd.DataFrame:
    return _store.engagements(name)


def engagements(name: str) -> pd.DataFrame:
    """The map's touchpoints (``Store.engagements``, indexed by engagement id)."""
    store, db, revision = db_key()
    return _engagements(store, db, name, revision)


@st.cache_data(**_SHARED, max_entries=16)
def _milestones(_store: Store, db: str, name: str, revision: int) -> pd.DataFrame:
    return _store.milestones(name)


def milestones(name: str) -> pd.DataFrame:
    """The map's milestones (``Store.milestones``)."""
    store, db, revision = db_key()
    return _milestones(store, db, name, revision)


@st.cache_data(**_SHARED, max_entries=16)
def _engagement_changes(_store: Store, db: str, name: str, revision: int) -> pd.DataFrame:
    return _store.engagement_changes(name)


def engagement_changes(name: str) -> pd.DataFrame:
    """The change record of the map's touchpoints (``Store.engagement_changes``)."""
    store, db, revision = db_key()
    return _engagement_changes(store, db, name, revision)


@st.cache_data(**_SHARED, max_entries=32)
def _stance_mix(_store: Store, db: str, name: str, revision: int, end: str, weeks: int) -> pd.DataFrame:
    from stakeholder_map.tracking.history import stance_mix as mix, weekly_dates

    return mix(_people(_store, db, name, revision), _stance_history(_store, db, name, revision, None),
               weekly_dates(end, weeks))


def stance_mix(name: str, end, weeks: int = 12) -> pd.DataFrame:
    """``history.stance_mix`` of the map weekly over the ``weeks`` weeks up to ``end`` (a date)."""
    store, db, revision = db_key()
    return _stance_mix(store, db, name, revision, str(end), int(weeks))


@st.cache_data(**_SHARED, max_entries=32)
def _movers(_store: Store, db: str, name: str, revision: int, start: str, end: str) -> pd.DataFrame:
    from stakeholder_map.tracking.history import movers as moved

    return moved(_people(_store, db, name, revision), _stance_history(_store, db, name, revision, None),
                 _engagements(_store, db, name, revision), start=start, end=end)


def movers(name: str, start, end) -> pd.DataFrame:
    """``history.movers`` of the map between two dates.

    Raises ValueError when ``end`` is before ``start`` (errors are not cached).
    """
    store, db, revision = db_key()
    return _movers(store, db, name, revision, str(start), str(end))


@st.cache_data(**_SHARED, max_entries=16)
def _milestone_progress(_store: Store, db: str, name: str, revision: int, as_of: str, weeks: int):
    from stakeholder_map.tracking.milestones import milestone_progress as progress

    return progress(_milestones(_store, db, name, revision), _people(_store, db, name, revision),
                    _stance_history(_store, db, name, revision, None), _engagements(_store, db, name, revision),
                    as_of=as_of, weeks=weeks)


def milestone_progress(name: str, as_of, weeks: int = 12):
    """``milestones.milestone_progress`` of the map on ``as_of`` (a MilestoneProgress)."""
    store, db, revision = db_key()
    return _milestone_progress(store, db, name, revision, str(as_of), int(weeks))


@st.cache_data(**_SHARED, max_entries=32)
def _next_conversations(_store: Store, db: str, name: str, revision: int, k: int,
                        department: str | None) -> pd.DataFrame:
    from stakeholder_map.tracking.next_conversations import next_conversations as ranked

    G = _graph(_store, db, name, revision, None)
    if G.number_of_nodes() == 0:
        return ranked(G, k=k, seed=SEED)
    # The Champions page's samples of the not-yet-convinced (stance model), shared.
    pool, lock = _champion_pool(_store, db, name, revision, None, "stance", 0.1, "unconvinced")
    with lock:
        return ranked(G, k=k, department=department, engagements=_engagements(_store, db, name, revision),
                      metrics=_metrics(_store, db, name, revision, None), pool=pool, seed=SEED)


def next_conversations(name: str, k: int = 10, department: str | None = None) -> pd.DataFrame:
    """``next_conversations.next_conversations`` of the map (stance model, seed :data:`SEED`),
    the same list as ``stakeholder-map next``."""
    store, db, revision = db_key()
    return _next_conversations(store, db, name, revision, int(k), department)


@st.cache_data(**_SHARED, max_entries=16)
def _department_gaps(_store: Store, db: str, name: str, revision: int, as_of: str) -> pd.DataFrame:
    from stakeholder_map.tracking.milestones import department_gaps as gaps

    return gaps(_milestones(_store, db, name, revision), _people(_store, db, name, revision),
                _stance_history(_store, db, name, revision, None), _engagements(_store, db, name, revision),
                as_of=as_of)


def department_gaps(name: str, as_of) -> pd.DataFrame:
    """``milestones.department_gaps`` of the map on ``as_of``: the rotation's priorities."""
    store, db, revision = db_key()
    return _department_gaps(store, db, name, revision, str(as_of))


@st.cache_data(**_SHARED, max_entries=16)
def _rotation_plan(_store: Store, db: str, name: str, revision: int, team: pd.DataFrame, quarter: str,
                   visits: int, per_visit: int, as_of: str) -> pd.DataFrame:
    from stakeholder_map.tracking.rotation import plan_rotation

    return plan_rotation(team, _department_gaps(_store, db, name, revision, as_of), quarter, visits=visits,
                         per_visit=per_visit, seed=SEED)


def rotation_plan(name: str, team: pd.DataFrame, quarter: str, *, visits: int = 3, per_visit: int = 1,
                  as_of=None) -> pd.DataFrame:
    """``rotation.plan_rotation`` of a team over the map's departments, furthest behind first, seed
    :data:`SEED` (the same plan as ``stakeholder-map rotation``)."""
    from datetime import date

    store, db, revision = db_key()
    return _rotation_plan(store, db, name, revision, team, str(quarter), int(visits), int(per_visit),
                          str(as_of or date.today()))


@st.cache_data(**_SHARED, max_entries=16)
def _department_brief(_store: Store, db: str, name: str, revision: int, department: str, as_of: str) -> str:
    from stakeholder_map.presentation.brief import department_brief as brief

    return brief(_graph(_store, db, name, revision, None), department,
                 history=_stance_history(_store, db, name, revision, None),
                 engagements=_engagements(_store, db, name, revision),
                 milestones=_milestones(_store, db, name, revision),
                 metrics=_metrics(_store, db, name, revision, None), as_of=as_of, map_name=name, seed=SEED)


def department_brief(name: str, department: str, as_of) -> str:
    """``brief.department_brief`` of one department (a complete HTML page), seed :data:`SEED`."""
    store, db, revision = db_key()
    return _department_brief(store, db, name, revision, department, str(as_of))


@st.cache_resource(**_SHARED, max_entries=2)  # each a whole graph, see _GRAPHS_KEPT
def _graph_as_of(_store: Store, db: str, name: str, revision: int, kinds: tuple[str, ...] | None,
                 when: str) -> nx.DiGraph:
    from stakeholder_map.tracking.history import graph_as_of as then

    return then(_graph(_store, db, name, revision, kinds), _stance_history(_store, db, name, revision, None), when)


def graph_as_of(name: str, when, kinds: Iterable[str] | None = None) -> nx.DiGraph:
    """The map (optionally only some tie kinds) with everyone's stance as of ``when`` (shared, read-only)."""
    store, db, revision = db_key()
    key = tuple(sorted(kinds)) if kinds is not None else None
    return _graph_as_of(store, db, name, revision, key, str(when))
