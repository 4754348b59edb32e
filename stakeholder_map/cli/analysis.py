"""The analyses of a map: ``analyze``, ``departments``, ``champions``, ``pilot``, ``simulate``."""

from __future__ import annotations

import json

import click
import pandas as pd

from ..presentation.numbers import count, decimal, percent
from ..schema import DEFAULT_DISALLOWED_STANCES
from .exit_codes import handle_errors
from .options import (
    analysis_map_option, db_option, format_option, kind_option, model_options, seed_option,
    with_options,
)
from .output import emit, records
from .parsing import parse_receptiveness, parse_what_ifs, split_ids
from .store_access import open_store, open_workspace


@click.command("analyze")
@db_option
@analysis_map_option
@kind_option
@seed_option
@format_option
@handle_errors
def analyze_command(db, map_name, kinds, seed, fmt) -> None:
    """Metrics and roles for every stakeholder (degree, PageRank, betweenness, constraint, ...)."""
    with open_store(db) as store:
        ws = open_workspace(store, map_name, seed=seed)
    metrics = ws.metrics(kinds)
    methods = dict(metrics.attrs.get("methods", {}))
    if fmt == "table":
        metrics = metrics.assign(roles=[", ".join(r) for r in metrics["roles"]])
    emit(metrics, fmt, key="stakeholders", extra={"methods": methods} if fmt == "json" else None)


@click.command("departments")
@db_option
@analysis_map_option
@kind_option
@seed_option
@format_option
@handle_errors
def departments_command(db, map_name, kinds, seed, fmt) -> None:
    """Per department: size, stance mix, top influencers, brokers into it, blockers, approach."""
    with open_store(db) as store:
        ws = open_workspace(store, map_name, seed=seed)
    profiles = ws.department_profiles(kinds)
    if fmt == "json":
        payload = {
            "departments": profiles,
            "influence_matrix": {"weight": ws.influence_matrix("weight", kinds).to_dict(orient="index"),
                                 "ties": ws.influence_matrix("ties", kinds).to_dict(orient="index")},
            "communities": ws.community_alignment(kinds),
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


@click.command("champions")
@db_option
@analysis_map_option
@kind_option
@click.option("-k", "k", type=click.IntRange(min=0), default=None,
              help="How many champions (default: scaled to the map, one per ten people, at most 5).")
@with_options(model_options)
@click.option("--objective", type=click.Choice(["everyone", "unconvinced"]), default="everyone",
              show_default=True, help="Count every adopter, or only the not yet convinced.")
@click.option("--disallow", default=",".join(DEFAULT_DISALLOWED_STANCES), show_default=True,
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
    from ..presentation.analysis_tables import champion_table

    with open_store(db) as store:
        ws = open_workspace(store, map_name, seed=seed)
    result = ws.champions(
        k, model=model, p=p, objective=objective, disallowed=split_ids(disallow), pin=split_ids(pin),
        exclude=split_ids(exclude), min_per_department=min_per_department, kinds=kinds, epsilon=epsilon,
        receptiveness=parse_receptiveness(receptiveness),
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
    emit(champion_table(result), fmt, key="champions", extra=summary if fmt == "table" else None)


@click.command("pilot")
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
    with open_store(db) as store:
        ws = open_workspace(store, map_name, seed=seed)
    factors = parse_receptiveness(receptiveness)
    pilot = ws.pilot(target_share, department=department, model=model, p=p, max_size=max_size, kinds=kinds,
                     receptiveness=factors)
    ranking = ws.pilot_departments(per_department=per_department, model=model, p=p, kinds=kinds,
                                   receptiveness=factors)
    if fmt == "json":
        click.echo(json.dumps({"pilot": pilot.to_dict(), "departments": records(ranking)},
                              indent=2, ensure_ascii=False, default=str))
        return
    if fmt == "table":
        reached = "reaches" if pilot.reached else "does NOT reach"
        click.echo(f"Smallest pilot: {len(pilot.ids)} people ({', '.join(pilot.names)}) {reached} "
                   f"{percent(target_share)} of {department or 'the organisation'}: expected "
                   f"{decimal(pilot.expected_spread)} people ({percent(pilot.share)}).")
        click.echo("\nWhere to start (expected spread beyond the department from its best champions):")
    emit(ranking.assign(champions=[", ".join(c) for c in ranking["champions"]]), fmt, key="departments")


@click.command("simulate")
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
    overrides = parse_what_ifs(what_ifs)
    with open_store(db) as store:
        ws = open_workspace(store, map_name, seed=seed)
    sim = ws.simulation(split_ids(seed_ids), overrides=overrides, steps=steps, runs=runs, model=model, p=p,
                        kinds=kinds, receptiveness=parse_receptiveness(receptiveness))
    total = sim.total.to_dict()
    if fmt == "table":
        click.echo(f"Expected adopters: {decimal(total['mean'])} (95% CI {decimal(total['ci_low'])}-"
                   f"{decimal(total['ci_high'])}, {count(total['runs'])} runs)")
    emit(sim.curves, fmt, key="curves", extra={"total": total, "seeds": split_ids(seed_ids),
                                                "model": model, "seed": seed} if fmt == "json" else None)
