"""The suggestion closed loop (DESIGN.md §4): every step after ``suggestion.submit`` as a pushed command.

:data:`STEPS` is the state machine: for each command type, the role that may send it, the states it
starts from, and the function that checks its payload and says where it leads. Running a step is
the same for all of them (:func:`_run_step`):

1. the suggestion as the sender sees it (a department sees only what is assigned to it; a deputy may
   act only on their own) — else "not in your scope";
2. the state: a step no longer valid because someone acted first is refused with what happened,
   e.g. "已由 张敏 交办给 区教育局"; a refusal writes nothing;
3. the step's own checks (deadline not before the server's date, rating 1–5, …);
4. one ``suggestion_events`` row (who, role, server time, action, from/to state, text, department,
   deadline, rating) and the suggestion's new values, both through :mod:`sync.server.changelog`.

A step that moves the suggestion to another department moves its events and its constituent's
contact row too: the changelog then sends the old department tombstones and the new one the whole
history (the audience mechanism of :func:`sync.server.changelog.update`).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy import Connection, RowMapping, select

from sync.schema import departments, suggestion_contacts, suggestion_events, suggestions, users
from sync.server import attachments, changelog
from sync.server.activity import record_activity
from sync.server.commands import Actor, CommandRejected, Text, command, next_number
from sync.server.scope import row_condition
from sync.server.settings import SERVER_TIMEZONE
from sync.server.validation import StrictModel

SuggestionKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=36)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Answer = Annotated[Text, StringConstraints(max_length=10_000)]

#: States in the words a user reads them (the desktop shows the same).
STATE_NAMES = {
    "submitted": "已提交", "assigned": "已交办", "accepted": "办理中", "replied": "已答复", "closed": "已办结",
    "reopened": "重新办理", "declined": "不予立案", "merged": "已合并",
}


# ---------------------------------------------------------------- payloads

class SuggestionStep(StrictModel):
    suggestion_id: SuggestionKey


class Assign(SuggestionStep):
    department_code: str = Field(min_length=1, max_length=16)
    deadline: dt.date
    text: Note | None = None


class Accept(SuggestionStep):
    text: Note | None = None


class Reply(SuggestionStep):
    text: Answer
    #: Chosen by the client so a reply letter queued offline can name the reply it belongs to.
    event_id: uuid.UUID | None = None


class Feedback(SuggestionStep):
    satisfied: bool
    rating: int = Field(ge=1, le=5)
    text: Note | None = None


class Decline(SuggestionStep):
    reason: Annotated[Text, StringConstraints(max_length=2000)]


class Merge(SuggestionStep):
    into: SuggestionKey
    text: Note | None = None


# ---------------------------------------------------------------- the state machine

@dataclass(frozen=True)
class Outcome:
    """Where a step leads: the new state, the suggestion's other new values, the event's details."""

    to_state: str
    changes: dict[str, Any] = field(default_factory=dict)
    event: dict[str, Any] = field(default_factory=dict)


Effect = Callable[[Connection, Actor, RowMapping, Any, dt.datetime], Outcome]


@dataclass(frozen=True)
class Step:
    command: str
    action: str  # the event's action (demo and desktop use the same names)
    label: str  # what the user calls it, in a refusal
    role: str
    from_states: tuple[str, ...]
    payload: type[BaseModel]
    effect: Effect


def _server_date(now: dt.datetime) -> dt.date:
    return now.astimezone(SERVER_TIMEZONE).date()


def _department_name(conn: Connection, code: str | None) -> str:
    name = conn.execute(select(departments.c.name).where(departments.c.code == code)).scalar()
    return name or code or ""


def _assign(conn: Connection, actor: Actor, suggestion: RowMapping, payload: Assign, now: dt.datetime) -> Outcome:
    if payload.deadline < _server_date(now):
        raise CommandRejected(f"办理期限 {payload.deadline} 早于服务器日期 {_server_date(now)}")
    visible = actor.viewer.scope | actor.viewer.ancestors
    department = conn.execute(select(departments.c.code, departments.c.region_code)
                              .where(departments.c.code == payload.department_code)).first()
    if department is None or department.region_code not in visible:
        raise CommandRejected(f"承办部门 {payload.department_code} 不存在或不在您的范围内")
    changes: dict[str, Any] = {"department_code": payload.department_code, "deadline": payload.deadline}
    if suggestion["number"] is None:  # registered now (交办 is 登记), numbered like suggestion.submit
        changes["number"] = next_number(conn, _server_date(now).year)
    return Outcome("assigned", changes, {"assigned_department": payload.department_code,
                                         "deadline": payload.deadline, "text": payload.text or None})


def _accept(_conn: Connection, _actor: Actor, _suggestion: RowMapping, payload: Accept,
            _now: dt.datetime) -> Outcome:
    return Outcome("accepted", event={"text": payload.text or None})


def _reply(_conn: Connection, _actor: Actor, _suggestion: RowMapping, payload: Reply, _now: dt.datetime) -> Outcome:
    return Outcome("replied", event={"text": payload.text})


def _feedback(_conn: Connection, actor: Actor, suggestion: RowMapping, payload: Feedback,
              now: dt.datetime) -> Outcome:
    to_state = "closed" if payload.satisfied else "reopened"
    return Outcome(to_state, {"rating": payload.rating}, {"rating": payload.rating, "text": payload.text or None})


def _decline(_conn: Connection, _actor: Actor, _suggestion: RowMapping, payload: Decline,
             _now: dt.datetime) -> Outcome:
    return Outcome("declined", {"decline_reason": payload.reason}, {"text": payload.reason})


def _merge(conn: Connection, actor: Actor, suggestion: RowMapping, payload: Merge, _now: dt.datetime) -> Outcome:
    if payload.into == suggestion["id"]:
        raise CommandRejected("不能把建议合并到它自己")
    target = _visible_suggestion(conn, actor, payload.into, "要并入的建议")
    if target["state"] == "merged":
        raise CommandRejected(f"「{target['title']}」已并入其他建议, 请合并到那一条")
    text = payload.text or f"并入「{target['title']}」" + (f"({target['number']})" if target["number"] else "")
    return Outcome("merged", {"merged_into": target["id"]}, {"text": text})


NEW = ("submitted", "reopened")

STEPS: tuple[Step, ...] = (
    Step("suggestion.assign", "assign", "交办", "staff", NEW, Assign, _assign),
    Step("suggestion.decline", "decline", "不予立案", "staff", NEW, Decline, _decline),
    Step("suggestion.merge", "merge", "合并", "staff", NEW, Merge, _merge),
    Step("suggestion.accept", "accept", "接单", "department", ("assigned",), Accept, _accept),
    Step("suggestion.reply", "reply", "答复", "department", ("accepted",), Reply, _reply),
    Step("suggestion.feedback", "feedback", "反馈", "deputy", ("replied",), Feedback, _feedback),
)


# ---------------------------------------------------------------- running a step

def _visible_suggestion(conn: Connection, actor: Actor, key: str, what: str = "建议") -> RowMapping:
    row = conn.execute(select(suggestions).where(suggestions.c.id == key, row_condition(actor.viewer, suggestions))
                       ).mappings().first()
    if row is None:
        raise CommandRejected(f"{what}不存在或不在您的范围内")
    return row


def _what_happened(conn: Connection, suggestion: RowMapping) -> str:
    """The last step of the suggestion in a sentence: why a later step that expected otherwise is refused."""
    last = conn.execute(
        select(suggestion_events.c.action, suggestion_events.c.to_state, suggestion_events.c.assigned_department,
               users.c.display_name)
        .outerjoin(users, users.c.id == suggestion_events.c.actor_id)
        .where(suggestion_events.c.suggestion_id == suggestion["id"])
        .order_by(suggestion_events.c.at.desc(), suggestion_events.c.id.desc())
    ).first()
    if last is None or last.action == "submit":
        return f"建议当前状态为「{STATE_NAMES[suggestion['state']]}」"
    who = last.display_name or "其他用户"
    if last.action == "assign":
        return f"已由 {who} 交办给 {_department_name(conn, last.assigned_department)}"
    if last.action == "feedback":
        return f"{who} 已反馈" + ("满意, 建议已办结" if last.to_state == "closed" else "不满意, 等待重新交办")
    done = {"accept": "接单", "reply": "答复", "decline": "决定不予立案", "merge": "并入其他建议"}
    return f"已由 {who} {done.get(last.action, STATE_NAMES[last.to_state])}"


def _check_author(actor: Actor, suggestion: RowMapping) -> None:
    if actor.role == "deputy" and suggestion["author_id"] != actor.user_id:
        raise CommandRejected("只有提出这条建议的代表才能反馈")


def _move_department(conn: Connection, suggestion_id: str, department: str) -> None:
    """The suggestion's history and contact follow it to its new department (and leave the old one)."""
    event_keys = conn.execute(select(suggestion_events.c.id)
                              .where(suggestion_events.c.suggestion_id == suggestion_id)).scalars().all()
    changelog.update(conn, suggestion_events, {key: {"department_code": department} for key in event_keys})
    if conn.execute(select(suggestion_contacts.c.suggestion_id)
                    .where(suggestion_contacts.c.suggestion_id == suggestion_id)).first():
        changelog.update(conn, suggestion_contacts, {suggestion_id: {"department_code": department}})
    attachments.move_with_suggestion(conn, suggestion_id, department)


