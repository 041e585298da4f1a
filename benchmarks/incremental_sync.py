"""Incremental sync: nothing new (at two replica sizes), and k changed rows written on the server.

The client is the shared one of :mod:`benchmarks.sync_speed` (already at the head); the changes are
written server-side the way the product writes them — :func:`sync.server.changelog.update` in one
transaction, into the running server's database — and then pulled by the product's ``SyncRun``.

"Server time independent of replica size" is measured over HTTP, as a client at the head sees it: the
same no-change ``GET /api/v1/changes`` against the district demo and against the city demo (seven
districts, five years: about ten times the changelog and the staff member's replica), best of 30.
"""

from __future__ import annotations

import math
import time

import requests

from benchmarks.harness import Run, ServerProcess, at_most, best_of
from benchmarks.sync_speed import PAGE_ROWS, STAFF, SyncedClient, add_noop_traffic, shared_client, signed_in_headers

CHANGED_ROWS = (1, 100, 10_000)
BYTES_PER_ROW = 120  # issue 11: compressed bytes per changed row
SIZE_INDEPENDENT = 1.5  # no-change server time, city demo / district demo (issue 11: "independent of size")


def change_executions(url: str, k: int) -> None:
    """Add one fen to the first ``k`` monthly executions of the database at ``url``, through the changelog,
    in one transaction."""
    from sqlalchemy import select

    from sync.schema import executions
    from sync.server import changelog, db

    engine = db.make_engine(url)
    with engine.begin() as conn:
        rows = conn.execute(select(executions.c.id, executions.c.amount).order_by(executions.c.id).limit(k)).all()
        changelog.update(conn, executions, {row.id: {"amount": row.amount + 1} for row in rows})
    engine.dispose()


def head_cursor(url: str) -> str:
    from sync.protocol import Cursor
    from sync.server import changelog, db

    engine = db.make_engine(url)
    with engine.begin() as conn:  # the epoch is made on first use: keep it
        cursor = Cursor(changelog.epoch(conn), changelog.head(conn)).encode()
    engine.dispose()
    return cursor


def noop_request_ms(url: str, username: str, cursor: str) -> float:
    """The quickest of 30 no-change pulls at ``cursor`` on one keep-alive connection, in ms."""
    session = requests.Session()
    headers = signed_in_headers(session, url, username)

    def once() -> float:
        started = time.perf_counter()
        answer = session.get(f"{url}/api/v1/changes", params={"since": cursor, "limit": PAGE_ROWS}, headers=headers)
        answer.raise_for_status()
        assert not answer.json()["has_more"]
        return time.perf_counter() - started

    once()
    took = best_of(30, once) * 1000
    session.close()
    return took


def noop_by_size(run: Run) -> None:
    """A no-change pull's time over HTTP against the district and the city demo (full runs only: the city
    demo takes half a minute to build)."""
    if run.quick and run.scale == "district":
        run.skip("no-change request, city demo", "full run only (--quick skips the city demo)")
        return
    times = {}
    for scale in ("district", "city"):
        database = run.demo_database(scale)
        with ServerProcess.district(database) as server:
            times[scale] = noop_request_ms(server.url, STAFF[scale], head_cursor(f"sqlite:///{database}"))
    run.add("no-change request, district demo", times["district"], "ms", note="HTTP round trip, best of 30")
    run.add("no-change request, city demo", times["city"], "ms", note="~10× the changelog and the replica")
    run.add("ratio city / district", times["city"] / times["district"], "×", at_most(SIZE_INDEPENDENT),
            note="server time independent of replica size")


def changed_rows(run: Run, client: SyncedClient) -> None:
    client.sync()  # at the head, the day's once-only items done
    noop = client.sync().traffic
    for k in CHANGED_ROWS:
        change_executions(f"sqlite:///{client.database}", k)
        started = time.perf_counter()
        report = client.sync()
        took = time.perf_counter() - started
        traffic = report.traffic
        assert report.rows_pulled >= k, (report.rows_pulled, k)
        pages = math.ceil(k / PAGE_ROWS)
        run.add(f"k={k:,}: requests", traffic.requests, "", at_most(pages + 1), note=f"{report.rows_pulled:,} rows")
        run.add(f"k={k:,}: bytes up + down", traffic.bytes_up + traffic.bytes_down, "B")
        run.add(f"k={k:,}: bytes down per changed row", traffic.bytes_down / k, "B/row")
        extra = (traffic.bytes_down - noop.bytes_down) / k
        run.add(f"k={k:,}: bytes per changed row above a no-change sync", extra, "B/row", at_most(BYTES_PER_ROW),
                note="as on the wire (gzip from 256 B); the bytes of a no-change answer left out")
        run.add(f"k={k:,}: wall time", took, "s")


def incremental_sync(run: Run) -> None:
    """Nothing new (requests, bytes, server time at two sizes); then 1, 100, 10 000 changed rows."""
    client, _ = shared_client(run)
    client.sync()
    report = client.sync()
    add_noop_traffic(run, report.traffic, "no change: ")
    noop_by_size(run)
    changed_rows(run, client)
