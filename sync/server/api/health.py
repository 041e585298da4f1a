"""``GET /health``: whether the server is up, and what it speaks. No sign-in, no version check."""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter

from sync.schema import SCHEMA_VERSION
from sync.server import changelog
from sync.server.api.dependencies import Database
from sync.server.api.models import Health, ProtocolRange
from sync.server.db import read_transaction
from sync.server.pull import PROTOCOL_RANGE, server_time

router = APIRouter(tags=["服务器"])


@functools.cache
def server_version() -> str:
    try:
        return version("budgetwatch")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


@router.get("/health", response_model=Health, summary="服务器状态与版本")
def health(database: Database) -> Health:
    with read_transaction(database) as conn:
        epoch = changelog.epoch(conn)
    return Health(server_version=server_version(), protocol=ProtocolRange(**PROTOCOL_RANGE),
                  schema_version=SCHEMA_VERSION, epoch=epoch, server_time=server_time())
