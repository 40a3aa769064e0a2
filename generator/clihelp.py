"""``--help`` in Chinese: click's own headings and help-option text, for every command.

Editors read Chinese, so every command's and option's help text is written in Chinese
(English-speaking developers have README.md and docs/). click prints a few words of its
own ("Usage:", "Options", "Commands", "Show this message and exit."); these classes
print them in Chinese. :class:`ZhGroup` makes every command added with
``@group.command()`` a :class:`ZhCommand`.
"""

from __future__ import annotations

from typing import Any

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
