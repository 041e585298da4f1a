"""A bad file of each kind changes nothing, and every problem in it is named by sheet, row and column.

Each bad file is a good one with cells edited the way real files go wrong: an unknown code, a number
that is not one, a subtotal that does not add up, a cumulative that does not follow, a duplicate row,
the wrong year or month, a sheet that is not there. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.server import import_files as files
from tests.server.import_files import BUDGET_LINES, YEAR


def edited(path: Path, sheet: str, changes: dict[str, Any]) -> Path:
    workbook = load_workbook(path)
    for cell, value in changes.items():
        workbook[sheet][cell] = value
    workbook.save(path)
    return path


def refused(engine, kind: str, path: Path, **options: Any) -> list[str]:
    """Import a bad file: it must be refused with nothing changed; returns its problems as text."""
    before = files.head(engine)
    outcome = files.load(engine, kind, path, **options)
    assert not outcome.ok
    assert files.head(engine) == before
    return [str(problem) for problem in outcome.problems]


@pytest.fixture
def district(server_engine):
    files.build_district(server_engine)
    return server_engine


@pytest.fixture
def budgeted(district, tmp_path):
    assert files.load(district, "budget", files.budget_file(tmp_path, name="good.xlsx")).ok
    return district


def test_bad_budget(district, tmp_path):
    duplicated = (*BUDGET_LINES, BUDGET_LINES[-1])
    path = edited(files.budget_file(tmp_path, year=2025, lines=duplicated), "凤北街道", {
        "D5": 99999,  # no such function code
        "J6": "12,3a4",  # not a number
        "J7": "85.0000001",  # more decimals than 万元 allow
        "I8": "2,000",  # a 小计 that is not the sum of the three lines above it
    })
    assert refused(district, "budget", path, year=YEAR) == [
        "凤北街道!1: 标题: 标题中的年度与导入的年度 2026 不符 (2025)",
        "凤北街道!5: 功能分类编码: 功能分类编码不存在 (99999)",
        "凤北街道!6: 调整预算数: 不是数字 (12,3a4)",
        "凤北街道!7: 调整预算数: 以万元为单位最多 6 位小数 (85.0000001)",
        "凤北街道!8: 年初预算数: 合计/小计与明细行之和不符: 明细之和为 210.75万元 (2,000.00)",
        "北山镇!4: 功能分类编码: 与 北山镇!3 重复",
    ]


def test_budget_year_column_must_match(district, tmp_path):
    rows = [["单位：元"], ["年度", "部门编码", "功能分类编码", "经济分类编码", "年初预算数"],
            [YEAR, files.TRANSPORT, "21401", "310", "1,000.00"], ["2025年", files.TRANSPORT, "21401", "302", 5]]
    path = files.write_csv(tmp_path / "预算2.csv", rows)
    assert refused(district, "budget", path) == ["预算2!4: 年度: 年度与导入的年度 2026 不符 (2025)"]


def test_bad_execution(budgeted, tmp_path):
    for month in (1, 2):
        assert files.load(budgeted, "execution", files.execution_csv(tmp_path, month), month=month).ok
    rows = files.execution_rows(3)
    rows[1][6] = "1.00"  # a cumulative that does not follow from February plus March
    rows[2][5] = "八百"  # not a number
    rows[3][3] = "30102"  # a code that exists, but no such line
    rows.append(rows[0])  # the same line twice
    rows = [[3, *row] for row in rows]
    rows[4][0] = 4  # another month
    path = files.write_csv(tmp_path / "执行03.csv", [["单位：元"], ["月份", *files.EXECUTION_HEADER], *rows])
    assert refused(budgeted, "execution", path, year=YEAR, month=3) == [
        "执行03!4: 累计支出: 累计支出应为上月累计 17,086.34 加本月支出 -123.45，即 16,962.89元 (1.00)",
        "执行03!5: 本月支出: 不是数字 (八百)",
        "执行03!6: 功能分类编码: 找不到对应的预算行 (请先导入预算) "
        "(511702001 / 51170200101 / 凤北街道社会事务服务中心 / 21205 / 30102 / 城乡社区环境卫生保洁)",
        "执行03!7: 月份: 月份与导入的月份 3 不符 (4)",
        "执行03!9: 功能分类编码: 与 执行03!3 重复",
    ]


def test_execution_needs_the_previous_month(budgeted, tmp_path):
    problems = refused(budgeted, "execution", files.execution_csv(tmp_path, 2), month=2)
    assert problems == ["执行02.csv: 月份: 2026年1月的执行数据尚未导入: 请先导入之前的月份 (2月)"]


def test_execution_title_month_must_match(budgeted, tmp_path):
    problems = refused(budgeted, "execution", files.execution_xlsx(tmp_path, 1), month=2)
    assert "执行!1: 标题: 标题中的月份与导入的月份 2 不符 (1月)" in problems


def test_execution_without_a_unit(budgeted, tmp_path):
    path = files.write_csv(tmp_path / "无单位.csv", [files.EXECUTION_HEADER, *files.execution_rows(1)])
    assert refused(budgeted, "execution", path, year=YEAR, month=1) == [
        "无单位!1: 本月支出: 没有注明金额单位: 请在表头上方加一行「单位：元」或「单位：万元」，"
        "或在列名中注明，如「年初预算数（万元）」"]


def test_bad_final(budgeted, tmp_path):
    path = edited(files.final_file(tmp_path, {0: 119_000_000, 2: 84_500_000}), "决算", {
        "F5": "—1",  # not a number
        "B6": "凤北街道办事处",  # no line of that unit
    })
    assert refused(budgeted, "final", path, year=YEAR) == [
        "决算!5: 决算数: 不是数字 (—1)",
        "决算!6: 功能分类编码: 找不到对应的预算行 (请先导入预算) "
        "(511702001 / 51170200101 / 凤北街道办事处 / 20802 / 303 / 城市社区专职工作者绩效报酬)",
    ]


def test_bad_regions(district, tmp_path):
    path = edited(files.regions_file(tmp_path), "区划", {"D3": 519999, "A6": 511700, "C5": "省"})
    assert refused(district, "regions", path) == [
        "区划!3: 上级区划编码: 上级区划不存在 (519999)",
        "区划!5: 级别: 级别应为 市、区县 或 乡镇街道 (省)",
        "区划!6: 区划编码: 与 区划!5 重复",
    ]


def test_bad_departments(district, tmp_path):
    path = files.write_csv(tmp_path / "部门.csv", [["部门编码", "部门名称", "区划编码"], ["D1", "某局", "519999"],
                                                   ["D1", "某局", files.DISTRICT], ["D2", "—", ""]])
    assert refused(district, "departments", path) == [
        "部门!2: 区划编码: 区划编码不存在 (519999)",
        "部门!3: 部门编码: 与 部门!2 重复",
        "部门!4: 部门名称: 不能为空 (空)",
        "部门!4: 区划编码: 不能为空 (空)",
    ]


def test_bad_policies(district, tmp_path):
    path = edited(files.policies_file(tmp_path, arranged="12a", department="9999"), "重大政策", {"A6": 2025})
    assert refused(district, "policies", path) == [
        "重大政策!5: 安排资金: 不是数字 (12a)",
        "重大政策!5: 牵头部门编码: 部门编码不存在 (9999)",
        "重大政策!6: 年度: 年度与导入的年度 2026 不符 (2025)",
    ]


def test_bad_projects(district, tmp_path):
    assert files.load(district, "policies", files.policies_file(tmp_path)).ok
    path = edited(files.projects_file(tmp_path, actual=120, policy="城市更新"), "项目", {"L5": "2026-13-01"})
    path = edited(path, "里程碑", {"A4": "不存在的项目"})
    assert refused(district, "projects", path) == [
        "项目!4: 所属政策: 重大政策不存在 (请先导入重大政策) (城市更新)",
        "项目!4: 实际进度: 应为 0 到 100 的整数百分比 (120)",
        "项目!5: 完工期限: 不是有效的日期 (2026-13-01)",
        "里程碑!4: 项目名称: 项目不存在 (不存在的项目)",
    ]


def test_unknown_sheet(district, tmp_path):
    assert refused(district, "budget", files.budget_file(tmp_path), sheet="预算表") == [
        "预算.xlsx: 找不到工作表「预算表」: 文件中的工作表有 填表说明、凤北街道、北山镇"]


def test_file_without_the_kinds_table(district, tmp_path):
    assert refused(district, "final", files.regions_file(tmp_path)) == [
        "区划.xlsx: 没有找到「决算」表: 表头应包含 部门编码、功能分类编码、经济分类编码、决算数"]


def test_budget_line_with_payments_cannot_disappear(budgeted, tmp_path):
    assert files.load(budgeted, "execution", files.execution_csv(tmp_path, 1), month=1).ok
    path = files.budget_file(tmp_path, lines=BUDGET_LINES[:-1], name="少一行.xlsx")
    assert refused(budgeted, "budget", path) == [
        "少一行.xlsx: 文件中没有这条已有执行或决算数据的预算行，不能删除 (如需修改请保留该行) "
        "(51170200201 / 北山镇人民政府本级 / 21305 / 310 / 农村人居环境整治)"]
