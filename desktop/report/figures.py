"""What the supervision report (监督分析报告) says, read from the replica with the panels' own queries.

No Qt here: the figures are gathered off the UI thread, one part at a time, so the window can show how
far the report has got.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection

from desktop.amounts import percent, points_behind_time
from desktop.queries.accounts import read_state
from desktop.queries.budget import BudgetBreakdown, BudgetDimension, budget_breakdown
from desktop.queries.execution import (
    UNKNOWN_LINE,
    LineExecution,
    LineNames,
    MonthlyExecution,
    line_executions,
    line_names,
    monthly_execution,
)
from desktop.queries.final import FinalComparison, final_comparison, final_years
from desktop.queries.policies import PolicyProgress, policy_progress
from desktop.queries.projects import ProjectProgress, project_progress
from desktop.queries.replica import Scope, as_of_month, region_list, subtree_codes
from desktop.queries.suggestions import SuggestionRow, suggestion_rows
from desktop.queries.thresholds import Level, thresholds
from desktop.review import review
from desktop.review.model import ReviewScope, Warning

#: How many of the furthest-behind lines the report lists.
LAGGING_LINES = 12


@dataclass(frozen=True)
class LaggingLine:
    line: LineExecution
    names: LineNames
    lag: Decimal  # points behind time progress
    level: Level


@dataclass
class ReportFigures:
    """Everything the report shows, for one region (with its townships) and one year."""

    region_name: str
    scope: Scope
    as_of_month: int
    server_date: dt.date | None
    function_groups: BudgetBreakdown | None = None
    economic_groups: BudgetBreakdown | None = None
    previous_approved: int | None = None  # last year's 年初预算 of the same regions
    execution: MonthlyExecution | None = None
    livelihood: MonthlyExecution | None = None
    line_count: int = 0
    lagging: list[LaggingLine] = field(default_factory=list)
    final_year: int | None = None
    finals: list[FinalComparison] = field(default_factory=list)
    policies: list[PolicyProgress] = field(default_factory=list)
    projects: list[ProjectProgress] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    suggestions: list[SuggestionRow] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.scope.year

    @property
    def paid(self) -> int:
        """累计支出 to the as-of month."""
        if self.execution is None or not self.as_of_month:
            return 0
        return self.execution.cumulative[self.as_of_month - 1]

    @property
    def execution_percent(self) -> Decimal | None:
        return percent(self.paid, self.execution.budget) if self.execution else None

    @property
    def lag_points(self) -> Decimal | None:
        return points_behind_time(self.execution_percent, self.as_of_month)

    def suggestion_states(self) -> Counter[str]:
        return Counter(s.state for s in self.suggestions)


def start(conn: Connection, region_code: str, year: int) -> ReportFigures:
    """The report's frame: the region, its subtree, the as-of month and the server's date."""
    regions = region_list(conn)
    names = {region.code: region.name for region in regions}
    server_time = read_state(conn).get("server_time")
    server_date = dt.datetime.fromisoformat(server_time).date() if server_time else None
    scope = Scope(year, region_code, subtree_codes(regions, region_code))
    return ReportFigures(names.get(region_code, region_code), scope, as_of_month(conn, year), server_date)


def read_budget(conn: Connection, figures: ReportFigures) -> None:
    figures.function_groups = budget_breakdown(conn, figures.scope, BudgetDimension.FUNCTION)
    figures.economic_groups = budget_breakdown(conn, figures.scope, BudgetDimension.ECONOMIC)
    with_previous = [g.previous_approved for g in figures.function_groups.groups if g.previous_approved is not None]
    figures.previous_approved = sum(with_previous) if with_previous else None


def read_execution(conn: Connection, figures: ReportFigures) -> None:
    scope, month = figures.scope, figures.as_of_month
    figures.execution = monthly_execution(conn, scope)
    figures.livelihood = monthly_execution(conn, scope, livelihood_only=True)
    general, livelihood = thresholds(conn, "execution_lag"), thresholds(conn, "livelihood_payment_lag")
    lines = line_executions(conn, scope, month)
    figures.line_count = len(lines)
    found = []
    for line in lines:
        lag = line.lag_points(month)
        level = (livelihood if line.is_livelihood else general).level(lag)
        if level is not None:
            found.append((line, lag, level))
    found.sort(key=lambda item: (item[2] is not Level.RED, -item[1], -item[0].budget))
    listed = found[:LAGGING_LINES]
    names = line_names(conn, [line.line_id for line, _, _ in listed])
    figures.lagging = [LaggingLine(line, names.get(line.line_id, UNKNOWN_LINE), lag, level)
                       for line, lag, level in listed]


def read_final(conn: Connection, figures: ReportFigures) -> None:
    """The final accounts of the latest year up to the report's that has them (usually the year before)."""
    scope = figures.scope
    years = [year for year in final_years(conn, scope.region_codes) if year <= scope.year]
    if years:
        figures.final_year = years[0]
        figures.finals = final_comparison(conn, Scope(years[0], scope.region_code, scope.region_codes))


def read_policies_and_projects(conn: Connection, figures: ReportFigures) -> None:
    figures.policies = policy_progress(conn, figures.scope, figures.as_of_month)
    figures.projects = project_progress(conn, figures.scope)


def read_warnings(conn: Connection, figures: ReportFigures) -> None:
    """The automatic review's warnings for the report's regions, this year and the final accounts' year."""
    years = {figures.year} | ({figures.final_year} if figures.final_year else set())
    figures.warnings = review(conn, ReviewScope(frozenset(years), figures.scope.region_codes))


def read_suggestions(conn: Connection, figures: ReportFigures) -> None:
    figures.suggestions = [s for s in suggestion_rows(conn, figures.scope.region_codes)
                           if s.submitted_at.year == figures.year]


#: The parts gathered in turn, with what the progress bar says meanwhile.
STEPS = (
    ("预算构成", read_budget),
    ("预算执行", read_execution),
    ("决算", read_final),
    ("重大政策和民生实事", read_policies_and_projects),
    ("自动审查预警", read_warnings),
    ("意见建议", read_suggestions),
)
