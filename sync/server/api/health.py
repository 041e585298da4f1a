"""``GET /health``: whether the server is up, and what it speaks. No sign-in, no version check."""

from __future__ import annotations

from fastapi import APIRouter

from sync.schema import SCHEMA_VERSION
from sync.server import changelog
from sync.server.api.dependencies import Database, Settings
from sync.server.api.models import Health, ProtocolRange
from sync.server.db import read_transaction
from sync.server.pull import PROTOCOL_RANGE, server_time
from sync.version import installed_version

router = APIRouter(tags=["服务器"])


@router.get("/health", response_model=Health, summary="服务器状态与版本")
def health(database: Database, settings: Settings) -> Health:
    with read_transaction(database) as conn:
        epoch = changelog.epoch(conn)
    return Health(server_version=installed_version(), protocol=ProtocolRange(**PROTOCOL_RANGE),
                  schema_version=SCHEMA_VERSION, epoch=epoch, server_time=server_time(),
                  latest_client=settings.latest_client())
