"""Attachments on the client: a durable upload queue beside the outbox, resumable chunked upload,
downloads on demand into a cache.

Queueing copies the file into the user's outbox area at once (so the original may be moved or
deleted) and records it, hash included, in ``attachment_uploads`` in the user's replica file — a
crash after :meth:`AttachmentQueue.add` returns loses nothing. An upload waits for the outbox command
that creates its owner (``after_command``) to be applied, and is failed with that command's reason
if it was rejected; it never blocks other commands or other uploads. A file attached to a draft is
``held`` until the draft is submitted (:meth:`AttachmentQueue.release`). A sync run uploads after its
command push and before its pull, so the committed attachment rows come back in the same run; an
uploaded copy moves into the download cache, so the uploader never fetches their own file.

Uploading asks the server to start (or find again) the upload session of the attachment's UUID,
then sends chunks from the offset the server acknowledged; after a cut it asks again and resumes
from there, so a 5 MB photo on a township line is never sent whole twice. Completing is idempotent
on the server: a lost answer is asked again and gets the same row. A refusal (type, size, owner) is
final: the upload is marked failed with the server's reason for the user to see; a server error
leaves it pending with the reason, for the next run.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, select, update

from sync.client import clock
from sync.client.errors import Forbidden, Offline, ProtocolError, ServerUnavailable
from sync.client.home import Account
from sync.client.outbox import DONE
from sync.client.replica import Replica, attachment_uploads, outbox
from sync.client.transport import TooLarge, Transport
from sync.protocol import file_sha256
from sync.schema import attachments

CHUNK = 256 * 1024  # well under the server's request body limit (1 MB)
MAX_CUTS = 50  # consecutive cuts without progress before a run gives up (the next run resumes)
#: Answers that will not change by sending the same file again: the upload fails with the server's reason.
REFUSALS = (ProtocolError, Forbidden, TooLarge)
#: ``progress(attachment id, bytes the server holds, size)`` while a file goes up.
UploadProgress = Callable[[str, int, int], None]


def outbox_area(account: Account) -> Path:
    """Where queued files are copied, beside the user's replica."""
    return account.directory / "outbox-files"


def cache_area(account: Account) -> Path:
    """Where downloaded (and uploaded) attachments are kept, by their hash."""
    return account.directory / "attachments"


def cached_path(cache: Path, sha256: str) -> Path:
    return cache / sha256[:2] / sha256


def _no_progress(_key: str, _sent: int, _size: int) -> None:
    pass


@dataclass(frozen=True)
class Upload:
    id: str
    owner_type: str
    owner_id: str
    file_name: str
    path: Path
    size: int
    sha256: str
    after_command: str | None
    state: str
    received: int
    reason: str | None


