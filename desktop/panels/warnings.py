"""预警: the automatic review's warnings for the selected region and year, grouped by rule and level,
each leading to its cause (double-click) or to a suggestion (据此提出建议)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTextBrowser,
    QTreeView,
    QWidget,
)

from desktop.dialogs.thresholds_editor import ThresholdsEditor
from desktop.panels.base import ModulePanel, PanelContext, column, side_by_side
from desktop.panels.figures import FigureStrip
from desktop.panels.warning_model import WarningTreeModel, level_title, rule_title
from desktop.queries.accounts import UserIdentity
from desktop.queries.replica import Scope
from desktop.queries.thresholds import Level
from desktop.replica_writer import ReplicaWriter
from desktop.review.model import Warning
from desktop.review.report import figure_lines
from desktop.style import LEVEL_FOREGROUND


def warnings_in(warnings: Sequence[Warning], scope: Scope, all_years: bool = False) -> list[Warning]:
    """The warnings about subjects in the scope's region (and below), of its year unless ``all_years``."""
    return [w for w in warnings if w.subject.region_code in scope.region_codes
            and (all_years or w.year == scope.year)]


def _same_subject(one: Warning, other: Warning) -> bool:
    return (one.rule, one.year, one.subject.type, one.subject.id) == (
        other.rule, other.year, other.subject.type, other.subject.id)


