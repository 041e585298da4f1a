"""乡镇预算: the year's budget by function class 类→款→项, economic class, department or fund."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from desktop.amounts import format_percent, format_signed_percent, format_wan_yuan, percent, wan_yuan
from desktop.charts.bar_chart import HorizontalBarChart
from desktop.panels.base import ModulePanel, PanelContext, side_by_side
from desktop.panels.drill_bar import DrillBar
from desktop.panels.figures import FigureStrip
from desktop.panels.table_model import Column, RowTableModel, drill_marker, money_column, percent_column
from desktop.panels.table_section import TableSection
from desktop.queries.budget import BudgetBreakdown, BudgetDimension, BudgetGroup, budget_breakdown
from desktop.style import ACCENT

CHART_GROUPS = 10


class BudgetPanel(ModulePanel):
    name = "budget"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context: PanelContext | None = None
        self._dimension = BudgetDimension.FUNCTION
        self.figures = FigureStrip()
        self.figures.add("approved", self.tr("年初预算"), self.tr("万元"))
        self.figures.add("adjusted", self.tr("调整后预算"), self.tr("万元"))
        self.figures.add("change", self.tr("比上年增减"))
        self.figures.add("groups", self.tr("科目数"))
        self.drill = DrillBar(self.tr("全部"))
        self.drill.moved.connect(self._refresh)
        self.table = TableSection(RowTableModel(self._columns()), self.tr("筛选科目名称或编码…"))
        self.table.row_activated.connect(self.drill.descend)
        self.chart = HorizontalBarChart([(self.tr("年初预算"), ACCENT)], self.tr("年初预算（万元）"))
        self._build()

    def title(self) -> str:
        return self.tr("乡镇预算")

    def _columns(self) -> list[Column[BudgetGroup]]:
        return [
            Column(self.tr("编码"), lambda g: g.code),
            Column(self.tr("名称"), lambda g: g.name, stretch=True, marker=drill_marker),
            money_column(self.tr("年初预算"), lambda g: g.approved),
            money_column(self.tr("调整后预算"), lambda g: g.adjusted),
            percent_column(self.tr("占比"), self._share),
            money_column(self.tr("上年预算"), lambda g: g.previous_approved),
            percent_column(self.tr("比上年"), lambda g: g.change_on_last_year, format_signed_percent),
        ]

    def _build(self) -> None:
        switcher = QHBoxLayout()
        self._dimension_buttons = QButtonGroup(self)
        for dimension, text in [(BudgetDimension.FUNCTION, self.tr("按功能分类")),
                                (BudgetDimension.ECONOMIC, self.tr("按经济分类")),
                                (BudgetDimension.DEPARTMENT, self.tr("按部门")),
                                (BudgetDimension.FUND, self.tr("按资金性质"))]:
            button = QPushButton(text, checkable=True, checked=dimension is self._dimension)
            button.clicked.connect(lambda _checked, d=dimension: self._set_dimension(d))
            self._dimension_buttons.addButton(button)
            switcher.addWidget(button)
        switcher.addSpacing(16)
        switcher.addWidget(self.drill, 1)
        self.arrange(self.figures, switcher, (side_by_side(self.table, self.chart), 1))

    def load(self, context: PanelContext) -> None:
        self._context = context
        self._refresh()

    def _set_dimension(self, dimension: BudgetDimension) -> None:
        self._dimension = dimension
        self.drill.reset()
        self._refresh()

    def _refresh(self) -> None:
        if self._context is None:
            return
        context = self._context
        parent = self.drill.parent_code()
        with context.replica.connect() as conn:
            self._breakdown = budget_breakdown(conn, context.scope, self._dimension, parent)
            if not self._breakdown.groups and parent:
                self.drill.reset()
                self._breakdown = budget_breakdown(conn, context.scope, self._dimension)
        if not self._breakdown.groups:
            self.show_empty(self.tr("{region} {year} 年没有预算数据。\n请换一个年度或区域，或点击「立即同步」。")
                            .format(region=context.region_name, year=context.scope.year))
            return
        self.show_content()
        self.table.set_rows(self._breakdown.groups)
        self._show_figures(self._breakdown)
        self._show_chart(self._breakdown)

    def _share(self, group: BudgetGroup):
        return self._breakdown.share(group)

    def _show_figures(self, breakdown: BudgetBreakdown) -> None:
        self.figures["approved"].set_value(format_wan_yuan(breakdown.total_approved))
        self.figures["adjusted"].set_value(format_wan_yuan(breakdown.total_adjusted))
        with_previous = [g for g in breakdown.groups if g.previous_approved is not None]
        previous = sum(g.previous_approved for g in with_previous)
        change = percent(sum(g.approved for g in with_previous) - previous, previous) if with_previous else None
        self.figures["change"].set_value(format_signed_percent(change))
        self.figures["groups"].set_value(str(len(breakdown.groups)))

    def _show_chart(self, breakdown: BudgetBreakdown) -> None:
        shown = breakdown.groups[:CHART_GROUPS]
        self.chart.set_bars([g.name for g in shown], [[float(wan_yuan(g.approved)) for g in shown]],
                            [format_percent(breakdown.share(g)) for g in shown])
