"""Pull answers built as the bytes sent: a page of changes, or one table's visible rows.

Changelog payloads are stored as the JSON arrays that travel, so a page splices them into the answer
as they are — a page of 5000 rows is never parsed and re-serialised. The integrity-check counts ride
on a pull's last page; they are cached by (epoch, head, viewer), so the frequent pull with nothing
new costs one query (:func:`position`) besides the token check, and no counting. A client that sends
the digest of its own counts gets none back when the page is empty and the digests agree: its replica
already passes the check.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Integer, ScalarSelect, Table, func, literal, select, union_all

from sync.protocol import MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, Cursor, counts_digest, encode_row
from sync.schema import REPLICATED_TABLES, SCHEMA_VERSION, primary_key_column, server_meta
from sync.schema import changelog as changelog_table
from sync.server import changelog, compaction
from sync.server.accounts import utcnow
from sync.server.db import read_transaction
from sync.server.scope import Viewer, load_viewer, row_condition
from sync.server.settings import SERVER_TIMEZONE
from sync.server.validation import text_problem

PROTOCOL_RANGE = {"min": MIN_PROTOCOL_VERSION, "max": PROTOCOL_VERSION}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_COLUMNS_JSON = {table.name: _json([column.name for column in table.columns]) for table in REPLICATED_TABLES}


def _splice(fields: dict[str, Any], name: str, raw_json: str) -> bytes:
    """``fields`` as a JSON object with one more member ``name`` whose value is the JSON text ``raw_json``."""
    return f"{_json(fields)[:-1]},{_json(name)}:{raw_json}}}".encode()


def server_time() -> str:
    """Now on the district's clock, the date every deadline and time progress is judged by."""
    return utcnow().astimezone(SERVER_TIMEZONE).isoformat(timespec="seconds")


class BadKey(ValueError):
    """An ``after`` key that cannot be a key of the table."""


# ---------------------------------------------------------------- counts for the integrity check

def visible_counts(conn: Connection, viewer: Viewer) -> dict[str, int]:
    """How many rows of each replicated table ``viewer`` may see, in one round trip."""
    per_table = [
        select(literal(table.name).label("name"), func.count().label("rows"))
        .select_from(table).where(row_condition(viewer, table))
        for table in REPLICATED_TABLES
    ]
    return {name: rows for name, rows in conn.execute(union_all(*per_table))}


class CountsCache:
    """:func:`visible_counts` remembered by (epoch, head, viewer); every visible change moves the head."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[str, int, Viewer], dict[str, int]] = OrderedDict()
        self._lock = threading.Lock()

    def counts(self, conn: Connection, viewer: Viewer, epoch: str, head: int) -> dict[str, int]:
        key = (epoch, head, viewer)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        found = visible_counts(conn, viewer)
        with self._lock:
            self._entries[key] = found
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return found


# ---------------------------------------------------------------- a page of changes

@dataclass(frozen=True)
class Position:
    """Where the changelog stands in a transaction: its epoch, head and retention horizon."""

    epoch: str
    head: int
    horizon: int


def _meta_value(key: str) -> ScalarSelect[str]:
    return select(server_meta.c.value).where(server_meta.c.key == key).scalar_subquery()


_POSITION = select(_meta_value("epoch"), func.coalesce(select(func.max(changelog_table.c.seq)).scalar_subquery(), 0),
                   _meta_value(compaction.HORIZON_KEY))


def position(conn: Connection) -> Position:
    """:func:`changelog.epoch`, :func:`changelog.head` and :func:`compaction.retention_horizon` in one query."""
    epoch, head, horizon = conn.execute(_POSITION).one()
    if epoch is None:  # a database no server has opened yet
        epoch = changelog.epoch(conn)
    return Position(epoch, head, int(horizon) if horizon else 0)


def _resync_reason(since: Cursor | None, at: Position) -> str | None:
    if since is None:
        return None
    if since.epoch != at.epoch:
        return "epoch_changed"
    if since.seq > at.head:
        return "cursor_ahead"
    if 0 < since.seq < at.horizon:  # seq 0 is the start: nothing there to delete
        return "cursor_expired"
    return None


def _tables_json(page: changelog.ChangePage, *, lean: bool) -> str:
    """The page's tables; ``lean`` (the client has our schema) leaves out the column names and empty lists."""
    def members(name: str, changes: changelog.TableChanges) -> Iterator[str]:
        if not lean:
            yield f'"columns":{_COLUMNS_JSON[name]}'
        if changes.upserts or not lean:
            yield f'"upserts":[{",".join(changes.upserts.values())}]'
        if changes.deletes or not lean:
            yield f'"deletes":{_json(changes.deletes)}'

    tables = (f'{_json(name)}:{{{",".join(members(name, changes))}}}' for name, changes in page.tables.items())
    return "{" + ",".join(tables) + "}"


