"""A replica of the district demo (sync/server/demo.py) as a user would sync it, built without HTTP.

The server's demo is loaded into a SQLite file once; a user's replica takes exactly the rows the
server's own visibility rule gives that user (tests/client's ``visible_rows``), and the sync state a
pull leaves behind: who the user is, and the server's time — the demo's as-of date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, insert, select

from sync.client import line_payments
from sync.client.home import Account
from sync.client.replica import Replica
from sync.schema import REPLICATED_TABLES, users
from sync.server import db
from sync.server.demo import AS_OF, load_demo
from tests.client.conftest import visible_rows
from tests.desktop.fixture_replica import SERVER

#: The server's clock at the demo's as-of date, as a pull stores it.
DEMO_SERVER_TIME = f"{AS_OF.isoformat()}T20:00:00+08:00"
CHUNK = 5000


def demo_server(path: Path, scale: str = "district") -> Engine:
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    load_demo(engine, scale=scale)
    return engine


def demo_replica(engine: Engine, home: Path, username: str, server_time: str = DEMO_SERVER_TIME) -> Path:
    """``username``'s replica of the demo under ``home``; returns its path."""
    account = Account.of(home, SERVER, username)
    visible = visible_rows(engine, username)
    with Replica(account.replica_path) as replica:
        with replica.engine.begin() as conn:
            for table in REPLICATED_TABLES:
                rows = [dict(zip(table.columns.keys(), values, strict=True)) for values in visible[table.name].values()]
                for start in range(0, len(rows), CHUNK):
                    conn.execute(insert(table), rows[start:start + CHUNK])
            line_payments.rebuild(conn)  # derived from the executions, as a snapshot's load derives it
        with engine.connect() as server:
            user = server.execute(select(users).where(users.c.username == username)).mappings().one()
        replica.update_state({"server": SERVER, "username": username, "server_time": server_time, "user": {
            "id": user["id"], "username": username, "display_name": user["display_name"], "role": user["role"],
            "region_code": user["region_code"], "department_code": user["department_code"]},
            "last_success_server_time": server_time, "last_run_result": "ok",
            "last_run_local_time": dt.datetime.now(dt.UTC).isoformat()})
    return account.replica_path
