"""Sync against its limits: a fresh client's full pull, a sync with nothing new, the server's page time.

The server runs in its own process (``budgetwatch-server serve`` on a copy of the demo database) and
the client is the product's :class:`~sync.client.run.SyncRun` over real HTTP on loopback. The limits
are measured in the same run, on the same data:

* wire limit: the very same compressed page bodies, fetched again from a static uvicorn server
  (:mod:`benchmarks.static_server`) with ``requests`` — no query, no JSON, no compression;
* apply limit: raw ``sqlite3.executemany`` of the same rows (read back from the synced replica)
  into an empty file with the replica's tables and indexes.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

import requests

from benchmarks.harness import Run, ServerProcess, at_most, best_of, free_port
from sync.protocol import DEFAULT_PAGE_ROWS

STAFF = {"district": "staff01", "city": "city_staff01"}  # sees every replicated row of the scale
ANKI_ROWS_PER_S = 190_000  # 100 000 notes in 0.52 s, sign-in included (issue 11)
ANKI_NOOP_BYTES = 535
PAGE_ROWS = DEFAULT_PAGE_ROWS  # what the client asks for


def _password(username: str) -> str:
    from sync.server.demo import PASSWORDS

    role = "staff" if "staff" in username else "deputy" if "deputy" in username else "department"
    return PASSWORDS[role]


class SyncedClient:
    """A demo server in its own process and one fresh account on this PC, shared by the sync benchmarks."""

    def __init__(self, run: Run) -> None:
        from sync.client.home import Account

        self.username = STAFF[run.scale]
        self.database = run.demo_database()
        self.server = ServerProcess.district(self.database)
        home = run.folder / f"home-{run.scale}"
        self.account = Account.of(home, self.server.url, self.username)

    def sync(self):
        from sync.client.run import SyncRun

        return SyncRun(self.account, password=lambda: _password(self.username), snapshot=False).run()


_shared: dict[str, SyncedClient] = {}


def shared_client(run: Run) -> tuple[SyncedClient, Any]:
    """The shared client, synced once (the initial sync's report with it when this call made it)."""
    if run.scale in _shared:
        return _shared[run.scale], None
    client = SyncedClient(run)
    _shared[run.scale] = client
    started = time.perf_counter()
    report = client.sync()
    report.wall = time.perf_counter() - started
    return client, report


def close_shared() -> None:
    for client in _shared.values():
        client.server.stop()
    _shared.clear()


# ---------------------------------------------------------------- capturing the pages as they travel


def _headers(token: str | None = None) -> dict[str, str]:
    from sync.client.transport import USER_AGENT
    from sync.protocol import PROTOCOL_VERSION
    from sync.schema import SCHEMA_VERSION

    headers = {"User-Agent": USER_AGENT, "Accept": "application/json", "Accept-Encoding": "gzip",
               "BudgetWatch-Protocol": str(PROTOCOL_VERSION), "BudgetWatch-Schema": str(SCHEMA_VERSION)}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def signed_in_headers(session: requests.Session, url: str, username: str) -> dict[str, str]:
    """Sign ``username`` in (a demo account) and return the headers of an authorised request."""
    answer = session.post(f"{url}/api/v1/session", headers=_headers(), json={
        "username": username, "password": _password(username), "device_id": f"benchmark-{username}"})
    answer.raise_for_status()
    return _headers(answer.json()["token"])


def capture_pages(url: str, username: str) -> tuple[list[bytes], float]:
    """Every page of a full pull, as the compressed bytes that crossed the wire; and the sign-in time."""
    session = requests.Session()
    started = time.perf_counter()
    headers = signed_in_headers(session, url, username)
    sign_in = time.perf_counter() - started
    pages, cursor = [], None
    while True:
        params = {"limit": PAGE_ROWS, **({"since": cursor} if cursor else {})}
        response = session.get(f"{url}/api/v1/changes", params=params, headers=headers, stream=True)
        response.raise_for_status()
        raw = response.raw.read(decode_content=False)
        pages.append(raw)
        body = json.loads(gzip.decompress(raw) if response.headers.get("content-encoding") == "gzip" else raw)
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    session.close()
    return pages, sign_in


def wire_time(folder: Path, pages: list[bytes]) -> float:
    """Fetching the same compressed bytes as static content over the same loopback stack (best of 3)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, page in enumerate(pages):
        (folder / str(n)).write_bytes(page)
    port = free_port()
    with ServerProcess([sys.executable, "-m", "benchmarks.static_server", str(folder), str(port)], port) as static:
        def fetch() -> float:
            session = requests.Session()
            started = time.perf_counter()
            for n in range(len(pages)):
                response = session.get(f"{static.url}/{n}", headers=_headers(), stream=True)
                received = sum(len(chunk) for chunk in response.raw.stream(16 * 1024, decode_content=False))
                assert received == len(pages[n])
            elapsed = time.perf_counter() - started
            session.close()
            return elapsed
        return best_of(3, fetch)


def replica_rows(path: Path) -> dict[str, list[tuple]]:
    from sync.schema import REPLICATED_TABLES

    with sqlite3.connect(path) as conn:
        return {t.name: conn.execute(f"SELECT * FROM {t.name}").fetchall() for t in REPLICATED_TABLES}


def executemany_time(folder: Path, rows: dict[str, list[tuple]]) -> float:
    """Raw sqlite3 executemany of ``rows`` into an empty replica file (same tables and indexes), best of 2."""
    from sync.client.replica import PRAGMAS, Replica

    scratch = Path(tempfile.mkdtemp(prefix="raw-", dir=folder))  # empty, however often a run calls this

    def once(n: int) -> float:
        path = scratch / f"raw-{n}.sqlite"
        Replica(path).close()  # the replica's own tables and indexes, empty
        conn = sqlite3.connect(path, isolation_level=None)
        for pragma in PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for name, table_rows in rows.items():
            if table_rows:
                marks = ",".join("?" * len(table_rows[0]))
                conn.executemany(f"INSERT INTO {name} VALUES ({marks})", table_rows)
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        conn.close()
        return elapsed

    return min(once(n) for n in range(2))


def client_side(folder: Path, pages: list[bytes]) -> tuple[float, float, float]:
    """Where the client spends its time on the captured pages: gunzip, JSON + checks, apply (in seconds)."""
    from sync.client.pull import parse_page
    from sync.client.replica import Replica

    gunzip = parse = apply = 0.0
    with Replica(folder / "client-side.sqlite") as replica:
        expected = None
        for raw in pages:
            started = time.perf_counter()
            text = zlib.decompress(raw, 16 + zlib.MAX_WBITS)
            middle = time.perf_counter()
            page = parse_page(json.loads(text), "benchmark")
            parsed = time.perf_counter()
            replica.apply_page(page.changes, page.state, expected_cursor=expected)
            expected = page.cursor
            gunzip, parse = gunzip + middle - started, parse + parsed - middle
            apply += time.perf_counter() - parsed
    return gunzip, parse, apply


# ---------------------------------------------------------------- the benchmarks

def initial_sync(run: Run) -> None:
    """Fresh client, full pull (sign-in included), against wire + apply limits measured now."""
    client, report = shared_client(run)
    if report is None:  # another benchmark synced first: sync a second fresh home for this one
        from sync.client.home import Account
        from sync.client.run import SyncRun

        account = Account.of(run.folder / "home-initial", client.server.url, client.username)
        started = time.perf_counter()
        report = SyncRun(account, password=lambda: _password(client.username), snapshot=False).run()
        report.wall = time.perf_counter() - started
        replica_path = account.replica_path
    else:
        replica_path = client.account.replica_path
    rows = report.rows_pulled + report.rows_deleted
    pages, sign_in = capture_pages(client.server.url, client.username)
    wire = wire_time(run.folder / "pages", pages)
    apply_limit = executemany_time(run.folder, replica_rows(replica_path))
    gunzip, parse, apply = client_side(run.folder, pages)
    seconds = report.wall
    run.add("rows", rows, "rows", note=f"{report.pages} pages of ≤ {PAGE_ROWS} rows, user {client.username}")
    run.add("time (sign-in included)", seconds, "s")
    run.add("rows/s", rows / seconds, "rows/s",
            note="Anki's 190,000 rows/s is the snapshot's target (snapshot_bootstrap), not the paged pull's")
    run.add("bytes down", report.traffic.bytes_down, "B")
    run.add("bytes per row", report.traffic.bytes_down / rows, "B/row")
    run.add("requests", report.traffic.requests, "")
    run.add("limit a: wire (same bytes, static)", wire, "s")
    run.add("limit b: raw executemany", apply_limit, "s")
    run.add("ratio sync / (a + b)", seconds / (wire + apply_limit), "×", at_most(3),
            note="paged pull target (snapshot off); the snapshot bootstrap is benchmark snapshot_bootstrap")
    run.add("  of which sign-in", sign_in, "s")
    run.add("  client: gunzip", gunzip, "s", note="in the pull-ahead thread, while the page before is applied")
    run.add("  client: JSON + checks + decode", parse, "s", note="in the pull-ahead thread too")
    run.add("  client: apply_page", apply, "s", note=f"{apply / apply_limit:.1f}× raw executemany; main thread")
    run.add("  waiting for the next page (rest)", seconds - sign_in - apply, "s",
            note="the main thread neither signing in nor applying: the server's work not hidden behind apply")


def add_noop_traffic(run: Run, traffic, prefix: str = "") -> None:
    """A sync with nothing new on the wire: one request, bytes each way, against Anki's total."""
    run.add(f"{prefix}requests", traffic.requests, "", at_most(1))
    run.add(f"{prefix}bytes up", traffic.bytes_up, "B")
    run.add(f"{prefix}bytes down", traffic.bytes_down, "B")
    run.add(f"{prefix}bytes total", traffic.bytes_up + traffic.bytes_down, "B", at_most(ANKI_NOOP_BYTES),
            note="Anki: ~535 B")


def noop_sync(run: Run) -> None:
    """A sync with nothing new, from a client already at the head (token stored)."""
    client, _ = shared_client(run)
    client.sync()  # a day's once-only items (duty record) go here, not in the measured run
    started = time.perf_counter()
    report = client.sync()
    took = time.perf_counter() - started
    add_noop_traffic(run, report.traffic)
    run.add("wall time (client run)", took * 1000, "ms")
    server_ms = _noop_server_ms(client)
    run.add("server time (changes_body, in-process)", server_ms, "ms", note="best of 20")


def _server_context(database: Path, username: str):
    from sync.server import accounts, db

    engine = db.make_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        return engine, accounts.user_id(conn, username)


def _noop_server_ms(client: SyncedClient) -> float:
    from sync.client.replica import Replica
    from sync.protocol import Cursor
    from sync.server.pull import CountsCache, changes_body

    engine, user = _server_context(client.database, client.username)
    with Replica(client.account.replica_path) as replica:
        cursor = Cursor.decode(replica.cursor())
    counts = CountsCache()
    changes_body(engine, user, cursor, PAGE_ROWS, max_bytes=1_000_000, counts=counts)  # counts cached, as live

    def once() -> float:
        started = time.perf_counter()
        changes_body(engine, user, cursor, PAGE_ROWS, max_bytes=1_000_000, counts=counts)
        return time.perf_counter() - started

    took = best_of(20, once) * 1000
    engine.dispose()
    return took


def pull_page_server(run: Run) -> None:
    """Server time per page of a full pull, in-process: building the body, then gzip as the middleware does."""
    from sync.protocol import Cursor
    from sync.server.api.app import GZIP_LEVEL
    from sync.server.pull import CountsCache, changes_body

    username = STAFF[run.scale]
    engine, user = _server_context(run.demo_database(), username)
    build, pack, rows_per_page, sizes = [], [], [], []
    since, counts = None, CountsCache()
    while True:
        started = time.perf_counter()
        body = changes_body(engine, user, since, PAGE_ROWS, max_bytes=1_000_000, counts=counts)
        built = time.perf_counter()
        packed = gzip.compress(body, compresslevel=GZIP_LEVEL)
        pack.append(time.perf_counter() - built)
        build.append(built - started)
        page = json.loads(body)
        rows_per_page.append(sum(len(t["upserts"]) + len(t["deletes"]) for t in page["tables"].values()))
        sizes.append((len(body), len(packed)))
        since = Cursor.decode(page["cursor"])
        if not page["has_more"]:
            break
    engine.dispose()
    total = sum(build) + sum(pack)
    run.add("pages", len(build), "")
    run.add("build ms/page (median)", statistics.median(build) * 1000, "ms")
    run.add("gzip ms/page (median)", statistics.median(pack) * 1000, "ms", note=f"level {GZIP_LEVEL}")
    run.add("server rows/s (build + gzip)", sum(rows_per_page) / total, "rows/s")
    run.add("rows per page (median)", statistics.median(rows_per_page), "rows")
    run.add("page KiB raw → gzip (median)", statistics.median(s[0] for s in sizes) / 1024, "KiB",
            note=f"gzip {statistics.median(s[1] for s in sizes) / 1024:.0f} KiB")
