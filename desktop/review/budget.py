"""Rules on the budget's own figures: final accounts against the budget, large adjustments, and the three
public expenses (三公经费) against their budget and last year."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, literal, select

from desktop.amounts import format_wan_yuan as wan
from desktop.queries.budget import current_budget
from desktop.queries.thresholds import Level, Thresholds
from desktop.review.context import ReviewContext
from desktop.review.execution import months_text
from desktop.review.measures import (
    ROUNDING_SLACK,
    UNIT_KEY,
    Candidate,
    Measured,
    line_select,
    measured,
    ratio_candidate,
    unbudgeted,
    unit_columns,
    unit_link,
    unit_subject,
)
from desktop.review.model import Figure, Unit, Warning, share
from sync.schema import budget_lines, executions


def _deviation_candidate(limits: Thresholds) -> Candidate:
    floor = float((limits.lowest or 0) - ROUNDING_SLACK)
    return ratio_candidate(limits.min_amount,
                           lambda base, amount: func.abs(amount - base) * 100 >= base * literal(floor))


@dataclass(frozen=True)
class Deviation:
    """How a rule comparing two amounts of a subject names them: figure names and the words of its message."""

    rule: str
    base: str  # figure names: the budget compared against, the amount, their difference, the % change
    amount: str
    difference: str
    percent: str
    sentence: str  # "{what}{year}年决算{amount}万元，比调整预算{base}万元{change}。"
    more: str  # the change's words, up and down
    less: str
    unbudgeted: str  # the sentence when there is no base: "{what}{year}年没有安排预算，决算支出却有{amount}万元。"

    def warnings(self, limits: Thresholds, year: int, found: Measured) -> Iterator[Warning]:
        names = {"what": found.what, "year": year, "amount": wan(found.amount), "base": wan(found.base)}
        money = (Figure(self.base, found.base, Unit.FEN), Figure(self.amount, found.amount, Unit.FEN))
        if found.base <= 0:
            yield from unbudgeted(self.rule, limits, year, found, money, self.unbudgeted.format(**names))
            return
        change = share(found.amount - found.base, found.base)
        level = limits.level(abs(change)) if found.base >= limits.min_amount else None
        if level is not None:
            figures = (*money, Figure(self.difference, found.amount - found.base, Unit.FEN),
                       Figure(self.percent, change, Unit.PERCENT))
            words = f"{self.more if change > 0 else self.less}{abs(change)}%"
            yield Warning(self.rule, level, year, found.subject, figures,
                          self.sentence.format(**names, change=words), found.link)


FINAL = Deviation("final_deviation", "budget", "final", "difference", "deviation_percent",
                  "{what}{year}年决算{amount}万元，比调整预算{base}万元{change}。", "多支出", "少支出",
                  "{what}{year}年没有安排预算，决算支出却有{amount}万元。")
ADJUSTMENT = Deviation("large_adjustment", "approved", "adjusted", "change", "change_percent",
                       "{what}{year}年调整预算{amount}万元，比年初预算{base}万元{change}。", "追加", "调减",
                       "{what}{year}年年初没有预算，调整时安排了{amount}万元。")


def final_deviation(ctx: ReviewContext, limits: Thresholds) -> Iterator[Warning]:
    """决算偏离: final accounts against the adjusted budget, by line, department and region."""
    for year in ctx.years(closed=True):
        lines = (line_select(ctx, year, current_budget(), budget_lines.c.final.is_not(None))
                 .add_columns(budget_lines.c.final.label("amount")).subquery())
        for found in measured(ctx, lines, _deviation_candidate(limits), region_panel="final"):
            yield from FINAL.warnings(limits, year, found)


def large_adjustment(ctx: ReviewContext, limits: Thresholds) -> Iterator[Warning]:
    """预算调整幅度大: the adjusted budget against the approved one, by line (those adjusted), and by
    department and region (all their lines)."""
    for year in ctx.years():
        adjusted = (line_select(ctx, year, budget_lines.c.approved, budget_lines.c.adjusted.is_not(None))
                    .add_columns(budget_lines.c.adjusted.label("amount")).subquery())
        totals = line_select(ctx, year, budget_lines.c.approved).add_columns(current_budget().label("amount"))
        for found in measured(ctx, adjusted, _deviation_candidate(limits), totals_of=totals.subquery(),
                              region_panel="budget"):
            yield from ADJUSTMENT.warnings(limits, year, found)


# ---------------------------------------------------------------- three public expenses

@dataclass(frozen=True)
class PublicExpenses:
    """A unit's 三公经费 in one year: 年初预算, 调整后预算 and what it paid up to a month (fen)."""

    approved: int
    budget: int
    paid: int


