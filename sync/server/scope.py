"""Who sees what (DESIGN.md §2): a signed-in user's view, as SQL conditions.

The same rules judge a row in two places: the changelog (its region / department / user columns are
copied from the row when the entry is written) and the data tables (the row's own audience columns,
for the per-table counts of the integrity check). Both come from :func:`audience_condition`, so they
cannot drift apart.
"""

from __future__ import annotations

import functools
import threading
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


def _region_parents(conn: Connection) -> dict[str, str | None]:
    return dict(conn.execute(select(regions.c.code, regions.c.parent_code)).all())


def _viewer(parents: dict[str, str | None], user_id: int, role: str, region_code: str,
            department_code: str | None) -> Viewer:
    ancestors, code = set(), parents.get(region_code)
    while code is not None and code not in ancestors:
        ancestors.add(code)
        code = parents.get(code)
    return Viewer(user_id, role, region_code, department_code, subtree(parents.items(), region_code),
                  frozenset(ancestors))


def load_viewer(conn: Connection, user_id: int) -> Viewer:
    row = conn.execute(
        select(users.c.id, users.c.role, users.c.region_code, users.c.department_code).where(users.c.id == user_id)
    ).one_or_none()
    if row is None:
        raise UnknownUser(user_id)
    return _viewer(_region_parents(conn), *row)


class ViewerCache:
    """Viewers built from the region table as last read, for the frequent pull: regions are replicated, so
    every change to them moves the changelog head, and the table is read again only once the
    (epoch, head) a transaction sees differs from the one it was read at. One per server database."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple[str, int] | None = None
        self._parents: dict[str, str | None] = {}
        self._viewers: dict[tuple[int, str, str, str | None], Viewer] = {}

    def viewer(self, conn: Connection, version: tuple[str, int], user_id: int, role: str, region_code: str,
               department_code: str | None) -> Viewer:
        """The viewer of a user whose row ``conn``'s transaction has read, at ``version`` (epoch, head)."""
        key = (user_id, role, region_code, department_code)
        with self._lock:
            current = self._version == version
            if current and key in self._viewers:
                return self._viewers[key]
            parents = self._parents
        if not current:
            parents = _region_parents(conn)
        viewer = _viewer(parents, *key)
        with self._lock:
            if not current:
                self._version, self._parents, self._viewers = version, parents, {}
            if self._version == version:
                self._viewers[key] = viewer
        return viewer


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
