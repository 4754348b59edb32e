"""Numbers as people read them: one way to write a share, a decimal, a count, a multiple.

Every page, card, chart label and CLI table that writes a number for a person
uses these, so "42%" never appears as "0.42" on one page and "42.0 %" on the
next. Machine outputs (JSON, CSV) keep their numbers numeric and do not use
this module.

The choices:

* :func:`percent` — whole percent, no space: ``42%``; below 1 % but not zero,
  ``<1%`` (a share that rounds to 0 but is not nothing); above 99 % but not
  all, ``>99%``.
* :func:`share` — "n of m (p%)": a count with the share it makes.
* :func:`decimal` — one decimal by default, thousands separated: ``1,234.5``.
* :func:`count` — whole numbers with thousands separated: ``1,234``.
* :func:`ratio` — a multiple: ``×1.25``.
* :func:`points` — a signed difference in percentage points: ``+3 pts``.

Missing values (None, NaN) are written as an em dash, ``—``, everywhere.
"""

from __future__ import annotations

from typing import Any

from .. import schema as s

__all__ = ["MISSING", "percent", "share", "decimal", "count", "ratio", "points"]

#: How a missing number is written.
MISSING = "—"


def percent(fraction: Any) -> str:
    """A fraction 0–1 as a whole percent.

    >>> percent(0.4213), percent(1), percent(0), percent(0.003), percent(0.998), percent(None)
    ('42%', '100%', '0%', '<1%', '>99%', '—')
    """
    x = s.as_number(fraction)
    if x is None:
        return MISSING
    value = 100 * x
    if 0 < value < 0.5:
        return "<1%"
    if 99.5 <= value < 100:
        return ">99%"
    return f"{round(value):,}%"


def share(part: Any, whole: Any) -> str:
    """``part`` of ``whole`` with its percent.

    >>> share(3, 8), share(1200, 1500), share(0, 0)
    ('3 of 8 (38%)', '1,200 of 1,500 (80%)', '0 of 0')
    """
    p, w = s.as_number(part), s.as_number(whole)
    if p is None or w is None:
        return MISSING
    text = f"{count(p)} of {count(w)}"
    return f"{text} ({percent(p / w)})" if w else text


def decimal(value: Any, digits: int = 1) -> str:
    """A decimal with ``digits`` places and thousands separated.

    >>> decimal(3.21), decimal(1234.56), decimal(0.0612, 3), decimal(float("nan"))
    ('3.2', '1,234.6', '0.061', '—')
    """
    x = s.as_number(value)
    return MISSING if x is None else f"{x:,.{int(digits)}f}"


def count(value: Any) -> str:
    """A whole number with thousands separated.

    >>> count(1234), count(7.0), count(None)
    ('1,234', '7', '—')
    """
    x = s.as_number(value)
    return MISSING if x is None else f"{round(x):,}"


def ratio(value: Any, digits: int = 2) -> str:
    """A multiple, e.g. how many times the baseline.

    >>> ratio(1.25), ratio(1), ratio(None)
    ('×1.25', '×1.00', '—')
    """
    x = s.as_number(value)
    return MISSING if x is None else f"×{x:,.{int(digits)}f}"


def points(difference: Any) -> str:
    """A difference of two shares (fractions 0–1) in signed whole percentage points.

    >>> points(0.034), points(-0.12), points(0)
    ('+3 pts', '−12 pts', '±0 pts')
    """
    x = s.as_number(difference)
    if x is None:
        return MISSING
    value = round(100 * x)
    if value == 0:
        return "±0 pts"
    return f"+{value:,} pts" if value > 0 else f"−{-value:,} pts"
