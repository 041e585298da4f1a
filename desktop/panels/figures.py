"""Headline figures above a panel's table: a caption, a big number and its unit."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.queries.thresholds import Level


class FigureCard(QFrame):
    def __init__(self, caption: str, unit: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(2)
        self._caption = QLabel(caption, objectName="figureCaption")
        value_row = QHBoxLayout()
        value_row.setSpacing(6)
        self._value = QLabel("—", objectName="figureValue")
        self._unit = QLabel(unit, objectName="figureUnit")
        value_row.addWidget(self._value)
        value_row.addWidget(self._unit)
        value_row.addStretch(1)
        layout.addWidget(self._caption)
        layout.addLayout(value_row)

    def set_value(self, text: str, level: Level | None = None, unit: str | None = None) -> None:
        self._value.setText(text)
        if unit is not None:
            self._unit.setText(unit)
        self._value.setProperty("level", level.value if level else "")
        # A dynamic property only restyles after the style is re-applied.
        self._value.style().unpolish(self._value)
        self._value.style().polish(self._value)

    def value_text(self) -> str:
        return self._value.text()


class FigureStrip(QWidget):
    """A row of :class:`FigureCard`, addressed by a key."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(10)
        self._cards: dict[str, FigureCard] = {}

    def add(self, key: str, caption: str, unit: str = "") -> FigureCard:
        card = FigureCard(caption, unit, self)
        self._layout.addWidget(card)
        self._cards[key] = card
        return card

    def __getitem__(self, key: str) -> FigureCard:
        return self._cards[key]
