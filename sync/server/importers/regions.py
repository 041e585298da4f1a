"""``import regions``: the city, its districts and their townships and streets (区划).

Regions are added or renamed, never deleted by an import (budgets and users refer to them). A
region's level may be left out: it follows from its parent (none: city; a city: district; a district:
township).
"""

from __future__ import annotations

from typing import Any

from sync.schema import REGION_LEVELS, regions
from sync.server.importers import cells
from sync.server.importers.cells import CellError
from sync.server.importers.context import ImportContext, RowReader
from sync.server.importers.layout import Field, Template
from sync.server.importers.lines import Duplicates
from sync.server.importers.plan import Plan, stored_rows

REGIONS = Template("区划", (
    Field("code", "区划编码", ("行政区划编码", "区划代码", "编码"), required=True),
    Field("name", "区划名称", ("行政区划名称", "名称"), required=True),
    Field("level", "级别", ("层级", "区划级别")),
    Field("parent", "上级区划编码", ("上级编码", "上级区划代码", "上级区划")),
    Field("order", "排序", ("排序号", "顺序")),
))
TEMPLATES = (REGIONS,)
_LEVEL_WORDS = {"city": ("市", "市级", "地级市", "city"), "district": ("区", "县", "区县", "县区", "县级", "district"),
                "township": ("乡镇", "乡", "镇", "街道", "乡镇街道", "township")}
LEVEL_NAMES = {word: level for level, words in _LEVEL_WORDS.items() for word in words}


def level(value: Any) -> str:
    found = LEVEL_NAMES.get(cells.text(value).lower())
    if found is None:
        raise CellError("级别应为 市、区县 或 乡镇街道")
    return found


def plan(context: ImportContext) -> Plan:
    if not context.require(REGIONS):
        return Plan()
    wanted: dict[str, dict[str, Any]] = {}
    readers: dict[str, RowReader] = {}
    duplicates = Duplicates()
    for position, reader in enumerate(context.rows(REGIONS)):
        row = {"code": reader.value("code", cells.code, required=True),
               "name": reader.value("name", cells.text, required=True),
               "level": reader.value("level", level), "parent_code": reader.value("parent", cells.code),
               "sort_order": reader.value("order", cells.whole_number)}
        if row["code"] and duplicates.check(reader, row["code"], "code") and reader.ok:
            row["sort_order"] = position if row["sort_order"] is None else row["sort_order"]
            wanted[row["code"]] = row
            readers[row["code"]] = reader
    stored = {row["code"]: row for row in stored_rows(context.conn, regions)}
    _place_all(wanted, readers, stored)
    if context.problems:
        return Plan()
    changes = Plan()
    for code, row in sorted(wanted.items(), key=lambda item: REGION_LEVELS.index(item[1]["level"])):
        changes.upsert(regions, code, stored.get(code), row)
    return changes


def _place_all(wanted: dict[str, dict], readers: dict[str, RowReader], stored: dict[str, dict]) -> None:
    """Parents before children, so a level left out can follow from a parent's level left out too."""
    pending = dict(wanted)
    while pending:
        ready = [code for code, row in pending.items() if row["parent_code"] not in pending]
        if not ready:
            for code in pending:
                readers[code].fail("parent", "上级区划形成了循环", pending[code]["parent_code"])
            return
        for code in ready:
            _place(readers[code], pending.pop(code), wanted, stored)


def _place(reader: RowReader, row: dict[str, Any], wanted: dict[str, dict], stored: dict[str, dict]) -> None:
    """The parent must exist (in the file or stored) one level up; the level follows from it when not given."""
    parent = row["parent_code"]
    parent_row = (wanted.get(parent) or stored.get(parent)) if parent else None
    if parent and parent_row is None:
        reader.fail("parent", "上级区划不存在", parent)
        return
    parent_level = REGION_LEVELS.index(parent_row["level"]) if parent_row and parent_row["level"] else -1
    if row["level"] is None:
        if parent_level + 1 >= len(REGION_LEVELS):
            reader.fail("parent", "乡镇街道下不能再有区划", parent)
            return
        row["level"] = REGION_LEVELS[parent_level + 1]
    elif REGION_LEVELS.index(row["level"]) <= parent_level:
        reader.fail("level", "级别应低于上级区划", row["level"])
