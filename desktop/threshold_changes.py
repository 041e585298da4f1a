"""Staff's threshold changes on this PC: ``threshold.set`` commands in the outbox until the server answers.

The replica's ``review_thresholds`` only changes when the server's row comes back with a pull, so every
client — this one included — reviews with the same thresholds. Queueing runs on the
:class:`~desktop.replica_writer.ReplicaWriter`; reading what waits is a plain query.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from sync.client.outbox import UNANSWERED, Outbox
from sync.client.replica import Replica, outbox

THRESHOLD_SET = "threshold.set"


@dataclass(frozen=True)
class ThresholdChange:
    """One rule's new thresholds as staff set them (money in fen)."""

    rule: str
    yellow: Decimal | None
    red: Decimal | None
    min_amount: int
    enabled: bool

    def payload(self) -> dict[str, Any]:
        """The ``threshold.set`` payload of docs/protocol.md: decimals as strings."""
        return {"rule": self.rule, "yellow": _text(self.yellow), "red": _text(self.red),
                "min_amount": self.min_amount, "enabled": self.enabled}


@dataclass(frozen=True)
class QueuedChange:
    uuid: str
    rule: str
    state: str  # pending | sent | rejected
    reason: str | None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def queue_changes(replica: Replica, changes: list[ThresholdChange], author: str) -> list[str]:
    """Put one ``threshold.set`` per changed rule in ``author``'s outbox, all in one transaction."""
    box = Outbox(replica, author)
    with replica.engine.begin() as conn:
        return [box.enqueue_in(conn, THRESHOLD_SET, change.payload()) for change in changes]


def discard_rejected(replica: Replica, command_ids: list[str], author: str) -> None:
    box = Outbox(replica, author)
    for command_id in command_ids:
        box.discard(command_id)


def queued_changes(conn: Connection) -> list[QueuedChange]:
    """Threshold changes still waiting for the server, and those it refused (with its reason)."""
    query = (select(outbox.c.uuid, outbox.c.payload, outbox.c.state, outbox.c.reason)
             .where(outbox.c.type == THRESHOLD_SET, outbox.c.state.in_([*UNANSWERED, "rejected"]))
             .order_by(outbox.c.seq))
    return [QueuedChange(row.uuid, json.loads(row.payload)["rule"], row.state, row.reason)
            for row in conn.execute(query)]
