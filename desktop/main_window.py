"""The main window: one dock per module, the region and year every panel follows, sync in the status bar."""

from __future__ import annotations

import datetime as dt
import html
from enum import Enum

from PySide6.QtCore import QModelIndex, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from desktop.amounts import format_percent, time_progress
from desktop.automatic_review import AutomaticReview
from desktop.china_time import format_minute
from desktop.export.export_actions import ExportActions, Selection
from desktop.panels.base import ModulePanel, PanelContext
from desktop.panels.budget import BudgetPanel
from desktop.panels.duty import DutyPanel
from desktop.panels.execution import ExecutionPanel
from desktop.panels.final import FinalPanel
from desktop.panels.policies import PoliciesPanel
from desktop.panels.projects import ProjectsPanel
from desktop.panels.suggestions import SuggestionsPanel
from desktop.panels.warnings import WarningsPanel
from desktop.queries.accounts import LocalAccount, UserIdentity, read_state, sync_status_of
from desktop.queries.local_suggestions import waiting_commands
from desktop.queries.replica import Region, ReplicaReader, Scope, as_of_month, budget_years, region_list, subtree_codes
from desktop.replica_writer import ReplicaWriter
from desktop.update_notice import Release

PANEL_TYPES: tuple[type[ModulePanel], ...] = (BudgetPanel, ExecutionPanel, FinalPanel, PoliciesPanel, ProjectsPanel,
                                              SuggestionsPanel, DutyPanel, WarningsPanel)
#: Bumped when the docks change, so an old saved layout is not forced onto new docks.
LAYOUT_VERSION = 3  # 3: the warnings dock is a tab like the modules (it crowded them at 1440 px)


REGION_DEPTH_ROLE = Qt.ItemDataRole.UserRole + 1


