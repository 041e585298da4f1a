"""Attachments end to end: a 5 MB photo through a proxy that cuts the connection several times."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from PIL import Image
from sqlalchemy import select

from sync.client import attachments as client_attachments
from sync.client.errors import Forbidden
from sync.client.progress import CancelToken, Traffic
from sync.client.transport import Transport
from sync.schema import attachments
from tests.client.conftest import PASSWORD
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
    with deputy.replica() as replica:
        queue = client_attachments.AttachmentQueue(replica, tmp_path / "outbox-files")
        key = queue.add(original, "suggestion", suggestion_id, after_command=command_id)
        original.unlink()  # the copy in the outbox area is what goes up
        direct = signed_in(server.url)
        assert queue.upload_all(direct) == 0  # its suggestion is not on the server yet
        direct.close()
        deputy.sync()  # pushes suggestion.submit
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
