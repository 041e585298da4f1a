"""附件: a strip of thumbnails for a suggestion (with its replies) or a visit — attach, open, save a copy.

Attaching works offline: the file is copied into the user's outbox area at once (the original may be
moved or deleted) and queued with :class:`~sync.client.attachments.AttachmentQueue` — ``held`` while
its owner is a draft or a form not yet sent, else after the command that creates the owner. Each
file shows its state: 待上传, 上传中 n% (from the sync run's progress events), 已上传, or 失败 with the
server's reason. A file on the server is downloaded into the cache only when shown.

Thumbnails are decoded off the UI thread with :class:`QImageReader`, scaled while decoding, and only
after the image's declared size has been read from its header and found sane: a small file that
declares 100 million pixels (a decompression bomb) is never decoded.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEventLoop,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QDesktopServices, QDragEnterEvent, QDropEvent, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Connection, select, tuple_

from desktop.queries.inspections import RECORD
from desktop.queries.replica import ReplicaReader
from desktop.replica_writer import ReplicaWriter
from sync.client.attachments import AttachmentQueue, cache_area, cached_path, download
from sync.client.config import load_config
from sync.client.credentials import TokenStore
from sync.client.errors import SyncError
from sync.client.home import Account
from sync.client.outbox import UNANSWERED
from sync.client.progress import CancelToken, Traffic
from sync.client.replica import Replica, attachment_uploads, outbox
from sync.client.transport import Transport
from sync.schema import attachments, inspections, suggestion_events

log = logging.getLogger(__name__)

Owner = tuple[str, str]  # (owner_type, owner_id)
THUMBNAIL = QSize(112, 84)
# An image declaring more pixels than this gets no thumbnail (the server refuses such uploads too).
MAX_THUMBNAIL_PIXELS = 40_000_000


# ---------------------------------------------------------------- what is attached

@dataclass(frozen=True)
class AttachmentItem:
    """One file: on the server (``uploaded``) or queued here (``held``, ``pending``, ``failed``, ``done``)."""

    id: str
    owner: Owner
    file_name: str
    size: int
    sha256: str
    state: str
    content_type: str | None = None  # the server's, from the content; ``None`` while queued
    reason: str | None = None
    local: Path | None = None  # the queued copy

    @property
    def is_image(self) -> bool:
        if self.content_type is not None:
            return self.content_type.startswith("image/")
        return self.file_name.lower().endswith((".jpg", ".jpeg", ".png"))


def suggestion_owners(conn: Connection, suggestion_id: str) -> list[Owner]:
    """A suggestion and its history's events (a department's reply letter hangs on its reply), including
    replies queued here but not yet sent."""
    events = conn.execute(select(suggestion_events.c.id).where(suggestion_events.c.suggestion_id == suggestion_id)
                          .order_by(suggestion_events.c.at)).scalars().all()
    queued = conn.execute(select(outbox.c.payload).where(outbox.c.type == "suggestion.reply",
                                                         outbox.c.state.in_(UNANSWERED))).scalars()
    events += [payload["event_id"] for payload in map(json.loads, queued)
               if payload.get("event_id") and payload["suggestion_id"] == suggestion_id]
    return [("suggestion", suggestion_id), *(("suggestion_event", key) for key in events)]


def inspection_owners(conn: Connection, subject_type: str, subject_id: int) -> list[Owner]:
    """The visits to a project or policy: on the server, and recorded here but not yet sent."""
    keys = conn.execute(select(inspections.c.id).where(inspections.c.subject_type == subject_type,
                                                       inspections.c.subject_id == subject_id)
                        .order_by(inspections.c.date)).scalars().all()
    queued = conn.execute(select(outbox.c.payload).where(outbox.c.type == RECORD,
                                                         outbox.c.state.in_(UNANSWERED))).scalars()
    keys += [payload["inspection_id"] for payload in map(json.loads, queued)
             if (payload["subject_type"], payload["subject_id"]) == (subject_type, subject_id)]
    return [("inspection", key) for key in keys]


def attachments_of(conn: Connection, owners: list[Owner]) -> list[AttachmentItem]:
    """The owners' files on the server, then this PC's queued ones not yet come back from it."""
    if not owners:
        return []
    pairs = [tuple(owner) for owner in owners]
    rows = conn.execute(select(attachments).where(tuple_(attachments.c.owner_type, attachments.c.owner_id).in_(pairs))
                        .order_by(attachments.c.created_at, attachments.c.id)).mappings().all()
    found = [AttachmentItem(r["id"], (r["owner_type"], r["owner_id"]), r["file_name"], r["size"], r["sha256"],
                            "uploaded", r["content_type"]) for r in rows]
    known = {item.id for item in found}
    queued = conn.execute(select(attachment_uploads).where(
        tuple_(attachment_uploads.c.owner_type, attachment_uploads.c.owner_id).in_(pairs))
        .order_by(attachment_uploads.c.seq)).mappings().all()
    found += [AttachmentItem(r["id"], (r["owner_type"], r["owner_id"]), r["file_name"], r["size"], r["sha256"],
                             r["state"], reason=r["reason"], local=Path(r["path"]))
              for r in queued if r["id"] not in known]
    return found


def thumbnail(path: Path, size: QSize = THUMBNAIL) -> QImage | str:
    """``path`` scaled into ``size`` while decoding, or why there is none. The header's declared size is
    checked first: a decompression bomb is refused before a single pixel is decoded."""
    reader = QImageReader(str(path))
    declared = reader.size()
    if not declared.isValid():
        return QCoreApplication.translate("AttachmentStrip", "无法识别的图片")
    if declared.width() * declared.height() > MAX_THUMBNAIL_PIXELS:
        refusal = QCoreApplication.translate("AttachmentStrip", "图片尺寸 {width}×{height} 异常，不生成缩略图")
        return refusal.format(width=declared.width(), height=declared.height())
    reader.setScaledSize(declared.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return QCoreApplication.translate("AttachmentStrip", "图片已损坏：{error}").format(error=reader.errorString())
    return image


# ---------------------------------------------------------------- upload progress from the sync run

class UploadProgress(QObject):
    """Where the sync controller announces each file's progress (``changed(id, bytes held, size)``)."""

    changed = Signal(str, int, int)


