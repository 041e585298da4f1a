"""The local SQLite replica of one user: replicated tables, sync state, outbox and drafts in one file.

One file per user (see :mod:`sync.client.home`) means a page and its cursor commit in one SQLite
transaction, and a user's outbox and drafts are isolated from every other user of the PC for free.
The price: rows visible to the whole district are stored once per user who syncs on this PC — simple
isolation beats deduplication here; a later bootstrap snapshot (DESIGN.md §3.10) can share them.

Replicated tables are created from :data:`sync.schema.REPLICATED_TABLES`; server-only tables never
exist here. Rows are written with ``INSERT OR REPLACE`` so a row that takes over a unique value (a
registration number, a username) from a row changed later in the same page does not fail the page:
the displaced row is removed and comes back with its own upsert. Timestamps are stored in UTC
(SQLite keeps no offset); readers attach UTC.

Beside the replicated tables the file keeps one derived from them, each line's payments by month
(:mod:`sync.client.line_payments`): every write of executions below refreshes it in the same transaction.

The file's own layout is versioned by :data:`REPLICA_VERSION`. Opening an older file migrates it in
place when a step in :data:`MIGRATIONS` exists, else drops and recreates the replicated tables and
resets the cursor (the next pull downloads them again). The outbox and drafts are never touched.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from sync.client import line_payments
from sync.client.errors import ConcurrentSync, ProtocolError
from sync.protocol import replica_storage
from sync.schema import REPLICATED_TABLES, executions, primary_key_column
from sync.schema import metadata as schema_metadata

#: Bump when the replicated tables (``sync.schema.SCHEMA_VERSION``) or the client tables change shape;
#: add a step to :data:`MIGRATIONS` when the change can be made in place.
REPLICA_VERSION = 4

#: ``{from_version: step}``: each step brings a file from ``from_version`` to ``from_version + 1``
#: inside the opening transaction. A missing step means "rebuild the replicated tables".
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    # 2: the replicated ``attachments`` table (it starts empty on the server too).
    1: lambda conn: schema_metadata.create_all(conn, tables=[schema_metadata.tables["attachments"]]),
    # 3: the executions (year, month) index that finds a year's as-of month.
    2: lambda conn: _create_index(conn, "executions", "ix_executions_year_month"),
    # 4: each line's payments month by month, derived from the executions (sync.client.line_payments).
    3: lambda conn: _derive_line_payments(conn),
}


def _create_index(conn: Connection, table: str, name: str) -> None:
    (index,) = (i for i in schema_metadata.tables[table].indexes if i.name == name)
    index.create(conn, checkfirst=True)


def _derive_line_payments(conn: Connection) -> None:
    line_payments.derived_metadata.create_all(conn)
    line_payments.rebuild(conn)


client_metadata = MetaData()

sync_state = Table(
    "sync_state", client_metadata,
    Column("key", String(32), primary_key=True),
    Column("value", Text, nullable=False),
)

outbox = Table(
    "outbox", client_metadata,
    # Queue order is this sequence, never the client's clock.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True, comment="the command's idempotency key"),
    Column("type", String(32), nullable=False),
    Column("payload", Text, nullable=False, comment="JSON"),
    Column("author", String(64), nullable=False),
    Column("created_at", String(40), nullable=False, comment="client clock, for information only"),
    Column("state", String(10), nullable=False, comment="pending | sent | applied | duplicate | rejected"),
    Column("reason", Text, nullable=True, comment="the server's reason, when rejected"),
    Column("result", Text, nullable=True, comment="JSON result of an applied command"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("answered_at", String(40), nullable=True, comment="client clock, for information only"),
    sqlite_autoincrement=True,
)

drafts = Table(
    "drafts", client_metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("payload", Text, nullable=False, comment="JSON"),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
)

activity_log = Table(
    "activity_log", client_metadata,
    # What the desktop noticed (a sign-in, a panel opened), waiting to go out in an activity.record command.
    Column("id", String(36), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("at", String(40), nullable=False, comment="client clock, ISO 8601 with offset"),
    Column("detail", String(200), nullable=True),
)

attachment_uploads = Table(
    "attachment_uploads", client_metadata,
    # Files waiting to go up (sync.client.attachments): copied into the user's outbox area at once.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True, comment="the attachment's UUID (idempotency key)"),
    Column("owner_type", String(16), nullable=False),
    Column("owner_id", String(40), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("path", Text, nullable=False, comment="the copy in the outbox area"),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("after_command", String(36), nullable=True, comment="the outbox command that creates the owner"),
    Column("state", String(10), nullable=False, comment="held (with a draft) | pending | done | failed"),
    Column("received", Integer, nullable=False, default=0, comment="bytes the server acknowledged"),
    Column("reason", Text, nullable=True),
    Column("created_at", String(40), nullable=False),
    sqlite_autoincrement=True,
)

#: sync_state keys that describe the replicated data; a reset forgets them.
CURSOR_KEYS = ("cursor", "epoch")
#: Outbox states of a command the server applied (``sync.client.outbox.DONE``).
APPLIED = ("applied", "duplicate")


@dataclass
class TableChanges:
    """One table's part of a page, decoded: rows to upsert (tuples of values in the table's column order) and
    primary keys to delete."""

    table: Table
    upserts: list[tuple[Any, ...]] = field(default_factory=list)
    deletes: list[Any] = field(default_factory=list)


#: Foreign keys stay unenforced: tables of a page may arrive in any order, and a row may refer to one
#: the user does not see (a suggestion's author from another township).
PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000")


def _configure(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy, not the driver, begins transactions
        for pragma in PRAGMAS:
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        # Writers take the lock up front and queue; readers (readonly) never wait in WAL mode.
        readonly = conn.get_execution_options().get("readonly")
        conn.exec_driver_sql("BEGIN DEFERRED" if readonly else "BEGIN IMMEDIATE")


class Replica:
    """One user's replica file. Read it through :attr:`engine` with the tables of :mod:`sync.schema`."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.engine = create_engine(f"sqlite:///{path}")
        _configure(self.engine)
        self.rebuilt = False  # whether opening had to drop the replicated tables
        with self.engine.begin() as conn:
            self._prepare(conn)

    def close(self) -> None:
        self.engine.dispose()

    def reading(self) -> Connection:
        """A connection for reading (``with replica.reading() as conn``): never waits for a writer."""
        return self.engine.connect().execution_options(readonly=True)

    def __enter__(self) -> Replica:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ layout and its version

    def _prepare(self, conn: Connection) -> None:
        client_metadata.create_all(conn)
        stored = read_state(conn).get("replica_version")
        if stored is None:
            schema_metadata.create_all(conn, tables=list(REPLICATED_TABLES))
            line_payments.derived_metadata.create_all(conn)
        elif int(stored) != REPLICA_VERSION:
            self._upgrade(conn, int(stored))
        write_state(conn, {"replica_version": str(REPLICA_VERSION)})

    def _upgrade(self, conn: Connection, version: int) -> None:
        while version < REPLICA_VERSION and version in MIGRATIONS:
            MIGRATIONS[version](conn)
            version += 1
        if version != REPLICA_VERSION:
            self._rebuild(conn)

    def _rebuild(self, conn: Connection) -> None:
        schema_metadata.drop_all(conn, tables=list(REPLICATED_TABLES))
        schema_metadata.create_all(conn, tables=list(REPLICATED_TABLES))
        line_payments.derived_metadata.drop_all(conn)
        line_payments.derived_metadata.create_all(conn)
        conn.execute(delete(sync_state).where(sync_state.c.key.in_(CURSOR_KEYS)))
        self.rebuilt = True

    # ------------------------------------------------------------ sync state

    def state(self) -> dict[str, str]:
        with self.reading() as conn:
            return read_state(conn)

    def cursor(self) -> str | None:
        return self.state().get("cursor")

    def update_state(self, values: dict[str, Any]) -> None:
        """Store values (dicts and lists as JSON) in one transaction."""
        with self.engine.begin() as conn:
            write_state(conn, values)

    def counts(self) -> dict[str, int]:
        with self.reading() as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in REPLICATED_TABLES}

    # ------------------------------------------------------------ applying what the server sent

    def apply_page(self, changes: Iterable[TableChanges], state: dict[str, Any], *,
                   expected_cursor: str | None) -> None:
        """Apply a page and store its cursor (in ``state``) in one transaction.

        ``expected_cursor`` is the cursor the page was asked for: if another process moved the stored
        cursor meanwhile, nothing is applied and :class:`ConcurrentSync` is raised.
        """
        with self.engine.begin() as conn:
            if read_state(conn).get("cursor") != expected_cursor:
                raise ConcurrentSync("另一个同步正在更新这个副本，请稍后再试")
            touched: set[Any] = set()
            for table_changes in changes:
                touched |= _lines_touched(conn, table_changes)
                _apply_table(conn, table_changes)
            line_payments.refresh(conn, touched)
            write_state(conn, state)

    def reset(self, state: dict[str, Any], *, requeue_applied: bool = False) -> None:
        """Forget every replicated row and the cursor (a resync); the outbox and drafts stay.

        ``requeue_applied``: the server went back to an older state (restored from a backup) and may
        have lost commands it had applied. They are queued again in the same transaction, so no crash
        can forget them: the server answers ``duplicate`` for each it still has and applies the others
        — each command ends up applied once.
        """
        with self.engine.begin() as conn:
            for table in (*REPLICATED_TABLES, line_payments.line_payments):
                conn.execute(delete(table))
            conn.execute(delete(sync_state).where(sync_state.c.key.in_(CURSOR_KEYS)))
            write_state(conn, state)
            if requeue_applied:
                conn.execute(update(outbox).where(outbox.c.state.in_(APPLIED)).values(state="pending"))

    def load_snapshot(self, path: Path, state: dict[str, Any], *, expected_cursor: str | None) -> None:
        """Replace every replicated row by the snapshot file's (same tables, same layout) and store its cursor
        (in ``state``), in one transaction: the outbox and drafts stay. ``INSERT … SELECT *`` from the attached
        file leaves the copying to SQLite: no row passes through Python."""
        with self.engine.connect() as conn:
            driver = conn.connection.driver_connection
            driver.execute("ATTACH DATABASE ? AS snapshot", (str(path),))  # not allowed inside a transaction
            try:
                with conn.begin():
                    if read_state(conn).get("cursor") != expected_cursor:
                        raise ConcurrentSync("另一个同步正在更新这个副本，请稍后再试")
                    for table in REPLICATED_TABLES:
                        _check_snapshot_table(conn, table)
                        conn.exec_driver_sql(f"DELETE FROM main.{table.name}")
                        conn.exec_driver_sql(f"INSERT INTO main.{table.name} SELECT * FROM snapshot.{table.name}")
                    line_payments.rebuild(conn)
                    write_state(conn, state)
            except DBAPIError as exc:
                raise ProtocolError(f"服务器发来的快照文件无法读入本地副本: {exc.orig}") from exc
            finally:
                driver.execute("DETACH DATABASE snapshot")

    def replace_table(self, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
        """Replace every row of one table (healing a count mismatch) in one transaction."""
        with self.engine.begin() as conn:
            conn.execute(delete(table))
            _apply_table(conn, TableChanges(table, list(rows)))
            if table is executions:
                line_payments.rebuild(conn)


def _apply_table(conn: Connection, changes: TableChanges) -> None:
    """Deletes, then upserts through the driver's executemany with values stored as SQLAlchemy would store
    them (:func:`sync.protocol.replica_storage`): its per-row parameter processing tripled the cost."""
    table = changes.table
    key = primary_key_column(table)
    try:
        for start in range(0, len(changes.deletes), 500):
            conn.execute(delete(table).where(key.in_(changes.deletes[start:start + 500])))
        if changes.upserts:
            names, store = list(table.columns.keys()), replica_storage(table)
            conn.exec_driver_sql(
                f"INSERT OR REPLACE INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [store(row) for row in changes.upserts])
    except DBAPIError as exc:
        raise ProtocolError(f"服务器发来的 {changes.table.name} 数据无法写入本地副本: {exc.orig}") from exc


def bring_up_to_date(path: Path) -> None:
    """Migrate an older replica file before anything reads it: a new version of the program opening the last
    one's file reads tables it may not have yet (``line_payments``). A current file is only read."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            stored = connection.execute("SELECT value FROM sync_state WHERE key = 'replica_version'").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        stored = None
    if stored != (str(REPLICA_VERSION),):
        Replica(path).close()


def _lines_touched(conn: Connection, changes: TableChanges) -> set[Any]:
    """The budget lines whose payments these changes alter: the lines of the executions written, and of the
    stored ones they replace or delete (an update could, in principle, move an execution to another line).
    Only ids up to the highest stored one can be stored: a first sync's pages look nothing up."""
    if changes.table is not executions:
        return set()
    names = list(executions.columns.keys())
    key, line = names.index(primary_key_column(executions).name), names.index("line_id")
    highest = conn.execute(select(func.max(executions.c.id))).scalar()
    stored = [row[key] for row in changes.upserts if highest is not None and row[key] <= highest]
    return line_payments.lines_of(conn, [*changes.deletes, *stored]) | {row[line] for row in changes.upserts}


def _check_snapshot_table(conn: Connection, table: Table) -> None:
    columns = [row[1] for row in conn.exec_driver_sql(f"PRAGMA snapshot.table_info({table.name})")]
    if columns != list(table.columns.keys()):
        raise ProtocolError(f"服务器发来的快照中 {table.name} 表与本程序不一致，请更新程序")


def read_state(conn: Connection) -> dict[str, str]:
    return dict(conn.execute(select(sync_state.c.key, sync_state.c.value)).all())


def write_state(conn: Connection, values: dict[str, Any]) -> None:
    rows = [{"key": k, "value": v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}
            for k, v in values.items()]
    if rows:
        statement = sqlite_insert(sync_state)
        conn.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": statement.excluded.value}),
                     rows)
