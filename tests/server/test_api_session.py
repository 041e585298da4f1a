"""Sign-in, tokens, lock-out, password changes and the version handshake (POST/DELETE /session, /password)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sync.schema import activities, auth_tokens, command_results, sign_in_failures
from sync.server import accounts, sessions
from sync.server.api import ServerSettings, create_app
from tests.server.api_world import PASSWORD, USERS, sign_in, submit_command

NEW_PASSWORD = "新的密码Abc123"


class Clock:
    """The server's idea of now, moved by the test."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 29, 14, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch) -> None:
    """Password changes and resets hash with argon2's cheapest parameters here (verifying reads them from the hash)."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(sessions, "utcnow", clock)
    return clock


def attempt(api, username: str, password: str, *, address: str | None = None):
    client = api if address is None else TestClient(api.app, client=(address, 40000))
    return client.post("/api/v1/session", json={"username": username, "password": password, "device_id": "pc-1"})


def pull_status(api, headers: dict[str, str]) -> int:
    return api.get("/api/v1/changes", headers=headers).status_code


def token_row(engine, headers: dict[str, str]):
    digest = hashlib.sha256(headers["Authorization"].removeprefix("Bearer ").encode()).hexdigest()
    with engine.connect() as conn:
        return conn.execute(select(auth_tokens).where(auth_tokens.c.token_hash == digest)).one()


def test_health_needs_no_sign_in_and_tells_the_versions(api):
    health = api.get("/api/v1/health").json()
    assert health["protocol"] == {"min": 1, "max": 2}
    assert health["schema_version"] == 1 and health["epoch"]
    assert health["server_time"].endswith("+08:00")


def test_sign_in_gives_a_token_whose_hash_alone_is_stored(api, world):
    response = attempt(api, "deputy01", PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {"id": world.user_ids["deputy01"], "username": "deputy01", "display_name": "测试deputy01",
                            "role": "deputy", "region_code": USERS["deputy01"][1], "department_code": None}
    assert body["must_change_password"] is False
    assert dt.datetime.fromisoformat(body["expires_at"]) > dt.datetime.now(dt.UTC) + dt.timedelta(days=29)
    row = token_row(world.engine, {"Authorization": f"Bearer {body['token']}"})
    assert (row.device_id, row.revoked_at) == ("pc-1", None)
    assert body["token"] not in row.token_hash


def test_signing_in_is_not_an_activity_the_desktop_reports_sessions_itself(api, world):
    def sign_ins() -> int:
        with world.engine.connect() as conn:
            return conn.execute(select(func.count()).where(activities.c.kind == "sign_in")).scalar()

    before = sign_ins()
    sign_in(api, "deputy01")
    assert sign_ins() == before


def test_a_wrong_username_or_password_gets_the_same_answer(api):
    for username, password in (("deputy01", "错误的密码123"), ("nobody", PASSWORD)):
        response = attempt(api, username, password)
        assert response.status_code == 401
        assert response.json() == {"error": "bad_credentials", "message": "用户名或密码不正确", "detail": None}


def test_five_failures_lock_that_username_from_that_address_for_five_minutes(api, world, clock):
    for _ in range(5):
        assert attempt(api, "deputy01", "错误的密码123").status_code == 401
    locked = attempt(api, "deputy01", PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["error"] == "locked"
    assert 290 <= int(locked.headers["Retry-After"]) <= 300
    # The deputy at their own PC, and other users here, are not locked out.
    assert attempt(api, "deputy01", PASSWORD, address="10.0.0.7").status_code == 200
    assert attempt(api, "deputy02", PASSWORD).status_code == 200
    # Attempts during the lock do not extend it; after it, the right password works.
    clock.advance(minutes=4)
    assert attempt(api, "deputy01", "错误的密码123").status_code == 429
    clock.advance(minutes=1, seconds=1)
    assert attempt(api, "deputy01", PASSWORD).status_code == 200


def test_old_failures_are_forgotten(api, world, clock):
    for _ in range(4):
        attempt(api, "deputy01", "错误的密码123")
    clock.advance(minutes=6)
    attempt(api, "deputy01", "错误的密码123")
    with world.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(sign_in_failures)).scalar() == 1
    assert attempt(api, "deputy01", PASSWORD).status_code == 200


def test_a_disabled_user_cannot_sign_in_and_their_tokens_stop_working(api, world):
    headers = sign_in(api, "deputy02")
    with world.engine.begin() as conn:
        accounts.disable_user(conn, "deputy02")
    assert pull_status(api, headers) == 401
    response = attempt(api, "deputy02", PASSWORD)
    assert (response.status_code, response.json()["error"]) == (401, "bad_credentials")


def test_the_admin_account_cannot_sign_in_to_the_api(api):
    assert attempt(api, "admin", PASSWORD).status_code == 401


def test_sign_out_revokes_only_that_token(api):
    first, second = sign_in(api, "deputy01"), sign_in(api, "deputy01")
    assert api.delete("/api/v1/session", headers=first).status_code == 204
    assert pull_status(api, first) == 401
    assert api.get("/api/v1/changes", headers=first).json()["error"] == "not_signed_in"
    assert pull_status(api, second) == 200


def test_a_token_expires_after_thirty_days_unused(api, clock):
    headers = sign_in(api, "deputy01")
    clock.advance(days=30, seconds=1)
    assert pull_status(api, headers) == 401


def test_a_token_in_use_is_renewed_once_half_its_life_is_gone(api, world, clock):
    headers = sign_in(api, "deputy01")
    issued = sessions.as_utc(token_row(world.engine, headers).expires_at)
    clock.advance(days=10)
    assert pull_status(api, headers) == 200
    assert sessions.as_utc(token_row(world.engine, headers).expires_at) == issued  # not written every request
    clock.advance(days=6)
    assert pull_status(api, headers) == 200
    assert sessions.as_utc(token_row(world.engine, headers).expires_at) == clock.now + dt.timedelta(days=30)
    clock.advance(days=29)
    assert pull_status(api, headers) == 200


def test_after_an_admin_reset_the_token_only_changes_the_password(api, world):
    with world.engine.begin() as conn:
        accounts.reset_password(conn, "deputy01", "临时密码12345")
    response = attempt(api, "deputy01", "临时密码12345")
    assert response.json()["must_change_password"] is True
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    for blocked in (api.get("/api/v1/changes", headers=headers), api.get("/api/v1/tables/regions", headers=headers),
                    api.post("/api/v1/commands", headers=headers, json={"commands": []})):
        assert (blocked.status_code, blocked.json()["error"]) == (403, "password_change_required")

    change = {"current_password": "临时密码12345", "new_password": NEW_PASSWORD}
    assert api.post("/api/v1/password", headers=headers, json=change).status_code == 204
    assert pull_status(api, headers) == 200
    assert attempt(api, "deputy01", NEW_PASSWORD).json()["must_change_password"] is False


def test_changing_the_password_signs_out_the_other_devices(api):
    here, elsewhere = sign_in(api, "deputy01"), sign_in(api, "deputy01")
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert api.post("/api/v1/password", headers=here, json=change).status_code == 204
    assert (pull_status(api, here), pull_status(api, elsewhere)) == (200, 401)
    assert attempt(api, "deputy01", PASSWORD).status_code == 401
    assert attempt(api, "deputy01", NEW_PASSWORD).status_code == 200


def test_a_refused_password_change_changes_nothing(api):
    headers = sign_in(api, "deputy01")
    for current, new, status, error in (("错误的密码123", NEW_PASSWORD, 401, "bad_credentials"),
                                        (PASSWORD, "短", 400, "bad_request"),
                                        (PASSWORD, PASSWORD, 400, "bad_request")):
        change = {"current_password": current, "new_password": new}
        response = api.post("/api/v1/password", headers=headers, json=change)
        assert (response.status_code, response.json()["error"]) == (status, error)
    assert pull_status(api, headers) == 200
    assert attempt(api, "deputy01", PASSWORD).status_code == 200


def test_a_client_outside_the_protocol_range_is_told_to_update_and_nothing_is_applied(world):
    settings = ServerSettings(download_url="https://rd.example.gov.cn/budgetwatch/setup.exe")
    with TestClient(create_app(world.engine, settings)) as api:
        for version in ("0", "3", "99"):
            headers = {**sign_in(api, "deputy01"), "BudgetWatch-Protocol": version}
            for response in (api.get("/api/v1/changes", headers=headers),
                             api.post("/api/v1/commands", headers=headers,
                                      json={"commands": [submit_command("deputy01")]})):
                assert response.status_code == 426
                body = response.json()
                assert (body["error"], body["download_url"]) == ("client_outdated", settings.download_url)
                assert body["detail"] == {"client": int(version), "min": 1, "max": 2}
            assert api.get("/api/v1/health", headers=headers).status_code == 200
    with world.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(command_results)).scalar() == 0
