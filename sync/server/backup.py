"""Backup and restore of a district server: one archive file with the database, a manifest and the
attachments.

The archive is a gzip'd tar::

    manifest.json     format, database engine, time, server version, schema revision, epoch, head,
                      the last audit entry
    database.sqlite   SQLite: a page-for-page copy by SQLite's online backup API
    database.pgdump   PostgreSQL: ``pg_dump --format=custom``
    attachments/…     the server home's ``attachments`` directory, when there is one

Backups are consistent while the server serves: SQLite's backup API copies one snapshot in a single
step (in WAL mode readers never block writers); ``pg_dump`` reads the snapshot that a transaction of
ours exports, the same one the manifest's figures come from.

A restore replaces the database in one step — SQLite through the backup API again, PostgreSQL in one
``psql --single-transaction`` that empties the schema, replays the dump and sets a new epoch — so a
server that keeps running sees either the old database or the restored one, never the restored one
under the old epoch. The new epoch makes every client resync on its next pull: it downloads its
tables again and pushes again the commands the server had applied (``sync.client``), keeping drafts
and outbox. ``command_results`` came back with the data, so a command that was in the backup answers
``duplicate`` and one applied after it is applied again — each once. The audit entries written after
the backup are carried over into the restored database, and the restore is audited itself.
Attachments are merged: files of the backup are put back, files added since are kept (a command
applied again may refer to them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import logging
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, create_engine, func, inspect, select, text
from sqlalchemy.exc import DatabaseError, SQLAlchemyError

from sync.schema import audit_log, changelog, server_meta
from sync.server import audit, db, pg_tools
from sync.server import changelog as server_changelog
from sync.version import installed_version

log = logging.getLogger(__name__)

FORMAT = 1
MANIFEST_NAME = "manifest.json"
ATTACHMENTS_NAME = "attachments"
DUMP_NAMES = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

#: Run before the dump's own script in the restoring transaction: the schema is emptied, so tables a
#: newer migration added do not survive into a restored older database.
_EMPTY_SCHEMA = """
DO $$
DECLARE doomed record;
BEGIN
  FOR doomed IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', doomed.tablename);
  END LOOP;
END $$;
"""
#: Run after it, in the same transaction: no client ever sees the restored data under the old epoch.
_NEW_EPOCH = """
SET search_path TO DEFAULT;
DELETE FROM server_meta WHERE key = 'epoch';
INSERT INTO server_meta (key, value) VALUES ('epoch', substr(md5(random()::text || clock_timestamp()::text), 1, 12));
"""


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line for the person at the console."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    server_version: str
    schema_revision: str | None
    epoch: str | None
    head: int
    audit_head: int
    attachments: bool
    format: int = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, indent=2).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            fields = json.loads(data)
            manifest = cls(**{name: fields[name] for name in (f.name for f in dataclasses.fields(cls))})
        except (ValueError, TypeError, KeyError) as exc:
            raise BackupError(f"备份文件的清单 {MANIFEST_NAME} 无法识别") from exc
        if not isinstance(manifest.format, int) or not isinstance(manifest.audit_head, int):
            raise BackupError(f"备份文件的清单 {MANIFEST_NAME} 无法识别")
        return manifest


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    epoch: str  # the restored database's new epoch
    audit_carried: int  # audit entries written after the backup, kept
    attachments: int  # files put back


def attachments_dir() -> Path:
    """Where the server keeps attachments (photos of milestones and inspections): under its home."""
    return db.server_home() / ATTACHMENTS_NAME


# ---------------------------------------------------------------- what a snapshot holds

def _facts(conn: Connection) -> dict[str, Any]:
    """Epoch, head, last audit entry and schema revision, read in the caller's snapshot."""
    revision = None
    if inspect(conn).has_table("alembic_version"):
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return {
        "epoch": conn.execute(select(server_meta.c.value).where(server_meta.c.key == "epoch")).scalar(),
        "head": conn.execute(select(func.coalesce(func.max(changelog.c.seq), 0))).scalar_one(),
        "audit_head": conn.execute(select(func.coalesce(func.max(audit_log.c.id), 0))).scalar_one(),
        "schema_revision": revision,
    }