class RegionTreeDelegate(QStyledItemDelegate):
    """Indents the region list by level (city › district › township) in the open list only."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        option.text = "　　" * (index.data(REGION_DEPTH_ROLE) or 0) + option.text


class SyncState(Enum):
    SYNCED = "synced"  # 已同步
    OFFLINE = "offline"  # 离线
    SYNCING = "syncing"  # 正在同步
    SIGNED_OUT = "signed_out"  # 未登录
    FAILED = "failed"  # 同步失败 (the message says why)


class MainWindow(QMainWindow):
    sync_requested = Signal()
    sign_in_requested = Signal()
    switch_requested = Signal(object)  # a LocalAccount, or None for a user not yet on this PC
    sign_out_requested = Signal()
    panel_opened = Signal(str)  # a dock came on screen (the duty record counts it)
    change_password_requested = Signal()
    preferences_requested = Signal()
    diagnostics_requested = Signal()

    def __init__(self, ui_state: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ui_state = ui_state
        self._reader: ReplicaReader | None = None
        self._identity: UserIdentity | None = None
        self._regions: list[Region] = []
        self._on_screen: set[str] = set()  # docks not hidden behind another tab (visibilityChanged)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("预算联网监督"))
        self.setDockOptions(QMainWindow.DockOption.AllowTabbedDocks | QMainWindow.DockOption.AllowNestedDocks
                            | QMainWindow.DockOption.AnimatedDocks)
        self.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
        self.panels: dict[str, ModulePanel] = {panel_type.name: panel_type() for panel_type in PANEL_TYPES}
        self.docks: dict[str, QDockWidget] = {}
        self._build_docks()
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self.review = AutomaticReview(self)
        self._default_layout = self.saveState(LAYOUT_VERSION)
        self.restore_layout()

    @property
    def suggestions(self) -> SuggestionsPanel:
        return self.panels[SuggestionsPanel.name]

    # ------------------------------------------------------------ building

    def _build_docks(self) -> None:
        first: QDockWidget | None = None
        for name, panel in self.panels.items():
            dock = QDockWidget(panel.title(), self)
            dock.setObjectName(name)
            dock.setWidget(panel)
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                             | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            dock.visibilityChanged.connect(lambda visible, name=name: self._dock_shown(name, visible))
            self.docks[name] = dock
            self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, dock)
            if first is None:
                first = dock
            else:
                self.tabifyDockWidget(first, dock)
        first.raise_()

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("选择"), self)
        bar.setObjectName("selectionBar")
        bar.setMovable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.region_box = QComboBox(minimumContentsLength=10)
        self.region_box.setItemDelegate(RegionTreeDelegate(self.region_box))
        self.year_box = QComboBox(minimumContentsLength=6)
        self.region_box.currentIndexChanged.connect(self._selection_changed)
        self.year_box.currentIndexChanged.connect(self._selection_changed)
        bar.addWidget(QLabel(self.tr("区域")))
        bar.addWidget(self.region_box)
        bar.addSeparator()
        bar.addWidget(QLabel(self.tr("年度")))
        bar.addWidget(self.year_box)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.sync_action = QAction(self.tr("立即同步"), self, shortcut=QKeySequence.StandardKey.Refresh)
        self.sync_action.triggered.connect(self.sync_requested)
        bar.addAction(self.sync_action)
        self.sign_in_action = QAction(self.tr("登录"), self)
        self.sign_in_action.triggered.connect(self.sign_in_requested)
        bar.addAction(self.sign_in_action)
        self.user_button = QToolButton(popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        self.user_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addWidget(self.user_button)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件"))
        file_menu.addAction(self.sync_action)
        file_menu.addAction(self.tr("首选项…"), self.preferences_requested.emit)
        file_menu.addSeparator()
        self.exports = ExportActions(self, self._selection)
        file_menu.addActions(self.exports.actions())
        file_menu.addSeparator()
        file_menu.addAction(self.tr("退出"), QKeySequence.StandardKey.Quit, self.close)
        view_menu = self.menuBar().addMenu(self.tr("视图"))
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        self.reset_layout_action = view_menu.addAction(self.tr("恢复默认布局"), self.reset_layout)
        self.account_menu = self.menuBar().addMenu(self.tr("账号"))
        self.switch_menu = QMenu(self.tr("切换用户"), self)
        self.account_menu.addAction(self.sign_in_action)
        self.account_menu.addMenu(self.switch_menu)
        self.change_password_action = self.account_menu.addAction(self.tr("修改密码…"),
                                                                  self.change_password_requested.emit)
        self.sign_out_action = self.account_menu.addAction(self.tr("退出登录"), self.sign_out_requested.emit)
        self.user_button.setMenu(self.account_menu)
        help_menu = self.menuBar().addMenu(self.tr("帮助"))
        help_menu.addAction(self.tr("导出诊断信息…"), self.diagnostics_requested.emit)
        help_menu.addAction(self.tr("关于预算联网监督"), self._about)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.sync_label = QLabel()
        self.progress_bar = QProgressBar(maximumWidth=180, textVisible=False)
        self.progress_bar.hide()
        self.pending_label = QLabel()
        self.as_of_label = QLabel()
        self.last_sync_label = QLabel()
        self.update_label = QLabel(openExternalLinks=True)
        self.update_label.hide()
        status.addWidget(self.sync_label)
        status.addWidget(self.progress_bar)
        status.addWidget(self.pending_label)
        status.addPermanentWidget(self.update_label)
        status.addPermanentWidget(self.as_of_label)
        status.addPermanentWidget(self.last_sync_label)

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, self.tr("关于预算联网监督"),
                          self.tr("预算联网监督 — 供人大代表在代表之家监督预算执行、重大政策、民生实事，"
                                  "并提出意见建议。数据保存在本机，没有网络也能查看。"))

    # ------------------------------------------------------------ layout

    def save_layout(self) -> None:
        self._ui_state.setValue("window/geometry", self.saveGeometry())
        self._ui_state.setValue("window/state", self.saveState(LAYOUT_VERSION))
        self._ui_state.sync()

    def restore_layout(self) -> None:
        geometry = self._ui_state.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1440, 900)
        state = self._ui_state.value("window/state")
        if state is not None:
            self.restoreState(state, LAYOUT_VERSION)

    def reset_layout(self) -> None:
        self.restoreState(self._default_layout, LAYOUT_VERSION)
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()
        self.raise_panel(BudgetPanel.name)

    def _dock_shown(self, name: str, visible: bool) -> None:
        if visible:
            self._on_screen.add(name)
            self.panels[name].ensure_loaded()
            self.panel_opened.emit(name)
        else:
            self._on_screen.discard(name)

    def panels_on_screen(self) -> list[str]:
        return sorted(self._on_screen)

    def attach_user(self, writer: ReplicaWriter | None, identity: UserIdentity | None) -> None:
        """Hand every panel the signed-in user's writer and identity (``None`` when nobody is signed in).

        Forms still open are closed first, while they hold the old writer: an editor saves what is typed
        (its autosave may not have fired yet) and a cancelled step lets go of its held photos, before the
        caller closes that writer.
        """
        for panel in self.panels.values():
            for form in panel.findChildren(QDialog):
                if form.isVisible():
                    form.reject()
            panel.attach(writer, identity)

    def raise_panel(self, name: str) -> None:
        dock = self.docks[name]
        dock.show()
        dock.raise_()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)

    # ------------------------------------------------------------ account

    def set_account(self, identity: UserIdentity | None, signed_in: bool, others: list[LocalAccount]) -> None:
        """Who is using the window, whether they hold a token, and whom the 切换用户 menu offers."""
        self._identity = identity
        if identity is None:
            self.user_button.setText(self.tr("未登录"))
        else:
            role = self._role_text(identity.role)
            self.user_button.setText(self.tr("{name}（{role}）").format(name=identity.display_name, role=role)
                                     if role else identity.display_name)
        self.sign_in_action.setVisible(not signed_in)
        self.change_password_action.setEnabled(identity is not None)
        self.sign_out_action.setEnabled(identity is not None)
        self.switch_menu.clear()
        for other in others:
            action = self.switch_menu.addAction(self.tr("{name}（{username}）").format(
                name=other.identity.display_name, username=other.identity.username))
            action.triggered.connect(lambda _checked=False, chosen=other: self.switch_requested.emit(chosen))
        if others:
            self.switch_menu.addSeparator()
        self.switch_menu.addAction(self.tr("其他用户登录…"), lambda: self.switch_requested.emit(None))

    def _role_text(self, role: str | None) -> str:
        return {"deputy": self.tr("代表"), "staff": self.tr("人大工委"), "department": self.tr("职能部门")}.get(
            role or "", "")

    # ------------------------------------------------------------ data

    def show_replica(self, reader: ReplicaReader | None) -> None:
        """Show a replica (``None``: nobody signed in): fill the selectors, then every panel."""
        self._reader = reader
        if reader is None or not reader.has_data():
            self._fill_selectors([], [])
            text = (self.tr("已退出登录。请点击「登录」。") if reader is None
                    else self.tr("还没有同步数据 — 点击「立即同步」。\n同步一次后，没有网络也能查看。"))
            for panel in self.panels.values():
                panel.show_empty(text)
            self.as_of_label.clear()
            self.pending_label.clear()
            self.last_sync_label.clear()
            self.review.start(None)
            return
        with reader.connect() as conn:
            regions, years = region_list(conn), budget_years(conn)
        self._fill_selectors(regions, years)
        self.reload()
        self.review.start(reader)  # after the panels' reload: the visible panel first, then the worker process

    def _fill_selectors(self, regions: list[Region], years: list[int]) -> None:
        previous_region, previous_year = self.region_box.currentData(), self.year_box.currentData()
        self._regions = regions
        depth = {region.code: 0 for region in regions}
        for region in regions:
            depth[region.code] = depth.get(region.parent_code, -1) + 1
        for box in (self.region_box, self.year_box):
            box.blockSignals(True)
            box.clear()
        for region in regions:
            self.region_box.addItem(region.name, region.code)
            self.region_box.setItemData(self.region_box.count() - 1, depth[region.code], REGION_DEPTH_ROLE)
        for year in years:
            self.year_box.addItem(self.tr("{year}年").format(year=year), year)
        self._select(self.region_box, previous_region or self._home_region())
        self._select(self.year_box, previous_year)
        for box in (self.region_box, self.year_box):
            box.blockSignals(False)

    def _home_region(self) -> str | None:
        """The signed-in user's own region, else the district."""
        codes = {region.code for region in self._regions}
        if self._identity and self._identity.region_code in codes:
            return self._identity.region_code
        return next((r.code for r in self._regions if r.level == "district"), None)

    @staticmethod
    def _select(box: QComboBox, value: object) -> None:
        index = box.findData(value)
        box.setCurrentIndex(index if index >= 0 else 0)

    def _selection_changed(self) -> None:
        if self._reader is not None and self.region_box.count() and self.year_box.count():
            self.reload()

    def current_scope(self) -> Scope | None:
        region, year = self.region_box.currentData(), self.year_box.currentData()
        if region is None or year is None:
            return None
        return Scope(year, region, subtree_codes(self._regions, region))

    def _selection(self) -> Selection | None:
        """What exports are made of: the replica shown, the region and year selected, who asks."""
        scope = self.current_scope()
        if self._reader is None or scope is None:
            return None
        who = self._identity.display_name if self._identity else None
        return Selection(self._reader, scope, self.region_box.currentText(), who)

    def reload(self) -> None:
        """Read every panel again from the replica (after a sync, or when the selection changes)."""
        scope = self.current_scope()
        if self._reader is None or scope is None:
            return
        with self._reader.connect() as conn:
            month = as_of_month(conn, scope.year)
            state = read_state(conn)
            self.show_pending(waiting_commands(conn))
        status = sync_status_of(state)
        server_date = dt.datetime.fromisoformat(status.server_time).date() if status.server_time else None
        context = PanelContext(self._reader, scope, self.region_box.currentText(), month, server_date)
        for name, panel in self.panels.items():
            panel.set_context(context)
            if name in self._on_screen:
                panel.ensure_loaded()
        self.review.show_counts()
        self.as_of_label.setText(
            self.tr("数据截至 {year}年{month}月 · 序时进度 {progress}").format(
                year=scope.year, month=month, progress=format_percent(time_progress(month)))
            if month else self.tr("{year}年尚无执行数据").format(year=scope.year))
        self.last_sync_label.setText(
            self.tr("上次同步 {when}（服务器时间）").format(when=format_minute(status.last_success_server_time))
            if status.last_success_server_time else self.tr("尚未同步"))

    # ------------------------------------------------------------ sync status

    def show_sync_state(self, state: SyncState, detail: str = "") -> None:
        texts = {
            SyncState.SYNCED: self.tr("● 已同步"),
            SyncState.OFFLINE: self.tr("● 离线（本机数据照常可用）"),
            SyncState.SIGNED_OUT: self.tr("● 未登录"),
            SyncState.FAILED: self.tr("● 同步失败"),
            SyncState.SYNCING: self.tr("● 正在同步"),
        }
        colours = {SyncState.SYNCED: "#2E7D32", SyncState.OFFLINE: "#8C96A3", SyncState.SIGNED_OUT: "#8A6100",
                   SyncState.FAILED: "#B3261E", SyncState.SYNCING: "#1F5FA8"}
        self.sync_label.setText(texts[state])
        self.sync_label.setStyleSheet(f"color: {colours[state]};")
        self.sync_label.setToolTip(detail)
        self.sync_action.setEnabled(state is not SyncState.SYNCING)
        if state is not SyncState.SYNCING:
            self.progress_bar.hide()

    def show_sync_progress(self, rows: int, total: int | None) -> None:
        self.sync_label.setText(self.tr("● 正在同步 {rows} 行").format(rows=rows))
        self.progress_bar.show()
        self.progress_bar.setRange(0, total or 0)  # no total known: a busy bar
        if total:
            self.progress_bar.setValue(min(rows, total))

    def show_pending(self, count: int) -> None:
        self.pending_label.setText(self.tr("待上传 {count} 条").format(count=count) if count else "")

    def show_update_notice(self, release: Release | None) -> None:
        """A quiet link in the status bar while a newer version exists."""
        if release is None:
            self.update_label.hide()
        else:
            self._show_update_link(self.tr("有新版本 {version}").format(version=release.version),
                                   release.download_url)

    def show_update_required(self, download_url: str | None) -> None:
        """The server no longer syncs with this version: the same place, in red, until the program is updated."""
        self._show_update_link(self.tr("需要更新本程序"), download_url)
        self.update_label.setStyleSheet("color: #B3261E;")

    def _show_update_link(self, text: str, url: str | None) -> None:
        self.update_label.setText(f'<a href="{html.escape(url)}">{html.escape(text)}</a>' if url else html.escape(text))
        self.update_label.setToolTip(self.tr("下载地址：{url}").format(url=url) if url
                                     else self.tr("请向人大工委索取新版本"))
        self.update_label.setStyleSheet("")
        self.update_label.show()
