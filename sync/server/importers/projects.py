"""``import projects``: livelihood projects (民生实事) — master data, money paid, progress — and milestones.

A project is named by its year, region and name; its row adds it or updates what the file's columns
say. A second sheet of milestones (项目名称, 日期, 进展) replaces the milestones of each project it
lists. Either sheet may come alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from sync.schema import policies, project_milestones, projects
from sync.server.importers import cells
from sync.server.importers.cells import CellError
from sync.server.importers.context import ImportContext, RowReader
from sync.server.importers.layout import Field, Template
from sync.server.importers.lines import REGION, REQUIRED_REGION, YEAR, Duplicates, known_department, known_region
from sync.server.importers.plan import KeyAllocator, Plan, stored_rows

PROJECT_NAME = Field("name", "项目名称", ("民生实事项目", "项目"), required=True)
PROJECTS = Template("民生实事", (
    YEAR, REQUIRED_REGION, PROJECT_NAME,
    Field("department", "牵头部门编码", ("部门编码", "牵头部门")),
    Field("policy", "所属政策", ("重大政策", "政策名称")),
    Field("budget", "项目预算", ("预算", "预算金额", "项目预算数", "总投资"), required=True, money=True),
    Field("paid", "已支付", ("已支付金额", "累计支付", "支付金额"), money=True),
    Field("planned", "计划进度", ("计划完成进度",)),
    Field("actual", "实际进度", ("形象进度", "工程进度")),
    Field("status", "状态", ("项目状态",)),
    Field("start", "开工日期", ("开工时间",)),
    Field("due", "完工期限", ("完工日期", "计划完工日期", "竣工日期")),
    Field("description", "项目说明", ("建设内容", "项目内容", "说明")),
))
MILESTONES = Template("里程碑", (
    YEAR, REGION, PROJECT_NAME,
    Field("date", "日期", ("时间", "里程碑日期"), required=True),
    Field("text", "进展", ("里程碑", "进展情况", "事项"), required=True),
))
TEMPLATES = (PROJECTS, MILESTONES)
_STATUS_WORDS = {"planned": ("未开工", "计划", "planned"), "in_progress": ("在建", "建设中", "实施中", "in_progress"),
                 "completed": ("已完工", "完工", "竣工", "completed"), "suspended": ("停工", "暂停", "suspended")}
STATUS_NAMES = {word: status for status, words in _STATUS_WORDS.items() for word in words}
ProjectKey = tuple[str, str]  # (region, name)


def status(value: Any) -> str:
    found = STATUS_NAMES.get(cells.text(value).lower())
    if found is None:
        raise CellError("状态应为 未开工、在建、已完工 或 停工")
    return found


def derived_status(actual: int | None) -> str:
    if not actual:
        return "planned"
    return "completed" if actual >= 100 else "in_progress"


def plan(context: ImportContext) -> Plan:
    if not (context.has_sheet(PROJECTS) or context.require(MILESTONES)):
        return Plan()
    wanted, named = _read_projects(context)
    milestones = _read_milestones(context)
    if context.year is None:
        return Plan()
    stored = {(row["region_code"], row["name"]): row
              for row in stored_rows(context.conn, projects, projects.c.year == context.year)}
    listed = _milestones_by_project(milestones, set(stored) | named)
    if context.problems:
        return Plan()
    changes = Plan()
    ids = _write_projects(context, changes, wanted, stored)
    _write_milestones(context, changes, ids, listed)
    return changes


# ---------------------------------------------------------------- projects


def _read_projects(context: ImportContext) -> tuple[list[dict[str, Any]], set[ProjectKey]]:
    """The rows to write, and every project the sheet names (a milestone may refer to a row with a problem)."""
    wanted, named = [], set()
    duplicates = Duplicates()
    for reader in context.rows(PROJECTS):
        row = _project(context, reader)
        key = (row["region_code"], row["name"])
        if None not in key and duplicates.check(reader, key, "name"):
            named.add(key)
            if reader.ok:
                wanted.append(row)
    return wanted, named


def _project(context: ImportContext, reader: RowReader) -> dict[str, Any]:
    row = {"year": context.row_year(reader), "region_code": known_region(context, reader),
           "name": reader.value("name", cells.text, required=True), "budget": reader.amount("budget", required=True)}
    optional = {"department": ("department_code", lambda: known_department(context, reader)),
                "policy": ("policy_id", lambda: _policy(context, reader, row["region_code"])),
                "paid": ("paid", lambda: reader.amount("paid") or 0),
                "planned": ("planned_progress", lambda: reader.value("planned", cells.percent) or 0),
                "actual": ("actual_progress", lambda: reader.value("actual", cells.percent) or 0),
                "status": ("status", lambda: reader.value("status", status)),
                "start": ("start_date", lambda: reader.value("start", cells.date)),
                "due": ("due_date", lambda: reader.value("due", cells.date)),
                "description": ("description", lambda: reader.value("description", cells.text))}
    for key, (column, read) in optional.items():
        if reader.has(key):
            row[column] = read()
    if row.get("status") is None:  # not given: a new project's follows from its progress
        row.pop("status", None)
    if row.get("start_date") and row.get("due_date") and row["due_date"] < row["start_date"]:
        reader.fail("due", "完工期限早于开工日期", row["due_date"].isoformat())
    return row


def _policy(context: ImportContext, reader: RowReader, region: str | None) -> int | None:
    """所属政策 by name: a policy of the year in the project's region or one above it."""
    name = reader.value("policy", cells.text)
    if name is None or region is None or context.year is None:
        return None
    lineage = context.reference.lineage(region)
    found = context.conn.execute(select(policies.c.id).where(
        policies.c.year == context.year, policies.c.name == name, policies.c.region_code.in_(lineage))).scalars().all()
    if len(found) != 1:
        reader.fail("policy", "重大政策不存在 (请先导入重大政策)" if not found else "有多项同名的重大政策", name)
        return None
    return found[0]


