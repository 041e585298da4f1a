"""The automatic review's worker process on real replica files: the warnings it sends back are those of the
review run here, one spawned process without Qt serves every runner, a worker that dies is reported and
replaced, a killed application takes its worker with it, and only the latest request is answered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from desktop.queries.replica import ReplicaReader
from desktop.review import review
from desktop.review_runner import WORKER_NICENESS, ReviewRunner, worker_pool
from sync.client.home import Account
from tests.desktop.fixture_replica import SERVER

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 30_000
WORKER_DIED = "自动审查进程意外退出，请重新同步或重启程序"


def in_worker(expression: str) -> object:
    """``expression`` evaluated in the worker process (``eval`` travels by name: no module of ours is sent)."""
    return worker_pool().submit(eval, expression).result(timeout=TIMEOUT_MS / 1000)


def worker_pid() -> int:
    return worker_pool().submit(os.getpid).result(timeout=TIMEOUT_MS / 1000)


def reviewed(qtbot, runner: ReviewRunner, reader: ReplicaReader) -> list:
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT_MS) as blocker:
        runner.start(reader)
    assert not runner.running
    return blocker.args[0]


@pytest.fixture
def reader(account) -> ReplicaReader:
    reader = ReplicaReader(account.replica_path)
    yield reader
    reader.dispose()


@pytest.fixture
def runner(qtbot) -> ReviewRunner:
    runner = ReviewRunner()
    yield runner
    runner.shut_down()


def test_the_worker_finds_what_the_review_finds_here(qtbot, runner, reader):
    found = reviewed(qtbot, runner, reader)
    with reader.connect() as conn:
        assert found == review(conn)
    assert {w.rule for w in found} >= {"execution_lag", "final_deviation", "project_lag"}


def test_one_spawned_worker_without_qt_serves_every_runner(qtbot, runner, reader, home):
    reviewed(qtbot, runner, reader)
    pid = worker_pid()
    assert pid != os.getpid()
    other_runner, other_reader = ReviewRunner(), ReplicaReader(Account.of(home, SERVER, "deputy02").replica_path)
    assert reviewed(qtbot, other_runner, other_reader)
    assert worker_pid() == pid
    assert in_worker("'desktop.review' in __import__('sys').modules")  # it did review …
    # … without Qt, which also shows it was spawned: a fork of this process would have it
    assert in_worker("[m for m in __import__('sys').modules if m.startswith(('PySide6', 'shiboken6'))]") == []
    assert in_worker("__import__('os').nice(0)") == os.nice(0) + WORKER_NICENESS
    other_runner.shut_down()
    other_reader.dispose()


def test_a_worker_that_dies_is_reported_and_the_next_review_starts_another(qtbot, runner, reader):
    pid = worker_pid()
    busy = worker_pool().submit(time.sleep, 60)  # the review waits behind it: the kill is sure to catch it
    with qtbot.waitSignal(runner.failed, timeout=TIMEOUT_MS) as blocker:
        runner.start(reader)
        os.kill(pid, signal.SIGKILL)
    assert blocker.args == [WORKER_DIED] and not runner.running
    with pytest.raises(BrokenProcessPool):
        busy.result(timeout=TIMEOUT_MS / 1000)
    assert reviewed(qtbot, runner, reader)
    assert worker_pid() not in {pid, os.getpid()}


def test_only_the_latest_request_is_answered(qtbot, runner, reader, tmp_path):
    missing = ReplicaReader(tmp_path / "missing.sqlite3")  # opened read-only: fails in the worker
    finished, failed = [], []
    runner.finished.connect(finished.append)
    runner.failed.connect(failed.append)
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT_MS):
        runner.start(missing)
        runner.start(reader)
    with qtbot.waitSignal(runner.failed, timeout=TIMEOUT_MS):
        runner.start(reader)
        runner.start(reader)
        runner.start(missing)
    worker_pid()  # the worker is idle: every review asked for has come back
    qtbot.wait(200)
    assert len(finished) == 1 and len(failed) == 1
    assert "unable to open database file" in failed[0]


def test_forgotten_and_shut_down_runners_show_nothing(qtbot, runner, reader):
    shown = []
    runner.finished.connect(shown.append)
    runner.failed.connect(shown.append)
    runner.start(reader)
    runner.forget()
    assert not runner.running
    runner.shut_down()
    runner.start(reader)
    assert not runner.running
    worker_pid()
    qtbot.wait(200)
    assert shown == []


def running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not ended (a zombie waiting to be reaped has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_application_takes_its_worker_with_it():
    application = subprocess.Popen(
        [sys.executable, "-c", "import os, time\n"
                               "from desktop.review_runner import worker_pool\n"
                               "print(worker_pool().submit(os.getpid).result(), flush=True)\n"
                               "time.sleep(60)"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    with application:
        worker = int(application.stdout.readline())
        assert running(worker)
        application.kill()  # no atexit, no shutdown: only the worker itself can notice
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while running(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(worker)
