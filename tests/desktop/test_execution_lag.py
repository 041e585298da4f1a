"""The 预算执行 table sorts and judges lines by an integer lag: it must be the Decimal one, digit for digit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.queries.execution import LineExecution, behind_time_tenths


def line(paid: int, budget: int) -> LineExecution:
    return LineExecution(1, 0, budget, paid)


AMOUNTS = [  # (paid, budget) fen: halves of a tenth both ways, refunds, negative budgets, no budget
    (1_000, 3_000), (2_000, 3_000), (1, 2_000), (-1, 2_000), (1, -2_000), (-1, -2_000), (1, 1_999), (-1, 1_999),
    (1, 200_000), (-1, 200_000), (0, 5), (7, 0), (0, 0), (123_456_789, 987_654_321), (-987_654_321, 123_456_789),
    (999_999_999_999, 1_000_000_000_001), (25, 100_000), (35, 100_000), (-25, 100_000), (45, 1_000),
]


@pytest.mark.parametrize("month", [0, 1, 5, 6, 7, 10, 11, 12])
@pytest.mark.parametrize(("paid", "budget"), AMOUNTS)
def test_integer_lag_is_the_decimal_lag(paid, budget, month):
    expected = line(paid, budget).lag_points(month)
    found = behind_time_tenths(line(paid, budget), month)
    assert (None if found is None else Decimal(found).scaleb(-1)) == expected
