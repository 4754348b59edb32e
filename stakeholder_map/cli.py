"""``stakeholder-map``: thin commands over the same functions the dashboard uses.

Every command opens the store (``--db``, else ``$STAKEHOLDER_MAP_DB``, else
``data/stakeholder_map.duckdb``), calls one or two library functions and prints
the result. A user's mistake never shows a traceback: refused input exits 2
with every problem listed, a busy database exits 3 (after waiting up to
``$STAKEHOLDER_MAP_LOCK_TIMEOUT`` seconds, default 10, for the other process),
other errors exit 1.
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


#: Control characters and bidirectional overrides: text from a CSV must not drive the terminal.
_UNPRINTABLE = {c: "?" for c in [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F),
                                 *range(0x2066, 0x206A)]}


def printable(value: object) -> object:
    """Text with control characters (ANSI escapes, bidi overrides, line breaks) shown as ``?``.

    >>> printable("Ann\\x1b[2J\\nBo"), printable(3)
    ('Ann?[2J?Bo', 3)
    """
    return value.translate(_UNPRINTABLE) if isinstance(value, str) else value


def emit(frame: pd.DataFrame, fmt: str, *, key: str = "rows", extra: dict | None = None) -> None:
    """Print a frame as a table, CSV, or ``{key: [records], **extra}`` JSON.

    JSON escapes control characters itself; a table shows them as ``?``.
    """
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
                    click.echo(f"{k}: {printable(v)}")
        frame = frame.copy()
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype):
                frame[column] = frame[column].map(printable)
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
@click.option("--pseudonymise", "--pseudonymize", "pseudonymise", is_flag=True,
              help="For sharing: ids become salted hashes, names, emails, notes, roles and custom columns are "
                   "left out, departments under 5 people are merged into 'Other'.")
@click.option("--salt", envvar="STAKEHOLDER_MAP_SALT", default=None,
              help="With --pseudonymise: the secret key of the hashes (8+ characters; also "
                   "$STAKEHOLDER_MAP_SALT). The same salt gives the same pseudonyms. Default: random, never saved.")
@click.option("--keep", multiple=True,
              help="With --pseudonymise: keep this column too (role or a custom column; repeatable).")
@handle_errors
def export_command(db, map_name, out_dir, pseudonymise, salt, keep) -> None:
    """Write a map's CSV files (importing them gives the same map), or a pseudonymised copy to share."""
    from .export import export_map, pseudonymised_export, write_files

    given_salt = salt and click.get_current_context().get_parameter_source("salt").name == "COMMANDLINE"
    if (given_salt or keep) and not pseudonymise:
        raise click.UsageError("--salt and --keep go with --pseudonymise")
    with open_store(db) as store:
        if pseudonymise:
            files = pseudonymised_export(store, map_name, salt=salt, keep=keep)
        else:
            files = export_map(store, map_name)
    for path in write_files(files, out_dir):
        click.echo(str(path))
    if pseudonymise:
        click.echo("Pseudonymised" + (" with your salt: the same salt gives the same pseudonyms." if salt else
                                      " with a random salt (not saved): the pseudonyms match no other export."),
                   err=True)


@cli.command("erase")
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
    from .errors import UnknownStakeholder

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
        report = store.erase_person(map_name, stakeholder_id)
    click.echo(f"Erased {stakeholder_id!r} from map {map_name!r}: {report.ties} ties, {report.engagements} "
               f"engagements, {report.stance_history} stance history rows and {report.engagement_changes} "
               "engagement change records removed" + ("; the database file was rewritten." if report.compacted
                                                      else "."))


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


# ------------------------------------------------------------------ tracking

as_of_option = click.option("--as-of", "as_of", default=None,
                            help="Report as of this date (YYYY-MM-DD; default today).")
weeks_option = click.option("--weeks", type=click.IntRange(min=1, max=104), default=12, show_default=True,
                            help="Weeks of weekly history the trends are fitted on.")
champions_ids_option = click.option(
    "--champions", "champion_ids", default="",
    help="Ids that count as champions whatever their stance (comma-separated), e.g. the chosen champions.")


