"""``import policies``: major policies (重大政策) of a year, their funds, and what was disbursed each month.

A policy is named by its year, region and name. Month columns (``1月`` … ``12月``) hold the amount
disbursed (拨付) that month; for each month column the file has, a policy's stored month is replaced
(an empty cell removes it). A file without month columns leaves the disbursements alone.
"""

from __future__ import annotations

from typing import Any

from sync.schema import policies, policy_disbursements
from sync.server.importers import cells
from sync.server.importers.context import ImportContext, RowReader
from sync.server.importers.layout import Field, Template
from sync.server.importers.lines import REQUIRED_REGION, YEAR, Duplicates, known_department, known_region
from sync.server.importers.plan import KeyAllocator, Plan, stored_rows

MONTHS = range(1, 13)
POLICIES = Template("重大政策", (
    YEAR,
    REQUIRED_REGION,
    Field("name", "政策名称", ("重大政策", "政策"), required=True),
    Field("department", "牵头部门编码", ("部门编码", "牵头部门")),
    Field("arranged", "安排资金", ("安排资金数", "资金安排", "预算安排"), required=True, money=True),
    Field("description", "政策说明", ("说明", "政策内容")),
    *(Field(f"m{m}", f"{m}月", (f"{m}月拨付", f"{m}月份", f"{m}月拨付数"), money=True) for m in MONTHS),
))
TEMPLATES = (POLICIES,)


def _policy(context: ImportContext, reader: RowReader) -> dict[str, Any]:
    row = {"year": context.row_year(reader), "region_code": known_region(context, reader),
           "name": reader.value("name", cells.text, required=True),
           "funds_arranged": reader.amount("arranged", required=True)}
    if reader.has("department"):
        row["department_code"] = known_department(context, reader)
    if reader.has("description"):
        row["description"] = reader.value("description", cells.text)
    return row


def plan(context: ImportContext) -> Plan:
    if not context.require(POLICIES):
        return Plan()
    wanted: list[tuple[dict[str, Any], dict[int, int | None]]] = []
    duplicates = Duplicates()
    for reader in context.rows(POLICIES):
        row = _policy(context, reader)
        months = {m: reader.amount(f"m{m}") for m in MONTHS if reader.has(f"m{m}")}
        key = (row["year"], row["region_code"], row["name"])
        if None not in key and duplicates.check(reader, key, "name") and reader.ok:
            wanted.append((row, months))
    if context.problems or context.year is None:
        return Plan()
    return _changes(context, wanted)


def _changes(context: ImportContext, wanted: list[tuple[dict[str, Any], dict[int, int | None]]]) -> Plan:
    year = context.year
    stored = {(row["region_code"], row["name"]): row for row in stored_rows(context.conn, policies,
                                                                              policies.c.year == year)}
    paid = {(row["policy_id"], row["month"]): row for row in stored_rows(
        context.conn, policy_disbursements, policy_disbursements.c.year == year)}
    changes = Plan()
    policy_ids, payment_ids = KeyAllocator(context.conn, policies), KeyAllocator(context.conn, policy_disbursements)
    for row, months in wanted:
        policy_id = changes.upsert_keyed(policies, policy_ids, stored.get((row["region_code"], row["name"])), row)
        for month, amount in months.items():
            before = paid.get((policy_id, month))
            if amount is None:
                if before is not None:
                    changes.delete(policy_disbursements, before["id"])
                continue
            changes.upsert_keyed(policy_disbursements, payment_ids, before, {
                "policy_id": policy_id, "region_code": row["region_code"], "year": year, "month": month,
                "amount": amount})
    return changes
