"""Statutory deadline checks (W710–W716), ``gongkai deadlines`` and the deadlines in check's JSON.

Day counts are worked out by hand in tests/test_calendar.py from the State Council notices.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from typing import Any

import pytest

from generator.model.calendar import NATIONAL_YEARS
from tests.conftest import CONFIG, run_cli

D = dt.date
NORMATIVE = {"info_type": "行政规范性文件", "doc_number": "测政办规〔2021〕1号", "validity": "有效"}


def first_lines(p: Any, build_date: dt.date | None = None) -> list[str]:
    diags = p.diagnostics(build_date) if build_date else p.diagnostics()
    return [d.format().split("\n")[0] for d in diags]


def policy_and_interpretation(p: Any, published: dt.date, interpreted: dt.date) -> None:
    year = published.year
    p.entry(index_no=f"000000002/{year}-00001", written_date=published, published_date=published)
    p.interpretation(
        index_no=f"000000002/{interpreted.year}-00002",
        interprets=[f"000000002/{year}-00001"],
        published_date=interpreted,
    )


# --- 解读: 3 working days (W711) ---


@pytest.mark.parametrize(
    ("published", "on_time", "late", "days_late"),
    [
        (D(2024, 2, 9), D(2024, 2, 20), D(2024, 2, 21), 4),  # 除夕 2024, 调休 Sun 2-18
        (D(2025, 1, 27), D(2025, 2, 7), D(2025, 2, 8), 4),  # Sat 2-8 is a make-up working day
        (D(2026, 2, 13), D(2026, 2, 25), D(2026, 2, 26), 4),  # Sat 2-14 works, then 9 days off
        (D(2024, 9, 30), D(2024, 10, 10), D(2024, 10, 11), 4),
        (D(2025, 9, 30), D(2025, 10, 11), D(2025, 10, 13), 4),
        (D(2026, 9, 30), D(2026, 10, 10), D(2026, 10, 12), 4),
    ],
)
def test_interpretation_due_in_three_working_days_around_holidays(
    make_project: Any, published: dt.date, on_time: dt.date, late: dt.date, days_late: int
) -> None:
    p = make_project()
    policy_and_interpretation(p, published, on_time)
    assert p.diagnostics(D(2026, 11, 1)) == []
    p = make_project()
    policy_and_interpretation(p, published, late)
    (d,) = p.diagnostics(D(2026, 11, 1))
    assert d.code == "W711"
    assert d.message() == (
        f"解读发布于原文件 000000002/{published.year}-00001（公开于 {published.isoformat()}）"
        f"之后第 {days_late} 个工作日，超过 3 个工作日"
    )
    assert d.hint() == (
        f"“发布·解读·回应”规定：政策解读与文件同步发布，最迟在文件公开后 3 个工作日内（本件最迟 {on_time.isoformat()}）"
    )


def test_a_calendar_week_later_can_be_on_time_or_late(make_project: Any) -> None:
    # 7 calendar days after 除夕 2024 is still inside the break: on time
    p = make_project()
    policy_and_interpretation(p, D(2024, 2, 9), D(2024, 2, 16))
    assert p.diagnostics() == []
    # 7 calendar days after an ordinary Monday: the 5th working day, late
    p = make_project()
    policy_and_interpretation(p, D(2024, 3, 4), D(2024, 3, 11))
    (d,) = p.diagnostics()
    assert (d.code, dict(d.params)["days"]) == ("W711", 5)


@pytest.mark.parametrize(
    ("published", "interpreted"),
    [
        (D(2024, 10, 11), D(2024, 10, 16)),  # 5 calendar days, but Sat 10-12 was a working day
        (D(2024, 2, 2), D(2024, 2, 7)),  # Sun 2-4 was a working day
    ],
)
def test_make_up_working_days_count(make_project: Any, published: dt.date, interpreted: dt.date) -> None:
    p = make_project()
    policy_and_interpretation(p, published, interpreted)
    assert [d.code for d in p.diagnostics()] == ["W711"]


def test_interpretation_counts_from_the_newest_document(make_project: Any) -> None:
    p = make_project()
    p.entry("old", index_no="000000002/2024-00001", written_date=D(2024, 3, 1), published_date=D(2024, 3, 1))
    p.entry("new", index_no="000000002/2024-00003", written_date=D(2024, 9, 27), published_date=D(2024, 9, 27))
    p.interpretation(interprets=["000000002/2024-00001", "000000002/2024-00003"], published_date=D(2024, 10, 8))
    assert p.diagnostics() == []


def test_local_days_off_move_the_deadline(make_project: Any) -> None:
    p = make_project(CONFIG + "calendar:\n  days_off: [2024-03-06]\n")
    policy_and_interpretation(p, D(2024, 3, 4), D(2024, 3, 8))  # Tue, (Wed off), Thu, Fri
    assert p.diagnostics() == []
    p = make_project(CONFIG + "calendar:\n  workdays: [2024-03-09]\n")
    policy_and_interpretation(p, D(2024, 3, 7), D(2024, 3, 12))  # Fri, Sat (local), Mon, Tue = 4
    assert [d.code for d in p.diagnostics()] == ["W711"]


# --- 条例 第二十六条: 20 working days (W710) ---


def test_published_within_twenty_working_days(make_project: Any) -> None:
    p = make_project()
    p.entry(written_date=D(2024, 9, 20), published_date=D(2024, 10, 23))
    assert p.diagnostics() == []
    p.entry(written_date=D(2024, 9, 20), published_date=D(2024, 10, 24))
    (d,) = p.diagnostics()
    assert d.format() == (
        "catalogue/e1.md:7:17: 警告[W710]: 公开日期 2024-10-24 距成文日期 2024-09-20 已 21 个工作日，超过 20 个工作日\n"
        "  提示：《政府信息公开条例》第二十六条：主动公开的政府信息应自形成或者变更之日起 20 个工作日内公开"
        "（最迟 2024-10-23）；如成文日期有误请更正"
    )
    assert d.message("en") == "published 2024-10-24, 21 working days after written_date 2024-09-20: more than 20"


def test_twenty_working_days_do_not_apply_to_on_request_entries_or_drafts(make_project: Any) -> None:
    p = make_project()
    p.entry(written_date=D(2024, 1, 2), published_date=D(2024, 6, 3), disclosure="依申请公开")
    p.entry("e2", index_no="000000002/2024-00003", written_date=D(2024, 1, 2), published_date=D(2024, 6, 3), draft=True)
    assert p.diagnostics() == []


def test_publication_timeliness_skips_imported_records_but_not_their_validity(make_project: Any) -> None:
    # An imported record's dates are the old CMS's history: W710/W711 could never be fixed by an edit.
    p = make_project()
    origin = {"id": "cms-1"}
    p.entry(written_date=D(2024, 1, 2), published_date=D(2024, 6, 3), origin=origin)
    p.interpretation(
        index_no="000000002/2024-00002",
        interprets=["000000002/2024-00001"],
        published_date=D(2024, 7, 1),
        origin={"id": "cms-2"},
    )
    assert p.diagnostics() == []
    # ... while a hand-written record with the same dates is still judged
    p.entry(written_date=D(2024, 1, 2), published_date=D(2024, 6, 3))
    p.interpretation(index_no="000000002/2024-00002", interprets=["000000002/2024-00001"], published_date=D(2024, 7, 1))
    assert sorted(d.code for d in p.diagnostics()) == ["W710", "W711"]
    # the validity period still applies to an imported normative document (the office can act on it)
    p2 = make_project()
    p2.entry(
        **NORMATIVE,
        written_date=D(2015, 1, 5),
        published_date=D(2015, 1, 6),
        validity_history=[{"date": D(2015, 1, 6), "status": "有效"}],
        origin=origin,
    )
    assert "W713" in [d.code for d in p2.diagnostics(D(2025, 12, 1))]


# --- a year outside the calendar (W712) ---


def test_a_year_the_calendar_does_not_cover_is_a_warning_not_a_count(make_project: Any) -> None:
    beyond = NATIONAL_YEARS.stop
    fields = {
        "index_no": f"000000002/{beyond}-00001",
        "written_date": D(beyond, 1, 4),
        "published_date": D(beyond, 3, 1),
    }
    p = make_project()
    p.entry(**fields)
    p.interpretation(
        index_no=f"000000002/{beyond}-00002", interprets=[fields["index_no"]], published_date=D(beyond, 3, 20)
    )
    today = D(beyond, 4, 1)
    assert first_lines(p, today) == [
        f"catalogue/e1.md:7:17: 警告[W712]: 工作日历没有 {beyond} 年的节假日安排，无法计算公开期限（第二十六条）的工作日",
        f"content/interpretations/i1.md:8:17: 警告[W712]: 工作日历没有 {beyond} 年的节假日安排，无法计算解读期限的工作日",
    ]
    # the site gives that year's arrangement itself: counted (Mon–Fri), and late
    p2 = make_project(CONFIG + f"calendar:\n  years: [{beyond}]\n")
    p2.entry(**fields)
    p2.interpretation(
        index_no=f"000000002/{beyond}-00002", interprets=[fields["index_no"]], published_date=D(beyond, 3, 20)
    )
    assert sorted(d.code for d in p2.diagnostics(today)) == ["W710", "W711"]


def test_the_uncovered_warning_points_at_the_date_that_needs_it(make_project: Any) -> None:
    first = NATIONAL_YEARS.start  # the first year of the installed calendar; the one before is not covered
    p = make_project()
    p.entry(index_no=f"000000002/{first}-00001", written_date=D(first - 1, 12, 30), published_date=D(first, 1, 5))
    assert first_lines(p) == [
        f"catalogue/e1.md:6:15: 警告[W712]: 工作日历没有 {first - 1} 年的节假日安排，无法计算公开期限（第二十六条）的工作日"
    ]


# --- 行政规范性文件 validity (W713, W714, E507) ---


def normative(p: Any, name: str = "e1", **overrides: Any) -> None:
    fields = {
        **NORMATIVE,
        "index_no": "000000002/2021-00001",
        "written_date": D(2021, 3, 1),
        "published_date": D(2021, 3, 5),
        "validity_history": [{"date": D(2021, 3, 5), "status": "有效"}],
        **overrides,
    }
    p.entry(name, **fields)
    p.interpretation(
        f"i-{name}",
        index_no=fields["index_no"][:10] + fields["index_no"][10:14] + "-9" + fields["index_no"][-4:],
        interprets=[fields["index_no"]],
        published_date=fields["published_date"],
    )


def test_expiring_within_the_window(make_project: Any) -> None:
    p = make_project()
    normative(p, expires=D(2026, 2, 14))
    assert first_lines(p) == ["catalogue/e1.md:17:10: 警告[W714]: 有效期至 2026-02-14，还有 30 天到期"]
    assert p.load().deadlines[0].status == "due_soon"
    p2 = make_project()
    normative(p2, expires=D(2026, 4, 16))  # 91 days after the build date
    assert p2.diagnostics() == []
    p3 = make_project(CONFIG + "deadlines:\n  expiry_window: 120\n")
    normative(p3, expires=D(2026, 4, 16))
    assert [d.code for d in p3.diagnostics()] == ["W714"]


def test_expired_with_expires_is_the_existing_error_and_listed_overdue(make_project: Any) -> None:
    p = make_project()
    normative(p, expires=D(2025, 12, 31))
    project = p.load()
    assert [d.code for d in project.diagnostics] == ["E507"]
    ((kind, status, due),) = [(d.kind, d.status, d.due) for d in project.deadlines]
    assert (kind, status, due) == ("expiry", "overdue", D(2025, 12, 31))


def test_five_years_without_expires_and_two_for_provisional(make_project: Any) -> None:
    p = make_project()
    normative(p, effective_date=D(2021, 1, 15))
    (d,) = p.diagnostics()
    assert d.message() == "行政规范性文件自 2021-01-15 起已满 5 年有效期（至 2026-01-14），未见延续，效力状况仍为 有效"
    assert "{date: 2026-01-15, status: 失效}" in d.hint()
    p2 = make_project()
    normative(p2, effective_date=D(2021, 1, 16))  # ends 2026-01-15: still valid on the build date
    assert [d.code for d in p2.diagnostics()] == ["W714"]
    p3 = make_project()
    normative(
        p3,
        title="测试市人民政府办公室关于印发测试市政务公开暂行办法的通知",
        index_no="000000002/2023-00001",
        written_date=D(2023, 12, 1),
        published_date=D(2023, 12, 5),
        validity_history=[{"date": D(2023, 12, 5), "status": "有效"}],
    )
    (d,) = p3.diagnostics()
    assert d.message() == "行政规范性文件自 2023-12-05 起已满 2 年有效期（至 2025-12-04），未见延续，效力状况仍为 有效"


def test_the_assumed_period_follows_the_local_rule(make_project: Any) -> None:
    p = make_project(CONFIG + "deadlines:\n  validity_years: 0\n")
    normative(p, effective_date=D(2019, 1, 15))
    assert p.diagnostics() == []  # only a stated expires counts
    p2 = make_project(CONFIG + "deadlines:\n  validity_years: 3\n  provisional_years: 1\n")
    normative(p2, effective_date=D(2023, 1, 10))
    assert [d.message() for d in p2.diagnostics()] == [
        "行政规范性文件自 2023-01-10 起已满 3 年有效期（至 2026-01-09），未见延续，效力状况仍为 有效"
    ]


def test_renewed_or_lapsed_documents_are_not_reported(make_project: Any) -> None:
    p = make_project()
    normative(p, effective_date=D(2021, 1, 15))
    normative(
        p,
        "renewal",
        index_no="000000002/2026-00001",
        doc_number="测政办规〔2026〕1号",
        written_date=D(2026, 1, 5),
        published_date=D(2026, 1, 6),
        expires=D(2031, 1, 5),
        validity_history=[{"date": D(2026, 1, 6), "status": "有效"}],
        relations={"replaces": ["000000002/2021-00001"]},
    )
    assert p.diagnostics() == []
    p2 = make_project()
    normative(
        p2,
        validity="失效",
        expires=D(2025, 3, 1),
        validity_history=[{"date": D(2021, 3, 5), "status": "有效"}, {"date": D(2025, 3, 2), "status": "失效"}],
    )
    assert p2.diagnostics() == []
    assert p2.load().deadlines == []


# --- a change: repeal / amendment recorded within 20 working days (W717) ---


def repeal(p: Any, relation: str = "repeals", **target: Any) -> None:
    fields = {
        "index_no": "000000002/2024-00001",
        "written_date": D(2024, 3, 1),
        "published_date": D(2024, 3, 5),
        "validity_history": [{"date": D(2024, 3, 5), "status": "有效"}],
        "expires": D(2029, 3, 4),
        **target,
    }
    normative(p, "old", **fields)
    p.entry(
        "new",
        index_no="000000002/2024-00005",
        written_date=D(2024, 9, 26),
        published_date=D(2024, 9, 27),
        relations={relation: ["000000002/2024-00001"]},
    )


def test_a_repeal_is_recorded_within_twenty_working_days(make_project: Any) -> None:
    # 20 working days after Fri 2024-09-27: 9-29 (调休), 9-30, 10-8..12, 10-14..18, 10-21..25, 10-28..30
    p = make_project()
    repeal(p)
    assert p.diagnostics(D(2024, 10, 30)) == []
    assert [(d.kind, d.status, d.due) for d in p.load(D(2024, 10, 30)).deadlines] == [
        ("change", "due_soon", D(2024, 10, 30))
    ]
    (d,) = p.diagnostics(D(2024, 10, 31))
    assert d.format() == (
        "catalogue/old.md:13:11: 警告[W717]: 000000002/2024-00005 自 2024-09-27 起废止本文件，21 个工作日后效力状况仍为 有效\n"
        "  提示：《政府信息公开条例》第二十六条：信息变更之日起 20 个工作日内公开（最迟 2024-10-30）；"
        "在 validity_history 中补记 {date: 2024-09-27, status: 废止, by: 000000002/2024-00005} 并更新 validity"
    )


def test_a_repeal_counts_from_the_later_effective_date(make_project: Any) -> None:
    p = make_project()
    repeal(p)
    p.entry(
        "new",
        index_no="000000002/2024-00005",
        written_date=D(2024, 9, 26),
        published_date=D(2024, 9, 27),
        effective_date=D(2024, 11, 1),
        relations={"repeals": ["000000002/2024-00001"]},
    )
    assert p.diagnostics(D(2024, 11, 28)) == []  # 11-1 + 20 working days = 11-29
    assert [d.code for d in p.diagnostics(D(2024, 11, 30))] == ["W717"]


def test_a_recorded_repeal_or_amendment_is_not_reported(make_project: Any) -> None:
    p = make_project()
    history = [
        {"date": D(2024, 3, 5), "status": "有效"},
        {"date": D(2024, 9, 27), "status": "废止", "by": "000000002/2024-00005"},
    ]
    repeal(p, validity="废止", validity_history=history)
    assert p.diagnostics(D(2025, 6, 1)) == []
    p2 = make_project()
    repeal(p2, "amends")
    assert [d.message() for d in p2.diagnostics(D(2024, 11, 1))] == [
        "000000002/2024-00005 自 2024-09-27 起修改本文件，22 个工作日后效力状况仍为 有效"
    ]
    p3 = make_project()
    history[1]["status"] = "已修改"
    repeal(p3, "amends", validity="已修改", validity_history=history)
    assert p3.diagnostics(D(2025, 6, 1)) == []


# --- annual report, 条例 第四十九条 (W715, W716) ---


def report(p: Any, name: str, year: int, published: dt.date, publisher: str = "office", title: str = "") -> None:
    code = {"office": "000000002", "edu": "000000003"}[publisher]
    p.entry(
        name,
        index_no=f"{code}/{published.year}-{year % 100:05d}",
        title=title or f"测试市{year}年政府信息公开工作年度报告",
        publisher=publisher,
        info_type="公开年报",
        genre="报告",
        doc_number=None,
        written_date=published,
        published_date=published,
    )


def test_annual_report_due_31_january(make_project: Any) -> None:
    p = make_project()
    report(p, "r23", 2023, D(2024, 1, 31))
    report(p, "r24", 2024, D(2025, 2, 1))
    assert first_lines(p) == ["catalogue/r24.md:6:17: 警告[W716]: 2024 年度报告公开于 2025-02-01，晚于 2025-01-31"]
    project = p.load()
    # the 2025 report is due on 2026-01-31: due soon, not yet a finding
    assert [(d.kind, d.status, d.due, d.subject) for d in project.deadlines] == [
        ("annual_report", "due_soon", D(2026, 1, 31), "office")
    ]


def test_missing_annual_report_once_the_date_has_passed(make_project: Any) -> None:
    p = make_project()
    report(p, "r23", 2023, D(2024, 1, 20))
    assert [d.code for d in p.diagnostics(D(2025, 1, 31))] == []
    assert first_lines(p, D(2025, 2, 1)) == [
        "site_config.yml:12:10: 警告[W715]: 测试市人民政府办公室 未在 2025-01-31 前公开 2024 年政府信息公开工作年度报告"
    ]


def test_a_government_report_is_due_31_march_when_configured(make_project: Any) -> None:
    config = CONFIG + "deadlines:\n  annual_report_due: {office: 03-31, edu: 01-31}\n"
    p = make_project(config)
    report(p, "r24", 2024, D(2025, 3, 28))
    # edu is listed, so it must report too, from its first year in the catalogue (none yet: nothing)
    assert first_lines(p, D(2025, 6, 1)) == []
    p.entry("edu1", index_no="000000003/2024-00001", publisher="edu")
    assert first_lines(p, D(2025, 6, 1)) == [
        "site_config.yml:17:43: 警告[W715]: 测试市教育局 未在 2025-01-31 前公开 2024 年政府信息公开工作年度报告"
    ]


def test_missing_reports_are_checked_from_annual_report_since(make_project: Any) -> None:
    p = make_project(CONFIG + "deadlines:\n  annual_report_since: 2024\n")
    report(p, "r21", 2021, D(2022, 1, 20))  # 2022 and 2023 are missing, but before the site's start
    assert [d.message() for d in p.diagnostics(D(2025, 2, 1))] == [
        "测试市人民政府办公室 未在 2025-01-31 前公开 2024 年政府信息公开工作年度报告"
    ]


def test_report_year_comes_from_the_title_else_the_year_before(make_project: Any) -> None:
    p = make_project()
    report(p, "r", 2023, D(2024, 1, 10), title="测试市政府信息公开工作年度报告")  # no year: covers 2023
    report(p, "r2", 2024, D(2025, 1, 10), title="测试市2024年度政府信息公开工作报告")
    assert p.diagnostics(D(2025, 6, 1)) == []


# --- config ---


def test_bad_calendar_and_deadline_config_is_positioned(make_project: Any) -> None:
    config = CONFIG + (
        "calendar:\n  days_off: [2025-02-30, x]\n  workdays: 2025-01-01\n  years: [abc]\n  colour: red\n"
        "deadlines:\n  expiry_window: -1\n  annual_report_due: {office: 13-01, nobody: 01-31}\n"
        "  validity_years: five\n  annual_report_since: 20\n"
    )
    p = make_project(config)
    assert first_lines(p) == [
        "site_config.yml:17:14: 错误[E702]: 站点配置项 calendar.days_off.0 无效：2025-02-30 不是有效日期",
        "site_config.yml:17:26: 错误[E702]: 站点配置项 calendar.days_off.1 无效：x 不是有效日期",
        "site_config.yml:18:13: 错误[E702]: 站点配置项 calendar.workdays 无效：应为日期列表",
        "site_config.yml:19:11: 错误[E702]: 站点配置项 calendar.years.0 无效：abc 不是有效年份",
        "site_config.yml:20:11: 错误[E702]: 站点配置项 calendar.colour 无效：未知配置项",
        "site_config.yml:22:18: 错误[E702]: 站点配置项 deadlines.expiry_window 无效：应为 0 到 3650 的整数（天数）",
        "site_config.yml:23:31: 错误[E702]: 站点配置项 deadlines.annual_report_due.office 无效：13-01 不是有效的月-日",
        "site_config.yml:23:46: 错误[E702]: 站点配置项 deadlines.annual_report_due.nobody 无效：未知机构 nobody",
        "site_config.yml:24:19: 错误[E702]: 站点配置项 deadlines.validity_years 无效：应为 0 到 100 的整数（年数）",
        "site_config.yml:25:24: 错误[E702]: 站点配置项 deadlines.annual_report_since 无效：20 不是有效年份",
    ]


# --- gongkai deadlines and check --format json ---


def deadline_site(make_project: Any) -> Any:
    p = make_project()
    normative(p, expires=D(2026, 2, 14))  # due soon
    p.entry(  # 规章 without 解读: due 3 working days after 2026-01-09, overdue
        "gz",
        index_no="000000001/2026-00001",
        publisher="gov",
        info_type="规章",
        doc_number="测试市人民政府令第1号",
        written_date=D(2026, 1, 8),
        published_date=D(2026, 1, 9),
        validity="有效",
        validity_history=[{"date": D(2026, 1, 9), "status": "有效"}],
    )
    return p


def test_deadlines_command_table_and_json(make_project: Any) -> None:
    p = deadline_site(make_project)
    result = run_cli("deadlines", str(p.root), "--build-date", "2026-01-15")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["到期日", "状态", "事项", "对象", "名称", "位置"]
    assert lines[1].split()[:4] == ["2026-01-14", "已逾期（-1", "天）", "政策解读"]
    assert "catalogue/gz.md:" in lines[1]
    assert lines[2].split()[:4] == ["2026-02-14", "即将到期（+30", "天）", "有效期届满"]
    assert lines[-1] == "截至 2026-01-15：1 项已逾期，1 项即将到期"
    en = run_cli("deadlines", str(p.root), "--build-date", "2026-01-15", "--lang", "en")
    assert en.stdout.splitlines()[-1] == "as of 2026-01-15: 1 overdue, 1 due soon"
    data = json.loads(run_cli("deadlines", str(p.root), "--build-date", "2026-01-15", "--format", "json").stdout)
    assert data["build_date"] == "2026-01-15"
    assert [(d["kind"], d["status"], d["due"], d["days_left"]) for d in data["deadlines"]] == [
        ("interpret", "overdue", "2026-01-14", -1),
        ("expiry", "due_soon", "2026-02-14", 30),
    ]
    overdue = run_cli("deadlines", str(p.root), "--build-date", "2026-01-15", "--overdue", "--format", "json")
    assert overdue.returncode == 1
    assert [d["kind"] for d in json.loads(overdue.stdout)["deadlines"]] == ["interpret"]
    assert run_cli("deadlines", str(p.root), "--build-date", "2026-01-13", "--overdue").returncode == 0


def test_deadlines_follow_source_date_epoch(make_project: Any) -> None:
    p = deadline_site(make_project)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1768406400"}  # 2026-01-15 00:00 +08:00
    out = subprocess.run(
        [sys.executable, "-m", "generator", "deadlines", str(p.root), "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert json.loads(out.stdout)["build_date"] == "2026-01-15"


def test_check_json_carries_the_deadlines(make_project: Any) -> None:
    p = deadline_site(make_project)
    result = run_cli("check", str(p.root), "--format", "json", "--build-date", "2026-01-15")
    data = json.loads(result.stdout)
    assert set(data) == {"diagnostics", "errors", "warnings", "deadlines"}
    assert sorted(d["code"] for d in data["diagnostics"]) == ["W101", "W714"]
    assert [d["kind"] for d in data["deadlines"]] == ["interpret", "expiry"]
    assert result.returncode == 0


def test_deadlines_command_shows_what_makes_the_list_incomplete(make_project: Any) -> None:
    beyond = NATIONAL_YEARS.stop
    p = make_project()
    p.entry(
        index_no=f"000000001/{beyond}-00001",
        publisher="gov",
        info_type="规章",
        doc_number="测试市人民政府令第2号",
        written_date=D(beyond, 1, 4),
        published_date=D(beyond, 1, 5),
        validity="有效",
        validity_history=[{"date": D(beyond, 1, 5), "status": "有效"}],
    )
    result = run_cli("deadlines", str(p.root), "--build-date", f"{beyond}-02-01")
    assert result.returncode == 0
    assert f"警告[W712]: 工作日历没有 {beyond} 年的节假日安排" in result.stderr
    data = json.loads(run_cli("deadlines", str(p.root), "--build-date", f"{beyond}-02-01", "--format", "json").stdout)
    assert [d["code"] for d in data["diagnostics"]] == ["W712", "W712"]
    p.write("catalogue/bad.md", "---\ntitle: [\n---\n")
    broken = run_cli("deadlines", str(p.root), "--build-date", f"{beyond}-02-01")
    assert broken.returncode == 1
    assert "错误[E006]" in broken.stderr
