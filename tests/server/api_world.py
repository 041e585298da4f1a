"""A small district for the HTTP API tests, and a toy replica that pulls from the API.

The reference for what a user may see is always the data tables filtered by
:func:`sync.server.scope.row_condition` — a replica built from pulls must equal it exactly.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import uvicorn
from argon2 import PasswordHasher
from sqlalchemy import Engine, select

from sync.protocol import decode_values, encode_row, value_decoders
from sync.schema import (
    REPLICATED_TABLES,
    TABLES_BY_NAME,
    activities,
    budget_lines,
    classifications,
    departments,
    executions,
    inspections,
    policies,
    policy_disbursements,
    primary_key_column,
    project_milestones,
    projects,
    regions,
    review_thresholds,
    suggestion_contacts,
    suggestion_events,
    suggestions,
)
from sync.server import accounts, changelog, db, scope
from sync.server.api import create_app

CITY, DISTRICT, TOWNSHIP_1, TOWNSHIP_2, OTHER_DISTRICT = "610200", "610202", "610202001", "610202002", "610203"
TRANSPORT, EDUCATION, OTHER_DEPARTMENT = "D610202-01", "D610202-02", "D610203-01"
PASSWORD = "代表之家2026"

#: username → (role, region, department)
USERS = {
    "deputy01": ("deputy", DISTRICT, None),
    "deputy02": ("deputy", TOWNSHIP_1, None),
    "staff01": ("staff", DISTRICT, None),
    "jiaotong": ("department", DISTRICT, TRANSPORT),
    "jiaoyu": ("department", DISTRICT, EDUCATION),
    "deputy09": ("deputy", OTHER_DISTRICT, None),
    "admin": ("admin", DISTRICT, None),
}
STAMP = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@functools.cache
def _password_hash() -> str:
    # The server verifies with the parameters stored in the hash: cheap ones keep sign-ins fast here.
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


@dataclass(frozen=True)
class World:
    engine: Engine
    user_ids: dict[str, int]


def _reference_data(conn) -> None:
    changelog.insert(conn, regions, [
        {"code": CITY, "name": "铜川市", "level": "city"},
        {"code": DISTRICT, "name": "王益区", "level": "district", "parent_code": CITY},
        {"code": TOWNSHIP_1, "name": "黄堡镇", "level": "township", "parent_code": DISTRICT},
        {"code": TOWNSHIP_2, "name": "王家河街道", "level": "township", "parent_code": DISTRICT},
        {"code": OTHER_DISTRICT, "name": "印台区", "level": "district", "parent_code": CITY},
    ])
    changelog.insert(conn, departments, [
        {"code": TRANSPORT, "name": "区交通运输局", "region_code": DISTRICT},
        {"code": EDUCATION, "name": "区教育局", "region_code": DISTRICT},
        {"code": OTHER_DEPARTMENT, "name": "印台区教育局", "region_code": OTHER_DISTRICT},
    ])
    changelog.insert(conn, classifications, [
        {"id": "function:208", "scheme": "function", "code": "208", "name": "社会保障和就业支出", "level": "类"},
        {"id": "economic:302", "scheme": "economic", "code": "302", "name": "商品和服务支出"},
    ])
    changelog.insert(conn, review_thresholds, [
        {"rule": "execution_lag", "yellow": Decimal("5"), "red": Decimal("10.5"), "updated_at": STAMP},
    ])


def _budget(conn) -> None:
    lines = [(1, DISTRICT, TRANSPORT), (2, TOWNSHIP_1, TRANSPORT), (3, TOWNSHIP_2, EDUCATION),
             (4, OTHER_DISTRICT, OTHER_DEPARTMENT)]
    changelog.insert(conn, budget_lines, [
        {"id": key, "year": 2026, "region_code": region, "department_code": department, "function_code": "2080505",
         "economic_code": "30201", "fund_code": "1", "project_name": f"道路养护{key}号", "approved": 1_234_500 * key}
        for key, region, department in lines
    ])
    changelog.insert(conn, executions, [
        {"id": key * 10 + month, "line_id": key, "region_code": region, "year": 2026, "month": month,
         "amount": 10_000 * month}
        for key, region, _ in lines for month in (1, 2)
    ])
    changelog.insert(conn, policies, [{"id": 1, "name": "乡村振兴", "region_code": DISTRICT, "year": 2026,
                                       "funds_arranged": 50_000_000}])
    changelog.insert(conn, policy_disbursements, [{"id": 1, "policy_id": 1, "region_code": DISTRICT, "year": 2026,
                                                   "month": 1, "amount": 1_000_000}])
    changelog.insert(conn, projects, [
        {"id": 1, "name": "黄堡镇老旧小区改造", "region_code": TOWNSHIP_1, "year": 2026, "budget": 8_000_000,
         "start_date": dt.date(2026, 3, 1)},
        {"id": 2, "name": "印台区学校操场", "region_code": OTHER_DISTRICT, "year": 2026, "budget": 1_000_000},
    ])
    changelog.insert(conn, project_milestones, [{"id": 1, "project_id": 1, "region_code": TOWNSHIP_1,
                                                 "date": dt.date(2026, 3, 15), "text": "开工"}])


def _suggestions(conn, ids: dict[str, int]) -> None:
    rows = [("s-transport", "deputy01", DISTRICT, TRANSPORT), ("s-education", "deputy02", TOWNSHIP_1, EDUCATION),
            ("s-far", "deputy09", OTHER_DISTRICT, OTHER_DEPARTMENT)]
    changelog.insert(conn, suggestions, [
        {"id": key, "number": f"2026-{n:04d}", "author_id": ids[author], "region_code": region,
         "title": f"建议{n}", "body": "请尽快修缮道路", "source": "constituents", "state": "assigned",
         "department_code": department, "submitted_at": STAMP, "updated_at": STAMP}
        for n, (key, author, region, department) in enumerate(rows, 1)
    ])
    changelog.insert(conn, suggestion_contacts, [
        {"suggestion_id": key, "region_code": region, "department_code": department, "author_id": ids[author],
         "name": "张三", "phone": "13800000000"}
        for key, author, region, department in rows
    ])
    changelog.insert(conn, suggestion_events, [
        {"id": f"e-{key}", "suggestion_id": key, "region_code": region, "department_code": department,
         "actor_id": ids["staff01"], "actor_role": "staff", "at": STAMP, "action": "assign",
         "from_state": "submitted", "to_state": "assigned", "assigned_department": department}
        for key, _, region, department in rows
    ])
    changelog.insert(conn, inspections, [
        {"id": "i-1", "deputy_id": ids["deputy02"], "region_code": TOWNSHIP_1, "date": dt.date(2026, 3, 20),
         "subject_type": "project", "subject_id": 1, "title": "视察老旧小区改造"},
    ])
    changelog.insert(conn, activities, [
        {"id": f"a-{name}", "user_id": ids[name], "region_code": USERS[name][1], "at": STAMP, "kind": "sign_in"}
        for name in ("deputy01", "deputy02", "deputy09")
    ])


def build_world(engine: Engine) -> World:
    with engine.begin() as conn:
        _reference_data(conn)
        ids = {name: accounts.add_user(conn, name, role=role, password="", region_code=region,
                                       department_code=department, display_name=f"测试{name}",
                                       password_hash=_password_hash())
               for name, (role, region, department) in USERS.items()}
        _budget(conn)
        _suggestions(conn, ids)
    return World(engine, ids)


def reassign(engine: Engine, suggestion_id: str, department: str) -> None:
    """What the staff's reassign command will do: the suggestion and its private rows follow the department."""
    with engine.begin() as conn:
        changelog.update(conn, suggestions, {suggestion_id: {"department_code": department}})
        changelog.update(conn, suggestion_contacts, {suggestion_id: {"department_code": department}})
        event_ids = conn.execute(select(suggestion_events.c.id)
                                 .where(suggestion_events.c.suggestion_id == suggestion_id)).scalars().all()
        changelog.update(conn, suggestion_events, {key: {"department_code": department} for key in event_ids})


