"""Windows of opportunity as the user sees them: a display table, and escaped HTML cards.

:class:`~stakeholder_map.tracking.windows.Window` holds plain text taken from the
user's files (names, departments, roles, a touchpoint's notes): the HTML here
escapes every field as it is placed, so a name like ``<img src=x>`` shows as
typed. For ``st.markdown`` use :func:`windows_markdown`, whose text is
Markdown-escaped.

Examples
--------
>>> from datetime import date
>>> from stakeholder_map.tracking.windows import Window
>>> w = Window("call_to_action", 0.6, "Call to action in <IT>: 1 incident logged",
...            "2026-11-20 incident logged against Cy.", "Offer help.", "3", "<IT>", date(2026, 11, 20))
>>> windows_table([w]).iloc[0].to_dict()["Window"]
'Call to action'
>>> "&lt;IT&gt;" in windows_html([w]) and "<IT>" not in windows_html([w])
True
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

import pandas as pd

from ..tracking.windows import Window
from .text import markdown_text

__all__ = ["KIND_LABELS", "windows_table", "windows_html", "windows_markdown", "NO_WINDOWS"]

#: The kinds of window in words.
KIND_LABELS: dict[str, str] = {
    "new_key_person": "New key person",
    "blocker_gone": "Blocker gone",
    "call_to_action": "Call to action",
    "department_warming": "Department warming",
}

#: What to show when there is no window.
NO_WINDOWS = ("No window of opportunity in this period: nobody key and open arrived, no blocker left, "
              "no department warmed, no event or incident was logged.")

_COLUMNS = ["#", "Window", "Since", "What", "Evidence", "What to do", "Score"]


def windows_table(windows: Iterable[Window]) -> pd.DataFrame:
    """One row per window, best first: ``#, Window, Since, What, Evidence, What to do, Score`` (plain text)."""
    rows = [{"#": i, "Window": KIND_LABELS.get(w.kind, w.kind), "Since": w.since.isoformat(), "What": w.title,
             "Evidence": w.evidence, "What to do": w.action, "Score": round(float(w.score), 2)}
            for i, w in enumerate(windows, start=1)]
    return pd.DataFrame(rows, columns=_COLUMNS)


def windows_html(windows: Iterable[Window], *, link: Callable[[Window], str | None] | None = None) -> str:
    """The windows as HTML cards (``<ol class="windows">``), every field escaped.

    Parameters
    ----------
    windows : iterable of Window
    link : callable, optional
        A URL for a window (e.g. the person's or the department's page), or
        None for no link; the URL is escaped as an attribute.

    Returns
    -------
    str
        The list, or a ``<p class="windows-none">`` with :data:`NO_WINDOWS` when there are none.
    """
    items = []
    for w in windows:
        title = html.escape(w.title)
        url = link(w) if link else None
        if url:
            title = f'<a href="{html.escape(url, quote=True)}">{title}</a>'
        items.append(
            f'<li class="window window-{html.escape(w.kind)}">'
            f'<div class="window-kind">{html.escape(KIND_LABELS.get(w.kind, w.kind))} · since '
            f'{html.escape(w.since.isoformat())}</div>'
            f'<div class="window-title">{title}</div>'
            f'<div class="window-evidence">{html.escape(w.evidence)}</div>'
            f'<div class="window-action"><b>Now:</b> {html.escape(w.action)}</div></li>')
    if not items:
        return f'<p class="windows-none">{html.escape(NO_WINDOWS)}</p>'
    return '<ol class="windows">' + "".join(items) + "</ol>"


def windows_markdown(windows: Iterable[Window]) -> str:
    """The windows as a Markdown list for ``st.markdown``, every field escaped (:func:`markdown_text`).

    The titles name their kind already ("New key person: …", "… is warming").

    >>> from datetime import date
    >>> from stakeholder_map.tracking.windows import Window
    >>> print(windows_markdown([Window("blocker_gone", 0.8, "Bo *left*", "Was resistant.", "Re-open.", "2",
    ...                                "HR", date(2026, 11, 24))]))
    1. **Bo \\*left\\*** (since 2026\\-11\\-24)  
       Was resistant\\.  
       *Now:* Re\\-open\\.
    """
    lines = []
    for i, w in enumerate(windows, start=1):
        lines.append(f"{i}. **{markdown_text(w.title)}** (since {markdown_text(w.since.isoformat())})  \n"
                     f"   {markdown_text(w.evidence)}  \n"
                     f"   *Now:* {markdown_text(w.action)}")
    return "\n".join(lines) if lines else markdown_text(NO_WINDOWS)
