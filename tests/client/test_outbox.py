"""The outbox state machine: durable enqueue, resend until answered, rejected parked but never blocking."""

from __future__ import annotations

import pytest

from sync.client.outbox import Answer, Outbox, OutboxError
from sync.client.replica import Replica


@pytest.fixture
def outbox(tmp_path):
    with Replica(tmp_path / "replica.sqlite") as replica:
        yield Outbox(replica, "deputy01")


def states(outbox: Outbox) -> dict[str, str]:
    return {c.uuid: c.state for c in outbox.commands()}


def test_enqueue_is_durable_before_it_returns(tmp_path, outbox):
    queued = outbox.enqueue("suggestion.submit", {"title": "修路"}, "deputy01")
    with Replica(outbox.replica.path) as other:  # another connection, as after a crash
        (command,) = Outbox(other, "deputy01").commands()
    assert (command.uuid, command.state, command.payload, command.attempts) == (queued, "pending", {"title": "修路"}, 0)


def test_enqueue_for_another_user_is_refused(outbox):
    with pytest.raises(OutboxError):
        outbox.enqueue("suggestion.submit", {}, "deputy02")


def test_sent_commands_stay_pushable_until_answered(outbox):
    first = outbox.enqueue("suggestion.submit", {"n": 1}, "deputy01")
    second = outbox.enqueue("suggestion.submit", {"n": 2}, "deputy01")
    outbox.mark_sent([first, second])
    # The connection broke: no answer. Both are pushed again, in queue order.
    assert [c.uuid for c in outbox.unanswered(10)] == [first, second]
    outbox.mark_sent([first, second])
    assert [c.attempts for c in outbox.unanswered(10)] == [2, 2]
    outbox.record_answers([Answer(first, "duplicate"), Answer(second, "applied", result={"number": "2026-0001"})])
    assert states(outbox) == {first: "duplicate", second: "applied"}
    assert outbox.unanswered(10) == []


def test_the_first_answer_stands(outbox):
    queued = outbox.enqueue("suggestion.submit", {}, "deputy01")
    outbox.mark_sent([queued])
    outbox.record_answers([Answer(queued, "rejected", "标题不能为空")])
    outbox.mark_sent([queued])
    outbox.record_answers([Answer(queued, "duplicate")])
    (command,) = outbox.commands()
    assert (command.state, command.reason, command.attempts) == ("rejected", "标题不能为空", 1)


def test_a_rejected_command_never_blocks_the_ones_behind_it(outbox):
    bad = outbox.enqueue("suggestion.submit", {"title": ""}, "deputy01")
    good = outbox.enqueue("suggestion.submit", {"title": "修路"}, "deputy01")
    outbox.mark_sent([bad, good])
    outbox.record_answers([Answer(bad, "rejected", "标题不能为空")])
    assert [c.uuid for c in outbox.unanswered(10)] == [good]


def test_rejected_command_is_discarded_or_resent_as_a_new_command(outbox):
    first = outbox.enqueue("suggestion.submit", {"title": ""}, "deputy01")
    second = outbox.enqueue("suggestion.submit", {"title": "x"}, "deputy01")
    outbox.mark_sent([first, second])
    outbox.record_answers([Answer(first, "rejected", "标题不能为空"), Answer(second, "rejected", "重复")])
    replacement = outbox.resend_as_new(first, {"title": "修路"})
    outbox.discard(second)
    (command,) = outbox.commands()
    assert (command.uuid, command.state, command.payload) == (replacement, "pending", {"title": "修路"})
    assert replacement != first


def test_only_rejected_commands_may_be_discarded(outbox):
    queued = outbox.enqueue("suggestion.submit", {}, "deputy01")
    with pytest.raises(OutboxError):
        outbox.discard(queued)
    with pytest.raises(OutboxError):
        outbox.resend_as_new(queued)
