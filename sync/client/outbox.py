"""The outbox: commands a user made offline, each with its own UUID, pushed until the server answers.

States and why a crash anywhere ends with each command applied exactly once::

    pending ──(marked before a push)──► sent ──(answer)──► applied | duplicate | rejected
                                          ▲      │
                                          └──────┘ no answer (cut, crash): pushed again

``enqueue`` commits before it returns, so what the UI calls "saved" survives a crash. A command is
marked ``sent`` (and its attempts counted) in a committed transaction *before* the request leaves;
``pending`` and ``sent`` are both pushed again until an answer is stored. The server stores each
answer by UUID, so a resend after it committed (the answer lost on the way back) answers
``duplicate`` and changes nothing. ``rejected`` commands are parked with the server's reason — they
never block the others — until the user discards them or resends a corrected copy as a new command.

The outbox lives in its user's replica file, so only that user's commands can ever be pushed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from sync.client import clock
from sync.client.replica import Replica, outbox

STATES = ("pending", "sent", "applied", "duplicate", "rejected")
UNANSWERED = ("pending", "sent")
DONE = ("applied", "duplicate")
ANSWERS = ("applied", "duplicate", "rejected")


class OutboxError(ValueError):
    """A request about the outbox that cannot be done (unknown or not rejected command, wrong author)."""


@dataclass(frozen=True)
class Command:
    uuid: str
    type: str
    payload: dict[str, Any]
    author: str
    created_at: str
    state: str
    reason: str | None
    attempts: int

    def wire(self) -> dict[str, Any]:
        """The command as POST /api/v1/commands wants it."""
        return {"id": self.uuid, "type": self.type, "author": self.author, "created_at": self.created_at,
                "payload": self.payload}


@dataclass(frozen=True)
class Answer:
    uuid: str
    status: str  # applied | duplicate | rejected
    reason: str | None = None
    result: Any = None


class Outbox:
    """The queue of ``owner``'s commands in their replica file."""

    def __init__(self, replica: Replica, owner: str) -> None:
        self.replica = replica
        self.owner = owner

    def enqueue(self, command_type: str, payload: dict[str, Any], author: str) -> str:
        """Queue a command and commit it before returning its new UUID."""
        if author != self.owner:
            raise OutboxError(f"不能替其他用户（{author}）保存命令")
        with self.replica.engine.begin() as conn:
            return self.enqueue_in(conn, command_type, payload)

    def enqueue_in(self, conn: Connection, command_type: str, payload: dict[str, Any]) -> str:
        """Queue a command of the owner's in the caller's transaction (with writes that must go with it)."""
        command_id = str(uuid.uuid4())
        conn.execute(insert(outbox).values(
            uuid=command_id, type=command_type, payload=json.dumps(payload, ensure_ascii=False),
            author=self.owner, created_at=clock.wall_clock_now().isoformat(timespec="seconds"), state="pending",
            attempts=0))
        return command_id

    def commands(self, states: Iterable[str] = STATES, limit: int | None = None) -> list[Command]:
        """Commands in the given states, in the order they were queued."""
        query = select(outbox).where(outbox.c.state.in_(list(states))).order_by(outbox.c.seq).limit(limit)
        with self.replica.reading() as conn:
            return [_command(row) for row in conn.execute(query).mappings()]

    def unanswered(self, limit: int) -> list[Command]:
        return self.commands(UNANSWERED, limit)

    def mark_sent(self, uuids: list[str]) -> None:
        """Record (durably) that these are about to be sent; they stay pushable until answered."""
        with self.replica.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.uuid.in_(uuids), outbox.c.state.in_(UNANSWERED))
                         .values(state="sent", attempts=outbox.c.attempts + 1))

    def record_answers(self, answers: Iterable[Answer]) -> None:
        """Store the server's answers in one transaction. Only unanswered commands change."""
        answered_at = clock.wall_clock_now().isoformat(timespec="seconds")
        with self.replica.engine.begin() as conn:
            for answer in answers:
                conn.execute(
                    update(outbox).where(outbox.c.uuid == answer.uuid, outbox.c.state.in_(UNANSWERED)).values(
                        state=answer.status, reason=answer.reason, answered_at=answered_at,
                        result=None if answer.result is None else json.dumps(answer.result, ensure_ascii=False)))

    def discard(self, command_id: str) -> None:
        """Remove a rejected command the user gave up on."""
        with self.replica.engine.begin() as conn:
            self._take_rejected(conn, command_id)

    def resend_as_new(self, command_id: str, payload: dict[str, Any] | None = None) -> str:
        """Replace a rejected command with a corrected copy under a new UUID (the server keeps its answer
        for the old one); returns the new UUID. Both happen in one transaction."""
        new_id = str(uuid.uuid4())
        with self.replica.engine.begin() as conn:
            old = self._take_rejected(conn, command_id)
            conn.execute(insert(outbox).values(
                uuid=new_id, type=old.type, author=old.author, state="pending", attempts=0,
                payload=json.dumps(old.payload if payload is None else payload, ensure_ascii=False),
                created_at=clock.wall_clock_now().isoformat(timespec="seconds")))
        return new_id

    def _take_rejected(self, conn, command_id: str) -> Command:
        row = conn.execute(select(outbox).where(outbox.c.uuid == command_id)).mappings().one_or_none()
        if row is None or row["state"] != "rejected":
            raise OutboxError("只能处理被服务器拒绝的命令")
        conn.execute(delete(outbox).where(outbox.c.uuid == command_id))
        return _command(row)


def _command(row) -> Command:
    return Command(row["uuid"], row["type"], json.loads(row["payload"]), row["author"], row["created_at"],
                   row["state"], row["reason"], row["attempts"])
