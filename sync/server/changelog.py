"""The changelog: every write to a replicated table appends here, in the same transaction.

Writing
    :func:`insert`, :func:`update` and :func:`delete` change the data *and* append one entry per row
    holding the row's new values (the payload), so a pull is a plain range scan and a replica is
    always an exact prefix of the server's history. A row whose audience changes (a suggestion
    reassigned to another department) first gets a tombstone carrying the *old* audience, so the
    users who lose sight of it are told to delete it.

Ordering
    Sequence numbers must become visible in order, or a reader could pass seq 11 while seq 10 is still
    uncommitted and skip it forever. On PostgreSQL every writing transaction therefore takes one
    transaction-scoped advisory lock before its first append, so appends commit in seq order and the
    head (``max(seq)``) is a safe high-water mark. SQLite has a single writer anyway.

Timestamps
    Timezone-aware columns are written and put in payloads in UTC: SQLite keeps no offset (it stores
    the wall-clock time and hands it back naive), so an instant in Asia/Shanghai would otherwise be
    stored 8 hours off its payload, and an updated row's payload would carry naive times where the
    insert's carried aware ones. A naive value given here is taken to be UTC already.

Reading
    :func:`read_page` returns, for a cursor and a viewer, the next page bounded by rows and bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, DateTime, Table, func, select
from sqlalchemy import delete as sql_delete
from sqlalchemy import insert as sql_insert
from sqlalchemy import update as sql_update
from sqlalchemy.engine import Dialect

from sync.protocol import encode_row
from sync.schema import changelog, primary_key_column, server_meta
from sync.server.scope import Viewer, changelog_condition

#: Arbitrary constant naming our advisory lock ("BWCL" in ASCII).
_APPEND_LOCK_KEY = 0x4257434C


def lock_appends(conn: Connection) -> None:
    """Serialise changelog appends until this transaction ends (no-op on SQLite)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_APPEND_LOCK_KEY})")


@dataclass(frozen=True)
class _Layout:
    """What the write path needs to know of a table, worked out once (bulk loads write millions of rows)."""

    name: str  # the table's, a plain str: the driver binds SQLAlchemy's quoted_name (a subclass) through
    # its slow adapter path, which made appending a bulk load's entries 1.7× slower
    defaults: tuple[tuple[str, Any], ...]  # every column with its scalar default (or None)
    names: frozenset[str]  # every column
    utc_names: tuple[str, ...]  # timezone-aware timestamp columns
    key: str
    audience: tuple[str | None, str | None, str | None]  # region, department, user columns


@functools.cache
def _layout(table: Table) -> _Layout:
    defaults = tuple(
        (c.name, c.default.arg if c.default is not None and c.default.is_scalar else None) for c in table.columns
    )
    utc = tuple(c.name for c in table.columns if isinstance(c.type, DateTime) and c.type.timezone)
    names = table.info["audience_columns"]
    return _Layout(str(table.name), defaults, frozenset(name for name, _default in defaults), utc,
                   primary_key_column(table).name, (names["region"], names["department"], names["user"]))


