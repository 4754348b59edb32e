"""Benchmark: champion quality and speed against influence-maximisation peers.

One command prints, for each graph family, size and diffusion model, the
table of issue 12: method, pick time, expected spread, % of the best pick.

Graph families (seeded, generated here, no project code involved):

* ``block``: directed block graph, blocks of 200 people (the departments),
  Poisson out-degree 10, 80 % of ties inside the block;
* ``scale-free``: Barabási–Albert, m = 5, every tie made bidirectional;
* ``--edges FILE``: a real graph as a whitespace-separated edge list (for
  example SNAP's ``email-Eu-core.txt``), read as directed.

Models: weighted cascade (``wc``), independent cascade with p = 0.05
(``ic``) and linear threshold (``lt``); k = 10, ε = 0.1, no stance barred.

Methods:

* ours: :func:`select_champions` end to end from the compiled graph
  (OPIM-C, then the best of a small candidate portfolio);
* pynetim's IMM, ε = 0.1 (Tang, Shi & Xiao 2015; C++), and pynetim's
  OPIM-C when the installed version has it; their graph load is *not*
  counted in their time (that favours them);
* top PageRank on the reversed graph, degree discount (Chen et al. 2009),
  top out-degree;
* with ``--celf``, CELF on cynetdiff's cascades (ic/wc only; slow).

Every seed set is scored by one common Monte Carlo estimator, our
:func:`expected_spread` with ``--runs`` cascades (10,000) and a fixed seed,
and "% of best" is against the best of all methods in the cell. Times are
wall-clock seconds on whatever this machine gives (the development machine
has 2 cores shared with other work: compare rows, not absolute numbers).
Peers run in a child process and are stopped after ``--timeout`` seconds.

Targets (issue 12): ours ≥ 99 % of the best in every cell, and ≥ 20×
faster than pynetim's IMM.

Measured (helper-champions branch, 20,000 people, 10,000 cascades per set;
the 2-core machine ran at load average 7–9 from other jobs, so pick times
are 3–10× an idle machine's, and pynetim was still compiling, so no IMM
column): ours / best of the heuristics, winner, pick time —
block wc 99.6 % (PageRank-reversed won; ours is that same group, the
0.4 % is the estimator's ordering noise) 16.9 s; block ic 100 % (degree
discount) 3.0 s; block lt 100 % (PageRank) 5.4 s; scale-free wc 100 %
(OPIM-C greedy) 3.8 s; scale-free ic 100 % (degree discount) 3.7 s;
scale-free lt 100 % (greedy) 6.0 s. Certified ratios, recomputed on fresh
sets for the group returned: 0.59–0.75.

Run: ``python -m bench.bench_champions`` (sizes 20,000 and 100,000),
``--quick`` (2,000 and 5,000), or ``--sizes``/``--families``/``--models``.
The peers are benchmark-only: ``pip install -r bench/requirements.txt``.
"""

from __future__ import annotations

import argparse
import array
import dataclasses
import heapq
import multiprocessing as mp
import os
import random
import time
from pathlib import Path

import numpy as np
import pandas as pd

from stakeholder_map.analysis.candidates import degree_discount_group
from stakeholder_map.analysis.champions import select_champions
from stakeholder_map.analysis.diffusion import DiffusionGraph, diffusion_graph_from_frames
from stakeholder_map.analysis.simulation import expected_spread

MODELS = {"wc": 0.1, "ic": 0.05, "lt": 0.1}   # model -> p (used by ic only)


# --------------------------------------------------------------------------
# Graph families


