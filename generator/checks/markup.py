"""Bodies whose Markdown would crash or stall the renderer.

Python-Markdown recurses once per nesting level and rescans a paragraph once per
``[``, so a hostile or broken body (300 nested list levels, 2,000 ``*`` around a
word, 50,000 ``[`` in a paragraph) crashes with RecursionError or takes minutes.
These checks are deterministic, linear-time limits far above anything a real
document needs, so ``check`` reports such a body at its position and ``build``
never starts on it. The limits were found by measuring Python-Markdown 3.x; see
tests/test_markup.py for the shapes they stop.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

import markdown

from generator.diagnostics import Diagnostic, diag
from generator.source.frontmatter import SourceFile

MAX_LEVELS = 16  # nested lists / quotes / admonitions
INDENT_PER_LEVEL = 4
MAX_EMPHASIS_RUN = 200  # consecutive * or _ (a fill-in blank is far shorter)
MAX_DEFINITIONS = 200  # definition-list items in one block
MAX_CELLS = 1_000  # "|" in one line (table columns)
MAX_BODY_LINES = 20_000
MAX_BLOCK_COST = 4_000_000  # sum over blocks of (lines in the block) squared
MAX_MARKUP = 10_000  # characters starting inline markup (< & ` [) outside code and HTML blocks
MAX_SCAN_COST = 3_000_000  # characters rescanned for unmatched brackets (and, weighted, unclosed tags)
ANGLE_WEIGHT = 10  # HTML parsers rescan with regular expressions: ten times cheaper than the bracket loop

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_QUOTES = re.compile(r"^(\s{0,3}>)+")
_RUN = re.compile(rf"\*{{{MAX_EMPHASIS_RUN + 1},}}|_{{{MAX_EMPHASIS_RUN + 1},}}")
_DEFINITION = re.compile(r"^\s{0,3}:\s")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_ITEM_START = re.compile(r"^\s*([-*+]|\d+[.)])\s|^\s*\|")
# Python-Markdown keeps a block that starts with one of these tags as raw HTML: one stash entry.
_BLOCK_TAGS = "|".join(sorted(markdown.Markdown().block_level_elements, key=len, reverse=True))
_HTML_BLOCK = re.compile(rf"^\s{{0,3}}</?({_BLOCK_TAGS})[\s/>]", re.IGNORECASE)
_BRACKETS = re.compile(r"[\[\]()]")
# Screen: a definition line anywhere in a body.
_DEFINITION_ANYWHERE = re.compile(r"^\s{0,3}:\s", re.MULTILINE)
_TAG_START = re.compile(r"<(!--|[A-Za-z/!?])")
# Screen: the characters counted as inline markup.
_MARKUP_CHARS = re.compile(r"[<&`\[]")


def check_body(src: SourceFile) -> list[Diagnostic]:
    """E020/E021 for the body of ``src`` (positions are lines of the file)."""
    lines = src.body.split("\n")
    first = src.body_line
    out: list[Diagnostic] = []
    if len(lines) > MAX_BODY_LINES:
        out.append(_complex(src, (first + MAX_BODY_LINES, 1), "lines", n=len(lines)))
    markup = 0
    scan = _angle_cost(src.body) // ANGLE_WEIGHT
    block_cost = 0
    biggest = (0, 0)  # (lines, index of the first line)
    scan_at: int | None = None
    nested = False
    # Per-line limits, screened once over the whole body: most bodies need no line-by-line look.
    body = src.body
    lines_checked = (
        # a line indented past MAX_LEVELS levels starts with more than MAX_LEVELS spaces or tabs
        " " * (MAX_LEVELS + 1) in body
        or "\t" in body
        or body.count(">") > MAX_LEVELS
        or "*" * (MAX_EMPHASIS_RUN + 1) in body
        or "_" * (MAX_EMPHASIS_RUN + 1) in body
        or body.count("|") > MAX_CELLS
    )
    definitions_possible = ":" in body and bool(_DEFINITION_ANYWHERE.search(body))
    brackets_possible = "[" in body or "(" in body
    markup_possible = bool(_MARKUP_CHARS.search(body))
    for start, block in _blocks(lines):
        block_cost += len(block) ** 2
        biggest = max(biggest, (len(block), start))
        for offset, line in enumerate(block if lines_checked else ()):
            problem = None if nested else _nesting(line)
            if problem:  # the first line that is too deep; the lines below it usually are too
                nested = True
                out.append(diag(src.path, (first + start + offset, 1), "E020", limit=MAX_LEVELS, **problem))
            run = _RUN.search(line)
            if run:
                out.append(_complex(src, (first + start + offset, run.start() + 1), "run", n=len(run.group())))
            if line.count("|") > MAX_CELLS:
                out.append(_complex(src, (first + start + offset, 1), "cells", n=line.count("|")))
        if markup_possible and not _HTML_BLOCK.match(block[0]):
            joined = "\n".join(block)
            markup += joined.count("<") + joined.count("&") + joined.count("`") + joined.count("[")
        definitions = sum(1 for line in block if _DEFINITION.match(line)) if definitions_possible else 0
        if definitions > MAX_DEFINITIONS:
            out.append(_complex(src, (first + start, 1), "definitions", n=definitions))
        for unit in _units(block) if brackets_possible else ():
            scan += _bracket_cost(unit)
        if scan > MAX_SCAN_COST and scan_at is None:
            scan_at = start
    if block_cost > MAX_BLOCK_COST:
        out.append(_complex(src, (first + biggest[1], 1), "block", n=biggest[0]))
    if scan_at is not None:
        out.append(_complex(src, (first + scan_at, 1), "scan", n=scan))
    if markup > MAX_MARKUP:
        out.append(_complex(src, (first, 1), "markup", n=markup))
    return out[:20]


def _bracket_cost(text: str) -> int:
    """Characters the inline parser scans looking for the partner of each [ and (."""
    if "[" not in text and "(" not in text:
        return 0
    cost = 0
    open_at: dict[str, list[int]] = {"[": [], "(": []}
    partner = {"]": "[", ")": "("}
    for m in _BRACKETS.finditer(text):
        c = m.group()
        if c in open_at:
            open_at[c].append(m.start())
        elif open_at[partner[c]]:
            cost += m.start() - open_at[partner[c]].pop()
    for positions in open_at.values():
        cost += sum(len(text) - p for p in positions)
    return cost


def _angle_cost(text: str) -> int:
    """Characters HTML parsers scan from each "<" to the ">" (or "-->") that ends it, or to the end."""
    if "<" not in text:
        return 0
    closers = {">": [m.start() for m in re.finditer(">", text)], "-->": [m.start() for m in re.finditer("-->", text)]}
    cost = 0
    for m in _TAG_START.finditer(text):
        ends = closers["-->" if m.group(1) == "--" else ">"]
        i = bisect.bisect_left(ends, m.end())
        cost += (ends[i] if i < len(ends) else len(text)) - m.start()
    return cost


def _blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Blocks of consecutive non-blank lines outside fenced code: (index of first line, lines)."""
    fence: str | None = None
    block: list[str] = []
    start = 0
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
        if m or not line.strip():
            if block:
                yield start, block
            block = []
            continue
        if not block:
            start = i
        block.append(line)
    if block:
        yield start, block


def _units(block: list[str]) -> Iterator[str]:
    """The pieces of a block that the inline parser scans as one text: table rows, list items, a paragraph."""
    is_table = len(block) > 1 and bool(_TABLE_RULE.match(block[1]))
    if is_table:
        yield from block
        return
    unit: list[str] = []
    for line in block:
        if unit and _ITEM_START.match(line):
            yield "\n".join(unit)
            unit = []
        unit.append(line)
    if unit:
        yield "\n".join(unit)


def _nesting(line: str) -> dict[str, object] | None:
    indent = len(line) - len(line.lstrip(" \t"))
    width = len(line[:indent].expandtabs(INDENT_PER_LEVEL))
    if width > MAX_LEVELS * INDENT_PER_LEVEL:
        return {"detail": f"缩进 {width} 格", "detail_en": f"indented {width} columns"}
    quotes = _QUOTES.match(line)
    depth = quotes.group().count(">") if quotes else 0
    if depth > MAX_LEVELS:
        return {"detail": f"引用嵌套 {depth} 层", "detail_en": f"{depth} nested quotes"}
    return None


_COMPLEX = {
    "lines": (
        "正文共 {n} 行，上限 " + str(MAX_BODY_LINES),
        "{n} lines, limit " + str(MAX_BODY_LINES),
        "拆分为多个文件，或把大段数据放入附件",
        "split it, or move bulk data into an attachment",
    ),
    "run": (
        "连续 {n} 个 * 或 _",
        "a run of {n} * or _",
        "填空用的横线请控制在 " + str(MAX_EMPHASIS_RUN) + " 个字符以内，或写成 \\_",
        f"keep runs of * or _ under {MAX_EMPHASIS_RUN} characters, or escape them as \\_",
    ),
    "cells": (
        "一行中有 {n} 个表格分隔符 |",
        "{n} table separators | in one line",
        "超过 " + str(MAX_CELLS) + " 列的表格请作为附件（如 CSV）发布",
        f"publish tables with more than {MAX_CELLS} columns as attachments (e.g. CSV)",
    ),
    "definitions": (
        "一段中有 {n} 个定义列表项（以“: ”开头的行）",
        "{n} definition-list items in one block",
        "在定义列表项之间加空行，或去掉行首的冒号",
        "separate the items by blank lines, or remove the leading colons",
    ),
    "scan": (
        "未配对的括号 [ ( 或未闭合的 < 过多（约需 {n} 次重复扫描）",
        "too many unmatched [ ( or unclosed < (about {n} rescans)",
        "未配对的 [ 请写成 \\[，< 请写成 &lt;，或改用全角括号【】（）",
        "write unmatched [ as \\[ and < as &lt;, or use full-width brackets",
    ),
    "block": (
        "有一段连续 {n} 行没有空行分段",
        "a block of {n} lines without a blank line",
        "在段落之间加空行；行数很多的表格请作为附件（如 CSV）发布",
        "separate paragraphs by blank lines; publish very long tables as attachments (e.g. CSV)",
    ),
    "markup": (
        "标记符号（< & ` [）共 {n} 个，上限 " + str(MAX_MARKUP),
        "{n} markup characters (< & ` [), limit " + str(MAX_MARKUP),
        "拆分为多个文件，或把大段表格、数据放入附件",
        "split it, or move large tables and data into an attachment",
    ),
}


def _complex(src: SourceFile, pos: tuple[int, int], kind: str, n: int) -> Diagnostic:
    zh, en, hint, hint_en = _COMPLEX[kind]
    return diag(src.path, pos, "E021", detail=zh.format(n=n), detail_en=en.format(n=n), hint=hint, hint_en=hint_en)
