"""A chart out: as a PNG file or onto the clipboard, from its right-click menu (pyqtgraph's ImageExporter)."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QMenu

from desktop.export.save_dialog import ask_save_path, show_save_failure

EXPORT_WIDTH = 1600  # pixels: sharp on a slide or a printed page


def chart_image(chart: pg.PlotWidget, width: int = EXPORT_WIDTH) -> QImage:
    exporter = ImageExporter(chart.getPlotItem())
    exporter.parameters()["width"] = width
    return exporter.export(toBytes=True)


def save_chart(chart: pg.PlotWidget, path: Path) -> None:
    """Raises ``OSError`` when the file cannot be written."""
    if not chart_image(chart).save(str(path), "PNG"):
        raise OSError(f"无法写入 {path}")


def copy_chart(chart: pg.PlotWidget) -> None:
    QGuiApplication.clipboard().setImage(chart_image(chart))


def add_export_menu(chart: pg.PlotWidget, name: str) -> None:
    """Right-click: 保存为图片… and 复制图片; ``name`` starts the suggested file name."""
    chart.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    chart.customContextMenuRequested.connect(lambda position: _show_menu(chart, name, position))


def _show_menu(chart: pg.PlotWidget, name: str, position: QPoint) -> None:
    menu = QMenu(chart)
    menu.addAction(QCoreApplication.translate("ChartExport", "保存为图片（PNG）…"), lambda: _ask_and_save(chart, name))
    menu.addAction(QCoreApplication.translate("ChartExport", "复制图片"), lambda: copy_chart(chart))
    menu.popup(chart.mapToGlobal(position))


def _ask_and_save(chart: pg.PlotWidget, name: str) -> None:
    path = ask_save_path(chart, QCoreApplication.translate("ChartExport", "保存图表"), name, ".png",
                         QCoreApplication.translate("ChartExport", "PNG 图片 (*.png)"))
    if path is None:
        return
    try:
        save_chart(chart, path)
    except OSError as exc:
        show_save_failure(chart, path, exc)
