"""Pushed commands: the registry of command types, idempotent application, ``suggestion.submit``.

A client's outbox sends commands, each with its own UUID (the idempotency key). Every command runs in
its own transaction, which also stores the answer under that UUID in ``command_results``; a command
sent again gets the stored answer and changes nothing. Two pushes of one UUID racing each other are
settled by that table's primary key: the loser's transaction fails, rolls back, and answers
``duplicate`` from the winner's stored answer.

A command type is a :class:`CommandType` in :data:`REGISTRY` — its payload model, the roles that may
send it, and the function that applies it. Later issues add the suggestion workflow, inspections and
threshold changes the same way, through :func:`command`.

Answers: ``applied`` (with a result), ``duplicate`` (applied before; the stored result again), or
``rejected`` (with a reason in Chinese for the user). A stored rejection is answered ``rejected`` again
with its stored reason. A command whose ``author`` is not the signed-in user is rejected *without*
storing the answer, so its rightful author's later push of the same command still applies.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, ValidationError
from sqlalchemy import Connection, Engine, Integer, Table, cast, func, insert, select
from sqlalchemy.exc import IntegrityError

from sync.schema import command_results, policies, projects, suggestion_contacts, suggestion_events, suggestions
from sync.server import audit, changelog
from sync.server.accounts import utcnow
from sync.server.activity import record_activity
from sync.server.db import read_transaction
from sync.server.scope import Viewer, row_condition
from sync.server.settings import SERVER_TIMEZONE
from sync.server.validation import DatabaseId, StrictModel, explain

log = logging.getLogger(__name__)

MAX_BATCH = 200

Status = Literal["applied", "duplicate", "rejected"]


class Command(StrictModel):
    """One outbox item as pushed."""

    id: uuid.UUID = Field(description="客户端生成的 UUID, 幂等键")
    type: str = Field(max_length=32, description="命令类型, 如 suggestion.submit")
    author: str = Field(max_length=64, description="发出命令的用户名, 必须是当前登录的用户")
    created_at: dt.datetime | None = Field(None, description="客户端时钟, 仅作记录")
    payload: dict[str, Any]


@dataclass(frozen=True)
class Answer:
    id: str
    status: Status
    reason: str | None = None
    result: dict[str, Any] | None = None


@dataclass(frozen=True)
class Actor:
    """The signed-in user a command runs as."""

    user_id: int
    username: str
    role: str
    region_code: str
    viewer: Viewer
    device: str = "unknown"  # the token's device id, for the audit log


class CommandRejected(Exception):
    """The command cannot be applied; the message is the reason the user reads."""


@dataclass(frozen=True)
class CommandType:
    payload: type[BaseModel]
    roles: frozenset[str]
    apply: Callable[[Connection, Actor, Any, dt.datetime], dict[str, Any]]


REGISTRY: dict[str, CommandType] = {}


def command(name: str, payload: type[BaseModel], roles: tuple[str, ...]):
    """Register the decorated function as the handler of command type ``name``."""
    def register(apply: Callable[[Connection, Actor, Any, dt.datetime], dict[str, Any]]):
        REGISTRY[name] = CommandType(payload, frozenset(roles), apply)
        return apply
    return register


# ---------------------------------------------------------------- running a batch

def run_batch(engine: Engine, actor: Actor, batch: list[Command]) -> list[Answer]:
    """Answer each command in order; one rejection never stops the ones after it."""
    return [run_command(engine, actor, item) for item in batch]


def run_command(engine: Engine, actor: Actor, item: Command) -> Answer:
    key = str(item.id)
    if item.author != actor.username:
        return Answer(key, "rejected", f"命令属于用户 {item.author}, 不能以 {actor.username} 的身份提交")
    now = utcnow()
    try:
        with engine.begin() as conn:
            changelog.lock_appends(conn)  # also serialises numbering (see suggestion.submit)
            stored = _stored_answer(conn, key, actor)
            if stored is not None:
                return stored
            answer = Answer(key, "applied", result=_apply(conn, actor, item, now))
            _store(conn, actor, item, answer, now)
            return answer
    except CommandRejected as rejection:
        return _store_alone(engine, actor, item, Answer(key, "rejected", str(rejection)), now)
    except IntegrityError as conflict:
        # A concurrent push of the same command won the race, or the data conflicts.
        log.warning("command %s %s conflicted: %s", item.type, key, conflict.orig)
        conflicting = Answer(key, "rejected", "与服务器上的数据冲突, 请检查后重新提交")
        return _read_stored(engine, key, actor) or _store_alone(engine, actor, item, conflicting, now)


def _apply(conn: Connection, actor: Actor, item: Command, now: dt.datetime) -> dict[str, Any]:
    kind = REGISTRY.get(item.type)
    if kind is None:
        raise CommandRejected(f"服务器不认识命令类型 {item.type!r}")
    if actor.role not in kind.roles:
        raise CommandRejected("您的角色不能执行此操作")
    try:
        payload = kind.payload.model_validate(item.payload)
    except ValidationError as exc:
        raise CommandRejected(explain(exc.errors())) from exc
    return kind.apply(conn, actor, payload, now)


def _stored_answer(conn: Connection, key: str, actor: Actor) -> Answer | None:
    row = conn.execute(select(command_results.c.user_id, command_results.c.answer)
                       .where(command_results.c.uuid == key)).one_or_none()
    if row is None:
        return None
    if row.user_id != actor.user_id:
        return Answer(key, "rejected", "命令编号已被其他用户使用, 请重新提交")
    stored = json.loads(row.answer)
    if stored["status"] == "rejected":
        return Answer(key, "rejected", stored["reason"])
    return Answer(key, "duplicate", result=stored["result"])


def _store(conn: Connection, actor: Actor, item: Command, answer: Answer, now: dt.datetime) -> None:
    stored = {"status": answer.status, "reason": answer.reason, "result": answer.result}
    conn.execute(insert(command_results).values(
        uuid=answer.id, user_id=actor.user_id, command_type=item.type[:32], status=answer.status,
        answer=json.dumps(stored, ensure_ascii=False), at=now))
    # Every stored answer is one audit entry, in the same transaction: applied with the command's
    # effects, rejected on its own (the command's transaction rolled back).
    audit.record(conn, actor=actor.username, device=actor.device, action=f"command.{item.type}", at=now,
                 detail={"id": answer.id, **{k: v for k, v in stored.items() if v is not None}})


def _read_stored(engine: Engine, key: str, actor: Actor) -> Answer | None:
    with read_transaction(engine) as conn:
        return _stored_answer(conn, key, actor)


def _store_alone(engine: Engine, actor: Actor, item: Command, answer: Answer, now: dt.datetime) -> Answer:
    """Store a rejection in a transaction of its own (the command's own one has rolled back)."""
    try:
        with engine.begin() as conn:
            _store(conn, actor, item, answer, now)
    except IntegrityError:  # a concurrent push of the same command stored its answer first
        return _read_stored(engine, answer.id, actor) or answer
    return answer


# ---------------------------------------------------------------- suggestion.submit

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Contact(StrictModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None


class SubmitSuggestion(StrictModel):
    suggestion_id: uuid.UUID
    title: Annotated[Text, StringConstraints(max_length=200)]
    body: Annotated[Text, StringConstraints(max_length=10_000)]
    category: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None
    source: Literal["own", "constituents"]
    region_code: str = Field(max_length=12)
    contact: Contact | None = None
    project_id: DatabaseId | None = None
    policy_id: DatabaseId | None = None


def _require_visible(conn: Connection, viewer: Viewer, table: Table, key: int | None, what: str) -> None:
    if key is None:
        return
    found = conn.execute(select(table.c.id).where(table.c.id == key, row_condition(viewer, table))).first()
    if found is None:
        raise CommandRejected(f"{what} {key} 不存在或不在您的范围内")


def next_number(conn: Connection, year: int) -> str:
    """The next registration number of the year, ``2026-0001``; callers hold the append lock."""
    prefix = f"{year}-"
    last = conn.execute(
        select(func.max(cast(func.substr(suggestions.c.number, len(prefix) + 1), Integer)))
        .where(suggestions.c.number.like(f"{prefix}%"))
    ).scalar()
    return f"{prefix}{(last or 0) + 1:04d}"


def _check_submission(conn: Connection, actor: Actor, payload: SubmitSuggestion) -> None:
    if payload.region_code not in actor.viewer.scope:
        raise CommandRejected(f"区划 {payload.region_code} 不在您的范围内")
    if payload.contact is not None and payload.source != "constituents":
        raise CommandRejected("只有群众点单的建议才能填写联系人")
    if conn.execute(select(suggestions.c.id).where(suggestions.c.id == str(payload.suggestion_id))).first():
        raise CommandRejected("这条建议已经提交过了")
    _require_visible(conn, actor.viewer, projects, payload.project_id, "民生实事项目")
    _require_visible(conn, actor.viewer, policies, payload.policy_id, "重大政策")


@command("suggestion.submit", SubmitSuggestion, roles=("deputy",))
def submit_suggestion(conn: Connection, actor: Actor, payload: SubmitSuggestion, now: dt.datetime) -> dict[str, Any]:
    """A deputy's new suggestion: state ``submitted``, a registration number, its first history event."""
    _check_submission(conn, actor, payload)
    suggestion_id = str(payload.suggestion_id)
    number = next_number(conn, now.astimezone(SERVER_TIMEZONE).year)
    changelog.insert(conn, suggestions, [{
        "id": suggestion_id, "number": number, "author_id": actor.user_id, "region_code": payload.region_code,
        "title": payload.title, "body": payload.body, "category": payload.category or None,
        "source": payload.source, "state": "submitted", "project_id": payload.project_id,
        "policy_id": payload.policy_id, "submitted_at": now, "updated_at": now,
    }])
    changelog.insert(conn, suggestion_events, [{
        "id": str(uuid.uuid4()), "suggestion_id": suggestion_id, "region_code": payload.region_code,
        "actor_id": actor.user_id, "actor_role": actor.role, "at": now, "action": "submit",
        "to_state": "submitted",
    }])
    if payload.contact is not None:
        changelog.insert(conn, suggestion_contacts, [{
            "suggestion_id": suggestion_id, "region_code": payload.region_code, "author_id": actor.user_id,
            "name": payload.contact.name or None, "phone": payload.contact.phone or None,
        }])
    record_activity(conn, user_id=actor.user_id, region_code=actor.region_code, kind="suggestion", at=now,
                    detail=f"{number} {payload.title}")
    return {"suggestion_id": suggestion_id, "number": number}


# The other command types register themselves on import (they need `command` above).
from sync.server import inspections, suggestion_workflow, threshold_commands  # noqa: E402, F401
