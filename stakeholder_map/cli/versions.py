"""A map's versions and what changed between them: ``versions``, ``changes``."""

from __future__ import annotations

import json

import click

from .exit_codes import handle_errors
from .options import db_option, format_option, map_option
from .output import emit, printable
from .parsing import parse_date
from .store_access import open_store


@click.command("versions")
@db_option
@map_option
@format_option
@handle_errors
def versions_command(db, map_name, fmt) -> None:
    """The map's versions, one per import: when, by whom, how many people and ties."""
    with open_store(db) as store:
        table = store.map_versions(map_name)
    table["imported_at"] = [t.isoformat(sep=" ", timespec="seconds") for t in table["imported_at"]]
    emit(table, fmt, key="versions", extra={"map": map_name} if fmt == "json" else None)


@click.command("changes")
@db_option
@map_option
@click.option("--since", default=None,
              help="Compare the latest version with the last one imported before this date (YYYY-MM-DD; the "
                   "first version if none was).")
@click.option("--from", "from_version", type=click.IntRange(min=1), default=None,
              help="Compare from this version (default: the one before --to).")
@click.option("--to", "to_version", type=click.IntRange(min=1), default=None,
              help="Compare up to this version (default: the latest).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format.")
@handle_errors
def changes_command(db, map_name, since, from_version, to_version, fmt) -> None:
    """What changed between two versions of a map: who joined, who left, whose role, department, seniority
    or stance moved, which ties appeared or went. By default the latest import against the one before it."""
    from ..presentation.changes_view import TABLE_TITLES, changes_headline, changes_payload, changes_tables
    from ..workspace import Workspace

    if since is not None and from_version is not None:
        raise click.UsageError("give --since or --from, not both")
    with open_store(db) as store:
        ws = Workspace(store, map_name)
        changes = ws.changes(since=parse_date(since, "--since"), from_version=from_version, to_version=to_version)
        names = dict(zip(ws.people_at_version(changes.to_version)["id"],
                         ws.people_at_version(changes.to_version)["name"]))
    if fmt == "json":
        click.echo(json.dumps(changes_payload(changes), indent=2, ensure_ascii=False))
        return
    click.echo(printable(f"Map {map_name!r}: {changes_headline(changes)}"))
    for key, table in changes_tables(changes, names).items():
        if len(table):
            click.echo(f"\n{TABLE_TITLES[key]} ({len(table)}):")
            emit(table, "table")
