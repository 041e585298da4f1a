"""``budgetwatch sync`` and ``budgetwatch status``: exact forms, one summary line, one error line."""

from __future__ import annotations

import re
import socket
import stat
import sys

import pytest

from desktop import cli
from sync.client.home import Account
from tests.client.conftest import PASSWORD
from tests.keyring_backend import MemoryKeyring


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("BUDGETWATCH_PASSWORD", PASSWORD)


def sync(url: str, home, *extra: str, user: str = "deputy01") -> int:
    return cli.main(["sync", "--server", url, "--user", user, "--home", str(home), *extra])


def test_sync_prints_one_summary_line_and_a_no_op_sync_is_one_small_request(server, home, password, capsys):
    assert sync(server.url, home) == 0
    first = capsys.readouterr().out
    assert first.count("\n") == 1 and first.startswith("同步完成：拉取 ")
    assert sync(server.url, home) == 0
    line = capsys.readouterr().out
    assert "拉取 0 行" in line and "推送 0 条命令" in line and "1 次请求" in line
    down, up = (int(n) for n in re.search(r"下行 (\d+) B / 上行 (\d+) B", line).groups())
    assert down < 1024 and up < 1024
    log = Account.of(home, server.url, "deputy01").log_path.read_text(encoding="utf-8").splitlines()
    assert len(log) == 2 and f'"bytes_down": {down}' in log[1] and '"requests": 1' in log[1]


def test_budgetwatch_home_works_where_home_does(server, home, password, monkeypatch, capsys):
    monkeypatch.setenv("BUDGETWATCH_HOME", str(home))
    assert cli.main(["sync", "--server", server.url, "--user", "deputy01"]) == 0
    assert Account.of(home, server.url, "deputy01").replica_path.exists()
    capsys.readouterr()
    assert cli.main(["status"]) == 0
    assert "deputy01" in capsys.readouterr().out


def test_status_shows_counts_and_pending_and_rejected_commands(server, home, password, client, capsys):
    deputy = client(server.url)
    deputy.queue_suggestion("别的区", region="511703001")
    assert sync(server.url, home) == 0
    deputy.queue_suggestion("还没发送")
    capsys.readouterr()
    assert cli.main(["status", "--home", str(home), "--user", "deputy01"]) == 0
    out = capsys.readouterr().out
    assert f"服务器：{server.url}" in out and "用户：deputy01（测试deputy01，代表）" in out
    assert re.search(r"同步游标：\w+\.\d+", out) and "最近一次同步：成功（服务器时间 " in out
    assert re.search(r"budget_lines\s+\d+", out)
    assert "待发送命令：1 条" in out and "尚未发送" in out
    assert "被拒绝命令：1 条" in out and "511703001" in out


def test_status_of_a_shared_pc_lists_accounts_without_their_outboxes(server, home, password, client, capsys):
    client(server.url, "deputy02").queue_suggestion("二号的秘密建议", region="511702002")
    assert sync(server.url, home) == 0 and sync(server.url, home, user="deputy02") == 0
    capsys.readouterr()
    assert cli.main(["status", "--home", str(home)]) == 0
    out = capsys.readouterr().out
    assert "--user" in out and "deputy01 @" in out and "deputy02 @" in out and "秘密" not in out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_server_is_one_line_and_exit_3(home, password, capsys):
    assert sync(f"http://127.0.0.1:{free_port()}", home) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "无法连接服务器" in err


def test_bad_credentials_is_one_line_and_exit_4(server, home, monkeypatch, capsys):
    monkeypatch.setenv("BUDGETWATCH_PASSWORD", "wrong-password")
    assert sync(server.url, home) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("同步失败：")


def test_no_token_and_no_password_asks_to_sign_in(server, home, monkeypatch, capsys):
    monkeypatch.delenv("BUDGETWATCH_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", open("/dev/null"))  # noqa: SIM115 — not a terminal: no prompt
    assert sync(server.url, home) == 4
    assert "BUDGETWATCH_PASSWORD" in capsys.readouterr().err


def test_incompatible_server_is_exit_5(server, home, password, monkeypatch, capsys):
    monkeypatch.setattr("sync.client.transport.PROTOCOL_VERSION", 99)
    assert sync(server.url, home) == 5
    assert capsys.readouterr().err.count("\n") == 1


def test_save_token_file_without_a_keyring(server, home, password, monkeypatch, capsys):
    MemoryKeyring.failing = True
    assert sync(server.url, home, "--save-token-file") == 0
    token_path = Account.of(home, server.url, "deputy01").token_path
    assert stat.S_IMODE(token_path.stat().st_mode) == 0o600
    assert PASSWORD not in token_path.read_text()
    monkeypatch.delenv("BUDGETWATCH_PASSWORD")
    assert sync(server.url, home) == 0  # the token from the file, no password needed


def test_without_qt_the_desktop_path_says_what_is_missing(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "desktop.app", None)
    assert cli.main([]) == 2
    assert "桌面界面尚未安装" in capsys.readouterr().err


def test_sync_needs_a_server(home, capsys):
    assert cli.main(["sync", "--user", "deputy01", "--home", str(home)]) == 2
    assert "--server" in capsys.readouterr().err
