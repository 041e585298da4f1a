"""意见建议 as the server last told us: each suggestion's state, department, deadline and history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select

from sync.schema import departments, policies, projects, suggestion_contacts, suggestion_events, suggestions, users


@dataclass(frozen=True)
class SuggestionRow:
    suggestion_id: str
    number: str | None
    title: str
    body: str
    category: str | None
    source: str
    state: str
    author_id: int
    author: str
    department: str | None
    deadline: dt.date | None
    submitted_at: dt.datetime
    updated_at: dt.datetime
    rating: int | None
    decline_reason: str | None
    project: str | None
    policy: str | None


@dataclass(frozen=True)
class SuggestionEvent:
    at: dt.datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str
    text: str | None
    assigned_department: str | None
    deadline: dt.date | None
    rating: int | None


@dataclass(frozen=True)
class Contact:
    name: str | None
    phone: str | None


def _suggestion_query():
    return (
        select(suggestions, users.c.display_name.label("author"), departments.c.name.label("department"),
               projects.c.name.label("project"), policies.c.name.label("policy"))
        .outerjoin(users, users.c.id == suggestions.c.author_id)
        .outerjoin(departments, departments.c.code == suggestions.c.department_code)
        .outerjoin(projects, projects.c.id == suggestions.c.project_id)
        .outerjoin(policies, policies.c.id == suggestions.c.policy_id)
        .order_by(suggestions.c.submitted_at.desc(), suggestions.c.id)
    )


def _row(row) -> SuggestionRow:
    return SuggestionRow(
        suggestion_id=row.id, number=row.number, title=row.title, body=row.body, category=row.category,
        source=row.source, state=row.state, author_id=row.author_id, author=row.author or str(row.author_id),
        department=row.department, deadline=row.deadline, submitted_at=row.submitted_at,
        updated_at=row.updated_at, rating=row.rating, decline_reason=row.decline_reason, project=row.project,
        policy=row.policy,
    )


def suggestion_rows(conn: Connection, region_codes: frozenset[str]) -> list[SuggestionRow]:
    """Suggestions of these regions, newest first (every year: an open one from last year still matters)."""
    return [_row(row) for row in conn.execute(_suggestion_query().where(suggestions.c.region_code.in_(region_codes)))]


def suggestions_for(conn: Connection, *, project_id: int | None = None,
                    policy_id: int | None = None) -> list[SuggestionRow]:
    """The suggestions linked to a project or a policy (what caused it, what deputies said about it)."""
    query = _suggestion_query()
    if project_id is not None:
        query = query.where(suggestions.c.project_id == project_id)
    if policy_id is not None:
        query = query.where(suggestions.c.policy_id == policy_id)
    return [_row(row) for row in conn.execute(query)]


def suggestion_history(conn: Connection, suggestion_id: str) -> list[SuggestionEvent]:
    assigned = departments.alias("assigned")
    query = (
        select(suggestion_events, users.c.display_name.label("actor"), assigned.c.name.label("assigned_name"))
        .outerjoin(users, users.c.id == suggestion_events.c.actor_id)
        .outerjoin(assigned, assigned.c.code == suggestion_events.c.assigned_department)
        .where(suggestion_events.c.suggestion_id == suggestion_id)
        .order_by(suggestion_events.c.at, suggestion_events.c.id)
    )
    return [
        SuggestionEvent(
            at=row.at, actor=row.actor or str(row.actor_id), action=row.action, from_state=row.from_state,
            to_state=row.to_state, text=row.text, assigned_department=row.assigned_name or row.assigned_department,
            deadline=row.deadline, rating=row.rating,
        )
        for row in conn.execute(query)
    ]


def suggestion_contact(conn: Connection, suggestion_id: str) -> Contact | None:
    """The constituent's name and phone, when this user may see them (the row is replicated only then)."""
    row = conn.execute(select(suggestion_contacts.c.name, suggestion_contacts.c.phone)
                       .where(suggestion_contacts.c.suggestion_id == suggestion_id)).first()
    return Contact(row.name, row.phone) if row else None
