"""Pull: pages of changes from the stored cursor into the replica, then the integrity check.

Every page is checked against the protocol and our schema *before* anything of it is written, then
applied together with its cursor in one transaction — so an interrupted or broken pull leaves the
replica exactly at the last good page, and the next run refetches at most one page.

An empty replica first loads the server's snapshot (:mod:`sync.client.bootstrap`) and pages on from its
cursor. A pull from a replica at the head sends a digest of its row counts: the server leaves its own
counts out when nothing changed and they are the same, which keeps the sync with nothing new small.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DateTime, Table

from sync.client.bootstrap import SnapshotBootstrap
from sync.client.errors import ProtocolError
from sync.client.progress import ProgressCallback, ProgressEvent, SyncReport
from sync.client.replica import Replica, TableChanges
from sync.client.transport import Transport
from sync.protocol import DEFAULT_PAGE_ROWS, Cursor, CursorError, counts_digest, decode_values, value_decoders
from sync.schema import REPLICATED_TABLES, primary_key_column

REPLICATED_BY_NAME: dict[str, Table] = {t.name: t for t in REPLICATED_TABLES}
#: Resync reasons that mean the server's history went back (a restore from a backup): commands it
#: applied since may be lost, so the replica's applied commands are pushed again.
SERVER_WENT_BACK = ("epoch_changed", "cursor_ahead")
Decoder = Callable[[Any], Any]


@dataclass
class Page:
    cursor: str
    has_more: bool
    resync: str | None
    changes: list[TableChanges]
    counts: dict[str, int] | None
    state: dict[str, Any]  # what the replica stores beside the data: cursor, epoch, server facts
    counts_digest: str | None = None  # instead of counts, on a last page with changes (docs/protocol.md)


# ---------------------------------------------------------------- checking and decoding what arrived

def _utc_naive(parse: Decoder) -> Decoder:
    """SQLite keeps no offset: timestamps are stored as UTC (see :mod:`sync.client.replica`)."""
    def decode(text: Any) -> dt.datetime:
        value = parse(text)
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    return decode


def column_decoders(table: Table) -> dict[str, Decoder]:
    """Column name → how its JSON value becomes the Python value the replica stores."""
    columns = list(table.columns)
    return {columns[i].name: _utc_naive(f) if isinstance(columns[i].type, DateTime) else f
            for i, f in value_decoders(table)}


_DECODERS = {t.name: column_decoders(t) for t in REPLICATED_TABLES}


def _require(body: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in body:
        raise ProtocolError(f"服务器的回答缺少字段 {key!r}（{where}）")
    if not isinstance(body[key], kind) or (kind is int and isinstance(body[key], bool)):
        raise ProtocolError(f"服务器的回答中 {key!r} 类型不对（{where}）")
    return body[key]


def _check_columns(table: Table, columns: Any, where: str) -> list[str]:
    ours = list(table.columns.keys())
    if columns is None:  # left out for a client of protocol 2 that sent the server's schema version
        return ours
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise ProtocolError(f"{table.name} 的列名格式不对（{where}）")
    if sorted(columns) != sorted(ours) or len(set(columns)) != len(columns):
        extra, missing = set(columns) - set(ours), set(ours) - set(columns)
        raise ProtocolError(f"服务器的 {table.name} 表与本程序不一致（多出 {sorted(extra)}，缺少 {sorted(missing)}；"
                            f"{where}），请更新程序")
    return columns


def decode_rows(table: Table, columns: Any, rows: Any, where: str) -> list[tuple[Any, ...]]:
    """Wire rows (lists in ``columns`` order) as tuples of Python values in the table's own column order,
    all checked. Tuples, not dicts: they go to the driver's ``executemany`` as they are, which makes decoding
    a page several times cheaper (``benchmarks initial_sync``)."""
    names = _check_columns(table, columns, where)
    decoders = [(index, decode) for index, name in enumerate(names) if (decode := _DECODERS[table.name].get(name))]
    ours = list(table.columns.keys())
    reorder = None if names == ours else operator.itemgetter(*(names.index(name) for name in ours))
    if not isinstance(rows, list):
        raise ProtocolError(f"{table.name} 的行数据格式不对（{where}）")
    decoded = []
    for row in rows:
        if not isinstance(row, list) or len(row) != len(names):
            raise ProtocolError(f"{table.name} 有一行的值个数与列数不符（{where}）")
        try:
            decode_values(row, decoders)
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise ProtocolError(f"{table.name} 有一个值无法识别（{where}）: {exc}") from exc
        decoded.append(reorder(row) if reorder else tuple(row))
    return decoded


def decode_keys(table: Table, keys: Any, where: str) -> list[Any]:
    """Delete keys arrive as strings; the replica's primary key may be an integer."""
    if not isinstance(keys, list) or not all(isinstance(k, str | int) and not isinstance(k, bool) for k in keys):
        raise ProtocolError(f"{table.name} 的删除列表格式不对（{where}）")
    kind = primary_key_column(table).type.python_type
    try:
        return [kind(key) for key in keys]
    except ValueError as exc:
        raise ProtocolError(f"{table.name} 的删除键无效（{where}）: {exc}") from exc


