"""API fuzzing (issue 13, item 1): schemathesis against the server's own OpenAPI, signed in as each role.

Every operation of ``/api/v1/openapi.json`` is called with generated requests — valid ones (positive)
and ones that break the schema (negative) — carrying a real bearer token of a deputy, a staff member
or a department. Two checks on every answer: the server never answers 5xx to anything a client can
send, and every answer matches the schema the server publishes.

A bounded run in the suite (a few examples per operation, mode and role); ``BUDGETWATCH_SLOW_TESTS=1``
runs many more. The cases run are counted in ``FUZZ_CASES`` (for the README's figures).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from sync.server.api import create_app
from tests.server.api_world import build_world, sign_in
from tests.verification.figures import count

SLOW = os.environ.get("BUDGETWATCH_SLOW_TESTS") == "1"
MAX_EXAMPLES = 200 if SLOW else 10
CHECKS = [not_a_server_error, response_schema_conformance]
ROLES = {"deputy": "deputy01", "staff": "staff01", "department": "jiaotong"}
FUZZ_CASES: dict[str, int] = {}


@pytest.fixture
def fuzz_app(server_engine):
    build_world(server_engine)
    return create_app(server_engine)


def _operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_is_fuzzed(fuzz_app):
    """The fuzz below covers every path the server publishes (a new endpoint cannot slip past it)."""
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzz_app)
    labels = {operation.label for operation in _operations(schema)}
    assert labels >= {"GET /api/v1/health", "POST /api/v1/session", "DELETE /api/v1/session",
                      "POST /api/v1/password", "GET /api/v1/changes", "GET /api/v1/tables/{table}",
                      "POST /api/v1/commands"}, labels


def _fuzz(app, operation, mode, username: str, headers: dict[str, str], label: str) -> None:
    # Signing out revokes the token it is sent with: that operation gets a fresh token per case.
    revokes = operation.label == "DELETE /api/v1/session"

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=not SLOW,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case):
        token = headers
        if revokes:
            with TestClient(app) as http:
                token = {"Authorization": sign_in(http, username)["Authorization"]}
        case.call_and_validate(headers=token, checks=CHECKS)
        FUZZ_CASES[label] = FUZZ_CASES.get(label, 0) + 1
        count("API fuzz: cases (no 5xx, answer matches its schema)")

    try:
        fuzz()
    except Unsatisfiable:
        # An operation with no parameters or body (health, sign-out) has no request that breaks its schema.
        assert mode == GenerationMode.NEGATIVE and label not in FUZZ_CASES, label


@pytest.mark.timeout(600 if SLOW else 120)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("role", sorted(ROLES))
def test_fuzz_as_role(fuzz_app, role, mode, request):
    username = ROLES[role]
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzz_app)
    with TestClient(fuzz_app) as http:
        headers = {"Authorization": sign_in(http, username)["Authorization"]}

    for operation in _operations(schema):
        _fuzz(fuzz_app, operation, mode, username, headers, f"{role}/{mode}/{operation.label}")
    count("API fuzz: operations fuzzed (per role and mode)", len(_operations(schema)))
    request.node.user_properties.append(("fuzz_cases", sum(FUZZ_CASES.values())))