def _frames(n: int, src: np.ndarray, dst: np.ndarray, block: int = 200):
    ids = np.char.add("p", np.arange(n).astype(str))
    people = pd.DataFrame({"id": ids, "name": ids,
                           "department": np.char.add("d", (np.arange(n) // block).astype(str))})
    ties = pd.DataFrame({"source": ids[src], "target": ids[dst], "weight": 1.0})
    return people, ties


def block_graph(n: int, seed: int = 0, block: int = 200, degree: float = 10.0,
                inside: float = 0.8) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Directed block graph: Poisson out-degree, ``inside`` of the ties within the block."""
    rng = np.random.default_rng(seed)
    src = np.repeat(np.arange(n), rng.poisson(degree, n))
    lo = (src // block) * block
    hi = np.minimum(lo + block, n)
    own = rng.random(len(src)) < inside
    dst = np.where(own, lo + (rng.random(len(src)) * (hi - lo)).astype(np.int64),
                   rng.integers(0, n, len(src)))
    keep = dst != src
    pairs = np.unique(np.stack([src[keep], dst[keep]], 1), axis=0)
    return _frames(n, pairs[:, 0], pairs[:, 1], block)


def scale_free_graph(n: int, seed: int = 0, m: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Barabási–Albert preferential attachment, every tie in both directions."""
    rng = random.Random(seed)
    targets, pool, src, dst = list(range(m)), [], [], []
    for v in range(m, n):
        for t in set(targets):
            src.append(v)
            dst.append(t)
        pool.extend(targets)
        pool.extend([v] * m)
        chosen: set[int] = set()
        while len(chosen) < m:
            chosen.add(rng.choice(pool))
        targets = list(chosen)
    a, b = np.array(src), np.array(dst)
    return _frames(n, np.concatenate([a, b]), np.concatenate([b, a]))


def edge_list_graph(path: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A directed edge list (two integer columns; ``#`` comments), self-loops dropped."""
    edges = np.loadtxt(path, dtype=np.int64, comments="#", ndmin=2)[:, :2]
    nodes, inverse = np.unique(edges, return_inverse=True)
    pairs = np.unique(inverse.reshape(-1, 2), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return _frames(len(nodes), pairs[:, 0], pairs[:, 1])


FAMILIES = {"block": block_graph, "scale-free": scale_free_graph}


# --------------------------------------------------------------------------
# Peers (run in a child process so a slow one can be stopped)


def _pynetim(dg: DiffusionGraph, k: int, epsilon: float, seed: int, algorithm: str) -> dict:
    import pynetim

    src = np.repeat(np.arange(dg.n), np.diff(dg.out_ptr))
    start = time.perf_counter()
    graph = pynetim.IMGraph(list(zip(src.tolist(), dg.out_dst.tolist())),
                            weights=dg.out_prob.tolist(), directed=True, renumber=True)
    loaded = time.perf_counter()
    model = "LT" if dg.is_lt else "IC"
    cls = getattr(pynetim, algorithm)
    if algorithm == "OPIMCAlgorithm":   # pynetim 0.5: epsilon goes to run(), not the constructor
        seeds = cls(graph, model=model, random_seed=seed).run(k, epsilon)
    else:
        seeds = cls(graph, model=model, epsilon=epsilon, l=1, random_seed=seed).run(k)
    done = time.perf_counter()
    back = graph.internal_to_original
    return {"ids": [dg.ids[back[s]] for s in seeds], "seconds": done - loaded,
            "load": loaded - start}


def _celf_cynetdiff(dg: DiffusionGraph, k: int, trials: int, seed: int, budget: float) -> dict:
    from cynetdiff.models import IndependentCascadeModel

    start = time.perf_counter()
    model = IndependentCascadeModel(
        array.array("I", dg.out_ptr[:-1].astype(np.uint32).tobytes()),
        array.array("I", dg.out_dst.astype(np.uint32).tobytes()),
        activation_probs=array.array("f", dg.out_prob.astype(np.float32).tobytes()),
        rng=seed,
    )
    loaded = time.perf_counter()
    probe = np.random.default_rng(seed).choice(dg.n, size=min(dg.n, 50), replace=False)
    t0 = time.perf_counter()
    for v in probe.tolist():
        model.compute_marginal_gains([], [v], trials)
    estimate = (time.perf_counter() - t0) / len(probe) * dg.n
    if estimate > budget:
        return {"skipped": f"first CELF pass alone estimated at {estimate:.0f} s > {budget:.0f} s"}
    t0 = time.perf_counter()
    heap = [(-model.compute_marginal_gains([], [v], trials)[1], v) for v in range(dg.n)]
    heapq.heapify(heap)
    _, best = heapq.heappop(heap)
    chosen = [best]
    while len(chosen) < k and heap:
        while True:
            _, v = heapq.heappop(heap)
            fresh = -model.compute_marginal_gains(chosen, [v], trials)[1]
            if not heap or fresh <= heap[0][0]:
                chosen.append(v)
                break
            heapq.heappush(heap, (fresh, v))
    done = time.perf_counter()
    return {"ids": [dg.ids[v] for v in chosen], "seconds": done - t0, "load": loaded - start}


def _child(conn, fn, args):
    try:
        conn.send(fn(*args))
    except Exception as e:  # report, never crash the benchmark
        conn.send({"skipped": f"{type(e).__name__}: {e}"})
    finally:
        conn.close()


def _run_peer(fn, args, timeout: float) -> dict:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args))
    start = time.perf_counter()
    proc.start()
    child.close()
    if parent.poll(timeout):
        result = parent.recv()
        proc.join()
        return result
    proc.kill()
    proc.join()
    return {"skipped": f"no answer within {timeout:.0f} s (stopped after "
                       f"{time.perf_counter() - start:.0f} s)"}


def _installed(name: str) -> str | None:
    try:
        __import__(name)
        return None
    except ImportError:
        return f"{name} not installed (pip install -r bench/requirements.txt)"


# --------------------------------------------------------------------------
# Heuristic baselines (timed from a fresh copy of the graph: no cached PageRank)


def _fresh(dg: DiffusionGraph) -> DiffusionGraph:
    return dataclasses.replace(dg)


def _top_pagerank(dg: DiffusionGraph, k: int) -> list[str]:
    order = np.lexsort((np.arange(dg.n), -dg.pagerank))
    return [dg.ids[i] for i in order[:k]]


def _top_degree(dg: DiffusionGraph, k: int) -> list[str]:
    order = np.lexsort((np.arange(dg.n), -dg.out_weight, -dg.out_degree))
    return [dg.ids[i] for i in order[:k]]


def _degree_discount(dg: DiffusionGraph, k: int) -> list[str]:
    picks = degree_discount_group(dg, k, np.ones(dg.n, np.uint8), np.zeros(0, np.int32),
                                  np.zeros(len(dg.department_names), np.int64))
    return [dg.ids[i] for i in picks.tolist()]


def _compile_time() -> tuple[float, bool]:
    here = Path(__file__).resolve().parents[1] / "stakeholder_map" / "analysis" / "__pycache__"
    cached = any(here.glob("_kernels.*.nbi"))
    people, ties = block_graph(400, seed=1)
    start = time.perf_counter()
    for model, p in MODELS.items():
        dg = diffusion_graph_from_frames(people, ties, model=model, p=p)
        select_champions(dg, 2, model=model, p=p, seed=0, disallowed_stances=())
        expected_spread(dg, dg.ids[:2], model=model, p=p, runs=10, seed=0)
    return time.perf_counter() - start, cached


# --------------------------------------------------------------------------


def _cell(dg: DiffusionGraph, model: str, p: float, args) -> dict:
    """All methods on one graph and model; every seed set scored the same way."""
    rows = []
    for name, fn in (("top PageRank, reversed graph", _top_pagerank),
                     ("degree discount", _degree_discount),
                     ("top out-degree", _top_degree)):
        copy = _fresh(dg)
        t0 = time.perf_counter()
        ids = fn(copy, args.k)
        rows.append({"method": name, "seconds": time.perf_counter() - t0, "ids": ids, "note": ""})

    copy = _fresh(dg)
    t0 = time.perf_counter()
    ours = select_champions(copy, args.k, model=model, p=p, epsilon=args.epsilon, seed=args.seed,
                            disallowed_stances=())
    pick = time.perf_counter() - t0
    rows.insert(0, {"method": "Stakeholder Map", "seconds": pick, "ids": ours.ids,
                    "note": f"certified {ours.certified_ratio:.2f}, {ours.samples:,} RR sets, "
                            f"picked: {ours.picked_by}"})

    missing = _installed("pynetim")
    algorithms = [("pynetim IMM", "IMMAlgorithm")]
    if not missing:
        import pynetim
        if hasattr(pynetim, "OPIMCAlgorithm"):
            algorithms.append(("pynetim OPIM-C", "OPIMCAlgorithm"))
    for name, cls in algorithms:
        res = ({"skipped": missing} if missing else
               _run_peer(_pynetim, (dg, args.k, args.epsilon, args.seed, cls), args.timeout))
        if "skipped" in res:
            rows.append({"method": name, "seconds": None, "ids": None,
                         "note": f"skipped ({res['skipped']})"})
        else:
            rows.append({"method": name, "seconds": res["seconds"], "ids": res["ids"],
                         "note": f"ε = {args.epsilon}; graph load {res['load']:.2f} s not counted"})
    if args.celf and not dg.is_lt:
        missing = _installed("cynetdiff")
        res = ({"skipped": missing} if missing else
               _run_peer(_celf_cynetdiff, (dg, args.k, args.celf_trials, args.seed, args.timeout),
                         args.timeout))
        rows.append({"method": "cynetdiff CELF", "seconds": res.get("seconds"),
                     "ids": res.get("ids"), "note": res.get("skipped", "")})

    for row in rows:
        row["estimate"] = (expected_spread(dg, row["ids"], model=model, p=p, runs=args.runs,
                                           seed=12345) if row["ids"] else None)
    best = max(r["estimate"].mean for r in rows if r["estimate"] is not None)
    imm = next((r for r in rows if r["method"] == "pynetim IMM" and r["estimate"]), None)
    return {"rows": rows, "best": best, "ours": rows[0], "pick": pick, "result": ours,
            "speedup": imm["seconds"] / pick if imm else None}


def _print_cell(title: str, cell: dict) -> None:
    print(f"\n{title}")
    print(f"| {'method':<28} | {'pick time':>9} | {'expected spread':>21} | {'of best':>7} | notes")
    print(f"|{'-' * 30}|{'-' * 11}|{'-' * 23}|{'-' * 9}|------")
    for r in cell["rows"]:
        t = f"{r['seconds']:8.2f}s" if r["seconds"] is not None else f"{'—':>9}"
        est = r["estimate"]
        if est is None:
            spread, share = f"{'—':>21}", f"{'—':>7}"
        else:
            spread = f"{est.mean:>11,.1f} ± {(est.ci_high - est.ci_low) / 2:>7.1f}"
            share = f"{est.mean / cell['best']:>7.1%}"
        print(f"| {r['method']:<28} | {t} | {spread} | {share} | {r['note']}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,100000", help="comma-separated graph sizes")
    parser.add_argument("--quick", action="store_true", help="sizes 2,000 and 5,000, 2,000 cascades")
    parser.add_argument("--families", default=",".join(FAMILIES),
                        help=f"comma-separated, of {', '.join(FAMILIES)}")
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated, of wc, ic, lt")
    parser.add_argument("--edges", default=None,
                        help="also run on this directed edge list (e.g. SNAP email-Eu-core.txt)")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--epsilon", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=10_000,
                        help="Monte Carlo cascades scoring each seed set")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per peer run")
    parser.add_argument("--celf", action="store_true", help="also run CELF on cynetdiff (slow)")
    parser.add_argument("--celf-trials", type=int, default=200,
                        help="cascades per marginal-gain estimate in CELF")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs = "2000,5000", min(args.runs, 2000)
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    models = [m for m in args.models.split(",") if m.strip()]
    graphs = [(fam, n) for fam in args.families.split(",") if fam.strip() for n in sizes]
    if args.edges:
        graphs.append((Path(args.edges).name, None))

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"champions benchmark: k = {args.k}, ε = {args.epsilon}, every seed set scored by "
          f"{args.runs:,} cascades; {os.cpu_count()} cores (load average {load:.1f} at start; "
          f"shared machine, times are indicative)")
    compile_s, cached = _compile_time()
    print(f"numba kernels: first calls {compile_s:.2f} s "
          f"({'loaded from the on-disk cache' if cached else 'compiled; cached for next time'})")

    summary = []
    for fam, n in graphs:
        people, ties = edge_list_graph(args.edges) if n is None else FAMILIES[fam](n, seed=args.seed)
        for model in models:
            p = MODELS[model]
            dg = diffusion_graph_from_frames(people, ties, model=model, p=p)
            cell = _cell(dg, model, p, args)
            what = f"ic p = {p}" if model == "ic" else model
            _print_cell(f"{fam}, {dg.n:,} people, {dg.m:,} ties, {what}", cell)
            ours = cell["ours"]["estimate"].mean / cell["best"]
            summary.append((fam, dg.n, what, ours, cell["pick"], cell["speedup"],
                            cell["result"].certified_ratio, cell["result"].picked_by))

    print("\nSummary (targets: ours ≥ 99% of the best; ≥ 20× faster than pynetim IMM)")
    print(f"| {'graph':<12} | {'people':>8} | {'model':<11} | {'ours':>6} | {'pick':>7} | "
          f"{'vs IMM':>7} | certified | picked")
    for fam, n, what, share, pick, speed, ratio, by in summary:
        sp = f"{speed:6.1f}×" if speed else f"{'—':>7}"
        flag = "" if share >= 0.99 else "  < 99%"
        print(f"| {fam:<12} | {n:>8,} | {what:<11} | {share:6.1%} | {pick:6.2f}s | {sp} | "
              f"{ratio:9.2f} | {by}{flag}")
    return {"cells": summary, "compile_seconds": compile_s}


if __name__ == "__main__":
    main()
