"""``windows``: ranked signals that now is a good time to move (issue 15, "bide your time")."""

from __future__ import annotations

import json
from datetime import date

import click

from .exit_codes import handle_errors
from .options import analysis_map_option, as_of_option, db_option, format_option
from .output import emit, printable
from .parsing import parse_date
from .store_access import open_store, open_workspace


@click.command("windows")
@db_option
@analysis_map_option
@as_of_option
@click.option("--weeks", type=click.IntRange(min=1, max=104), default=6, show_default=True,
              help="The period looked at: this many weeks up to --as-of.")
@format_option
@handle_errors
def windows_command(db, map_name, as_of, weeks, fmt) -> None:
    """Windows of opportunity: a new key person who is open, a department warming, an event or incident
    logged (a call to action), a blocker gone; best first, with the evidence and what to do now."""
    from ..presentation.windows_table import NO_WINDOWS, windows_table
    from ..tracking.windows import windows_frame

    day = parse_date(as_of, "--as-of") or date.today()
    with open_store(db) as store:
        ws = open_workspace(store, map_name)
        found = ws.windows(as_of=day, weeks=weeks)  # reads the map's versions: while the store is open
    if fmt == "json":
        click.echo(json.dumps({"map": ws.name, "as_of": day.isoformat(), "weeks": weeks,
                               "windows": [w.as_dict() for w in found]}, indent=2, ensure_ascii=False))
        return
    if fmt == "table":  # a numbered list: evidence and action are sentences, too long for columns
        period = f"the {weeks} week{'s' if weeks > 1 else ''} before"
        click.echo(f"map: {printable(ws.name)}\nas of: {day.isoformat()} ({period})")
        table = windows_table(found)
        if not len(table):
            click.echo(NO_WINDOWS)
        for row in table.to_dict("records"):
            click.echo(f"\n{row['#']}. {printable(row['What'])}\n"
                       f"   {row['Window'].lower()}, since {row['Since']}, score {row['Score']:.2f}\n"
                       f"   Evidence: {printable(row['Evidence'])}\n"
                       f"   Now: {printable(row['What to do'])}")
        return
    frame = windows_frame(found)
    frame["since"] = [d.isoformat() for d in frame["since"]]
    emit(frame, fmt, key="windows")
