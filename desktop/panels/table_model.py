"""One table model for every panel: rows are the read layer's dataclasses, columns say how to show them.

Each column gives the text shown, the value sorted by (numbers sort as numbers, not as text) and,
optionally, a warning level that colours the row. Rows are replaced as a whole when the scope
changes (a reset), which is all a read-only view over the replica needs.

A column's :class:`CellKind` says what its sort value is (fen, a percentage …), so an export can
write numbers with their format instead of the text shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from desktop.amounts import MISSING, format_percent, format_points, format_wan_yuan
from desktop.queries.thresholds import Level
from desktop.style import LEVEL_BACKGROUND, LEVEL_FOREGROUND

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 2

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class CellKind(Enum):
    """What a column's sort value is, for exports."""

    TEXT = "text"  # export the text shown
    MONEY = "money"  # fen, shown and exported in 万元
    PERCENT = "percent"  # a percentage, 0–100
    POINTS = "points"  # percentage points
    COUNT = "count"
    DATE = "date"


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    text: Callable[[Row], str]
    sort_key: Callable[[Row], Any] | None = None  # default: the text
    numeric: bool = False  # right-aligned
    tooltip: Callable[[Row], str | None] | None = None
    foreground: Callable[[Row], QColor | None] | None = None  # this cell's text colour
    stretch: bool = False  # takes the table's spare width (the long-text column)
    kind: CellKind = CellKind.TEXT
    marker: Callable[[Row], str] | None = None  # shown after the text on screen only (" ▸": can drill down)

    def shown(self, row: Row) -> str:
        return self.text(row) + (self.marker(row) if self.marker else "")


def money_column(title: str, fen: Callable[[Row], int | None], **extra: Any) -> Column[Row]:
    """An amount in fen, shown in 万元."""
    return Column(title, lambda row: format_wan_yuan(fen(row)), fen, True, kind=CellKind.MONEY, **extra)


def percent_column(title: str, value: Callable[[Row], Decimal | int | None],
                   text: Callable[[Decimal | int | None], str] = format_percent, **extra: Any) -> Column[Row]:
    return Column(title, lambda row: text(value(row)), value, True, kind=CellKind.PERCENT, **extra)


def points_column(title: str, value: Callable[[Row], Decimal | None], **extra: Any) -> Column[Row]:
    """A difference of percentages, in percentage points."""
    return Column(title, lambda row: format_points(value(row)), value, True, kind=CellKind.POINTS, **extra)


def count_column(title: str, value: Callable[[Row], int], **extra: Any) -> Column[Row]:
    return Column(title, lambda row: str(value(row)), value, True, kind=CellKind.COUNT, **extra)


def date_column(title: str, value: Callable[[Row], dt.date | None], **extra: Any) -> Column[Row]:
    return Column(title, lambda row: value(row).isoformat() if value(row) else "", value, kind=CellKind.DATE, **extra)


def whole_percent(value: int | None) -> str:
    """A whole percentage as entered (construction progress): ``60%``."""
    return MISSING if value is None else f"{value}%"


def drill_marker(row: Any) -> str:
    """`` ▸`` after a group that can be opened (double-click) into its sub-groups."""
    return " ▸" if row.can_drill else ""


def level_colour(level: Level | None) -> QColor | None:
    """The text colour of a warning level (for a cell whose figure is the one that lags)."""
    return LEVEL_FOREGROUND[level] if level else None


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """Read-only rows of one dataclass; ``row_level`` (optional) marks whole rows yellow or red."""

    def __init__(self, columns: Sequence[Column[Row]], row_level: Callable[[Row], Level | None] | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._row_level = row_level
        self._rows: list[Row] = []
        self._levels: list[Level | None] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        # Rows never change in place: a row's level is worked out once, not at every paint.
        self._levels = [self._row_level(row) for row in self._rows] if self._row_level else []
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, index: AnyIndex) -> Row:
        return self._rows[index.row()]

    def columns(self) -> list[Column[Row]]:
        return list(self._columns)

    def stretch_column(self) -> int | None:
        return next((index for index, column in enumerate(self._columns) if column.stretch), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 — Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 — Qt's signature
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if column.numeric else _LEFT)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.shown(row)
        if role == SORT_ROLE:
            return column.sort_key(row) if column.sort_key else column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if column.numeric else _LEFT)
        if role == Qt.ItemDataRole.ToolTipRole:
            # Long names are elided in narrow columns: the tooltip always has the whole text.
            return column.tooltip(row) if column.tooltip else column.text(row)
        return self._level_data(index.row(), row, column, role)

    def _level_data(self, position: int, row: Row, column: Column[Row], role: int) -> Any:
        row_level = self._levels[position] if self._levels else None
        if role == LEVEL_ROLE:
            return row_level.value if row_level else None
        if role == Qt.ItemDataRole.BackgroundRole and row_level:
            return LEVEL_BACKGROUND[row_level]
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground:
            return column.foreground(row)
        return None


class PanelProxy(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE`, filters on any column's text, and can keep only flagged rows."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._flagged_only = False
        self._only: Callable[[Any], bool] | None = None  # keep only the source rows this accepts

    def shown_rows(self) -> list[Any]:
        """The source rows the view shows, after the filters, in the view's sort order."""
        source = self.sourceModel()
        return [source.row_at(self.mapToSource(self.index(row, 0))) for row in range(self.rowCount())]

    def set_flagged_only(self, flagged_only: bool) -> None:
        self.beginFilterChange()
        self._flagged_only = flagged_only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_only(self, accepts: Callable[[Any], bool] | None) -> None:
        """Keep only the rows (read-layer dataclasses) ``accepts`` says yes to; ``None``: all rows."""
        self.beginFilterChange()
        self._only = accepts
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if self._only is not None and not self._only(model.row_at(model.index(source_row, 0))):
            return False
        if self._flagged_only:
            index = self.sourceModel().index(source_row, 0, source_parent)
            if index.data(LEVEL_ROLE) is None:
                return False
        return super().filterAcceptsRow(source_row, source_parent)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        # None (no figure) sorts below every number instead of raising.
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None:
            return a is None and b is not None
        return a < b
