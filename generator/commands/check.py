"""``gongkai check`` and ``gongkai deadlines``: report on the content without building."""

from __future__ import annotations

import datetime as dt
import json
import sys
import unicodedata
from pathlib import Path

import click

from generator.checks.deadlines import Deadline
from generator.clihelp import ZhCommand
from generator.clioptions import build_date_option, format_option, lang_option
from generator.commands.common import echo_err, load, no_traceback, report, select_diagnostics
from generator.diagnostics import render_json, render_text
from generator.project import Project
from generator.source.files import CONFIG_FILE


@click.command(cls=ZhCommand)
@click.argument("path", type=click.Path(exists=True, path_type=Path), default=".", metavar="[路径]")
@lang_option
@format_option()
@click.option("--strict", is_flag=True, help="有警告也算检查不通过（退出码 1）。")
@build_date_option()
def check(path: Path, lang: str, fmt: str, strict: bool, build_date: dt.datetime | None) -> None:
    """检查全部目录条目和内容文件，一次列出所有问题（文件:行:列、代码、提示）。

    路径可以是整个站点仓库，也可以是其中的一个文件或目录（只报告它的问题）。
    有错误时退出码为 1。
    """
    with no_traceback(lang):
        project, only = load(path, lang, build_date)
        diags = select_diagnostics(project, only)
        if fmt == "json":
            items = [d.to_json(project.build_date, lang) for d in _select_deadlines(project, only)]
            click.echo(render_json(diags, lang, {"deadlines": items}))
        else:
            report(diags, lang, fmt)
    failed = any(d.is_error for d in diags) or (strict and bool(diags))
    sys.exit(1 if failed else 0)


# --- gongkai deadlines: statutory deadlines overdue or due soon (generator/checks/deadlines.py) ---
_DEADLINE_KIND = {
    "zh": {"interpret": "政策解读", "change": "效力变更", "expiry": "有效期届满", "annual_report": "年度报告"},
    "en": {
        "interpret": "interpretation",
        "change": "validity change",
        "expiry": "validity ends",
        "annual_report": "annual report",
    },
}
_DEADLINE_STATUS = {
    "zh": {"overdue": "已逾期", "due_soon": "即将到期"},
    "en": {"overdue": "overdue", "due_soon": "due soon"},
}


def _select_deadlines(project: Project, only: list[Path]) -> list[Deadline]:
    if not only:
        return project.deadlines
    rels = [p.relative_to(project.root).as_posix() for p in only]
    return [
        d
        for d in project.deadlines
        if d.path == CONFIG_FILE or any(d.path == r or d.path.startswith(r.rstrip("/") + "/") for r in rels)
    ]


@click.command(cls=ZhCommand)
@click.argument("path", type=click.Path(exists=True, path_type=Path), default=".", metavar="[路径]")
@lang_option
@format_option(help="输出格式：text 为表格（默认），json 供程序读取")
@click.option("--overdue", is_flag=True, help="只列出已逾期的事项；有逾期事项时退出码为 1（用于 CI）")
@build_date_option()
def deadlines(path: Path, lang: str, fmt: str, overdue: bool, build_date: dt.datetime | None) -> None:
    """列出已逾期和即将到期的法定时限事项：政策解读（3 个工作日）、效力变更（20 个工作日）、行政规范性文件有效期、年度报告。

    工作日按国务院节假日安排（含调休上班日）计算；日期以 --build-date 或 SOURCE_DATE_EPOCH 为准。
    """
    with no_traceback(lang):
        project, only = load(path, lang, build_date)
        items = [d for d in _select_deadlines(project, only) if not overdue or d.status == "overdue"]
        today = project.build_date
        # What makes the list incomplete is shown with it: errors (files left out) and years
        # the working-day calendar does not cover (W712).
        gaps = [d for d in select_diagnostics(project, only) if d.is_error or d.code == "W712"]
        if fmt == "json":
            payload = {
                "build_date": today.isoformat(),
                "deadlines": [d.to_json(today, lang) for d in items],
                "diagnostics": [d.to_json(lang) for d in gaps],
            }
            click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            click.echo(_deadline_table(items, today, lang))
            if gaps:
                echo_err(render_text(gaps, lang))
                echo_err(
                    "以上问题使列表可能不完整，请先处理（gongkai check）。"
                    if lang == "zh"
                    else "the list may be incomplete until these are fixed (gongkai check)."
                )
    sys.exit(1 if (overdue and items) or any(d.is_error for d in gaps) else 0)


def _deadline_table(items: list[Deadline], today: dt.date, lang: str) -> str:
    if not items:
        return (
            f"截至 {today.isoformat()}，没有逾期或即将到期的事项。"
            if lang == "zh"
            else f"nothing overdue or due soon as of {today.isoformat()}."
        )
    head = (
        ("到期日", "状态", "事项", "对象", "名称", "位置")
        if lang == "zh"
        else ("due", "status", "kind", "subject", "title", "where")
    )
    rows = [head] + [
        (
            d.due.isoformat(),
            _DEADLINE_STATUS[lang][d.status] + f"（{(d.due - today).days:+d} 天）"
            if lang == "zh"
            else f"{_DEADLINE_STATUS[lang][d.status]} ({(d.due - today).days:+d} d)",
            _DEADLINE_KIND[lang][d.kind],
            d.subject,
            d.title,
            f"{d.path}:{d.line}" if d.line else d.path,
        )
        for d in items
    ]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(head) - 1)]
    lines = [
        "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1]
        for r in rows
    ]
    overdue = sum(d.status == "overdue" for d in items)
    total = (
        f"截至 {today.isoformat()}：{overdue} 项已逾期，{len(items) - overdue} 项即将到期"
        if lang == "zh"
        else f"as of {today.isoformat()}: {overdue} overdue, {len(items) - overdue} due soon"
    )
    return "\n".join([*lines, total])


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
