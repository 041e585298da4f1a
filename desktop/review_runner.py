"""The automatic review off the UI thread: a full review of a district takes a few hundred milliseconds,
of a city seconds — too long to freeze the window for.

It runs in a worker process, not a thread: a thread would hold the GIL the panels' fills need while it
reviews. One worker serves the whole application (every window). It is started with ``spawn`` (never a
fork of a process running Qt) on the first review, and stopped when the interpreter exits; in the frozen
app it is the program itself started again (``multiprocessing.freeze_support()`` in desktop/cli.py). The
worker's side, Qt-free, is desktop/review_worker.py.

One review at a time per runner; asking again while one runs queues a fresh one and the stale result is
dropped, so the dock always ends on the replica as it is now.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from desktop.queries.replica import ReplicaReader
from desktop.review.model import Warning
from desktop.review_worker import review_replica, start_worker

log = logging.getLogger(__name__)

WORKER_NICENESS = 10  # on a busy PC the window's own work comes first

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()  # a dead worker is noticed on the pool's result thread


def worker_pool() -> ProcessPoolExecutor:
    """The application's review worker, started on first use (or again after it died)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=start_worker, initargs=(WORKER_NICENESS,))
        return _pool


def _discard_pool(pool: ProcessPoolExecutor) -> None:
    """Forget ``pool``, whose worker died (the pool cleans up after itself): the next review starts another."""
    global _pool
    with _pool_lock:
        if _pool is pool:
            _pool = None


@atexit.register
def _stop_worker() -> None:
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)


def _submit(path: Path) -> tuple[ProcessPoolExecutor, Future[list[Warning]]]:
    pool = worker_pool()
    try:
        return pool, pool.submit(review_replica, path)
    except BrokenProcessPool:  # the worker died while idle: nothing was lost, start another
        _discard_pool(pool)
        pool = worker_pool()
        return pool, pool.submit(review_replica, path)


class ReviewRunner(QObject):
    """``finished(warnings)`` / ``failed(message)`` arrive on the UI thread, for the latest request only."""

    finished = Signal(object)
    failed = Signal(str)
    _done = Signal(int, object)  # generation, the future — from the pool's result thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._in_flight = False
        self._pending: ReplicaReader | None = None  # asked for while a review was in flight
        self._done.connect(self._receive, Qt.ConnectionType.QueuedConnection)
        self._closed = False
        self.running = False

    def start(self, reader: ReplicaReader) -> None:
        if self._closed:
            return
        self._generation += 1
        self.running = True
        if self._in_flight:
            self._pending = reader  # sent when the review in flight comes back
        else:
            self._send(reader)

    def forget(self) -> None:
        """Drop any result still on its way (the replica was closed)."""
        self._generation += 1
        self._pending = None
        self.running = False

    def shut_down(self) -> None:
        """Stop: a review in flight is not waited for (it only reads) and later requests are ignored.
        The worker stays for the application's other windows."""
        self._closed = True
        self.forget()

    def _send(self, reader: ReplicaReader) -> None:
        generation, started = self._generation, time.perf_counter()
        pool, future = _submit(reader.path)
        self._in_flight = True

        def done(future: Future[list[Warning]]) -> None:
            if future.cancelled():  # the application is exiting
                return
            error = future.exception()
            if isinstance(error, BrokenProcessPool):
                _discard_pool(pool)
            elif error is None:
                log.info("review: %d warnings in %.0f ms", len(future.result()), (time.perf_counter() - started) * 1000)
            with contextlib.suppress(RuntimeError):  # the runner was deleted with its window meanwhile
                self._done.emit(generation, future)

        future.add_done_callback(done)

    def _receive(self, generation: int, future: Future[list[Warning]]) -> None:
        self._in_flight = False
        if self._pending is not None:
            reader, self._pending = self._pending, None
            self._send(reader)  # this result is stale: review the replica as it is now
            return
        if generation != self._generation:
            return
        self.running = False
        try:
            found = future.result()
        except BrokenProcessPool:
            log.error("the review worker died")
            self.failed.emit(self.tr("自动审查进程意外退出，请重新同步或重启程序"))
            return
        except Exception as exc:  # SQLAlchemyError mostly; whatever it was, the dock must stop waiting
            log.error("review failed", exc_info=exc)
            self.failed.emit(str(exc))
            return
        self.finished.emit(found)
