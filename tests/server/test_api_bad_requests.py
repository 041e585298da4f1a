"""Nothing a client sends gets a 5xx: a table of bad requests per endpoint, each a 4xx with the error body,
and none writes anything. (The test client re-raises any exception the server did not answer, so a
request that reached the catch-all 500 handler fails here loudly.)"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select

from sync.schema import auth_tokens, command_results, credentials, sign_in_failures
from sync.server import changelog
from tests.server.api_world import PASSWORD, sign_in, submit_command

MIB = 1024 * 1024
FORGED = {"Authorization": "Bearer " + "A" * 43}


@dataclass(frozen=True)
class Bad:
    """One bad request: what is sent, and the status and error code it must get."""

    method: str
    path: str
    status: int
    error: str
    json: Any = None
    content: bytes | Chunked | None = None
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    signed_in: bool = True


@dataclass(frozen=True)
class Chunked:
    """A body sent without Content-Length (chunked), over ``total`` bytes; it can be sent again."""

    total: int

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.total // 65536 + 1):
            yield b" " * 65536


def commands_with(**change: Any) -> dict:
    return {"commands": [{**submit_command("deputy01"), **change}]}


JSON = {"Content-Type": "application/json"}
SIGN_IN = {"username": "deputy01", "password": PASSWORD, "device_id": "pc-1"}

CASES: dict[str, list[Bad]] = {
    "routing": [
        Bad("GET", "/api/v1/nowhere", 404, "not_found"),
        Bad("GET", "/", 404, "not_found"),
        Bad("PATCH", "/api/v1/session", 405, "method_not_allowed"),
        Bad("POST", "/api/v1/health", 405, "method_not_allowed"),
        Bad("PUT", "/api/v1/changes", 413, "too_large", content=b"x" * (2 * MIB)),
    ],
    "sign_in": [
        Bad("POST", "/api/v1/session", 400, "bad_request", content=b'{"username": ', headers=JSON),
        Bad("POST", "/api/v1/session", 400, "bad_request", content=b"username=a&password=b"),
        Bad("POST", "/api/v1/session", 400, "bad_request", json=[SIGN_IN]),
        Bad("POST", "/api/v1/session", 400, "bad_request", json={"username": "deputy01"}),
        Bad("POST", "/api/v1/session", 400, "bad_request", json={**SIGN_IN, "remember": True}),
        Bad("POST", "/api/v1/session", 400, "bad_request", json={**SIGN_IN, "username": 5}),
        Bad("POST", "/api/v1/session", 400, "bad_request", json={**SIGN_IN, "username": ""}),
        Bad("POST", "/api/v1/session", 400, "bad_request", json={**SIGN_IN, "username": "u" * 65}),
        Bad("POST", "/api/v1/session", 400, "bad_request", json={**SIGN_IN, "username": "deputy\x0001"}),
        Bad("POST", "/api/v1/session", 400, "bad_request", content=b'{"username":"\\ud800","password":"p",'
                                                                    b'"device_id":"d"}', headers=JSON),
        Bad("POST", "/api/v1/session", 400, "bad_request", content=b"[" * 100_000, headers=JSON),
        Bad("POST", "/api/v1/session", 400, "bad_request", content=b'{"username":' + b"9" * 5000 + b"}", headers=JSON),
        Bad("POST", "/api/v1/session", 413, "too_large", content=b" " * (MIB + 1), headers=JSON),
        Bad("POST", "/api/v1/session", 413, "too_large", content=Chunked(MIB), headers=JSON),
        Bad("POST", "/api/v1/session", 400, "bad_request", json=SIGN_IN, headers={"BudgetWatch-Protocol": "eins"}),
        Bad("POST", "/api/v1/session", 426, "client_outdated", json=SIGN_IN, headers={"BudgetWatch-Protocol": "7"}),
    ],
    "sign_out": [
        Bad("DELETE", "/api/v1/session", 401, "not_signed_in", signed_in=False),
        Bad("DELETE", "/api/v1/session", 401, "not_signed_in", signed_in=False, headers=FORGED),
        Bad("DELETE", "/api/v1/session", 401, "not_signed_in", signed_in=False,
            headers={"Authorization": "Basic ZGVwdXR5MDE6cGFzc3dvcmQ="}),
        Bad("DELETE", "/api/v1/session", 401, "not_signed_in", signed_in=False, headers={"Authorization": "Bearer"}),
        Bad("DELETE", "/api/v1/session", 413, "too_large", content=b"x" * (MIB + 1)),
    ],
    "password": [
        Bad("POST", "/api/v1/password", 401, "not_signed_in", signed_in=False,
            json={"current_password": PASSWORD, "new_password": "另一个密码123"}),
        Bad("POST", "/api/v1/password", 400, "bad_request", json={"new_password": "另一个密码123"}),
        Bad("POST", "/api/v1/password", 400, "bad_request",
            json={"current_password": PASSWORD, "new_password": "另一个密码123", "confirm": "另一个密码123"}),
        Bad("POST", "/api/v1/password", 400, "bad_request", json={"current_password": PASSWORD, "new_password": None}),
        Bad("POST", "/api/v1/password", 400, "bad_request",
            json={"current_password": PASSWORD, "new_password": "新\x00密码12345"}),
        Bad("POST", "/api/v1/password", 400, "bad_request", json={"current_password": PASSWORD, "new_password": "短"}),
    ],
    "changes": [
        Bad("GET", "/api/v1/changes", 401, "not_signed_in", signed_in=False),
        Bad("GET", "/api/v1/changes", 401, "not_signed_in", signed_in=False, headers=FORGED),
        *(Bad("GET", "/api/v1/changes", 400, "bad_request", params={"since": since})
          for since in ("not-a-cursor", "abc.", ".12", "e.1.x", "epoch.-1", "x" * 100)),
        Bad("GET", "/api/v1/changes", 400, "bad_request", params={"since": "abc.1\x00"}),
        Bad("GET", "/api/v1/changes", 400, "bad_request", params={"since": "9" * 5000}),
        Bad("GET", "/api/v1/changes", 400, "bad_request", params={"limit": 0}),
        Bad("GET", "/api/v1/changes", 400, "bad_request", params={"limit": 5001}),
        Bad("GET", "/api/v1/changes", 400, "bad_request", params={"limit": "1e3"}),
        Bad("GET", "/api/v1/changes", 400, "bad_request", params={"limit": "9" * 40}),
        Bad("GET", "/api/v1/changes", 426, "client_outdated", headers={"BudgetWatch-Protocol": "0"}),
        Bad("GET", "/api/v1/changes", 400, "bad_request", headers={"BudgetWatch-Protocol": "9" * 40}),
    ],
    "tables": [
        Bad("GET", "/api/v1/tables/credentials", 400, "bad_request"),
        Bad("GET", "/api/v1/tables/changelog", 400, "bad_request"),
        Bad("GET", "/api/v1/tables/..%2Fusers", 404, "not_found"),
        Bad("GET", "/api/v1/tables/budget_lines", 400, "bad_request", params={"after": "abc"}),
        Bad("GET", "/api/v1/tables/budget_lines", 400, "bad_request", params={"after": "9" * 30}),
        Bad("GET", "/api/v1/tables/suggestions", 400, "bad_request", params={"after": "a\x00b"}),
        Bad("GET", "/api/v1/tables/suggestions", 400, "bad_request", params={"after": "x" * 65}),
        Bad("GET", "/api/v1/tables/regions", 400, "bad_request", params={"limit": -1}),
        Bad("GET", "/api/v1/tables/regions", 401, "not_signed_in", signed_in=False, headers=FORGED),
    ],
    "commands": [
        Bad("POST", "/api/v1/commands", 401, "not_signed_in", signed_in=False, json=commands_with()),
        Bad("POST", "/api/v1/commands", 400, "bad_request", content=b'{"commands": [', headers=JSON),
        Bad("POST", "/api/v1/commands", 400, "bad_request", json={"commands": {}}),
        Bad("POST", "/api/v1/commands", 400, "bad_request", json={"commands": [], "force": True}),
        Bad("POST", "/api/v1/commands", 400, "bad_request", json={"commands": [submit_command("deputy01")] * 201}),
        Bad("POST", "/api/v1/commands", 400, "bad_request", json=commands_with(id="not-a-uuid")),
        Bad("POST", "/api/v1/commands", 400, "bad_request", json=commands_with(payload="title")),
        Bad("POST", "/api/v1/commands", 400, "bad_request", json=commands_with(author=None)),
        Bad("POST", "/api/v1/commands", 400, "bad_request", json=commands_with(type="t" * 33)),
        Bad("POST", "/api/v1/commands", 400, "bad_request", json=commands_with(created_at="yesterday")),
        Bad("POST", "/api/v1/commands", 400, "bad_request", json=commands_with(priority=1)),
        Bad("POST", "/api/v1/commands", 400, "bad_request", json=commands_with(author="deputy\x0001")),
        Bad("POST", "/api/v1/commands", 413, "too_large",
            json=commands_with(payload={"title": "长" * MIB, "suggestion_id": str(uuid.uuid4())})),
        Bad("POST", "/api/v1/commands", 426, "client_outdated", json=commands_with(),
            headers={"BudgetWatch-Protocol": "0"}),
    ],
}


def written(engine) -> tuple[int, ...]:
    """Everything a bad request could have changed."""
    with engine.connect() as conn:
        counts = [conn.execute(select(func.count()).select_from(t)).scalar()
                  for t in (command_results, auth_tokens, sign_in_failures)]
        changed = conn.execute(select(func.max(credentials.c.changed_at))).scalar()
        return (changelog.head(conn), *counts, changed)


@pytest.mark.parametrize("endpoint", CASES)
def test_bad_requests_get_a_4xx_error_body_and_change_nothing(api, world, endpoint):
    token = sign_in(api, "deputy01")
    before = written(world.engine)
    for bad in CASES[endpoint]:
        headers = {**(token if bad.signed_in else {"BudgetWatch-Protocol": "1"}), **bad.headers}
        content = bad.content if bad.json is None else json.dumps(bad.json).encode()
        if bad.json is not None:
            headers.setdefault("Content-Type", "application/json")
        response = api.request(bad.method, bad.path, params=bad.params, headers=headers, content=content)
        body = response.json()
        assert (response.status_code, body.get("error")) == (bad.status, bad.error), (bad, body)
        assert set(body) - {"download_url"} == {"error", "message", "detail"}, body
        assert body["message"] and body["message"].isascii() is False, body
        if bad.status == 426:
            assert "download_url" in body
    assert written(world.engine) == before


def test_the_openapi_document_describes_every_route_and_its_errors(api):
    spec = api.get("/api/v1/openapi.json").json()
    assert set(spec["paths"]) == {"/api/v1/health", "/api/v1/session", "/api/v1/password", "/api/v1/changes",
                                  "/api/v1/tables/{table}", "/api/v1/commands", "/api/v1/attachments/uploads",
                                  "/api/v1/attachments/uploads/{key}", "/api/v1/attachments/uploads/{key}/complete",
                                  "/api/v1/attachments/{key}/content", "/api/v1/snapshot", "/api/v1/snapshot/{name}"}
    changes = spec["paths"]["/api/v1/changes"]["get"]["responses"]
    assert changes["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ChangesPage"}
    assert changes["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
