"""Read a Markdown file with YAML front matter, keeping the position of every node.

Only the YAML core schema is accepted (strings, numbers, booleans, null, dates,
lists, mappings). Anchors, aliases and explicit tags are refused, so that
"billion laughs" documents and ``!!python/object`` tags are reported instead of
expanded or executed. Dates are kept as text here and validated by the checks,
so an impossible date such as ``2023-02-30`` becomes a diagnostic, not a crash.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from generator.diagnostics import Diagnostic, diag

# Key paths: a tuple of mapping keys and list indexes from the root.
KeyPath = tuple[str | int, ...]
Pos = tuple[int, int]

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_LINE_CHARS = 100_000
MAX_DEPTH = 20
MAX_NODES = 10_000
MAX_CONTROL_REPORTS = 5

_BOM = b"\xef\xbb\xbf"
_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


@dataclass(frozen=True)
class YamlDate:
    """An unquoted YAML timestamp, kept verbatim for validation by the checks."""

    text: str


@dataclass
class SourceFile:
    """A decoded file: front matter values with positions, and the body text."""

    path: str
    data: dict[str, Any] | None = None
    body: str = ""
    body_line: int = 1
    raw_front_matter: str = ""
    positions: dict[KeyPath, Pos] = field(default_factory=dict)
    key_positions: dict[KeyPath, Pos] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def pos(self, path: KeyPath) -> Pos:
        """Position of the value at ``path``, or of its nearest known ancestor."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def key_pos(self, path: KeyPath) -> Pos:
        return self.key_positions.get(path) or self.pos(path)


# LibYAML (C) composes plain front matter ~20× faster than the pure-Python composer.
# It is used only for text that cannot hold what _Loader refuses (anchors ``&``,
# aliases ``*``, tags ``!``) and is small and shallow; anything else, and any
# document LibYAML rejects, goes through _Loader so diagnostics stay identical.
_CLoader: Any = getattr(yaml, "CSafeLoader", None)
_FAST_MAX_CHARS = 64 * 1024
_FAST_MAX_BRACKETS = 100


