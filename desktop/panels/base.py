"""What every module panel has: a name for its dock, a load from the replica, and an empty state."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QLabel,
    QLayout,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.amounts import time_progress
from desktop.queries.replica import ReplicaReader, Scope

if TYPE_CHECKING:
    from desktop.queries.accounts import UserIdentity
    from desktop.replica_writer import ReplicaWriter
    from desktop.review.model import Link

log = logging.getLogger(__name__)


#: A piece of a panel's layout: a widget, a row of widgets (a layout), or a widget with its stretch.
Part = QWidget | QLayout | tuple[QWidget, int]


def _fill(layout: QBoxLayout, parts: tuple[Part, ...]) -> None:
    layout.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        if isinstance(part, tuple):
            layout.addWidget(*part)
        elif isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)


def column(*parts: Part) -> QWidget:
    """Widgets one above the other, as one widget (the right-hand side of a panel)."""
    widget = QWidget()
    _fill(QVBoxLayout(widget), parts)
    return widget


def side_by_side(first: QWidget, second: QWidget, orientation: Qt.Orientation = Qt.Orientation.Horizontal,
                 sizes: tuple[int, int] = (3, 2)) -> QSplitter:
    """Two parts the user can resize against each other, ``sizes`` their first proportion."""
    splitter = QSplitter(orientation)
    splitter.addWidget(first)
    splitter.addWidget(second)
    splitter.setSizes([size * 300 for size in sizes])
    return splitter


@dataclass(frozen=True)
class PanelContext:
    """What a panel reads from and for: the replica and the window's selection.

    Panels connect for each read and let go (a pooled connection), so no read transaction outlives a
    refresh and each refresh sees what the last sync committed.
    """

    replica: ReplicaReader
    scope: Scope
    region_name: str
    as_of_month: int  # the data's latest reported month of the year (0: none yet)
    server_date: dt.date | None  # the server's date at the last sync, for deadlines

    @property
    def time_progress(self):
        return time_progress(self.as_of_month)


def _scrolling(content: QWidget) -> QScrollArea:
    """``content`` filling the panel, with a scroll bar only where the screen is shorter than the panel's
    tables and charts need (a 1366×768 laptop): the window's minimum size stays that of the screen."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class ModulePanel(QWidget):
    """A module's content. Subclasses build ``self.content`` and implement :meth:`load`.

    The window hands every panel the new context at once (:meth:`set_context`) but has only the panels
    on screen read it (:meth:`ensure_loaded`): a change of year costs one panel's load, not six.
    """

    #: The dock's objectName, also ``--panel NAME`` on the command line.
    name: ClassVar[str]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = QWidget(self)
        self._empty = QLabel(objectName="emptyState", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(_scrolling(self.content))
        self._stack.addWidget(self._empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self._stack)
        self._pending: PanelContext | None = None
        self.last_load_ms: float | None = None

    def set_context(self, context: PanelContext) -> None:
        self._pending = context

    def ensure_loaded(self) -> None:
        if self._pending is not None:
            context, self._pending = self._pending, None
            started = time.perf_counter()
            self.load(context)
            self.last_load_ms = (time.perf_counter() - started) * 1000
            log.info("%s panel loaded in %.1f ms", self.name, self.last_load_ms)

    def arrange(self, *parts: Part) -> None:
        """Lay the content out top to bottom (figures, tools, then the main part with stretch)."""
        _fill(QVBoxLayout(self.content), parts)

    def title(self) -> str:
        raise NotImplementedError

    def attach(self, writer: ReplicaWriter | None, identity: UserIdentity | None) -> None:
        """The signed-in user (``None``: nobody): panels that write or adapt to the role keep them."""

    def show_subject(self, link: Link) -> bool:
        """Select the row a warning is about (after :meth:`ensure_loaded`); False if there is none here."""
        return False

    def load(self, context: PanelContext) -> None:
        """Read the panel's figures for the context's scope and show them."""
        raise NotImplementedError

    def show_empty(self, text: str) -> None:
        self._empty.setText(text)
        self._stack.setCurrentWidget(self._empty)

    def show_content(self) -> None:
        self._stack.setCurrentIndex(0)

    def is_empty(self) -> bool:
        return self._stack.currentWidget() is self._empty
