"""What is wrong with a file, each problem where a person can find it: ``sheet!row: column: what (value)``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sync.server.importers import cells

#: ``value`` when the problem is about a place, not a cell's content.
NO_VALUE = object()


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None  # as Excel numbers it; None for the sheet or file as a whole
    column: str | None  # the column's header as written in the file
    message: str
    value: str | None = None

    def __str__(self) -> str:
        place = f"{self.sheet}!{self.row}" if self.row else self.sheet
        column = f"{self.column}: " if self.column else ""
        value = "" if self.value is None else f" ({self.value})"
        return f"{place}: {column}{self.message}{value}"

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def shown(value: Any) -> str | None:
    """A cell's value as the person sees it in the file (``空`` for an empty cell)."""
    if value is NO_VALUE:
        return None
    if cells.is_blank(value):
        return "空"
    return cells.text(value)


class Problems:
    """Collects every problem of an import; the import goes ahead only while there are none."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, sheet: str, row: int | None, column: str | None, message: str, value: Any = NO_VALUE) -> None:
        self.items.append(Problem(sheet, row, column, message, shown(value)))

    def in_file_order(self) -> list[Problem]:
        """By sheet (in the order they were first named), then row; problems of the file as a whole first."""
        sheets: dict[str, int] = {}
        for problem in self.items:
            sheets.setdefault(problem.sheet, len(sheets))
        return sorted(self.items, key=lambda p: (p.row is not None, sheets[p.sheet], p.row or 0))

    def __bool__(self) -> bool:
        return bool(self.items)
