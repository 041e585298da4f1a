"""How an import's outcome reads on the command line (the JSON form is :meth:`ImportOutcome.as_json`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sync.server.importers.run import ImportOutcome

TABLE_NAMES = {"regions": "区划", "departments": "部门", "budget_lines": "预算行", "executions": "月度执行",
               "policies": "重大政策", "policy_disbursements": "政策资金拨付", "projects": "民生实事项目",
               "project_milestones": "项目里程碑"}
KIND_NAMES = {"regions": "区划", "departments": "部门", "policies": "重大政策", "projects": "民生实事",
              "budget": "预算", "execution": "预算执行", "final": "决算"}


def _period(outcome: ImportOutcome) -> str:
    if outcome.year is None:
        return ""
    months = outcome.months
    if not months:
        return f" {outcome.year}年"
    return f" {outcome.year}年{months[0]}月" if len(months) == 1 else f" {outcome.year}年{months[0]}–{months[-1]}月"


def change_lines(outcome: ImportOutcome) -> list[str]:
    if not outcome.changes:
        return ["  没有需要修改的数据 (与已有数据相同)"]
    return [f"  {TABLE_NAMES.get(table, table)}: 新增 {c['inserted']} 行, 修改 {c['updated']} 行, "
            f"删除 {c['deleted']} 行" for table, c in outcome.changes.items()]


def summary_lines(outcome: ImportOutcome) -> list[str]:
    """What was read and what changed (or would change, for a dry run)."""
    request = outcome.request
    lines = [f"导入{KIND_NAMES[request.kind]}{_period(outcome)}: {request.path.name} (sha256 {outcome.sha256[:12]}…), "
             f"读取 {outcome.rows} 行数据"]
    if not outcome.ok:
        return lines
    lines.append("试运行, 将会:" if request.dry_run else "已写入:")
    lines += change_lines(outcome)
    if outcome.record_id is not None:
        lines.append(f"导入记录 #{outcome.record_id}; 客户端下次同步时收到这些修改")
    return lines


def show_outcome(outcome: ImportOutcome, report: Path | None) -> None:
    """The summary on stdout, every problem on stderr, and the JSON report when asked for."""
    if report is not None:
        report.write_text(json.dumps(outcome.as_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    print("\n".join(summary_lines(outcome)))
    if outcome.problems:
        print("\n".join(str(problem) for problem in outcome.problems), file=sys.stderr)