@contextmanager
def _plain_sqlite(path: Path) -> Iterator[Connection]:
    """A connection to a SQLite file without the server's settings (journal mode stays as it is)."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


# ---------------------------------------------------------------- backup

def _dump_sqlite(engine: Engine, dump: Path) -> dict[str, Any]:
    with engine.connect() as conn:
        copy = sqlite3.connect(dump)
        try:
            conn.connection.dbapi_connection.backup(copy)  # all pages in one step: one snapshot
        finally:
            copy.close()
    with _plain_sqlite(dump) as conn:
        return _facts(conn)


def _dump_postgres(engine: Engine, dump: Path) -> dict[str, Any]:
    pg_dump = pg_tools.program("pg_dump")
    dsn, env = pg_tools.connection(engine.url)
    with db.read_transaction(engine) as conn:
        snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        facts = _facts(conn)
        # The exported snapshot lives as long as this transaction: pg_dump reads exactly what we read.
        pg_tools.run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}", f"--dbname={dsn}"],
                     env, "pg_dump 备份数据库")
    return facts


def _write_archive(path: Path, manifest: Manifest, dump: Path, attachments: Path | None) -> None:
    with tarfile.open(path, "w:gz", compresslevel=6) as archive:
        info = tarfile.TarInfo(MANIFEST_NAME)
        data = manifest.to_json()
        info.size, info.mtime = len(data), int(dt.datetime.now(dt.UTC).timestamp())
        archive.addfile(info, io.BytesIO(data))
        archive.add(dump, arcname=dump.name)
        if attachments is not None:
            archive.add(attachments, arcname=ATTACHMENTS_NAME)


def backup(engine: Engine, target: Path, *, attachments: Path | None = None) -> Manifest:
    """Write a backup archive of the database (and the attachments) to ``target``; audited.

    The archive appears under its name only when complete (written beside it, then renamed).
    """
    attachments = attachments_dir() if attachments is None else attachments
    kind = engine.dialect.name
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".bw-backup-") as work:
        dump = Path(work) / DUMP_NAMES[kind]
        facts = _dump_sqlite(engine, dump) if kind == "sqlite" else _dump_postgres(engine, dump)
        manifest = Manifest(engine=kind, created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                            server_version=installed_version(), attachments=attachments.is_dir(), **facts)
        partial = Path(work) / "archive.partial"
        _write_archive(partial, manifest, dump, attachments if manifest.attachments else None)
        partial.replace(target)
    with engine.begin() as conn:
        audit.record_cli(conn, "backup.create", {"file": str(target.resolve()), "epoch": manifest.epoch,
                                                 "head": manifest.head})
    return manifest


# ---------------------------------------------------------------- reading an archive

def _open_archive(source: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(source, "r:*")
    except FileNotFoundError:
        raise BackupError(f"备份文件不存在: {source}") from None
    except IsADirectoryError:
        raise BackupError(f"{source} 是目录, 不是备份文件") from None
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"不是 BudgetWatch 的备份文件: {source}") from exc


def _member_bytes(archive: tarfile.TarFile, name: str) -> IO[bytes]:
    try:
        stream = archive.extractfile(name)
    except KeyError:
        stream = None
    if stream is None:
        raise BackupError(f"备份文件中缺少 {name}: 它不是完整的 BudgetWatch 备份")
    return stream


def _known_revisions(engine: Engine) -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(db.alembic_config(engine)).walk_revisions()}


def read_manifest(archive: tarfile.TarFile, engine: Engine) -> Manifest:
    """The archive's manifest, checked to be restorable into ``engine``'s database by this program."""
    manifest = Manifest.from_json(_member_bytes(archive, MANIFEST_NAME).read())
    if manifest.format > FORMAT:
        raise BackupError(f"备份文件格式 {manifest.format} 比本程序新: 请先升级服务器程序")
    if manifest.engine != engine.dialect.name:
        raise BackupError(f"这是 {ENGINE_NAMES.get(manifest.engine, manifest.engine)} 数据库的备份, "
                          f"不能恢复到 {ENGINE_NAMES[engine.dialect.name]} 数据库")
    if manifest.schema_revision and manifest.schema_revision not in _known_revisions(engine):
        raise BackupError(f"备份来自更新版本的服务器 (数据库结构 {manifest.schema_revision}): 请先升级服务器程序")
    return manifest


def _extract_dump(archive: tarfile.TarFile, manifest: Manifest, work: Path) -> Path:
    dump = work / DUMP_NAMES[manifest.engine]
    with _member_bytes(archive, dump.name) as stream, dump.open("wb") as out:
        shutil.copyfileobj(stream, out, 1024 * 1024)
    return dump


def _restore_attachments(archive: tarfile.TarFile, into: Path) -> int:
    prefix = f"{ATTACHMENTS_NAME}/"
    files = [m for m in archive.getmembers() if m.name.startswith(prefix) and m.isfile()]
    for member in files:
        archive.extract(member.replace(name=member.name[len(prefix):], deep=False), into, filter="data")
    return len(files)


# ---------------------------------------------------------------- restore

def _audit_after(engine: Engine, audit_head: int) -> list[audit.AuditEntry]:
    """The current database's audit entries written after the backup (none when it cannot be read)."""
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table(audit_log.name):
                return []
            return list(audit.entries(conn, after_id=audit_head))
    except SQLAlchemyError as exc:  # the database being replaced may be the broken one
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        log.warning("被替换的数据库无法读取, 备份之后的审计记录没有保留: %s", reason)
        return []


