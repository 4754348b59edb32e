"""Run every benchmark and print its figures: ``python -m bench`` (``--quick`` for small sizes)."""

from __future__ import annotations

import importlib
import sys

#: Benchmark modules, each with ``main(argv)``; their quick arguments for --quick.
BENCHMARKS = {
    "bench.bench_import": ["--people", "20000", "--repeat", "1"],
    "bench.bench_analyze": ["--sizes", "2000"],
    "bench.bench_champions": ["--quick"],
    "bench.bench_map_paint": ["--sizes", "300"],
    "bench.bench_big": ["--people", "5000"],
    "bench.bench_pages_big": ["--people", "5000"],
    "bench.bench_team": ["--sessions", "2", "--minutes", "0.5"],
    "bench.bench_interactions": ["--rows", "200000", "--people", "20000"],
    "bench.bench_versions": ["--people", "1000", "--imports", "5"],
}


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    only = [a for a in argv if not a.startswith("--")]
    for name, quick_args in BENCHMARKS.items():
        if only and not any(o in name for o in only):
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            print(f"== {name}: not available ({e})")
            continue
        print(f"== {name}")
        module.main(quick_args if quick else [])
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
