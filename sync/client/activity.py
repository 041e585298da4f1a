"""The duty record on this PC: what the desktop noticed, held until a push goes out anyway.

Items (a sign-in, a panel opened) wait in the user's ``activity_log`` and leave as ``activity.record``
commands — with the next push that has other work, or else once per server day — so a sync with
nothing else to send stays one request. Moving items into the outbox is one transaction: an item is
either still in the log or in exactly one command, and the server stores each item once by its id.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Connection, delete, exists, insert, select

from sync.client import clock
from sync.client.outbox import UNANSWERED, Outbox
from sync.client.replica import Replica, activity_log, outbox, read_state, write_state

COMMAND = "activity.record"
MAX_ITEMS = 100  # the server's limit per command
SENT_ON = "activity_sent_on"  # sync_state: the server date the log last went out


class ActivityLog:
    """``owner``'s activity items in their replica file."""

    def __init__(self, replica: Replica, owner: str) -> None:
        self.replica = replica
        self.owner = owner

    def record(self, kind: str, detail: str | None = None) -> None:
        with self.replica.engine.begin() as conn:
            conn.execute(insert(activity_log).values(
                id=str(uuid.uuid4()), kind=kind, at=clock.wall_clock_now().isoformat(timespec="seconds"),
                detail=detail[:200] if detail else None))

    def send_if_due(self) -> int:
        """Queue the waiting items when the push has other work or the server's day has moved on since
        they last went; returns how many commands were queued."""
        with self.replica.engine.begin() as conn:
            items = [dict(row) for row in conn.execute(select(activity_log).order_by(activity_log.c.at,
                                                                                     activity_log.c.id)).mappings()]
            server_date = _server_date(read_state(conn))
            if not items or not (_other_work(conn) or read_state(conn).get(SENT_ON) != server_date):
                return 0
            queue = Outbox(self.replica, self.owner)
            for start in range(0, len(items), MAX_ITEMS):
                queue.enqueue_in(conn, COMMAND, {"items": items[start:start + MAX_ITEMS]})
            conn.execute(delete(activity_log))
            write_state(conn, {SENT_ON: server_date})
        return -(-len(items) // MAX_ITEMS)


def _server_date(state: dict[str, str]) -> str:
    """The server's date at the last pull ("" before the first): the day boundary, never the PC's clock."""
    server_time = state.get("server_time")
    return dt.datetime.fromisoformat(server_time).date().isoformat() if server_time else ""


def _other_work(conn: Connection) -> bool:
    return conn.execute(select(exists().where(outbox.c.state.in_(UNANSWERED), outbox.c.type != COMMAND))).scalar()
