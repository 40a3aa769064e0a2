"""Auditors' commands: ``gongkai fmt``, ``gongkai diff`` and ``gongkai stats``.

Registered in :mod:`generator.cli` with one ``main.add_command`` line each.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import sys
import tempfile
from pathlib import Path

import click

from generator.clihelp import ZhCommand
from generator.clioptions import build_date_option, format_option, lang_option, path_option
from generator.project import find_root
from generator.source.files import discover, kind_of


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _err(text: str) -> None:
    click.echo(text, err=True)


# ------------------------------------------------------------------------ fmt
def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _walk(folder: Path) -> list[Path]:
    root = find_root(folder)
    if root is not None and root == folder.resolve():
        return [root / ref.rel for ref in discover(root) if not ref.outside]
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath) / n for n in sorted(filenames) if n.endswith(".md") and not n.startswith("."))
    return found


def _kind(path: Path) -> str | None:
    root = find_root(path.parent)
    if root is None:
        return None
    try:
        return kind_of(path.resolve().relative_to(root).as_posix())
    except ValueError:
        return None


def fmt_targets(paths: tuple[Path, ...], lang: str) -> list[Path]:
    if not paths:
        root = find_root(Path.cwd())
        if root is None:
            _err(
                _t(
                    lang,
                    "错误：在当前目录及上级目录中找不到 site_config.yml；请指定要格式化的文件或目录",
                    "error: no site_config.yml here or above; name the files or folders to format",
                )
            )
            sys.exit(2)
        paths = (root,)
    out: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        for file in _walk(path) if path.is_dir() else [path]:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                out.append(file)
    return out


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".fmt", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.command("fmt", cls=ZhCommand)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[路径]...")
@click.option("--check", is_flag=True, help="不改动文件，只列出需要格式化的文件（有则退出码 1）。")
@click.option("--diff", "show_diff", is_flag=True, help="显示每处改动（unified diff）。")
@lang_option
def fmt(paths: tuple[Path, ...], check: bool, show_diff: bool, lang: str) -> None:
    """把元数据整理为规范格式（字段顺序、引号等，见 docs/fmt.md）；正文和注释保持不变。"""
    from generator.audit.fmt import format_bytes

    files = fmt_targets(paths, lang)
    changed = refused = 0
    for path in files:
        shown = _display(path)
        result = format_bytes(path.read_bytes(), shown, _kind(path))
        if not result.ok:
            refused += 1
            for d in result.diagnostics:
                _err(d.format(lang))
            if result.problem:
                _err(
                    _t(
                        lang,
                        f"{shown}: 错误：无法在不改变内容的前提下格式化（{result.problem}）",
                        f"{shown}: error: {result.problem}",
                    )
                )
            _err(_t(lang, f"未格式化（无法解析）：{shown}", f"not formatted (cannot be parsed): {shown}"))
            continue
        if not result.changed:
            continue
        changed += 1
        assert result.formatted is not None
        if show_diff:
            old = result.original.decode("utf-8", errors="replace").splitlines(keepends=True)
            new = result.formatted.decode("utf-8").splitlines(keepends=True)
            click.echo("".join(difflib.unified_diff(old, new, f"a/{shown}", f"b/{shown}")), nl=False)
        if check:
            click.echo(_t(lang, f"需要格式化：{shown}", f"would reformat: {shown}"))
        else:
            _write_atomically(path, result.formatted)
            click.echo(_t(lang, f"已格式化：{shown}", f"reformatted: {shown}"))
    if check:
        _err(
            _t(
                lang,
                f"共检查 {len(files)} 个文件：{changed} 个需要格式化，{refused} 个无法解析",
                f"{len(files)} file(s) checked: {changed} would be reformatted, {refused} could not be parsed",
            )
        )
    else:
        _err(
            _t(
                lang,
                f"共 {len(files)} 个文件：已格式化 {changed} 个，{refused} 个无法解析",
                f"{len(files)} file(s): {changed} reformatted, {refused} could not be parsed",
            )
        )
    sys.exit(1 if refused or (check and changed) else 0)


# ------------------------------------------------------------------------ stats
@click.command("stats", cls=ZhCommand)
@click.argument(
    "path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".", metavar="[站点目录]"
)
@click.option("--year", type=int, default=None, metavar="年份", help="只统计这一年。")
@format_option(dest="fmt_")
@build_date_option("尚未结束的年份统计到哪一天（默认 SOURCE_DATE_EPOCH 或今天）。")
@lang_option
def stats(path: Path, year: int | None, fmt_: str, build_date: dt.datetime | None, lang: str) -> None:
    """政府信息公开工作年度报告第二十条第（一）项：规章和行政规范性文件的制发、废止和现行有效件数，并核对勾稽关系。"""
    import json

    from generator.project import load_project
    from generator.site.stats import COLUMNS, SECTION, annual_json, identity_text, stats_of

    root = find_root(path)
    if root is None:
        _err(
            _t(
                lang,
                f"{path}: 错误：在此目录及上级目录中找不到 site_config.yml",
                f"{path}: error: no site_config.yml found",
            )
        )
        sys.exit(2)
    project = load_project(root, build_date.date() if build_date else None)
    if project.errors:
        _err(
            _t(
                lang,
                f"警告：内容检查发现 {len(project.errors)} 个错误，有错误的条目不计入统计（运行 gongkai check 查看）",
                f"warning: {len(project.errors)} error(s) in the content; entries with errors are not counted",
            )
        )
    cat = project.public()
    if fmt_ == "json":
        data = annual_json(cat)
        if year is not None:
            data["years"] = [y for y in data["years"] if y["year"] == year]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    years = [ys for ys in stats_of(cat) if year is None or ys.year == year]
    if not years:
        click.echo(_t(lang, "没有可统计的规章和行政规范性文件。", "no 规章 or 行政规范性文件 to count."))
        return
    for n, ys in enumerate(years):
        if n:
            click.echo("")
        label = f"{ys.year} 年" if ys.complete else f"{ys.year} 年（截至 {ys.as_of.isoformat()}）"
        click.echo(f"{label} {SECTION}")
        click.echo("\t".join(("信息内容", *COLUMNS)))
        for row in ys.rows:
            click.echo(f"{row.info_type}\t{len(row.made)}\t{len(row.repealed)}\t{row.in_force}")
        for row in ys.rows:
            click.echo(identity_text(row, lang))
            if not row.balanced:
                for c in row.causes:
                    if lang == "en":
                        click.echo(f"  - {c.index_no} {c.title} ({c.effect:+d}): {c.reason_en}")
                    else:
                        click.echo(f"  - {c.index_no} {c.title}（{c.effect:+d}）：{c.reason}")


# ------------------------------------------------------------------------ diff
@click.command("diff", cls=ZhCommand)
@click.argument("rev_a", metavar="版本A")
@click.argument("rev_b", required=False, metavar="[版本B]")
@path_option("站点仓库（默认当前目录所在的仓库）。", metavar="目录")
@format_option("markdown", "json", help="报告格式：markdown（默认），json 供程序读取。", dest="fmt_")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="文件",
    help="把报告写入此文件（默认打印）。",
)
@lang_option
def diff(rev_a: str, rev_b: str | None, root_path: Path, fmt_: str, output: Path | None, lang: str) -> None:
    """按索引号列出两个 git 版本之间目录的变化（版本B 省略时与工作区比较），供审核。"""
    from generator.audit.changelog import compare, to_json, to_markdown
    from generator.audit.gitdiff import GitError, snapshot

    root = find_root(root_path)
    if root is None:
        _err(
            _t(
                lang,
                f"{root_path}: 错误：在此目录及上级目录中找不到 site_config.yml",
                f"{root_path}: error: no site_config.yml found",
            )
        )
        sys.exit(2)
    try:
        log = compare(snapshot(root, rev_a), snapshot(root, rev_b))
    except GitError as exc:
        _err(_t(lang, f"错误：{exc}", f"error: {exc}"))
        sys.exit(2)
    text = to_json(log) if fmt_ == "json" else to_markdown(log)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
