"""E401 for topics: the closest valid topics, written the way the editor typed the value (issue 13, item 15)."""

from __future__ import annotations

from typing import Any

import pytest

from generator.model.vocab import default_topic_tree

TREE = default_topic_tree()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("综合政务\\政务公示", ["综合政务\\政务公开"]),
        ("环境保护", ["城乡建设、环境保护\\环境监测、保护与治理"]),  # not the unrelated ...\其他
        ("城乡建设、环境保护\\住房保障", ["城乡建设、环境保护\\城乡建设（含住房）"]),
        ("城乡建设\\住房", ["城乡建设、环境保护\\城乡建设（含住房）"]),
        ("教育", ["科技、教育\\教育"]),
        ("劳动就业", ["劳动、人事、监察\\劳动就业"]),
        ("综合政务/政务公开", ["综合政务\\政务公开"]),
        ("政务", ["综合政务\\政务公开", "综合政务\\政务督查", "综合政务\\电子政务"]),
    ],
)
def test_closest_topics(written: str, expected: list[str]) -> None:
    assert TREE.closest(written) == expected


def _hint(p: Any, topics_line: str, lang: str = "zh") -> str:
    p.write(
        "catalogue/a.md",
        "---\nindex_no: 000000002/2024-00001\ntitle: 通知\npublisher: office\nwritten_date: 2024-03-01\n"
        f"published_date: 2024-03-05\ninfo_type: 其他文件\n{topics_line}\ndisclosure: 主动公开\n---\n正文。\n",
    )
    (d,) = p.diagnostics()
    assert d.code == "E401"
    return d.hint(lang)


def test_hint_is_typed_like_the_value(make_project: Any) -> None:
    p = make_project()
    assert _hint(p, 'topics: ["综合政务\\\\政务公示"]') == '您是不是要写 "综合政务\\\\政务公开"？'
    assert _hint(p, "topics: ['综合政务\\政务公示']") == "您是不是要写 '综合政务\\政务公开'？"
    assert _hint(p, "topics: [综合政务\\政务公示]") == "您是不是要写 综合政务\\政务公开？"
    assert _hint(p, "topics:\n  - 环境保护") == "您是不是要写 城乡建设、环境保护\\环境监测、保护与治理？"
    assert _hint(p, 'topics: ["综合政务\\\\政务公示"]', "en") == 'did you mean "综合政务\\\\政务公开"?'


def test_several_close_topics_and_none(make_project: Any) -> None:
    p = make_project()
    assert _hint(p, "topics: [政务]") == "您是不是要写 综合政务\\政务公开 或 综合政务\\政务督查 或 综合政务\\电子政务？"
    assert _hint(p, 'topics: ["财政\\\\预算"]') == '格式为 "一级\\\\二级"，取自主题分类表（docs/schema.md）'
    assert (
        _hint(p, 'topics: ["财政\\\\预算"]', "en") == 'write "level1\\\\level2", from the topic tree (docs/schema.md)'
    )
