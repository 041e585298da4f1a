"""A suggestion's next step, made on this PC: checked here first, then queued in the user's outbox.

The same rules as the server's (sync/server/suggestion_workflow.py), checked before anything is
queued so a deputy or a department learns at once, offline, that a reply needs text or a deadline
is already past. "Past" is by the server's date of the last sync, never the PC's clock. Queueing
runs on the :class:`~desktop.replica_writer.ReplicaWriter`; building and checking is pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication

from sync.client.outbox import Outbox
from sync.client.replica import Replica

RATINGS = range(1, 6)


class StepProblem(ValueError):
    """Why a step cannot be queued, in the user's words."""


@dataclass(frozen=True)
class Step:
    """An outbox command for one suggestion, or for a visit: its type and payload (docs/protocol.md)."""

    command: str
    payload: dict[str, Any] = field(default_factory=dict)


def _required(text: str, problem: str) -> str:
    """``text`` trimmed; ``problem`` (already in the user's language) when there is none."""
    if not text.strip():
        raise StepProblem(problem)
    return text.strip()


def _note(text: str) -> str | None:
    return text.strip() or None


def assign(suggestion_id: str, department_code: str | None, deadline: dt.date, server_date: dt.date | None,
           note: str = "") -> Step:
    if not department_code:
        raise StepProblem(QCoreApplication.translate("SuggestionSteps", "请选择承办部门"))
    if server_date is None:
        raise StepProblem(QCoreApplication.translate("SuggestionSteps",
                                                     "还没有和服务器同步过，不知道今天的日期：请先同步一次"))
    if deadline < server_date:
        problem = QCoreApplication.translate("SuggestionSteps", "办理期限不能早于今天（{date}）")
        raise StepProblem(problem.format(date=server_date.isoformat()))
    return Step("suggestion.assign", {"suggestion_id": suggestion_id, "department_code": department_code,
                                      "deadline": deadline.isoformat(), "text": _note(note)})


def accept(suggestion_id: str, note: str = "") -> Step:
    return Step("suggestion.accept", {"suggestion_id": suggestion_id, "text": _note(note)})


def reply(suggestion_id: str, text: str, event_id: str | None = None) -> Step:
    """``event_id`` names the reply's record in advance, so a letter queued with it can be attached to it."""
    answer = _required(text, QCoreApplication.translate("SuggestionSteps", "请填写答复内容"))
    return Step("suggestion.reply", {"suggestion_id": suggestion_id, "text": answer, "event_id": event_id})


def feedback(suggestion_id: str, satisfied: bool, rating: int | None, note: str = "") -> Step:
    if rating not in RATINGS:
        raise StepProblem(QCoreApplication.translate("SuggestionSteps", "请给出 1 到 5 星的满意度"))
    return Step("suggestion.feedback", {"suggestion_id": suggestion_id, "satisfied": satisfied, "rating": rating,
                                        "text": _note(note)})


def decline(suggestion_id: str, reason: str) -> Step:
    why = _required(reason, QCoreApplication.translate("SuggestionSteps", "请填写不予立案的理由"))
    return Step("suggestion.decline", {"suggestion_id": suggestion_id, "reason": why})


def merge(suggestion_id: str, into: str | None, note: str = "") -> Step:
    if not into or into == suggestion_id:
        raise StepProblem(QCoreApplication.translate("SuggestionSteps", "请选择要并入的另一条建议"))
    return Step("suggestion.merge", {"suggestion_id": suggestion_id, "into": into, "text": _note(note)})


def inspection(inspection_id: str, subject_type: str, subject_id: int, visit_date: dt.date,
               server_date: dt.date | None, title: str, notes: str) -> Step:
    if server_date is not None and visit_date > server_date:
        problem = QCoreApplication.translate("SuggestionSteps", "视察日期不能晚于今天（{date}）")
        raise StepProblem(problem.format(date=server_date.isoformat()))
    subject = _required(title, QCoreApplication.translate("SuggestionSteps", "请填写视察主题"))
    return Step("inspection.record", {
        "inspection_id": inspection_id, "date": visit_date.isoformat(), "subject_type": subject_type,
        "subject_id": subject_id, "title": subject, "notes": _note(notes)})


def queue(replica: Replica, step: Step, author: str) -> str:
    """Put the step in ``author``'s outbox (committed before this returns); returns the command's UUID."""
    return Outbox(replica, author).enqueue(step.command, step.payload, author)
