"""The command line as editors use it (subprocesses, like a terminal)."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import run_cli

FIVE_MISTAKES = """\
---
index_no: 000000002/2024-00001
title: 测试市人民政府办公室关于做好政务公开工作的通知
publisher: ofice
doc_number: 测政办发[2024]1号
written_date: 2024-02-30
published_date: 2024-03-05
info_type: 其他文件
topics: ["综合政务\\\\政务公开"]
disclosure: 主动公示
keywrods: [公开]
---
正文。
"""


def test_five_mistakes_give_five_positioned_chinese_diagnostics(make_project: Any) -> None:
    p = make_project()
    p.write("catalogue/bad.md", FIVE_MISTAKES)
    result = run_cli("check", str(p.root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "错误[" in line]
    assert lines == [
        "catalogue/bad.md:4:12: 错误[E402]: 未知机构 ofice",
        "catalogue/bad.md:5:13: 错误[E312]: 文号 测政办发[2024]1号 的年份应使用六角括号〔〕",
        "catalogue/bad.md:6:15: 错误[E202]: 日期 2024-02-30 不存在",
        "catalogue/bad.md:10:13: 错误[E401]: 公开方式 主动公示 不在词表中",
        "catalogue/bad.md:11:1: 错误[E102]: 未知字段 keywrods",
    ]
    assert sum(1 for line in result.stderr.splitlines() if line.startswith("  提示：")) == 5
    assert result.stderr.rstrip().endswith("共 5 个错误，0 个警告")


def test_check_a_single_file_json_and_english(make_project: Any) -> None:
    p = make_project()
    p.write("catalogue/bad.md", FIVE_MISTAKES)
    p.entry("good", index_no="000000002/2024-00009")
    result = run_cli("check", str(p.root / "catalogue/bad.md"), "--format", "json", "--lang", "en")
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["errors"] == 5
    first = payload["diagnostics"][0]
    assert first == {
        "path": "catalogue/bad.md",
        "line": 4,
        "col": 12,
        "code": "E402",
        "severity": "error",
        "message": "unknown agency ofice",
        "hint": "did you mean office?",
    }
    clean = run_cli("check", str(p.root / "catalogue/good.md"))
    assert clean.returncode == 0, clean.stderr


def test_warnings_fail_only_with_strict(make_project: Any) -> None:
    p = make_project()
    p.entry(
        info_type="规章",
        doc_number="测试市人民政府令第1号",
        validity="有效",
        validity_history=[{"date": "2024-03-05", "status": "有效"}],
    )
    assert run_cli("check", str(p.root)).returncode == 0
    assert run_cli("check", str(p.root), "--strict").returncode == 1


def test_no_config_is_a_clear_error(tmp_path: Any) -> None:
    result = run_cli("check", str(tmp_path))
    assert result.returncode == 2
    assert "找不到 site_config.yml" in result.stderr and "Traceback" not in result.stderr


def test_new_scaffolds_valid_files(make_project: Any) -> None:
    p = make_project()
    out = run_cli(
        "new", "entry", "--agency", "edu", "--date", "2025-06-01", "-o", "catalogue/new.md", "--path", ".", cwd=p.root
    )
    assert out.returncode == 0, out.stderr
    text = (p.root / "catalogue/new.md").read_text(encoding="utf-8")
    assert "index_no: 000000003/2025-00001" in text
    assert "# 主题分类（必填）" in text and "# embargo_until:" in text
    interp = run_cli(
        "new",
        "interpretation",
        "--agency",
        "edu",
        "--date",
        "2025-06-01",
        "-o",
        "content/interpretations/new.md",
        cwd=p.root,
    )
    assert interp.returncode == 0, interp.stderr
    assert "index_no: 000000003/2025-00002" in (p.root / "content/interpretations/new.md").read_text(encoding="utf-8")
    page = run_cli("new", "page", "-o", "content/pages/about.md", cwd=p.root)
    assert page.returncode == 0
    check = run_cli("check", str(p.root))
    # Valid files whose only findings are the stand-in texts the editor has to replace.
    assert check.returncode == 1, check.stderr
    codes = [line.split("[", 1)[1][:4] for line in check.stderr.splitlines() if "错误[" in line or "警告[" in line]
    assert codes == ["E106"] * 6, check.stderr
    again = run_cli("new", "entry", "--agency", "edu", "-o", "catalogue/new.md", cwd=p.root)
    assert again.returncode == 2 and "已存在" in again.stderr


def test_build_refuses_on_errors_and_keeps_the_site(make_project: Any) -> None:
    p = make_project()
    p.entry()
    ok = run_cli("build", str(p.root))
    assert ok.returncode == 0, ok.stderr
    assert "已构建 1 条目录" in ok.stdout
    assert "Material for MkDocs" not in ok.stdout + ok.stderr  # the engine's banner stays out
    before = {x: x.read_bytes() for x in (p.root / "site").rglob("*") if x.is_file()}
    p.write("catalogue/bad.md", FIVE_MISTAKES.replace("2024-00001", "2024-00002"))
    bad = run_cli("build", str(p.root))
    assert bad.returncode == 1
    assert "构建已取消，原有网站未改动。" in bad.stderr
    assert {x: x.read_bytes() for x in (p.root / "site").rglob("*") if x.is_file()} == before
