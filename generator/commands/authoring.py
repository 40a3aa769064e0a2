"""``gongkai new``, ``gongkai init`` and ``gongkai import``: commands that write content
(a templated file, a new site repository, imported CMS records)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from generator import __version__
from generator.clihelp import ZhCommand
from generator.clioptions import lang_option, path_option
from generator.commands.common import echo_err, interactive, no_traceback, report, resolve_root
from generator.diagnostics import Diagnostic, render_text, summary
from generator.project import find_root


@click.command(cls=ZhCommand)
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
@path_option("站点仓库（默认当前目录）。", metavar="目录")
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

    root, _ = resolve_root(root_path, "zh")
    day = on.date() if on else None
    try:
        try:
            text, suggested = scaffold(root, kind, agency_id, interprets, day)
        except NeedAgency as need:
            if not interactive():
                raise
            ids = [a.id for a in need.agencies]
            for a in need.agencies:
                echo_err(f"  {a.id:<8} {a.name}")
            chosen = ""
            while chosen not in ids:
                if chosen:
                    echo_err(f"没有机构 id {chosen}，请从上面的列表中选择。")
                chosen = click.prompt("机构 id", err=True).strip()
            text, suggested = scaffold(root, kind, chosen, interprets, day)
    except ScaffoldError as exc:
        echo_err(f"错误：{exc}")
        sys.exit(2)
    if output is None:
        click.echo(text, nl=False)
        echo_err(f"建议保存为：{suggested}（加 -o {suggested} 直接写入）")
        return
    if output.exists():
        index_no = next(
            (line[len("index_no:") :].strip() for line in text.splitlines() if line.startswith("index_no:")), ""
        )
        free = f"下一个可用的索引号是 {index_no}，建议写入 {suggested}" if index_no else "请换一个文件名"
        echo_err(f"错误：{output} 已存在，未覆盖。{free}")
        sys.exit(2)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(f"已创建 {output}")


# ------------------------------------------------------------------ init (issue 17)
@click.command(cls=ZhCommand, name="init")
@click.argument("directory", type=click.Path(path_type=Path), default=".", metavar="[目录]")
@lang_option
def init(directory: Path, lang: str) -> None:
    """新建一个网站内容仓库。

    在 DIRECTORY（默认为当前文件夹）中写入：带中文说明的 site_config.yml（含一个待替换的示例机构）、
    catalogue/ 与 content/ 的示例（草稿，不发布）、政府信息公开指南框架、.gitignore、
    固定 gongkai 版本的 requirements.txt、GitHub Actions 持续集成（拉取请求检查，
    合并后构建并发布到 GitHub Pages）和给编辑的 README.md。不会覆盖任何已有文件。
    """
    from generator.newsite import init_site

    with no_traceback(lang):
        written, problems = init_site(directory)
    if problems:
        echo_err(render_text(problems, lang))
        echo_err("未创建任何文件。" if lang == "zh" else "nothing was created.")
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
@click.command(cls=ZhCommand, name="import")
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
@lang_option
def import_(sources: tuple[Path, ...], mapping_file: Path | None, into: Path | None, dry_run: bool, lang: str) -> None:
    """从 CMS 导出文件（CSV、XLSX、JSON、JSONL）导入目录条目和政策解读 / import CMS exports."""
    from generator.diagnostics import diag
    from generator.importer.core import run_import
    from generator.importer.mapping import Mapping, load_mapping
    from generator.importer.report import render

    with no_traceback(lang):
        diags: list[Diagnostic] = []
        if into is None:
            root = find_root(Path.cwd())
            if root is None:
                echo_err(
                    "错误：当前目录不在 gongkai 仓库中，请用 --into 指定仓库或新文件夹"
                    if lang == "zh"
                    else "error: not inside a gongkai repository; use --into"
                )
                sys.exit(2)
            into = root
        elif into.exists() and not (into / "site_config.yml").is_file() and (not into.is_dir() or any(into.iterdir())):
            report([diag(into.as_posix(), None, "E910", folder=into.as_posix())], lang, "text")
            sys.exit(2)
        mapping = Mapping()
        if mapping_file is not None:
            mapping, problems = load_mapping(mapping_file)
            if any(d.is_error for d in problems):
                report(problems, lang, "text")
                sys.exit(2)
            diags.extend(problems)
        if not dry_run:
            into.mkdir(parents=True, exist_ok=True)
        result = run_import(list(sources), into, mapping, dry_run)
        diags.extend(result.diagnostics)
        if diags:
            echo_err(render_text(diags, lang))
        click.echo(render(result, lang))
        if diags:
            echo_err(summary(diags, lang))
    sys.exit(1 if any(d.is_error for d in diags) else 0)
