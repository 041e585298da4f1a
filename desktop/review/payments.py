"""What each budget line has paid, added up once per review and shared by the rules on spending.

A city replica holds a million monthly executions: execution lag, livelihood payment lag, idle special
funds and the year-end rush each adding them up again took 1.5 s together (benchmarks/review_speed.py).
One pass instead fills a temporary table on the review's connection — a row per line that has executions —
which the rules join to the year's lines by the line's id; the table is dropped when the review ends.

A line's payments all fall in its own year (the importers find lines among the year's lines), so the
year's latest reported month — the as-of — bounds them: paid to the as-of month is everything paid on
the line, and the as-of is the latest month any of the year's lines reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Index, Table, case, func, select
from sqlalchemy.schema import CreateIndex, CreateTableAs, DropTable

from sync.schema import executions

LINE_PAYMENTS = "review_line_payments"


def _per_line():
    december = func.sum(case((executions.c.month == 12, executions.c.amount), else_=0))
    return (select(executions.c.line_id, func.max(executions.c.month).label("last_month"),
                   func.sum(executions.c.amount).label("paid"), december.label("december"))
            .group_by(executions.c.line_id))


@contextmanager
def line_payments(conn: Connection) -> Iterator[Table]:
    """The temporary table ``(line_id, last_month, paid, december)`` (fen) while the block runs.

    Only statements that SQLite's driver runs outside a transaction (no INSERT), so a read-only replica
    connection takes them and no transaction is left open. A block that fails leaves the table on its
    (pooled) connection — dropping it then would fail too ("table is locked") while the failed rule's
    query is still open — and the next review there drops it first.
    """
    create = CreateTableAs(_per_line(), LINE_PAYMENTS, temporary=True)
    table = create.table
    conn.execute(DropTable(table, if_exists=True))
    conn.execute(create)
    conn.execute(CreateIndex(Index(f"ix_{LINE_PAYMENTS}", table.c.line_id, unique=True)))
    yield table
    conn.execute(DropTable(table))
