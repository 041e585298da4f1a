"""Home layout, budgetwatch.toml lookup, token storage, and the client never reading its clock."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import keyring
import pytest

import sync.client
from sync.client import config as config_module
from sync.client import credentials
from sync.client.config import ConfigError, load_config
from sync.client.credentials import SERVICE, TokenFileError, TokenStore
from sync.client.home import Account, client_home, device_id, normalize_server_url, server_dir_name, user_dir_name
from tests.keyring_backend import MemoryKeyring

ROOT = Path(__file__).resolve().parents[2]


def test_home_from_argument_then_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDGETWATCH_HOME", str(tmp_path / "env"))
    assert client_home() == tmp_path / "env"
    assert client_home(tmp_path / "arg") == tmp_path / "arg"


def test_directory_names_are_safe_and_distinct():
    assert normalize_server_url("HTTPS://Budget.Example.cn:8443/bw/") == "https://budget.example.cn:8443/bw"
    assert server_dir_name("https://budget.example.cn:8443/bw/") == "budget.example.cn_8443_bw"
    assert user_dir_name("张三/..") == "%E5%BC%A0%E4%B8%89%2F.."
    assert user_dir_name("..") == "%2E."
    assert user_dir_name("a.b") != user_dir_name("a_b")
    with pytest.raises(ValueError):
        normalize_server_url("ftp://x")


def test_device_id_is_made_once_per_home(tmp_path):
    assert device_id(tmp_path) == device_id(tmp_path)
    assert device_id(tmp_path) != device_id(tmp_path / "other")


def test_users_signing_in_at_once_share_one_whole_device_id(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(lambda _: device_id(tmp_path), range(32)))
    assert len(ids) == 1 and len(ids.pop()) == 36
    assert [p.name for p in tmp_path.iterdir()] == ["device_id"]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_config_lookup_order_and_environment_overrides(tmp_path, monkeypatch):
    monkeypatch.setattr(config_module, "SYSTEM_DIR", tmp_path / "etc")
    assert load_config(tmp_path / "home").server is None
    write(tmp_path / "etc" / "budgetwatch.toml", 'server = "https://system.example"\n')
    assert load_config(tmp_path / "home").server == "https://system.example"
    write(tmp_path / "ca" / "district.pem", "pem")
    home_file = write(tmp_path / "home" / "budgetwatch.toml",
                      'server = "https://home.example"\nca_bundle = "../ca/district.pem"\nstall_timeout = 5\n')
    config = load_config(tmp_path / "home")
    assert (config.server, config.stall_timeout, config.source) == ("https://home.example", 5.0, home_file)
    assert config.ca_bundle.resolve() == (tmp_path / "ca" / "district.pem").resolve()
    explicit = write(tmp_path / "x.toml", 'server = "https://explicit.example"\n')
    assert load_config(tmp_path / "home", explicit).server == "https://explicit.example"
    monkeypatch.setenv("BUDGETWATCH_SERVER", "https://env.example")
    assert load_config(tmp_path / "home", explicit).server == "https://env.example"


@pytest.mark.parametrize(("text", "message"), [
    ("server = ", "格式错误"), ("stall_timeout = -1", "正数"), ('ca_bundle = "missing.pem"', "找不到证书文件"),
])
def test_bad_config_names_the_problem(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path, write(tmp_path / "budgetwatch.toml", text))


@pytest.fixture
def account(tmp_path) -> Account:
    return Account.of(tmp_path, "http://127.0.0.1:9", "deputy01")


def test_token_goes_to_the_keyring_never_the_password(account):
    store = TokenStore(account)
    assert store.save("tok") == "系统钥匙串"
    assert MemoryKeyring.secrets == {(SERVICE, "http://127.0.0.1:9|deputy01"): "tok"}
    assert store.load() == "tok"
    store.clear()
    assert store.load() is None


def test_without_a_usable_keyring_the_token_lives_only_in_this_session(account):
    MemoryKeyring.failing = True
    store = TokenStore(account)
    assert store.save("tok") is None  # nothing durable
    assert store.load() == "tok" and not account.token_path.exists()
    credentials._session_tokens.clear()  # a new process: sign in again
    assert TokenStore(account).load() is None


def test_clearing_forgets_the_session_token_too(account):
    MemoryKeyring.failing = True
    TokenStore(account).save("tok")
    TokenStore(account).clear()
    assert TokenStore(account).load() is None


def test_fail_backend_counts_as_no_keyring(account, monkeypatch):
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    assert TokenStore(account).save("tok") is None


def test_opted_in_token_file_is_private_and_refused_when_readable_by_others(account):
    store = TokenStore(account, use_file=True)
    assert store.save("tok") == "文件"
    assert stat.S_IMODE(account.token_path.stat().st_mode) == 0o600
    assert TokenStore(account).load() == "tok"
    account.token_path.chmod(0o644)
    with pytest.raises(TokenFileError, match="权限过宽"):
        store.load()
    store.clear()
    assert not account.token_path.exists()


def test_only_the_clock_module_reads_the_wall_clock():
    wall_clock = re.compile(r"\b(datetime\.now|date\.today|time\.time|utcnow|datetime\.today)\(")
    package = Path(sync.client.__file__).parent
    readers = [p.name for p in package.glob("*.py") if wall_clock.search(p.read_text()) and p.name != "clock.py"]
    assert readers == []


def test_headless_paths_never_import_qt():
    code = ("import sys, desktop.cli, sync.client.run, sync.client.pull;"
            "desktop.cli.main(['status']);"
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=os.environ, capture_output=True)
