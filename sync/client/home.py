"""Where a user's replica lives on this PC.

Layout under ``BUDGETWATCH_HOME`` (default: the platform's user data dir + ``budgetwatch``)::

    device_id                      this PC's id, sent at sign-in (made once)
    budgetwatch.toml               optional district presets (see :mod:`sync.client.config`)
    servers/<server>/<user>/       one directory per server and user
        replica.sqlite             replicated tables + sync_state + outbox + drafts (one file)
        sync.log                   one line per sync run
        token                      only with ``--save-token-file`` (mode 0600)

One directory per user keeps a deputy's outbox, drafts and activity theirs alone on a shared PC:
another user's file is never opened for them, let alone pushed.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import platformdirs

HOME_ENV = "BUDGETWATCH_HOME"
REPLICA_FILE = "replica.sqlite"


class AccountError(ValueError):
    """A server address or username that cannot name an account on this PC."""


def client_home(explicit: str | os.PathLike | None = None) -> Path:
    """``--home``, else ``BUDGETWATCH_HOME``, else the platform's user data dir + ``budgetwatch``."""
    chosen = explicit or os.environ.get(HOME_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_data_dir("budgetwatch", appauthor=False))


def normalize_server_url(url: str) -> str:
    """``https://Host:443/base/`` → ``https://host:443/base``: one spelling per server."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AccountError(f"服务器地址无效: {url!r}（应为 https://主机名[:端口]）")
    netloc = parts.hostname.lower() + (f":{parts.port}" if parts.port else "")
    return f"{parts.scheme}://{netloc}{parts.path.rstrip('/')}"


def server_dir_name(url: str) -> str:
    """A file-name-safe name for a server: host, port and path, e.g. ``budget.example.cn_8443``."""
    parts = urlsplit(normalize_server_url(url))
    name = parts.hostname + (f"_{parts.port}" if parts.port else "") + parts.path
    return re.sub(r"[^A-Za-z0-9.-]+", "_", name).strip("_")


def user_dir_name(username: str) -> str:
    """A reversible, file-name-safe spelling of a username (percent-encoded, never ``.``/``..``)."""
    name = quote(username, safe="")
    return "%2E" + name[1:] if name.startswith(".") else name


@dataclass(frozen=True)
class Account:
    """One user of one server on this PC, and the directory that holds their data."""

    home: Path
    server: str
    username: str

    @classmethod
    def of(cls, home: Path, server: str, username: str) -> Account:
        if not username:
            raise AccountError("用户名不能为空")
        return cls(home, normalize_server_url(server), username)

    @property
    def directory(self) -> Path:
        return self.home / "servers" / server_dir_name(self.server) / user_dir_name(self.username)

    @property
    def replica_path(self) -> Path:
        return self.directory / REPLICA_FILE

    @property
    def log_path(self) -> Path:
        return self.directory / "sync.log"

    @property
    def token_path(self) -> Path:
        return self.directory / "token"


def replica_paths(home: Path, username: str | None = None) -> list[Path]:
    """Existing replica files under ``home``, optionally only those of ``username``."""
    pattern = f"servers/*/{user_dir_name(username) if username else '*'}/{REPLICA_FILE}"
    return sorted(home.glob(pattern))


def device_id(home: Path) -> str:
    """This PC's id (one per home), made the first time it is asked for."""
    path = home / "device_id"
    if not path.exists():
        # Written aside and linked into place: two users signing in at once must never read a
        # half-written file, and the first id made wins for both.
        home.mkdir(parents=True, exist_ok=True)
        candidate = home / f"device_id.{uuid.uuid4().hex}"
        candidate.write_text(f"{uuid.uuid4()}\n", encoding="ascii")
        with contextlib.suppress(FileExistsError):
            os.link(candidate, path)
        candidate.unlink()
    return path.read_text(encoding="ascii").strip()
