"""Read a Markdown file with YAML front matter, keeping the position of every node.

Only the YAML core schema is accepted (strings, numbers, booleans, null, dates,
lists, mappings). Anchors, aliases and explicit tags are refused, so that
"billion laughs" documents and ``!!python/object`` tags are reported instead of
expanded or executed. Dates are kept as text here and validated by the checks,
so an impossible date such as ``2023-02-30`` becomes a diagnostic, not a crash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from generator.checks.diagnostics import Diagnostic, diag

# Key paths: a tuple of mapping keys and list indexes from the root.
KeyPath = tuple[str | int, ...]
Pos = tuple[int, int]

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 20
MAX_NODES = 50_000

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
    return node


class _RefusedNode(Exception):
    def __init__(self, code: str, mark: yaml.Mark | None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.mark = mark
        self.params = params


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses anchors/aliases and bounds node count."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _RefusedNode("E009", event.start_mark)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _RefusedNode("E012", event.start_mark)
        return super().compose_node(parent, index)


def decode(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Decode bytes as UTF-8 (BOM and CRLF tolerated); report anything else."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [diag(path, (1, 1), "E015", size=len(raw), limit=MAX_FILE_BYTES)]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [diag(path, (1, 1), "E011")]
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
        return None, [diag(path, (line, col), "E001", byte=exc.start)]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def parse(path: str, raw: bytes) -> SourceFile:
    """Parse one file. Never raises for content problems: see ``.diagnostics``."""
    src = SourceFile(path)
    text, problems = decode(path, raw)
    if text is None:
        src.diagnostics.extend(problems)
        return src
    if not text.strip():
        src.diagnostics.append(diag(path, (1, 1), "E003"))
        return src
    lines = text.split("\n")
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
    _load_yaml(src, line_offset=1)
    return src


def _load_yaml(src: SourceFile, line_offset: int) -> None:
    def at(mark: yaml.Mark | None) -> Pos:
        if mark is None:
            return (line_offset + 1, 1)
        return (mark.line + line_offset + 1, mark.column + 1)

    node = _fast_compose(src.raw_front_matter)
    if node is False:
        node = _slow_compose(src, at)
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


def _slow_compose(src: SourceFile, at: Any) -> yaml.Node | Literal[False] | None:
    """Compose with the pure-Python _Loader; ``False`` after reporting a refused document."""
    loader = _Loader(src.raw_front_matter)
    try:
        return loader.get_single_node()
    except _RefusedNode as exc:
        src.diagnostics.append(diag(src.path, at(exc.mark), exc.code, **exc.params))
        return False
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "").strip()
        src.diagnostics.append(
            diag(src.path, at(mark), "E006", problem=_translate_problem(problem), hint=_yaml_hint(problem))
        )
        return False
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        src.diagnostics.append(diag(src.path, at(None), "E006", problem=str(exc), hint=""))
        return False
    except RecursionError:
        src.diagnostics.append(diag(src.path, at(None), "E012"))
        return False
    finally:
        loader.dispose()


class _Converter:
    def __init__(self, src: SourceFile, at: Any) -> None:
        self.src = src
        self.at = at

    def convert(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        self.src.positions[path] = self.at(node.start_mark)
        if depth > MAX_DEPTH:
            self.src.diagnostics.append(diag(self.src.path, self.at(node.start_mark), "E012"))
            return None
        if node.tag not in _SAFE_TAGS:
            self.src.diagnostics.append(diag(self.src.path, self.at(node.start_mark), "E010", tag=node.tag))
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
                self.src.diagnostics.append(diag(self.src.path, key_pos, "E010", tag=key_node.tag))
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


_PROBLEMS = {
    "found character '\\t' that cannot start any token": "制表符（Tab）不能用于缩进",
    "mapping values are not allowed here": "此处不能出现冒号加空格（: ）",
    "could not find expected ':'": "缺少冒号（:）",
    "found undefined alias": "未定义的别名",
    "expected <block end>, but found '-'": "列表缩进不一致",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "found unexpected ':'": "多余的冒号",
    "expected ',' or ']', but got '<stream end>'": "方括号 [ ] 未闭合",
    "expected ',' or '}', but got '<stream end>'": "花括号 { } 未闭合",
}


def _translate_problem(problem: str) -> str:
    for english, chinese in _PROBLEMS.items():
        if problem.startswith(english):
            return chinese
    return problem


def _yaml_hint(problem: str) -> str:
    if "\\t" in problem:
        return "用空格代替 Tab 缩进"
    if "mapping values" in problem:
        return "值中含有“: ”时请用引号把整个值括起来"
    if "end of stream" in problem or "stream end" in problem:
        return "检查引号、方括号和花括号是否成对"
    return "检查这一行及上一行的缩进、冒号和引号"


def parse_yaml_file(path: str, raw: bytes) -> SourceFile:
    """Parse a whole YAML file (such as site_config.yml) with positions."""
    src = SourceFile(path)
    text, problems = decode(path, raw)
    if text is None:
        src.diagnostics.extend(problems)
        return src
    src.raw_front_matter = text
    _load_yaml(src, line_offset=0)
    return src
