"""What to do next: ``next`` (whom to talk to), ``rotation`` (a quarter of visits), ``brief`` (a meeting page),
``week`` (the home page's "This week")."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
import pandas as pd

from .exit_codes import handle_errors
from .options import (
    analysis_map_option, as_of_option, champions_ids_option, db_option, format_option,
    kind_option, model_options, seed_option, weeks_option, with_options,
)
from .output import emit, iso_dates, percent, printable, records
from .parsing import parse_date, parse_receptiveness, split_ids
from .store_access import open_store, open_workspace


@click.command("next")
@db_option
@analysis_map_option
@kind_option
@click.option("-k", "k", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many people to rank by expected gain.")
@click.option("--blockers", type=click.IntRange(min=0), default=5, show_default=True,
              help="Then up to this many more blockers worth neutralising.")
@click.option("--department", default=None, help="Only people of this department.")
@click.option("--carriers", default="",
              help="Who is already spreading the idea (comma-separated ids; default every supporter and champion).")
@with_options(model_options)
@seed_option
@format_option
@handle_errors
def next_command(db, map_name, kinds, k, blockers, department, carriers, model, p, receptiveness, seed,
                 fmt) -> None:
    """Whom to talk to next: the conversions that add the most expected adoption, blockers, best messengers."""
    with open_store(db) as store:
        ws = open_workspace(store, map_name, seed=seed)
    name = ws.name
    table = ws.next_conversations(k, blockers=blockers, department=department, carriers=split_ids(carriers),
                                  model=model, p=p, kinds=kinds, receptiveness=parse_receptiveness(receptiveness))
    if fmt == "json":
        click.echo(json.dumps({"map": name, "seed": seed, "model": model, "next": records(iso_dates(table))},
                              indent=2, ensure_ascii=False, default=str))
        return
    if fmt == "table":
        table = pd.DataFrame({
            "rank": table["rank"], "id": table["id"], "name": table["name"], "department": table["department"],
            "stance": table["stance"], "adds": table["gain"].round(1),
            "blocker": ["yes" if b else "" for b in table["blocker"]],
            "best messenger (chain)": table["path_names"], "chance": [percent(v) for v in table["path_probability"]],
            "insider": table["insider"].fillna(""),
            "last talked": [d.isoformat() if hasattr(d, "isoformat") else "" for d in table["last_engaged"]],
        })
    else:
        table = table.assign(path=[" > ".join(p_) for p_ in table["path"]],
                             gain_by_department=[json.dumps(g, ensure_ascii=False)
                                                 for g in table["gain_by_department"]])
    emit(iso_dates(table), fmt, key="next")


@click.command("rotation")
@db_option
@analysis_map_option
@click.option("--team", "team_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="CSV of associates: name, home_department (optional), email (optional).")
@click.option("--quarter", required=True, help="The quarter to plan, YYYYQn (e.g. 2027Q1).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write rotation-<quarter>.csv and rotation-<quarter>.ics into.")
@click.option("--visits", type=click.IntRange(min=1, max=13), default=3, show_default=True,
              help="Visits per department in the quarter.")
@click.option("--extra-visits", type=click.IntRange(min=0, max=6), default=1, show_default=True,
              help="More visits for the third of departments furthest from their milestones.")
@click.option("--per-visit", type=click.IntRange(min=1, max=5), default=1, show_default=True,
              help="Associates sent on each visit.")
@click.option("--start-time", default=None, help="Timed calendar events starting at HH:MM (default all-day).")
@as_of_option
@seed_option
@format_option
@handle_errors
def rotation_command(db, map_name, team_file, quarter, out_dir, visits, extra_visits, per_visit, start_time,
                     as_of, seed, fmt) -> None:
    """Plan a quarter of department visits by a team, furthest-behind departments first; CSV and .ics."""
    from datetime import time as clock

    from ..export import write_files
    from ..export_rotation import rotation_csv, rotation_ics
    from ..ingest_team import read_team
    from ..tracking.rotation import parse_quarter

    try:
        first, _ = parse_quarter(quarter)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--quarter") from None
    start = None
    if start_time:
        try:
            start = clock.fromisoformat(start_time)
        except ValueError:
            raise click.BadParameter(f"{start_time!r} is not HH:MM", param_hint="--start-time") from None
    with open(team_file, "rb") as fp:
        team = read_team(fp, name=Path(team_file).name)
    with open_store(db) as store:
        ws = open_workspace(store, map_name, seed=seed)
    name = ws.name
    day = parse_date(as_of, "--as-of") or date.today()
    gaps = ws.department_gaps(day)
    plan = ws.rotation_plan(team, quarter, visits=visits, extra_visits=extra_visits, per_visit=per_visit,
                            as_of=day)
    label = plan["quarter"].iat[0] if len(plan) else quarter
    csv_path, ics_path = write_files({
        f"rotation-{label}.csv": rotation_csv(plan),
        f"rotation-{label}.ics": rotation_ics(plan, start_time=start, calendar_name=f"{name}: rotation {label}"),
    }, out_dir)
    if fmt == "json":
        click.echo(json.dumps({"map": name, "quarter": label, "files": [str(csv_path), str(ics_path)],
                               "priorities": records(gaps), "plan": records(iso_dates(plan))},
                              indent=2, ensure_ascii=False, default=str))
        return
    if fmt == "table":
        load = plan.groupby("associate").size()
        click.echo(f"Rotation {label} for map {name!r}: {len(plan)} visits to {plan['department'].nunique()} "
                   f"departments by {len(load)} associates ({load.min()}-{load.max()} each).")
        click.echo(f"Wrote {csv_path} and {ics_path}.\n")
        plan = plan[["week", "date", "department", "visit", "visits", "associate", "home_department"]]
    emit(iso_dates(plan), fmt, key="plan")


@click.command("brief")
@db_option
@analysis_map_option
@click.option("--department", required=True, help="The department to brief on.")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write (self-contained; prints on two pages: brief and pitch kit).")
@as_of_option
@weeks_option
@champions_ids_option
@click.option("--pilot", "pilot", default=None,
              help="The pilot department whose results the pitch kit brings (default: the suggested pilot, "
                   "top of the pilot ranking).")
@seed_option
@handle_errors
def brief_command(db, map_name, department, out_file, as_of, weeks, champion_ids, pilot, seed) -> None:
    """Write an HTML briefing on a department for a meeting: the brief (one page) and its pitch kit (a second)."""
    from ..presentation.workspace_views import brief_of

    with open_store(db) as store:
        ws = open_workspace(store, map_name, seed=seed)
    name = ws.name
    page = brief_of(ws, department, parse_date(as_of, "--as-of"), weeks, tuple(split_ids(champion_ids)), pilot)
    path = Path(out_file)
    if path.parent != Path(""):
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    click.echo(f"Wrote {path} ({len(page.encode('utf-8')) // 1024 + 1} KB): brief on {department} "
               f"in map {name!r}.")


@click.command("week")
@db_option
@analysis_map_option
@as_of_option
@click.option("--team", "team_file", default=None, type=click.Path(exists=True, dir_okay=False),
              help="team.csv (name, home_department[, email]): list the week's visits of this quarter's rotation "
                   "plan (without it: the departments a plan would visit first).")
@click.option("--visits", type=click.IntRange(min=1, max=13), default=3, show_default=True,
              help="Visits per department in the quarter (with --team).")
@click.option("--per-visit", type=click.IntRange(min=1, max=5), default=1, show_default=True,
              help="Associates per visit (with --team).")
@seed_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format.")
@handle_errors
def week_command(db, map_name, as_of, team_file, visits, per_visit, seed, fmt) -> None:
    """This week: milestones at risk, next conversations, windows, seeds to plant and rotation visits."""
    from ..ingest_team import read_team
    from ..presentation.this_week import this_week
    from ..presentation.tracking_tables import quarter_choices

    day = parse_date(as_of, "--as-of") or date.today()
    team = None
    if team_file:
        with open(team_file, "rb") as fp:
            team = read_team(fp, name=Path(team_file).name)
    with open_store(db) as store:       # open while the week is built: some sections read the store
        ws = open_workspace(store, map_name, seed=seed)
        plan = ws.rotation_plan(team, quarter_choices(day)[0], visits=visits, per_visit=per_visit,
                                as_of=day) if team is not None else None
        week = this_week(ws, as_of=day, plan=plan)
    if fmt == "json":
        click.echo(json.dumps(week.to_dict(), indent=2, ensure_ascii=False, default=str))
        return
    click.echo(printable(f"This week on map {week.map!r}: {week.week_start.isoformat()} to "
                         f"{week.week_end.isoformat()}"))
    for section in week.sections:
        click.echo(f"\n{section.title}" + (f" ({len(section.items)})" if section.items and section.counted else ""))
        if section.note:
            click.echo(f"  {printable(section.note)}")
        if not section.items:
            click.echo(f"  {printable(section.empty)}")
        for item in section.items:
            flag = f" [{item.flag}]" if item.flag else ""
            click.echo(f"  - {printable(item.title)}{printable(flag)}")
            if item.detail:
                click.echo(f"    {printable(item.detail)}")
