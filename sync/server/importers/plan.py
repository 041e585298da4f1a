"""What an import will change, table by table, and writing it through the changelog in one transaction.

Importers compare the file with what is stored and plan only the differences: a row whose values are
unchanged is not written, so a re-imported month reaches clients as the rows that really changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, func, select

from sync.schema import metadata, primary_key_column
from sync.server import changelog

#: Rows per ``changelog.insert`` call: executemany pays off, memory stays bounded.
CHUNK_ROWS = 20_000


@dataclass
class TableChanges:
    table: Table
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: dict[Any, dict[str, Any]] = field(default_factory=dict)  # key → changed columns
    deletes: list[Any] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"inserted": len(self.inserts), "updated": len(self.updates), "deleted": len(self.deletes)}

    def __bool__(self) -> bool:
        return bool(self.inserts or self.updates or self.deletes)


class Plan:
    """The changes of one import; tables are written parents first and deleted children first."""

    def __init__(self) -> None:
        self._tables: dict[str, TableChanges] = {}

    def of(self, table: Table) -> TableChanges:
        return self._tables.setdefault(table.name, TableChanges(table))

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        self.of(table).inserts.append(row)

    def delete(self, table: Table, key: Any) -> None:
        self.of(table).deletes.append(key)

    def upsert(self, table: Table, key: Any, stored: dict[str, Any] | None, wanted: dict[str, Any]) -> None:
        """Insert ``wanted`` (``key`` included) when nothing is stored, else update the columns that differ."""
        if stored is None:
            self.insert(table, wanted)
            return
        changed = {name: value for name, value in wanted.items() if stored.get(name) != value}
        if changed:
            self.of(table).updates[key] = changed

    def upsert_keyed(self, table: Table, ids: KeyAllocator, stored: dict[str, Any] | None,
                     wanted: dict[str, Any]) -> int:
        """Like :meth:`upsert` for a table keyed by an id: a new row takes the next id. Returns the row's id."""
        if stored is None:
            key = ids.take()
            self.insert(table, {**wanted, "id": key})
            return key
        key = stored[primary_key_column(table).name]
        self.upsert(table, key, stored, wanted)
        return key

    def counts(self) -> dict[str, dict[str, int]]:
        return {name: changes.counts() for name, changes in self._ordered() if changes}

    def apply(self, conn: Connection) -> None:
        ordered = self._ordered()
        for _name, changes in ordered:
            for start in range(0, len(changes.inserts), CHUNK_ROWS):
                changelog.insert(conn, changes.table, changes.inserts[start:start + CHUNK_ROWS])
            changelog.update(conn, changes.table, changes.updates)
        for _name, changes in reversed(ordered):
            if changes.deletes:
                changelog.delete(conn, changes.table, changes.deletes)

    def _ordered(self) -> list[tuple[str, TableChanges]]:
        return [(t.name, self._tables[t.name]) for t in metadata.sorted_tables if t.name in self._tables]


def stored_rows(conn: Connection, table: Table, *conditions: Any) -> Iterable[dict[str, Any]]:
    return (dict(row) for row in conn.execute(select(table).where(*conditions)).mappings())


class KeyAllocator:
    """New primary keys after the highest stored one (appends are serialised, so nobody else takes them)."""

    def __init__(self, conn: Connection, table: Table) -> None:
        key = primary_key_column(table)
        self._last = conn.execute(select(func.coalesce(func.max(key), 0))).scalar_one()

    def take(self) -> int:
        self._last += 1
        return self._last
