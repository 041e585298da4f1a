"""A table as shown — its rows after the filters, in its sort order — written to .xlsx or CSV.

Numbers are written as numbers, not as the text on screen: amounts in 万元 with two decimals,
percentages as percentages, so the sheet adds up in Excel. The .xlsx has a bold frozen header, an
autofilter and column widths that fit Chinese text; the CSV is UTF-8 with a byte-order mark, which
Excel opens without garbling the Chinese.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop.amounts import wan_yuan
from desktop.panels.table_model import CellKind, Column

#: The unit a header gets when its title does not say it already.
UNITS = {CellKind.MONEY: "万元", CellKind.PERCENT: "%", CellKind.POINTS: "百分点"}
XLSX_FORMATS = {CellKind.MONEY: "#,##0.00", CellKind.PERCENT: "0.0%", CellKind.POINTS: "+0.0;-0.0;0.0",
                CellKind.COUNT: "#,##0", CellKind.DATE: "yyyy-mm-dd"}
WIDTH_SAMPLE_ROWS = 300
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class ShownTable:
    title: str  # the sheet's name
    columns: Sequence[Column]
    rows: Sequence[Any]

    def headers(self) -> list[str]:
        return [header(column) for column in self.columns]


def header(column: Column) -> str:
    unit = UNITS.get(column.kind)
    return column.title if unit is None or unit in column.title else f"{column.title}（{unit}）"


def value(column: Column, row: Any) -> Any:
    """The cell as a number, date or text: what the column's kind says its sort value is."""
    if column.kind is CellKind.TEXT:
        return column.text(row)
    raw = column.sort_key(row)
    if raw is None:
        return None
    if column.kind is CellKind.MONEY:
        return wan_yuan(raw)
    if column.kind is CellKind.POINTS:
        return Decimal(raw)
    return raw


def save_table(table: ShownTable, path: Path) -> None:
    """By the file's suffix: ``.csv`` or ``.xlsx``. Raises ``OSError`` (e.g. the file is open in Excel)."""
    if path.suffix.lower() == ".csv":
        write_csv(table, path)
    else:
        write_xlsx(table, path)


def write_csv(table: ShownTable, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        out = csv.writer(file)
        out.writerow(table.headers())
        for row in table.rows:
            out.writerow(["" if (v := value(column, row)) is None else _csv_text(v) for column in table.columns])


def _csv_text(found: Any) -> str:
    if isinstance(found, Decimal):
        return f"{found:f}"
    if isinstance(found, dt.date):
        return found.isoformat()
    return str(found)


def write_xlsx(table: ShownTable, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_name(table.title)
    sheet.append(table.headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(bottom=Side(style="thin", color="8C96A3"))
    for row in table.rows:
        sheet.append([_xlsx_value(column, row) for column in table.columns])
    for index, column in enumerate(table.columns, 1):
        letter = get_column_letter(index)
        number_format = XLSX_FORMATS.get(column.kind)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        sheet.column_dimensions[letter].width = _width(table, column)
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    workbook.save(path)


def _xlsx_value(column: Column, row: Any) -> Any:
    found = value(column, row)
    if column.kind is CellKind.PERCENT and found is not None:
        return Decimal(found) / 100  # Excel's 0.0% format shows 0.833 as 83.3%
    return found


def _sheet_name(title: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip() or "表格"
    return cleaned[:31]


def display_width(text: str) -> int:
    """Columns a text takes in Excel's default font: a Chinese character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _width(table: ShownTable, column: Column) -> int:
    texts = [header(column), *(column.text(row) for row in table.rows[:WIDTH_SAMPLE_ROWS])]
    return max(MIN_WIDTH, min(MAX_WIDTH, max(display_width(text) for text in texts) + 2))
