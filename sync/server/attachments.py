"""Attachments: photos and documents of suggestions, replies, inspections and project milestones.

Storage
    Files live on disk under the server home's ``attachments`` directory (``backup.attachments_dir()``,
    so every backup carries them), content-addressed: ``<sha256[:2]>/<sha256>``. The same photo attached
    twice is stored once; the database would bloat its backups and its changelog with megabytes of
    bytes, and a file is written once and never changed, so plain files are the simpler store. The
    metadata row (``attachments``) is replicated like any other row through the changelog; the
    content is fetched on demand.

Upload
    Resumable, in chunks: a session is created (its id is the attachment's UUID, made on the PC, so a
    repeat is recognised), each chunk is written at its offset and acknowledged with the bytes now
    held; after a cut the client asks for that figure and carries on from there. Completing checks
    size and hash, takes the type from the content (magic bytes, never the name) against the
    allow-list, checks an image's pixel count against decompression bombs, then moves the file into
    the store and writes the row through the changelog in one transaction: the file becomes visible
    to others only whole and checked. Completing again answers the same row (exactly once).

Clean-up
    An upload nobody finishes (the deputy gave up, the PC was reinstalled) would keep its session and
    its partial file for ever: the daily maintenance of ``serve`` (:class:`sync.server.compaction.DailyCompaction`)
    removes sessions untouched for :data:`ABANDONED_AFTER`, their partial files, and partial files no
    session owns (a crash between writing one and committing its session).

Who may
    Attach: a suggestion's author, staff in scope, the department it is assigned to; a reply: its
    writer; an inspection: its deputy and staff; a milestone: staff and the project's department.
    Download: whoever may see the row (``scope.row_condition``), which copies its audience from the
    owner — a department sees the files of the suggestions assigned to it and nothing else.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from sync.protocol import file_sha256
from sync.schema import (
    EVERY_DEPARTMENT,
    attachments,
    inspections,
    project_milestones,
    projects,
    suggestion_events,
    suggestions,
    upload_sessions,
)
from sync.server import audit, changelog
from sync.server.accounts import utcnow
from sync.server.scope import Viewer, row_condition
from sync.server.settings import ServerSettings

UPLOADS_DIR = ".uploads"
#: An upload session untouched this long is abandoned (a resumed upload touches it with every chunk).
ABANDONED_AFTER = dt.timedelta(days=7)

#: Content types accepted, with the extensions a file of that type is given.
ALLOWED = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "application/pdf": (".pdf",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
}
_OFFICE_PARTS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ALLOWED_NAMES = "JPEG、PNG 图片, PDF, Word/Excel/PowerPoint 文档 (docx/xlsx/pptx)"
OWNER_NAMES = {"suggestion": "建议", "suggestion_event": "建议答复", "inspection": "视察记录", "milestone": "项目节点"}
MAX_NAME = 120


class AttachmentError(Exception):
    """A refusal, answered as ``{"error": code, "message", "detail"}`` (codes of ``api.errors.STATUS``)."""

    def __init__(self, code: str, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.code, self.message, self.detail = code, message, detail


@dataclass(frozen=True)
class Uploader:
    user_id: int
    username: str
    role: str
    viewer: Viewer
    device: str = "unknown"


# ---------------------------------------------------------------- names and types

def sanitize_name(name: str) -> str:
    """A file name safe to show and to save: no folders, no control characters, no reserved characters."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    name = re.sub(r'[<>:"|?*]', "_", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext[:10]
    stem = stem[:MAX_NAME - len(ext) - 1]
    name = f"{stem}.{ext}" if ext and stem else (stem or ext)
    return name or "附件"


def sniff(path: Path) -> str | None:
    """The content type by the file's first bytes (and an Office file's parts), or ``None``."""
    with path.open("rb") as file:
        head = file.read(8)
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" in names:
            for prefix, content_type in _OFFICE_PARTS.items():
                if any(n.startswith(prefix) for n in names):
                    return content_type
    return None


