"""What the district's IT needs to help from afar: versions, settings without secrets, the logs.

Help → 导出诊断信息 writes :func:`write_diagnostics`' zip; ``budgetwatch --diagnose`` prints
:func:`versions` (the check that a bundle's keyring backends load). The app log (``desktop.log`` in
``BUDGETWATCH_HOME``) is started here too, so the zip has something to carry.

Never in the zip: tokens, passwords (the settings hold none, and keys that look like one are dropped
anyway), suggestion texts or constituents' details (only counts of outbox commands).

Only :func:`start_app_log` runs at every start-up; what the rest needs (the replica, zipfile, package
metadata) is imported when a zip or the versions are asked for.
"""

from __future__ import annotations

import importlib
import json
import locale
import logging
import logging.handlers
import platform
import re
import sys
from collections import Counter
from importlib.metadata import PackageNotFoundError, entry_points, version
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, qVersion

from desktop.settings import PREFERENCES_FILE, UI_STATE_FILE
from sync.client.config import ClientConfig
from sync.client.home import replica_paths
from sync.version import installed_version

APP_LOG = "desktop.log"
APP_LOG_BYTES = 1024 * 1024
SECRET_KEY = re.compile(r"token|password|passwd|secret|credential|cookie|auth", re.IGNORECASE)
#: Modules whose version is reported (``__version__``, else the package metadata, which a bundle may lack).
LIBRARIES = ("PySide6", "pyqtgraph", "numpy", "sqlalchemy", "requests", "urllib3", "keyring", "platformdirs")


def start_app_log(home: Path) -> None:
    """Log to ``desktop.log`` besides stderr (kept small: one rotated copy of 1 MB)."""
    home.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(home / APP_LOG, maxBytes=APP_LOG_BYTES, backupCount=1,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logging.getLogger().addHandler(handler)


# ---------------------------------------------------------------- versions

def _library_version(name: str) -> str | None:
    try:
        return getattr(importlib.import_module(name), "__version__", None) or version(name)
    except (ImportError, PackageNotFoundError):
        return None


def keyring_report() -> dict[str, Any]:
    """The backend in use and the ones keyring can find (through its entry points: a bundle without
    keyring's metadata finds none and silently keeps tokens nowhere)."""
    import keyring

    try:
        backend = keyring.get_keyring()
        in_use = f"{type(backend).__module__}.{type(backend).__name__}"
    except Exception as exc:  # a broken keyring is exactly what this reports
        in_use = f"error: {exc}"
    return {"backend": in_use, "known": sorted(point.name for point in entry_points(group="keyring.backends"))}


def _os_name() -> str:
    try:
        return platform.freedesktop_os_release().get("PRETTY_NAME", "")
    except OSError:
        return platform.platform()


def versions() -> dict[str, Any]:
    return {
        "budgetwatch": installed_version(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "python": sys.version.split()[0],
        "qt": qVersion(),
        "libraries": {name: _library_version(name) for name in LIBRARIES},
        "os": _os_name(),
        "machine": platform.machine(),
        "locale": locale.getlocale()[0],
        "keyring": keyring_report(),
    }


# ---------------------------------------------------------------- settings

def without_secrets(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if not SECRET_KEY.search(key)}


def _ini_values(path: Path) -> dict[str, Any]:
    """A QSettings file as text values; window geometry and dock layout (binary) are left out."""
    store = QSettings(str(path), QSettings.Format.IniFormat)
    return without_secrets({key: store.value(key) for key in store.allKeys() if not key.startswith("window/")})


def _config_values(config: ClientConfig) -> dict[str, Any]:
    return {"file": str(config.source) if config.source else None, "server": config.server,
            "ca_bundle": str(config.ca_bundle) if config.ca_bundle else None, "update_url": config.update_url,
            "connect_timeout": config.connect_timeout, "stall_timeout": config.stall_timeout}


def _replica_summary(path: Path) -> dict[str, Any]:
    """Sync state, row counts and how many outbox commands wait or were refused — never their contents."""
    from sqlalchemy import select

    from sync.client.replica import Replica, outbox

    with Replica(path) as replica:
        state = without_secrets(replica.state())
        counts = replica.counts()
        with replica.reading() as conn:
            outbox_states = Counter(conn.execute(select(outbox.c.state)).scalars())
    return {"state": state, "rows": counts, "outbox": dict(outbox_states)}


def settings_report(home: Path, config: ClientConfig) -> dict[str, Any]:
    return {
        "home": str(home),
        "budgetwatch.toml": _config_values(config),
        "preferences": _ini_values(home / PREFERENCES_FILE),
        "ui_state": _ini_values(home / UI_STATE_FILE),
        "replicas": {str(path.parent.relative_to(home)): _replica_summary(path) for path in replica_paths(home)},
    }


# ---------------------------------------------------------------- the zip

def _log_files(home: Path) -> list[Path]:
    app_logs = [home / APP_LOG, home / f"{APP_LOG}.1"]
    sync_logs = [log for path in replica_paths(home) for log in sorted(path.parent.glob("sync.log*"))]
    return [path for path in [*app_logs, *sync_logs] if path.is_file()]


def write_diagnostics(target: Path, home: Path, config: ClientConfig) -> None:
    """The zip for IT: ``versions.json``, ``settings.json`` and the logs under ``logs/``."""
    import zipfile

    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("versions.json", json.dumps(versions(), ensure_ascii=False, indent=2))
        archive.writestr("settings.json", json.dumps(settings_report(home, config), ensure_ascii=False, indent=2,
                                                     default=str))
        for path in _log_files(home):
            archive.write(path, f"logs/{path.relative_to(home)}")
