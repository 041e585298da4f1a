"""Fixtures of the HTTP API tests (tests/server/test_api_*.py): a small district and a client on it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sync.server.api import create_app
from tests.server.api_world import World, build_world


@pytest.fixture
def world(server_engine) -> World:
    return build_world(server_engine)


@pytest.fixture
def api(world) -> TestClient:
    """The API on :func:`world`'s database, called in-process."""
    with TestClient(create_app(world.engine)) as client:
        yield client
