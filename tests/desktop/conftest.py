"""Desktop fixtures: a hand-made replica per user in a temp home, the main window or the whole app on it.

Nothing here needs a network: the configured server is a local port nobody listens on, so every sync
the app tries fails as "offline" — the state a township PC is often in.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.app import DesktopApp
from desktop.main_window import MainWindow
from desktop.queries.accounts import identity_of, read_state
from desktop.queries.replica import ReplicaReader
from desktop.settings import Preferences, ui_state
from sync.client.config import ClientConfig
from sync.client.home import Account
from tests.desktop.fixture_replica import SERVER, build_replica


def closed_port_url() -> str:
    """An address on this machine where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def home(tmp_path) -> Path:
    """A desktop home with replicas for deputy01 and deputy02 (same district data, separate files)."""
    path = tmp_path / "desktop"
    build_replica(path, "deputy01")
    build_replica(path, "deputy02")
    return path


@pytest.fixture
def account(home) -> Account:
    return Account.of(home, SERVER, "deputy01")


@pytest.fixture
def window(qtbot, home, account) -> Iterator[MainWindow]:
    """The main window alone, shown, on deputy01's replica."""
    window = MainWindow(ui_state(home))
    qtbot.addWidget(window)
    window.show()
    reader = ReplicaReader(account.replica_path)
    with reader.connect() as conn:
        window.set_account(identity_of(read_state(conn), account.username), False, [])
    window.show_replica(reader)
    yield window
    reader.dispose()


@pytest.fixture
def desktop(qtbot, home) -> Iterator[Callable[..., DesktopApp]]:
    """Start the whole desktop (not interactive: no dialog ever waits) on ``home``."""
    started: list[DesktopApp] = []

    def start(username: str | None = "deputy01", server: str | None = None, **options) -> DesktopApp:
        config = ClientConfig(server=server or closed_port_url(), connect_timeout=2, stall_timeout=5)
        app = DesktopApp(home, config, Preferences(home), interactive=False, **options)
        qtbot.addWidget(app.window)
        app.start(SERVER if server is None else server, username)
        started.append(app)
        return app

    yield start
    for app in started:
        app.shut_down()
