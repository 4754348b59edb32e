"""Pickers of people that stay fast on maps of any size.

A selectbox sends every option to the browser: with 100,000 people that is
megabytes of labels and several seconds before the page can draw. Up to
:data:`LIST_LIMIT` people the picker is a plain selectbox (or multiselect) of
everyone; above it, a text field comes first and the picker offers only the
people whose label or id contains what was typed (at most :data:`MATCH_LIMIT`
of them), plus whoever is already chosen, so a choice never disappears.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

__all__ = ["LIST_LIMIT", "MATCH_LIMIT", "person_picker", "matching", "find_key"]

#: Maps with at most this many people list everyone in their pickers.
LIST_LIMIT = 2000
#: A search offers at most this many people.
MATCH_LIMIT = 100


def find_key(key: str) -> str:
    """The session-state key of the search field of the picker ``key`` (drawn on big maps only).

    >>> find_key("map_focus")
    'map_focus:find'
    """
    return f"{key}:find"


def matching(labels: Mapping[str, str], text: str, limit: int = MATCH_LIMIT) -> list[str]:
    """Ids whose label ("Name (department)") or id contains ``text`` (any case), in ``labels`` order.

    >>> matching({"1": "Ann Lee (IT)", "2": "Bo (HR)", "3": "Lee (HR)"}, "lee")
    ['1', '3']
    >>> matching({"1": "Ann Lee (IT)"}, "  ")
    []
    """
    needle = str(text or "").strip().casefold()
    if not needle:
        return []
    found = []
    for pid, label in labels.items():
        if needle in label.casefold() or needle in pid.casefold():
            found.append(pid)
            if len(found) >= limit:
                break
    return found


def person_picker(
    container,
    label: str,
    labels: Mapping[str, str],
    *,
    key: str,
    multi: bool = False,
    placeholder: str | None = None,
    help: str | None = None,
    disabled: bool = False,
    on_change: Callable[[], None] | None = None,
):
    """A selectbox (``multi``: multiselect) of people, searched first on big maps.

    Parameters
    ----------
    container
        Where to draw it (``st``, ``st.sidebar``, a column).
    label : str
        The picker's label; on a big map the search field is labelled
        "Find: <label>".
    labels : mapping
        Id -> "Name (department)" of every person (``workspace_views.labels_of``).
    key : str
        The picker's session-state key (its value: an id, or a list of ids);
        the search field's key is :func:`find_key` of it.

    Returns
    -------
    str or list of str or None
        What the picker returns.
    """
    everyone = len(labels) <= LIST_LIMIT
    if everyone:
        options = list(labels)
    else:
        typed = container.text_input(
            f"Find: {label}", key=find_key(key), disabled=disabled,
            placeholder=f"Type a name or id ({len(labels):,} people)",
            help="This map has too many people to list: type part of a name, department or id, then pick.")
        current = st.session_state.get(key)
        chosen = [str(c) for c in (current or []) if str(c) in labels] if multi else (
            [str(current)] if current is not None and str(current) in labels else [])
        options = chosen + [p for p in matching(labels, typed) if p not in chosen]
    common = dict(key=key, format_func=lambda p: labels.get(p, p), help=help, disabled=disabled,
                  on_change=on_change)
    if multi:
        return container.multiselect(label, options, placeholder=placeholder, **common)
    return container.selectbox(label, options, index=None, placeholder=placeholder, **common)
