"""Attachments in the desktop: attach by the file dialog or a drop, offline; the copy is what goes up;
thumbnails, open, save a copy; a failed upload shows its reason; a decompression bomb is never decoded."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent, QImageReader
from PySide6.QtWidgets import QApplication, QFileDialog
from sqlalchemy import select

from desktop import attachments_strip
from desktop.attachments_strip import AttachmentStrip, suggestion_owners, thumbnail
from sync.client.attachments import AttachmentQueue
from sync.client.outbox import Answer, Outbox
from sync.client.replica import Replica
from sync.schema import attachments
from tests.client.conftest import PASSWORD, district_templates, serve  # noqa: F401 (fixtures used by name)


def jpeg(path, colour=(200, 40, 40), size=(640, 480)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def bomb(path):
    """A PNG of a few kB that declares 100 million pixels."""
    Image.new("1", (10_000, 10_000)).save(path, "PNG")
    return path


def show(app, number: str) -> AttachmentStrip:
    app.window.raise_panel("suggestions")
    panel = app.window.suggestions
    panel.ensure_loaded()
    assert panel.show_suggestion(number)
    return panel.attachments


def queued(app) -> list:
    with Replica(app.account.replica_path) as replica:
        return AttachmentQueue.of(replica, app.account).uploads()


def tile_texts(strip: AttachmentStrip) -> list[str]:
    return [strip.model.index(row).data(Qt.ItemDataRole.DisplayRole) for row in range(strip.model.rowCount())]


def written(qtbot, app):
    return qtbot.waitSignal(app.writer.done, timeout=5000, check_params_cb=lambda what, _r: what == "attachment")


def drop(widget, paths) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return event


def test_a_photo_attached_from_the_file_dialog_is_copied_and_waits_for_the_sync(qtbot, desktop, tmp_path,
                                                                               monkeypatch):
    app = desktop("deputy01")
    strip = show(app, "2026-0001")  # deputy01's own suggestion, on the server
    assert strip.add_button.isVisible() and strip.model.rowCount() == 0
    original = jpeg(tmp_path / "路面.jpg")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args, **kw: ([str(original)], ""))
    with written(qtbot, app):
        strip.add_button.click()
    original.unlink()  # the copy in the outbox area is what goes up: nothing is lost
    (upload,) = queued(app)
    assert (upload.owner_type, upload.owner_id, upload.state, upload.file_name) == \
        ("suggestion", "s-0001", "pending", "路面.jpg")
    assert upload.path.exists() and upload.path.parent.name == "outbox-files"
    assert tile_texts(strip) == ["路面.jpg\n待上传"]
    qtbot.waitUntil(lambda: strip.model.has_picture(upload.id), timeout=5000)
    picture = strip.model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert max(picture.width(), picture.height()) <= attachments_strip.THUMBNAIL.width()
    # The sync run's progress shows on its tile.
    attachments_strip.upload_progress().changed.emit(upload.id, 512, 1024)
    assert tile_texts(strip) == ["路面.jpg\n上传中 50%"]


def test_a_deputy_cannot_attach_to_someone_elses_suggestion(desktop):
    app = desktop("deputy01")
    strip = show(app, "2026-0002")  # deputy02's
    assert not strip.add_button.isVisible()
    assert not strip.acceptDrops() or not drop_accepted(strip)


def drop_accepted(strip) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(__file__)])
    enter = QDragEnterEvent(QPoint(1, 1), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(strip, enter)
    return enter.isAccepted()


def test_files_dropped_on_a_new_suggestion_are_held_until_it_is_submitted(qtbot, desktop, tmp_path):
    app = desktop("deputy01")
    editor = app.window.suggestions.new_suggestion()
    photo, letter = jpeg(tmp_path / "现场.jpg"), tmp_path / "说明.pdf"
    letter.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with written(qtbot, app):
        drop(editor.attachments, [photo, letter])
    assert [(u.file_name, u.state, u.after_command) for u in queued(app)] == \
        [("现场.jpg", "held", None), ("说明.pdf", "held", None)]
    assert tile_texts(editor.attachments) == ["现场.jpg\n提交后上传", "说明.pdf\n提交后上传"]
    editor.title_edit.setText("滨河路路灯维修")
    editor.body.setPlainText("路灯坏了三个月。")
    with qtbot.waitSignal(app.writer.done, timeout=5000, check_params_cb=lambda what, _r: what == "submit"):
        editor.submit_button.click()
    with Replica(app.account.replica_path) as replica:
        (command,) = Outbox(replica, "deputy01").commands()
    # After the command that creates their owner: uploaded only once the server has the suggestion.
    assert [(u.state, u.after_command, u.owner_id) for u in queued(app)] == \
        [("pending", command.uuid, command.payload["suggestion_id"])] * 2


@pytest.mark.parametrize("sent", [True, False])
def test_a_reply_letter_goes_up_after_the_reply_or_not_at_all(qtbot, desktop, tmp_path, sent):
    app = desktop("deputy01")
    show(app, "2026-0001")
    dialog = app.window.suggestions.take_step("reply")
    strip = dialog.findChild(AttachmentStrip)
    letter = tmp_path / "答复函.pdf"
    letter.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with written(qtbot, app):
        strip.add_files([letter])
    assert [(u.file_name, u.state) for u in queued(app)] == [("答复函.pdf", "held")]
    what = "step" if sent else "attachment"
    with qtbot.waitSignal(app.writer.done, timeout=5000, check_params_cb=lambda done, _r: done == what):
        if sent:
            dialog.text.setPlainText("已安排专项资金解决。")
            dialog.accept()
        else:
            dialog.reject()
    if not sent:
        assert queued(app) == []
        return
    with Replica(app.account.replica_path) as replica:
        (command,) = Outbox(replica, "deputy01").commands()
    assert command.type == "suggestion.reply"
    event = command.payload["event_id"]  # the reply's record, named by the client so the letter hangs on it
    assert [(u.state, u.after_command, u.owner_type, u.owner_id) for u in queued(app)] == \
        [("pending", command.uuid, "suggestion_event", event)]
    with Replica(app.account.replica_path) as replica, replica.engine.connect() as conn:
        assert ("suggestion_event", event) in suggestion_owners(conn, "s-0001")  # shown before it is sent


def test_a_failed_upload_shows_its_reason_and_may_be_retried_or_removed(qtbot, desktop, tmp_path):
    app = desktop("deputy01")
    with Replica(app.account.replica_path) as replica:
        outbox = Outbox(replica, "deputy01")
        command = outbox.enqueue("suggestion.submit", {"suggestion_id": "s-new", "title": "t", "body": "b",
                                                       "source": "own", "region_code": "511702001"}, "deputy01")
        outbox.record_answers([Answer(command, "rejected", "标题重复")])
        queue = AttachmentQueue.of(replica, app.account)
        key = queue.add(jpeg(tmp_path / "a.jpg"), "suggestion", "s-0001", after_command=command)
        assert queue.upload_all(transport=None) == 0  # its owner's command was refused: no request is made
    strip = show(app, "2026-0001")
    assert tile_texts(strip) == ["a.jpg\n失败：所属内容未被服务器接受: 标题重复"]
    assert strip.model.index(0).data(Qt.ItemDataRole.ForegroundRole).name() == "#b3261e"
    strip.view.setCurrentIndex(strip.model.index(0))
    assert strip.remove_button.isVisible() and strip.retry_button.isVisible()
    with written(qtbot, app):
        strip.retry_button.click()  # sent again with the next run
    assert [(u.state, u.reason) for u in queued(app)] == [("pending", None)]
    assert tile_texts(strip) == ["a.jpg\n待上传"]
    with Replica(app.account.replica_path) as replica:
        assert AttachmentQueue.of(replica, app.account).upload_all(transport=None) == 0
    strip.reload()
    strip.view.setCurrentIndex(strip.model.index(0))
    with written(qtbot, app):
        strip.remove_button.click()
    assert queued(app) == [] and tile_texts(strip) == []
    assert not any(p.name == key for p in (app.account.directory / "outbox-files").iterdir())


def test_a_decompression_bomb_gets_no_thumbnail_and_is_never_decoded(qtbot, desktop, tmp_path, monkeypatch):
    decoded = []

    class Watched(QImageReader):
        def read(self):
            decoded.append(self.fileName())
            return super().read()

    monkeypatch.setattr(attachments_strip, "QImageReader", Watched)
    refused = thumbnail(bomb(tmp_path / "bomb.png"))
    assert isinstance(refused, str) and "10000×10000" in refused and decoded == []
    fine = thumbnail(jpeg(tmp_path / "fine.jpg", size=(4000, 3000)))
    assert not isinstance(fine, str) and fine.width() <= 112 and decoded == [str(tmp_path / "fine.jpg")]
    # In the strip: the tile keeps the file icon and says why.
    app = desktop("deputy01")
    strip = show(app, "2026-0001")
    with written(qtbot, app):
        strip.add_files([tmp_path / "bomb.png"])
    (upload,) = queued(app)
    qtbot.waitUntil(lambda: strip.model.problem(upload.id) is not None, timeout=5000)
    assert not strip.model.has_picture(upload.id)
    assert "异常" in strip.model.index(0).data(Qt.ItemDataRole.ToolTipRole)


def test_open_and_save_a_copy(qtbot, desktop, tmp_path, monkeypatch):
    app = desktop("deputy01")
    strip = show(app, "2026-0001")
    with written(qtbot, app):
        strip.add_files([jpeg(tmp_path / "现场.jpg")])
    (upload,) = queued(app)
    qtbot.waitUntil(lambda: strip.model.path(upload.id) is not None, timeout=5000)
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    item = strip.model.item(0)
    assert strip.open_file(item)
    assert opened[0].endswith("/现场.jpg")  # a named copy: the system picks the program by its type
    target = tmp_path / "saved" / "copy.jpg"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kw: (str(target), ""))
    assert strip.save_copy(item) == target
    assert target.read_bytes() == upload.path.read_bytes()


@pytest.mark.parametrize("accepted", [True, False])
def test_a_visits_photos_go_up_after_the_visit_or_not_at_all(qtbot, desktop, tmp_path, accepted):
    app = desktop("deputy01")
    app.window.raise_panel("projects")
    panel = app.window.panels["projects"]
    panel.ensure_loaded()
    section = panel.inspections
    dialog = section.record_visit()
    strip = dialog.findChild(AttachmentStrip)
    with written(qtbot, app):
        strip.add_files([jpeg(tmp_path / "视察.jpg")])
    assert [u.state for u in queued(app)] == ["held"]
    with qtbot.waitSignal(app.writer.done, timeout=5000, check_params_cb=lambda what, _r: what == "inspection"):
        if accepted:
            dialog.accept()
        else:
            dialog.reject()
    if not accepted:
        assert queued(app) == []
        return
    with Replica(app.account.replica_path) as replica:
        (command,) = Outbox(replica, "deputy01").commands()
    (upload,) = queued(app)
    assert (upload.state, upload.after_command, upload.owner_id) == \
        ("pending", command.uuid, command.payload["inspection_id"])
    qtbot.waitUntil(lambda: section.photos.model.rowCount() == 1, timeout=5000)


def test_switching_user_with_a_visit_form_open_drops_its_held_photos(qtbot, desktop, tmp_path):
    app = desktop("deputy01")
    app.window.raise_panel("projects")
    app.window.panels["projects"].ensure_loaded()
    dialog = app.window.panels["projects"].inspections.record_visit()
    with written(qtbot, app):
        dialog.findChild(AttachmentStrip).add_files([jpeg(tmp_path / "视察.jpg")])
    account = app.account
    app.shut_down()  # as 切换用户 does: the account's writer finishes its queue and closes
    assert not dialog.isVisible()
    with Replica(account.replica_path) as replica:
        assert AttachmentQueue.of(replica, account).uploads() == []


def test_deleting_a_draft_drops_its_files(qtbot, desktop, tmp_path):
    app = desktop("deputy01")
    editor = app.window.suggestions.new_suggestion()
    with written(qtbot, app):
        editor.attachments.add_files([jpeg(tmp_path / "草稿照片.jpg")])
    with qtbot.waitSignal(app.writer.done, timeout=5000, check_params_cb=lambda what, _r: what == "draft"):
        editor.title_edit.setText("草稿")
        editor.title_edit.textEdited.emit("草稿")
    editor.reject()
    app.window.raise_panel("suggestions")
    panel = app.window.suggestions
    panel.ensure_loaded()
    qtbot.waitUntil(lambda: any(i.state == "draft" for i in panel.table.model.rows()), timeout=5000)
    assert panel.show_suggestion(editor.draft().suggestion_id)
    assert tile_texts(panel.attachments) == ["草稿照片.jpg\n提交后上传"]  # shown with the draft, held
    with qtbot.waitSignal(app.writer.done, timeout=5000, check_params_cb=lambda what, _r: what == "draft"):
        panel.remove_button.click()
    assert queued(app) == []


@pytest.fixture
def live(request):
    """The client tests' small district, served for real (their ``serve`` fixture, imported above)."""
    return request.getfixturevalue("serve")("small")


