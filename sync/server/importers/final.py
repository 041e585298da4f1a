"""``import final``: the final accounts (决算) of a year, one figure per stored budget line.

The file is the year's final accounts of the regions it covers: a line of those regions the file
does not list has no final figure afterwards.
"""

from __future__ import annotations

from sync.schema import budget_lines
from sync.server.importers.context import ImportContext
from sync.server.importers.layout import Field, Template
from sync.server.importers.lines import LINE_FIELDS, Duplicates, StoredLines, find_line, line_name
from sync.server.importers.plan import Plan

FINAL = Template("决算", (
    *LINE_FIELDS,
    Field("final", "决算数", ("决算支出", "决算支出数", "决算金额", "决算"), required=True, money=True),
))
TEMPLATES = (FINAL,)


def plan(context: ImportContext) -> Plan:
    if not context.require(FINAL):
        return Plan()
    lines: StoredLines | None = None
    finals: dict[int, int] = {}
    duplicates = Duplicates()
    for reader in context.rows(FINAL):
        year, name, final = context.row_year(reader), line_name(context, reader), reader.amount("final", required=True)
        if name is None or year is None:
            continue
        lines = lines or StoredLines(context, year)
        line_id = find_line(reader, lines, name)
        if line_id is not None and duplicates.check(reader, line_id, "function") and reader.ok:
            finals[line_id] = final
    if context.problems or lines is None:
        return Plan()
    changes = Plan()
    regions = {lines.rows[line_id]["region_code"] for line_id in finals}
    for line_id, row in lines.rows.items():
        if row["region_code"] in regions:
            changes.upsert(budget_lines, line_id, row, {"final": finals.get(line_id)})
    return changes
