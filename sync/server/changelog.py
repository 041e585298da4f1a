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

Reading
    :func:`read_page` returns, for a cursor and a viewer, the next page bounded by rows and bytes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, func, select
from sqlalchemy import delete as sql_delete
from sqlalchemy import insert as sql_insert
from sqlalchemy import update as sql_update

from sync.protocol import encode_row
from sync.schema import changelog, primary_key_column, server_meta
from sync.server.scope import Viewer, changelog_condition

#: Arbitrary constant naming our advisory lock ("BWCL" in ASCII).
_APPEND_LOCK_KEY = 0x4257434C


def lock_appends(conn: Connection) -> None:
    """Serialise changelog appends until this transaction ends (no-op on SQLite)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_APPEND_LOCK_KEY})")


def _complete(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """The row with every column present, column defaults filled in, so payloads are whole."""
    full = {}
    for column in table.columns:
        if column.name in row:
            full[column.name] = row[column.name]
        elif column.default is not None and column.default.is_scalar:
            full[column.name] = column.default.arg
        else:
            full[column.name] = None
    return full


def _audience(table: Table, row: dict[str, Any]) -> tuple[Any, Any, Any]:
    names = table.info["audience_columns"]
    return tuple(row.get(names[k]) if names[k] else None for k in ("region", "department", "user"))


def _entry(table: Table, row: dict[str, Any], op: str) -> dict[str, Any]:
    region, department, user = _audience(table, row)
    return {
        "table_name": table.name,
        "row_key": str(row[primary_key_column(table).name]),
        "op": op,
        "region_code": region,
        "department_code": department,
        "user_id": user,
        "payload": encode_row(table, row) if op == "u" else None,
    }


def insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert new rows (keys included) and append an upsert entry for each. Returns the full rows."""
    if not rows:
        return []
    full = [_complete(table, row) for row in rows]
    lock_appends(conn)
    conn.execute(sql_insert(table), full)
    conn.execute(sql_insert(changelog), [_entry(table, row, "u") for row in full])
    return full


def _current_rows(conn: Connection, table: Table, keys: Iterable[Any]) -> dict[Any, dict[str, Any]]:
    key_column = primary_key_column(table)
    found: dict[Any, dict[str, Any]] = {}
    key_list = list(keys)
    for start in range(0, len(key_list), 500):
        chunk = key_list[start:start + 500]
        for row in conn.execute(select(table).where(key_column.in_(chunk))).mappings():
            found[row[key_column.name]] = dict(row)
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
        after = {**before, **values}
        if _audience(table, before) != _audience(table, after):
            entries.append(_entry(table, before, "d"))
        entries.append(_entry(table, after, "u"))
        new_rows.append(after)
        conn.execute(sql_update(table).where(key_column == key).values(**values))
    conn.execute(sql_insert(changelog), entries)
    return new_rows


def delete(conn: Connection, table: Table, keys: Iterable[Any]) -> int:
    """Delete rows and append a tombstone (with each row's audience) for each; returns how many."""
    key_column = primary_key_column(table)
    lock_appends(conn)
    old = _current_rows(conn, table, keys)
    if not old:
        return 0
    conn.execute(sql_delete(table).where(key_column.in_(list(old))))
    conn.execute(sql_insert(changelog), [_entry(table, row, "d") for row in old.values()])
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
              max_bytes: int = 2_000_000) -> ChangePage:
    """The next page after ``since`` of entries ``viewer`` may see, bounded by rows and payload bytes.

    Within a page a key's last entry wins, so a tombstone followed by an upsert (reassignment seen
    by a user who sees both sides) arrives as the upsert.
    """
    top = head(conn)
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
    for seq, table_name, key, op, payload in conn.execute(query):
        if consumed >= max_rows or (consumed and size >= max_bytes):
            has_more = True
            break
        changes = tables.setdefault(table_name, TableChanges())
        if op == "u":
            changes.upserts[key] = payload
            size += len(payload)
        else:
            changes.upserts.pop(key, None)
            changes.deletes.append(key)
            size += len(key)
        consumed += 1
        last_seq = seq
    for changes in tables.values():
        # A key deleted and then upserted again in this page is an upsert.
        changes.deletes = [k for k in dict.fromkeys(changes.deletes) if k not in changes.upserts]
    return ChangePage(tables, last_seq if has_more else max(top, since), has_more, top, consumed, size)
