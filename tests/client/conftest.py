"""End-to-end fixtures: a real server (uvicorn in a thread, on a migrated SQLite database) filled with a
small district, a fault proxy in front of it, and ways to compare a replica with what the server holds.

The district is built once per session into a template database file; each test serves its own copy.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from sync.client.home import Account
from sync.client.outbox import Outbox
from sync.client.pull import decode_rows
from sync.client.replica import Replica
from sync.client.run import SyncRun
from sync.schema import (
    REPLICATED_TABLES,
    budget_lines,
    changelog,
    departments,
    executions,
    projects,
    regions,
    suggestions,
)
from sync.server.settings import ServerSettings
from tests.client.faultproxy import FaultProxy

PASSWORD = "correct-horse-9"
USERS = {  # username: (role, region, department)
    "deputy01": ("deputy", "511702001", None),
    "deputy02": ("deputy", "511702002", None),
    "staff01": ("staff", "511702", None),
    "staff02": ("staff", "511702", None),
    "dept01": ("department", "511702", "D01"),
    "dept02": ("department", "511702", "D02"),
}
TOWNSHIPS = ("511702001", "511702002", "511703001")


# ---------------------------------------------------------------- the district's data

def _regions() -> list[dict[str, Any]]:
    rows = [("5117", "达州市", "city", None), ("511702", "通川区", "district", "5117"),
            ("511703", "达川区", "district", "5117"), ("511702001", "东城街道", "township", "511702"),
            ("511702002", "西城街道", "township", "511702"), ("511703001", "翠屏街道", "township", "511703")]
    return [{"code": c, "name": n, "level": level, "parent_code": p, "sort_order": i}
            for i, (c, n, level, p) in enumerate(rows)]


def build_district(conn, *, lines: int, months: int) -> None:
    """Regions, departments, users, budget lines with executions, projects and suggestions — with
    updates and deletes in the history, so a replica's intermediate states differ from its last."""
    from sync.server import accounts
    from sync.server import changelog as server_changelog

    server_changelog.insert(conn, regions, _regions())
    server_changelog.insert(conn, departments, [
        {"code": "D01", "name": "教育局", "region_code": "511702"},
        {"code": "D02", "name": "交通局", "region_code": "511702"},
        {"code": "D03", "name": "达川交通局", "region_code": "511703"}])
    password_hash = accounts.hash_password(PASSWORD)
    for username, (role, region, department) in USERS.items():
        accounts.add_user(conn, username, role=role, password=PASSWORD, password_hash=password_hash,
                          region_code=region, department_code=department, display_name=f"测试{username}")
    places = [*TOWNSHIPS, "511702"]
    server_changelog.insert(conn, budget_lines, [{
        "id": i, "year": 2026, "region_code": places[i % len(places)], "department_code": "D01" if i % 2 else "D02",
        "function_code": "2080505", "economic_code": "30212", "fund_code": "1", "approved": 100_000 * i,
        "is_livelihood": i % 3 == 0} for i in range(1, lines + 1)])
    server_changelog.insert(conn, executions, [{
        "id": line * 100 + month, "line_id": line, "region_code": places[line % len(places)], "year": 2026,
        "month": month, "amount": 1000 * month} for line in range(1, lines + 1) for month in range(1, months + 1)])
    server_changelog.update(conn, budget_lines, {i: {"adjusted": 90_000 * i} for i in range(1, lines + 1, 3)})
    server_changelog.delete(conn, executions, [line * 100 + 1 for line in range(1, lines + 1, 4)])
    server_changelog.insert(conn, projects, [{
        "id": 1, "name": "东城老旧小区改造", "region_code": "511702001", "year": 2026, "budget": 5_000_000,
        "start_date": dt.date(2026, 3, 1)}])
    now = dt.datetime(2026, 11, 29, 14, 0, tzinfo=dt.UTC)
    server_changelog.insert(conn, suggestions, [{
        "id": f"00000000-0000-0000-0000-00000000000{i}", "number": f"2026-000{i}", "author_id": 1,
        "region_code": "511702001", "title": f"建议{i}", "body": "修路", "state": "assigned",
        "department_code": "D01", "submitted_at": now, "updated_at": now} for i in range(1, 4)])
    # Reassigned: a tombstone for D01's view, an upsert for D02's.
    server_changelog.update(conn, suggestions, {"00000000-0000-0000-0000-000000000002": {"department_code": "D02"}})


def migrated_database(path: Path, *, lines: int, months: int) -> None:
    from sync.server import db

    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    with engine.begin() as conn:
        build_district(conn, lines=lines, months=months)
    engine.dispose()


@pytest.fixture(scope="session")
def district_templates(tmp_path_factory) -> dict[str, Path]:
    """Database files: ``small`` (fast fault loops) and ``bulk`` (thousands of rows)."""
    folder = tmp_path_factory.mktemp("district")
    templates = {"small": (folder / "small.db", 12, 3), "bulk": (folder / "bulk.db", 1000, 12)}
    for path, lines, months in templates.values():
        migrated_database(path, lines=lines, months=months)
    return {name: path for name, (path, _l, _m) in templates.items()}


# ---------------------------------------------------------------- a live server

class LiveServer:
    """uvicorn serving ``create_app`` on a database file, in a thread; restartable on the same port."""

    def __init__(self, database: Path, settings: ServerSettings | None = None) -> None:
        from sync.server import db

        self.engine: Engine = db.make_engine(f"sqlite:///{database}")
        self.settings = settings
        self.port = 0
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        import uvicorn

        from sync.server.api import create_app

        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        app = create_app(self.engine, self.settings)
        config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_keep_alive=30, server_header=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(10)
            self._server = None


