"""The faults of a township's network, injected by a proxy between the client and the real server.

After every fault the replica must be exactly the user's changelog folded up to its stored cursor (a
prefix of the server's history: nothing applied past the cursor, nothing missing before it), and in
the end equal to what the server holds; every queued command must be applied exactly once.
A failing random run prints its seed; rerun it with ``BUDGETWATCH_FAULT_SEED=<seed>``.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sync.client.errors import Cancelled, Offline, ProtocolError, SyncError
from sync.client.outbox import DONE
from sync.client.progress import ProgressEvent
from sync.schema import budget_lines, executions
from tests.client.conftest import (
    PASSWORD,
    Deputy,
    cursor_seq,
    history_until,
    line_payments_disagreement,
    replica_rows,
    suggestions_on_server,
    visible_rows,
)
from tests.client.faultproxy import CAPTIVE_PORTAL, GARBAGE, NO_FAULT, Fault, http_answer, truncated_gzip

ROOT = Path(__file__).resolve().parents[2]
SEED_ENV = "BUDGETWATCH_FAULT_SEED"


def assert_prefix(deputy: Deputy, engine) -> int:
    with deputy.replica() as replica:
        seq = cursor_seq(replica)
        assert replica_rows(replica) == history_until(engine, deputy.account.username, seq)
    return seq


def assert_synced(deputy: Deputy, engine) -> None:
    with deputy.replica() as replica:
        assert replica_rows(replica) == visible_rows(engine, deputy.account.username)


def server_writes(engine, round_: int) -> None:
    """The server moves on while the client struggles: changes deputy01 sees, a few pages' worth."""
    from sync.server import changelog

    line = 1_000 + round_
    with engine.begin() as conn:
        changelog.update(conn, budget_lines, {key: {"approved": 1_000 * key + round_} for key in (4, 8, 12)})
        changelog.insert(conn, budget_lines, [{
            "id": line, "year": 2026, "region_code": "511702001", "department_code": "D01",
            "function_code": "2080505", "economic_code": "30212", "fund_code": "1", "approved": round_}])
        changelog.insert(conn, executions, [{"id": line * 100 + month, "line_id": line, "year": 2026,
                                             "region_code": "511702001", "month": month, "amount": round_}
                                            for month in range(1, 7)])
        if round_:
            changelog.delete(conn, executions, [(line - 1) * 100 + month for month in range(1, 4)])


def random_fault(rng: random.Random) -> Fault:
    roll = rng.random()
    if roll < 0.45:
        return Fault(cut_down_after=rng.randrange(1, 2000))
    if roll < 0.7:
        return Fault(cut_up_after=rng.randrange(1, 500))
    if roll < 0.8:
        return Fault(drop_answer_to=b"POST /api/v1/commands")
    return NO_FAULT


def test_connections_cut_at_random_points(server, proxy, client):
    seed = int(os.environ.get(SEED_ENV) or random.randrange(2**32))
    print(f"fault seed: {seed} (rerun with {SEED_ENV}={seed})")
    rng = random.Random(seed)
    deputy = client(proxy.url)
    queued = [deputy.queue_suggestion(f"建议{i}") for i in range(2)]
    failures = 0
    try:
        for round_ in range(30):
            proxy.faults = lambda _index: random_fault(rng)
            server_writes(server.engine, round_)
            if round_ % 5 == 0:
                queued.append(deputy.queue_suggestion(f"第{round_}轮的建议"))
            try:
                deputy.sync(page_rows=3)
            except SyncError:
                failures += 1
            assert_prefix(deputy, server.engine)
        proxy.faults = lambda _index: NO_FAULT
        deputy.sync(page_rows=3)
        assert_synced(deputy, server.engine)
        assert set(deputy.outbox_states().values()) <= set(DONE)
        assert [suggestions_on_server(server.engine, s) for _c, s in queued] == [1] * len(queued)
    except AssertionError as exc:
        raise AssertionError(f"seed {seed} ({SEED_ENV}={seed}): {exc}") from exc
    print(f"{proxy.cuts} connections cut, {failures} of 30 runs failed (the rest recovered by retrying)")
    assert proxy.cuts > 10, f"seed {seed}: too few faults hit ({proxy.cuts})"


@pytest.mark.parametrize("lost_answers", [2, 12], ids=["retried-in-run", "next-run"])
def test_command_applied_once_when_the_answer_is_lost_after_the_server_committed(server, proxy, client,
                                                                                lost_answers):
    deputy = client(proxy.url)
    command_id, suggestion_id = deputy.queue_suggestion()
    proxy.faults = lambda index: Fault(drop_answer_to=b"POST /api/v1/commands") if index < lost_answers else NO_FAULT
    try:
        deputy.sync()
    except Offline:
        assert deputy.outbox_states() == {command_id: "sent"}
        proxy.faults = lambda _index: NO_FAULT
        deputy.sync()
    assert deputy.outbox_states() == {command_id: "duplicate"}  # the server had applied it already
    assert suggestions_on_server(server.engine, suggestion_id) == 1
    assert_synced(deputy, server.engine)


