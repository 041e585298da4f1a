"""What routes depend on: the database, settings, the protocol handshake, and the signed-in user.

Dependencies that do no I/O are ``async``: FastAPI runs a plain ``def`` dependency on its thread pool,
and those hops were a good part of what the cheapest requests cost.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from sync.protocol import MIN_PROTOCOL_VERSION, PROTOCOL_VERSION
from sync.server import sessions
from sync.server.api.errors import ApiError
from sync.server.pull import PROTOCOL_RANGE, CountsCache
from sync.server.scope import ViewerCache
from sync.server.sessions import SignedInUser
from sync.server.settings import ServerSettings


async def _engine(request: Request) -> Engine:
    return request.app.state.engine


async def _settings(request: Request) -> ServerSettings:
    return request.app.state.settings


async def _counts(request: Request) -> CountsCache:
    return request.app.state.counts


async def _viewers(request: Request) -> ViewerCache:
    return request.app.state.viewers


Database = Annotated[Engine, Depends(_engine)]
Settings = Annotated[ServerSettings, Depends(_settings)]
Counts = Annotated[CountsCache, Depends(_counts)]
Viewers = Annotated[ViewerCache, Depends(_viewers)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


async def supported_protocol(
    settings: Settings,
    protocol: Annotated[int, Header(alias="BudgetWatch-Protocol", ge=0, le=1_000_000,
                                    description="客户端的协议版本; 缺省为 1")] = 1,
) -> int:
    """The version handshake: a client outside the server's range is told to update, nothing is done."""
    if MIN_PROTOCOL_VERSION <= protocol <= PROTOCOL_VERSION:
        return protocol
    if protocol < MIN_PROTOCOL_VERSION:
        message = "客户端版本过旧, 请下载安装新版本后再同步; 尚未上传的内容会保留"
    else:
        message = "服务器尚未升级到这个客户端的版本, 请联系人大工委升级服务器; 尚未上传的内容会保留"
    raise ApiError("client_outdated", message, {"client": protocol, **PROTOCOL_RANGE},
                   download_url=settings.download_url)


Protocol = Annotated[int, Depends(supported_protocol)]

_bearer = HTTPBearer(auto_error=False, description="POST /session 得到的令牌")


async def bearer_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str | None:
    return credentials.credentials if credentials else None


Token = Annotated[str | None, Depends(bearer_token)]


def signed_in(database: Database, settings: Settings, token: Token) -> SignedInUser:
    """The token's user, even one who must change their password first (sign-out, password change)."""
    return sessions.authenticate(database, token, settings)


async def active_user(user: Annotated[SignedInUser, Depends(signed_in)]) -> SignedInUser:
    """The token's user, who may use everything their role allows."""
    return sessions.require_active(user)


SignedIn = Annotated[SignedInUser, Depends(signed_in)]
ActiveUser = Annotated[SignedInUser, Depends(active_user)]
