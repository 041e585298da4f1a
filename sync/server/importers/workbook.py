"""Opening a finance file: the sheets of an ``.xlsx`` workbook, or a ``.csv`` as one sheet, as rows of cells.

Rows are streamed (openpyxl in read-only mode, the csv module over the decoded text) so a city-year
file is never held as cell objects all at once. A CSV may be UTF-8 with or without a byte-order mark,
or GB18030 (which Chinese Excel still writes); comma, tab or semicolon separated.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Cells = tuple[Any, ...]
Rows = Iterator[tuple[int, Cells]]  # (row number as Excel counts, cells)


class UnreadableFile(ValueError):
    """The file cannot be read at all; the message (Chinese) says why."""


@dataclass
class RawSheet:
    name: str
    rows: Rows


def open_sheets(path: Path, data: bytes, sheet: str | None = None) -> list[RawSheet]:
    """The file's sheets (only ``sheet`` when given). Raises :class:`UnreadableFile`."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if sheet is not None:
            raise UnreadableFile(f"CSV 文件只有一张表，不能用 --sheet 选择工作表 ({sheet})")
        return [RawSheet(path.stem, _csv_rows(_decoded(data)))]
    if suffix in (".xlsx", ".xlsm"):
        return _workbook_sheets(data, sheet)
    if suffix == ".xls":
        raise UnreadableFile("不支持旧的 .xls 格式: 请在 Excel 中另存为 .xlsx 后再导入")
    raise UnreadableFile(f"不支持的文件类型 {suffix or '(无扩展名)'}: 只能导入 .xlsx 或 .csv")


def _decoded(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableFile("CSV 文件的编码无法识别: 请保存为 UTF-8 或 GB18030 (GBK) 编码") from None


def _csv_rows(text: str) -> Rows:
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), 1):
        yield number, tuple(cells)


def _workbook_sheets(data: bytes, wanted: str | None) -> list[RawSheet]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(f"无法打开 Excel 文件: {exc}") from exc
    names = workbook.sheetnames
    if wanted is not None and wanted not in names:
        raise UnreadableFile(f"找不到工作表「{wanted}」: 文件中的工作表有 {'、'.join(names)}")
    return [RawSheet(name, _sheet_rows(workbook[name])) for name in names if wanted in (None, name)]


def _sheet_rows(worksheet) -> Rows:
    yield from enumerate(worksheet.iter_rows(values_only=True), 1)
