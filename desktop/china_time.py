"""Times as the district reads them: China Standard Time (UTC+8, no daylight saving).

The replica stores timestamps in UTC without an offset (SQLite keeps none); the server's own
timestamps (``server_time``) carry theirs. Either way a deputy sees Beijing time.
"""

from __future__ import annotations

import datetime as dt

CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "CST")


def in_china_time(value: dt.datetime) -> dt.datetime:
    """A replica timestamp (naive = UTC) or an offset-carrying one, in China Standard Time."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(CHINA_TIME)


def format_minute(value: dt.datetime | str | None) -> str:
    """``2026-11-29 22:00`` (Beijing time); an ISO string is parsed first."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return in_china_time(moment).strftime("%Y-%m-%d %H:%M")
