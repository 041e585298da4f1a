"""The wire format shared by server and client: versions, cursors, and how a row's values travel.

A row travels as a JSON array of its values in the table's column order (column names are sent once
per table in a page, or not at all to a client of protocol 2 that has the server's schema). Money is an
integer number of fen, dates ``YYYY-MM-DD``, timestamps ISO 8601 with offset, decimals strings — nothing
is ever a float.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, Table
from sqlalchemy.dialects import sqlite

#: 2: a client that also sends ``BudgetWatch-Schema`` equal to the server's gets pages without what it already
#: knows: no ``columns``, no ``schema_version``, no empty ``upserts`` / ``deletes`` (docs/protocol.md).
PROTOCOL_VERSION = 2
#: Oldest client protocol this build's server still serves.
MIN_PROTOCOL_VERSION = 1
#: Rows a pull page holds when the client does not say (``limit``), and the most it may ask for. Five
#: thousand rather than two: a city's first paged sync went from 554 requests to 222 and from 3.1x to
#: 2.7-2.8x its limit (benchmarks/sync_speed.py); a page stays under ``page_bytes`` of row data anyway.
DEFAULT_PAGE_ROWS = MAX_PAGE_ROWS = 5000


class CursorError(ValueError):
    """A cursor that is not one of ours (garbage, or from a server that is not this one)."""


@dataclass(frozen=True)
class Cursor:
    """Position in one epoch of the server's changelog. Opaque to clients: they store and echo it."""

    epoch: str
    seq: int

    def encode(self) -> str:
        return f"{self.epoch}.{self.seq}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """``None`` or ``""`` means "from the start"; anything malformed raises :class:`CursorError`."""
        if not text:
            return None
        epoch, sep, seq = text.rpartition(".")
        if not sep or not epoch or not seq.isdigit() or len(text) > 80:
            raise CursorError(f"不是有效的同步游标: {text[:40]!r}")
        return cls(epoch, int(seq))


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@functools.cache
def row_encoder(table: Table) -> Callable[[dict[str, Any]], str]:
    """A fast encoder of one table's rows (mappings) as the compact JSON arrays stored and sent.

    Cached per table: bulk loads encode a million rows, and walking ``table.columns`` per row is
    most of the cost.
    """
    names = tuple(column.name for column in table.columns)
    special = tuple(i for i, column in enumerate(table.columns)
                    if isinstance(column.type, Date | DateTime | Numeric))
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def encode(row: dict[str, Any]) -> str:
        values = [row.get(name) for name in names]
        for i in special:
            if values[i] is not None:
                values[i] = _encode_value(values[i])
        return dumps(values)

    return encode


def encode_row(table: Table, row: dict[str, Any]) -> str:
    """A row (a mapping of column name to value) as the compact JSON array stored and sent."""
    return row_encoder(table)(row)


def _parse_datetime(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def value_decoders(table: Table) -> list[tuple[int, Callable[[Any], Any]]]:
    """(column index, decoder) for the columns whose JSON form is not already the Python value."""
    decoders: list[tuple[int, Callable[[Any], Any]]] = []
    for index, column in enumerate(table.columns):
        if isinstance(column.type, DateTime):
            decoders.append((index, _parse_datetime))
        elif isinstance(column.type, Date):
            decoders.append((index, _parse_date))
        elif isinstance(column.type, Numeric) and column.type.asdecimal:
            decoders.append((index, Decimal))
    return decoders


def decode_values(values: list[Any], decoders: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    """Turn one wire row back into Python values (in place), given :func:`value_decoders`."""
    for index, decode in decoders:
        if index < len(values) and values[index] is not None:
            values[index] = decode(values[index])
    return values


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file's content: how client and server name an attachment's bytes."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def counts_digest(counts: dict[str, int]) -> str:
    """A short fingerprint of per-table row counts: a client at the head sends its own, and the server
    leaves its counts out of the answer when they are the same (docs/protocol.md, "Pull")."""
    text = ";".join(f"{name}={rows}" for name, rows in sorted(counts.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _naive_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


@functools.cache
def replica_storage(table: Table) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """How a replica (SQLite through SQLAlchemy's types) stores one row, given its Python values in column
    order: bulk writers (a client's pages, the server's snapshot) hand the tuple to the driver's
    ``executemany`` and store exactly what SQLAlchemy would. Timestamps are stored naive, in UTC."""
    dialect = sqlite.dialect()
    steps: list[tuple[int, Callable[[Any], Any]]] = []
    for index, column in enumerate(table.columns):
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        if isinstance(column.type, DateTime):
            process = functools.partial(lambda stored, value: stored(_naive_utc(value)), process)
        if process is not None:
            steps.append((index, process))

    def store(row: Sequence[Any]) -> tuple[Any, ...]:
        if not steps:
            return tuple(row)
        values = list(row)
        for index, process in steps:
            if values[index] is not None:
                values[index] = process(values[index])
        return tuple(values)

    return store
