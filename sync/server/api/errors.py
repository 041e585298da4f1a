"""Every error a client sees is ``{"error", "message", "detail"}``: a code, a sentence in Chinese, and
machine-readable detail. Client mistakes are 4xx; a 5xx only ever means the server itself is broken.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from sync.server.sessions import SessionRefused
from sync.server.validation import error_summary, explain

log = logging.getLogger(__name__)

#: Error code → HTTP status (docs/protocol.md, "Conventions").
STATUS = {
    "bad_request": 400, "not_signed_in": 401, "bad_credentials": 401, "password_change_required": 403,
    "forbidden": 403, "not_found": 404, "method_not_allowed": 405, "conflict": 409, "too_large": 413,
    "unsupported_type": 415, "range_not_satisfiable": 416, "client_outdated": 426,
    "locked": 429, "server_error": 500,
}

#: Errors raised by routing and request parsing, by status: (code, message).
_HTTP_ERRORS = {
    404: ("not_found", "没有这个地址"),
    405: ("method_not_allowed", "这个地址不支持该请求方法"),
    413: ("too_large", "请求内容太大, 请分批提交"),
    416: ("range_not_satisfiable", "请求的范围超出了文件"),
}


class ErrorBody(BaseModel):
    error: str = Field(description="错误代码, 见 docs/protocol.md")
    message: str = Field(description="给用户看的中文说明")
    detail: Any = Field(None, description="供程序使用的细节")
    download_url: str | None = Field(None, description="仅 client_outdated: 新版客户端的下载地址")


class ApiError(Exception):
    """Raised by a route to answer with an error body."""

    def __init__(self, code: str, message: str, detail: Any = None, *, headers: dict[str, str] | None = None,
                 download_url: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.detail = code, message, detail
        self.headers, self.download_url = headers, download_url


def error_response(code: str, message: str, detail: Any = None, *, headers: dict[str, str] | None = None,
                   download_url: str | None = None) -> JSONResponse:
    body = ErrorBody(error=code, message=message, detail=detail, download_url=download_url)
    omit = set() if code == "client_outdated" else {"download_url"}
    return JSONResponse(body.model_dump(exclude=omit), status_code=STATUS[code], headers=headers)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entries for these error statuses of a route."""
    return {status: {"model": ErrorBody, "description": " / ".join(c for c, s in STATUS.items() if s == status)}
            for status in statuses}


async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.code, exc.message, exc.detail, headers=exc.headers, download_url=exc.download_url)


async def _session_refused(_request: Request, exc: SessionRefused) -> JSONResponse:
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    return error_response(exc.code, str(exc), headers=headers)


async def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
    code, message = _HTTP_ERRORS.get(exc.status_code, ("bad_request", "请求内容无法解析"))
    return error_response(code, message, headers=exc.headers)


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    return error_response("bad_request", f"请求有误: {explain(exc.errors())}", error_summary(exc.errors()))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error answering %s %s", request.method, request.url.path, exc_info=exc)
    return error_response("server_error", "服务器内部错误, 请稍后再试")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(SessionRefused, _session_refused)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
