"""``stakeholder-map``: thin commands over the same functions the dashboard uses.

Every command opens the store (``--db``, else ``$STAKEHOLDER_MAP_DB``, else
``data/stakeholder_map.duckdb``), calls one or two library functions and prints
the result. Writes are recorded as the ``local user`` (the audit log, who
logged a touchpoint). A user's mistake never shows a traceback: refused input exits 2
with every problem listed, a busy database exits 3 (after waiting up to
``$STAKEHOLDER_MAP_LOCK_TIMEOUT`` seconds, default 10, for the other process),
other errors exit 1.

Where the commands live:

- ``maps.py``: data in and out: ``import``, ``maps``, ``export``, ``erase``, ``demo``;
- ``analysis.py``: ``analyze``, ``departments``, ``champions``, ``pilot``, ``simulate``;
- ``engagements.py``: ``engagements import|list|log|edit|delete|changes``;
- ``progress.py``: ``milestones add|list|delete``, ``progress``, ``movers``;
- ``planning.py``: ``next``, ``rotation``, ``brief``, ``week``;
- ``members.py``: ``members add|remove|list``, ``audit`` (the team and who did what);
- ``interactions.py``: ``interactions import`` (e-mail and meeting logs into weighted ties);
- ``surveys.py``: ``survey create|links|status|close|apply`` (the relationship survey);
- ``versions.py``: ``versions``, ``changes`` (a map's imports, and what changed between two of them);
- ``windows.py``: ``windows`` (windows of opportunity: now is a good time, and why);
- ``seeds.py``: ``seeds`` (exposure per department and where to plant seeds next).

What they share:

- ``options.py``: the options several commands take (``--db``, ``--map``, ``--format``, the model, ...);
- ``parsing.py``: option text to values, with errors that name the option;
- ``store_access.py``: the store a command opens and the map it works on;
- ``output.py``: printing a frame as a table, CSV or JSON;
- ``exit_codes.py``: library errors to a message on stderr and an exit code.

This module holds the group ``cli`` with every command on it, and ``main``, the
console script.
"""

from __future__ import annotations

import os
import sys

import click

from .. import __version__
from . import (analysis, engagements, interactions, maps, members, planning, progress, seeds, surveys,
               versions, windows)

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stakeholder-map")
def cli() -> None:
    """Map who influences whom, find the champions of a change, and track buy-in."""


for _command in (
    maps.import_command, maps.maps_command, maps.export_command, maps.erase_command, maps.demo_command,
    analysis.analyze_command, analysis.departments_command, analysis.champions_command, analysis.pilot_command,
    analysis.simulate_command,
    engagements.engagements_group,
    progress.movers_command, progress.milestones_group, progress.progress_command,
    planning.next_command, planning.rotation_command, planning.brief_command, planning.week_command,
    members.members_group, members.audit_command,
    interactions.interactions_group,
    surveys.survey_group,
    versions.versions_command, versions.changes_command,
    windows.windows_command,
    seeds.seeds_command,
):
    cli.add_command(_command)
del _command


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
