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
from typing import TYPE_CHECKING, NoReturn

import click

from generator import __version__
from generator import cli_audit as audit_cli
from generator.checks.deadlines import Deadline
from generator.clihelp import ZhGroup
from generator.diagnostics import Diagnostic, render_json, render_text, summary
from generator.progress import Progress
from generator.project import Project, find_root, load_project
from generator.source.files import CONFIG_FILE

if TYPE_CHECKING:
    from generator.site.build import BuildError, BuildStats

LANG = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    help="提示信息的语言：zh 中文（默认），en 英文（English messages）。",
)
BUILD_DATE = click.option(
    "--build-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="按哪一天构建（决定公开时间、有效期的判断）；默认取 SOURCE_DATE_EPOCH 或今天。",
)
PATH_HELP = "站点仓库或其中的目录（默认当前目录）"


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


@click.group(cls=ZhGroup, context_settings={"help_option_names": ["-h", "--help"]})
# ---- --version (issue 17): the version of the running code, as recorded in every built page
@click.version_option(__version__, "--version", message="gongkai %(version)s", help="显示版本号并退出。")
def main() -> None:
    """gongkai（公开）：政府信息公开目录与政策解读网站生成器。

    常用命令：gongkai new 生成模板，gongkai check 检查，gongkai build 构建，gongkai serve 预览。
    每个命令加 -h 查看说明。
    """


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path), default=".", metavar="[路径]")
@LANG
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="输出格式：text 文字（默认），json 供程序读取。",
)
@click.option("--strict", is_flag=True, help="有警告也算检查不通过（退出码 1）。")
@BUILD_DATE
def check(path: Path, lang: str, fmt: str, strict: bool, build_date: dt.datetime | None) -> None:
    """检查全部目录条目和内容文件，一次列出所有问题（文件:行:列、代码、提示）。

    路径可以是整个站点仓库，也可以是其中的一个文件或目录（只报告它的问题）。
    有错误时退出码为 1。
    """
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
@click.argument(
    "path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".", metavar="[站点目录]"
)
@click.option(
    "--site-dir", type=click.Path(path_type=Path), default=None, metavar="目录", help="网站输出目录（默认 site/）。"
)
@LANG
@click.option("--strict", is_flag=True, help="有警告也不构建。")
@click.option("-q", "--quiet", is_flag=True, help="只显示错误。")
@BUILD_DATE
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    help="生成页面的引擎：mkdocs（MkDocs + Material，默认）或 zensical（需安装 zensical）。",
)
def build(
    path: Path,
    site_dir: Path | None,
    lang: str,
    strict: bool,
    quiet: bool,
    build_date: dt.datetime | None,
    engine: str,
) -> None:
    """先检查，再把网站构建到 site/；全部成功才替换原网站，失败时原网站不变。"""
    from generator.site.build import BuildInterrupted, interruptible

    try:
        with interruptible(), _no_traceback(lang):
            _build(path, site_dir, lang, strict, quiet, build_date, engine)
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
    path: Path,
    site_dir: Path | None,
    lang: str,
    strict: bool,
    quiet: bool,
    build_date: dt.datetime | None,
    engine: str = "mkdocs",
) -> None:
    from generator.project import default_build_date
    from generator.site.build import BuildError, build_site, refusals, unchanged_site

    started = time.monotonic()
    root, _ = _resolve_root(path, lang)
    day = build_date.date() if build_date else default_build_date()
    # inputs as at the last clean build (the build cache knows the default engine's builds only)
    stats = unchanged_site(root, site_dir or root / "site", day) if engine == "mkdocs" else None
    if stats is not None:
        if not quiet:
            _summary(stats, site_dir or root / "site", lang, time.monotonic() - started)
        return
    refused = refusals(root, site_dir or root / "site")
    if refused is not None:  # before anything is read or cached: a refused build writes nothing
        _build_failed(refused, lang)
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
        stats = build_site(project, target, progress=progress, engine=engine)
    except BuildError as exc:
        _build_failed(exc, lang)
    if not quiet:
        _summary(stats, target, lang, time.monotonic() - started)


