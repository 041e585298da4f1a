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

import json
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Integer,
    MetaData,
    SmallInteger,
    Table,
    bindparam,
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
    # INTEGER, not BIGINT: SQLite's rowid itself (64-bit), found in one B-tree search instead of an index's and then
    # the table's.
    Column("line_id", Integer, primary_key=True, autoincrement=False,
           comment="budget_lines.id; lines without executions have no row"),
    Column("last_month", SmallInteger, nullable=False, comment="the line's latest reported month"),
    *(Column(f"m{month:02}", BigInteger, nullable=False, comment=f"paid in month {month}, fen") for month in MONTHS),
)


def month_column(month: int) -> Column:
    """The column of what a line paid in ``month`` (1–12)."""
    return line_payments.c[f"m{month:02}"]


def paid_through(month: int) -> ColumnElement[int]:
    """SQL: what a line paid from January through ``month`` (0: nothing yet)."""
    total: ColumnElement[int] = literal(0, BigInteger)
    for each in range(1, month + 1):
        total = total + month_column(each)
    return total


def _derived():
    """``SELECT`` each line's row from the executions."""
    # FILTER rather than CASE: a quarter less time per page of executions.
    by_month = [func.coalesce(func.sum(executions.c.amount).filter(executions.c.month == month), 0)
                for month in MONTHS]
    return select(executions.c.line_id, func.max(executions.c.month), *by_month).group_by(executions.c.line_id)


def _listed(column: Column):
    """``column IN`` the list bound as JSON text to ``:ids``: a page's thousands of ids in one statement that
    compiles once, where an expanding ``IN`` would compile again for every length, in chunks."""
    return column.in_(select(func.json_each(bindparam("ids")).table_valued("value").c.value))


def _ids(values: Iterable[Any]) -> dict[str, str]:
    return {"ids": json.dumps(sorted(set(values)))}


# Built once: SQLAlchemy then finds them compiled in its cache at every page.
_REBUILD = insert(line_payments).from_select(list(line_payments.c.keys()), _derived())
_FORGET = delete(line_payments).where(_listed(line_payments.c.line_id))
_DERIVE = insert(line_payments).from_select(list(line_payments.c.keys()),
                                            _derived().where(_listed(executions.c.line_id)))
_LINES_OF = select(executions.c.line_id).distinct().where(_listed(executions.c.id))


def rebuild(conn: Connection) -> None:
    """Derive every line's row again (after a snapshot, a reset or a replaced executions table)."""
    conn.execute(delete(line_payments))
    conn.execute(_REBUILD)


def refresh(conn: Connection, line_ids: Collection[Any]) -> None:
    """Derive the rows of these lines again (their executions changed); a line left without executions
    loses its row."""
    if line_ids:
        listed = _ids(line_ids)
        conn.execute(_FORGET, listed)
        conn.execute(_DERIVE, listed)


def lines_of(conn: Connection, execution_ids: Collection[Any]) -> set[Any]:
    """The lines of the stored executions with these ids (read before they are replaced or deleted)."""
    return set(conn.execute(_LINES_OF, _ids(execution_ids)).scalars()) if execution_ids else set()
