"""How a suggestion's state reads, on the server (DESIGN.md §4) and on this PC before it gets there."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from desktop.queries.thresholds import Level
from desktop.style import LEVEL_FOREGROUND, MUTED, OK_GREEN


def state_text(state: str) -> str:
    texts = {
        "draft": QCoreApplication.translate("SuggestionState", "草稿"),
        "pending": QCoreApplication.translate("SuggestionState", "待上传"),
        "uploaded": QCoreApplication.translate("SuggestionState", "已上传"),
        "rejected": QCoreApplication.translate("SuggestionState", "被退回"),
        "submitted": QCoreApplication.translate("SuggestionState", "已提交"),
        "assigned": QCoreApplication.translate("SuggestionState", "已交办"),
        "accepted": QCoreApplication.translate("SuggestionState", "办理中"),
        "replied": QCoreApplication.translate("SuggestionState", "已答复"),
        "closed": QCoreApplication.translate("SuggestionState", "已办结"),
        "reopened": QCoreApplication.translate("SuggestionState", "重新办理"),
        "declined": QCoreApplication.translate("SuggestionState", "不予立案"),
        "merged": QCoreApplication.translate("SuggestionState", "已合并"),
    }
    return texts.get(state, state)


def state_colour(state: str) -> QColor | None:
    """Text colour of a state: red where the deputy must act, grey while it waits on this PC."""
    if state in ("rejected", "declined"):
        return LEVEL_FOREGROUND[Level.RED]
    if state in ("draft", "pending", "uploaded"):
        return QColor(MUTED)
    if state == "closed":
        return QColor(OK_GREEN)
    return None


OPEN_STATES = ("submitted", "assigned", "accepted", "reopened")
NEW_STATES = ("submitted", "reopened")  # waiting for staff: the inbox
DUE_SOON_DAYS = 7


def deadline_level(state: str, deadline: dt.date | None, server_date: dt.date | None) -> Level | None:
    """Red once an open suggestion is past its deadline, yellow within a week of it — by the server's date
    (DESIGN.md §5 建议办理超期), never the PC's clock."""
    if server_date is None or deadline is None or state not in OPEN_STATES:
        return None
    if deadline < server_date:
        return Level.RED
    return Level.YELLOW if (deadline - server_date).days <= DUE_SOON_DAYS else None
