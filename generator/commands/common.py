"""What every subcommand shares: finding the project root, loading and selecting its
diagnostics, reporting them, and turning an unexpected error into one readable line."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from generator.diagnostics import Diagnostic, render_json, render_text, summary
from generator.progress import Progress
from generator.project import Project, find_root, load_project


def echo_err(text: str) -> None:
    click.echo(text, err=True)


def resolve_root(path: Path, lang: str) -> tuple[Path, list[Path]]:
    """Project root for ``path`` and the paths to report on (empty: everything)."""
    root = find_root(path if path.is_dir() else path.parent)
    if root is None:
        msg = (
            f"{path}: error: no site_config.yml found here or above"
            if lang == "en"
            else f"{path}: 错误：在此目录及上级目录中找不到 site_config.yml"
        )
        echo_err(msg)
        sys.exit(2)
    if path.resolve() == root:
        return root, []
    return root, [path.resolve()]


def select_diagnostics(project: Project, only: list[Path]) -> list[Diagnostic]:
    if not only:
        return project.diagnostics
    rels = [p.relative_to(project.root).as_posix() for p in only]
    return [
        d
        for d in project.diagnostics
        if d.path == "site_config.yml" or any(d.path == r or d.path.startswith(r.rstrip("/") + "/") for r in rels)
    ]


def load(
    path: Path, lang: str, build_date: dt.datetime | None, progress: Progress | None = None
) -> tuple[Project, list[Path]]:
    root, only = resolve_root(path, lang)
    return load_project(root, build_date.date() if build_date else None, progress, cache=True, lazy=True), only


def report(diags: list[Diagnostic], lang: str, fmt: str, quiet: bool = False) -> None:
    if fmt == "json":
        click.echo(render_json(diags, lang))
        return
    if diags:
        echo_err(render_text(diags, lang))
    if diags or not quiet:
        echo_err(summary(diags, lang))


@contextmanager
def no_traceback(lang: str) -> Iterator[None]:
    """An unexpected error (a bug) is reported in one readable line; GONGKAI_DEBUG=1 shows the traceback."""
    try:
        yield
    except Exception as exc:
        if os.environ.get("GONGKAI_DEBUG"):
            raise
        if lang == "en":
            echo_err(f"internal error: {type(exc).__name__}: {exc}")
            echo_err("nothing was published; the previous site is untouched. Set GONGKAI_DEBUG=1 for details.")
        else:
            echo_err(f"内部错误：{type(exc).__name__}: {exc}")
            echo_err("未发布任何内容，原有网站未改动。设置环境变量 GONGKAI_DEBUG=1 可查看详细信息，请报告此问题。")
        sys.exit(3)


def interactive() -> bool:
    """Ask questions only when a person is at the terminal (never in scripts or CI)."""
    return sys.stdin.isatty() and sys.stderr.isatty()
