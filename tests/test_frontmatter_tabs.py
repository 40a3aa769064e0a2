"""A tab in the front matter is reported where it is, and the rest of the file is still checked (issue 13, item 14)."""

from __future__ import annotations

from typing import Any

from generator.source.frontmatter import parse

ENTRY_WITH_TAB = """\
---
index_no: 000000002/2024-00001
title: 测试市人民政府办公室关于做好政务公开工作的通知
publisher: ofice
written_date: 2024-02-30
published_date: 2024-03-05
info_type: 其他文件
topics:
\t- "综合政务\\\\政务公示"
disclosure: 主动公开
---
正文。
"""


def _lines(diags: Any) -> list[str]:
    return [d.format().split("\n")[0] for d in diags]


def test_tab_is_reported_and_every_other_problem_too(make_project: Any) -> None:
    p = make_project()
    p.write("catalogue/tab.md", ENTRY_WITH_TAB)
    assert _lines(p.diagnostics()) == [
        "catalogue/tab.md:4:12: 错误[E402]: 未知机构 ofice",
        "catalogue/tab.md:5:15: 错误[E202]: 日期 2024-02-30 不存在",
        "catalogue/tab.md:9:1: 错误[E107]: 元数据中有制表符（Tab）",
        "catalogue/tab.md:9:4: 错误[E401]: 主题分类 综合政务\\政务公示 不在词表中",  # the column as written
    ]
    tab = next(d for d in p.diagnostics() if d.code == "E107")
    assert tab.hint() == "YAML 只能用空格缩进：把 Tab 换成空格"
    assert tab.hint("en") == "YAML is indented with spaces only: replace the tab with spaces"


def test_tabs_after_spaces_and_on_several_lines(make_project: Any) -> None:
    p = make_project()
    text = ENTRY_WITH_TAB.replace("publisher: ofice", "publisher: office").replace("2024-02-30", "2024-03-01")
    text = text.replace('\t- "综合政务\\\\政务公示"', "  \t- 综合政务\\政务公开\n\t- 科技、教育\\教育")
    text = text.replace("---\n正文", "relations:\n\trepeals: [000000002/2024-00009]\n---\n正文")
    p.write("catalogue/tab.md", text)
    assert _lines(p.diagnostics()) == [
        "catalogue/tab.md:9:3: 错误[E107]: 元数据中有制表符（Tab）",
        "catalogue/tab.md:10:1: 错误[E107]: 元数据中有制表符（Tab）",
        "catalogue/tab.md:13:1: 错误[E107]: 元数据中有制表符（Tab）",
        "catalogue/tab.md:13:12: 错误[E501]: 引用的索引号 000000002/2024-00009 不存在",
    ]


def test_tabs_yaml_allows_are_not_reported() -> None:
    text = '---\ntitle:\t"甲\t乙"\nvalidity_history:\n  - {date: 2024-01-01,\tstatus: 有效}\n---\n正文\n'
    src = parse("a.md", text.encode())
    assert src.diagnostics == []
    assert src.data == {
        "title": "甲\t乙",
        "validity_history": [{"date": src.data["validity_history"][0]["date"], "status": "有效"}],
    }  # type: ignore[index]


def test_a_tab_in_site_config_keeps_the_other_config_errors(make_project: Any) -> None:
    p = make_project()
    config = (p.root / "site_config.yml").read_text(encoding="utf-8")
    config = config.replace("  sponsor: 测试市人民政府办公室", "\tsponsor: 测试市人民政府办公室")
    config += "listing_size: 3\n"
    p.write("site_config.yml", config)
    codes = [(d.path, d.line, d.code) for d in p.diagnostics()]
    assert ("site_config.yml", 5, "E107") in codes
    assert any(path == "site_config.yml" and code == "E702" for path, _, code in codes), codes
