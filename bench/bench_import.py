"""Benchmark: import 100k stakeholders and 1M ties from CSV into a new map.

Target (issue 2): ≤ 5 s on a 2-core machine, measured from the CSV files on
disk to the committed DuckDB file (parse + validate + write). Run with
``python -m bench.bench_import`` (``--people`` / ``--ties-per-person`` to vary).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store
from stakeholder_map.synthetic import synthetic_organisation

TARGET_SECONDS = 5.0


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--ties-per-person", type=float, default=9.0,
                        help="9 plus the reports_to hierarchy gives about 1M ties for 100k people")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        people, ties = synthetic_organisation(args.people, ties_per_person=args.ties_per_person, seed=0)
        people.to_csv(folder / "stakeholders.csv", index=False)
        ties.to_csv(folder / "influences.csv", index=False)
        sizes = {f: (folder / f).stat().st_size / 1e6 for f in ("stakeholders.csv", "influences.csv")}
        print(f"import benchmark: {len(people):,} stakeholders ({sizes['stakeholders.csv']:.1f} MB), "
              f"{len(ties):,} ties ({sizes['influences.csv']:.1f} MB), {os.cpu_count()} cores")
        runs = []
        for i in range(args.repeat):
            db = folder / f"run{i}.duckdb"
            start = time.perf_counter()
            with open(folder / "stakeholders.csv", "rb") as p, open(folder / "influences.csv", "rb") as t:
                data = read_map(p, t)
            parsed = time.perf_counter()
            with Store(db) as store:
                store.import_map("big", data)
            done = time.perf_counter()
            runs.append((parsed - start, done - parsed, done - start))
            print(f"  run {i + 1}: read+validate {parsed - start:.2f} s, write {done - parsed:.2f} s, "
                  f"total {done - start:.2f} s, file {db.stat().st_size / 1e6:.1f} MB")
        best = min(r[2] for r in runs)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        verdict = "meets" if best <= TARGET_SECONDS else "MISSES"
        print(f"  best total {best:.2f} s ({verdict} the {TARGET_SECONDS:.0f} s target); "
              f"peak memory {peak:.0f} MB")
        return {"best_seconds": best, "peak_mb": peak}


if __name__ == "__main__":
    main()
