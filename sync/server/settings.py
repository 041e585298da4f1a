"""How a running district server behaves: token lifetime, lock-out, page and body limits.

One frozen object, built by ``budgetwatch-server serve`` and handed to :func:`sync.server.api.create_app`.
The defaults are the numbers docs/protocol.md promises clients.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

#: The district's clock: server dates (the "as-of" date, suggestion numbers) are China Standard Time,
#: which has no daylight saving, so a fixed offset needs no time zone database.
SERVER_TIMEZONE = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
#: ``serve --client-version`` / ``--download-url`` when not given (and for ``serve --workers N``'s workers).
CLIENT_VERSION_ENV = "BUDGETWATCH_CLIENT_VERSION"
DOWNLOAD_URL_ENV = "BUDGETWATCH_DOWNLOAD_URL"
#: ``serve --no-snapshots`` sets it to ``0`` (for the workers of ``serve --workers N`` too).
SNAPSHOTS_ENV = "BUDGETWATCH_SNAPSHOTS"


@dataclass(frozen=True)
class ServerSettings:
    #: Where an outdated client is told to get the new version (426 ``client_outdated``), and where the
    #: newest one is announced to be.
    download_url: str | None = None
    #: The newest desktop version the district offers; announced with ``download_url`` in /health and every pull.
    client_version: str | None = None
    #: A token lives this long and is renewed (sliding) once less than half of it remains.
    token_lifetime: dt.timedelta = dt.timedelta(days=30)
    #: A pull page stops after about this many bytes of row data (besides its row limit).
    page_bytes: int = 1_000_000
    #: Request bodies above this are refused (413) before they are parsed.
    max_body_bytes: int = 1024 * 1024
    #: ``lockout_failures`` failed sign-ins of one username from one address within ``lockout_window``
    #: lock that pair for ``lockout_duration`` after the last of them.
    lockout_failures: int = 5
    lockout_window: dt.timedelta = dt.timedelta(minutes=5)
    lockout_duration: dt.timedelta = dt.timedelta(minutes=5)
    #: Where attachments are stored; ``None``: the server home's ``attachments`` (what backups carry).
    attachments_path: Path | None = None
    #: One attachment may be this large, and the attachments of one object together this large.
    max_attachment_bytes: int = 20 * 1024 * 1024
    max_owner_attachment_bytes: int = 100 * 1024 * 1024
    #: An image with more pixels than this is refused (a decompression bomb), whatever its file size.
    max_image_pixels: int = 40_000_000
    #: Snapshot bootstrap (docs/protocol.md, "Snapshot"): offered at all; where builds are kept (``None``: the
    #: server home's ``snapshots``, a cache backups leave out); how long a build is served again before a new one.
    snapshots: bool = True
    snapshot_path: Path | None = None
    snapshot_max_age: dt.timedelta = dt.timedelta(minutes=10)
    #: An audience seeing fewer rows than this gets no snapshot: a few pages are as quick.
    snapshot_min_rows: int = 10_000

    def attachments_root(self) -> Path:
        from sync.server.backup import attachments_dir

        return self.attachments_path if self.attachments_path is not None else attachments_dir()

    def snapshot_root(self) -> Path:
        from sync.server.db import server_home

        return self.snapshot_path if self.snapshot_path is not None else server_home() / "snapshots"

    @classmethod
    def from_environment(cls, *, client_version: str | None = None, download_url: str | None = None) -> ServerSettings:
        """The district's release announcement: the arguments, else ``BUDGETWATCH_CLIENT_VERSION`` /
        ``BUDGETWATCH_DOWNLOAD_URL``; snapshots unless ``BUDGETWATCH_SNAPSHOTS=0``."""
        return cls(download_url=download_url or os.environ.get(DOWNLOAD_URL_ENV) or None,
                   client_version=client_version or os.environ.get(CLIENT_VERSION_ENV) or None,
                   snapshots=os.environ.get(SNAPSHOTS_ENV, "1") != "0")

    def latest_client(self) -> dict[str, str | None] | None:
        """``{"version", "download_url"}`` of the newest desktop, or ``None`` when the district announces none."""
        return {"version": self.client_version, "download_url": self.download_url} if self.client_version else None
