"""What every rule reads besides its own figures: the as-of, the places it names, the scope it covers."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Subquery, func, select, true

from desktop.queries.accounts import read_state
from desktop.queries.replica import classification_names, subtree_codes
from desktop.queries.replica import region_list as replica_regions
from desktop.review.model import AsOf, ReviewScope, Subject
from desktop.review.payments import paid_by_line
from sync.schema import budget_lines, departments


@dataclass(frozen=True)
class Places:
    """Names of regions, departments and function codes, and which regions' totals the replica holds."""

    region_names: dict[str, str]
    region_parents: dict[str, str | None]
    department_names: dict[str, str]
    department_regions: dict[str, str]
    function_names: dict[str, str]
    #: Regions whose whole subtree the replica holds: the owner's region and below. A township
    #: deputy's replica also names the district, but holds only the township's lines.
    complete_regions: frozenset[str]

    def region_name(self, code: str) -> str:
        return self.region_names.get(code, code)

    def department_name(self, code: str) -> str:
        return self.department_names.get(code, code)

    def ancestors_and_self(self, code: str) -> list[str]:
        found: list[str] = []
        while code is not None and code not in found:
            found.append(code)
            code = self.region_parents.get(code)
        return found


@dataclass(frozen=True)
class ReviewContext:
    conn: Connection
    as_of: AsOf
    scope: ReviewScope
    places: Places
    payments: Subquery  # what each line has paid (desktop/review/payments.py)

    def years(self, *, closed: bool | None = None) -> list[int]:
        """Years in the replica and the scope, oldest first; ``closed`` keeps only (not) closed ones."""
        found = self.conn.execute(select(budget_lines.c.year).distinct().order_by(budget_lines.c.year)).scalars()
        return [year for year in found if self.scope.has_year(year)
                and (closed is None or (year in self.as_of.closed_years) == closed)]

    def in_scope(self, region_column: ColumnElement[str]) -> ColumnElement[bool]:
        codes = self.scope.region_codes
        return true() if codes is None else region_column.in_(sorted(codes))

    def judged_regions(self) -> list[str]:
        """Regions judged as a whole (their subtree's total), in tree order."""
        return [code for code in self.places.region_names if code in self.places.complete_regions
                and self.scope.has_region(code)]

    def region_subject(self, code: str) -> Subject:
        name = self.places.region_name(code)
        return Subject("region", code, name, code, name)

    def department_subject(self, code: str) -> Subject:
        region = self.places.department_regions.get(code, "")
        return Subject("department", code, self.places.department_name(code), region,
                       self.places.region_name(region))


def review_context(conn: Connection, scope: ReviewScope) -> ReviewContext:
    """The context the rules judge ``scope`` in."""
    payments = paid_by_line()
    return ReviewContext(conn, read_as_of(conn, payments), scope, read_places(conn), payments)


def read_as_of(conn: Connection, payments: Subquery) -> AsOf:
    reported = (select(budget_lines.c.year, func.max(payments.c.last_month))
                .join_from(payments, budget_lines, budget_lines.c.id == payments.c.line_id)
                .group_by(budget_lines.c.year))
    months = dict(conn.execute(reported).all())
    closed = frozenset(conn.execute(select(budget_lines.c.year).distinct()
                                    .where(budget_lines.c.final.is_not(None))).scalars())
    server_time = read_state(conn).get("server_time")
    # The server sends its time in Asia/Shanghai: its date is the district's date.
    server_date = dt.datetime.fromisoformat(server_time).date() if server_time else None
    return AsOf(months, closed, server_date)


def read_places(conn: Connection) -> Places:
    regions = replica_regions(conn)
    owner_region = json.loads(read_state(conn).get("user", "{}")).get("region_code")
    known = {region.code for region in regions}
    complete = subtree_codes(regions, owner_region) if owner_region in known else frozenset(known)
    department_rows = conn.execute(select(departments.c.code, departments.c.name, departments.c.region_code)).all()
    return Places(
        region_names={region.code: region.name for region in regions},
        region_parents={region.code: region.parent_code for region in regions},
        department_names={row.code: row.name for row in department_rows},
        department_regions={row.code: row.region_code for row in department_rows},
        function_names=classification_names(conn, "function"),
        complete_regions=complete,
    )


def roll_up(places: Places, by_region: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
    """Sums per region (of a GROUP BY region_code) added up into every ancestor: each region's subtree total."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0] * len(next(iter(by_region.values()))))
    for code, values in by_region.items():
        for region in places.ancestors_and_self(code):
            totals[region] = [a + b for a, b in zip(totals[region], values, strict=True)]
    return {code: tuple(values) for code, values in totals.items()}
