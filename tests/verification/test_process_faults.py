"""Process faults end to end (issue 13, item 3): real processes killed with SIGKILL, on SQLite and PostgreSQL.

* ``budgetwatch-server serve`` killed while it applies a push: restarted on the same port, the client's
  next run completes, every command applied exactly once.
* ``budgetwatch-server import`` killed at several points of its run: the database holds all of the import
  or none of it; run again, the data is there once.
* ``budgetwatch sync`` killed while it uploads an attachment: the next run completes the upload from
  where the server acknowledged, the file stored once with the right hash.
* ``budgetwatch sync`` on a full disk (``RLIMIT_FSIZE``): one clear Chinese line naming the problem and
  the folder, and nothing already saved (outbox, drafts, the replica at its cursor) lost or damaged.

The client killed mid-pull is tests/client/test_faults.py::test_client_killed_mid_pull_opens_consistently_and_resumes.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sync.client.attachments import CHUNK, AttachmentQueue
from sync.client.errors import SyncError, disk_full
from sync.client.outbox import Outbox
from sync.schema import attachments, budget_lines, command_results, executions, imports
from sync.server import changelog, db
from tests.client.conftest import PASSWORD, Deputy, LiveServer, cursor_seq
from tests.client.faultproxy import FaultProxy
from tests.client.test_attachments import photo
from tests.client.test_faults import assert_prefix
from tests.server import import_files
from tests.server.ops_world import assert_converged, assert_each_once, draft_ids, fill_district, save_draft, user_on
from tests.verification.figures import count
from tests.verification.processes import ROOT, ServerProcess

COMMANDS = 200  # one push request (the client sends up to 200 commands a request)


def _capture(action, outcome: list) -> None:
    try:
        outcome.append(action())
    except BaseException as exc:  # handed to the test thread
        outcome.append(exc)


def _wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.005)


def _stored_answers(engine, command_ids: list[str]) -> int:
    # A read transaction: on SQLite a plain one begins IMMEDIATE and queues for the server's write lock,
    # so the test looked only between the server's commits, often after the whole push.
    with db.read_transaction(engine) as conn:
        return conn.execute(select(func.count()).select_from(command_results)
                            .where(command_results.c.uuid.in_(command_ids))).scalar_one()


# ---------------------------------------------------------------- the server killed during a push

def _push_and_kill(deputy: Deputy, server: ServerProcess, engine, command_ids: list[str]) -> int:
    """Sync in a thread and SIGKILL the server once it has applied a few of the commands; how many it had."""
    outcome: list = []
    kill_at = _stored_answers(engine, command_ids) + random.randrange(1, COMMANDS // 10)
    worker = threading.Thread(target=_capture, args=(deputy.sync, outcome))
    worker.start()
    _wait_for(lambda: _stored_answers(engine, command_ids) >= kill_at, "the push never started")
    server.kill()
    worker.join(120)
    applied = _stored_answers(engine, command_ids)
    if applied < len(command_ids):
        assert isinstance(outcome[0], SyncError), outcome
    return applied


def test_server_killed_during_a_push_restarts_and_every_command_applies_once(server_engine, server_db_url,
                                                                              tmp_path, budgetwatch_home):
    fill_district(server_engine)
    server = ServerProcess(server_db_url, tmp_path / "server.log").start()
    deputy = user_on(tmp_path / "pc", server.url, "deputy01")
    queued: list[tuple[str, str]] = []
    try:
        deputy.sync()
        for _attempt in range(3):  # a starved test process may look too late: then the server is up again
            queued += [deputy.queue_suggestion(f"第{len(queued) + i}条", "511702001") for i in range(COMMANDS)]
            before = len(queued) - COMMANDS
            applied = _push_and_kill(deputy, server, server_engine, [command_id for command_id, _ in queued])
            server.start()
            if applied < len(queued):
                break
        assert before < applied < len(queued), "the kill never landed in the middle of a push"
        assert_prefix(deputy, server_engine)
        deputy.sync()
        assert_each_once(server_engine, [suggestion_id for _, suggestion_id in queued])
        assert _stored_answers(server_engine, [command_id for command_id, _ in queued]) == len(queued)
        assert_converged(deputy, server_engine)
    finally:
        server.stop()
    print(f"killed after {applied} of {len(queued)} commands")
    count("process faults: server SIGKILL during a push, survived")


# ---------------------------------------------------------------- the server killed during an import

IMPORT_LINES = 3000


def _budget_lines(lines: int) -> list[tuple]:
    office = import_files.FENGBEI_OFFICE
    return [("凤北街道", office, "凤北街道办事处本级", "21205", "302", f"社区保洁第{i}段", "否", (i + 1) * 10_000, None)
            for i in range(lines)]


def _import_state(engine) -> tuple[int, int, int]:
    """(changelog head, import records, budget lines)."""
    head, recorded = import_files.head(engine)
    with engine.connect() as conn:
        return head, recorded, conn.execute(select(func.count()).select_from(budget_lines)).scalar_one()


def _import(url: str, path: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sync.server.cli", "import", "budget", str(path), "--db", url,
                             "--year", str(import_files.YEAR), *extra], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)


def test_server_killed_during_an_import_keeps_all_of_it_or_none(server_engine, server_db_url, tmp_path):
    import_files.build_district(server_engine)
    path = import_files.budget_file(tmp_path, lines=_budget_lines(IMPORT_LINES))
    started = time.monotonic()
    dry = _import(server_db_url, path, "--dry-run")
    assert dry.wait(120) == 0, dry.stdout.read().decode()
    checking = time.monotonic() - started  # reading and checking the file: the write comes after
    before = _import_state(server_engine)
    outcomes = []
    for fraction in (0.8, 1.0, 1.1, 1.25, 1.5):
        process = _import(server_db_url, path)
        time.sleep(checking * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        after = _import_state(server_engine)
        whole = after[1] == before[1] + 1 and after[2] == IMPORT_LINES
        assert after == before or whole, (fraction, before, after)
        outcomes.append("all" if whole else "none")
        if whole:
            break
    if server_engine.dialect.name == "sqlite":
        with server_engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    if outcomes[-1] == "none":  # else the killed run had committed: the file is in, once
        finished = _import(server_db_url, path)
        assert finished.wait(120) == 0, finished.stdout.read().decode()
    with server_engine.connect() as conn:
        total = conn.execute(select(func.count(), func.sum(budget_lines.c.approved))).one()
        assert conn.execute(select(func.count()).select_from(imports)).scalar_one() == before[1] + 1
    assert tuple(total) == (IMPORT_LINES, sum(line[7] for line in _budget_lines(IMPORT_LINES)))
    print(f"import killed {len(outcomes)} times after {checking:.2f} s × (0.8, 1.0, …): {outcomes}")
    count("process faults: import SIGKILL, all-or-nothing", len(outcomes))


# ---------------------------------------------------------------- the client killed during an upload

def _received(replica_path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{replica_path}?mode=ro", uri=True, timeout=1) as conn:
            found = conn.execute("SELECT max(received) FROM attachment_uploads").fetchone()
    except sqlite3.Error:
        return 0
    return found[0] or 0


def _sync_command(url: str, home: Path, user: str = "deputy01") -> list[str]:
    return [sys.executable, "-m", "desktop.cli", "sync", "--server", url, "--user", user, "--home", str(home)]


def test_client_killed_during_an_upload_completes_it_next_run_stored_once(tmp_path, budgetwatch_home):
    database = tmp_path / "server.db"
    engine = db.make_engine(f"sqlite:///{database}")
    db.upgrade(engine)
    fill_district(engine)
    server = ServerProcess(f"sqlite:///{database}", tmp_path / "server.log").start()
    proxy = FaultProxy(server.port).start()
    proxy.rate = 400_000  # a township's line: the upload takes a few seconds
    home = tmp_path / "pc"
    try:
        deputy = user_on(home, proxy.url, "deputy01")
        command_id, suggestion_id = deputy.queue_suggestion("路面坑洼", "511702001")
        original = tmp_path / "路面.jpg"
        original.write_bytes(photo(3 * 2**20))
        expected = hashlib.sha256(original.read_bytes()).hexdigest()
        with deputy.replica() as replica:
            key = AttachmentQueue.of(replica, deputy.account).add(original, "suggestion", suggestion_id,
                                                                  after_command=command_id)
        process = subprocess.Popen(_sync_command(proxy.url, home), cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, env={**os.environ, "BUDGETWATCH_PASSWORD": PASSWORD})
        size = original.stat().st_size
        _wait_for(lambda: _received(deputy.account.replica_path) > size // 3 or process.poll() is not None,
                  "the upload never got a third of the way")
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        received_at_kill = _received(deputy.account.replica_path)
        assert 0 < received_at_kill < size, received_at_kill
        sent_before = proxy.bytes_up
        proxy.rate = None
        report = deputy.sync()
        assert report.attachments_uploaded == 1
        # Resumed from what the server had acknowledged, not started over.
        assert proxy.bytes_up - sent_before < size - received_at_kill + 2 * CHUNK, received_at_kill
    finally:
        proxy.stop()
        server.stop()
    with engine.connect() as conn:
        rows = conn.execute(select(attachments.c.id, attachments.c.sha256)).all()
    assert [tuple(row) for row in rows] == [(key, expected)]
    stored = [p for p in (budgetwatch_home / "budgetwatch-server").rglob("*") if p.is_file() and p.name == expected]
    assert len(stored) == 1 and hashlib.sha256(stored[0].read_bytes()).hexdigest() == expected
    assert_converged(deputy, engine)
    engine.dispose()
    count("process faults: client SIGKILL during an upload, survived")


# ---------------------------------------------------------------- a full disk on the client

FULL_AFTER = 256 * 1024  # …which cannot grow past this: the disk is full


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def _much_changes_on_the_server(engine) -> None:
    """Every budget line renamed and every execution corrected: the next pull rewrites most of the replica."""
    with engine.begin() as conn:
        changelog.update(conn, budget_lines, {key: {"project_name": f"第{key}号道路扩建" * 20}
                                              for key in range(1, 401)})
        keys = conn.execute(select(executions.c.id)).scalars().all()
        changelog.update(conn, executions, {key: {"amount": key} for key in keys})


def test_a_full_disk_gives_one_clear_message_and_loses_nothing_saved(serve_bulk, tmp_path):
    home = tmp_path / "pc"
    deputy = user_on(home, serve_bulk.url, "staff01")
    deputy.sync()
    _much_changes_on_the_server(serve_bulk.engine)
    with deputy.replica() as replica:
        command_id = Outbox(replica, "staff01").enqueue(
            "threshold.set", {"rule": "execution_lag", "yellow": "5", "red": "10"}, "staff01")
    save_draft(deputy, "draft-before-full")
    with deputy.replica() as replica:
        cursor_before = cursor_seq(replica)
    with sqlite3.connect(deputy.account.replica_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the run's writes start a new write-ahead log…

    process = subprocess.run(_sync_command(serve_bulk.url, home, "staff01"), cwd=ROOT, capture_output=True,
                             env={**os.environ, "BUDGETWATCH_PASSWORD": PASSWORD},
                             preexec_fn=_limit_file_size(FULL_AFTER), timeout=120)
    message = process.stderr.decode()
    assert process.returncode != 0
    assert "Traceback" not in message, message
    lines = [line for line in message.splitlines() if line.strip()]
    assert len(lines) == 1 and re.search("磁盘已满|磁盘空间不足", lines[0]), message
    assert str(deputy.account.directory) in lines[0] and "没有丢失" in lines[0], message
    assert _integrity(deputy.account.replica_path) == "ok"
    assert set(deputy.outbox_states()) == {command_id}
    assert draft_ids(deputy) == ["draft-before-full"]
    assert assert_prefix(deputy, serve_bulk.engine) >= cursor_before  # at its cursor, or at a later page

    deputy.sync()  # room again: it carries on
    assert_converged(deputy, serve_bulk.engine)
    print(message.strip())
    count("process faults: full disk on the client, nothing lost")


@pytest.fixture
def serve_bulk(district_templates, tmp_path):
    copy = tmp_path / "bulk.db"
    shutil.copy(district_templates["bulk"], copy)
    live = LiveServer(copy).start()
    yield live
    live.stop()
    live.engine.dispose()



def test_sqlites_own_disk_full_is_told_as_such(tmp_path):
    """The real "database or disk is full" (here from ``max_page_count``) reads as the disk being full."""
    with sqlite3.connect(tmp_path / "full.db") as conn:
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.execute("PRAGMA max_page_count = 8")
        with pytest.raises(sqlite3.OperationalError) as refused:
            conn.executemany("INSERT INTO t VALUES (?)", [("满" * 1000,)] * 100)
    full = disk_full(refused.value, tmp_path)
    assert full is not None and str(full).startswith(f"磁盘空间不足，无法写入本机数据 {tmp_path}")
    assert disk_full(sqlite3.OperationalError("no such table: t"), tmp_path) is None
