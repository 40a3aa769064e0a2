"""``gongkai build``, ``gongkai stage`` and ``gongkai serve``: from the content to a site
(atomically published), to the staging folder a page engine reads, or to a live preview."""

from __future__ import annotations

import datetime as dt
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from generator.clihelp import ZhCommand
from generator.clioptions import build_date_option, lang_option, path_option
from generator.commands.common import echo_err, load, no_traceback, report, resolve_root
from generator.diagnostics import render_text
from generator.progress import Progress

if TYPE_CHECKING:
    from generator.site.build import BuildError, BuildStats


@click.command(cls=ZhCommand)
@click.argument(
    "path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".", metavar="[站点目录]"
)
@click.option(
    "--site-dir", type=click.Path(path_type=Path), default=None, metavar="目录", help="网站输出目录（默认 site/）。"
)
@lang_option
@click.option("--strict", is_flag=True, help="有警告也不构建。")
@click.option("-q", "--quiet", is_flag=True, help="只显示错误。")
@build_date_option()
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
    from generator.site.publish import BuildInterrupted, interruptible  # (not site.build: see _build)

    try:
        with interruptible(), no_traceback(lang):
            _build(path, site_dir, lang, strict, quiet, build_date, engine)
    except BuildInterrupted as exc:
        name = signal.Signals(exc.signum).name
        if exc.swapped:
            echo_err(
                f"收到 {name} 信号：新网站已替换完成，随后中止。"
                if lang == "zh"
                else f"{name}: stopped after the new site was swapped in."
            )
        else:
            echo_err(
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
    from generator.site.keys import unchanged_site  # not site.build: nothing of the engine or the index yet

    started = time.monotonic()
    root, _ = resolve_root(path, lang)
    day = build_date.date() if build_date else default_build_date()
    # inputs as at the last clean build (the build cache knows the default engine's builds only)
    seen: dict[str, list[int]] = {}  # the sources' stamps, taken before they are read (recorded by the build)
    stats = unchanged_site(root, site_dir or root / "site", day, seen) if engine == "mkdocs" else None
    if stats is not None:
        if not quiet:
            _summary(stats, site_dir or root / "site", lang, time.monotonic() - started)
        return
    from generator.site.build import BuildError, build_site, refusals  # the engine, feeds, the search index

    refused = refusals(root, site_dir or root / "site")
    if refused is not None:  # before anything is read or cached: a refused build writes nothing
        _build_failed(refused, lang)
    progress = Progress.for_terminal(quiet, lang)
    project, _ = load(path, lang, build_date, progress)
    progress.close()
    failed = bool(project.errors) or (strict and bool(project.diagnostics))
    if project.diagnostics and (failed or not quiet):
        report(project.diagnostics, lang, "text", quiet)
    if failed:
        echo_err("构建已取消，原有网站未改动。" if lang == "zh" else "build aborted; the previous site is untouched.")
        sys.exit(1)
    target = site_dir or project.root / "site"
    project.sources.clear()  # node positions serve diagnostics only: ~1 GB at 100k entries
    try:
        stats = build_site(project, target, progress=progress, engine=engine, sources=seen or None)
    except BuildError as exc:
        _build_failed(exc, lang)
    if not quiet:
        _summary(stats, target, lang, time.monotonic() - started)


def _build_failed(exc: BuildError, lang: str) -> NoReturn:
    if exc.diagnostics:
        echo_err(render_text(list(exc.diagnostics), lang))
    if lang == "zh":
        echo_err(f"错误：{exc}")
    elif exc.en or not exc.diagnostics:  # without an English text the positioned diagnostics say it
        echo_err(f"error: {exc.en or exc}")
    echo_err("构建失败，原有网站未改动。" if lang == "zh" else "build failed; the previous site is untouched.")
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


@click.command(cls=ZhCommand)
@click.argument("dest", type=click.Path(path_type=Path), metavar="目标目录")
@path_option("站点项目目录（含 site_config.yml），默认当前目录。")
@lang_option
@build_date_option()
def stage(dest: Path, root_path: Path, lang: str, build_date: dt.datetime | None) -> None:
    """写出交给页面引擎的暂存目录：docs/、theme/ 与生成的 mkdocs.yml。

    不依赖 gongkai 即可构建：mkdocs build -f DEST/mkdocs.yml 或 zensical build -f DEST/mkdocs.yml
    （SOURCE_DATE_EPOCH 取 DEST/build.env 中的值，可与 gongkai 的构建逐字节一致）。
    只写入空文件夹或此前由 gongkai stage 写出的文件夹。
    """
    from generator.site.stage import StageError, write_stage

    with no_traceback(lang):
        project, _ = load(root_path, lang, build_date)
        if project.diagnostics:
            report(project.diagnostics, lang, "text", quiet=True)
        if project.errors:
            echo_err("内容检查未通过，未写出暂存目录。" if lang == "zh" else "check failed; nothing was staged.")
            sys.exit(1)
        try:
            staged = write_stage(project, dest)
        except StageError as exc:
            echo_err(f"{'错误' if lang == 'zh' else 'error'}: {exc}")
            sys.exit(2)
    if lang == "en":
        click.echo(f"staged {staged.pages} pages into {staged.root} (SOURCE_DATE_EPOCH={staged.epoch})")
    else:
        click.echo(f"已写出 {staged.pages} 个页面的暂存目录 → {staged.root}（SOURCE_DATE_EPOCH={staged.epoch}）")


@click.command(cls=ZhCommand)
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
@lang_option
@build_date_option()
def serve(path: Path, dev_addr: str, lang: str, build_date: dt.datetime | None) -> None:
    """在本机预览网站：保存文件后自动重新构建，浏览器中打开的页面随之刷新。

    文件有错误时继续显示上一次成功构建的网站；从未构建成功时，页面列出所有问题。
    按 Ctrl+C 停止。
    """
    from generator.site.serve import serve as run_server

    root, _ = resolve_root(path, lang)
    run_server(root, dev_addr, build_date.date() if build_date else None, lang)
