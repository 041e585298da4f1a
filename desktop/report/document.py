"""The report's body as rich text (Qt's HTML subset) with its charts, section by section.

Amounts are in 万元 with two decimals, as on screen; warning levels are written out (预警 in bold,
提示 plain) so they survive a black-and-white printer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop.amounts import (
    MISSING,
    format_percent,
    format_points,
    format_signed_percent,
    format_wan_yuan,
    percent,
    time_progress,
    wan_yuan,
)
from desktop.panels.suggestion_states import OPEN_STATES, state_text
from desktop.queries.budget import BudgetBreakdown
from desktop.queries.thresholds import Level
from desktop.report.charts import BarChart, BarSeries, Chart, ProgressChart, ProgressLine
from desktop.report.figures import ReportFigures
from desktop.review import LEVEL_TITLES, RULE_TITLES

CHART_GROUPS = 8
TABLE_GROUPS = 12
WARNINGS_LISTED = 40
PROJECT_STATUS = {"planned": "未开工", "in_progress": "在建", "completed": "已完工", "suspended": "停工"}
SECTION_NUMBERS = "一二三四五六七八九十"


#: Where a chart goes in the rich text; the PDF layout puts the chart object there.
CHART_MARK = "[[chart:{}]]"


@dataclass
class Body:
    """The rich text of the report's body and the charts it places (at :data:`CHART_MARK`)."""

    family: str
    parts: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def section(self, title: str) -> None:
        number = SECTION_NUMBERS[sum(part.startswith("<h2") for part in self.parts)]
        self.parts.append(f"<h2>{number}、{escape(title)}</h2>")

    def paragraph(self, text: str) -> None:
        self.parts.append(f"<p>{escape(text)}</p>")

    def note(self, text: str) -> None:
        self.parts.append(f'<p class="note">{escape(text)}</p>')

    def chart(self, chart: Chart) -> None:
        self.parts.append(f'<p class="chart" align="center">{CHART_MARK.format(len(self.charts))}</p>')
        self.charts.append(chart)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = (),
              total: Sequence[str] | None = None) -> None:
        head = "".join(f'<th align="{"right" if i in numeric else "left"}">{escape(h)}</th>'
                       for i, h in enumerate(headers))
        body = "".join(self._row(row, numeric) for row in rows)
        foot = self._row(total, numeric, css=' class="total"') if total else ""
        # <thead>: the header row repeats on each page a long table runs over.
        self.parts.append(f'<table width="100%" cellspacing="0" cellpadding="4"><thead><tr>{head}</tr></thead>'
                          f"{body}{foot}</table>")

    @staticmethod
    def _row(cells: Sequence[str], numeric: Sequence[int], css: str = "") -> str:
        return "<tr>" + "".join(f'<td{css} align="{"right" if i in numeric else "left"}">{cell}</td>'
                                for i, cell in enumerate(cells)) + "</tr>"

    def html(self) -> str:
        return "".join(self.parts)


def level_html(level: Level | None) -> str:
    if level is None:
        return ""
    return f"<b>{LEVEL_TITLES[level]}</b>" if level is Level.RED else LEVEL_TITLES[level]


def text(value: str | None) -> str:
    return escape(value or MISSING)


def _months_text(month: int) -> str:
    return f"1–{month}月" if month > 1 else "1月"


# ---------------------------------------------------------------- 一、总体情况


