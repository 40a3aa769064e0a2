"""YAML text to a node tree, safely: the bounded loader that refuses anchors, aliases and
tags, the LibYAML fast path, the recovery from tab indentation, and the positioned
diagnostic of every document PyYAML rejects."""

from __future__ import annotations

import re
from typing import Any, Literal

import yaml

from generator.diagnostics import diag
from generator.source.sourcefile import MAX_DEPTH, MAX_NODES, SourceFile
from generator.source.yamlerrors import (
    _HINT_EN,
    _OPENED,
    _QUOTE_SYMPTOMS,
    _RefusedNode,
    _too_deep,
    _too_many,
    _translate,
    _unclosed_quote,
)

# LibYAML (C) composes plain front matter ~20× faster than the pure-Python composer.
# It is used only for text that cannot hold what _Loader refuses (anchors ``&``,
# aliases ``*``, tags ``!``) and is small and shallow; anything else, and any
# document LibYAML rejects, goes through _Loader so diagnostics stay identical.
_CLoader: Any = getattr(yaml, "CSafeLoader", None)
_FAST_MAX_CHARS = 64 * 1024
_FAST_MAX_BRACKETS = 100


def fast_compose(text: str) -> yaml.Node | Literal[False] | None:
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
