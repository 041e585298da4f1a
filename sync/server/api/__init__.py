"""The district server's HTTP API under ``/api/v1/`` (docs/protocol.md)."""

from sync.server.api.app import create_app
from sync.server.settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]
