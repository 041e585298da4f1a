"""The client against the real server over real HTTP (uvicorn in a thread, SQLite)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from sync.client.errors import ClientOutdated, Offline, PasswordChangeRequired, SignedOut
from sync.client.replica import Replica
from sync.schema import executions, regions
from tests.client.conftest import (
    cursor_seq,
    history_until,
    replica_rows,
    suggestions_on_server,
    visible_rows,
)
from tests.keyring_backend import MemoryKeyring


def test_sync_fills_the_replica_with_exactly_what_the_user_may_see(server, client):
    for username in ("deputy01", "staff01", "dept01"):
        deputy = client(server.url, username)
        report = deputy.sync()
        with deputy.replica() as replica:
            assert replica_rows(replica) == visible_rows(server.engine, username), username
            assert replica_rows(replica) == history_until(server.engine, username, cursor_seq(replica))
            assert replica.state()["epoch"] and replica.state()["server_time"].endswith("+08:00")
        assert report.rows_pulled > 0 and report.result == "ok"
    with client(server.url, "deputy01").replica() as replica:
        assert "511703001" not in replica_rows(replica)["regions"]  # another district: never sent


def test_second_sync_is_one_small_request(proxy, client):
    deputy = client(proxy.url)
    first = deputy.sync()
    proxy.reset_counters()
    second = deputy.sync()
    assert (second.traffic.requests, second.rows_pulled, second.commands_pushed) == (1, 0, 0)
    assert proxy.bytes_up < 1024 and proxy.bytes_down < 1024, (proxy.bytes_up, proxy.bytes_down)
    # The client's own count (headers + body as sent/received) agrees with the wire within a few bytes.
    assert abs(second.traffic.bytes_up - proxy.bytes_up) < 64 and abs(second.traffic.bytes_down - proxy.bytes_down) < 64
    print(f"\nfirst sync: {first.rows_pulled} rows, {first.traffic}; no-op sync on the wire: "
          f"{proxy.bytes_up} B up, {proxy.bytes_down} B down; client counted {second.traffic}")


def test_suggestion_queued_while_server_is_down_arrives_once_after(proxy, server, client):
    deputy = client(proxy.url)
    deputy.sync()
    proxy.stop()
    command_id, suggestion_id = deputy.queue_suggestion()
    with pytest.raises(Offline):
        deputy.sync()
    assert deputy.outbox_states() == {command_id: "sent"}
    proxy.start()
    report = deputy.sync()
    assert report.commands_pushed == 1 and deputy.outbox_states() == {command_id: "applied"}
    assert suggestions_on_server(server.engine, suggestion_id) == 1
    with deputy.replica() as replica:  # the effect came back in the same run's pull
        assert suggestion_id in replica_rows(replica)["suggestions"]
    assert deputy.sync().commands_pushed == 0


def test_two_users_in_one_home_never_see_or_push_each_others_outbox(server, client):
    first, second = client(server.url, "deputy01"), client(server.url, "deputy02")
    mine, my_suggestion = first.queue_suggestion("一号的建议")
    theirs, their_suggestion = second.queue_suggestion("二号的建议", region="511702002")
    assert first.account.replica_path != second.account.replica_path
    assert list(first.outbox_states()) == [mine] and list(second.outbox_states()) == [theirs]
    first.sync()
    assert suggestions_on_server(server.engine, my_suggestion) == 1
    assert suggestions_on_server(server.engine, their_suggestion) == 0
    assert second.outbox_states() == {theirs: "pending"}
    second.sync()
    assert suggestions_on_server(server.engine, their_suggestion) == 1
    assert first.outbox_states() == {mine: "applied"}


def test_a_rejected_command_is_parked_with_its_reason_and_blocks_nothing(server, client):
    deputy = client(server.url)
    bad, _ = deputy.queue_suggestion("别的区", region="511703001")
    good, good_suggestion = deputy.queue_suggestion("本街道")
    report = deputy.sync()
    assert (report.commands_pushed, report.commands_rejected) == (2, 1)
    assert deputy.outbox_states() == {bad: "rejected", good: "applied"}
    assert suggestions_on_server(server.engine, good_suggestion) == 1
    with deputy.replica() as replica:
        from sync.client.outbox import Outbox

        (rejected,) = Outbox(replica, "deputy01").commands(["rejected"])
        assert "511703001" in rejected.reason


def test_resync_after_a_restore_downloads_again_and_keeps_the_outbox(server, client):
    from sync.server import changelog as server_changelog

    deputy = client(server.url)
    deputy.sync()
    with server.engine.begin() as conn:
        server_changelog.new_epoch(conn)  # as a restore from backup does
    command_id, _ = deputy.queue_suggestion()
    report = deputy.sync()
    # Pushed, then pushed again after the new epoch: this "restore" lost nothing, so it is a duplicate.
    assert report.resyncs == 1 and deputy.outbox_states() == {command_id: "duplicate"}
    with deputy.replica() as replica:
        assert replica_rows(replica) == visible_rows(server.engine, "deputy01")


def test_a_table_whose_count_differs_is_healed_alone(server, client):
    deputy = client(server.url)
    deputy.sync()
    with deputy.replica() as replica, replica.engine.begin() as conn:
        some = conn.execute(select(executions.c.id).limit(2)).scalars().all()
        conn.execute(executions.delete().where(executions.c.id.in_(some)))
        conn.execute(regions.insert().values(code="999", name="幽灵", level="city", sort_order=0))
    report = deputy.sync()
    assert sorted(report.healed_tables) == ["executions", "regions"]
    with deputy.replica() as replica:
        assert replica_rows(replica) == visible_rows(server.engine, "deputy01")


def test_signed_out_keeps_the_outbox_and_signs_in_again_when_it_can(server, client):
    from sync.server import accounts

    deputy = client(server.url)
    deputy.sync()
    assert MemoryKeyring.secrets  # the token, not the password
    assert "correct-horse-9" not in MemoryKeyring.secrets.values()
    with server.engine.begin() as conn:
        accounts.revoke_tokens(conn, accounts.user_id(conn, "deputy01"))
    command_id, _ = deputy.queue_suggestion()
    with pytest.raises(SignedOut):
        deputy.sync(password=lambda: None)
    assert not MemoryKeyring.secrets and deputy.outbox_states() == {command_id: "sent"}
    with pytest.raises(SignedOut):  # no token any more: asks for the password before any request
        deputy.sync(password=lambda: None)
    assert deputy.sync().commands_pushed == 1 and deputy.outbox_states() == {command_id: "applied"}


def test_password_reset_by_admin_asks_to_change_it(server, client):
    from sync.server import accounts

    with server.engine.begin() as conn:
        accounts.reset_password(conn, "deputy01", "temporary-123")
    with pytest.raises(PasswordChangeRequired, match="修改密码"):
        client(server.url).sync(password=lambda: "temporary-123")


def test_outdated_client_is_told_to_update_and_keeps_its_outbox(server, client, monkeypatch):
    deputy = client(server.url)
    command_id, _ = deputy.queue_suggestion()
    monkeypatch.setattr("sync.client.transport.PROTOCOL_VERSION", 99)
    with pytest.raises(ClientOutdated):
        deputy.sync()
    assert command_id in deputy.outbox_states()


def test_a_client_clock_a_day_off_changes_nothing(server, client, monkeypatch):
    honest = client(server.url, "deputy01")
    honest.sync()
    skewed = client(server.url + "/", "deputy01")  # same account spelled differently: same replica
    day = 24 * 3600
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + day)
    monkeypatch.setattr("sync.client.clock.wall_clock_now",
                        lambda: __import__("datetime").datetime.now().astimezone() + __import__("datetime")
                        .timedelta(days=1))
    command_id, suggestion_id = skewed.queue_suggestion()
    report = skewed.sync()
    assert report.commands_pushed == 1 and skewed.outbox_states()[command_id] == "applied"
    assert suggestions_on_server(server.engine, suggestion_id) == 1
    with Replica(skewed.account.replica_path) as replica:
        assert replica_rows(replica) == visible_rows(server.engine, "deputy01")
    assert skewed.sync().traffic.requests == 1
