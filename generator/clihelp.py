"""``--help`` and usage errors in Chinese: click's own words, for every command.

Editors read Chinese, so every command's and option's help text is written in Chinese
(English-speaking developers have README.md and docs/). click prints a few words of its
own ("Usage:", "Options", "Commands", "Show this message and exit."); these classes
print them in Chinese, and a mistyped command line ("No such option", "Missing
argument", "Invalid value") is reported in Chinese too. :class:`ZhGroup` makes every
command added with ``@group.command()`` a :class:`ZhCommand`.
"""

from __future__ import annotations

import re
import sys
from typing import Any, NoReturn

import click

HELP_TEXT = "显示本帮助并退出。"


class ZhCommand(click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [row for param in self.get_params(ctx) if (row := param.get_help_record(ctx)) is not None]
        if rows:
            with formatter.section("选项"):
                formatter.write_dl(rows)


class ZhGroup(ZhCommand, click.Group):
    command_class = ZhCommand

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """As click's, but usage errors are reported in Chinese."""
        if kwargs.get("standalone_mode", True) is False:
            return super().main(*args, **kwargs)
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.ClickException as error:
            _show(error)
        except click.exceptions.Abort:
            click.echo("已中止。", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        ZhCommand.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        commands = [(name, cmd) for name in self.list_commands(ctx) if (cmd := self.get_command(ctx, name))]
        commands = [(name, cmd) for name, cmd in commands if not cmd.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section("命令"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in commands])


# click's usage-error texts (click 8) -> Chinese. Anything else is shown as click wrote it.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), zh)
    for pattern, zh in (
        (r"^No such option:? '?([^'\s]+)'?\.?\s+Did you mean '?([^'\s]+?)'?\?$", "没有选项 {0}，您是不是要写 {1}？"),
        (r"^No such option:? '?([^'\s]+)'?\.?\s+\(Possible options: (.+)\)$", "没有选项 {0}（可能是：{1}）"),
        (r"^No such option:? '?([^'\s]+)'?\.?$", "没有选项 {0}"),
        (r"^No such command '(.+)'\.\s+Did you mean '(.+)'\?$", "没有命令 {0}，您是不是要写 {1}？"),
        (r"^No such command '(.+)'\.$", "没有命令 {0}"),
        (r"^Missing argument '(.+?)'\.\s+Choose from:\s+(.+)$", "缺少参数 {0}，可选：{1}"),
        (r"^Missing argument '(.+)'\.$", "缺少参数 {0}"),
        (r"^Missing option '(.+)'\.$", "缺少选项 {0}"),
        (r"^Option '(.+)' requires an argument\.$", "选项 {0} 后面要写一个值"),
        (r"^Got unexpected extra arguments? \((.+)\)$", "多余的参数：{0}"),
        (r"^Invalid value for '(.+?)': '(.*)' is not one of (.+)\.$", "{0} 的值 {1} 无效，可选：{2}"),
        (
            r"^Invalid value for '(.+?)': '(.*)' does not match the format '%Y-%m-%d'\.$",
            "{0} 的值 {1} 应为日期 YYYY-MM-DD",
        ),
        (r"^Invalid value for '(.+?)': (?:Path|Directory|File) '(.*)' does not exist\.$", "{0}：{1} 不存在"),
        (r"^Invalid value for '(.+?)': (?:Path|File) '(.*)' is a directory\.$", "{0}：{1} 是目录，应为文件"),
        (r"^Invalid value for '(.+?)': Directory '(.*)' is a file\.$", "{0}：{1} 是文件，应为目录"),
        (r"^Invalid value for '(.+?)': '(.*)' is not a valid integer\.$", "{0} 的值 {1} 应为整数"),
        (r"^Invalid value for '(.+?)': (.+)$", "{0} 的值无效：{1}"),
    )
)


def usage_error_zh(message: str) -> str:
    """click's usage-error ``message`` in Chinese (unchanged when it is not one click writes)."""
    for pattern, zh in _ERRORS:  # re.S: click lists choices on lines of their own
        m = pattern.match(message.strip())
        if m:
            return zh.format(*(_listing(group) for group in m.groups()))
    return message


def _listing(text: str) -> str:
    """``'a', 'b'`` or ``a,\\n\\tb`` -> ``a、b``; ``[路径]`` -> ``路径``."""
    items = [item.strip().strip("'") for item in re.split(r",\s*", text.strip()) if item.strip()]
    return "、".join(items).removeprefix("[").removesuffix("]")


def _show(error: click.ClickException) -> NoReturn:
    if isinstance(error, click.UsageError) and error.ctx is not None:
        click.echo(error.ctx.get_usage(), err=True)
        click.echo(f"运行 {error.ctx.command_path} -h 查看说明。", err=True)
    click.echo(f"错误：{usage_error_zh(error.format_message())}", err=True)
    sys.exit(error.exit_code)
