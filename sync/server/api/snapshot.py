"""Snapshot bootstrap: ``GET /snapshot`` (what to download) and ``GET /snapshot/<name>`` (the file, with Range)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from sync.server import changelog
from sync.server.api.dependencies import ActiveUser, Counts, Database, Settings, supported_protocol
from sync.server.api.errors import ApiError, error_responses
from sync.server.db import read_transaction
from sync.server.scope import load_viewer
from sync.server.snapshot import SnapshotStore, audience_key

router = APIRouter(tags=["同步"], dependencies=[Depends(supported_protocol)])

Name = Annotated[str, Path(max_length=100, description="快照文件名 (GET /snapshot 答复中 url 的最后一段)")]


class SnapshotOffer(BaseModel):
    cursor: str = Field(description="快照所对应的同步游标: 导入后从这里继续拉取")
    sha256: str = Field(description="压缩文件的 SHA-256 (十六进制)")
    size: int = Field(description="压缩文件的字节数")
    rows: int = Field(description="快照中的行数")
    url: str = Field(description="下载地址 (支持 Range 续传)")
    per_user_tables: list[str] = Field(description="快照中留空、须用 GET /tables/<name> 另取的表 (只属于本人的行)")


def _store(request: Request) -> SnapshotStore:
    return request.app.state.snapshots


Store = Annotated[SnapshotStore, Depends(_store)]


def _enabled(settings: Settings) -> None:
    if not settings.snapshots:
        raise ApiError("not_found", "此服务器未提供快照, 请分页拉取")


@router.get("/snapshot", response_model=SnapshotOffer, summary="首次同步用的快照 (压缩的 SQLite 副本文件)",
            responses=error_responses(401, 403, 404, 426), dependencies=[Depends(_enabled)])
def offer(user: ActiveUser, database: Database, store: Store, counts: Counts) -> dict[str, Any]:
    found = store.offer(database, user.user_id, counts)
    if found is None:
        raise ApiError("not_found", "可见的数据不多, 无需快照, 请分页拉取")
    return found.manifest(f"/api/v1/snapshot/{found.build.name}")


@router.get("/snapshot/{name}", response_class=FileResponse, summary="下载快照文件 (支持 Range 续传)",
            responses=error_responses(401, 403, 404, 416, 426), dependencies=[Depends(_enabled)])
def download(name: Name, user: ActiveUser, database: Database, store: Store) -> FileResponse:
    with read_transaction(database) as conn:
        key, epoch = audience_key(load_viewer(conn, user.user_id)), changelog.epoch(conn)
    build = store.build_named(key, epoch, name)
    if build is None:
        raise ApiError("not_found", "快照不存在或已过期, 请重新获取 GET /snapshot")
    return FileResponse(build.path, media_type="application/x-xz", headers={"ETag": f'"{build.sha256}"'})