def check_image(path: Path, max_pixels: int) -> None:
    """Refuse an image whose pixel count is over the limit (a decompression bomb) or that is broken.
    Only the header is decoded for the size, so a bomb costs nothing to detect."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise AttachmentError(
                        "too_large", f"图片尺寸 {width}×{height} 超过允许的 {max_pixels} 像素 (可能是解压炸弹), 已拒收",
                        {"width": width, "height": height, "max_pixels": max_pixels})
                image.verify()
    except Image.DecompressionBombError as exc:
        raise AttachmentError("too_large", f"图片尺寸超过允许的 {max_pixels} 像素 (可能是解压炸弹), 已拒收",
                              {"max_pixels": max_pixels}) from exc
    except (UnidentifiedImageError, SyntaxError, OSError, ValueError) as exc:
        raise AttachmentError("unsupported_type", "图片文件已损坏, 无法识别", {"reason": "broken_image"}) from exc


def _with_extension(name: str, content_type: str) -> str:
    extensions = ALLOWED[content_type]
    return name if name.lower().endswith(extensions) else f"{name}{extensions[0]}"


# ---------------------------------------------------------------- owners

def owner_audience(conn: Connection, uploader: Uploader, owner_type: str, owner_id: str) -> tuple[str, str | None]:
    """The owner's (region, department) for the row's audience, if ``uploader`` may attach to it."""
    viewer, role = uploader.viewer, uploader.role
    what = OWNER_NAMES.get(owner_type)
    if what is None:
        raise AttachmentError("bad_request", f"不能给 {owner_type!r} 添加附件", {"owner_types": list(OWNER_NAMES)})
    missing = AttachmentError("not_found", f"{what} {owner_id} 不存在或不在您的范围内")
    refused = AttachmentError("forbidden", f"您不能给这条{what}添加附件")
    if owner_type == "suggestion":
        row = conn.execute(select(suggestions).where(suggestions.c.id == owner_id,
                                                     row_condition(viewer, suggestions))).mappings().first()
        if row is None:
            raise missing
        if role == "deputy" and row["author_id"] != uploader.user_id:
            raise refused
        return row["region_code"], row["department_code"]
    if owner_type == "suggestion_event":
        row = conn.execute(select(suggestion_events).where(
            suggestion_events.c.id == owner_id, row_condition(viewer, suggestion_events))).mappings().first()
        if row is None:
            raise missing
        if row["actor_id"] != uploader.user_id:
            raise refused
        return row["region_code"], row["department_code"]
    if owner_type == "inspection":
        row = conn.execute(select(inspections).where(inspections.c.id == owner_id,
                                                     row_condition(viewer, inspections))).mappings().first()
        if row is None:
            raise missing
        if role == "deputy" and row["deputy_id"] != uploader.user_id:
            raise refused
        return row["region_code"], None
    if not owner_id.isdigit() or len(owner_id) > 18:
        raise missing
    row = conn.execute(
        select(project_milestones.c.region_code, projects.c.department_code)
        .join(projects, projects.c.id == project_milestones.c.project_id)
        .where(project_milestones.c.id == int(owner_id), row_condition(viewer, project_milestones))).first()
    if row is None:
        raise missing
    if not (role == "staff" or (role == "department" and row.department_code == viewer.department_code)):
        raise refused
    return row.region_code, EVERY_DEPARTMENT


def _owner_bytes(conn: Connection, owner_type: str, owner_id: str) -> int:
    return int(conn.execute(select(func.coalesce(func.sum(attachments.c.size), 0)).where(
        attachments.c.owner_type == owner_type, attachments.c.owner_id == owner_id)).scalar_one())


def _check_owner_room(conn: Connection, settings: ServerSettings, owner_type: str, owner_id: str, size: int) -> None:
    used = _owner_bytes(conn, owner_type, owner_id)
    if used + size > settings.max_owner_attachment_bytes:
        limit = settings.max_owner_attachment_bytes
        raise AttachmentError("too_large", f"这条{OWNER_NAMES[owner_type]}的附件合计不能超过 {limit // 2**20} MB"
                              f" (已有 {used / 2**20:.1f} MB)", {"max_owner_bytes": limit, "used": used})


# ---------------------------------------------------------------- the upload

def _part(settings: ServerSettings, key: str) -> Path:
    return settings.attachments_root() / UPLOADS_DIR / f"{key}.part"


def stored_path(settings: ServerSettings, sha256: str) -> Path:
    return settings.attachments_root() / sha256[:2] / sha256


def _state(session: Any) -> dict[str, Any]:
    return {"id": session["id"], "size": session["size"], "received": session["received"], "complete": False,
            "attachment": None}


def _done(row: Any) -> dict[str, Any]:
    meta = metadata(row)
    return {"id": meta["id"], "size": meta["size"], "received": meta["size"], "complete": True, "attachment": meta}


def metadata(row: Any) -> dict[str, Any]:
    meta = dict(row)
    created = meta["created_at"]
    created = created.replace(tzinfo=dt.UTC) if created.tzinfo is None else created.astimezone(dt.UTC)
    meta["created_at"] = created.isoformat()
    return meta


def _finished(conn: Connection, key: str, uploader: Uploader) -> dict[str, Any] | None:
    row = conn.execute(select(attachments).where(attachments.c.id == key)).mappings().first()
    if row is None:
        return None
    if row["uploader_id"] != uploader.user_id:
        raise AttachmentError("conflict", "附件编号已被其他用户使用, 请重新添加")
    return _done(row)


def _session(conn: Connection, key: str, uploader: Uploader, *, lock: bool = False) -> Any:
    query = select(upload_sessions).where(upload_sessions.c.id == key, upload_sessions.c.user_id == uploader.user_id)
    row = conn.execute(query.with_for_update() if lock else query).mappings().first()
    if row is None:
        raise AttachmentError("not_found", "没有这个上传 (可能已被取消), 请重新上传", {"id": key})
    return row


def start(engine: Engine, settings: ServerSettings, uploader: Uploader, key: str, owner_type: str, owner_id: str,
          file_name: str, size: int, sha256: str) -> dict[str, Any]:
    """Create (or find again) the upload session of attachment ``key``; returns its state."""
    if size > settings.max_attachment_bytes:
        limit = settings.max_attachment_bytes
        raise AttachmentError("too_large", f"文件 {size / 2**20:.1f} MB, 超过单个附件 {limit // 2**20} MB 的上限",
                              {"max_bytes": limit, "size": size})
    name = sanitize_name(file_name)
    now = utcnow()
    with engine.begin() as conn:
        changelog.lock_appends(conn)
        finished = _finished(conn, key, uploader)
        if finished is not None:
            return finished
        existing = conn.execute(select(upload_sessions).where(upload_sessions.c.id == key)).mappings().first()
        if existing is not None:
            same = (existing["user_id"], existing["sha256"], existing["size"], existing["owner_type"],
                    existing["owner_id"]) == (uploader.user_id, sha256, size, owner_type, owner_id)
            if not same:
                raise AttachmentError("conflict", "附件编号已被另一个上传使用, 请重新添加")
            state = _state(existing)
            part = _part(settings, key)
            held = part.stat().st_size if part.exists() else 0
            if held < state["received"]:  # the partial file was lost: start again
                _set_received(conn, key, 0, now)
                state["received"] = 0
            return state
        owner_audience(conn, uploader, owner_type, owner_id)
        _check_owner_room(conn, settings, owner_type, owner_id, size)
        part = _part(settings, key)
        part.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(b"")
        conn.execute(insert(upload_sessions).values(
            id=key, user_id=uploader.user_id, owner_type=owner_type, owner_id=owner_id, file_name=name, size=size,
            sha256=sha256, received=0, created_at=now, updated_at=now))
        return {"id": key, "size": size, "received": 0, "complete": False, "attachment": None}


def _set_received(conn: Connection, key: str, received: int, now: dt.datetime) -> None:
    conn.execute(update(upload_sessions).where(upload_sessions.c.id == key).values(received=received, updated_at=now))


def state(engine: Engine, uploader: Uploader, key: str) -> dict[str, Any]:
    with engine.connect() as conn:
        return _finished(conn, key, uploader) or _state(_session(conn, key, uploader))


def put_chunk(engine: Engine, settings: ServerSettings, uploader: Uploader, key: str, offset: int,
              data: bytes) -> dict[str, Any]:
    """Write ``data`` at ``offset`` (at most the bytes held: a resent chunk overwrites); acknowledge."""
    with engine.begin() as conn:
        finished = _finished(conn, key, uploader)
        if finished is not None:
            return finished
        session = _session(conn, key, uploader, lock=True)
        if offset > session["received"]:
            raise AttachmentError("conflict", f"上传位置 {offset} 超过服务器已收到的 {session['received']} 字节",
                                  {"received": session["received"]})
        end = offset + len(data)
        if end > session["size"]:
            raise AttachmentError("bad_request", f"数据超过声明的文件大小 {session['size']} 字节",
                                  {"size": session["size"]})
        part = _part(settings, key)
        with part.open("r+b" if part.exists() else "wb") as file:
            file.seek(offset)
            file.write(data)
            file.truncate(end)
            file.flush()
            os.fsync(file.fileno())
        _set_received(conn, key, end, utcnow())
        return {**_state(session), "received": end}


def _drop(conn: Connection, settings: ServerSettings, key: str) -> None:
    conn.execute(delete(upload_sessions).where(upload_sessions.c.id == key))
    _part(settings, key).unlink(missing_ok=True)


def complete(engine: Engine, settings: ServerSettings, uploader: Uploader, key: str) -> dict[str, Any]:
    """Check the whole file and commit it: stored, its row written through the changelog."""
    refusal: AttachmentError | None = None
    with engine.begin() as conn:
        changelog.lock_appends(conn)
        finished = _finished(conn, key, uploader)
        if finished is not None:
            return finished
        session = _session(conn, key, uploader, lock=True)
        part = _part(settings, key)
        held = part.stat().st_size if part.exists() else 0
        if session["received"] != session["size"] or held != session["size"]:
            raise AttachmentError("conflict", f"文件尚未传完 (已收到 {session['received']} / {session['size']} 字节)",
                                  {"received": session["received"], "size": session["size"]})
        try:
            sha256 = file_sha256(part)
            if sha256 != session["sha256"]:
                raise AttachmentError("conflict", "文件校验值不符 (传输中损坏), 请重新上传",
                                      {"reason": "hash_mismatch", "received": 0})
            content_type = sniff(part)
            if content_type is None:
                raise AttachmentError("unsupported_type",
                                      f"不支持这种文件 (按内容判断, 与扩展名无关); 允许: {ALLOWED_NAMES}",
                                      {"allowed": sorted(ALLOWED)})
            if content_type.startswith("image/"):
                check_image(part, settings.max_image_pixels)
            region, department = owner_audience(conn, uploader, session["owner_type"], session["owner_id"])
            _check_owner_room(conn, settings, session["owner_type"], session["owner_id"], session["size"])
        except AttachmentError as exc:
            refusal = exc  # handled below, in a transaction of its own
        if refusal is None:
            target = stored_path(settings, sha256)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                part.unlink()  # the same content is stored once
            else:
                shutil.move(part, target)
            now = utcnow()
            (row,) = changelog.insert(conn, attachments, [{
                "id": key, "owner_type": session["owner_type"], "owner_id": session["owner_id"],
                "region_code": region, "department_code": department, "uploader_id": uploader.user_id,
                "file_name": _with_extension(session["file_name"], content_type), "content_type": content_type,
                "size": session["size"], "sha256": sha256, "created_at": now}])
            conn.execute(delete(upload_sessions).where(upload_sessions.c.id == key))
            audit.record(conn, actor=uploader.username, device=uploader.device, action="attachment.upload", at=now,
                         detail={"id": key, "owner": f"{session['owner_type']}:{session['owner_id']}",
                                 "sha256": sha256, "size": session["size"]})
            return _done(row)
    with engine.begin() as conn:
        if (refusal.detail or {}).get("reason") == "hash_mismatch":  # start again from nothing
            _set_received(conn, key, 0, utcnow())
            _part(settings, key).write_bytes(b"")
        else:  # final: the type, the size or the owner will not change by sending it again
            _drop(conn, settings, key)
    raise refusal


def cancel(engine: Engine, settings: ServerSettings, uploader: Uploader, key: str) -> None:
    with engine.begin() as conn:
        _session(conn, key, uploader, lock=True)
        _drop(conn, settings, key)


def for_download(engine: Engine, settings: ServerSettings, viewer: Viewer, key: str) -> tuple[Path, dict[str, Any]]:
    """The stored file and row of an attachment ``viewer`` may see; otherwise "not found" (never "forbidden",
    which would tell that it exists)."""
    with engine.connect() as conn:
        row = conn.execute(select(attachments).where(attachments.c.id == key,
                                                     row_condition(viewer, attachments))).mappings().first()
    if row is None:
        raise AttachmentError("not_found", "附件不存在或您无权查看", {"id": key})
    path = stored_path(settings, row["sha256"])
    if not path.exists():
        raise AttachmentError("not_found", "服务器上找不到这个附件的文件, 请联系人大工委", {"id": key})
    return path, metadata(row)


def move_with_suggestion(conn: Connection, suggestion_id: str, department: str | None) -> None:
    """A suggestion's (and its events') attachments follow it to its new department."""
    event_keys = select(suggestion_events.c.id).where(suggestion_events.c.suggestion_id == suggestion_id)
    keys = conn.execute(select(attachments.c.id).where(
        ((attachments.c.owner_type == "suggestion") & (attachments.c.owner_id == suggestion_id))
        | ((attachments.c.owner_type == "suggestion_event") & attachments.c.owner_id.in_(event_keys)))).scalars().all()
    changelog.update(conn, attachments, {key: {"department_code": department} for key in keys})


# ---------------------------------------------------------------- clean-up

@dataclass(frozen=True)
class SweepReport:
    sessions: int  # abandoned upload sessions removed (with their partial files)
    orphans: int  # partial files no session owned, removed
    freed: int  # bytes of partial files removed


def sweep_abandoned(engine: Engine, settings: ServerSettings, *, older_than: dt.timedelta = ABANDONED_AFTER,
                    now: dt.datetime | None = None) -> SweepReport:
    """Remove upload sessions untouched for ``older_than`` and their partial files, and partial files
    older than that which no session owns (audited when anything went)."""
    now = now or utcnow()
    before = now - older_than
    folder = settings.attachments_root() / UPLOADS_DIR
    freed = 0
    with engine.begin() as conn:
        stale = conn.execute(select(upload_sessions.c.id).where(upload_sessions.c.updated_at < before)
                             ).scalars().all()
        for key in stale:
            freed += _size(_part(settings, key))
            _drop(conn, settings, key)
        live = set(conn.execute(select(upload_sessions.c.id)).scalars())
        orphans = [part for part in (folder.glob("*.part") if folder.is_dir() else ())
                   if part.stem not in live and _modified(part) < before]
        for part in orphans:
            freed += _size(part)
            part.unlink(missing_ok=True)
        report = SweepReport(len(stale), len(orphans), freed)
        if stale or orphans:
            audit.record(conn, actor="server", device="serve", action="attachment.sweep", at=now,
                         detail={"sessions": report.sessions, "orphans": report.orphans, "freed": freed})
    return report


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _modified(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
