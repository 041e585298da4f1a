"""Changelog retention: what compaction keeps, the retention horizon, and clients older than it."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from sqlalchemy import func, select

from sync.protocol import Cursor
from sync.schema import budget_lines, changelog, executions, suggestions
from sync.server import changelog as server_changelog
from sync.server import compaction
from sync.server.accounts import user_id
from sync.server.pull import CountsCache, changes_body
from tests.client.conftest import USERS, history_until, suggestions_on_server, visible_rows
from tests.server.api_world import serving
from tests.server.ops_world import assert_converged, fill_district, user_on

SUGGESTION_1 = "00000000-0000-0000-0000-000000000001"
LATER = dt.timedelta(minutes=1)  # "now" for a compaction that must see every entry as already written


def _entries(engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(select(changelog.c.seq, changelog.c.table_name, changelog.c.row_key, changelog.c.op,
                                   changelog.c.region_code, changelog.c.department_code, changelog.c.user_id)
                            .order_by(changelog.c.seq)).all()


def _churn(engine) -> None:
    """Updates (superseded entries), deletes (tombstones) and a reassignment from D01 to D02."""
    with engine.begin() as conn:
        for round_ in range(3):
            server_changelog.update(conn, budget_lines, {i: {"approved": 1000 * round_ + i} for i in (1, 2, 3)})
        server_changelog.delete(conn, executions, [502, 602])
        server_changelog.update(conn, suggestions, {SUGGESTION_1: {"department_code": "D02"}})


def _compact(engine, keep_days: int, now: dt.datetime | None = None) -> compaction.CompactionReport:
    return compaction.compact(engine, keep_days, actor="tester", device="test", now=now)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_compaction_keeps_the_newest_entry_of_each_row_and_audience_and_every_history_ends_the_same(server_engine):
    fill_district(server_engine)
    _churn(server_engine)
    before = _entries(server_engine)
    head = before[-1][0]
    histories = {name: history_until(server_engine, name, head) for name in USERS}

    report = _compact(server_engine, keep_days=30)

    newest = {}
    for seq, table, key, _op, *audience in before:
        newest[(table, key, *audience)] = seq
    after = _entries(server_engine)
    assert [entry[0] for entry in after] == sorted(newest.values())
    assert report.superseded == len(before) - len(after) > 0 and report.tombstones == 0 and report.horizon == 0
    # D01's tombstone and D02's upsert of the reassigned suggestion both stay: they differ in audience.
    reassigned = {(e[3], e[5]) for e in after if e[2] == SUGGESTION_1 and e[1] == "suggestions"}
    assert reassigned == {("d", "D01"), ("u", "D02")}
    for name in USERS:
        assert history_until(server_engine, name, head) == histories[name] == visible_rows(server_engine, name)
    with server_engine.connect() as conn:
        assert server_changelog.head(conn) == head


def test_tombstones_older_than_keep_days_go_and_move_the_horizon(server_engine):
    fill_district(server_engine)
    _churn(server_engine)
    with server_engine.connect() as conn:
        head = server_changelog.head(conn)
    assert _compact(server_engine, keep_days=30, now=_now() + dt.timedelta(days=29)).tombstones == 0

    report = _compact(server_engine, keep_days=30, now=_now() + dt.timedelta(days=31))

    tombstones_left = [e for e in _entries(server_engine) if e[3] == "d"]
    assert report.tombstones > 0 and tombstones_left == [] and 0 < report.horizon < head
    with server_engine.connect() as conn:
        assert compaction.retention_horizon(conn) == report.horizon and server_changelog.head(conn) == head
    assert _compact(server_engine, keep_days=30).horizon == report.horizon  # it never moves back


def _resync(engine, username: str, cursor: Cursor | None) -> str | None:
    with engine.connect() as conn:
        uid = user_id(conn, username)
    body = changes_body(engine, uid, cursor, 100, max_bytes=1_000_000, counts=CountsCache())
    return json.loads(body).get("resync")


def test_a_cursor_below_the_horizon_is_told_to_resync_and_the_start_never_is(server_engine):
    fill_district(server_engine)
    _churn(server_engine)
    horizon = _compact(server_engine, keep_days=0, now=_now() + LATER).horizon
    with server_engine.begin() as conn:
        epoch = server_changelog.epoch(conn)
    assert _resync(server_engine, "deputy01", Cursor(epoch, horizon - 1)) == "cursor_expired"
    assert _resync(server_engine, "deputy01", Cursor(epoch, horizon)) is None
    assert _resync(server_engine, "deputy01", Cursor(epoch, 0)) is None
    assert _resync(server_engine, "deputy01", None) is None


def test_a_client_older_than_the_horizon_downloads_again_and_keeps_its_outbox(server_engine, server_db_url, tmp_path):
    fill_district(server_engine)
    with serving(server_db_url) as url:
        deputy = user_on(tmp_path, url, "deputy01")
        deputy.sync()
        _churn(server_engine)
        command_id, suggestion_id = deputy.queue_suggestion("整理日志时还在发件箱")
        _compact(server_engine, keep_days=0, now=_now() + LATER)

        report = deputy.sync()

    assert report.resyncs == 1 and report.healed_tables == []
    assert deputy.outbox_states() == {command_id: "applied"}  # not pushed twice: the server lost nothing
    assert suggestions_on_server(server_engine, suggestion_id) == 1
    assert_converged(deputy, server_engine)


@pytest.mark.parametrize("tombstones", ["kept", "dropped"])
def test_a_department_client_loses_a_suggestion_reassigned_away_across_a_compaction(
        server_engine, server_db_url, tmp_path, tombstones):
    fill_district(server_engine)
    with serving(server_db_url) as url:
        departments = {name: user_on(tmp_path, url, name) for name in ("dept01", "dept02")}
        for department in departments.values():
            department.sync()
        with departments["dept01"].replica() as replica, replica.reading() as conn:
            assert conn.execute(select(func.count()).where(suggestions.c.id == SUGGESTION_1)).scalar() == 1
        _churn(server_engine)
        if tombstones == "kept":
            _compact(server_engine, keep_days=30)
        else:
            _compact(server_engine, keep_days=0, now=_now() + LATER)

        reports = {name: department.sync() for name, department in departments.items()}

    assert reports["dept01"].resyncs == (1 if tombstones == "dropped" else 0)
    for department in departments.values():
        assert_converged(department, server_engine)
    assert SUGGESTION_1 in visible_rows(server_engine, "dept02")["suggestions"]
    assert SUGGESTION_1 not in visible_rows(server_engine, "dept01")["suggestions"]


def test_serve_compacts_about_once_a_day_whichever_process_comes_first(server_engine):
    fill_district(server_engine)
    day = dt.timedelta(days=1)
    assert compaction.compact(server_engine, 90, actor="server", device="serve", unless_within=day) is not None
    assert compaction.compact(server_engine, 90, actor="server", device="serve", unless_within=day) is None
    later = _now() + day + LATER
    assert compaction.compact(server_engine, 90, actor="server", device="serve", unless_within=day,
                              now=later) is not None


def test_the_daily_compaction_runs_in_the_background_and_stops(server_engine):
    fill_district(server_engine)
    worker = compaction.DailyCompaction(server_engine, 90, check_every=0.05)
    worker.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with server_engine.connect() as conn:
            if compaction.last_compacted(conn) is not None:
                break
        time.sleep(0.05)
    worker.stop()
    worker.join(5)
    assert not worker.is_alive()
    with server_engine.connect() as conn:
        assert compaction.last_compacted(conn) is not None
