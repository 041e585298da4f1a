"""A throwaway PostgreSQL server for one test session.

``initdb`` into a fresh temp dir, trust authentication, listening on 127.0.0.1 at a free port with its
socket in the same dir, durability switched off (``fsync``, ``synchronous_commit``,
``full_page_writes``) because nothing here outlives the session. Run as root, the server runs as the
``postgres`` system user (PostgreSQL refuses to run as root); otherwise as the current user. Either
way the superuser is called ``postgres``.

Each test gets its own database (``CREATE DATABASE … TEMPLATE template0``, about 20 ms) and drops it
afterwards with ``WITH (FORCE)`` so a connection a test forgot to close cannot keep it alive.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

from sync.server.pg_tools import BINDIR_ENV, candidate_bindirs

__all__ = ["BINDIR_ENV", "PostgresUnavailable", "ThrowawayPostgres", "find_bindir"]


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries here, or the server would not start; the message says which."""


def find_bindir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` live, looked for where the server looks for pg_dump
    (:func:`sync.server.pg_tools.candidate_bindirs`: ``$BUDGETWATCH_PG_BINDIR`` alone when set)."""
    for path in candidate_bindirs():
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = 0
        self.dir: Path | None = None
        self._run_as: str | None = None
        self._admin = None  # psycopg connection to the "postgres" database, autocommit

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(
                    "running as root but there is no 'postgres' system user to run the server as"
                ) from None
            self._run_as = "postgres"
        # Not pytest's tmp_path: that lives under a 0700 root-owned dir the postgres user cannot enter,
        # and the socket path must stay short (Unix sockets allow ~107 bytes).
        self.dir = Path(tempfile.mkdtemp(prefix="bw-pg-"))
        if self._run_as:
            shutil.chown(self.dir, user=self._run_as)
        data = self.dir / "data"
        self._run([self.bindir / "initdb", "-D", data, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8",
                   "-U", "postgres", "--no-sync"])
        last_error = ""
        for _attempt in range(3):  # the free port can be taken between choosing and binding it
            self.port = _free_port()
            options = " ".join([
                f"-p {self.port}", f"-k {self.dir}", "-c listen_addresses=127.0.0.1",
                "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
                "-c max_connections=200", "-c shared_buffers=64MB",
            ])
            try:
                self._run([self.bindir / "pg_ctl", "-D", data, "-l", self.dir / "server.log", "-o", options,
                           "-w", "-t", "30", "start"])
                break
            except PostgresUnavailable as exc:
                last_error = f"{exc}\n{self.log_tail()}"
        else:
            raise PostgresUnavailable(f"PostgreSQL would not start:\n{last_error}")
        import psycopg

        self._admin = psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                                      autocommit=True)

    def stop(self) -> None:
        """Stop immediately and remove the data dir; safe to call twice."""
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self.dir is None:
            return
        data = self.dir / "data"
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(PostgresUnavailable):
                self._run([self.bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join((self.dir / "server.log").read_text(errors="replace").splitlines()[-lines:])
        except (OSError, TypeError):
            return ""

    def _run(self, command: list) -> None:
        args = [str(part) for part in command]
        if self._run_as:
            args = ["su", self._run_as, "-s", "/bin/sh", "-c", shlex.join(args)]
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=self.dir)
        except (OSError, subprocess.SubprocessError) as exc:
            raise PostgresUnavailable(f"{shlex.join(args)}: {exc}") from exc
        if done.returncode != 0:
            raise PostgresUnavailable(f"{shlex.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}")

    # ------------------------------------------------------------ databases

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty UTF-8 database; returns its name."""
        name = f"bw_{uuid.uuid4().hex[:16]}"
        self._admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        return name

    def drop_database(self, name: str) -> None:
        self._admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
