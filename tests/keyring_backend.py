"""An in-memory keyring for tests, selected by ``PYTHON_KEYRING_BACKEND`` in ``tests/conftest.py``.

Tokens stored by the code under test land here, never in the developer's real keyring, and are
forgotten after every test. ``MemoryKeyring.failing = True`` makes every call raise, to test the
"no usable OS keyring" path.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.credentials import SimpleCredential
from keyring.errors import KeyringError, PasswordDeleteError

NAME = "tests.keyring_backend.MemoryKeyring"


class MemoryKeyring(KeyringBackend):
    priority = 1  # viable, and above the fail/null backends should anything pick by priority

    #: Shared by all instances: keyring makes its own instance, the tests look through the class.
    secrets: dict[tuple[str, str], str] = {}  # noqa: RUF012 — the shared store is the point
    failing = False

    def _check(self) -> None:
        if type(self).failing:
            raise KeyringError("test keyring is set to fail")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(f"no password for {username!r} in {service!r}")

    def get_credential(self, service: str, username: str | None) -> SimpleCredential | None:
        self._check()
        if username is not None:
            password = self.secrets.get((service, username))
            return SimpleCredential(username, password) if password is not None else None
        for (stored_service, stored_user), password in self.secrets.items():
            if stored_service == service:
                return SimpleCredential(stored_user, password)
        return None

    @classmethod
    def reset(cls) -> None:
        cls.secrets.clear()
        cls.failing = False
