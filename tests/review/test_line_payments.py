"""The line payments one review adds up once and shares between its rules (desktop/review/payments.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

import desktop.review
from desktop.queries.replica import ReplicaReader
from desktop.review import review
from desktop.review.context import reviewing
from desktop.review.model import ReviewScope
from desktop.review.payments import LINE_PAYMENTS
from tests.review.conftest import YEAR

WAN_100 = 100_000_000


def temporary_tables(conn) -> list[str]:
    return inspect(conn).get_temp_table_names()


def test_the_as_of_and_each_line_paid_come_from_one_table_gone_after_the_review(hand):
    hand.rule("execution_lag", "5", "10")
    hand.rule("year_end_rush", "50", "50")
    lagging = hand.line(WAN_100, {1: 10_000_000, 6: 20_000_000})  # 30 % paid at June: 20 points behind
    rushed = hand.line(WAN_100, {3: 10_000_000, 12: 90_000_000}, year=YEAR - 1, unit="通川区城市管理中心")
    hand.line(WAN_100, year=YEAR - 1)  # nothing paid: no row of its own
    reader = ReplicaReader(hand.replica.path)
    with reader.connect() as conn:
        with reviewing(conn, ReviewScope()) as context:
            assert dict(context.as_of.months) == {YEAR: 6, YEAR - 1: 12}
            rows = conn.execute(context.payments.select().order_by(context.payments.c.line_id)).all()
            assert [tuple(row) for row in rows] == [(lagging, 6, 30_000_000, 0), (rushed, 12, 100_000_000, 90_000_000)]
        assert LINE_PAYMENTS not in temporary_tables(conn)
        found = review(conn)
        assert review(conn) == found  # again on the same connection
        assert LINE_PAYMENTS not in temporary_tables(conn)
    reader.dispose()
    assert {(w.rule, w.subject.type, w.year) for w in found} >= {("execution_lag", "line", YEAR),
                                                                  ("year_end_rush", "unit", YEAR - 1)}


def test_a_table_left_by_a_failed_review_is_replaced(hand):
    hand.rule("execution_lag", "5", "10")
    hand.line(WAN_100, {6: 30_000_000})
    reader = ReplicaReader(hand.replica.path)
    with reader.connect() as conn:
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {LINE_PAYMENTS} (stale INTEGER)")
        assert [w.figure("lag_points") for w in review(conn) if w.subject.type == "line"] == [20]
        assert LINE_PAYMENTS not in temporary_tables(conn)
    reader.dispose()


def test_a_rule_failing_half_way_leaves_its_error_and_the_next_review_works(hand, monkeypatch):
    hand.rule("execution_lag", "5", "10")
    hand.line(WAN_100, {6: 30_000_000})
    hand.line(WAN_100, {6: 60_000_000})

    def failing(context, limits):
        rows = context.conn.execute(context.payments.select())
        yield from ()
        rows.fetchone()  # a query on the table still open when the rule fails
        raise ValueError("规则出错")

    reader = ReplicaReader(hand.replica.path)
    with reader.connect() as conn:
        with monkeypatch.context() as patched:
            patched.setitem(desktop.review.RULES, "execution_lag", failing)
            with pytest.raises(ValueError, match="规则出错"):
                review(conn)
        assert [w.figure("lag_points") for w in review(conn) if w.subject.type == "line"] == [20]
        assert LINE_PAYMENTS not in temporary_tables(conn)
    reader.dispose()
