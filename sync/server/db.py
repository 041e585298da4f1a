"""The server's database: where it is, how to connect, and bringing its schema up to date (Alembic).

SQLite (embedded default, a file in ``BUDGETWATCH_SERVER_HOME``) and PostgreSQL (``--db URL`` or
``BUDGETWATCH_DATABASE_URL``) are both first-class. On SQLite every write transaction starts with
``BEGIN IMMEDIATE`` so writers queue on the file lock instead of failing half-way on an upgrade; reads
run in deferred transactions and, in WAL mode, never wait for a writer.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError

DATABASE_ENV = "BUDGETWATCH_DATABASE_URL"
HOME_ENV = "BUDGETWATCH_SERVER_HOME"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class DatabaseURLError(ValueError):
    """The database address is not something we can connect to."""


def server_home() -> Path:
    """``BUDGETWATCH_SERVER_HOME``, else the platform's user data dir + ``budgetwatch-server``."""
    home = os.environ.get(HOME_ENV)
    return Path(home) if home else Path(platformdirs.user_data_dir("budgetwatch-server", appauthor=False))


def database_url(explicit: str | None = None) -> URL:
    """The URL from ``--db``, else ``BUDGETWATCH_DATABASE_URL``, else the embedded SQLite file.

    ``postgresql://`` is read as the psycopg 3 driver, the one we install.
    """
    text = explicit or os.environ.get(DATABASE_ENV)
    if not text:
        home = server_home()
        home.mkdir(parents=True, exist_ok=True)
        return make_url(f"sqlite:///{home / 'budgetwatch.db'}")
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise DatabaseURLError(f"数据库地址无法识别: {text!r} (应为 sqlite:///路径 或 postgresql://…)") from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if not (url.drivername.startswith("sqlite") or url.drivername.startswith("postgresql")):
        raise DatabaseURLError(f"不支持的数据库类型 {url.drivername!r}: 只支持 SQLite 和 PostgreSQL")
    return url


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        mode = "DEFERRED" if conn.get_execution_options().get("readonly") else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")


#: Connections a server process keeps open. Requests run on a pool of 40 threads (anyio's default); with
#: SQLAlchemy's default of 5, every request beyond the fifth at once opened a connection and closed it
#: after, which on PostgreSQL (a new backend process each time) cost more than the request itself.
POOL_SIZE = 20
POOL_OVERFLOW = 20


def make_engine(url: str | URL | None = None) -> Engine:
    """An engine for the server database (not yet migrated: see :func:`upgrade`)."""
    resolved = url if isinstance(url, URL) else database_url(url)
    pool = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
    if resolved.drivername.startswith("sqlite"):
        engine = create_engine(resolved, connect_args={"timeout": 30}, **pool)
        _configure_sqlite(engine)
    else:
        engine = create_engine(resolved, pool_pre_ping=True, **pool)
    return engine


def is_postgres(bind: Engine | Connection) -> bool:
    return bind.dialect.name == "postgresql"


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction that sees one snapshot from its first query to its end.

    PostgreSQL: REPEATABLE READ, READ ONLY. SQLite: ``BEGIN DEFERRED`` (see :func:`_configure_sqlite`),
    which in WAL mode reads one snapshot and never waits for a writer.
    """
    with engine.connect() as conn:
        if is_postgres(conn):
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        else:
            conn.execution_options(readonly=True)
        with conn.begin():
            yield conn


def alembic_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
