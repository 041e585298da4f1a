"""Every desktop setting in one place: key, type, default and the label a user reads.

Two files under ``BUDGETWATCH_HOME``: ``desktop.ini`` holds user preferences (declared here), and
``desktop-state.ini`` holds UI state the program remembers by itself (window layout, the last user).
Keeping them apart means "restore the default layout" never resets a preference, and a preference
file can be preset for a whole district.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings

T = TypeVar("T")

PREFERENCES_FILE = "desktop.ini"
UI_STATE_FILE = "desktop-state.ini"


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    type: type[T]
    default: T
    label: str  # source text; shown through QCoreApplication.translate("Settings", label)
    choices: tuple[T, ...] = ()
    minimum: int = 0
    maximum: int = 0


LANGUAGE = Setting("ui/language", str, "auto", QT_TRANSLATE_NOOP("Settings", "界面语言（auto = 跟随系统）"),
                   choices=("auto", "zh_CN", "en"))
FONT_POINT_SIZE = Setting("ui/font_point_size", int, 11, QT_TRANSLATE_NOOP("Settings", "字号（磅）"),
                          minimum=9, maximum=20)
IDLE_SIGN_OUT_MINUTES = Setting("session/idle_sign_out_minutes", int, 30,
                                QT_TRANSLATE_NOOP("Settings", "无人操作多久后自动退出登录（分钟，0 = 不退出）"),
                                minimum=0, maximum=480)
AUTO_SYNC_MINUTES = Setting("sync/interval_minutes", int, 15,
                            QT_TRANSLATE_NOOP("Settings", "自动同步间隔（分钟，0 = 只在手动时同步）"),
                            minimum=0, maximum=1440)

PREFERENCES: tuple[Setting[Any], ...] = (LANGUAGE, FONT_POINT_SIZE, IDLE_SIGN_OUT_MINUTES, AUTO_SYNC_MINUTES)


class Preferences:
    """Typed access to the declared settings in ``desktop.ini``."""

    def __init__(self, home: Path) -> None:
        self._store = QSettings(str(home / PREFERENCES_FILE), QSettings.Format.IniFormat)

    def get(self, setting: Setting[T]) -> T:
        value = self._store.value(setting.key, setting.default)
        try:
            value = setting.type(value)
        except (TypeError, ValueError):
            return setting.default
        if setting.choices and value not in setting.choices:
            return setting.default
        if setting.maximum and not setting.minimum <= value <= setting.maximum:
            return setting.default
        return value

    def set(self, setting: Setting[T], value: T) -> None:
        self._store.setValue(setting.key, value)
        self._store.sync()


def ui_state(home: Path) -> QSettings:
    """Window geometry, dock layout, the last account: remembered, never asked."""
    return QSettings(str(home / UI_STATE_FILE), QSettings.Format.IniFormat)