def test_a_photo_attached_offline_goes_up_with_the_next_sync_and_comes_back(qtbot, desktop, live, tmp_path,
                                                                            monkeypatch):
    app = desktop("deputy01", server=live.url, password=PASSWORD)
    with qtbot.waitSignal(app.sync.finished, timeout=20_000):
        pass
    strip = show(app, "2026-0001")
    original = jpeg(tmp_path / "路面.jpg", size=(1600, 1200))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args, **kw: ([str(original)], ""))
    with written(qtbot, app):
        strip.add_button.click()
    original.unlink()
    (upload,) = queued(app)
    progress = []
    attachments_strip.upload_progress().changed.connect(lambda *args: progress.append(args))
    with qtbot.waitSignal(app.sync.finished, timeout=20_000):
        app.sync_now()
    assert progress[-1] == (upload.id, upload.size, upload.size)  # from the run's events, through the controller
    with live.engine.connect() as conn:
        (row,) = conn.execute(select(attachments)).mappings().all()
    assert (row["id"], row["sha256"], row["owner_type"]) == (upload.id, upload.sha256, "suggestion")
    # The same run's pull brought the row: the tile is the server's now, its picture from the moved copy.
    qtbot.waitUntil(lambda: tile_texts(strip) == ["路面.jpg\n已上传"], timeout=5000)
    assert strip.model.item(0).state == "uploaded" and strip.model.item(0).content_type == "image/jpeg"
    qtbot.waitUntil(lambda: strip.model.has_picture(upload.id), timeout=5000)


