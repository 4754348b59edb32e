"""Data in and out: ``import``, ``maps``, ``export``, ``erase``, ``demo``."""

from __future__ import annotations

from pathlib import Path

import click

from ..access import LOCAL_USER
from .exit_codes import handle_errors
from .options import db_option, format_option, map_option
from .output import emit, printable
from .store_access import open_store


@click.command("import")
@click.argument("stakeholders", type=click.Path(exists=True, dir_okay=False))
@click.argument("influences", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--engagements", type=click.Path(exists=True, dir_okay=False), help="Engagements CSV or workbook.")
@click.option("--sheet", "sheets", multiple=True, metavar="FILE=SHEET",
              help="Which sheet of a workbook holds a file, e.g. --sheet stakeholders=People or --sheet "
                   "influences=Ties; FILE= (nothing after =) leaves that file out. Default: the sheets named "
                   "stakeholders, influences and engagements (a workbook's only sheet for its own file).")
@db_option
@map_option
@click.option("--replace", is_flag=True, help="Replace the map if it exists (stance changes are recorded).")
@handle_errors
def import_command(stakeholders, influences, engagements, sheets, db, map_name, replace) -> None:
    """Import STAKEHOLDERS [INFLUENCES] as a map (all or nothing).

    Each file is a CSV file or an Excel workbook (.xlsx); one workbook with sheets named stakeholders,
    influences and engagements gives all three.
    """
    from ..ingest_xlsx import LABELS, read_sources

    picks = {}
    for item in sheets:
        label, sep, sheet = item.partition("=")
        if not sep or label.strip().lower() not in LABELS:
            raise click.BadParameter(f"{item!r}: write FILE=SHEET, FILE one of {', '.join(LABELS)}",
                                     param_hint="--sheet")
        picks[label.strip().lower()] = sheet
    paths = dict(zip(LABELS, (stakeholders, influences, engagements)))
    files = {label: (Path(p).name, Path(p).read_bytes()) for label, p in paths.items() if p}
    data = read_sources(files, picks)
    with open_store(db) as store:
        report = store.import_map(map_name, data, replace=replace, by=LOCAL_USER)
    verb = "Replaced" if report.replaced else "Imported"
    lines = f" ({data.reporting_lines} reporting lines from the manager column)" if data.reporting_lines else ""
    click.echo(f"{verb} map {report.map!r}: {report.people} stakeholders, {report.ties} ties{lines}, "
               f"{report.engagements} engagements; {report.stance_changes} stance changes recorded.")
    for warning in report.warnings:
        click.echo(f"warning: {warning}")


@click.command("maps")
@db_option
@format_option
@handle_errors
def maps_command(db, fmt) -> None:
    """List the maps with their counts."""
    with open_store(db) as store:
        emit(store.list_maps(), fmt, key="maps")


@click.command("export")
@db_option
@map_option
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write stakeholders.csv, influences.csv and engagements.csv into.")
@click.option("--xlsx", "as_workbook", is_flag=True,
              help="Write one Excel workbook, MAP.xlsx, with the three files as sheets (typed columns, no "
                   "formulas) instead of the CSV files.")
@click.option("--pseudonymise", "--pseudonymize", "pseudonymise", is_flag=True,
              help="For sharing: ids become salted hashes, names, emails, notes, roles and custom columns are "
                   "left out, departments under 5 people are merged into 'Other'.")
@click.option("--salt", envvar="STAKEHOLDER_MAP_SALT", default=None,
              help="With --pseudonymise: the secret key of the hashes (8+ characters; also "
                   "$STAKEHOLDER_MAP_SALT). The same salt gives the same pseudonyms. Default: random, never saved.")
@click.option("--keep", multiple=True,
              help="With --pseudonymise: keep this column too (role or a custom column; repeatable).")
@handle_errors
def export_command(db, map_name, out_dir, as_workbook, pseudonymise, salt, keep) -> None:
    """Write a map's CSV files or workbook (importing them gives the same map), or a pseudonymised copy to share."""
    from ..export import export_map, pseudonymised_export, write_files
    from ..export_xlsx import export_workbook, workbook_filename

    given_salt = salt and click.get_current_context().get_parameter_source("salt").name == "COMMANDLINE"
    if (given_salt or keep) and not pseudonymise:
        raise click.UsageError("--salt and --keep go with --pseudonymise")
    if as_workbook and pseudonymise:
        raise click.UsageError("--xlsx writes the full map; the pseudonymised copy is written as CSV files")
    with open_store(db) as store:
        if as_workbook:
            files = {workbook_filename(map_name): export_workbook(store, map_name)}
        elif pseudonymise:
            files = pseudonymised_export(store, map_name, salt=salt, keep=keep)
        else:
            files = export_map(store, map_name)
    for path in write_files(files, out_dir):
        click.echo(str(path))
    if pseudonymise:
        click.echo("Pseudonymised" + (" with your salt: the same salt gives the same pseudonyms." if salt else
                                      " with a random salt (not saved): the pseudonyms match no other export."),
                   err=True)


@click.command("erase")
@db_option
@map_option
@click.option("--id", "stakeholder_id", required=True, help="Id of the person to erase.")
@click.option("--yes", is_flag=True, help="Erase without asking for confirmation.")
@handle_errors
def erase_command(db, map_name, stakeholder_id, yes) -> None:
    """Erase a person from a map: their ties, engagements and stance history go too (cannot be undone).

    The database file is then rewritten so that nothing of them stays in it.
    Exports made before are not touched.
    """
    from ..errors import UnknownStakeholder

    if not yes:
        with open_store(db) as store:
            people = store.people(map_name)
        found = people[people["id"] == stakeholder_id]
        if found.empty:
            raise UnknownStakeholder(f"no stakeholder with id {stakeholder_id!r} in map {map_name!r}")
        who = printable(found["name"].iat[0])
        click.confirm(f"Erase {who} (id {stakeholder_id}) from map {map_name!r}, with their ties, engagements "
                      "and stance history? This cannot be undone", abort=True)
    with open_store(db) as store:
        report = store.erase_person(map_name, stakeholder_id, by=LOCAL_USER)
    click.echo(f"Erased {stakeholder_id!r} from map {map_name!r}: {report.ties} ties, {report.engagements} "
               f"engagements, {report.stance_history} stance history rows and {report.engagement_changes} "
               "engagement change records removed" + ("; the database file was rewritten." if report.compacted
                                                      else "."))


@click.command("demo")
@db_option
@click.option("--replace", is_flag=True, help="Reload the demo map even if it exists.")
@handle_errors
def demo_command(db, replace) -> None:
    """Load the bundled demo organisation (done automatically for an empty database)."""
    from ..demo import DEMO_MAP, load_demo

    with open_store(db) as store:
        loaded = replace or not store.has_map(DEMO_MAP)
        if loaded:
            load_demo(store, replace=replace, by=LOCAL_USER)
        counts = store.list_maps().set_index("name").loc[DEMO_MAP]
    state = "loaded" if loaded else "already there (use --replace to reload it)"
    click.echo(f"Demo map {DEMO_MAP!r} {state}: {counts['people']} stakeholders, "
               f"{counts['ties']} ties, {counts['engagements']} engagements.")
