"""HTTP to the district server: retries, stall timeout, gzip, TLS, errors as :mod:`sync.client.errors`.

``requests`` with urllib3's ``Retry`` does the retrying (DESIGN.md §3.7): connection failures, 429
and 502/503/504, with exponential backoff and jitter, honouring ``Retry-After``. POST is retried too:
every command carries its own UUID and the server answers a repeat as ``duplicate``. The retry waits
listen to the cancel token. urllib3 cannot retry a body that breaks off after the headers, so a
broken body is re-requested here a few times before the run gives up (the next run resumes anyway).

There is no total timeout: a page may take minutes on a slow link. The read timeout is the stall
timeout — the longest wait for the next byte. Bodies are streamed in small chunks so progress moves
and cancel is honoured within a chunk; cancelling also shuts the socket down, so even a silent link
lets go at once.

Traffic is counted from the requests and responses themselves: request line, headers and body as
sent; status line, headers and body bytes as received (compressed). Only the final attempt of a
request urllib3 retried internally is counted.
"""

from __future__ import annotations

import contextlib
import json
import math
import ssl
import threading
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.util.retry import Retry

from sync.client.errors import (
    BadCredentials,
    ClientOutdated,
    Forbidden,
    Offline,
    PasswordChangeRequired,
    ProtocolError,
    ServerUnavailable,
    SignedOut,
    SyncError,
    TlsError,
)
from sync.client.progress import CancelToken, Traffic
from sync.protocol import PROTOCOL_VERSION
from sync.schema import SCHEMA_VERSION

API = "/api/v1"
CHUNK = 16 * 1024
MAX_BODY = 64 * 1024 * 1024  # decoded; a page is about 1 MB of rows
MAX_RETRY_WAIT = 30.0  # a longer Retry-After ends the run instead of freezing it
BODY_RETRIES = 3
CONNECT_RETRIES = 2
USER_AGENT = "BudgetWatch-desktop/0.1"
#: OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH and X509_V_ERR_IP_ADDRESS_MISMATCH: a certificate for another server
NAME_MISMATCH = (62, 64)


class TooLarge(SyncError):
    """HTTP 413: the request body is over the server's limit (the push splits its batch)."""


class _BodyInterrupted(Exception):
    """The connection broke while the body was arriving."""


class CancellableRetry(Retry):
    """``Retry`` whose waits end as soon as the user cancels, and which refuses very long waits."""

    cancel_token: CancelToken | None = None

    def new(self, **kw: Any) -> CancellableRetry:
        retry = super().new(**kw)
        retry.cancel_token = self.cancel_token
        return retry

    def sleep(self, response=None) -> None:
        wait = self.get_retry_after(response) if response is not None and self.respect_retry_after_header else None
        if wait is None:
            wait = self.get_backoff_time()
        if wait > MAX_RETRY_WAIT:
            raise ServerUnavailable(f"服务器繁忙（或登录尝试过多），请 {math.ceil(wait)} 秒后再试")
        if self.cancel_token is not None:
            self.cancel_token.wait(wait)


def make_retry(cancel: CancelToken, *, total: int = 5, backoff: float = 0.5) -> CancellableRetry:
    # Connecting is retried only briefly: refused or unresolvable usually means offline, which the
    # user should hear about in a second or two, not after a minute of backoff.
    retry = CancellableRetry(
        total=total, connect=min(total, CONNECT_RETRIES), backoff_factor=backoff, backoff_jitter=backoff,
        backoff_max=20,
        status_forcelist=(429, 502, 503, 504), allowed_methods=frozenset({"GET", "POST", "DELETE"}),
        raise_on_status=False, respect_retry_after_header=True,
    )
    retry.cancel_token = cancel
    return retry


