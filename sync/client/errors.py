"""What can go wrong in a sync, each as one exception whose message is one Chinese line for the user.

The CLI prints ``str(error)`` and exits with ``error.exit_code``; the desktop shows the same line.
Being offline is a normal state (the replica keeps working), so :class:`Offline` is the mildest.
"""

from __future__ import annotations

import errno
from pathlib import Path


class SyncError(Exception):
    """Base: a sync that could not finish. Nothing past the last fully applied page is kept."""

    exit_code = 1


class Offline(SyncError):
    """No route, DNS failure, refused, or the connection dropped: try again later."""

    exit_code = 3


class ServerUnavailable(SyncError):
    """The server answered 5xx after every retry, or asked us to wait too long (Retry-After)."""

    exit_code = 3


class TlsError(SyncError):
    """The server's certificate could not be verified (wrong CA bundle, or not our server)."""

    exit_code = 3


class SignedOut(SyncError):
    """No valid token and no password to get one; the outbox and drafts are kept."""

    exit_code = 4


class BadCredentials(SignedOut):
    """The server refused the username and password (or locked them for a while)."""


class PasswordChangeRequired(SignedOut):
    """An administrator reset the password: the user must choose a new one before syncing."""


class Forbidden(SyncError):
    """The user's role may not do this."""

    exit_code = 4


class ClientOutdated(SyncError):
    """The server no longer speaks this client's protocol (HTTP 426); the outbox is kept."""

    exit_code = 5

    def __init__(self, message: str, download_url: str | None = None) -> None:
        super().__init__(message)
        self.download_url = download_url


class ProtocolError(SyncError):
    """An answer that breaks docs/protocol.md (garbage, a captive portal, a truncated stream…).

    The message says what was wrong and where; nothing of that answer was applied.
    """

    exit_code = 5


class ConcurrentSync(SyncError):
    """Another process (the desktop, another ``budgetwatch sync``) is syncing the same replica."""


class DiskFull(SyncError):
    """This PC's disk refused a write (full, or over a quota); SQLite rolled that transaction back, so
    everything committed before it (outbox, drafts, the replica at its cursor) is kept."""


#: errno values of a write the disk refused for want of room (EFBIG: over the process's file size limit)
_NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def disk_full(error: BaseException, folder: Path) -> DiskFull | None:
    """``error`` as :class:`DiskFull` naming ``folder`` when it (or what caused it) is a write the disk
    refused: SQLite's "database or disk is full" or "disk I/O error", an ``OSError`` for want of room."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        name = getattr(cause, "sqlite_errorname", "") or ""
        if name == "SQLITE_FULL" or (isinstance(cause, OSError) and cause.errno in _NO_ROOM):
            return DiskFull(f"磁盘空间不足，无法写入本机数据 {folder}：已保存的内容没有丢失，请清理磁盘空间后再同步")
        if name.startswith("SQLITE_IOERR"):  # a write that failed: over a size limit, or a failing disk
            return DiskFull(f"无法写入本机数据 {folder}（磁盘已满或出错）：已保存的内容没有丢失，"
                            "请检查磁盘、清理空间后再同步")
        cause = getattr(cause, "orig", None) or cause.__cause__ or cause.__context__
    return None


class Cancelled(SyncError):
    """The user cancelled; every page applied before that is kept."""

    exit_code = 130
