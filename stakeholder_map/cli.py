"""``stakeholder-map``: thin commands over the same functions the dashboard uses.

Every command opens the store (``--db``, else ``$STAKEHOLDER_MAP_DB``, else
``data/stakeholder_map.duckdb``), calls one or two library functions and prints
the result. A user's mistake never shows a traceback: refused input exits 2
with every problem listed, a busy database exits 3, other errors exit 1.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from contextlib import ExitStack
from functools import wraps
from pathlib import Path

import click
import pandas as pd

from . import __version__
from .errors import ContractError, DatabaseBusy, MapExists, StakeholderMapError
from .store import Store, resolve_db_path

__all__ = ["cli", "main"]

EXIT_REFUSED = 2
EXIT_BUSY = 3

db_option = click.option(
    "--db", "db", type=click.Path(dir_okay=False), default=None,
    help="DuckDB file (default: $STAKEHOLDER_MAP_DB, else data/stakeholder_map.duckdb).",
)
map_option = click.option("--map", "map_name", required=True, help="Name of the map.")
format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
    show_default=True, help="Output format.",
)


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def handle_errors(command: Callable) -> Callable:
    """Turn library errors into a message on stderr and an exit code."""
    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ContractError as e:
            _fail(e.summary(), EXIT_REFUSED)
        except MapExists as e:
            _fail(str(e), EXIT_REFUSED)
        except DatabaseBusy as e:
            _fail(str(e), EXIT_BUSY)
        except StakeholderMapError as e:
            _fail(str(e), 1)
        except (OSError, ValueError) as e:
            _fail(str(e), 1)
    return wrapper


def open_store(db: str | None) -> Store:
    """The store the command works on."""
    return Store(resolve_db_path(db))


def emit(frame: pd.DataFrame, fmt: str, *, key: str = "rows", extra: dict | None = None) -> None:
    """Print a frame as a table, CSV, or ``{key: [records], **extra}`` JSON."""
    if fmt == "json":
        payload = dict(extra or {})
        payload[key] = json.loads(frame.to_json(orient="records", date_format="iso", default_handler=str))
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        if extra:
            for k, v in extra.items():
                if not isinstance(v, (dict, list)):
                    click.echo(f"{k}: {v}")
        with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200):
            click.echo(frame.to_string(index=False) if len(frame) else "(none)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stakeholder-map")
def cli() -> None:
    """Map who influences whom, find the champions of a change, and track buy-in."""


@cli.command("import")
@click.argument("stakeholders", type=click.Path(exists=True, dir_okay=False))
@click.argument("influences", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--engagements", type=click.Path(exists=True, dir_okay=False), help="Engagements CSV.")
@db_option
@map_option
@click.option("--replace", is_flag=True, help="Replace the map if it exists (stance changes are recorded).")
@handle_errors
def import_command(stakeholders, influences, engagements, db, map_name, replace) -> None:
    """Import STAKEHOLDERS.csv [INFLUENCES.csv] as a map (all or nothing)."""
    from .ingest import read_map

    paths = [stakeholders, influences, engagements]
    with ExitStack() as stack:
        files = [stack.enter_context(open(p, "rb")) if p else None for p in paths]
        names = tuple(Path(p).name if p else default for p, default in
                      zip(paths, ("stakeholders.csv", "influences.csv", "engagements.csv")))
        data = read_map(*files, names=names)
    with open_store(db) as store:
        report = store.import_map(map_name, data, replace=replace)
    verb = "Replaced" if report.replaced else "Imported"
    click.echo(f"{verb} map {report.map!r}: {report.people} stakeholders, {report.ties} ties, "
               f"{report.engagements} engagements; {report.stance_changes} stance changes recorded.")
    for warning in report.warnings:
        click.echo(f"warning: {warning}")


@cli.command("maps")
@db_option
@format_option
@handle_errors
def maps_command(db, fmt) -> None:
    """List the maps with their counts."""
    with open_store(db) as store:
        emit(store.list_maps(), fmt, key="maps")


@cli.command("export")
@db_option
@map_option
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write stakeholders.csv, influences.csv and engagements.csv into.")
@handle_errors
def export_command(db, map_name, out_dir) -> None:
    """Write a map's CSV files (importing them gives the same map)."""
    from .export import write_export

    with open_store(db) as store:
        for path in write_export(store, map_name, out_dir):
            click.echo(str(path))


@cli.command("demo")
@db_option
@click.option("--replace", is_flag=True, help="Reload the demo map even if it exists.")
@handle_errors
def demo_command(db, replace) -> None:
    """Load the bundled demo organisation (done automatically for an empty database)."""
    from .demo import DEMO_MAP, load_demo

    with open_store(db) as store:
        loaded = replace or not store.has_map(DEMO_MAP)
        if loaded:
            load_demo(store, replace=replace)
        counts = store.list_maps().set_index("name").loc[DEMO_MAP]
    state = "loaded" if loaded else "already there (use --replace to reload it)"
    click.echo(f"Demo map {DEMO_MAP!r} {state}: {counts['people']} stakeholders, "
               f"{counts['ties']} ties, {counts['engagements']} engagements.")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``stakeholder-map`` console script."""
    try:
        cli.main(args=argv, prog_name="stakeholder-map", standalone_mode=True)
    except SystemExit:
        raise
    except Exception as e:  # a bug, not a user error: say so without a traceback
        if os.environ.get("STAKEHOLDER_MAP_DEBUG"):
            raise
        click.echo(f"internal error: {type(e).__name__}: {e} "
                   "(set STAKEHOLDER_MAP_DEBUG=1 to see the traceback)", err=True)
        sys.exit(1)
