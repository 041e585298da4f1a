"""One table model for every panel: rows are the read layer's dataclasses, columns say how to show them.

Each column gives the text shown, the value sorted by (numbers sort as numbers, not as text) and,
optionally, a warning level that colours the row. Rows are replaced as a whole when the scope
changes (a reset), which is all a read-only view over the replica needs. The model sorts and narrows
its rows itself (flagged only, a department's, a text typed in the filter box).

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

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
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

    def sort_value(self, row: Row) -> Any:
        return self.sort_key(row) if self.sort_key else self.text(row)


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
    """Read-only rows of one dataclass; ``row_level`` (optional) marks whole rows yellow or red.

    The model sorts its rows and narrows them (flagged only, :meth:`set_only`, :meth:`set_text_filter`)
    itself, so that a reset costs no Python per row while none is on (a city's 17 500 lines), a sort asks
    each row its sort value once instead of at every comparison, and a filter reads each row's text once
    instead of at every keystroke (Qt's own filter asked every cell of a city's lines again for each
    character typed: half a second).
    """

    def __init__(self, columns: Sequence[Column[Row]], row_level: Callable[[Row], Level | None] | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._row_level = row_level
        self._given: list[Row] = []  # as set: the read layer's order
        self._rows: list[Row] = []  # every row, in the sort order
        self._shown: list[Row] = []  # the rows the model has: _rows narrowed
        # id(row) → its level, worked out at the row's first paint: rows never change in place.
        self._levels: dict[int, Level | None] = {}
        self._sort_column = -1  # -1: the order given
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._flagged_only = False
        self._only: Callable[[Row], bool] | None = None  # keep only the rows this accepts
        self._needle = ""  # keep only the rows whose text columns contain it (casefolded; "": all)
        self._searched: dict[int, str] = {}  # id(row) → its text columns' text, casefolded, read once

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._given = list(rows)
        self._levels = {}
        self._searched = {}
        self._rows = self._sorted(self._given)
        self._shown = self._narrowed(self._rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        """Every row, the narrowed-out ones too, in the sort order."""
        return list(self._rows)

    def row_at(self, index: AnyIndex) -> Row:
        return self._shown[index.row()]

    def columns(self) -> list[Column[Row]]:
        return list(self._columns)

    def stretch_column(self) -> int | None:
        return next((index for index, column in enumerate(self._columns) if column.stretch), None)

    def set_flagged_only(self, flagged_only: bool) -> None:
        """Keep only the rows with a warning level."""
        self._flagged_only = flagged_only
        self._change_layout(lambda: self._rows)

    def set_only(self, accepts: Callable[[Row], bool] | None) -> None:
        """Keep only the rows ``accepts`` says yes to; ``None``: all rows."""
        self._only = accepts
        self._change_layout(lambda: self._rows)

    def set_text_filter(self, text: str) -> None:
        """Keep only the rows with ``text`` in the text of one of their text columns (names, codes, tags: what
        the filter boxes offer to find), whatever its case."""
        self._needle = text.casefold()
        self._change_layout(lambda: self._rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """By the column's :data:`SORT_ROLE` value, ``None`` (no figure) below every other; column -1: as given."""
        self._sort_column, self._sort_order = column, order
        self._change_layout(lambda: self._sorted(self._given))

    def _sorted(self, rows: list[Row]) -> list[Row]:
        if not 0 <= self._sort_column < len(self._columns):
            return rows
        column = self._columns[self._sort_column]

        def key(row: Row) -> tuple[bool, Any]:
            value = column.sort_value(row)
            return value is not None, value

        # Stable both ways, as Qt's sort: rows with equal values keep their given order.
        return sorted(rows, key=key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    def _narrowed(self, rows: list[Row]) -> list[Row]:
        if not self._flagged_only and self._only is None and not self._needle:
            return rows
        return [row for row in rows if (self._only is None or self._only(row))
                and (not self._flagged_only or self._level(row) is not None)
                and (not self._needle or self._needle in self._search_text(row))]

    def _search_text(self, row: Row) -> str:
        key = id(row)
        text = self._searched.get(key)
        if text is None:
            text = self._searched[key] = "\n".join(
                column.shown(row) for column in self._columns if column.kind is CellKind.TEXT).casefold()
        return text

    def _change_layout(self, rows: Callable[[], list[Row]]) -> None:
        """Sort or narrow anew, ``rows`` giving every row in the new order; the persistent indexes (the view's
        selection) follow their rows, or become invalid for a row narrowed out."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        moving = [self._shown[index.row()] for index in before]
        self._rows = rows()
        self._shown = self._narrowed(self._rows)
        position = {id(row): number for number, row in enumerate(self._shown)} if before else {}
        after = [self._moved(index, position.get(id(row))) for index, row in zip(before, moving, strict=True)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _moved(self, index: QModelIndex, row: int | None) -> QModelIndex:
        return QModelIndex() if row is None else self.index(row, index.column())

    def _level(self, row: Row) -> Level | None:
        if self._row_level is None:
            return None
        key = id(row)
        if key not in self._levels:
            self._levels[key] = self._row_level(row)
        return self._levels[key]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 — Qt's signature
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 — Qt's signature
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):  # a narrowed header is cut
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if column.numeric else _LEFT)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._shown[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.shown(row)
        if role == SORT_ROLE:
            return column.sort_value(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if column.numeric else _LEFT)
        if role == Qt.ItemDataRole.ToolTipRole:
            # Long names are elided in narrow columns: the tooltip always has the whole text.
            return column.tooltip(row) if column.tooltip else column.text(row)
        return self._level_data(row, column, role)

    def _level_data(self, row: Row, column: Column[Row], role: int) -> Any:
        if role == LEVEL_ROLE:
            row_level = self._level(row)
            return row_level.value if row_level else None
        if role == Qt.ItemDataRole.BackgroundRole:
            row_level = self._level(row)
            return LEVEL_BACKGROUND[row_level] if row_level else None
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground:
            return column.foreground(row)
        return None


class PanelProxy(QSortFilterProxyModel):
    """The view's window on a :class:`RowTableModel`: header clicks sort the model, which also narrows."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The :class:`RowTableModel` sorts itself; the proxy keeps the model's order."""
        self.sourceModel().sort(column, order)

    def shown_rows(self) -> list[Any]:
        """The source rows the view shows, after the filters, in the view's sort order."""
        source = self.sourceModel()
        return [source.row_at(self.mapToSource(self.index(row, 0))) for row in range(self.rowCount())]
