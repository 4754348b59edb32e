"""Benchmark: the file size of a map's version history, and the time to compare two versions.

A synthetic organisation (default 3,000 people, ~33,000 ties, with e-mail and
notes columns) is imported, then re-imported 19 times with small changes each
time, as a change manager's monthly re-export would bring: a few people leave
(with their ties) and a few join (with new ties), about 1% of stances move,
a few roles or departments change, and a few dozen ties come or go. The
DuckDB file size is printed after each import, beside the size after one
import, and at the end beside the same 20 files kept as 20 full copies (20
maps), the cost the versions avoid. Then the time of ``map_changes`` (the
latest against the one before, and the last against the first). Run with
``python -m bench.bench_versions`` (``--people``, ``--imports``).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from stakeholder_map import schema as s
from stakeholder_map.ingest import read_map
from stakeholder_map.store import Store
from stakeholder_map.synthetic import synthetic_organisation
from stakeholder_map.tracking.changes import map_changes

STANCES = list(s.STANCES)


def _with_contacts(people: pd.DataFrame) -> pd.DataFrame:
    out = people.copy()
    out["email"] = [f"person.{i}@example.org" for i in out["id"]]
    out["notes"] = [f"Works on the rollout in {d}; met the team at the kick-off" if k % 4 == 0 else ""
                    for k, d in enumerate(out["department"])]
    return out


def next_version(people: pd.DataFrame, ties: pd.DataFrame, step: int, rng: np.random.Generator,
                 churn: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The organisation a month later: ``churn`` leave and join, ~1% of stances move, a few moves and ties."""
    people, ties = people.copy(), ties.copy()
    leaving = set(rng.choice(people["id"][1:], size=churn, replace=False))
    people = people[~people["id"].isin(leaving)].reset_index(drop=True)
    ties = ties[~ties["source"].isin(leaving) & ~ties["target"].isin(leaving)]
    departments = sorted(people["department"].unique())
    joiners = pd.DataFrame({
        "id": [f"n{step:02d}{k:03d}" for k in range(churn)], "name": [f"New {step}-{k}" for k in range(churn)],
        "department": rng.choice(departments, size=churn), "role": "Staff", "seniority": "2",
        "stance": rng.choice(STANCES, size=churn), "influence": "2", "interest": "3",
        "email": [f"new.{step}.{k}@example.org" for k in range(churn)], "notes": ""})
    people = pd.concat([people, joiners], ignore_index=True)
    moved = rng.choice(len(people), size=max(1, len(people) // 100), replace=False)
    people.loc[moved, "stance"] = rng.choice(STANCES, size=len(moved))
    shifted = rng.choice(len(people), size=max(1, len(people) // 500), replace=False)
    people.loc[shifted, "department"] = rng.choice(departments, size=len(shifted))
    people.loc[shifted, "role"] = "Lead"
    ids = people["id"].to_numpy()
    dropped = rng.choice(len(ties), size=min(len(ties), 20), replace=False)
    ties = ties.drop(ties.index[dropped])
    fresh = pd.DataFrame({"source": np.concatenate([joiners["id"].repeat(5).to_numpy(), rng.choice(ids, 20)]),
                          "target": rng.choice(ids, size=churn * 5 + 20), "weight": "1", "kind": "advice"})
    fresh = fresh[fresh["source"] != fresh["target"]]
    return people, pd.concat([ties, fresh], ignore_index=True)


def _read(people: pd.DataFrame, ties: pd.DataFrame):
    from io import BytesIO

    return read_map(BytesIO(people.to_csv(index=False).encode()), BytesIO(ties.to_csv(index=False).encode()))


def _used(store: Store) -> float:
    """MB of the file's blocks in use (``pragma_database_size``): the file keeps freed blocks for reuse."""
    store._query("CHECKPOINT")  # the import's rows move from the write-ahead log into blocks
    used, block = store._query("SELECT used_blocks, block_size FROM pragma_database_size()")[0]
    return used * block / 1e6


def _size(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--imports", type=int, default=20)
    parser.add_argument("--churn", type=int, default=5, help="people who leave and join per import")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    people, ties = synthetic_organisation(args.people, seed=args.seed)
    people = _with_contacts(people)
    files = [(people, ties)]
    for step in range(1, args.imports):
        files.append(next_version(*files[-1], step, rng, args.churn))
    print(f"versions benchmark: {len(people):,} people, {len(ties):,} ties, {args.imports} imports "
          f"({args.churn} leave and {args.churn} join, ~1% stances move, "
          f"{max(1, len(people) // 500)} move department, ~{20 + args.churn * 5} ties come or go each time)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "versions.duckdb"
        sizes = []
        for i, (p, t) in enumerate(files, start=1):
            data = _read(p, t)
            start = time.perf_counter()
            with Store(db) as store:
                store.import_map("M", data, replace=i > 1, by="bench")
                seconds = time.perf_counter() - start
                used = _used(store)
            sizes.append(_size(db))
            print(f"  import {i:2d}: {len(p):,} people, {len(t):,} ties, {seconds:.2f} s, file {sizes[-1]:.2f} MB "
                  f"({used:.2f} MB in use, the rest freed blocks DuckDB reuses)")
        with Store(db) as store:
            rows = {table: store._query(f"SELECT count(*) FROM {table}")[0][0]
                    for table in ("stakeholders", "person_versions", "ties", "tie_versions")}
            start = time.perf_counter()
            latest = map_changes(store, "M")
            one_step = time.perf_counter() - start
            start = time.perf_counter()
            whole = map_changes(store, "M", from_version=1)
            all_steps = time.perf_counter() - start
            store.compact()
        compacted = _size(db)
        print(f"  rows: {rows['stakeholders']:,} people and {rows['ties']:,} ties now; "
              f"{rows['person_versions']:,} person rows and {rows['tie_versions']:,} tie-group rows for all versions")
        print(f"  file after 1 import {sizes[0]:.2f} MB, after {len(sizes)} imports {sizes[-1]:.2f} MB "
              f"(+{(sizes[-1] / sizes[0] - 1) * 100:.0f}%), compacted {compacted:.2f} MB "
              f"(+{(compacted / sizes[0] - 1) * 100:.0f}%)")
        copies = Path(tmp) / "copies.duckdb"
        with Store(copies) as store:
            for i, (p, t) in enumerate(files, start=1):
                store.import_map(f"M{i}", _read(p, t))
        print(f"  the same {len(files)} files as {len(files)} full copies (maps): {_size(copies):.2f} MB")
        summary = latest.summary()
        print(f"  changes latest vs previous: {one_step * 1000:.0f} ms ({summary['joined']} joined, "
              f"{summary['left']} left, {summary['changed_people']} changed, {summary['ties_added']} ties added, "
              f"{summary['ties_removed']} removed)")
        wide = whole.summary()
        print(f"  changes last vs first: {all_steps * 1000:.0f} ms ({wide['joined']} joined, {wide['left']} left, "
              f"{wide['changed_people']} changed)")
        return {"first_mb": sizes[0], "last_mb": sizes[-1], "compacted_mb": compacted,
                "copies_mb": _size(copies), "diff_seconds": one_step}


if __name__ == "__main__":
    main()
