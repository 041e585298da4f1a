"""The desktop as deputies get it: the PyInstaller bundle from build.spec and the .deb from
packaging/build-deb.sh, built here and run offscreen against a live demo server.

Slow (the bundle takes about 30 s to build, the xz-compressed .deb about 75 s), so it runs in CI (``CI``
set, as ``.ci/run`` has it) or with ``BUDGETWATCH_FROZEN_TESTS=1``, and is skipped otherwise.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from sync.client.home import Account
from sync.client.replica import Replica
from sync.version import installed_version
from tests.client.conftest import PASSWORD, LiveServer, migrated_database

ROOT = Path(__file__).resolve().parents[2]
FROZEN_ENV = "BUDGETWATCH_FROZEN_TESTS"
MAX_BUNDLE_MB = 200
SERVER_ONLY = ("fastapi", "starlette", "uvicorn", "alembic", "psycopg", "argon2", "sync.server")

pytestmark = pytest.mark.skipif(not (os.environ.get(FROZEN_ENV) == "1" or os.environ.get("CI")),
                                reason=f"builds the bundle and the .deb; set {FROZEN_ENV}=1 (CI runs it)")


def run_frozen(executable: Path, *arguments: str, **environment: str) -> subprocess.CompletedProcess:
    """The bundled program with a clean environment: no test keyring (the bundle has no ``tests``), offscreen."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHON_KEYRING_BACKEND", "PYTHONPATH", "BUDGETWATCH_PASSWORD")}
    env.update(QT_QPA_PLATFORM="offscreen", **environment)
    return subprocess.run([str(executable), *arguments], env=env, capture_output=True, text=True, timeout=180)


def assert_screenshot(path: Path) -> None:
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1440, 900)
    colours = {image.pixel(x, y) for x in range(0, 1440, 40) for y in range(0, 900, 40)}
    assert len(colours) > 8, "the screenshot is (nearly) blank"


# ---------------------------------------------------------------- building

@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Iterator[Path]:
    """Where the bundle, the .deb and its unpacked root go (about 450 MB): removed afterwards."""
    path = tmp_path_factory.mktemp("frozen")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def build_dir(workspace) -> Path:
    return workspace / "pyinstaller"


@pytest.fixture(scope="module")
def bundle(build_dir) -> Path:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(build_dir / "dist"), "--workpath", str(build_dir / "build"),
                    str(ROOT / "build.spec")], cwd=ROOT, check=True, timeout=900)
    return build_dir / "dist" / "budgetwatch"


@pytest.fixture(scope="module")
def deb(bundle, workspace) -> Path:
    done = subprocess.run([str(ROOT / "packaging" / "build-deb.sh"), "--bundle", str(bundle),
                           "--out", str(workspace / "deb")],
                          capture_output=True, text=True, check=True, timeout=900)
    return Path(done.stdout.strip())


@pytest.fixture(scope="module")
def installed(deb, workspace) -> Path:
    """The package unpacked into a throwaway root, as dpkg would lay it out."""
    root = workspace / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    database = tmp_path_factory.mktemp("server") / "district.db"
    migrated_database(database, lines=12, months=3)
    server = LiveServer(database).start()
    yield server
    server.stop()
    server.engine.dispose()


# ---------------------------------------------------------------- the bundle

def test_the_bundle_is_small_and_has_no_server_in_it(bundle, build_dir):
    size_mb = sum(path.stat().st_size for path in bundle.rglob("*")
                  if path.is_file() and not path.is_symlink()) / 1024 / 1024
    print(f"bundle: {size_mb:.0f} MB")
    assert size_mb < MAX_BUNDLE_MB
    modules = (build_dir / "build" / "build" / "PYZ-00.toc").read_text()
    bundled = {name for name in SERVER_ONLY if re.search(rf"'{re.escape(name)}(\.|')", modules)}
    assert not bundled, f"server-only modules in the bundle: {bundled}"
    assert (bundle / "_internal" / "resources" / "translations" / "budgetwatch_en.qm").is_file()
    assert (bundle / "_internal" / "PySide6" / "Qt" / "translations" / "qtbase_zh_CN.qm").is_file()


