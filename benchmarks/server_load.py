"""The district server under load: many deputies' PCs syncing at nine in the morning.

The server (``budgetwatch-server serve --workers W``) is pinned to core 1, the load process
(:mod:`benchmarks.load_client`) to core 0, so neither steals the other's CPU. Each simulated user is a
real account (``load001``…, deputies of the demo district) signed in with its own token before the timed
window. Three kinds of request, at N concurrent users each:

* ``health`` — ``GET /api/v1/health``, the cheapest answer this server gives (the yardstick);
* ``no change`` — ``GET /api/v1/changes`` at the head with the digest of the user's row counts, as the desktop
  sends it: a client with nothing new;
* ``small incremental`` — the same from a cursor before 20 changed execution rows (written through the changelog).

On SQLite (the demo's file) and PostgreSQL (a throwaway server, as the tests start one), with 1 and 2 worker
processes (``--quick``: 1 worker, N = 10 and 20). Then, full runs only: 500 connections opened, left idle
for a minute (less than ``serve``'s keep-alive), then all active at once: how many connections the server
closed meanwhile is counted (each was reopened).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import requests

from benchmarks.harness import BIN, ROOT, Run, ServerProcess, at_least, at_most, free_port
from benchmarks.incremental_sync import change_executions, head_cursor
from sync.server.cli import KEEP_ALIVE_SECONDS

USERS_PREFIX = "load"
CHANGED = 20  # rows behind the "small incremental" cursor
HEALTH_RATIO = 0.5  # issue 11: no-change sync throughput ≥ half the health endpoint's
KINDS = ("health", "noop", "incremental")
KIND_NAMES = {"health": "health", "noop": "no change", "incremental": "small incremental"}


@dataclass
class Shape:
    """How big a run is: users, concurrency levels, seconds per step, worker counts, the idle test."""

    concurrency: tuple[int, ...]
    workers: tuple[int, ...]
    seconds: float
    idle_connections: int
    idle_seconds: float

    @classmethod
    def of(cls, quick: bool) -> Shape:
        return cls((10, 20), (1,), 2.0, 0, 0) if quick else cls((10, 50, 100), (1, 2), 5.0, 500, 60.0)


@dataclass
class Target:
    """One prepared database: its URL, the users' tokens, and the two cursors."""

    name: str
    url: str
    noop_cursor: str = ""
    incremental_cursor: str = ""
    counts_digest: str = ""  # what a replica at the noop cursor sends as ``counts``
    tokens: tuple[str, ...] = ()


def _add_load_users(url: str, count: int) -> list[str]:
    from sync.server import accounts, db
    from sync.server.demo import PASSWORDS, STORY_DISTRICT

    engine = db.make_engine(url)
    password_hash = accounts.hash_password(PASSWORDS["deputy"])
    names = [f"{USERS_PREFIX}{n:03d}" for n in range(1, count + 1)]
    with engine.begin() as conn:
        for name in names:
            accounts.add_user(conn, name, role="deputy", password=PASSWORDS["deputy"], region_code=STORY_DISTRICT,
                              display_name=f"压测代表{name[-3:]}", password_hash=password_hash)
    engine.dispose()
    return names


def _prepare(target: Target, users: int) -> None:
    """Load users, and 20 changed rows behind the incremental cursor."""
    _add_load_users(target.url, users)
    target.incremental_cursor = head_cursor(target.url)
    change_executions(target.url, CHANGED)
    target.noop_cursor = head_cursor(target.url)


def _sign_in(url: str, names: list[str]) -> tuple[str, ...]:
    """Every user signs in once (argon2 on the server: outside any timed window)."""
    from benchmarks.sync_speed import _headers
    from sync.server.demo import PASSWORDS

    session = requests.Session()
    tokens = []
    for name in names:
        answer = session.post(f"{url}/api/v1/session", headers=_headers(), json={
            "username": name, "password": PASSWORDS["deputy"], "device_id": f"load-{name}"})
        answer.raise_for_status()
        tokens.append(answer.json()["token"])
    session.close()
    return tuple(tokens)


def _server(target: Target, workers: int) -> ServerProcess:
    port = free_port()
    return ServerProcess(["taskset", "-c", "1", str(BIN / "budgetwatch-server"), "serve", "--db", target.url,
                          "--port", str(port), "--workers", str(workers)], port)


