"""Reading one cell of a finance export: codes, names, amounts in fen, years, months, percentages, dates.

A cell arrives as openpyxl or the csv module gives it: ``str``, ``int``, ``float``, ``datetime`` or
``None``. Each parser returns the domain value or raises :class:`CellError` with a Chinese message.

Amounts never pass through a float calculation. A float from a numeric Excel cell is first written
with 15 significant digits — what Excel itself shows and stores as the cell's text — which removes
binary noise such as ``1234.5600000000002``; the Decimal is then scaled to fen, and a value with more
decimals than the unit allows (元: 2, 万元: 6) is refused rather than rounded away.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

#: What finance exports write in an empty cell.
BLANKS = frozenset({"", "-", "—", "——", "--", "–", "/", "\\"})
_CODE = re.compile(r"^\[?\s*([0-9A-Za-z][0-9A-Za-z_.\-]*)\s*\]?")
_NUMBER_NOISE = str.maketrans("", "", ", \u00a0¥$")
_ASCII_NOISE = (",", " ", "$")


class CellError(ValueError):
    """The cell cannot be read as what its column holds; the message says why, in Chinese."""


@dataclass(frozen=True)
class Unit:
    """A money unit of a sheet or column: how many fen one of it is and how many decimals it may have."""

    name: str
    fen: int
    decimals: int


UNITS = {unit.name: unit for unit in (Unit("元", 100, 2), Unit("千元", 100_000, 5), Unit("万元", 1_000_000, 6))}


def normalized(text: str) -> str:
    """Full-width digits, letters and punctuation as ASCII (Chinese Excel often types them), trimmed."""
    return text.strip() if text.isascii() else unicodedata.normalize("NFKC", text).strip()


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    stripped = value.strip()
    return not stripped or (len(stripped) <= 2 and normalized(stripped) in BLANKS)


def text(value: Any) -> str:
    """A name or free text: numbers as written (``12.0`` → ``12``), whitespace trimmed."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return normalized(str(value)).strip("'")


def code(value: Any) -> str:
    """A code stored as a number or as text, possibly followed by its name: ``[2080505]机关…`` → ``2080505``."""
    if isinstance(value, bool):
        raise CellError("不是编码")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("编码不能有小数")
        return str(int(value))
    match = _CODE.match(normalized(str(value)).lstrip("'"))
    if match is None:
        raise CellError("不是编码")
    return match.group(1)


def digits_code(value: Any, lengths: tuple[int, ...]) -> str:
    """A classification code: digits only, of one of ``lengths``."""
    found = code(value)
    if not found.isdigit() or len(found) not in lengths:
        raise CellError(f"编码应为 {'、'.join(map(str, lengths))} 位数字")
    return found


def function_code(value: Any) -> str:
    """支出功能分类: 类 3 digits, 款 5, 项 7."""
    return digits_code(value, (3, 5, 7))


def economic_code(value: Any) -> str:
    """支出经济分类: 类 3 digits, 款 5."""
    return digits_code(value, (3, 5))


def decimal(value: Any) -> Decimal:
    """A number from a numeric cell or from text with thousands separators; ``(1,234.00)`` is negative."""
    if isinstance(value, bool):
        raise CellError("不是数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(format(value, ".15g"))
    written = _number_text(str(value))
    negative = written.startswith("(") and written.endswith(")")
    try:
        number = Decimal(written[1:-1] if negative else written)
    except InvalidOperation:
        raise CellError("不是数字") from None
    if not number.is_finite():
        raise CellError("不是数字")
    return -number if negative else number


def _number_text(value: str) -> str:
    """The digits, sign, point and brackets of a number written as text."""
    if value.isascii():  # the common case, kept cheap: a city-year has a million amounts
        for noise in _ASCII_NOISE:
            value = value.replace(noise, "")
        return value
    return normalized(value).translate(_NUMBER_NOISE)


def fen(value: Any, unit: Unit) -> int:
    """An amount in ``unit`` as whole fen; more decimals than the unit allows is an error, never rounded."""
    scaled = decimal(value) * unit.fen
    if scaled != scaled.to_integral_value():
        raise CellError(f"以{unit.name}为单位最多 {unit.decimals} 位小数")
    return int(scaled)


def in_unit(fen: int, unit: Unit) -> str:
    """Fen written in ``unit`` with thousands separators and at least two decimals: ``1,234.5678``."""
    whole, rest = divmod(abs(fen), unit.fen)
    decimals = f"{rest:0{unit.decimals}d}".rstrip("0").ljust(2, "0")
    return f"{'-' if fen < 0 else ''}{whole:,}.{decimals}"


def whole_number(value: Any) -> int:
    number = decimal(value)
    if number != number.to_integral_value():
        raise CellError("应为整数")
    return int(number)


def year(value: Any) -> int:
    """``2026``, ``2026.0`` or ``2026年``."""
    found = whole_number(re.sub(r"年度?$", "", normalized(value)) if isinstance(value, str) else value)
    if not 2000 <= found <= 2100:
        raise CellError("不是有效的年度")
    return found


def month(value: Any) -> int:
    """``5``, ``5月`` or ``05``."""
    found = whole_number(re.sub(r"月份?$", "", normalized(value)) if isinstance(value, str) else value)
    if not 1 <= found <= 12:
        raise CellError("月份应为 1 到 12")
    return found


def percent(value: Any) -> int:
    """A whole percentage 0–100: ``60``, ``60%``, or ``0.6`` from a cell formatted as a percentage."""
    if isinstance(value, str):
        value = normalized(value).removesuffix("%")
    number = decimal(value)
    if number != number.to_integral_value() and 0 <= number <= 1:
        number *= 100
    if number != number.to_integral_value() or not 0 <= number <= 100:
        raise CellError("应为 0 到 100 的整数百分比")
    return int(number)


def date(value: Any) -> dt.date:
    """A date cell, or text ``2026-03-01`` / ``2026/3/1`` / ``2026年3月1日`` / ``2026.3.1``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    parts = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", normalized(str(value)))
    if parts is None:
        raise CellError("不是日期 (应为 2026-03-01 这样的格式)")
    try:
        return dt.date(*map(int, parts.groups()))
    except ValueError:
        raise CellError("不是有效的日期") from None


_YES = frozenset({"是", "y", "yes", "1", "√", "✓", "专项", "true"})
_NO = frozenset({"否", "n", "no", "0", "×", "非专项", "false"})


def flag(value: Any) -> bool:
    """是/否 (also Y/N, 1/0, √)."""
    written = text(value).lower()
    if written in _YES:
        return True
    if written in _NO:
        return False
    raise CellError("应填 是 或 否")
