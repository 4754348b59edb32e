"""How buy-in is going: ``milestones add|list|delete``, ``progress``, ``movers``."""

from __future__ import annotations

import json

import click
import pandas as pd

from ..access import LOCAL_USER
from .exit_codes import handle_errors
from .options import (
    analysis_map_option, as_of_option, champions_ids_option, db_option, format_option,
    map_option, weeks_option,
)
from .output import emit, iso_dates, percent
from .parsing import parse_date, parse_stance_option, parse_target, split_ids
from .store_access import open_store, open_workspace, resolve_map


@click.group("milestones")
def milestones_group() -> None:
    """Targets for buy-in per department or organisation-wide: add, list, delete."""


@milestones_group.command("add")
@db_option
@map_option
@click.option("--due", required=True, help="Due date (YYYY-MM-DD).")
@click.option("--target", required=True, help="Share to reach: 60% or 0.6.")
@click.option("--department", default=None, help="The department (default: the whole organisation).")
@click.option("--kind", type=click.Choice(["share", "champion_engaged"]), default="share", show_default=True,
              help="share: people at --min-stance or better; champion_engaged: departments with an engaged champion.")
@click.option("--min-stance", default="supporter", show_default=True,
              help="The stance that counts (word or -2..2).")
@click.option("--label", default=None, help="Your own wording (default: made from the fields).")
@handle_errors
def milestones_add_command(db, map_name, due, target, department, kind, min_stance, label) -> None:
    """Set a milestone, e.g. 60% of Finance supporter or better by 2027-03-31."""
    from ..tracking.milestones import milestone_label

    day = parse_date(due, "--due")
    share = parse_target(target)
    stance = parse_stance_option(min_stance, "--min-stance")
    if stance is None:
        raise click.BadParameter("give a stance", param_hint="--min-stance")
    with open_store(db) as store:
        if department is not None:
            known = sorted(set(store.people(map_name)["department"]))
            if department not in known:
                raise click.BadParameter(f"no one in map {map_name!r} belongs to {department!r} "
                                         f"(departments: {', '.join(known)})", param_hint="--department")
        milestone_id = store.add_milestone(map_name, due=day, target=share, kind=kind, department=department,
                                           min_stance=stance, label=label, by=LOCAL_USER)
    text = milestone_label({"label": label, "kind": kind, "department": department, "target": share,
                            "min_stance": stance, "due": day})
    click.echo(f"Added milestone {milestone_id}: {text}.")


@milestones_group.command("list")
@db_option
@analysis_map_option
@format_option
@handle_errors
def milestones_list_command(db, map_name, fmt) -> None:
    """The map's milestones by due date (see `progress` for how they are going)."""
    from ..tracking.milestones import milestone_label

    with open_store(db) as store:
        table = store.milestones(resolve_map(store, map_name))
    table.insert(1, "text", [milestone_label(r) for r in table.to_dict("records")])
    emit(iso_dates(table), fmt, key="milestones")


@milestones_group.command("delete")
@click.argument("milestone_id", type=int)
@db_option
@map_option
@handle_errors
def milestones_delete_command(milestone_id, db, map_name) -> None:
    """Remove a milestone."""
    with open_store(db) as store:
        store.delete_milestone(map_name, milestone_id, by=LOCAL_USER)
    click.echo(f"Deleted milestone {milestone_id}.")


@click.command("progress")
@db_option
@analysis_map_option
@as_of_option
@weeks_option
@champions_ids_option
@format_option
@handle_errors
def progress_command(db, map_name, as_of, weeks, champion_ids, fmt) -> None:
    """Milestone progress and status, and per department the stance mix now and at each milestone date."""
    with open_store(db) as store:
        ws = open_workspace(store, map_name)
    name = ws.name
    report = ws.progress_report(parse_date(as_of, "--as-of"), weeks=weeks, champion_ids=split_ids(champion_ids))
    if fmt == "json":
        click.echo(json.dumps({"map": name, **report}, indent=2, ensure_ascii=False, default=str))
        return
    milestones = pd.DataFrame([{
        "id": m["milestone_id"], "milestone": m["label"], "now": percent(m["value"]), "target": percent(m["target"]),
        "trend/week": f"{m['trend_per_week'] * 100:+.1f} pts", "projected": percent(m["projected"]),
        "due": m["due"], "status": m["status"]} for m in report["milestones"]],
        columns=["id", "milestone", "now", "target", "trend/week", "projected", "due", "status"])
    departments = pd.DataFrame([{
        "department": d["department"], "size": d["size"],
        "supporter+": percent(d["supporter_or_better"]), "trend/week": f"{d['trend_per_week'] * 100:+.1f} pts",
        "champion engaged": "yes" if d["champion_engaged"] else "no",
        "mix now": ", ".join(f"{k} {v}" for k, v in d["mix"].items() if v),
        "milestones": "; ".join(f"{m['status']} ({percent(m['target'])} by {m['due']})" for m in d["milestones"]),
    } for d in report["departments"]])
    if fmt == "csv":
        emit(milestones, fmt)
        return
    click.echo(f"Map {name!r} as of {report['as_of']} (trend over the last {report['weeks']} weeks)\n")
    emit(milestones, fmt)
    click.echo("")
    emit(departments, fmt)


@click.command("movers")
@db_option
@analysis_map_option
@click.option("--since", required=True, help="From this date (YYYY-MM-DD).")
@click.option("--until", default=None, help="To this date (default today).")
@click.option("--department", default=None, help="Only this department.")
@format_option
@handle_errors
def movers_command(db, map_name, since, until, department, fmt) -> None:
    """Who moved between two dates (from -> to), and whether a conversation preceded the move."""
    from datetime import date

    with open_store(db) as store:
        ws = open_workspace(store, map_name)
    moved = ws.movers(parse_date(since, "--since"), parse_date(until, "--until") or date.today())
    if department:
        moved = moved[moved["department"] == department]
    emit(iso_dates(moved), fmt, key="movers")