def overview(body: Body, f: ReportFigures) -> None:
    body.section("总体情况")
    body.paragraph(_summary(f))
    budget = f.function_groups
    change = percent(budget.total_approved - f.previous_approved, f.previous_approved) if f.previous_approved else None
    red = sum(w.level is Level.RED for w in f.warnings)
    states = f.suggestion_states()
    rows = [
        ["年初预算（万元）", format_wan_yuan(budget.total_approved), "调整后预算（万元）",
         format_wan_yuan(budget.total_adjusted)],
        [f"累计支出（{_months_text(f.as_of_month)}，万元）", format_wan_yuan(f.paid), "执行进度 / 序时进度",
         f"{format_percent(f.execution_percent)} / {format_percent(time_progress(f.as_of_month))}"],
        ["比上年年初预算", format_signed_percent(change), "民生支出执行进度", format_percent(_livelihood_percent(f))],
        ["重大政策", f"{len(f.policies)} 项", "民生实事项目", f"{len(f.projects)} 个"],
        ["自动审查", f"预警 {red} 项，提示 {len(f.warnings) - red} 项", "本年意见建议",
         f"{len(f.suggestions)} 条（已办结 {states['closed']} 条）"],
    ]
    body.table(["指标", "数值", "指标", "数值"], [[escape(cell) for cell in row] for row in rows], numeric=(1, 3))


def _livelihood_percent(f: ReportFigures) -> Decimal | None:
    livelihood = f.livelihood
    if livelihood is None or not f.as_of_month:
        return None
    return percent(livelihood.cumulative[f.as_of_month - 1], livelihood.budget)


def _summary(f: ReportFigures) -> str:
    if not f.as_of_month:
        return f"{f.region_name}{f.year}年尚无预算执行数据。"
    lag = f.lag_points
    pace = ("与序时进度持平" if lag is None or lag == 0 else
            f"落后序时进度 {lag} 个百分点" if lag > 0 else f"快于序时进度 {-lag} 个百分点")
    red = sum(w.level is Level.RED for w in f.warnings)
    adjusted = format_wan_yuan(f.function_groups.total_adjusted)
    return (f"截至{f.year}年{f.as_of_month}月，{f.region_name}调整后预算 {adjusted} 万元，累计支出 "
            f"{format_wan_yuan(f.paid)} 万元，执行进度 {format_percent(f.execution_percent)}，{pace}。"
            f"自动审查发现预警 {red} 项、提示 {len(f.warnings) - red} 项，详见第七部分。")


# ---------------------------------------------------------------- 二、预算构成


def composition(body: Body, f: ReportFigures) -> None:
    groups = f.function_groups
    if not opened(body, "预算构成", groups.groups, f"{f.year}年没有预算数据。"):
        return
    body.paragraph(f"{f.year}年年初预算 {format_wan_yuan(groups.total_approved)} 万元，按支出功能分类（类）如下。")
    shown = groups.groups[:CHART_GROUPS]
    body.chart(BarChart(body.family, [g.name for g in shown], [BarSeries(
        "年初预算", [float(wan_yuan(g.approved)) for g in shown],
        [f"{format_wan_yuan(g.approved)}（{format_percent(groups.share(g))}）" for g in shown])], "万元"))
    _group_table(body, groups, "功能分类")
    if f.economic_groups and f.economic_groups.groups:
        body.paragraph("按支出经济分类（类）：")
        _group_table(body, f.economic_groups, "经济分类")


def _group_table(body: Body, groups: BudgetBreakdown, what: str) -> None:
    rows = [[escape(g.code), escape(g.name), format_wan_yuan(g.approved), format_wan_yuan(g.adjusted),
             format_percent(groups.share(g)), format_signed_percent(g.change_on_last_year)]
            for g in groups.groups[:TABLE_GROUPS]]
    rest = groups.groups[TABLE_GROUPS:]
    if rest:
        approved, adjusted = sum(g.approved for g in rest), sum(g.adjusted for g in rest)
        rows.append(["", f"其他 {len(rest)} 类", format_wan_yuan(approved), format_wan_yuan(adjusted),
                     format_percent(percent(approved, groups.total_approved)), ""])
    body.table(["编码", what, "年初预算", "调整后预算", "占比", "比上年"], rows, numeric=(2, 3, 4, 5),
               total=["", "合计", format_wan_yuan(groups.total_approved), format_wan_yuan(groups.total_adjusted),
                      "100.0%", ""])


# ---------------------------------------------------------------- 三、预算执行


