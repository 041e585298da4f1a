"""Changelog retention: drop the entries no replica needs any more, and say from which cursor on.

What a replica ends with is, for each row, the last changelog entry its user may see — who sees an
entry depends only on its table and its audience columns (region, department, user; see
:func:`sync.server.scope.changelog_condition`). So compaction keeps, for each (table, row key,
audience), the newest entry and drops the older ones. For every user and row the last entry they may
see is the newest of its own audience, so it stays, and a pull from *any* cursor still ends in the
right state. A suggestion reassigned from department A to B keeps both A's tombstone and B's
upsert: they differ in audience.

Tombstones that are the newest of their audience are kept for ``keep_days`` and then dropped too
(that is most of what a long history of deletes weighs). A replica whose cursor is below such a
dropped tombstone might still hold the row, so the highest dropped seq becomes the **retention
horizon** (``server_meta``): a pull from a cursor below it answers ``resync`` ``cursor_expired`` and the
client downloads its tables again (its outbox and drafts untouched). A pull from the start (no cursor
or seq 0) is never expired: it has nothing to delete. The newest entry of all is never dropped, so
the head (``max(seq)``) never moves back.

``budgetwatch-server compact`` runs it by hand; ``serve`` runs it about once a day
(:class:`DailyCompaction`); several ``serve`` processes on one PostgreSQL agree through
``server_meta`` on when it last ran, and an advisory lock keeps two from running at once. The same
daily run removes abandoned attachment uploads (:func:`sync.server.attachments.sweep_abandoned`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from sync.schema import changelog, server_meta
from sync.server import attachments, audit
from sync.server import changelog as server_changelog
from sync.server.settings import ServerSettings

log = logging.getLogger(__name__)

HORIZON_KEY = "retention_horizon"
COMPACTED_AT_KEY = "compacted_at"
DEFAULT_KEEP_DAYS = 90
#: Arbitrary constant naming the compaction lock ("BWCP" in ASCII).
_COMPACTION_LOCK_KEY = 0x42574350


@dataclass(frozen=True)
class CompactionReport:
    superseded: int  # entries dropped because a newer entry of the same row and audience exists
    tombstones: int  # tombstones older than ``keep_days`` dropped
    horizon: int  # the retention horizon after this run
    remaining: int  # entries left in the changelog


# ---------------------------------------------------------------- server_meta values

def _meta(conn: Connection, key: str) -> str | None:
    return conn.execute(select(server_meta.c.value).where(server_meta.c.key == key)).scalar()


def _set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(server_meta).where(server_meta.c.key == key))
    conn.execute(insert(server_meta).values(key=key, value=value))


def retention_horizon(conn: Connection) -> int:
    """The lowest cursor seq a pull may continue from (0: nothing was ever dropped that matters)."""
    value = _meta(conn, HORIZON_KEY)
    return int(value) if value else 0


def last_compacted(conn: Connection) -> dt.datetime | None:
    value = _meta(conn, COMPACTED_AT_KEY)
    return dt.datetime.fromisoformat(value) if value else None


# ---------------------------------------------------------------- compacting

def _drop_superseded(conn: Connection) -> int:
    newer = func.row_number().over(
        partition_by=(changelog.c.table_name, changelog.c.row_key, changelog.c.region_code,
                      changelog.c.department_code, changelog.c.user_id),
        order_by=changelog.c.seq.desc(),
    ).label("newer")
    ranked = select(changelog.c.seq, newer).subquery()
    doomed = select(ranked.c.seq).where(ranked.c.newer > 1)
    return conn.execute(delete(changelog).where(changelog.c.seq.in_(doomed))).rowcount


def _drop_old_tombstones(conn: Connection, before: dt.datetime, below_seq: int) -> tuple[int, int]:
    """Drop tombstones appended before ``before`` (and below the head); returns (how many, highest seq)."""
    old = (changelog.c.op == "d", changelog.c.at < before, changelog.c.seq < below_seq)
    highest = conn.execute(select(func.max(changelog.c.seq)).where(*old)).scalar()
    if highest is None:
        return 0, 0
    dropped = conn.execute(delete(changelog).where(*old, changelog.c.seq <= highest)).rowcount
    return dropped, highest


def _compact_in(conn: Connection, keep_days: int, now: dt.datetime) -> CompactionReport:
    head = server_changelog.head(conn)
    superseded = _drop_superseded(conn)
    tombstones, highest = _drop_old_tombstones(conn, now - dt.timedelta(days=keep_days), head)
    horizon = max(retention_horizon(conn), highest)
    _set_meta(conn, HORIZON_KEY, str(horizon))
    _set_meta(conn, COMPACTED_AT_KEY, now.isoformat())
    remaining = conn.execute(select(func.count()).select_from(changelog)).scalar_one()
    return CompactionReport(superseded, tombstones, horizon, remaining)


def _locked(conn: Connection) -> bool:
    """Take the compaction lock for this transaction (PostgreSQL); SQLite's writer lock already is one."""
    if conn.dialect.name != "postgresql":
        return True
    return conn.exec_driver_sql(f"SELECT pg_try_advisory_xact_lock({_COMPACTION_LOCK_KEY})").scalar()


def _due(conn: Connection, every: dt.timedelta | None, now: dt.datetime) -> bool:
    last = last_compacted(conn)
    return every is None or last is None or now - last >= every


def compact(engine: Engine, keep_days: int, *, actor: str, device: str, now: dt.datetime | None = None,
            unless_within: dt.timedelta | None = None) -> CompactionReport | None:
    """Compact in one transaction (audited). ``None`` when another process is compacting right now, or
    when one did within ``unless_within``."""
    now = now or dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        if not _locked(conn) or not _due(conn, unless_within, now):
            return None
        report = _compact_in(conn, keep_days, now)
        audit.record(conn, actor=actor, device=device, action="changelog.compact", at=now,
                     detail={"keep_days": keep_days, "superseded": report.superseded,
                             "tombstones": report.tombstones, "horizon": report.horizon})
    return report


class DailyCompaction(threading.Thread):
    """``serve``'s background maintenance: looks every ``check_every`` seconds whether a day has passed,
    then compacts the changelog and (with ``settings``, for where attachments are) sweeps abandoned uploads."""

    def __init__(self, engine: Engine, keep_days: int, *, settings: ServerSettings | None = None,
                 every: dt.timedelta = dt.timedelta(days=1), check_every: float = 3600) -> None:
        super().__init__(name="daily-compaction", daemon=True)
        self.engine = engine
        self.keep_days = keep_days
        self.settings = settings
        self.every = every
        self.check_every = check_every
        self._stopping = threading.Event()

    def run(self) -> None:
        while True:
            try:
                report = compact(self.engine, self.keep_days, actor="server", device="serve",
                                 unless_within=self.every)
            except SQLAlchemyError as exc:  # the database is away for a moment: try again later
                log.warning("changelog compaction failed: %s", exc)
            else:
                if report is not None:
                    log.info("changelog compacted: %s", report)
                    self._sweep_uploads()
            if self._stopping.wait(self.check_every):
                return

    def _sweep_uploads(self) -> None:
        if self.settings is None:
            return
        try:
            swept = attachments.sweep_abandoned(self.engine, self.settings)
        except (SQLAlchemyError, OSError) as exc:
            log.warning("sweeping abandoned uploads failed: %s", exc)
        else:
            log.info("abandoned uploads swept: %s", swept)

    def stop(self) -> None:
        self._stopping.set()
