"""Starting the desktop, and what happens around the window: who is signed in, syncing, switching user.

``budgetwatch [--server URL] [--home DIR] [--user NAME] [--screenshot FILE [--panel NAME]]``.
The window opens straight onto the last user's replica — network or not — and syncs in the background.
Nothing here waits on the network: signing in, syncing and changing the password run on the sync
worker; this module reacts to its signals.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import logging
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QIcon, QWindow
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

import resources
from desktop.diagnostics import start_app_log
from desktop.duty_record import DutyRecorder
from desktop.idle_watch import IdleWatch
from desktop.main_window import PANEL_TYPES, MainWindow, SyncState
from desktop.panels.warnings import WarningsPanel
from desktop.queries.accounts import LocalAccount, UserIdentity, identity_of, local_accounts, read_state
from desktop.queries.local_suggestions import waiting_commands
from desktop.queries.replica import ReplicaReader
from desktop.replica_writer import ReplicaWriter
from desktop.server_session import revoke_token
from desktop.settings import AUTO_SYNC_MINUTES, FONT_POINT_SIZE, IDLE_SIGN_OUT_MINUTES, LANGUAGE, Preferences, ui_state
from desktop.style import apply_look
from desktop.sync_worker import SyncController
from desktop.update_notice import newer_release
from sync.client.config import ClientConfig, ConfigError, load_config
from sync.client.credentials import TokenFileError, TokenStore
from sync.client.errors import (
    BadCredentials,
    ClientOutdated,
    Offline,
    PasswordChangeRequired,
    ServerUnavailable,
    SignedOut,
    SyncError,
    TlsError,
)
from sync.client.home import Account, client_home
from sync.client.progress import ProgressEvent, SyncReport
from sync.client.replica import bring_up_to_date
from sync.version import installed_version

if TYPE_CHECKING:  # the dialogs are imported when first opened: nothing at start-up needs them
    from desktop.dialogs.change_password import ChangePasswordDialog
    from desktop.dialogs.sign_in import SignInDialog

log = logging.getLogger(__name__)

PASSWORD_ENV = "BUDGETWATCH_PASSWORD"
TRANSLATIONS = Path(resources.__file__).parent / "translations"
ICONS = Path(resources.__file__).parent / "icons"
SCREENSHOT_SIZE = (1440, 900)
SCREENSHOT_SYNC_TIMEOUT_MS = 120_000
SCREENSHOT_REVIEW_TIMEOUT_MS = 60_000
SIGNED_IN_STAGES = ("push", "pull", "heal", "done")  # progress past these means the sign-in worked
#: Allocations between the collector's youngest-generation passes (CPython's default: 700).
GC_YOUNG_THRESHOLD = 20_000


# ---------------------------------------------------------------- language

def interface_language(preferences: Preferences, system: QLocale | None = None) -> str:
    """``zh_CN`` unless the setting or an explicitly non-Chinese system locale says otherwise
    (``C``/``POSIX`` count as Chinese: a PC set up without a locale is still in a Chinese office)."""
    chosen = preferences.get(LANGUAGE)
    if chosen != "auto":
        return chosen
    language = (system or QLocale.system()).language()
    return "zh_CN" if language in (QLocale.Language.C, QLocale.Language.Chinese) else "en"


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """English: our own .qm. Chinese: the source strings. Either way Qt's own catalogue, so the standard
    dialogs (file chooser, message box buttons) speak the same language."""
    loaded = []
    qt_translations = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    candidates = ([(TRANSLATIONS, "budgetwatch_en"), (qt_translations, "qtbase_en")] if language == "en" else
                  [(qt_translations, "qtbase_zh_CN")])
    for directory, name in candidates:
        translator = QTranslator(app)
        if translator.load(name, str(directory)):
            app.installTranslator(translator)
            loaded.append(translator)
        else:
            log.warning("translation %s not found in %s", name, directory)
    return loaded


# ---------------------------------------------------------------- the application

class DesktopApp(QObject):
    """The window, the signed-in account, and the sync worker, wired together."""

    def __init__(self, home: Path, config: ClientConfig, preferences: Preferences, *, interactive: bool = True,
                 password: str | None = None) -> None:
        super().__init__()
        self.home = home
        self.config = config
        self.preferences = preferences
        self.interactive = interactive  # False in screenshot mode: never wait on a dialog
        self._password = password  # from BUDGETWATCH_PASSWORD, for scripts and checks
        self._ui_state = ui_state(home)
        self.window = MainWindow(self._ui_state)
        self.sync = SyncController(self)
        self.account: Account | None = None
        self.reader: ReplicaReader | None = None
        self.writer: ReplicaWriter | None = None
        self._candidate: Account | None = None  # signing in, not yet shown
        self._duty: DutyRecorder | None = None  # the signed-in deputy's duty record
        self._asked_by_user = False  # the running sync came from 「立即同步」 or a dialog, not a timer
        self._sign_in_dialog: SignInDialog | None = None
        self._password_dialog: ChangePasswordDialog | None = None
        self._connect()
        self._idle = IdleWatch(preferences.get(IDLE_SIGN_OUT_MINUTES), parent=self)
        self._idle.idle.connect(self._on_idle)
        self._focus_watch = QApplication.instance().focusWindowChanged.connect(self._watch_input)
        self._auto_sync = QTimer(self, interval=max(preferences.get(AUTO_SYNC_MINUTES), 1) * 60_000)
        self._auto_sync.timeout.connect(self.sync_in_background)
        if preferences.get(AUTO_SYNC_MINUTES):
            self._auto_sync.start()
        self._watch_network()

    def _connect(self) -> None:
        window = self.window
        window.sync_requested.connect(self.sync_now)
        window.panel_opened.connect(lambda name: self._duty and self._duty.panel_opened(self.window.panels[name]))
        window.sign_in_requested.connect(lambda: self.ask_sign_in(self.account.username if self.account else None))
        window.switch_requested.connect(self.switch_to)
        window.sign_out_requested.connect(lambda: self.sign_out(forget_token=True))
        window.change_password_requested.connect(lambda: self.ask_new_password(forced=False))
        window.preferences_requested.connect(self.open_preferences)
        window.diagnostics_requested.connect(self.export_diagnostics)
        self.sync.progress.connect(self._on_progress)
        self.sync.finished.connect(self._on_finished)
        self.sync.failed.connect(self._on_failed)
        QApplication.instance().aboutToQuit.connect(self.shut_down)

    def open_preferences(self) -> None:
        from desktop.dialogs.preferences import PreferencesDialog

        PreferencesDialog(self.preferences, self.window).open()

    def _watch_network(self) -> None:
        """Sync as soon as the network comes back, where the platform can tell us."""
        from PySide6.QtNetwork import QNetworkInformation

        if QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
            information = QNetworkInformation.instance()
            information.reachabilityChanged.connect(
                lambda reachability: reachability == QNetworkInformation.Reachability.Online
                and self.sync_in_background())

    # ------------------------------------------------------------ choosing and opening an account

    def choose_account(self, server: str | None, username: str | None) -> Account | None:
        """``--user`` (on ``--server``, the district's server, or where they synced before), else the
        last user, else the only user of this PC."""
        known = local_accounts(self.home)
        if username:
            server = server or self.config.server or next(
                (a.account.server for a in known if a.account.username == username), None)
            return Account.of(self.home, server, username) if server else None
        last_server, last_user = self._ui_state.value("session/server"), self._ui_state.value("session/user")
        for local in known:
            if (local.account.server, local.account.username) == (last_server, last_user):
                return local.account
        return known[0].account if len(known) == 1 else None

    def start(self, server: str | None, username: str | None) -> None:
        account = self.choose_account(server, username)
        self.window.show()
        self._watch_input(self.window.windowHandle())
        if account is None:
            self.window.show_replica(None)
            self._show_account_state()
            self.ask_sign_in(username)
            return
        if account.replica_path.exists():
            self.open_account(account)
            if self._password:
                self.sync_now()
            else:
                self.sync_in_background()
        else:
            self._candidate = account
            self.window.show_replica(None)
            if self._password:
                self._start_sync(account, password=self._password)
            else:
                self.ask_sign_in(account.username)

    def open_account(self, account: Account) -> None:
        """Show ``account``'s replica (its own drafts and outbox) and remember them as the last user."""
        self.close_account()
        self.account = account
        bring_up_to_date(account.replica_path)
        self.reader = ReplicaReader(account.replica_path)
        self.writer = ReplicaWriter(account, self)
        self.writer.done.connect(lambda *_: self._refresh_pending())
        self._ui_state.setValue("session/server", account.server)
        self._ui_state.setValue("session/user", account.username)
        identity = self._identity()
        self._duty = DutyRecorder(self.writer, identity)
        self._duty.record("sign_in")
        for name in self.window.panels_on_screen():
            self._duty.panel_opened(self.window.panels[name])
        self.window.attach_user(self.writer, identity)
        self._show_account_state()
        self.window.show_replica(self.reader)
        # A turn of the event loop later: the window repaints between the panels and the status bar's link.
        QTimer.singleShot(0, self, self._show_update_notice)

    def close_account(self) -> None:
        if self.account is None:
            return
        if self._session_only(self.account):
            self._forget_token(self.account)
        self.window.attach_user(None, None)
        self._duty = None
        self.writer.close()
        self.reader.dispose()
        self.account = self.reader = self.writer = None

    def _identity(self) -> UserIdentity | None:
        if self.reader is None or not self.reader.exists():
            return None
        with self.reader.connect() as conn:
            return identity_of(read_state(conn), self.account.username)

    def _token(self, account: Account) -> str | None:
        try:
            return TokenStore(account).load()
        except TokenFileError as exc:
            log.warning("%s", exc)
            return None

    def _show_account_state(self) -> None:
        others = [local for local in local_accounts(self.home) if local.account != self.account]
        signed_in = self.account is not None and self._token(self.account) is not None
        self.window.set_account(self._identity() if self.account else None, signed_in, others)
        if self.account is None or not signed_in:
            self.window.show_sync_state(SyncState.SIGNED_OUT, self.tr("请登录后同步；本机数据照常可看"))

    def _refresh_pending(self) -> None:
        """After a write to the outbox: the status bar's 待上传 count (the 意见建议 panel reloads itself)."""
        if self.reader is not None:
            with self.reader.connect() as conn:
                self.window.show_pending(waiting_commands(conn))

    # ------------------------------------------------------------ "remember me"

    def _remember_key(self, account: Account) -> str:
        return f"remember/{account.server}|{account.username}"

    def _session_only(self, account: Account) -> bool:
        return self._ui_state.value(self._remember_key(account), "true") == "false"

    def _forget_token(self, account: Account) -> None:
        token = self._token(account)
        TokenStore(account).clear()
        if token:
            config = self.config
            # Best effort and never in the way: offline, the token simply expires on the server.
            threading.Thread(target=_revoke_quietly, args=(account, config, token), daemon=True).start()

    # ------------------------------------------------------------ syncing

    def sync_in_background(self) -> None:
        """A timer's or the network's sync: only with a token, never a dialog."""
        if self.account is not None and self._token(self.account) and not self.sync.is_running():
            self._start_sync(self.account, asked_by_user=False)

    def sync_now(self) -> None:
        """「立即同步」: sign in first if there is no token."""
        if self.account is None or not self._token(self.account):
            if self._password and self.account is not None:
                self._start_sync(self.account, password=self._password)
            else:
                self.ask_sign_in(self.account.username if self.account else None)
            return
        self._start_sync(self.account)

    def _start_sync(self, account: Account, *, password: str | None = None, new_password: str | None = None,
                    asked_by_user: bool = True) -> None:
        if self.sync.start(account, self.config, password=password, new_password=new_password):
            self._asked_by_user = asked_by_user
            self.window.show_sync_state(SyncState.SYNCING)

    def _on_progress(self, event: ProgressEvent) -> None:
        if self._candidate is not None and event.stage in SIGNED_IN_STAGES:
            candidate, self._candidate = self._candidate, None
            self._close_dialogs()
            self.open_account(candidate)
        if event.stage != "sign_in":
            self.window.show_sync_progress(event.rows, event.total)

    def _on_finished(self, report: SyncReport) -> None:
        if self._candidate is not None:  # nothing to pull, so no progress came: signed in all the same
            candidate, self._candidate = self._candidate, None
            self.open_account(candidate)
        self._close_dialogs()
        self._show_account_state()
        self.window.show_replica(self.reader)
        detail = self.tr("拉取 {rows} 行，上传 {commands} 条").format(rows=report.rows_pulled,
                                                                 commands=report.commands_pushed)
        self.window.show_sync_state(SyncState.SYNCED, detail)
        self._show_update_notice()

    def _on_failed(self, error: SyncError) -> None:
        message = str(error)
        log.info("sync failed: %s: %s", type(error).__name__, message)
        candidate, self._candidate = self._candidate, None
        if isinstance(error, PasswordChangeRequired):
            self._show_failure(SyncState.SIGNED_OUT, message)
            current = self._sign_in_dialog.password.text() if self._sign_in_dialog else ""
            self._close_dialogs(keep_password_dialog=True)
            if self._password_dialog is not None:
                self._password_dialog.show_error(message)
            else:
                self.ask_new_password(forced=True, account=candidate, current=current)
        elif isinstance(error, SignedOut):  # bad credentials, expired or revoked token
            self._show_failure(SyncState.SIGNED_OUT, message)
            if self._sign_in_dialog is not None or self._password_dialog is not None:
                self._tell_dialogs(message)
            elif self._asked_by_user and not isinstance(error, BadCredentials):
                self.ask_sign_in(self.account.username if self.account else None)
        elif isinstance(error, Offline | ServerUnavailable | TlsError):
            self._show_failure(SyncState.OFFLINE, message)
            self._tell_dialogs(message)
        else:
            self._show_failure(SyncState.FAILED, message)
            self._tell_dialogs(message)
            if isinstance(error, ClientOutdated):
                self._tell_outdated(message, error.download_url or self.config.update_url)

    def _tell_outdated(self, message: str, download_url: str | None) -> None:
        """The server no longer syncs with this version: say so plainly, with where to get the new one.
        Nothing is lost: the outbox waits for the updated program."""
        self.window.show_update_required(download_url)
        if not self.interactive:
            return
        where = (self.tr("新版本下载地址：{url}").format(url=download_url) if download_url
                 else self.tr("请向人大工委索取新版本。"))
        QMessageBox.warning(self.window, self.tr("需要更新"),
                            "\n\n".join([message, where, self.tr("本机尚未上传的内容都已保留，更新后会自动上传。")]))

    def _show_update_notice(self) -> None:
        if self.reader is None or not self.reader.exists():
            return
        with self.reader.connect() as conn:
            state = read_state(conn)
        self.window.show_update_notice(newer_release(state, installed_version(), self.config.update_url))

    def export_diagnostics(self) -> None:
        """帮助 → 导出诊断信息: a zip for the district's IT (no passwords or tokens in it)."""
        from desktop.diagnostics import write_diagnostics

        suggested = Path.home() / f"budgetwatch-diagnostics-{dt.date.today():%Y%m%d}.zip"
        chosen, _filter = QFileDialog.getSaveFileName(self.window, self.tr("导出诊断信息"), str(suggested),
                                                      self.tr("压缩文件 (*.zip)"))
        if not chosen:
            return
        try:
            write_diagnostics(Path(chosen), self.home, self.config)
        except OSError as exc:
            QMessageBox.warning(self.window, self.tr("导出诊断信息"),
                                self.tr("无法写入 {path}：{error}").format(path=chosen, error=exc.strerror or exc))
            return
        self.window.statusBar().showMessage(self.tr("诊断信息已保存到 {path}").format(path=chosen), 10_000)

    def _show_failure(self, state: SyncState, message: str) -> None:
        if self.account is not None:
            self._show_account_state()
        self.window.show_sync_state(state, message)

    def _tell_dialogs(self, message: str) -> None:
        for dialog in (self._sign_in_dialog, self._password_dialog):
            if dialog is not None:
                dialog.show_error(message)

    # ------------------------------------------------------------ dialogs

    def ask_sign_in(self, username: str | None = None) -> None:
        if not self.interactive or self._sign_in_dialog is not None:
            return
        from desktop.dialogs.sign_in import SignInDialog

        known = local_accounts(self.home)
        server = self.config.server or (self.account.server if self.account else None) or next(
            (a.account.server for a in known), None)
        dialog = SignInDialog(server, [a.account.username for a in known], username,
                              server_preset=bool(self.config.server), parent=self.window)
        dialog.submitted.connect(self._sign_in)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self._sign_in_dialog = dialog
        dialog.open()

    def _sign_in(self, server: str, username: str, password: str, remember: bool) -> None:
        account = Account.of(self.home, server, username)
        self._ui_state.setValue(self._remember_key(account), "true" if remember else "false")
        if self.sync.is_running():
            self.sync.stop()
        self._candidate = None if account == self.account else account
        self._start_sync(account, password=password)

    def ask_new_password(self, forced: bool, account: Account | None = None, current: str = "") -> None:
        """修改密码 — forced when the server refuses the account until it is changed."""
        account = account or self.account
        if not self.interactive or account is None or self._password_dialog is not None:
            return
        from desktop.dialogs.change_password import ChangePasswordDialog

        dialog = ChangePasswordDialog(account.username, forced, current, self.window)
        dialog.submitted.connect(lambda old, new: self._change_password(account, old, new))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self._password_dialog = dialog
        dialog.open()

    def _change_password(self, account: Account, current: str, new: str) -> None:
        self._candidate = None if account == self.account else account
        self._start_sync(account, password=current, new_password=new)

    def _dialog_closed(self, dialog: object) -> None:
        if dialog is self._sign_in_dialog:
            self._sign_in_dialog = None
        elif dialog is self._password_dialog:
            self._password_dialog = None

    def _close_dialogs(self, keep_password_dialog: bool = False) -> None:
        if self._sign_in_dialog is not None:
            self._sign_in_dialog.accept()
        if self._password_dialog is not None and not keep_password_dialog:
            self._password_dialog.accept()

    # ------------------------------------------------------------ switching and signing out

    def switch_to(self, chosen: LocalAccount | None) -> None:
        """切换用户: straight to a user who chose 记住我, else their sign-in."""
        if chosen is not None and self._token(chosen.account):
            self.sync.stop()
            self.open_account(chosen.account)
            self.sync_in_background()
        else:
            self.ask_sign_in(chosen.account.username if chosen else "")

    def sign_out(self, forget_token: bool) -> None:
        """Close the user's data; 退出登录 forgets the token, an idle sign-out only a session-only one."""
        if self.account is None:
            return
        self.sync.stop()
        account = self.account
        if forget_token:
            self._forget_token(account)
        self.close_account()
        self.window.show_replica(None)
        self._show_account_state()
        self.ask_sign_in()

    def _watch_input(self, window: QWindow | None) -> None:
        """The idle watch filters each window the user works in (the main window, then each that takes the
        focus): keys and the mouse reach a window before its widgets. Not the whole application, whose every
        paint, layout and timer event would be a call into Python, waiting for the GIL while a sync runs."""
        if window is not None:
            window.installEventFilter(self._idle)

    def _on_idle(self) -> None:
        if self.account is not None and self._sign_in_dialog is None:
            log.info("signing %s out after %s idle minutes", self.account.username,
                     self.preferences.get(IDLE_SIGN_OUT_MINUTES))
            self.sign_out(forget_token=self._session_only(self.account))

    def shut_down(self) -> None:
        QObject.disconnect(self._focus_watch)  # False when already shut down
        for window in QApplication.topLevelWindows():
            window.removeEventFilter(self._idle)
        self.sync.stop()
        self.window.review.shut_down()
        self.close_account()

    # ------------------------------------------------------------ screenshot mode

    def screenshot(self, path: Path, server: str | None, username: str | None, panel: str | None,
                   suggestion: str | None = None) -> bool:
        """Open on the replica (syncing first when a token or password allows), raise ``panel`` (or the
        suggestions panel on ``suggestion``, a registration number, with its history), save a PNG."""
        account = self.choose_account(server, username)
        self.window.resize(*SCREENSHOT_SIZE)
        self.window.show()
        if account is not None:
            if account.replica_path.exists():
                self.open_account(account)
            else:
                self._candidate = account
                self.window.show_replica(None)
            if self._token(account) or self._password:
                self._wait_for_sync(account)
        else:
            self.window.show_replica(None)
            self._show_account_state()
        if panel:
            self.window.raise_panel(panel)
        reviewed = self.window.review.wait(SCREENSHOT_REVIEW_TIMEOUT_MS)  # the docks' titles count its warnings
        if panel == WarningsPanel.name and reviewed:
            self.window.review.follow_first()  # the cause is selected in its panel, behind the warnings tab
            self.window.raise_panel(panel)
        if suggestion:
            self.window.raise_panel("suggestions")
            self.window.suggestions.ensure_loaded()
            self.window.suggestions.show_suggestion(suggestion)
            self.window.suggestions.attachments.wait(SCREENSHOT_SYNC_TIMEOUT_MS)  # its thumbnails downloaded
        _settle(400)
        return self.window.grab().save(str(path), "PNG")

    def _wait_for_sync(self, account: Account) -> None:
        loop = QEventLoop()
        self.sync.finished.connect(loop.quit)
        self.sync.failed.connect(loop.quit)
        QTimer.singleShot(SCREENSHOT_SYNC_TIMEOUT_MS, loop.quit)
        self._start_sync(account, password=None if self._token(account) else self._password)
        if self.sync.is_running():
            loop.exec()
        self.sync.stop()


def _revoke_quietly(account: Account, config: ClientConfig, token: str) -> None:
    try:
        revoke_token(account, config, token)
    except SyncError as exc:
        log.info("token not revoked on the server (%s); it expires there by itself", exc)


def _settle(milliseconds: int) -> None:
    """Let layouts, style polish and chart painting finish before a grab."""
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


# ---------------------------------------------------------------- entry points

def application_icon() -> QIcon:
    icon = QIcon()
    for path in sorted(ICONS.glob("budgetwatch-*.png")):
        icon.addFile(str(path))
    return icon


def make_application(preferences: Preferences) -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("budgetwatch")
    app.setApplicationDisplayName("预算联网监督")
    app.setApplicationVersion(installed_version())
    app.setDesktopFileName("budgetwatch")  # matches the .desktop entry, for the taskbar's icon
    app.setWindowIcon(application_icon())
    install_translators(app, interface_language(preferences))
    apply_look(app, preferences.get(FONT_POINT_SIZE))
    return app


def tune_garbage_collector() -> None:
    """Keep the cycle collector out of the window's way, before the window is built.

    A panel's fill makes tens of thousands of short-lived objects (a city's 17 500 rows): with CPython's
    defaults that set off a hundred young collections and a full one, which walked the start-up's 190 000
    long-lived objects (Qt wrappers, pyqtgraph, SQLAlchemy) — 80–130 ms of a 100 ms budget
    (benchmarks/desktop_start.py). Rarer young passes, and the objects alive once the window is up moved
    out of the collector's sight (``gc.freeze``; reference counting still frees them), bring it to ~10 ms.
    """
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def freeze_start_up_objects() -> None:
    """Call once the window is built: what exists now lives as long as the program (the little garbage among
    it stays, rather than spending a full collection on start-up)."""
    gc.freeze()


def run(args: argparse.Namespace) -> int:
    """Start the desktop from ``budgetwatch``'s parsed arguments; returns the exit code."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    home = client_home(args.home)
    start_app_log(home)
    try:
        config = load_config(home, getattr(args, "config", None))
    except ConfigError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    panel = getattr(args, "panel", None)
    if panel and panel not in {panel_type.name for panel_type in PANEL_TYPES}:
        print(f"错误：没有名为 {panel} 的面板", file=sys.stderr)
        return 2
    tune_garbage_collector()
    preferences = Preferences(home)
    app = make_application(preferences)
    screenshot = getattr(args, "screenshot", None)
    desktop = DesktopApp(home, config, preferences, interactive=screenshot is None,
                         password=os.environ.get(PASSWORD_ENV) or None)
    freeze_start_up_objects()
    if screenshot:
        saved = desktop.screenshot(Path(screenshot), args.server, args.user, panel, getattr(args, "suggestion", None))
        desktop.shut_down()
        if not saved:
            print(f"错误：无法保存截图 {screenshot}", file=sys.stderr)
        return 0 if saved else 1
    desktop.start(args.server, args.user)
    return app.exec()

