"""视察调研 of a project or a policy: the server's records, and this PC's not yet uploaded."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Connection, select

from sync.client.outbox import UNANSWERED
from sync.client.replica import outbox
from sync.schema import inspections, users

RECORD = "inspection.record"


@dataclass(frozen=True)
class Visit:
    date: dt.date
    deputy: str
    title: str
    notes: str | None
    state: str = "recorded"  # recorded (on the server) | pending | rejected
    reason: str | None = None  # the server's, when rejected


def visits_of(conn: Connection, subject_type: str, subject_id: int, me: str = "") -> list[Visit]:
    """Newest first; ``me`` names this PC's user on their own visits still in the outbox."""
    query = (select(inspections.c.date, users.c.display_name, inspections.c.deputy_id, inspections.c.title,
                    inspections.c.notes)
             .outerjoin(users, users.c.id == inspections.c.deputy_id)
             .where(inspections.c.subject_type == subject_type, inspections.c.subject_id == subject_id))
    found = [Visit(row.date, row.display_name or str(row.deputy_id), row.title, row.notes)
             for row in conn.execute(query)]
    queued = select(outbox.c.state, outbox.c.reason, outbox.c.payload).where(
        outbox.c.type == RECORD, outbox.c.state.in_((*UNANSWERED, "rejected")))
    for row in conn.execute(queued):
        payload = json.loads(row.payload)
        if (payload["subject_type"], payload["subject_id"]) == (subject_type, subject_id):
            state = "rejected" if row.state == "rejected" else "pending"
            found.append(Visit(dt.date.fromisoformat(payload["date"]), me, payload["title"], payload.get("notes"),
                               state, row.reason))
    return sorted(found, key=lambda visit: visit.date, reverse=True)
