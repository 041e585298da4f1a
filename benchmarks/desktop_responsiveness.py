"""How the desktop feels: panel load times, and the longest event-loop stall during a first sync.

Measured, never asserted (a CI machine's speed is not the product's). Against a running demo server:

    budgetwatch-server demo --db sqlite:///demo.db && budgetwatch-server serve --db sqlite:///demo.db
    QT_QPA_PLATFORM=offscreen python benchmarks/desktop_responsiveness.py http://127.0.0.1:8750 deputy01 daibiao-2026

A 10 ms timer ticks through the whole run; the longest gap between two ticks is how long the window
could not repaint or answer a click. The first sync downloads the whole district in the worker thread.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


class TickGaps:
    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def reset(self) -> None:
        self.last, self.longest = time.perf_counter(), 0.0


def main(server: str, username: str, password: str) -> dict[str, object]:
    """Prints and returns the figures: first sync (s), longest gap (ms), panel loads and year changes (ms)."""
    app = QApplication.instance() or QApplication([])
    from desktop.app import DesktopApp, freeze_start_up_objects, tune_garbage_collector
    from desktop.main_window import PANEL_TYPES
    from desktop.settings import Preferences
    from sync.client.config import ClientConfig

    home = Path(tempfile.mkdtemp(prefix="bw-bench-"))
    tune_garbage_collector()  # as desktop.app.run does
    desktop = DesktopApp(home, ClientConfig(server=server), Preferences(home), interactive=False, password=password)
    freeze_start_up_objects()
    gaps = TickGaps()
    figures: dict[str, object] = {"panels": {}, "year_changes": []}
    started = time.perf_counter()
    done: list[object] = []
    desktop.sync.finished.connect(done.append)
    desktop.sync.failed.connect(done.append)
    desktop.start(server, username)
    while not done:
        app.processEvents()
        time.sleep(0.001)
    figures["first_sync_s"] = time.perf_counter() - started
    figures["longest_gap_ms"] = gaps.longest * 1000
    print(f"first sync: {figures['first_sync_s']:.1f} s, {done[0]!r:.80}")
    print(f"longest event-loop gap during the sync (incl. the final reload): {gaps.longest * 1000:.0f} ms")
    window = desktop.window
    for panel_type in PANEL_TYPES:
        window.reload()  # every panel has to read again
        window.raise_panel(panel_type.name)
        panel = window.panels[panel_type.name]
        panel.ensure_loaded()
        figures["panels"][panel_type.name] = panel.last_load_ms
        print(f"{panel_type.name:<12} load {panel.last_load_ms:7.1f} ms")
    for year in range(window.year_box.count()):
        started = time.perf_counter()
        window.year_box.setCurrentIndex(year)
        figures["year_changes"].append((time.perf_counter() - started) * 1000)
        print(f"year change → visible panel reloaded in {figures['year_changes'][-1]:.1f} ms")
    desktop.shut_down()
    shutil.rmtree(home, ignore_errors=True)
    return figures


if __name__ == "__main__":
    main(*sys.argv[1:4])
