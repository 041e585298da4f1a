"""Sync in the background: a worker object in its own QThread, driven from the UI thread.

The worker never touches a widget: it only emits signals, which Qt queues to the UI thread.
``cancel()`` is called directly from the UI thread (the worker's thread is busy in the run); the sync
client's cancel token is thread-safe and lets go within a second.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop.attachments_strip import upload_progress
from desktop.server_session import change_password
from sync.client.config import ClientConfig
from sync.client.errors import SyncError
from sync.client.home import Account
from sync.client.progress import ProgressEvent, SyncReport
from sync.client.run import SyncRun

log = logging.getLogger(__name__)

THREAD_EXIT_WAIT_MS = 2_000
CANCEL_WAIT_MS = 5_000


class SyncWorker(QObject):
    progress = Signal(object)  # ProgressEvent
    finished = Signal(object)  # SyncReport
    failed = Signal(object)  # SyncError; its text is the one line the user reads

    def __init__(self, account: Account, config: ClientConfig, *, password: str | None = None,
                 new_password: str | None = None) -> None:
        super().__init__()
        self._account = account
        self._config = config
        self._password = password
        self._new_password = new_password
        self._run = SyncRun(account, config, password=lambda: self._password, progress=self._report_progress)

    def _report_progress(self, event: ProgressEvent) -> None:
        self.progress.emit(event)

    @Slot()
    def run(self) -> None:
        try:
            if self._new_password is not None:
                change_password(self._account, self._config, self._password or "", self._new_password,
                                self._run.cancel_token)
                self._password = self._new_password  # the run signs in with it
            report: SyncReport = self._run.run()
        except SyncError as exc:
            self.failed.emit(exc)
        except Exception as exc:  # a bug must still end the run visibly, not leave the UI waiting
            log.exception("sync worker crashed")
            self.failed.emit(SyncError(f"同步时发生内部错误：{type(exc).__name__}: {exc}"))
        else:
            self.finished.emit(report)

    def cancel(self) -> None:
        self._run.cancel()


class SyncController(QObject):
    """At most one sync at a time for the window; re-emits its worker's signals on the UI thread."""

    started = Signal()
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: SyncWorker | None = None

    def is_running(self) -> bool:
        return self._thread is not None

    def start(self, account: Account, config: ClientConfig, *, password: str | None = None,
              new_password: str | None = None) -> bool:
        """Start a run; ``False`` if one is already going (it will bring the same data)."""
        if self._thread is not None:
            return False
        thread = QThread(self)
        worker = SyncWorker(account, config, password=password, new_password=new_password)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        thread.finished.connect(worker.deleteLater)
        thread.finished.connect(thread.deleteLater)
        self._thread, self._worker = thread, worker
        thread.start()
        self.started.emit()
        return True

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    def stop(self) -> None:
        """Cancel a running sync and wait for its thread (closing the window, switching user)."""
        thread = self._thread
        if thread is not None:
            self.cancel()  # the client lets go within a second
            thread.quit()
            thread.wait(CANCEL_WAIT_MS)
            self._release()

    # A stopped run's last signals may still be queued: only the current worker's count.

    def _on_progress(self, event: ProgressEvent) -> None:
        if self.sender() is not self._worker:
            return
        if event.stage == "upload":  # one attachment's bytes: its tile shows them, not the status bar
            upload_progress().changed.emit(event.item or "", event.bytes, event.total or 0)
        else:
            self.progress.emit(event)

    def _on_finished(self, report: SyncReport) -> None:
        if self.sender() is self._worker:
            self._release()
            self.finished.emit(report)

    def _on_failed(self, error: SyncError) -> None:
        if self.sender() is self._worker:
            self._release()
            self.failed.emit(error)

    def _release(self) -> None:
        if self._thread is not None:
            # The run has returned (its last act was the signal that brought us here): the thread's
            # event loop ends within milliseconds, and must have before anything may delete it.
            self._thread.quit()
            self._thread.wait(THREAD_EXIT_WAIT_MS)
        self._thread, self._worker = None, None
