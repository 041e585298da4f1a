"""The two account requests a sync run does not make: changing the password, and revoking a token.

Both go through the sync client's :class:`~sync.client.transport.Transport` (its retries, TLS and
error mapping) and block: call them from a worker thread, never the UI thread.
"""

from __future__ import annotations

from sync.client.config import ClientConfig
from sync.client.errors import ProtocolError
from sync.client.home import Account, device_id
from sync.client.progress import CancelToken, Traffic
from sync.client.transport import Transport


def _transport(account: Account, config: ClientConfig, cancel: CancelToken) -> Transport:
    return Transport(account.server, cancel, Traffic(), connect_timeout=config.connect_timeout,
                     stall_timeout=config.stall_timeout,
                     ca_bundle=str(config.ca_bundle) if config.ca_bundle else None, retries=2)


def change_password(account: Account, config: ClientConfig, current: str, new: str, cancel: CancelToken) -> None:
    """Sign in with ``current`` (allowed even when a change is forced) and set ``new``.

    The session used for it is closed again: the sync run that follows signs in with the new
    password, which also stores who the user is, the way every sign-in does.
    """
    transport = _transport(account, config, cancel)
    try:
        answer = transport.request("POST", "/session", where="登录", body={
            "username": account.username, "password": current, "device_id": device_id(account.home)})
        if not isinstance(answer, dict) or not isinstance(answer.get("token"), str):
            raise ProtocolError("服务器的登录回答格式不对（修改密码）")
        transport.token = answer["token"]
        transport.request("POST", "/password", where="修改密码",
                          body={"current_password": current, "new_password": new})
        transport.request("DELETE", "/session", where="修改密码")
    finally:
        transport.close()


def revoke_token(account: Account, config: ClientConfig, token: str) -> None:
    """Tell the server the token is no longer in use (``DELETE /session``)."""
    transport = _transport(account, config, CancelToken())
    transport.token = token
    try:
        transport.request("DELETE", "/session", where="退出登录")
    finally:
        transport.close()
