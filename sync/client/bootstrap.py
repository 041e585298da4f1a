"""First sync from a snapshot (DESIGN.md §3.10): download a ready replica file instead of applying pages.

An empty replica (first sync, or after a resync) asks ``GET /snapshot`` for the server's compressed
SQLite file of what the user may see and the cursor it is consistent with, downloads it with
``Range`` resume, checks its SHA-256, and copies its tables in (:meth:`Replica.load_snapshot`, one
transaction). The paged pull then carries on from the snapshot's cursor.

The download goes to ``<replica>.snapshot.part`` beside the offer it belongs to (``.snapshot.json``), so
a run killed mid-download resumes the same file next time, even when the server would offer a newer
one by then. A file whose hash is wrong is discarded and the pull falls back to pages; so does a
server that offers no snapshot.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import lzma
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sync.client.errors import Forbidden, Offline, ProtocolError
from sync.client.progress import SyncReport
from sync.client.replica import Replica
from sync.client.transport import API, BODY_RETRIES, Transport
from sync.protocol import Cursor

CHUNK = 1024 * 1024


class BadSnapshot(ProtocolError):
    """The downloaded file is not the one offered (hash) or not a readable snapshot."""


@dataclasses.dataclass(frozen=True)
class SnapshotOffer:
    """What ``GET /snapshot`` answered, checked."""

    cursor: str
    sha256: str
    size: int
    rows: int
    path: str  # below the API base, for the transport
    per_user_tables: tuple[str, ...]

    @classmethod
    def parse(cls, body: Any) -> SnapshotOffer:
        where = "获取快照信息"
        try:
            url, sha256, cursor = body["url"], body["sha256"], Cursor.decode(body["cursor"])
            offer = cls(cursor.encode(), str(sha256).lower(), int(body["size"]), int(body["rows"]),
                        url.removeprefix(API), tuple(str(name) for name in body["per_user_tables"]))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:  # CursorError is a ValueError
            raise ProtocolError(f"服务器的快照信息格式不对（{where}）") from exc
        if not url.startswith(f"{API}/") or len(offer.sha256) != 64:
            raise ProtocolError(f"服务器的快照信息格式不对（{where}）")
        return offer


class SnapshotBootstrap:
    """Loads one empty replica from the server's snapshot."""

    def __init__(self, replica: Replica, transport: Transport, report: SyncReport,
                 on_bytes: Callable[[int], None]) -> None:
        self.replica = replica
        self.transport = transport
        self.report = report
        self.on_bytes = on_bytes  # moves the progress bar while the file arrives
        self.part = replica.path.with_name(f"{replica.path.name}.snapshot.part")
        self.saved_offer = replica.path.with_name(f"{replica.path.name}.snapshot.json")
        self.plain = replica.path.with_name(f"{replica.path.name}.snapshot.sqlite")

    def load(self) -> SnapshotOffer | None:
        """Bring the empty replica to a snapshot's cursor; ``None`` when there is none to be had (the
        pull then starts from the beginning). A cut download raises :class:`Offline` and resumes next run."""
        offer = self._resumable() or self._ask()
        if offer is None:
            return None
        try:
            self._download(offer)
        except Forbidden:  # gone from the server (too old): start over with the current one
            self._discard()
            offer = self._ask()
            if offer is None:
                return None
            self._download(offer)
        try:
            self._unpack(offer)
            state = {"cursor": offer.cursor, "epoch": Cursor.decode(offer.cursor).epoch}
            self.replica.load_snapshot(self.plain, state, expected_cursor=None)
        except ProtocolError as exc:  # a bad hash, or a file that is not a snapshot of our tables
            self.report.message = f"{exc}；已丢弃，改为分页同步"
            return None
        finally:
            self._discard()
        self.report.rows_pulled += offer.rows
        return offer

    # ------------------------------------------------------------ the offer

    def _resumable(self) -> SnapshotOffer | None:
        """The offer a previous run began downloading, if its part is still here."""
        if not self.part.exists():
            self._discard()
            return None
        try:
            return _saved(self.saved_offer)
        except (OSError, ValueError, TypeError, KeyError):
            self._discard()
            return None

    def _ask(self) -> SnapshotOffer | None:
        try:
            body = self.transport.request("GET", "/snapshot", where="获取快照信息")
        except (ProtocolError, Forbidden):  # a server without snapshots (404): pages it is
            return None
        offer = SnapshotOffer.parse(body)
        self.saved_offer.write_text(json.dumps(dataclasses.asdict(offer), ensure_ascii=False), encoding="utf-8")
        self.part.write_bytes(b"")
        return offer

    # ------------------------------------------------------------ the file

    def _download(self, offer: SnapshotOffer) -> None:
        """Fetch what the part lacks; a cut resumes from where it stopped, a few times before giving up."""
        attempt = 0
        while True:
            with self.part.open("ab") as target:
                done = target.tell()
                if done >= offer.size:
                    return
                try:
                    self.transport.download(offer.path, target, offset=done, where="下载快照", on_bytes=self.on_bytes)
                    return
                except Offline:
                    attempt += 1
                    if attempt > BODY_RETRIES:
                        raise
            self.transport.cancel.wait(self.transport.backoff * 2 ** attempt)

    def _unpack(self, offer: SnapshotOffer) -> None:
        """Check the hash of the download, then unpack it (xz) into the plain file the replica attaches."""
        digest = hashlib.sha256()
        with self.part.open("rb") as packed:
            while chunk := packed.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != offer.sha256:
            raise BadSnapshot(f"快照文件校验失败（SHA-256 应为 {offer.sha256[:12]}…，实为 {digest.hexdigest()[:12]}…）")
        unpack = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
        try:
            with self.part.open("rb") as packed, self.plain.open("wb") as plain:
                while chunk := packed.read(CHUNK):
                    plain.write(unpack.decompress(chunk))
        except lzma.LZMAError as exc:
            raise BadSnapshot(f"快照文件已损坏（无法解压: {exc}）") from exc
        if not unpack.eof:
            raise BadSnapshot("快照文件不完整（压缩数据被截断）")

    def _discard(self) -> None:
        for path in (self.part, self.saved_offer, self.plain):
            path.unlink(missing_ok=True)


def _saved(path: Path) -> SnapshotOffer:
    values = json.loads(path.read_text(encoding="utf-8"))
    return SnapshotOffer(**{**values, "per_user_tables": tuple(values["per_user_tables"])})