def _write_projects(context: ImportContext, changes: Plan, wanted: list[dict[str, Any]],
                    stored: dict[ProjectKey, dict[str, Any]]) -> dict[ProjectKey, int]:
    """Plan the projects; returns the id of every project of the year, stored or new, by (region, name)."""
    ids = {key: row["id"] for key, row in stored.items()}
    allocator = KeyAllocator(context.conn, projects)
    for row in wanted:
        key = (row["region_code"], row["name"])
        if key not in stored and "status" not in row:
            row["status"] = derived_status(row.get("actual_progress"))
        ids[key] = changes.upsert_keyed(projects, allocator, stored.get(key), row)
    return ids


# ---------------------------------------------------------------- milestones

Milestone = tuple[RowReader, str | None, str, dt.date, str]  # the row, its region (if given), project, date, text


def _read_milestones(context: ImportContext) -> list[Milestone]:
    found = []
    duplicates = Duplicates()
    for reader in context.rows(MILESTONES):
        context.row_year(reader)
        region = known_region(context, reader) if reader.has("region") else None
        name = reader.value("name", cells.text, required=True)
        day = reader.value("date", cells.date, required=True)
        text = reader.value("text", cells.text, required=True)
        if None not in (name, day, text) and duplicates.check(reader, (region, name, day, text), "text") and reader.ok:
            found.append((reader, region, name, day, text))
    return found


def _milestones_by_project(milestones: list[Milestone], known: set[ProjectKey]) -> dict[ProjectKey, set]:
    """Each listed project's milestones; a project neither stored nor in the file is recorded."""
    listed: dict[ProjectKey, set[tuple[dt.date, str]]] = defaultdict(set)
    for reader, region, name, day, text in milestones:
        candidates = [key for key in known if key[1] == name and region in (None, key[0])]
        if len(candidates) == 1:
            listed[candidates[0]].add((day, text))
        else:
            reader.fail("name", "项目不存在" if not candidates else "有多个同名项目: 请加上「区划编码」列", name)
    return listed


def _write_milestones(context: ImportContext, changes: Plan, ids: dict[ProjectKey, int],
                      listed: dict[ProjectKey, set[tuple[dt.date, str]]]) -> None:
    """Each listed project's milestones become the file's: new ones added, those no longer listed removed."""
    project_keys = {ids[key]: key for key in listed}
    stored = stored_rows(context.conn, project_milestones, project_milestones.c.project_id.in_(list(project_keys)))
    kept: set[tuple[int, dt.date, str]] = set()
    for row in stored:
        entry = (row["date"], row["text"])
        if entry in listed[project_keys[row["project_id"]]]:
            kept.add((row["project_id"], *entry))
        else:
            changes.delete(project_milestones, row["id"])
    allocator = KeyAllocator(context.conn, project_milestones)
    for key, entries in listed.items():
        for day, text in sorted(entries):
            if (ids[key], day, text) not in kept:
                changes.insert(project_milestones, {"id": allocator.take(), "project_id": ids[key],
                                                    "region_code": key[0], "date": day, "text": text})
