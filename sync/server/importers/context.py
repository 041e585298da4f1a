"""What every importer works with: the file's recognised sheets, the database's reference data, the
year and month being imported, and a reader per data row that records each problem where it is."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection

from sync.server.importers import cells
from sync.server.importers.cells import CellError
from sync.server.importers.layout import DataRow, Template, TemplateSheet, data_rows
from sync.server.importers.problems import NO_VALUE, Problems
from sync.server.importers.reference import Reference

T = TypeVar("T")


@dataclass(frozen=True)
class ImportOptions:
    year: int | None = None
    month: int | None = None


class ParsedCells:
    """Cells already parsed, by parser and value: a city-year repeats the same codes a million times."""

    def __init__(self) -> None:
        self._found: dict[tuple[Callable, type, Any], Any] = {}

    def parse(self, parse: Callable[[Any], T], raw: Any) -> T:
        """``parse(raw)``, raising its CellError, computed once per distinct value."""
        key = (parse, type(raw), raw)
        found = self._found.get(key, self)
        if found is self:
            try:
                found = parse(raw)
            except CellError as exc:
                found = exc
            self._found[key] = found
        if isinstance(found, CellError):
            raise found
        return found


class RowReader:
    """Reads a data row's cells; a cell that cannot be read is recorded and makes the row not ``ok``."""

    def __init__(self, row: DataRow, problems: Problems, parsed: ParsedCells) -> None:
        self.row = row
        self.problems = problems
        self.parsed = parsed
        self.ok = not row.bad

    def has(self, key: str) -> bool:
        return self.row.has(key)

    def value(self, key: str, parse: Callable[[Any], T], *, required: bool = False) -> T | None:
        """The cell parsed, or None (empty, unreadable, or the sheet has no such column)."""
        if not self.row.has(key):
            return None
        raw = self.row.cell(key)
        if cells.is_blank(raw):
            if required:
                self.fail(key, "不能为空", raw)
            return None
        try:
            return self.parsed.parse(parse, raw)
        except CellError as exc:
            self.fail(key, str(exc), raw)
            return None

    def amount(self, key: str, *, required: bool = False) -> int | None:
        """An amount in fen (already read with the row); ``required`` makes an empty cell a problem."""
        amount = self.row.money.get(key)
        if amount is None and required and self.row.has(key) and key not in self.row.bad:
            self.fail(key, "不能为空", self.row.cell(key))
        return amount

    def fail(self, key: str, message: str, value: Any = NO_VALUE) -> None:
        self.ok = False
        self.problems.add(self.row.sheet, self.row.number, self.row.header(key), message, value)


class ImportContext:
    """One import's view of the file and the database; importers read rows and plan from here."""

    def __init__(self, conn: Connection, label: str, sheets: dict[str, list[TemplateSheet]], options: ImportOptions,
                 problems: Problems) -> None:
        self.conn = conn
        self.label = label  # the file's name, where a problem is about the file as a whole
        self.sheets = sheets
        self.options = options
        self.problems = problems
        self.reference = Reference.load(conn)
        self.rows_read = 0
        self.parsed = ParsedCells()
        self.line_names: dict[tuple[str, tuple], Any] = {}  # the budget lines rows name, by sheet and cells
        self.year: int | None = options.year
        self.months: list[int] = []  # the execution months the file holds

    def has_sheet(self, template: Template) -> bool:
        return bool(self.sheets.get(template.name))

    def require(self, template: Template) -> bool:
        """The file must hold this template's table; records a problem when it does not."""
        if self.has_sheet(template):
            return True
        headers = "、".join(f.header for f in template.fields if f.required)
        self.problems.add(self.label, None, None, f"没有找到「{template.name}」表: 表头应包含 {headers}")
        return False

    def rows(self, template: Template) -> Iterator[RowReader]:
        """Every data row of the template's sheets, in file order."""
        for sheet in self.sheets.get(template.name, ()):
            self._check_title_year(sheet)
            self._check_year_known(sheet, template)
            for row in data_rows(sheet, template, self.problems):
                self.rows_read += 1
                yield RowReader(row, self.problems, self.parsed)

    def _check_title_year(self, sheet: TemplateSheet) -> None:
        layout = sheet.layout
        if layout.title_year is None:
            return
        if self.year is None:
            self.year = layout.title_year
        elif layout.title_year != self.year:
            self.problems.add(layout.sheet, layout.title_row, "标题", f"标题中的年度与导入的年度 {self.year} 不符",
                              layout.title_year)

    def _check_year_known(self, sheet: TemplateSheet, template: Template) -> None:
        keys = {f.key for f in template.fields}
        if self.year is None and "year" in keys and "year" not in sheet.layout.columns:
            self.problems.add(sheet.layout.sheet, sheet.layout.header_row, "年度",
                              "无法确定年度: 请用 --year 指定，或在表中加「年度」列")

    def row_year(self, reader: RowReader) -> int | None:
        """The row's 年度 (or the import's): every row of an import is of one year, the first row's."""
        found = agreeing(reader, "year", cells.year, self.year, "年度")
        if self.year is None:
            self.year = found
        return found


def agreeing(reader: RowReader, key: str, parse: Callable[[Any], int], expected: int | None, what: str) -> int | None:
    """The row's ``key`` (年度, 月份), which must be ``expected`` when that is known; ``expected`` when the sheet
    has no such column (a sheet where neither says it is recorded once, not per row)."""
    if not reader.has(key):
        if expected is None:
            reader.ok = False
        return expected
    found = reader.value(key, parse, required=True)
    if found is not None and expected is not None and found != expected:
        reader.fail(key, f"{what}与导入的{what} {expected} 不符", found)
        return None
    return found
