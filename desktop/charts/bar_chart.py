"""Horizontal bars by category (long Chinese names read best down the left), one or more series."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

from desktop.charts import fixed_view
from desktop.charts.chart_export import add_export_menu

LABEL_CHARS = 12
BAR_SPAN = 0.76  # of the space between two categories


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


class HorizontalBarChart(pg.PlotWidget):
    """``series`` are (name, colour) pairs; with more than one, a legend names them."""

    def __init__(self, series: Sequence[tuple[str, str]], value_label: str, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(220)
        plot = self.getPlotItem()
        fixed_view(plot)
        add_export_menu(self, value_label)
        plot.showGrid(x=True, y=False, alpha=0.15)
        plot.invertY(True)  # first category on top
        plot.setLabel("bottom", value_label)
        if len(series) > 1:
            # The legend goes in the title line above the plot, where it can never cover a bar.
            plot.setTitle("　".join(f"<span style='color:{colour}'>■</span> {name}" for name, colour in series),
                          size="10pt")
        height = BAR_SPAN / len(series)
        self._bars = []
        for index, (name, colour) in enumerate(series):
            bar = pg.BarGraphItem(x0=[], y=[], width=[], height=height, brush=colour, pen=pg.mkPen(None), name=name)
            bar.offset = (index - (len(series) - 1) / 2) * height
            plot.addItem(bar)
            self._bars.append(bar)
        self._labels: list[pg.TextItem] = []

    def set_bars(self, categories: Sequence[str], values: Sequence[Sequence[float]],
                 labels: Sequence[str] | None = None) -> None:
        """``values[s][c]``: series ``s`` for category ``c``; ``labels`` (optional) are written after the
        first series' bars."""
        positions = np.arange(len(categories), dtype=float)
        for bar, series_values in zip(self._bars, values, strict=True):
            bar.setOpts(x0=np.zeros(len(categories)), y=positions + bar.offset, width=np.array(series_values, float))
        axis = self.getPlotItem().getAxis("left")
        names = [_short(name) for name in categories]
        axis.setTicks([[(float(i), name) for i, name in enumerate(names)]])
        metrics = QFontMetrics(axis.style.get("tickFont") or self.font())
        axis.setWidth(max([metrics.horizontalAdvance(name) for name in names], default=40) + 16)
        self._set_labels(positions + self._bars[0].offset, values[0] if values else [], labels or [])
        widest = max((max(series, default=0.0) for series in values), default=0.0)
        plot = self.getPlotItem()
        plot.setYRange(-0.6, max(len(categories), 1) - 0.4, padding=0)
        plot.setXRange(0, (widest or 1.0) * 1.18, padding=0)

    def _set_labels(self, positions: np.ndarray, values: Sequence[float], texts: Sequence[str]) -> None:
        while len(self._labels) < len(texts):
            label = pg.TextItem(color="#3A4350", anchor=(0, 0.5))
            self.getPlotItem().addItem(label)
            self._labels.append(label)
        for index, label in enumerate(self._labels):
            visible = index < len(texts)
            label.setVisible(visible)
            if visible:
                label.setText(texts[index])
                label.setPos(float(values[index]), float(positions[index]))
