"""The window's 文件 menu entries for the supervision report (PDF) and the open data (Fiscal Data Package).

The report is built by a :class:`ReportJob` in its own thread; a progress dialog follows it and can
cancel it, and the window stays usable meanwhile. The open data is small and written at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget
from sqlalchemy.exc import SQLAlchemyError

from desktop.export.fdp import write_fiscal_data_package
from desktop.export.save_dialog import ask_save_path, default_path, show_save_failure
from desktop.queries.replica import ReplicaReader, Scope

if TYPE_CHECKING:  # the report's modules (PDF writer, its figures) are imported when a report is asked for
    from desktop.report.builder import ReportJob, ReportRequest


@dataclass(frozen=True)
class Selection:
    """What the window shows: whose replica, which region (and its name) and year."""

    reader: ReplicaReader
    scope: Scope
    region_name: str
    prepared_by: str | None


class ExportActions(QObject):
    def __init__(self, window: QWidget, selection: Callable[[], Selection | None]) -> None:
        super().__init__(window)
        self._window = window
        self._selection = selection
        self.job: ReportJob | None = None
        self.report_action = QAction(self.tr("生成监督分析报告（PDF）…"), window)
        self.report_action.triggered.connect(self.ask_for_report)
        self.open_data_action = QAction(self.tr("导出开放数据（财政数据包）…"), window)
        self.open_data_action.triggered.connect(self.ask_for_open_data)

    def actions(self) -> list[QAction]:
        return [self.report_action, self.open_data_action]

    def _selected(self) -> Selection | None:
        found = self._selection()
        if found is None:
            QMessageBox.information(self._window, self.tr("没有数据"), self.tr("请先同步数据，并选择区域和年度。"))
        return found

    # ------------------------------------------------------------ report

    def ask_for_report(self) -> None:
        selection = self._selected()
        if selection is None:
            return
        name = self.tr("{region}{year}年预算执行监督分析报告").format(region=selection.region_name,
                                                                  year=selection.scope.year)
        path = ask_save_path(self._window, self.tr("保存监督分析报告"), name, ".pdf", self.tr("PDF 文件 (*.pdf)"))
        if path is not None:
            from desktop.report.builder import ReportRequest

            self.start_report(ReportRequest(selection.reader.path, selection.scope.region_code,
                                            selection.scope.year, path, selection.prepared_by))

    def start_report(self, request: ReportRequest) -> ReportJob:
        """Build the report in the background, with a progress dialog that can cancel it."""
        from desktop.report.builder import STEP_COUNT, ReportJob

        dialog = QProgressDialog(self.tr("正在生成监督分析报告…"), self.tr("取消"), 0, STEP_COUNT, self._window)
        dialog.setWindowTitle(self.tr("监督分析报告"))
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setMinimumDuration(0)
        job = ReportJob(request, self)
        job.progress.connect(lambda step, _steps, what: (dialog.setValue(step), dialog.setLabelText(
            self.tr("正在生成监督分析报告：{what}…").format(what=what))))
        dialog.canceled.connect(job.cancel)
        for signal in (job.finished, job.failed, job.cancelled):
            signal.connect(lambda *_args: self._job_over(dialog))
        job.finished.connect(self._report_ready)
        job.failed.connect(lambda message: QMessageBox.warning(
            self._window, self.tr("无法生成报告"), self.tr("生成报告时出错：{message}").format(message=message)))
        self.report_action.setEnabled(False)
        self.job = job
        job.start()
        return job

    def _job_over(self, dialog: QProgressDialog) -> None:
        dialog.reset()
        dialog.deleteLater()
        self.report_action.setEnabled(True)

    def _report_ready(self, path: Path, pages: int) -> None:
        answer = QMessageBox.question(
            self._window, self.tr("报告已生成"),
            self.tr("监督分析报告已保存（{pages} 页）：\n{path}\n\n现在打开吗？").format(pages=pages, path=path))
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # ------------------------------------------------------------ open data

    def ask_for_open_data(self) -> None:
        selection = self._selected()
        if selection is None:
            return
        parent = QFileDialog.getExistingDirectory(self._window, self.tr("选择保存开放数据的文件夹"),
                                                  str(default_path("x", "").parent))
        if parent:
            folder = Path(parent) / f"budget-fdp-{selection.scope.region_code}-{selection.scope.year}"
            self.export_open_data(selection, folder)

    def export_open_data(self, selection: Selection, folder: Path) -> int | None:
        """Write the Fiscal Data Package of the selected region and year; returns its rows (None: failed)."""
        try:
            with selection.reader.connect() as conn:
                rows = write_fiscal_data_package(
                    conn, folder, region_codes=selection.scope.region_codes, year=selection.scope.year,
                    title=self.tr("{region}{year}年预算数据").format(region=selection.region_name,
                                                                 year=selection.scope.year))
        except (OSError, SQLAlchemyError) as exc:
            show_save_failure(self._window, folder, exc if isinstance(exc, OSError) else OSError(str(exc)))
            return None
        done = self.tr("已导出 {rows} 条预算行到\n{folder}\n（datapackage.json 和 CSV，财政数据包格式）")
        QMessageBox.information(self._window, self.tr("开放数据已导出"), done.format(rows=rows, folder=folder))
        return rows
