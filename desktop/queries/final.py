"""决算监督: approved vs adjusted vs final accounts by function class, and how far final strays."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, func, select

from desktop.amounts import percent
from desktop.queries.budget import BudgetDimension, current_budget, drill_length
from desktop.queries.replica import Scope, classification_names
from sync.schema import budget_lines


@dataclass(frozen=True)
class FinalComparison:
    code: str
    name: str
    approved: int
    adjusted: int
    final: int
    can_drill: bool

    @property
    def difference(self) -> int:
        """决算 − 调整预算, fen (negative: less spent than budgeted)."""
        return self.final - self.adjusted

    @property
    def deviation_percent(self) -> Decimal | None:
        return percent(self.difference, self.adjusted)


def final_years(conn: Connection, region_codes: frozenset[str]) -> list[int]:
    """Years whose final accounts (决算) are in the replica for these regions, newest first."""
    return list(conn.execute(
        select(budget_lines.c.year).distinct()
        .where(budget_lines.c.final.is_not(None), budget_lines.c.region_code.in_(region_codes))
        .order_by(budget_lines.c.year.desc())
    ).scalars())


def final_comparison(conn: Connection, scope: Scope, parent: str | None = None) -> list[FinalComparison]:
    """By function class (below ``parent`` when drilling), over the lines that have a final figure."""
    length = drill_length(BudgetDimension.FUNCTION, parent)
    key = func.substr(budget_lines.c.function_code, 1, length)
    query = (
        select(key.label("code"), func.sum(budget_lines.c.approved).label("approved"),
               func.sum(current_budget()).label("adjusted"), func.sum(budget_lines.c.final).label("final"),
               func.max(func.length(budget_lines.c.function_code)).label("longest"))
        .where(budget_lines.c.year == scope.year, budget_lines.c.region_code.in_(scope.region_codes),
               budget_lines.c.final.is_not(None))
        .group_by(key)
        .order_by(func.sum(budget_lines.c.final).desc())
    )
    if parent is not None:
        query = query.where(budget_lines.c.function_code.startswith(parent, autoescape=True))
    names = classification_names(conn, "function")
    return [
        FinalComparison(code=row.code, name=names.get(row.code, row.code), approved=row.approved,
                        adjusted=row.adjusted, final=row.final, can_drill=length is not None and row.longest > length)
        for row in conn.execute(query)
    ]
