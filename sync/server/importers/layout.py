"""Finding the table in a messy sheet: title and unit rows above it, a header of one or two rows, data
rows, and 合计/小计 rows to check and skip.

A real export looks like::

    2026年通川区部门预算执行情况表          ← title: its year (and month) are checked
    单位：万元                               ← unit of every amount below (or per column: 年初预算数（万元）)
    部门编码 | 功能分类编码 | 预算数            ← a header merged across two rows
             |             | 年初 | 调整
    101     | 2050201     | 12.5 | 13      ← data
    合计     |             | 12.5 | 13      ← checked against the rows it sums, then skipped

Headers are recognised by name (the template's, or a known alias), in any order; columns the template
does not know (序号, 备注 …) are ignored. 小计 rows sum the data rows since the previous 合计/小计 row;
合计 and 总计 rows sum every data row of the sheet.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sync.server.importers import cells
from sync.server.importers.cells import CellError, Unit
from sync.server.importers.problems import Problems
from sync.server.importers.workbook import Cells, RawSheet

#: How far down a sheet the header may start (title, unit and notes rows above it).
HEADER_SEARCH_ROWS = 15
#: A sheet is the template's table when at least this many of its headers are found in one place.
MIN_HEADERS = 2
_UNIT_IN_TEXT = re.compile(r"单位\s*:?\s*(千元|万元|元)")
_UNIT_IN_HEADER = re.compile(r"\((?:单位:?)?(千元|万元|元)\)")
_TOTAL = re.compile(r"(合|小|总)\s*计")
_YEAR = re.compile(r"(20\d\d)\s*年")
_MONTH = re.compile(r"(\d{1,2})\s*月")


@dataclass(frozen=True)
class Field:
    """A column of a template: its key, the template's header, other names exports use for it."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    money: bool = False  # an amount: scaled by the unit to fen, summed by 合计/小计 rows

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Template:
    """The columns of one kind of sheet (预算, 执行, 里程碑 …)."""

    name: str
    fields: tuple[Field, ...]

    def by_name(self) -> dict[str, Field]:
        return {_bare(name): f for f in self.fields for name in f.names}

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


@dataclass
class Layout:
    """Where a template's columns are in one sheet, and what stands above the header."""

    sheet: str
    header_row: int  # the (last) header row; data starts below it
    columns: dict[str, int]  # field key → column index
    headers: dict[str, str]  # field key → the header as written in the file
    units: dict[str, Unit]  # money field key → its unit
    title_row: int | None = None
    title_year: int | None = None
    title_month: int | None = None
    _getters: dict[tuple[str, ...], Callable[[Cells], tuple[Any, ...]]] = field(default_factory=dict, repr=False)

    def getter(self, keys: tuple[str, ...]) -> Callable[[Cells], tuple[Any, ...]]:
        """A function giving a padded row's cells of ``keys`` (absent columns: None), made once per keys."""
        found = self._getters.get(keys)
        if found is None:
            found = self._getters[keys] = itemgetter(*(self.columns.get(key, -1) for key in keys), -1)
        return found


def _bare(header: str) -> str:
    """A header without spaces, line breaks, required-marks and its unit: ``年初预算数（万元）*`` → ``年初预算数``."""
    name = re.sub(r"\s+", "", cells.normalized(header)).strip("*")
    return _UNIT_IN_HEADER.sub("", name)


def _header_unit(header: str) -> Unit | None:
    found = _UNIT_IN_HEADER.search(re.sub(r"\s+", "", cells.normalized(header)))
    return cells.UNITS[found.group(1)] if found else None


def _strings(row: Cells) -> list[str]:
    return [cells.normalized(value) for value in row if isinstance(value, str) and value.strip()]


@dataclass
class _HeaderMatch:
    columns: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def _match(template: Template, names: list[list[str]]) -> _HeaderMatch:
    """Match each column's candidate names (first that fits wins) against the template."""
    known = template.by_name()
    found = _HeaderMatch()
    for index, candidates in enumerate(names):
        for candidate in candidates:
            known_field = known.get(_bare(candidate))
            if known_field is not None and known_field.key not in found.columns:
                found.columns[known_field.key] = index
                found.headers[known_field.key] = re.sub(r"\s+", "", cells.normalized(candidate))
                break
    return found


def _single(row: Cells) -> list[list[str]]:
    return [[value] if isinstance(value, str) else [] for value in row]


