"""Snapshot bootstrap (DESIGN.md §3.10): a ready, compressed replica file for a new client.

What a snapshot holds
    The rows of every replicated table that a user may see, in the replica's own SQLite layout (the
    tables and indexes :mod:`sync.schema` creates, values stored as SQLAlchemy stores them), tagged
    with the cursor it is consistent with. The client copies its tables into its replica in one
    transaction and pulls on from that cursor.

Who shares one
    Users whose view differs only by who they are (the deputies of one township) share a build: it
    is made for their *audience* — role, region and department — with nobody as the user. A table
    whose visible rows depend on the user (a deputy's own activity and constituents' contacts) is
    therefore left empty and named in ``per_user_tables``; the client fetches those few rows with
    ``GET /tables/<name>``, which is safe for the same reason healing is (docs/protocol.md).

Consistency
    A build reads the head and every table in one read transaction (REPEATABLE READ on PostgreSQL).
    Appends commit in seq order (see :mod:`sync.server.changelog`), so the head is a high-water mark:
    every change at or below it is in the transaction's view, and none above it is.

Cache
    Builds live under the server home (``snapshots/``) as ``<audience>-<epoch>-<seq>.sqlite.xz`` beside a
    ``.json`` of their figures. A build is served again while it is the newest of its audience and
    younger than ``max_age`` (the client pulls the changes after it), or while it is at the head. Older
    builds are deleted once ``keep_for`` has passed, so a client resuming a download finds its file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import lzma
import os
import re
import sqlite3
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, select
from sqlalchemy.schema import CreateIndex, CreateTable

from sync.protocol import Cursor, replica_storage
from sync.schema import REPLICATED_TABLES, primary_key_column
from sync.server import changelog, compaction
from sync.server.db import read_transaction
from sync.server.pull import CountsCache
from sync.server.scope import Viewer, load_viewer, row_condition

#: Names a build can have; anything else asked for is not ours.
BUILD_NAME = re.compile(r"^[0-9a-f]{16}-[0-9A-Za-z]{1,40}-[0-9]{1,19}\.sqlite\.xz$")
#: A user id no one has: the audience's view without anyone's own rows.
NOBODY = -1
#: A district's snapshot (100,000 rows, 5.2 MB of SQLite) is 0.88 MB with these xz settings (0.6 s to pack,
#: 0.06 s to unpack); xz -6 saves 2 % more in 1.5 s, gzip -1 makes 1.77 MB, and the same rows as pages
#: are 1.06 MB. The first sync is for weak links: bytes count most.
XZ_FILTERS = [{"id": lzma.FILTER_LZMA2, "preset": 6, "mf": lzma.MF_HC4, "nice_len": 16}]
CHUNK = 1024 * 1024
FETCH_ROWS = 10_000


@dataclass(frozen=True)
class Build:
    """One snapshot file and its figures."""

    name: str
    path: Path
    epoch: str
    seq: int
    sha256: str
    size: int
    rows: int
    built_at: float  # time.time()

    @property
    def cursor(self) -> str:
        return Cursor(self.epoch, self.seq).encode()


@dataclass(frozen=True)
class Offer:
    """What a user is told to download: a build, and the tables they fetch themselves afterwards."""

    build: Build
    per_user_tables: tuple[str, ...]

    def manifest(self, url: str) -> dict[str, Any]:
        build = self.build
        return {"cursor": build.cursor, "sha256": build.sha256, "size": build.size, "rows": build.rows,
                "url": url, "per_user_tables": list(self.per_user_tables)}


# ---------------------------------------------------------------- audiences

def _condition_text(viewer: Viewer, table: Table) -> str:
    return str(row_condition(viewer, table).compile(compile_kwargs={"literal_binds": True}))


def audience_of(viewer: Viewer) -> Viewer:
    """The viewer as anyone of their audience: the same role, region and department, no user."""
    return dataclasses.replace(viewer, user_id=NOBODY)


def per_user_tables(viewer: Viewer) -> tuple[str, ...]:
    """Tables whose visible rows depend on who ``viewer`` is, not only on their audience (from the rules
    themselves, so they cannot drift from :mod:`sync.server.scope`)."""
    anyone = audience_of(viewer)
    return tuple(t.name for t in REPLICATED_TABLES if _condition_text(viewer, t) != _condition_text(anyone, t))


def audience_key(viewer: Viewer) -> str:
    anyone = audience_of(viewer)
    text = "|".join([anyone.role, anyone.region_code, anyone.department_code or "", ",".join(sorted(anyone.scope)),
                     ",".join(sorted(anyone.ancestors))])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# ---------------------------------------------------------------- writing the file

def _replica_ddl() -> tuple[list[str], list[str]]:
    """CREATE TABLE and CREATE INDEX statements of the replica's tables, as the client makes them."""
    dialect = create_engine("sqlite://").dialect
    tables = [str(CreateTable(t).compile(dialect=dialect)) for t in REPLICATED_TABLES]
    indexes = [str(CreateIndex(i).compile(dialect=dialect)) for t in REPLICATED_TABLES for i in t.indexes]
    return tables, indexes


