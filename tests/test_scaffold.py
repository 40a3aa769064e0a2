"""`gongkai new` as editors use it, and untouched template text caught by `check` (issue 13, items 12, 13, 15)."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.checks.placeholders import check_placeholders
from generator.model.stand_ins import BODY_PLACEHOLDER, placeholders
from generator.scaffold import scaffold
from generator.source.frontmatter import parse
from tests.conftest import REPO, run_cli

DATE = "2025-06-01"


def _new(p: Any, *args: str) -> Any:
    return run_cli("new", *args, "--path", str(p.root), cwd=p.root)


# ------------------------------------------------------------------ refusing and suggesting
def test_existing_output_is_refused_with_the_next_free_path(make_project: Any) -> None:
    p = make_project()
    p.entry("2025/edu-2025-00001", index_no="000000003/2025-00001", publisher="edu", written_date="2025-01-02")
    before = (p.root / "catalogue/2025/edu-2025-00001.md").read_bytes()
    out = _new(p, "entry", "--agency", "edu", "--date", DATE, "-o", "catalogue/2025/edu-2025-00001.md")
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "错误：catalogue/2025/edu-2025-00001.md 已存在，未覆盖。"
        "下一个可用的索引号是 000000003/2025-00002，建议写入 catalogue/2025/edu-2025-00002.md"
    )
    assert (p.root / "catalogue/2025/edu-2025-00001.md").read_bytes() == before
    ok = _new(p, "entry", "--agency", "edu", "--date", DATE, "-o", "catalogue/2025/edu-2025-00002.md")
    assert ok.returncode == 0, ok.stderr
    assert "index_no: 000000003/2025-00002" in (p.root / "catalogue/2025/edu-2025-00002.md").read_text("utf-8")


def test_printed_template_names_the_file_it_belongs_in(make_project: Any) -> None:
    p = make_project()
    out = _new(p, "entry", "--agency", "office", "--date", DATE)
    assert out.returncode == 0
    assert out.stdout.startswith("---\n") and "index_no: 000000002/2025-00001" in out.stdout
    assert "建议保存为：catalogue/2025/office-2025-00001.md" in out.stderr
    assert not (p.root / "catalogue").exists()  # nothing written without -o


def test_existing_page_is_refused(make_project: Any) -> None:
    p = make_project()
    p.page("about", "关于本站")
    out = _new(p, "page", "-o", "content/pages/about.md")
    assert out.returncode == 2 and "content/pages/about.md 已存在，未覆盖" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("kind", ["entry", "interpretation"])
def test_agency_is_required_and_the_error_lists_them(make_project: Any, kind: str) -> None:
    p = make_project()
    p.entry()
    args = ["--interprets", "000000002/2024-00001"] if kind == "interpretation" else []
    if kind == "interpretation":
        # An interpretation is by the drafting agency: the interpreted document's publisher.
        out = _new(p, kind, *args, "--date", DATE)
        assert out.returncode == 0, out.stderr
        assert "interpreter_org: office" in out.stdout and "index_no: 000000002/2025-00001" in out.stdout
        return
    out = run_cli("new", kind, "--date", DATE, "-o", "catalogue/x.md", cwd=p.root, input="")
    assert out.returncode == 2
    assert "请用 --agency 指定机构 id" in out.stderr
    assert "gov（测试市人民政府）；office（测试市人民政府办公室）；edu（测试市教育局）" in out.stderr
    assert not (p.root / "catalogue/x.md").exists()


def test_unknown_agency_lists_the_configured_ones(make_project: Any) -> None:
    p = make_project()
    out = _new(p, "entry", "--agency", "edux")
    assert out.returncode == 2
    assert "未知机构 edux" in out.stderr and "edu（测试市教育局）" in out.stderr


def test_unknown_interprets_suggests_existing_index_numbers(make_project: Any) -> None:
    p = make_project()
    p.entry()
    p.entry("e2", index_no="000000003/2024-00007", publisher="edu")
    out = _new(p, "interpretation", "--interprets", "000000002/2024-00002", "--date", DATE)
    assert out.returncode == 2
    assert "索引号 000000002/2024-00002 不存在。您是不是要写 000000002/2024-00001" in out.stderr
    assert "Traceback" not in out.stderr


# ------------------------------------------------------------------ placeholders
@pytest.mark.parametrize("kind", ["entry", "interpretation", "page"])
def test_untouched_template_fails_check_at_each_placeholder(make_project: Any, kind: str) -> None:
    p = make_project()
    p.entry()
    rel = {"entry": "catalogue/new.md", "interpretation": "content/interpretations/new.md"}.get(
        kind, "content/pages/new.md"
    )
    out = _new(p, kind, "--agency", "office", "--date", DATE, "-o", rel)
    assert out.returncode == 0, out.stderr
    text = (p.root / rel).read_text(encoding="utf-8")
    lines = text.split("\n")
    check = run_cli("check", str(p.root))
    assert check.returncode == 1
    errors = [line for line in check.stderr.splitlines() if "[E" in line]
    title_line = next(n for n, line in enumerate(lines, 1) if line.startswith("title: "))
    body_line = lines.index(BODY_PLACEHOLDER) + 1
    label = {"entry": "名称", "interpretation": "标题", "page": "标题"}[kind]
    title = placeholders(kind)["title"].text
    assert errors == [
        f"{rel}:{title_line}:8: 错误[E106]: {label}仍是模板中的占位文字“{title}”",
        f"{rel}:{body_line}:1: 错误[E106]: 正文仍是模板中的占位文字“{BODY_PLACEHOLDER}”",
    ]
    assert "提示：把占位文字换成实际内容" in check.stderr
    filled = text.replace(title, "测试市教育局关于某事项的通知").replace(BODY_PLACEHOLDER, "正文。")
    (p.root / rel).write_text(filled, encoding="utf-8")
    again = run_cli("check", str(p.root))
    assert "[E106]" not in again.stderr and again.returncode == 0, again.stderr


def test_placeholder_kept_next_to_real_text_is_found(make_project: Any) -> None:
    p = make_project()
    p.entry(title="关于某事项的通知请在此填写信息名称", body=f"第一段。\n\n  {BODY_PLACEHOLDER}\n")
    found = [(d.code, d.line, d.col, dict(d.params)["key"]) for d in p.diagnostics()]
    body_at = (p.root / "catalogue/e1.md").read_text("utf-8").split("\n").index(f"  {BODY_PLACEHOLDER}") + 1
    assert found == [("E106", 3, 8, "title"), ("E106", body_at, 3, "body")]


def test_uncommented_stand_in_example_is_found(make_project: Any) -> None:
    p = make_project()
    p.entry(abstract="一两句话说明主要内容")
    p.interpretation(interpreter="张某某（局长）", contact="0000-00000000")
    assert sorted((d.path, d.code, dict(d.params)["key"]) for d in p.diagnostics()) == [
        ("catalogue/e1.md", "E106", "abstract"),
        ("content/interpretations/i1.md", "E106", "contact"),
        ("content/interpretations/i1.md", "E106", "interpreter"),
    ]
    p.entry(abstract="一两句话说明主要内容以外的真实概述")  # only the whole stand-in counts here
    assert [d.path for d in p.diagnostics()] == ["content/interpretations/i1.md"] * 2


def test_a_draft_with_placeholders_is_a_warning(make_project: Any) -> None:
    p = make_project()
    p.entry(title="请在此填写信息名称", draft=True, body=BODY_PLACEHOLDER + "\n")
    project = p.load()
    assert [d.code for d in project.diagnostics] == ["W110", "W110"] and not project.errors


def test_placeholders_are_the_template_strings() -> None:
    """The check reads the stand-ins from the templates: nothing to keep in step by hand."""
    for kind in ("entry", "interpretation", "page"):
        text, _ = scaffold(Path("."), kind, None, None, None) if kind == "page" else ("", "")
        stand_ins = placeholders(kind)
        assert "title" in stand_ins and stand_ins["body"].text == BODY_PLACEHOLDER
        if text:
            assert all(s.text in text for name, s in stand_ins.items() if not s.whole)
    source = (REPO / "generator/checks/placeholders.py").read_text(encoding="utf-8")
    literals = re.findall(r'"([^"]*[\u4e00-\u9fff][^"]*)"', source)
    assert all(text in ("正文",) for text in literals), literals  # no template text copied here
    src = parse("x.md", "---\ntitle: 请在此填写页面标题\n---\n\n正文\n".encode())
    assert [d.code for d in check_placeholders(src, "page")] == ["E106"]


def _read_until(fd: int, needle: str, seen: bytes) -> bytes:
    """Read the terminal until ``needle`` shows, the child ends, or a minute passes (a hang guard)."""
    while needle.encode() not in seen:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child has ended
            break
        if not chunk:
            break
        seen += chunk
    return seen


def test_agency_is_asked_for_on_a_terminal(make_project: Any) -> None:
    """At a terminal (and only there) `new` lists the agencies and asks which one."""
    p = make_project()
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "new", "entry", "--date", DATE, "-o", "catalogue/asked.md"],
        cwd=p.root,
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    try:
        seen = _read_until(master, "机构 id", b"")
        os.write(master, b"edux\n")  # a typo is asked again, in Chinese
        seen = _read_until(master, "请从上面的列表中选择", seen)
        os.write(master, b"edu\n")
        proc.communicate(timeout=120)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "edu      测试市教育局" in text and "没有机构 id edux，请从上面的列表中选择。" in text
    assert "publisher: edu" in (p.root / "catalogue/asked.md").read_text(encoding="utf-8")
