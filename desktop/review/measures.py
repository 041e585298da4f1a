"""A base amount and a measured amount per budget line, summed in SQL to departments and regions.

Rules comparing two amounts (paid against budget, final against adjusted, adjusted against approved)
build a per-line subquery with ``base`` and ``amount`` columns; :func:`measured` yields the lines,
departments and regions worth judging. ``candidate`` is a coarse filter run in the database (GROUP
BY and HAVING) so that only a few rows reach Python, where the rule judges them exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, Subquery, and_, func, or_, select

from desktop.queries.thresholds import Level, Thresholds
from desktop.review.context import ReviewContext, roll_up
from desktop.review.model import Figure, Link, Subject, Warning
from sync.schema import budget_lines

Candidate = Callable[[ColumnElement[int], ColumnElement[int]], ColumnElement[bool]]
#: Judged figures are rounded to one decimal; the database filter keeps everything that could round past.
ROUNDING_SLACK = Decimal("0.06")
LINE_COLUMNS = (budget_lines.c.id, budget_lines.c.region_code, budget_lines.c.department_code,
                budget_lines.c.unit_name, budget_lines.c.project_name, budget_lines.c.function_code)


@dataclass(frozen=True)
class Measured:
    """A subject with its base (the budget compared against) and the measured amount, both fen."""

    subject: Subject
    link: Link
    what: str  # the subject as a sentence names it
    base: int
    amount: int


def line_select(ctx: ReviewContext, year: int, base: ColumnElement[int], *conditions) -> Select:
    """The year's lines in scope with their ``base``; callers add ``amount`` (a column or a join)."""
    return (select(*LINE_COLUMNS, base.label("base"))
            .where(budget_lines.c.year == year, ctx.in_scope(budget_lines.c.region_code), *conditions))


def measured(ctx: ReviewContext, lines: Subquery, candidate: Candidate, *, totals_of: Subquery | None = None,
             region_panel: str = "execution") -> Iterator[Measured]:
    """Lines, then departments, then regions (their whole subtree) that may be warnings; departments and
    regions add up ``totals_of`` when given (a wider set of lines than the ones judged one by one).

    Lines and departments link to the 预算执行 table (the one that lists lines), a region to
    ``region_panel`` with that region selected.
    """
    yield from _lines(ctx, lines, candidate)
    yield from _departments(ctx, lines if totals_of is None else totals_of, candidate)
    yield from _regions(ctx, lines if totals_of is None else totals_of, region_panel)


def unbudgeted(rule: str, limits: Thresholds, year: int, found: Measured, figures: tuple[Figure, ...],
               message: str) -> Iterator[Warning]:
    """Money on a subject with no budget: a 预警 of its own, whatever the level thresholds say."""
    if found.amount > 0 and found.amount >= limits.min_amount:
        yield Warning(rule, Level.RED, year, found.subject, figures, message, found.link)


def ratio_candidate(minimum: int, test: Callable[[ColumnElement[int], ColumnElement[int]], ColumnElement[bool]]
                    ) -> Candidate:
    """A subject with a budget of at least ``minimum`` that passes ``test``, or one with no budget but an
    amount of at least ``minimum`` (spending without a budget is itself a warning)."""
    return lambda base, amount: or_(and_(base > 0, base >= minimum, test(base, amount)),
                                    and_(base <= 0, amount > 0, amount >= minimum))


def line_subject(ctx: ReviewContext, row) -> tuple[Subject, str]:
    """A line (a row with :data:`LINE_COLUMNS`) as a subject, and as a sentence names it: 单位「项目」."""
    unit = row.unit_name or ctx.places.department_name(row.department_code)
    label = row.project_name or ctx.places.function_names.get(row.function_code, row.function_code)
    region = ctx.places.region_name(row.region_code)
    return Subject("line", str(row.id), f"{label}（{unit}）", row.region_code, region), f"{unit}「{label}」"


def _lines(ctx: ReviewContext, lines: Subquery, candidate: Candidate) -> Iterator[Measured]:
    query = select(lines).where(candidate(lines.c.base, lines.c.amount)).order_by(lines.c.id)
    for row in ctx.conn.execute(query):
        subject, what = line_subject(ctx, row)
        yield Measured(subject, Link("execution", row=row.id), what, row.base, row.amount)


def _departments(ctx: ReviewContext, lines: Subquery, candidate: Candidate) -> Iterator[Measured]:
    base, amount = func.sum(lines.c.base), func.sum(lines.c.amount)
    query = (select(lines.c.department_code, base.label("base"), amount.label("amount"))
             .group_by(lines.c.department_code).having(candidate(base, amount)).order_by(lines.c.department_code))
    for row in ctx.conn.execute(query):
        subject = ctx.department_subject(row.department_code)
        if subject.region_code not in ctx.places.complete_regions:
            continue  # a district department seen from a township: the replica holds only some of its lines
        yield Measured(subject, Link("execution", department=row.department_code), subject.name, int(row.base),
                       int(row.amount))


def _regions(ctx: ReviewContext, lines: Subquery, panel: str) -> Iterator[Measured]:
    query = select(lines.c.region_code, func.sum(lines.c.base), func.sum(lines.c.amount)).group_by(lines.c.region_code)
    by_region = {code: (int(base), int(amount)) for code, base, amount in ctx.conn.execute(query)}
    if not by_region:
        return
    totals = roll_up(ctx.places, by_region)
    for code in ctx.judged_regions():
        if code in totals:
            base, amount = totals[code]
            subject = ctx.region_subject(code)
            yield Measured(subject, Link(panel, region=code), subject.name, base, amount)


#: A spending unit (预算单位): its department and name; a department's lines without a unit are one unit.
UNIT_KEY = (budget_lines.c.department_code, func.coalesce(budget_lines.c.unit_name, ""))


def unit_columns() -> tuple[ColumnElement, ...]:
    return (UNIT_KEY[0], UNIT_KEY[1].label("unit_name"), func.max(budget_lines.c.region_code).label("region_code"))


def unit_subject(ctx: ReviewContext, row) -> Subject:
    """The unit of a row of :func:`unit_columns`."""
    name = row.unit_name or ctx.places.department_name(row.department_code)
    return Subject("unit", f"{row.department_code}/{row.unit_name}", name, row.region_code,
                   ctx.places.region_name(row.region_code))


def unit_link(row) -> Link:
    return Link("execution", department=row.department_code, unit=row.unit_name or None)
