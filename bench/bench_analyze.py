"""Benchmark: analyse synthetic organisations of 2k, 20k and 100k people.

Times, per size: building the networkx graph from typed frames
(``build_graph``), the full :func:`stakeholder_metrics` with a per-metric
breakdown (from ``df.attrs["seconds"]``), and the department views
(``department_profiles``, ``influence_matrix``, ``community_alignment``).
Target (issue 3): the analysis of 20k people (metrics + department profiles)
in at most 10 s. Run with ``python -m bench.bench_analyze`` (``--sizes 2000
20000`` to choose sizes). Wall times on a shared machine vary; the load
average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import time

import pandas as pd

from stakeholder_map import schema as s
from stakeholder_map.analysis.centrality import stakeholder_metrics
from stakeholder_map.analysis.departments import community_alignment, department_profiles, influence_matrix
from stakeholder_map.graph import build_graph
from stakeholder_map.synthetic import synthetic_organisation

TARGET_PEOPLE = 20_000
TARGET_SECONDS = 10.0
DEFAULT_SIZES = (2_000, 20_000, 100_000)


def typed_frames(n: int, ties_per_person: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A synthetic organisation with the column types ``ingest.read_map`` gives."""
    people, ties = synthetic_organisation(n, ties_per_person=ties_per_person, seed=seed)
    people = people.assign(**{
        s.STANCE: people[s.STANCE].map(lambda w: s.STANCES.get(w)).astype(object),
        **{c: people[c].astype("Int64") for c in (s.SENIORITY, s.INFLUENCE, s.INTEREST)},
    })
    return people, ties.assign(**{s.WEIGHT: ties[s.WEIGHT].astype(float)})


def run(n: int, *, ties_per_person: float = 10.0, seed: int = 0) -> dict:
    """Time one size; returns the figures."""
    people, ties = typed_frames(n, ties_per_person, seed)
    start = time.perf_counter()
    G = build_graph(people, ties)
    build = time.perf_counter() - start

    start = time.perf_counter()
    metrics = stakeholder_metrics(G, seed=seed)
    metrics_s = time.perf_counter() - start
    start = time.perf_counter()
    department_profiles(G, metrics)
    profiles_s = time.perf_counter() - start
    start = time.perf_counter()
    influence_matrix(G)
    matrix_s = time.perf_counter() - start
    start = time.perf_counter()
    community_alignment(G, dict(zip(metrics["id"], metrics["community"])))
    alignment_s = time.perf_counter() - start
    return {
        "people": n, "ties": len(ties), "edges": G.number_of_edges(),
        "build_graph": build, "metrics": metrics_s, "profiles": profiles_s,
        "matrix": matrix_s, "alignment": alignment_s,
        "analyze": metrics_s + profiles_s,
        "breakdown": dict(metrics.attrs["seconds"]),
        "betweenness": metrics.attrs["methods"]["betweenness"],
    }


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES),
                        help="numbers of people (default: 2000 20000 100000)")
    parser.add_argument("--ties-per-person", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"analyze benchmark: synthetic organisations, ~{args.ties_per_person:g} ties per person, "
          f"seed {args.seed}; {os.cpu_count()} cores, load average {load:.1f} at start")
    results = []
    for n in args.sizes:
        results.append(run(n, ties_per_person=args.ties_per_person, seed=args.seed))

    print()
    print(f"{'people':>8} {'ties':>10} {'edges':>10} {'build_graph':>12} {'metrics':>8} {'profiles':>9} "
          f"{'analyze':>8} {'matrix':>7} {'alignment':>10}")
    for r in results:
        print(f"{r['people']:>8,} {r['ties']:>10,} {r['edges']:>10,} {r['build_graph']:>11.2f}s "
              f"{r['metrics']:>7.2f}s {r['profiles']:>8.2f}s {r['analyze']:>7.2f}s "
              f"{r['matrix']:>6.2f}s {r['alignment']:>9.2f}s")
    print("(analyze = stakeholder_metrics + department_profiles; build_graph is separate)")

    print()
    steps = list(results[0]["breakdown"]) if results else []
    print("stakeholder_metrics breakdown (s)")
    print(f"{'step':<26}" + "".join(f"{r['people']:>10,}" for r in results))
    for step in steps:
        print(f"{step:<26}" + "".join(f"{r['breakdown'].get(step, float('nan')):>10.2f}" for r in results))
    print()
    for r in results:
        print(f"betweenness at {r['people']:,}: {r['betweenness']}")

    target = [r for r in results if r["people"] == TARGET_PEOPLE]
    if target:
        verdict = "meets" if target[0]["analyze"] <= TARGET_SECONDS else "MISSES"
        print(f"\ntarget: analyze {TARGET_PEOPLE:,} people in <= {TARGET_SECONDS:g} s: "
              f"{target[0]['analyze']:.2f} s, {verdict} it")
    return results


if __name__ == "__main__":
    main()
