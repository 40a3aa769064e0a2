"""Regular expressions written by editors (``index_no.pattern`` in site_config.yml).

Configuration is editable by any pull request, so a pattern must not be able to hang
``check``: Python's ``re`` backtracks, and ``^(?P<prefix>([0-9A-Z]+-?)+)/…`` against a
索引号 pasted twice takes longer than anyone waits. Editor patterns are therefore compiled
with RE2 (``google-re2``), whose matching time is linear in the input whatever the
pattern. RE2 also matches ``\\d``, ``\\w`` and ``\\s`` in ASCII only (a full-width
``２０２５`` is not a year) and ``$`` only at the very end (no trailing newline).

Constructs RE2 cannot run in linear time (backreferences, look-arounds) are refused
when the pattern is compiled; the caller reports the reason at the config line.
"""

from __future__ import annotations

import re
from typing import Any, Protocol


class Match(Protocol):
    def groupdict(self) -> dict[str, Any]: ...
    def group(self, *args: Any) -> Any: ...


class Pattern(Protocol):
    @property
    def groupindex(self) -> Any: ...
    @property
    def pattern(self) -> str: ...
    def match(self, text: str) -> Match | None: ...
    def fullmatch(self, text: str) -> Match | None: ...


class PatternError(ValueError):
    """The pattern is invalid or cannot be matched in bounded time."""


def compile_pattern(text: str) -> Pattern:
    """Compile an editor's pattern for linear-time, ASCII-only matching (see module doc)."""
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        return _fallback(text)
    options = re2.Options()
    options.log_errors = False  # the caller reports the problem, positioned
    try:
        return re2.compile(text, options=options)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise PatternError(reason) from None


# Without RE2: Python's re with ASCII classes, refusing a quantified group that itself
# holds a quantifier or an alternation (the shapes that backtrack exponentially).
_NESTED = re.compile(r"\((?:[^()\\]|\\.)*(?:[+*?|}])(?:[^()\\]|\\.)*\)[+*{]")
_UNSUPPORTED = re.compile(r"\\[1-9]|\(\?[=!<]|\(\?P=")


def _fallback(text: str) -> Pattern:  # pragma: no cover - exercised only without google-re2
    if _NESTED.search(text) or _UNSUPPORTED.search(text):
        raise PatternError("嵌套的重复或回溯引用可能导致匹配时间失控")
    try:
        return re.compile(text, re.ASCII)
    except re.error as exc:
        raise PatternError(str(exc)) from None
