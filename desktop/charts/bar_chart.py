"""Horizontal bars by category (long Chinese names read best down the left), one or more series."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter

from desktop.charts import fixed_view
from desktop.charts.chart_export import add_export_menu

LABEL_CHARS = 12
BAR_SPAN = 0.76  # of the space between two categories
LABEL_COLOUR = "#3A4350"
LABEL_GAP = 4  # pixels between a bar's end and its label (a text item's margin)


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


class BarLabels(pg.GraphicsObject):
    """Every bar's value label in one item: text at the scene's size (unscaled by the plot's ranges, scaled
    with the whole chart when exported), left-aligned after a data point and centred on it.

    One item instead of a text item per bar: a first fill makes no new graphics items.
    """

    def __init__(self) -> None:
        super().__init__()
        self._labels: list[tuple[QPointF, str]] = []

    def set_labels(self, texts: Sequence[str], xs: Sequence[float], ys: Sequence[float]) -> None:
        """``texts[i]`` after the point (``xs[i]``, ``ys[i]``); no texts, no labels."""
        self.prepareGeometryChange()
        self._labels = [(QPointF(float(x), float(y)), text) for text, x, y in zip(texts, xs, ys, strict=False)]
        self.update()

    def texts(self) -> list[str]:
        return [text for _point, text in self._labels]

    def boundingRect(self) -> QRectF:
        # The labels reach past their points by a text's width in pixels: the view is the bound.
        view = self.getViewBox()
        return view.viewRect() if view is not None and self._labels else QRectF()

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()

    def paint(self, painter: QPainter, *_args) -> None:
        to_scene = self.sceneTransform()
        painter.setTransform(to_scene.inverted()[0] * painter.transform())  # draw in scene pixels
        painter.setFont(QFont())
        painter.setPen(QColor(LABEL_COLOUR))
        metrics = painter.fontMetrics()
        centre = (metrics.ascent() - metrics.descent()) / 2
        for point, text in self._labels:
            at = to_scene.map(point)
            painter.drawText(QPointF(at.x() + LABEL_GAP, at.y() + centre), text)


class HorizontalBarChart(pg.PlotWidget):
    """``series`` are (name, colour) pairs; with more than one, a legend names them."""

    def __init__(self, series: Sequence[tuple[str, str]], value_label: str, parent=None) -> None:
        super().__init__(parent, enableMenu=False)  # see fixed_view
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
        self.labels = BarLabels()
        plot.addItem(self.labels, ignoreBounds=True)

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
        self.labels.set_labels(labels or [], values[0] if values else [], positions + self._bars[0].offset)
        widest = max((max(series, default=0.0) for series in values), default=0.0)
        plot = self.getPlotItem()
        plot.setYRange(-0.6, max(len(categories), 1) - 0.4, padding=0)
        plot.setXRange(0, (widest or 1.0) * 1.18, padding=0)
