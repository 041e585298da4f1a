"""A small district for the import tests and finance files shaped the way real exports are.

The files are made here, in the test (openpyxl and csv), never committed: a title row, a unit row, a
header merged across two rows, codes as numbers, amounts as text with thousands separators, "—"
cells, 小计/合计 rows, trailing empty rows, an instructions sheet, GB18030 and BOM-marked CSV.

Figures in fen, for checks: 1 万元 = 1 000 000 fen, 1 元 = 100 fen.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from openpyxl import Workbook
from sqlalchemy import Connection, Engine, func, select

from sync.schema import changelog as changelog_table
from sync.schema import departments, imports, regions
from sync.server import accounts, changelog
from sync.server.demo import load_reference
from sync.server.importers import ImportOptions, ImportOutcome, ImportRequest, run_import

PASSWORD = "correct-horse-9"  # tests.client.conftest's, so its Deputy can sync
CITY, DISTRICT, FENGBEI, BEISHAN = "511700", "511702", "511702001", "511702002"
FENGBEI_OFFICE, BEISHAN_OFFICE, TRANSPORT = "51170200101", "51170200201", "511702104"
YEAR = 2026
WAN = 1_000_000

Rows = Sequence[Sequence[Any]]


# ---------------------------------------------------------------- the district

def base_regions(conn: Connection) -> None:
    changelog.insert(conn, regions, [
        {"code": CITY, "name": "达州市", "level": "city", "parent_code": None, "sort_order": 0},
        {"code": DISTRICT, "name": "通川区", "level": "district", "parent_code": CITY, "sort_order": 1},
        {"code": FENGBEI, "name": "凤北街道", "level": "township", "parent_code": DISTRICT, "sort_order": 1},
        {"code": BEISHAN, "name": "北山镇", "level": "township", "parent_code": DISTRICT, "sort_order": 2},
    ])
    changelog.insert(conn, departments, [
        {"code": FENGBEI_OFFICE, "name": "凤北街道办事处", "region_code": FENGBEI},
        {"code": BEISHAN_OFFICE, "name": "北山镇人民政府", "region_code": BEISHAN},
        {"code": TRANSPORT, "name": "通川区交通运输局", "region_code": DISTRICT},
    ])


@functools.cache
def _password_hash() -> str:
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


def build_district(engine: Engine) -> None:
    """Reference codes, regions, departments, and the accounts that pull: staff01 (district), deputy01 (凤北)."""
    with engine.begin() as conn:
        load_reference(conn)
        base_regions(conn)
        for name, role, region in (("staff01", "staff", DISTRICT), ("deputy01", "deputy", FENGBEI)):
            accounts.add_user(conn, name, role=role, password="", region_code=region, display_name=name,
                              password_hash=_password_hash())


def head(engine: Engine) -> tuple[int, int]:
    """The changelog head and the number of import records: both unchanged after a refused import."""
    with engine.connect() as conn:
        return (conn.execute(select(func.coalesce(func.max(changelog_table.c.seq), 0))).scalar_one(),
                conn.execute(select(func.count()).select_from(imports)).scalar_one())


def load(engine: Engine, kind: str, path: Path, **options: Any) -> ImportOutcome:
    sheet, dry_run = options.pop("sheet", None), options.pop("dry_run", False)
    return run_import(engine, ImportRequest(kind, path, ImportOptions(**options), sheet, dry_run), actor="tester")


# ---------------------------------------------------------------- writing files

def write_xlsx(path: Path, sheets: dict[str, Rows], merged: dict[str, Sequence[str]] | None = None) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cells in (merged or {}).get(name, ()):
            sheet.merge_cells(cells)
        # Formatted but empty rows below the data, as Excel leaves them.
        sheet.cell(row=sheet.max_row + 3, column=1).number_format = "0.00"
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file).writerows([["" if v is None else v for v in row] for row in rows])
    return path


# ---------------------------------------------------------------- master data

def regions_file(folder: Path) -> Path:
    """Codes as numbers, a township listed before its district, levels written or left to follow the parent."""
    return write_xlsx(folder / "区划.xlsx", {"区划": [
        ["达州市行政区划表"],
        ["区划编码", "区划名称", "级别", "上级区划编码"],
        [511702001, "凤北街道", None, 511702],
        [511702, "通川区", "区", 511700],
        [511700, "达州市", "市", None],
        [511702002, "北山镇", "镇", "511702"],
    ]})


def departments_file(folder: Path) -> Path:
    """GB18030, as Chinese Excel saves CSV; codes with a name after them."""
    return write_csv(folder / "部门.csv", [
        ["部门编码", "部门名称", "区划编码"],
        [FENGBEI_OFFICE, "凤北街道办事处", FENGBEI],
        [f"{BEISHAN_OFFICE} 北山镇人民政府", "北山镇人民政府", BEISHAN],
        [TRANSPORT, "通川区交通运输局", DISTRICT],
    ], encoding="gb18030")


# ---------------------------------------------------------------- budget

#: (sheet, department, unit, function, economic, project, special, approved fen, adjusted fen)
BUDGET_LINES = (
    ("凤北街道", FENGBEI_OFFICE, "凤北街道办事处本级", "20103", "30101", None, "否", 1_205_000 * 100, None),
    ("凤北街道", FENGBEI_OFFICE, "凤北街道办事处本级", "20103", "30201", None, "否", 102_500 * 100, 110_000 * 100),
    ("凤北街道", FENGBEI_OFFICE, "凤北街道办事处本级", "20802", "303", "城市社区专职工作者绩效报酬", "是",
     800_000 * 100, 850_000 * 100),
    ("凤北街道", FENGBEI_OFFICE, "凤北街道社会事务服务中心", "21205", "302", "城乡社区环境卫生保洁", "否",
     10_000_000 * 100, None),
    ("北山镇", BEISHAN_OFFICE, "北山镇人民政府本级", "21301", "30101", None, "否", 500_000 * 100, None),
    ("北山镇", BEISHAN_OFFICE, "北山镇人民政府本级", "21305", "310", "农村人居环境整治", "是", 1_200_000 * 100, None),
)


def wan_text(fen: int) -> str:
    """As a finance system writes 万元: thousands separators, four decimals."""
    return f"{fen / WAN:,.4f}"


def yuan_text(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def _fengbei_sheet(year: int, lines: Sequence[tuple]) -> list[list[Any]]:
    """Title, unit row, two-row header, codes as numbers, 万元 as text, — for no adjustment, 小计 and 合计."""
    rows: list[list[Any]] = [
        [f"{year}年凤北街道部门预算表"],
        ["单位：万元"],
        ["区划编码", "部门编码", "预算单位", "功能分类编码", "经济分类编码", "资金性质", "项目名称", "专项资金",
         "预算数", None],
        [None, None, None, None, None, None, None, None, "年初预算数", "调整预算数"],
    ]
    for index, (_sheet, department, unit, function, economic, project, special, approved, adjusted) in enumerate(lines):
        rows.append([int(FENGBEI), int(department), unit, int(function), int(economic), "一般公共预算", project,
                     special, wan_text(approved), wan_text(adjusted) if adjusted else "—"])
        if index == 2:
            rows.append(["小计", None, None, None, None, None, None, None,
                         wan_text(sum(line[7] for line in lines[:3])), None])
    rows.append(["合计", None, None, None, None, None, None, None, wan_text(sum(line[7] for line in lines)),
                 wan_text(sum(line[8] or 0 for line in lines))])
    return rows


def _beishan_sheet(lines: Sequence[tuple]) -> list[list[Any]]:
    """No region column (the department's), units in the headers, codes as text, amounts as numbers in 元."""
    rows: list[list[Any]] = [["部门编码", "预算单位", "功能分类编码", "经济分类编码", "项目名称", "专项资金",
                              "年初预算数（元）", "调整预算数（元）"]]
    for _sheet, department, unit, function, economic, project, special, approved, adjusted in lines:
        rows.append([department, unit, function, economic, project, special, approved / 100,
                     adjusted / 100 if adjusted else None])
    rows.append(["总计", None, None, None, None, None, sum(line[7] for line in lines) / 100, None])
    return rows


def budget_file(folder: Path, year: int = YEAR, lines: Sequence[tuple] = BUDGET_LINES,
                name: str = "预算.xlsx") -> Path:
    fengbei = [line for line in lines if line[0] == "凤北街道"]
    beishan = [line for line in lines if line[0] == "北山镇"]
    return write_xlsx(folder / name, {
        "填表说明": [["本表由财政局预算管理系统导出"], ["金额单位见各表"]],
        "凤北街道": _fengbei_sheet(year, fengbei),
        "北山镇": _beishan_sheet(beishan),
    }, merged={"凤北街道": ["A1:J1", "I3:J3", *(f"{c}3:{c}4" for c in "ABCDEFGH")]})


def budget_total() -> int:
    return sum(line[7] for line in BUDGET_LINES)


# ---------------------------------------------------------------- execution

def paid(line: int, month: int) -> int:
    """What line ``line`` (index into BUDGET_LINES) paid in ``month``, fen: a refund in month 3 of line 1."""
    if line == 1 and month == 3:
        return -12_345
    return BUDGET_LINES[line][7] // 12 + month * 100 + line


def execution_rows(month: int, lines: range = range(len(BUDGET_LINES)),
                   amount=paid) -> list[list[Any]]:
    """Rows with line names and this month / cumulative in 元 (thousands separators)."""
    rows = []
    for line in lines:
        _sheet, department, unit, function, economic, project, *_ = BUDGET_LINES[line]
        cumulative = sum(amount(line, m) for m in range(1, month + 1))
        rows.append([department, unit, function, economic, project, yuan_text(amount(line, month)),
                     yuan_text(cumulative)])
    return rows


EXECUTION_HEADER = ["部门编码", "预算单位", "功能分类编码", "经济分类编码", "项目名称", "本月支出", "累计支出"]


def execution_csv(folder: Path, month: int, *, rows: list[list[Any]] | None = None, name: str | None = None,
                  encoding: str = "utf-8-sig") -> Path:
    body = execution_rows(month) if rows is None else rows
    return write_csv(folder / (name or f"执行{month:02d}.csv"),
                     [[f"{YEAR}年1-{month}月预算执行情况"], ["单位：元"], EXECUTION_HEADER, *body], encoding)


def execution_xlsx(folder: Path, month: int, *, rows: list[list[Any]] | None = None, name: str | None = None) -> Path:
    body = execution_rows(month) if rows is None else rows
    return write_xlsx(folder / (name or f"执行{month:02d}.xlsx"),
                      {"执行": [[f"{YEAR}年{month}月预算执行表"], ["金额单位：元"], EXECUTION_HEADER, *body]})


def cumulative_paid(month: int) -> int:
    return sum(paid(line, m) for line in range(len(BUDGET_LINES)) for m in range(1, month + 1))


# ---------------------------------------------------------------- final, policies, projects

def final_file(folder: Path, figures: dict[int, int]) -> Path:
    """决算 of the given lines (index → fen) in 万元, a 合计 row on top."""
    rows = [[BUDGET_LINES[i][1], BUDGET_LINES[i][2], BUDGET_LINES[i][3], BUDGET_LINES[i][4], BUDGET_LINES[i][5],
             wan_text(fen)] for i, fen in figures.items()]
    return write_xlsx(folder / "决算.xlsx", {"决算": [
        [f"{YEAR}年度决算表"], ["单位：万元"],
        ["部门编码", "预算单位", "功能分类编码", "经济分类编码", "项目名称", "决算数"],
        ["合计", None, None, None, None, wan_text(sum(figures.values()))],
        *rows,
    ]})


def policies_file(folder: Path, arranged: Any = "1,000", march: Any = None, department: Any = TRANSPORT,
                  name: str = "重大政策.xlsx") -> Path:
    """Two-row header: the month columns under one merged 拨付情况 cell."""
    return write_xlsx(folder / name, {"重大政策": [
        [f"{YEAR}年重大政策资金安排和拨付情况"], ["单位：万元"],
        ["年度", "区划编码", "政策名称", "牵头部门编码", "安排资金", "拨付情况", None, None, "政策说明"],
        [None, None, None, None, None, "1月", "2月", "3月", None],
        [YEAR, int(DISTRICT), "乡村振兴", department, arranged, 100, "150.5", march, "发展特色产业"],
        [YEAR, int(DISTRICT), "交通三年大会战", int(TRANSPORT), 2000, 0, 300, 400, None],
    ]}, merged={"重大政策": ["F3:H3", *(f"{c}3:{c}4" for c in "ABCDEI")]})


def projects_file(folder: Path, actual: Any = 0.75, policy: str = "乡村振兴") -> Path:
    return write_xlsx(folder / "民生实事.xlsx", {
        "项目": [
            [f"{YEAR}年民生实事项目进度表"], ["单位：万元"],
            ["年度", "区划编码", "项目名称", "牵头部门编码", "所属政策", "项目预算", "已支付", "计划进度", "实际进度",
             "状态", "开工日期", "完工期限"],
            [YEAR, BEISHAN, "北山镇高标准农田建设", BEISHAN_OFFICE, policy, "1,200", 760, "75%", actual, "在建",
             "2026-03-01", "2026年12月31日"],
            [YEAR, FENGBEI, "凤北街道社区养老服务中心建设", FENGBEI_OFFICE, None, 560, "436.8", 80, 76, None,
             None, None],
        ],
        "里程碑": [
            ["项目名称", "日期", "进展"],
            ["北山镇高标准农田建设", "2026-03-01", "开工建设"],
            ["北山镇高标准农田建设", "2026/6/30", "完成土地平整"],
            ["凤北街道社区养老服务中心建设", "2026.3.1", "开工建设"],
        ],
    })
