"""What each budget line has paid, as the rules on spending read it: from the replica's ``line_payments``.

A city replica holds a million monthly executions. The replica keeps a row per line with its months side by
side, current with every sync (:mod:`sync.client.line_payments`); execution lag, livelihood payment lag, idle
special funds and the year-end rush join it to the year's lines by the line's id instead of adding up the
executions again, each of them, at every review.

A line's payments all fall in its own year (the importers find lines among the year's lines), so the
year's latest reported month — the as-of — bounds them: paid to the as-of month is everything paid on
the line, and the as-of is the latest month any of the year's lines reports.
"""

from __future__ import annotations

from sqlalchemy import Subquery, select

from sync.client.line_payments import line_payments, month_column, paid_through


def paid_by_line() -> Subquery:
    """``(line_id, last_month, paid, december)`` (fen) of every line with executions."""
    return select(line_payments.c.line_id, line_payments.c.last_month, paid_through(12).label("paid"),
                  month_column(12).label("december")).subquery("paid_by_line")