class WarningsPanel(ModulePanel):
    """``follow_requested(warning)`` asks the window to show the subject; ``suggest_requested(warning)`` to
    start a suggestion from it."""

    name = "warnings"
    follow_requested = Signal(object)
    suggest_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context: PanelContext | None = None
        self._warnings: list[Warning] | None = None  # None: the review has not finished yet
        self._writer: ReplicaWriter | None = None
        self._identity: UserIdentity | None = None
        self.figures = FigureStrip()
        self.figures.add("red", self.tr("预警"), self.tr("条"))
        self.figures.add("yellow", self.tr("提示"), self.tr("条"))
        self.all_years = QCheckBox(self.tr("所有年度"))
        self.all_years.setToolTip(self.tr("也列出其他年度的预警（已结束年度的决算偏离、年底突击花钱等）"))
        self.red_only = QCheckBox(self.tr("只看预警"))
        for box in (self.all_years, self.red_only):
            box.toggled.connect(self._refresh)
        self.thresholds_button = QPushButton(self.tr("审查阈值…"))
        self.thresholds_button.clicked.connect(self.open_thresholds)
        self.notice = QLabel(objectName="notice", wordWrap=True)
        self.model = WarningTreeModel(self)
        self.tree = self._make_tree()
        self.detail = QTextBrowser(openExternalLinks=False)
        self.follow_button = QPushButton(self.tr("查看对象"))
        self.follow_button.clicked.connect(lambda: self._emit_selected(self.follow_requested))
        self.suggest_button = QPushButton(self.tr("据此提出建议"), objectName="primary")
        self.suggest_button.clicked.connect(lambda: self._emit_selected(self.suggest_requested))
        self._build()

    def title(self) -> str:
        return self.tr("预警")

    def _make_tree(self) -> QTreeView:
        tree = QTreeView(self)
        tree.setModel(self.model)
        tree.setUniformRowHeights(True)
        tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tree.setExpandsOnDoubleClick(False)
        tree.setStyleSheet("QTreeView::item { padding: 3px 0; }")  # rows as tall as the panels' tables
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for section in (1, 2, 3):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)
        tree.doubleClicked.connect(self._double_clicked)
        tree.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show_detail(current))
        return tree

    def _build(self) -> None:
        tools = QHBoxLayout()
        tools.addWidget(self.all_years)
        tools.addWidget(self.red_only)
        tools.addStretch(1)
        tools.addWidget(self.thresholds_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.follow_button)
        buttons.addWidget(self.suggest_button)
        detail = column((self.detail, 1), buttons)
        self.arrange(self.figures, tools, self.notice,
                     (side_by_side(self.tree, detail, Qt.Orientation.Vertical, (3, 2)), 1))

    # ------------------------------------------------------------ data

    def attach(self, writer: ReplicaWriter | None, identity: UserIdentity | None) -> None:
        self._writer, self._identity = writer, identity
        self._show_buttons()

    def set_warnings(self, warnings: list[Warning] | None, problem: str = "") -> None:
        """The whole review's warnings (``None`` while it runs); ``problem`` says why it could not run."""
        self._warnings = warnings
        self.notice.setText(problem or (self.tr("正在审查本机数据…") if warnings is None else ""))
        self.notice.setVisible(bool(self.notice.text()))
        self._refresh()

    def load(self, context: PanelContext) -> None:
        self._context = context
        self.show_content()
        self._refresh()

    def visible_warnings(self) -> list[Warning]:
        if self._context is None or self._warnings is None:
            return []
        shown = warnings_in(self._warnings, self._context.scope, self.all_years.isChecked())
        return [w for w in shown if w.level is Level.RED] if self.red_only.isChecked() else shown

    def _refresh(self) -> None:
        previous = self.selected()
        shown = self.visible_warnings()
        self.model.set_warnings(shown)
        self.tree.expandAll()
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        red = sum(w.level is Level.RED for w in shown)
        self.figures["red"].set_value(str(red), Level.RED if red else None)
        self.figures["yellow"].set_value(str(len(shown) - red), Level.YELLOW if len(shown) > red else None)
        if shown:  # the same subject again after a sync (its figures may have moved), else the first
            again = next((w for w in shown if previous and _same_subject(w, previous)), shown[0])
            self.tree.setCurrentIndex(self.model.index_of(again))
        else:
            self._show_detail(QModelIndex())

    # ------------------------------------------------------------ the selected warning

    def selected(self) -> Warning | None:
        return self.model.warning_at(self.tree.currentIndex())

    def select(self, warning: Warning) -> None:
        self.tree.setCurrentIndex(self.model.index_of(warning))

    def _show_buttons(self) -> None:
        warning = self.selected()
        self.follow_button.setEnabled(warning is not None)
        # Suggestions are the deputies' (the server refuses anyone else's).
        deputy = self._identity is not None and self._identity.role in (None, "deputy")
        self.suggest_button.setVisible(deputy)
        self.suggest_button.setEnabled(warning is not None and self._writer is not None)

    def _show_detail(self, index: QModelIndex) -> None:
        warning = self.model.warning_at(index)
        self._show_buttons()
        if warning is None:
            hint = (self.tr("选中一条预警，查看它的数据；双击跳到预警对象。") if self.model.rowCount()
                    else self.tr("所选区域和年度没有预警。"))
            self.detail.setHtml(f"<p style='color:#5A6573'>{escape(hint)}</p>")
            return
        colour = LEVEL_FOREGROUND[warning.level].name()
        rows = "".join(f"<tr><td style='color:#5A6573; padding-right:14px'>{escape(label)}</td>"
                       f"<td align='right'><b>{escape(value)}</b></td></tr>" for label, value in figure_lines(warning))
        self.detail.setHtml(
            f"<p><b style='color:{colour}'>{escape(level_title(warning.level))}</b> · "
            f"<b>{escape(rule_title(warning.rule))}</b> · {escape(warning.subject.region_name)} · {warning.year}</p>"
            f"<p>{escape(warning.message)}</p><table cellspacing='0' cellpadding='2'>{rows}</table>")

    def _double_clicked(self, index: QModelIndex) -> None:
        warning = self.model.warning_at(index)
        if warning is not None:
            self.follow_requested.emit(warning)

    def _emit_selected(self, signal) -> None:
        warning = self.selected()
        if warning is not None:
            signal.emit(warning)

    # ------------------------------------------------------------ thresholds

    def open_thresholds(self) -> ThresholdsEditor | None:
        if self._context is None:
            return None
        staff = self._identity is not None and self._identity.role == "staff"
        editor = ThresholdsEditor(self._context.replica, self._writer if staff else None,
                                  self._identity.username if self._identity else "", self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.open()
        return editor