def _build_failed(exc: BuildError, lang: str) -> NoReturn:
    if exc.diagnostics:
        _echo_err(render_text(list(exc.diagnostics), lang))
    if lang == "zh":
        _echo_err(f"错误：{exc}")
    elif exc.en or not exc.diagnostics:  # without an English text the positioned diagnostics say it
        _echo_err(f"error: {exc.en or exc}")
    _echo_err("构建失败，原有网站未改动。" if lang == "zh" else "build failed; the previous site is untouched.")
    sys.exit(1)


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
@click.argument("dest", type=click.Path(path_type=Path), metavar="目标目录")
@click.option(
    "--path",
    "root_path",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=".",
    help="站点项目目录（含 site_config.yml），默认当前目录。",
)
@LANG
@BUILD_DATE
def stage(dest: Path, root_path: Path, lang: str, build_date: dt.datetime | None) -> None:
    """写出交给页面引擎的暂存目录：docs/、theme/ 与生成的 mkdocs.yml。

    不依赖 gongkai 即可构建：mkdocs build -f DEST/mkdocs.yml 或 zensical build -f DEST/mkdocs.yml
    （SOURCE_DATE_EPOCH 取 DEST/build.env 中的值，可与 gongkai 的构建逐字节一致）。
    只写入空文件夹或此前由 gongkai stage 写出的文件夹。
    """
    from generator.site.stage import StageError, write_stage

    with _no_traceback(lang):
        project, _ = _load(root_path, lang, build_date)
        if project.diagnostics:
            _report(project.diagnostics, lang, "text", quiet=True)
        if project.errors:
            _echo_err("内容检查未通过，未写出暂存目录。" if lang == "zh" else "check failed; nothing was staged.")
            sys.exit(1)
        try:
            staged = write_stage(project, dest)
        except StageError as exc:
            _echo_err(f"{'错误' if lang == 'zh' else 'error'}: {exc}")
            sys.exit(2)
    if lang == "en":
        click.echo(f"staged {staged.pages} pages into {staged.root} (SOURCE_DATE_EPOCH={staged.epoch})")
    else:
        click.echo(f"已写出 {staged.pages} 个页面的暂存目录 → {staged.root}（SOURCE_DATE_EPOCH={staged.epoch}）")


@main.command()
@click.argument(
    "path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".", metavar="[站点目录]"
)
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    metavar="地址:端口",
    help="预览服务的地址（默认 127.0.0.1:8000）。",
)
@BUILD_DATE
def serve(path: Path, dev_addr: str, build_date: dt.datetime | None) -> None:
    """在本机预览网站：保存文件后自动重新构建，浏览器中打开的页面随之刷新。

    文件有错误时继续显示上一次成功构建的网站；从未构建成功时，页面列出所有问题。
    按 Ctrl+C 停止。
    """
    from generator.site.serve import serve as run_server

    root, _ = _resolve_root(path, "zh")
    run_server(root, dev_addr, build_date.date() if build_date else None)


@main.command()
@click.argument("kind", type=click.Choice(["entry", "interpretation", "page"]), metavar="{entry|interpretation|page}")
@click.option(
    "--agency",
    "agency_id",
    default=None,
    metavar="机构ID",
    help="机构 id（site_config.yml 的 agencies）：条目的发布机构、解读的解读机构。"
    "条目必须指定；解读省略时取原文件的发布机构。",
)
@click.option("--interprets", default=None, metavar="索引号", help="解读所针对文件的索引号（省略时取最新公开的文件）。")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="成文、公开日期，也决定索引号的年份（默认今天）。",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    metavar="文件",
    help="写入的文件（不会覆盖已有文件）；省略时打印模板并给出建议的文件名。",
)
@click.option(
    "--path",
    "root_path",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=".",
    metavar="目录",
    help="站点仓库（默认当前目录）。",
)
def new(
    kind: str,
    agency_id: str | None,
    interprets: str | None,
    on: dt.datetime | None,
    output: Path | None,
    root_path: Path,
) -> None:
    """生成新的目录条目（entry）、政策解读（interpretation）或页面（page）模板，每个字段都有中文说明。"""
    from generator.scaffold import NeedAgency, ScaffoldError, scaffold

    root, _ = _resolve_root(root_path, "zh")
    day = on.date() if on else None
    try:
        try:
            text, suggested = scaffold(root, kind, agency_id, interprets, day)
        except NeedAgency as need:
            if not _interactive():
                raise
            ids = [a.id for a in need.agencies]
            for a in need.agencies:
                _echo_err(f"  {a.id:<8} {a.name}")
            chosen = ""
            while chosen not in ids:
                if chosen:
                    _echo_err(f"没有机构 id {chosen}，请从上面的列表中选择。")
                chosen = click.prompt("机构 id", err=True).strip()
            text, suggested = scaffold(root, kind, chosen, interprets, day)
    except ScaffoldError as exc:
        _echo_err(f"错误：{exc}")
        sys.exit(2)
    if output is None:
        click.echo(text, nl=False)
        _echo_err(f"建议保存为：{suggested}（加 -o {suggested} 直接写入）")
        return
    if output.exists():
        index_no = next(
            (line[len("index_no:") :].strip() for line in text.splitlines() if line.startswith("index_no:")), ""
        )
        free = f"下一个可用的索引号是 {index_no}，建议写入 {suggested}" if index_no else "请换一个文件名"
        _echo_err(f"错误：{output} 已存在，未覆盖。{free}")
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
@click.argument("path", type=click.Path(exists=True, path_type=Path), default=".", metavar="[路径]")
@LANG
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="输出格式：text 为表格（默认），json 供程序读取",
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


