"""Transport faults against a scripted HTTP server of our own: retries, errors, stalls, cancel."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sync.client.errors import (
    BadCredentials,
    Cancelled,
    ClientOutdated,
    Offline,
    PasswordChangeRequired,
    ProtocolError,
    ServerUnavailable,
    SignedOut,
    TlsError,
)
from sync.client.progress import CancelToken, Traffic
from sync.client.transport import Transport

Reply = Callable[[BaseHTTPRequestHandler], None]


def answer(status: int, body: bytes = b"", content_type: str = "application/json", **headers: str) -> Reply:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(body)
    return reply


def error(status: int, code: str, message: str = "", **extra) -> Reply:
    return answer(status, json.dumps({"error": code, "message": message, **extra}).encode())


def stalling(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    handler.wfile.write(b'{"partial": ')
    handler.wfile.flush()
    time.sleep(5)


OK = answer(200, b'{"ok": true}')
TRUNCATED_GZIP = gzip.compress(json.dumps({"rows": list(range(5000))}).encode())[:2000]


class ScriptedServer:
    """Answers requests with the scripted replies in order (the last one repeats)."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        script = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                script.requests.append((self.command, dict(self.headers), self.rfile.read(length)))
                reply = script.replies.pop(0) if len(script.replies) > 1 else script.replies[0]
                reply(self)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def scripted():
    servers: list[ScriptedServer] = []

    def start(*replies: Reply) -> ScriptedServer:
        servers.append(ScriptedServer(*replies))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def transport(url: str, cancel: CancelToken | None = None, **options) -> Transport:
    options = {"retries": 3, "backoff": 0.01, "stall_timeout": 2.0, **options}
    return Transport(url, cancel or CancelToken(), Traffic(), **options)


def test_sends_protocol_headers_and_token_and_asks_for_gzip(scripted):
    server = scripted(OK)
    client = transport(server.url)
    client.token = "tok"
    assert client.request("GET", "/changes", where="测试") == {"ok": True}
    _method, headers, _body = server.requests[0]
    assert headers["BudgetWatch-Protocol"] == "2" and "Accept" not in headers  # nothing a pull does not need
    assert headers["BudgetWatch-Schema"] == "1"  # with protocol 2: pages leave out the column names
    assert headers["Authorization"] == "Bearer tok" and headers["Accept-Encoding"] == "gzip"
    assert client.traffic.requests == 1 and client.traffic.bytes_up > 100 and client.traffic.bytes_down > 30


def test_unavailable_server_is_retried_with_backoff_then_answers(scripted):
    server = scripted(error(503, "x"), answer(502, b""), OK)
    assert transport(server.url).request("POST", "/commands", body={"commands": []}, where="测试") == {"ok": True}
    assert [r[0] for r in server.requests] == ["POST"] * 3  # commands are idempotent: POST is retried


def test_server_that_stays_down_is_one_clear_error(scripted):
    server = scripted(error(503, "x"))
    with pytest.raises(ServerUnavailable, match="HTTP 503"):
        transport(server.url).request("GET", "/changes", where="拉取第 1 页")
    assert len(server.requests) == 4


def test_a_long_retry_after_ends_the_run_instead_of_freezing_it(scripted):
    server = scripted(answer(429, b"{}", Retry_After="600"))
    started = time.monotonic()
    with pytest.raises(ServerUnavailable, match="600 秒"):
        transport(server.url).request("POST", "/session", body={}, where="登录")
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(("reply", "expected", "message"), [
    (error(401, "not_signed_in", "登录已过期"), SignedOut, "登录已过期"),
    (error(401, "bad_credentials", "用户名或密码错误"), BadCredentials, "用户名或密码错误"),
    (error(403, "password_change_required", "请修改密码"), PasswordChangeRequired, "请修改密码"),
    (error(400, "bad_request", "游标无效"), ProtocolError, "游标无效"),
    (error(404, "not_found"), ProtocolError, "找不到 BudgetWatch 服务"),
    (answer(200, b"<html>login</html>", "text/html"), ProtocolError, "网络"),
    (answer(302, b"", Location="http://portal.example/login"), ProtocolError, "portal.example"),
    (answer(200, b"{not json", "application/json"), ProtocolError, "不是有效的 JSON"),
    (answer(200, TRUNCATED_GZIP, Content_Encoding="gzip"), ProtocolError, "截断"),
])
def test_answers_become_one_clear_error_without_retrying(scripted, reply, expected, message):
    server = scripted(reply)
    with pytest.raises(expected, match=message):
        transport(server.url).request("GET", "/changes", where="拉取第 1 页")
    assert len(server.requests) == 1


def test_client_outdated_carries_the_download_url(scripted):
    server = scripted(error(426, "client_outdated", "请更新", download_url="https://x.example/dl"))
    with pytest.raises(ClientOutdated) as caught:
        transport(server.url).request("GET", "/changes", where="测试")
    assert caught.value.download_url == "https://x.example/dl"


def test_gzip_answers_are_decoded_and_counted_compressed(scripted):
    document = json.dumps({"rows": ["预算"] * 2000}, ensure_ascii=False).encode()
    server = scripted(answer(200, gzip.compress(document), Content_Encoding="gzip"))
    client = transport(server.url)
    assert client.request("GET", "/changes", where="测试") == json.loads(document)
    assert client.traffic.bytes_down < len(document) / 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_refused_connection_is_offline():
    with pytest.raises(Offline, match="无法连接服务器"):
        transport(f"http://127.0.0.1:{free_port()}").request("GET", "/changes", where="测试")


def test_unknown_host_is_offline():
    with pytest.raises(Offline):
        transport("http://budgetwatch.invalid", connect_timeout=2).request("GET", "/changes", where="测试")


def test_a_stalled_body_is_retried_then_offline(scripted):
    server = scripted(stalling)
    started = time.monotonic()
    with pytest.raises(Offline, match="中断"):
        transport(server.url, stall_timeout=0.3).request("GET", "/changes", where="拉取第 1 页")
    assert len(server.requests) == 4 and time.monotonic() - started < 4


def test_cancel_cuts_a_silent_transfer_within_a_second(scripted):
    server = scripted(stalling)
    cancel = CancelToken()
    threading.Timer(0.3, cancel.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        transport(server.url, cancel, stall_timeout=30).request("GET", "/changes", where="测试")
    assert time.monotonic() - started < 1.3


@pytest.fixture
def self_signed(tmp_path):
    """A certificate for 127.0.0.1 and its key, as PEM files (the district's own CA, in effect)."""
    pytest.importorskip("cryptography")
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "budgetwatch test")])
    now = dt.datetime.now(dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
                   .not_valid_after(now + dt.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "district-ca.pem", tmp_path / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_tls_is_verified_against_the_districts_ca_bundle(scripted, self_signed):
    import ssl

    cert_path, key_path = self_signed
    server = scripted(OK)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    url = server.url.replace("http://", "https://")
    with pytest.raises(TlsError, match="证书"):
        transport(url).request("GET", "/health", where="测试")
    assert transport(url, ca_bundle=str(cert_path)).request("GET", "/health", where="测试") == {"ok": True}
