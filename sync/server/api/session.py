"""Signing in and out, and changing one's password."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from sync.server import sessions
from sync.server.api.dependencies import Database, Settings, SignedIn, client_address, supported_protocol
from sync.server.api.errors import error_responses
from sync.server.api.models import PasswordChange, Session, SignIn, User

router = APIRouter(tags=["登录"], dependencies=[Depends(supported_protocol)])


@router.post("/session", response_model=Session, summary="登录, 取得令牌",
             responses=error_responses(400, 401, 413, 426, 429))
def sign_in(body: SignIn, request: Request, database: Database, settings: Settings) -> Session:
    new = sessions.sign_in(database, body.username, body.password, body.device_id, client_address(request),
                           settings)
    user = new.user
    return Session(token=new.token, expires_at=new.expires_at, must_change_password=user.must_change_password,
                   user=User(id=user.user_id, username=user.username, display_name=user.display_name,
                             role=user.role, region_code=user.region_code, department_code=user.department_code))


@router.delete("/session", status_code=204, response_class=Response, summary="退出登录, 作废此令牌",
               responses=error_responses(400, 401, 426))
def sign_out(user: SignedIn, database: Database) -> Response:
    sessions.sign_out(database, user)
    return Response(status_code=204)


@router.post("/password", status_code=204, response_class=Response, summary="修改密码 (并作废其他设备的令牌)",
             responses=error_responses(400, 401, 413, 426, 429))
def change_password(body: PasswordChange, request: Request, user: SignedIn, database: Database,
                    settings: Settings) -> Response:
    sessions.change_password(database, user, body.current_password, body.new_password, client_address(request),
                             settings)
    return Response(status_code=204)
