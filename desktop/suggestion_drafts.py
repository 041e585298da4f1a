"""Writing suggestions on this PC: drafts saved on every edit, submitted into the user's outbox.

These functions write to the user's replica file and may wait for a sync's page to commit: run them
on the :class:`~desktop.replica_writer.ReplicaWriter`, never on the UI thread.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects.sqlite import insert

from desktop.queries.local_suggestions import SUBMIT, SUGGESTION_DRAFT, SuggestionDraft
from sync.client.clock import wall_clock_now
from sync.client.outbox import Outbox
from sync.client.replica import Replica, drafts


def save_draft(replica: Replica, draft: SuggestionDraft) -> None:
    now = wall_clock_now().isoformat(timespec="seconds")
    statement = insert(drafts).values(id=draft.suggestion_id, kind=SUGGESTION_DRAFT, payload=draft.as_json(),
                                      created_at=now, updated_at=now)
    with replica.engine.begin() as conn:
        conn.execute(statement.on_conflict_do_update(
            index_elements=["id"], set_={"payload": statement.excluded.payload, "updated_at": now}))


def delete_draft(replica: Replica, suggestion_id: str) -> None:
    with replica.engine.begin() as conn:
        conn.execute(delete(drafts).where(drafts.c.id == suggestion_id))


def submit_draft(replica: Replica, draft: SuggestionDraft, author: str) -> str:
    """Queue ``suggestion.submit`` (committed before this returns), then drop the draft; returns the
    command's UUID. Should the PC stop between the two, the list still shows the suggestion once:
    a command outranks a draft with the same id."""
    command_id = Outbox(replica, author).enqueue(SUBMIT, draft.submit_payload(), author)
    delete_draft(replica, draft.suggestion_id)
    return command_id


def resubmit(replica: Replica, rejected_command: str, corrected: SuggestionDraft, author: str) -> str:
    """A refused suggestion corrected and sent again as a new command (a new UUID, DESIGN.md §3.4)."""
    return Outbox(replica, author).resend_as_new(rejected_command, corrected.submit_payload())


def discard_rejected(replica: Replica, rejected_command: str, author: str) -> None:
    Outbox(replica, author).discard(rejected_command)