def three_public_expenses(ctx: ReviewContext, limits: Thresholds) -> Iterator[Warning]:
    """三公经费: a unit's budget or spending (the same months) up on last year, or spending above budget."""
    for year in ctx.years():
        month = ctx.as_of.month(year)
        last_year = {key: expenses for key, (_row, expenses) in _public_expenses(ctx, year - 1, month).items()}
        for key, (row, now) in _public_expenses(ctx, year, month).items():
            if now.approved >= limits.min_amount:
                warning = _public_expenses_warning(ctx, limits, year, month, row, now, last_year.get(key))
                if warning is not None:
                    yield warning


def _public_expenses(ctx: ReviewContext, year: int, through_month: int) -> dict[tuple, tuple]:
    """Per unit: (a row naming it, its :class:`PublicExpenses`)."""
    paid = (select(func.coalesce(func.sum(executions.c.amount), 0))
            .where(executions.c.line_id == budget_lines.c.id, executions.c.month <= through_month)
            .scalar_subquery())
    query = (select(*unit_columns(), func.sum(budget_lines.c.approved).label("approved"),
                    func.sum(current_budget()).label("budget"), func.sum(paid).label("paid"))
             .where(budget_lines.c.year == year, budget_lines.c.is_three_public.is_(True),
                    ctx.in_scope(budget_lines.c.region_code))
             .group_by(*UNIT_KEY).order_by(*UNIT_KEY))
    return {(row.department_code, row.unit_name): (row, PublicExpenses(int(row.approved), int(row.budget),
                                                                       int(row.paid)))
            for row in ctx.conn.execute(query)}


def _increase(now: int, before: int) -> Decimal | None:
    """% increase of ``now`` on ``before``; ``None`` for money where there was none (an increase without measure)."""
    return share(now - before, before) if before > 0 else None


def _public_expenses_warning(ctx: ReviewContext, limits: Thresholds, year: int, month: int, row,
                             now: PublicExpenses, before: PublicExpenses | None) -> Warning | None:
    figures = [Figure("budget", now.approved, Unit.FEN), Figure("paid", now.paid, Unit.FEN)]
    clauses, levels = [], []

    def judge(name: str, current: int, previous: int, clause: str) -> None:
        if current <= previous or current <= 0:
            return
        increase = _increase(current, previous)
        level = Level.RED if increase is None else limits.level(increase)
        if level is not None:
            levels.append(level)
            clauses.append(clause.format("" if increase is None else f"{increase}%"))
            if increase is not None:
                figures.append(Figure(name, increase, Unit.PERCENT))

    if before is not None:
        figures.append(Figure("last_year_budget", before.approved, Unit.FEN))
        judge("budget_increase_percent", now.approved, before.approved,
              f"预算{wan(now.approved)}万元、比上年{wan(before.approved)}万元增加{{}}")
        if month:
            figures.append(Figure("last_year_paid", before.paid, Unit.FEN))
            judge("paid_increase_percent", now.paid, before.paid,
                  f"{months_text(month)}支出{wan(now.paid)}万元、比上年同期{wan(before.paid)}万元增加{{}}")
    judge("over_budget_percent", now.paid, now.budget,
          f"支出{wan(now.paid)}万元、超出预算（{wan(now.budget)}万元）{{}}")
    if not levels:
        return None
    subject = unit_subject(ctx, row)
    level = Level.RED if Level.RED in levels else Level.YELLOW
    message = f"{subject.name}{year}年三公经费{'；'.join(clauses)}。"
    return Warning("three_public_expenses", level, year, subject, tuple(figures), message, unit_link(row))
