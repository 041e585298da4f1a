"""``import departments``: the budget departments (部门) and the region each belongs to.

Departments are added, renamed or moved, never deleted by an import (budget lines refer to them).
"""

from __future__ import annotations

from sync.schema import departments
from sync.server.importers import cells
from sync.server.importers.context import ImportContext
from sync.server.importers.layout import Field, Template
from sync.server.importers.lines import REQUIRED_REGION, Duplicates, known_region
from sync.server.importers.plan import Plan, stored_rows

DEPARTMENTS = Template("部门", (
    Field("code", "部门编码", ("部门代码", "单位编码"), required=True),
    Field("name", "部门名称", ("单位名称", "部门"), required=True),
    REQUIRED_REGION,
))
TEMPLATES = (DEPARTMENTS,)


def plan(context: ImportContext) -> Plan:
    if not context.require(DEPARTMENTS):
        return Plan()
    wanted = []
    duplicates = Duplicates()
    for reader in context.rows(DEPARTMENTS):
        row = {"code": reader.value("code", cells.code, required=True),
               "name": reader.value("name", cells.text, required=True),
               "region_code": known_region(context, reader)}
        if row["code"] and duplicates.check(reader, row["code"], "code") and reader.ok:
            wanted.append(row)
    if context.problems:
        return Plan()
    stored = {row["code"]: row for row in stored_rows(context.conn, departments)}
    changes = Plan()
    for row in wanted:
        changes.upsert(departments, row["code"], stored.get(row["code"]), row)
    return changes
