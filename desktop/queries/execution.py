"""预算执行: what has been paid, month by month, against the budget and the time progress (序时进度)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from sqlalchemy import Connection, and_, func, select

from desktop.amounts import percent, points_behind_time
from desktop.queries.budget import current_budget
from desktop.queries.replica import Scope, classification_names
from sync.schema import budget_lines, departments, executions

MONTHS = 12


@dataclass(frozen=True)
class MonthlyExecution:
    """A set of lines' budget and the amount paid in each month (index 0 = January)."""

    budget: int
    paid: tuple[int, ...]

    @property
    def cumulative(self) -> list[int]:
        return list(accumulate(self.paid))

    def cumulative_percent(self, through_month: int) -> list[Decimal | None]:
        """Cumulative execution % at the end of each month up to ``through_month``."""
        return [percent(amount, self.budget) for amount in self.cumulative[:through_month]]


@dataclass(frozen=True)
class LineExecution:
    line_id: int
    department: str
    department_code: str
    unit_name: str | None
    project_name: str | None
    function_code: str
    function_name: str
    is_livelihood: bool
    is_special: bool
    budget: int
    paid: int  # to the as-of month

    @property
    def execution_percent(self) -> Decimal | None:
        return percent(self.paid, self.budget)

    def lag_points(self, as_of_month: int) -> Decimal | None:
        """How far execution trails the time progress, in percentage points (negative: ahead)."""
        return points_behind_time(self.execution_percent, as_of_month)

    @property
    def unit(self) -> str:
        """预算单位: the spending unit, else its department."""
        return self.unit_name or self.department

    @property
    def label(self) -> str:
        """What the money is for: the project, else the function's name."""
        return self.project_name or self.function_name


def monthly_execution(conn: Connection, scope: Scope, line_id: int | None = None,
                      livelihood_only: bool = False) -> MonthlyExecution:
    """The budget and monthly payments of the scope's lines (or of one line)."""
    line_filter = [budget_lines.c.year == scope.year, budget_lines.c.region_code.in_(scope.region_codes)]
    if line_id is not None:
        line_filter.append(budget_lines.c.id == line_id)
    if livelihood_only:
        line_filter.append(budget_lines.c.is_livelihood.is_(True))
    budget = conn.execute(select(func.coalesce(func.sum(current_budget()), 0)).where(*line_filter)).scalar_one()
    paid = [0] * MONTHS
    by_month = (
        select(executions.c.month, func.sum(executions.c.amount))
        .join(budget_lines, budget_lines.c.id == executions.c.line_id)
        .where(executions.c.year == scope.year, *line_filter)
        .group_by(executions.c.month)
    )
    for month, amount in conn.execute(by_month):
        paid[month - 1] = amount
    return MonthlyExecution(budget, tuple(paid))


def line_executions(conn: Connection, scope: Scope, as_of_month: int) -> list[LineExecution]:
    """Every budget line of the scope with its amount paid up to the as-of month."""
    paid = func.coalesce(func.sum(executions.c.amount), 0)
    query = (
        select(budget_lines.c.id, departments.c.name.label("department"), budget_lines.c.department_code,
               budget_lines.c.unit_name, budget_lines.c.project_name, budget_lines.c.function_code,
               budget_lines.c.is_livelihood, budget_lines.c.is_special, current_budget().label("budget"),
               paid.label("paid"))
        .select_from(budget_lines)
        .outerjoin(departments, departments.c.code == budget_lines.c.department_code)
        .outerjoin(executions, and_(executions.c.line_id == budget_lines.c.id, executions.c.month <= as_of_month))
        .where(budget_lines.c.year == scope.year, budget_lines.c.region_code.in_(scope.region_codes))
        .group_by(budget_lines.c.id)
        .order_by(budget_lines.c.id)
    )
    names = classification_names(conn, "function")
    return [
        LineExecution(
            line_id=row.id, department=row.department or row.department_code, department_code=row.department_code,
            unit_name=row.unit_name,
            project_name=row.project_name, function_code=row.function_code,
            function_name=names.get(row.function_code, row.function_code), is_livelihood=bool(row.is_livelihood),
            is_special=bool(row.is_special), budget=row.budget, paid=row.paid,
        )
        for row in conn.execute(query)
    ]
