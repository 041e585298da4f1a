"""Real processes for the verification tests: ``budgetwatch-server serve`` (or uvicorn with TLS) in a
subprocess that can be killed with SIGKILL and started again on the same port, its log captured."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """The district server as its operator runs it. ``tls`` = (certificate, key, CA bundle) serves HTTPS
    through uvicorn's own flags (``serve`` is meant to sit behind a reverse proxy)."""

    def __init__(self, database_url: str, log: Path, *, tls: tuple[Path, Path, Path] | None = None,
                 host: str = "127.0.0.1", serve_options: tuple[str, ...] = ()) -> None:
        self.database_url = database_url
        self.log = log
        self.tls = tls
        self.host = host
        self.serve_options = serve_options  # more ``serve`` options (without TLS)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def command(self) -> list[str]:
        if self.tls is None:
            return [sys.executable, "-m", "sync.server.cli", "serve", "--db", self.database_url,
                    "--port", str(self.port), "--no-compact", *self.serve_options]
        certificate, key, _ca = self.tls
        return [sys.executable, "-m", "uvicorn", "sync.server.api.asgi:app", "--host", "127.0.0.1",
                "--port", str(self.port), "--ssl-certfile", str(certificate), "--ssl-keyfile", str(key),
                "--log-level", "info"]

    def start(self) -> ServerProcess:
        env = {**os.environ, "BUDGETWATCH_DATABASE_URL": self.database_url}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_up()
        return self

    def _wait_until_up(self) -> None:
        context = ssl.create_default_context(cafile=str(self.tls[2])) if self.tls else None
        url = f"{self.url}/api/v1/health"
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, self.log.read_text(encoding="utf-8", errors="replace")
            try:
                with urllib.request.urlopen(url, timeout=2, context=context) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            assert time.monotonic() < deadline, f"the server did not start: {self.log.read_text(errors='replace')}"
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, open transactions are cut off where they are."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")
