"""A deputy's duty outside the loop: ``inspection.record`` (视察调研) and ``activity.record`` (履职记录).

An inspection is of a project or a policy the deputy can see; it takes that subject's region, so
everyone in scope of the subject sees it in the subject's detail. Activity items are what the
desktop noticed (sign-ins, panels opened): sent in batches, each item with its own UUID, so an item
sent twice is stored once. Suggestions, feedback and inspections count as activity where they are
applied (``suggestion.submit``, ``suggestion.feedback``, ``inspection.record``), never from a client's say-so.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints
from sqlalchemy import Connection, select

from sync.schema import activities, inspections, policies, projects
from sync.server import changelog
from sync.server.activity import record_activity
from sync.server.commands import Actor, CommandRejected, Text, command
from sync.server.scope import row_condition
from sync.server.settings import SERVER_TIMEZONE
from sync.server.validation import DatabaseId, StrictModel

#: Items per ``activity.record`` command (a client splits a longer backlog into several commands).
MAX_ACTIVITY_ITEMS = 100

SUBJECTS = {"project": (projects, "民生实事项目"), "policy": (policies, "重大政策")}


class RecordInspection(StrictModel):
    inspection_id: uuid.UUID
    date: dt.date
    subject_type: Literal["project", "policy"]
    subject_id: DatabaseId
    title: Annotated[Text, StringConstraints(max_length=200)]
    notes: Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)] | None = None


@command("inspection.record", RecordInspection, roles=("deputy",))
def record_inspection(conn: Connection, actor: Actor, payload: RecordInspection, now: dt.datetime) -> dict[str, Any]:
    """A visit to a project or a policy: stored in the subject's region, and an activity of the deputy."""
    if payload.date > now.astimezone(SERVER_TIMEZONE).date():
        raise CommandRejected(f"视察日期 {payload.date} 晚于服务器日期")
    table, what = SUBJECTS[payload.subject_type]
    region = conn.execute(select(table.c.region_code).where(table.c.id == payload.subject_id,
                                                            row_condition(actor.viewer, table))).scalar()
    if region is None:
        raise CommandRejected(f"{what} {payload.subject_id} 不存在或不在您的范围内")
    key = str(payload.inspection_id)
    if conn.execute(select(inspections.c.id).where(inspections.c.id == key)).first():
        raise CommandRejected("这条视察记录已经提交过了")
    changelog.insert(conn, inspections, [{
        "id": key, "deputy_id": actor.user_id, "region_code": region, "date": payload.date,
        "subject_type": payload.subject_type, "subject_id": payload.subject_id, "title": payload.title,
        "notes": payload.notes or None,
    }])
    record_activity(conn, user_id=actor.user_id, region_code=actor.region_code, kind="inspection", at=now,
                    detail=payload.title)
    return {"inspection_id": key}


class ActivityItem(StrictModel):
    id: uuid.UUID
    kind: Literal["sign_in", "module_opened"]  # the others are recorded where their command applies
    at: dt.datetime
    detail: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None


class RecordActivity(StrictModel):
    items: list[ActivityItem] = Field(min_length=1, max_length=MAX_ACTIVITY_ITEMS)


@command("activity.record", RecordActivity, roles=("deputy",))
def record_activities(conn: Connection, actor: Actor, payload: RecordActivity, now: dt.datetime) -> dict[str, Any]:
    """The desktop's activity items; one already stored (same id) is skipped. ``at`` is the client's clock,
    so one in the future is taken as now."""
    fresh = {str(item.id): item for item in payload.items}
    stored = set(conn.execute(select(activities.c.id).where(activities.c.id.in_(list(fresh)))).scalars())
    rows = [{"id": key, "user_id": actor.user_id, "region_code": actor.region_code, "kind": item.kind,
             "at": min(_aware(item.at), now), "detail": item.detail or None}
            for key, item in fresh.items() if key not in stored]
    changelog.insert(conn, activities, rows)
    return {"recorded": len(rows)}


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=SERVER_TIMEZONE)

