"""Snapshot bootstrap (GET /snapshot, GET /snapshot/<name>) on both databases: a user's snapshot holds what a
paged pull from the start gives them, stored the same way; builds are shared by an audience; Range resumes."""

from __future__ import annotations

import datetime as dt
import hashlib
import lzma
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sync.client.pull import parse_page
from sync.client.replica import Replica
from sync.schema import REPLICATED_TABLES, budget_lines, primary_key_column
from sync.server import accounts, changelog
from sync.server.api import ServerSettings, create_app
from sync.server.settings import SNAPSHOTS_ENV
from tests.server.api_world import DISTRICT, PASSWORD, TRANSPORT, USERS, sign_in

PULLING_USERS = [name for name, (role, _, _) in USERS.items() if role != "admin"]


@pytest.fixture
def snapshots(tmp_path) -> Path:
    return tmp_path / "snapshots"


@pytest.fixture
def api(world, snapshots) -> TestClient:
    with TestClient(create_app(world.engine, ServerSettings(snapshot_path=snapshots, snapshot_min_rows=0))) as client:
        yield client


def _paged_replica(api: TestClient, headers: dict[str, str], path: Path) -> Path:
    """What the real client's replica holds after pulling every page from the start."""
    with Replica(path) as replica:
        cursor = None
        while True:
            params = {"limit": 7, **({"since": cursor} if cursor else {})}
            page = parse_page(api.get("/api/v1/changes", params=params, headers=headers).json(), "test")
            replica.apply_page(page.changes, page.state, expected_cursor=cursor)
            cursor = page.cursor
            if not page.has_more:
                return path


def _download(api: TestClient, headers: dict[str, str], folder: Path) -> tuple[dict, Path]:
    offer = api.get("/api/v1/snapshot", headers=headers)
    assert offer.status_code == 200, offer.text
    manifest = offer.json()
    answer = api.get(manifest["url"], headers=headers)
    assert answer.status_code == 200
    assert hashlib.sha256(answer.content).hexdigest() == manifest["sha256"]
    assert len(answer.content) == manifest["size"]
    path = folder / f"{manifest['sha256'][:8]}.sqlite"
    path.write_bytes(lzma.decompress(answer.content))
    return manifest, path


def _rows(path: Path, table_name: str) -> list[tuple]:
    key = primary_key_column(next(t for t in REPLICATED_TABLES if t.name == table_name)).name
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT * FROM {table_name} ORDER BY {key}").fetchall()


def _head(engine) -> int:
    with engine.connect() as conn:
        return changelog.head(conn)


@pytest.mark.parametrize("username", PULLING_USERS)
def test_a_snapshot_holds_table_by_table_what_a_paged_pull_from_the_start_gives(api, world, tmp_path, username):
    headers = sign_in(api, username)
    manifest, snapshot = _download(api, headers, tmp_path)
    paged = _paged_replica(api, headers, tmp_path / "paged.sqlite")
    assert manifest["cursor"].endswith(f".{_head(world.engine)}")
    assert manifest["rows"] == sum(len(_rows(snapshot, t.name)) for t in REPLICATED_TABLES)
    for table in REPLICATED_TABLES:
        if table.name in manifest["per_user_tables"]:
            assert _rows(snapshot, table.name) == [], table.name
        else:
            assert _rows(snapshot, table.name) == _rows(paged, table.name), table.name
    role = USERS[username][0]
    expected = ["activities", "suggestion_contacts"] if role == "deputy" else []
    assert sorted(manifest["per_user_tables"]) == expected


def test_a_departments_snapshot_holds_no_other_departments_suggestions(api, tmp_path):
    _, snapshot = _download(api, sign_in(api, "jiaotong"), tmp_path)
    suggestions = _rows(snapshot, "suggestions")
    assert [row[0] for row in suggestions] == ["s-transport"]
    assert {row[0] for row in _rows(snapshot, "suggestion_contacts")} == {"s-transport"}
    with sqlite3.connect(snapshot) as conn:
        departments = {d for (d,) in conn.execute("SELECT department_code FROM suggestions")}
    assert departments == {TRANSPORT}


def test_one_build_serves_an_audience_until_it_is_too_old(world, snapshots, tmp_path):
    with world.engine.begin() as conn:
        accounts.add_user(conn, "deputy03", role="deputy", password=PASSWORD, region_code=DISTRICT)
    with TestClient(create_app(world.engine, ServerSettings(snapshot_path=snapshots, snapshot_min_rows=0))) as api:
        first = api.get("/api/v1/snapshot", headers=sign_in(api, "deputy01")).json()
        second = api.get("/api/v1/snapshot", headers=sign_in(api, "deputy03")).json()
        staff = api.get("/api/v1/snapshot", headers=sign_in(api, "staff01")).json()
        assert first == second and staff["url"] != first["url"]
        assert len(list(snapshots.glob("*.sqlite.xz"))) == 2
        with world.engine.begin() as conn:
            changelog.update(conn, budget_lines, {1: {"approved": 1}})
        assert api.get("/api/v1/snapshot", headers=sign_in(api, "deputy01")).json() == first  # fresh enough
    fresh = ServerSettings(snapshot_path=snapshots, snapshot_max_age=dt.timedelta(0), snapshot_min_rows=0)
    with TestClient(create_app(world.engine, fresh)) as api:
        newer = api.get("/api/v1/snapshot", headers=sign_in(api, "deputy01")).json()
    assert newer["cursor"].endswith(f".{_head(world.engine)}") and newer["url"] != first["url"]
    assert len(list(snapshots.glob("*.sqlite.xz"))) == 3  # the older ones stay while a download may resume


