"""Annual-report statistics for 规章 and 行政规范性文件 (DOMAIN.md §5.1, 第二十条第（一）项).

Counting rules (docs/exports.md, "Annual-report statistics"):

* **本年制发件数** — entries whose 成文日期 (``written_date``) falls in the year. The
  成文日期 is the day a document is made (signed); the 公开日期 may fall in the next
  year for a document signed in late December, and the 文号 year follows the
  signing date too.
* **本年废止件数** — entries with a validity event ``废止`` *or* ``失效`` dated in the
  year (an entry counts once). 失效 (lapsing at the end of a validity period) counts
  because it removes the document from 现行有效 exactly as a repeal does, and the
  清理 results list both. ``已修改`` is not counted: the report's column says 废止.
* **现行有效件数** — entries whose status on 31 December (:meth:`Entry.status_on`) is
  ``有效``, ``尚未生效`` or ``已修改``. A document made and published but not yet in
  force (its 施行日期 lies ahead) is a current document — issued, binding from a fixed
  day, not repealed — and is counted as such from the year it is made; coming into
  force later changes nothing in the table. Counting it only once in force would break
  the identity twice for every normal document signed in one year and in force in the
  next (−1 in its 成文 year, +1 in its 施行 year). ``已修改`` counts too: an amended
  document stays in force in its amended form (the amending 决定 is counted as made in
  its own year); a document leaves 现行有效 only by 废止 or 失效. A document signed in
  December whose first validity record is dated in January (published then) counts
  from its 成文日期 as well. For the year not yet over, the cut-off is the build date,
  and events dated after the cut-off are not counted anywhere.

The identity ``现行有效 = 上年现行有效 + 本年制发 − 本年废止`` is checked per row; with
these rules it holds for normal data. Every entry whose own change in 现行有效 differs
from what it contributes to ``制发 − 废止`` is a *cause* of a break, reported with a
reason: a document 废止 or 失效 that becomes 有效 again (a continued document is to be
re-registered as a new one), a document whose 成文日期 lies after its validity records,
one without any validity record. The causes add up to the difference exactly;
``gongkai check`` reports each as warning W130 to the editors (the public page shows a
neutral note).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from generator.model.entry import Entry

ROWS = ("规章", "行政规范性文件")
COUNTED_IN_FORCE = ("有效", "尚未生效", "已修改")  # statuses counted in 现行有效件数 (module docstring)
LEAVING = ("废止", "失效")


@dataclass(frozen=True)
class Cause:
    """One entry that makes the identity fail; ``effect`` is its share of the difference."""

    index_no: str
    title: str
    effect: int
    reason: str
    reason_en: str = ""


@dataclass(frozen=True)
class Row:
    info_type: str
    made: tuple[Entry, ...]
    repealed: tuple[Entry, ...]
    in_force: int
    in_force_before: int
    causes: tuple[Cause, ...] = ()

    @property
    def expected(self) -> int:
        return self.in_force_before + len(self.made) - len(self.repealed)

    @property
    def balanced(self) -> bool:
        return self.expected == self.in_force

    @property
    def difference(self) -> int:
        return self.in_force - self.expected


@dataclass(frozen=True)
class YearStats:
    year: int
    as_of: dt.date  # 31 December, or the build date for the year not yet over
    complete: bool
    rows: tuple[Row, ...]

    @property
    def balanced(self) -> bool:
        return all(r.balanced for r in self.rows)


# The last call's documents, date and result: a build asks twice (the page and annual.json),
# and the count walks every document once for every year.
_LAST: list[tuple[tuple[Entry, ...], dt.date | None, list[YearStats]]] = []


def annual_stats(entries: Iterable[Entry], today: dt.date | None = None) -> list[YearStats]:
    """Statistics for every year from the first dated 规章/行政规范性文件 to ``today``'s year."""
    docs = tuple(sorted((e for e in entries if e.info_type in ROWS), key=lambda e: e.index_no))
    # (the same entries, or equal ones, give the same statistics: the items are immutable)
    last = _LAST[0] if _LAST else None  # (one read: a build in another thread may replace it)
    if last is not None and last[1] == today and last[0] == docs:
        return list(last[2])
    out = _annual_stats(docs, today)
    _LAST[:] = [(docs, today, out)]
    return list(out)


def _annual_stats(docs: tuple[Entry, ...], today: dt.date | None) -> list[YearStats]:
    dates = [d for e in docs for d in (e.written_date, *(ev.date for ev in e.validity_history))]
    if today is not None:
        dates = [d for d in dates if d <= today]
    if not dates:
        return []
    first = min(dates).year
    last = today.year if today is not None else max(dates).year
    of_kind = {kind: [e for e in docs if e.info_type == kind] for kind in ROWS}  # (not again for every year)
    out = []
    for year in range(first, last + 1):
        end = dt.date(year, 12, 31)
        as_of = min(end, today) if today is not None else end
        rows = tuple(_row(kind, of_kind[kind], year, as_of) for kind in ROWS)
        out.append(YearStats(year, as_of, as_of == end, rows))
    return out


