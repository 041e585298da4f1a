"""A deputy's use of the system (DESIGN.md §2 activity): the basis of the duty assessment report."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Connection

from sync.schema import activities
from sync.server import changelog


def record_activity(conn: Connection, *, user_id: int, region_code: str, kind: str, at: dt.datetime,
                    detail: str | None = None) -> None:
    """Append one activity row (replicated, so it reaches the user's and staff's replicas)."""
    changelog.insert(conn, activities, [{
        "id": str(uuid.uuid4()), "user_id": user_id, "region_code": region_code, "at": at, "kind": kind,
        "detail": detail[:200] if detail else None,
    }])
