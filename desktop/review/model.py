"""What a review produces — warnings with their subject, figures and link — and what it is judged against.

No Qt here: the headless ``budgetwatch review`` and the desktop's 预警 dock share these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from desktop.queries.thresholds import Level

_TENTH = Decimal("0.1")


class Unit(Enum):
    """What a figure counts; money is fen here and 万元 wherever a person reads it."""

    FEN = "fen"
    PERCENT = "percent"
    POINTS = "points"  # percentage points
    MONTHS = "months"
    DAYS = "days"


@dataclass(frozen=True)
class Figure:
    name: str  # an identifier: budget, paid, lag_points …
    value: int | Decimal
    unit: Unit


@dataclass(frozen=True)
class Subject:
    """What a warning is about: a budget line, a spending unit, a department, a region, a project,
    a policy or a suggestion."""

    type: str  # line | unit | department | region | project | policy | suggestion
    id: str
    name: str
    region_code: str
    region_name: str


@dataclass(frozen=True)
class Link:
    """Where the desktop shows the subject: a dock (its objectName) and what to pick in it.

    ``row`` is the key of the row to select (a line, project or policy id, a suggestion id);
    ``department`` narrows a table to one department's (or unit's) rows; ``region`` is the region to
    select in the window (a region subject).
    """

    panel: str
    row: int | str | None = None
    department: str | None = None
    unit: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class Warning:
    rule: str
    level: Level
    year: int
    subject: Subject
    figures: tuple[Figure, ...]
    message: str  # one sentence, Chinese
    link: Link

    def figure(self, name: str) -> int | Decimal:
        return next(f.value for f in self.figures if f.name == name)


@dataclass(frozen=True)
class AsOf:
    """What the review is judged at: the data's own latest reported month of each year, which years
    have final accounts, and the server's date at the last sync — never the PC's clock."""

    months: Mapping[int, int]  # year → latest month with reported execution (absent: none)
    closed_years: frozenset[int]  # years whose final accounts (决算) are in
    server_date: dt.date | None

    def month(self, year: int) -> int:
        return self.months.get(year, 0)

    def judges_progress(self, year: int) -> bool:
        """Whether lags behind time progress are judged: a year under way, not yet closed by final accounts."""
        return self.month(year) > 0 and year not in self.closed_years

    def time_progress(self, year: int) -> Decimal:
        """序时进度 at the year's as-of month, exact (rounded only where it is shown)."""
        return Decimal(self.month(year) * 100) / 12


@dataclass(frozen=True)
class ReviewScope:
    """Which years and regions to review (``None``: all in the replica)."""

    years: frozenset[int] | None = None
    region_codes: frozenset[str] | None = None

    def has_year(self, year: int) -> bool:
        return self.years is None or year in self.years

    def has_region(self, code: str) -> bool:
        return self.region_codes is None or code in self.region_codes


def one_decimal(value: Decimal) -> Decimal:
    """A percentage or a lag as it is shown and judged: one decimal, half up (四舍五入)."""
    return value.quantize(_TENTH, rounding=ROUND_HALF_UP)


def share(part: int, whole: int) -> Decimal:
    """``part`` as a percentage of a positive ``whole``, one decimal."""
    return one_decimal(Decimal(part) * 100 / Decimal(whole))
