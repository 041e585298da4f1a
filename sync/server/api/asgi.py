"""The app for ``uvicorn sync.server.api.asgi:app`` (``serve --workers N``): each worker process opens
the database named by ``BUDGETWATCH_DATABASE_URL`` (the parent process has already migrated it) and
announces the release named by ``BUDGETWATCH_CLIENT_VERSION`` / ``BUDGETWATCH_DOWNLOAD_URL``."""

from sync.server import db
from sync.server.api import create_app
from sync.server.settings import ServerSettings

app = create_app(db.make_engine(), ServerSettings.from_environment())
