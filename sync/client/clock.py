"""The only place the client reads its own wall clock.

Nothing that matters depends on it (DESIGN.md §3.1): ordering comes from the outbox's sequence and the
server's cursor, durations from ``time.monotonic``, "last synced" from the server's time. The client's
clock only stamps informational fields (a command's ``created_at``, log lines), and a test checks
that no other module of ``sync.client`` reads the wall clock.
"""

from __future__ import annotations

import datetime as dt


def wall_clock_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).astimezone()