def resolve_map(store: Store, map_name: str | None) -> str:
    """The map to work on; without a name, the demo map (loaded into an empty database)."""
    from .demo import DEMO_MAP, ensure_demo

    if map_name is None:
        ensure_demo(store)
        return DEMO_MAP
    if not store.has_map(map_name):
        from .errors import MapNotFound
        raise MapNotFound(f"no map named {map_name!r}")
    return map_name


def parse_date(value: str | None, hint: str):
    """``YYYY-MM-DD`` → date (None stays None)."""
    from .tracking.history import as_date

    if value is None:
        return None
    try:
        return as_date(value)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint=hint) from None


def parse_stance_option(value: str | None, hint: str) -> int | None:
    from .schema import parse_stance

    if value is None:
        return None
    try:
        return parse_stance(value)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint=hint) from None


def _pct(value) -> str:
    return "" if value is None or value != value else f"{value:.0%}"


def iso_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates in object columns as ``YYYY-MM-DD`` text (JSON and tables print them plainly)."""
    from datetime import date

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object and any(isinstance(v, date) for v in out[column]):
            out[column] = [v.isoformat() if isinstance(v, date) else v for v in out[column]]
    return out


@cli.group("engagements")
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
    from .ingest import read_engagements
    from .schema import STANCE_AFTER

    with open_store(db) as store:
        people = store.people(map_name)
        with open(file, "rb") as fp:
            events = read_engagements(fp, people["id"], name=Path(file).name)
        store.add_engagements(map_name, events)
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
    from .schema import stance_label

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
                                             stance_after=stance, notes=notes)
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
            from .errors import StoreError
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
        store.delete_engagement(map_name, engagement_id)
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


@cli.command("movers")
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

    from .tracking import tracking_frames
    from .tracking.history import movers

    with open_store(db) as store:
        frames = tracking_frames(store, resolve_map(store, map_name))
    moved = movers(frames.people, frames.history, frames.engagements, start=parse_date(since, "--since"),
                   end=parse_date(until, "--until") or date.today())
    if department:
        moved = moved[moved["department"] == department]
    emit(iso_dates(moved), fmt, key="movers")


@cli.group("milestones")
def milestones_group() -> None:
    """Targets for buy-in per department or organisation-wide: add, list, delete."""


def parse_target(text: str) -> float:
    """``"60%"``, ``"60"`` or ``"0.6"`` → 0.6."""
    value = text.strip()
    try:
        number = float(value.rstrip("%"))
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a share (e.g. 60% or 0.6)", param_hint="--target") from None
    if value.endswith("%") or number > 1:
        number /= 100
    if not 0 < number <= 1:
        raise click.BadParameter(f"{text!r}: a target is a share above 0 and at most 100%", param_hint="--target")
    return number


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
    from .tracking.milestones import milestone_label

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
                                           min_stance=stance, label=label)
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
    from .tracking.milestones import milestone_label

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
        store.delete_milestone(map_name, milestone_id)
    click.echo(f"Deleted milestone {milestone_id}.")


@cli.command("progress")
@db_option
@analysis_map_option
@as_of_option
@weeks_option
@champions_ids_option
@format_option
@handle_errors
def progress_command(db, map_name, as_of, weeks, champion_ids, fmt) -> None:
    """Milestone progress and status, and per department the stance mix now and at each milestone date."""
    from .tracking import tracking_frames
    from .tracking.milestones import progress_report

    with open_store(db) as store:
        name = resolve_map(store, map_name)
        f = tracking_frames(store, name)
    report = progress_report(f.milestones, f.people, f.history, f.engagements, as_of=parse_date(as_of, "--as-of"),
                             weeks=weeks, champion_ids=split_ids(champion_ids))
    if fmt == "json":
        click.echo(json.dumps({"map": name, **report}, indent=2, ensure_ascii=False, default=str))
        return
    milestones = pd.DataFrame([{
        "id": m["milestone_id"], "milestone": m["label"], "now": _pct(m["value"]), "target": _pct(m["target"]),
        "trend/week": f"{m['trend_per_week'] * 100:+.1f} pts", "projected": _pct(m["projected"]),
        "due": m["due"], "status": m["status"]} for m in report["milestones"]],
        columns=["id", "milestone", "now", "target", "trend/week", "projected", "due", "status"])
    departments = pd.DataFrame([{
        "department": d["department"], "size": d["size"],
        "supporter+": _pct(d["supporter_or_better"]), "trend/week": f"{d['trend_per_week'] * 100:+.1f} pts",
        "champion engaged": "yes" if d["champion_engaged"] else "no",
        "mix now": ", ".join(f"{k} {v}" for k, v in d["mix"].items() if v),
        "milestones": "; ".join(f"{m['status']} ({_pct(m['target'])} by {m['due']})" for m in d["milestones"]),
    } for d in report["departments"]])
    if fmt == "csv":
        emit(milestones, fmt)
        return
    click.echo(f"Map {name!r} as of {report['as_of']} (trend over the last {report['weeks']} weeks)\n")
    emit(milestones, fmt)
    click.echo("")
    emit(departments, fmt)


@cli.command("next")
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
    from .tracking.next_conversations import next_conversations

    with open_store(db) as store:
        name = resolve_map(store, map_name)
        G = store.graph(name, kinds=list(kinds) or None)
        events = store.engagements(name)
    table = next_conversations(G, k=k, blockers=blockers, department=department,
                               carriers=split_ids(carriers) or None, engagements=events, model=model, p=p,
                               receptiveness=parse_receptiveness(receptiveness), seed=seed)
    if fmt == "json":
        click.echo(json.dumps({"map": name, "seed": seed, "model": model, "next": records(iso_dates(table))},
                              indent=2, ensure_ascii=False, default=str))
        return
    if fmt == "table":
        table = pd.DataFrame({
            "rank": table["rank"], "id": table["id"], "name": table["name"], "department": table["department"],
            "stance": table["stance"], "adds": table["gain"].round(1),
            "blocker": ["yes" if b else "" for b in table["blocker"]],
            "best messenger (chain)": table["path_names"], "chance": [_pct(v) for v in table["path_probability"]],
            "insider": table["insider"].fillna(""),
            "last talked": [d.isoformat() if hasattr(d, "isoformat") else "" for d in table["last_engaged"]],
        })
    else:
        table = table.assign(path=[" > ".join(p_) for p_ in table["path"]],
                             gain_by_department=[json.dumps(g, ensure_ascii=False)
                                                 for g in table["gain_by_department"]])
    emit(iso_dates(table), fmt, key="next")


@cli.command("rotation")
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

    from .export import write_files
    from .tracking import tracking_frames
    from .tracking.milestones import department_gaps
    from .tracking.rotation import parse_quarter, plan_rotation, read_team, rotation_csv, rotation_ics

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
        name = resolve_map(store, map_name)
        f = tracking_frames(store, name)
    gaps = department_gaps(f.milestones, f.people, f.history, f.engagements,
                           as_of=parse_date(as_of, "--as-of"))
    plan = plan_rotation(team, gaps, quarter, visits=visits, extra_visits=extra_visits, per_visit=per_visit,
                         seed=seed)
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


@cli.command("brief")
@db_option
@analysis_map_option
@click.option("--department", required=True, help="The department to brief on.")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write (self-contained; prints on one page).")
@as_of_option
@weeks_option
@champions_ids_option
@seed_option
@handle_errors
def brief_command(db, map_name, department, out_file, as_of, weeks, champion_ids, seed) -> None:
    """Write a one-page HTML briefing on a department for a meeting."""
    from .tracking import tracking_frames
    from .tracking.brief import department_brief

    with open_store(db) as store:
        name = resolve_map(store, map_name)
        f = tracking_frames(store, name)
        G = store.graph(name)
    page = department_brief(G, department, history=f.history, engagements=f.engagements, milestones=f.milestones,
                            champion_ids=split_ids(champion_ids), as_of=parse_date(as_of, "--as-of"),
                            weeks=weeks, map_name=name, seed=seed)
    path = Path(out_file)
    if path.parent != Path(""):
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    click.echo(f"Wrote {path} ({len(page.encode('utf-8')) // 1024 + 1} KB): brief on {department} "
               f"in map {name!r}.")


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