# ---------------------------------------------------------------- what a user may see, and what they pulled

@functools.cache
def _decoders(table_name: str) -> list:
    return value_decoders(TABLES_BY_NAME[table_name])


def _decoded(table_name: str, values: list[Any]) -> list[Any]:
    return decode_values(list(values), _decoders(table_name))


def visible_rows(engine: Engine, username: str) -> dict[str, dict[str, list[Any]]]:
    """Every replicated table's rows the user may see, by key, as a replica holds them (decoded wire values)."""
    with engine.connect() as conn:
        viewer = scope.load_viewer(conn, accounts.user_id(conn, username))
        return {
            table.name: {
                str(row._mapping[primary_key_column(table).name]):
                    _decoded(table.name, json.loads(encode_row(table, changelog.in_utc(table, dict(row._mapping)))))
                for row in conn.execute(select(table).where(scope.row_condition(viewer, table)))
            }
            for table in REPLICATED_TABLES
        }


@dataclass
class Replica:
    """What a client keeps: rows by table and key, the cursor, and how the pulls went."""

    tables: dict[str, dict[str, list[Any]]] = field(
        default_factory=lambda: {table.name: {} for table in REPLICATED_TABLES})
    cursor: str | None = None
    requests: int = 0
    deletes_seen: list[tuple[str, str]] = field(default_factory=list)
    last_page: dict[str, Any] = field(default_factory=dict)

    def apply(self, page: dict[str, Any]) -> None:
        for name, changes in page["tables"].items():
            table = TABLES_BY_NAME[name]
            columns = [column.name for column in table.columns]
            assert changes.get("columns", columns) == columns  # left out of lean pages (protocol 2)
            upserts, deletes = changes.get("upserts", []), changes.get("deletes", [])
            key_index = columns.index(primary_key_column(table).name)
            upserted = {str(values[key_index]) for values in upserts}
            assert not upserted & set(deletes), "a key in both lists of one page"
            for values in upserts:
                self.tables[name][str(values[key_index])] = _decoded(name, values)
            for key in deletes:
                self.tables[name].pop(key, None)
                self.deletes_seen.append((name, key))
        self.cursor = page["cursor"]
        self.last_page = page

    def pull(self, http, headers: dict[str, str], *, base: str = "", limit: int = 2000) -> Replica:
        """Pull until ``has_more`` is false, the way a client does (``http``: TestClient or requests)."""
        while True:
            params = {"limit": limit, **({"since": self.cursor} if self.cursor else {})}
            response = http.get(f"{base}/api/v1/changes", params=params, headers=headers)
            assert response.status_code == 200, response.text
            self.requests += 1
            page = response.json()
            assert page.get("resync") is None
            self.apply(page)
            if not page["has_more"]:
                assert page.get("counts") is not None
                return self
            assert page.get("counts") is None


