"""预算执行: what has been paid, month by month, against the budget and the time progress (序时进度)."""

from __future__ import annotations

import functools
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import NamedTuple

from sqlalchemy import ColumnElement, Connection, Integer, and_, bindparam, func, select, type_coerce
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Compiled

from desktop.amounts import MISSING, percent, points_behind_time
from desktop.queries.budget import current_budget
from desktop.queries.replica import ReplicaReader, Scope, classification_names, department_names
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
    """A budget line's figures: what the 预算执行 table sorts, judges and totals for every line of a fill (a
    city's year has 17 500, all made at each fill). Its names are read apart (:func:`line_names`), for the
    lines shown."""

    line_id: int
    is_livelihood: int  # 0 or 1, as SQLite keeps it
    budget: int
    paid: int  # to the as-of month

    @property
    def execution_percent(self) -> Decimal | None:
        return percent(self.paid, self.budget)

    def lag_points(self, as_of_month: int) -> Decimal | None:
        """How far execution trails the time progress, in percentage points (negative: ahead)."""
        return points_behind_time(self.execution_percent, as_of_month)


class LineNames(NamedTuple):
    """Who spends a line's money and on what."""

    department: str
    department_code: str
    unit_name: str | None
    project_name: str | None
    function_code: str
    function_name: str
    is_special: int  # 0 or 1

    @property
    def unit(self) -> str:
        """预算单位: the spending unit, else its department."""
        return self.unit_name or self.department

    @property
    def label(self) -> str:
        """What the money is for: the project, else the function's name."""
        return self.project_name or self.function_name


#: The names of a line that is gone from the replica since its figures were read (a sync in between).
UNKNOWN_LINE = LineNames(MISSING, "", None, None, MISSING, MISSING, 0)


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
    # The driver's own cursor and tuples, not SQLAlchemy's rows: 9 of the query's 28 ms at city. Nothing here needs
    # SQLAlchemy's result processing (the flag stays SQLite's 0 or 1).
    query = _lines_query(as_of_month)
    values = query.construct_params({"year": scope.year, "regions": json.dumps(sorted(scope.region_codes))})
    cursor = conn.connection.driver_connection.execute(str(query), [values[name] for name in query.positiontup])
    return list(map(LineExecution._make, cursor))  # row by row: a list of 17 500 rows first sets off the collector


@functools.cache
def _lines_query(as_of_month: int) -> Compiled:
    """The lines query for an as-of month, compiled for SQLite once: its parameters the year and the regions
    (as JSON, so that the text is the same whatever the scope)."""
    # What each line paid comes from its row of months (sync.client.line_payments), not from adding up a
    # city's 175 000 executions at each fill. Only figures: making the Python strings of 17 500 lines' names
    # was two thirds of the query's time, for a table that shows 30 of them.
    regions = select(func.json_each(bindparam("regions")).table_valued("value").c.value)
    query = (
        select(budget_lines.c.id, budget_lines.c.is_livelihood, current_budget(),
               func.coalesce(paid_through(as_of_month), 0))
        .select_from(budget_lines.outerjoin(line_payments, line_payments.c.line_id == budget_lines.c.id))
        .where(budget_lines.c.year == bindparam("year"), budget_lines.c.region_code.in_(regions))
        .order_by(budget_lines.c.id)
    )
    return query.compile(dialect=sqlite.dialect())


def line_names(conn: Connection, line_ids: Collection[int]) -> dict[int, LineNames]:
    """The names of these lines (those still in the replica)."""
    return _named(conn, budget_lines.c.id.in_(line_ids), department_names(conn),
                  classification_names(conn, "function"))


def _named(conn: Connection, which: ColumnElement[bool], departments: dict[str, str],
           functions: dict[str, str]) -> dict[int, LineNames]:
    """The names of the lines ``which`` selects, given the names of departments and functions: from their small
    tables as dicts, as joining them per line doubled the query."""
    query = select(budget_lines.c.id, budget_lines.c.department_code, budget_lines.c.unit_name,
                   budget_lines.c.project_name, budget_lines.c.function_code,
                   type_coerce(budget_lines.c.is_special, Integer)).where(which)
    return {line_id: LineNames(departments.get(department, department), department, unit, project, function,
                               functions.get(function, function), special)
            for line_id, department, unit, project, function, special in conn.execute(query)}


class NamesOnDemand:
    """The names of a fill's lines, read when first shown, a block at a time in the order the lines were
    given (the table's default order), so that a screenful costs one query. Once a few blocks were needed,
    the rest is read at once: a sort by a name, a filter or an export walks every line, and a city's 88 blocks
    took about 100 ms where all its 17 500 lines at once take 33–38 ms."""

    BLOCK = 200
    BLOCKS_BEFORE_ALL = 3

    def __init__(self, replica: ReplicaReader, scope: Scope, line_ids: Sequence[int]) -> None:
        self._replica = replica
        self._scope = scope  # the fill's: every line of it at once is one query by (year, region)
        self._order = list(line_ids)
        self._position: dict[int, int] | None = None  # line id → place in the order, made at the first read
        self._blocks_read = 0
        self._names: dict[int, LineNames] = {}
        self._codes: tuple[dict[str, str], dict[str, str]] | None = None  # department and function names

    def __getitem__(self, line_id: int) -> LineNames:
        try:  # a filter asks 17 500 times: the names already read cost one lookup
            return self._names[line_id]
        except KeyError:
            return self._read_for(line_id)

    def _read_for(self, line_id: int) -> LineNames:
        if self._blocks_read >= self.BLOCKS_BEFORE_ALL:
            self.read_all()
        else:
            if self._position is None:
                self._position = {each: place for place, each in enumerate(self._order)}
            start = self._position[line_id] // self.BLOCK * self.BLOCK
            block = self._order[start:start + self.BLOCK]
            self._read(block, budget_lines.c.id.in_(block))
            self._blocks_read += 1
        return self._names[line_id]

    def read_all(self) -> None:
        if len(self._names) < len(self._order):
            scope = self._scope
            self._read(self._order, and_(budget_lines.c.year == scope.year,
                                         budget_lines.c.region_code.in_(scope.region_codes)))

    def _read(self, line_ids: list[int], which: ColumnElement[bool]) -> None:
        """Read the names of ``line_ids`` by the condition ``which`` (lines no longer there: unknown)."""
        with self._replica.connect() as conn:
            if self._codes is None:
                self._codes = department_names(conn), classification_names(conn, "function")
            found = _named(conn, which, *self._codes)
        self._names.update({line_id: found.get(line_id, UNKNOWN_LINE) for line_id in line_ids})
