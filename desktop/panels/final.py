"""决算监督: approved, adjusted and final accounts by function class, and how far final strays."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from desktop.amounts import format_signed_percent, format_wan_yuan, percent, wan_yuan
from desktop.charts.bar_chart import HorizontalBarChart
from desktop.panels.base import ModulePanel, PanelContext, side_by_side
from desktop.panels.drill_bar import DrillBar
from desktop.panels.figures import FigureStrip
from desktop.panels.table_model import (
    Column,
    RowTableModel,
    drill_marker,
    level_colour,
    money_column,
    percent_column,
)
from desktop.panels.table_section import TableSection
from desktop.queries.final import FinalComparison, final_comparison, final_years
from desktop.queries.replica import Scope
from desktop.queries.thresholds import Level, Thresholds, thresholds
from desktop.style import ACCENT, SERIES

CHART_GROUPS = 8


class FinalPanel(ModulePanel):
    name = "final"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context: PanelContext | None = None
        self._scope: Scope | None = None  # the year shown: the selected one, or the latest with final accounts
        self._rule: Thresholds | None = None
        self.notice = QLabel(objectName="notice", wordWrap=True)
        self.figures = FigureStrip()
        self.figures.add("adjusted", self.tr("调整后预算"), self.tr("万元"))
        self.figures.add("final", self.tr("决算支出"), self.tr("万元"))
        self.figures.add("difference", self.tr("决算与预算差额"), self.tr("万元"))
        self.figures.add("deviation", self.tr("偏离率"))
        self.drill = DrillBar(self.tr("全部功能分类"))
        self.drill.moved.connect(self._refresh)
        self.table = TableSection(RowTableModel(self._columns(), self._level), self.tr("筛选科目名称或编码…"),
                                  self.tr("只看偏离大的"))
        self.table.row_activated.connect(self.drill.descend)
        self.chart = HorizontalBarChart(
            [(self.tr("年初预算"), SERIES[1]), (self.tr("调整后预算"), ACCENT), (self.tr("决算"), SERIES[2])],
            self.tr("万元"))
        self.arrange(self.notice, self.figures, self.drill, (side_by_side(self.table, self.chart), 1))

    def title(self) -> str:
        return self.tr("决算监督")

    def _columns(self) -> list[Column[FinalComparison]]:
        return [
            Column(self.tr("编码"), lambda c: c.code),
            Column(self.tr("功能分类"), lambda c: c.name, stretch=True, marker=drill_marker),
            money_column(self.tr("年初预算"), lambda c: c.approved),
            money_column(self.tr("调整后预算"), lambda c: c.adjusted),
            money_column(self.tr("决算"), lambda c: c.final),
            money_column(self.tr("差额"), lambda c: c.difference),
            percent_column(self.tr("偏离率"), lambda c: c.deviation_percent, format_signed_percent,
                           foreground=lambda r: level_colour(self._level(r))),
        ]

    def _level(self, comparison: FinalComparison) -> Level | None:
        deviation = comparison.deviation_percent
        return None if self._rule is None or deviation is None else self._rule.level(abs(deviation))

    def load(self, context: PanelContext) -> None:
        self._context = context
        with context.replica.connect() as conn:
            self._rule = thresholds(conn, "final_deviation")
            years = [year for year in final_years(conn, context.scope.region_codes) if year <= context.scope.year]
        if not years:
            self.show_empty(self.tr("{region} 在 {year} 年及以前还没有决算数据。\n决算一般在次年编制完成后同步到本机。")
                            .format(region=context.region_name, year=context.scope.year))
            return
        self.show_content()
        shown = years[0]
        self._scope = Scope(shown, context.scope.region_code, context.scope.region_codes)
        self.notice.setText(
            self.tr("{region} {year} 年决算与预算对比。").format(region=context.region_name, year=shown)
            if shown == context.scope.year else
            self.tr("{selected} 年决算尚未编制，下面是最近一个有决算的年度：{year} 年。")
            .format(selected=context.scope.year, year=shown))
        self._refresh()

    def _refresh(self) -> None:
        parent = self.drill.parent_code()
        with self._context.replica.connect() as conn:
            rows = final_comparison(conn, self._scope, parent)
            if not rows and parent:
                self.drill.reset()
                rows = final_comparison(conn, self._scope)
        self.table.set_rows(rows)
        adjusted, final = sum(c.adjusted for c in rows), sum(c.final for c in rows)
        deviation = percent(final - adjusted, adjusted)
        self.figures["adjusted"].set_value(format_wan_yuan(adjusted))
        self.figures["final"].set_value(format_wan_yuan(final))
        self.figures["difference"].set_value(format_wan_yuan(final - adjusted))
        self.figures["deviation"].set_value(format_signed_percent(deviation),
                                            self._rule.level(abs(deviation)) if deviation is not None else None)
        shown = rows[:CHART_GROUPS]
        self.chart.set_bars([c.name for c in shown],
                            [[float(wan_yuan(getattr(c, field))) for c in shown] for field in
                             ("approved", "adjusted", "final")])