def _table_changes(name: Any, part: Any, where: str) -> TableChanges:
    table = REPLICATED_BY_NAME.get(name)
    if table is None:
        raise ProtocolError(f"服务器发来了本程序不认识的数据表 {name!r}（{where}），请更新程序")
    if not isinstance(part, dict):
        raise ProtocolError(f"{name} 的数据格式不对（{where}）")
    upserts = decode_rows(table, part.get("columns"), part.get("upserts", []), where)
    return TableChanges(table, upserts, decode_keys(table, part.get("deletes", []), where))


def checked_cursor(text: Any, where: str) -> Cursor:
    try:
        cursor = Cursor.decode(text) if isinstance(text, str) else None
    except CursorError as exc:
        raise ProtocolError(f"服务器发来的同步游标无效（{where}）") from exc
    if cursor is None:
        raise ProtocolError(f"服务器的回答缺少同步游标（{where}）")
    return cursor


def _counts(body: dict[str, Any], where: str) -> dict[str, int] | None:
    counts = body.get("counts")
    if counts is None:
        return None
    if not isinstance(counts, dict) or not all(isinstance(v, int) and not isinstance(v, bool)
                                               for v in counts.values()):
        raise ProtocolError(f"服务器发来的行数统计格式不对（{where}）")
    return counts


def parse_page(body: Any, where: str) -> Page:
    """A page of ``GET /changes`` checked and decoded, or :class:`ProtocolError` saying what is wrong."""
    if not isinstance(body, dict):
        raise ProtocolError(f"服务器的回答不是一个同步页面（{where}）")
    resync = body.get("resync")
    if resync is not None and not isinstance(resync, str):
        raise ProtocolError(f"服务器的回答中 'resync' 类型不对（{where}）")
    cursor_text = _require(body, "cursor", str, where)
    has_more = _require(body, "has_more", bool, where)
    tables = _require(body, "tables", dict, where)
    cursor = checked_cursor(cursor_text, where) if not resync else None
    changes = [] if resync else [_table_changes(name, part, where) for name, part in tables.items()]
    state: dict[str, Any] = {"cursor": cursor_text, "epoch": cursor.epoch} if cursor else {}
    for key, state_key in (("server_time", "server_time"), ("protocol", "server_protocol"),
                           ("schema_version", "server_schema_version")):
        if body.get(key) is not None:
            state[state_key] = body[key]
    state["latest_client"] = body.get("latest_client")  # absent: none announced (a withdrawn one is cleared)
    digest = body.get("counts_digest")
    if digest is not None and not isinstance(digest, str):
        raise ProtocolError(f"服务器的回答中 'counts_digest' 类型不对（{where}）")
    return Page(cursor_text, has_more, resync, changes, _counts(body, where), state, digest)


# ---------------------------------------------------------------- the engine

