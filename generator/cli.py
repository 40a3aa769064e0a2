"""The ``gongkai`` command line."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.audit import cli as audit_cli
from generator.checks.deadlines import Deadline
from generator.checks.diagnostics import Diagnostic, render_json, render_text, summary
from generator.progress import Progress
from generator.project import Project, find_root, load_project
from generator.source.files import CONFIG_FILE

if TYPE_CHECKING:
    from generator.site.build import BuildStats

LANG = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of messages / 提示语言"
)
BUILD_DATE = click.option(
    "--build-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date the build is made for (embargoes, expiry); default SOURCE_DATE_EPOCH or today.",
)


def _echo_err(text: str) -> None:
    click.echo(text, err=True)


def _resolve_root(path: Path, lang: str) -> tuple[Path, list[Path]]:
    """Project root for ``path`` and the paths to report on (empty: everything)."""
    root = find_root(path if path.is_dir() else path.parent)
    if root is None:
        msg = (
            f"{path}: error: no site_config.yml found here or above"
            if lang == "en"
            else f"{path}: 错误：在此目录及上级目录中找不到 site_config.yml"
        )
        _echo_err(msg)
        sys.exit(2)
    if path.resolve() == root:
        return root, []
    return root, [path.resolve()]


def _select(project: Project, only: list[Path]) -> list[Diagnostic]:
    if not only:
        return project.diagnostics
    rels = [p.relative_to(project.root).as_posix() for p in only]
    return [
        d
        for d in project.diagnostics
        if d.path == "site_config.yml" or any(d.path == r or d.path.startswith(r.rstrip("/") + "/") for r in rels)
    ]


def _load(
    path: Path, lang: str, build_date: dt.datetime | None, progress: Progress | None = None
) -> tuple[Project, list[Path]]:
    root, only = _resolve_root(path, lang)
    return load_project(root, build_date.date() if build_date else None, progress, cache=True), only


def _report(diags: list[Diagnostic], lang: str, fmt: str, quiet: bool = False) -> None:
    if fmt == "json":
        click.echo(render_json(diags, lang))
        return
    if diags:
        _echo_err(render_text(diags, lang))
    if diags or not quiet:
        _echo_err(summary(diags, lang))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gongkai")
def main() -> None:
    """gongkai — 政府信息公开目录与政策解读站点生成器."""


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path), default=".")
@LANG
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
@BUILD_DATE
def check(path: Path, lang: str, fmt: str, strict: bool, build_date: dt.datetime | None) -> None:
    """Check every catalogue entry and content file; report all problems at once."""
    with _no_traceback(lang):
        project, only = _load(path, lang, build_date)
        diags = _select(project, only)
        if fmt == "json":
            items = [d.to_json(project.build_date, lang) for d in _select_deadlines(project, only)]
            click.echo(render_json(diags, lang, {"deadlines": items}))
        else:
            _report(diags, lang, fmt)
    failed = any(d.is_error for d in diags) or (strict and bool(diags))
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
@click.option("--site-dir", type=click.Path(path_type=Path), default=None, help="Output folder (default: site/).")
@LANG
@click.option("--strict", is_flag=True, help="Warnings fail the build too.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@BUILD_DATE
def build(
    path: Path, site_dir: Path | None, lang: str, strict: bool, quiet: bool, build_date: dt.datetime | None
) -> None:
    """Check, then build the site into site/ (swapped in only on success)."""
    from generator.site.build import BuildInterrupted, interruptible

    try:
        with interruptible(), _no_traceback(lang):
            _build(path, site_dir, lang, strict, quiet, build_date)
    except BuildInterrupted as exc:
        name = signal.Signals(exc.signum).name
        if exc.swapped:
            _echo_err(
                f"收到 {name} 信号：新网站已替换完成，随后中止。"
                if lang == "zh"
                else f"{name}: stopped after the new site was swapped in."
            )
        else:
            _echo_err(
                f"收到 {name} 信号，构建已中止，原有网站未改动。"
                if lang == "zh"
                else f"{name}: build stopped; the previous site is untouched."
            )
        sys.exit(128 + exc.signum)


def _build(
    path: Path, site_dir: Path | None, lang: str, strict: bool, quiet: bool, build_date: dt.datetime | None
) -> None:
    from generator.project import default_build_date
    from generator.site.build import BuildError, build_site, unchanged_site

    started = time.monotonic()
    root, _ = _resolve_root(path, lang)
    day = build_date.date() if build_date else default_build_date()
    stats = unchanged_site(root, site_dir or root / "site", day)  # inputs as at the last clean build
    if stats is not None:
        if not quiet:
            _summary(stats, site_dir or root / "site", lang, time.monotonic() - started)
        return
    progress = Progress.for_terminal(quiet, lang)
    project, _ = _load(path, lang, build_date, progress)
    progress.close()
    failed = bool(project.errors) or (strict and bool(project.diagnostics))
    if project.diagnostics and (failed or not quiet):
        _report(project.diagnostics, lang, "text", quiet)
    if failed:
        _echo_err("构建已取消，原有网站未改动。" if lang == "zh" else "build aborted; the previous site is untouched.")
        sys.exit(1)
    target = site_dir or project.root / "site"
    project.sources.clear()  # node positions serve diagnostics only: ~1 GB at 100k entries
    try:
        stats = build_site(project, target, progress=progress)
    except BuildError as exc:
        if exc.diagnostics:
            _echo_err(render_text(list(exc.diagnostics), lang))
        _echo_err(f"{'错误' if lang == 'zh' else 'error'}: {exc}")
        _echo_err("构建失败，原有网站未改动。" if lang == "zh" else "build failed; the previous site is untouched.")
        sys.exit(1)
    if not quiet:
        _summary(stats, target, lang, time.monotonic() - started)


def _summary(stats: BuildStats, target: Path, lang: str, elapsed: float) -> None:
    if lang == "en":
        cached = (
            " (unchanged: site left as it was)"
            if stats.unchanged
            else (f", {stats.reused} from the build cache" if stats.reused else "")
        )
        click.echo(
            f"built {stats.entries} entries, {stats.interpretations} interpretations, "
            f"{stats.pages} pages{cached} into {target} in {elapsed:.1f} s"
        )
    else:
        cached = (
            "（内容未变，网站保持原样）"
            if stats.unchanged
            else (f"（其中 {stats.reused} 个取自构建缓存）" if stats.reused else "")
        )
        click.echo(
            f"已构建 {stats.entries} 条目录、{stats.interpretations} 篇解读、共 {stats.pages} 个页面{cached} → "
            f"{target}（{elapsed:.1f} 秒）"
        )


@contextmanager
def _no_traceback(lang: str) -> Iterator[None]:
    """An unexpected error (a bug) is reported in one readable line; GONGKAI_DEBUG=1 shows the traceback."""
    try:
        yield
    except Exception as exc:
        if os.environ.get("GONGKAI_DEBUG"):
            raise
        if lang == "en":
            _echo_err(f"internal error: {type(exc).__name__}: {exc}")
            _echo_err("nothing was published; the previous site is untouched. Set GONGKAI_DEBUG=1 for details.")
        else:
            _echo_err(f"内部错误：{type(exc).__name__}: {exc}")
            _echo_err("未发布任何内容，原有网站未改动。设置环境变量 GONGKAI_DEBUG=1 可查看详细信息，请报告此问题。")
        sys.exit(3)


@main.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@BUILD_DATE
def serve(path: Path, dev_addr: str, build_date: dt.datetime | None) -> None:
    """Build and serve the site locally, rebuilding when sources change."""
    from generator.site.serve import serve as run_server

    root, _ = _resolve_root(path, "zh")
    run_server(root, dev_addr, build_date.date() if build_date else None)


@main.command()
@click.argument("kind", type=click.Choice(["entry", "interpretation", "page"]))
@click.option("--agency", "agency_id", default=None, help="Agency id (publisher / interpreter_org).")
@click.option("--interprets", default=None, help="index_no of the document an interpretation explains.")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Date (default: today).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="File to write (default: printed).")
@click.option("--path", "root_path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
def new(
    kind: str,
    agency_id: str | None,
    interprets: str | None,
    on: dt.datetime | None,
    output: Path | None,
    root_path: Path,
) -> None:
    """Scaffold a new entry, interpretation or page with every field explained in Chinese."""
    from generator.scaffold import ScaffoldError, scaffold

    root, _ = _resolve_root(root_path, "zh")
    try:
        text, suggested = scaffold(root, kind, agency_id, interprets, on.date() if on else None)
    except ScaffoldError as exc:
        _echo_err(f"错误：{exc}")
        sys.exit(2)
    if output is None:
        click.echo(text, nl=False)
        _echo_err(f"建议保存为：{suggested}")
        return
    if output.exists():
        _echo_err(f"错误：{output} 已存在，未覆盖")
        sys.exit(2)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(f"已创建 {output}")


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


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path), default=".")
@LANG
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式：text 为表格，json 供程序读取",
)
@click.option("--overdue", is_flag=True, help="只列出已逾期的事项；有逾期事项时退出码为 1（用于 CI）")
@BUILD_DATE
def deadlines(path: Path, lang: str, fmt: str, overdue: bool, build_date: dt.datetime | None) -> None:
    """列出已逾期和即将到期的法定时限事项：政策解读（3 个工作日）、效力变更（20 个工作日）、行政规范性文件有效期、年度报告。

    工作日按国务院节假日安排（含调休上班日）计算；日期以 --build-date 或 SOURCE_DATE_EPOCH 为准。
    """
    with _no_traceback(lang):
        project, only = _load(path, lang, build_date)
        items = [d for d in _select_deadlines(project, only) if not overdue or d.status == "overdue"]
        today = project.build_date
        # What makes the list incomplete is shown with it: errors (files left out) and years
        # the working-day calendar does not cover (W712).
        gaps = [d for d in _select(project, only) if d.is_error or d.code == "W712"]
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
                _echo_err(render_text(gaps, lang))
                _echo_err(
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


main.add_command(audit_cli.fmt)
main.add_command(audit_cli.stats)
main.add_command(audit_cli.diff)
