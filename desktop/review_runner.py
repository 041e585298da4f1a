"""The automatic review off the UI thread: a full review of a district takes a few hundred milliseconds,
of a city seconds — too long to freeze the window for.

One review at a time in one background thread; asking again while one runs queues a fresh one and
the stale result is dropped, so the dock always ends on the replica as it is now.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, Signal
from sqlalchemy.exc import SQLAlchemyError

from desktop.queries.replica import ReplicaReader
from desktop.review import review

log = logging.getLogger(__name__)


class ReviewRunner(QObject):
    """``finished(warnings)`` / ``failed(message)`` arrive on the UI thread, for the latest request only."""

    finished = Signal(object)
    failed = Signal(str)
    _done = Signal(int, object, bool)  # generation, warnings or message, ok — from the worker thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="review")
        self._generation = 0
        self._done.connect(self._receive)  # queued: the runner lives on the UI thread
        self._closed = False
        self.running = False

    def start(self, reader: ReplicaReader) -> None:
        if self._closed:
            return
        self._generation += 1
        self.running = True
        self._executor.submit(self._run, reader, self._generation)

    def forget(self) -> None:
        """Drop any result still on its way (the replica was closed)."""
        self._generation += 1
        self.running = False

    def shut_down(self) -> None:
        """Let the review under way finish (it only reads), then stop; later requests are ignored."""
        self._closed = True
        self.forget()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _run(self, reader: ReplicaReader, generation: int) -> None:
        if generation != self._generation:
            return  # a newer request is queued behind this one
        started = time.perf_counter()
        try:
            with reader.connect() as conn:
                found = review(conn)
        except SQLAlchemyError as exc:
            log.exception("review failed")
            self._done.emit(generation, str(exc), False)
            return
        log.info("review: %d warnings in %.0f ms", len(found), (time.perf_counter() - started) * 1000)
        self._done.emit(generation, found, True)

    def _receive(self, generation: int, value: object, ok: bool) -> None:
        if generation != self._generation:
            return
        self.running = False
        (self.finished if ok else self.failed).emit(value)
