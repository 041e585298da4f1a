"""Suggestions that exist only on this PC so far — drafts and commands in the outbox — and how they
join the server's rows into the one list a deputy sees.

A draft's id is the suggestion's UUID, made when the deputy starts writing; the ``suggestion.submit``
command carries it, and the server keeps it as the suggestion's primary key. So one id follows a
suggestion from draft to outbox to the server's row, and the list shows each suggestion once, in its
furthest state.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from desktop.china_time import in_china_time
from desktop.queries.suggestions import SuggestionRow
from sync.client.outbox import UNANSWERED
from sync.client.replica import drafts, outbox

SUGGESTION_DRAFT = "suggestion"
SUBMIT = "suggestion.submit"
STEP_COMMANDS = ("suggestion.assign", "suggestion.accept", "suggestion.reply", "suggestion.feedback",
                 "suggestion.decline", "suggestion.merge")


@dataclass(frozen=True)
class SuggestionDraft:
    suggestion_id: str
    title: str = ""
    body: str = ""
    category: str = ""
    source: str = "own"  # own | constituents
    contact_name: str = ""
    contact_phone: str = ""
    project_id: int | None = None
    policy_id: int | None = None
    region_code: str = ""

    def submit_payload(self) -> dict[str, Any]:
        """The ``suggestion.submit`` payload of docs/protocol.md."""
        constituents = self.source == "constituents"
        return {
            "suggestion_id": self.suggestion_id, "title": self.title.strip(), "body": self.body.strip(),
            "category": self.category.strip() or None, "source": self.source, "region_code": self.region_code,
            "contact": {"name": self.contact_name.strip() or None, "phone": self.contact_phone.strip() or None}
            if constituents else None,
            "project_id": self.project_id, "policy_id": self.policy_id,
        }

    def as_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> SuggestionDraft:
        values = json.loads(text)
        return cls(**{key: values[key] for key in cls.__dataclass_fields__ if key in values})

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> SuggestionDraft:
        """A submitted (and refused) command back as a draft to correct."""
        contact = payload.get("contact") or {}
        return cls(
            suggestion_id=payload["suggestion_id"], title=payload.get("title") or "", body=payload.get("body") or "",
            category=payload.get("category") or "", source=payload.get("source") or "own",
            contact_name=contact.get("name") or "", contact_phone=contact.get("phone") or "",
            project_id=payload.get("project_id"), policy_id=payload.get("policy_id"),
            region_code=payload.get("region_code") or "",
        )


@dataclass(frozen=True)
class SubmitCommand:
    """A ``suggestion.submit`` in the outbox, with the server's answer once there is one."""

    uuid: str
    state: str  # outbox state: pending | sent | applied | duplicate | rejected
    reason: str | None
    created_at: str
    draft: SuggestionDraft


@dataclass(frozen=True)
class StepCommand:
    """A step of the closed loop (交办, 接单, 答复, 反馈…) in the outbox: waiting, or refused by the server."""

    uuid: str
    type: str
    state: str  # outbox state: pending | sent | rejected
    reason: str | None
    payload: dict[str, Any]

    @property
    def waiting(self) -> bool:
        return self.state in UNANSWERED


@dataclass(frozen=True)
class SuggestionItem:
    """One line of the 意见建议 list: the server's row, or this PC's draft or command."""

    suggestion_id: str
    state: str  # a server state, or draft | pending | uploaded | rejected
    title: str
    server: SuggestionRow | None = None
    draft: SuggestionDraft | None = None
    command: SubmitCommand | None = field(default=None)
    step: StepCommand | None = None  # the latest step on it from this PC not yet settled

    @property
    def is_local(self) -> bool:
        return self.server is None


def suggestion_drafts(conn: Connection) -> list[SuggestionDraft]:
    query = select(drafts.c.payload).where(drafts.c.kind == SUGGESTION_DRAFT).order_by(drafts.c.updated_at.desc())
    return [SuggestionDraft.from_json(payload) for payload in conn.execute(query).scalars()]


def submit_commands(conn: Connection) -> list[SubmitCommand]:
    query = (select(outbox.c.uuid, outbox.c.state, outbox.c.reason, outbox.c.created_at, outbox.c.payload)
             .where(outbox.c.type == SUBMIT).order_by(outbox.c.seq.desc()))
    return [SubmitCommand(row.uuid, row.state, row.reason, row.created_at,
                          SuggestionDraft.from_payload(json.loads(row.payload)))
            for row in conn.execute(query)]


def step_commands(conn: Connection) -> dict[str, StepCommand]:
    """Per suggestion, the latest step command still waiting or refused (an applied one shows in the
    server's rows after the same sync's pull)."""
    query = (select(outbox.c.uuid, outbox.c.type, outbox.c.state, outbox.c.reason, outbox.c.payload)
             .where(outbox.c.type.in_(STEP_COMMANDS), outbox.c.state.in_((*UNANSWERED, "rejected")))
             .order_by(outbox.c.seq))
    latest: dict[str, StepCommand] = {}
    for row in conn.execute(query):
        payload = json.loads(row.payload)
        latest[payload["suggestion_id"]] = StepCommand(row.uuid, row.type, row.state, row.reason, payload)
    return latest


def waiting_commands(conn: Connection) -> int:
    """Commands of any type not yet answered by the server (the status bar's 待上传)."""
    return conn.execute(select(func.count()).select_from(outbox).where(outbox.c.state.in_(UNANSWERED))).scalar_one()


def merge_suggestions(server_rows: list[SuggestionRow], local_drafts: list[SuggestionDraft],
                      commands: list[SubmitCommand],
                      steps: dict[str, StepCommand] | None = None) -> list[SuggestionItem]:
    """Each suggestion once: the server's row if it has come back, else the command, else the draft.

    Local items come first (they are what the deputy is working on), then the server's, newest first.
    """
    on_server = {row.suggestion_id for row in server_rows}
    items: list[SuggestionItem] = []
    seen = set(on_server)
    for command in commands:
        key = command.draft.suggestion_id
        if key in seen:
            continue
        seen.add(key)
        state = {"rejected": "rejected", "applied": "uploaded", "duplicate": "uploaded"}.get(command.state, "pending")
        items.append(SuggestionItem(key, state, command.draft.title, command=command, draft=command.draft))
    for draft in local_drafts:
        if draft.suggestion_id not in seen:
            seen.add(draft.suggestion_id)
            items.append(SuggestionItem(draft.suggestion_id, "draft", draft.title, draft=draft))
    steps = steps or {}
    items.extend(SuggestionItem(row.suggestion_id, row.state, row.title, server=row, step=steps.get(row.suggestion_id))
                 for row in server_rows)
    return items


def item_date(item: SuggestionItem) -> dt.date | None:
    """The date a list shows for an item: submitted (server) or queued (outbox); none for a draft."""
    if item.server is not None:
        return in_china_time(item.server.submitted_at).date()
    if item.command is not None:
        return in_china_time(dt.datetime.fromisoformat(item.command.created_at)).date()
    return None
