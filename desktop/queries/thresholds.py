"""Warning levels (yellow 提示 / red 预警) and the thresholds staff set on the server (DESIGN.md §5).

A rule's row in the replicated ``review_thresholds`` table is used as it stands: a level left empty
(null) does not exist, and a row with neither level switches the rule off. Until the server has sent a
row, the defaults of ``resources/domain/review_rules.toml`` apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from sqlalchemy import Connection, select

from sync.review_rules import rule_definitions
from sync.schema import review_thresholds


class Level(Enum):
    YELLOW = "yellow"
    RED = "red"


@dataclass(frozen=True)
class Thresholds:
    """A figure (a lag in points, a deviation in %) past ``yellow`` is 提示, past ``red`` 预警.

    "Past" is "above" for a rule whose DESIGN wording is strict ("< time progress − N pp", "any
    increase") and "at or above" for the others ("≥ N %").
    """

    yellow: Decimal | None  # a rule with one level keeps it in ``red`` (预警), as the server does
    red: Decimal | None
    min_amount: int = 0  # fen: smaller subjects are not judged
    strictly_above: bool = False

    @property
    def enabled(self) -> bool:
        return self.yellow is not None or self.red is not None

    @property
    def lowest(self) -> Decimal | None:
        """The level a figure must pass to be a warning at all (``None``: the rule is off)."""
        levels = [level for level in (self.yellow, self.red) if level is not None]
        return min(levels) if levels else None

    def passes(self, figure: Decimal, threshold: Decimal | None) -> bool:
        if threshold is None:
            return False
        return figure > threshold if self.strictly_above else figure >= threshold

    def level(self, figure: Decimal | None) -> Level | None:
        if figure is None:
            return None
        if self.passes(figure, self.red):
            return Level.RED
        if self.passes(figure, self.yellow):
            return Level.YELLOW
        return None


def default_thresholds(rule: str) -> Thresholds:
    definition = rule_definitions()[rule]
    return Thresholds(definition.yellow, definition.red, definition.min_amount, definition.strictly_above)


def all_thresholds(conn: Connection) -> dict[str, Thresholds]:
    """Every rule's thresholds: the server's row where there is one, else the default."""
    rows = {row.rule: row for row in conn.execute(select(review_thresholds))}
    found = {}
    for rule, definition in rule_definitions().items():
        row = rows.get(rule)
        found[rule] = default_thresholds(rule) if row is None else Thresholds(
            _decimal(row.yellow), _decimal(row.red), row.min_amount or 0, definition.strictly_above)
    return found


def thresholds(conn: Connection, rule: str) -> Thresholds:
    return all_thresholds(conn)[rule]


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)
