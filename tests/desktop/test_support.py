"""Supporting the desktop from afar: the update notice, an outdated client told to update (outbox kept),
and the diagnostics zip (versions, settings, logs — never a token or a password)."""

from __future__ import annotations

import json
import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

import sync.client.transport
from desktop.app import DesktopApp
from desktop.cli import main
from desktop.diagnostics import APP_LOG, start_app_log, write_diagnostics
from desktop.settings import PREFERENCES_FILE, Preferences, ui_state
from desktop.update_notice import Release, newer_release
from sync.client.config import ClientConfig
from sync.client.credentials import TokenStore
from sync.client.errors import ClientOutdated
from sync.client.home import Account
from sync.client.outbox import UNANSWERED, Outbox
from sync.client.replica import Replica
from sync.server.settings import ServerSettings
from sync.version import installed_version
from tests.client.conftest import PASSWORD, LiveServer, migrated_database
from tests.desktop.fixture_replica import SERVER

DOWNLOAD = "https://budget.example.cn/download"


@pytest.fixture
def announcing(tmp_path):
    """A live server that announces version 99.0 of the desktop."""
    database = tmp_path / "server.db"
    migrated_database(database, lines=6, months=2)
    live = LiveServer(database, ServerSettings(client_version="99.0", download_url=DOWNLOAD)).start()
    yield live
    live.stop()
    live.engine.dispose()


def signed_in_app(qtbot, home: Path, server: LiveServer) -> DesktopApp:
    config = ClientConfig(server=server.url, connect_timeout=2, stall_timeout=10)
    app = DesktopApp(home, config, Preferences(home), interactive=False, password=PASSWORD)
    qtbot.addWidget(app.window)
    with qtbot.waitSignal(app.sync.finished, timeout=20_000):
        app.start(server.url, "deputy01")
    return app


def test_newer_means_a_higher_version_number():
    state = {"latest_client": json.dumps({"version": "0.10.0", "download_url": None})}
    assert newer_release(state, "0.9.3", "https://toml.example/dl") == Release("0.10.0", "https://toml.example/dl")
    assert newer_release(state, "0.10.0", None) is None
    assert newer_release({"latest_client": "null"}, "0.1.0", None) is None  # announcement withdrawn
    assert newer_release({"latest_client": "{broken"}, "0.1.0", None) is None


def test_a_sync_that_announces_a_newer_version_shows_a_quiet_notice(qtbot, tmp_path, announcing):
    app = signed_in_app(qtbot, tmp_path / "home", announcing)
    label = app.window.update_label
    assert label.isVisible() and "99.0" in label.text() and DOWNLOAD in label.text()
    app.shut_down()


def test_an_outdated_client_is_told_to_update_and_keeps_its_outbox(qtbot, tmp_path, announcing, monkeypatch):
    home = tmp_path / "home"
    app = signed_in_app(qtbot, home, announcing)
    account = Account.of(home, announcing.url, "deputy01")
    with Replica(account.replica_path) as replica:
        queued = Outbox(replica, "deputy01").enqueue(
            "suggestion.submit", {"suggestion_id": "5f0c8e52-0000-4000-8000-000000000001", "title": "修路",
                                  "body": "路面破损", "source": "own", "region_code": "511702001"}, "deputy01")
    told: list[str] = []
    monkeypatch.setattr("desktop.app.QMessageBox.warning", lambda _parent, _title, text: told.append(text))
    monkeypatch.setattr(sync.client.transport, "PROTOCOL_VERSION", 0)
    app.interactive = True
    with qtbot.waitSignal(app.sync.failed, timeout=20_000) as failure:
        app.sync_now()
    assert isinstance(failure.args[0], ClientOutdated)
    assert app.window.update_label.text() == f'<a href="{DOWNLOAD}">需要更新本程序</a>'
    assert len(told) == 1 and DOWNLOAD in told[0] and "保留" in told[0]
    with Replica(account.replica_path) as replica:
        waiting = Outbox(replica, "deputy01").commands(UNANSWERED)
    assert queued in {command.uuid for command in waiting}
    app.interactive = False
    app.shut_down()


@pytest.fixture
def app_log(home) -> Iterator[Path]:
    start_app_log(home)
    yield home / APP_LOG
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "baseFilename", "") == str(home / APP_LOG)]:
        root.removeHandler(handler)
        handler.close()


def test_diagnostics_hold_versions_settings_and_logs_but_no_secrets(home, app_log, tmp_path):
    account = Account.of(home, SERVER, "deputy01")
    TokenStore(account).save("token-in-the-keyring")
    TokenStore(account, use_file=True).save("token-in-a-file")
    account.log_path.write_text('2026-11-29 10:00 {"result": "ok"}\n', encoding="utf-8")
    preferences = QSettings(str(home / PREFERENCES_FILE), QSettings.Format.IniFormat)
    preferences.setValue("sync/proxy_password", "hunter2")  # a secret-looking key is dropped
    preferences.sync()
    ui_state(home).setValue("session/user", "deputy01")
    logging.getLogger("test").warning("something to find")
    target = tmp_path / "diagnostics.zip"
    write_diagnostics(target, home, ClientConfig(server=SERVER, update_url=DOWNLOAD))
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        everything = "".join(archive.read(name).decode("utf-8") for name in names)
        settings = json.loads(archive.read("settings.json"))
        versions = json.loads(archive.read("versions.json"))
    assert {"versions.json", "settings.json", f"logs/{APP_LOG}",
            f"logs/{account.log_path.relative_to(home)}"} <= names
    assert versions["budgetwatch"] == installed_version() and versions["keyring"]["backend"]
    assert settings["budgetwatch.toml"]["update_url"] == DOWNLOAD
    assert settings["ui_state"]["session/user"] == "deputy01"
    assert "something to find" in everything
    for secret in ("token-in-the-keyring", "token-in-a-file", "hunter2", PASSWORD):
        assert secret not in everything


def test_help_menu_exports_the_zip_where_the_user_chooses(desktop, tmp_path, monkeypatch):
    app = desktop("deputy01")
    target = tmp_path / "chosen.zip"
    monkeypatch.setattr("desktop.app.QFileDialog.getSaveFileName", lambda *_args: (str(target), ""))
    action = next(a for a in app.window.menuBar().actions()[-1].menu().actions() if a.text() == "导出诊断信息…")
    action.trigger()
    assert zipfile.is_zipfile(target)
    assert str(target) in app.window.statusBar().currentMessage()


def test_the_command_line_names_the_download_address_when_outdated(tmp_path, announcing, monkeypatch, capsys):
    monkeypatch.setattr(sync.client.transport, "PROTOCOL_VERSION", 0)
    monkeypatch.setenv("BUDGETWATCH_PASSWORD", PASSWORD)
    code = main(["sync", "--home", str(tmp_path / "home"), "--server", announcing.url, "--user", "deputy01"])
    assert code == ClientOutdated.exit_code
    assert f"新版本下载地址：{DOWNLOAD}" in capsys.readouterr().err
