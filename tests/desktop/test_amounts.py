"""Money reads in 万元 with two decimals, rounded half-up, from integer fen — never through a float."""

from decimal import Decimal

import pytest

from desktop.amounts import format_percent, format_points, format_wan_yuan, percent, time_progress


@pytest.mark.parametrize(("fen", "text"), [
    (123_456_789, "123.46"),  # 1 234 567.89 元
    (12_345_678_900, "12,345.68"),  # 123 456 789 元
    (1_000_000, "1.00"),
    (5_000, "0.01"),  # exactly half a cent of 万元: rounds up
    (4_999, "0.00"),
    (-5_000, "-0.01"),  # half-up rounds away from zero, as printed reports do
    (0, "0.00"),
    (1_005_000, "1.01"),  # round(1.005, 2) on a float gives 1.0: 1.005 is 1.00499… in binary
    (9_999_999_994_999, "9,999,999.99"),
    (None, "—"),
])
def test_fen_in_wan_yuan(fen, text):
    assert format_wan_yuan(fen) == text


def test_percentages_and_time_progress():
    assert percent(1, 3) == Decimal("33.3") and percent(2, 3) == Decimal("66.7")
    assert percent(5, 0) is None and format_percent(None) == "—"
    assert format_percent(percent(180_000_000, 300_000_000)) == "60.0%"
    assert time_progress(10) == Decimal("83.3") and time_progress(12) == Decimal("100.0")
    assert format_points(Decimal("33.3")) == "+33.3" and format_points(Decimal("-4.2")) == "-4.2"
