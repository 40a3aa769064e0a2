"""Working days (工作日) from the State Council's holiday arrangements, including 调休.

Statutory deadlines count working days, not calendar days (DOMAIN.md §4.1, §5): a day
is a working day when the State Council's annual notice (国办发明电) makes it one —
Monday to Friday except public holidays, plus the weekend days it declares make-up
working days (调休上班). The national arrangement comes from the ``chinesecalendar``
package, which is re-released every year after the notice is out. A site adds its local
days off (e.g. a 民族自治地方's own holidays) and local make-up days, and may give a
whole year's arrangement itself when the installed package does not cover that year yet.

A year nobody covers is never guessed: :class:`YearNotCovered` names it, and the checks
turn it into a warning at the date that needed it.

Periods are counted as Chinese law counts them (民法典 第二百零一条): the day an event
happens is not counted; the period starts the next day.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

import chinese_calendar

_DAY = dt.timedelta(days=1)


def _national_years() -> range:
    """The years the installed chinesecalendar has data for."""
    days = chinese_calendar.constants.holidays.keys()
    return range(min(days).year, max(days).year + 1)


NATIONAL_YEARS = _national_years()


@functools.cache
def _jan1(year: int) -> int:
    return dt.date(year, 1, 1).toordinal()


class YearNotCovered(Exception):
    """No holiday arrangement is known for ``year``: counting through it would be a guess."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year


@dataclass(frozen=True)
class WorkCalendar:
    """The national arrangement, with a site's local changes on top.

    ``days_off`` and ``workdays`` override the national arrangement day by day;
    ``years`` are years the site describes in full itself (Monday–Friday work, then
    ``days_off`` and ``workdays``), for a year the installed package does not cover yet.
    """

    days_off: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    years: frozenset[int] = frozenset()
    _cumulative: dict[int, list[int]] = field(default_factory=dict, init=False, compare=False, repr=False)

    @classmethod
    def of(
        cls, days_off: Iterable[dt.date] = (), workdays: Iterable[dt.date] = (), years: Iterable[int] = ()
    ) -> WorkCalendar:
        return cls(frozenset(days_off), frozenset(workdays), frozenset(years))

    def covers(self, year: int) -> bool:
        return year in NATIONAL_YEARS or year in self.years

    def first_uncovered(self, start: dt.date, end: dt.date) -> int | None:
        """The first year between two dates (both included) without an arrangement."""
        if start.year in NATIONAL_YEARS and end.year in NATIONAL_YEARS:
            return None
        return next((y for y in range(start.year, end.year + 1) if not self.covers(y)), None)

    def is_workday(self, day: dt.date) -> bool:
        table = self._year(day.year)
        index = day.toordinal() - _jan1(day.year)
        return table[index] > (table[index - 1] if index else 0)

    def _decide(self, day: dt.date) -> bool:
        """One day, from the site's days and the national arrangement (cached per year by _year)."""
        if day in self.workdays:
            return True
        if day in self.days_off:
            return False
        if day.year not in NATIONAL_YEARS:
            return day.weekday() < 5  # a year the site describes itself (``years``)
        return bool(chinese_calendar.is_workday(day))

    def working_days(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``).

        A document published on the 3rd working day after another is ``working_days == 3``.
        Raises :class:`YearNotCovered` for a year without an arrangement in between.
        """
        if end <= start:
            return 0
        missing = self.first_uncovered(start, end)
        if missing is not None:
            raise YearNotCovered(missing)
        whole_years = sum(self._year(y)[-1] for y in range(start.year, end.year))
        return whole_years + self._upto(end) - self._upto(start)

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start`` (the last day of a period)."""
        if count <= 0:
            return start
        year, target = start.year, self._upto(start) + count
        while True:
            table = self._year(year)
            if table[-1] >= target:
                return dt.date.fromordinal(_jan1(year) + bisect.bisect_left(table, target))
            target -= table[-1]
            year += 1

    def _upto(self, day: dt.date) -> int:
        """Working days from 1 January of ``day``'s year up to and including ``day``."""
        return self._year(day.year)[day.toordinal() - _jan1(day.year)]

    def _year(self, year: int) -> list[int]:
        table = self._cumulative.get(year)
        if table is None:
            if not self.covers(year):
                raise YearNotCovered(year)
            table, running, day = [], 0, dt.date(year, 1, 1)
            while day.year == year:
                running += self._decide(day)
                table.append(running)
                day += _DAY
            self._cumulative[year] = table
        return table