class PullEngine:
    """Brings one replica up to the server's head; figures go into ``report``."""

    def __init__(self, replica: Replica, transport: Transport, report: SyncReport,
                 progress: ProgressCallback, *, page_rows: int = DEFAULT_PAGE_ROWS, snapshot: bool = True) -> None:
        self.replica = replica
        self.transport = transport
        self.report = report
        self.progress = progress
        self.page_rows = page_rows
        self.snapshot = snapshot  # an empty replica starts from the server's snapshot
        self._stage = "pull"
        self._total: int | None = None
        self.requeued_applied = False  # the server went back: applied commands wait to be pushed again

    def pull(self) -> None:
        """Pull to the head; heal tables whose counts differ, then catch up once more.

        A mismatch left after that (the server changed again meanwhile) waits for the next run,
        rather than looping on a busy server.
        """
        counts = self._pull_pages()
        if counts is None:  # nothing changed, and the server found our counts right
            return
        mismatched = {name: counts[name] for name, local in self.replica.counts().items()
                      if name in counts and counts[name] != local}
        if mismatched:
            for name, expected in mismatched.items():
                self._heal(REPLICATED_BY_NAME[name], expected)
            self._stage = "pull"
            self._pull_pages()

    # ------------------------------------------------------------ pages

    def _pull_pages(self) -> dict[str, int] | None:
        """Page to the head. While a page is applied the next one is already being fetched (one request
        ahead, never more), so the server's work and the wire overlap the client's; see the module's note."""
        resyncs_here = 0
        with_counts, asked_for_counts = True, False
        ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-ahead")
        next_page: Future[Page] | None = None
        try:
            while True:
                self.transport.cancel.check()
                cursor = self.replica.cursor()
                if next_page is None:
                    if cursor is None and self.snapshot:
                        cursor = self._bootstrap()
                    page = self._fetch(cursor, with_counts=with_counts and cursor is not None)
                else:
                    page, next_page = next_page.result(), None
                with_counts = False
                self.report.pages += 1
                if page.resync:
                    resyncs_here += 1
                    if resyncs_here > 1:
                        raise ProtocolError(f"服务器连续要求重新同步（{page.resync}），无法继续")
                    went_back = page.resync in SERVER_WENT_BACK
                    self.replica.reset({"last_resync": page.resync}, requeue_applied=went_back)
                    self.requeued_applied = self.requeued_applied or went_back
                    self.report.resyncs += 1
                    continue
                if page.has_more:
                    next_page = ahead.submit(self._fetch, page.cursor, with_counts=False)
                self.replica.apply_page(page.changes, page.state, expected_cursor=cursor)
                for changes in page.changes:
                    self.report.rows_pulled += len(changes.upserts)
                    self.report.rows_deleted += len(changes.deletes)
                self._emit()
                if not page.has_more:
                    if self._counts_differ(page.counts_digest) and not asked_for_counts:
                        with_counts = asked_for_counts = True  # asked with our digest, the answer carries counts
                        continue
                    return page.counts
        finally:  # a page fetched ahead of a failed one is dropped: the next run asks for it again
            ahead.shutdown(wait=False, cancel_futures=True)

    def _fetch(self, cursor: str | None, *, with_counts: bool) -> Page:
        """The page after ``cursor``, checked and decoded (``with_counts``: send our counts' digest)."""
        params: dict[str, Any] = {"since": cursor}
        if self.page_rows != DEFAULT_PAGE_ROWS:
            params["limit"] = self.page_rows
        if with_counts:
            params["counts"] = counts_digest(self.replica.counts())
        where = f"拉取第 {self.report.pages + 1} 页"
        body = self.transport.request("GET", "/changes", params=params, where=where, on_bytes=self._bytes)
        return parse_page(body, where)

    def _counts_differ(self, server_digest: str | None) -> bool:
        return server_digest is not None and server_digest != counts_digest(self.replica.counts())

    # ------------------------------------------------------------ the snapshot

    def _bootstrap(self) -> str | None:
        """Load the server's snapshot into the empty replica and fetch the tables it leaves to each user;
        the cursor to page on from (``None``: no snapshot, pull every page). Tried once per pull."""
        self.snapshot = False
        offer = SnapshotBootstrap(self.replica, self.transport, self.report, self._bytes).load()
        self._emit()
        if offer is None:
            return None
        for name in offer.per_user_tables:
            if name in REPLICATED_BY_NAME:
                self._refetch(REPLICATED_BY_NAME[name])
        return self.replica.cursor()

    # ------------------------------------------------------------ healing one table

    def _heal(self, table: Table, expected: int) -> None:
        """Re-fetch a table whose count differs from the server's (see :meth:`_refetch`)."""
        self._stage, self._total = "heal", expected
        self._refetch(table)
        self.report.healed_tables.append(table.name)
        self._total = None

    def _refetch(self, table: Table) -> None:
        """Re-fetch every visible row of ``table`` and replace the local copy in one transaction.

        The cursor stays where it is: the copy is at least as new as it, and replaying the changes
        after the cursor over it ends in the same state.
        """
        rows: list[tuple[Any, ...]] = []
        after: str | None = None
        key_index = list(table.columns.keys()).index(primary_key_column(table).name)
        while True:
            where = f"重新下载 {table.name}"
            body = self.transport.request("GET", f"/tables/{table.name}",
                                          params={"after": after, "limit": self.page_rows},
                                          where=where, on_bytes=self._bytes)
            if not isinstance(body, dict):
                raise ProtocolError(f"服务器的回答格式不对（{where}）")
            page_rows = decode_rows(table, body.get("columns"), _require(body, "rows", list, where), where)
            checked_cursor(body.get("cursor"), where)
            rows.extend(page_rows)
            self.report.rows_pulled += len(page_rows)
            self._emit()
            if not _require(body, "has_more", bool, where) or not page_rows:
                break
            after = str(page_rows[-1][key_index])
        self.replica.replace_table(table, rows)

    def _bytes(self, _count: int) -> None:
        self._emit()

    def _emit(self) -> None:
        self.progress(ProgressEvent(self._stage, self.report.rows_pulled + self.report.rows_deleted,
                                    self.report.traffic.bytes_down, self._total))
