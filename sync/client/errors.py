"""What can go wrong in a sync, each as one exception whose message is one Chinese line for the user.

The CLI prints ``str(error)`` and exits with ``error.exit_code``; the desktop shows the same line.
Being offline is a normal state (the replica keeps working), so :class:`Offline` is the mildest.
"""

from __future__ import annotations


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


class Cancelled(SyncError):
    """The user cancelled; every page applied before that is kept."""

    exit_code = 130
