"""``threshold.set``: staff change a review rule's thresholds, and every client gets them with its next sync.

Thresholds are district-wide data (DESIGN.md §5), so only staff of a district or the city may set
them, not a township's 人大工委. A rule is switched off by storing no level at all (``yellow`` and
``red`` both null): the ``review_thresholds`` table needs no column of its own for it, and a client
of any version reads "no level" as "never fires".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import Field, field_validator
from sqlalchemy import Connection, select

from sync.review_rules import FIGURE_LIMITS, rule_definitions
from sync.schema import REVIEW_RULES, regions, review_thresholds
from sync.server import changelog
from sync.server.commands import Actor, CommandRejected, command
from sync.server.validation import StrictModel

#: Money columns are BIGINT fen; a minimum above a trillion yuan is a typing mistake.
MAX_MIN_AMOUNT = 10**14


class SetThreshold(StrictModel):
    rule: str = Field(max_length=32)
    yellow: Decimal | None = None
    red: Decimal | None = None
    min_amount: int = Field(0, ge=0, le=MAX_MIN_AMOUNT, description="fen")
    enabled: bool = True

    @field_validator("yellow", "red", mode="before")
    @classmethod
    def _decimal_text(cls, value: Any) -> Any:
        # Decimals travel as strings (docs/protocol.md): a JSON float may already have lost a digit.
        if isinstance(value, float | bool):
            raise ValueError("应为字符串形式的数字，如 \"5\" 或 \"7.5\"")
        return value


def _check_levels(payload: SetThreshold) -> None:
    if payload.rule not in REVIEW_RULES:
        raise CommandRejected(f"没有名为 {payload.rule!r} 的审查规则")
    if not payload.enabled:
        return
    if payload.yellow is None and payload.red is None:
        raise CommandRejected("启用的规则至少要有提示线或预警线之一")
    most, whole = FIGURE_LIMITS[rule_definitions()[payload.rule].figure]
    for name, value in (("提示线", payload.yellow), ("预警线", payload.red)):
        if value is None:
            continue
        if not 0 <= value <= most:
            raise CommandRejected(f"{name}应在 0 到 {most} 之间")
        if value != value.quantize(Decimal(1) if whole else Decimal("0.01")):
            raise CommandRejected(f"{name}应为整数" if whole else f"{name}最多两位小数")
    if payload.yellow is not None and payload.red is not None and payload.yellow > payload.red:
        raise CommandRejected("提示线不能高于预警线")


def _check_actor(conn: Connection, actor: Actor) -> None:
    level = conn.execute(select(regions.c.level).where(regions.c.code == actor.region_code)).scalar_one_or_none()
    if level not in ("district", "city"):
        raise CommandRejected("审查阈值由区（市）人大工作机构设置，乡镇（街道）不能修改")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


@command("threshold.set", SetThreshold, roles=("staff",))
def set_threshold(conn: Connection, actor: Actor, payload: SetThreshold, now: dt.datetime) -> dict[str, Any]:
    """Store one rule's levels and minimum amount; switched off, the levels are stored empty."""
    _check_levels(payload)
    _check_actor(conn, actor)
    yellow, red = (payload.yellow, payload.red) if payload.enabled else (None, None)
    values = {"yellow": yellow, "red": red, "min_amount": payload.min_amount, "updated_at": now}
    exists = conn.execute(select(review_thresholds.c.rule).where(review_thresholds.c.rule == payload.rule)).first()
    if exists:
        changelog.update(conn, review_thresholds, {payload.rule: values})
    else:
        changelog.insert(conn, review_thresholds, [{"rule": payload.rule, **values}])
    return {"rule": payload.rule, "yellow": _text(yellow), "red": _text(red), "min_amount": payload.min_amount,
            "enabled": payload.enabled}
