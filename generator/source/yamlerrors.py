"""PyYAML's problems in the editor's words: the Chinese problem and hint for each PyYAML
error text, the limits' details, and where an unclosed quote was really opened."""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.source.sourcefile import MAX_DEPTH, MAX_NODES


class _RefusedNode(Exception):
    def __init__(self, code: str, mark: yaml.Mark | None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.mark = mark
        self.params = params


# PyYAML contexts whose mark is the opening quote or bracket.
_OPENED = ("while scanning a quoted scalar", "while parsing a flow sequence", "while parsing a flow mapping")
_QUOTE_SYMPTOMS = (
    "expected <block end>, but found '<scalar>'",
    "found unexpected end of stream",
    "could not find expected ':'",
)
_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?[^\s#'"][^:#]*:\s+(["'])|^\s*-\s+(["'])""")


def _unclosed_quote(text: str, error_line: int) -> tuple[int, int] | None:
    """(line, column), 0-based, of a value whose opening quote is not closed on its own line.

    Looks at the lines up to and including ``error_line`` (0-based).

    PyYAML reads such a value on until the next quote, possibly many lines further
    down, and reports a confusing error there.
    """
    for n, line in enumerate(text.split("\n")[: error_line + 1]):
        m = _QUOTED_VALUE.match(line)
        if not m:
            continue
        quote = m.group(1) or m.group(2)
        start = m.end() - 1
        rest = line[start + 1 :]
        closed = re.search(r'(?<!\\)"', rest) if quote == '"' else re.search(r"'(?!')", rest.replace("''", ""))
        if not closed:
            return (n, start)
    return None


def _too_deep() -> dict[str, str]:
    return {"detail": f"嵌套超过 {MAX_DEPTH} 层", "detail_en": f"more than {MAX_DEPTH} levels"}


def _too_many() -> dict[str, str]:
    return {"detail": f"超过 {MAX_NODES} 个值", "detail_en": f"more than {MAX_NODES} values"}


_HINT_EN = "check indentation, colons, quotes and brackets on this line and the one above"
_QUOTE_HINT = "检查引号、方括号和花括号是否成对"
_INDENT_HINT = "检查这一行及上一行的缩进：同一层的字段要对齐，列表项“- ”比字段多缩进两格"
_TAG_HINT = "元数据不支持 YAML 标签、锚点（&）和别名（*），请直接写值"

# PyYAML problem texts (regular expressions) -> Chinese problem, hint. First match wins.
_PROBLEMS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern), zh, hint)
    for pattern, zh, hint in (
        (r"^found character '\\t' that cannot start any token", "制表符（Tab）不能用于缩进", "用空格代替 Tab 缩进"),
        (
            r"^found character (.+) that cannot start any token",
            "字符 {0} 不能出现在值的开头",
            "以 @、`、% 等符号开头的值请用引号括起来",
        ),
        (
            r"^mapping values are not allowed here",
            "此处不能出现冒号加空格（: ）",
            "值中含有“: ”时请用引号把整个值括起来",
        ),
        (
            r"^could not find expected ':'",
            "缺少冒号（:）",
            "每个字段写成“字段: 值”，冒号后有一个空格；或检查引号是否成对",
        ),
        (r"^found undefined alias", "未定义的别名", _TAG_HINT),
        (r"^expected <block end>, but found '-'", "列表缩进不一致", _INDENT_HINT),
        (r"^expected <block end>, but found '<block sequence start>'", "列表缩进不一致", _INDENT_HINT),
        (r"^expected <block end>, but found '<scalar>'", "引号结束后还有多余的文字，或缩进不一致", _QUOTE_HINT),
        (r"^expected <block end>, but found", "缩进不一致", _INDENT_HINT),
        (r"^found unexpected end of stream", "文件意外结束（引号或括号未闭合）", _QUOTE_HINT),
        (r"^found unexpected ':'", "多余的冒号", "值中含有冒号时请用引号把整个值括起来"),
        (r"^expected ',' or '\]', but got '<stream end>'", "方括号 [ ] 未闭合", _QUOTE_HINT),
        (r"^expected ',' or '\}', but got '<stream end>'", "花括号 { } 未闭合", _QUOTE_HINT),
        (
            r"^expected ',' or '\]', but got",
            "方括号 [ ] 中缺少逗号或括号未闭合",
            "列表写成 [值1, 值2]；值中含有逗号或冒号时请加引号",
        ),
        (
            r"^expected ',' or '\}', but got",
            "花括号 { } 中缺少逗号或括号未闭合",
            "写成 {字段: 值, 字段: 值}；值中含有逗号或冒号时请加引号",
        ),
        (
            r"^found unknown escape character (.+)",
            "双引号中的反斜杠转义 \\{0} 无效",
            '在双引号中反斜杠要写成 \\\\，例如 "综合政务\\\\政务公开"；或改用单引号',
        ),
        (
            r"^expected escape sequence of (\d+) hexadecimal numbers",
            "双引号中的转义序列后应为 {0} 位十六进制数",
            "反斜杠要写成 \\\\，或改用单引号",
        ),
        (r"^invalid indentation or unclosed '\[' or '\{'", "缩进有误，或方括号、花括号未闭合", _QUOTE_HINT),
        (r"^mapping keys are not allowed here", "此处不能出现问号加空格（? ）", "以“? ”开头的值请用引号括起来"),
        (r"^sequence entries are not allowed here", "此处不能出现列表项（- ）", _INDENT_HINT),
        (r"^expected the node content, but found", "此处缺少值", "在冒号后写值，或检查括号是否成对"),
        (r"^expected '<document start>', but found", "元数据结构有误（不支持 % 开头的指令）", "删除以 % 开头的行"),
        (
            r"^(expected a single document|but found another document)",
            "文件中只能有一个 YAML 文档",
            "删除多余的 --- 行",
        ),
        (
            r"^expected a comment or a line break, but found (.+)",
            "此处应换行，却出现了 {0}",
            "引号、| 或 > 之后不能再写文字；值中含有 # 时请加引号",
        ),
        (
            r"^expected (chomping|indentation) ind",
            "多行文字（| 或 >）的写法有误",
            "| 或 > 之后直接换行，下一行起缩进书写",
        ),
        (r"^expected alphabetic or numeric character", "锚点（&）或别名（*）写法有误", _TAG_HINT),
        (
            r"^(expected '!'|expected '>'|expected URI|found undefined tag handle|found non-specific tag)",
            "YAML 标签写法有误",
            _TAG_HINT,
        ),
        (
            r"^(found duplicate YAML directive|found incompatible YAML document|duplicate tag handle)",
            "不支持的 YAML 指令",
            "删除以 % 开头的行",
        ),
        (r"^expected ' ', but found", "缺少空格", "冒号、“- ”之后要有一个空格"),
    )
)


def _translate(problem: str) -> tuple[str, str]:
    """The Chinese problem and hint for a PyYAML problem text."""
    for pattern, chinese, hint in _PROBLEMS:
        m = pattern.match(problem)
        if m:
            for n, group in enumerate(m.groups()):
                chinese = chinese.replace(f"{{{n}}}", group.strip("'\""))
            return chinese, hint
    return f"格式有误（{problem}）", "检查这一行及上一行的缩进、冒号和引号"
