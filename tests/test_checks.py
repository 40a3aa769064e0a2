"""Every check rule: exact diagnostic text and position."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import ProjectFactory

GOOD = """\
---
index_no: 000000002/2024-00001
title: 测试市人民政府办公室关于做好政务公开工作的通知
publisher: office
doc_number: 测政办发〔2024〕1号
written_date: 2024-03-01
published_date: 2024-03-05
info_type: 其他文件
topics: ["综合政务\\\\政务公开"]
disclosure: 主动公开
---
正文。
"""


def lines_of(factory: ProjectFactory, **kw: Any) -> list[str]:
    return [d.format().split("\n")[0] for d in factory.diagnostics(**kw)]


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


def test_good_file_is_clean(make_project: Any) -> None:
    p = make_project()
    p.write("catalogue/a.md", GOOD)
    assert p.diagnostics() == []


def test_missing_required_fields(make_project: Any) -> None:
    p = make_project()
    p.write("catalogue/a.md", edit(GOOD, "publisher: office\n", ""))
    (d,) = p.diagnostics()
    assert d.format() == (
        "catalogue/a.md:2:1: 错误[E101]: 缺少必填字段 publisher（发布机构）\n"
        "  提示：加入一行：publisher: …（发布机构：site_config.yml 中的机构 id）"
    )


def test_unknown_key_with_suggestion(make_project: Any) -> None:
    p = make_project()
    p.write("catalogue/a.md", edit(GOOD, "disclosure: 主动公开\n", "disclosure: 主动公开\nkeywrods: [a]\n"))
    (d,) = p.diagnostics()
    assert d.format() == "catalogue/a.md:11:1: 错误[E102]: 未知字段 keywrods\n  提示：您是不是要写 keywords？"
    assert d.format("en") == "catalogue/a.md:11:1: error[E102]: unknown field keywrods\n  hint: did you mean keywords?"


def test_wrong_types(make_project: Any) -> None:
    p = make_project()
    text = edit(GOOD, "title: 测试市人民政府办公室关于做好政务公开工作的通知", "title: [一, 二]")
    text = edit(text, 'topics: ["综合政务\\\\政务公开"]', 'topics: "综合政务\\\\政务公开"')
    p.write("catalogue/a.md", text)
    assert lines_of(p) == [
        "catalogue/a.md:3:8: 错误[E103]: 字段 title 应为文字，实际是列表",
        "catalogue/a.md:9:9: 错误[E103]: 字段 topics 应为主题分类列表，实际是文字 “综合政务\\政务公开”",
    ]


def test_dates(make_project: Any) -> None:
    p = make_project()
    text = edit(GOOD, "written_date: 2024-03-01", "written_date: 2023-02-30")
    text = edit(text, "published_date: 2024-03-05", "published_date: 20240305")
    p.write("catalogue/a.md", text)
    p.write(
        "catalogue/b.md",
        edit(edit(GOOD, "2024-00001", "2024-00002"), "written_date: 2024-03-01", "written_date: 2024-04-01"),
    )
    p.write(
        "catalogue/c.md",
        edit(edit(GOOD, "2024-00001", "2024-00003"), "written_date: 2024-03-01", "written_date: 3月1日"),
    )
    assert lines_of(p) == [
        "catalogue/a.md:6:15: 错误[E202]: 日期 2023-02-30 不存在",
        "catalogue/a.md:7:17: 错误[E103]: 字段 published_date 应为日期（YYYY-MM-DD），实际是数字 20240305",
        "catalogue/b.md:6:15: 错误[E203]: 成文日期 2024-04-01 晚于公开日期 2024-03-05",
        "catalogue/c.md:6:15: 错误[E201]: written_date 不是有效日期：3月1日",
    ]


def test_index_no_rules(make_project: Any) -> None:
    p = make_project()
    p.write("catalogue/a.md", edit(GOOD, "000000002/2024-00001", "000000002-2024-00001"))
    p.write("catalogue/b.md", edit(GOOD, "000000002/2024-00001", "000000003/2024-00005"))
    p.write("catalogue/c.md", edit(GOOD, "000000002/2024-00001", "000000002/2023-00006"))
    p.write("catalogue/d.md", edit(GOOD, "000000002/2024-00001", "000000002/2024-00007"))
    p.write("catalogue/e.md", edit(GOOD, "000000002/2024-00001", "000000002/2024-00007"))
    diags = p.diagnostics()
    assert [d.format() for d in diags] == [
        "catalogue/a.md:2:11: 错误[E301]: 索引号 000000002-2024-00001 不符合本站格式\n  提示：格式示例：000000001/2024-00001",
        "catalogue/b.md:2:11: 错误[E302]: 索引号前段码 000000003 与发布机构 测试市人民政府办公室 的代码 000000002 不一致\n"
        "  提示：改为 000000002/2024-00005",
        "catalogue/c.md:2:11: 错误[E303]: 索引号年份 2023 与公开日期 2024-03-05 不一致\n  提示：索引号年份应取公开日期所在年份",
        "catalogue/e.md:2:11: 错误[E304]: 索引号 000000002/2024-00007 重复，已用于 catalogue/d.md\n"
        "  提示：索引号必须唯一且永不复用，请分配新的序号",
    ]


def test_doc_number_rules(make_project: Any) -> None:
    p = make_project()
    p.write("catalogue/a.md", edit(GOOD, "测政办发〔2024〕1号", "测政办发[2024]1号"))
    p.write(
        "catalogue/b.md", edit(edit(GOOD, "2024-00001", "2024-00002"), "测政办发〔2024〕1号", "测政办发〔2024〕01号")
    )
    assert [d.format() for d in p.diagnostics()] == [
        "catalogue/a.md:5:13: 错误[E312]: 文号 测政办发[2024]1号 的年份应使用六角括号〔〕\n  提示：改为 测政办发〔2024〕1号",
        "catalogue/b.md:5:13: 错误[E311]: 文号 测政办发〔2024〕01号 格式不规范\n"
        "  提示：序号不加“第”和前导零，以“号”结尾，应为 测政办发〔2024〕1号",
    ]


def test_vocabularies(make_project: Any) -> None:
    p = make_project()
    text = edit(GOOD, "info_type: 其他文件", "info_type: 其它文件")
    text = edit(text, "publisher: office", "publisher: 测试市人民政府办公室")
    text = edit(text, 'topics: ["综合政务\\\\政务公开"]', 'topics: ["综合政务\\\\政务工开", "卫生"]')
    p.write("catalogue/a.md", text)
    assert [d.format() for d in p.diagnostics()] == [
        "catalogue/a.md:4:12: 错误[E402]: 未知机构 测试市人民政府办公室\n  提示：这里填写机构 id：office",
        "catalogue/a.md:8:12: 错误[E401]: 信息类别 其它文件 不在词表中\n  提示：您是不是要写 其他文件？",
        'catalogue/a.md:9:10: 错误[E401]: 主题分类 综合政务\\政务工开 不在词表中\n  提示：您是不是要写 "综合政务\\\\政务公开"？',
        'catalogue/a.md:9:24: 错误[E401]: 主题分类 卫生 不在词表中\n  提示：您是不是要写 "卫生、体育\\\\卫生"？',
    ]


def test_normative_documents_need_number_validity_and_interpretation(make_project: Any) -> None:
    p = make_project()
    p.write(
        "catalogue/a.md",
        edit(edit(GOOD, "info_type: 其他文件", "info_type: 行政规范性文件"), "doc_number: 测政办发〔2024〕1号\n", ""),
    )
    assert [d.format().split("\n")[0] for d in p.diagnostics()] == [
        "catalogue/a.md:7:12: 错误[E105]: 信息类别为行政规范性文件时必须填写 doc_number",
        "catalogue/a.md:7:12: 错误[E105]: 信息类别为行政规范性文件时必须填写 validity",
        "catalogue/a.md:7:12: 警告[W101]: 行政规范性文件尚无政策解读",
    ]
    p2 = make_project()
    p2.entry(
        info_type="行政规范性文件", validity="有效", validity_history=[{"date": dt.date(2024, 3, 5), "status": "有效"}]
    )
    (d,) = p2.diagnostics()
    assert d.code == "W101" and d.message() == "行政规范性文件尚无政策解读"
    p2.interpretation()
    assert p2.diagnostics() == []


def test_validity_history_rules(make_project: Any) -> None:
    p = make_project()
    history = [
        {"date": dt.date(2024, 3, 5), "status": "有效"},
        {"date": dt.date(2024, 1, 1), "status": "废止"},
        {"date": dt.date(2025, 1, 1), "status": "有效"},
    ]
    p.entry(validity="失效", validity_history=history)
    p.write(
        "catalogue/b.md",
        edit(edit(GOOD, "2024-00001", "2024-00002"), "disclosure: 主动公开", "disclosure: 主动公开\nvalidity: 有效"),
    )
    assert [d.format().split("\n")[0] for d in p.diagnostics()] == [
        "catalogue/b.md:11:11: 错误[E504]: 填写了效力状况 有效，但缺少 validity_history",
        "catalogue/e1.md:13:11: 错误[E503]: 效力状况 失效 与效力记录最后一条 有效 不一致",
        "catalogue/e1.md:17:9: 错误[E204]: validity_history 的日期 2024-01-01 早于前一条记录 2024-03-05",
        "catalogue/e1.md:20:11: 错误[E502]: 效力状况不能从 废止 变为 有效",
    ]


def test_expired_but_valid(make_project: Any) -> None:
    p = make_project()
    p.entry(
        validity="有效",
        expires=dt.date(2025, 12, 31),
        validity_history=[{"date": dt.date(2024, 3, 5), "status": "有效"}],
    )
    (d,) = p.diagnostics(build_date=dt.date(2026, 1, 15))
    assert d.code == "E507"
    assert d.hint() == "在 validity_history 中补记 {date: 2025-12-31, status: 失效} 并把 validity 改为 失效"
    assert p.diagnostics(build_date=dt.date(2025, 6, 1)) == []


def test_references_must_resolve(make_project: Any) -> None:
    p = make_project()
    p.entry()
    p.entry("e2", index_no="000000002/2024-00003", relations={"repeals": ["000000002/2024-00009"]})
    p.interpretation(interprets=["000000002/2024-00001", "000000002/2024-00008"])
    assert [d.format() for d in p.diagnostics()] == [
        "catalogue/e2.md:15:5: 错误[E501]: 引用的索引号 000000002/2024-00009 不存在\n  提示：您是不是要写 000000002/2024-00003？",
        "content/interpretations/i1.md:6:3: 错误[E501]: 引用的索引号 000000002/2024-00008 不存在\n"
        "  提示：您是不是要写 000000002/2024-00003？",
    ]


def test_relation_cycles_and_self_reference(make_project: Any) -> None:
    p = make_project()
    p.entry("a", index_no="000000002/2024-00001", relations={"amends": ["000000002/2024-00002"]})
    p.entry("b", index_no="000000002/2024-00002", relations={"amends": ["000000002/2024-00001"]})
    p.entry("c", index_no="000000002/2024-00003", relations={"repeals": ["000000002/2024-00003"]})
    msgs = [d.message() for d in p.diagnostics()]
    assert msgs == [
        "关系引用形成循环：000000002/2024-00001 → 000000002/2024-00002 → 000000002/2024-00001",
        "条目不能引用自身",
    ]


def test_attachments(make_project: Any) -> None:
    p = make_project()
    p.write("catalogue/files/a.csv", "a,b\n")
    sha_ok = "2b2d9b4bd1ba2ff5ee5e2d34c5a6d4b2bdc2d4b3b5a0f7c5b0e1f43f4b3e1b7a"
    p.entry(
        attachments=[
            {"title": "缺失", "file": "files/missing.pdf"},
            {"title": "越界", "file": "../site_config.yml"},
            {"title": "网址", "file": "https://example.com/a.pdf"},
            {"title": "校验", "file": "files/a.csv", "sha256": sha_ok},
        ]
    )
    assert [d.code for d in p.diagnostics()] == ["E601", "E603", "E603", "E602"]


def test_interpretation_timing_warning(make_project: Any) -> None:
    p = make_project()
    p.entry()
    p.interpretation(published_date=dt.date(2024, 4, 1))
    (d,) = p.diagnostics()
    # 27 calendar days; 19 working days (2024-03-05 is a Tuesday, no holiday until 清明)
    assert d.format().split("\n")[0] == (
        "content/interpretations/i1.md:8:17: 警告[W711]: 解读发布于原文件 000000002/2024-00001"
        "（公开于 2024-03-05）之后第 19 个工作日，超过 3 个工作日"
    )


def test_reference_to_a_draft_warns(make_project: Any) -> None:
    p = make_project()
    p.entry(draft=True)
    p.interpretation()
    assert [d.code for d in p.diagnostics()] == ["W102"]


def test_config_problems_are_positioned(make_project: Any) -> None:
    p = make_project(config="site:\n  name: x\n  url: ftp://x\nagencies: []\ncolour: red\n")
    assert [d.format().split("\n")[0] for d in p.diagnostics()] == [
        "site_config.yml:3:8: 错误[E702]: 站点配置项 site.url 无效：应为 http:// 或 https:// 开头的网址",
        "site_config.yml:4:11: 错误[E702]: 站点配置项 agencies 无效：应为非空列表",
        "site_config.yml:5:1: 错误[E702]: 站点配置项 colour 无效：未知配置项",
    ]


def test_pending_document_past_its_effective_date_warns(make_project: Any) -> None:
    p = make_project()
    p.entry(
        validity="尚未生效",
        effective_date=dt.date(2026, 1, 1),
        validity_history=[{"date": dt.date(2024, 3, 5), "status": "尚未生效"}],
    )
    assert p.diagnostics(build_date=dt.date(2025, 12, 31)) == []
    (d,) = p.diagnostics(build_date=dt.date(2026, 1, 1))
    assert d.format() == (
        "catalogue/e1.md:13:11: 警告[W104]: 施行日期 2026-01-01 已到，但效力状况仍为 尚未生效\n"
        "  提示：在 validity_history 中补记 {date: 2026-01-01, status: 有效} 并把 validity 改为 有效"
    )


ALIAS_CONFIG = """\
site: {name: 测试, url: "https://example.gov.cn/"}
agencies:
  - {id: office, name: 测试市人民政府办公室, code: "000000002"}