class AttachmentQueue:
    """A user's queued uploads, in their replica file; copies live in ``folder``, and move into ``cache``
    (when given) once uploaded."""

    def __init__(self, replica: Replica, folder: Path, cache: Path | None = None) -> None:
        self.replica = replica
        self.folder = folder
        self.cache = cache

    @classmethod
    def of(cls, replica: Replica, account: Account) -> AttachmentQueue:
        return cls(replica, outbox_area(account), cache_area(account))

    def add(self, source: Path, owner_type: str, owner_id: str, *, after_command: str | None = None,
            held: bool = False) -> str:
        """Copy ``source`` into the outbox area and queue its upload (``held`` until :meth:`release` when its
        owner is still a draft); returns the attachment's UUID."""
        key = str(uuid.uuid4())
        self.folder.mkdir(parents=True, exist_ok=True)
        copy = self.folder / key
        shutil.copyfile(source, copy)
        with self.replica.engine.begin() as conn:
            conn.execute(insert(attachment_uploads).values(
                id=key, owner_type=owner_type, owner_id=str(owner_id), file_name=source.name, path=str(copy),
                size=copy.stat().st_size, sha256=file_sha256(copy), after_command=after_command,
                state="held" if held else "pending", received=0,
                created_at=clock.wall_clock_now().isoformat(timespec="seconds")))
        return key

    def uploads(self, states: tuple[str, ...] = ("held", "pending", "done", "failed")) -> list[Upload]:
        with self.replica.reading() as conn:
            rows = conn.execute(select(attachment_uploads).where(attachment_uploads.c.state.in_(states))
                                .order_by(attachment_uploads.c.seq)).mappings().all()
        return [Upload(r["id"], r["owner_type"], r["owner_id"], r["file_name"], Path(r["path"]), r["size"],
                       r["sha256"], r["after_command"], r["state"], r["received"], r["reason"]) for r in rows]

    def release(self, owner_type: str, owner_id: str, after_command: str, *, failed_with: str | None = None) -> int:
        """The owner's draft or form was sent as ``after_command``: its held files go up after it — and,
        with ``failed_with`` (a rejected submission corrected and sent again), those that failed with it.
        Returns how many."""
        waiting = attachment_uploads.c.state == "held"
        if failed_with is not None:
            waiting |= (attachment_uploads.c.state == "failed") & (attachment_uploads.c.after_command == failed_with)
        with self.replica.engine.begin() as conn:
            return conn.execute(update(attachment_uploads).where(
                attachment_uploads.c.owner_type == owner_type, attachment_uploads.c.owner_id == str(owner_id),
                waiting).values(state="pending", after_command=after_command, reason=None, received=0)).rowcount

    def retry(self, key: str) -> None:
        """Send a failed file again with the next run (the user's answer to a refusal that was not final)."""
        with self.replica.engine.begin() as conn:
            conn.execute(update(attachment_uploads).where(attachment_uploads.c.id == key,
                                                          attachment_uploads.c.state == "failed")
                         .values(state="pending", reason=None, received=0))

    def discard(self, key: str) -> None:
        """Give up a file that is held or failed: its row and its copy go."""
        self._discard(attachment_uploads.c.id == key)

    def discard_held(self, owner_type: str, owner_id: str) -> None:
        """Give up the files held for a draft or a form that was dropped."""
        self._discard((attachment_uploads.c.owner_type == owner_type)
                      & (attachment_uploads.c.owner_id == str(owner_id)) & (attachment_uploads.c.state == "held"))

    def _discard(self, which: ColumnElement[bool]) -> None:
        with self.replica.engine.begin() as conn:
            paths = conn.execute(select(attachment_uploads.c.path).where(
                which, attachment_uploads.c.state.in_(("held", "failed")))).scalars().all()
            conn.execute(delete(attachment_uploads).where(which, attachment_uploads.c.state.in_(("held", "failed"))))
        for path in paths:
            Path(path).unlink(missing_ok=True)

    def _set(self, key: str, **values: Any) -> None:
        with self.replica.engine.begin() as conn:
            conn.execute(update(attachment_uploads).where(attachment_uploads.c.id == key).values(**values))

    def _owner_command(self, upload: Upload) -> tuple[str, str | None] | None:
        """The state and reason of the command the upload waits for, or ``None`` when there is none."""
        if upload.after_command is None:
            return None
        with self.replica.reading() as conn:
            row = conn.execute(select(outbox.c.state, outbox.c.reason)
                               .where(outbox.c.uuid == upload.after_command)).first()
        return None if row is None else (row.state, row.reason)

    # ------------------------------------------------------------ uploading

    def upload_all(self, transport: Transport, *, chunk: int = CHUNK, progress: UploadProgress = _no_progress) -> int:
        """Upload every pending file whose owner exists on the server; returns how many completed."""
        self.forget_delivered()
        done = 0
        for upload in self.uploads(("pending",)):
            waiting = self._owner_command(upload)
            if waiting is not None and waiting[0] not in DONE:
                if waiting[0] == "rejected":
                    self._set(upload.id, state="failed", reason=f"所属内容未被服务器接受: {waiting[1]}")
                continue  # its owner is not on the server yet
            if self.upload(transport, upload, chunk=chunk, progress=progress):
                done += 1
        return done

    def forget_delivered(self) -> int:
        """Drop the records of uploads whose attachment row has come back from the server: from then on
        the replicated row (and the cache) stands for the file."""
        arrived = select(attachments.c.id).where(attachments.c.id == attachment_uploads.c.id).exists()
        with self.replica.engine.begin() as conn:
            return conn.execute(delete(attachment_uploads).where(attachment_uploads.c.state == "done", arrived)
                                ).rowcount

    def upload(self, transport: Transport, upload: Upload, *, chunk: int = CHUNK,
               progress: UploadProgress = _no_progress) -> bool:
        """Send one file, resuming after cuts; True when the server holds it. A refusal marks it failed;
        a server error leaves it pending with the reason (the next run tries again)."""
        if not upload.path.exists():
            self._set(upload.id, state="failed", reason=f"本机待上传的副本已丢失（{upload.path}），请重新添加")
            return False
        cuts = 0
        while True:
            try:
                return self._send(transport, upload, chunk, progress)
            except Offline:
                cuts += 1
                if cuts > MAX_CUTS:
                    raise
                transport.cancel.wait(min(2.0, 0.05 * cuts))
            except REFUSALS as refused:  # a 4xx: the server will not take this file
                self._set(upload.id, state="failed", reason=str(refused))
                return False
            except ServerUnavailable as busy:
                self._set(upload.id, reason=str(busy))
                return False

    def _send(self, transport: Transport, upload: Upload, chunk: int, progress: UploadProgress) -> bool:
        where = f"上传附件 {upload.file_name}"
        state = transport.request("POST", "/attachments/uploads", where=where, body={
            "id": upload.id, "owner_type": upload.owner_type, "owner_id": upload.owner_id,
            "file_name": upload.file_name, "size": upload.size, "sha256": upload.sha256})
        with upload.path.open("rb") as file:
            while not state["complete"] and state["received"] < upload.size:
                offset = state["received"]
                self._set(upload.id, received=offset)
                progress(upload.id, offset, upload.size)
                file.seek(offset)
                state = transport.request("PUT", f"/attachments/uploads/{upload.id}", where=where,
                                          params={"offset": offset}, data=file.read(chunk))
        if not state["complete"]:
            state = transport.request("POST", f"/attachments/uploads/{upload.id}/complete", where=where)
        if state["attachment"]["sha256"] != upload.sha256:
            raise ProtocolError(f"服务器保存的附件校验值不符（{upload.file_name}）")
        self._set(upload.id, state="done", received=upload.size, reason=None)
        progress(upload.id, upload.size, upload.size)
        self._keep(upload)
        return True

    def _keep(self, upload: Upload) -> None:
        """The uploaded copy becomes the cached content (or goes, without a cache)."""
        if self.cache is None:
            upload.path.unlink(missing_ok=True)
            return
        target = cached_path(self.cache, upload.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        upload.path.replace(target)


# ---------------------------------------------------------------- downloading

def download(transport: Transport, attachment_id: str, sha256: str, cache: Path) -> Path:
    """The attachment's content in ``cache`` (fetched once, resumed after a cut, checked by its hash)."""
    target = cached_path(cache, sha256)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    cuts = 0
    while True:
        offset = partial.stat().st_size if partial.exists() else 0
        try:
            with partial.open("ab") as file:
                transport.download(f"/attachments/{attachment_id}/content", file, offset=offset, where="下载附件")
            break
        except Offline:
            cuts += 1
            if cuts > MAX_CUTS:
                raise
    if file_sha256(partial) != sha256:
        partial.unlink()
        raise ProtocolError("下载的附件校验值不符，已删除，请重试")
    partial.replace(target)
    return target
