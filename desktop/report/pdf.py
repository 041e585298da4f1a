"""Laying the report out on A4 pages: a cover painted directly, then the body (a QTextDocument) page by
page under a running header and above a page-numbered footer.

QPdfWriter embeds the subset of the CJK font the text uses, so the PDF reads the same on a PC without
Chinese fonts. Everything here paints onto the PDF writer and 300 dpi images, never onto a widget, so
it runs in a worker thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QPyTextObject,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from desktop.amounts import format_percent, format_wan_yuan, time_progress
from desktop.queries.thresholds import Level
from desktop.report.charts import DPI, Chart, mm
from desktop.report.document import CHART_MARK, SECTIONS, Body
from desktop.report.figures import ReportFigures
from desktop.style import PREFERRED_FAMILIES

MARGIN_MM = 18
HEADER_MM, FOOTER_MM = 10, 10
ACCENT = QColor("#1F5FA8")
INK = QColor("#1B2733")
RULE = QColor("#8C96A3")
TITLE = "预算执行监督分析报告"

STYLE = """
body { font-size: 10.5pt; color: #1B2733; }
h2 { font-size: 14pt; font-weight: bold; color: #1B2733; margin-top: 18px; margin-bottom: 8px; }
p { margin-top: 4px; margin-bottom: 8px; line-height: 140%; }
p.note { font-size: 9pt; color: #5A6573; }
p.chart { line-height: 100%; margin-top: 6px; margin-bottom: 6px; }
table { border-collapse: collapse; margin-bottom: 10px; }
th { font-size: 9pt; font-weight: bold; background-color: #E6EBF1; border: 1px solid #8C96A3; }
td { font-size: 9pt; border: 1px solid #B5BDC7; }
td.total { font-weight: bold; background-color: #F2F4F7; }
"""


@dataclass(frozen=True)
class ReportMeta:
    prepared_by: str | None
    made_on: dt.date


def report_family() -> str:
    """The first installed CJK family the desktop prefers (its glyphs get embedded in the PDF)."""
    installed = set(QFontDatabase.families())
    return next((family for family in PREFERRED_FAMILIES if family in installed), QFont().defaultFamily())


def _font(family: str, points: float, bold: bool = False) -> QFont:
    font = QFont(family)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def _writer(path: Path, figures: ReportFigures) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    writer.setTitle(f"{figures.region_name}{figures.year}年{TITLE}")
    writer.setCreator("预算联网监督")
    return writer


CHART_OBJECT = QTextFormat.ObjectTypes.UserObject + 1
CHART_INDEX = QTextFormat.Property.UserProperty + 1


class ChartObjects(QPyTextObject):
    """Charts as objects in the text: as wide as the text, as tall as they need, painted in vector."""

    def __init__(self, charts: list[Chart], width: float) -> None:
        super().__init__()
        self._charts = charts
        self._width = width

    def _chart(self, char_format: QTextFormat) -> Chart:
        return self._charts[char_format.property(CHART_INDEX)]

    def intrinsicSize(self, doc: QTextDocument, position: int, char_format: QTextFormat) -> QSizeF:
        return QSizeF(self._width, self._chart(char_format).height(self._width))

    def drawObject(self, painter: QPainter, rect: QRectF, doc: QTextDocument, position: int,
                   char_format: QTextFormat) -> None:
        self._chart(char_format).paint(painter, rect)


def body_document(figures: ReportFigures, family: str, writer: QPdfWriter, width: float) -> QTextDocument:
    """The report's body laid out for ``writer`` (its units: pixels at :data:`DPI`) at ``width``."""
    body = Body(family)
    for section in SECTIONS:
        section(body, figures)
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    document.setDefaultFont(_font(family, 10.5))
    document.setDefaultStyleSheet(STYLE)
    document.setTextWidth(width)
    document.setHtml(f"<body>{body.html()}</body>")
    handler = ChartObjects(body.charts, width)
    handler.setParent(document)
    document.documentLayout().registerHandler(CHART_OBJECT, handler)
    for index in range(len(body.charts)):
        _place_chart(document, index)
    return document


def _place_chart(document: QTextDocument, index: int) -> None:
    """Replace the chart's mark in the text with the chart object."""
    cursor = document.find(CHART_MARK.format(index))
    char_format = QTextCharFormat()
    char_format.setObjectType(CHART_OBJECT)
    char_format.setProperty(CHART_INDEX, index)
    cursor.insertText("\ufffc", char_format)


#: A section heading stays on the page of this many blocks after it (its first sentence and chart).
HEADING_KEEPS = 2


def _keep_headings_with_text(document: QTextDocument, page_height: float) -> None:
    """Start a section on a new page rather than leave its heading alone at the foot of one."""
    layout = document.documentLayout()

    def page_of(block) -> int:
        return int(layout.blockBoundingRect(block).bottom() // page_height)

    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() == 2:
            following = block
            for _ in range(HEADING_KEEPS):
                following = following.next() if following.next().isValid() else following
            if page_of(following) != page_of(block):
                block_format = block.blockFormat()
                block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                QTextCursor(block).setBlockFormat(block_format)
                # Lay out afresh: an incremental relayout leaves the blocks between tables where they were.
                document.markContentsDirty(0, document.characterCount())
        block = block.next()


def write_pdf(figures: ReportFigures, meta: ReportMeta, path: Path) -> int:
    """Write the report to ``path``; returns its number of pages."""
    family = report_family()
    writer = _writer(path, figures)
    page = writer.pageLayout().paintRectPixels(DPI)
    document = body_document(figures, family, writer, page.width())
    band = QRectF(0, mm(HEADER_MM), page.width(), page.height() - mm(HEADER_MM + FOOTER_MM))
    document.setPageSize(QSizeF(band.width(), band.height()))
    _keep_headings_with_text(document, band.height())
    pages = document.pageCount() + 1
    painter = QPainter(writer)
    try:
        _cover(painter, figures, meta, family, page.width(), page.height())
        for index in range(document.pageCount()):
            writer.newPage()
            _running_header(painter, figures, family, page.width())
            _footer(painter, family, page.width(), page.height(), index + 2, pages)
            painter.save()
            painter.translate(band.topLeft() - QPointF(0, index * band.height()))
            document.drawContents(painter, QRectF(0, index * band.height(), band.width(), band.height()))
            painter.restore()
    finally:
        painter.end()
    return pages


def _text(painter: QPainter, rect: QRectF, text: str, font: QFont, colour: QColor = INK,
          flags: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter) -> None:
    painter.setFont(font)
    painter.setPen(colour)
    painter.drawText(rect, flags | Qt.TextFlag.TextWordWrap, text)


def _cover(painter: QPainter, f: ReportFigures, meta: ReportMeta, family: str, width: float, height: float) -> None:
    painter.fillRect(QRectF(0, 0, width, mm(2.5)), ACCENT)
    _text(painter, QRectF(0, mm(12), width, mm(8)), "预算联网监督 · 人大代表监督参考", _font(family, 11), RULE)
    _text(painter, QRectF(0, mm(60), width, mm(18)), f"{f.region_name}{f.year}年", _font(family, 26, bold=True))
    _text(painter, QRectF(0, mm(80), width, mm(18)), TITLE, _font(family, 26, bold=True))
    as_of = f"数据截至 {f.year}年{f.as_of_month}月 · 序时进度 {format_percent(time_progress(f.as_of_month))}" \
        if f.as_of_month else f"{f.year}年尚无执行数据"
    _text(painter, QRectF(0, mm(102), width, mm(8)), as_of, _font(family, 12), INK)
    painter.setPen(QPen(ACCENT, mm(0.6)))
    painter.drawLine(QPointF(0, mm(114)), QPointF(mm(40), mm(114)))
    _cover_figures(painter, f, family, width, mm(128))
    prepared = f"编制：{meta.prepared_by}　　" if meta.prepared_by else ""
    _text(painter, QRectF(0, height - mm(30), width, mm(8)), f"{prepared}生成日期：{meta.made_on:%Y年%m月%d日}",
          _font(family, 10.5))
    _text(painter, QRectF(0, height - mm(20), width, mm(14)),
          "本报告由预算联网监督系统根据本机已同步的数据自动生成，金额单位为万元。数据以财政部门正式报表为准。",
          _font(family, 9), RULE)


def _cover_figures(painter: QPainter, f: ReportFigures, family: str, width: float, top: float) -> None:
    """Four boxed headline figures across the cover."""
    figures = [("调整后预算（万元）", format_wan_yuan(f.function_groups.total_adjusted)),
               ("累计支出（万元）", format_wan_yuan(f.paid)),
               ("执行进度", format_percent(f.execution_percent)),
               ("预警 / 提示", f"{sum(w.level is Level.RED for w in f.warnings)} / "
                              f"{sum(w.level is Level.YELLOW for w in f.warnings)}")]
    gap = mm(4)
    box = (width - gap * (len(figures) - 1)) / len(figures)
    for index, (caption, value) in enumerate(figures):
        rect = QRectF(index * (box + gap), top, box, mm(26))
        painter.setPen(QPen(RULE, mm(0.3)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        _text(painter, rect.adjusted(mm(3), mm(3), -mm(3), -mm(16)), caption, _font(family, 9), RULE)
        _text(painter, rect.adjusted(mm(3), mm(10), -mm(3), -mm(3)), value, _font(family, 15, bold=True))


def _running_header(painter: QPainter, f: ReportFigures, family: str, width: float) -> None:
    font = _font(family, 8.5)
    _text(painter, QRectF(0, 0, width, mm(6)), f"{f.region_name}{f.year}年{TITLE}", font, RULE)
    if f.as_of_month:
        _text(painter, QRectF(0, 0, width, mm(6)), f"数据截至 {f.year}年{f.as_of_month}月", font, RULE,
              Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    painter.setPen(QPen(RULE, mm(0.2)))
    painter.drawLine(QPointF(0, mm(7)), QPointF(width, mm(7)))


def _footer(painter: QPainter, family: str, width: float, height: float, page: int, pages: int) -> None:
    _text(painter, QRectF(0, height - mm(6), width, mm(6)), f"第 {page} 页　共 {pages} 页", _font(family, 8.5),
          RULE, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
