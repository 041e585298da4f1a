"""履职记录: per deputy and month, how often they signed in, looked at the modules, raised suggestions,
gave feedback and inspected — the staff's report on every deputy in scope, a deputy's on themselves."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.duty_export import XLSX_AVAILABLE, export_report
from desktop.panels.base import ModulePanel, PanelContext
from desktop.panels.figures import FigureStrip
from desktop.panels.table_model import Column, RowTableModel
from desktop.panels.table_section import TableSection
from desktop.queries.accounts import UserIdentity
from desktop.queries.duty import KINDS, DutyMonth, duty_months
from desktop.replica_writer import ReplicaWriter


def kind_text(kind: str) -> str:
    return {
        "sign_in": QCoreApplication.translate("DutyPanel", "登录"),
        "sync": QCoreApplication.translate("DutyPanel", "同步"),
        "module_opened": QCoreApplication.translate("DutyPanel", "查看模块"),
        "suggestion": QCoreApplication.translate("DutyPanel", "提出建议"),
        "inspection": QCoreApplication.translate("DutyPanel", "视察调研"),
        "feedback": QCoreApplication.translate("DutyPanel", "反馈办理结果"),
    }.get(kind, kind)


class DutyPanel(ModulePanel):
    name = "duty"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context: PanelContext | None = None
        self._identity: UserIdentity | None = None
        self._rows: list[DutyMonth] = []
        self.figures = FigureStrip()
        self.figures.add("deputies", self.tr("有履职记录的代表"), self.tr("人"))
        self.figures.add("suggestion", self.tr("提出建议"), self.tr("条"))
        self.figures.add("inspection", self.tr("视察调研"), self.tr("次"))
        self.figures.add("sign_in", self.tr("登录"), self.tr("次"))
        self.table = TableSection(RowTableModel(self._columns()), self.tr("筛选代表或区域…"), money=False)
        self.export_button = QPushButton(self.tr("导出…"))
        self.export_button.clicked.connect(self.ask_export)
        tools = QHBoxLayout()
        tools.addWidget(QLabel(self.tr("按代表和月份统计次数（只计次数，不记录具体操作）"), objectName="figureCaption"))
        tools.addStretch(1)
        tools.addWidget(self.export_button)
        self.arrange(self.figures, tools, (self.table, 1))

    def title(self) -> str:
        return self.tr("履职记录")

    def _columns(self) -> list[Column[DutyMonth]]:
        counts = [Column(kind_text(kind), lambda r, kind=kind: str(r.counts[kind]), lambda r, kind=kind: r.counts[kind],
                         numeric=True) for kind in KINDS]
        return [Column(self.tr("代表"), lambda r: r.deputy, stretch=True), Column(self.tr("区域"), lambda r: r.region),
                Column(self.tr("月份"), lambda r: self.tr("{month}月").format(month=r.month), lambda r: r.month, True),
                *counts, Column(self.tr("合计"), lambda r: str(r.total), lambda r: r.total, True)]

    def headings(self) -> list[str]:
        return [self.tr("代表"), self.tr("区域"), self.tr("月份"), *map(kind_text, KINDS), self.tr("合计")]

    def attach(self, _writer: ReplicaWriter | None, identity: UserIdentity | None) -> None:
        self._identity = identity

    def load(self, context: PanelContext) -> None:
        self._context = context
        if self._identity is not None and self._identity.role == "department":
            self.show_empty(self.tr("履职记录只对代表本人和人大工委开放。"))
            return
        with context.replica.connect() as conn:
            self._rows = duty_months(conn, context.scope.year, context.scope.region_codes)
        if not self._rows:
            self.show_empty(self.tr("{region} {year} 年还没有履职记录。").format(region=context.region_name,
                                                                           year=context.scope.year))
            return
        self.show_content()
        self.figures["deputies"].set_value(str(len({row.deputy for row in self._rows})))
        for kind in ("suggestion", "inspection", "sign_in"):
            self.figures[kind].set_value(str(sum(row.counts[kind] for row in self._rows)))
        self.table.set_rows(self._rows)

    def ask_export(self) -> None:
        year = self._context.scope.year if self._context else ""
        suggested = self.tr("履职记录{year}").format(year=year) + (".xlsx" if XLSX_AVAILABLE else ".csv")
        chosen, _filter = QFileDialog.getSaveFileName(self, self.tr("导出履职记录"), suggested,
                                                      self.tr("Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)")
                                                      if XLSX_AVAILABLE else self.tr("CSV 文件 (*.csv)"))
        if chosen:
            self.export(Path(chosen))

    def export(self, path: Path) -> Path:
        return export_report(path, self.table.model.rows(), self.headings())