def assert_replica_matches(replica: Replica, engine: Engine, username: str) -> None:
    expected = visible_rows(engine, username)
    for name, rows in expected.items():
        assert replica.tables[name] == rows, name
    assert replica.last_page["counts"] == {name: len(rows) for name, rows in expected.items()}


@contextmanager
def serving(database_url: str) -> Iterator[str]:
    """The API served by uvicorn in a thread; yields its base URL."""
    engine = db.make_engine(database_url)
    listener = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(engine), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        engine.dispose()


def sign_in(http, username: str, *, base: str = "", password: str = PASSWORD) -> dict[str, str]:
    """Sign in and return the headers a client sends with every request after."""
    response = http.post(f"{base}/api/v1/session", headers={"BudgetWatch-Protocol": "1"},
                         json={"username": username, "password": password, "device_id": f"pc-{username}"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}", "BudgetWatch-Protocol": "1",
            "BudgetWatch-Schema": "1"}


def submit_command(author: str, *, region: str = DISTRICT, command_id: str | None = None,
                   **payload: Any) -> dict[str, Any]:
    """A ``suggestion.submit`` outbox item as a client pushes it."""
    return {
        "id": command_id or str(uuid.uuid4()), "type": "suggestion.submit", "author": author,
        "created_at": "2026-11-29T21:58:00+08:00",
        "payload": {"suggestion_id": str(uuid.uuid4()), "title": "修缮黄堡镇道路", "category": "交通",
                    "body": "路面破损严重, 群众出行不便。", "source": "own", "region_code": region, **payload},
    }