def _copy_table(conn: Connection, out: sqlite3.Connection, viewer: Viewer, table: Table) -> int:
    """Every row of ``table`` the viewer sees, into ``out`` in key order; how many."""
    store = replica_storage(table)
    insert = f"INSERT INTO {table.name} VALUES ({','.join('?' * len(table.columns))})"
    query = select(table).where(row_condition(viewer, table)).order_by(primary_key_column(table))
    result = conn.execution_options(yield_per=FETCH_ROWS).execute(query)
    count = 0
    for rows in result.partitions():
        out.executemany(insert, [store(row) for row in rows])
        count += len(rows)
    return count


def _write_replica_file(conn: Connection, viewer: Viewer, skip: tuple[str, ...], path: Path) -> int:
    tables, indexes = _replica_ddl()
    out = sqlite3.connect(path, isolation_level=None)
    try:
        out.execute("PRAGMA journal_mode=OFF")
        out.execute("PRAGMA synchronous=OFF")
        out.execute("BEGIN")
        for ddl in tables:
            out.execute(ddl)
        rows = sum(_copy_table(conn, out, viewer, t) for t in REPLICATED_TABLES if t.name not in skip)
        # After the rows: building an index once is cheaper than growing it. The client never reads the file
        # by them, but its INSERT … SELECT * copies pages only when the source has every index of the target
        # (SQLite's transfer optimization): without them the district's file was 16 % smaller and unpacked
        # 20 ms faster, and loading it took 40 ms longer.
        for ddl in indexes:
            out.execute(ddl)
        out.execute("COMMIT")
    finally:
        out.close()
    return rows


def _compress(source: Path, target: Path) -> tuple[str, int]:
    """xz ``source`` into ``target``; the sha256 and size of the compressed bytes."""
    digest, packer = hashlib.sha256(), lzma.LZMACompressor(filters=XZ_FILTERS)
    with source.open("rb") as raw, target.open("wb") as packed:
        while chunk := raw.read(CHUNK):
            data = packer.compress(chunk)
            digest.update(data)
            packed.write(data)
        data = packer.flush()
        digest.update(data)
        packed.write(data)
        return digest.hexdigest(), packed.tell()


# ---------------------------------------------------------------- the cache of builds

