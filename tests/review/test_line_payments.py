"""What each line has paid, as the rules read it from the replica's line_payments (desktop/review/payments.py)."""

from __future__ import annotations

from sqlalchemy import select

from desktop.queries.replica import ReplicaReader
from desktop.review import review
from desktop.review.context import review_context
from desktop.review.model import ReviewScope
from tests.review.conftest import YEAR

WAN_100 = 100_000_000


def test_the_as_of_and_each_line_paid_come_from_the_replicas_line_payments(hand):
    hand.rule("execution_lag", "5", "10")
    hand.rule("year_end_rush", "50", "50")
    lagging = hand.line(WAN_100, {1: 10_000_000, 6: 20_000_000})  # 30 % paid at June: 20 points behind
    rushed = hand.line(WAN_100, {3: 10_000_000, 12: 90_000_000}, year=YEAR - 1, unit="通川区城市管理中心")
    hand.line(WAN_100, year=YEAR - 1)  # nothing paid: no row of its own
    reader = ReplicaReader(hand.replica.path)
    with reader.connect() as conn:
        context = review_context(conn, ReviewScope())
        assert dict(context.as_of.months) == {YEAR: 6, YEAR - 1: 12}
        rows = conn.execute(select(context.payments).order_by(context.payments.c.line_id)).all()
        assert [tuple(row) for row in rows] == [(lagging, 6, 30_000_000, 0), (rushed, 12, 100_000_000, 90_000_000)]
        found = review(conn)
        assert review(conn) == found  # again on the same connection
    reader.dispose()
    assert {(w.rule, w.subject.type, w.year) for w in found} >= {("execution_lag", "line", YEAR),
                                                                  ("year_end_rush", "unit", YEAR - 1)}
