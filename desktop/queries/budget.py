"""乡镇预算: where the year's money is meant to go — by function class 类→款→项, economic class,
department or fund — with each group's share and its change on last year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from sqlalchemy import ColumnElement, Connection, func, select

from desktop.amounts import percent
from desktop.queries.replica import Scope, classification_names, department_names
from sync.schema import budget_lines


class BudgetDimension(Enum):
    FUNCTION = "function"
    ECONOMIC = "economic"
    DEPARTMENT = "department"
    FUND = "fund"


#: Code lengths of each drill-down level (类 / 款 / 项) for the two classifications.
DRILL_LEVELS = {BudgetDimension.FUNCTION: (3, 5, 7), BudgetDimension.ECONOMIC: (3, 5)}


@dataclass(frozen=True)
class BudgetGroup:
    code: str
    name: str
    approved: int  # 年初预算, fen
    adjusted: int  # 调整预算 (年初 where there was no adjustment), fen
    previous_approved: int | None  # last year's 年初预算 for the same code
    can_drill: bool

    @property
    def change_on_last_year(self) -> Decimal | None:
        if self.previous_approved is None:
            return None
        return percent(self.approved - self.previous_approved, self.previous_approved)


@dataclass(frozen=True)
class BudgetBreakdown:
    groups: list[BudgetGroup]

    @property
    def total_approved(self) -> int:
        return sum(group.approved for group in self.groups)

    @property
    def total_adjusted(self) -> int:
        return sum(group.adjusted for group in self.groups)

    def share(self, group: BudgetGroup) -> Decimal | None:
        return percent(group.approved, self.total_approved)


def current_budget() -> ColumnElement[int]:
    """调整后预算: the adjusted figure where there is one, else the approved."""
    return func.coalesce(budget_lines.c.adjusted, budget_lines.c.approved)


def _code_column(dimension: BudgetDimension) -> ColumnElement[str]:
    return {
        BudgetDimension.FUNCTION: budget_lines.c.function_code,
        BudgetDimension.ECONOMIC: budget_lines.c.economic_code,
        BudgetDimension.DEPARTMENT: budget_lines.c.department_code,
        BudgetDimension.FUND: budget_lines.c.fund_code,
    }[dimension]


def drill_length(dimension: BudgetDimension, parent: str | None) -> int | None:
    """Code length of the level below ``parent`` (``None``: the dimension has no levels)."""
    levels = DRILL_LEVELS.get(dimension)
    if levels is None:
        return None
    if parent is None:
        return levels[0]
    deeper = [length for length in levels if length > len(parent)]
    return deeper[0] if deeper else None


def _grouped(dimension: BudgetDimension, parent: str | None, year: int, region_codes: frozenset[str]):
    column = _code_column(dimension)
    length = drill_length(dimension, parent)
    key = func.substr(column, 1, length) if length else column
    query = (
        select(key.label("code"), func.sum(budget_lines.c.approved).label("approved"),
               func.sum(current_budget()).label("adjusted"), func.max(func.length(column)).label("longest"))
        .where(budget_lines.c.year == year, budget_lines.c.region_code.in_(region_codes))
        .group_by(key)
    )
    if parent is not None:
        query = query.where(column.startswith(parent, autoescape=True))
    return query, length


def budget_breakdown(conn: Connection, scope: Scope, dimension: BudgetDimension,
                     parent: str | None = None) -> BudgetBreakdown:
    """Groups of ``dimension`` (below ``parent`` for a drill-down), largest first."""
    query, length = _grouped(dimension, parent, scope.year, scope.region_codes)
    previous_query, _ = _grouped(dimension, parent, scope.year - 1, scope.region_codes)
    previous = {row.code: row.approved for row in conn.execute(previous_query)}
    names = _names(conn, dimension)
    groups = [
        BudgetGroup(
            code=row.code, name=names.get(row.code, row.code), approved=row.approved, adjusted=row.adjusted,
            previous_approved=previous.get(row.code),
            can_drill=length is not None and row.longest > length,
        )
        for row in conn.execute(query)
    ]
    groups.sort(key=lambda group: (-group.approved, group.code))
    return BudgetBreakdown(groups)


def _names(conn: Connection, dimension: BudgetDimension) -> dict[str, str]:
    if dimension is BudgetDimension.DEPARTMENT:
        return department_names(conn)
    return classification_names(conn, dimension.value)
