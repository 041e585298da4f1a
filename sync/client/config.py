"""District presets from ``budgetwatch.toml`` (DESIGN.md §1), overridden by the environment.

The first file found wins: ``--config FILE``, then ``BUDGETWATCH_HOME``, then beside the executable,
then ``/etc/budgetwatch/``. Keys (all optional)::

    server = "https://budget.example.gov.cn"
    ca_bundle = "district-ca.pem"      # relative to the file's directory
    update_url = "https://budget.example.gov.cn/download"
    connect_timeout = 10               # seconds to set up a connection
    stall_timeout = 30                 # seconds without a byte before a transfer counts as stalled

``BUDGETWATCH_SERVER`` and ``BUDGETWATCH_CA_BUNDLE`` override the file.
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = "budgetwatch.toml"
SERVER_ENV = "BUDGETWATCH_SERVER"
CA_BUNDLE_ENV = "BUDGETWATCH_CA_BUNDLE"
SYSTEM_DIR = Path("/etc/budgetwatch")


class ConfigError(ValueError):
    """A settings file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class ClientConfig:
    server: str | None = None
    ca_bundle: Path | None = None
    update_url: str | None = None
    connect_timeout: float = 10.0
    stall_timeout: float = 30.0
    source: Path | None = None  # the file these came from, if any


def candidate_files(explicit: Path | None, home: Path) -> list[Path]:
    if explicit is not None:
        return [explicit]
    return [home / CONFIG_FILE, Path(sys.executable).resolve().parent / CONFIG_FILE, SYSTEM_DIR / CONFIG_FILE]


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"配置文件 {path} 格式错误: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"无法读取配置文件 {path}: {exc.strerror}") from exc


def _seconds(values: dict, key: str, default: float, path: Path | None) -> float:
    value = values.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError(f"配置文件 {path} 中 {key} 应为正数（秒）")
    return float(value)


def _from_file(path: Path | None) -> ClientConfig:
    values = _read(path) if path else {}
    ca_bundle = values.get("ca_bundle")
    return ClientConfig(
        server=values.get("server"),
        ca_bundle=(path.parent / ca_bundle) if (path and ca_bundle) else None,
        update_url=values.get("update_url"),
        connect_timeout=_seconds(values, "connect_timeout", ClientConfig.connect_timeout, path),
        stall_timeout=_seconds(values, "stall_timeout", ClientConfig.stall_timeout, path),
        source=path,
    )


def load_config(home: Path, explicit: str | os.PathLike | None = None) -> ClientConfig:
    """The settings in force: the first ``budgetwatch.toml`` found, then the environment on top."""
    explicit_path = Path(explicit) if explicit else None
    if explicit_path is not None and not explicit_path.is_file():
        raise ConfigError(f"找不到配置文件 {explicit_path}")
    found = next((p for p in candidate_files(explicit_path, home) if p.is_file()), None)
    config = _from_file(found)
    server = os.environ.get(SERVER_ENV) or config.server
    ca_env = os.environ.get(CA_BUNDLE_ENV)
    ca_bundle = Path(ca_env) if ca_env else config.ca_bundle
    if ca_bundle is not None and not ca_bundle.is_file():
        raise ConfigError(f"找不到证书文件 {ca_bundle}（budgetwatch.toml 的 ca_bundle 或 {CA_BUNDLE_ENV}）")
    return ClientConfig(server, ca_bundle, config.update_url, config.connect_timeout, config.stall_timeout, found)
