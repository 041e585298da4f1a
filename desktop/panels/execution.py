"""预算执行: cumulative execution % month by month against time progress, and every line's lag."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop.amounts import format_percent, format_wan_yuan, percent, points_behind_time
from desktop.charts.progress_chart import CumulativeProgressChart
from desktop.panels.base import ModulePanel, PanelContext, side_by_side
from desktop.panels.figures import FigureStrip
from desktop.panels.table_model import (
    Column,
    RowTableModel,
    level_colour,
    money_column,
    percent_column,
    points_column,
)
from desktop.panels.table_section import TableSection
from desktop.queries.execution import (
    LineExecution,
    MonthlyExecution,
    NamesOnDemand,
    behind_time_tenths,
    line_executions,
    monthly_execution,
)
from desktop.queries.thresholds import Level, Thresholds, thresholds
from desktop.review.model import Link


class ExecutionPanel(ModulePanel):
    name = "execution"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context: PanelContext | None = None
        self._rules: tuple[Thresholds, Thresholds] | None = None
        self._levels: dict[int, Level] = {}  # line id → its warning level (lines without one left out)
        self._names: NamesOnDemand | None = None  # the shown lines' names, read as they are shown
        self.figures = FigureStrip()
        self.figures.add("budget", self.tr("调整后预算"), self.tr("万元"))
        self.figures.add("paid", self.tr("累计支出"), self.tr("万元"))
        self.figures.add("executed", self.tr("执行进度"))
        self.figures.add("time", self.tr("序时进度"))
        self.figures.add("lagging", self.tr("进度滞后的预算项目"))
        self.chart = CumulativeProgressChart(self.tr("全部支出"), self.tr("累计支出进度（%）"))
        self.table = TableSection(RowTableModel(self._columns(), self._level), self.tr("筛选部门、项目或科目…"),
                                  self.tr("只看滞后"))
        self.table.row_selected.connect(self._show_line)
        self.arrange(self.figures, (side_by_side(self.chart, self.table, Qt.Orientation.Vertical, (2, 3)), 1))

    def title(self) -> str:
        return self.tr("预算执行")

    def _columns(self) -> list[Column[LineExecution]]:
        return [
            Column(self.tr("预算单位"), lambda r: self._names[r.line_id].unit,
                   tooltip=lambda r: self._names[r.line_id].department),
            Column(self.tr("项目 / 科目"), lambda r: self._names[r.line_id].label, stretch=True),
            Column(self.tr("功能科目"), lambda r: self._names[r.line_id].function_code,
                   tooltip=lambda r: self._names[r.line_id].function_name),
            money_column(self.tr("调整后预算"), lambda r: r.budget),
            money_column(self.tr("累计支出"), lambda r: r.paid),
            percent_column(self.tr("执行进度"), lambda r: r.execution_percent),
            points_column(self.tr("落后序时（百分点）"), self._lag, foreground=lambda r: level_colour(self._level(r))),
            Column(self.tr("标签"), self._tags),
        ]

    def _tags(self, line: LineExecution) -> str:
        tags = [self.tr("民生")] if line.is_livelihood else []
        if self._names[line.line_id].is_special:
            tags.append(self.tr("专项"))
        return self.tr("、").join(tags)  # the list separator: ", " in English

    def _lag(self, line: LineExecution):
        return line.lag_points(self._context.as_of_month) if self._context else None

    def _level(self, line: LineExecution) -> Level | None:
        return self._levels.get(line.line_id)

    def _judge(self, lines: list[LineExecution], lags: list[int | None]) -> dict[int, Level]:
        """Each line's level by its lag (tenths of a point), as the warnings dock judges it; a city's 17 500
        lines share a few thousand lags, so each lag is judged once."""
        general, livelihood = self._rules
        judged: dict[tuple[bool, int], Level | None] = {}
        levels = {}
        for line, lag in zip(lines, lags, strict=True):
            rule = livelihood if line.is_livelihood else general
            if lag is None or line.budget < rule.min_amount:
                continue  # trivial lines are not judged, as in the warnings dock
            key = (line.is_livelihood, lag)
            if key not in judged:
                judged[key] = rule.level(Decimal(lag).scaleb(-1))
            if judged[key] is not None:
                levels[line.line_id] = judged[key]
        return levels

    def load(self, context: PanelContext) -> None:
        self._context = context
        total = context.replica.read_aside(lambda conn: monthly_execution(conn, context.scope))
        with context.replica.connect() as conn:
            self._rules = (thresholds(conn, "execution_lag"), thresholds(conn, "livelihood_payment_lag"))
            lines = line_executions(conn, context.scope, context.as_of_month)
        self._total = total.result()
        if not lines:
            self.show_empty(self.tr("{region} {year} 年没有预算执行数据。\n请换一个年度或区域，或点击「立即同步」。")
                            .format(region=context.region_name, year=context.scope.year))
            return
        self.show_content()
        lags = [behind_time_tenths(line, context.as_of_month) for line in lines]
        self._levels = self._judge(lines, lags)
        # Furthest behind first: what a deputy should look at (a line without a budget as if on time).
        behind = [-(lag or 0) for lag in lags]
        shown = [lines[i] for i in sorted(range(len(lines)), key=behind.__getitem__)]
        self._names = NamesOnDemand(context.replica, context.scope, [line.line_id for line in shown])
        self.table.set_rows(shown)
        self._show_figures()
        self._show_line(None)

    def _show_figures(self) -> None:
        context = self._context
        paid = self._total.cumulative[context.as_of_month - 1] if context.as_of_month else 0
        executed = percent(paid, self._total.budget)
        self.figures["budget"].set_value(format_wan_yuan(self._total.budget))
        self.figures["paid"].set_value(format_wan_yuan(paid))
        lag = points_behind_time(executed, context.as_of_month)
        self.figures["executed"].set_value(format_percent(executed), self._rules[0].level(lag))
        self.figures["time"].set_value(format_percent(context.time_progress),
                                       unit=self.tr("截至{month}月").format(month=context.as_of_month))
        levels = list(self._levels.values())
        red, yellow = levels.count(Level.RED), levels.count(Level.YELLOW)
        self.figures["lagging"].set_value(str(red + yellow), Level.RED if red else (Level.YELLOW if yellow else None),
                                          unit=self.tr("预警 {red} · 提示 {yellow}").format(red=red, yellow=yellow))

    def show_subject(self, link: Link) -> bool:
        """A line is selected; a department or unit narrows the table to its lines; a region needs nothing."""
        if link.row is not None:
            return self.table.select_where(lambda line: line.line_id == link.row)
        if link.department is not None:
            return self._show_department(link.department, link.unit)
        return link.region is not None

    def _show_department(self, department: str, unit: str | None) -> bool:
        """Narrow the table to a department's lines (or one unit's), all selected; False if it has none."""
        names = self._names
        if names is None:
            return False
        names.read_all()
        ids = {line.line_id for line in self.table.model.rows() if names[line.line_id].department_code == department
               and (unit is None or names[line.line_id].unit_name == unit)}
        if not ids:
            return False
        self.table.select_where(lambda line: line.line_id in ids)
        self.table.show_only(unit or names[next(iter(ids))].department, lambda line: line.line_id in ids)
        return True

    def _show_line(self, line: LineExecution | None) -> None:
        context = self._context
        if context is None or self.is_empty():
            return
        selected: MonthlyExecution | None = None
        if line is not None:
            with context.replica.connect() as conn:
                selected = monthly_execution(conn, context.scope, line_id=line.line_id)
        self.chart.set_progress(
            context.scope.year, context.as_of_month,
            self._total.cumulative_percent(context.as_of_month),
            selected.cumulative_percent(context.as_of_month) if selected else None,
            self._names[line.line_id].label if line else None,
        )
