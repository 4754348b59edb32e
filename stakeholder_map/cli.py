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
        with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200,
                               "display.max_colwidth", 120, "display.precision", 3):
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


# ------------------------------------------------------------------ analysis

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


def parse_receptiveness(text: str | None) -> dict[str, float] | None:
    """``"skeptic=0.4, resistant=0.1"`` → ``{"skeptic": 0.4, "resistant": 0.1}``."""
    if not text:
        return None
    factors = {}
    for item in text.split(","):
        stance, sep, value = item.partition("=")
        try:
            factors[stance.strip().lower()] = float(value)
        except ValueError:
            raise click.BadParameter(f"{item.strip()!r} is not STANCE=NUMBER",
                                     param_hint="--receptiveness") from None
        if not sep or not 0 <= factors[stance.strip().lower()] <= 1:
            raise click.BadParameter(f"{item.strip()!r}: the factor must be between 0 and 1",
                                     param_hint="--receptiveness")
    return factors


def with_options(options):
    def decorate(command):
        for option in reversed(options):
            command = option(command)
        return command
    return decorate


def split_ids(text: str | None) -> list[str]:
    """``"a, b,c"`` → ``["a", "b", "c"]``."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def parse_what_ifs(items: tuple[str, ...]) -> dict[str, int | None]:
    """``("E028=supporter",)`` → ``{"E028": 1}``."""
    from .schema import parse_stance

    overrides = {}
    for item in items:
        person, sep, stance = item.partition("=")
        if not sep or not person.strip():
            raise click.BadParameter(f"{item!r} is not ID=STANCE", param_hint="--what-if")
        try:
            overrides[person.strip()] = parse_stance(stance)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--what-if") from None
    return overrides


def load_graph(store: Store, map_name: str | None, kinds: tuple[str, ...] = ()):
    """The map's graph; without a name, the demo map (loaded into an empty database)."""
    from .demo import DEMO_MAP, ensure_demo

    if map_name is None:
        ensure_demo(store)
        map_name = DEMO_MAP
    return store.graph(map_name, kinds=list(kinds) or None)


def records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", default_handler=str))


@cli.command("analyze")
@db_option
@analysis_map_option
@kind_option
@seed_option
@format_option
@handle_errors
def analyze_command(db, map_name, kinds, seed, fmt) -> None:
    """Metrics and roles for every stakeholder (degree, PageRank, betweenness, constraint, ...)."""
    from .analysis.centrality import stakeholder_metrics

    with open_store(db) as store:
        G = load_graph(store, map_name, kinds)
    metrics = stakeholder_metrics(G, seed=seed)
    methods = dict(metrics.attrs.get("methods", {}))
    if fmt == "table":
        metrics = metrics.assign(roles=[", ".join(r) for r in metrics["roles"]])
    emit(metrics, fmt, key="stakeholders", extra={"methods": methods} if fmt == "json" else None)


@cli.command("departments")
@db_option
@analysis_map_option
@kind_option
@seed_option
@format_option
@handle_errors
def departments_command(db, map_name, kinds, seed, fmt) -> None:
    """Per department: size, stance mix, top influencers, brokers into it, blockers, approach."""
    from .analysis.centrality import stakeholder_metrics
    from .analysis.communities import communities
    from .analysis.departments import community_alignment, department_profiles, influence_matrix

    with open_store(db) as store:
        G = load_graph(store, map_name, kinds)
    metrics = stakeholder_metrics(G, seed=seed)
    profiles = department_profiles(G, metrics)
    if fmt == "json":
        matrix = influence_matrix(G, value="weight")
        payload = {
            "departments": profiles,
            "influence_matrix": {"weight": matrix.to_dict(orient="index"),
                                 "ties": influence_matrix(G, value="ties").to_dict(orient="index")},
            "communities": community_alignment(G, communities(G, seed=seed)),
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
        return
    table = pd.DataFrame([{
        "department": p["department"], "size": p["size"],
        "stance mix": ", ".join(f"{k} {v}" for k, v in p["stance_mix"].items() if v),
        "top influencers": ", ".join(x["name"] for x in p["top_influencers"][:3]),
        "blockers": ", ".join(x["name"] for x in p["blockers"]),
        "approach": p["approach"],
    } for p in profiles])
    emit(table, fmt, key="departments")


@cli.command("champions")
@db_option
@analysis_map_option
@kind_option
@click.option("-k", "k", type=click.IntRange(min=0), default=5, show_default=True,
              help="How many champions.")
@with_options(model_options)
@click.option("--objective", type=click.Choice(["everyone", "unconvinced"]), default="everyone",
              show_default=True, help="Count every adopter, or only the not yet convinced.")
@click.option("--disallow", default="resistant,skeptic", show_default=True,
              help="Stances that may not be champions (comma-separated; empty for none).")
@click.option("--min-per-department", type=click.IntRange(min=0), default=0, show_default=True,
              help="At least this many champions in every department.")
@click.option("--pin", default="", help="Ids that must be champions (comma-separated).")
@click.option("--exclude", default="", help="Ids that must not be champions (comma-separated).")
@click.option("--epsilon", type=click.FloatRange(min=0.001, max=0.5), default=0.1, show_default=True,
              help="Approximation slack: the pick is within 1-1/e-epsilon of the best.")
@seed_option
@format_option
@handle_errors
def champions_command(db, map_name, kinds, k, model, p, receptiveness, objective, disallow,
                      min_per_department, pin, exclude, epsilon, seed, fmt) -> None:
    """The k people who together carry the idea furthest, and why each was picked."""
    from .analysis.champions import select_champions

    with open_store(db) as store:
        G = load_graph(store, map_name, kinds)
    result = select_champions(
        G, k, model=model, p=p, objective=objective, disallowed_stances=split_ids(disallow),
        pin=split_ids(pin), exclude=split_ids(exclude), min_per_department=min_per_department,
        epsilon=epsilon, seed=seed, receptiveness=parse_receptiveness(receptiveness),
    )
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False, default=str))
        return
    summary = {
        "model": result.model, "k": result.k, "seed": result.seed,
        "expected_spread": round(result.expected_spread, 2),
        "certified_ratio": round(result.certified_ratio, 3),
        **{f"lift_over_{name}": (round(v, 2) if v is not None else None) for name, v in result.lift.items()},
    }
    emit(result.table(), fmt, key="champions", extra=summary if fmt == "table" else None)


