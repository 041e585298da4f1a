"""The desktop around its window: language, screenshot mode, signing out on a shared PC."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QCoreApplication, QLocale, QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from desktop.app import install_translators, interface_language
from desktop.idle_watch import IdleWatch
from desktop.settings import LANGUAGE, Preferences
from sync.client.credentials import TokenStore


def test_chinese_unless_the_locale_or_the_setting_says_otherwise(tmp_path):
    preferences = Preferences(tmp_path)
    assert interface_language(preferences, QLocale.c()) == "zh_CN"  # C / POSIX: a Chinese office PC
    assert interface_language(preferences, QLocale(QLocale.Language.Chinese, QLocale.Country.China)) == "zh_CN"
    assert interface_language(preferences, QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)) == "en"
    preferences.set(LANGUAGE, "en")
    assert interface_language(preferences, QLocale.c()) == "en"


def test_english_comes_from_the_compiled_translation(qapp):
    translators = install_translators(qapp, "en")
    try:
        assert translators, "resources/translations/budgetwatch_en.qm is missing"
        assert QCoreApplication.translate("MainWindow", "立即同步") == "Sync now"
        assert QCoreApplication.translate("SuggestionState", "待上传") == "Waiting to upload"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_screenshot_mode_writes_the_window_and_exits(home, tmp_path):
    picture = tmp_path / "execution.png"
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--home", str(home), "--user", "deputy01", "--screenshot", str(picture),
         "--panel", "execution"],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    image = QImage(str(picture))
    assert (image.width(), image.height()) == (1440, 900)


def test_idle_watch_fires_once_per_idle_spell(qtbot):
    now = [0.0]
    watch = IdleWatch(2, clock=lambda: now[0])
    with qtbot.assertNotEmitted(watch.idle):
        now[0] = 119
        watch.check()
    with qtbot.waitSignal(watch.idle, timeout=100):
        now[0] = 120
        watch.check()
    with qtbot.assertNotEmitted(watch.idle):
        watch.check()


def test_keys_and_the_mouse_on_the_window_count_as_the_user_being_there(desktop):
    app = desktop("deputy01")
    window, watch = app.window.windowHandle(), app._idle
    for act in (lambda: QTest.keyClick(window, Qt.Key.Key_Shift),
                lambda: QTest.mouseMove(window, QPoint(200, 300)),
                lambda: QTest.mouseClick(window, Qt.MouseButton.LeftButton, pos=QPoint(220, 300))):
        watch._last_input = float("-inf")  # idle since forever
        act()
        assert watch._last_input > float("-inf")
    app.shut_down()
    watch._last_input = float("-inf")
    QTest.keyClick(window, Qt.Key.Key_Shift)
    assert watch._last_input == float("-inf")  # shut down: no longer watching


def test_idle_sign_out_closes_the_user_view_and_keeps_only_a_remembered_token(desktop):
    app = desktop("deputy01")
    account = app.account
    TokenStore(account).save("remembered")
    app._on_idle()
    assert app.account is None and app.window.suggestions.is_empty()
    assert TokenStore(account).load() == "remembered"  # 记住我: back in two clicks
    app.open_account(account)
    app.sign_out(forget_token=True)  # 退出登录
    assert TokenStore(account).load() is None
    assert app.window.panels["budget"].is_empty() and app.window.sync_label.text() == "● 未登录"
