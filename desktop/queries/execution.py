"""预算执行: what has been paid, month by month, against the budget and the time progress (序时进度)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import NamedTuple

from sqlalchemy import Connection, Integer, func, select, type_coerce

from desktop.amounts import percent, points_behind_time
from desktop.queries.budget import current_budget
from desktop.queries.replica import Scope, classification_names, department_names
from sync.client.line_payments import line_payments, month_column, paid_through
from sync.schema import budget_lines

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


class LineExecution(NamedTuple):
    """A budget line with what it has paid. A tuple made straight from the query's row: a city's year has
    17 500 lines, all made at each fill of the 预算执行 table."""

    line_id: int
    department: str
    department_code: str
    unit_name: str | None
    project_name: str | None
    function_code: str
    function_name: str
    is_livelihood: int  # 0 or 1, as SQLite keeps it
    is_special: int
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


def behind_time_tenths(line: LineExecution, as_of_month: int) -> int | None:
    """``line.lag_points(as_of_month)`` in tenths of a point, worked out in integers: the same value (both
    round half up, away from zero), for sorting and judging a city's lines where Decimals would take 0.1 s."""
    if not line.budget:
        return None
    paid, budget = abs(line.paid) * 1000, abs(line.budget)
    executed = (2 * paid + budget) // (2 * budget)
    if (line.paid < 0) != (line.budget < 0):
        executed = -executed
    return (as_of_month * 2000 + 12) // 24 - executed  # time progress, 100 × month / 12, rounded half up


def monthly_execution(conn: Connection, scope: Scope, line_id: int | None = None,
                      livelihood_only: bool = False) -> MonthlyExecution:
    """The budget and monthly payments of the scope's lines (or of one line)."""
    line_filter = [budget_lines.c.year == scope.year, budget_lines.c.region_code.in_(scope.region_codes)]
    if line_id is not None:
        line_filter.append(budget_lines.c.id == line_id)
    if livelihood_only:
        line_filter.append(budget_lines.c.is_livelihood.is_(True))
    # The budget and a row per line that has payments, its months side by side (sync.client.line_payments),
    # added up in one pass.
    totals = (select(func.coalesce(func.sum(current_budget()), 0),
                     *(func.coalesce(func.sum(month_column(month)), 0) for month in range(1, MONTHS + 1)))
              .select_from(budget_lines.outerjoin(line_payments, line_payments.c.line_id == budget_lines.c.id))
              .where(*line_filter))
    budget, *paid = conn.execute(totals).one()
    return MonthlyExecution(budget, tuple(paid))


def line_executions(conn: Connection, scope: Scope, as_of_month: int) -> list[LineExecution]:
    """Every budget line of the scope with its amount paid up to the as-of month, by line id."""
    # What each line paid comes from its row of months (sync.client.line_payments), not from adding up a
    # city's 175 000 executions at each fill. Department and function names come from their small tables
    # as dicts: joining them per line doubled the query. The flags stay SQLite's 0 and 1: turning 35 000 of
    # them into bools cost 5 ms of a city fill.
    paid = func.coalesce(paid_through(as_of_month), 0)
    query = (
        select(budget_lines.c.id, budget_lines.c.department_code, budget_lines.c.unit_name,
               budget_lines.c.project_name, budget_lines.c.function_code,
               type_coerce(budget_lines.c.is_livelihood, Integer), type_coerce(budget_lines.c.is_special, Integer),
               current_budget(), paid)
        .select_from(budget_lines.outerjoin(line_payments, line_payments.c.line_id == budget_lines.c.id))
        .where(budget_lines.c.year == scope.year, budget_lines.c.region_code.in_(scope.region_codes))
        .order_by(budget_lines.c.id)
    )
    departments, functions = department_names(conn), classification_names(conn, "function")
    return [LineExecution(line_id, departments.get(department, department), department, unit, project, function,
                          functions.get(function, function), livelihood, special, budget, paid_to_date)
            for line_id, department, unit, project, function, livelihood, special, budget, paid_to_date
            in conn.execute(query)]  # row by row: a list of 17 500 rows would set off the cycle collector
