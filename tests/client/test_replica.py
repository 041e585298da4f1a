"""The replica store: pages atomic with their cursor, resync and rebuilds never touch the outbox."""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy import func, select

from sync.client import replica as replica_module
from sync.client.errors import ConcurrentSync, ProtocolError
from sync.client.line_payments import line_payments
from sync.client.outbox import Outbox
from sync.client.replica import Replica, TableChanges
from sync.schema import executions, regions, users
from tests.client.conftest import line_payments_disagreement

CITY = ("5117", "达州市", "city", None, 0)  # a page's rows are tuples in the table's column order
DISTRICT = ("511702", "通川区", "district", "5117", 0)


def user_row(user_id: int, username: str, display_name: str | None = None) -> tuple:
    values = {"id": user_id, "username": username, "display_name": display_name or username, "role": "deputy",
              "region_code": "511702", "department_code": None, "active": True}
    return tuple(values[column.name] for column in users.columns)


@pytest.fixture
def replica(tmp_path):
    with Replica(tmp_path / "replica.sqlite") as store:
        yield store


def test_new_replica_has_replicated_and_client_tables_in_wal_mode(replica):
    with replica.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert {"regions", "suggestions", "sync_state", "outbox", "drafts"} <= names
    assert not names & {"credentials", "auth_tokens", "changelog", "command_results", "server_meta"}
    assert mode == "wal"
    assert replica.state()["replica_version"] == str(replica_module.REPLICA_VERSION)


def test_page_and_cursor_commit_together(replica):
    replica.apply_page([TableChanges(regions, [CITY, DISTRICT])], {"cursor": "e1.2"}, expected_cursor=None)
    broken = ("511702001", "通川区", "village", "5117", 0)  # fails the level CHECK
    with pytest.raises(ProtocolError, match="regions"):
        replica.apply_page([TableChanges(users, [user_row(1, "a")]), TableChanges(regions, [broken])],
                           {"cursor": "e1.9"}, expected_cursor="e1.2")
    assert replica.cursor() == "e1.2"
    assert replica.counts()["users"] == 0 and replica.counts()["regions"] == 2


def test_deletes_convert_keys_and_upserts_replace(replica):
    replica.apply_page([TableChanges(users, [user_row(1, "a"), user_row(2, "b")])], {"cursor": "e.1"},
                       expected_cursor=None)
    renamed = user_row(1, "a", display_name="甲")
    replica.apply_page([TableChanges(users, [renamed], deletes=[2])], {"cursor": "e.2"}, expected_cursor="e.1")
    with replica.engine.connect() as conn:
        assert conn.execute(select(users.c.id, users.c.display_name)).all() == [(1, "甲")]


def test_a_row_may_take_over_a_unique_value_within_a_page(replica):
    replica.apply_page([TableChanges(users, [user_row(1, "a"), user_row(2, "b")])], {"cursor": "e.1"},
                       expected_cursor=None)
    # Server history: 1 renamed a→c, then 2 renamed b→a. The page folds both; order must not matter.
    replica.apply_page([TableChanges(users, [user_row(2, "a"), user_row(1, "c")])], {"cursor": "e.3"},
                       expected_cursor="e.1")
    with replica.engine.connect() as conn:
        assert sorted(conn.execute(select(users.c.id, users.c.username)).all()) == [(1, "c"), (2, "a")]


def test_a_page_is_refused_when_another_process_moved_the_cursor(replica):
    replica.apply_page([], {"cursor": "e.5"}, expected_cursor=None)
    with pytest.raises(ConcurrentSync):
        replica.apply_page([TableChanges(regions, [CITY])], {"cursor": "e.9"}, expected_cursor="e.3")
    assert replica.counts()["regions"] == 0


def test_resync_reset_keeps_outbox(replica):
    outbox = Outbox(replica, "deputy01")
    queued = outbox.enqueue("suggestion.submit", {"title": "修路"}, "deputy01")
    replica.apply_page([TableChanges(regions, [CITY])], {"cursor": "e.1", "epoch": "e"}, expected_cursor=None)
    replica.reset({"last_resync": "epoch_changed"})
    assert replica.cursor() is None and "epoch" not in replica.state()
    assert replica.counts()["regions"] == 0
    assert [c.uuid for c in outbox.commands()] == [queued]


def _stored_version(path, version: int) -> None:
    with Replica(path) as store:
        store.update_state({"replica_version": str(version)})


def test_older_replica_without_migration_is_rebuilt_and_keeps_outbox(tmp_path, monkeypatch):
    monkeypatch.delitem(replica_module.MIGRATIONS, replica_module.REPLICA_VERSION - 1, raising=False)
    path = tmp_path / "replica.sqlite"
    with Replica(path) as store:
        queued = Outbox(store, "deputy01").enqueue("suggestion.submit", {"title": "路灯"}, "deputy01")
        store.apply_page([TableChanges(regions, [CITY])], {"cursor": "e.1", "epoch": "e"}, expected_cursor=None)
    _stored_version(path, replica_module.REPLICA_VERSION - 1)
    with Replica(path) as store:
        assert store.rebuilt
        assert store.cursor() is None and store.counts()["regions"] == 0
        assert [c.uuid for c in Outbox(store, "deputy01").commands()] == [queued]
        assert store.state()["replica_version"] == str(replica_module.REPLICA_VERSION)


