"""Attachments over HTTP, on both databases: resumable upload, checks and limits, who may download, and the
clean-up of abandoned uploads."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import time
import uuid
import zipfile

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select, update

from sync.schema import attachments, changelog, suggestions, upload_sessions
from sync.server import audit, compaction
from sync.server import changelog as server_changelog
from sync.server.api import ServerSettings, create_app
from sync.server.attachments import SweepReport, sanitize_name, sweep_abandoned
from tests.server.api_world import DISTRICT, EDUCATION, STAMP, TRANSPORT, reassign, sign_in

BASE = "/api/v1"


@pytest.fixture
def store(tmp_path):
    return tmp_path / "attachments"


@pytest.fixture
def http(world, store):
    settings = ServerSettings(attachments_path=store, max_attachment_bytes=3 * 2**20,
                              max_owner_attachment_bytes=5 * 2**20)
    with TestClient(create_app(world.engine, settings)) as client:
        yield client


def jpeg(size: int = 200_000) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue() + b"\0" * max(0, size - buffer.tell())  # trailing bytes: still a JPEG


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(http, headers, data: bytes, *, owner=("suggestion", "s-transport"), name="路面.jpg", chunk=65536,
           key: str | None = None):
    key = key or str(uuid.uuid4())
    started = http.post(f"{BASE}/attachments/uploads", headers=headers, json={
        "id": key, "owner_type": owner[0], "owner_id": owner[1], "file_name": name, "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest()})
    if started.status_code != 200:
        return started
    offset = started.json()["received"]
    while offset < len(data):
        answer = http.put(f"{BASE}/attachments/uploads/{key}", params={"offset": offset}, headers=headers,
                          content=data[offset:offset + chunk])
        assert answer.status_code == 200, answer.text
        offset = answer.json()["received"]
    return http.post(f"{BASE}/attachments/uploads/{key}/complete", headers=headers)


def test_upload_in_chunks_is_resumable_and_exactly_once(http, world, store):
    deputy = sign_in(http, "deputy01")
    data = jpeg(300_000)
    key = str(uuid.uuid4())
    body = {"id": key, "owner_type": "suggestion", "owner_id": "s-transport", "file_name": "路面.jpg",
            "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert http.post(f"{BASE}/attachments/uploads", headers=deputy, json=body).json()["received"] == 0
    assert http.put(f"{BASE}/attachments/uploads/{key}", params={"offset": 0}, headers=deputy,
                    content=data[:100_000]).json()["received"] == 100_000
    # A cut: the client asks again (a repeated start finds the same session) and resends from there.
    assert http.post(f"{BASE}/attachments/uploads", headers=deputy, json=body).json()["received"] == 100_000
    ahead = http.put(f"{BASE}/attachments/uploads/{key}", params={"offset": 150_000}, headers=deputy, content=b"x")
    assert ahead.status_code == 409 and ahead.json()["detail"] == {"received": 100_000}
    # A resent chunk overlapping what the server holds overwrites it.
    http.put(f"{BASE}/attachments/uploads/{key}", params={"offset": 50_000}, headers=deputy, content=data[50_000:])
    early = world.engine.connect()
    assert early.execute(select(attachments)).first() is None  # not visible before completion
    early.close()
    done = http.post(f"{BASE}/attachments/uploads/{key}/complete", headers=deputy)
    assert done.status_code == 200, done.text
    meta = done.json()["attachment"]
    assert meta["content_type"] == "image/jpeg" and meta["sha256"] == body["sha256"] and meta["size"] == len(data)
    assert meta["department_code"] == TRANSPORT and meta["region_code"] == DISTRICT
    # Completing again (the answer was lost) answers the same row; so does starting again.
    assert http.post(f"{BASE}/attachments/uploads/{key}/complete", headers=deputy).json()["attachment"] == meta
    assert http.post(f"{BASE}/attachments/uploads", headers=deputy, json=body).json()["complete"] is True
    with world.engine.connect() as conn:
        assert conn.execute(select(attachments.c.id)).scalars().all() == [key]
        assert conn.execute(select(changelog.c.table_name).where(changelog.c.row_key == key)).scalars().all() \
            == ["attachments"]
    stored = store / body["sha256"][:2] / body["sha256"]
    assert stored.read_bytes() == data
    assert not any((store / ".uploads").iterdir())
    got = http.get(f"{BASE}/attachments/{key}/content", headers=deputy)
    assert got.status_code == 200 and got.content == data
    assert got.headers["content-type"] == "image/jpeg"
    part = http.get(f"{BASE}/attachments/{key}/content", headers={**deputy, "Range": "bytes=1000-"})
    assert part.status_code == 206 and part.content == data[1000:]


def test_a_department_sees_only_attachments_of_suggestions_assigned_to_it(http, world):
    with world.engine.begin() as conn:  # a new suggestion, not yet assigned to anyone
        server_changelog.insert(conn, suggestions, [{
            "id": "s-new", "number": "2026-0099", "author_id": world.user_ids["deputy01"], "region_code": DISTRICT,
            "title": "新建议", "body": "路灯", "source": "own", "state": "submitted", "submitted_at": STAMP,
            "updated_at": STAMP}])
    deputy = sign_in(http, "deputy01")
    ids = {}
    for owner in ("s-transport", "s-new"):
        done = upload(http, deputy, jpeg(5000), owner=("suggestion", owner))
        assert done.status_code == 200, done.text
        ids[owner] = done.json()["id"]
    transport, education, staff = (sign_in(http, name) for name in ("jiaotong", "jiaoyu", "staff01"))
    far = sign_in(http, "deputy09")

    def fetch(headers, owner):
        return http.get(f"{BASE}/attachments/{ids[owner]}/content", headers=headers)

    assert fetch(transport, "s-transport").status_code == 200
    assert fetch(staff, "s-new").status_code == 200
    for headers, owner in ((education, "s-transport"), (transport, "s-new"), (education, "s-new"),
                           (far, "s-transport")):
        refused = fetch(headers, owner)
        assert refused.status_code == 404 and refused.json()["error"] == "not_found"
    # The department may not attach to it either.
    assert upload(http, education, jpeg(5000)).status_code == 404
    # Reassigned: the attachment follows the suggestion.
    reassign(world.engine, "s-transport", EDUCATION)
    with world.engine.begin() as conn:
        from sync.server.attachments import move_with_suggestion

        move_with_suggestion(conn, "s-transport", EDUCATION)
    assert fetch(education, "s-transport").status_code == 200
    assert fetch(transport, "s-transport").status_code == 404


def test_a_renamed_executable_is_refused_by_its_content(http):
    deputy = sign_in(http, "deputy01")
    refused = upload(http, deputy, b"MZ\x90\x00" + b"\0" * 5000, name="photo.jpg")
    assert refused.status_code == 415
    assert refused.json()["error"] == "unsupported_type" and "不支持" in refused.json()["message"]


def test_office_and_pdf_are_accepted_and_named_by_their_type(http):
    deputy = sign_in(http, "deputy01")
    word = upload(http, deputy, docx(), name="../../etc/答复函")
    assert word.status_code == 200, word.text
    assert word.json()["attachment"]["file_name"] == "答复函.docx"
    assert word.json()["attachment"]["content_type"].endswith("wordprocessingml.document")
    pdf = upload(http, deputy, b"%PDF-1.4\n" + b"x" * 1000 + b"\n%%EOF\n", name="回复.pdf")
    assert pdf.status_code == 200 and pdf.json()["attachment"]["content_type"] == "application/pdf"


def test_over_limit_files_are_refused(http):
    deputy = sign_in(http, "deputy01")
    big = http.post(f"{BASE}/attachments/uploads", headers=deputy, json={
        "id": str(uuid.uuid4()), "owner_type": "suggestion", "owner_id": "s-transport", "file_name": "a.jpg",
        "size": 4 * 2**20, "sha256": "0" * 64})
    assert big.status_code == 413 and big.json()["error"] == "too_large" and "上限" in big.json()["message"]
    for _ in range(2):
        assert upload(http, deputy, jpeg(2 * 2**20), chunk=512 * 1024).status_code == 200
    third = upload(http, deputy, jpeg(2 * 2**20))
    assert third.status_code == 413 and "合计" in third.json()["message"]


def test_a_decompression_bomb_is_refused(http):
    deputy = sign_in(http, "deputy01")
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")  # 100 M pixels in a few kB
    assert buffer.tell() < 100_000
    refused = upload(http, deputy, buffer.getvalue(), name="bomb.png")
    assert refused.status_code == 413 and "解压炸弹" in refused.json()["message"]


def test_a_corrupted_upload_is_refused_and_restarts(http):
    deputy = sign_in(http, "deputy01")
    data = jpeg(10_000)
    key = str(uuid.uuid4())
    http.post(f"{BASE}/attachments/uploads", headers=deputy, json={
        "id": key, "owner_type": "suggestion", "owner_id": "s-transport", "file_name": "a.jpg", "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest()})
    http.put(f"{BASE}/attachments/uploads/{key}", params={"offset": 0}, headers=deputy, content=b"y" * len(data))
    refused = http.post(f"{BASE}/attachments/uploads/{key}/complete", headers=deputy)
    assert refused.status_code == 409 and refused.json()["detail"]["reason"] == "hash_mismatch"
    assert http.get(f"{BASE}/attachments/uploads/{key}", headers=deputy).json()["received"] == 0


@pytest.mark.parametrize("body, code", [
    ({"owner_type": "budget", "owner_id": "1"}, 400),
    ({"owner_type": "suggestion", "owner_id": "nope"}, 404),
    ({"owner_type": "suggestion", "owner_id": "s-education"}, 403),  # deputy01 is not its author
    ({"sha256": "XYZ"}, 400),
    ({"size": 0}, 400),
])
def test_bad_upload_requests_are_4xx_json(http, body, code):
    deputy = sign_in(http, "deputy01")
    full = {"id": str(uuid.uuid4()), "owner_type": "suggestion", "owner_id": "s-transport", "file_name": "a.jpg",
            "size": 10, "sha256": "0" * 64, **body}
    answer = http.post(f"{BASE}/attachments/uploads", headers=deputy, json=full)
    assert answer.status_code == code, answer.text
    assert set(answer.json()) >= {"error", "message", "detail"}


def test_milestones_and_inspections_follow_their_owner(http):
    staff, deputy02 = sign_in(http, "staff01"), sign_in(http, "deputy02")
    milestone = upload(http, staff, jpeg(3000), owner=("milestone", "1"))
    assert milestone.status_code == 200, milestone.text
    visit = upload(http, deputy02, jpeg(3000), owner=("inspection", "i-1"))
    assert visit.status_code == 200, visit.text
    transport = sign_in(http, "jiaotong")
    assert http.get(f"{BASE}/attachments/{milestone.json()['id']}/content", headers=transport).status_code == 200
    assert http.get(f"{BASE}/attachments/{visit.json()['id']}/content", headers=transport).status_code == 404
    assert upload(http, transport, jpeg(3000), owner=("inspection", "i-1")).status_code == 404


def test_unsigned_requests_are_refused(http):
    assert http.get(f"{BASE}/attachments/{uuid.uuid4()}/content").status_code == 401


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "passwd"), ("C:\\Windows\\evil.exe", "evil.exe"), ("a\x00b\x1fc.jpg", "abc.jpg"),
    ("  ..  ", "附件"), ("照片 1.JPG", "照片 1.JPG"), ('a<b>:"|?*.pdf', "a_b______.pdf"), ("x" * 300 + ".png", None),
])
def test_file_names_are_sanitised(name, expected):
    cleaned = sanitize_name(name)
    assert "/" not in cleaned and "\\" not in cleaned and len(cleaned) <= 120
    if expected is not None:
        assert cleaned == expected
    else:
        assert cleaned.endswith(".png")


def _start(http, headers, data: bytes) -> str:
    key = str(uuid.uuid4())
    started = http.post(f"{BASE}/attachments/uploads", headers=headers, json={
        "id": key, "owner_type": "suggestion", "owner_id": "s-transport", "file_name": "a.jpg", "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest()})
    assert started.status_code == 200, started.text
    assert http.put(f"{BASE}/attachments/uploads/{key}", params={"offset": 0}, headers=headers,
                    content=data[:4000]).status_code == 200
    return key


def test_the_daily_maintenance_removes_abandoned_uploads_and_orphan_parts(http, world, store):
    deputy = sign_in(http, "deputy01")
    data = jpeg(10_000)
    abandoned, fresh = _start(http, deputy, data), _start(http, deputy, data)
    uploads = store / ".uploads"
    orphan, new_orphan = uploads / f"{uuid.uuid4()}.part", uploads / f"{uuid.uuid4()}.part"
    orphan.write_bytes(b"x" * 1000)
    new_orphan.write_bytes(b"x" * 10)
    week_ago = time.time() - 8 * 86400
    os.utime(orphan, (week_ago, week_ago))
    with world.engine.begin() as conn:
        conn.execute(update(upload_sessions).where(upload_sessions.c.id == abandoned)
                     .values(updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=8)))
    settings = ServerSettings(attachments_path=store)
    report = sweep_abandoned(world.engine, settings)
    assert (report.sessions, report.orphans, report.freed) == (1, 1, 5000)
    with world.engine.connect() as conn:
        assert conn.execute(select(upload_sessions.c.id)).scalars().all() == [fresh]
        assert [e.action for e in audit.entries(conn)].count("attachment.sweep") == 1
    assert sorted(p.name for p in uploads.iterdir()) == sorted([f"{fresh}.part", new_orphan.name])
    # The upload still under way carries on; the abandoned one is gone and says so.
    assert http.get(f"{BASE}/attachments/uploads/{fresh}", headers=deputy).json()["received"] == 4000
    gone = http.put(f"{BASE}/attachments/uploads/{abandoned}", params={"offset": 4000}, headers=deputy,
                    content=data[4000:])
    assert gone.status_code == 404 and "重新上传" in gone.json()["message"]
    assert sweep_abandoned(world.engine, settings) == SweepReport(0, 0, 0)


def test_serve_sweeps_abandoned_uploads_with_its_daily_compaction(http, world, store):
    deputy = sign_in(http, "deputy01")
    key = _start(http, deputy, jpeg(10_000))
    with world.engine.begin() as conn:
        conn.execute(update(upload_sessions).values(updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=30)))
    worker = compaction.DailyCompaction(world.engine, 90, settings=ServerSettings(attachments_path=store),
                                        check_every=0.05)
    worker.start()
    deadline = time.monotonic() + 10
    while (store / ".uploads" / f"{key}.part").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.stop()
    worker.join(5)
    assert not (store / ".uploads" / f"{key}.part").exists()
    with world.engine.connect() as conn:
        assert conn.execute(select(upload_sessions)).first() is None


def test_the_demo_carries_real_photos_and_a_reply_letter(server_engine, tmp_path):
    from sync.server.attachments import sniff
    from sync.server.demo import SUGGESTION_PHOTOS, load_demo
    from sync.server.demo_media import photo

    load_demo(server_engine, attachments_root=tmp_path)
    with server_engine.connect() as conn:
        rows = conn.execute(select(attachments)).mappings().all()
    assert sorted(r["owner_type"] for r in rows) == ["inspection", "milestone", "suggestion", "suggestion",
                                                      "suggestion", "suggestion_event"]
    for row in rows:
        stored = tmp_path / row["sha256"][:2] / row["sha256"]
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == row["sha256"] and row["size"] == stored.stat().st_size
        assert sniff(stored) == row["content_type"]  # what an upload of it would have been taken for
    first = next(r for r in rows if r["content_type"] == "image/jpeg")
    with Image.open(tmp_path / first["sha256"][:2] / first["sha256"]) as image:
        assert image.size == (960, 720)
    scene = SUGGESTION_PHOTOS[0][2]
    assert photo(scene) == photo(scene)  # the same bytes for the same seed


def test_the_compact_command_sweeps_abandoned_uploads_too(server_db_url, server_engine, capsys):
    from sync.server import cli
    from sync.server.backup import attachments_dir

    key, month_ago = str(uuid.uuid4()), dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    with server_engine.begin() as conn:
        conn.execute(upload_sessions.insert().values(
            id=key, user_id=1, owner_type="suggestion", owner_id="s-1", file_name="a.jpg", size=10, sha256="0" * 64,
            received=4, created_at=month_ago, updated_at=month_ago))
    part = attachments_dir() / ".uploads" / f"{key}.part"
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(b"1234")
    assert cli.main(["compact", "--db", server_db_url]) == 0
    assert "已清理 1 个放弃的附件上传" in capsys.readouterr().out
    assert not part.exists()
