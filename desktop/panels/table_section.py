"""A table with its filter box: the view over a :class:`RowTableModel` through a :class:`PanelProxy`.

Every table exports what it shows (filters and sort applied) to .xlsx or CSV: from its 导出 button
where it has a tool row, and from its right-click menu everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.export.save_dialog import ask_save_path, show_save_failure
from desktop.export.table_file import ShownTable, save_table
from desktop.panels.base import ModulePanel
from desktop.panels.table_model import PanelProxy, RowTableModel

SIZE_SAMPLE_ROWS = 20  # fitting columns looks at this many rows (about a screenful), not all of a long table
MAX_COLUMN_WIDTH = 240  # a long department name is elided (its tooltip has it all)
MIN_COLUMN_WIDTH = 60
TEXT_SHARE = 0.25  # of a table's width, kept for its long-text (stretch) column


class TableSection(QWidget):
    """Emits the selected row (a read-layer dataclass, or ``None``) and the row double-clicked."""

    row_selected = Signal(object)
    row_activated = Signal(object)

    def __init__(self, model: RowTableModel, filter_hint: str | None = None, flagged_only_text: str | None = None,
                 money: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._natural: dict[int, int] | None = None  # fitted widths by column, once there were rows
        self._content: dict[int, int] = {}  # what a screenful of its cells needs (no header, no room to spare)
        self._sizing = False  # the section resizes are ours, not the user's
        self._user_sized = False
        self.proxy = PanelProxy(self)
        self.proxy.setSourceModel(model)
        self.view = self._make_view()
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        self.filter_box: QLineEdit | None = None
        self.flagged_only: QCheckBox | None = None
        if filter_hint:
            self.filter_box = QLineEdit(placeholderText=filter_hint, clearButtonEnabled=True)
            self.filter_box.textChanged.connect(lambda text: self._narrow(lambda: model.set_text_filter(text)))
            tools.addWidget(self.filter_box, 1)
        else:
            tools.addStretch(1)
        if flagged_only_text:
            self.flagged_only = QCheckBox(flagged_only_text)
            self.flagged_only.toggled.connect(lambda on: self._narrow(lambda: model.set_flagged_only(on)))
            tools.addWidget(self.flagged_only)
        if money:
            tools.addWidget(QLabel(self.tr("金额单位：万元"), objectName="figureCaption"))
        self.export_menu = self._make_export_menu()
        if tools.count() > 1:
            tools.addWidget(self._make_export_button())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        if tools.count() > 1:
            layout.addLayout(tools)
        layout.addWidget(self._make_only_bar())
        layout.addWidget(self.view, 1)

    def _make_export_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.tr("导出为 xlsx 表格…"), lambda: self._ask_and_export(".xlsx"))
        menu.addAction(self.tr("导出为 csv 文件…"), lambda: self._ask_and_export(".csv"))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_export_menu)
        return menu

    def _make_export_button(self) -> QToolButton:
        button = QToolButton(text=self.tr("导出"), popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setToolTip(self.tr("把表中显示的行（按当前筛选和排序）导出为 xlsx 表格或 csv 文件"))
        button.setMenu(self.export_menu)
        return button

    def _show_export_menu(self, position: QPoint) -> None:
        self.export_menu.popup(self.view.viewport().mapToGlobal(position))

    def export_name(self) -> str:
        """What the table is: the title of the module panel it is in."""
        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, ModulePanel):
            widget = widget.parentWidget()
        return widget.title() if widget is not None else self.tr("表格")

    def shown_table(self) -> ShownTable:
        return ShownTable(self.export_name(), self.model.columns(), self.proxy.shown_rows())

    def export_to(self, path: Path) -> None:
        """Write the rows shown to ``path`` (.xlsx or .csv); raises ``OSError``."""
        save_table(self.shown_table(), path)

    def _ask_and_export(self, suffix: str) -> None:
        file_filter = self.tr("xlsx 表格 (*.xlsx)") if suffix == ".xlsx" else self.tr("csv 文件 (*.csv)")
        path = ask_save_path(self, self.tr("导出表格"), self.export_name(), suffix, file_filter)
        if path is None:
            return
        try:
            self.export_to(path)
        except OSError as exc:
            show_save_failure(self, path, exc)

    def _make_only_bar(self) -> QWidget:
        """「只看 …」 with a way back to every row, shown while :meth:`show_only` narrows the table."""
        self.only_bar = QWidget(objectName="onlyBar")
        self.only_label = QLabel(objectName="notice")
        show_all = QPushButton(self.tr("显示全部"))
        show_all.clicked.connect(lambda: self.show_only(None))
        row = QHBoxLayout(self.only_bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.only_label, 1)
        row.addWidget(show_all)
        self.only_bar.hide()
        return self.only_bar

    def show_only(self, label: str | None, accepts: Callable[[Any], bool] | None = None) -> None:
        """Narrow the table to the rows ``accepts`` (a department's, a unit's); ``None``: every row again."""
        self._narrow(lambda: self.model.set_only(accepts if label is not None else None))
        self.only_label.setText(self.tr("只看：{what}").format(what=label) if label else "")
        self.only_bar.setVisible(label is not None)

    def _narrow(self, change: Callable[[], None]) -> None:
        """Narrow the model's rows; if that drops the selected row, say so (Qt's selection model does not)."""
        had_selection = self.selected() is not None
        change()
        if had_selection and self.selected() is None:
            self.row_selected.emit(None)

    def select_where(self, accepts: Callable[[Any], bool]) -> bool:
        """Select and show the first row ``accepts``, clearing filters that hide it; False if there is none."""
        if self.filter_box is not None:
            self.filter_box.clear()
        if self.flagged_only is not None:
            self.flagged_only.setChecked(False)
        self.show_only(None)
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if accepts(self.model.row_at(self.proxy.mapToSource(index))):
                self.view.selectRow(row)
                self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
                return True
        return False

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
        header.sectionResized.connect(self._on_section_resized)
        view.selectionModel().selectionChanged.connect(self._on_selection)
        view.doubleClicked.connect(self._on_double_click)
        return view

    def set_rows(self, rows: list[Any]) -> None:
        """Replace the rows; the first rows fit the columns, and later loads keep their widths."""
        self.model.set_rows(rows)
        if rows and self._natural is None:
            self._fit_columns()
        self.row_selected.emit(None)

    def _fit_columns(self) -> None:
        """Each column's width from a screenful of its contents, and with room to spare and its header."""
        header = self.view.horizontalHeader()
        fitted = [column for column in range(header.count())
                  if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Interactive]
        self._content = {column: min(self.view.sizeHintForColumn(column), MAX_COLUMN_WIDTH) for column in fitted}
        self._natural = {column: min(max(width + 12, header.sectionSizeHint(column)), MAX_COLUMN_WIDTH)
                         for column, width in self._content.items()}
        self._share_width()
        self.view.viewport().installEventFilter(self)

    def _share_width(self) -> None:
        """Every column at its natural width where the table has room. In a narrow one (a dock beside it)
        the long-text column keeps :data:`TEXT_SHARE` of the width and the widest columns give way first:
        down to their contents if that is enough (a long header is cut, no cell is); else the figures
        keep their contents, never cut ("3,500…" tells nothing), and the widest text columns are cut, so a
        number, a date or a state stays whole. Done again as the table is resized, until the user drags a
        column."""
        header = self.view.horizontalHeader()
        shown = [column for column in self._natural if not header.isSectionHidden(column)]
        natural = [self._natural[column] for column in shown]
        content = [self._content[column] for column in shown]
        room = int(self.view.viewport().width() * (1 - TEXT_SHARE))
        if self.model.stretch_column() is None:  # no long text to keep room for
            widths = natural
        elif sum(content) <= room:
            widths = fit_within(room, natural, content)
        else:
            widths = self._cut_text(shown, room)
        self._sizing = True
        for column, width in zip(shown, widths, strict=True):
            header.resizeSection(column, width)
        self._sizing = False

    def _cut_text(self, shown: list[int], room: int) -> list[int]:
        """Figures as wide as their contents, the text columns sharing what is left of ``room``."""
        numeric = [column.numeric for column in self.model.columns()]
        text = [column for column in shown if not numeric[column]]
        left = room - sum(self._content[column] for column in shown if numeric[column])
        cut = fit_within(left, [self._natural[column] for column in text],
                         [min(self._natural[column], MIN_COLUMN_WIDTH) for column in text])
        widths = dict(zip(text, cut, strict=True))
        return [widths.get(column, self._content[column]) for column in shown]

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._sizing and column in (self._natural or {}):
            self._user_sized = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and not self._user_sized:
            self._share_width()
        return super().eventFilter(watched, event)

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


def fit_within(room: int, natural: list[int], floor: list[int]) -> list[int]:
    """Each width ``min(natural, cap)`` but not below its floor, with the largest ``cap`` that keeps the
    sum within ``room``: the narrow columns keep their width and the wide ones share what is left."""
    def clamped(cap: int) -> list[int]:
        return [max(low, min(width, cap)) for width, low in zip(natural, floor, strict=True)]

    low, high = 0, max(natural, default=0)
    while low < high:  # the sum grows with the cap: the largest cap that fits
        middle = (low + high + 1) // 2
        low, high = (middle, high) if sum(clamped(middle)) <= room else (low, middle - 1)
    return clamped(low)
