"""Each rule on hand-built data: exactly at a threshold and one point either side, zero budgets, refunds,
months not reported yet, empty data, a rule switched off, and a PC clock far off.

Amounts are fen; the budget of most lines is 100 万元 (100 000 000 fen), so 1 % is 1 000 000 fen.
The as-of month is set by the data: a payment in June makes June the latest reported month.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete

import desktop.review
from desktop.review.model import ReviewScope, Warning
from sync.schema import review_thresholds
from tests.review.conftest import DISTRICT, TOWNSHIP, YEAR, HandBuilt

WAN_100 = 100_000_000
PERCENT = WAN_100 // 100


def levels(found: list[Warning], rule: str, subject: str = "line") -> list[str]:
    return [w.level.value for w in found if w.rule == rule and w.subject.type == subject]


# ---------------------------------------------------------------- lags behind time progress (strictly above)

LAG_CASES = [  # % paid by June (time progress 50.0 %) → level; yellow 5, red 10 points
    (46, None), (45, None), (44, "yellow"), (41, "yellow"), (40, "yellow"), (39, "red")]


@pytest.mark.parametrize(("paid", "expected"), LAG_CASES)
def test_execution_lag_boundaries(hand, paid, expected):
    hand.rule("execution_lag", "5", "10")
    hand.line(WAN_100, {6: paid * PERCENT})
    found = hand.review()
    assert levels(found, "execution_lag") == ([expected] if expected else [])
    if expected:
        warning = next(w for w in found if w.subject.type == "line")
        assert warning.figure("lag_points") == Decimal(50 - paid)
        assert warning.figure("time_progress") == Decimal("50.0") and warning.figure("paid") == paid * PERCENT
        assert "落后序时进度（50.0%）" in warning.message and warning.link.panel == "execution"


@pytest.mark.parametrize(("paid", "expected"), LAG_CASES)
def test_livelihood_payment_lag_boundaries(hand, paid, expected):
    hand.rule("livelihood_payment_lag", "5", "10")
    hand.rule("execution_lag", "5", "10")
    hand.line(WAN_100, {6: paid * PERCENT}, is_livelihood=True)
    found = hand.review()
    assert levels(found, "livelihood_payment_lag") == ([expected] if expected else [])
    assert levels(found, "execution_lag") == []  # a livelihood line is judged once, by its own rule


def test_lags_add_up_departments_and_regions(hand):
    hand.rule("execution_lag", "5", "10")
    hand.line(WAN_100, {6: 50 * PERCENT})  # on time
    hand.line(WAN_100, {6: 30 * PERCENT}, region=TOWNSHIP)  # 20 behind
    found = hand.review()
    # The city is named in a district user's replica but not judged: it holds only this district's lines.
    assert [(w.subject.type, w.subject.id, w.level.value) for w in found] == [
        ("line", "2", "red"), ("department", f"{TOWNSHIP}01", "red"), ("region", TOWNSHIP, "red"),
        ("region", DISTRICT, "yellow")]
    district = next(w for w in found if w.subject.id == DISTRICT)
    assert (district.figure("execution_percent"), district.figure("lag_points")) == (Decimal("40.0"), Decimal(10))


@pytest.mark.parametrize(("disbursed", "expected"), [(41, None), (40, None), (39, "yellow"), (31, "yellow"),
                                                     (30, "yellow"), (29, "red")])
def test_policy_disbursement_lag_boundaries(hand, disbursed, expected):
    hand.rule("policy_disbursement_lag", "10", "20")
    hand.line(WAN_100, {6: 50 * PERCENT})  # makes June the as-of month
    hand.policy(WAN_100, {2: 10 * PERCENT, 6: (disbursed - 10) * PERCENT})
    assert levels(hand.review(), "policy_disbursement_lag", "policy") == ([expected] if expected else [])


# ---------------------------------------------------------------- closed years

@pytest.mark.parametrize(("december", "expected"), [(49, None), (50, None), (51, "red")])
def test_year_end_rush_boundaries(hand, december, expected):
    hand.rule("year_end_rush", red="50")
    early = (100 - december) * PERCENT
    hand.line(WAN_100, {month: early // 11 for month in range(1, 11)} | {11: early - early // 11 * 10,
                                                                         12: december * PERCENT}, year=YEAR - 1)
    found = hand.review()
    assert levels(found, "year_end_rush", "unit") == ([expected] if expected else [])
    if expected:
        assert found[0].figure("december_percent") == Decimal(december) and found[0].year == YEAR - 1


def test_year_end_rush_waits_for_december_and_a_refund_is_no_rush(hand):
    hand.rule("year_end_rush", red="50")
    hand.line(WAN_100, {1: 10 * PERCENT, 11: 80 * PERCENT})  # November reported, December not yet
    hand.line(WAN_100, {6: 50 * PERCENT, 12: -10 * PERCENT}, year=YEAR - 1)  # money back in December
    assert hand.review() == []


@pytest.mark.parametrize(("final", "expected"), [(91, None), (90, "yellow"), (89, "yellow"), (81, "yellow"),
                                                 (80, "red"), (79, "red"), (120, "red"), (110, "yellow")])
def test_final_deviation_boundaries(hand, final, expected):
    hand.rule("final_deviation", "10", "20")
    hand.line(WAN_100, {12: final * PERCENT}, year=YEAR - 1, final=final * PERCENT)
    found = hand.review()
    assert levels(found, "final_deviation") == ([expected] if expected else [])
    if expected:
        assert found[0].figure("deviation_percent") == Decimal(final - 100)


@pytest.mark.parametrize(("adjusted", "expected"), [(109, None), (110, "yellow"), (111, "yellow"), (119, "yellow"),
                                                    (120, "red"), (121, "red"), (80, "red"), (91, None)])
def test_large_adjustment_boundaries(hand, adjusted, expected):
    hand.rule("large_adjustment", "10", "20")
    hand.line(WAN_100, adjusted=adjusted * PERCENT)
    assert levels(hand.review(), "large_adjustment") == ([expected] if expected else [])


# ---------------------------------------------------------------- three public expenses (any increase)

@pytest.mark.parametrize(("approved", "expected"), [(99, None), (100, None), (101, "red")])
def test_three_public_budget_up_on_last_year(hand, approved, expected):
    hand.rule("three_public_expenses", red="0")
    hand.line(100 * PERCENT, year=YEAR - 1, is_three_public=True)
    hand.line(approved * PERCENT, is_three_public=True)
    found = hand.review()
    assert levels(found, "three_public_expenses", "unit") == ([expected] if expected else [])
    if expected:
        assert found[0].figure("budget_increase_percent") == Decimal(1)
        assert found[0].link.unit == "通川区住房保障服务中心"


@pytest.mark.parametrize(("paid", "expected"), [(59, None), (60, None), (61, "red")])
def test_three_public_spending_up_on_the_same_months_last_year(hand, paid, expected):
    hand.rule("three_public_expenses", red="0")
    hand.line(WAN_100, {6: 60 * PERCENT, 12: 40 * PERCENT}, year=YEAR - 1, is_three_public=True)
    hand.line(WAN_100, {6: paid * PERCENT}, is_three_public=True)  # June: compared with last January–June
    found = hand.review()
    assert levels(found, "three_public_expenses", "unit") == ([expected] if expected else [])


@pytest.mark.parametrize(("paid", "expected"), [(99, None), (100, None), (101, "red")])
def test_three_public_above_budget(hand, paid, expected):
    hand.rule("three_public_expenses", red="0")
    hand.line(WAN_100, {12: paid * PERCENT}, year=YEAR - 1, is_three_public=True, final=paid * PERCENT)
    assert levels(hand.review(), "three_public_expenses", "unit") == ([expected] if expected else [])


# ---------------------------------------------------------------- idle special funds (after N months)

@pytest.mark.parametrize(("month", "expected"), [(5, None), (6, "red"), (7, "red")])
def test_idle_special_funds_boundaries(hand, month, expected):
    hand.rule("idle_special_funds", red="6")
    hand.line(WAN_100, {month: 10 * PERCENT}, project="办公设备购置")  # sets the as-of month
    hand.line(WAN_100, is_special=True, project="高标准农田建设中央补助资金")
    found = hand.review()
    assert levels(found, "idle_special_funds") == ([expected] if expected else [])
    if expected:
        assert found[0].figure("idle_months") == month and "高标准农田" in found[0].subject.name


def test_a_special_fund_refunded_back_to_nothing_is_idle(hand):
    hand.rule("idle_special_funds", red="6")
    hand.line(WAN_100, {2: 10 * PERCENT, 7: -10 * PERCENT}, is_special=True)
    assert levels(hand.review(), "idle_special_funds") == ["red"]


# ---------------------------------------------------------------- projects

@pytest.mark.parametrize(("actual", "expected"), [(71, None), (70, None), (69, "yellow"), (61, "yellow"),
                                                  (60, "yellow"), (59, "red")])
def test_project_lag_boundaries(hand, actual, expected):
    hand.rule("project_lag", "10", "20")
    hand.project(WAN_100, 0, planned=80, actual=actual)
    assert levels(hand.review(), "project_lag", "project") == ([expected] if expected else [])


@pytest.mark.parametrize(("paid", "expected"), [(69, None), (70, "red"), (71, "red")])
def test_paid_ahead_of_work_boundaries(hand, paid, expected):
    hand.rule("paid_ahead_of_work", red="30")
    hand.project(WAN_100, paid * PERCENT, planned=50, actual=40)
    found = hand.review()
    assert levels(found, "paid_ahead_of_work", "project") == ([expected] if expected else [])
    if expected:
        assert found[0].figure("ahead_points") == Decimal(paid - 40) and found[0].link.panel == "projects"


# ---------------------------------------------------------------- suggestions (by the server's date)

@pytest.mark.parametrize(("days_late", "expected"), [(-1, None), (0, None), (1, "red"), (2, "red")])
def test_suggestion_overdue_boundaries(hand, days_late, expected):
    hand.rule("suggestion_overdue", red="0")
    hand.suggestion(dt.date(YEAR, 11, 29) - dt.timedelta(days=days_late))
    found = hand.review()
    assert levels(found, "suggestion_overdue", "suggestion") == ([expected] if expected else [])
    if expected:
        assert found[0].figure("days_overdue") == days_late and found[0].link.panel == "suggestions"


def test_an_answered_or_reopened_suggestion_is_not_overdue(hand):
    hand.rule("suggestion_overdue", red="0")
    for state in ("replied", "closed", "reopened", "declined"):
        hand.suggestion(dt.date(YEAR, 1, 1), state)
    assert hand.review() == []


def test_overdue_follows_the_server_date_and_waits_for_one(hand):
    hand.rule("suggestion_overdue", red="0")
    hand.suggestion(dt.date(YEAR, 7, 31))
    hand.server_date(dt.date(YEAR, 7, 1))
    assert hand.review() == []
    hand.server_date(dt.date(YEAR + 4, 7, 31))
    assert hand.review()[0].figure("days_overdue") == 1461
    with hand.replica.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM sync_state WHERE key = 'server_time'")
    assert hand.review() == []  # never synced: no date to judge by, and the PC's clock is not one


# ---------------------------------------------------------------- zero budgets, unreported months, refunds

@pytest.mark.parametrize("rule", ["execution_lag", "final_deviation", "large_adjustment"])
def test_money_on_a_zero_budget_is_itself_a_warning(hand, rule):
    hand.rule(rule, "5", "10")
    closed = rule == "final_deviation"
    year, final = (YEAR - 1, 0) if closed else (YEAR, None)
    hand.line(0, {6: 5 * PERCENT}, year=year, adjusted=5 * PERCENT if rule == "large_adjustment" else 0,
              final=5 * PERCENT if closed else None)
    hand.line(0, year=year, adjusted=0, final=final)  # no money either: no warning
    found = [w for w in hand.review() if w.subject.type == "line"]
    assert [(w.rule, w.level.value, w.subject.id) for w in found] == [(rule, "red", "1")]
    assert "没有" in found[0].message and "预算" in found[0].message


def test_zero_budget_projects_and_policies_with_money(hand):
    hand.rule("paid_ahead_of_work", red="30")
    hand.rule("policy_disbursement_lag", "10", "20")
    hand.project(0, 3 * PERCENT, planned=0, actual=0)
    hand.project(0, 0, planned=0, actual=0)
    hand.line(WAN_100, {6: 50 * PERCENT})
    hand.policy(0, {3: 2 * PERCENT})
    found = hand.review()
    assert [(w.rule, w.level.value) for w in found] == [
        ("paid_ahead_of_work", "red"), ("policy_disbursement_lag", "red")]


def test_the_minimum_amount_keeps_small_subjects_out(hand):
    hand.rule("execution_lag", "5", "10", min_amount=50 * 1_000_000)  # 50 万元
    hand.line(49 * 1_000_000, {6: 0}, project="小额")
    hand.line(50 * 1_000_000, {6: 0}, project="够大", region=TOWNSHIP)
    hand.line(0, {6: 49 * 1_000_000}, project="无预算小额支出")
    hand.line(0, {6: 50 * 1_000_000}, project="无预算大额支出")
    names = {w.subject.name for w in hand.review() if w.subject.type == "line"}
    assert names == {"够大（通川区住房保障服务中心）", "无预算大额支出（通川区住房保障服务中心）"}


def test_months_not_yet_reported_are_never_judged(hand):
    hand.rule("execution_lag", "5", "10")
    hand.rule("policy_disbursement_lag", "10", "20")
    hand.line(WAN_100, {1: 5 * PERCENT, 2: 5 * PERCENT, 3: 15 * PERCENT})  # March: 25 % paid, on time
    hand.line(WAN_100, year=YEAR + 1)  # next year's budget, nothing reported: no time progress yet
    hand.policy(WAN_100, {}, year=YEAR + 1)
    assert hand.review() == []


def test_a_closed_year_is_judged_by_its_final_accounts_not_its_time_progress(hand):
    hand.rule("execution_lag", "5", "10")
    hand.rule("policy_disbursement_lag", "10", "20")
    hand.line(WAN_100, {12: 50 * PERCENT}, year=YEAR - 1, final=50 * PERCENT)
    hand.policy(WAN_100, {12: 50 * PERCENT}, year=YEAR - 1)
    assert hand.review() == []


def test_refunds_count_against_what_was_paid(hand):
    hand.rule("execution_lag", "5", "10")
    hand.line(WAN_100, {3: 60 * PERCENT, 5: -30 * PERCENT, 6: 0})  # 30 % net by June
    (warning,) = [w for w in hand.review() if w.subject.type == "line"]
    assert (warning.level.value, warning.figure("paid"), warning.figure("lag_points")) == (
        "red", 30 * PERCENT, Decimal(20))


# ---------------------------------------------------------------- thresholds, scope, clock

def test_empty_replica_has_no_warnings(tmp_path):
    empty = HandBuilt(tmp_path / "empty.sqlite")
    with empty.replica.engine.begin() as conn:
        conn.execute(delete(review_thresholds))
    assert empty.review() == []


def test_without_thresholds_from_the_server_the_defaults_apply(hand):
    with hand.replica.engine.begin() as conn:
        conn.execute(delete(review_thresholds))
    hand.line(WAN_100, {6: 45 * PERCENT})  # 5.0 behind: at the default yellow line, not past it
    hand.line(WAN_100, {6: 39 * PERCENT})  # 11.0 behind: past the default red line
    assert levels(hand.review(), "execution_lag") == ["red"]


def test_a_rule_without_levels_is_switched_off(hand):
    hand.line(WAN_100, {6: 0})
    hand.line(0, {6: WAN_100})  # even money without a budget
    hand.project(WAN_100, WAN_100, planned=100, actual=0)
    assert hand.review() == []


def test_scope_by_year_and_region(hand):
    hand.rule("execution_lag", "5", "10")
    hand.rule("final_deviation", "10", "20")
    hand.line(WAN_100, {6: 0}, region=TOWNSHIP)
    hand.line(WAN_100, {12: 50 * PERCENT}, year=YEAR - 1, final=50 * PERCENT)
    township = hand.review(ReviewScope(region_codes=frozenset({TOWNSHIP})))
    assert {w.subject.region_code for w in township} == {TOWNSHIP}
    last_year = hand.review(ReviewScope(years=frozenset({YEAR - 1})))
    assert {(w.rule, w.year) for w in last_year} == {("final_deviation", YEAR - 1)}


def test_dates_come_from_the_server_even_with_the_pc_clock_far_off(hand):
    """This PC's clock says late 2026; the server's date, wherever it is, is the one that counts."""
    hand.rule("suggestion_overdue", red="0")
    hand.suggestion(dt.date(YEAR, 7, 31))
    for server_date, overdue in [(dt.date(1999, 1, 1), []), (dt.date(YEAR, 8, 1), [1]),
                                 (dt.date(2042, 7, 31), [(dt.date(2042, 7, 31) - dt.date(YEAR, 7, 31)).days])]:
        hand.server_date(server_date)
        assert [w.figure("days_overdue") for w in hand.review()] == overdue


def test_no_review_or_query_module_reads_the_wall_clock():
    wall_clock = re.compile(r"\b(datetime\.now|date\.today|time\.time|utcnow|datetime\.today)\(")
    review = Path(desktop.review.__file__).parent
    readers = [p for p in [*review.glob("*.py"), *(review.parent / "queries").glob("*.py")]
               if wall_clock.search(p.read_text(encoding="utf-8"))]
    assert readers == []