_progress: UploadProgress | None = None


def upload_progress() -> UploadProgress:
    global _progress
    if _progress is None:
        _progress = UploadProgress()
    return _progress


# ---------------------------------------------------------------- fetching content and thumbnails

class ContentFetcher(QObject):
    """Downloads into the account's cache and decodes thumbnails, one file at a time, off the UI thread.
    ``ready(key, path, thumbnail or reason)``; ``failed(key, message)``."""

    ready = Signal(str, object, object)
    failed = Signal(str, str)

    def __init__(self, account: Account, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.account = account
        self.cache = cache_area(account)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="attachments")
        self._cancel = CancelToken()
        self._asked: set[str] = set()
        self._futures: list[Future] = []

    def fetch(self, item: AttachmentItem) -> None:
        """Once per file: its content (cached, or downloaded if signed in) and, for an image, a thumbnail."""
        if item.id in self._asked:
            return
        self._asked.add(item.id)
        self._futures = [future for future in self._futures if not future.done()]
        self._futures.append(self._executor.submit(self._fetch, item))

    def forget(self, key: str) -> None:
        """Ask again next time (after a sync brought what was missing)."""
        self._asked.discard(key)

    def busy(self) -> bool:
        return any(not future.done() for future in self._futures)

    def close(self) -> None:
        self._cancel.cancel()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _fetch(self, item: AttachmentItem) -> None:
        try:
            path = self._content(item)
            self.ready.emit(item.id, path, thumbnail(path) if item.is_image else None)
        except (SyncError, OSError) as exc:
            self.failed.emit(item.id, str(exc))
        except Exception as exc:  # a bug must still end the tile's wait
            log.exception("fetching attachment %s failed", item.id)
            self.failed.emit(item.id, f"{type(exc).__name__}: {exc}")

    def _content(self, item: AttachmentItem) -> Path:
        for candidate in (item.local, cached_path(self.cache, item.sha256)):
            if candidate is not None and candidate.exists():
                return candidate
        if item.state != "uploaded":
            raise OSError(self.tr("本机的副本已不存在"))
        token = TokenStore(self.account).load()
        if token is None:
            raise SyncError(self.tr("登录后才能下载"))
        config = load_config(self.account.home)
        transport = Transport(self.account.server, self._cancel, Traffic(), connect_timeout=config.connect_timeout,
                              stall_timeout=config.stall_timeout,
                              ca_bundle=str(config.ca_bundle) if config.ca_bundle else None, retries=2)
        transport.token = token
        try:
            return download(transport, item.id, item.sha256, self.cache)
        finally:
            transport.close()


