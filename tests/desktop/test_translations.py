"""Every string of the main window a user reads is in the interface language: in English nothing Chinese
is left, in Chinese no English word besides the units and abbreviations of ``ALLOWED_LATIN``.

The walk covers the window title, menus and their actions, toolbars, dock titles, column headers,
table cells, labels, buttons, tooltips and placeholder texts, with every panel loaded on the fixture
replica. The replica's own text (region, department and project names…) is data, not interface, and
is taken out before the check. Also: the .ts is complete and its committed .qm is current.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QToolBar,
    QWidget,
)
from sqlalchemy import String, Text, select

from desktop.app import TRANSLATIONS, install_translators
from desktop.main_window import MainWindow
from sync.client.home import Account
from sync.client.replica import Replica
from sync.schema import REPLICATED_TABLES

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")  # ideographs, CJK punctuation
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
#: Latin a Chinese interface keeps: file types and the names Chinese offices use for them too.
ALLOWED_LATIN = frozenset({"excel", "xlsx", "csv", "zip", "png", "pdf"})
ROWS_CHECKED = 30  # table cells per view: enough to meet every formatter, cheap on the fixture


def _model_texts(view: QAbstractItemView) -> Iterator[tuple[str, str]]:
    model = view.model()
    if model is None:
        return
    where = f"{type(view).__name__} {view.objectName()}"
    for column in range(model.columnCount()):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            yield f"{where} header {column}", model.headerData(column, Qt.Orientation.Horizontal, role)
        for row in range(min(model.rowCount(), ROWS_CHECKED)):
            index = model.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                yield f"{where} cell {row},{column}", index.data(role)


def _action_texts(action: QAction, where: str) -> Iterator[tuple[str, str]]:
    yield f"{where} action", action.text()
    yield f"{where} action tooltip", action.toolTip()
    yield f"{where} action status tip", action.statusTip()


def _widget_texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    where = f"{type(widget).__name__} {widget.objectName()}"
    yield f"{where} tooltip", widget.toolTip()
    if isinstance(widget, QLabel | QAbstractButton):
        yield where, widget.text()
    if isinstance(widget, QLineEdit):
        yield f"{where} placeholder", widget.placeholderText()
    if isinstance(widget, QGroupBox):
        yield where, widget.title()
    if isinstance(widget, QTabBar):
        for index in range(widget.count()):
            yield f"{where} tab", widget.tabText(index)
    if hasattr(widget, "placeholderText") and not isinstance(widget, QLineEdit):
        yield f"{where} placeholder", widget.placeholderText()


def interface_texts(window: MainWindow) -> Iterator[tuple[str, str]]:
    """(where, text) for everything of the window a user can read."""
    yield "window title", window.windowTitle()
    for menu in window.findChildren(QMenu):
        yield "menu", menu.title()
        for action in menu.actions():
            yield from _action_texts(action, f"menu {menu.title()}")
    for bar in window.findChildren(QToolBar):
        yield "toolbar", bar.windowTitle()
        for action in bar.actions():
            yield from _action_texts(action, "toolbar")
    for dock in window.findChildren(QDockWidget):
        yield f"dock {dock.objectName()}", dock.windowTitle()
    for view in window.findChildren(QAbstractItemView):
        yield from _model_texts(view)
    for widget in window.findChildren(QWidget):
        yield from _widget_texts(widget)


def data_strings(account: Account) -> list[str]:
    """Every text value in the replica, longest first (so a name is removed before a part of it)."""
    found: set[str] = set()
    with Replica(account.replica_path) as replica, replica.reading() as conn:
        for table in REPLICATED_TABLES:
            columns = [column for column in table.columns if isinstance(column.type, String | Text)]
            if columns:
                found.update(value for row in conn.execute(select(*columns)) for value in row if value)
    return sorted(found, key=len, reverse=True)


def without_data(text: str, data: list[str]) -> str:
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    return re.sub(r"<[^>]+>", " ", text)  # rich text's tags are markup, not words


def left_over(window: MainWindow, account: Account, wrong: Callable[[str], bool]) -> list[str]:
    """Every panel loaded, the interface texts in which ``wrong`` finds something besides the data."""
    for panel in window.panels.values():
        panel.ensure_loaded()
    data = data_strings(account)
    found = {(where, text) for where, text in interface_texts(window)
             if isinstance(text, str) and wrong(without_data(text, data))}
    return [f"  {where}: {text!r}" for where, text in sorted(found)]


@pytest.fixture
def language(qapp, request) -> Iterator[str]:
    """The translators of ``request.param``; ask for it before ``window`` (made in that language)."""
    translators = install_translators(qapp, request.param)
    yield request.param
    for translator in translators:
        qapp.removeTranslator(translator)


@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_english_mode_leaves_no_chinese(language, window, account):
    left = left_over(window, account, lambda text: bool(CHINESE.search(text)))
    assert not left, "untranslated (add them to resources/translations/budgetwatch_en.ts):\n" + "\n".join(left)


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_chinese_mode_has_no_english_words(language, window, account):
    left = left_over(window, account,
                     lambda text: bool({word.lower() for word in LATIN_WORD.findall(text)} - ALLOWED_LATIN))
    assert not left, "English words in the Chinese interface:\n" + "\n".join(left)


def test_the_english_translation_is_complete_and_compiled(tmp_path):
    source = TRANSLATIONS / "budgetwatch_en.ts"
    assert 'type="unfinished"' not in source.read_text(encoding="utf-8"), f"{source} has untranslated entries"
    compiled = tmp_path / "budgetwatch_en.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), "-silent", str(source), "-qm", str(compiled)], check=True)
    assert compiled.read_bytes() == (TRANSLATIONS / "budgetwatch_en.qm").read_bytes(), (
        "budgetwatch_en.qm is older than the .ts: run pyside6-lrelease resources/translations/budgetwatch_en.ts")


def test_qt_standard_dialogs_follow_the_language(qapp):
    for language, expected in (("en", "Cancel"), ("zh_CN", "取消")):
        translators = install_translators(qapp, language)
        try:
            assert QCoreApplication.translate("QPlatformTheme", "Cancel") == expected
        finally:
            for translator in translators:
                qapp.removeTranslator(translator)
