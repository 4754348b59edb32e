"""The options several commands share, and how to stack a list of them on a command.

``--db``, a required ``--map`` and ``--format`` for every command; an optional
``--map`` (default: the demo map), ``--kind``, ``--seed`` and the diffusion model
for the analyses; ``--as-of``, ``--weeks`` and ``--champions`` for the trackers.
"""

from __future__ import annotations

import click

# every command
db_option = click.option(
    "--db", "db", type=click.Path(dir_okay=False), default=None,
    help="DuckDB file (default: $STAKEHOLDER_MAP_DB, else data/stakeholder_map.duckdb).",
)
map_option = click.option("--map", "map_name", required=True, help="Name of the map.")
format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
    show_default=True, help="Output format.",
)

# the analyses (an optional --map: the demo map by default)
analysis_map_option = click.option(
    "--map", "map_name", default=None,
    help="Name of the map (default: the demo map, loaded if the database is empty).",
)
kind_option = click.option("--kind", "kinds", multiple=True,
                           help="Only ties of this kind (repeat for several; default: all).")
seed_option = click.option("--seed", type=int, default=0, show_default=True,
                           help="Random seed; the same seed gives the same answer.")
model_options = [
    click.option("--model", type=click.Choice(["stance", "wc", "ic", "lt"]), default="stance",
                 show_default=True, help="Diffusion model (see README, Method)."),
    click.option("--p", "p", type=float, default=0.1, show_default=True,
                 help="Tie probability of the ic model."),
    click.option("--receptiveness", default=None,
                 help="Stance factors of the stance model, e.g. 'skeptic=0.4,resistant=0.1' "
                      "(defaults: resistant 0.2, skeptic 0.5, neutral/unknown 0.8, supporter/champion 1)."),
]

# the trackers
as_of_option = click.option("--as-of", "as_of", default=None,
                            help="Report as of this date (YYYY-MM-DD; default today).")
weeks_option = click.option("--weeks", type=click.IntRange(min=1, max=104), default=12, show_default=True,
                            help="Weeks of weekly history the trends are fitted on.")
champions_ids_option = click.option(
    "--champions", "champion_ids", default="",
    help="Ids that count as champions whatever their stance (comma-separated), e.g. the chosen champions.")


def with_options(options):
    """Put a list of options on a command, in the list's order in ``--help``."""
    def decorate(command):
        for option in reversed(options):
            command = option(command)
        return command
    return decorate