def _new_event_key(conn: Connection, chosen: uuid.UUID | None) -> str:
    if chosen is None:
        return str(uuid.uuid4())
    key = str(chosen)
    if conn.execute(select(suggestion_events.c.id).where(suggestion_events.c.id == key)).first():
        raise CommandRejected(f"办理记录编号 {key} 已被使用")
    return key


def _run_step(step: Step, conn: Connection, actor: Actor, payload: Any, now: dt.datetime) -> dict[str, Any]:
    suggestion = _visible_suggestion(conn, actor, payload.suggestion_id)
    _check_author(actor, suggestion)
    if suggestion["state"] not in step.from_states:
        raise CommandRejected(f"{_what_happened(conn, suggestion)}, 本次「{step.label}」未执行")
    outcome = step.effect(conn, actor, suggestion, payload, now)
    event_key = _new_event_key(conn, getattr(payload, "event_id", None))
    key = suggestion["id"]
    department = outcome.changes.get("department_code", suggestion["department_code"])
    if department != suggestion["department_code"]:
        _move_department(conn, key, department)
    changelog.update(conn, suggestions, {key: {**outcome.changes, "state": outcome.to_state, "updated_at": now}})
    changelog.insert(conn, suggestion_events, [{
        "id": event_key, "suggestion_id": key, "region_code": suggestion["region_code"],
        "department_code": department, "actor_id": actor.user_id, "actor_role": actor.role, "at": now,
        "action": step.action, "from_state": suggestion["state"], "to_state": outcome.to_state, **outcome.event,
    }])
    if step.action == "feedback":
        record_activity(conn, user_id=actor.user_id, region_code=actor.region_code, kind="feedback", at=now,
                        detail=f"{suggestion['number'] or ''} {suggestion['title']}".strip())
    return {"suggestion_id": key, "state": outcome.to_state, "number": outcome.changes.get("number",
                                                                                           suggestion["number"])}


for _step in STEPS:
    command(_step.command, _step.payload, roles=(_step.role,))(functools.partial(_run_step, _step))
