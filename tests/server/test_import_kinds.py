"""Every kind imports from files shaped like real exports, and a pull then carries exactly what they say.

Runs on SQLite and PostgreSQL (``server_engine``). What a client would show is checked on the pull a
district staff user gets: the sums of the rows it carries.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from sync.schema import budget_lines, departments, executions, imports, project_milestones, projects, regions
from sync.server import accounts, changelog, db, scope
from sync.server.demo import load_reference
from tests.server import import_files as files
from tests.server.import_files import BUDGET_LINES, WAN, YEAR


def pulled(engine, username: str = "staff01", since: int = 0) -> dict[str, list[dict]]:
    """The rows a pull from ``since`` brings the user, decoded, by table."""
    with engine.connect() as conn:
        viewer = scope.load_viewer(conn, accounts.user_id(conn, username))
        page = changelog.read_page(conn, viewer, since, max_rows=100_000, max_bytes=50_000_000)
    found = {}
    for table_name, changes in page.tables.items():
        columns = [c.name for c in budget_lines.metadata.tables[table_name].columns]
        found[table_name] = [dict(zip(columns, json.loads(payload), strict=True)) for payload in
                             changes.upserts.values()]
        found[f"{table_name}:deleted"] = changes.deletes
    return found


@pytest.fixture
def district(server_engine):
    files.build_district(server_engine)
    return server_engine


def test_regions_and_departments_build_the_tree(server_engine, tmp_path):
    with server_engine.begin() as conn:
        load_reference(conn)
    outcome = files.load(server_engine, "regions", files.regions_file(tmp_path))
    assert outcome.ok, outcome.problems
    assert outcome.changes == {"regions": {"inserted": 4, "updated": 0, "deleted": 0}}
    assert files.load(server_engine, "departments", files.departments_file(tmp_path)).ok
    with server_engine.connect() as conn:
        tree = {r.code: (r.level, r.parent_code) for r in conn.execute(select(regions))}
        owners = dict(conn.execute(select(departments.c.code, departments.c.region_code)).all())
    assert tree == {"511700": ("city", None), "511702": ("district", "511700"),
                    "511702001": ("township", "511702"), "511702002": ("township", "511702")}
    assert owners[files.BEISHAN_OFFICE] == files.BEISHAN


def test_budget_from_a_messy_workbook(district, tmp_path):
    outcome = files.load(district, "budget", files.budget_file(tmp_path))
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert (outcome.rows, outcome.year) == (len(BUDGET_LINES), YEAR)
    lines = pulled(district)["budget_lines"]
    assert sum(line["approved"] for line in lines) == files.budget_total()
    by_name = {(line["unit_name"], line["economic_code"]): line for line in lines}
    special = by_name["凤北街道办事处本级", "303"]
    assert (special["approved"], special["adjusted"], special["is_special"]) == (80 * WAN, 85 * WAN, True)
    assert special["is_livelihood"] is True and special["fund_code"] == "1"
    assert by_name["凤北街道办事处本级", "30101"]["adjusted"] is None  # "—": no adjustment
    assert by_name["北山镇人民政府本级", "30101"]["region_code"] == files.BEISHAN  # the department's region


def test_execution_months_in_three_shapes(district, tmp_path):
    assert files.load(district, "budget", files.budget_file(tmp_path)).ok
    assert files.load(district, "execution", files.execution_csv(tmp_path, 1), month=1).ok
    assert files.load(district, "execution", files.execution_csv(tmp_path, 2, encoding="gb18030")).ok
    outcome = files.load(district, "execution", files.execution_xlsx(tmp_path, 3), month=3)
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.months == [3]
    rows = pulled(district)["executions"]
    assert sum(row["amount"] for row in rows) == files.cumulative_paid(3)
    assert {row["month"] for row in rows} == {1, 2, 3}
    assert min(row["amount"] for row in rows) == -12_345  # a refund


def test_execution_of_several_months_in_one_file(district, tmp_path):
    assert files.load(district, "budget", files.budget_file(tmp_path)).ok
    body = [[month, *row] for month in (1, 2, 3) for row in files.execution_rows(month)]
    path = files.write_csv(tmp_path / "一季度.csv", [["单位：元"], ["月份", *files.EXECUTION_HEADER], *body])
    outcome = files.load(district, "execution", path, year=YEAR)
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.months == [1, 2, 3]
    assert sum(row["amount"] for row in pulled(district)["executions"]) == files.cumulative_paid(3)


def test_final_accounts(district, tmp_path):
    assert files.load(district, "budget", files.budget_file(tmp_path)).ok
    outcome = files.load(district, "final", files.final_file(tmp_path, {0: 119 * WAN, 2: 84_500_000}), year=YEAR)
    assert outcome.ok, [str(p) for p in outcome.problems]
    finals = {(line["region_code"], line["economic_code"]): line["final"] for line in pulled(district)["budget_lines"]}
    assert [finals[files.FENGBEI, code] for code in ("30101", "303", "30201")] == [119 * WAN, 84_500_000, None]


def test_policies_with_monthly_disbursement(district, tmp_path):
    outcome = files.load(district, "policies", files.policies_file(tmp_path))
    assert outcome.ok, [str(p) for p in outcome.problems]
    rows = pulled(district)
    arranged = {p["name"]: p["funds_arranged"] for p in rows["policies"]}
    assert arranged == {"乡村振兴": 1000 * WAN, "交通三年大会战": 2000 * WAN}
    assert sum(d["amount"] for d in rows["policy_disbursements"]) == (100 + 150.5 + 0 + 300 + 400) * WAN
    # March of 乡村振兴 filled in later: one disbursement added, nothing else written.
    seq = changelog_head(district)
    assert files.load(district, "policies", files.policies_file(tmp_path, march=80, name="重大政策-3月.xlsx")).ok
    later = pulled(district, since=seq)
    assert [d["amount"] for d in later["policy_disbursements"]] == [80 * WAN]
    assert "policies" not in later


def changelog_head(engine) -> int:
    with engine.connect() as conn:
        return changelog.head(conn)


def test_projects_and_milestones(district, tmp_path):
    assert files.load(district, "policies", files.policies_file(tmp_path)).ok
    outcome = files.load(district, "projects", files.projects_file(tmp_path))
    assert outcome.ok, [str(p) for p in outcome.problems]
    with district.connect() as conn:
        farm = conn.execute(select(projects).where(projects.c.name == "北山镇高标准农田建设")).mappings().one()
        texts = conn.execute(select(project_milestones.c.date, project_milestones.c.text)
                             .where(project_milestones.c.project_id == farm["id"])
                             .order_by(project_milestones.c.date)).all()
    assert (farm["budget"], farm["paid"], farm["planned_progress"], farm["actual_progress"]) == (
        1200 * WAN, 760 * WAN, 75, 75)
    assert (farm["status"], farm["due_date"], farm["policy_id"] is not None) == ("in_progress", dt.date(2026, 12, 31),
                                                                                 True)
    assert texts == [(dt.date(2026, 3, 1), "开工建设"), (dt.date(2026, 6, 30), "完成土地平整")]


def test_import_record_and_duplicate_file(district, tmp_path):
    path = files.budget_file(tmp_path)
    first = files.load(district, "budget", path)
    assert first.ok and first.record_id is not None
    before = files.head(district)
    again = files.load(district, "budget", path)
    assert not again.ok and "已经导入过" in str(again.problems[0])
    assert files.head(district) == before
    with district.connect() as conn:
        record = conn.execute(select(imports)).mappings().one()
    assert (record["kind"], record["file_name"], record["imported_by"], record["rows"]) == (
        "budget", "预算.xlsx", "tester", len(BUDGET_LINES))
    assert json.loads(record["changes"]) == {"budget_lines": {"inserted": 6, "updated": 0, "deleted": 0}}


def test_dry_run_changes_nothing(district, tmp_path):
    before = files.head(district)
    outcome = files.load(district, "budget", files.budget_file(tmp_path), dry_run=True)
    assert outcome.ok and outcome.changes["budget_lines"]["inserted"] == len(BUDGET_LINES)
    assert files.head(district) == before


def test_corrected_month_reaches_clients_as_the_changed_rows_only(district, tmp_path):
    assert files.load(district, "budget", files.budget_file(tmp_path)).ok
    for month in (1, 2, 3):
        assert files.load(district, "execution", files.execution_csv(tmp_path, month), month=month).ok
    seq = changelog_head(district)

    def corrected(line: int, month: int) -> int:
        return files.paid(line, month) + (50_000 if (line, month) == (2, 3) else 0)

    rows = files.execution_rows(3, lines=range(len(BUDGET_LINES) - 1), amount=corrected)  # the last line dropped
    outcome = files.load(district, "execution", files.execution_csv(tmp_path, 3, rows=rows, name="更正03.csv"),
                         month=3)
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.changes == {"executions": {"inserted": 0, "updated": 1, "deleted": 1}}
    later = pulled(district, since=seq)
    assert [row["amount"] for row in later["executions"]] == [corrected(2, 3)]
    assert len(later["executions:deleted"]) == 1
    assert set(later) == {"executions", "executions:deleted"}


def test_command_line_import(district, tmp_path, capsys):
    from sync.server.cli import main

    url = district.url.render_as_string(hide_password=False)
    report = tmp_path / "report.json"
    assert main(["import", "budget", str(files.budget_file(tmp_path)), "--db", url, "--report", str(report)]) == 0
    assert "预算行: 新增 6 行" in capsys.readouterr().out
    assert json.loads(report.read_text(encoding="utf-8"))["ok"] is True
    with db.make_engine(url).connect() as conn:
        assert conn.execute(select(executions)).first() is None
    bad = files.write_csv(tmp_path / "坏.csv", [["单位：元"], files.EXECUTION_HEADER, ["999", "", "20103", "30101",
                                                                                  "", "1", "1"]])
    assert main(["import", "execution", str(bad), "--db", url, "--year", "2026", "--month", "1",
                 "--report", str(report)]) == 1
    assert "坏!3: 部门编码: 部门编码不存在 (999)" in capsys.readouterr().err
    assert json.loads(report.read_text(encoding="utf-8"))["problems"][0] == {
        "sheet": "坏", "row": 3, "column": "部门编码", "message": "部门编码不存在", "value": "999"}
