"""The duty report as a file: Excel (``.xlsx``) when openpyxl is installed, CSV (UTF-8 with BOM, which
Excel opens as Chinese) otherwise or when asked for."""

from __future__ import annotations

import csv
import importlib.util
from collections.abc import Sequence
from pathlib import Path

from desktop.queries.duty import DutyMonth

XLSX_AVAILABLE = importlib.util.find_spec("openpyxl") is not None


def report_table(rows: Sequence[DutyMonth], headings: Sequence[str]) -> list[list[object]]:
    """Headings (代表, 区域, 月份, one per kind, 合计), then one line per deputy and month."""
    return [list(headings)] + [[r.deputy, r.region, r.month, *r.counts.values(), r.total] for r in rows]


def export_report(path: Path, rows: Sequence[DutyMonth], headings: Sequence[str]) -> Path:
    table = report_table(rows, headings)
    if path.suffix.lower() == ".xlsx" and XLSX_AVAILABLE:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "履职记录"
        for line in table:
            sheet.append(line)
        book.save(path)
        return path
    path = path.with_suffix(".csv")
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(table)
    return path