def execution(body: Body, f: ReportFigures) -> None:
    body.section("预算执行与序时进度")
    month = f.as_of_month
    if not month or f.execution is None:
        body.paragraph(f"{f.year}年尚无预算执行数据。")
        return
    lines = [ProgressLine("全部支出", [float(v or 0) for v in f.execution.cumulative_percent(month)],
                          Qt.PenStyle.SolidLine, "circle", QColor("#1F5FA8")),
             ProgressLine("民生支出", [float(v or 0) for v in f.livelihood.cumulative_percent(month)],
                          Qt.PenStyle.DashDotLine, "square", QColor("#E07B00")),
             ProgressLine("序时进度", [100 * m / 12 for m in range(1, 13)], Qt.PenStyle.DashLine, None,
                          QColor("#5A6573"))]
    body.chart(ProgressChart(body.family, lines, month))
    cumulative = f.execution.cumulative
    body.table(["月份", "当月支出", "累计支出", "执行进度", "序时进度"], [
        [f"{m}月", format_wan_yuan(f.execution.paid[m - 1]), format_wan_yuan(cumulative[m - 1]),
         format_percent(percent(cumulative[m - 1], f.execution.budget)), format_percent(time_progress(m))]
        for m in range(1, month + 1)], numeric=(1, 2, 3, 4))
    _lagging(body, f)


def _lagging(body: Body, f: ReportFigures) -> None:
    if not f.lagging:
        body.paragraph(f"{f.line_count} 条预算项目中，没有执行进度明显落后于序时进度的项目。")
        return
    body.paragraph(f"{f.line_count} 条预算项目中，执行进度落后序时进度最多的 {len(f.lagging)} 条"
                   "（落后达到提示或预警阈值）：")
    body.table(["预算单位", "项目 / 科目", "调整后预算", "累计支出", "执行进度", "落后序时", "级别"], [
        [text(item.names.unit), text(item.names.label), format_wan_yuan(item.line.budget),
         format_wan_yuan(item.line.paid), format_percent(item.line.execution_percent), format_points(item.lag),
         level_html(item.level)] for item in f.lagging], numeric=(2, 3, 4, 5))


# ---------------------------------------------------------------- 四、决算


def final_accounts(body: Body, f: ReportFigures) -> None:
    body.section("决算与预算对比")
    if f.final_year is None:
        body.paragraph(f"{f.year}年及以前的决算尚未同步到本机。")
        return
    adjusted, final = sum(c.adjusted for c in f.finals), sum(c.final for c in f.finals)
    body.paragraph(f"{f.final_year}年决算支出 {format_wan_yuan(final)} 万元，调整后预算 {format_wan_yuan(adjusted)}"
                   f" 万元，偏离 {format_signed_percent(percent(final - adjusted, adjusted))}。")
    shown = f.finals[:6]
    body.chart(BarChart(body.family, [c.name for c in shown], [
        BarSeries(name, [float(wan_yuan(getattr(c, key))) for c in shown],
                  [format_wan_yuan(getattr(c, key)) for c in shown])
        for name, key in (("年初预算", "approved"), ("调整后预算", "adjusted"), ("决算", "final"))], "万元"))
    body.table(["编码", "功能分类", "年初预算", "调整后预算", "决算", "差额", "偏离率"], [
        [escape(c.code), escape(c.name), format_wan_yuan(c.approved), format_wan_yuan(c.adjusted),
         format_wan_yuan(c.final), format_wan_yuan(c.difference), format_signed_percent(c.deviation_percent)]
        for c in f.finals], numeric=(2, 3, 4, 5, 6))


# ---------------------------------------------------------------- 五、六: policies and projects


def opened(body: Body, title: str, rows: Sequence[object], when_empty: str) -> bool:
    """Start a section; False (after saying so) when it has nothing to show."""
    body.section(title)
    if not rows:
        body.paragraph(when_empty)
    return bool(rows)