def _double(upper: Cells, lower: Cells) -> list[list[str]]:
    """Names of a header merged across two rows: the lower cell, then upper + lower, then the upper cell.

    A cell merged across columns holds its text in the first column only, so the upper row's text
    carries to the right over empty cells that have a name below them.
    """
    names: list[list[str]] = []
    carried = ""
    for index in range(max(len(upper), len(lower))):
        top = upper[index] if index < len(upper) and isinstance(upper[index], str) else None
        bottom = lower[index] if index < len(lower) and isinstance(lower[index], str) else None
        carried = top or (carried if bottom else "")
        names.append([n for n in (bottom, carried + bottom if bottom and carried else None, top) if n])
    return names


def find_layout(sheet: str, head: list[tuple[int, Cells]], template: Template) -> tuple[Layout, int] | None:
    """The best header among the first rows; returns the layout and how many head rows it used, or None."""
    best: tuple[int, int, int, _HeaderMatch] | None = None  # matches, last header row's index, rows, match
    for index, (_number, row) in enumerate(head):
        rows, match = 1, _match(template, _single(row))
        if index > 0:
            merged = _match(template, _double(head[index - 1][1], row))
            if len(merged.columns) > len(match.columns):  # the row above adds names: a two-row header
                rows, match = 2, merged
        if best is None or len(match.columns) > best[0]:
            best = (len(match.columns), index, rows, match)
    if best is None or best[0] < MIN_HEADERS:
        return None
    _count, last, rows, match = best
    layout = Layout(sheet, head[last][0], match.columns, match.headers, {})
    _read_above(layout, head[:last + 1 - rows], template)
    return layout, last + 1


def _read_above(layout: Layout, above: list[tuple[int, Cells]], template: Template) -> None:
    """The unit, and the title's year and month, from the rows above the header."""
    sheet_unit = None
    for number, row in above:
        for value in _strings(row):
            found = _UNIT_IN_TEXT.search(value)
            if found and sheet_unit is None:
                sheet_unit = cells.UNITS[found.group(1)]
        if layout.title_row is None and _strings(row):
            layout.title_row = number
            title = " ".join(_strings(row))
            years, months = _YEAR.findall(title), _MONTH.findall(title)
            layout.title_year = int(years[0]) if years else None
            layout.title_month = int(months[-1]) if months and 1 <= int(months[-1]) <= 12 else None
    for key, header in layout.headers.items():
        if template.field(key).money:
            unit = _header_unit(header) or sheet_unit
            if unit is not None:
                layout.units[key] = unit


def check_layout(layout: Layout, template: Template, problems: Problems) -> bool:
    """Required columns are there and every amount has a unit; records what is missing."""
    ok = True
    for f in template.fields:
        if f.required and f.key not in layout.columns:
            problems.add(layout.sheet, layout.header_row, f.header, f"缺少必需的列「{f.header}」")
            ok = False
    missing_unit = [layout.headers[f.key] for f in template.fields if f.money and f.key in layout.columns
                    and f.key not in layout.units]
    if missing_unit:
        problems.add(layout.sheet, layout.header_row, missing_unit[0],
                     "没有注明金额单位: 请在表头上方加一行「单位：元」或「单位：万元」，"
                     "或在列名中注明，如「年初预算数（万元）」")
        ok = False
    return ok


# ---------------------------------------------------------------- data rows


@dataclass(slots=True)
class DataRow:
    """One data row of a sheet, its amounts already in fen (``None``: empty or unreadable).

    ``cells`` is padded with a ``None`` beyond the last column: a column the sheet lacks, or a short
    row, reads as that empty cell (index -1).
    """

    layout: Layout
    number: int
    cells: Cells
    money: dict[str, int | None]
    bad: frozenset[str]  # amounts that could not be read (already recorded)

    @property
    def sheet(self) -> str:
        return self.layout.sheet

    def has(self, key: str) -> bool:
        return key in self.layout.columns

    def cell(self, key: str) -> Any:
        return self.cells[self.layout.columns.get(key, -1)]

    def cells_of(self, keys: tuple[str, ...]) -> tuple[Any, ...]:
        """The cells of ``keys``, then the padding's None (the getter always returns a tuple)."""
        return self.layout.getter(keys)(self.cells)

    def header(self, key: str) -> str:
        return self.layout.headers.get(key, key)