index_no: {pattern: '^(?P<prefix>[0-9A-Z]{9})/(?P<year>\\d{4})-(?P<serial>\\d{5})$'}
vocabularies:
  info_types:
    - {name: 其他文件, slug: qita}
    - {name: 部门文件, slug: bumen, aliases: [部门发文]}
  genres: [通知, {name: 纪要, aliases: [会议纪要]}]
  topics:
    - name: 政务
      slug: zw
      aliases: [综合政务]
      children: [{name: 政务公开, slug: gk}]
"""


def test_renamed_vocabulary_values_keep_resolving_through_aliases(make_project: Any) -> None:
    p = make_project(config=ALIAS_CONFIG)
    p.entry(info_type="部门发文", genre="会议纪要", topics=["综合政务\\政务公开"])
    project = p.load()
    assert project.diagnostics == []
    (entry,) = project.catalogue.entries.values()
    assert (entry.info_type, entry.genre, entry.topics) == ("部门文件", "纪要", (("政务", "政务公开"),))
    p.entry(info_type="其它", genre="通报")
    assert [d.code for d in p.diagnostics()] == ["E401", "E401"]


def test_bad_vocabulary_config_is_positioned(make_project: Any) -> None:
    p = make_project(config=ALIAS_CONFIG.replace("- {name: 其他文件, slug: qita}", "- 其他文件"))
    (d,) = p.diagnostics()
    assert d.format().split("\n")[0] == (
        "site_config.yml:7:7: 错误[E702]: 站点配置项 vocabularies.info_types.0 无效："
        "每项应为 名称，或 {name: 名称, slug: 英文标识, aliases: [旧名称]}"
    )
