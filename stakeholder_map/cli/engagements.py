"""The touchpoint log: ``engagements import|list|log|edit|delete|changes`` (every change is recorded)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd

from ..access import LOCAL_USER
from .exit_codes import handle_errors
from .options import analysis_map_option, db_option, format_option, map_option
from .output import emit, iso_dates
from .parsing import parse_date, parse_stance_option
from .store_access import open_store, resolve_map


@click.group("engagements")
def engagements_group() -> None:
    """Touchpoints with stakeholders: import, list, log, edit, delete (every change is recorded)."""


@engagements_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@db_option
@map_option
@handle_errors
def engagements_import_command(file, db, map_name) -> None:
    """Add the touchpoints of an engagements CSV to a map (all or nothing).

    Columns: date, stakeholder_id, activity, stance_after, notes (see the README).
    A stance_after enters the stance history.
    """
    from ..ingest import read_engagements
    from ..schema import STANCE_AFTER

    with open_store(db) as store:
        people = store.people(map_name)
        with open(file, "rb") as fp:
            events = read_engagements(fp, people["id"], name=Path(file).name)
        store.add_engagements(map_name, events, by=LOCAL_USER)
    stances = int(events[STANCE_AFTER].notna().sum())
    click.echo(f"Added {len(events)} engagements to map {map_name!r}; {stances} record a stance.")
    for warning in events.attrs.get("warnings", []):
        click.echo(f"warning: {warning}")


@engagements_group.command("list")
@db_option
@analysis_map_option
@click.option("--person", default=None, help="Only this stakeholder id.")
@click.option("--department", default=None, help="Only people of this department.")
@click.option("--since", default=None, help="Only on or after this date (YYYY-MM-DD).")
@click.option("--until", default=None, help="Only on or before this date (YYYY-MM-DD).")
@format_option
@handle_errors
def engagements_list_command(db, map_name, person, department, since, until, fmt) -> None:
    """The map's engagements with the person's name and department, oldest first."""
    from ..schema import stance_label

    first, last = parse_date(since, "--since"), parse_date(until, "--until")
    with open_store(db) as store:
        name = resolve_map(store, map_name)
        events = store.engagements(name).reset_index()
        people = store.people(name).set_index("id")
    events.insert(3, "name", [people["name"].get(p, p) for p in events["stakeholder_id"]])
    events.insert(4, "department", [people["department"].get(p, "") for p in events["stakeholder_id"]])
    events["stance_after"] = ["" if pd.isna(v) else stance_label(int(v)) for v in events["stance_after"]]
    keep = pd.Series(True, index=events.index)
    if person:
        keep &= events["stakeholder_id"] == person
    if department:
        keep &= events["department"] == department
    if first:
        keep &= pd.Series([d >= first for d in events["date"]], index=events.index)
    if last:
        keep &= pd.Series([d <= last for d in events["date"]], index=events.index)
    events = events[keep.to_numpy()]
    order = sorted(range(len(events)), key=lambda i: (events["date"].iat[i], events["engagement_id"].iat[i]))
    events = events.iloc[order]
    emit(iso_dates(events), fmt, key="engagements")


@engagements_group.command("log")
@db_option
@map_option
@click.option("--date", "when", required=True, help="When (YYYY-MM-DD).")
@click.option("--person", required=True, help="Stakeholder id.")
@click.option("--activity", default=None, help="meeting, demo, workshop, email, 1:1, ...")
@click.option("--stance-after", default=None, help="The stance observed after it (word or -2..2).")
@click.option("--notes", default=None, help="Free text.")
@handle_errors
def engagements_log_command(db, map_name, when, person, activity, stance_after, notes) -> None:
    """Record one touchpoint; a stance after it enters the stance history."""
    day = parse_date(when, "--date")
    stance = parse_stance_option(stance_after, "--stance-after")
    with open_store(db) as store:
        engagement_id = store.log_engagement(map_name, when=day, stakeholder_id=person, activity=activity,
                                             stance_after=stance, notes=notes, by=LOCAL_USER)
    click.echo(f"Logged engagement {engagement_id} with {person} on {day.isoformat()}"
               + (f" (stance after: {stance_after.strip().lower()})" if stance is not None else "") + ".")


@engagements_group.command("edit")
@click.argument("engagement_id", type=int)
@db_option
@map_option
@click.option("--date", "when", default=None, help="New date (YYYY-MM-DD).")
@click.option("--person", default=None, help="New stakeholder id.")
@click.option("--activity", default=None, help="New activity.")
@click.option("--stance-after", default=None, help="New stance after ('none' to clear).")
@click.option("--notes", default=None, help="New notes.")
@handle_errors
def engagements_edit_command(engagement_id, db, map_name, when, person, activity, stance_after, notes) -> None:
    """Change a touchpoint (only the options given); the change is recorded."""
    with open_store(db) as store:
        events = store.engagements(map_name)
        if engagement_id not in events.index:
            from ..errors import StoreError
            raise StoreError(f"no engagement {engagement_id} in map {map_name!r}")
        old = events.loc[engagement_id]
        if stance_after is not None and stance_after.strip().lower() in ("none", "clear"):
            stance = None
        elif stance_after is not None:
            stance = parse_stance_option(stance_after, "--stance-after")
        else:
            stance = None if pd.isna(old["stance_after"]) else int(old["stance_after"])
        store.edit_engagement(
            map_name, engagement_id,
            when=parse_date(when, "--date") or old["date"],
            stakeholder_id=person or old["stakeholder_id"],
            activity=activity if activity is not None else old["activity"],
            stance_after=stance,
            notes=notes if notes is not None else old["notes"],
            by=LOCAL_USER,
        )
    click.echo(f"Edited engagement {engagement_id}; the change is recorded.")


@engagements_group.command("delete")
@click.argument("engagement_id", type=int)
@db_option
@map_option
@handle_errors
def engagements_delete_command(engagement_id, db, map_name) -> None:
    """Remove a touchpoint; the deletion (with what it held) is recorded."""
    with open_store(db) as store:
        store.delete_engagement(map_name, engagement_id, by=LOCAL_USER)
    click.echo(f"Deleted engagement {engagement_id}; the deletion is recorded.")


@engagements_group.command("changes")
@db_option
@map_option
@format_option
@handle_errors
def engagements_changes_command(db, map_name, fmt) -> None:
    """Every logged, edited or deleted touchpoint, with what it held before and after."""
    with open_store(db) as store:
        changes = store.engagement_changes(map_name)
    if fmt != "json":
        changes = changes.assign(before=[json.dumps(v, ensure_ascii=False) if v else "" for v in changes["before"]],
                                 after=[json.dumps(v, ensure_ascii=False) if v else "" for v in changes["after"]])
    emit(changes, fmt, key="changes")
