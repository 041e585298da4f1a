"""Budget lines as the budget, execution and final sheets name them, and finding the stored line a row means.

A line is named by its region, department, budget unit, function and economic codes, fund and project.
A sheet need not carry every one of these columns: the columns it has are the line's name there
(区划编码 absent: the department's region). A row that could mean two stored lines is refused, with
the column to add to tell them apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from sync.schema import budget_lines
from sync.server.importers import cells
from sync.server.importers.context import ImportContext, RowReader
from sync.server.importers.layout import Field
from sync.server.importers.problems import NO_VALUE

YEAR = Field("year", "年度", ("预算年度", "年份"))
REGION = Field("region", "区划编码", ("行政区划编码", "区划代码", "地区编码"))
REQUIRED_REGION = replace(REGION, required=True)

LINE_FIELDS: tuple[Field, ...] = (
    YEAR,
    REGION,
    Field("department", "部门编码", ("部门代码", "主管部门编码"), required=True),
    Field("unit", "预算单位", ("预算单位名称", "单位名称")),
    Field("function", "功能分类编码", ("功能科目编码", "支出功能分类编码", "支出功能分类科目编码", "功能分类科目编码",
                                     "功能分类"), required=True),
    Field("economic", "经济分类编码", ("经济科目编码", "部门经济分类编码", "支出经济分类编码", "经济分类"),
          required=True),
    Field("fund", "资金性质", ("资金性质编码", "资金来源")),
    Field("project", "项目名称", ("项目",)),
)
#: The sheet field of each column that names a line.
KEY_COLUMNS = {"region": "region_code", "department": "department_code", "unit": "unit_name",
               "function": "function_code", "economic": "economic_code", "fund": "fund_code",
               "project": "project_name"}
KEY_FIELDS = tuple(KEY_COLUMNS)
DEFAULT_FUND = "1"  # 一般公共预算


@dataclass(frozen=True)
class LineName:
    """The columns naming a line in one row, and their values: what a row means by "this line"."""

    columns: tuple[str, ...]
    values: tuple[Any, ...]

    def as_row(self) -> dict[str, Any]:
        return dict(zip(self.columns, self.values, strict=True))

    def describe(self) -> str:
        return " / ".join(str(v) for v in self.values if v is not None)


def _known(reader: RowReader, key: str, value: str | None, known, what: str) -> str | None:
    if value is not None and value not in known:
        reader.fail(key, f"{what}不存在", value)
        return None
    return value


def known_region(context: ImportContext, reader: RowReader) -> str | None:
    """区划编码 of a row, which must be a stored region."""
    return _known(reader, "region", reader.value("region", cells.code, required=True), context.reference.regions,
                  "区划编码")


def known_department(context: ImportContext, reader: RowReader, *, required: bool = False) -> str | None:
    """部门编码 of a row, which must be a stored department."""
    return _known(reader, "department", reader.value("department", cells.code, required=required),
                  context.reference.departments, "部门编码")


def _region(context: ImportContext, reader: RowReader, department: str | None) -> str | None:
    reference = context.reference
    if not reader.has("region"):
        return reference.departments.get(department) if department else None
    region = known_region(context, reader)
    if region and department and reference.departments[department] not in reference.lineage(region):
        reader.fail("department", "该部门不属于这一区划及其上级区划", department)
    return region


def _fund(context: ImportContext, reader: RowReader) -> str | None:
    written = reader.value("fund", cells.text)
    if written is None:
        return DEFAULT_FUND if reader.has("fund") else None
    code = context.reference.fund_code(written)
    if code is None:
        reader.fail("fund", "资金性质不存在 (应为 一般公共预算、政府性基金预算、国有资本经营预算、"
                            "社会保险基金预算 或其编码)", written)
    return code


def line_name(context: ImportContext, reader: RowReader) -> LineName | None:
    """The line a row names, each code checked against the database; None when something is wrong."""
    cells_key = (reader.row.sheet, reader.row.cells_of(KEY_FIELDS))
    found = context.line_names.get(cells_key)
    if found is None:
        found = _line_name(context, reader)
        if found is not None:
            context.line_names[cells_key] = found
    return found


def _line_name(context: ImportContext, reader: RowReader) -> LineName | None:
    reference = context.reference
    department = known_department(context, reader, required=True)
    values = {
        "region": _region(context, reader, department),
        "department": department,
        "unit": reader.value("unit", cells.text),
        "function": _known(reader, "function", reader.value("function", cells.function_code, required=True),
                           reference.function_codes, "功能分类编码"),
        "economic": _known(reader, "economic", reader.value("economic", cells.economic_code, required=True),
                           reference.economic_codes, "经济分类编码"),
        "fund": _fund(context, reader),
        "project": reader.value("project", cells.text),
    }
    if not reader.ok:
        return None
    keys = ("region", "department", *(k for k in ("unit", "function", "economic", "fund", "project")
                                      if reader.has(k) or k in ("function", "economic")))
    return LineName(tuple(KEY_COLUMNS[k] for k in keys), tuple(values[k] for k in keys))


class StoredLines:
    """The stored lines of a year, found by whatever columns a row names them with."""

    def __init__(self, context: ImportContext, year: int) -> None:
        query = budget_lines.select().where(budget_lines.c.year == year)
        self.rows: dict[int, dict[str, Any]] = {row["id"]: dict(row) for row in
                                                 context.conn.execute(query).mappings()}
        self._indexes: dict[tuple[str, ...], dict[tuple[Any, ...], list[int]]] = {}

    def matching(self, name: LineName) -> list[int]:
        index = self._indexes.get(name.columns)
        if index is None:
            index = defaultdict(list)
            for line_id, row in self.rows.items():
                index[tuple(row[c] for c in name.columns)].append(line_id)
            self._indexes[name.columns] = index
        return index.get(name.values, [])


def find_line(reader: RowReader, stored: StoredLines, name: LineName) -> int | None:
    """The one stored line ``name`` means; records a problem when there is none or more than one."""
    found = stored.matching(name)
    if len(found) == 1:
        return found[0]
    if not found:
        reader.fail("function", "找不到对应的预算行 (请先导入预算)", name.describe())
    else:
        reader.fail("function", "对应多条预算行: 请加上「预算单位」「资金性质」或「项目名称」列以区分", name.describe())
    return None


class Duplicates:
    """Rows naming the same thing twice: the second is refused, pointing at the first.

    Only the first row's place is kept, not the row: a city-year's 200 000 rows (cells, amounts) kept
    alive for the whole import made every full garbage collection walk them (0.6 s of 7.5).
    """

    def __init__(self) -> None:
        self._seen: dict[Any, tuple[str, int]] = {}

    def check(self, reader: RowReader, key: Any, column: str) -> bool:
        place = (reader.row.sheet, reader.row.number)
        first = self._seen.setdefault(key, place)
        if first is not place:
            reader.fail(column, f"与 {first[0]}!{first[1]} 重复", NO_VALUE)
            return False
        return True
