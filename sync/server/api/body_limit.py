"""Refuse request bodies over the limit before anything parses them."""

from __future__ import annotations

import sys

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.api.errors import error_response


class BodyTooLarge(HTTPException):
    """Raised while the body streams in; FastAPI passes it through as it is (an HTTPException)."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


class BodySizeLimit:
    """A declared ``Content-Length`` over the limit is answered 413 at once; a body without one (chunked)
    is counted as it streams in and stopped as soon as it passes the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _declared_length(scope) > self.max_bytes:
            response = error_response("too_large", f"请求内容超过 {self.max_bytes} 字节的上限, 请分批提交",
                                      {"max_bytes": self.max_bytes})
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        await self.app(scope, counted, send)


def _declared_length(scope: Scope) -> int:
    """The ``Content-Length`` header's value; 0 when absent or not a number (the HTTP server refuses those)."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit():
            return int(value) if len(value) <= 18 else sys.maxsize
    return 0
