"""Who sees what (DESIGN.md §2): a signed-in user's view, as SQL conditions.

The same rules judge a row in two places: the changelog (its region / department / user columns are
copied from the row when the entry is written) and the data tables (the row's own audience columns,
for the per-table counts of the integrity check). Both come from :func:`audience_condition`, so they
cannot drift apart.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Table, and_, false, or_, select, true

from sync.regions import subtree
from sync.schema import EVERY_DEPARTMENT, REPLICATED_TABLES, changelog, regions, users


class UnknownUser(LookupError):
    pass


@dataclass(frozen=True)
class Viewer:
    """A user as the visibility rules see them."""

    user_id: int
    role: str
    region_code: str
    department_code: str | None
    scope: frozenset[str]  # the user's region and everything below it
    ancestors: frozenset[str]  # the regions above the user's own (names for breadcrumbs)


def load_viewer(conn: Connection, user_id: int) -> Viewer:
    row = conn.execute(
        select(users.c.id, users.c.role, users.c.region_code, users.c.department_code).where(users.c.id == user_id)
    ).one_or_none()
    if row is None:
        raise UnknownUser(user_id)
    parents = dict(conn.execute(select(regions.c.code, regions.c.parent_code)).all())
    ancestors, code = set(), parents.get(row.region_code)
    while code is not None and code not in ancestors:
        ancestors.add(code)
        code = parents.get(code)
    return Viewer(row.id, row.role, row.region_code, row.department_code,
                  subtree(parents.items(), row.region_code), frozenset(ancestors))


def audience_condition(viewer: Viewer, audience: str, region, department, user) -> ColumnElement[bool]:
    """Whether a row with these region / department / user columns is visible to ``viewer``."""
    role = viewer.role
    in_scope = region.in_(sorted(viewer.scope)) if region is not None else true()
    if role == "admin":
        return false()
    if audience == "public":
        return true()
    if audience == "region":
        return in_scope
    if audience == "region_tree":
        return region.in_(sorted(viewer.scope | viewer.ancestors))
    if audience == "suggestion":
        if role == "department":
            return department == viewer.department_code
        return in_scope
    if audience == "suggestion_private":
        if role == "staff":
            return in_scope
        if role == "department":
            return department == viewer.department_code
        return user == viewer.user_id
    if audience == "personal":
        if role == "staff":
            return in_scope
        return user == viewer.user_id if role == "deputy" else false()
    if audience == "inspection":
        return in_scope if role in ("deputy", "staff") else false()
    if audience == "attachment":
        if role == "department":
            return or_(department == viewer.department_code, and_(department == EVERY_DEPARTMENT, in_scope))
        return in_scope
    raise ValueError(f"unknown audience {audience!r}")


def _columns(table: Table):
    names = table.info["audience_columns"]
    return tuple(table.c[names[k]] if names[k] else None for k in ("region", "department", "user"))


def row_condition(viewer: Viewer, table: Table) -> ColumnElement[bool]:
    """The visibility rule applied to a data table's own rows."""
    return audience_condition(viewer, table.info["audience"], *_columns(table))


@functools.lru_cache(maxsize=4096)
def changelog_condition(viewer: Viewer) -> ColumnElement[bool]:
    """The visibility rule applied to changelog entries, for every replicated table at once. Kept per
    viewer (a frozen value): building it was a third of a no-change pull's server time."""
    by_audience: dict[str, list[str]] = defaultdict(list)
    for table in REPLICATED_TABLES:
        by_audience[table.info["audience"]].append(table.name)
    clauses = []
    for audience, names in by_audience.items():
        region = changelog.c.region_code if audience != "public" else None
        condition = audience_condition(viewer, audience, region, changelog.c.department_code, changelog.c.user_id)
        # `table_name || ''` keeps SQLite from answering the OR with its (table_name, row_key) index: that
        # reads every entry of each table and sorts them, where a walk along seq stops after one page.
        clauses.append(and_(changelog.c.table_name.concat("").in_(names), condition))
    return or_(*clauses)
