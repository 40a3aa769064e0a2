"""Read a Markdown file with YAML front matter, keeping the position of every node.

Only the YAML core schema is accepted (strings, numbers, booleans, null, dates,
lists, mappings). Anchors, aliases and explicit tags are refused, so that
"billion laughs" documents and ``!!python/object`` tags are reported instead of
expanded or executed. Dates are kept as text here and validated by the checks,
so an impossible date such as ``2023-02-30`` becomes a diagnostic, not a crash.

This module owns the file's shape (front matter between ``---`` lines, body) and the
conversion of the YAML nodes to values with positions; it is the reader's public entry
point. Beneath it: source/sourcefile.py (the result type and limits), encoding.py (bytes
to text), compose.py (YAML text to nodes, safely) and yamlerrors.py (PyYAML's errors in
the editor's words).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, diag
from generator.source import compose
from generator.source.compose import _slow_compose, _without_indentation_tabs
from generator.source.encoding import CONTROL_RE, _long_lines, control_characters, decode
from generator.source.sourcefile import (
    MAX_CONTROL_REPORTS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_LINE_CHARS,
    MAX_NODES,
    KeyPath,
    Pos,
    SourceFile,
    YamlDate,
)
from generator.source.yamlerrors import _too_deep

__all__ = [
    "CONTROL_RE",
    "MAX_CONTROL_REPORTS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_LINE_CHARS",
    "MAX_NODES",
    "KeyPath",
    "Pos",
    "SourceFile",
    "YamlDate",
    "control_characters",
    "decode",
    "parse",
    "parse_date",
    "parse_yaml_file",
]

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

    node = compose.fast_compose(text)
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