def test_older_replica_with_a_migration_step_is_migrated_in_place(tmp_path, monkeypatch):
    path = tmp_path / "replica.sqlite"
    with Replica(path) as store:
        queued = Outbox(store, "deputy01").enqueue("suggestion.submit", {"title": "路灯"}, "deputy01")
        store.apply_page([TableChanges(regions, [CITY])], {"cursor": "e.1"}, expected_cursor=None)
    _stored_version(path, replica_module.REPLICA_VERSION - 1)
    steps = []
    monkeypatch.setitem(replica_module.MIGRATIONS, replica_module.REPLICA_VERSION - 1,
                        lambda conn: steps.append(conn.exec_driver_sql("SELECT count(*) FROM regions").scalar()))
    with Replica(path) as store:
        assert steps == [1] and not store.rebuilt
        assert store.cursor() == "e.1" and store.counts()["regions"] == 1
        assert [c.uuid for c in Outbox(store, "deputy01").commands()] == [queued]


def test_a_version_2_replica_gains_the_as_of_index_and_keeps_its_rows(tmp_path):
    path = tmp_path / "replica.sqlite"
    with Replica(path) as store, store.engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_executions_year_month")
    with Replica(path) as store:
        store.apply_page([TableChanges(regions, [CITY])], {"cursor": "e.1"}, expected_cursor=None)
    _stored_version(path, 2)
    with Replica(path) as store, store.reading() as conn:
        plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN SELECT max(month) FROM executions WHERE year = 2026").all()
        assert not store.rebuilt and store.cursor() == "e.1" and store.counts()["regions"] == 1
    assert "ix_executions_year_month" in plan[0][-1]


def test_replica_from_a_newer_client_is_rebuilt(tmp_path):
    path = tmp_path / "replica.sqlite"
    _stored_version(path, replica_module.REPLICA_VERSION + 1)
    with Replica(path) as store:
        assert store.rebuilt


def test_reading_never_waits_for_a_writer(replica):
    replica.apply_page([TableChanges(regions, [CITY])], {"cursor": "e.1"}, expected_cursor=None)
    with Replica(replica.path) as other, replica.engine.begin() as writing:
        writing.execute(regions.delete())  # a sync holds the write lock, uncommitted
        started = time.monotonic()
        assert other.cursor() == "e.1" and other.counts()["regions"] == 1
        assert Outbox(other, "deputy01").commands() == []
        assert time.monotonic() - started < 1


def execution_row(execution_id: int, line_id: int, month: int, amount: int) -> tuple:
    return (execution_id, line_id, "511702", 2026, month, amount)  # executions' columns, in order


def test_line_payments_follow_every_write_of_executions(replica):
    """Pages that add, change, move and delete executions, a replaced table and a reset: the derived table
    always equals the executions added up afresh."""
    def apply(cursor: str, upserts: list[tuple], deletes: list[int] = ()) -> None:
        replica.apply_page([TableChanges(executions, upserts, list(deletes))], {"cursor": cursor},
                           expected_cursor=replica.cursor())
        assert line_payments_disagreement(replica) == []

    apply("e.1", [execution_row(1, 7, 1, 100), execution_row(2, 7, 2, 250), execution_row(3, 8, 1, -40)])
    with replica.reading() as conn:
        seven = conn.execute(select(line_payments).where(line_payments.c.line_id == 7)).one()
    assert (seven.last_month, seven.m01, seven.m02, seven.m03) == (2, 100, 250, 0)
    apply("e.2", [execution_row(2, 7, 2, 300), execution_row(4, 9, 3, 5)])  # changed, and a new line
    apply("e.3", [execution_row(4, 8, 3, 5)])  # moved to another line: line 9 loses its row
    apply("e.4", [], deletes=[3, 4])  # line 8 has nothing left
    with replica.reading() as conn:
        assert conn.execute(select(line_payments.c.line_id)).scalars().all() == [7]
    replica.replace_table(executions, [execution_row(5, 9, 12, 70)])
    assert line_payments_disagreement(replica) == []
    replica.reset({})
    with replica.reading() as conn:
        assert conn.execute(select(line_payments)).all() == []


def test_a_version_3_replica_derives_its_line_payments_in_place(tmp_path):
    path = tmp_path / "replica.sqlite"
    with Replica(path) as store:
        store.apply_page([TableChanges(executions, [execution_row(1, 7, 1, 100), execution_row(2, 7, 4, 9)])],
                         {"cursor": "e.1"}, expected_cursor=None)
        with store.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE line_payments")
    _stored_version(path, 3)
    with Replica(path) as store:
        assert not store.rebuilt and store.cursor() == "e.1"
        assert line_payments_disagreement(store) == []
        with store.reading() as conn:
            assert conn.execute(select(func.count()).select_from(line_payments)).scalar_one() == 1


def test_an_older_file_is_brought_up_to_date_before_a_reader_opens_it(tmp_path):
    path = tmp_path / "replica.sqlite"
    with Replica(path) as store:
        store.apply_page([TableChanges(executions, [execution_row(1, 7, 1, 100)])], {"cursor": "e.1"},
                         expected_cursor=None)
        with store.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE line_payments")
    _stored_version(path, 3)
    replica_module.bring_up_to_date(path)
    reader = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    assert reader.execute("SELECT line_id, m01 FROM line_payments").fetchall() == [(7, 100)]
    reader.close()


def test_a_current_file_is_only_read_even_while_a_sync_writes(replica):
    """Opening the window while ``budgetwatch sync`` holds the write lock does not wait for it."""
    with replica.engine.begin() as writing:
        writing.execute(regions.delete())
        started = time.monotonic()
        replica_module.bring_up_to_date(replica.path)
        assert time.monotonic() - started < 1
