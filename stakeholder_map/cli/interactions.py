"""Collaboration metadata: ``interactions import`` turns an e-mail or meeting log into weighted ties.

Only who wrote to or met whom, and when, is read (see
:mod:`stakeholder_map.ingest_interactions`); the aggregation is the store's
(:meth:`Store.import_interactions`). The import replaces the map's earlier
ties of the kind and is recorded as the local user.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..access import LOCAL_USER, Member
from ..ingest_interactions import INTERACTION_KINDS
from ..store import DEFAULT_HALF_LIFE_DAYS, DEFAULT_MAX_RECIPIENTS
from .exit_codes import handle_errors
from .options import db_option, map_option
from .output import printable
from .parsing import parse_date
from .store_access import open_store


@click.group("interactions")
def interactions_group() -> None:
    """Collaboration metadata: who e-mailed or met whom, as weighted ties (never the content)."""


@interactions_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@map_option
@click.option("--kind", type=click.Choice(INTERACTION_KINDS), default=None,
              help="Tie kind to make (default: meeting for an .ics file, else email). Replaces the map's "
                   "earlier ties of this kind.")
@click.option("--max-recipients", type=click.IntRange(min=1), default=DEFAULT_MAX_RECIPIENTS, show_default=True,
              help="A message or meeting with more distinct recipients is a broadcast and is dropped.")
@click.option("--half-life-days", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_HALF_LIFE_DAYS,
              show_default=True, help="A message this many days older than the newest one counts half.")
@click.option("--as-of", "as_of", default=None,
              help="Count ages back from the end of this day (YYYY-MM-DD) and leave later messages out "
                   "(default: the newest timestamp in the log).")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format.")
@handle_errors
def interactions_import_command(file, map_name, kind, max_recipients, half_life_days, as_of, db, fmt) -> None:
    """Make ties of kind email (or meeting) from FILE, a log of who e-mailed or met whom.

    FILE is a CSV with one row per message (timestamp, sender, recipients separated by ';'), a CSV with one
    row per sender-recipient pair (timestamp, sender, recipient, optional message_id), or an iCalendar .ics
    file (each event: organiser to attendees). People are matched by e-mail address to the map's email
    column; subject, body and any other column are never read. See the README, "Collaboration metadata".
    """
    from ..ingest_interactions import read_interactions

    day = parse_date(as_of, "--as-of")
    with open(file, "rb") as fp:
        log = read_interactions(fp, name=Path(file).name)
    with open_store(db) as store:
        report = Member(store, None, local=True).import_interactions(
            map_name, log, kind=kind, max_recipients=max_recipients, half_life_days=half_life_days, as_of=day)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(f"Made {report.ties:,} {report.kind} ties in map {report.map_name!r} "
               f"(replacing {report.replaced_ties:,}), recorded as {LOCAL_USER}.")
    lines = [
        ("rows read", f"{report.rows:,}"),
        ("messages read" if report.kind == "email" else "meetings read", f"{report.messages:,}"),
        ("broadcasts dropped", f"{report.broadcasts_dropped:,} (more than {report.max_recipients} recipients)"),
        ("after the as-of date", f"{report.after_as_of:,}"),
        ("pairs counted", f"{report.pairs_counted:,}"),
        ("reciprocated pairs", f"{report.reciprocated_pairs:,}"),
        ("unmatched addresses", f"{report.unmatched_addresses:,} of {report.addresses:,}"
         + (f", e.g. {', '.join(report.unmatched_examples)}" if report.unmatched_examples else "")),
        ("weights", f"half-life {report.half_life_days:g} days, as of {report.as_of}"),
    ]
    for label, value in lines:
        click.echo(f"  {label:22} {printable(value)}")
    for warning in report.warnings:
        click.echo(f"warning: {printable(warning)}")
