"""The desktop on a monitoring-room PC holding a city: start-up, each panel's first fill, resident memory.

The home holds a city staff member's replica (the city demo, five years of seven districts, copied whole:
see :func:`benchmarks.review_speed.replica_of`) and no token, so nothing syncs. Each start is a new process,
``python -m benchmarks.desktop_start HOME SERVER USER`` (offscreen), which runs the product's own entry
point (``desktop.cli.main``, as the ``budgetwatch`` command does) and prints, as JSON, the wall-clock
moment the main window is shown with the panels on screen filled; the parent measures from just before the
spawn, so interpreter start, imports and opening the replica are all inside. The child then fills every
panel once (for the default year and region), waits for the automatic review, and reports its peak RSS.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.harness import ROOT, Run, at_most, best_of

STARTS = 3
NOWHERE = "http://127.0.0.1:9"  # the account's server: never contacted (no token)


def _probe(home: str, server: str, username: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])  # desktop.app.make_application takes this one over
    found: dict[str, object] = {}

    def window_shown() -> None:
        from desktop.main_window import MainWindow

        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        on_screen = windows[0].panels_on_screen() if windows else []
        if not on_screen or any(windows[0].panels[name].last_load_ms is None for name in on_screen):
            QTimer.singleShot(0, window_shown)
            return
        found["shown"] = time.time()
        found["on_screen"] = on_screen
        QTimer.singleShot(0, lambda: fill_panels(windows[0]))

    def fill_panels(window) -> None:
        from desktop.main_window import PANEL_TYPES

        found["panels"] = {}
        for panel_type in PANEL_TYPES:
            window.reload()
            window.raise_panel(panel_type.name)
            panel = window.panels[panel_type.name]
            panel.ensure_loaded()
            found["panels"][panel_type.name] = panel.last_load_ms
        window.raise_panel(PANEL_TYPES[0].name)  # the next start opens on the default layout again
        found["review_done"] = window.review.wait(120_000)
        # Not getrusage's ru_maxrss: Linux keeps that high-water mark across exec, so it reported the benchmark
        # runner's own size (471 MiB in a full city run, 218 MiB when desktop_start ran alone).
        found["peak_rss_mib"] = _peak_rss_mib(os.getpid())
        found["worker_peak_rss_mib"] = sum(_peak_rss_mib(child.pid) for child in multiprocessing.active_children())
        print(json.dumps(found), flush=True)
        app.quit()

    QTimer.singleShot(0, window_shown)
    from desktop.cli import main

    main(["--home", home, "--server", server, "--user", username])


def _start(home: Path, username: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("BUDGETWATCH_PASSWORD", None)
    spawned = time.time()
    done = subprocess.run([sys.executable, "-m", "benchmarks.desktop_start", str(home), NOWHERE, username], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        raise RuntimeError(f"desktop start failed ({done.returncode}): {done.stderr[-2000:]}")
    found = json.loads(lines[-1])
    found["start_s"] = found["shown"] - spawned
    return found


def _import_time() -> float:
    """Spawn to exit of an interpreter that only imports the desktop (best of 3): the part no window needs."""
    def once() -> float:
        spawned = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import desktop.app"], cwd=ROOT, check=True)
        return time.perf_counter() - spawned
    return best_of(3, once)


def desktop_start(run: Run) -> None:
    """Start to window shown (best of 3), each panel's first fill and peak RSS, on the scale's replica."""
    from benchmarks.review_speed import STAFF, replica_of
    from sync.client.home import Account

    username = STAFF[run.scale]
    home = run.folder / f"desktop-home-{run.scale}"
    replica_of(run.demo_database(), Account.of(home, NOWHERE, username).replica_path, username)
    starts = [_start(home, username) for _ in range(1 if run.quick else STARTS)]
    best = min(starts, key=lambda found: found["start_s"])
    run.add("process start → main window shown", best["start_s"], "s", at_most(1.5),
            note=f"{username}, best of {len(starts)}; with {', '.join(best['on_screen'])} filled")
    run.add("  of which: interpreter + importing desktop.app", _import_time(), "s", note="no window, no replica")
    for name, ms in best["panels"].items():
        run.add(f"panel {name} first fill", ms, "ms", at_most(100))
    run.add("peak resident memory", max(found["peak_rss_mib"] for found in starts), "MiB",
            note="after every panel and the automatic review" if best["review_done"] else "review not finished")
    run.add("  and the review worker's", max(found["worker_peak_rss_mib"] for found in starts), "MiB",
            note="its own process (desktop/review_worker.py)")


def _peak_rss_mib(pid: int) -> float:
    """A process's peak resident set (Linux's VmHWM), in MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024


if __name__ == "__main__":
    _probe(*sys.argv[1:4])