class Transport:
    """A connection to one server; ``token`` is sent as the bearer token when set."""

    def __init__(self, server: str, cancel: CancelToken, traffic: Traffic, *, connect_timeout: float = 10.0,
                 stall_timeout: float = 30.0, ca_bundle: str | None = None, retries: int = 5,
                 backoff: float = 0.5) -> None:
        self.server = server
        self.cancel = cancel
        self.traffic = traffic
        self.timeout = (connect_timeout, stall_timeout)
        self.token: str | None = None
        self._verify: str | bool = ca_bundle or True
        self.backoff = backoff  # body retries wait this, doubling
        self._session = requests.Session()
        self._session.headers.clear()
        self._session.headers.update({
            "User-Agent": USER_AGENT, "Accept-Encoding": "gzip",
            "BudgetWatch-Protocol": str(PROTOCOL_VERSION), "BudgetWatch-Schema": str(SCHEMA_VERSION),
        })
        self._session.mount(server, HTTPAdapter(max_retries=make_retry(cancel, total=retries, backoff=backoff),
                                                pool_maxsize=2))
        self._inflight = None
        self._inflight_lock = threading.Lock()
        cancel.on_cancel(self._abort_inflight)

    def close(self) -> None:
        self._session.close()

    def request(self, method: str, path: str, *, where: str, params: dict[str, Any] | None = None,
                body: Any = None, on_bytes: Callable[[int], None] | None = None, data: bytes | None = None) -> Any:
        """Send a request and return its decoded JSON answer (``None`` for 204). ``data`` is a raw body
        (``application/octet-stream``) sent instead of the JSON ``body``."""
        attempt = 0
        while True:
            self.cancel.check()
            try:
                return self._attempt(method, path, where, params, body, on_bytes, data)
            except _BodyInterrupted as exc:
                attempt += 1
                if attempt > BODY_RETRIES:
                    raise Offline(f"与服务器的连接多次中断（{where}），已接收的数据保留，请稍后再试") from exc
                self.cancel.wait(self.backoff * 2 ** attempt)

    # ------------------------------------------------------------ one attempt

    def _attempt(self, method: str, path: str, where: str, params: dict[str, Any] | None, body: Any,
                 on_bytes: Callable[[int], None] | None, data: bytes | None = None) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if data is not None:
            headers["Content-Type"] = "application/octet-stream"
        try:
            response = self._session.request(
                method, self.server + API + path, params=params, json=body, data=data, headers=headers, stream=True,
                timeout=self.timeout, verify=self._verify, allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            raise self._tls_error(exc) from exc
        except requests.exceptions.Timeout as exc:
            raise Offline(f"服务器 {self.server} 没有响应（{where}），请稍后再试") from exc
        except requests.exceptions.ConnectionError as exc:
            raise Offline(f"无法连接服务器 {self.server}（网络不通或服务器未启动），本地数据照常可用") from exc
        except requests.exceptions.RequestException as exc:
            raise SyncError(f"请求服务器失败（{where}）: {exc}") from exc
        with response:
            self._count_request(response.request)
            data = self._read_body(response, on_bytes or _ignore_bytes)
        self._count_response(response)
        return _interpret(response, data, where)

    def _tls_error(self, error: requests.exceptions.SSLError) -> TlsError:
        """What was wrong with the certificate, in words the district's IT staff can act on."""
        cause = next((e for e in _causes(error) if isinstance(e, ssl.SSLCertVerificationError)), None)
        host = urlsplit(self.server).hostname
        trusted = f"budgetwatch.toml 中 ca_bundle 指定的 {self._verify}" if self._verify is not True else "系统的根证书"
        if cause is not None and cause.verify_code in NAME_MISMATCH:
            return TlsError(f"服务器证书上的名称与地址 {host} 不符，已拒绝连接 {self.server}："
                            "请核对服务器地址（可能连到了别的服务器）")
        if cause is not None:
            return TlsError(f"服务器 {self.server} 的证书不是由受信任的机构签发的（{trusted}），已拒绝连接："
                            "请向区人大工委索取正确的 CA 证书")
        return TlsError(f"无法与服务器 {self.server} 建立安全连接（TLS），已拒绝连接：请检查 CA 证书设置和服务器地址")

    def download(self, path: str, target: Any, *, offset: int = 0, where: str,
                 on_bytes: Callable[[int], None] | None = None) -> None:
        """Append the body of GET ``path`` from byte ``offset`` (a ``Range`` request) to the open binary file
        ``target``, uncompressed. A cut raises :class:`Offline` with the bytes so far kept in ``target``."""
        headers = {"Accept-Encoding": "identity"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if offset:
            headers["Range"] = f"bytes={offset}-"
        try:
            response = self._session.get(self.server + API + path, headers=headers, stream=True,
                                         timeout=self.timeout, verify=self._verify, allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            raise self._tls_error(exc) from exc
        except requests.exceptions.RequestException as exc:
            raise Offline(f"无法连接服务器 {self.server}（{where}），请稍后再试") from exc
        with response:
            self._count_request(response.request)
            if response.status_code == 404 and _error_body(response, response.content).get("error") == "not_found":
                raise Forbidden(_error_body(response, response.content).get("message") or "附件不存在或您无权查看")
            if response.status_code not in (200, 206) or (offset and response.status_code != 206):
                _interpret(response, response.content, where)
                raise ProtocolError(f"服务器不支持续传（{where}）")
            try:
                while chunk := response.raw.read1(CHUNK, decode_content=False):
                    self.traffic.bytes_down += len(chunk)
                    target.write(chunk)
                    (on_bytes or _ignore_bytes)(len(chunk))
                    self.cancel.check()
            except (Urllib3Error, requests.exceptions.RequestException, OSError) as exc:
                self.cancel.check()
                raise Offline(f"下载中断（{where}），已收到的部分保留，稍后继续") from exc
        self._count_response(response)

    def _read_body(self, response: requests.Response, on_bytes: Callable[[int], None]) -> bytes:
        decoder = _decoder(response.headers.get("Content-Encoding", ""), response.url)
        parts: list[bytes] = []
        size = 0
        with self._inflight_lock:
            self._inflight = response.raw
        try:
            while chunk := response.raw.read1(CHUNK, decode_content=False):
                self.traffic.bytes_down += len(chunk)
                on_bytes(len(chunk))
                data = decoder.decompress(chunk) if decoder else chunk
                size += len(data)
                if size > MAX_BODY:
                    raise ProtocolError(f"服务器的回答过大（超过 {MAX_BODY // 2**20} MB）: {response.url}")
                parts.append(data)
                self.cancel.check()
        except (Urllib3Error, requests.exceptions.RequestException, OSError) as exc:
            self.cancel.check()
            raise _BodyInterrupted from exc
        finally:
            with self._inflight_lock:
                self._inflight = None
        self.cancel.check()
        if decoder is not None and not decoder.eof:
            raise ProtocolError(f"服务器的压缩数据不完整（gzip 数据被截断）: {response.url}")
        return b"".join(parts)

    def _abort_inflight(self) -> None:
        with self._inflight_lock:
            if self._inflight is not None:
                # Already finished or released: the read loop sees the cancel flag anyway.
                with contextlib.suppress(ValueError, RuntimeError, OSError):
                    self._inflight.shutdown()

    # ------------------------------------------------------------ counting traffic

    def _count_request(self, request: requests.PreparedRequest) -> None:
        host = urlsplit(request.url).netloc
        head = f"{request.method} {request.path_url} HTTP/1.1\r\nHost: {host}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in request.headers.items()) + "\r\n"
        body = request.body or b""
        self.traffic.requests += 1
        self.traffic.bytes_up += len(head.encode()) + len(body if isinstance(body, bytes) else body.encode())

    def _count_response(self, response: requests.Response) -> None:
        head = f"HTTP/1.1 {response.status_code} {response.reason}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in response.raw.headers.items()) + "\r\n"
        self.traffic.bytes_down += len(head.encode("latin-1", "replace"))


def _causes(error: BaseException) -> list[BaseException]:
    """``error`` and everything it wraps (requests wraps urllib3's errors, which wrap the ``ssl`` one)."""
    chain: list[BaseException] = []
    todo: list[object] = [error]
    while todo:
        current = todo.pop()
        if not isinstance(current, BaseException) or any(current is seen for seen in chain):
            continue
        chain.append(current)
        todo.extend([current.__cause__, current.__context__, getattr(current, "reason", None), *current.args])
    return chain


def _ignore_bytes(_count: int) -> None:
    pass


def _decoder(encoding: str, url: str):
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding == "gzip":
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    raise ProtocolError(f"服务器使用了不支持的压缩方式 {encoding!r}: {url}")


def _decode_json(response: requests.Response, data: bytes, where: str) -> Any:
    content_type = response.headers.get("Content-Type", "")
    if not content_type.startswith("application/json"):
        raise ProtocolError(f"服务器返回的不是同步数据而是 {content_type or '未知内容'}（{where}）。"
                            "如果需要先在浏览器里登录网络（认证页面），请登录后再同步")
    try:
        return json.loads(data)
    except ValueError as exc:
        raise ProtocolError(f"服务器返回的数据不是有效的 JSON（{where}）: {exc}") from exc


def _error_body(response: requests.Response, data: bytes) -> dict[str, Any]:
    try:
        body = json.loads(data)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _interpret(response: requests.Response, data: bytes, where: str) -> Any:
    status = response.status_code
    if 200 <= status < 300:
        return None if status == 204 or not data else _decode_json(response, data, where)
    if 300 <= status < 400:
        raise ProtocolError(f"服务器把请求转到了 {response.headers.get('Location', '别处')}（{where}），"
                            "可能需要先在浏览器里登录网络，或服务器地址有误")
    body = _error_body(response, data)
    raise _status_error(status, body.get("error"), body.get("message") or "", body, response.url, where)


def _status_error(status: int, code: str | None, message: str, body: dict[str, Any], url: str,
                  where: str) -> SyncError:
    if status == 401:
        if code == "bad_credentials":
            return BadCredentials(message or "用户名或密码不正确")
        return SignedOut(message or "登录已失效，请重新登录（本地数据和待发送内容都已保留）")
    if status == 403:
        if code == "password_change_required":
            return PasswordChangeRequired(message or "管理员重置了您的密码，请先在桌面程序中修改密码")
        return Forbidden(message or "您的账号无权进行此操作")
    if status == 426:
        return ClientOutdated(message or "服务器要求更新本程序，请安装新版本（待发送内容已保留）",
                              body.get("download_url"))
    if status == 413:
        return TooLarge(message or "发送的内容超过服务器上限")
    if status == 429:
        return ServerUnavailable(message or "请求过于频繁，请稍后再试")
    if status == 404:
        return ProtocolError(f"在 {url} 找不到 BudgetWatch 服务（HTTP 404，{where}），请检查服务器地址")
    if status >= 500:
        return ServerUnavailable(f"服务器暂时不可用（HTTP {status}，{where}），请稍后再试")
    return ProtocolError(f"服务器拒绝了请求（HTTP {status}，{where}）: {message or code or '无说明'}")
