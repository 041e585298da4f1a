"""履职记录: each deputy's use of the system, counted per kind and month (DESIGN.md §2 activity).

Counts, not keystrokes. Staff's replicas hold every deputy in their scope, a deputy's only their own,
so the same query is the staff's report and the deputy's own record. Months are China time.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Integer, cast, func, select

from sync.schema import ACTIVITY_KINDS, activities, regions, users

KINDS = ACTIVITY_KINDS  # a report's columns, in the schema's order


@dataclass(frozen=True)
class DutyMonth:
    """One deputy's month: how many of each kind of activity."""

    deputy: str
    region: str
    month: int
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _china(column):
    return func.datetime(column, "+8 hours")


def duty_months(conn: Connection, year: int, region_codes: frozenset[str]) -> list[DutyMonth]:
    """Deputies of these regions with any activity in ``year``, month by month."""
    month = cast(func.strftime("%m", _china(activities.c.at)), Integer).label("month")
    query = (
        select(users.c.display_name, func.coalesce(regions.c.name, activities.c.region_code).label("region"), month,
               activities.c.kind, func.count().label("times"))
        .join(users, users.c.id == activities.c.user_id)
        .outerjoin(regions, regions.c.code == activities.c.region_code)
        .where(users.c.role == "deputy", activities.c.region_code.in_(region_codes),
               func.strftime("%Y", _china(activities.c.at)) == str(year))
        .group_by(activities.c.user_id, users.c.display_name, "region", month, activities.c.kind)
        .order_by(users.c.display_name, activities.c.user_id, month)
    )
    found: dict[tuple[str, str, int], dict[str, int]] = {}
    for row in conn.execute(query):
        found.setdefault((row.display_name, row.region, row.month), dict.fromkeys(KINDS, 0))[row.kind] = row.times
    return [DutyMonth(deputy, region, number, counts) for (deputy, region, number), counts in found.items()]
