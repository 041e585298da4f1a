"""Rules on how budgets are spent through the year: execution lag (general and livelihood funds), idle
special funds, and the year-end rush.

Only reported months count: a year is judged at its own latest reported month, and lags only while the
year is under way (once its final accounts are in, final deviation speaks for it).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import Subquery, and_, func, literal, select

from desktop.amounts import format_wan_yuan as wan
from desktop.queries.budget import current_budget
from desktop.queries.thresholds import Level, Thresholds
from desktop.review.context import ReviewContext
from desktop.review.measures import (
    ROUNDING_SLACK,
    UNIT_KEY,
    Measured,
    line_select,
    line_subject,
    measured,
    ratio_candidate,
    unbudgeted,
    unit_columns,
    unit_link,
    unit_subject,
)
from desktop.review.model import Figure, Link, Unit, Warning, one_decimal, share
from sync.schema import budget_lines


def paid_lines(ctx: ReviewContext, year: int, *conditions) -> Subquery:
    """The year's lines with their budget (``base``) and the amount paid up to the year's as-of month."""
    payments = ctx.payments
    return (line_select(ctx, year, current_budget(), *conditions)
            .add_columns(func.coalesce(payments.c.paid, 0).label("amount"))
            .outerjoin(payments, payments.c.line_id == budget_lines.c.id)
            .subquery())


def months_text(month: int) -> str:
    return "1月" if month == 1 else f"1–{month}月"


# ---------------------------------------------------------------- execution lag

def execution_lag(ctx: ReviewContext, limits: Thresholds) -> Iterator[Warning]:
    """执行进度滞后: lines not tagged livelihood one by one; departments and regions on all their lines."""
    for year in ctx.years(closed=False):
        if ctx.as_of.judges_progress(year):
            lines = paid_lines(ctx, year, budget_lines.c.is_livelihood.is_(False))
            totals = paid_lines(ctx, year)
            for found in measured(ctx, lines, _lag_candidate(ctx, limits, year), totals_of=totals):
                yield from _lag_warning(ctx, "execution_lag", limits, year, found, "支出", "执行进度")


def livelihood_payment_lag(ctx: ReviewContext, limits: Thresholds) -> Iterator[Warning]:
    """民生资金支付慢: livelihood lines, and each department's and region's livelihood lines together."""
    for year in ctx.years(closed=False):
        if ctx.as_of.judges_progress(year):
            lines = paid_lines(ctx, year, budget_lines.c.is_livelihood.is_(True))
            for found in measured(ctx, lines, _lag_candidate(ctx, limits, year)):
                yield from _lag_warning(ctx, "livelihood_payment_lag", limits, year, found, "民生资金支付",
                                        "支付进度")


def _lag_candidate(ctx: ReviewContext, limits: Thresholds, year: int):
    # lag = time progress − paid × 100 / budget ≥ lowest level (less the rounding slack)
    factor = float(ctx.as_of.time_progress(year) - (limits.lowest or 0) + ROUNDING_SLACK)
    return ratio_candidate(limits.min_amount, lambda base, amount: amount * 100 <= base * literal(factor))


def _lag_warning(ctx: ReviewContext, rule: str, limits: Thresholds, year: int, found: Measured, paying: str,
                 progress: str) -> Iterator[Warning]:
    month = ctx.as_of.month(year)
    if found.base <= 0:
        figures = (Figure("budget", found.base, Unit.FEN), Figure("paid", found.amount, Unit.FEN))
        yield from unbudgeted(rule, limits, year, found, figures, f"{found.what}{year}年没有安排预算，"
                              f"{months_text(month)}{paying}却已有{wan(found.amount)}万元。")
        return
    if found.base < limits.min_amount:
        return
    executed = Decimal(found.amount * 100) / found.base
    time_progress = ctx.as_of.time_progress(year)
    lag = one_decimal(time_progress - executed)
    level = limits.level(lag)
    if level is None:
        return
    figures = (Figure("budget", found.base, Unit.FEN), Figure("paid", found.amount, Unit.FEN),
               Figure("execution_percent", one_decimal(executed), Unit.PERCENT),
               Figure("time_progress", one_decimal(time_progress), Unit.PERCENT),
               Figure("lag_points", lag, Unit.POINTS))
    message = (f"{found.what}{year}年{months_text(month)}{paying}{wan(found.amount)}万元，"
               f"{progress}{one_decimal(executed)}%，落后序时进度（{one_decimal(time_progress)}%）{lag}个百分点。")
    yield Warning(rule, level, year, found.subject, figures, message, found.link)


# ---------------------------------------------------------------- idle special funds

def idle_special_funds(ctx: ReviewContext, limits: Thresholds) -> Iterator[Warning]:
    """专项资金闲置: a special-fund line with a budget and nothing (net) paid after N reported months, while
    its year is under way (a closed year's final accounts speak for it: final deviation)."""
    for year in ctx.years(closed=False):
        month = ctx.as_of.month(year)
        level = limits.level(Decimal(month))
        if level is None or not ctx.as_of.judges_progress(year):
            continue
        lines = paid_lines(ctx, year, budget_lines.c.is_special.is_(True))
        idle = select(lines).where(lines.c.base > 0, lines.c.base >= limits.min_amount, lines.c.amount <= 0)
        for row in ctx.conn.execute(idle.order_by(lines.c.id)):
            yield _idle_warning(ctx, limits, year, level, row)


def _idle_warning(ctx: ReviewContext, limits: Thresholds, year: int, level: Level, row) -> Warning:
    month = ctx.as_of.month(year)
    subject, what = line_subject(ctx, row)
    figures = (Figure("budget", row.base, Unit.FEN), Figure("paid", row.amount, Unit.FEN),
               Figure("idle_months", month, Unit.MONTHS))
    message = (f"{what}是专项资金，{year}年预算{wan(row.base)}万元，"
               f"{months_text(month)}累计支出{wan(row.amount)}万元，已闲置{month}个月。")
    return Warning("idle_special_funds", level, year, subject, figures, message, Link("execution", row=row.id))


# ---------------------------------------------------------------- year-end rush

def year_end_rush(ctx: ReviewContext, limits: Thresholds) -> Iterator[Warning]:
    """年底突击花钱: a spending unit (预算单位; a department's lines without one) paying more than N % of
    its year in December. Judged for years with December reported."""
    for year in ctx.years():
        if ctx.as_of.month(year) == 12:
            for row in ctx.conn.execute(_december_shares(ctx, limits, year)):
                warning = _rush_warning(ctx, limits, year, row)
                if warning is not None:
                    yield warning


def _december_shares(ctx: ReviewContext, limits: Thresholds, year: int):
    payments = ctx.payments
    total, december = func.sum(payments.c.paid), func.sum(payments.c.december)
    early = total - december
    floor = float((limits.lowest or 0) - ROUNDING_SLACK)
    return (select(*unit_columns(), early.label("early"), december.label("december"))
            .select_from(budget_lines)
            .join(payments, payments.c.line_id == budget_lines.c.id)
            .where(budget_lines.c.year == year, ctx.in_scope(budget_lines.c.region_code))
            .group_by(*UNIT_KEY)
            .having(and_(total > 0, total >= limits.min_amount, december * 100 >= total * literal(floor)))
            .order_by(*UNIT_KEY))


def _rush_warning(ctx: ReviewContext, limits: Thresholds, year: int, row) -> Warning | None:
    total = int(row.early) + int(row.december)
    december_share = share(int(row.december), total)
    level = limits.level(december_share)
    if level is None:
        return None
    subject = unit_subject(ctx, row)
    figures = (Figure("total", total, Unit.FEN), Figure("to_november", int(row.early), Unit.FEN),
               Figure("december", int(row.december), Unit.FEN),
               Figure("december_percent", december_share, Unit.PERCENT),
               Figure("to_november_percent", one_decimal(100 - december_share), Unit.PERCENT))
    message = (f"{subject.name}{year}年支出{wan(total)}万元，其中12月一个月{wan(int(row.december))}万元、"
               f"占全年{december_share}%，1–11月仅占{one_decimal(100 - december_share)}%。")
    return Warning("year_end_rush", level, year, subject, figures, message, unit_link(row))
