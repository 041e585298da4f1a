"""自动审查 in the window: review the replica off the UI thread after every sync, count the warnings on the
docks' titles, and lead from a warning to its cause or to a suggestion.

The review runs over the whole replica once per change of data; choosing another region or year only
filters what is already known, so it costs nothing.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QComboBox

from desktop.panels.warnings import WarningsPanel, warnings_in
from desktop.queries.local_suggestions import SuggestionDraft
from desktop.queries.replica import ReplicaReader
from desktop.review.model import Warning
from desktop.review.report import suggestion_text
from desktop.review_runner import ReviewRunner

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SUGGESTION_CATEGORY = "预算监督"


class AutomaticReview(QObject):
    """``reviewed`` fires on the UI thread each time a review's warnings are shown."""

    reviewed = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.warnings: list[Warning] | None = None
        self.runner = ReviewRunner(self)
        self.runner.finished.connect(self._show)
        self.runner.failed.connect(self._failed)
        self.panel.follow_requested.connect(self.follow)
        self.panel.suggest_requested.connect(self.suggest)

    @property
    def panel(self) -> WarningsPanel:
        return self._window.panels[WarningsPanel.name]

    def start(self, reader: ReplicaReader | None) -> None:
        """Review ``reader``'s replica again (``None``: nobody's data is shown)."""
        self.warnings = None
        if reader is None:
            self.runner.forget()
        else:
            self.runner.start(reader)
        self.panel.set_warnings(None)
        self.show_counts()

    def shut_down(self) -> None:
        self.runner.shut_down()

    def wait(self, timeout_ms: int) -> bool:
        """Block (running the event loop) until the review under way has been shown; False on timeout."""
        if self.runner.running:
            loop = QEventLoop()
            self.reviewed.connect(loop.quit)
            self.runner.failed.connect(loop.quit)
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
        return not self.runner.running

    def follow_first(self) -> None:
        """Select the first warning of the dock and show its cause beside it (the screenshot's view)."""
        warning = next(iter(self.panel.visible_warnings()), None)
        if warning is not None:
            self.follow(warning)
            self.panel.select(warning)

    def _show(self, warnings: list[Warning]) -> None:
        self.warnings = warnings
        self.panel.set_warnings(warnings)
        self.show_counts()
        self.reviewed.emit()

    def _failed(self, message: str) -> None:
        self.panel.set_warnings([], self.tr("无法完成自动审查：{message}").format(message=message))

    # ------------------------------------------------------------ counts on the docks

    def show_counts(self) -> None:
        """Each dock's title with the number of warnings it shows the cause of, for the selected scope."""
        scope = self._window.current_scope()
        shown = warnings_in(self.warnings, scope) if self.warnings and scope else []
        counts = Counter(w.link.panel for w in shown)
        for name, dock in self._window.docks.items():
            count = len(shown) if name == WarningsPanel.name else counts[name]
            title = self._window.panels[name].title()
            # Half-width brackets: seven tabs with counts must still fit beside the 预警 dock unelided.
            dock.setWindowTitle(self.tr("{title} ({count})").format(title=title, count=count) if count else title)

    # ------------------------------------------------------------ from a warning to its cause

    def follow(self, warning: Warning) -> None:
        """Select the warning's year (and region, for a region), raise its panel, select its row."""
        window, link = self._window, warning.link
        if link.region is not None:
            _choose(window.region_box, link.region)
        _choose(window.year_box, warning.year)
        window.raise_panel(link.panel)
        panel = window.panels[link.panel]
        panel.ensure_loaded()
        panel.show_subject(link)

    def suggest(self, warning: Warning) -> None:
        """The suggestion editor, prefilled from the warning and already saved as a draft."""
        title, body = suggestion_text(warning)
        subject = warning.subject
        draft = SuggestionDraft(
            suggestion_id=str(uuid.uuid4()), title=title, body=body, category=SUGGESTION_CATEGORY,
            region_code=subject.region_code,
            project_id=int(subject.id) if subject.type == "project" else None,
            policy_id=int(subject.id) if subject.type == "policy" else None)
        self._window.raise_panel("suggestions")
        self._window.suggestions.ensure_loaded()
        self._window.suggestions.start_from(draft)


def _choose(box: QComboBox, value: object) -> None:
    index = box.findData(value)
    if index >= 0 and index != box.currentIndex():
        box.setCurrentIndex(index)
