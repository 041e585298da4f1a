"""A TCP proxy that injects network faults between the sync client and a real server.

Each accepted connection asks :attr:`FaultProxy.faults` (connection index → :class:`Fault`) what to do:
forward faithfully, cut the connection after N bytes in either direction, forward a request but drop
its answer (the server commits, the client never hears), or — after N good requests — answer with
canned bytes (garbage, a captive portal's HTML, a truncated gzip stream) instead of the server. Throttling
(:attr:`rate`, bytes per second) and latency (:attr:`rtt`, seconds per request/answer round trip)
apply to every forwarded connection. Bytes are counted in both directions, exactly as on the wire.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    cut_down_after: int | None = None  # close after this many bytes server → client
    cut_up_after: int | None = None  # close after this many bytes client → server
    drop_answer_to: bytes | None = None  # forward a request containing this, close before its answer
    canned: bytes | None = None  # answer this instead of the server…
    canned_after: int = 0  # …once this many requests of the connection went through


NO_FAULT = Fault()


def http_answer(status: str, body: bytes, *, content_type: str, headers: dict[str, str] | None = None) -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Type: {content_type}", f"Content-Length: {len(body)}",
            "Connection: close", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


CAPTIVE_PORTAL = http_answer("200 OK", "<html><body>请先登录 Wi-Fi 认证页面</body></html>".encode(),
                             content_type="text/html; charset=utf-8")
GARBAGE = b"\x00\x17garbage that is not HTTP at all\r\n\r\n"


def truncated_gzip(document: bytes) -> bytes:
    compressed = gzip.compress(document)
    return http_answer("200 OK", compressed[: len(compressed) // 2], content_type="application/json",
                       headers={"Content-Encoding": "gzip"})


class FaultProxy:
    def __init__(self, upstream_port: int, *, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.faults: Callable[[int], Fault] = lambda index: NO_FAULT
        self.rate: float | None = None
        self.rtt = 0.0
        self.bytes_up = self.bytes_down = self.connections = 0
        self.cuts = 0  # connections cut or answers dropped, so a test can tell its faults hit
        self.port = 0
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        """Listen (again on the same port after :meth:`stop`, so the client's URL stays the same)."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Refuse new connections and cut every open one (the server looks down)."""
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            for sock in list(self._open):
                _close(sock)

    def reset_counters(self) -> None:
        with self._lock:
            self.bytes_up = self.bytes_down = 0

    # ------------------------------------------------------------ connections

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                index = self.connections
                self.connections += 1
                self._open.add(client)
            threading.Thread(target=self._forward, args=(client, self.faults(index)), daemon=True).start()

    def _forward(self, client: socket.socket, fault: Fault) -> None:
        try:
            server = socket.create_connection(self.upstream)
        except OSError:
            self._forget(client)
            return
        with self._lock:
            self._open.add(server)
        link = _Link(client, server, fault)
        threading.Thread(target=self._pump, args=(link, "down"), daemon=True).start()
        self._pump(link, "up")

    def _pump(self, link: _Link, direction: str) -> None:
        source, target = (link.client, link.server) if direction == "up" else (link.server, link.client)
        limit = link.fault.cut_up_after if direction == "up" else link.fault.cut_down_after
        sent = 0
        last = 0.0
        while not link.closed:
            try:
                chunk = source.recv(1024 if self.rate else 65536)
            except OSError:
                break
            if not chunk:
                break
            if direction == "down" and link.answer_dropped:
                self._cut()
                break
            if direction == "up" and self._intercept(link, chunk):
                break
            if time.monotonic() - last > 0.05 and self.rtt:
                time.sleep(self.rtt / 2)  # the first bytes of a burst travel for half a round trip
            if limit is not None and sent + len(chunk) >= limit:
                self._send(link, target, chunk[: max(0, limit - sent)], direction)
                self._cut()
                break
            if not self._send(link, target, chunk, direction):
                break
            sent += len(chunk)
            last = time.monotonic()
        self._forget(link.client)
        self._forget(link.server)
        link.closed = True

    def _intercept(self, link: _Link, chunk: bytes) -> bool:
        """Apply the faults that look at requests; True when the connection is done."""
        fault = link.fault
        if fault.drop_answer_to and fault.drop_answer_to in chunk:
            link.answer_dropped = True
        link.requests += chunk.count(b" HTTP/1.1\r\n")
        if fault.canned is None or link.requests <= fault.canned_after:
            return False
        with contextlib.suppress(OSError):
            link.client.sendall(fault.canned)
        self._count(len(chunk), len(fault.canned))
        return True

    def _send(self, link: _Link, target: socket.socket, chunk: bytes, direction: str) -> bool:
        if self.rate:
            time.sleep(len(chunk) / self.rate)
        try:
            target.sendall(chunk)
        except OSError:
            return False
        self._count(len(chunk) if direction == "up" else 0, len(chunk) if direction == "down" else 0)
        return True

    def _cut(self) -> None:
        with self._lock:
            self.cuts += 1

    def _count(self, up: int, down: int) -> None:
        with self._lock:
            self.bytes_up += up
            self.bytes_down += down

    def _forget(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)
        _close(sock)


class _Link:
    def __init__(self, client: socket.socket, server: socket.socket, fault: Fault) -> None:
        self.client = client
        self.server = server
        self.fault = fault
        self.closed = False
        self.answer_dropped = False
        self.requests = 0


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