class SnapshotStore:
    """Builds under ``folder``, made on demand, shared by an audience, cleaned as they age."""

    def __init__(self, folder: Path, *, max_age: dt.timedelta = dt.timedelta(minutes=10),
                 keep_for: dt.timedelta = dt.timedelta(hours=1), min_rows: int = 0) -> None:
        self.folder = folder
        self.min_rows = min_rows
        self.max_age = max_age.total_seconds()
        self.keep_for = keep_for.total_seconds()
        self._locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self._guard = threading.Lock()

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks[key]

    # ------------------------------------------------------------ reading what is there

    def _builds(self, key: str) -> list[Build]:
        found = []
        for meta in self.folder.glob(f"{key}-*.json"):
            try:
                found.append(Build(path=self.folder / meta.name.removesuffix(".json"), **json.loads(meta.read_text())))
            except (OSError, ValueError, TypeError):
                continue  # half-deleted by another worker's cleaning
        return sorted(found, key=lambda b: (b.epoch, b.seq))

    def build_named(self, key: str, epoch: str, name: str) -> Build | None:
        """The build ``name`` if it exists and belongs to audience ``key`` in this ``epoch`` (a restore from a
        backup leaves older builds behind, whose cursors no longer hold)."""
        if not BUILD_NAME.match(name) or not name.startswith(f"{key}-{epoch}-"):
            return None
        return next((b for b in self._builds(key) if b.name == name and b.path.exists()), None)

    def _usable(self, key: str, epoch: str, head: int, horizon: int) -> Build | None:
        builds = [b for b in self._builds(key) if b.epoch == epoch and horizon <= b.seq <= head and b.path.exists()]
        if not builds:
            return None
        newest = builds[-1]
        return newest if newest.seq == head or time.time() - newest.built_at < self.max_age else None

    # ------------------------------------------------------------ offering one

    def offer(self, engine: Engine, user_id: int, counts: CountsCache) -> Offer | None:
        """A build for the user's audience, reusing a fresh one, else building it now; ``None`` when the
        audience sees fewer than ``min_rows`` rows (a few pages are as quick, and need no build)."""
        with read_transaction(engine) as conn:
            viewer = load_viewer(conn, user_id)
        key, skip = audience_key(viewer), per_user_tables(viewer)
        with self._lock(key), read_transaction(engine) as conn:
            epoch, head = changelog.epoch(conn), changelog.head(conn)
            build = self._usable(key, epoch, head, compaction.retention_horizon(conn))
            if build is None:
                anyone = audience_of(load_viewer(conn, user_id))
                if sum(counts.counts(conn, anyone, epoch, head).values()) < self.min_rows:
                    return None
                build = self._build(conn, anyone, key, skip, epoch, head)
        self._clean(build.name)
        return Offer(build, skip)

    def _build(self, conn: Connection, anyone: Viewer, key: str, skip: tuple[str, ...], epoch: str,
               head: int) -> Build:
        """Write the rows ``anyone`` of the audience sees as of ``head`` (the transaction's view), publish the file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{key}-{epoch}-{head}.sqlite.xz"
        scratch = self.folder / f"{name}.{os.getpid()}.{threading.get_ident()}"
        plain, packed = scratch.with_suffix(".sqlite"), scratch.with_suffix(".xz")
        try:
            rows = _write_replica_file(conn, anyone, skip, plain)
            sha256, size = _compress(plain, packed)
            build = Build(name, self.folder / name, epoch, head, sha256, size, rows, time.time())
            os.replace(packed, build.path)
            figures = {k: v for k, v in dataclasses.asdict(build).items() if k != "path"}
            meta = scratch.with_suffix(".json")
            meta.write_text(json.dumps(figures))
            os.replace(meta, self.folder / f"{name}.json")  # published last: a build with figures is whole
        finally:
            for leftover in (plain, packed, scratch.with_suffix(".json")):
                leftover.unlink(missing_ok=True)
        return build

    def _clean(self, keep: str) -> None:
        """Delete every other build (and any crashed build's scratch files) once nobody can still be
        downloading it."""
        now = time.time()
        for path in self.folder.iterdir():
            if path.name.startswith(keep):
                continue
            try:
                if now - path.stat().st_mtime > self.keep_for:
                    path.unlink(missing_ok=True)
            except OSError:
                continue  # deleted meanwhile by another worker
