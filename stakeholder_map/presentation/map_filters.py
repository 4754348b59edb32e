"""What the Map shows, in words: the filters in force, for the caption, the PNG and the print view.

One wording everywhere, so a printed map says exactly what the screen said.
Names and departments come from CSVs: the caller passes ``quote`` to make them
safe where they land (``markdown_text`` for a Streamlit caption; the print
file HTML-escapes whole phrases itself). Nothing here imports Streamlit.

Examples
--------
>>> filter_phrases(stances=["champion", "supporter"], min_weight=2)
['stance: champion or supporter', 'ties of weight 2 or more']
>>> shown_subject(stances=["unknown"])
'everyone whose stance is unknown'
>>> shown_subject(departments=["HR", "IT"], min_weight=1.5, kinds=["advice"])
'the people of HR, IT (only advice ties of weight 1.5 or more)'
>>> counted(1552, 1832)
'1,552 pairs of people (1,832 ties)'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

__all__ = ["filter_phrases", "shown_subject", "counted"]


def _same(text: str) -> str:
    return text


def filter_phrases(*, departments: Iterable[str] = (), stances: Iterable[str] = (), kinds: Iterable[str] = (),
                   min_weight: float = 0.0, focus: str | None = None, hops: int = 1, as_of: date | None = None,
                   quote: Callable[[str], str] = _same) -> list[str]:
    """Each filter in force as a short phrase (none when the whole map is shown as it is today).

    Parameters
    ----------
    departments, stances, kinds : iterable of str
        The departments, stance labels and tie kinds picked (empty: all).
    min_weight : float
        The minimum tie weight (0: every tie).
    focus : str, optional
        The focused person's name; ``hops`` ties around them are shown.
    as_of : datetime.date, optional
        Stances are shown as they were on this date.
    quote : callable
        Applied to every name, department and kind (text from CSVs).
    """
    phrases = []
    if focus is not None:
        phrases.append(f"within {hops} tie(s) of {quote(focus)}")
    if departments:
        phrases.append("departments: " + ", ".join(quote(d) for d in departments))
    if stances:
        phrases.append("stance: " + " or ".join(stances))
    if kinds:
        phrases.append("tie kinds: " + ", ".join(quote(k) for k in kinds))
    if min_weight > 0:
        phrases.append(f"ties of weight {min_weight:g} or more")
    if as_of is not None:
        phrases.append(f"stances as of {as_of.isoformat()}")
    return phrases


def shown_subject(*, departments: Iterable[str] = (), stances: Iterable[str] = (), kinds: Iterable[str] = (),
                  min_weight: float = 0.0, focus: str | None = None, hops: int = 1,
                  quote: Callable[[str], str] = _same) -> str:
    """Who is shown, as the object of "Showing ...": "everyone" only when no filter narrows the map."""
    if focus is not None:
        who = f"everyone within {hops} tie(s) of {quote(focus)}"
    elif departments:
        who = "the people of " + ", ".join(quote(d) for d in departments)
    else:
        who = "everyone"
    stances = list(stances)
    if stances:
        who += " whose stance is " + " or ".join(stances)
    kinds = list(kinds)
    ties = []
    if kinds:
        ties.append(", ".join(quote(k) for k in kinds) + " ties")
    if min_weight > 0:
        ties.append(f"{'' if kinds else 'ties '}of weight {min_weight:g} or more")
    if ties:
        who += f" (only {' '.join(ties)})"
    return who


def counted(pairs: int, ties: int) -> str:
    """Pairs of people joined by an arrow, and the ties they add up (a pair may have several kinds of tie)."""
    return f"{pairs:,} pair{'s' if pairs != 1 else ''} of people ({ties:,} tie{'s' if ties != 1 else ''})"
