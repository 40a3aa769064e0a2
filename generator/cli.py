"""The ``gongkai`` command line: the ``main`` group (run by the console script
``generator.cli:run`` and by ``python -m generator``) and its commands, each defined in generator/commands/ or, for the
auditors' commands, generator/cli_audit.py."""

from __future__ import annotations

import click

from generator import __version__
from generator import cli_audit as audit_cli
from generator.clihelp import ZhGroup
from generator.commands import authoring, build, check


@click.group(cls=ZhGroup, context_settings={"help_option_names": ["-h", "--help"]})
# ---- --version (issue 17): the version of the running code, as recorded in every built page
@click.version_option(__version__, "--version", message="gongkai %(version)s", help="显示版本号并退出。")
def main() -> None:
    """gongkai（公开）：政府信息公开目录与政策解读网站生成器。

    常用命令：gongkai new 生成模板，gongkai check 检查，gongkai build 构建，gongkai serve 预览。
    每个命令加 -h 查看说明。
    """


for command in (
    check.check,
    build.build,
    build.stage,
    build.serve,
    authoring.new,
    check.deadlines,
    audit_cli.fmt,
    audit_cli.stats,
    audit_cli.diff,
    authoring.init,
    authoring.import_,
):
    main.add_command(command)


def run() -> None:
    """The console script and ``python -m generator``: :func:`main`, then a quick exit
    (generator/quickexit.py: no teardown of the heap a build leaves)."""
    from generator.quickexit import run_and_exit

    run_and_exit(main)
