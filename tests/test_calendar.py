"""Working days around 春节 and 国庆 2024–2026, computed by hand from the State Council notices.

The arrangements (国办发明电〔2023〕7号 for 2024, 〔2024〕12号 for 2025, 〔2025〕7号 for 2026):

* 2024 春节 2月10日—17日放假，2月4日（周日）、2月18日（周日）上班；
  国庆 10月1日—7日放假，9月29日（周日）、10月12日（周六）上班.
* 2025 春节 1月28日—2月4日放假，1月26日（周日）、2月8日（周六）上班；
  国庆中秋 10月1日—8日放假，9月28日（周日）、10月11日（周六）上班.
* 2026 春节 2月15日—23日放假，2月14日（周六）、2月28日（周六）上班；
  国庆 10月1日—7日放假，9月20日（周日）、10月10日（周六）上班.

A period excludes the day of the event (民法典 第二百零一条): ``working_days(a, b) == 3``
means ``b`` is the 3rd working day after ``a``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.model.calendar import NATIONAL_YEARS, WorkCalendar, YearNotCovered

D = dt.date
CAL = WorkCalendar()

BREAKS = {
    # (first day off, last day off, make-up working days)
    "2024 春节": (D(2024, 2, 10), D(2024, 2, 17), (D(2024, 2, 4), D(2024, 2, 18))),
    "2024 国庆": (D(2024, 10, 1), D(2024, 10, 7), (D(2024, 9, 29), D(2024, 10, 12))),
    "2025 春节": (D(2025, 1, 28), D(2025, 2, 4), (D(2025, 1, 26), D(2025, 2, 8))),
    "2025 国庆": (D(2025, 10, 1), D(2025, 10, 8), (D(2025, 9, 28), D(2025, 10, 11))),
    "2026 春节": (D(2026, 2, 15), D(2026, 2, 23), (D(2026, 2, 14), D(2026, 2, 28))),
    "2026 国庆": (D(2026, 10, 1), D(2026, 10, 7), (D(2026, 9, 20), D(2026, 10, 10))),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_the_calendar_follows_the_official_arrangement(name: str) -> None:
    first, last, makeup = BREAKS[name]
    day = first
    while day <= last:
        assert not CAL.is_workday(day), day
        day += dt.timedelta(days=1)
    for day in makeup:
        assert day.weekday() >= 5 and CAL.is_workday(day), day
    assert CAL.is_workday(first - dt.timedelta(days=1))  # the last working day before the break


@pytest.mark.parametrize(
    ("published", "interpreted", "days"),
    [
        # 2024: policy on 除夕 (Fri 2-9, a working day): 2-18 (Sun, 调休) is the 1st working day after it
        (D(2024, 2, 9), D(2024, 2, 16), 0),  # a calendar week later, still inside the break
        (D(2024, 2, 9), D(2024, 2, 20), 3),  # 11 calendar days: on time
        (D(2024, 2, 9), D(2024, 2, 21), 4),
        (D(2024, 2, 2), D(2024, 2, 7), 4),  # 5 calendar days but 2-4 (Sun) was a working day: late
        # 2025: last working day before the break is Mon 1-27
        (D(2025, 1, 27), D(2025, 2, 7), 3),
        (D(2025, 1, 27), D(2025, 2, 8), 4),  # Sat 2-8 is a make-up working day
        (D(2025, 1, 24), D(2025, 2, 6), 4),  # Sun 1-26 counts
        # 2026: Fri 2-13, then Sat 2-14 works, 2-15..2-23 off
        (D(2026, 2, 13), D(2026, 2, 25), 3),
        (D(2026, 2, 13), D(2026, 2, 26), 4),
        (D(2026, 2, 14), D(2026, 2, 26), 3),
        (D(2026, 2, 14), D(2026, 2, 28), 5),
        # 国庆
        (D(2024, 9, 30), D(2024, 10, 10), 3),
        (D(2024, 9, 30), D(2024, 10, 11), 4),
        (D(2024, 9, 27), D(2024, 10, 8), 3),  # Sun 9-29 and Mon 9-30 count
        (D(2024, 10, 11), D(2024, 10, 16), 4),  # 5 calendar days, Sat 10-12 works: late
        (D(2025, 9, 30), D(2025, 10, 11), 3),  # Sat 10-11 is the 3rd working day
        (D(2025, 9, 30), D(2025, 10, 13), 4),
        (D(2026, 9, 30), D(2026, 10, 10), 3),
        (D(2026, 9, 30), D(2026, 10, 12), 4),
        # ordinary weeks and edge cases
        (D(2024, 3, 4), D(2024, 3, 11), 5),
        (D(2024, 3, 4), D(2024, 3, 4), 0),
        (D(2024, 3, 4), D(2024, 3, 1), 0),
        (D(2024, 12, 30), D(2025, 1, 3), 3),  # across the new year: 12-31, (1-1 off), 1-2, 1-3
    ],
)
def test_working_days_around_the_holidays(published: dt.date, interpreted: dt.date, days: int) -> None:
    assert CAL.working_days(published, interpreted) == days


@pytest.mark.parametrize(
    ("start", "count", "due"),
    [
        (D(2024, 2, 9), 3, D(2024, 2, 20)),
        (D(2025, 1, 27), 3, D(2025, 2, 7)),
        (D(2026, 2, 13), 3, D(2026, 2, 25)),
        (D(2024, 9, 30), 3, D(2024, 10, 10)),
        (D(2025, 9, 30), 3, D(2025, 10, 11)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),
        # 20 working days from Fri 2024-09-20: 9-23..27 (5), 9-29 (6), 9-30 (7), 10-8..11 (11),
        # 10-12 (12), 10-14..18 (17), 10-21, 22, 23 (20)
        (D(2024, 9, 20), 20, D(2024, 10, 23)),
    ],
)
def test_due_dates(start: dt.date, count: int, due: dt.date) -> None:
    assert CAL.add_working_days(start, count) == due
    assert CAL.working_days(start, due) == count


def test_a_year_outside_the_calendar_is_never_guessed() -> None:
    beyond = NATIONAL_YEARS.stop  # the first year the installed chinesecalendar has no data for
    assert not CAL.covers(beyond)
    with pytest.raises(YearNotCovered) as exc:
        CAL.working_days(D(beyond - 1, 12, 30), D(beyond, 1, 5))
    assert exc.value.year == beyond
    with pytest.raises(YearNotCovered):
        CAL.is_workday(D(NATIONAL_YEARS.start - 1, 6, 2))
    with pytest.raises(YearNotCovered):
        CAL.add_working_days(D(beyond - 1, 12, 31), 1)
    # a gap year in the middle is not skipped either
    site = WorkCalendar.of(years=[beyond + 1])
    with pytest.raises(YearNotCovered) as exc:
        site.working_days(D(beyond - 1, 6, 1), D(beyond + 1, 6, 1))
    assert exc.value.year == beyond


def test_local_days_off_make_up_days_and_site_years() -> None:
    local = WorkCalendar.of(days_off=[D(2025, 3, 3)], workdays=[D(2025, 3, 1)])
    assert CAL.working_days(D(2025, 2, 28), D(2025, 3, 4)) == 2
    assert local.working_days(D(2025, 2, 28), D(2025, 3, 4)) == 2  # +Sat 3-1, −Mon 3-3
    assert local.working_days(D(2025, 2, 28), D(2025, 3, 3)) == 1
    beyond = NATIONAL_YEARS.stop
    first_monday = next(D(beyond, 1, d) for d in range(1, 8) if D(beyond, 1, d).weekday() == 0)
    site = WorkCalendar.of(days_off=[first_monday], years=[beyond])
    assert site.covers(beyond)
    # Monday off, so the week has four working days
    assert site.working_days(first_monday - dt.timedelta(days=1), first_monday + dt.timedelta(days=6)) == 4
