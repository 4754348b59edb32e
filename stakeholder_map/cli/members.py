"""The team: ``members add|remove|list`` and ``audit`` (who did what).

Members hold a role (``viewer``, ``editor``, ``admin``) on one map or, without
``--map``, on every map; the dashboard's team mode lets them in by it. The CLI
is the local user's tool: its changes are recorded as ``local user``.
"""

from __future__ import annotations

import json

import click

from ..access import LOCAL_USER, ROLES
from ..store import normalise_email
from .exit_codes import handle_errors
from .options import db_option, format_option
from .output import emit
from .store_access import open_store

member_map_option = click.option("--map", "map_name", default=None,
                                 help="Name of the map (default: every map, the '*' row).")


@click.group("members")
def members_group() -> None:
    """Who may use the dashboard in team mode, and with which role (viewer, editor, admin)."""


@members_group.command("add")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES), help="viewer reads; editor also logs "
              "touchpoints, milestones, rotations; admin also imports, erases, exports, manages members.")
@member_map_option
@db_option
@handle_errors
def members_add_command(email, role, map_name, db) -> None:
    """Give EMAIL a role on a map (without --map: on every map); an existing role there is replaced."""
    with open_store(db) as store:
        store.add_member(email, role, map_name, by=LOCAL_USER)
    where = f"map {map_name!r}" if map_name else "every map"
    click.echo(f"{normalise_email(email)} is {role} on {where}.")


@members_group.command("remove")
@click.argument("email")
@member_map_option
@db_option
@handle_errors
def members_remove_command(email, map_name, db) -> None:
    """Take EMAIL's role on a map (without --map: their every-map role) away. The last admin stays."""
    with open_store(db) as store:
        store.remove_member(email, map_name, by=LOCAL_USER)
    where = f"map {map_name!r}" if map_name else "every map"
    click.echo(f"{normalise_email(email)} has no role on {where} any more.")


@members_group.command("list")
@click.option("--map", "map_name", default=None,
              help="Only the rows that hold on this map (its own and the every-map ones).")
@db_option
@format_option
@handle_errors
def members_list_command(map_name, db, fmt) -> None:
    """The members: email, map ('*' = every map), role, added_at, added_by."""
    with open_store(db) as store:
        frame = store.members(map_name)
    if fmt == "table":
        frame = frame.fillna("")
    emit(frame, fmt, key="members", safe_csv=True)


@click.command("audit")
@click.option("--map", "map_name", default=None, help="Only this map's rows (default: every row).")
@db_option
@format_option
@handle_errors
def audit_command(map_name, db, fmt) -> None:
    """Who did what, oldest first: imports, erasures, touchpoints, milestones, membership changes.

    Details hold ids, dates and counts, never names or notes.
    """
    with open_store(db) as store:
        frame = store.audit_log(map_name)
    if fmt == "json":
        frame["detail"] = [json.loads(d) if d else None for d in frame["detail"]]
    elif fmt == "table":
        frame = frame.fillna("")
    emit(frame, fmt, key="audit", safe_csv=True)