def policies(body: Body, f: ReportFigures) -> None:
    if not opened(body, "重大政策执行", f.policies, f"{f.year}年没有重大政策数据。"):
        return
    body.chart(BarChart(body.family, [p.name for p in f.policies], [BarSeries(
        "拨付进度", [float(p.disbursed_percent or 0) for p in f.policies],
        [format_percent(p.disbursed_percent) for p in f.policies])],
        f"%（序时 {format_percent(time_progress(f.as_of_month))}）"))
    body.table(["政策", "牵头部门", "安排资金", "已拨付", "拨付进度", "落后序时", "项目数"], [
        [text(p.name), text(p.department), format_wan_yuan(p.arranged), format_wan_yuan(p.disbursed),
         format_percent(p.disbursed_percent), format_points(p.lag_points(f.as_of_month)), str(p.project_count)]
        for p in f.policies], numeric=(2, 3, 4, 5, 6))


def projects(body: Body, f: ReportFigures) -> None:
    if not opened(body, "民生实事项目进度", f.projects, f"{f.year}年没有民生实事项目。"):
        return
    budget, paid = sum(p.budget for p in f.projects), sum(p.paid for p in f.projects)
    body.paragraph(f"{len(f.projects)} 个项目，预算 {format_wan_yuan(budget)} 万元，已支付 {format_wan_yuan(paid)}"
                   f" 万元（{format_percent(percent(paid, budget))}）。")
    body.table(["项目", "乡镇/街道", "预算", "支付进度", "计划进度", "实际进度", "状态"], [
        [text(p.name), text(p.region), format_wan_yuan(p.budget), format_percent(p.paid_percent),
         f"{p.planned_progress}%", f"{p.actual_progress}%", PROJECT_STATUS.get(p.status, p.status)]
        for p in f.projects], numeric=(2, 3, 4, 5))


# ---------------------------------------------------------------- 七、预警, 八、建议


def warnings(body: Body, f: ReportFigures) -> None:
    if not opened(body, "当前预警", f.warnings, "自动审查没有发现预警。"):
        return
    counts = {rule: sum(w.rule == rule for w in f.warnings) for rule in dict.fromkeys(w.rule for w in f.warnings)}
    body.paragraph("自动审查按人大常委会设定的阈值审查本机数据，结果如下（"
                   + "，".join(f"{RULE_TITLES[rule]} {count} 项" for rule, count in counts.items()) + "）。")
    listed = sorted(f.warnings, key=lambda w: w.level is not Level.RED)[:WARNINGS_LISTED]  # 预警 first
    body.table(["级别", "规则", "对象", "情况"], [
        [level_html(w.level), escape(RULE_TITLES[w.rule]), text(w.subject.name), text(w.message)] for w in listed])
    if len(f.warnings) > len(listed):
        body.note(f"另有 {len(f.warnings) - len(listed)} 项提示未列出，请在预警面板中查看。")


def suggestions(body: Body, f: ReportFigures) -> None:
    body.section("意见建议办理情况")
    states = f.suggestion_states()
    if not states:
        body.paragraph(f"{f.year}年没有意见建议。")
        return
    ordered = sorted(states.items(), key=lambda item: -item[1])
    body.paragraph(f"{f.year}年共收到意见建议 {len(f.suggestions)} 条，已办结 {states['closed']} 条。")
    body.chart(BarChart(body.family, [state_text(s) for s, _n in ordered],
                        [BarSeries("条数", [float(n) for _s, n in ordered], [f"{n} 条" for _s, n in ordered])], "条"))
    overdue = [s for s in f.suggestions if s.state in OPEN_STATES and s.deadline and f.server_date
               and s.deadline < f.server_date]
    if overdue:
        body.paragraph(f"已超过办理期限的 {len(overdue)} 条：")
        body.table(["编号", "建议", "承办部门", "办理期限", "状态"], [
            [text(s.number), text(s.title), text(s.department), s.deadline.isoformat(), escape(state_text(s.state))]
            for s in overdue])


SECTIONS: tuple[Callable[[Body, ReportFigures], None], ...] = (
    overview, composition, execution, final_accounts, policies, projects, warnings, suggestions)
