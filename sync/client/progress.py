"""Progress events for a progress bar, the traffic meter, and the report of one sync run."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Protocol

from sync.client.errors import Cancelled


@dataclass(frozen=True)
class ProgressEvent:
    """``stage`` is one of sign_in, push, upload, pull, heal, done. ``rows`` and ``bytes`` count from the
    start of the run (commands and bytes up while pushing); ``total`` is the rows expected, when known.
    While uploading, the event is about one file, ``item`` its attachment id: ``bytes`` the server holds
    of its ``total`` size."""

    stage: str
    rows: int
    bytes: int
    total: int | None = None
    item: str | None = None


class ProgressCallback(Protocol):
    def __call__(self, event: ProgressEvent) -> None: ...


def ignore_progress(event: ProgressEvent) -> None:
    """The default callback: a headless run needs no progress bar."""


@dataclass
class Traffic:
    """What went over the wire: HTTP requests and their bytes (status line, headers and body, as sent)."""

    requests: int = 0
    bytes_up: int = 0
    bytes_down: int = 0


@dataclass
class SyncReport:
    """The figures of one run, logged and shown in the CLI's summary line."""

    rows_pulled: int = 0
    rows_deleted: int = 0
    pages: int = 0
    commands_pushed: int = 0
    commands_applied: int = 0
    commands_rejected: int = 0
    attachments_uploaded: int = 0
    resyncs: int = 0
    healed_tables: list[str] = field(default_factory=list)
    traffic: Traffic = field(default_factory=Traffic)
    seconds: float = 0.0
    result: str = "ok"
    message: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


class CancelToken:
    """A cancel flag shared by the run, the transport's reads and its retry waits."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._hooks: list[Callable[[], None]] = []

    def on_cancel(self, hook: Callable[[], None]) -> None:
        """Call ``hook`` (from the cancelling thread) when the user cancels, e.g. to close a socket."""
        self._hooks.append(hook)

    def cancel(self) -> None:
        self._event.set()
        for hook in list(self._hooks):
            hook()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("同步已取消，已接收的数据保留")

    def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``, but raise :class:`Cancelled` as soon as the user cancels."""
        if self._event.wait(seconds):
            self.check()
