"""Big maps are prepared in a server thread while the user works on the department overview.

Building a 100,000-person graph, scoring it and picking its champions takes
tens of seconds; the department overview needs none of it. :func:`start` runs
:meth:`Workspace.prepare <stakeholder_map.workspace.Workspace.prepare>` in one
daemon thread per database, map, revision and tie kinds, however many sessions
ask; the workspace keeps the results, so a page that needs them later finds
them there. A page that needs the graph before the thread is done
:func:`wait`\\ s for it (a click elsewhere ends the wait) instead of building it
again. A failure is remembered and told (:func:`error`), never raised into a
page; bugs are logged with their traceback.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

import streamlit as st

from stakeholder_map.errors import StakeholderMapError
from stakeholder_map.workspace import Workspace, kinds_key

__all__ = ["start", "running", "error", "wait", "prepared_revisions"]

_LOG = logging.getLogger(__name__)
#: (database, map, revision, kinds) -> the thread preparing it.
_THREADS: dict[tuple, threading.Thread] = {}
#: Same key -> what to tell the user about a preparation that failed.
_FAILED: dict[tuple, str] = {}
_LOCK = threading.Lock()
#: How often a waiting page tells the user it is still waiting (each message lets a click end the wait).
_WAIT_TICK = 0.5


def _key(ws: Workspace, kinds: Iterable[str] | None) -> tuple:
    return ws.store.path, ws.name, ws.revision, kinds_key(kinds)


def _prepare(ws: Workspace, kinds: tuple[str, ...] | None, on_done: Callable[[], None] | None) -> None:
    key = _key(ws, kinds)
    try:
        ws.prepare(kinds)
        if on_done is not None:
            on_done()
    except StakeholderMapError as failure:  # e.g. the map was deleted meanwhile
        _FAILED[key] = str(failure)
    except Exception:  # a bug: keep the page usable, say so, and log the traceback
        _LOG.exception("preparing map %r failed", ws.name)
        _FAILED[key] = "Scoring this map failed; the server log has the details."


def start(ws: Workspace, kinds: Iterable[str] | None = None, *,
          on_done: Callable[[], None] | None = None) -> bool:
    """Start preparing the workspace (graph, metrics, default champions) in a server thread.

    Returns True while it runs; False once done or failed. ``on_done`` runs
    in the thread after a successful preparation (e.g. to drop older revisions).
    """
    key = _key(ws, kinds)
    if ws.prepared(kinds) or key in _FAILED:
        return False
    with _LOCK:
        thread = _THREADS.get(key)
        if thread is None:
            thread = threading.Thread(target=_prepare, args=(ws, key[3], on_done), name=f"prepare {ws.name}",
                                      daemon=True)
            _THREADS[key] = thread
            thread.start()
    return thread.is_alive()


def running(ws: Workspace, kinds: Iterable[str] | None = None) -> bool:
    """Whether a preparation of the workspace is still running."""
    thread = _THREADS.get(_key(ws, kinds))
    return thread is not None and thread.is_alive()


def error(ws: Workspace, kinds: Iterable[str] | None = None) -> str | None:
    """Why preparing the workspace failed, if it did."""
    return _FAILED.get(_key(ws, kinds))


def wait(ws: Workspace, kinds: Iterable[str] | None = None, *,
         on_done: Callable[[], None] | None = None) -> None:
    """Start the preparation if need be and wait for its graph, telling the user so.

    Each tick writes to the page, which is where Streamlit ends a run that a
    click has replaced: the wait stops at once instead of after the seconds
    the building takes.
    """
    if ws.has("graph", None) or not start(ws, kinds, on_done=on_done):
        return
    started = time.monotonic()
    note = st.empty()
    while running(ws, kinds) and not ws.has("graph", None):
        note.caption(f"Loading the people of this map… {time.monotonic() - started:.0f} s")
        _THREADS[_key(ws, kinds)].join(_WAIT_TICK)
    note.empty()


def prepared_revisions(db: str, name: str, *, below: int) -> list[int]:
    """Revisions of the map under ``below`` that were prepared here (their workspaces may be dropped)."""
    with _LOCK:
        return sorted({key[2] for key in _THREADS if key[0] == db and key[1] == name and key[2] < below})
