"""The audit log: who changed what on the server, when, and from which device.

Every write appends one entry *in the transaction of the write itself*, so an entry exists exactly
when its change does: an import, a pushed command (applied or rejected), an account change, a
sign-in, a password change, a backup, a restore, a compaction. API writes name the signed-in user and
the device id of their token; the command line names the operating-system user and the device
``cli``. The detail is a small JSON object of what the action needs to be understood later.

The table is server-only and append-only: no API route reads or writes it, nothing here updates or
deletes an entry, and ``budgetwatch-server audit`` prints it. A restore carries over the entries
written after the backup was taken (see :mod:`sync.server.backup`), so restoring an old state never
erases the record of what happened since.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from sync.schema import audit_log
from sync.server.settings import SERVER_TIMEZONE

#: The device of every entry written by ``budgetwatch-server`` on the server's command line.
CLI_DEVICE = "cli"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: str
    device: str
    action: str
    detail: dict[str, Any]


def cli_actor() -> str:
    """Who runs the command line: the operating-system user (there is no sign-in there)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return "admin"


def _json(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, separators=(",", ":"), default=str, sort_keys=True)


def record(conn: Connection, *, actor: str, device: str, action: str, detail: dict[str, Any] | None = None,
           at: dt.datetime | None = None) -> None:
    """Append one entry in ``conn``'s transaction (so it commits or rolls back with the write it records)."""
    conn.execute(insert(audit_log).values(
        at=(at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC), actor=actor[:64], device=(device or "?")[:64],
        action=action[:64], detail=_json(detail or {})))


def record_cli(conn: Connection, action: str, detail: dict[str, Any] | None = None) -> None:
    """An entry for something done on the server's command line."""
    record(conn, actor=cli_actor(), device=CLI_DEVICE, action=action, detail=detail)


def entries(conn: Connection, *, actor: str | None = None, since: dt.datetime | None = None,
            after_id: int = 0) -> Iterator[AuditEntry]:
    """Entries in the order they were written, optionally of one actor, from a moment, after an id."""
    query = select(audit_log).where(audit_log.c.id > after_id).order_by(audit_log.c.id)
    if actor is not None:
        query = query.where(audit_log.c.actor == actor)
    if since is not None:  # in UTC, as stored: SQLite compares the wall-clock text
        query = query.where(audit_log.c.at >= since.astimezone(dt.UTC))
    for row in conn.execute(query).mappings():
        at = row["at"] if row["at"].tzinfo else row["at"].replace(tzinfo=dt.UTC)
        yield AuditEntry(row["id"], at, row["actor"], row["device"], row["action"], json.loads(row["detail"]))


def describe(entry: AuditEntry) -> str:
    """One line of ``budgetwatch-server audit``: the district's time, who, device, action, detail."""
    when = entry.at.astimezone(SERVER_TIMEZONE).strftime("%Y-%m-%d %H:%M:%S")
    return f"{when}  {entry.actor:<16} {entry.device:<20} {entry.action:<32} {_json(entry.detail)}"
