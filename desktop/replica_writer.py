"""The serial writer of one user's replica: drafts and outbox commands, off the UI thread.

A sync applies pages in ``BEGIN IMMEDIATE`` transactions; a draft saved meanwhile waits for the page
to commit. That wait happens here, in one background thread, so typing never stutters, and writes
land in the order the user made them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal
from sqlalchemy.exc import SQLAlchemyError

from sync.client.home import Account
from sync.client.outbox import OutboxError
from sync.client.replica import Replica

log = logging.getLogger(__name__)

Job = Callable[[Replica], Any]


class ReplicaWriter(QObject):
    """``done(what, result)`` / ``failed(what, message)`` arrive on the UI thread after each job."""

    done = Signal(str, object)
    failed = Signal(str, str)

    def __init__(self, account: Account, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.account = account
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replica-writer")
        self._replica: Replica | None = None

    def submit(self, what: str, job: Job) -> Future:
        return self._executor.submit(self._run, what, job)

    def close(self) -> None:
        """Finish the queued writes, then let go of the file."""
        self._executor.submit(self._close_replica)
        self._executor.shutdown(wait=True)

    def _run(self, what: str, job: Job) -> Any:
        try:
            if self._replica is None:
                self._replica = Replica(self.account.replica_path)
            result = job(self._replica)
        except (SQLAlchemyError, OutboxError, OSError) as exc:
            log.exception("replica write %s failed", what)
            self.failed.emit(what, str(exc))
            return None
        self.done.emit(what, result)
        return result

    def _close_replica(self) -> None:
        if self._replica is not None:
            self._replica.close()
            self._replica = None