@dataclass
class _Sums:
    """Running sums of each amount column: since the last 小计 (group) and over the sheet.

    A sum over a cell that could not be read is unknown (None): its 合计/小计 is not judged.
    """

    group: dict[str, int | None] = field(default_factory=dict)
    sheet: dict[str, int | None] = field(default_factory=dict)
    pending_totals: list[tuple[int, dict[str, int]]] = field(default_factory=list)  # 合计 rows, checked at the end

    def add(self, money: dict[str, int | None], bad: frozenset[str]) -> None:
        for sums in (self.group, self.sheet):
            for key, amount in money.items():
                so_far = sums.get(key, 0)
                sums[key] = None if key in bad or so_far is None else so_far + (amount or 0)


def data_rows(sheet: TemplateSheet, template: Template, problems: Problems) -> Iterator[DataRow]:
    """The sheet's data rows (empty rows skipped); 合计/小计 rows are checked against their rows, not yielded."""
    layout, sums = sheet.layout, sheet.sums
    money_keys = [f.key for f in template.fields if f.money and f.key in layout.columns]
    money_columns = {layout.columns[key] for key in money_keys}
    width = max(layout.columns.values()) + 1
    for number, row in sheet.rows:
        if all(cells.is_blank(value) for value in row):
            continue
        row = (*row, *(None,) * (width - len(row)), None) if len(row) < width else (*row, None)
        money, bad = _amounts(layout, number, row, money_keys, problems)
        total = _total_word(row, money_columns)
        if total is None:
            sums.add(money, bad)
            yield DataRow(layout, number, row, money, bad)
        elif not bad:
            _check_total(layout, number, total, money, sums, problems)
    for number, money in sums.pending_totals:
        _compare(layout, number, money, sums.sheet, problems)


def _amounts(layout: Layout, number: int, row: Cells, keys: list[str],
             problems: Problems) -> tuple[dict[str, int | None], frozenset[str]]:
    money: dict[str, int | None] = {}
    bad: set[str] = set()
    for key in keys:
        index = layout.columns[key]
        value = row[index] if index < len(row) else None
        if cells.is_blank(value):
            money[key] = None
            continue
        try:
            money[key] = cells.fen(value, layout.units[key])
        except CellError as exc:
            problems.add(layout.sheet, number, layout.headers[key], str(exc), value)
            money[key] = None
            bad.add(key)
    return money, frozenset(bad)


def _total_word(row: Cells, money_columns: set[int]) -> str | None:
    """``小计`` or ``合计`` when a text cell (not an amount) of the row says the row is a sum."""
    for index, value in enumerate(row):
        if index not in money_columns and isinstance(value, str) and "计" in value:
            found = _TOTAL.search(value)
            if found:
                return "小计" if found.group(1) == "小" else "合计"
    return None


def _check_total(layout: Layout, number: int, word: str, money: dict[str, int | None], sums: _Sums,
                 problems: Problems) -> None:
    given = {key: amount for key, amount in money.items() if amount is not None}
    if word == "小计":
        _compare(layout, number, given, sums.group, problems)
    else:
        sums.pending_totals.append((number, given))
    sums.group = {}


def _compare(layout: Layout, number: int, given: dict[str, int], summed: dict[str, int | None],
             problems: Problems) -> None:
    for key, amount in given.items():
        expected = summed.get(key, 0)
        if expected is not None and amount != expected:
            unit = layout.units[key]
            problems.add(layout.sheet, number, layout.headers[key],
                         f"合计/小计与明细行之和不符: 明细之和为 {cells.in_unit(expected, unit)}{unit.name}",
                         cells.in_unit(amount, unit))


# ---------------------------------------------------------------- sheets of a file


@dataclass
class TemplateSheet:
    """A sheet recognised as a template's table, with the rows below its header still to be read."""

    layout: Layout
    rows: Iterator[tuple[int, Cells]]
    sums: _Sums = field(default_factory=_Sums)


def recognise(sheets: list[RawSheet], templates: tuple[Template, ...],
              problems: Problems) -> dict[str, list[TemplateSheet]]:
    """Each sheet matched to the template whose headers it has most of; sheets with none are left out."""
    found: dict[str, list[TemplateSheet]] = {t.name: [] for t in templates}
    for sheet in sheets:
        head = list(itertools.islice(sheet.rows, HEADER_SEARCH_ROWS))
        layouts = [(t, find_layout(sheet.name, head, t)) for t in templates]
        matched = [(t, result) for t, result in layouts if result is not None]
        if not matched:
            continue
        template, (layout, used) = max(matched, key=lambda m: len(m[1][0].columns))
        # A sheet whose header is wrong is recognised but not read: its problem is the header.
        rows = itertools.chain(head[used:], sheet.rows) if check_layout(layout, template, problems) else iter(())
        found[template.name].append(TemplateSheet(layout, rows))
    return found
