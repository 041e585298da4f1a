"""What the operations tests (backup, compaction, audit, scale-out) share: the end-to-end district of
tests/client on any database, real sync clients on it, and a user syncing in the background."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from sync.client.home import Account
from sync.client.outbox import DONE
from sync.client.replica import drafts
from tests.client.conftest import Deputy, build_district, replica_rows, suggestions_on_server, visible_rows


def fill_district(engine: Engine) -> None:
    with engine.begin() as conn:
        build_district(conn, lines=12, months=3)


def user_on(home: Path, url: str, username: str) -> Deputy:
    return Deputy(Account.of(home, url, username))


def assert_converged(user: Deputy, engine: Engine) -> None:
    """The replica holds exactly what the user may see, and every command of the outbox was applied."""
    with user.replica() as replica:
        assert replica_rows(replica) == visible_rows(engine, user.account.username), user.account.username
    assert set(user.outbox_states().values()) <= set(DONE), user.outbox_states()


def assert_each_once(engine: Engine, suggestion_ids: list[str]) -> None:
    assert {key: suggestions_on_server(engine, key) for key in suggestion_ids} == dict.fromkeys(suggestion_ids, 1)


def save_draft(user: Deputy, draft_id: str) -> None:
    now = dt.datetime.now(dt.UTC).isoformat()
    with user.replica() as replica, replica.engine.begin() as conn:
        conn.execute(drafts.insert().values(id=draft_id, kind="suggestion", payload='{"title": "草稿"}',
                                            created_at=now, updated_at=now))


def draft_ids(user: Deputy) -> list[str]:
    with user.replica() as replica, replica.reading() as conn:
        return list(conn.execute(drafts.select().with_only_columns(drafts.c.id)).scalars())


class SyncingInBackground:
    """A user who queues a suggestion and syncs, again and again, until stopped."""

    def __init__(self, user: Deputy) -> None:
        self.user = user
        self.suggestion_ids: list[str] = []
        self.rounds = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, daemon=True)
        self.failure: BaseException | None = None

    def _work(self) -> None:
        try:
            while not self._stop.is_set():
                self.suggestion_ids.append(self.user.queue_suggestion(f"第{self.rounds}条", "511702002")[1])
                self.user.sync()
                self.rounds += 1
        except BaseException as exc:  # handed to the test thread
            self.failure = exc

    def wait_rounds(self, rounds: int) -> None:
        while self.rounds < rounds and self._thread.is_alive():
            self._stop.wait(0.01)

    @contextmanager
    def running(self, *, before: int = 2, after: int = 2) -> Iterator[SyncingInBackground]:
        """At least ``before`` rounds before the body runs and ``after`` more rounds once it is done."""
        self._thread.start()
        self.wait_rounds(before)
        yield self
        self.wait_rounds(self.rounds + after)
        self._stop.set()
        self._thread.join(30)
        assert self.failure is None, self.failure
