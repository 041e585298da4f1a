"""Cumulative progress through a fiscal year against time progress (序时进度).

Used for budget execution (paid / budget) and policy disbursement (disbursed / arranged): the question
is the same — is the money moving as fast as the year?
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from desktop.charts import fixed_view
from desktop.charts.chart_export import add_export_menu
from desktop.charts.month_axis import MonthAxis, month_ends
from desktop.style import ACCENT, MUTED, SECONDARY

Percentages = Sequence[Decimal | None]


def _points(year: int, cumulative: Percentages) -> tuple[np.ndarray, np.ndarray]:
    """x: the year's start then each month's end; y: 0 then the cumulative % (missing → 0)."""
    x = np.array(month_ends(year)[: len(cumulative) + 1])
    y = np.array([0.0, *(float(value or 0) for value in cumulative)])
    return x, y


class CumulativeProgressChart(pg.PlotWidget):
    def __init__(self, total_label: str, y_label: str, parent=None) -> None:
        self._axis = MonthAxis(orientation="bottom")
        super().__init__(parent, axisItems={"bottom": self._axis}, enableMenu=False)  # see fixed_view
        self.setMinimumHeight(220)
        plot = self.getPlotItem()
        fixed_view(plot)
        add_export_menu(self, y_label)
        plot.showGrid(x=True, y=True, alpha=0.15)
        plot.setLabel("left", y_label)
        self._legend = plot.addLegend(offset=(12, 8), labelTextSize="10pt")
        self._time_curve = plot.plot(pen=pg.mkPen(MUTED, width=2, style=Qt.PenStyle.DashLine),
                                     name=self.tr("序时进度"))
        self._total_curve = plot.plot(pen=pg.mkPen(ACCENT, width=3), symbol="o", symbolSize=8,
                                      symbolBrush=ACCENT, symbolPen="w", name=total_label)
        self._selected_curve = plot.plot(pen=pg.mkPen(SECONDARY, width=2.5), symbol="s", symbolSize=7,
                                         symbolBrush=SECONDARY, symbolPen="w")
        for curve in (self._time_curve, self._total_curve, self._selected_curve):
            curve.setClipToView(True)
            curve.setDownsampling(auto=True)
        self._as_of_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(MUTED, width=1),
                                           label="", labelOpts={"position": 0.92, "color": "#5A6573"})
        plot.addItem(self._as_of_line)
        self._selected_label: str | None = None

    def set_progress(self, year: int, as_of_month: int, total: Percentages, selected: Percentages | None = None,
                     selected_label: str | None = None) -> None:
        """``total`` and ``selected``: cumulative % at the end of each month up to the as-of month."""
        ends = month_ends(year)
        self._axis.set_year(year)
        self._time_curve.setData(np.array([ends[0], ends[-1]]), np.array([0.0, 100.0]))
        self._total_curve.setData(*_points(year, total))
        self._show_selected(year, selected, selected_label)
        self._as_of_line.setValue(ends[as_of_month])
        self._as_of_line.setVisible(as_of_month > 0)
        self._as_of_line.label.setFormat(self.tr("数据截至{month}月").format(month=as_of_month))
        highest = max([100.0, *(float(v or 0) for v in [*total, *(selected or [])])])
        plot = self.getPlotItem()
        plot.setXRange(ends[0], ends[-1], padding=0.02)
        plot.setYRange(0, highest * 1.08, padding=0)

    def _show_selected(self, year: int, selected: Percentages | None, label: str | None) -> None:
        if label != self._selected_label:
            self._legend.removeItem(self._selected_curve)
            if label:
                self._legend.addItem(self._selected_curve, label)
            self._selected_label = label
        if selected is None:
            self._selected_curve.setData([], [])
        else:
            self._selected_curve.setData(*_points(year, selected))
