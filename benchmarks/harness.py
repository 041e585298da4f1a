"""What every benchmark shares: a figure with its target, the run's options, and demo data built once.

These machines are shared and noisy, so a benchmark measures its own limit in the same run and
reports a ratio where it can; absolute figures are given for scale only.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Tokens live in this process only: never the developer's keyring (set before anything imports keyring).
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass
class Figure:
    """One measured number. ``target`` is a text like ``"≤ 3"``; ``passed`` is None when there is none.
    ``value`` is None for a figure this run did not measure (the note says why)."""

    benchmark: str
    name: str
    value: float | None
    unit: str = ""
    target: str = ""
    passed: bool | None = None
    note: str = ""

    def shown(self) -> str:
        value = self.value
        if value is None:
            return "not measured"
        if isinstance(value, float) and not value.is_integer():
            text = f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
        else:
            text = f"{int(value):,}"
        return f"{text} {self.unit}".strip()


def at_most(limit: float) -> Callable[[float], tuple[str, bool]]:
    return lambda value: (f"≤ {limit:g}", value <= limit)


def at_least(limit: float) -> Callable[[float], tuple[str, bool]]:
    return lambda value: (f"≥ {limit:g}", value >= limit)


@dataclass
class Run:
    """One ``python -m benchmarks`` invocation: options, a scratch folder, and the figures so far."""

    scale: str = "district"
    quick: bool = False
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="bw-bench-")))
    figures: list[Figure] = field(default_factory=list)
    current: str = ""
    _demo: dict[str, Path] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The demo's attachments and the servers' snapshots go to this run's folder, never the developer's
        # server home (every server process started from here inherits it).
        from sync.server.db import HOME_ENV

        os.environ[HOME_ENV] = str(self.folder / "shared-server-home")

    def add(self, name: str, value: float | None, unit: str = "",
            check: Callable[[float], tuple[str, bool]] | None = None, note: str = "") -> Figure:
        target, passed = check(value) if check and value is not None else ("", None)
        figure = Figure(self.current, name, value, unit, target, passed, note)
        self.figures.append(figure)
        return figure

    def skip(self, name: str, why: str) -> Figure:
        return self.add(name, None, note=why)

    def demo_database(self, scale: str | None = None) -> Path:
        """A fresh copy of a migrated server database holding the demo at ``scale`` (built once per run)."""
        scale = scale or self.scale
        if scale not in self._demo:
            from sync.server import db
            from sync.server.demo import load_demo

            path = self.folder / f"demo-{scale}.db"
            engine = db.make_engine(f"sqlite:///{path}")
            db.upgrade(engine)
            load_demo(engine, scale=scale)
            engine.dispose()
            self._demo[scale] = path
        copy = self.folder / f"server-{scale}-{len(list(self.folder.glob('server-*.db')))}.db"
        shutil.copy(self._demo[scale], copy)
        return copy

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """A real server in its own process (its own GIL, as in production): ``budgetwatch-server serve``
    or any other command line that listens on ``port``."""

    def __init__(self, command: list[str], port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {' '.join(command)}") from None
                time.sleep(0.05)

    @classmethod
    def district(cls, database: Path, *extra: str) -> ServerProcess:
        port = free_port()
        return cls([str(BIN / "budgetwatch-server"), "serve", "--db", f"sqlite:///{database}", "--port", str(port),
                    *extra], port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.stop()


def best_of(runs: int, measure: Callable[[], float]) -> float:
    """The least of a few timings: on a shared machine the noise only ever adds."""
    return min(measure() for _ in range(runs))