BROKEN_PAGE = http_answer("200 OK", json.dumps({
    "cursor": "x.999", "has_more": False, "resync": None,
    "tables": {"regions": {"columns": ["code"], "upserts": [["1"]], "deletes": []}}}).encode(),
    content_type="application/json")


@pytest.mark.parametrize(("canned", "error", "message"), [
    (CAPTIVE_PORTAL, ProtocolError, "网络"),
    (truncated_gzip(json.dumps({"cursor": "x.1", "rows": list(range(3000))}).encode()), ProtocolError, "截断"),
    (BROKEN_PAGE, ProtocolError, "regions"),
    (GARBAGE, Offline, "服务器"),
], ids=["captive-portal", "truncated-gzip", "broken-page", "garbage"])
def test_a_bad_answer_mid_pull_is_one_clear_error_and_keeps_the_good_pages(server, proxy, client, canned, error,
                                                                          message):
    deputy = client(proxy.url)
    # The first connection signs in and serves two good pages; then every answer is the bad one.
    proxy.faults = lambda index: Fault(canned=canned, canned_after=3 if index == 0 else 0)
    with pytest.raises(error, match=message) as caught:
        deputy.sync(page_rows=3)
    assert "\n" not in str(caught.value)
    assert assert_prefix(deputy, server.engine) > 0  # the two good pages stayed applied
    proxy.faults = lambda _index: NO_FAULT
    deputy.sync(page_rows=3)
    assert_synced(deputy, server.engine)


def read_cursor(path: Path) -> str | None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as conn:
            found = conn.execute("SELECT value FROM sync_state WHERE key = 'cursor'").fetchone()
    except sqlite3.Error:
        return None
    return found[0] if found else None


def test_client_killed_mid_pull_opens_consistently_and_resumes(serve, proxy_to, client, home):
    server = serve("bulk")
    proxy = proxy_to(server)
    proxy.rate = 24_000
    deputy = client(proxy.url, "staff01")
    command = [sys.executable, "-m", "desktop.cli", "sync", "--server", proxy.url, "--user", "staff01",
               "--home", str(home)]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "BUDGETWATCH_PASSWORD": PASSWORD},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while read_cursor(deputy.account.replica_path) is None:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the first page never arrived"
        time.sleep(0.05)
    time.sleep(0.3)  # into the next page
    process.send_signal(signal.SIGKILL)
    process.wait()
    with deputy.replica() as replica:
        with replica.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert line_payments_disagreement(replica) == []  # derived in each page's own transaction
    assert assert_prefix(deputy, server.engine) > 0
    visible = sum(len(rows) for rows in visible_rows(server.engine, "staff01").values())
    proxy.rate = None
    report = deputy.sync()
    assert 0 < report.rows_pulled < visible  # resumed from the stored cursor, not from the start
    assert_synced(deputy, server.engine)


def test_slow_link_completes_with_progress_moving(server, proxy, client):
    proxy.rate, proxy.rtt = 32_000, 0.3  # 256 kbit/s, 300 ms
    events: list[ProgressEvent] = []
    report = client(proxy.url, "staff01").sync(progress=events.append, page_rows=10)
    pulled = [e.bytes for e in events if e.stage == "pull"]
    assert len(set(pulled)) > 5 and pulled == sorted(pulled)
    assert events[-1].stage == "done" and events[-1].rows == report.rows_pulled + report.rows_deleted
    assert report.seconds > report.traffic.requests * 0.3


def test_cancel_on_a_slow_link_within_a_second(serve, proxy_to, client):
    server = serve("bulk")
    proxy = proxy_to(server)
    proxy.rate, proxy.rtt = 32_000, 0.3
    run = client(proxy.url, "staff01").run()
    cancelled_at: list[float] = []

    def on_progress(event: ProgressEvent) -> None:
        if event.stage == "pull" and event.bytes > 8_000 and not cancelled_at:
            cancelled_at.append(time.monotonic())
            threading.Thread(target=run.cancel).start()

    run.progress = on_progress
    outcome: list[BaseException] = []
    worker = threading.Thread(target=lambda: _capture(run.run, outcome))
    worker.start()
    worker.join(60)
    finished = time.monotonic()
    assert cancelled_at and isinstance(outcome[0], Cancelled), outcome
    assert finished - cancelled_at[0] < 1.0
    assert_prefix(client(proxy.url, "staff01"), server.engine)


def _capture(action, outcome: list[BaseException]) -> None:
    try:
        action()
    except BaseException as exc:  # handed to the test thread
        outcome.append(exc)
