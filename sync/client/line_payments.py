"""Each budget line's payments month by month: a table the replica derives from its executions and keeps
current whenever executions are written, so the desktop never adds up a city's executions to show them.

A city's year has 17 500 lines and 175 000 monthly executions. Adding up what each line paid to the as-of
month, and the whole scope's payments month by month, took the 预算执行 panel 130 ms of SQL at each fill
(benchmarks/desktop_start.py); read from this table, one row per line, it takes 30 ms.

Only the replica has this table: the server never sends it. Every write of executions in
:mod:`sync.client.replica` refreshes the lines it touched in the same transaction (a page: the lines of
its rows; a reset, a snapshot or a replaced table: all of them), so a reader always sees it agree with
the executions it was derived from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    MetaData,
    SmallInteger,
    Table,
    case,
    delete,
    func,
    insert,
    literal,
    select,
)

from sync.schema import executions

MONTHS = range(1, 13)

derived_metadata = MetaData()

line_payments = Table(
    "line_payments", derived_metadata,
    Column("line_id", BigInteger, primary_key=True, comment="budget_lines.id; lines without executions have no row"),
    Column("last_month", SmallInteger, nullable=False, comment="the line's latest reported month"),
    *(Column(f"m{month:02}", BigInteger, nullable=False, comment=f"paid in month {month}, fen") for month in MONTHS),
)

_CHUNK = 500  # line ids per statement, well under SQLite's limit on bound parameters


def month_column(month: int) -> Column:
    """The column of what a line paid in ``month`` (1–12)."""
    return line_payments.c[f"m{month:02}"]


def paid_through(month: int) -> ColumnElement[int]:
    """SQL: what a line paid from January through ``month`` (0: nothing yet)."""
    total: ColumnElement[int] = literal(0, BigInteger)
    for each in range(1, month + 1):
        total = total + month_column(each)
    return total


def _derived(line_ids: list[Any] | None):
    """``SELECT`` the rows of ``line_ids`` (None: every line) from the executions."""
    by_month = [func.sum(case((executions.c.month == month, executions.c.amount), else_=0)) for month in MONTHS]
    query = select(executions.c.line_id, func.max(executions.c.month), *by_month).group_by(executions.c.line_id)
    return query if line_ids is None else query.where(executions.c.line_id.in_(line_ids))


def rebuild(conn: Connection) -> None:
    """Derive every line's row again (after a snapshot, a reset or a replaced executions table)."""
    conn.execute(delete(line_payments))
    conn.execute(insert(line_payments).from_select(list(line_payments.c.keys()), _derived(None)))


def refresh(conn: Connection, line_ids: Iterable[Any]) -> None:
    """Derive the rows of these lines again (their executions changed); a line left without executions
    loses its row."""
    ordered = sorted(set(line_ids))
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start:start + _CHUNK]
        conn.execute(delete(line_payments).where(line_payments.c.line_id.in_(chunk)))
        conn.execute(insert(line_payments).from_select(list(line_payments.c.keys()), _derived(chunk)))


def lines_of(conn: Connection, execution_ids: Iterable[Any]) -> set[Any]:
    """The lines of the stored executions with these ids (read before they are replaced or deleted)."""
    ids = list(execution_ids)
    lines: set[Any] = set()
    for start in range(0, len(ids), _CHUNK):
        query = select(executions.c.line_id).where(executions.c.id.in_(ids[start:start + _CHUNK]))
        lines.update(conn.execute(query).scalars())
    return lines