@cli.command("pilot")
@db_option
@analysis_map_option
@kind_option
@click.option("--target-share", type=click.FloatRange(min=0.0, max=1.0), default=0.3, show_default=True,
              help="Share of the organisation (or of --department) to reach.")
@click.option("--department", default=None, help="Reach a share of this department instead of everyone.")
@click.option("--max-size", type=click.IntRange(min=1), default=None, help="Largest pilot group to try.")
@click.option("--per-department", type=click.IntRange(min=1), default=3, show_default=True,
              help="Champions per department when ranking departments to start in.")
@with_options(model_options)
@seed_option
@format_option
@handle_errors
def pilot_command(db, map_name, kinds, target_share, department, max_size, per_department, model, p,
                  receptiveness, seed, fmt) -> None:
    """Start small: the smallest group reaching a target share, and the best departments to start in."""
    from .analysis.pilot import rank_pilot_departments, smallest_pilot

    with open_store(db) as store:
        G = load_graph(store, map_name, kinds)
    factors = parse_receptiveness(receptiveness)
    pilot = smallest_pilot(G, target_share, department=department, model=model, p=p,
                           max_size=max_size, seed=seed, receptiveness=factors)
    ranking = rank_pilot_departments(G, per_department=per_department, model=model, p=p, seed=seed,
                                     receptiveness=factors)
    if fmt == "json":
        click.echo(json.dumps({"pilot": pilot.to_dict(), "departments": records(ranking)},
                              indent=2, ensure_ascii=False, default=str))
        return
    if fmt == "table":
        reached = "reaches" if pilot.reached else "does NOT reach"
        click.echo(f"Smallest pilot: {len(pilot.ids)} people ({', '.join(pilot.names)}) {reached} "
                   f"{target_share:.0%} of {department or 'the organisation'}: expected "
                   f"{pilot.expected_spread:.1f} people ({pilot.share:.0%}).")
        click.echo("\nWhere to start (expected spread beyond the department from its best champions):")
    emit(ranking.assign(champions=[", ".join(c) for c in ranking["champions"]]), fmt, key="departments")


@cli.command("simulate")
@db_option
@analysis_map_option
@kind_option
@click.option("--seeds", "seed_ids", required=True, help="Ids of the people who start (comma-separated).")
@click.option("--steps", type=click.IntRange(min=1, max=100), default=10, show_default=True)
@click.option("--runs", type=click.IntRange(min=10), default=1000, show_default=True,
              help="Monte Carlo runs.")
@click.option("--what-if", "what_ifs", multiple=True,
              help="ID=STANCE: simulate as if this person had that stance (repeatable).")
@with_options(model_options)
@seed_option
@format_option
@handle_errors
def simulate_command(db, map_name, kinds, seed_ids, steps, runs, what_ifs, model, p, receptiveness,
                     seed, fmt) -> None:
    """How adoption spreads, step by step and per department, from chosen people."""
    from .analysis.simulation import simulate

    overrides = parse_what_ifs(what_ifs)
    with open_store(db) as store:
        G = load_graph(store, map_name, kinds)
    sim = simulate(G, split_ids(seed_ids), model=model, p=p, steps=steps, runs=runs, seed=seed,
                   overrides=overrides or None, receptiveness=parse_receptiveness(receptiveness))
    total = sim.total.to_dict()
    if fmt == "table":
        click.echo(f"Expected adopters: {total['mean']:.1f} (95% CI {total['ci_low']:.1f}-{total['ci_high']:.1f}, "
                   f"{total['runs']} runs)")
    emit(sim.curves, fmt, key="curves", extra={"total": total, "seeds": split_ids(seed_ids),
                                                "model": model, "seed": seed} if fmt == "json" else None)


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
