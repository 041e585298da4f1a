"""The app for ``uvicorn sync.server.api.asgi:app`` (``serve --workers N``): each worker process opens
the database named by ``BUDGETWATCH_DATABASE_URL`` (the parent process has already migrated it)."""

from sync.server import db
from sync.server.api import create_app

app = create_app(db.make_engine())
