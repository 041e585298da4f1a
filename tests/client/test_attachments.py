"""Attachments end to end: a 5 MB photo through a proxy that cuts the connection several times; sync runs
that upload after the commands and bring the rows back; refusals that never block."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from PIL import Image
from sqlalchemy import select

from sync.client import attachments as client_attachments
from sync.client.errors import Forbidden
from sync.client.outbox import Answer, Outbox
from sync.client.progress import CancelToken, Traffic
from sync.client.transport import Transport
from sync.schema import attachments
from tests.client.conftest import PASSWORD, suggestions_on_server
from tests.client.faultproxy import NO_FAULT, Fault


def photo(size: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue() + os.urandom(size - buffer.tell())


def signed_in(url: str, username: str = "deputy01") -> Transport:
    transport = Transport(url, CancelToken(), Traffic(), retries=2, backoff=0.01, stall_timeout=10)
    session = transport.request("POST", "/session", where="登录",
                                body={"username": username, "password": PASSWORD, "device_id": f"pc-{username}"})
    transport.token = session["token"]
    return transport


def test_a_5_mb_photo_survives_cuts_and_is_stored_once(server, proxy, client, tmp_path):
    deputy = client(server.url)
    command_id, suggestion_id = deputy.queue_suggestion("路面坑洼")
    original = tmp_path / "路面.jpg"
    original.write_bytes(photo(5 * 2**20))
    expected = hashlib.sha256(original.read_bytes()).hexdigest()
    deputy.sync()  # pushes suggestion.submit (a sync run would upload the file too: see the tests below)
    with deputy.replica() as replica:
        queue = client_attachments.AttachmentQueue(replica, tmp_path / "outbox-files")
        key = queue.add(original, "suggestion", suggestion_id, after_command=command_id)
        original.unlink()  # the copy in the outbox area is what goes up
        proxy.faults = lambda index: Fault(cut_up_after=600_000) if index < 6 else NO_FAULT
        transport = signed_in(proxy.url)
        assert queue.upload_all(transport) == 1
        (upload,) = queue.uploads()
        assert upload.state == "done" and upload.reason is None
        assert proxy.cuts >= 5
        # Every byte went up about once: resumed from the acknowledged offset, never restarted.
        assert proxy.bytes_up < 5 * 2**20 * 1.4
        transport.close()
    with server.engine.connect() as conn:
        rows = conn.execute(select(attachments)).mappings().all()
    assert len(rows) == 1 and rows[0]["id"] == key and rows[0]["sha256"] == expected
    assert rows[0]["size"] == 5 * 2**20 and rows[0]["content_type"] == "image/jpeg"
    # The metadata comes down with the next pull; the content on demand, resumed after cuts as well.
    deputy.sync()
    with deputy.replica() as replica, replica.reading() as conn:
        assert conn.execute(select(attachments.c.sha256)).scalars().all() == [expected]
    proxy.faults = lambda index: Fault(cut_down_after=900_000) if index < 10 else NO_FAULT
    transport = signed_in(proxy.url)
    cached = client_attachments.download(transport, key, expected, tmp_path / "cache")
    transport.close()
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == expected


def test_a_refused_file_stays_visible_with_its_reason(server, client, tmp_path):
    deputy = client(server.url)
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"MZ\x90\x00" + b"\0" * 10_000)  # an executable, renamed
    with deputy.replica() as replica:
        queue = client_attachments.AttachmentQueue(replica, tmp_path / "outbox-files")
        queue.add(fake, "suggestion", "00000000-0000-0000-0000-000000000001")
        transport = signed_in(server.url)
        assert queue.upload_all(transport) == 0
        transport.close()
        (upload,) = queue.uploads()
    assert upload.state == "failed" and "不支持" in upload.reason


def test_a_department_cannot_download_what_is_not_assigned_to_it(server, client, tmp_path):
    deputy = client(server.url)
    picture = tmp_path / "p.jpg"
    picture.write_bytes(photo(50_000))
    with deputy.replica() as replica:
        queue = client_attachments.AttachmentQueue(replica, tmp_path / "outbox-files")
        key = queue.add(picture, "suggestion", "00000000-0000-0000-0000-000000000001")  # assigned to D01
        transport = signed_in(server.url)
        assert queue.upload_all(transport) == 1
        transport.close()
    sha = hashlib.sha256(picture.read_bytes()).hexdigest()
    allowed = signed_in(server.url, "dept01")
    assert client_attachments.download(allowed, key, sha, tmp_path / "c1").exists()
    other = signed_in(server.url, "dept02")
    with pytest.raises(Forbidden, match="无权"):
        client_attachments.download(other, key, sha, tmp_path / "c2")
    assert not (tmp_path / "c2" / sha[:2] / sha).exists()


def test_a_sync_run_uploads_after_the_owners_command_and_brings_the_row_back(server, client, tmp_path):
    deputy = client(server.url)
    command_id, suggestion_id = deputy.queue_suggestion("路灯不亮")
    original = tmp_path / "夜间.jpg"
    original.write_bytes(photo(300_000))
    expected = hashlib.sha256(original.read_bytes()).hexdigest()
    with deputy.replica() as replica:
        key = client_attachments.AttachmentQueue.of(replica, deputy.account).add(
            original, "suggestion", suggestion_id, after_command=command_id)
    original.unlink()
    events = []
    report = deputy.sync(progress=events.append)
    assert report.commands_applied == 1 and report.attachments_uploaded == 1
    # The same run's pull brought the committed row back.
    with deputy.replica() as replica, replica.reading() as conn:
        rows = conn.execute(select(attachments.c.id, attachments.c.owner_id, attachments.c.sha256)).all()
    assert [tuple(r) for r in rows] == [(key, suggestion_id, expected)]
    stages = [e.stage for e in events]
    assert stages.index("push") < stages.index("upload") < stages.index("pull")
    uploads = [e for e in events if e.stage == "upload"]
    assert {e.item for e in uploads} == {key} and (uploads[-1].bytes, uploads[-1].total) == (300_000, 300_000)
    # The uploaded copy became the cached content: no download for its uploader.
    cached = client_attachments.cached_path(client_attachments.cache_area(deputy.account), expected)
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == expected
    assert not any(client_attachments.outbox_area(deputy.account).iterdir())
    with deputy.replica() as replica:
        assert [u.state for u in client_attachments.AttachmentQueue.of(replica, deputy.account).uploads()] == ["done"]
    assert deputy.sync().attachments_uploaded == 0  # exactly once
    with deputy.replica() as replica:  # its row came back: the upload's record is no longer needed
        assert client_attachments.AttachmentQueue.of(replica, deputy.account).uploads() == []


def test_refused_uploads_never_block_the_commands_behind_them(server, client, tmp_path):
    deputy = client(server.url)
    renamed, huge = tmp_path / "photo.jpg", tmp_path / "全景.jpg"
    renamed.write_bytes(b"MZ\x90\x00" + b"\0" * 10_000)  # an executable, renamed
    huge.write_bytes(photo(21 * 2**20))  # over the 20 MB a file may have
    with deputy.replica() as replica:
        queue = client_attachments.AttachmentQueue.of(replica, deputy.account)
        for path in (renamed, huge):
            queue.add(path, "suggestion", "00000000-0000-0000-0000-000000000001")
    command_id, suggestion_id = deputy.queue_suggestion("后面的命令")
    report = deputy.sync()
    assert report.result == "ok" and report.attachments_uploaded == 0
    assert deputy.outbox_states() == {command_id: "applied"}
    with deputy.replica() as replica:
        failed = {u.file_name: u.reason for u in client_attachments.AttachmentQueue.of(replica, deputy.account)
                  .uploads(("failed",))}
    assert "不支持" in failed["photo.jpg"] and "上限" in failed["全景.jpg"]
    assert suggestions_on_server(server.engine, suggestion_id) == 1
    assert deputy.sync().result == "ok"  # and the next run does not try them again


def test_a_corrected_suggestion_takes_its_refused_files_along(client, tmp_path):
    deputy = client("http://127.0.0.1:9")  # no server needed: nothing here goes over the wire
    picture = tmp_path / "a.jpg"
    picture.write_bytes(photo(20_000))
    with deputy.replica() as replica:
        outbox = Outbox(replica, "deputy01")
        first = outbox.enqueue("suggestion.submit", {"suggestion_id": "s-1"}, "deputy01")
        queue = client_attachments.AttachmentQueue.of(replica, deputy.account)
        held = queue.add(picture, "suggestion", "s-1", held=True)  # attached while it was a draft
        assert queue.upload_all(transport=None) == 0 and queue.uploads()[0].state == "held"
        assert queue.release("suggestion", "s-1", first) == 1
        outbox.record_answers([Answer(first, "rejected", "标题不能为空")])
        queue.upload_all(transport=None)
        assert [(u.state, u.reason) for u in queue.uploads()] == [("failed", "所属内容未被服务器接受: 标题不能为空")]
        again = outbox.resend_as_new(first)
        assert queue.release("suggestion", "s-1", again, failed_with=first) == 1
        (upload,) = queue.uploads()
        assert (upload.id, upload.state, upload.after_command, upload.reason) == (held, "pending", again, None)
        dropped = queue.add(picture, "suggestion", "s-2", held=True)
        queue.discard_held("suggestion", "s-2")
        assert [u.id for u in queue.uploads()] == [held]
        assert not (client_attachments.outbox_area(deputy.account) / dropped).exists()