@pytest.fixture
def serve(tmp_path, district_templates) -> Iterator[Callable[..., LiveServer]]:
    started: list[LiveServer] = []

    def start(template: str = "small") -> LiveServer:
        copy = tmp_path / f"server-{len(started)}.db"
        shutil.copy(district_templates[template], copy)
        started.append(LiveServer(copy).start())
        return started[-1]

    yield start
    for server in started:
        server.stop()
        server.engine.dispose()


@pytest.fixture
def server(serve) -> LiveServer:
    return serve("small")


@pytest.fixture
def proxy_to() -> Iterator[Callable[[LiveServer], FaultProxy]]:
    proxies: list[FaultProxy] = []

    def start(live: LiveServer) -> FaultProxy:
        proxies.append(FaultProxy(live.port).start())
        return proxies[-1]

    yield start
    for faulty in proxies:
        faulty.stop()


@pytest.fixture
def proxy(server, proxy_to) -> FaultProxy:
    return proxy_to(server)


# ---------------------------------------------------------------- client side

@dataclass
class Deputy:
    """A user of the client: their account on this PC and how to sync it."""

    account: Account

    def run(self, **options: Any) -> SyncRun:
        options = {"password": lambda: PASSWORD, "retries": 2, "backoff": 0.01, **options}
        return SyncRun(self.account, **options)

    def sync(self, **options: Any):
        return self.run(**options).run()

    def replica(self) -> Replica:
        return Replica(self.account.replica_path)

    def queue_suggestion(self, title: str = "修路", region: str = "511702001") -> tuple[str, str]:
        """Queue ``suggestion.submit`` as the desktop would; returns (command id, suggestion id)."""
        suggestion_id = str(uuid.uuid4())
        payload = {"suggestion_id": suggestion_id, "title": title, "body": "路面破损", "source": "own",
                   "region_code": region}
        with self.replica() as replica:
            username = self.account.username
            return Outbox(replica, username).enqueue("suggestion.submit", payload, username), suggestion_id

    def outbox_states(self) -> dict[str, str]:
        with self.replica() as replica:
            return {c.uuid: c.state for c in Outbox(replica, self.account.username).commands()}


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def client(home) -> Callable[[str, str], Deputy]:
    return lambda url, username="deputy01": Deputy(Account.of(home, url, username))


# ---------------------------------------------------------------- comparing replica and server

def normalized(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def replica_rows(replica: Replica) -> dict[str, dict[str, tuple]]:
    with replica.engine.connect() as conn:
        return {t.name: {str(r[0]): tuple(map(normalized, r)) for r in conn.execute(select(t))}
                for t in REPLICATED_TABLES}


def line_payments_disagreement(replica: Replica) -> list[tuple]:
    """Rows of the derived ``line_payments`` that differ from the replica's executions added up afresh (in plain
    SQL, independent of :mod:`sync.client.line_payments`): empty when they agree."""
    months = ", ".join(f"sum(CASE WHEN month = {m} THEN amount ELSE 0 END)" for m in range(1, 13))
    expected = f"SELECT line_id, max(month), {months} FROM executions GROUP BY line_id"
    with replica.engine.connect() as conn:
        return conn.exec_driver_sql(f"SELECT * FROM (SELECT * FROM line_payments EXCEPT {expected}) UNION ALL "
                                    f"SELECT * FROM ({expected} EXCEPT SELECT * FROM line_payments)").all()


def visible_rows(engine: Engine, username: str) -> dict[str, dict[str, tuple]]:
    """What ``username`` may see on the server now, by the server's own rule."""
    from sync.server.accounts import user_id
    from sync.server.scope import load_viewer, row_condition

    with engine.connect() as conn:
        viewer = load_viewer(conn, user_id(conn, username))
        return {t.name: {str(r[0]): tuple(map(normalized, r))
                         for r in conn.execute(select(t).where(row_condition(viewer, t)))}
                for t in REPLICATED_TABLES}


def history_until(engine: Engine, username: str, seq: int) -> dict[str, dict[str, tuple]]:
    """The state ``username``'s replica must have at cursor ``seq``: their changelog entries up to it."""
    from sync.server.accounts import user_id
    from sync.server.scope import changelog_condition, load_viewer

    state: dict[str, dict[str, tuple]] = {t.name: {} for t in REPLICATED_TABLES}
    tables = {t.name: t for t in REPLICATED_TABLES}
    with engine.connect() as conn:
        viewer = load_viewer(conn, user_id(conn, username))
        entries = conn.execute(select(changelog.c.table_name, changelog.c.row_key, changelog.c.op, changelog.c.payload)
                               .where(changelog.c.seq <= seq, changelog_condition(viewer)).order_by(changelog.c.seq))
        for name, key, op, payload in entries:
            if op == "d":
                state[name].pop(key, None)
                continue
            table = tables[name]
            (row,) = decode_rows(table, list(table.columns.keys()), [json.loads(payload)], "test")
            state[name][key] = tuple(normalized(value) for value in row)
    return state


def cursor_seq(replica: Replica) -> int:
    cursor = replica.cursor()
    return int(cursor.rpartition(".")[2]) if cursor else 0


def suggestions_on_server(engine: Engine, suggestion_id: str) -> int:
    from sqlalchemy import func

    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(suggestions)
                            .where(suggestions.c.id == suggestion_id)).scalar_one()
