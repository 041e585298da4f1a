"""The report's charts, painted with QPainter straight into the PDF (vector: sharp on any printer).

They lay themselves out in the device's own units (the PDF writer at :data:`DPI`), so they work off
the UI thread, unlike widgets. Made to survive a black-and-white printer: bar series differ by fill
pattern (solid, hatched, cross-hatched) and lines by dash and marker, never by colour alone, and
every bar carries its figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

DPI = 300
INK = QColor("#1B2733")
GRID = QColor("#D5DBE2")
MUTED = QColor("#5A6573")
#: Bar series: colour and pattern. Dark solid, hatched, cross-hatched read apart in grey.
BAR_STYLES = (
    (QColor("#1F5FA8"), Qt.BrushStyle.SolidPattern),
    (QColor("#1F5FA8"), Qt.BrushStyle.BDiagPattern),
    (QColor("#5A6573"), Qt.BrushStyle.DiagCrossPattern),
)
#: Patterns are drawn in device pixels: at 300 dpi they are scaled up to stay visible.
PATTERN_SCALE = 4
LABEL_CHARS = 14


def mm(value: float) -> float:
    """Millimetres in device pixels at :data:`DPI`."""
    return value / 25.4 * DPI


def _font(family: str, points: float, bold: bool = False) -> QFont:
    font = QFont(family)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def _text_width(painter: QPainter, text: str) -> float:
    return QFontMetricsF(painter.font(), painter.device()).horizontalAdvance(text)


@dataclass(frozen=True)
class BarSeries:
    name: str
    values: Sequence[float]
    labels: Sequence[str]  # written after each bar


@dataclass(frozen=True)
class ProgressLine:
    """A cumulative % through the year: ``values[m]`` at the end of month m + 1."""

    name: str
    values: Sequence[float]
    pen_style: Qt.PenStyle
    marker: str | None  # "circle" (filled) | "square" (open) | None
    colour: QColor


# ---------------------------------------------------------------- horizontal bars


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, a group per category (long Chinese names read best down the left)."""

    family: str
    categories: Sequence[str]
    series: Sequence[BarSeries]
    unit: str

    @property
    def _row(self) -> float:
        return mm(4.4 + 2.8 * (len(self.series) - 1))

    @property
    def _legend_height(self) -> float:
        return mm(7) if len(self.series) > 1 else mm(1)

    def height(self, width: float) -> float:
        return self._legend_height + self._row * max(len(self.categories), 1) + mm(7)

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        painter.save()
        painter.translate(rect.topLeft())
        painter.setFont(_font(self.family, 8))
        names = [_short(name) for name in self.categories]
        left = max((_text_width(painter, name) for name in names), default=0) + mm(3)
        right, top = rect.width() - mm(26), self._legend_height
        bottom = top + self._row * max(len(names), 1)
        widest = max((max(s.values, default=0.0) for s in self.series), default=0.0) or 1.0
        if len(self.series) > 1:
            _legend(painter, self.family, [(s.name, i) for i, s in enumerate(self.series)], mm(1), left)
        _value_axis(painter, self.family, (left, right, top, bottom), widest, self.unit)
        for index, name in enumerate(names):
            self._group(painter, index, name, (left, right, top), widest)
        painter.restore()

    def _group(self, painter: QPainter, index: int, name: str, box: tuple[float, float, float],
               widest: float) -> None:
        left, right, top = box
        y = top + index * self._row + mm(0.8)
        painter.setFont(_font(self.family, 8))
        painter.setPen(INK)
        painter.drawText(QRectF(0, y, left - mm(2), self._row - mm(1.6)),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
        bar = (self._row - mm(1.6)) / len(self.series)
        painter.setFont(_font(self.family, 7))
        for s_index, series in enumerate(self.series):
            length = (right - left) * max(series.values[index], 0.0) / widest
            bar_rect = QRectF(left, y + s_index * bar, max(length, mm(0.3)), bar * 0.84)
            _swatch(painter, bar_rect, s_index)
            painter.setPen(INK)
            painter.drawText(QRectF(bar_rect.right() + mm(1), bar_rect.top(), mm(25), bar_rect.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, series.labels[index])


def _swatch(painter: QPainter, rect: QRectF, style_index: int) -> None:
    colour, pattern = BAR_STYLES[style_index % len(BAR_STYLES)]
    painter.setPen(QPen(INK, mm(0.15)))
    painter.setBrush(QBrush(QColor("white")))
    painter.drawRect(rect)
    brush = QBrush(colour, pattern)
    if pattern is not Qt.BrushStyle.SolidPattern:
        brush.setTransform(brush.transform().scale(PATTERN_SCALE, PATTERN_SCALE))
    painter.setBrush(brush)
    painter.drawRect(rect)


def _legend(painter: QPainter, family: str, items: Sequence[tuple[str, int]], top: float, left: float) -> None:
    painter.setFont(_font(family, 8))
    x = left
    for name, style_index in items:
        _swatch(painter, QRectF(x, top, mm(5), mm(3)), style_index)
        painter.setPen(INK)
        painter.drawText(QPointF(x + mm(6.5), top + mm(2.7)), name)
        x += mm(12) + _text_width(painter, name)


def _nice_step(widest: float) -> float:
    """A round grid step giving about five lines: 1, 2, 2.5 or 5 times a power of ten, never below 1."""
    raw = widest / 5
    if raw <= 1:
        return 1.0
    magnitude = 10.0 ** (len(str(int(raw))) - 1)
    return next(step * magnitude for step in (1, 2, 2.5, 5, 10) if step * magnitude >= raw)


def _value_axis(painter: QPainter, family: str, box: tuple[float, float, float, float], widest: float,
                unit: str) -> None:
    """Vertical grid lines with their values along the bottom, the unit after them."""
    left, right, top, bottom = box
    painter.setFont(_font(family, 7))
    step = _nice_step(widest)
    value = 0.0
    while value <= widest * 1.0001:
        x = left + (right - left) * value / widest
        painter.setPen(QPen(GRID, mm(0.15)))
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        painter.setPen(MUTED)
        painter.drawText(QRectF(x - mm(10), bottom + mm(0.8), mm(20), mm(4)), Qt.AlignmentFlag.AlignHCenter,
                         f"{value:,.0f}")
        value += step
    painter.drawText(QRectF(right + mm(2), bottom + mm(0.8), mm(24), mm(4)), Qt.AlignmentFlag.AlignLeft, unit)
    painter.setPen(QPen(INK, mm(0.25)))
    painter.drawLine(QPointF(left, top), QPointF(left, bottom))


# ---------------------------------------------------------------- cumulative progress through the year


@dataclass(frozen=True)
class ProgressChart:
    """Cumulative % at each month's end (x: 年初, 1月 … 12月); the time progress is one of the lines."""

    family: str
    lines: Sequence[ProgressLine]
    as_of_month: int

    def height(self, width: float) -> float:
        return width * 0.42

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        painter.save()
        painter.translate(rect.topLeft())
        left, right, top, bottom = mm(14), rect.width() - mm(4), mm(10), rect.height() - mm(7)
        highest = max([100.0, *(v for line in self.lines for v in line.values)]) * 1.05

        def at(month: float, value: float) -> QPointF:
            return QPointF(left + (right - left) * month / 12, bottom - (bottom - top) * value / highest)

        self._grid(painter, at, (left, right, bottom), highest)
        if self.as_of_month:
            painter.setPen(QPen(MUTED, mm(0.2), Qt.PenStyle.DotLine))
            painter.drawLine(at(self.as_of_month, 0), at(self.as_of_month, highest))
            painter.setFont(_font(self.family, 7))
            painter.drawText(at(self.as_of_month, highest) + QPointF(mm(1), mm(3)), f"数据截至{self.as_of_month}月")
        for line in self.lines:
            _progress_line(painter, line, at)
        self._legend(painter, left)
        painter.restore()

    def _grid(self, painter: QPainter, at: Callable[[float, float], QPointF], box: tuple[float, float, float],
              highest: float) -> None:
        left, right, bottom = box
        painter.setFont(_font(self.family, 7))
        for value in range(0, int(highest) + 1, 20):
            painter.setPen(QPen(GRID, mm(0.15)))
            painter.drawLine(QPointF(left, at(0, value).y()), QPointF(right, at(0, value).y()))
            painter.setPen(MUTED)
            painter.drawText(QRectF(0, at(0, value).y() - mm(2), left - mm(1.5), mm(4)),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{value}%")
        for month in range(13):
            painter.drawText(QRectF(at(month, 0).x() - mm(6), bottom + mm(1), mm(12), mm(4)),
                             Qt.AlignmentFlag.AlignHCenter, "年初" if month == 0 else f"{month}月")
        painter.setPen(QPen(INK, mm(0.25)))
        painter.drawLine(QPointF(left, bottom), QPointF(right, bottom))

    def _legend(self, painter: QPainter, left: float) -> None:
        painter.setFont(_font(self.family, 8))
        x, y = left, mm(3.5)
        for line in self.lines:
            painter.setPen(QPen(line.colour, mm(0.6), line.pen_style))
            painter.drawLine(QPointF(x, y), QPointF(x + mm(7), y))
            _marker(painter, line, QPointF(x + mm(3.5), y))
            painter.setPen(INK)
            painter.drawText(QPointF(x + mm(9), y + mm(1)), line.name)
            x += mm(14) + _text_width(painter, line.name)


def _progress_line(painter: QPainter, line: ProgressLine, at: Callable[[float, float], QPointF]) -> None:
    points = [at(0, 0)] + [at(month + 1, value) for month, value in enumerate(line.values)]
    path = QPainterPath(points[0])
    for point in points[1:]:
        path.lineTo(point)
    painter.setPen(QPen(line.colour, mm(0.6), line.pen_style))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    for point in points[1:]:
        _marker(painter, line, point)


def _marker(painter: QPainter, line: ProgressLine, centre: QPointF) -> None:
    """A filled circle or an open square: the two series read apart in grey too."""
    if line.marker is None:
        return
    painter.setPen(QPen(line.colour, mm(0.3)))
    painter.setBrush(QBrush(QColor("white") if line.marker == "square" else line.colour))
    size = mm(1.6)
    rect = QRectF(centre.x() - size / 2, centre.y() - size / 2, size, size)
    if line.marker == "square":
        painter.drawRect(rect)
    else:
        painter.drawEllipse(rect)


Chart = BarChart | ProgressChart
