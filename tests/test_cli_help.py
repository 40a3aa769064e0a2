"""`--help` is Chinese for every command and option (issue 13, item 15).

Editors read Chinese; English is the secondary language of *messages* (``--lang en``),
while developers read README.md and docs/. The test walks every registered command,
so a command added later without Chinese help fails here.
"""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from generator.cli import main

HAN = re.compile(r"[\u4e00-\u9fff]")
COMMANDS = sorted(main.commands)


def _help(*args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--help"], prog_name="gongkai")
    assert result.exit_code == 0, result.output
    return result.output


def test_top_level_help_is_chinese_and_lists_every_command() -> None:
    text = _help()
    assert text.startswith("用法：gongkai [选项] 命令 [参数]...")
    assert "选项" in text and "命令" in text and "显示本帮助并退出。" in text and "显示版本号并退出。" in text
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "Show the version"):
        assert english not in text
    listed = dict(re.findall(r"^  (\S+)\s+(.+)$", text.split("命令:", 1)[1], re.M))
    assert sorted(listed) == COMMANDS
    assert all(HAN.search(short) for short in listed.values()), listed


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_and_option_is_explained_in_chinese(name: str) -> None:
    command = main.commands[name]
    assert command.help and HAN.search(command.help), name
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help and HAN.search(param.help), f"{name} {param.opts}"
            assert not param.show_default, f"{name} {param.opts}: click prints '[default: …]' in English"
    text = _help(name)
    assert text.startswith(f"用法：gongkai {name} [选项]")
    assert "显示本帮助并退出。" in text
    for english in ("Usage:", "Options:", "Show this message", "[default:", "[required]"):
        assert english not in text, f"{name}: {english}"
    assert not re.search(r"\b[A-Z_]{3,}\b", text.split("\n", 1)[0]), text.split("\n", 1)[0]  # no PATH / KIND metavars


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["chekc"], "错误：没有命令 chekc，您是不是要写 check？"),
        (["new", "entry", "--agnecy", "edu"], "错误：没有选项 --agnecy，您是不是要写 --agency？"),
        (["new"], "错误：缺少参数 {entry|interpretation|page}，可选：entry、interpretation、page"),
        (["new", "entyr"], "错误：{entry|interpretation|page} 的值 entyr 无效，可选：entry、interpretation、page"),
        (["check", "--lang", "fr"], "错误：--lang 的值 fr 无效，可选：zh、en"),
        (["check", "--build-date", "2025-13-01"], "错误：--build-date 的值 2025-13-01 应为日期 YYYY-MM-DD"),
        (["build", "--site-dir"], "错误：选项 --site-dir 后面要写一个值"),
        (["check", "no/such/folder"], "错误：路径：no/such/folder 不存在"),
    ],
)
def test_command_line_mistakes_are_reported_in_chinese(args: list[str], expected: str) -> None:
    from tests.conftest import run_cli

    result = run_cli(*args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[-1] == expected
    if len(lines) > 1:  # click knows the command the mistake was made in
        assert lines[0].startswith("用法：") and "-h 查看说明。" in lines[1]
    assert "Error" not in result.stderr and "Try " not in result.stderr
