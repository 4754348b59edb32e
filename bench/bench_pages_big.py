"""Benchmark: every page of the dashboard on a big organisation, in a real browser.

Issue 6 asks that the dashboard stay usable at 100,000 people: the Map opens
on its department overview (drawn from the store, without the graph) while the
server builds the graph, scores it and picks the champions in a background
thread; the other pages then start from those results. This measures, on a
server that has just come up (headless Chromium, as ``bench_map_paint``):

* **map first paint**: navigation to the drawn department overview;
* **prepared**: navigation until the background note is gone (graph,
  metrics and champions done);
* **first visit / again**: for each page, from the click in the sidebar to
  the page finished (script idle, no spinner), the first time (its own
  analyses computed) and once more (cached);
* **server peak memory** after all that (target: at most 4 GB).

Run: ``python -m bench.bench_pages_big [--people 100000]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench.bench_map_paint import CHROMIUM, CHROMIUM_ARGS, _fill, _idle, _paint, _start

PAGES = ("Champions", "Audience", "Simulate", "Engagement", "Data", "Method", "Map")


def _peak_mb(pid: int) -> float:
    """The process's peak resident memory (Linux ``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _visit(page, name: str) -> float:
    start = time.perf_counter()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
    page.wait_for_timeout(300)  # the click's rerun has started
    _idle(page)
    if page.get_by_test_id("stException").count():
        raise RuntimeError(f"{name} page shows an exception")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"pages benchmark: skipped, no Chromium at {CHROMIUM}")
        return {}
    from playwright.sync_api import sync_playwright

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"pages benchmark: {args.people:,} people, headless Chromium, {os.cpu_count()} cores, "
          f"load average {load}; seconds")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        folder = Path(tmp)
        db = folder / "big.duckdb"
        _fill(db, str(args.people))
        process, url, _ = _start(db, folder / "streamlit.log")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            first, page, context = _paint(browser, url)
            start = time.perf_counter() - first
            page.set_default_timeout(600_000)
            page.wait_for_function("() => !document.body.innerText.includes('in the background')")
            prepared = time.perf_counter() - start
            print(f"map first paint {first:.2f}; prepared in the background after {prepared:.2f}")
            visits = {name: [_visit(page, name)] for name in PAGES}
            for name in PAGES:
                visits[name].append(_visit(page, name))
            print(f"{'page':<12}{'first visit':>12}{'again':>8}")
            for name, (once, again) in visits.items():
                print(f"{name:<12}{once:12.2f}{again:8.2f}")
            peak = _peak_mb(process.pid)
            print(f"server peak memory {peak:,.0f} MB (target <= 4096)")
            context.close()
        finally:
            browser.close()
            process.terminate()
            process.wait(timeout=20)
    return {"first": first, "prepared": prepared, "visits": visits, "peak_mb": peak}


if __name__ == "__main__":
    main()
