"""Signing out a shared PC's user who walked away: no keyboard or mouse for the configured minutes."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

USER_INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                        QEvent.Type.Wheel, QEvent.Type.TouchBegin})
CHECK_INTERVAL_MS = 15_000


class IdleWatch(QObject):
    """Install on the application; emits ``idle`` once per idle spell longer than the limit."""

    idle = Signal()

    def __init__(self, limit_minutes: int, clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._limit_seconds = limit_minutes * 60
        self._clock = clock
        self._last_input = clock()
        self._fired = False
        self._timer = QTimer(self, interval=CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        if limit_minutes > 0:
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in USER_INPUT:
            self._last_input = self._clock()
            self._fired = False
        return False

    def check(self) -> None:
        if self._limit_seconds and not self._fired and self._clock() - self._last_input >= self._limit_seconds:
            self._fired = True
            self.idle.emit()
