"""A date axis over one fiscal year: x is epoch seconds, a tick at the end of each month reads ``1月``…

Month ends are taken in China Standard Time (UTC+8, no daylight saving), the zone the data's months
are reported in, whatever the PC's own zone is.
"""

from __future__ import annotations

import datetime as dt

import pyqtgraph as pg

from desktop.china_time import CHINA_TIME

SECONDS_PER_DAY = 86_400


def month_start(year: int, month: int) -> float:
    """Epoch seconds of the first moment of ``month`` (13 = the next year's January)."""
    year, month = (year + 1, 1) if month == 13 else (year, month)
    return dt.datetime(year, month, 1, tzinfo=CHINA_TIME).timestamp()


def month_ends(year: int) -> list[float]:
    """The start of the year, then the end of each month: 13 positions for cumulative figures."""
    return [month_start(year, month) for month in range(1, 14)]


class MonthAxis(pg.DateAxisItem):
    """Ticks at the month ends of one fiscal year (:meth:`set_year`); the year's start reads 年初."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._ends: list[float] = []  # no ticks until the chart has a year

    def set_year(self, year: int) -> None:
        self._ends = month_ends(year)
        self.picture = None  # pyqtgraph's cached drawing of the ticks
        self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        return [(30 * SECONDS_PER_DAY, [end for end in self._ends if minVal <= end <= maxVal])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        # A tick sits at a month's end, i.e. the first second of the next month.
        start = self._ends[0] if self._ends else None
        return [self.tr("年初") if value == start else
                self.tr("{month}月").format(month=dt.datetime.fromtimestamp(value - 1, CHINA_TIME).month)
                for value in values]