def _changes_json(cursor: Cursor, *, has_more: bool, resync: str | None, tables_json: str,
                  counts: dict[str, int] | None, latest_client: dict[str, str | None] | None,
                  digest: str | None = None, lean: bool = False) -> bytes:
    """A page; ``resync``, ``counts``, ``counts_digest`` and ``latest_client`` are left out when null (the
    client reads absent as null), and ``schema_version`` when ``lean`` (the client sent the same), which
    keeps the sync with nothing new one small request."""
    optional = {"resync": resync, "counts": counts, "counts_digest": digest, "latest_client": latest_client}
    return _splice({
        "cursor": cursor.encode(), "has_more": has_more, "server_time": server_time(), "protocol": PROTOCOL_RANGE,
        **({} if lean else {"schema_version": SCHEMA_VERSION}),
        **{key: value for key, value in optional.items() if value is not None},
    }, "tables", tables_json)


def changes_answer(conn: Connection, at: Position, viewer: Viewer, since: Cursor | None, limit: int, *,
                   max_bytes: int, counts: CountsCache, latest_client: dict[str, str | None] | None = None,
                   client_counts: str | None = None, lean: bool = False) -> bytes:
    """The JSON answer to ``GET /changes``: the page after ``since`` that ``viewer`` may see, read in ``conn``'s
    transaction, where the changelog stands ``at``. ``lean``: the client has this server's schema
    (:func:`client_has_schema`), so column names and the schema version are left out.

    ``client_counts`` is the digest of the client's own row counts (:func:`counts_digest`): an empty last
    page leaves ``counts`` out when it matches; a last page with changes then carries only the digest of
    the server's counts (``counts_digest``), and the client asks again for the counts if its own differ.

    A cursor of another epoch, ahead of the head or below the retention horizon (see
    :mod:`sync.server.compaction`) answers ``resync`` with an empty page whose cursor is this epoch's
    start, so a client that stores it and carries on pulls everything again.
    """
    resync = _resync_reason(since, at)
    if resync is not None:
        return _changes_json(Cursor(at.epoch, 0), has_more=True, resync=resync, tables_json="{}", counts=None,
                             latest_client=latest_client, lean=lean)
    page = changelog.read_page(conn, viewer, since.seq if since else 0, max_rows=limit, max_bytes=max_bytes,
                               top=at.head)
    last_page_counts = None if page.has_more else counts.counts(conn, viewer, at.epoch, page.head)
    digest = None
    if last_page_counts is not None and client_counts is not None:  # a client that checks digests itself
        if page.entries > 0:  # it applies this page, then compares its counts and asks again on a mismatch
            digest, last_page_counts = counts_digest(last_page_counts), None
        elif client_counts == counts_digest(last_page_counts):  # nothing new, and its counts are right
            last_page_counts = None
    return _changes_json(Cursor(at.epoch, page.next_seq), has_more=page.has_more, resync=None,
                         tables_json=_tables_json(page, lean=lean), counts=last_page_counts,
                         latest_client=latest_client, digest=digest, lean=lean)


def client_has_schema(protocol: int, schema: str | None) -> bool:
    """Whether a client may be sent lean pages: it speaks protocol 2 or later and said it has our schema
    (``BudgetWatch-Schema``), so it knows every table's columns in our order."""
    return protocol >= 2 and schema == str(SCHEMA_VERSION)


def changes_body(engine: Engine, user_id: int, since: Cursor | None, limit: int, *, max_bytes: int,
                 counts: CountsCache, latest_client: dict[str, str | None] | None = None,
                 client_counts: str | None = None) -> bytes:
    """:func:`changes_answer` for the user ``user_id``, in a read transaction of its own."""
    with read_transaction(engine) as conn:
        return changes_answer(conn, position(conn), load_viewer(conn, user_id), since, limit, max_bytes=max_bytes,
                              counts=counts, latest_client=latest_client, client_counts=client_counts)


# ---------------------------------------------------------------- one table's rows

def _key_value(table: Table, text: str) -> Any:
    column = primary_key_column(table)
    if not isinstance(column.type, Integer):
        problem = text_problem(text)
        if problem is not None:
            raise BadKey(problem)
        return text
    try:
        value = int(text)
    except ValueError:
        raise BadKey(f"{text[:40]!r} 不是 {table.name} 的主键值 (应为整数)") from None
    if abs(value) >= 2**63:
        raise BadKey(f"{text[:40]!r} 超出 {table.name} 主键的范围")
    return value


def table_body(engine: Engine, user_id: int, table: Table, after: str | None, limit: int, *,
               max_bytes: int) -> bytes:
    """The JSON answer to ``GET /tables/<name>``: the user's visible rows of ``table`` after key ``after``."""
    key_column = primary_key_column(table)
    query = select(table).order_by(key_column).limit(limit + 1)
    if after is not None:
        query = query.where(key_column > _key_value(table, after))
    with read_transaction(engine) as conn:
        viewer = load_viewer(conn, user_id)
        cursor = Cursor(changelog.epoch(conn), changelog.head(conn))
        rows, size, has_more = [], 0, False
        for row in conn.execute(query.where(row_condition(viewer, table))):
            encoded = encode_row(table, changelog.in_utc(table, dict(row._mapping)))
            row_size = len(encoded.encode())
            if len(rows) >= limit or (rows and size + row_size > max_bytes):
                has_more = True
                break
            rows.append(encoded)
            size += row_size
    fields = {"columns": [column.name for column in table.columns], "has_more": has_more, "cursor": cursor.encode()}
    return _splice(fields, "rows", f"[{','.join(rows)}]")
