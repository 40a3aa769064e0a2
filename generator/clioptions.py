"""The click options several commands share, each defined once: ``--lang``, ``--build-date``,
``--format`` and ``--path`` (generator/commands/ and generator/cli_audit.py; beside
generator/clihelp.py, below both, so the auditors' commands need not import the command
modules)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

BUILD_DATE_HELP = "按哪一天构建（决定公开时间、有效期的判断）；默认取 SOURCE_DATE_EPOCH 或今天。"
FORMAT_HELP = "输出格式：text 文字（默认），json 供程序读取。"

lang_option = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    help="提示信息的语言：zh 中文（默认），en 英文（English messages）。",
)


def build_date_option(help: str = BUILD_DATE_HELP) -> Callable[[F], F]:
    """``--build-date YYYY-MM-DD`` (a ``datetime`` or ``None``)."""
    return click.option(
        "--build-date",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        metavar="YYYY-MM-DD",
        help=help,
    )


def format_option(*choices: str, help: str = FORMAT_HELP, dest: str = "fmt") -> Callable[[F], F]:
    """``--format``: one of ``choices`` (default ``text``/``json``), the first the default."""
    choices = choices or ("text", "json")
    return click.option("--format", dest, type=click.Choice(list(choices)), default=choices[0], help=help)


def path_option(help: str, metavar: str | None = None) -> Callable[[F], F]:
    """``--path DIR``: the site repository (an existing folder, default ``.``), as ``root_path``."""
    return click.option(
        "--path",
        "root_path",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=".",
        metavar=metavar,
        help=help,
    )