def _interactive() -> bool:
    """Ask questions only when a person is at the terminal (never in scripts or CI)."""
    return sys.stdin.isatty() and sys.stderr.isatty()


main.add_command(audit_cli.fmt)
main.add_command(audit_cli.stats)
main.add_command(audit_cli.diff)


# ------------------------------------------------------------------ init (issue 17)
@main.command("init")
@click.argument("directory", type=click.Path(path_type=Path), default=".", metavar="[目录]")
@LANG
def init(directory: Path, lang: str) -> None:
    """新建一个网站内容仓库。

    在 DIRECTORY（默认为当前文件夹）中写入：带中文说明的 site_config.yml（含一个待替换的示例机构）、
    catalogue/ 与 content/ 的示例（草稿，不发布）、政府信息公开指南框架、.gitignore、
    固定 gongkai 版本的 requirements.txt、GitHub Actions 持续集成（拉取请求检查，
    合并后构建并发布到 GitHub Pages）和给编辑的 README.md。不会覆盖任何已有文件。
    """
    from generator.newsite import init_site

    with _no_traceback(lang):
        written, problems = init_site(directory)
    if problems:
        _echo_err(render_text(problems, lang))
        _echo_err("未创建任何文件。" if lang == "zh" else "nothing was created.")
        sys.exit(2)
    shown = directory.as_posix()
    here = directory.resolve() == Path.cwd().resolve()
    if lang == "en":
        click.echo(f"created a new gongkai {__version__} site in {shown} ({len(written)} files). Next:")
        if not here:
            click.echo(f"  cd {shown}")
        click.echo("  edit site_config.yml (replace everything marked 示例 / 请替换) and content/pages/guide.md")
        click.echo("  gongkai check && gongkai build")
    else:
        click.echo(f"已在 {shown} 新建网站内容仓库（gongkai {__version__}，共 {len(written)} 个文件）。下一步：")
        if not here:
            click.echo(f"  cd {shown}")
        click.echo("  修改 site_config.yml（替换所有标有“示例”“请替换”的内容）和 content/pages/guide.md")
        click.echo("  gongkai check && gongkai build")


# --------------------------------------------------------------------- import
@main.command("import")
@click.argument(
    "sources",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="导出文件...",
)
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="映射文件（YAML）：覆盖或补充内置的表头对照表 / mapping file overriding the built-in label table.",
)
@click.option(
    "--into",
    type=click.Path(path_type=Path),
    default=None,
    help="导入到的仓库；文件夹不存在时新建仓库 / repository to import into; a new one when the folder does not exist.",
)
@click.option("--dry-run", is_flag=True, help="只显示推断的映射和读法，不写任何文件 / show the mapping, write nothing.")
@LANG
def import_(sources: tuple[Path, ...], mapping_file: Path | None, into: Path | None, dry_run: bool, lang: str) -> None:
    """从 CMS 导出文件（CSV、XLSX、JSON、JSONL）导入目录条目和政策解读 / import CMS exports."""
    from generator.diagnostics import diag
    from generator.importer.core import run_import
    from generator.importer.mapping import Mapping, load_mapping
    from generator.importer.report import render

    with _no_traceback(lang):
        diags: list[Diagnostic] = []
        if into is None:
            root = find_root(Path.cwd())
            if root is None:
                _echo_err(
                    "错误：当前目录不在 gongkai 仓库中，请用 --into 指定仓库或新文件夹"
                    if lang == "zh"
                    else "error: not inside a gongkai repository; use --into"
                )
                sys.exit(2)
            into = root
        elif into.exists() and not (into / "site_config.yml").is_file() and (not into.is_dir() or any(into.iterdir())):
            _report([diag(into.as_posix(), None, "E910", folder=into.as_posix())], lang, "text")
            sys.exit(2)
        mapping = Mapping()
        if mapping_file is not None:
            mapping, problems = load_mapping(mapping_file)
            if any(d.is_error for d in problems):
                _report(problems, lang, "text")
                sys.exit(2)
            diags.extend(problems)
        if not dry_run:
            into.mkdir(parents=True, exist_ok=True)
        result = run_import(list(sources), into, mapping, dry_run)
        diags.extend(result.diagnostics)
        if diags:
            _echo_err(render_text(diags, lang))
        click.echo(render(result, lang))
        if diags:
            _echo_err(summary(diags, lang))
    sys.exit(1 if any(d.is_error for d in diags) else 0)
