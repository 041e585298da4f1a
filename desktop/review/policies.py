"""政策资金拨付慢: a major policy's funds disbursed behind the time progress of the year."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import and_, func, or_, select

from desktop.amounts import format_wan_yuan as wan
from desktop.queries.thresholds import Level, Thresholds
from desktop.review.context import ReviewContext
from desktop.review.execution import months_text
from desktop.review.model import Figure, Link, Subject, Unit, Warning, one_decimal
from sync.schema import policies, policy_disbursements


def policy_disbursement_lag(ctx: ReviewContext, limits: Thresholds) -> Iterator[Warning]:
    """Judged at the year's latest reported month, while the year is under way."""
    for year in ctx.years(closed=False):
        if ctx.as_of.judges_progress(year):
            for row in ctx.conn.execute(_disbursed(ctx, limits, year)):
                warning = _policy_warning(ctx, limits, year, row)
                if warning is not None:
                    yield warning


def _disbursed(ctx: ReviewContext, limits: Thresholds, year: int):
    month = ctx.as_of.month(year)
    disbursed = func.coalesce(func.sum(policy_disbursements.c.amount), 0)
    big_enough = or_(policies.c.funds_arranged >= limits.min_amount, policies.c.funds_arranged <= 0)
    return (select(policies.c.id, policies.c.name, policies.c.region_code, policies.c.funds_arranged,
                   disbursed.label("disbursed"))
            .outerjoin(policy_disbursements, and_(policy_disbursements.c.policy_id == policies.c.id,
                                                  policy_disbursements.c.year == year,
                                                  policy_disbursements.c.month <= month))
            .where(policies.c.year == year, big_enough, ctx.in_scope(policies.c.region_code))
            .group_by(policies.c.id)
            .order_by(policies.c.id))


def _policy_warning(ctx: ReviewContext, limits: Thresholds, year: int, row) -> Warning | None:
    month = ctx.as_of.month(year)
    subject = Subject("policy", str(row.id), row.name, row.region_code, ctx.places.region_name(row.region_code))
    link = Link("policies", row=row.id)
    arranged, disbursed = row.funds_arranged, int(row.disbursed)
    if arranged <= 0:
        if disbursed <= 0 or disbursed < limits.min_amount:
            return None
        figures = (Figure("arranged", arranged, Unit.FEN), Figure("disbursed", disbursed, Unit.FEN))
        message = f"重大政策「{row.name}」{year}年没有安排资金，{months_text(month)}却已拨付{wan(disbursed)}万元。"
        return Warning("policy_disbursement_lag", Level.RED, year, subject, figures, message, link)
    disbursed_percent = Decimal(disbursed * 100) / arranged
    time_progress = ctx.as_of.time_progress(year)
    lag = one_decimal(time_progress - disbursed_percent)
    level = limits.level(lag)
    if level is None:
        return None
    figures = (Figure("arranged", arranged, Unit.FEN), Figure("disbursed", disbursed, Unit.FEN),
               Figure("disbursed_percent", one_decimal(disbursed_percent), Unit.PERCENT),
               Figure("time_progress", one_decimal(time_progress), Unit.PERCENT),
               Figure("lag_points", lag, Unit.POINTS))
    message = (f"重大政策「{row.name}」{year}年安排资金{wan(arranged)}万元，{months_text(month)}拨付"
               f"{wan(disbursed)}万元、拨付进度{one_decimal(disbursed_percent)}%，"
               f"落后序时进度（{one_decimal(time_progress)}%）{lag}个百分点。")
    return Warning("policy_disbursement_lag", level, year, subject, figures, message, link)