def _restore_sqlite(engine: Engine, dump: Path) -> None:
    """Migrate the copy and give it a new epoch, then copy it over the live database in one step."""
    staging = db.make_engine(f"sqlite:///{dump}")
    try:
        db.upgrade(staging)
        with staging.begin() as conn:
            server_changelog.new_epoch(conn)
    finally:
        staging.dispose()
    source = sqlite3.connect(dump)
    try:
        with engine.connect() as conn:
            source.backup(conn.connection.dbapi_connection)
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        if not _not_a_database(exc):
            raise
        _replace_file(engine, dump)
    finally:
        source.close()


def _not_a_database(exc: Exception) -> bool:
    """The live file is damaged or no database at all — not merely locked or unreachable."""
    error = getattr(exc, "orig", exc)
    return isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError)


def _replace_file(engine: Engine, dump: Path) -> None:
    """A damaged live file (often the reason to restore) cannot take a backup: the copy takes its place."""
    engine.dispose()
    live = Path(engine.url.database)
    for leftover in (Path(f"{live}-wal"), Path(f"{live}-shm")):
        leftover.unlink(missing_ok=True)
    swap = live.with_name(f"{live.name}.restoring")  # beside it: the rename stays on one file system
    shutil.copyfile(dump, swap)
    swap.replace(live)


def _restore_postgres(engine: Engine, dump: Path) -> None:
    """Empty the schema, replay the dump and set a new epoch, all in one transaction of ``psql``."""
    pg_restore, psql = pg_tools.program("pg_restore"), pg_tools.program("psql")
    dsn, env = pg_tools.connection(engine.url)
    work = dump.parent
    script, before, after = work / "restore.sql", work / "before.sql", work / "after.sql"
    pg_tools.run([pg_restore, "--no-owner", "--no-privileges", f"--file={script}", dump], env, "pg_restore 读取备份")
    before.write_text(_EMPTY_SCHEMA, encoding="utf-8")
    after.write_text(_NEW_EPOCH, encoding="utf-8")
    pg_tools.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", f"--dbname={dsn}",
                  "-f", before, "-f", script, "-f", after], env, "恢复数据库")
    db.upgrade(engine)


def _record_restore(engine: Engine, source: Path, manifest: Manifest, carried: list[audit.AuditEntry]) -> str:
    with engine.begin() as conn:
        for entry in carried:
            audit.record(conn, actor=entry.actor, device=entry.device, action=entry.action, detail=entry.detail,
                         at=entry.at)
        epoch = server_changelog.epoch(conn)
        audit.record_cli(conn, "backup.restore", {
            "file": str(source.resolve()), "backup_created_at": manifest.created_at,
            "backup_epoch": manifest.epoch, "epoch": epoch, "audit_carried": len(carried)})
    return epoch


def start_new_epoch(engine: Engine) -> str:
    """After the database went back by other means (point-in-time recovery, promoting a lagging
    replica): clients resync and push again what it lost, as after :func:`restore`. Audited."""
    with engine.begin() as conn:
        old = server_changelog.epoch(conn)
        epoch = server_changelog.new_epoch(conn)
        audit.record_cli(conn, "epoch.new", {"old_epoch": old, "epoch": epoch})
    return epoch


def restore(engine: Engine, source: Path, *, attachments: Path | None = None) -> RestoreReport:
    """Replace the database with the backup's, under a new epoch; merge the attachments back. Audited."""
    attachments = attachments_dir() if attachments is None else attachments
    if engine.dialect.name == "sqlite" and engine.url.database:
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)  # restoring onto a new machine
    with _open_archive(source) as archive:
        manifest = read_manifest(archive, engine)
        carried = _audit_after(engine, manifest.audit_head)
        with tempfile.TemporaryDirectory(prefix="bw-restore-") as work:
            dump = _extract_dump(archive, manifest, Path(work))
            if manifest.engine == "sqlite":
                _restore_sqlite(engine, dump)
            else:
                _restore_postgres(engine, dump)
        epoch = _record_restore(engine, source, manifest, carried)
        restored_files = _restore_attachments(archive, attachments) if manifest.attachments else 0
    return RestoreReport(manifest, epoch, len(carried), restored_files)
