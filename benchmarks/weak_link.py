"""A township's weak link: a first sync through a throttling proxy (256 kbit/s, 300 ms round trip).

The proxy is the tests' fault proxy (:class:`tests.client.faultproxy.FaultProxy`): it throttles each
direction to the rate and delays the first bytes of each burst by half the round trip, and counts the
bytes exactly as they cross it. Two fresh first syncs of the same account:

* clean — time against the time the bytes alone need at that rate (ratio target ≤ 1.3); on a server
  that offers snapshots (the default) this is the snapshot's first build and download (DESIGN.md §3.10);
* cut — the connection is cut half way through the answers; the client resumes (its own retries, or
  a second run as a user would press 「立即同步」). What crosses the wire in excess of the clean sync is
  what was fetched twice (target: at most one page of the paged pull).

The full run syncs the district's staff member (all of the district, about 1 MB); ``--quick`` a
department account, which sees a small part of it.
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.harness import Run, ServerProcess, at_most
from benchmarks.sync_speed import PAGE_ROWS, _password

RATE = 256_000 / 8  # bytes per second
RTT = 0.3
USER = {False: "staff01", True: "dept_fengbei"}  # by --quick
TIME_RATIO = 1.3
PAGE_BYTES = PAGE_ROWS * 10  # one page of the paged pull at ~10 B a row compressed (pull_page_server)


def _sync(home: Path, url: str, username: str) -> tuple[float, int, int]:
    """A first sync into ``home``, run again until it succeeds (at most three runs): seconds, runs, requests."""
    from sync.client.errors import SyncError
    from sync.client.home import Account
    from sync.client.run import SyncRun

    account = Account.of(home, url, username)
    started = time.perf_counter()
    for runs in range(1, 4):
        try:
            report = SyncRun(account, password=lambda: _password(username)).run()
            return time.perf_counter() - started, runs, report.traffic.requests
        except SyncError:
            if runs == 3:
                raise
    raise AssertionError("unreachable")


def weak_link(run: Run) -> None:
    from tests.client.faultproxy import NO_FAULT, Fault, FaultProxy

    username = USER[run.quick]
    with ServerProcess.district(run.demo_database("district")) as server:
        proxy = FaultProxy(server.port).start()
        proxy.rate, proxy.rtt = RATE, RTT
        try:
            seconds, _, requests = _sync(run.folder / "weak-clean", proxy.url, username)
            clean_down, clean_up = proxy.bytes_down, proxy.bytes_up
            proxy.reset_counters()
            first = proxy.connections  # the cut run's first connection
            proxy.faults = lambda index: Fault(cut_down_after=clean_down // 2) if index == first else NO_FAULT
            _, runs, _ = _sync(run.folder / "weak-cut", proxy.url, username)
            cut_down, cuts = proxy.bytes_down, proxy.cuts
        finally:
            proxy.stop()
    limit = (clean_down + clean_up) / RATE
    run.add("first sync at 256 kbit/s, 300 ms", seconds, "s",
            note=f"{username}: {requests} requests, {clean_down:,} B down, {clean_up:,} B up")
    run.add("bytes / bandwidth", limit, "s")
    run.add("ratio time / (bytes / bandwidth)", seconds / limit, "×", at_most(TIME_RATIO))
    run.add("bytes re-fetched after a cut", cut_down - clean_down, "B", at_most(PAGE_BYTES),
            note=f"cut at {clean_down // 2:,} B ({cuts} cut); {runs} run(s); target: one {PAGE_ROWS}-row page")
