"""建议办理超期: a suggestion assigned to a department and still not answered past its deadline.

Judged by the server's date at the last sync (DESIGN.md §2), never the PC's clock; without a server
date (no sync yet) nothing is judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import select

from desktop.queries.thresholds import Thresholds
from desktop.review.context import ReviewContext
from desktop.review.model import Figure, Link, Subject, Unit, Warning
from sync.schema import suggestions

#: States where the assigned department owes an answer (reopened waits for staff to assign it again).
AWAITING_REPLY = ("assigned", "accepted")


def suggestion_overdue(ctx: ReviewContext, limits: Thresholds) -> Iterator[Warning]:
    today = ctx.as_of.server_date
    if today is None:
        return
    query = (select(suggestions.c.id, suggestions.c.number, suggestions.c.title, suggestions.c.region_code,
                    suggestions.c.department_code, suggestions.c.deadline)
             .where(suggestions.c.state.in_(AWAITING_REPLY), suggestions.c.deadline < today,
                    ctx.in_scope(suggestions.c.region_code))
             .order_by(suggestions.c.deadline, suggestions.c.id))
    for row in ctx.conn.execute(query):
        days = (today - row.deadline).days
        level = limits.level(Decimal(days))
        if level is None or not ctx.scope.has_year(row.deadline.year):
            continue
        department = ctx.places.department_name(row.department_code) if row.department_code else "承办部门"
        subject = Subject("suggestion", row.id, row.title, row.region_code, ctx.places.region_name(row.region_code))
        number = f"（{row.number}）" if row.number else ""
        deadline = f"{row.deadline.year}年{row.deadline.month}月{row.deadline.day}日"
        message = f"建议「{row.title}」{number}交{department}办理，办理期限{deadline}已过{days}天，仍未答复。"
        figures = (Figure("days_overdue", days, Unit.DAYS),)
        yield Warning("suggestion_overdue", level, row.deadline.year, subject, figures, message,
                      Link("suggestions", row=row.id))
