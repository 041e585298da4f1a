"""A table with its filter box: the view over a :class:`RowTableModel` through a :class:`PanelProxy`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.panels.table_model import PanelProxy, RowTableModel

SIZE_SAMPLE_ROWS = 50  # fitting columns looks at this many rows, not all of a long table
MAX_COLUMN_WIDTH = 240  # a long department name is elided (its tooltip has it all)


class TableSection(QWidget):
    """Emits the selected row (a read-layer dataclass, or ``None``) and the row double-clicked."""

    row_selected = Signal(object)
    row_activated = Signal(object)

    def __init__(self, model: RowTableModel, filter_hint: str | None = None, flagged_only_text: str | None = None,
                 money: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._fitted = False
        self.proxy = PanelProxy(self)
        self.proxy.setSourceModel(model)
        self.view = self._make_view()
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        if filter_hint:
            self.filter_box = QLineEdit(placeholderText=filter_hint, clearButtonEnabled=True)
            self.filter_box.textChanged.connect(self.proxy.setFilterFixedString)
            tools.addWidget(self.filter_box, 1)
        else:
            tools.addStretch(1)
        if flagged_only_text:
            self.flagged_only = QCheckBox(flagged_only_text)
            self.flagged_only.toggled.connect(self.proxy.set_flagged_only)
            tools.addWidget(self.flagged_only)
        if money:
            tools.addWidget(QLabel(self.tr("金额单位：万元"), objectName="figureCaption"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        if tools.count() > 1:
            layout.addLayout(tools)
        layout.addWidget(self.view, 1)

    def _make_view(self) -> QTableView:
        view = QTableView(self)
        view.setModel(self.proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the read layer's order until a header is clicked
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 14)
        view.horizontalHeader().setHighlightSections(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
        stretch = self.model.stretch_column()
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        view.selectionModel().selectionChanged.connect(self._on_selection)
        view.doubleClicked.connect(self._on_double_click)
        return view

    def set_rows(self, rows: list[Any]) -> None:
        """Replace the rows, fit the columns, keep the text column wide enough to read."""
        self.model.set_rows(rows)
        if rows and not self._fitted:
            self._fit_columns()
        self.row_selected.emit(None)

    def _fit_columns(self) -> None:
        """Once, on the first rows: later loads keep the widths (and whatever the user dragged)."""
        self._fitted = True
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        for column in range(header.count()):
            if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Interactive:
                header.resizeSection(column, min(header.sectionSize(column) + 12, MAX_COLUMN_WIDTH))

    def selected(self) -> Any | None:
        indexes = self.view.selectionModel().selectedRows()
        return self.model.row_at(self.proxy.mapToSource(indexes[0])) if indexes else None

    def select_first(self) -> None:
        if self.proxy.rowCount() > 0:
            self.view.selectRow(0)

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.row_selected.emit(self.selected())

    def _on_double_click(self, index: QModelIndex) -> None:
        self.row_activated.emit(self.model.row_at(self.proxy.mapToSource(index)))
