"""Rules on livelihood projects (民生实事): progress behind plan, and money paid ahead of the works."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import and_, or_, select

from desktop.amounts import format_wan_yuan as wan
from desktop.queries.thresholds import Level, Thresholds
from desktop.review.context import ReviewContext
from desktop.review.model import Figure, Link, Subject, Unit, Warning, share
from sync.schema import projects


def _projects(ctx: ReviewContext, limits: Thresholds) -> list:
    """Projects in scope with a budget of at least the minimum (or, without a budget, that much paid)."""
    big_enough = or_(projects.c.budget >= limits.min_amount,
                     and_(projects.c.budget <= 0, projects.c.paid >= limits.min_amount))
    query = (select(projects).where(big_enough, ctx.in_scope(projects.c.region_code))
             .order_by(projects.c.year, projects.c.id))
    return [row for row in ctx.conn.execute(query) if ctx.scope.has_year(row.year)]


def _subject(ctx: ReviewContext, row) -> Subject:
    return Subject("project", str(row.id), row.name, row.region_code, ctx.places.region_name(row.region_code))


def project_lag(ctx: ReviewContext, limits: Thresholds) -> Iterator[Warning]:
    """项目进度滞后: actual construction progress behind the planned progress by more than N points."""
    for row in _projects(ctx, limits):
        lag = Decimal(row.planned_progress - row.actual_progress)
        level = limits.level(lag)
        if level is None:
            continue
        figures = (Figure("budget", row.budget, Unit.FEN),
                   Figure("planned_progress", row.planned_progress, Unit.PERCENT),
                   Figure("actual_progress", row.actual_progress, Unit.PERCENT), Figure("lag_points", lag, Unit.POINTS))
        message = (f"民生实事「{row.name}」计划进度{row.planned_progress}%，实际进度{row.actual_progress}%，"
                   f"滞后{lag}个百分点。")
        yield Warning("project_lag", level, row.year, _subject(ctx, row), figures, message,
                      Link("projects", row=row.id))


def paid_ahead_of_work(ctx: ReviewContext, limits: Thresholds) -> Iterator[Warning]:
    """资金支付超进度: the share of the budget paid ahead of the construction progress by N points or more;
    money paid on a project without a budget is a 预警 of its own."""
    for row in _projects(ctx, limits):
        warning = _ahead_warning(ctx, limits, row) if row.budget > 0 else _unbudgeted_project(ctx, limits, row)
        if warning is not None:
            yield warning


def _ahead_warning(ctx: ReviewContext, limits: Thresholds, row) -> Warning | None:
    paid_percent = share(row.paid, row.budget)
    ahead = paid_percent - row.actual_progress
    level = limits.level(ahead)
    if level is None:
        return None
    figures = (Figure("budget", row.budget, Unit.FEN), Figure("paid", row.paid, Unit.FEN),
               Figure("paid_percent", paid_percent, Unit.PERCENT),
               Figure("actual_progress", row.actual_progress, Unit.PERCENT), Figure("ahead_points", ahead, Unit.POINTS))
    message = (f"民生实事「{row.name}」已支付{wan(row.paid)}万元、占预算{paid_percent}%，"
               f"而工程进度只有{row.actual_progress}%，支付超前{ahead}个百分点。")
    return Warning("paid_ahead_of_work", level, row.year, _subject(ctx, row), figures, message,
                   Link("projects", row=row.id))


def _unbudgeted_project(ctx: ReviewContext, limits: Thresholds, row) -> Warning | None:
    if row.paid <= 0 or row.paid < limits.min_amount:
        return None
    figures = (Figure("budget", row.budget, Unit.FEN), Figure("paid", row.paid, Unit.FEN),
               Figure("actual_progress", row.actual_progress, Unit.PERCENT))
    message = f"民生实事「{row.name}」没有安排预算，却已支付{wan(row.paid)}万元。"
    return Warning("paid_ahead_of_work", Level.RED, row.year, _subject(ctx, row), figures, message,
                   Link("projects", row=row.id))
