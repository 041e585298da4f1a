"""Who a replica belongs to and how its last sync went, read from the client's ``sync_state``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, inspect, select

from desktop.queries.replica import ReplicaReader
from sync.client.home import Account, replica_paths
from sync.client.replica import sync_state


@dataclass(frozen=True)
class UserIdentity:
    username: str
    display_name: str
    user_id: int | None = None  # known once the server has answered a sign-in
    role: str | None = None
    region_code: str | None = None


@dataclass(frozen=True)
class SyncStatus:
    last_result: str | None  # "ok", an error's class name, or None: never synced
    last_message: str
    last_success_server_time: str | None
    server_time: str | None  # the server's date sent with the last page (Asia/Shanghai)


def read_state(conn: Connection) -> dict[str, str]:
    if not inspect(conn).has_table(sync_state.name):
        return {}
    return dict(conn.execute(select(sync_state.c.key, sync_state.c.value)).all())


def identity_of(state: dict[str, str], username: str) -> UserIdentity:
    user = json.loads(state["user"]) if "user" in state else {}
    return UserIdentity(username=username, display_name=user.get("display_name") or username,
                        user_id=user.get("id"), role=user.get("role"), region_code=user.get("region_code"))


def sync_status_of(state: dict[str, str]) -> SyncStatus:
    return SyncStatus(state.get("last_run_result"), state.get("last_run_message", ""),
                      state.get("last_success_server_time") or None, state.get("server_time") or None)


@dataclass(frozen=True)
class LocalAccount:
    """An account that has a replica on this PC (the users the 切换用户 menu offers)."""

    account: Account
    identity: UserIdentity


def local_accounts(home: Path) -> list[LocalAccount]:
    found = []
    for path in replica_paths(home):
        reader = ReplicaReader(path)
        try:
            with reader.connect() as conn:
                state = read_state(conn)
        finally:
            reader.dispose()
        if "server" in state and "username" in state:
            account = Account.of(home, state["server"], state["username"])
            found.append(LocalAccount(account, identity_of(state, state["username"])))
    return found
