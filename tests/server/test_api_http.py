"""The API over real HTTP: uvicorn on a free port of 127.0.0.1, opened from a database URL the way
``budgetwatch-server serve --db URL`` opens it, and a ``requests`` client like the desktop's."""

from __future__ import annotations

import socket
import threading

import requests

from tests.server.api_world import Replica, assert_replica_matches, serving, sign_in, submit_command


class ByteCounter:
    """A TCP relay in front of the server that counts every byte each way (headers included)."""

    def __init__(self, upstream: str) -> None:
        host, port = upstream.removeprefix("http://").split(":")
        self.upstream = (host, int(port))
        self.sent = self.received = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            threading.Thread(target=self._relay, args=(client, server, "sent"), daemon=True).start()
            threading.Thread(target=self._relay, args=(server, client, "received"), daemon=True).start()

    def _relay(self, source: socket.socket, sink: socket.socket, counter: str) -> None:
        try:
            while data := source.recv(65536):
                setattr(self, counter, getattr(self, counter) + len(data))
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self) -> None:
        self.listener.close()


def test_a_deputy_signs_in_pulls_pushes_and_then_syncs_in_one_small_request(world, server_db_url, capsys):
    with serving(server_db_url) as base, requests.Session() as http:
        headers = sign_in(http, "deputy01", base=base)
        first_page = http.get(f"{base}/api/v1/changes", headers=headers)
        assert first_page.headers["Content-Encoding"] == "gzip"

        replica = Replica().pull(http, headers, base=base, limit=5)
        assert replica.requests > 3
        assert_replica_matches(replica, world.engine, "deputy01")

        item = submit_command("deputy01")
        for expected in ("applied", "duplicate"):
            answer = http.post(f"{base}/api/v1/commands", headers=headers, json={"commands": [item]}).json()
            assert answer["results"][0]["status"] == expected
        replica.pull(http, headers, base=base)
        assert item["payload"]["suggestion_id"] in replica.tables["suggestions"]

        counter = ByteCounter(base)
        try:
            requests_before = replica.requests
            replica.pull(http, headers, base=counter.url)
        finally:
            counter.close()
        assert replica.requests == requests_before + 1
        assert replica.last_page["tables"] == {}
        assert_replica_matches(replica, world.engine, "deputy01")
        with capsys.disabled():
            print(f"\nno-op pull over HTTP: {counter.sent} bytes sent, {counter.received} bytes received")
        assert counter.sent < 600 and counter.received < 1000