def test_a_download_resumes_with_range_and_carries_the_hash_as_etag(api):
    headers = sign_in(api, "staff01")
    manifest = api.get("/api/v1/snapshot", headers=headers).json()
    whole = api.get(manifest["url"], headers=headers)
    assert whole.headers["etag"] == f'"{manifest["sha256"]}"' and whole.headers["accept-ranges"] == "bytes"
    rest = api.get(manifest["url"], headers={**headers, "Range": "bytes=100-"})
    assert rest.status_code == 206
    assert rest.headers["content-range"] == f"bytes 100-{manifest['size'] - 1}/{manifest['size']}"
    assert whole.content[:100] + rest.content == whole.content


def test_a_snapshot_needs_a_signed_in_user_of_its_audience_and_epoch(api, world):
    manifest = api.get("/api/v1/snapshot", headers=sign_in(api, "staff01")).json()
    for path in ("/api/v1/snapshot", manifest["url"]):
        answer = api.get(path, headers={"BudgetWatch-Protocol": "1"})
        assert (answer.status_code, answer.json()["error"]) == (401, "not_signed_in")
    other = api.get(manifest["url"], headers=sign_in(api, "jiaotong"))
    assert (other.status_code, other.json()["error"]) == (404, "not_found")
    with world.engine.begin() as conn:
        changelog.new_epoch(conn)  # restored from a backup: the build's cursor no longer holds
    assert api.get(manifest["url"], headers=sign_in(api, "staff01")).status_code == 404
    traversal = api.get("/api/v1/snapshot/..%2F..%2Fbudgetwatch.db", headers=sign_in(api, "staff01"))
    assert traversal.status_code == 404


def test_a_server_can_leave_snapshots_out(world, tmp_path):
    with TestClient(create_app(world.engine, ServerSettings(snapshots=False, snapshot_path=tmp_path))) as api:
        answer = api.get("/api/v1/snapshot", headers=sign_in(api, "staff01"))
    assert (answer.status_code, answer.json()["error"]) == (404, "not_found")


def test_an_audience_that_sees_few_rows_pulls_pages_instead(world, tmp_path):
    folder = tmp_path / "snapshots"
    with TestClient(create_app(world.engine, ServerSettings(snapshot_path=folder))) as api:  # the default minimum
        answer = api.get("/api/v1/snapshot", headers=sign_in(api, "staff01"))
    assert (answer.status_code, answer.json()["error"]) == (404, "not_found")
    assert not folder.exists()


def test_a_pull_at_the_head_leaves_the_counts_out_only_when_the_clients_digest_matches(api, world):
    from sync.protocol import counts_digest

    headers = sign_in(api, "deputy01")
    last = {}
    cursor = None
    while not last.get("counts"):
        last = api.get("/api/v1/changes", params={"since": cursor or ""}, headers=headers).json()
        cursor = last["cursor"]
    right, wrong = counts_digest(last["counts"]), counts_digest({**last["counts"], "budget_lines": 0})
    at_head = api.get("/api/v1/changes", params={"since": cursor, "counts": right}, headers=headers).json()
    assert (at_head["tables"], at_head.get("counts")) == ({}, None)
    mismatch = api.get("/api/v1/changes", params={"since": cursor, "counts": wrong}, headers=headers).json()
    assert mismatch["counts"] == last["counts"]
    with world.engine.begin() as conn:
        changelog.update(conn, budget_lines, {1: {"approved": 7}})
    changed = api.get("/api/v1/changes", params={"since": cursor, "counts": right}, headers=headers).json()
    # A page with changes carries the digest of the counts (the client checks after applying), …
    assert changed["tables"] and "counts" not in changed and changed["counts_digest"] == right
    plain = api.get("/api/v1/changes", params={"since": cursor}, headers=headers).json()
    assert plain["counts"] == last["counts"] and "counts_digest" not in plain  # … the counts to one that asks none


def test_serve_no_snapshots_turns_them_off_for_every_worker(monkeypatch):
    monkeypatch.delenv(SNAPSHOTS_ENV, raising=False)
    assert ServerSettings.from_environment().snapshots
    monkeypatch.setenv(SNAPSHOTS_ENV, "0")  # what serve --no-snapshots sets before starting workers
    assert not ServerSettings.from_environment().snapshots