# ---------------------------------------------------------------- the model

class AttachmentModel(QAbstractListModel):
    """The tiles: a thumbnail (or the file's icon) and the name with the state under it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[AttachmentItem] = []
        self._pictures: dict[str, QPixmap] = {}
        self._paths: dict[str, Path] = {}
        self._problems: dict[str, str] = {}
        self._sent: dict[str, tuple[int, int]] = {}

    def set_items(self, items: list[AttachmentItem]) -> None:
        self.beginResetModel()
        self._items = items
        self._sent = {key: sent for key, sent in self._sent.items() if any(i.id == key for i in items)}
        self.endResetModel()

    def items(self) -> list[AttachmentItem]:
        return list(self._items)

    def item(self, row: int) -> AttachmentItem:
        return self._items[row]

    def path(self, key: str) -> Path | None:
        return self._paths.get(key)

    def has_picture(self, key: str) -> bool:
        return key in self._pictures

    def problem(self, key: str) -> str | None:
        return self._problems.get(key)

    def state_text(self, item: AttachmentItem) -> str:
        if item.id in self._sent and item.state == "pending":
            sent, size = self._sent[item.id]
            return self.tr("上传中 {percent}%").format(percent=sent * 100 // max(size, 1))
        if item.state == "failed":
            return self.tr("失败：{reason}").format(reason=item.reason or "")
        texts = {"held": self.tr("提交后上传"), "pending": self.tr("待上传"), "done": self.tr("已上传"),
                 "uploaded": self.tr("已上传")}
        return texts.get(item.state, item.state)

    # ------------------------------------------------------------ updates from the fetcher and the sync run

    def content_ready(self, key: str, path: Path, picture: QImage | str | None) -> None:
        self._paths[key] = path
        if isinstance(picture, QImage):
            self._pictures[key] = QPixmap.fromImage(picture)
        elif isinstance(picture, str):
            self._problems[key] = picture
        self._changed(key)

    def content_failed(self, key: str, message: str) -> None:
        self._problems[key] = message
        self._changed(key)

    def upload_progressed(self, key: str, sent: int, size: int) -> None:
        if any(item.id == key for item in self._items):
            self._sent[key] = (sent, size)
            self._changed(key)

    def _changed(self, key: str) -> None:
        for row, item in enumerate(self._items):
            if item.id == key:
                self.dataChanged.emit(self.index(row), self.index(row))

    # ------------------------------------------------------------ Qt's side

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{item.file_name}\n{self.state_text(item)}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pictures.get(item.id) or self._file_icon(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.ForegroundRole and item.state == "failed":
            return QColor("#B3261E")
        if role == Qt.ItemDataRole.UserRole:
            return item
        return None

    def _file_icon(self, item: AttachmentItem):
        style = QCoreApplication.instance().style()
        return style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def _tooltip(self, item: AttachmentItem) -> str:
        size = self.tr("{size} KB · {state}").format(size=max(item.size // 1024, 1), state=self.state_text(item))
        lines = [item.file_name, size]
        if item.owner[0] == "suggestion_event":
            lines.append(self.tr("办理经过中的附件（如答复函）"))
        if item.id in self._problems:
            lines.append(self._problems[item.id])
        return "\n".join(lines)


# ---------------------------------------------------------------- the widget

@dataclass(frozen=True)
class AttachTarget:
    """Where new files go: the owner, and either held (a draft, a form not sent yet) or after a command."""

    owner: Owner
    held: bool = False
    after_command: str | None = None


class AttachmentStrip(QWidget):
    """Thumbnails in a row with 添加附件… / 打开 / 另存为… / 移除; files may be dropped on it.

    :meth:`show_owners` says whose files to show and where new ones go (``None``: no adding).
    ``written()`` is emitted once a file is queued (it shows at once)."""

    written = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self._reader: ReplicaReader | None = None
        self._writer: ReplicaWriter | None = None
        self._fetcher: ContentFetcher | None = None
        self._owners: list[Owner] = []
        self._target: AttachTarget | None = None
        self.model = AttachmentModel(self)
        self.view = QListView(viewMode=QListView.ViewMode.IconMode, flow=QListView.Flow.LeftToRight,
                              wrapping=False, movement=QListView.Movement.Static,
                              textElideMode=Qt.TextElideMode.ElideMiddle)
        self.view.setIconSize(THUMBNAIL)
        self.view.setGridSize(QSize(THUMBNAIL.width() + 72, THUMBNAIL.height() + 46))
        # Room for a row of tiles, but it gives way (to a scroll bar) before the window grows past the screen.
        self.view.setMinimumHeight(THUMBNAIL.height() // 2)
        self.view.setMaximumHeight(THUMBNAIL.height() + 68)
        self.view.setModel(self.model)
        self.view.doubleClicked.connect(lambda index: self.open_file(self.model.item(index.row())))
        self.view.selectionModel().currentChanged.connect(lambda *_: self._enable_buttons())
        self.heading = QLabel(objectName="sectionTitle")
        self.hint = QLabel(objectName="figureCaption")
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.add_button = QPushButton(self.tr("添加附件…"))
        self.add_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton(self.tr("打开"))
        self.open_button.clicked.connect(lambda: self._with_selected(self.open_file))
        self.save_button = QPushButton(self.tr("另存为…"))
        self.save_button.clicked.connect(lambda: self._with_selected(self.save_copy))
        self.retry_button = QPushButton(self.tr("重试"))
        self.retry_button.clicked.connect(lambda: self._with_selected(self.retry_file))
        self.remove_button = QPushButton(self.tr("移除"))
        self.remove_button.clicked.connect(lambda: self._with_selected(self.remove_file))
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.hint, 1)
        for button in (self.add_button, self.open_button, self.save_button, self.retry_button, self.remove_button):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view)
        upload_progress().changed.connect(self.model.upload_progressed)
        self._enable_buttons()

    # ------------------------------------------------------------ what to show

    def use(self, writer: ReplicaWriter | None) -> None:
        """The signed-in user's writer (queueing; its account's replica is read); ``None``: nobody signed in."""
        if writer is self._writer:
            return
        if self._writer is not None:
            self._writer.done.disconnect(self._on_written)
            self._reader.dispose()
            self._fetcher.close()
        self._writer = writer
        self._reader = self._fetcher = None
        if writer is not None:
            writer.done.connect(self._on_written)
            self._reader = ReplicaReader(writer.account.replica_path)
            self._fetcher = ContentFetcher(writer.account, self)
            self._fetcher.ready.connect(self.model.content_ready)
            self._fetcher.failed.connect(self.model.content_failed)

    def show_owners(self, owners: list[Owner], target: AttachTarget | None) -> None:
        self._owners, self._target = owners, target
        self.reload()

    def reload(self) -> None:
        """Read the owners' files again (after a sync or a write) and fetch what is not shown yet."""
        items: list[AttachmentItem] = []
        if self._reader is not None and self._owners and self._reader.exists():
            with self._reader.connect() as conn:
                items = attachments_of(conn, self._owners)
        self.model.set_items(items)
        for item in items:
            if self._fetcher is not None and not self.model.has_picture(item.id):
                if self.model.problem(item.id) is not None:
                    self._fetcher.forget(item.id)  # e.g. offline last time: try again
                self._fetcher.fetch(item)
        self.heading.setText(self.tr("附件（{count}）").format(count=len(items)))
        can_add = self._target is not None and self._writer is not None
        self.add_button.setVisible(can_add)
        self._tell(self.tr("可拖入照片或文档；离线也可以添加，联网后自动上传。") if can_add else "")
        self.setVisible(bool(items) or can_add)  # nothing to show and nothing to do: no room taken
        self._enable_buttons()

    def _tell(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setToolTip(text)

    def busy(self) -> bool:
        """Still downloading or decoding."""
        return self._fetcher is not None and self._fetcher.busy()

    def wait(self, timeout_ms: int) -> bool:
        """Let downloads and thumbnails finish (a screenshot shows them); False if they did not in time."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self.busy() and time.monotonic() < deadline:
            loop = QEventLoop()
            QTimer.singleShot(50, loop.quit)
            loop.exec()
        QCoreApplication.processEvents()  # the last results, queued from the fetcher's thread
        return not self.busy()

    # ------------------------------------------------------------ adding

    def choose_files(self) -> None:
        kinds = self.tr("图片和文档 (*.jpg *.jpeg *.png *.pdf *.docx *.xlsx *.pptx);;所有文件 (*)")
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("添加附件"), str(Path.home()), kinds)
        self.add_files([Path(name) for name in names])

    def add_files(self, paths: list[Path]) -> None:
        """Queue ``paths`` (copied into the outbox area at once, in the writer's thread)."""
        target, writer = self._target, self._writer
        if target is None or writer is None:
            return
        files = [path for path in paths if path.is_file()]
        if not files:
            return
        account = writer.account

        def queue(replica) -> list[str]:
            attachments_queue = AttachmentQueue.of(replica, account)
            return [attachments_queue.add(path, *target.owner, after_command=target.after_command, held=target.held)
                    for path in files]

        writer.submit("attachment", queue)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._target is not None and self._writer is not None and _dropped_files(event):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if self._target is not None and self._writer is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = _dropped_files(event)
        if files:
            event.acceptProposedAction()
            self.add_files(files)

    def _on_written(self, what: str, _result: object) -> None:
        if what == "attachment":
            self.reload()
            self.written.emit()

    # ------------------------------------------------------------ opening and saving

    def _with_selected(self, action: Callable[[AttachmentItem], object]) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            action(self.model.item(index.row()))

    def _enable_buttons(self) -> None:
        index = self.view.currentIndex()
        item = self.model.item(index.row()) if index.isValid() else None
        self.open_button.setEnabled(item is not None)
        self.save_button.setEnabled(item is not None)
        self.remove_button.setVisible(item is not None and item.state in ("held", "failed")
                                      and self._writer is not None)
        self.retry_button.setVisible(item is not None and item.state == "failed" and self._writer is not None)

    def _content(self, item: AttachmentItem) -> Path | None:
        path = self.model.path(item.id)
        if path is None:
            self._tell(self.model.problem(item.id) or self.tr("正在下载，请稍候再打开。"))
        return path

    def open_file(self, item: AttachmentItem) -> bool:
        """Open a named copy with the system's program for its type (the cache keeps files by hash)."""
        path = self._content(item)
        if path is None:
            return False
        named = cache_area(self._fetcher.account) / "open" / item.sha256[:16] / item.file_name
        if not named.exists():
            named.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, named)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(named)))

    def save_copy(self, item: AttachmentItem) -> Path | None:
        path = self._content(item)
        if path is None:
            return None
        target, _ = QFileDialog.getSaveFileName(self, self.tr("另存为"), str(Path.home() / item.file_name))
        if not target:
            return None
        shutil.copyfile(path, target)
        return Path(target)

    def retry_file(self, item: AttachmentItem) -> None:
        if self._writer is not None and item.state == "failed":
            account, key = self._writer.account, item.id
            self._writer.submit("attachment", lambda replica: AttachmentQueue.of(replica, account).retry(key))

    def remove_file(self, item: AttachmentItem) -> None:
        if self._writer is not None and item.state in ("held", "failed"):
            account, key = self._writer.account, item.id
            self._writer.submit("attachment", lambda replica: AttachmentQueue.of(replica, account).discard(key))


def held_strip(writer: ReplicaWriter, owner: Owner, form: QDialog) -> AttachmentStrip:
    """A strip for ``form`` (a reply, a visit): its files are held for ``owner`` until the form's step is
    queued, then settled with :func:`settle_held`."""
    strip = AttachmentStrip(form)
    strip.use(writer)
    strip.show_owners([owner], AttachTarget(owner, held=True))
    form.finished.connect(lambda _result: strip.use(None))
    return strip


def settle_held(replica: Replica, account: Account, owner: Owner, command: str | None) -> None:
    """The files held for a form go up after ``command``, its step queued; ``None``: the form was dropped."""
    queue = AttachmentQueue.of(replica, account)
    if command is None:
        queue.discard_held(*owner)
    else:
        queue.release(*owner, command)


def _dropped_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and Path(url.toLocalFile()).is_file()]
