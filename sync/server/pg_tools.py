"""Where PostgreSQL's own programs are (pg_dump, pg_restore, psql; the tests' initdb and pg_ctl), and
how to hand them a database of ours without putting its password on a command line."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL

BINDIR_ENV = "BUDGETWATCH_PG_BINDIR"


class PgToolError(RuntimeError):
    """A PostgreSQL program is missing or failed; the message is one line for the person at the console."""


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path))


def candidate_bindirs() -> list[Path]:
    """``$BUDGETWATCH_PG_BINDIR`` if set (and nothing else then), else the newest
    ``/usr/lib/postgresql/*/bin`` first, ``pg_config --bindir``, and the ``PATH``'s ``psql`` or ``initdb``."""
    if os.environ.get(BINDIR_ENV):
        return [Path(os.environ[BINDIR_ENV])]
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    if pg_config := shutil.which("pg_config"):
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True)
            candidates.append(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    candidates += [str(Path(found).parent) for name in ("psql", "initdb") if (found := shutil.which(name))]
    return [Path(candidate) for candidate in dict.fromkeys(candidates)]


def program(name: str) -> Path:
    """The newest installed ``name`` (pg_dump must be at least as new as the server it dumps)."""
    for bindir in candidate_bindirs():
        if (bindir / name).is_file():
            return bindir / name
    raise PgToolError(f"找不到 PostgreSQL 的 {name} 程序: 请安装 postgresql-client, 或用 {BINDIR_ENV} 指定其目录")


def connection(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for ``url`` and the environment that carries its password."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def run(command: list[str | Path], env: dict[str, str], what: str) -> None:
    """Run a PostgreSQL program; a failure raises :class:`PgToolError` with its last error line."""
    done = subprocess.run([str(part) for part in command], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise PgToolError(f"{what}失败: {lines[-1] if lines else f'退出码 {done.returncode}'}")