def test_the_bundle_knows_its_version_and_finds_keyring_backends(bundle):
    done = run_frozen(bundle / "budgetwatch", "--diagnose")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["frozen"] and report["budgetwatch"] == installed_version()
    assert {"SecretService", "libsecret", "KWallet"} <= set(report["keyring"]["known"])  # via keyring's metadata
    # The Secret Service backend (GNOME Keyring, KWallet, deepin/UKUI keyrings) loads with its libraries;
    # with no D-Bus session here it can only get as far as looking for one.
    chosen = run_frozen(bundle / "budgetwatch", "--diagnose",
                        PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring")
    backend = json.loads(chosen.stdout)["keyring"]["backend"]
    assert backend == "keyring.backends.SecretService.Keyring" or "DBUS_SESSION_BUS_ADDRESS" in backend, backend


def test_the_bundle_signs_in_syncs_and_takes_a_screenshot(bundle, live_server, tmp_path):
    home, picture = tmp_path / "home", tmp_path / "window.png"
    done = run_frozen(bundle / "budgetwatch", "--home", str(home), "--server", live_server.url, "--user", "deputy01",
                      "--screenshot", str(picture), BUDGETWATCH_PASSWORD=PASSWORD)
    assert done.returncode == 0, done.stderr
    assert_screenshot(picture)
    with Replica(Account.of(home, live_server.url, "deputy01").replica_path) as replica:
        assert replica.counts()["budget_lines"] > 0, "the frozen program did not sync"
        assert replica.state()["last_run_result"] == "ok"


# ---------------------------------------------------------------- the .deb

def deb_field(deb: Path, field: str) -> str:
    return subprocess.run(["dpkg-deb", "--field", str(deb), field], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_the_deb_describes_and_lays_out_the_desktop(deb, tmp_path):
    info = subprocess.run(["dpkg-deb", "--info", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "Package: budgetwatch" in info and f"Version: {installed_version()}" in info
    contents = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ("./opt/budgetwatch/budgetwatch", "./usr/bin/budgetwatch -> /opt/budgetwatch/budgetwatch",
                 "./usr/share/applications/budgetwatch.desktop", "./usr/share/icons/hicolor/48x48/apps/budgetwatch.png",
                 "./usr/share/icons/hicolor/scalable/apps/budgetwatch.svg", "./etc/budgetwatch/budgetwatch.toml"):
        assert path in contents
    subprocess.run(["dpkg-deb", "--control", str(deb), str(tmp_path / "control")], check=True)
    control_files = {path.name for path in (tmp_path / "control").iterdir()}
    assert control_files == {"control", "conffiles"}, "no maintainer scripts: removal never touches user data"
    assert (tmp_path / "control" / "conffiles").read_text().split() == ["/etc/budgetwatch/budgetwatch.toml"]
    print(f"deb: {deb.stat().st_size / 1024 / 1024:.0f} MB")


def test_the_desktop_entry_is_valid(installed):
    validator = shutil.which("desktop-file-validate")
    assert validator, "desktop-file-validate (Debian: desktop-file-utils) is needed"
    entry = installed / "usr" / "share" / "applications" / "budgetwatch.desktop"
    done = subprocess.run([validator, str(entry)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout


def test_the_installed_program_starts_offline_with_the_district_preset(installed, tmp_path):
    picture = tmp_path / "signed-out.png"
    done = run_frozen(installed / "opt" / "budgetwatch" / "budgetwatch", "--home", str(tmp_path / "home"),
                      "--config", str(installed / "etc" / "budgetwatch" / "budgetwatch.toml"),
                      "--screenshot", str(picture))
    assert done.returncode == 0, done.stderr
    assert_screenshot(picture)


def _needed_libraries(path: Path) -> set[str]:
    dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic))


@functools.cache
def _linker_cache() -> str:
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"  # in sbin, which a plain user's PATH may lack
    return subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=True).stdout


def _system_package(library: str) -> str | None:
    """The package that ships ``library`` on this system (merged /usr: dpkg may know either spelling)."""
    found = re.search(rf"^\s+{re.escape(library)} \([^)]*\) => (\S+)$", _linker_cache(), re.MULTILINE)
    if not found:
        return None
    path = found.group(1)
    for spelling in (path, path.removeprefix("/usr"), "/usr" + path):
        owner = subprocess.run(["dpkg", "-S", spelling], capture_output=True, text=True)
        if owner.returncode == 0:
            return owner.stdout.split(":")[0]
    return None


def test_every_system_library_comes_from_a_dependency(deb, installed):
    bundle = installed / "opt" / "budgetwatch"
    binaries = [path for path in bundle.rglob("*")
                if path.is_file() and (".so" in path.name or path.name == "budgetwatch")]
    inside = {path.name for path in bundle.rglob("*")}
    outside = set().union(*(_needed_libraries(path) for path in binaries)) - inside
    depends = set(re.findall(r"([a-z0-9][a-z0-9.+-]+)", re.sub(r"\([^)]*\)", "", deb_field(deb, "Depends"))))
    missing = {library: _system_package(library) for library in outside}
    undeclared = {library: package for library, package in missing.items() if package not in depends}
    assert not undeclared, f"libraries the bundle loads from packages not in Depends: {undeclared}"
