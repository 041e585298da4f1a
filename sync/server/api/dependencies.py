"""What routes depend on: the database, settings, the protocol handshake, and the signed-in user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from sync.protocol import MIN_PROTOCOL_VERSION, PROTOCOL_VERSION
from sync.server import sessions
from sync.server.api.errors import ApiError
from sync.server.pull import PROTOCOL_RANGE, CountsCache
from sync.server.sessions import PasswordChangeRequired, SignedInUser
from sync.server.settings import ServerSettings


def _engine(request: Request) -> Engine:
    return request.app.state.engine


def _settings(request: Request) -> ServerSettings:
    return request.app.state.settings


def _counts(request: Request) -> CountsCache:
    return request.app.state.counts


Database = Annotated[Engine, Depends(_engine)]
Settings = Annotated[ServerSettings, Depends(_settings)]
Counts = Annotated[CountsCache, Depends(_counts)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def supported_protocol(
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


_bearer = HTTPBearer(auto_error=False, description="POST /session 得到的令牌")


def signed_in(database: Database, settings: Settings,
              credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> SignedInUser:
    """The token's user, even one who must change their password first (sign-out, password change)."""
    return sessions.authenticate(database, credentials.credentials if credentials else None, settings)


def active_user(user: Annotated[SignedInUser, Depends(signed_in)]) -> SignedInUser:
    """The token's user, who may use everything their role allows."""
    if user.must_change_password:
        raise PasswordChangeRequired("管理员重置了您的密码, 请先修改密码")
    return user


SignedIn = Annotated[SignedInUser, Depends(signed_in)]
ActiveUser = Annotated[SignedInUser, Depends(active_user)]
