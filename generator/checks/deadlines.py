"""Statutory deadlines counted in working days (DOMAIN.md §4.1, §5, §6).

* 条例 第二十六条 — a 主动公开 item is published within 20 working days of being made
  (``written_date``): W710; and of being changed: when another document repeals or amends
  it (``relations``), its own 效力状况 records that within 20 working days of the other
  document's publication or 施行日期, whichever is later: W717.
* 发布·解读·回应 (国办发〔2016〕19号 要点) — a 解读 is published at the latest 3 working days
  after the newest document it interprets: W711.
* 行政规范性文件 validity — ``expires`` when given, else 5 years from coming into force,
  2 years for 暂行/试行 (``deadlines.validity_years`` / ``provisional_years``; local rules vary): past it and still 有效 without renewal (W713; with ``expires``
  this is the error E507 of the cross-file checks), or ending within
  ``deadlines.expiry_window`` days (W714).
* 条例 第四十九条 — an agency's annual report (信息类别 公开年报) for year Y is published by
  31 January of Y+1 (a government's by 31 March, set per agency): W715 missing, W716 late.

Every check counts from the build date it is given (``--build-date`` / SOURCE_DATE_EPOCH),
never from the clock. A count that needs a year the working-day calendar does not cover
is not made: W712 says so at the date that needed it.

Besides diagnostics the checks produce :class:`Deadline` items — what is overdue or due
soon — for ``gongkai deadlines`` and the ``deadlines`` section of ``check --format json``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, diag
from generator.model.calendar import WorkCalendar, YearNotCovered
from generator.model.entry import Entry, Interpretation, Item
from generator.model.siteconfig import SiteConfig
from generator.source.files import CONFIG_FILE, read_bounded
from generator.source.frontmatter import MAX_FILE_BYTES, KeyPath, SourceFile, parse_yaml_file

PUBLISH_WITHIN = 20  # working days, 条例 第二十六条
INTERPRET_WITHIN = 3  # working days, 发布·解读·回应
PROVISIONAL = re.compile("暂行|试行")
NORMATIVE = "行政规范性文件"
INTERPRETED = ("规章", "行政规范性文件")
ANNUAL_REPORT = "公开年报"
DEFAULT_REPORT_DUE = (1, 31)
_REPORT_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")

# relation -> (verb zh, verb en, status to record, statuses that show it is recorded)
_CHANGES = {
    "repeals": ("废止", "repeals", "废止", ("废止", "失效")),
    "amends": ("修改", "amends", "已修改", ("已修改", "废止", "失效")),
}

RULES = {
    "publish": "条例第二十六条：20 个工作日内公开",
    "change": "条例第二十六条：信息变更后 20 个工作日内公开",
    "interpret": "发布·解读·回应：3 个工作日内发布解读",
    "expiry": "行政规范性文件有效期（5 年，暂行/试行 2 年）",
    "annual_report": "条例第四十九条：年度报告 1 月 31 日前（本级政府 3 月 31 日前）",
}
RULES_EN = {
    "publish": "条例 Art. 26: published within 20 working days",
    "change": "条例 Art. 26: a change published within 20 working days",
    "interpret": "发布·解读·回应: interpretation within 3 working days",
    "expiry": "validity of 行政规范性文件 (5 years, 暂行/试行 2)",
    "annual_report": "条例 Art. 49: annual report by 31 January (governments 31 March)",
}


@dataclass(frozen=True, order=True)
class Deadline:
    """Something an editor has to do by ``due``: ``overdue`` once the build date is past it."""

    due: dt.date
    kind: str  # interpret | change | expiry | annual_report
    status: str  # overdue | due_soon
    subject: str  # index_no, or the agency id for a missing annual report
    title: str
    path: str
    line: int

    def to_json(self, today: dt.date, lang: str = "zh") -> dict[str, Any]:
        data = asdict(self)
        data["due"] = self.due.isoformat()
        data["days_left"] = (self.due - today).days
        data["rule"] = (RULES_EN if lang == "en" else RULES)[self.kind]
        return data


@dataclass
class DeadlineReport:
    diagnostics: list[Diagnostic]
    deadlines: list[Deadline]


def check_deadlines(
    config: SiteConfig,
    entries: list[Entry],
    interps: list[Interpretation],
    sources: dict[str, SourceFile],
    root: Path,
    build_date: dt.date,
) -> DeadlineReport:
    checker = _Checker(config, entries, interps, sources, root, build_date)
    checker.run()
    return DeadlineReport(checker.diags, sorted(checker.items))


class _Checker:
    def __init__(
        self,
        config: SiteConfig,
        entries: list[Entry],
        interps: list[Interpretation],
        sources: dict[str, SourceFile],
        root: Path,
        today: dt.date,
    ) -> None:
        self.config = config
        self.calendar: WorkCalendar = config.deadlines.calendar
        self.entries = [e for e in entries if not e.draft]
        self.interps = [i for i in interps if not i.draft]
        self.sources = sources
        self.root = root
        self.today = today
        self.by_id = {e.index_no: e for e in self.entries}
        self.replaced = {t for e in self.entries for t in e.relations.get("replaces", ())}
        self.diags: list[Diagnostic] = []
        self.items: list[Deadline] = []

    def add(self, item: Item, path: KeyPath, code: str, **params: Any) -> None:
        src = self.sources.get(item.source)
        self.diags.append(diag(item.source, src.pos(path) if src else None, code, **params))

    def line(self, item: Item, path: KeyPath) -> int:
        src = self.sources.get(item.source)
        return src.pos(path)[0] if src else 0

    def uncovered(self, item: Item, path: KeyPath, year: int, what: str, what_en: str) -> None:
        self.add(item, path, "W712", year=year, what=what, what_en=what_en)

    def run(self) -> None:
        for entry in self.entries:
            self.publication(entry)
            self.validity(entry)
            self.changes(entry)
        interpreted: dict[str, list[Interpretation]] = {}
        for interp in self.interps:
            self.interpretation(interp)
            for target in interp.interprets:
                interpreted.setdefault(target, []).append(interp)
        for entry in self.entries:
            if entry.info_type in INTERPRETED and entry.index_no not in interpreted:
                self.interpretation_due(entry)
        self.annual_reports()

    # 条例 第二十六条
    def publication(self, entry: Entry) -> None:
        if entry.disclosure != "主动公开" or entry.published_date <= entry.written_date:
            return
        if entry.origin is not None:
            return  # imported: its dates are the old CMS's history, which no edit here can make timely
        try:
            days = self.calendar.working_days(entry.written_date, entry.published_date)
        except YearNotCovered as exc:
            field = "published_date" if exc.year == entry.published_date.year else "written_date"
            self.uncovered(entry, (field,), exc.year, "公开期限（第二十六条）", "the 20-day publication rule")
            return
        if days > PUBLISH_WITHIN:
            self.add(
                entry,
                ("published_date",),
                "W710",
                days=days,
                written=entry.written_date.isoformat(),
                published=entry.published_date.isoformat(),
                due=self.calendar.add_working_days(entry.written_date, PUBLISH_WITHIN).isoformat(),
            )

    # 条例 第二十六条, for a change: a document repealing or amending another one changes the
    # other's 效力状况, and that change is due on the other's record within 20 working days.
    def changes(self, entry: Entry) -> None:
        if entry.published_date > self.today:
            return
        changed = max(entry.published_date, entry.effective_date or entry.published_date)
        for relation, (action, action_en, expected, accepted) in _CHANGES.items():
            for target_id in entry.relations.get(relation, ()):
                target = self.by_id.get(target_id)
                if target is None or target is entry or not target.validity_history:
                    continue
                if any(ev.status in accepted for ev in target.validity_history):
                    continue
                try:
                    due = self.calendar.add_working_days(changed, PUBLISH_WITHIN)
                    days = self.calendar.working_days(changed, self.today)
                except YearNotCovered as exc:
                    self.uncovered(target, ("validity",), exc.year, "变更公开期限（第二十六条）", "the 20-day rule")
                    continue
                overdue = due < self.today
                if not overdue and (due - self.today).days > self.config.deadlines.expiry_window:
                    continue  # not due soon yet
                if overdue:
                    self.add(
                        target,
                        ("validity",),
                        "W717",
                        other=entry.index_no,
                        changed=changed.isoformat(),
                        action=action,
                        action_en=action_en,
                        days=days,
                        status=target.validity or target.validity_history[-1].status,
                        expected=expected,
                        due=due.isoformat(),
                    )
                self.items.append(
                    Deadline(
                        due,
                        "change",
                        "overdue" if overdue else "due_soon",
                        target.index_no,
                        target.title,
                        target.source,
                        self.line(target, ("validity",)),
                    )
                )

    # 发布·解读·回应
    def interpretation(self, interp: Interpretation) -> None:
        sources = [self.by_id[t] for t in interp.interprets if t in self.by_id]
        if not sources:
            return
        # An interpretation explaining a new document and the one it replaces is due
        # with the newest of them.
        newest = max(sources, key=lambda e: (e.published_date, e.index_no))
        start = newest.published_date
        if interp.published_date <= start or interp.origin is not None:
            return  # on time, or imported (a past publication no edit here can make timely)
        try:
            days = self.calendar.working_days(start, interp.published_date)
        except YearNotCovered as exc:
            self.uncovered(interp, ("published_date",), exc.year, "解读期限", "the 3-day interpretation rule")
            return
        if days > INTERPRET_WITHIN:
            self.add(
                interp,
                ("published_date",),
                "W711",
                days=days,
                target=newest.index_no,
                source_date=start.isoformat(),
                due=self.calendar.add_working_days(start, INTERPRET_WITHIN).isoformat(),
            )

    def interpretation_due(self, entry: Entry) -> None:
        """A 规章/行政规范性文件 still without 解读 (W101 reports it): its due date, for the list."""
        try:
            due = self.calendar.add_working_days(entry.published_date, INTERPRET_WITHIN)
        except YearNotCovered as exc:
            self.uncovered(entry, ("published_date",), exc.year, "解读期限", "the 3-day interpretation rule")
            return
        status = "overdue" if due < self.today else "due_soon"
        self.items.append(
            Deadline(
                due, "interpret", status, entry.index_no, entry.title, entry.source, self.line(entry, ("info_type",))
            )
        )

    # 行政规范性文件 validity
    def validity(self, entry: Entry) -> None:
        if entry.info_type != NORMATIVE or entry.validity != "有效":
            return
        if entry.index_no in self.replaced:
            return  # renewed: a newer document replaces it (its own status is checked elsewhere)
        end, path = entry.expires, ("expires",)
        if end is None:
            start = entry.effective_date or next(
                (ev.date for ev in entry.validity_history if ev.status == "有效"), entry.published_date
            )
            settings = self.config.deadlines
            years = settings.provisional_years if PROVISIONAL.search(entry.title) else settings.validity_years
            if years == 0:
                return  # the site's rule: only a stated ``expires`` counts
            end = _add_years(start, years) - dt.timedelta(days=1)
            path = ("validity",)
            if end < self.today:
                self.add(
                    entry,
                    path,
                    "W713",
                    doc_type=entry.info_type,
                    start=start.isoformat(),
                    years=years,
                    end=end.isoformat(),
                    lapse=(end + dt.timedelta(days=1)).isoformat(),
                )
        if end < self.today:
            # with ``expires`` this is E507 (crossref); listed either way
            self.items.append(
                Deadline(end, "expiry", "overdue", entry.index_no, entry.title, entry.source, self.line(entry, path))
            )
            return
        left = (end - self.today).days
        window = self.config.deadlines.expiry_window
        if left <= window:
            self.add(entry, path, "W714", end=end.isoformat(), days=left, window=window)
            self.items.append(
                Deadline(end, "expiry", "due_soon", entry.index_no, entry.title, entry.source, self.line(entry, path))
            )

    # 条例 第四十九条
    def annual_reports(self) -> None:
        reports: dict[str, dict[int, Entry]] = {}
        for entry in self.entries:
            if entry.info_type == ANNUAL_REPORT:
                year = report_year(entry)
                held = reports.setdefault(entry.publisher, {})
                if year not in held or entry.published_date < held[year].published_date:
                    held[year] = entry
        due_by = self.config.deadlines.annual_report_due
        agencies = sorted(set(reports) | set(due_by))
        for agency_id in agencies:
            held = reports.get(agency_id, {})
            month, day = due_by.get(agency_id, DEFAULT_REPORT_DUE)
            first = min(held) if held else self._first_year(agency_id)
            if first is None:
                continue
            first = max(first, self.config.deadlines.annual_report_since or first)
            for year in range(first, self.today.year + 1):
                due = dt.date(year + 1, month, day)
                if (due - self.today).days > self.config.deadlines.expiry_window:
                    continue  # not due soon yet
                report = held.get(year)
                if report is not None:
                    published = report.published_date
                    if published > due:
                        self.add(
                            report,
                            ("published_date",),
                            "W716",
                            year=year,
                            published=published.isoformat(),
                            due=due.isoformat(),
                        )
                    continue
                status = "overdue" if due < self.today else "due_soon"
                if status == "overdue":
                    self._missing_report(agency_id, year, due)
                self.items.append(
                    Deadline(
                        due,
                        "annual_report",
                        status,
                        agency_id,
                        f"{self.config.agency_name(agency_id)}{year}年政府信息公开工作年度报告",
                        CONFIG_FILE,
                        self._agency_pos(agency_id)[0],
                    )
                )

    def _first_year(self, agency_id: str) -> int | None:
        years = [e.published_date.year for e in self.entries if e.publisher == agency_id]
        return min(years) if years else None

    @cached_property
    def config_src(self) -> SourceFile | None:
        """site_config.yml with positions, read again only when a finding points into it."""
        try:
            return parse_yaml_file(CONFIG_FILE, read_bounded(self.root / CONFIG_FILE, MAX_FILE_BYTES))
        except OSError:
            return None

    def _agency_pos(self, agency_id: str) -> tuple[int, int]:
        src = self.config_src
        if src is None or src.data is None:
            return (0, 0)
        if agency_id in self.config.deadlines.annual_report_due:
            return src.pos(("deadlines", "annual_report_due", agency_id))
        index = next((i for i, a in enumerate(self.config.agencies) if a.id == agency_id), None)
        return src.pos(("agencies", index, "id")) if index is not None else (0, 0)

    def _missing_report(self, agency_id: str, year: int, due: dt.date) -> None:
        pos = self._agency_pos(agency_id)
        self.diags.append(
            diag(
                CONFIG_FILE,
                pos if pos != (0, 0) else None,
                "W715",
                agency=self.config.agency_name(agency_id),
                year=year,
                due=due.isoformat(),
            )
        )


def report_year(entry: Entry) -> int:
    """The year an annual report covers: the year in its title, else the year before publication."""
    match = _REPORT_YEAR.search(entry.title)
    return int(match.group(1)) if match else entry.published_date.year - 1


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
