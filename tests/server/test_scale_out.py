"""Several ``budgetwatch-server serve`` processes on one PostgreSQL, behind a proxy that sends each request
to the next process in turn: clients see one history — no row skipped or repeated, each command once."""

from __future__ import annotations

import http.client
import itertools
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from sync.client.home import device_id
from sync.server.db import make_engine, upgrade
from tests.client.conftest import PASSWORD
from tests.server.ops_world import assert_converged, assert_each_once, fill_district, user_on

pytestmark = pytest.mark.postgres

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "date", "server"}


class RoundRobinProxy:
    """An HTTP reverse proxy sending each request to the next upstream port, as nginx's round robin does."""

    def __init__(self, ports: list[int]) -> None:
        self.served: Counter[int] = Counter()
        turns = itertools.cycle(ports)
        lock = threading.Lock()
        proxy = self

        class Forward(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with lock:
                    port = next(turns)
                    proxy.served[port] += 1
                upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                upstream.close()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _forward

            def log_message(self, *_args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(url: str, port: int, log: Path, *options: str) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "sync.server.cli", "serve", "--db", url, "--port", str(port),
                                 *options], stdout=out, stderr=subprocess.STDOUT)


def _wait_healthy(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError(f"server on port {port} did not start:\n{log.read_text(errors='replace')}")


def _push_to_both_at_once(ports: list[int], command: dict) -> list[str]:
    """The same command to both processes at the same moment (a client's retry racing its first try)."""
    session = requests.post(f"http://127.0.0.1:{ports[0]}/api/v1/session",
                            json={"username": "deputy01", "password": PASSWORD, "device_id": "race"}).json()
    headers = {"Authorization": f"Bearer {session['token']}"}
    statuses: list[str] = []
    start = threading.Barrier(len(ports))

    def push(port: int) -> None:
        start.wait()
        answer = requests.post(f"http://127.0.0.1:{port}/api/v1/commands", headers=headers,
                               json={"commands": [command]}, timeout=30)
        statuses.append(answer.json()["results"][0]["status"])

    threads = [threading.Thread(target=push, args=(port,)) for port in ports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(statuses)


def test_two_processes_on_one_postgresql_serve_one_history_to_clients_that_alternate(postgres_server, tmp_path):
    name = postgres_server.create_database()
    url = postgres_server.url(name)
    engine = make_engine(url)
    upgrade(engine)
    fill_district(engine)
    ports = [_free_port(), _free_port()]
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    processes = [_serve(url, ports[0], logs[0], "--workers", "2"), _serve(url, ports[1], logs[1])]
    proxy = None
    try:
        for port, process, log in zip(ports, processes, logs, strict=True):
            _wait_healthy(port, process, log)
        proxy = RoundRobinProxy(ports)
        device_id(tmp_path)  # made once up front: the threads below would race to create it
        users = {name: user_on(tmp_path, proxy.url, name) for name in ("deputy01", "deputy02", "staff01", "dept01")}
        regions = {"deputy01": "511702001", "deputy02": "511702002"}
        submitted: list[str] = []
        failures: list[BaseException] = []

        def work(username: str) -> None:
            try:
                for round_ in range(3):
                    if username in regions:
                        submitted.append(users[username].queue_suggestion(f"第{round_}轮", regions[username])[1])
                    assert users[username].sync(page_rows=7).healed_tables == []
            except BaseException as exc:  # handed to the test thread
                failures.append(exc)

        workers = [threading.Thread(target=work, args=(username,)) for username in users]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(120)
        assert not failures, failures
        raced = {"id": str(uuid.uuid4()), "type": "suggestion.submit", "author": "deputy01", "payload": {
            "suggestion_id": str(uuid.uuid4()), "title": "同时送到两台", "body": "重试", "source": "own",
            "region_code": "511702001"}}
        assert _push_to_both_at_once(ports, raced) == ["applied", "duplicate"]
        submitted.append(raced["payload"]["suggestion_id"])
        for user in users.values():  # once more, after everyone's writes
            report = user.sync(page_rows=7)
            assert report.healed_tables == [] and report.resyncs == 0

        assert min(proxy.served[port] for port in ports) > 20
        assert_each_once(engine, submitted)
        for user in users.values():
            assert_converged(user, engine)
    finally:
        if proxy is not None:
            proxy.close()
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
        engine.dispose()
        postgres_server.drop_database(name)
