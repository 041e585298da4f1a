"""How money and percentages read on screen: fen → 万元 with two decimals, percentages to one place.

Everything here is integer or Decimal arithmetic: a float never decides a digit the user reads.
Rounding is ROUND_HALF_UP (四舍五入), the rule finance bureaus print with.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN_PER_WAN_YUAN = 1_000_000  # 1 万元 = 10 000 元 = 1 000 000 分
_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
MISSING = "—"


def wan_yuan(fen: int | None) -> Decimal | None:
    """An amount in fen as 万元, rounded half-up to two decimals."""
    if fen is None:
        return None
    return (Decimal(fen) / FEN_PER_WAN_YUAN).quantize(_CENT, rounding=ROUND_HALF_UP)


def format_wan_yuan(fen: int | None) -> str:
    """``123456789`` fen → ``"12,345.68"`` (万元, thousands separators, two decimals)."""
    value = wan_yuan(fen)
    return MISSING if value is None else f"{value:,.2f}"


def percent(part: int | None, whole: int | None) -> Decimal | None:
    """``part`` as a percentage of ``whole``, one decimal; ``None`` when it has no meaning (no whole)."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_TENTH, rounding=ROUND_HALF_UP)


def format_percent(value: Decimal | None) -> str:
    return MISSING if value is None else f"{value:.1f}%"


def format_signed_percent(value: Decimal | None) -> str:
    """A change in percent, signed: ``+25.0%`` / ``-3.1%``."""
    return MISSING if value is None else f"{value:+.1f}%"


def format_points(value: Decimal | None) -> str:
    """A difference of two percentages in percentage points, signed: ``+4.2`` / ``-1.0``."""
    return MISSING if value is None else f"{value:+.1f}"


def points_behind_time(progress: Decimal | None, month: int) -> Decimal | None:
    """How far a progress % trails the time progress at the end of ``month``, in points (negative: ahead)."""
    return None if progress is None else time_progress(month) - progress


def time_progress(month: int) -> Decimal:
    """序时进度: the share of the year gone by at the end of ``month`` (0–12), in percent."""
    return (Decimal(month) * 100 / 12).quantize(_TENTH, rounding=ROUND_HALF_UP)
