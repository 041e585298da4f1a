"""End to end with the real server (uvicorn in a thread): a threshold staff change on their PC goes
through the outbox, and another user's review changes after that user's next sync."""

from __future__ import annotations

from decimal import Decimal

from desktop.review.model import Warning
from desktop.threshold_changes import ThresholdChange, queue_changes
from sync.client.home import Account
from tests.client.conftest import Deputy
from tests.review.conftest import reviewed


def warnings_of(user: Deputy, rule: str) -> list[Warning]:
    return [w for w in reviewed(user.account.replica_path) if w.rule == rule]


def set_threshold(staff: Deputy, change: ThresholdChange) -> None:
    with staff.replica() as replica:
        queue_changes(replica, [change], staff.account.username)
    report = staff.sync()
    assert report.commands_pushed == 1 and report.commands_rejected == 0


def test_a_threshold_set_by_staff_changes_a_deputys_warnings_after_their_next_sync(serve, tmp_path):
    server = serve("small")  # tests/client's district: its lines are a few thousand yuan, under every minimum
    deputy = Deputy(Account.of(tmp_path / "township-pc", server.url, "deputy01"))
    staff = Deputy(Account.of(tmp_path / "office-pc", server.url, "staff01"))
    deputy.sync()
    staff.sync()
    assert warnings_of(deputy, "execution_lag") == []  # every line under 50 万元

    set_threshold(staff, ThresholdChange("execution_lag", Decimal(5), Decimal(10), 0, True))
    assert warnings_of(deputy, "execution_lag") == []  # not synced yet
    deputy.sync()
    lagging = warnings_of(deputy, "execution_lag")
    assert lagging and {w.level.value for w in lagging} == {"red"}
    assert {w.subject.region_code for w in lagging} == {"511702001"}  # the deputy's township only

    set_threshold(staff, ThresholdChange("execution_lag", None, None, 0, False))
    deputy.sync()
    assert warnings_of(deputy, "execution_lag") == []
