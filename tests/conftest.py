"""Setup shared by every test.

Environment (set on import, before any project module is imported):
    Qt runs headless (``QT_QPA_PLATFORM=offscreen`` unless already set, e.g. to ``xcb`` under Xvfb);
    ``keyring`` uses the in-memory :class:`tests.keyring_backend.MemoryKeyring`; ``BUDGETWATCH_HOME``,
    ``BUDGETWATCH_SERVER_HOME`` and the XDG dirs (QSettings, platformdirs) point into a temp dir made
    for this session, so no test touches the real user's data; the developer's own
    ``BUDGETWATCH_DATABASE_URL`` / ``BUDGETWATCH_SERVER`` / ``BUDGETWATCH_CA_BUNDLE`` are dropped.
    Subprocesses inherit all of this (``PYTHONPATH`` gets the repo root so they find the keyring).

Databases:
    ``server_db_url`` — a fresh, *empty* database, parametrized ``sqlite`` (a file in ``tmp_path``) and
    ``postgresql`` (a new database on the session's throwaway server, dropped afterwards); for tests
    that hand a URL to a subprocess or uvicorn. ``server_engine`` — the same database as an engine,
    migrated to head. Cases on PostgreSQL carry ``pytest.mark.postgres`` (``-m "not postgres"`` leaves
    them out). Without PostgreSQL binaries they are skipped, unless ``BUDGETWATCH_REQUIRE_POSTGRES=1``
    (``scripts/test.sh`` as root), where they fail.

Slow tests:
    ``@pytest.mark.slow`` runs only with ``BUDGETWATCH_SLOW_TESTS=1``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_POSTGRES_ENV = "BUDGETWATCH_REQUIRE_POSTGRES"
SLOW_TESTS_ENV = "BUDGETWATCH_SLOW_TESTS"

# ---------------------------------------------------------------- environment, before anything imports

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="bw-test-"))


def _isolate_environment() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["PYTHON_KEYRING_BACKEND"] = "tests.keyring_backend.MemoryKeyring"
    homes = {
        "BUDGETWATCH_HOME": "budgetwatch",
        "BUDGETWATCH_SERVER_HOME": "budgetwatch-server",
        "XDG_CONFIG_HOME": "xdg-config",
        "XDG_DATA_HOME": "xdg-data",
        "XDG_CACHE_HOME": "xdg-cache",
        "XDG_STATE_HOME": "xdg-state",
        "XDG_RUNTIME_DIR": "xdg-runtime",
    }
    for name, subdir in homes.items():
        path = _SESSION_DIR / subdir
        path.mkdir(mode=0o700)
        os.environ[name] = str(path)
    for name in ("BUDGETWATCH_DATABASE_URL", "BUDGETWATCH_SERVER", "BUDGETWATCH_CA_BUNDLE"):
        os.environ.pop(name, None)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))


_isolate_environment()
atexit.register(shutil.rmtree, _SESSION_DIR, ignore_errors=True)


def pytest_report_header(config) -> str:
    return f"budgetwatch test homes: {_SESSION_DIR}"


def pytest_collection_modifyitems(config, items) -> None:
    if os.environ.get(SLOW_TESTS_ENV) == "1":
        return
    skip = pytest.mark.skip(reason=f"slow; run with {SLOW_TESTS_ENV}=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _forget_keyring():
    yield
    backend = sys.modules.get("tests.keyring_backend")
    if backend is not None:
        backend.MemoryKeyring.reset()
    credentials = sys.modules.get("sync.client.credentials")
    if credentials is not None:
        credentials._session_tokens.clear()  # each test starts as a new session


@pytest.fixture
def budgetwatch_home(tmp_path, monkeypatch) -> Path:
    """A data dir of this test's own for the desktop and the server (instead of the session's)."""
    home = tmp_path / "home"
    monkeypatch.setenv("BUDGETWATCH_HOME", str(home / "budgetwatch"))
    monkeypatch.setenv("BUDGETWATCH_SERVER_HOME", str(home / "budgetwatch-server"))
    return home


# ---------------------------------------------------------------- databases

def _postgres_unavailable(reason: str):
    if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_POSTGRES_ENV}=1: PostgreSQL tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL for the whole session (see tests/pg.py), stopped at the end."""
    from tests.pg import BINDIR_ENV, PostgresUnavailable, ThrowawayPostgres, find_bindir

    try:
        import psycopg  # noqa: F401
    except ImportError:
        _postgres_unavailable("psycopg is not installed (pip install -e '.[dev]')")
    bindir = find_bindir()
    if bindir is None:
        places = f"${BINDIR_ENV}" if os.environ.get(BINDIR_ENV) else "/usr/lib/postgresql/*/bin, pg_config, PATH"
        _postgres_unavailable(f"no PostgreSQL binaries (looked in {places}); install the Debian package postgresql")
    server = ThrowawayPostgres(bindir)
    atexit.register(server.stop)  # in case the session dies before the fixture's teardown
    try:
        server.start()
    except PostgresUnavailable as exc:
        server.stop()
        _postgres_unavailable(f"could not start a throwaway PostgreSQL from {bindir}: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
                ids=["sqlite", "postgresql"])
def server_db_url(request, tmp_path) -> str:
    """A fresh, empty server database (not migrated) as a URL string."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def server_engine(server_db_url):
    """An engine on :func:`server_db_url`'s database, migrated to head (``sync.server.db.upgrade``)."""
    from sync.server import db

    engine = db.make_engine(server_db_url)
    db.upgrade(engine)
    yield engine
    engine.dispose()
