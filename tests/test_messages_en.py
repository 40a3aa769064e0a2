"""`--lang en` is English: every message and hint has an English text (issue 13, item 15).

Chinese may appear in English output only as a value: a parameter of the diagnostic
(what the editor wrote, an agency's name) or a quoted vocabulary term the editor types
("有效", `status: 有效`).
"""

from __future__ import annotations

import ast
import re
from typing import Any

import pytest

from generator.diagnostics import MESSAGES, Diagnostic
from tests.conftest import REPO, run_cli
from tests.test_broken import case_names, install

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
QUOTED = re.compile(r'"[^"]*"|`[^`]*`|“[^”]*”|(?<![A-Za-z])\'[^\']*\'')
# Parameters that carry Chinese text for the Chinese message only: never removed before the check.
CHINESE_ONLY = {"hint", "problem", "detail", "reason", "label", "date_label"}


def _unquoted(text: str) -> str:
    return QUOTED.sub("", text)


def test_every_message_and_hint_has_an_english_text() -> None:
    for code, m in MESSAGES.items():
        assert m.zh and m.en, code
        assert bool(m.hint_zh) == bool(m.hint_en), code
        for template in (m.en, m.hint_en):
            literal = re.sub(r"\{\{.*?\}\}|\{[a-z_]+\}", "", template)
            assert not HAN.search(_unquoted(literal)), f"{code}: {template}"


def _code_of(call: ast.Call) -> str | None:
    for arg in call.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and re.fullmatch(r"[EW]\d{3}", arg.value):
            return arg.value
    return None


def test_every_hint_built_in_code_comes_with_its_english_version() -> None:
    """A call that passes a Chinese ``hint`` passes ``hint_en`` too (unless the code's English hint is fixed)."""
    missing = []
    for path in sorted((REPO / "generator").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg for k in node.keywords}
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            where = f"{path.relative_to(REPO)}:{node.lineno}"
            if "hint" in keywords and "hint_en" not in keywords:
                hint = next(k.value for k in node.keywords if k.arg == "hint")
                code = _code_of(node)
                fixed = code is not None and MESSAGES[code].hint_en not in ("{hint}", "")
                if not fixed and not (isinstance(hint, ast.Constant) and hint.value == ""):
                    missing.append(where)
            if name == "type_error" and len(node.args) == 4 and "hint_en" not in keywords:
                missing.append(where)
            if name == "error" and path.name in ("config_load.py", "config_sections.py") and len(node.args) == 4:
                missing.append(where)
    assert missing == []


def _leaks(d: Diagnostic) -> list[str]:
    text = f"{d.message('en')}\n{d.hint('en')}"
    for key, value in d.params:
        if key not in CHINESE_ONLY and not key.endswith("_en") and str(value):
            text = text.replace(str(value), "")
    return HAN.findall(_unquoted(text))


def test_english_output_of_the_broken_corpus_has_no_chinese_but_values(make_project: Any) -> None:
    seen: set[str] = set()
    problems = []
    for case in case_names():
        if case.startswith(("huge", "big", "many", "deep")):
            continue  # size limits: the same codes as their small neighbours
        p = make_project()
        install(case, p.root)
        for d in p.diagnostics():
            seen.add(d.code)
            if d.hint() and not d.hint("en"):
                problems.append(f"{case}: {d.code} has no English hint")
            if _leaks(d):
                problems.append(f"{case}: {d.format('en')}")
    assert problems == []
    assert len(seen) >= 25, sorted(seen)


@pytest.mark.parametrize("lang", ["en"])
def test_check_lang_en_prints_english_hints(make_project: Any, lang: str) -> None:
    p = make_project()
    p.write(
        "catalogue/a.md",
        "---\nindex_no: 000000002/2024-00001\ntitle: 请在此填写信息名称\npublisher: office\n"
        "written_date: 20240301\npublished_date: 2024-03-05\ninfo_type: 其他文件\n"
        'topics: ["综合政务\\\\政务工开"]\ndisclosure: 主动公开\nkeywords: 公开\ndraft: 是\n'
        "attachments: x\n---\n正文。\n",
    )
    p.write("content/pages/p.md", "---\nnav_order: 1\n---\n页面。\n")
    result = run_cli("check", str(p.root), "--lang", lang)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    hints = [line for line in lines if line.startswith("  hint: ")]
    assert "提示" not in result.stderr and len(hints) >= 6, result.stderr
    for line in lines:
        leftover = HAN.findall(_unquoted(line.replace("综合政务\\政务工开", "").replace("公开", "").replace("是", "")))
        assert leftover == [], line
