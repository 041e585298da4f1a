"""Snapshot bootstrap end to end (real HTTP, real files): a first sync loads the server's snapshot and pulls
the changes after it; the outbox and drafts survive a resync through it; a cut download resumes; a
corrupt one falls back to pages with a clear message."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from sync.client.errors import Cancelled
from sync.client.replica import drafts, outbox
from sync.schema import budget_lines, executions
from sync.server import changelog
from sync.server.settings import ServerSettings
from tests.client.conftest import LiveServer, replica_rows, suggestions_on_server, visible_rows
from tests.client.faultproxy import NO_FAULT, Fault

PAGE_ROWS = 500  # the bulk district is ~13,000 rows: 25+ pages without the snapshot


@pytest.fixture
def snapshots(tmp_path) -> Path:
    return tmp_path / "snapshots"


@pytest.fixture
def live(tmp_path, district_templates, snapshots):
    copy = tmp_path / "server.db"
    shutil.copy(district_templates["bulk"], copy)
    server = LiveServer(copy, ServerSettings(snapshot_path=snapshots, snapshot_min_rows=0)).start()
    yield server
    server.stop()
    server.engine.dispose()


def _build(snapshots: Path) -> Path:
    (path,) = snapshots.glob("*.sqlite.xz")
    return path


def _leftovers(deputy) -> list[Path]:
    path = deputy.account.replica_path
    return list(path.parent.glob(f"{path.name}.snapshot*"))


def test_a_first_sync_loads_the_snapshot_then_pulls_the_changes_after_it(live, client, snapshots):
    first = client(live.url, "staff01")
    events = []
    report = first.sync(page_rows=PAGE_ROWS, progress=events.append)
    assert report.pages == 1 and report.rows_pulled > 3000
    downloading = [e.bytes for e in events if e.stage == "pull" and e.rows == 0]
    assert len(downloading) >= 3 and downloading == sorted(downloading)  # the bar moves while the file arrives
    with live.engine.begin() as conn:
        changelog.update(conn, budget_lines, {1: {"approved": 123}, 2: {"approved": 456}})
        changelog.delete(conn, executions, [305, 306])

    second = client(live.url, "staff02")  # the same audience: the same build, now behind the head
    report = second.sync(page_rows=PAGE_ROWS)
    assert report.pages == 1 and len(list(snapshots.glob("*.sqlite.xz"))) == 1
    with second.replica() as replica:
        assert replica_rows(replica) == visible_rows(live.engine, "staff02")
        assert replica.cursor().endswith(f".{changelog_head(live)}")
    assert _leftovers(second) == []


def changelog_head(live: LiveServer) -> int:
    with live.engine.connect() as conn:
        return changelog.head(conn)


def test_a_deputy_gets_their_own_rows_beside_the_shared_snapshot(live, client):
    deputy = client(live.url, "deputy01")
    deputy.sync(page_rows=PAGE_ROWS)
    _, suggestion_id = deputy.queue_suggestion("东城路灯不亮")
    deputy.sync(page_rows=PAGE_ROWS)
    fresh = client(live.url, "deputy01")
    fresh.account.replica_path.unlink()  # a new PC of the same deputy
    report = fresh.sync(page_rows=PAGE_ROWS)
    assert report.pages == 1
    with fresh.replica() as replica:
        rows = replica_rows(replica)
    assert rows == visible_rows(live.engine, "deputy01")
    assert suggestion_id in rows["suggestions"] and rows["activities"]  # the deputy's own, fetched beside it


def test_the_outbox_and_drafts_survive_a_resync_through_the_snapshot(live, client):
    deputy = client(live.url, "deputy01")
    deputy.sync(page_rows=PAGE_ROWS)
    command_id, suggestion_id = deputy.queue_suggestion("西城积水")
    with deputy.replica() as replica, replica.engine.begin() as conn:
        conn.execute(insert(drafts).values(id="d-1", kind="suggestion", payload="{}", created_at="x", updated_at="x"))
    deputy.sync(page_rows=PAGE_ROWS)
    with live.engine.begin() as conn:
        changelog.new_epoch(conn)  # restored from a backup: every replica resyncs

    report = deputy.sync(page_rows=PAGE_ROWS)
    assert report.resyncs == 1 and report.pages <= 3
    with deputy.replica() as replica:
        assert replica_rows(replica) == visible_rows(live.engine, "deputy01")
        with replica.reading() as conn:
            assert conn.execute(select(drafts.c.id)).scalars().all() == ["d-1"]
            assert conn.execute(select(outbox.c.uuid)).scalars().all() == [command_id]
    assert deputy.outbox_states() == {command_id: "duplicate"}
    assert suggestions_on_server(live.engine, suggestion_id) == 1


def test_a_cut_download_resumes_where_it_stopped(live, proxy_to, client, snapshots):
    client(live.url, "staff02").sync()  # the build exists: its size is known
    size = _build(snapshots).stat().st_size
    faulty = proxy_to(live)
    faulty.faults = lambda index: Fault(cut_down_after=size // 2) if index == 0 else NO_FAULT

    staff = client(f"http://127.0.0.1:{faulty.port}", "staff01")
    report = staff.sync(page_rows=PAGE_ROWS)
    assert faulty.cuts == 1 and report.pages == 1
    assert faulty.bytes_down < size * 1.2 + 20_000  # the half before the cut was not fetched again
    with staff.replica() as replica:
        assert replica_rows(replica) == visible_rows(live.engine, "staff01")


def test_a_client_stopped_mid_download_resumes_on_the_next_run(live, proxy_to, client, snapshots):
    client(live.url, "staff02").sync()
    size = _build(snapshots).stat().st_size
    faulty = proxy_to(live)
    faulty.rate = size / 2  # bytes per second: about two seconds for the file
    staff = client(f"http://127.0.0.1:{faulty.port}", "staff01")
    run = staff.run(page_rows=PAGE_ROWS)
    part = staff.account.replica_path.with_name(staff.account.replica_path.name + ".snapshot.part")

    def stop_halfway() -> None:
        while not part.exists() or part.stat().st_size < size // 3:
            time.sleep(0.02)
        run.cancel()

    stopper = threading.Thread(target=stop_halfway)
    stopper.start()
    with pytest.raises(Cancelled):
        run.run()
    stopper.join()
    kept = part.stat().st_size
    assert 0 < kept < size

    faulty.rate = None
    before = faulty.bytes_down
    report = staff.sync(page_rows=PAGE_ROWS)
    assert report.pages == 1
    assert faulty.bytes_down - before < size - kept + 20_000
    with staff.replica() as replica:
        assert replica_rows(replica) == visible_rows(live.engine, "staff01")
    assert _leftovers(staff) == []


def test_a_corrupt_download_is_discarded_and_the_pull_goes_by_pages(live, client, snapshots):
    client(live.url, "staff02").sync()
    build = _build(snapshots)
    data = bytearray(build.read_bytes())
    data[len(data) // 2] ^= 0xFF
    build.write_bytes(bytes(data))

    staff = client(live.url, "staff01")
    report = staff.sync(page_rows=PAGE_ROWS)
    assert "快照文件校验失败" in report.message and "改为分页同步" in report.message
    assert report.pages > 20
    with staff.replica() as replica:
        assert replica_rows(replica) == visible_rows(live.engine, "staff01")
    assert _leftovers(staff) == []


def test_the_snapshot_can_be_left_out_by_the_client(live, client, snapshots):
    report = client(live.url, "staff01").sync(page_rows=PAGE_ROWS, snapshot=False)
    assert report.pages > 20 and not snapshots.exists()


def test_a_replica_at_the_head_whose_counts_are_wrong_still_heals(live, client):
    staff = client(live.url, "staff01")
    staff.sync()
    quiet = staff.sync()
    assert quiet.traffic.requests == 1 and quiet.healed_tables == []
    with staff.replica() as replica, replica.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM executions WHERE id IN (SELECT id FROM executions LIMIT 5)")
    report = staff.sync()
    assert report.healed_tables == ["executions"]
    with staff.replica() as replica:
        assert replica_rows(replica) == visible_rows(live.engine, "staff01")


def test_a_changed_replica_checks_the_counts_digest_and_asks_for_the_counts_when_it_differs(live, client):
    staff = client(live.url, "staff01")
    staff.sync()
    with live.engine.begin() as conn:
        changelog.update(conn, budget_lines, {1: {"approved": 7}})
    one_change = staff.sync()  # the page carries the server's counts digest, which ours matches: no counts
    assert (one_change.traffic.requests, one_change.rows_pulled, one_change.healed_tables) == (1, 1, [])
    with staff.replica() as replica, replica.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM executions WHERE id IN (SELECT id FROM executions LIMIT 5)")
    with live.engine.begin() as conn:
        changelog.update(conn, budget_lines, {1: {"approved": 8}})
    report = staff.sync()  # the digest differs: asked again, the counts come, the table is healed
    assert report.healed_tables == ["executions"]
    with staff.replica() as replica:
        assert replica_rows(replica) == visible_rows(live.engine, "staff01")
