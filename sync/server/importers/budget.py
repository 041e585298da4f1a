"""``import budget``: the approved budget (年初预算) and its adjustment (调整预算) of a year.

The file is the year's budget of the regions it covers: lines are added or their figures corrected,
and a stored line of those regions that the file no longer has is deleted — unless money has already
been paid against it or its final accounts are in, which is refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sync.budget_tags import budget_tags
from sync.schema import budget_lines, executions
from sync.server.importers import cells
from sync.server.importers.context import ImportContext, RowReader
from sync.server.importers.layout import Field, Template
from sync.server.importers.lines import DEFAULT_FUND, LINE_FIELDS, Duplicates, LineName, StoredLines, line_name
from sync.server.importers.plan import KeyAllocator, Plan

BUDGET = Template("预算", (
    *LINE_FIELDS,
    Field("special", "专项资金", ("是否专项", "专项")),
    Field("approved", "年初预算数", ("年初预算", "年初预算金额", "年初预算合计"), required=True, money=True),
    Field("adjusted", "调整预算数", ("调整后预算数", "调整后预算", "调整预算"), money=True),
))
TEMPLATES = (BUDGET,)


def _figures(reader: RowReader, name: LineName) -> dict[str, Any]:
    """The columns of the line the row sets: its name, figures, and the tags its codes derive."""
    row = name.as_row()
    tags = budget_tags()
    row.update(is_three_public=tags.is_three_public(row["economic_code"]),
               is_livelihood=tags.is_livelihood(row["function_code"]),
               approved=reader.amount("approved", required=True))
    if reader.has("adjusted"):
        row["adjusted"] = reader.amount("adjusted")
    if reader.has("special"):
        row["is_special"] = bool(reader.value("special", cells.flag))
    return row


def plan(context: ImportContext) -> Plan:
    wanted: list[tuple[RowReader, LineName, dict[str, Any]]] = []
    duplicates = Duplicates()
    if not context.require(BUDGET):
        return Plan()
    for reader in context.rows(BUDGET):
        year = context.row_year(reader)
        name = line_name(context, reader)
        if name is None:
            continue
        row = _figures(reader, name)
        if duplicates.check(reader, name, "function") and reader.ok:
            wanted.append((reader, name, {**row, "year": year}))
    if context.problems or context.year is None:
        return Plan()
    return _changes(context, wanted)


def _changes(context: ImportContext, wanted: list[tuple[RowReader, LineName, dict[str, Any]]]) -> Plan:
    changes = Plan()
    stored = StoredLines(context, context.year)
    ids = KeyAllocator(context.conn, budget_lines)
    kept: set[int] = set()
    for reader, name, row in wanted:
        found = stored.matching(name)
        if len(found) > 1:
            reader.fail("function", "对应多条已有的预算行: 请加上「预算单位」「资金性质」或「项目名称」列以区分",
                        name.describe())
            continue
        if found:
            kept.add(found[0])
            changes.upsert(budget_lines, found[0], stored.rows[found[0]], row)
        else:
            changes.insert(budget_lines, _new_line(ids.take(), row))
    regions = {row["region_code"] for _reader, _name, row in wanted}
    _drop_missing(context, changes, stored, regions, kept)
    return changes


def _new_line(line_id: int, row: dict[str, Any]) -> dict[str, Any]:
    defaults = {"unit_name": None, "fund_code": DEFAULT_FUND, "project_name": None, "is_special": False,
                "adjusted": None, "final": None}
    return {**defaults, **row, "id": line_id}


def _drop_missing(context: ImportContext, changes: Plan, stored: StoredLines, regions: set[str],
                  kept: set[int]) -> None:
    """Lines of the file's regions that the file no longer has: deleted, unless money has moved on them."""
    missing = [line_id for line_id, row in stored.rows.items() if row["region_code"] in regions and line_id not in kept]
    paid = _lines_with_execution(context, missing)
    for line_id in missing:
        row = stored.rows[line_id]
        if line_id in paid or row["final"] is not None:
            context.problems.add(context.label, None, None,
                                 "文件中没有这条已有执行或决算数据的预算行，不能删除 (如需修改请保留该行)",
                                 f"{row['department_code']} / {row['unit_name'] or ''} / {row['function_code']} / "
                                 f"{row['economic_code']} / {row['project_name'] or ''}")
        else:
            changes.delete(budget_lines, line_id)


def _lines_with_execution(context: ImportContext, line_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(line_ids), 500):
        chunk = line_ids[start:start + 500]
        query = select(executions.c.line_id).distinct().where(executions.c.line_id.in_(chunk))
        found.update(context.conn.execute(query).scalars())
    return found
