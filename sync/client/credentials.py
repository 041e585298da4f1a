"""Where a user's bearer token is kept between runs — never their password (DESIGN.md §3.8).

In order of preference: the OS keyring (service ``budgetwatch``, key ``<server>|<username>``); with
``--save-token-file`` (opted in, for an unattended PC) a file in the user's directory that only they
may read (mode 0600, refused if anyone else may); otherwise only in this process's memory — the
user signs in again in each new session (each run of the CLI, each start of the desktop).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import keyring
import keyring.errors
from keyring.backends import fail, null

from sync.client.errors import SignedOut
from sync.client.home import Account

SERVICE = "budgetwatch"

#: Tokens of this session when neither a keyring nor an opted-in file may keep them: the desktop stays
#: signed in until it quits, and its timer syncs stay one request, without anything written to disk.
_session_tokens: dict[str, str] = {}


class TokenFileError(SignedOut):
    """A token file whose permissions let other users read it."""


def keyring_usable() -> bool:
    """Whether an OS keyring is there to keep tokens (not the fail/null placeholders)."""
    try:
        backend = keyring.get_keyring()
    except (keyring.errors.KeyringError, RuntimeError):
        return False
    return not isinstance(backend, fail.Keyring | null.Keyring)


class TokenStore:
    """The token of one account. ``use_file`` is the user's opt-in to a 0600 token file."""

    def __init__(self, account: Account, *, use_file: bool = False) -> None:
        self.account = account
        self.use_file = use_file
        self.key = f"{account.server}|{account.username}"

    @property
    def path(self) -> Path:
        return self.account.token_path

    def load(self) -> str | None:
        return self._load_keyring() or self._load_file() or _session_tokens.get(self.key)

    def save(self, token: str) -> str | None:
        """Keep ``token``; returns where ("文件", "系统钥匙串") or ``None`` when nowhere is allowed."""
        if self.use_file:
            self._save_file(token)
            return "文件"
        if keyring_usable():
            try:
                keyring.set_password(SERVICE, self.key, token)
                return "系统钥匙串"
            except keyring.errors.KeyringError:
                pass
        _session_tokens[self.key] = token
        return None

    def clear(self) -> None:
        """Forget the token everywhere (signed out); the outbox and replica are untouched."""
        _session_tokens.pop(self.key, None)
        if keyring_usable():
            with contextlib.suppress(keyring.errors.KeyringError):  # nothing stored there
                keyring.delete_password(SERVICE, self.key)
        self.path.unlink(missing_ok=True)

    def _load_keyring(self) -> str | None:
        if not keyring_usable():
            return None
        try:
            return keyring.get_password(SERVICE, self.key)
        except keyring.errors.KeyringError:
            return None

    def _load_file(self) -> str | None:
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            return None
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise TokenFileError(f"令牌文件 {self.path} 的权限过宽（其他用户可读），已拒绝使用；"
                                 f"请删除它或执行 chmod 600")
        return self.path.read_text(encoding="ascii").strip() or None

    def _save_file(self, token: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.unlink(missing_ok=True)  # O_CREAT keeps an existing file's (maybe wider) mode
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            stream.write(token + "\n")
        os.replace(temporary, self.path)