def in_utc(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with its timezone-aware columns' values as UTC (naive ones taken as UTC), in place."""
    for name in _layout(table).utc_names:
        value = row.get(name)
        if isinstance(value, dt.datetime):
            row[name] = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return row


def _complete(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """The row with every column present, column defaults filled in, so payloads are whole."""
    layout = _layout(table)
    if row.keys() == layout.names:  # a bulk load's rows name every column: a copy costs 0.6 of rebuilding
        return in_utc(table, dict(row))
    return in_utc(table, {name: row.get(name, default) for name, default in layout.defaults})


def _audience(table: Table, row: dict[str, Any]) -> tuple[Any, Any, Any]:
    region, department, user = _layout(table).audience
    return (row.get(region) if region else None, row.get(department) if department else None,
            row.get(user) if user else None)


def _entry(table: Table, row: dict[str, Any], op: str) -> tuple[Any, ...]:
    """A changelog row, in :data:`_ENTRY_COLUMNS` order."""
    layout = _layout(table)
    region, department, user = _audience(table, row)
    payload = encode_row(table, row) if op == "u" else None
    return (layout.name, str(row[layout.key]), op, region, department, user, payload)


_ENTRY_COLUMNS = ("table_name", "row_key", "op", "region_code", "department_code", "user_id", "payload")


def _mark(dialect: Dialect) -> str:
    return "?" if dialect.paramstyle == "qmark" else "%s"


#: Rows from which PostgreSQL gets a COPY: below it, its extra round trips cost more than the binds saved.
_COPY_FROM_ROWS = 100


def _copying(conn: Connection, rows: Sequence[Any]) -> bool:
    return conn.dialect.name == "postgresql" and len(rows) >= _COPY_FROM_ROWS


def _copy(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows of plain values into ``table`` (names quoted) as one COPY stream: on PostgreSQL executemany
    pays a bind and an execute a row, and took 2.3× as long for a city-year of execution rows."""
    with (conn.connection.driver_connection.cursor() as cursor,
          cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy):
        for row in rows:
            copy.write_row(row)


#: Per (table, dialect): the quoted table and column names and a getter of a full row's values, or None.
_DriverInsert = tuple[str, tuple[str, ...], Callable[[dict[str, Any]], tuple[Any, ...]]]
_driver_inserts: dict[tuple[Table, str], _DriverInsert | None] = {}


def _driver_insert(table: Table, dialect: Dialect) -> _DriverInsert | None:
    """What writing the table's rows through the driver needs; None when a column's values need
    SQLAlchemy's processing on this dialect (SQLite dates, booleans)."""
    key = (table, dialect.name)
    if key not in _driver_inserts:
        names = [column.name for column in table.columns]
        processed = any(column.type.dialect_impl(dialect).bind_processor(dialect) for column in table.columns)
        quoted = tuple(dialect.identifier_preparer.quote(name) for name in names)
        _driver_inserts[key] = (None if processed or len(names) < 2 else
                                (dialect.identifier_preparer.format_table(table), quoted, itemgetter(*names)))
    return _driver_inserts[key]


def _insert_rows(conn: Connection, table: Table, full: list[dict[str, Any]]) -> None:
    """Insert full rows through the driver when their values go to it as they are: SQLAlchemy's per-row
    parameter processing doubles the cost of a bulk load."""
    driver = _driver_insert(table, conn.dialect)
    if driver is None:
        conn.execute(sql_insert(table), full)
        return
    name, columns, values = driver
    if _copying(conn, full):
        _copy(conn, name, columns, map(values, full))
        return
    marks = ", ".join([_mark(conn.dialect)] * len(columns))
    conn.exec_driver_sql(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", [values(row) for row in full])


def _append(conn: Connection, entries: list[tuple[Any, ...]]) -> None:
    """Append entries through the driver: they are plain strings and ints. ``at`` is the database's clock
    in UTC (compaction judges a tombstone's age by it); a COPY takes values, not expressions, so it is
    read first: PostgreSQL's CURRENT_TIMESTAMP is the transaction's start, the same for every row anyway."""
    if _copying(conn, entries):
        at = conn.exec_driver_sql("SELECT CURRENT_TIMESTAMP").scalar_one()
        _copy(conn, "changelog", (*_ENTRY_COLUMNS, "at"), ((*entry, at) for entry in entries))
        return
    sql = (f"INSERT INTO changelog ({', '.join(_ENTRY_COLUMNS)}, at) "
           f"VALUES ({', '.join([_mark(conn.dialect)] * len(_ENTRY_COLUMNS))}, CURRENT_TIMESTAMP)")
    conn.exec_driver_sql(sql, entries)


def insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert new rows (keys included) and append an upsert entry for each. Returns the full rows."""
    if not rows:
        return []
    full = [_complete(table, row) for row in rows]
    lock_appends(conn)
    _insert_rows(conn, table, full)
    _append(conn, [_entry(table, row, "u") for row in full])
    return full


def _current_rows(conn: Connection, table: Table, keys: Iterable[Any]) -> dict[Any, dict[str, Any]]:
    key_column = primary_key_column(table)
    found: dict[Any, dict[str, Any]] = {}
    key_list = list(keys)
    for start in range(0, len(key_list), 500):
        chunk = key_list[start:start + 500]
        for row in conn.execute(select(table).where(key_column.in_(chunk))).mappings():
            found[row[key_column.name]] = in_utc(table, dict(row))
    return found


def update(conn: Connection, table: Table, changes: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
    """Apply ``{key: {column: new value}}`` and append entries; returns the new full rows.

    Raises ``KeyError`` for a key that does not exist.
    """
    if not changes:
        return []
    key_column = primary_key_column(table)
    lock_appends(conn)
    old = _current_rows(conn, table, changes)
    entries, new_rows = [], []
    for key, values in changes.items():
        before = old[key]
        values = in_utc(table, dict(values))
        after = {**before, **values}
        if _audience(table, before) != _audience(table, after):
            entries.append(_entry(table, before, "d"))
        entries.append(_entry(table, after, "u"))
        new_rows.append(after)
        conn.execute(sql_update(table).where(key_column == key).values(**values))
    _append(conn, entries)
    return new_rows


def delete(conn: Connection, table: Table, keys: Iterable[Any]) -> int:
    """Delete rows and append a tombstone (with each row's audience) for each; returns how many."""
    key_column = primary_key_column(table)
    lock_appends(conn)
    old = _current_rows(conn, table, keys)
    if not old:
        return 0
    conn.execute(sql_delete(table).where(key_column.in_(list(old))))
    _append(conn, [_entry(table, row, "d") for row in old.values()])
    return len(old)


# ---------------------------------------------------------------- epoch and head

def epoch(conn: Connection) -> str:
    """This database's epoch, created on first use; a restore from backup replaces it."""
    value = conn.execute(select(server_meta.c.value).where(server_meta.c.key == "epoch")).scalar()
    if value is None:
        value = uuid.uuid4().hex[:12]
        conn.execute(sql_insert(server_meta).values(key="epoch", value=value))
    return value


def new_epoch(conn: Connection) -> str:
    value = uuid.uuid4().hex[:12]
    conn.execute(sql_delete(server_meta).where(server_meta.c.key == "epoch"))
    conn.execute(sql_insert(server_meta).values(key="epoch", value=value))
    return value


def head(conn: Connection) -> int:
    """The highest committed seq: with appends serialised, nothing at or below it is still in flight."""
    return conn.execute(select(func.coalesce(func.max(changelog.c.seq), 0))).scalar_one()


# ---------------------------------------------------------------- reading pages

@dataclass
class TableChanges:
    upserts: dict[str, str] = field(default_factory=dict)  # row key → JSON payload
    deletes: list[str] = field(default_factory=list)


@dataclass
class ChangePage:
    tables: dict[str, TableChanges]
    next_seq: int
    has_more: bool
    head: int
    entries: int  # changelog entries consumed (before folding repeated keys)
    payload_bytes: int


def read_page(conn: Connection, viewer: Viewer, since: int, *, max_rows: int = 5000,
              max_bytes: int = 2_000_000, top: int | None = None) -> ChangePage:
    """The next page after ``since`` of entries ``viewer`` may see, bounded by rows and payload bytes;
    ``top`` is the head when the caller has read it in this transaction already.

    Within a page a key's last entry wins, so a tombstone followed by an upsert (reassignment seen
    by a user who sees both sides) arrives as the upsert.
    """
    top = head(conn) if top is None else top
    if since >= top:  # nothing after it: the pull with nothing new asks the database nothing more
        return ChangePage({}, since, False, top, 0, 0)
    query = (
        select(changelog.c.seq, changelog.c.table_name, changelog.c.row_key, changelog.c.op, changelog.c.payload)
        .where(changelog.c.seq > since, changelog.c.seq <= top, changelog_condition(viewer))
        .order_by(changelog.c.seq)
        .limit(max_rows + 1)
    )
    tables: dict[str, TableChanges] = {}
    consumed = size = 0
    last_seq = since
    has_more = False
    for seq, table_name, key, op, payload in conn.execute(query).all():  # one fetch, not a call a row
        # UTF-8 bytes, not characters: Chinese text is three bytes a character on the wire.
        entry_size = len((payload if op == "u" else key).encode())
        # The bound holds for the page as a whole; only an entry larger than the bound goes alone.
        if consumed >= max_rows or (consumed and size + entry_size > max_bytes):
            has_more = True
            break
        changes = tables.setdefault(table_name, TableChanges())
        if op == "u":
            changes.upserts[key] = payload
        else:
            changes.upserts.pop(key, None)
            changes.deletes.append(key)
        size += entry_size
        consumed += 1
        last_seq = seq
    for changes in tables.values():
        # A key deleted and then upserted again in this page is an upsert.
        changes.deletes = [k for k in dict.fromkeys(changes.deletes) if k not in changes.upserts]
    return ChangePage(tables, last_seq if has_more else max(top, since), has_more, top, consumed, size)
