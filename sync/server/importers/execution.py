"""``import execution``: what each budget line paid in a month (本月支出), with the cumulative (累计支出).

Each row names a stored budget line. The cumulative must equal the previous months' cumulative plus
this month (a negative month — a refund — is allowed); a row giving only one of the two figures is
completed from the other. A month normally comes alone (``--month``); a file may also hold several
months in a 月份 column (a first load of the year so far).

A month of the regions a file covers is replaced as a whole: months equal to what is stored are
left alone, changed ones are updated, new ones inserted, and a stored month of a line the file no
longer lists is deleted — so clients pull only the rows that changed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from sync.schema import executions
from sync.server.importers import cells
from sync.server.importers.context import ImportContext, RowReader, agreeing
from sync.server.importers.layout import Field, Layout, Template
from sync.server.importers.lines import LINE_FIELDS, Duplicates, StoredLines, find_line, line_name
from sync.server.importers.plan import KeyAllocator, Plan

EXECUTION = Template("执行", (
    *LINE_FIELDS,
    Field("month", "月份", ("月", "执行月份")),
    Field("this_month", "本月支出", ("本月支出数", "当月支出", "本月执行数", "本月支付数", "本月支付"), money=True),
    Field("cumulative", "累计支出", ("累计支出数", "累计执行数", "累计支付数", "累计支付", "本年累计支出"), money=True),
))
TEMPLATES = (EXECUTION,)

LineMonth = tuple[int, int]  # (line id, month)


#: A line's month as one row of the file states it: sheet, row, the cumulative cell as written, this month's
#: amount and the cumulative (fen). A plain tuple of plain values (the sheet by name, not its layout), which
#: the garbage collector stops tracking: a city-year keeps 200 000 of them until every line is walked, and
#: as tracked objects they made each full collection walk them all (0.3 s of a city-year's import).
Reported = tuple[str, int, Any, int | None, int | None]


def plan(context: ImportContext) -> Plan:
    if not context.require(EXECUTION) or not _has_amounts(context):
        return Plan()
    months = _Months(context)
    lines: StoredLines | None = None
    reported: dict[LineMonth, Reported] = {}
    unreadable: set[int] = set()  # lines with a row that has a problem: their cumulative is not checked
    duplicates = Duplicates()
    for reader in context.rows(EXECUTION):
        year, month, name = context.row_year(reader), months.of(reader), line_name(context, reader)
        this_month, cumulative = reader.amount("this_month"), reader.amount("cumulative")
        if name is None or year is None or month is None:
            continue
        lines = lines or StoredLines(context, year)
        line_id = find_line(reader, lines, name)
        if line_id is not None and duplicates.check(reader, (line_id, month), "function") and reader.ok:
            reported[line_id, month] = _reported(reader, this_month, cumulative)
        elif line_id is not None:
            unreadable.add(line_id)
    if lines is None or not reported:
        return Plan()
    # Checked even when other rows have problems, so the person sees every problem at once.
    if unreadable:
        reported = {key: r for key, r in reported.items() if key[0] not in unreadable}
    changes = _changes(context, lines, reported)
    return Plan() if context.problems else changes


def _has_amounts(context: ImportContext) -> bool:
    ok = True
    for sheet in context.sheets[EXECUTION.name]:
        layout = sheet.layout
        if "this_month" not in layout.columns and "cumulative" not in layout.columns:
            context.problems.add(layout.sheet, layout.header_row, "本月支出", "缺少「本月支出」或「累计支出」列")
            ok = False
    return ok


def _reported(reader: RowReader, this_month: int | None, cumulative: int | None) -> Reported:
    row = reader.row
    return row.sheet, row.number, row.cell("cumulative"), this_month, cumulative


class _Months:
    """The month being imported (``--month``, the title's) and each row's, which must agree with it."""

    def __init__(self, context: ImportContext) -> None:
        self.expected = context.options.month
        self.context = context
        for sheet in context.sheets[EXECUTION.name]:
            self._check_title(sheet.layout)
            if self.expected is None and "month" not in sheet.layout.columns:
                context.problems.add(sheet.layout.sheet, sheet.layout.header_row, "月份",
                                     "无法确定月份: 请用 --month 指定，或在表中加「月份」列")

    def _check_title(self, layout) -> None:
        title = layout.title_month
        if title is None:
            return
        if self.expected is None:
            self.expected = title
        elif title != self.expected:
            self.context.problems.add(layout.sheet, layout.title_row, "标题",
                                      f"标题中的月份与导入的月份 {self.expected} 不符", f"{title}月")

    def of(self, reader: RowReader) -> int | None:
        return agreeing(reader, "month", cells.month, self.expected, "月份")


def _stored(context: ImportContext, year: int, regions: set[str]) -> dict[LineMonth, tuple[int, int]]:
    """(line, month) → (execution id, amount) stored for the year in these regions."""
    query = (select(executions.c.line_id, executions.c.month, executions.c.id, executions.c.amount)
             .where(executions.c.year == year, executions.c.region_code.in_(sorted(regions))))
    return {(line, month): (key, amount) for line, month, key, amount in context.conn.execute(query)}


def _changes(context: ImportContext, lines: StoredLines, reported: dict[LineMonth, Reported]) -> Plan:
    year = context.year
    regions = {lines.rows[line]["region_code"] for line, _month in reported}
    stored = _stored(context, year, regions)
    file_months = sorted({month for _line, month in reported})
    context.months = file_months
    if not _previous_month_stored(context, stored, file_months):
        return Plan()
    amounts = _month_amounts(context, reported, stored, file_months)
    changes = Plan()
    table = changes.of(executions)
    ids = KeyAllocator(context.conn, executions)
    for (line, month), amount in amounts.items():
        found = stored.get((line, month))
        if found is None:
            region = lines.rows[line]["region_code"]
            table.inserts.append({"id": ids.take(), "line_id": line, "region_code": region, "year": year,
                                  "month": month, "amount": amount})
        elif found[1] != amount:
            table.updates[found[0]] = {"amount": amount}
    for (line, month), (key, _amount) in stored.items():
        if month in file_months and (line, month) not in amounts:
            table.deletes.append(key)
    return changes


def _previous_month_stored(context: ImportContext, stored: dict[LineMonth, tuple[int, int]],
                           file_months: list[int]) -> bool:
    """The month before the file's first must be in (the cumulative figures build on it)."""
    first = file_months[0]
    if first > 1 and not any(month == first - 1 for _line, month in stored):
        context.problems.add(context.label, None, "月份",
                             f"{context.year}年{first - 1}月的执行数据尚未导入: 请先导入之前的月份", f"{first}月")
        return False
    return True


def _month_amounts(context: ImportContext, reported: dict[LineMonth, Reported],
                   stored: dict[LineMonth, tuple[int, int]], file_months: list[int]) -> dict[LineMonth, int]:
    """Each reported month's amount, walking every line's months to check the cumulative figures."""
    by_line: dict[int, dict[int, Reported]] = defaultdict(dict)
    for (line, month), report in reported.items():
        by_line[line][month] = report
    in_file = set(file_months)
    layouts = {sheet.layout.sheet: sheet.layout for sheet in context.sheets[EXECUTION.name]}
    amounts: dict[LineMonth, int] = {}
    for line, months in by_line.items():
        running = 0
        for month in range(1, file_months[-1] + 1):
            if month not in in_file:
                running += stored.get((line, month), (0, 0))[1]
            elif month in months:
                amounts[line, month] = _amount(context, layouts, months[month], running)
                running += amounts[line, month]
    return amounts


def _amount(context: ImportContext, layouts: dict[str, Layout], report: Reported, previous: int) -> int:
    """This month's amount; a cumulative that does not follow from the previous months is recorded."""
    sheet, row, written, this_month, cumulative = report
    if this_month is None:
        return 0 if cumulative is None else cumulative - previous
    if cumulative is not None and cumulative != previous + this_month:
        layout = layouts[sheet]
        unit = layout.units["cumulative"]
        before, now = cells.in_unit(previous, unit), cells.in_unit(this_month, unit)
        context.problems.add(
            sheet, row, layout.headers["cumulative"],
            f"累计支出应为上月累计 {before} 加本月支出 {now}，即 {cells.in_unit(previous + this_month, unit)}"
            f"{unit.name}", written)
    return this_month
