"""Push: the user's unanswered commands to ``POST /commands`` in batches, answers stored per UUID."""

from __future__ import annotations

from typing import Any

from sync.client.errors import ProtocolError
from sync.client.outbox import ANSWERS, Answer, Command, Outbox
from sync.client.progress import ProgressCallback, ProgressEvent, SyncReport
from sync.client.transport import TooLarge, Transport

BATCH = 200  # the server's limit per request


def parse_answers(body: Any, sent: list[Command]) -> list[Answer]:
    """The per-command answers; a command the server did not answer stays unanswered (sent again)."""
    where = "推送命令"
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list):
        raise ProtocolError(f"服务器的回答缺少 'results'（{where}）")
    ids = {command.uuid for command in sent}
    answers = []
    for result in results:
        if not isinstance(result, dict) or result.get("id") not in ids or result.get("status") not in ANSWERS:
            raise ProtocolError(f"服务器对命令的回答格式不对（{where}）: {str(result)[:80]}")
        reason = result.get("reason")
        if result["status"] == "rejected" and not reason:
            reason = "服务器拒绝了此命令（未说明原因）"
        answers.append(Answer(result["id"], result["status"], reason, result.get("result")))
    return answers


class CommandPush:
    """Sends ``outbox``'s unanswered commands once each in this run; figures go into ``report``."""

    def __init__(self, outbox: Outbox, transport: Transport, report: SyncReport,
                 progress: ProgressCallback) -> None:
        self.outbox = outbox
        self.transport = transport
        self.report = report
        self.progress = progress

    def push(self) -> None:
        tried: set[str] = set()
        while True:
            batch = [c for c in self.outbox.unanswered(BATCH + len(tried)) if c.uuid not in tried][:BATCH]
            if not batch:
                return
            tried.update(c.uuid for c in batch)
            self._send(batch)

    def _send(self, batch: list[Command]) -> None:
        self.transport.cancel.check()
        self.outbox.mark_sent([c.uuid for c in batch])
        try:
            body = self.transport.request("POST", "/commands", body={"commands": [c.wire() for c in batch]},
                                          where="推送命令")
        except TooLarge:
            self._split(batch)
            return
        answers = parse_answers(body, batch)
        self.outbox.record_answers(answers)
        self.report.commands_pushed += len(answers)
        self.report.commands_applied += sum(a.status != "rejected" for a in answers)
        self.report.commands_rejected += sum(a.status == "rejected" for a in answers)
        self.progress(ProgressEvent("push", self.report.commands_pushed, self.report.traffic.bytes_up))

    def _split(self, batch: list[Command]) -> None:
        """Over the size limit: halve the batch; a single command too large is parked as rejected."""
        if len(batch) == 1:
            answer = Answer(batch[0].uuid, "rejected", "内容超过服务器允许的大小，无法发送；请删减后重新提交")
            self.outbox.record_answers([answer])
            self.report.commands_rejected += 1
            return
        half = len(batch) // 2
        self._send(batch[:half])
        self._send(batch[half:])