def test_a_milestones_site_photos_show_under_it_and_staff_may_add_more(qtbot, desktop, home, tmp_path, monkeypatch):
    from tests.desktop.fixture_replica import build_replica

    build_replica(home, "staff01")
    app = desktop("staff01")
    with Replica(app.account.replica_path) as replica, replica.engine.begin() as conn:
        conn.execute(attachments.insert().values(
            id="a-m3", owner_type="milestone", owner_id="3", region_code="511702001", department_code="*",
            uploader_id=3, file_name="路面铺设.jpg", content_type="image/jpeg", size=1, sha256="0" * 64,
            created_at=dt.datetime(2026, 9, 15, 16, 30)))
    app.window.raise_panel("projects")
    panel = app.window.panels["projects"]
    panel.ensure_loaded()
    assert panel.table.select_where(lambda project: project.project_id == 1)
    strip = panel.milestone_photos
    assert [text.split("\n")[0] for text in tile_texts(strip)] == ["路面铺设.jpg"]  # all the project's milestones'
    assert not strip.add_button.isVisible()  # no milestone chosen: nowhere to add
    panel.milestones.view.selectRow(0)  # 开工: no photos yet; staff may add
    assert tile_texts(strip) == [] and strip.add_button.isVisible()
    original = jpeg(tmp_path / "开工仪式.jpg")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args, **kw: ([str(original)], ""))
    with written(qtbot, app):
        strip.add_button.click()
    (upload,) = queued(app)
    assert (upload.owner_type, upload.owner_id, upload.state) == ("milestone", "1", "pending")


def test_a_deputy_sees_milestone_photos_but_does_not_add_them(desktop):
    app = desktop("deputy01")
    app.window.raise_panel("projects")
    panel = app.window.panels["projects"]
    panel.ensure_loaded()
    assert panel.table.select_where(lambda project: project.project_id == 1)
    panel.milestones.view.selectRow(0)
    assert not panel.milestone_photos.add_button.isVisible()
