"""The :class:`Diagnostic` record and its formatting (text and JSON, zh/en)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.diagnostics.catalogue import MESSAGES
from generator.diagnostics.message import Severity


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place. ``line``/``col`` are 1-based; 0 means unknown."""

    path: str
    line: int
    col: int
    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self.code.startswith("W") else Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def message(self, lang: str = "zh") -> str:
        tpl = MESSAGES[self.code]
        return _fill(tpl.en if lang == "en" else tpl.zh, self.params)

    def hint(self, lang: str = "zh") -> str:
        tpl = MESSAGES[self.code]
        if lang == "en":
            return _fill_hint_en(tpl.hint_en, self.params)
        return _fill(tpl.hint_zh, self.params)

    def location(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path

    def severity_word(self, lang: str = "zh") -> str:
        """错误 / 警告 (error / warning), as every rendering of a diagnostic names it."""
        return _SEVERITY_WORD[lang][self.severity]

    def format(self, lang: str = "zh") -> str:
        text = f"{self.location()}: {self.severity_word(lang)}[{self.code}]: {self.message(lang)}"
        hint = self.hint(lang)
        if hint:
            text += f"\n  {HINT_WORD[lang]}{hint}"
        return text

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message(lang),
            "hint": self.hint(lang),
        }


_SEVERITY_WORD = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "警告"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning"},
}
HINT_WORD = {"zh": "提示：", "en": "hint: "}  # before a diagnostic's hint, wherever it is shown


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, params: tuple[tuple[str, Any], ...]) -> str:
    return template.format_map(_Missing(params))


def _fill_hint_en(template: str, params: tuple[tuple[str, Any], ...]) -> str:
    """The English hint. ``{hint}`` stands for the caller's ``hint_en`` (never the Chinese ``hint``)."""
    values = dict(params)
    if template == "{hint}":
        if values.get("hint_en"):
            return str(values["hint_en"])
        return f"did you mean {values['suggestion']}?" if values.get("suggestion") else ""
    return _fill(template, params)


def diag(path: str, pos: tuple[int, int] | None, code: str, **params: Any) -> Diagnostic:
    """Build a diagnostic; ``pos`` is ``(line, col)`` or ``None``."""
    if code not in MESSAGES:  # programming error, not content error
        raise KeyError(code)
    line, col = pos if pos else (0, 0)
    return Diagnostic(path, line, col, code, tuple(sorted(params.items())))


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diags), key=lambda d: (d.path, d.line, d.col, d.code, d.params))


def summary(diags: list[Diagnostic], lang: str = "zh") -> str:
    errors = sum(1 for d in diags if d.is_error)
    warnings = len(diags) - errors
    if lang == "en":
        return f"{errors} error(s), {warnings} warning(s)"
    return f"共 {errors} 个错误，{warnings} 个警告"


def render_text(diags: list[Diagnostic], lang: str = "zh") -> str:
    """All diagnostics; a hint already shown for the same code is not repeated."""
    shown: set[tuple[str, str]] = set()
    lines: list[str] = []
    for d in diags:
        key = (d.code, d.hint(lang))
        text = d.format(lang)
        if key in shown:
            text = text.split("\n", 1)[0]
        shown.add(key)
        lines.append(text)
    return "\n".join(lines)


def render_json(diags: list[Diagnostic], lang: str = "zh", extra: Mapping[str, Any] | None = None) -> str:
    payload: dict[str, Any] = {"diagnostics": [d.to_json(lang) for d in diags]}
    payload["errors"] = sum(1 for d in diags if d.is_error)
    payload["warnings"] = len(diags) - payload["errors"]
    if extra:
        payload.update(extra)
    return json.dumps(payload, ensure_ascii=False, indent=2)
