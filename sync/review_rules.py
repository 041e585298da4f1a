"""What each automatic review rule's thresholds measure, and their defaults (``resources/domain/review_rules.toml``).

Shared by the server (the defaults a new server starts with, the checks on ``threshold.set``) and the
desktop (the defaults it uses until the server has sent its own, how a figure is compared).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import resources
from sync.schema import REVIEW_RULES

FEN_PER_WAN_YUAN = 1_000_000
FIGURES = ("points", "percent", "months", "days")
#: The largest threshold that makes sense for each kind of figure, and whether it is a whole number.
FIGURE_LIMITS: dict[str, tuple[Decimal, bool]] = {
    "points": (Decimal(100), False), "percent": (Decimal(1000), False), "months": (Decimal(12), True),
    "days": (Decimal(3650), True),
}


@dataclass(frozen=True)
class RuleDefinition:
    rule: str
    figure: str  # what the thresholds measure: points | percent | months | days
    strictly_above: bool  # fires above the threshold (True) or at it already (False)
    yellow: Decimal | None
    red: Decimal | None
    min_amount: int  # fen


@cache
def rule_definitions() -> dict[str, RuleDefinition]:
    text = resources.path("domain", "review_rules.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text, parse_float=Decimal)
    found = {rule: _definition(rule, values) for rule, values in data.items()}
    assert tuple(found) == REVIEW_RULES, "review_rules.toml must list every rule of sync.schema, in order"
    return found


def _definition(rule: str, values: dict) -> RuleDefinition:
    assert values["figure"] in FIGURES and values["fires"] in ("above", "at_least"), rule

    def level(name: str) -> Decimal | None:
        return Decimal(values[name]) if name in values else None

    return RuleDefinition(rule, values["figure"], values["fires"] == "above", level("yellow"), level("red"),
                          int(Decimal(values["min_wan"]) * FEN_PER_WAN_YUAN))