def _row(kind: str, docs: list[Entry], year: int, as_of: dt.date) -> Row:
    start = dt.date(year - 1, 12, 31)
    made, repealed, causes = [], [], []
    in_force = in_force_before = 0
    for e in docs:
        is_made = e.written_date.year == year and e.written_date <= as_of
        leaving = [
            ev for ev in e.validity_history if ev.status in LEAVING and ev.date.year == year and ev.date <= as_of
        ]
        before, after = e.status_on(start), e.status_on(as_of)
        was, now = _counted(e, before, start), _counted(e, after, as_of)
        made += [e] if is_made else []
        repealed += [e] if leaving else []
        in_force += now
        in_force_before += was
        effect = (now - was) - (is_made - bool(leaving))
        if effect:
            causes.append(
                Cause(
                    e.index_no,
                    e.title,
                    effect,
                    *_reason(e, is_made, leaving[0].status if leaving else None, before, after, was, now, as_of),
                )
            )
    return Row(kind, tuple(made), tuple(repealed), in_force, in_force_before, tuple(causes))


def _counted(e: Entry, status: str | None, day: dt.date) -> bool:
    """Whether ``e`` counts in 现行有效 on ``day``, its validity then being ``status``."""
    if status is None:
        # Made, but its first validity record comes later (signed in December, published in
        # January): counted from its 成文日期, like a document 尚未生效. An entry with no record
        # at all is not counted (its validity is unknown; the schema requires one).
        return bool(e.validity_history) and e.written_date <= day
    return status in COUNTED_IN_FORCE


def _status(value: str | None) -> str:
    return f"“{value}”" if value else "无效力记录"


def _status_en(value: str | None) -> str:
    return f"“{value}”" if value else "no validity record"


def _reason(
    e: Entry,
    made: bool,
    left: str | None,
    before: str | None,
    after: str | None,
    was: bool,
    now: bool,
    as_of: dt.date,
) -> tuple[str, str]:
    """Why ``e`` breaks the identity: (Chinese, English)."""
    written, day = e.written_date.isoformat(), as_of.isoformat()
    if made and not now and not left:
        return (
            f"本年制发（成文日期 {written}），但截至 {day} 效力状况为{_status(after)}，不在现行有效件数中",
            f"made this year (written {written}), but its validity on {day} is {_status_en(after)}, "
            "so it is not counted in force",
        )
    if made and was:
        return (
            f"本年制发（成文日期 {written}），但上年末已有效力状况记录{_status(before)}（记录日期早于成文日期）",
            f"made this year (written {written}), but it already had the validity {_status_en(before)} at the end "
            "of last year (a record dated before its written date)",
        )
    if now and not was and not made:
        if before in LEAVING:
            return (
                f"本年由{_status(before)}恢复为{_status(after)}，未计入本年制发（恢复施行的文件应重新登记、编号、公布）",
                f"restored this year from {_status_en(before)} to {_status_en(after)}, not counted as made "
                "(a document put back in force is to be registered, numbered and published anew)",
            )
        return (
            f"本年变为{_status(after)}，但成文日期 {written} 不在本年，未计入本年制发",
            f"became {_status_en(after)} this year, but its written date {written} is not in this year, "
            "so it is not counted as made",
        )
    if was and not now and not left:
        return (
            f"本年由{_status(before)}变为{_status(after)}，不计入本年废止",
            f"changed this year from {_status_en(before)} to {_status_en(after)}, not counted as repealed",
        )
    if left and not was and not made:
        return (
            f"本年{left}，但上年末效力状况为{_status(before)}，不在上年现行有效件数中",
            f"“{left}” this year, but its validity at the end of last year was {_status_en(before)}, "
            "so it was not counted in force last year",
        )
    if left and made and not was and now:
        return (
            f"本年制发并有{left}记录，但截至 {day} 效力状况仍为{_status(after)}",
            f"made this year with a “{left}” record, but its validity on {day} is still {_status_en(after)}",
        )
    return (
        f"上年末效力状况为{_status(before)}，截至 {day} 为{_status(after)}；"
        f"本年制发：{'是' if made else '否'}，本年废止：{'是' if left else '否'}",
        f"validity {_status_en(before)} at the end of last year, {_status_en(after)} on {day}; "
        f"made this year: {'yes' if made else 'no'}, repealed this year: {'yes' if left else 'no'}",
    )
