"""The workspace: one opened map and everything the product derives from it.

A :class:`Workspace` is a map of a :class:`~stakeholder_map.store.Store` at one
revision. It reads the map's frames from the store when first asked, builds the
influence graph from them (:func:`stakeholder_map.graph.build_graph`), and
derives what the pages and the CLI show: metrics, champions (with the shared
reverse-reachable sample pool), pilots, simulations, department profiles,
tracking frames, milestone progress, next conversations, rotation plans and
brief facts. A map of more than :data:`ARRAYS_ABOVE` people is scored and
simulated on arrays read straight from the store (:meth:`Workspace.arrays`,
:meth:`Workspace.diffusion_graph`): the same figures, without waiting for the
networkx graph, which is then built only for what draws or walks people. The
product's defaults (the seed, how many champions, which
stances may not champion) are defined here once, so a page and a CLI command
that call the same method cannot drift apart.

Each result is computed once per workspace and key, and shared by the threads
that ask for it (a second asker waits for the first computation instead of
repeating it); parameterised results are kept in small LRU memories. Treat
returned graphs and frames as read-only. A write to the store makes a new
revision: open a new workspace for it (the dashboard keeps one per revision,
see ``stakeholder_map.ui.state``; the CLI opens one per command).

No Streamlit here: the dashboard's caching lives in ``ui/state.py``.

Examples
--------
>>> from io import BytesIO
>>> from stakeholder_map.ingest import read_map
>>> from stakeholder_map.store import Store
>>> store = Store(":memory:")
>>> _ = store.import_map("Pilot", read_map(BytesIO(b"id,name\\n1,Ann\\n2,Bo\\n3,Cy\\n"),
...                                         BytesIO(b"source,target\\n1,2\\n1,3\\n")))
>>> ws = Workspace(store, "Pilot")
>>> ws.graph().number_of_edges(), ws.champion_ids(1)
(2, ['1'])
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

import networkx as nx
import pandas as pd

from . import privacy
from . import schema as s
from .analysis.centrality import stakeholder_metrics
from .analysis.champions import ChampionResult, SamplePool, sample_pool, select_champions
from .analysis.departments import community_alignment, department_profiles, influence_matrix
from .analysis.communities import communities
from .analysis.diffusion import DiffusionGraph, diffusion_graph_from_arrays
from .analysis.pilot import PilotResult, rank_pilot_departments, smallest_pilot
from .analysis.simulation import Simulation, simulate
from .errors import MapNotFound
from .graph import MapArrays, build_graph, map_arrays
from .store import Store
from .tracking import TrackingFrames
from .tracking import exposure as seeds_planted
from .tracking.brief import department_brief_facts
from .tracking.changes import MapChanges, map_changes
from .tracking.history import as_date, graph_as_of, movers, stance_mix, stances_as_of, weekly_dates
from .tracking.milestones import department_gaps, milestone_progress, progress_report
from .tracking.next_conversations import next_conversations
from .tracking.rotation import plan_rotation
from .tracking.windows import Window, call_to_action_events, windows_of_opportunity

__all__ = ["Workspace", "SEED", "CHAMPIONS_K", "PEOPLE_PER_CHAMPION", "DISALLOWED_STANCES", "ARRAYS_ABOVE",
           "default_champions_k", "kinds_key"]

#: The seed of every random analysis unless the user gives one: same seed, same answer.
SEED = 0
#: How many champions are suggested (and marked on the map) by default on a big map.
CHAMPIONS_K = 5
#: Below ``CHAMPIONS_K * PEOPLE_PER_CHAMPION`` people, one default champion per this many (started).
PEOPLE_PER_CHAMPION = 10
#: Stances that may not be champions unless the user says otherwise.
DISALLOWED_STANCES: tuple[str, ...] = ("resistant", "skeptic")
#: Above this many people, metrics, champions, pilots and simulations run on the map's arrays
#: (read straight from the store) instead of its networkx graph: the same algorithms and figures
#: (betweenness is exact up to this size either way), without a dict per tie to build first.
ARRAYS_ABOVE = 3000

T = TypeVar("T")


def default_champions_k(head_count: int) -> int:
    """How many champions to suggest when the user has not said: scaled to the map.

    ``min(CHAMPIONS_K, ceil(head_count / PEOPLE_PER_CHAMPION))``: one champion
    per ten people (started), at most five. Why: champion networks are
    usually sized at about one champion per ten people, so a 6-person team
    gets one (five would star most of the team and make "champion" mean
    nothing), a 21-person department three, and any map of 41 people or
    more the five a change manager can brief in person. The greedy pick is
    nested (the first three of five are the best three), so a smaller
    default hides nobody the larger one would have shown first.

    Parameters
    ----------
    head_count : int
        People on the map.

    Returns
    -------
    int
        0 for an empty map, else 1…``CHAMPIONS_K``.

    Examples
    --------
    >>> [default_champions_k(n) for n in (0, 1, 6, 10, 11, 21, 40, 41, 220, 20000)]
    [0, 1, 1, 1, 2, 3, 4, 5, 5, 5]
    """
    n = max(int(head_count), 0)
    return min(CHAMPIONS_K, -(-n // PEOPLE_PER_CHAMPION))


def kinds_key(kinds: Iterable[str] | None) -> tuple[str, ...] | None:
    """Tie kinds as a key: sorted, or None for every kind (an empty choice means every kind).

    >>> kinds_key(["b", "a"]), kinds_key([]), kinds_key(None)
    (('a', 'b'), None, None)
    """
    return tuple(sorted(str(k) for k in kinds)) if kinds else None


def _model_key(model: str, p: float) -> tuple[str, float]:
    """p matters only to the ic model: one result for every p otherwise."""
    return str(model), (round(float(p), 4) if model == "ic" else 0.1)


def _factors_key(receptiveness: Mapping[Any, float] | None) -> tuple | None:
    return tuple(sorted((str(k), float(v)) for k, v in receptiveness.items())) if receptiveness else None


def _ids(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


class _Memory:
    """Results computed once per key and shared by threads; at most ``limit`` kept per kind.

    A thread asking for a result another thread is computing waits for it
    (one lock per key) instead of computing it again. Errors are not kept.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[str, OrderedDict] = {}
        self._busy: dict[tuple, threading.Lock] = {}

    def has(self, kind: str, key: Hashable) -> bool:
        with self._lock:
            return key in self._kept.get(kind, {})

    def get(self, kind: str, key: Hashable, compute: Callable[[], T], limit: int) -> T:
        with self._lock:
            kept = self._kept.setdefault(kind, OrderedDict())
            if key in kept:
                kept.move_to_end(key)
                return kept[key]
            busy = self._busy.setdefault((kind, key), threading.Lock())
        with busy:
            with self._lock:
                if key in kept:  # computed by the thread we waited for
                    return kept[key]
            value = compute()
            with self._lock:
                kept[key] = value
                while len(kept) > limit:
                    kept.popitem(last=False)
                self._busy.pop((kind, key), None)
            return value


