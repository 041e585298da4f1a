"""``python -m benchmarks [NAME…] [--scale district|city] [--quick]``: run benchmarks, print a table, keep the figures.

Each figure has its target and pass/miss; the run is written to ``benchmarks/results/latest.json``.
Without names, every benchmark runs. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness import Run, ServerProcess, at_most

RESULTS = Path(__file__).resolve().parent / "results"


# ---------------------------------------------------------------- the existing scripts, as benchmarks

def import_speed(run: Run) -> None:
    """A year of the scale's execution rows through ``import execution``, against raw executemany."""
    from benchmarks import import_speed as script

    lines = script.LINES[run.scale]
    if run.quick:
        lines = min(lines, 3_000)
    found = script.measure(lines)
    run.add("rows", found["rows"], "rows", note=f"{lines:,} lines × 12 months ({run.scale}-year)")
    run.add("import rows/s", found["rows"] / found["imported"], "rows/s")
    run.add("ratio import / raw executemany", found["imported"] / found["raw"], "×",
            note="into a bare table; no target in issue 11")
    run.add("ratio import / schema floor", found["imported"] / found["floor"], "×",
            note="the same rows and a changelog entry each, raw, into the prepared database with its indexes")


def review_speed(run: Run) -> None:
    """A full automatic review of the scale's replica (median of 5)."""
    from benchmarks import review_speed as script

    replica = script.replica_of(run.demo_database(), run.folder / "review" / "replica.sqlite", script.STAFF[run.scale])
    found = script.measure(replica, run.scale)
    run.add("full review (median)", found["review_ms"], "ms", at_most(1000),
            note=f"{found['lines']:,} lines, {found['executions']:,} executions")
    run.add("  before the rules (median)", found["context_ms"], "ms", note="as-of, places")
    for rule, ms in sorted(found["rules"].items(), key=lambda item: -item[1])[:3]:
        run.add(f"  rule {rule} (median)", ms, "ms")


def desktop_responsiveness(run: Run) -> None:
    """Offscreen desktop: first sync of a district deputy, longest event-loop pause, panel fills after it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from benchmarks import desktop_responsiveness as script
    from sync.server.demo import PASSWORDS

    with ServerProcess.district(run.demo_database("district")) as server:
        found = script.main(server.url, "deputy01", PASSWORDS["deputy"])
    run.add("first sync (deputy01)", found["first_sync_s"], "s")
    run.add("longest event-loop pause during sync", found["longest_gap_ms"], "ms", at_most(100))
    for name, ms in found["panels"].items():
        run.add(f"panel {name} first fill", ms, "ms", at_most(100))
    if found["year_changes"]:
        run.add("year change (slowest)", max(found["year_changes"]), "ms", at_most(100))


def _in(module: str, name: str | None = None) -> Callable[[Run], None]:
    """The benchmark function ``name`` (default: the module's name) of ``benchmarks.<module>``, imported when run."""
    def benchmark(run: Run) -> None:
        getattr(importlib.import_module(f"benchmarks.{module}"), name or module)(run)
    return benchmark


def snapshot_bootstrap(run: Run) -> None:
    """A new PC's first sync through the snapshot, against wire + apply limits (benchmarks/snapshot_bootstrap.py)."""
    from benchmarks import snapshot_bootstrap as script

    script.snapshot_bootstrap(run)


def _sync(name: str) -> Callable[[Run], None]:
    return _in("sync_speed", name)


BENCHMARKS: dict[str, Callable[[Run], None]] = {
    "initial_sync": _sync("initial_sync"),
    "noop_sync": _sync("noop_sync"),
    "pull_page_server": _sync("pull_page_server"),
    "incremental_sync": _in("incremental_sync"),
    "weak_link": _in("weak_link"),
    "server_load": _in("server_load"),
    "snapshot_bootstrap": snapshot_bootstrap,
    "import_speed": import_speed,
    "review_speed": review_speed,
    "desktop_responsiveness": desktop_responsiveness,
    "desktop_start": _in("desktop_start"),
}


# ---------------------------------------------------------------- the table

def table(run: Run) -> str:
    rows = [("benchmark", "figure", "value", "target", "result", "note")]
    for f in run.figures:
        result = "" if f.passed is None else "pass" if f.passed else "MISS"
        rows.append((f.benchmark, f.name, f.shown(), f.target, result, f.note))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[i].ljust(widths[i]) for i in range(5)]
        lines.append(f"| {' | '.join(cells)} | {row[5]} |")
        if n == 0:
            lines.append(f"|{'|'.join('-' * (w + 2) for w in widths)}|---|")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"any of: {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--scale", choices=("district", "city"), default="district")
    parser.add_argument("--quick", action="store_true", help="smaller inputs, a few minutes in all")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    run = Run(scale=args.scale, quick=args.quick)
    started = time.perf_counter()
    failed: dict[str, str] = {}
    timings: dict[str, float] = {}
    try:
        for name in args.names or list(BENCHMARKS):
            print(f"== {name} ({run.scale}{', quick' if run.quick else ''})", file=sys.stderr, flush=True)
            run.current = name
            began = time.perf_counter()
            try:
                BENCHMARKS[name](run)
            except Exception as exc:  # one broken benchmark must not lose the others' figures
                traceback.print_exc()
                failed[name] = f"{type(exc).__name__}: {exc}"
            timings[name] = round(time.perf_counter() - began, 1)
    finally:
        from benchmarks import sync_speed

        sync_speed.close_shared()
        run.close()
    print(table(run))
    for name, why in failed.items():
        print(f"FAILED {name}: {why}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps({
        "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "scale": run.scale, "quick": run.quick,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "seconds": round(time.perf_counter() - started, 1), "benchmark_seconds": timings, "failed": failed,
        "figures": [vars(f) for f in run.figures],
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    misses = sum(f.passed is False for f in run.figures)
    print(f"{len(run.figures)} figures, {misses} missed, {len(failed)} failed; "
          f"{time.perf_counter() - started:.0f} s → {RESULTS / 'latest.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
