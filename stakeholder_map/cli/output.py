"""Printing results: a frame as a table, CSV or JSON, with terminal-safe text and plain dates."""

from __future__ import annotations

import json

import click
import pandas as pd

from ..presentation import numbers

#: Control characters and bidirectional overrides: text from a CSV must not drive the terminal.
_UNPRINTABLE = {c: "?" for c in [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F),
                                 *range(0x2066, 0x206A)]}


def printable(value: object) -> object:
    """Text with control characters (ANSI escapes, bidi overrides, line breaks) shown as ``?``.

    >>> printable("Ann\\x1b[2J\\nBo"), printable(3)
    ('Ann?[2J?Bo', 3)
    """
    return value.translate(_UNPRINTABLE) if isinstance(value, str) else value


def emit(frame: pd.DataFrame, fmt: str, *, key: str = "rows", extra: dict | None = None,
         safe_csv: bool = False) -> None:
    """Print a frame as a table, CSV, or ``{key: [records], **extra}`` JSON.

    JSON escapes control characters itself; a table shows them as ``?``.
    ``safe_csv``: CSV text a spreadsheet would run as a formula gets a leading
    ``'`` (:func:`stakeholder_map.export.frame_to_csv`), for tables of text
    that people typed (member addresses, the audit log).
    """
    if fmt == "json":
        payload = dict(extra or {})
        payload[key] = json.loads(frame.to_json(orient="records", date_format="iso", default_handler=str))
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif fmt == "csv" and safe_csv:
        from ..export import frame_to_csv

        click.echo(frame_to_csv(frame).decode("utf-8"), nl=False)
    elif fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        if extra:
            for k, v in extra.items():
                if not isinstance(v, (dict, list)):
                    click.echo(f"{k}: {printable(v)}")
        frame = frame.copy()
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype):
                frame[column] = frame[column].map(printable)
        with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200,
                               "display.max_colwidth", 120, "display.precision", 3):
            click.echo(frame.to_string(index=False) if len(frame) else "(none)")


def records(frame: pd.DataFrame) -> list[dict]:
    """A frame as JSON-ready records (values JSON cannot hold become text)."""
    return json.loads(frame.to_json(orient="records", default_handler=str))


def percent(value) -> str:
    """A share as a whole percentage; nothing for a missing value.

    >>> percent(0.6), percent(None), percent(float("nan"))
    ('60%', '', '')
    """
    return "" if value is None or value != value else numbers.percent(value)


def iso_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates in object columns as ``YYYY-MM-DD`` text (JSON and tables print them plainly)."""
    from datetime import date

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object and any(isinstance(v, date) for v in out[column]):
            out[column] = [v.isoformat() if isinstance(v, date) else v for v in out[column]]
    return out
