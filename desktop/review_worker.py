"""The automatic review's worker process, as desktop/review_runner.py starts it: given a replica's path, its
warnings. A review is pure Python over SQLite; in the window's own process it would hold the GIL the panels
need to fill, so it runs in a process of its own.

No Qt here (a test checks the worker's modules). This module is what the worker imports as it starts,
before it lowers its priority, so what the review needs (SQLAlchemy and the rules: a quarter of a second of
imports) comes with the first review, after it. One reader stays open for the last replica reviewed, so the
reviews after each sync reuse its engine.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.queries.replica import ReplicaReader
    from desktop.review.model import Warning

_reader: ReplicaReader | None = None


def start_worker(niceness: int) -> None:
    """The worker's first act: step behind the window on a busy PC (where the system has priorities), and
    end with the application even when it was killed and could not stop its worker."""
    if hasattr(os, "nice"):
        os.nice(niceness)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), name="exit-with-parent", daemon=True).start()


def _exit_with(parent: BaseProcess) -> None:
    parent.join()  # returns when the application's process is gone
    os._exit(1)


def review_replica(path: Path) -> list[Warning]:
    """Every warning on the replica at ``path`` (the whole replica: the 预警 dock filters it itself)."""
    from desktop.review import review

    with _reader_for(path).connect() as conn:
        return review(conn)


def _reader_for(path: Path) -> ReplicaReader:
    from desktop.queries.replica import ReplicaReader

    global _reader
    if _reader is None or _reader.path != path:
        if _reader is not None:
            _reader.dispose()
        _reader = ReplicaReader(path)
    return _reader