class Workspace:
    """One map of a store at its current revision, and all the product derives from it.

    Parameters
    ----------
    store : Store
        The open store. It must stay open while the workspace reads; call
        :meth:`read_all` first to read every frame at once and close it.
    name : str
        The map's name.
    seed : int
        The seed of every random analysis (default :data:`SEED`).
    redacted : bool
        A viewer's workspace: the frames come without e-mail addresses, notes and touchpoint text
        (:mod:`stakeholder_map.privacy`), so nothing derived from them can show any.

    Raises
    ------
    MapNotFound
        No map of that name.
    """

    def __init__(self, store: Store, name: str, *, seed: int = SEED, redacted: bool = False):
        if not store.has_map(name):
            raise MapNotFound(f"no map named {name!r}")
        self.store = store
        self.name = name
        self.seed = int(seed)
        self.redacted = bool(redacted)
        self.revision = store.revision
        self._memory = _Memory()

    def __repr__(self) -> str:
        return f"Workspace({self.name!r}, revision={self.revision}{', redacted' if self.redacted else ''})"

    def _get(self, kind: str, key: Hashable, compute: Callable[[], T], limit: int = 32) -> T:
        return self._memory.get(kind, key, compute, limit)

    def has(self, kind: str, key: Hashable = ()) -> bool:
        """Whether a result is already computed (e.g. ``has("metrics", None)``)."""
        return self._memory.has(kind, key)

    # ------------------------------------------------------------ frames

    def _private(self, frame: pd.DataFrame, redact: Callable[[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame:
        return redact(frame) if self.redacted else frame

    def read_all(self) -> "Workspace":
        """Read every frame of the map now (so the store may be closed before the analysis)."""
        self.people(), self.ties(), self.tie_kinds(), self.custom_columns()
        self.stance_history(), self.engagements(), self.milestones()
        return self

    def people(self) -> pd.DataFrame:
        """The stakeholders frame (``Store.people``; without e-mails and notes if redacted)."""
        return self._get("people", (), lambda: self._private(self.store.people(self.name), privacy.redact_people))

    def ties(self) -> pd.DataFrame:
        """Every tie of the map, one row per tie (``Store.ties``)."""
        return self._get("ties", (), lambda: self.store.ties(self.name))

    def head_count(self) -> int:
        """How many people the map has."""
        return len(self.people())

    def tie_kinds(self) -> list[str]:
        """Kinds of tie present in the map."""
        return self._get("tie_kinds", (), lambda: self.store.tie_kinds(self.name))

    def custom_columns(self) -> list[str]:
        """The map's custom attribute columns."""
        return self._get("custom_columns", (), lambda: self.store.custom_columns(self.name))

    def tie_pairs(self, kinds: Iterable[str] | None = None) -> pd.DataFrame:
        """Ties summed per pair of people, in SQL (``Store.tie_pairs``): no graph needed."""
        key = kinds_key(kinds)
        return self._get("tie_pairs", key,
                         lambda: self.store.tie_pairs(self.name, list(key) if key else None), limit=4)

    def stance_history(self, person: str | None = None) -> pd.DataFrame:
        """Recorded stances of the map, or of one person."""
        if person is not None:
            history = self.stance_history()
            return history[history["stakeholder_id"].astype(str) == str(person)].reset_index(drop=True)
        return self._get("stance_history", (), lambda: self.store.stance_history(self.name))

    def engagements(self) -> pd.DataFrame:
        """The map's touchpoints (``Store.engagements``; without their text if redacted)."""
        return self._get("engagements", (),
                         lambda: self._private(self.store.engagements(self.name), privacy.redact_engagements))

    def milestones(self) -> pd.DataFrame:
        """The map's milestones (``Store.milestones``)."""
        return self._get("milestones", (), lambda: self.store.milestones(self.name))

    def engagement_changes(self) -> pd.DataFrame:
        """The change record of the map's touchpoints (empty if redacted: it holds their text)."""
        return self._get("engagement_changes", (),
                         lambda: self._private(self.store.engagement_changes(self.name), privacy.redact_changes))

    def tracking_frames(self) -> TrackingFrames:
        """People, stance history, engagements and milestones, as the tracking functions take them."""
        return TrackingFrames(people=self.people(), history=self.stance_history(),
                              engagements=self.engagements(), milestones=self.milestones())

    # ------------------------------------------------------------- graph

    def graph(self, kinds: Iterable[str] | None = None) -> nx.DiGraph:
        """The influence graph (shared, read-only), optionally with only some tie kinds."""
        key = kinds_key(kinds)
        return self._get("graph", key, lambda: build_graph(self.people(), self.ties(), kinds=key, name=self.name),
                         limit=2)

    def graph_as_of(self, when: Any, kinds: Iterable[str] | None = None) -> nx.DiGraph:
        """The graph with everyone's stance as of ``when``."""
        key = kinds_key(kinds)
        return self._get("graph_as_of", (key, str(when)),
                         lambda: graph_as_of(self.graph(key), self.stance_history(), when), limit=2)

    def stances_as_of(self, when: Any) -> pd.DataFrame:
        """Everyone's stance as of ``when`` (``history.stances_as_of``)."""
        return self._get("stances_as_of", str(when),
                         lambda: stances_as_of(self.people(), self.stance_history(), when), limit=8)

    def on_arrays(self) -> bool:
        """Whether the analyses run on the arrays (more than :data:`ARRAYS_ABOVE` people) or the graph."""
        return self.head_count() > ARRAYS_ABOVE

    def arrays(self, kinds: Iterable[str] | None = None) -> MapArrays:
        """The people and their ties summed per pair, as arrays, straight from the store (no graph).

        Built from :meth:`people` and :meth:`tie_pairs` (which the Map page's
        department overview has usually read already).
        """
        key = kinds_key(kinds)
        return self._get("arrays", key, lambda: map_arrays(self.people(), self.tie_pairs(key), name=self.name),
                         limit=2)

    def diffusion_graph(self, kinds: Iterable[str] | None = None) -> DiffusionGraph:
        """The map compiled for diffusion (stance model), from :meth:`arrays`; other models derive from it."""
        key = kinds_key(kinds)
        return self._get("diffusion_graph", key, lambda: diffusion_graph_from_arrays(self.arrays(key)), limit=2)

    def _model(self, key: tuple[str, ...] | None) -> nx.DiGraph | DiffusionGraph:
        """What the diffusion analyses take: the compiled arrays of a big map, else the graph."""
        return self.diffusion_graph(key) if self.on_arrays() else self.graph(key)

    # ---------------------------------------------------------- analysis

    def metrics(self, kinds: Iterable[str] | None = None) -> pd.DataFrame:
        """``centrality.stakeholder_metrics`` of the map (on its arrays when it is big)."""
        key = kinds_key(kinds)
        return self._get("metrics", key, lambda: stakeholder_metrics(
            self.arrays(key) if self.on_arrays() else self.graph(key), seed=self.seed), limit=4)

    def blocker_ids(self, kinds: Iterable[str] | None = None) -> list[str]:
        """Ids whose roles include ``blocker``."""
        frame = self.metrics(kinds)
        return [str(i) for i, roles in zip(frame["id"], frame["roles"])
                if isinstance(roles, (list, tuple)) and "blocker" in roles]

    def communities(self, kinds: Iterable[str] | None = None) -> dict:
        """``communities.communities`` of the map, with the seed."""
        key = kinds_key(kinds)
        return self._get("communities", key, lambda: communities(self.graph(key), seed=self.seed), limit=4)

    def community_alignment(self, kinds: Iterable[str] | None = None) -> Any:
        """How the network's communities line up with departments."""
        return community_alignment(self.graph(kinds), self.communities(kinds))

    def department_profiles(self, kinds: Iterable[str] | None = None) -> list[dict]:
        """``departments.department_profiles`` of the map."""
        key = kinds_key(kinds)
        return self._get("department_profiles", key,
                         lambda: department_profiles(self.graph(key), self.metrics(key)), limit=4)

    def influence_matrix(self, value: str = "weight", kinds: Iterable[str] | None = None) -> pd.DataFrame:
        """``departments.influence_matrix`` of the map (``value`` "weight" or "ties")."""
        key = kinds_key(kinds)
        return self._get("influence_matrix", (key, value),
                         lambda: influence_matrix(self.graph(key), value=value), limit=8)

    def sample_pool(self, kinds: Iterable[str] | None = None, *, model: str = "stance", p: float = 0.1,
                    objective: str = "everyone",
                    receptiveness: Mapping[Any, float] | None = None) -> tuple[SamplePool, threading.Lock]:
        """The reverse-reachable samples shared by champions, pilots and next conversations,
        and the lock to hold while using it (a pool grows as it is used)."""
        key = kinds_key(kinds)
        model, p = _model_key(model, p)
        factors = _factors_key(receptiveness)
        return self._get("sample_pool", (key, model, p, objective, factors), lambda: (
            sample_pool(self._model(key), model=model, p=p, objective=objective,
                        receptiveness=dict(factors) if factors else None, seed=self.seed),
            threading.Lock()), limit=4)

    def champions(self, k: int | None = None, *, model: str = "stance", p: float = 0.1,
                  objective: str = "everyone", disallowed: Iterable[str] = DISALLOWED_STANCES,
                  pin: Iterable[Any] = (), exclude: Iterable[Any] = (), min_per_department: int = 0,
                  kinds: Iterable[str] | None = None, epsilon: float = 0.1,
                  receptiveness: Mapping[Any, float] | None = None) -> ChampionResult:
        """``champions.select_champions`` of the map with the workspace's seed.

        ``k`` None: :func:`default_champions_k` of the map's head count.
        Raises InfeasibleChampions / UnknownStakeholder like ``select_champions``.
        """
        key = kinds_key(kinds)
        k = self.default_k() if k is None else int(k)
        model, p = _model_key(model, p)
        factors = _factors_key(receptiveness)
        options = dict(disallowed_stances=tuple(sorted(str(d) for d in disallowed)), pin=_ids(pin),
                       exclude=tuple(sorted(_ids(exclude))), min_per_department=int(min_per_department),
                       epsilon=round(float(epsilon), 6))

        def compute() -> ChampionResult:
            if epsilon != 0.1:  # the shared pool is drawn for the default guarantee
                return select_champions(self._model(key), k, model=model, p=p, objective=objective,
                                        receptiveness=dict(factors) if factors else None, seed=self.seed,
                                        **options)
            pool, lock = self.sample_pool(key, model=model, p=p, objective=objective,
                                          receptiveness=dict(factors) if factors else None)
            with lock:
                return select_champions(self._model(key), k, model=model, p=p, objective=objective,
                                        receptiveness=dict(factors) if factors else None, seed=self.seed,
                                        pool=pool, **options)

        return self._get("champions", (key, k, model, p, objective, factors, tuple(sorted(options.items()))),
                         compute, limit=64)

    def default_k(self) -> int:
        """:func:`default_champions_k` of this map's head count (what ``k=None`` means)."""
        return default_champions_k(self.head_count())  # the people frame: no graph needed to ask

    def champion_ids(self, k: int | None = None) -> list[str]:
        """Ids of the suggested champions of the whole map (default settings), at most the head count.

        ``k`` None: :func:`default_champions_k` of the map's head count.
        """
        k = self.default_k() if k is None else int(k)

        def compute() -> list[str]:
            n = self.head_count()
            return [str(c["id"]) for c in self.champions(min(k, n)).champions] if n else []

        return self._get("champion_ids", k, compute)

    def pilot(self, share: float, *, department: str | None = None, model: str = "stance", p: float = 0.1,
              objective: str = "everyone", disallowed: Iterable[str] = DISALLOWED_STANCES,
              kinds: Iterable[str] | None = None, max_size: int | None = None,
              receptiveness: Mapping[Any, float] | None = None) -> PilotResult:
        """``pilot.smallest_pilot`` (whole organisation or one department) with the workspace's seed."""
        key = kinds_key(kinds)
        model, p = _model_key(model, p)
        factors = _factors_key(receptiveness)
        disallowed = tuple(sorted(str(d) for d in disallowed))
        share = round(float(share), 4)

        def compute() -> PilotResult:
            options = dict(department=department, model=model, p=p, objective=objective, max_size=max_size,
                           disallowed_stances=disallowed, seed=self.seed,
                           receptiveness=dict(factors) if factors else None)
            if department is not None:
                return smallest_pilot(self._model(key), share, **options)
            pool, lock = self.sample_pool(key, model=model, p=p, objective=objective,
                                          receptiveness=dict(factors) if factors else None)
            with lock:
                return smallest_pilot(self._model(key), share, pool=pool, **options)

        return self._get("pilot", (key, share, department, model, p, objective, disallowed, max_size, factors),
                         compute, limit=64)

    def pilot_departments(self, *, model: str = "stance", p: float = 0.1,
                          disallowed: Iterable[str] = DISALLOWED_STANCES, per_department: int = 3,
                          kinds: Iterable[str] | None = None,
                          receptiveness: Mapping[Any, float] | None = None) -> pd.DataFrame:
        """``pilot.rank_pilot_departments`` with the workspace's seed."""
        key = kinds_key(kinds)
        model, p = _model_key(model, p)
        factors = _factors_key(receptiveness)
        disallowed = tuple(sorted(str(d) for d in disallowed))
        return self._get("pilot_departments", (key, model, p, disallowed, int(per_department), factors),
                         lambda: rank_pilot_departments(
                             self._model(key), per_department=int(per_department), model=model, p=p,
                             seed=self.seed, disallowed_stances=disallowed,
                             receptiveness=dict(factors) if factors else None), limit=32)

    def simulation(self, seeds: Iterable[Any], *, overrides: Mapping[str, str] | None = None, steps: int = 10,
                   runs: int = 1000, model: str = "stance", p: float = 0.1, kinds: Iterable[str] | None = None,
                   receptiveness: Mapping[Any, float] | None = None) -> Simulation:
        """``simulation.simulate`` from ``seeds`` with what-if stances, with the workspace's seed."""
        key = kinds_key(kinds)
        model, p = _model_key(model, p)
        factors = _factors_key(receptiveness)
        what_if = tuple(sorted((str(a), str(b)) for a, b in (overrides or {}).items()))
        starting = _ids(seeds)
        return self._get("simulation", (key, starting, what_if, int(steps), int(runs), model, p, factors),
                         lambda: simulate(self._model(key), list(starting), model=model, p=p, steps=int(steps),
                                          runs=int(runs), seed=self.seed, overrides=dict(what_if) or None,
                                          receptiveness=dict(factors) if factors else None), limit=8)

    # ---------------------------------------------------------- tracking

    def stance_mix(self, end: Any, weeks: int = 12) -> pd.DataFrame:
        """``history.stance_mix`` weekly over the ``weeks`` weeks up to ``end``."""
        return self._get("stance_mix", (str(end), int(weeks)), lambda: stance_mix(
            self.people(), self.stance_history(), weekly_dates(end, int(weeks))), limit=16)

    def movers(self, start: Any, end: Any) -> pd.DataFrame:
        """``history.movers`` between two dates (ValueError when ``end`` is before ``start``)."""
        return self._get("movers", (str(start), str(end)), lambda: movers(
            self.people(), self.stance_history(), self.engagements(), start=start, end=end), limit=16)

    def milestone_progress(self, as_of: Any, weeks: int = 12, champion_ids: Iterable[str] | None = None):
        """``milestones.milestone_progress`` on ``as_of`` (a MilestoneProgress)."""
        ids = _ids(champion_ids) if champion_ids else None
        return self._get("milestone_progress", (str(as_of), int(weeks), ids), lambda: milestone_progress(
            self.tracking_frames(), as_of=as_of, weeks=int(weeks), champion_ids=ids), limit=16)

    def progress_report(self, as_of: Any, weeks: int = 12, champion_ids: Iterable[str] | None = None) -> dict:
        """``milestones.progress_report`` on ``as_of``."""
        ids = list(_ids(champion_ids)) if champion_ids else None
        return progress_report(self.tracking_frames(), as_of=as_of, weeks=int(weeks), champion_ids=ids)

    def department_gaps(self, as_of: Any) -> pd.DataFrame:
        """``milestones.department_gaps`` on ``as_of``: the rotation's priorities."""
        return self._get("department_gaps", str(as_of), lambda: department_gaps(
            self.tracking_frames(), as_of=as_of), limit=16)

    def next_conversations(self, k: int = 10, *, department: str | None = None, blockers: int = 5,
                           carriers: Iterable[str] | None = None, model: str = "stance", p: float = 0.1,
                           kinds: Iterable[str] | None = None,
                           receptiveness: Mapping[Any, float] | None = None) -> pd.DataFrame:
        """``next_conversations.next_conversations``: whom to talk to next, and through whom.

        With the default model and no tie-kind filter, it shares the Champions
        page's samples of the not-yet-convinced and the map's metrics.
        """
        key = kinds_key(kinds)
        model, p = _model_key(model, p)
        factors = _factors_key(receptiveness)
        carried = _ids(carriers) if carriers else None

        def compute() -> pd.DataFrame:
            G = self.graph(key)
            options = dict(k=int(k), department=department, blockers=int(blockers),
                           carriers=list(carried) if carried else None, engagements=self.engagements(),
                           model=model, p=p, receptiveness=dict(factors) if factors else None, seed=self.seed)
            if G.number_of_nodes() == 0:
                return next_conversations(G, k=int(k), seed=self.seed)
            if key is not None or factors or carried or model != "stance":
                return next_conversations(G, **options)
            pool, lock = self.sample_pool(None, model="stance", objective="unconvinced")
            with lock:
                return next_conversations(G, metrics=self.metrics(), pool=pool, **options)

        return self._get("next_conversations", (key, int(k), department, int(blockers), carried, model, p, factors),
                         compute, limit=32)

    def brief_facts(self, department: str, as_of: Any = None, *, weeks: int = 12,
                    champion_ids: Iterable[str] = (), pilot_department: str | None = None) -> dict:
        """``brief.department_brief_facts``: what a department's brief and pitch kit say.

        ``pilot_department`` None: the pitch kit's pilot results come from :meth:`suggested_pilot`
        (and say so). Raises ValueError when nobody in the map belongs to ``department``.
        """
        ids = _ids(champion_ids)
        pilot, source = (pilot_department, "chosen") if pilot_department else (self.suggested_pilot(), "suggested")
        return self._get("brief_facts", (department, str(as_of), int(weeks), ids, pilot, source),
                         lambda: department_brief_facts(
            self.graph(), department, history=self.stance_history(), engagements=self.engagements(),
            milestones=self.milestones(), metrics=self.metrics(), champion_ids=ids, as_of=as_of, weeks=int(weeks),
            seed=self.seed, pilot_department=pilot, pilot_source=source, notes_hidden=self.redacted), limit=16)

    def rotation_plan(self, team: pd.DataFrame, quarter: str, *, visits: int = 3, extra_visits: int = 1,
                      per_visit: int = 1, as_of: Any = None) -> pd.DataFrame:
        """``rotation.plan_rotation`` of a team over the departments, furthest behind first."""
        return plan_rotation(team, self.department_gaps(as_of or date.today()), quarter, visits=int(visits),
                             extra_visits=int(extra_visits), per_visit=int(per_visit), seed=self.seed)

    # ------------------------------------------------------ preparation

    def prepare(self, kinds: Iterable[str] | None = None) -> None:
        """Score the map, pick the default champions and build the graph (what a big map's first pages need).

        A big map is scored from its arrays while its graph (for the pages
        that draw people) is built on a second thread: building it is Python
        work, most of the scoring compiled work that lets the other thread
        run. A small one is built, then scored.
        """
        if self.on_arrays():
            with ThreadPoolExecutor(1, thread_name_prefix="graph") as builder:
                graph = builder.submit(self.graph)
                self.metrics(kinds)
                self.champion_ids()
                graph.result()
            return
        self.graph()
        self.metrics(kinds)
        self.champion_ids()

    def prepared(self, kinds: Iterable[str] | None = None) -> bool:
        """Whether the metrics (for these tie kinds) and the default champions are computed."""
        return self.has("metrics", kinds_key(kinds)) and self.has("champion_ids", self.default_k())

    # ------------------------------------------- map versions (issue 15, item 1: "versions")

    def versions(self) -> pd.DataFrame:
        """The map's versions, one per import (``Store.map_versions``)."""
        return self._get("versions", (), lambda: self.store.map_versions(self.name))

    def people_at_version(self, version: int) -> pd.DataFrame:
        """The people as imported in ``version`` (``Store.people_at_version``; without e-mails and notes if
        redacted)."""
        return self._get("people_at_version", int(version), lambda: self._private(
            self.store.people_at_version(self.name, int(version)), privacy.redact_people), limit=4)

    def ties_at_version(self, version: int) -> pd.DataFrame:
        """The ties as imported in ``version`` (``Store.ties_at_version``)."""
        return self._get("ties_at_version", int(version),
                         lambda: self.store.ties_at_version(self.name, int(version)), limit=4)

    def graph_at_version(self, version: int) -> nx.DiGraph:
        """The influence graph of the map as imported in ``version`` (shared, read-only)."""
        return self._get("graph_at_version", int(version), lambda: build_graph(
            self.people_at_version(version), self.ties_at_version(version), name=self.name), limit=2)

    def changes(self, *, since: date | None = None, from_version: int | None = None,
                to_version: int | None = None) -> MapChanges:
        """What changed between two versions (``tracking.changes.map_changes``; by default the latest version
        against the one before it). Holds no e-mail addresses or notes, so a viewer may read it whole."""
        key = (str(since) if since is not None else None, from_version, to_version)
        return self._get("changes", key, lambda: map_changes(self.store, self.name, since=since,
                                                             from_version=from_version, to_version=to_version),
                         limit=8)

    # ------------------------------------ windows of opportunity (issue 15 item 2, helper "windows")

    def windows(self, *, as_of: Any = None, weeks: int = 6) -> list[Window]:
        """``windows.windows_of_opportunity``: ranked signals that now is a good time, over the
        ``weeks`` weeks up to ``as_of`` (default today).

        Joins, promotions and departures compare the map's versions
        (:meth:`_window_changes`); blockers that left are judged on the map
        of the earlier version. A viewer's workspace shows calls to action
        (the touchpoints whose activity is ``event`` or ``incident``) with
        their date and person but never their notes.
        """
        day = as_date(as_of) if as_of is not None else date.today()
        weeks = int(weeks)

        def compute() -> list[Window]:
            changes = self._window_changes(day, weeks)
            newcomers = changes is not None and bool(len(changes.joined) or len(changes.changed))
            return windows_of_opportunity(
                self.people(), self.stance_history(), self._call_to_action_events(), changes=changes,
                metrics=self.metrics() if newcomers else None,  # reach matters only for someone new
                before_blockers=self._blockers_before(changes), as_of=day, weeks=weeks)

        return self._get("windows", (day.isoformat(), weeks), compute, limit=8)

    def _call_to_action_events(self) -> pd.DataFrame:
        """The touchpoints recording a call to action, with notes only for a workspace that may read them.

        A viewer's engagements have every activity reduced to a neutral word
        (``privacy.redact_engagements``), so the few whose activity is one of
        the fixed words ``event`` / ``incident`` are read again here, and
        their notes and authors dropped: the word is a category, not text.
        """
        def compute() -> pd.DataFrame:
            if not self.redacted:
                return call_to_action_events(self.engagements())
            events = call_to_action_events(self.store.engagements(self.name))
            return events.assign(**{s.NOTES: pd.Series([None] * len(events), index=events.index, dtype=object)})

        return self._get("call_to_action_events", (), compute)

    def _window_changes(self, day: date, weeks: int) -> MapChanges | None:
        """The map's versions compared over the period ``(day − 7·weeks, day]``, or None.

        The later version is the last imported on or before ``day``; the
        earlier one the last imported on or before the period's start, else
        the first version (so a map's first import is never news). None when
        that leaves one version.
        """
        versions = self.versions()
        if not len(versions):
            return None
        start = day - timedelta(weeks=weeks)
        imported = [as_date(t) for t in versions["imported_at"]]
        upto = [int(v) for v, d in zip(versions["version"], imported) if d <= day]
        if len(upto) < 2:
            return None
        before = [int(v) for v, d in zip(versions["version"], imported) if d <= start]
        first = max(before) if before else min(upto)
        last = max(upto)
        return None if first == last else self.changes(from_version=first, to_version=last)

    def _blockers_before(self, changes: MapChanges | None) -> list[str]:
        """Ids with the blocker role on the map of ``changes.from_version`` (only when someone left or moved)."""
        if changes is None or changes.from_version is None:
            return []
        moved = changes.changed[changes.changed["field"] == s.DEPARTMENT] if len(changes.changed) else ()
        if not len(changes.left) and not len(moved):
            return []

        def compute() -> list[str]:
            frame = stakeholder_metrics(self.graph_at_version(changes.from_version), seed=self.seed)
            return [str(i) for i, roles in zip(frame[s.ID], frame["roles"])
                    if isinstance(roles, (list, tuple)) and "blocker" in roles]

        return self._get("blockers_at_version", int(changes.from_version), compute, limit=4)

    # ------------------------------------------- seeds planted (exposure; helper "seeds", issue 15 item 3)

    def _stance_frame(self, as_of: Any) -> pd.DataFrame:
        """The people with their stance now, or as of ``as_of`` (for the exposure frames)."""
        if as_of is None:
            return self.people()
        then = self.stances_as_of(as_of)
        return self.people().assign(**{s.STANCE: then[s.STANCE].to_numpy()})

    def exposure(self, as_of: Any = None) -> pd.DataFrame:
        """``exposure.exposure``: per person ``id, name, department, stance, exposures, last_exposed``.

        Seed touches on or before ``as_of`` (all without it); the stance is the one as of that date.
        """
        return self._get("exposure", str(as_of) if as_of is not None else None,
                         lambda: seeds_planted.exposure(self._stance_frame(as_of), self.engagements(), as_of=as_of),
                         limit=8)

    def department_exposure(self, as_of: Any = None) -> pd.DataFrame:
        """``exposure.department_exposure``: ``department, people, exposed, share, touches``."""
        return seeds_planted.department_exposure(self.exposure(as_of))

    def seeds_next(self, k: int = 5, *, as_of: Any = None) -> pd.DataFrame:
        """``exposure.seeds_next``: where to plant seeds next, with the workspace's seed.

        The familiar (exposed, talked with or supporting as of ``as_of``) are covered and never
        suggested; ``id, name, department, stance, gain, gain_by_department, touch, why``, best first.
        """
        when = str(as_of) if as_of is not None else None

        def compute() -> pd.DataFrame:
            people = self._stance_frame(as_of)
            familiar = seeds_planted.familiar_ids(people, self.engagements(), as_of=as_of)
            then = None
            if as_of is not None:   # the stances of that date choose the touches
                then = dict(zip(people[s.ID].astype(str), people[s.STANCE]))
            # On the compiled arrays, small map or big: no networkx graph is needed (nor built) for this.
            return seeds_planted.seeds_next(self.diffusion_graph(None), familiar, k=int(k), seed=self.seed,
                                            overrides=then)

        return self._get("seeds_next", (int(k), when), compute, limit=16)

    # ------------------------------------------ home: pitch kit and "This week" (issue 15, items 4 and 5)

    def suggested_pilot(self) -> str | None:
        """The department the Champions page suggests for a pilot (top of :meth:`pilot_departments`);
        None for an empty map. The pitch kit brings its results unless the user names the pilot."""
        ranking = self.pilot_departments()
        return str(ranking["department"].iat[0]) if len(ranking) else None
