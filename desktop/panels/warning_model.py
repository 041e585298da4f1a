"""The 预警 list as a two-level tree: a group per rule and level (执行进度滞后 · 预警（8）), its warnings below.

Rows are replaced as a whole (a reset) when the review or the filter changes; nothing is edited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desktop.queries.thresholds import Level
from desktop.review import LEVEL_TITLES, RULE_TITLES
from desktop.review.model import Warning
from desktop.review.report import headline
from desktop.style import LEVEL_BACKGROUND, LEVEL_FOREGROUND

AnyIndex = QModelIndex | QPersistentModelIndex
WARNING_ROLE = Qt.ItemDataRole.UserRole + 10  # the Warning of a warning row (None on a group row)
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 11  # "yellow" / "red" on both kinds of row

_NO_GROUP = 0  # internalId of a group row; a warning row carries its group's row + 1


def _review_text(text: str) -> str:
    """desktop.review's titles and templates (marked for lupdate there) in the interface language."""
    return QCoreApplication.translate("Review", text)


def rule_title(rule: str) -> str:
    return _review_text(RULE_TITLES[rule])


def level_title(level: Level) -> str:
    return _review_text(LEVEL_TITLES[level])


@dataclass(frozen=True)
class WarningGroup:
    rule: str
    level: Level
    warnings: tuple[Warning, ...]

    def title(self) -> str:
        return QCoreApplication.translate("WarningTreeModel", "{rule} · {level}（{count}）").format(
            rule=rule_title(self.rule), level=level_title(self.level), count=len(self.warnings))


class WarningTreeModel(QAbstractItemModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._groups: list[WarningGroup] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def headers(self) -> list[str]:
        return [self.tr("对象"), self.tr("要点"), self.tr("区域"), self.tr("年度")]

    def set_warnings(self, warnings: Sequence[Warning]) -> None:
        """``warnings`` in the review's order (by rule, red first); grouped here by rule and level."""
        self.beginResetModel()
        self._groups = [WarningGroup(rule, level, tuple(found))
                        for (rule, level), found in groupby(warnings, key=lambda w: (w.rule, w.level))]
        self.endResetModel()

    def groups(self) -> list[WarningGroup]:
        return list(self._groups)

    def warning_at(self, index: AnyIndex) -> Warning | None:
        return index.data(WARNING_ROLE) if index.isValid() else None

    def index_of(self, warning: Warning) -> QModelIndex:
        for group_row, group in enumerate(self._groups):
            if warning in group.warnings:
                return self.index(group.warnings.index(warning), 0, self.index(group_row, 0))
        return QModelIndex()

    # ------------------------------------------------------------ QAbstractItemModel

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _NO_GROUP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid() or index.internalId() == _NO_GROUP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _NO_GROUP)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _NO_GROUP and parent.column() == 0:
            return len(self._groups[parent.row()].warnings)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.headers()):
            return self.headers()[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _NO_GROUP:
            return self._group_data(self._groups[index.row()], index.column(), role)
        group = self._groups[index.internalId() - 1]
        return self._warning_data(group.warnings[index.row()], index.column(), role)

    def _group_data(self, group: WarningGroup, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and column == 0:
            return group.title()
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole:
            return LEVEL_FOREGROUND[group.level]
        if role == LEVEL_ROLE:
            return group.level.value
        return None

    def _warning_data(self, warning: Warning, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (warning.subject.name, headline(warning, _review_text), warning.subject.region_name,
                    str(warning.year))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return warning.message
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return LEVEL_FOREGROUND[warning.level]
        if role == Qt.ItemDataRole.BackgroundRole:
            return LEVEL_BACKGROUND[warning.level]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == WARNING_ROLE:
            return warning
        if role == LEVEL_ROLE:
            return warning.level.value
        return None
