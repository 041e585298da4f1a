"""重大政策执行: funds arranged for each major policy, disbursed month by month, and its projects."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, and_, func, select

from desktop.amounts import percent, points_behind_time
from desktop.queries.execution import MONTHS
from desktop.queries.replica import Scope
from sync.schema import departments, policies, policy_disbursements, projects


@dataclass(frozen=True)
class PolicyProgress:
    policy_id: int
    name: str
    department: str | None
    arranged: int  # 安排资金, fen
    disbursed: int  # 拨付 to the as-of month, fen
    project_count: int
    description: str | None

    @property
    def disbursed_percent(self) -> Decimal | None:
        return percent(self.disbursed, self.arranged)

    def lag_points(self, as_of_month: int) -> Decimal | None:
        return points_behind_time(self.disbursed_percent, as_of_month)


def policy_progress(conn: Connection, scope: Scope, as_of_month: int) -> list[PolicyProgress]:
    disbursed = (
        select(func.sum(policy_disbursements.c.amount))
        .where(policy_disbursements.c.policy_id == policies.c.id, policy_disbursements.c.year == scope.year,
               policy_disbursements.c.month <= as_of_month)
        .scalar_subquery()
    )
    project_count = select(func.count()).where(projects.c.policy_id == policies.c.id).scalar_subquery()
    query = (
        select(policies.c.id, policies.c.name, departments.c.name.label("department"), policies.c.funds_arranged,
               func.coalesce(disbursed, 0).label("disbursed"), project_count.label("project_count"),
               policies.c.description)
        .outerjoin(departments, departments.c.code == policies.c.department_code)
        .where(policies.c.year == scope.year, policies.c.region_code.in_(scope.region_codes))
        .order_by(policies.c.funds_arranged.desc(), policies.c.id)
    )
    return [
        PolicyProgress(row.id, row.name, row.department, row.funds_arranged, row.disbursed, row.project_count,
                       row.description)
        for row in conn.execute(query)
    ]


def monthly_disbursement(conn: Connection, policy_ids: list[int], year: int) -> tuple[int, ...]:
    """Amounts disbursed in each month of ``year`` over the given policies (index 0 = January)."""
    amounts = [0] * MONTHS
    query = (
        select(policy_disbursements.c.month, func.sum(policy_disbursements.c.amount))
        .where(and_(policy_disbursements.c.policy_id.in_(policy_ids), policy_disbursements.c.year == year))
        .group_by(policy_disbursements.c.month)
    )
    for month, amount in conn.execute(query):
        amounts[month - 1] = amount
    return tuple(amounts)