def _fast_compose(text: str) -> yaml.Node | Literal[False] | None:
    """The composed node via LibYAML, or ``False`` when the slow path must decide."""
    if _CLoader is None or len(text) > _FAST_MAX_CHARS or any(c in text for c in "&*!"):
        return False
    if text.count("[") + text.count("{") > _FAST_MAX_BRACKETS:
        return False
    loader = _CLoader(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
    except yaml.YAMLError:
        return False
    finally:
        loader.dispose()
    if node is not None and _beyond_bounds(node):
        return False  # the slow path reports where the bound is crossed
    return node


def _beyond_bounds(root: yaml.Node) -> bool:
    """True when the document reaches the node-count or depth bound of :class:`_Loader`."""
    stack = [(root, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            return True
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
    return False


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


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses anchors/aliases and bounds node count and depth.

    The bounds are checked while composing, before any recursion gets deep, so a
    hostile document is refused at the position where it crosses the limit.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _RefusedNode("E009", event.start_mark)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _RefusedNode("E012", event.start_mark, **_too_many())
        if self._depth >= MAX_DEPTH:
            raise _RefusedNode("E012", event.start_mark, **_too_deep())
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def decode(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Decode bytes as UTF-8 (BOM and CRLF tolerated); report anything else.

    Returns the text with ``\n`` line ends, or ``None`` and the reason. Invisible
    control characters are reported but do not stop decoding.
    """
    if len(raw) > MAX_FILE_BYTES:
        return None, [diag(path, (1, 1), "E015", size=len(raw), limit=MAX_FILE_BYTES)]
    wide = _wide_encoding(raw)
    if wide:
        return None, [diag(path, (1, 1), "E011", encoding=wide)]
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return None, [diag(path, (line, 1), "E002")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [diag(path, (line, col), "E001", byte=exc.start, hint=_legacy_hint(raw))]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, control_characters(path, text)


# C0 controls except tab and line feed, DEL, C1 controls, line/paragraph separators,
# a byte-order mark in mid-file, bidirectional overrides ("Trojan source") and the
# two non-characters. None belongs in a catalogue entry; all are invisible in editors.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def control_characters(path: str, text: str, first_line: int = 1) -> list[Diagnostic]:
    """E019 for the first few invisible control characters in ``text``."""
    out: list[Diagnostic] = []
    if not CONTROL_RE.search(text):
        return out
    for n, line in enumerate(text.split("\n")):
        for m in CONTROL_RE.finditer(line):
            out.append(diag(path, (first_line + n, m.start() + 1), "E019", char=f"U+{ord(m.group()):04X}"))
            if len(out) >= MAX_CONTROL_REPORTS:
                return out
    return out


def _wide_encoding(raw: bytes) -> str | None:
    """UTF-16/UTF-32, with or without a byte-order mark."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = raw[:400]
    if len(head) >= 4 and head.count(0) * 3 >= len(head):
        # ASCII text in UTF-16 has a NUL in every other byte (UTF-32: three in four).
        return "UTF-32" if head.count(0) * 4 >= len(head) * 3 else "UTF-16"
    return None


def _legacy_hint(raw: bytes) -> str:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return "请用 UTF-8 编码另存此文件"
    return "文件似乎是 GBK/GB18030 编码（Windows 记事本、Excel 的常见默认值），请另存为 UTF-8"


def parse(path: str, raw: bytes) -> SourceFile:
    """Parse one file. Never raises for content problems: see ``.diagnostics``."""
    src = SourceFile(path)
    text, problems = decode(path, raw)
    src.diagnostics.extend(problems)
    if text is None:
        return src
    if not text.strip():
        src.diagnostics.append(diag(path, (1, 1), "E003"))
        return src
    lines = text.split("\n")
    src.diagnostics.extend(_long_lines(path, lines))
    if lines[0].rstrip() != "---":
        src.diagnostics.append(diag(path, (1, 1), "E004"))
        return src
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        src.diagnostics.append(diag(path, (1, 1), "E005"))
        return src
    src.raw_front_matter = "\n".join(lines[1:end])
    src.body = "\n".join(lines[end + 1 :])
    src.body_line = end + 2
    src.diagnostics.extend(_second_front_matter(path, lines, end + 1))
    if not any(d.code in ("E018", "E019") and d.line <= end for d in src.diagnostics):
        _load_yaml(src, line_offset=1)
    return src


def _long_lines(path: str, lines: list[str]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for n, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            out.append(diag(path, (n, MAX_LINE_CHARS + 1), "E018", length=len(line), limit=MAX_LINE_CHARS))
    return out


# A line that starts a second entry: the "---" of a thematic break followed by a field.
_FIELD_LINE = re.compile(r"^(index_no|title|publisher|interprets)\s*:")


def _second_front_matter(path: str, lines: list[str], start: int) -> list[Diagnostic]:
    """E017 when entries were pasted one after another into a single file."""
    count = 0
    first: int | None = None
    for i in range(start, len(lines) - 1):
        if lines[i].rstrip() == "---" and _FIELD_LINE.match(lines[i + 1]):
            count += 1
            first = first or i + 1
    if first is None:
        return []
    return [diag(path, (first, 1), "E017", count=count + 1)]


def _load_yaml(src: SourceFile, line_offset: int) -> None:
    def at(mark: yaml.Mark | None) -> Pos:
        if mark is None:
            return (line_offset + 1, 1)
        return (mark.line + line_offset + 1, mark.column + 1)

    text, shifts = _without_indentation_tabs(src, line_offset)
    if shifts:
        plain_at = at

        def at(mark: yaml.Mark | None) -> Pos:  # columns as written, before tabs were expanded
            line, col = plain_at(mark)
            old, new = shifts.get(line - line_offset - 1, (0, 0))
            return (line, col - new + old if col > new else min(col, old + 1))

    node = _fast_compose(text)
    if node is False:
        node = _slow_compose(src, text, at, line_offset)
        if node is False:
            return
    if node is None:
        src.data = {}
        src.positions[()] = (line_offset + 1, 1)
        return
    converter = _Converter(src, at)
    value = converter.convert(node, (), 0)
    if not isinstance(value, dict):
        src.diagnostics.append(diag(src.path, at(node.start_mark), "E007", actual=_kind_zh(value)))
        return
    src.data = value


_INDENT = re.compile(r"^[ \t]*\t[ \t]*", re.MULTILINE)
_TAB_WIDTHS = (4, 8, 2, 1, 0)  # how editors show a tab (0: a stray one); the first that composes wins


def _without_indentation_tabs(src: SourceFile, line_offset: int) -> tuple[str, dict[int, tuple[int, int]]]:
    """The front matter to compose, and for each changed line (0-based) its (old, new) indentation width.

    YAML refuses a tab in indentation, and PyYAML stops at the first one, which would
    hide every other problem of the file. When the text does not compose and has such
    tabs, each tab-indented line is reported (E107) and its indentation is expanded as
    an editor shows it, so that the rest of the file is still checked.
    """
    text = src.raw_front_matter
    if "\t" not in text or not _INDENT.search(text) or _composes(text):
        return text, {}
    lines = {text.count("\n", 0, m.start()): m.group() for m in _INDENT.finditer(text)}
    for line, indent in lines.items():
        src.diagnostics.append(diag(src.path, (line + line_offset + 1, indent.index("\t") + 1), "E107"))
    for width in _TAB_WIDTHS:
        untabbed = _INDENT.sub(lambda m, w=width: m.group().expandtabs(w), text)  # type: ignore[misc]
        if _composes(untabbed):
            break
    shifts = {line: (len(indent), len(indent.expandtabs(width))) for line, indent in lines.items()}
    return untabbed, shifts


def _composes(text: str) -> bool:
    loader = _Loader(text)
    try:
        loader.get_single_node()
    except yaml.YAMLError:
        return False
    except (_RefusedNode, RecursionError):
        return True  # refused for another reason: reported by the real pass
    finally:
        loader.dispose()
    return True


def _slow_compose(src: SourceFile, text: str, at: Any, line_offset: int) -> yaml.Node | Literal[False] | None:
    """Compose with the pure-Python _Loader; ``False`` after reporting a refused document."""
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        node: yaml.Node | None = loader.get_single_node()
        return node
    except yaml.reader.ReaderError as exc:
        # Control characters: already reported as E019 by decode(); keep one message.
        before = text[: exc.position]
        line = before.count("\n")
        col = exc.position - (before.rfind("\n") + 1)
        src.diagnostics.append(
            diag(src.path, (line + line_offset + 1, col + 1), "E019", char=f"U+{exc.character:04X}")
            if isinstance(exc.character, int)
            else diag(src.path, at(None), "E006", problem="含有不允许的字符", hint="", problem_en=str(exc))
        )
        return False
    except _RefusedNode as exc:
        src.diagnostics.append(diag(src.path, at(exc.mark), exc.code, **exc.params))
        return False
    except yaml.MarkedYAMLError as exc:
        english = (exc.problem or exc.context or "").strip()
        problem, hint = _translate(english)
        pos = at(exc.problem_mark or exc.context_mark)
        if exc.context_mark and exc.context and exc.context.startswith(_OPENED):
            # An unclosed quote or bracket: point at where it was opened, not where the file ended.
            pos = at(exc.context_mark)
        unclosed = _unclosed_quote(text, pos[0] - line_offset) if english.startswith(_QUOTE_SYMPTOMS) else None
        hint_en = _HINT_EN
        if unclosed is not None:
            problem, hint = "引号未闭合", "在这个值的末尾补上引号，或去掉开头的引号"
            english, hint_en = "unclosed quote", "close the quote at the end of the value, or remove the opening one"
            pos = (unclosed[0] + line_offset + 1, unclosed[1] + 1)
        src.diagnostics.append(
            diag(src.path, pos, "E006", problem=problem, hint=hint, problem_en=english, hint_en=hint_en)
        )
        return False
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        problem, hint = _translate(str(exc))
        src.diagnostics.append(
            diag(src.path, at(None), "E006", problem=problem, hint=hint, problem_en=str(exc), hint_en=_HINT_EN)
        )
        return False
    except RecursionError:  # pragma: no cover - the depth bound comes first
        src.diagnostics.append(diag(src.path, at(None), "E012", **_too_deep()))
        return False
    finally:
        if loader is not None:
            loader.dispose()


class _Converter:
    def __init__(self, src: SourceFile, at: Any) -> None:
        self.src = src
        self.at = at

    def convert(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        self.src.positions[path] = self.at(node.start_mark)
        if depth > MAX_DEPTH:
            self.src.diagnostics.append(diag(self.src.path, self.at(node.start_mark), "E012", **_too_deep()))
            return None
        if node.tag not in _SAFE_TAGS:
            self.src.diagnostics.append(diag(self.src.path, self.at(node.start_mark), "E010", tag=_tag_name(node.tag)))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return _scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_pos = self.at(key_node.start_mark)
            key: Any = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else key_node
            if key_node.tag not in _SAFE_TAGS:
                self.src.diagnostics.append(diag(self.src.path, key_pos, "E010", tag=_tag_name(key_node.tag)))
                continue
            if not isinstance(key, str):
                self.src.diagnostics.append(diag(self.src.path, key_pos, "E013", actual=_kind_zh(key)))
                continue
            if key in out:
                self.src.diagnostics.append(diag(self.src.path, key_pos, "E008", key=key, first_line=first_line[key]))
                continue
            first_line[key] = key_pos[0]
            self.src.key_positions[(*path, key)] = key_pos
            out[key] = self.convert(value_node, (*path, key), depth + 1)
        return out


def _tag_name(tag: str) -> str:
    """A tag as it was written: !!python/object:os.system, or << for a merge key."""
    if tag == "tag:yaml.org,2002:merge":
        return "<<（合并键）"
    if tag.startswith("tag:yaml.org,2002:"):
        return "!!" + tag[len("tag:yaml.org,2002:") :]
    return tag


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == "tag:yaml.org,2002:str":
        return value
    if tag == "tag:yaml.org,2002:timestamp":
        return YamlDate(value)
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() in ("true", "yes", "on")
    if tag == "tag:yaml.org,2002:int":
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if tag == "tag:yaml.org,2002:float":
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    return value


def parse_date(value: Any) -> dt.date | None:
    """Interpret a YAML date or an ISO date string; ``None`` when it is not one."""
    text = value.text if isinstance(value, YamlDate) else value
    if not isinstance(text, str) or len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _kind_zh(value: Any) -> str:
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, (int, float)):
        return "数字"
    if value is None:
        return "空值"
    return "文字"


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


def parse_yaml_file(path: str, raw: bytes) -> SourceFile:
    """Parse a whole YAML file (such as site_config.yml) with positions."""
    src = SourceFile(path)
    text, problems = decode(path, raw)
    src.diagnostics.extend(problems)
    if text is None:
        return src
    src.raw_front_matter = text
    src.diagnostics.extend(_long_lines(path, text.split("\n")))
    if not any(d.code in ("E018", "E019") for d in src.diagnostics):
        _load_yaml(src, line_offset=0)
    return src
