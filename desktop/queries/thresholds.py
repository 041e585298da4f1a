"""Warning levels (yellow 提示 / red 预警) and the thresholds staff set on the server (DESIGN.md §5)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from sqlalchemy import Connection, select

from sync.schema import review_thresholds


class Level(Enum):
    YELLOW = "yellow"
    RED = "red"


@dataclass(frozen=True)
class Thresholds:
    """A figure (a lag in points, a deviation in %) at or above ``yellow`` is 提示, at or above ``red`` 预警."""

    yellow: Decimal | None  # a rule with one level keeps it in ``red`` (预警), as the server does
    red: Decimal | None

    def level(self, figure: Decimal | None) -> Level | None:
        if figure is None:
            return None
        if self.red is not None and figure >= self.red:
            return Level.RED
        if self.yellow is not None and figure >= self.yellow:
            return Level.YELLOW
        return None


#: The defaults of DESIGN.md §5, used until the server has sent its own.
DEFAULT_THRESHOLDS = {
    "execution_lag": Thresholds(Decimal(5), Decimal(10)),
    "livelihood_payment_lag": Thresholds(Decimal(5), Decimal(10)),
    "project_lag": Thresholds(Decimal(10), Decimal(20)),
    "policy_disbursement_lag": Thresholds(Decimal(10), Decimal(20)),
    "final_deviation": Thresholds(Decimal(10), Decimal(20)),
    "paid_ahead_of_work": Thresholds(None, Decimal(30)),
}


def thresholds(conn: Connection, rule: str) -> Thresholds:
    default = DEFAULT_THRESHOLDS[rule]
    row = conn.execute(select(review_thresholds.c.yellow, review_thresholds.c.red)
                       .where(review_thresholds.c.rule == rule)).first()
    if row is None:
        return default
    return Thresholds(
        Decimal(row.yellow) if row.yellow is not None else default.yellow,
        Decimal(row.red) if row.red is not None else default.red,
    )
