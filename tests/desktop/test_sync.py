"""Sync in the background against a real server (uvicorn in a thread, SQLite): the worker's signals,
signing in, a forced password change, and a suggestion written while the server is down."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.app import DesktopApp
from desktop.settings import Preferences
from desktop.sync_worker import SyncController
from sync.client.config import ClientConfig
from sync.client.errors import BadCredentials, Offline
from sync.client.home import Account
from sync.schema import budget_lines, suggestions
from sync.server import accounts
from tests.client.conftest import PASSWORD, LiveServer, migrated_database
from tests.desktop.conftest import closed_port_url

CONFIG = ClientConfig(connect_timeout=2, stall_timeout=10)


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("district") / "server.db"
    migrated_database(path, lines=12, months=3)
    return path


@pytest.fixture
def server(tmp_path, district):
    copy = tmp_path / "server.db"
    shutil.copy(district, copy)
    live = LiveServer(copy).start()
    yield live
    live.stop()
    live.engine.dispose()


def run(qtbot, account: Account, signal: str = "finished", **options):
    controller = SyncController()
    with qtbot.waitSignal(getattr(controller, signal), timeout=20_000) as blocker:
        assert controller.start(account, CONFIG, **options)
        assert not controller.start(account, CONFIG, **options)  # one run at a time
    assert not controller.is_running()
    return blocker.args[0]


def test_worker_finishes_with_the_server_rows(qtbot, tmp_path, server):
    account = Account.of(tmp_path / "home", server.url, "deputy01")
    report = run(qtbot, account, password=PASSWORD)
    assert report.result == "ok" and report.rows_pulled > 0
    again = run(qtbot, account)  # the token was kept: no password needed
    assert again.rows_pulled == 0 and again.traffic.requests == 1


def test_worker_fails_offline_and_on_a_wrong_password(qtbot, tmp_path, server):
    offline = run(qtbot, Account.of(tmp_path / "home", closed_port_url(), "deputy01"), "failed", password=PASSWORD)
    assert isinstance(offline, Offline)
    refused = run(qtbot, Account.of(tmp_path / "home", server.url, "deputy01"), "failed", password="wrong")
    assert isinstance(refused, BadCredentials)


def test_forced_password_change_then_sync(qtbot, tmp_path, server):
    with server.engine.begin() as conn:
        accounts.reset_password(conn, "deputy01", "temporary-1")
    account = Account.of(tmp_path / "home", server.url, "deputy01")
    refused = run(qtbot, account, "failed", password="temporary-1")
    assert type(refused).__name__ == "PasswordChangeRequired"
    report = run(qtbot, account, password="temporary-1", new_password="my-own-password-2")
    assert report.result == "ok"
    fresh = Account.of(tmp_path / "other-pc", server.url, "deputy01")
    assert run(qtbot, fresh, password="my-own-password-2").result == "ok"


def test_first_start_signs_in_and_a_suggestion_written_offline_arrives_once(qtbot, desktop, tmp_path, server):
    app = desktop("deputy01", server=server.url, password=PASSWORD)  # budgetwatch --user + BUDGETWATCH_PASSWORD
    with qtbot.waitSignal(app.sync.finished, timeout=20_000):
        pass
    assert app.account.username == "deputy01" and app.window.sync_label.text() == "● 已同步"
    with app.reader.connect() as conn:
        assert conn.execute(select(func.count()).select_from(budget_lines)).scalar_one() > 0
    server.stop()
    app.window.raise_panel("suggestions")
    editor = app.window.suggestions.new_suggestion()
    editor.title_edit.setText("东城路口请增设红绿灯")
    editor.body.setPlainText("上下学时段车流人流交织。")
    with qtbot.waitSignal(app.writer.done, timeout=5000, check_params_cb=lambda what, _r: what == "submit"):
        editor.submit_button.click()
    with qtbot.waitSignal(app.sync.failed, timeout=20_000):
        app.sync_now()
    assert app.window.sync_label.text() == "● 离线（本机数据照常可用）"
    assert app.window.pending_label.text() == "待上传 1 条"
    server.start()
    with qtbot.waitSignal(app.sync.finished, timeout=20_000):
        app.sync_now()
    with server.engine.connect() as conn:
        stored = conn.execute(select(suggestions.c.title, suggestions.c.state)
                              .where(suggestions.c.title == "东城路口请增设红绿灯")).all()
    assert [tuple(row) for row in stored] == [("东城路口请增设红绿灯", "submitted")]
    panel = app.window.suggestions
    states = {item.title: item.state for item in panel.table.model.rows()}
    assert states["东城路口请增设红绿灯"] == "submitted"  # the server's row replaced 待上传 by itself
    assert app.window.pending_label.text() == ""


def test_signing_in_through_the_dialogs_with_a_forced_password_change(qtbot, tmp_path, server):
    with server.engine.begin() as conn:
        accounts.reset_password(conn, "deputy01", "temporary-1")
    home = tmp_path / "shared-pc"
    app = DesktopApp(home, ClientConfig(server=server.url, connect_timeout=2), Preferences(home))
    qtbot.addWidget(app.window)
    try:
        app.start(None, None)  # nobody has used this PC: the sign-in dialog opens
        dialog = app._sign_in_dialog
        assert dialog.server.text() == server.url and dialog.server.isReadOnly()  # preset by the district
        dialog.username.setCurrentText("deputy01")
        dialog.password.setText("temporary-1")
        with qtbot.waitSignal(app.sync.failed, timeout=20_000):
            dialog.sign_in_button.click()
        change = app._password_dialog
        assert change is not None and change.current.text() == "temporary-1"
        change.new.setText("my-own-password-2")
        change.repeat.setText("my-own-password-2")
        with qtbot.waitSignal(app.sync.finished, timeout=20_000):
            change.ok_button.click()
        assert app.account.username == "deputy01" and app._password_dialog is None
        assert app.window.user_button.text() == "测试deputy01（代表）"
        assert not app.window.panels["budget"].is_empty()
    finally:
        app.shut_down()
