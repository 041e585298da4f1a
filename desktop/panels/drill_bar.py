"""Where a drill-down stands (类 › 款 › 项), the way back up, and the path itself."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


class Drillable(Protocol):
    code: str
    name: str
    can_drill: bool


class DrillBar(QWidget):
    """Emits ``moved`` when the level changes; the panel then reads the rows below :meth:`parent_code`."""

    moved = Signal()

    def __init__(self, root_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._root_text = root_text
        self._path: list[Drillable] = []
        self._back = QPushButton(self.tr("← 返回上一级"))
        self._back.clicked.connect(self._up)
        self._trail = QLabel()
        self._trail.setToolTip(self.tr("（双击一行查看下一级）"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._back)
        layout.addWidget(self._trail, 1)
        self._show()

    def parent_code(self) -> str | None:
        return self._path[-1].code if self._path else None

    def descend(self, row: Drillable) -> None:
        if row.can_drill:
            self._path.append(row)
            self._show()
            self.moved.emit()

    def reset(self) -> None:
        """Back to the top (another dimension, or the level no longer exists in this scope)."""
        self._path.clear()
        self._show()

    def _up(self) -> None:
        if self._path:
            self._path.pop()
            self._show()
            self.moved.emit()

    def _show(self) -> None:
        self._back.setEnabled(bool(self._path))
        self._trail.setText(" › ".join([self._root_text, *(row.name for row in self._path)]))