def _load(url: str, target: Target, steps: list[dict]) -> list[dict]:
    from benchmarks.sync_speed import _headers

    plan = {"url": url, "headers": _headers(), "tokens": list(target.tokens), "steps": steps, "paths": {
        "health": "/api/v1/health",
        "noop": f"/api/v1/changes?since={target.noop_cursor}&counts={target.counts_digest}",
        "incremental": f"/api/v1/changes?since={target.incremental_cursor}"}}
    done = subprocess.run(["taskset", "-c", "0", sys.executable, "-m", "benchmarks.load_client"], cwd=ROOT,
                          input=json.dumps(plan), capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"load process failed: {done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines()]


def _counts_digest(url: str, target: Target) -> str:
    """The digest of the counts a pull at the noop cursor answers: what a desktop at the head sends."""
    from benchmarks.sync_speed import _headers
    from sync.protocol import counts_digest

    answer = requests.get(f"{url}/api/v1/changes", params={"since": target.noop_cursor},
                          headers=_headers(target.tokens[0]))
    answer.raise_for_status()
    return counts_digest(answer.json()["counts"])


def _check_incremental(url: str, target: Target) -> int:
    """How many rows the small incremental answer carries (it must carry some)."""
    from benchmarks.sync_speed import _headers

    answer = requests.get(f"{url}/api/v1/changes", params={"since": target.incremental_cursor},
                          headers=_headers(target.tokens[0]))
    answer.raise_for_status()
    rows = sum(len(t.get("upserts", [])) + len(t.get("deletes", [])) for t in answer.json()["tables"].values())
    assert rows, "the small incremental pull carries no rows"
    return rows


def _report(run: Run, label: str, results: list[dict]) -> None:
    by = {(r["kind"], r["clients"]): r for r in results}
    errors = sum(r["errors"] for r in results)
    samples = sorted({s for r in results for s in r["error_samples"]})
    for (kind, clients), r in by.items():
        run.add(f"{label} {KIND_NAMES[kind]}, N={clients}", r["throughput"], "req/s",
                note=f"p50 {r['p50_ms']:.0f} / p95 {r['p95_ms']:.0f} / p99 {r['p99_ms']:.0f} ms; "
                     f"load process CPU {r['load_cpu']:.0%}")
    for (kind, clients), r in by.items():
        if kind == "noop":
            run.add(f"{label} no change / health, N={clients}", r["throughput"] / by["health", clients]["throughput"],
                    "×", at_least(HEALTH_RATIO))
    run.add(f"{label} errors", errors, "", at_most(0), note="; ".join(samples)[:200])


def _measure(run: Run, shape: Shape, target: Target) -> None:
    steps = [{"kind": kind, "clients": n, "seconds": shape.seconds} for n in shape.concurrency for kind in KINDS]
    for workers in shape.workers:
        with _server(target, workers) as server:
            if not target.tokens:
                target.tokens = _sign_in(server.url, [f"{USERS_PREFIX}{n:03d}" for n in
                                                      range(1, max(shape.concurrency) + 1)])
                target.counts_digest = _counts_digest(server.url, target)
                rows = _check_incremental(server.url, target)
                run.add(f"{target.name}: small incremental rows per answer", rows, "rows")
            _report(run, f"{target.name} ×{workers}", _load(server.url, target, steps))


def _idle_then_active(run: Run, shape: Shape, target: Target) -> None:
    step = {"kind": "noop", "clients": shape.idle_connections, "idle": shape.idle_seconds, "repeat": 3}
    with _server(target, 2) as server:
        result, = _load(server.url, target, [step])
    run.add(f"{shape.idle_connections} connections idle {shape.idle_seconds:.0f} s, then 3 no-change syncs each: "
            "errors", result["errors"], "", at_most(0), note="; ".join(result["error_samples"])[:200])
    run.add(f"{shape.idle_connections} connections: reopened after the idle {shape.idle_seconds:.0f} s",
            result["connects"], "", at_most(0),
            note=f"held by the server: serve --keep-alive {KEEP_ALIVE_SECONDS} s (uvicorn's default 5 s closed all)")
    run.add(f"{shape.idle_connections} connections: burst p99", result["p99_ms"], "ms",
            note=f"p50 {result['p50_ms']:.0f} ms; SQLite, 2 workers")


@contextmanager
def _postgres() -> Iterator[str]:
    """An empty migrated database on a throwaway PostgreSQL server (tests/pg.py), holding the district demo."""
    from sync.server import db
    from sync.server.demo import load_demo
    from tests.pg import ThrowawayPostgres, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("没有找到 PostgreSQL (initdb, pg_ctl): 无法测 PostgreSQL 上的服务器")
    server = ThrowawayPostgres(bindir)
    server.start()
    try:
        url = server.url(server.create_database())
        engine = db.make_engine(url)
        db.upgrade(engine)
        load_demo(engine)
        engine.dispose()
        yield url
    finally:
        server.stop()


def server_load(run: Run) -> None:
    """Throughput, latency percentiles and errors at N concurrent users; SQLite and PostgreSQL, 1 and 2 workers."""
    shape = Shape.of(run.quick)
    users = max(shape.concurrency)
    sqlite = Target("SQLite", f"sqlite:///{run.demo_database('district')}")
    _prepare(sqlite, users)
    _measure(run, shape, sqlite)
    with _postgres() as url:
        postgres = Target("PostgreSQL", url)
        _prepare(postgres, users)
        _measure(run, shape, postgres)
    if shape.idle_connections:
        _idle_then_active(run, shape, sqlite)
    else:
        run.skip("500 idle-then-active connections", "full run only (--quick skips it)")
