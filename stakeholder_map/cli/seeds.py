"""Seeds planted: ``seeds`` (exposure per department and where to plant seeds next)."""

from __future__ import annotations

import json

import click

from ..presentation.exposure_tables import department_table, exposure_summary, seeds_table
from .exit_codes import handle_errors
from .options import analysis_map_option, as_of_option, db_option, seed_option
from .output import emit, iso_dates, records
from .parsing import parse_date
from .store_access import open_store, open_workspace

__all__ = ["seeds_command"]


@click.command("seeds")
@db_option
@analysis_map_option
@click.option("-k", "--k", "k", type=click.IntRange(min=1), default=5, show_default=True,
              help="How many people to suggest for the next seeds.")
@as_of_option
@seed_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format.")
@handle_errors
def seeds_command(db, map_name, k, as_of, seed, fmt) -> None:
    """Exposure (seed touches: article, results shared, demo seen, ...) per department, and where to plant
    seeds next: the people whose touch would spread familiarity furthest, with a low-pressure touch each."""
    when = parse_date(as_of, "--as-of")
    with open_store(db) as store:   # seeds_next reads the summed ties from the store: open till it is done
        ws = open_workspace(store, map_name, seed=seed)
        departments = ws.department_exposure(when)
        ranked = ws.seeds_next(k, as_of=when)
        people = ws.exposure(when)
    if fmt == "json":
        click.echo(json.dumps({
            "map": ws.name, "seed": seed, "as_of": when.isoformat() if when else None,
            "departments": records(departments),
            "exposed": records(iso_dates(people[people["exposures"] > 0])),
            "seeds_next": records(ranked),
        }, indent=2, ensure_ascii=False, default=str))
        return
    click.echo(exposure_summary(departments))
    emit(department_table(departments), "table")
    click.echo("\nPlant seeds next:")
    emit(seeds_table(ranked), "table")
