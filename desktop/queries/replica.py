"""Opening a replica for reading, and what every panel asks first: regions, years, the as-of month."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select

from sync.regions import subtree
from sync.schema import budget_lines, classifications, departments, executions, regions

T = TypeVar("T")

# One thread for reads a panel runs beside its main query (ReplicaReader.read_aside).
_aside = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replica-read")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class Scope:
    """What every panel follows: a fiscal year and a region with everything below it."""

    year: int
    region_code: str
    region_codes: frozenset[str]


class ReplicaReader:
    """Read-only access to one user's replica file; the sync client is its only writer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._engine: Engine | None = None

    def exists(self) -> bool:
        return self.path.is_file()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self._get_engine().connect() as conn:
            yield conn

    def read_aside(self, read: Callable[[Connection], T]) -> Future[T]:
        """Start ``read`` on a connection of its own in another thread, for a panel to collect once it has read
        the rest. SQLite lets go of the GIL while it works, so a query that is mostly SQLite's own work (a
        sum over a city's lines) runs on the second core instead of after the main query."""
        def run() -> T:
            with self.connect() as conn:
                return read(conn)

        return _aside.submit(run)

    def has_data(self) -> bool:
        """True once a sync has brought at least the region table."""
        if not self.exists():
            return False
        with self.connect() as conn:
            if not inspect(conn).has_table(regions.name):
                return False
            return conn.execute(select(func.count()).select_from(regions)).scalar_one() > 0

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def _get_engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(f"sqlite:///file:{self.path.as_posix()}?mode=ro&uri=true")

            @event.listens_for(self._engine, "connect")
            def on_connect(dbapi_connection, _record) -> None:
                # The replica is written by the sync worker meanwhile: wait for its commit, never fail.
                dbapi_connection.execute("PRAGMA busy_timeout=5000")

        return self._engine


def region_list(conn: Connection) -> list[Region]:
    """Regions in tree order (a parent before its children), as the region selector lists them."""
    rows = conn.execute(
        select(regions.c.code, regions.c.name, regions.c.level, regions.c.parent_code)
        .order_by(regions.c.sort_order, regions.c.code)
    ).all()
    by_parent: dict[str | None, list[Region]] = defaultdict(list)
    codes = {row.code for row in rows}
    for row in rows:
        parent = row.parent_code if row.parent_code in codes else None
        by_parent[parent].append(Region(row.code, row.name, row.level, row.parent_code))
    ordered: list[Region] = []

    def visit(parent: str | None) -> None:
        for region in by_parent.get(parent, ()):
            ordered.append(region)
            visit(region.code)

    visit(None)
    return ordered


def subtree_codes(region_rows: list[Region], root: str) -> frozenset[str]:
    return subtree(((region.code, region.parent_code) for region in region_rows), root)


def budget_years(conn: Connection) -> list[int]:
    """Fiscal years with budget lines, newest first."""
    return list(conn.execute(select(budget_lines.c.year).distinct().order_by(budget_lines.c.year.desc())).scalars())


def as_of_month(conn: Connection, year: int) -> int:
    """The latest month with reported execution in ``year`` (0 when none yet) — never the PC's clock."""
    return conn.execute(select(func.coalesce(func.max(executions.c.month), 0)).where(executions.c.year == year)
                        ).scalar_one()


def classification_names(conn: Connection, scheme: str) -> dict[str, str]:
    return dict(conn.execute(select(classifications.c.code, classifications.c.name)
                             .where(classifications.c.scheme == scheme)).all())


def department_names(conn: Connection) -> dict[str, str]:
    return dict(conn.execute(select(departments.c.code, departments.c.name)).all())
