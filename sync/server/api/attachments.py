"""Attachments: resumable chunked upload and downloads with ``Range`` (docs/protocol.md, "Attachments")."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sync.schema import ATTACHMENT_OWNERS
from sync.server import attachments
from sync.server.api.dependencies import ActiveUser, Database, Settings, supported_protocol
from sync.server.api.errors import ApiError, error_responses
from sync.server.db import read_transaction
from sync.server.scope import load_viewer
from sync.server.sessions import SignedInUser
from sync.server.validation import StrictModel

router = APIRouter(tags=["附件"], dependencies=[Depends(supported_protocol)])

Key = Annotated[uuid.UUID, Path(description="附件编号 (客户端生成的 UUID)")]


class UploadStart(StrictModel):
    id: uuid.UUID = Field(description="附件编号, 客户端生成; 重复提交得到同一个上传")
    owner_type: Literal[ATTACHMENT_OWNERS]  # type: ignore[valid-type]
    owner_id: str = Field(min_length=1, max_length=40)
    file_name: str = Field(min_length=1, max_length=1000)
    size: int = Field(gt=0, le=2**40)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="整个文件的 SHA-256 (小写十六进制)")


class Attachment(BaseModel):
    id: str
    owner_type: str
    owner_id: str
    region_code: str
    department_code: str | None
    uploader_id: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    created_at: str


class UploadState(BaseModel):
    id: str
    size: int
    received: int = Field(description="服务器已确认收到的字节数; 从这里继续上传")
    complete: bool
    attachment: Attachment | None = Field(None, description="完成后: 附件的元数据 (也会随同步下发)")


def _uploader(database, user: SignedInUser) -> attachments.Uploader:
    with read_transaction(database) as conn:
        viewer = load_viewer(conn, user.user_id)
    return attachments.Uploader(user.user_id, user.username, user.role, viewer, user.device_id)


def _call(function, *args: Any) -> Any:
    try:
        return function(*args)
    except attachments.AttachmentError as exc:
        raise ApiError(exc.code, exc.message, exc.detail) from exc


@router.post("/attachments/uploads", response_model=UploadState, summary="开始 (或找回) 一个附件上传",
             responses=error_responses(400, 401, 403, 404, 409, 413, 426))
def start_upload(body: UploadStart, user: ActiveUser, database: Database, settings: Settings) -> dict[str, Any]:
    return _call(attachments.start, database, settings, _uploader(database, user), str(body.id), body.owner_type,
                 body.owner_id, body.file_name, body.size, body.sha256)


@router.get("/attachments/uploads/{key}", response_model=UploadState, summary="上传进度: 服务器已收到多少字节",
            responses=error_responses(400, 401, 404, 409, 426))
def upload_state(key: Key, user: ActiveUser, database: Database) -> dict[str, Any]:
    return _call(attachments.state, database, _uploader(database, user), str(key))


@router.put("/attachments/uploads/{key}", response_model=UploadState, summary="上传一段 (请求体为原始字节)",
            responses=error_responses(400, 401, 404, 409, 413, 426))
async def upload_chunk(key: Key, request: Request, user: ActiveUser, database: Database, settings: Settings,
                       offset: Annotated[int, Query(ge=0, le=2**40, description="这一段在文件中的起始位置")]
                       ) -> dict[str, Any]:
    data = await request.body()
    uploader = await run_in_threadpool(_uploader, database, user)
    return await run_in_threadpool(_call, attachments.put_chunk, database, settings, uploader, str(key), offset, data)


@router.post("/attachments/uploads/{key}/complete", response_model=UploadState,
             summary="完成上传: 校验大小、散列、类型后提交",
             responses=error_responses(400, 401, 403, 404, 409, 413, 415, 426))
def complete_upload(key: Key, user: ActiveUser, database: Database, settings: Settings) -> dict[str, Any]:
    return _call(attachments.complete, database, settings, _uploader(database, user), str(key))


@router.delete("/attachments/uploads/{key}", status_code=204, response_class=Response, summary="放弃一个未完成的上传",
               responses=error_responses(400, 401, 404, 426))
def cancel_upload(key: Key, user: ActiveUser, database: Database, settings: Settings) -> Response:
    _call(attachments.cancel, database, settings, _uploader(database, user), str(key))
    return Response(status_code=204)


@router.get("/attachments/{key}/content", response_class=FileResponse, summary="下载附件 (支持 Range 续传)",
            responses={200: {"content": {"application/octet-stream": {}}}, 206: {"description": "部分内容"},
                       **error_responses(400, 401, 404, 416, 426)})
def download(key: Key, user: ActiveUser, database: Database, settings: Settings) -> FileResponse:
    viewer = _uploader(database, user).viewer
    path, meta = _call(attachments.for_download, database, settings, viewer, str(key))
    return FileResponse(path, media_type=meta["content_type"], filename=meta["file_name"],
                        headers={"Cache-Control": "private, max-age=31536000, immutable",
                                 "X-Content-SHA256": meta["sha256"], "X-Content-Type-Options": "nosniff"})
