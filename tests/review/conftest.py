"""Replicas for the review rules: one built by hand line by line (boundaries), and the district demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert

from desktop.queries.replica import ReplicaReader
from desktop.review import review
from desktop.review.model import ReviewScope, Warning
from sync.client import line_payments
from sync.client.home import Account
from sync.client.replica import Replica
from sync.schema import (
    REVIEW_RULES,
    budget_lines,
    departments,
    executions,
    policies,
    policy_disbursements,
    projects,
    regions,
    review_thresholds,
    suggestions,
)
from tests.client.conftest import district_templates, serve  # noqa: F401 — tests/client's live server, here too
from tests.desktop.fixture_replica import SERVER
from tests.review.demo_replica import demo_replica, demo_server

YEAR = 2026
DISTRICT, TOWNSHIP = "511702", "511702001"
DEPARTMENT = "511702105"


def reviewed(path: Path, scope: ReviewScope | None = None) -> list[Warning]:
    """The review of the replica at ``path``, read the way the desktop reads it."""
    reader = ReplicaReader(path)
    try:
        with reader.connect() as conn:
            return review(conn, scope)
    finally:
        reader.dispose()


class HandBuilt:
    """A replica filled row by row. Every rule starts switched off: a test switches on the one it checks."""

    def __init__(self, path: Path) -> None:
        self.replica = Replica(path)
        self._ids = count(1)
        self._add(regions, [
            {"code": "511700", "name": "达州市", "level": "city", "parent_code": None, "sort_order": 0},
            {"code": DISTRICT, "name": "通川区", "level": "district", "parent_code": "511700", "sort_order": 1},
            {"code": TOWNSHIP, "name": "凤北街道", "level": "township", "parent_code": DISTRICT, "sort_order": 1}])
        self._add(departments, [{"code": DEPARTMENT, "name": "通川区住房和城乡建设局", "region_code": DISTRICT},
                                {"code": f"{TOWNSHIP}01", "name": "凤北街道办事处", "region_code": TOWNSHIP}])
        self._add(review_thresholds, [{"rule": rule, "yellow": None, "red": None, "min_amount": 0}
                                      for rule in REVIEW_RULES])
        self.server_date(dt.date(YEAR, 11, 29))
        self.replica.update_state({"user": {"id": 1, "username": "staff01", "role": "staff", "region_code": DISTRICT}})

    def _add(self, table, rows: list[dict]) -> None:
        with self.replica.engine.begin() as conn:
            conn.execute(insert(table), rows)

    def server_date(self, day: dt.date) -> None:
        self.replica.update_state({"server_time": f"{day.isoformat()}T10:00:00+08:00"})

    def rule(self, rule: str, yellow: str | None = None, red: str | None = None, min_amount: int = 0) -> None:
        with self.replica.engine.begin() as conn:
            conn.execute(review_thresholds.update().where(review_thresholds.c.rule == rule).values(
                yellow=Decimal(yellow) if yellow else None, red=Decimal(red) if red else None, min_amount=min_amount))

    def line(self, approved: int, paid: dict[int, int] | None = None, *, year: int = YEAR, adjusted: int | None = None,
             final: int | None = None, region: str = DISTRICT, unit: str | None = "通川区住房保障服务中心",
             project: str | None = "保障性住房配套基础设施", **tags) -> int:
        """A budget line (fen) with its payments by month; returns its id."""
        line_id = next(self._ids)
        department = DEPARTMENT if region == DISTRICT else f"{region}01"
        self._add(budget_lines, [{
            "id": line_id, "year": year, "region_code": region, "department_code": department, "unit_name": unit,
            "function_code": "2210108", "economic_code": "310", "fund_code": "1", "project_name": project,
            "approved": approved, "adjusted": adjusted, "final": final, **tags}])
        if paid:
            self._add(executions, [{"id": line_id * 100 + month, "line_id": line_id, "region_code": region,
                                    "year": year, "month": month, "amount": amount} for month, amount in paid.items()])
            with self.replica.engine.begin() as conn:
                line_payments.refresh(conn, [line_id])  # as a sync's page refreshes the lines it touches
        return line_id

    def policy(self, arranged: int, disbursed: dict[int, int], year: int = YEAR) -> int:
        policy_id = next(self._ids)
        self._add(policies, [{"id": policy_id, "name": "城市更新", "region_code": DISTRICT, "year": year,
                              "funds_arranged": arranged}])
        if disbursed:
            self._add(policy_disbursements, [
                {"id": policy_id * 100 + month, "policy_id": policy_id, "region_code": DISTRICT, "year": year,
                 "month": month, "amount": amount} for month, amount in disbursed.items()])
        return policy_id

    def project(self, budget: int, paid: int, planned: int, actual: int) -> int:
        project_id = next(self._ids)
        self._add(projects, [{"id": project_id, "name": f"项目{project_id}", "region_code": TOWNSHIP, "year": YEAR,
                              "budget": budget, "paid": paid, "planned_progress": planned,
                              "actual_progress": actual, "status": "in_progress"}])
        return project_id

    def suggestion(self, deadline: dt.date, state: str = "accepted") -> str:
        suggestion_id = f"s-{next(self._ids)}"
        at = dt.datetime(YEAR, 3, 1, tzinfo=dt.UTC)
        self._add(suggestions, [{"id": suggestion_id, "number": None, "author_id": 1, "region_code": TOWNSHIP,
                                 "title": "关于加快兑现社区工作者绩效报酬的建议", "body": "…", "source": "own",
                                 "state": state, "department_code": f"{TOWNSHIP}01", "deadline": deadline,
                                 "submitted_at": at, "updated_at": at}])
        return suggestion_id

    def review(self, scope: ReviewScope | None = None) -> list[Warning]:
        return reviewed(self.replica.path, scope)


@pytest.fixture
def hand(tmp_path) -> Iterator[HandBuilt]:
    built = HandBuilt(tmp_path / "replica.sqlite")
    yield built
    built.replica.close()


@pytest.fixture(scope="session")
def demo_engine(tmp_path_factory) -> Iterator[Engine]:
    """The district demo on a server database, loaded once for the session."""
    engine = demo_server(tmp_path_factory.mktemp("demo") / "server.db")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_home(demo_engine, tmp_path_factory) -> Path:
    """A desktop home holding staff01's replica of the demo (the whole district), synced at the as-of date."""
    home = tmp_path_factory.mktemp("home")
    demo_replica(demo_engine, home, "staff01")
    return home


@pytest.fixture(scope="session")
def staff_replica(demo_home) -> Path:
    return Account.of(demo_home, SERVER, "staff01").replica_path
