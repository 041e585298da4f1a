"""民生实事: each livelihood project's money paid against its construction progress, and its milestones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, func, select

from desktop.amounts import percent
from desktop.queries.replica import Scope
from sync.schema import departments, policies, project_milestones, projects, regions, suggestions


@dataclass(frozen=True)
class ProjectProgress:
    project_id: int
    name: str
    region: str
    department: str | None
    policy: str | None
    budget: int
    paid: int
    planned_progress: int  # %
    actual_progress: int  # %
    status: str
    due_date: dt.date | None
    suggestion_count: int
    description: str | None

    @property
    def paid_percent(self) -> Decimal | None:
        return percent(self.paid, self.budget)

    @property
    def progress_lag_points(self) -> Decimal:
        """计划进度 − 实际进度, percentage points."""
        return Decimal(self.planned_progress - self.actual_progress)

    @property
    def paid_ahead_points(self) -> Decimal | None:
        """支付进度 − 工程进度: money running ahead of the work, percentage points."""
        paid = self.paid_percent
        return None if paid is None else paid - self.actual_progress


@dataclass(frozen=True)
class Milestone:
    id: int
    date: dt.date
    text: str


def project_progress(conn: Connection, scope: Scope, policy_id: int | None = None) -> list[ProjectProgress]:
    """The scope's projects of the year, or — with ``policy_id`` — that policy's projects."""
    suggestion_count = select(func.count()).where(suggestions.c.project_id == projects.c.id).scalar_subquery()
    query = (
        select(projects, regions.c.name.label("region"), departments.c.name.label("department"),
               policies.c.name.label("policy"), suggestion_count.label("suggestion_count"))
        .outerjoin(regions, regions.c.code == projects.c.region_code)
        .outerjoin(departments, departments.c.code == projects.c.department_code)
        .outerjoin(policies, policies.c.id == projects.c.policy_id)
        .order_by(projects.c.budget.desc(), projects.c.id)
    )
    if policy_id is None:
        query = query.where(projects.c.year == scope.year, projects.c.region_code.in_(scope.region_codes))
    else:
        query = query.where(projects.c.policy_id == policy_id)
    return [
        ProjectProgress(
            project_id=row.id, name=row.name, region=row.region or row.region_code, department=row.department,
            policy=row.policy, budget=row.budget, paid=row.paid, planned_progress=row.planned_progress,
            actual_progress=row.actual_progress, status=row.status, due_date=row.due_date,
            suggestion_count=row.suggestion_count, description=row.description,
        )
        for row in conn.execute(query)
    ]


def project_milestones_of(conn: Connection, project_id: int) -> list[Milestone]:
    query = (select(project_milestones.c.id, project_milestones.c.date, project_milestones.c.text)
             .where(project_milestones.c.project_id == project_id)
             .order_by(project_milestones.c.date, project_milestones.c.id))
    return [Milestone(row.id, row.date, row.text) for row in conn.execute(query)]
