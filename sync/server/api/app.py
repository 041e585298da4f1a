"""The district server's HTTP application (docs/protocol.md is the behaviour, OpenAPI the fields)."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.middleware.gzip import GZipMiddleware

from sync.server import changelog
from sync.server.api import attachments, changes, commands, health, session, snapshot
from sync.server.api.body_limit import BodySizeLimit
from sync.server.api.errors import install_error_handlers
from sync.server.pull import CountsCache
from sync.server.scope import ViewerCache
from sync.server.settings import ServerSettings
from sync.server.snapshot import SnapshotStore
from sync.version import installed_version

PREFIX = "/api/v1"
#: Answers smaller than this go uncompressed: gzip would save next to nothing.
GZIP_MINIMUM_BYTES = 256  # a one-row page compresses; a no-change page (~150 B) would only grow
#: A 5000-row page compresses 6.5× at level 5 in 6 ms, and only 6 % smaller at level 9 in 45 ms.
GZIP_LEVEL = 5


def create_app(engine: Engine, settings: ServerSettings | None = None) -> FastAPI:
    """The API on a migrated database (``budgetwatch-server serve`` runs it with uvicorn)."""
    with engine.begin() as conn:
        changelog.epoch(conn)  # created now, so that pulls can stay read-only transactions
    app = FastAPI(title="预算联网监督 区级服务器", version=installed_version(),
                  description="同步协议见 docs/protocol.md。", openapi_url=f"{PREFIX}/openapi.json",
                  docs_url=f"{PREFIX}/docs", redoc_url=None)
    app.state.engine = engine
    app.state.settings = settings or ServerSettings()
    app.state.counts = CountsCache()
    app.state.viewers = ViewerCache()
    settings = app.state.settings
    app.state.snapshots = SnapshotStore(settings.snapshot_root(), max_age=settings.snapshot_max_age,
                                        min_rows=settings.snapshot_min_rows)
    install_error_handlers(app)
    for module in (health, session, changes, commands, attachments, snapshot):
        app.include_router(module.router, prefix=PREFIX)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=GZIP_LEVEL)
    app.add_middleware(BodySizeLimit, max_bytes=app.state.settings.max_body_bytes)
    return app
