"""``budgetwatch-server serve`` holds an idle keep-alive connection for ``--keep-alive`` seconds (75 by default),
not uvicorn's own 5: a reverse proxy's pooled connections and a deputy's PC between syncs are not cut under them."""

from __future__ import annotations

import http.client
import time
from urllib.parse import urlsplit

from sync.server import db
from tests.verification.processes import ServerProcess


def _answers_again_after(url: str, idle_seconds: float) -> bool:
    """Whether the connection that answered one request answers another on the same socket after a silence."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", "/api/v1/health")
        connection.getresponse().read()
        socket_used = connection.sock
        time.sleep(idle_seconds)
        connection.request("GET", "/api/v1/health")
        answer = connection.getresponse()
        answer.read()
        return answer.status == 200 and connection.sock is socket_used
    except (http.client.RemoteDisconnected, ConnectionError):
        return False
    finally:
        connection.close()


def _server(tmp_path, name: str, *options: str) -> ServerProcess:
    engine = db.make_engine(f"sqlite:///{tmp_path / f'{name}.db'}")
    db.upgrade(engine)
    engine.dispose()
    return ServerProcess(f"sqlite:///{tmp_path / f'{name}.db'}", tmp_path / f"{name}.log",
                         serve_options=options).start()


def test_an_idle_connection_is_held_past_uvicorns_five_seconds_and_closed_after_the_option(tmp_path):
    held, short = _server(tmp_path, "default"), _server(tmp_path, "short", "--keep-alive", "1")
    try:
        assert _answers_again_after(held.url, 6.5)  # uvicorn's default would have closed it at 5 s
        assert not _answers_again_after(short.url, 2.5)
    finally:
        held.stop()
        short.stop()
