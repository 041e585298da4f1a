"""Building the report off the UI thread: figures from the replica step by step, then the PDF.

:func:`build_report` is plain Python (it reports progress through a callback and can be cancelled
between steps); :class:`ReportJob` runs it in a ``QThread`` and turns the callback into signals.
The PDF is written to a temporary file beside the target and moved into place at the end, so a
cancelled or failed build never leaves half a report.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal
from sqlalchemy.exc import SQLAlchemyError

from desktop.queries.replica import ReplicaReader
from desktop.report import figures as report_figures
from desktop.report.pdf import ReportMeta, write_pdf

log = logging.getLogger(__name__)


class ReportCancelled(Exception):
    pass


@dataclass(frozen=True)
class ReportRequest:
    replica: Path
    region_code: str
    year: int
    output: Path
    prepared_by: str | None = None


#: Reading each part of the figures, then laying out and writing the PDF.
STEP_COUNT = len(report_figures.STEPS) + 1

Progress = Callable[[int, int, str], None]


def build_report(request: ReportRequest, progress: Progress = lambda step, steps, what: None,
                 cancelled: Callable[[], bool] = lambda: False) -> int:
    """Write the report of ``request``; returns its number of pages. Raises :class:`ReportCancelled`."""
    reader = ReplicaReader(request.replica)
    try:
        with reader.connect() as conn:
            found = report_figures.start(conn, request.region_code, request.year)
            for step, (what, read) in enumerate(report_figures.STEPS):
                if cancelled():
                    raise ReportCancelled
                progress(step, STEP_COUNT, what)
                read(conn, found)
    finally:
        reader.dispose()
    progress(STEP_COUNT - 1, STEP_COUNT, "排版并生成 PDF")
    partial = request.output.with_name(f".{request.output.name}.partial")
    try:
        pages = write_pdf(found, ReportMeta(request.prepared_by, dt.date.today()), partial)
        if cancelled():
            raise ReportCancelled
        os.replace(partial, request.output)
    finally:
        partial.unlink(missing_ok=True)
    progress(STEP_COUNT, STEP_COUNT, "完成")
    return pages


class ReportJob(QObject):
    """One report built in its own thread; ``finished(path, pages)``, ``failed(message)``, or ``cancelled``."""

    progress = Signal(int, int, str)
    finished = Signal(object, int)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, request: ReportRequest, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self._stop = False
        self._thread = QThread()
        self._worker = _Worker(self)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)

    def start(self) -> None:
        # Quitting while a report is built: stop it between steps and let the thread end first.
        QCoreApplication.instance().aboutToQuit.connect(self._stop_and_wait)
        self._thread.start()

    def _stop_and_wait(self) -> None:
        self.cancel()
        self.wait()

    def cancel(self) -> None:
        self._stop = True

    def is_cancelled(self) -> bool:
        return self._stop

    def wait(self, milliseconds: int = 60_000) -> bool:
        return self._thread.wait(milliseconds)


class _Worker(QObject):
    def __init__(self, job: ReportJob) -> None:
        super().__init__()
        self._job = job

    def run(self) -> None:
        job = self._job
        try:
            pages = build_report(job.request, job.progress.emit, job.is_cancelled)
        except ReportCancelled:
            job.cancelled.emit()
        except (OSError, ValueError, SQLAlchemyError) as exc:
            log.exception("report failed")
            job.failed.emit(str(exc))
        else:
            job.finished.emit(job.request.output, pages)
        finally:
            QThread.currentThread().quit()
