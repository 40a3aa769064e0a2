"""A schema that fits real records: 索引号 formats and year rule, extensible topics, 文号 forms,
spacing variants, external 解读 sources, incomplete drafts, no invented values."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.audit.fmt import format_bytes
from generator.model.identifiers import INDEX_NO_FORMATS, check_doc_number, parse_doc_number, parse_index_no
from tests.conftest import CONFIG, SHARED, realdata

# ------------------------------------------------------------------ 索引号 formats (DOMAIN.md §1.6)

EXAMPLES = {
    "national": ["000014349/2018-00222", "014046317/2020-04965"],
    "credit": ["11441700007280420Y/2021-00050", "11370322004222241N/2021-5135380"],
    "hyphen_code": ["0142768-8/2022-00185", "42820293-0/2026-41003"],
    "year_month": ["113417020032563511/202504-00057"],
    "hyphen": ["01527918X-2020-153077"],
    "ningbo": ["330201-001-02-03-20091019-0001"],
    "yunnan": ["530000001112020000123"],
    "lianyungang": ["LYGZF-01-2008-001"],
    "date_serial": ["20191202-189769"],
}
YEARS = {"year_month": 2025, "ningbo": 2009, "yunnan": 2020, "lianyungang": 2008, "date_serial": 2019}


@pytest.mark.parametrize("name", sorted(INDEX_NO_FORMATS))
def test_every_index_format_matches_its_examples(name: str) -> None:
    pattern, example = INDEX_NO_FORMATS[name]
    assert example in EXAMPLES[name]
    for value in EXAMPLES[name]:
        parsed = parse_index_no(value, re.compile(pattern))
        assert parsed is not None, value
        assert parsed.year == YEARS.get(name, int(value.split("/")[-1][:4]) if "/" in value else 2020)
    # and not the other formats' examples with a different shape
    assert parse_index_no("000014349 /2018-00222", re.compile(pattern)) is None


def with_index(config: str, block: str) -> str:
    start = config.index("index_no:")
    end = config.index("agencies:")
    return config[:start] + block + config[end:]


def test_year_follows_written_date(make_project: Any) -> None:
    cfg = with_index(CONFIG, "index_no:\n  format: national\n  year_follows: written_date\n")
    p = make_project(cfg)
    # written 2018, published 2019: the State Council's 索引号 year follows the 成文日期
    p.entry(
        "a",
        index_no="000000002/2018-00230",
        written_date=dt.date(2018, 12, 29),
        published_date=dt.date(2019, 1, 3),
    )
    p.entry(
        "b", index_no="000000002/2019-00001", written_date=dt.date(2018, 12, 29), published_date=dt.date(2019, 1, 3)
    )
    lines = [d.format() for d in p.diagnostics()]
    assert lines == [
        "catalogue/b.md:2:11: 错误[E303]: 索引号年份 2019 与成文日期 2018-12-29 不一致\n"
        "  提示：索引号年份应取成文日期所在年份"
    ]


def test_year_follows_published_by_default_and_none_skips(make_project: Any) -> None:
    p = make_project()
    p.entry(
        "a", index_no="000000002/2018-00230", written_date=dt.date(2018, 12, 29), published_date=dt.date(2019, 1, 3)
    )
    assert p.codes() == ["E303"]
    q = make_project(with_index(CONFIG, "index_no:\n  format: national\n  year_follows: none\n"))
    q.entry(
        "a", index_no="000000002/2017-00230", written_date=dt.date(2018, 12, 29), published_date=dt.date(2019, 1, 3)
    )
    assert q.codes() == []


def test_bad_year_rule_and_format_are_config_errors(make_project: Any) -> None:
    p = make_project(with_index(CONFIG, "index_no:\n  format: nosuch\n  year_follows: entry_date\n"))
    p.entry()
    lines = [d.format() for d in p.diagnostics()]
    assert any("index_no.year_follows" in x and "E702" in x for x in lines)
    assert any("index_no.format" in x and "nosuch" in x for x in lines)


def test_agency_without_code_is_expressible(make_project: Any) -> None:
    cfg = CONFIG.replace('{id: edu, name: 测试市教育局, code: "000000003"}', "{id: edu, name: 测试市教育局}")
    p = make_project(cfg)
    p.entry(publisher="edu", index_no="000000009/2024-00001")
    assert p.codes() == []


# ------------------------------------------------------------------ topics

EXTEND = """\
vocabularies:
  topics_extend:
    - {name: 稳岗就业, slug: wengang}
    - {name: 综合类, slug: zonghe}
    - name: 住房保障
      slug: zhufang
      children: [{name: 购房补贴, slug: butie}]
    - {name: 综合政务, alone: true, children: [{name: 数据开放}]}
    - {name: 劳动、人事、监察, aliases: [人力资源社会保障]}
"""


def test_topics_extend_local_classes_first_level_and_aliases(make_project: Any) -> None:
    p = make_project(CONFIG + EXTEND)
    topics = [
        "稳岗就业",
        "综合类",
        "住房保障\\购房补贴",
        "综合政务",
        "综合政务\\数据开放",
        "综合政务\\政务公开",
        "人力资源社会保障\\劳动就业",
        "民政、乡村振兴、救灾\\扶贫",
    ]
    p.entry(topics=topics)
    assert p.codes() == []
    entry = next(iter(p.load().catalogue.entries.values()))
    assert ("劳动、人事、监察", "劳动就业") in entry.topics and ("综合政务", None) in entry.topics
    # still not allowed: a first level alone that was not configured so
    q = make_project(CONFIG + EXTEND)
    q.entry(topics=["财政、金融、审计", "住房保障"])
    assert q.codes() == ["E401", "E401"]


def test_invalid_topic_item_does_not_shift_the_children_of_others(make_project: Any) -> None:
    cfg = CONFIG + (
        "vocabularies:\n  topics:\n"
        "    - {name: 坏的一级}\n"  # no slug: invalid, reported, skipped
        "    - name: 住房\n      slug: zhufang\n      children: [{name: 公积金, slug: gjj}]\n"
        "    - name: 交通\n      slug: jiaotong\n      children: [{name: 公路, slug: gl}]\n"
    )
    p = make_project(cfg)
    p.entry(topics=["住房\\公积金", "交通\\公路"])
    q = make_project(cfg)
    q.entry(topics=["住房\\公路"])  # 公路 is 交通's child, never 住房's
    assert p.codes() == ["E702"]
    assert sorted(q.codes()) == ["E401", "E702"]


# ------------------------------------------------------------------ 文号


def realdata_doc_numbers() -> list[str]:
    folder = SHARED / "realdata"
    out: list[str] = []
    for name in ("policies.jsonl", "interpretations.jsonl"):
        path = folder / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            out += [record[k] for k in ("doc_no", "interprets_doc_no") if record.get(k)]
    return out


@pytest.mark.realdata
def test_every_realdata_doc_number_validates() -> None:
    realdata("policies.jsonl")
    numbers = realdata_doc_numbers()
    assert len(numbers) > 100
    assert [n for n in numbers if check_doc_number(n)] == []


@pytest.mark.parametrize(
    "value",
    [
        "中国人民银行公告〔2024〕第11号",
        "中国人民银行公告〔2019〕第16号",
        "国家税务总局公告2018年第31号",
        "海关总署公告2024年第1号",
        "澜江市人民政府通告〔2024〕第2号",
        "国令第706号",
        "国务院令第711号",
        "中华人民共和国主席令第八十一号".replace("八十一", "81"),
        "国办函〔2018〕71号",
        "国函〔1996〕95号",
        "国办发明电〔2018〕15号",
        "穗公积金中心规字〔2026〕2号",
    ],
)
def test_official_doc_number_forms(value: str) -> None:
    assert check_doc_number(value) is None
    assert parse_doc_number(value) is not None
    assert parse_doc_number(value).canonical == value  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [
        ("国发〔2019〕 5号", "国发〔2019〕5号"),
        ("国办发 〔2018〕128号", "国办发〔2018〕128号"),
        ("中国人民银行公告〔2024〕 第11号", "中国人民银行公告〔2024〕第11号"),
        ("国务院令 第711号", "国务院令第711号"),
        ("苏政办发〔2020〕65\u3000号", "苏政办发〔2020〕65号"),
    ],
)
def test_spacing_variants_get_a_fix(value: str, suggestion: str) -> None:
    problem = check_doc_number(value)
    assert problem is not None and (problem.code, problem.suggestion) == ("E305", suggestion)


def test_series_number_only_for_announcements() -> None:
    problem = check_doc_number("苏政办发〔2020〕第65号")
    assert problem is not None and problem.code == "E311"


def test_check_and_fmt_fix_spacing(make_project: Any) -> None:
    p = make_project()
    path = p.entry(doc_number="国发〔2019〕 5号", index_no="000000002/2024 -00001")
    lines = [d.format() for d in p.diagnostics()]
    assert lines == [
        "catalogue/e1.md:2:11: 错误[E306]: 索引号 000000002/2024 -00001 中有空格\n"
        "  提示：改为 000000002/2024-00001（gongkai fmt 会自动删除空格）",
        "catalogue/e1.md:5:13: 错误[E305]: 文号 国发〔2019〕 5号 中有空格\n"
        "  提示：改为 国发〔2019〕5号（gongkai fmt 会自动删除空格）",
    ]
    result = format_bytes(path.read_bytes(), "catalogue/e1.md")
    assert result.formatted is not None
    text = result.formatted.decode("utf-8")
    assert "doc_number: 国发〔2019〕5号\n" in text and "index_no: 000000002/2024-00001\n" in text
    path.write_bytes(result.formatted)
    assert p.codes() == []


def test_fmt_leaves_non_identifiers_with_spaces_alone() -> None:
    raw = "---\nindex_no: 随便 写的\ntitle: a b\ndoc_number: 不是 文号\n---\n".encode()
    result = format_bytes(raw, "catalogue/x.md", "entry")
    assert result.formatted is not None
    assert "随便 写的" in result.formatted.decode() and "不是 文号" in result.formatted.decode()


# ------------------------------------------------------------------ 解读 of a document published elsewhere


def test_interpretation_of_an_external_document_is_check_clean_and_shown(make_project: Any, tmp_path: Path) -> None:
    p = make_project()
    p.entry()
    ext = [
        {"title": "国务院关于某事项的通知", "doc_number": "国发〔2024〕1号", "url": "https://www.gov.cn/zhengce/x.htm"}
    ]
    p.interpretation(interprets=None, interprets_external=ext)
    assert p.codes() == []
    site = p.build()
    pages = [f for f in site.rglob("index.html") if "000000002-2024-00002" in f.as_posix()]
    html = pages[0].read_text(encoding="utf-8")
    assert "国务院关于某事项的通知" in html and "国发〔2024〕1号" in html
    assert 'href="https://www.gov.cn/zhengce/x.htm"' in html


def test_interpretation_needs_a_source_of_some_kind(make_project: Any) -> None:
    p = make_project()
    p.entry()
    p.interpretation(interprets=None)
    assert p.codes() == ["E101"]
    q = make_project()
    q.entry()
    q.interpretation(interprets=None, interprets_external=[{"title": "某文件", "url": "javascript:alert(1)"}])
    assert q.codes() == ["E307"]


# ------------------------------------------------------------------ drafts and invented values


def test_incomplete_draft_warns_and_builds(make_project: Any) -> None:
    p = make_project()
    p.entry()
    p.entry("d", index_no="000000002/2024-00003", written_date=None, disclosure=None, draft=True)
    assert p.codes() == ["W301", "W301"]
    p.build()
    q = make_project()
    q.entry("d", written_date=None)
    assert q.codes() == ["E101"]


def test_scope_and_period_never_invented(make_project: Any) -> None:
    p = make_project()
    p.entry()  # neither scope nor period entered
    p.entry("b", index_no="000000002/2024-00003", scope="面向特定群体", period="限时公开")
    site = p.build()
    page = next(f for f in site.rglob("index.html") if "000000002-2024-00001" in f.as_posix())
    html = page.read_text(encoding="utf-8")
    assert "公开范围" not in html and "公开时限" not in html
    assert "面向社会" not in html and "长期公开" not in html
    other = next(f for f in site.rglob("index.html") if "000000002-2024-00003" in f.as_posix())
    text = other.read_text(encoding="utf-8")
    assert "面向特定群体" in text and "限时公开" in text
    data = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    blob = json.dumps(data, ensure_ascii=False)
    assert "面向社会" not in blob and "长期公开" not in blob
    csv_text = (site / "catalogue.csv").read_text(encoding="utf-8-sig")
    assert "面向社会" not in csv_text and "长期公开" not in csv_text


def test_index_format_without_agency_code_part(make_project: Any) -> None:
    # 齐齐哈尔: YYYYMMDD-serial — no prefix to compare with the publisher's code
    p = make_project(with_index(CONFIG, "index_no:\n  format: date_serial\n"))
    p.entry(index_no="20240305-189769")
    assert p.codes() == []


def test_media_without_a_title_gets_none_in_exports(make_project: Any) -> None:
    p = make_project()
    p.entry()
    p.write("content/media/a.mp3", b"ID3")
    p.interpretation(form="音频", media={"file": "media/a.mp3"})
    site = p.build()
    item = next(f for f in site.rglob("index.json") if "000000002-2024-00002" in f.as_posix())
    data = json.loads(item.read_text(encoding="utf-8"))
    assert data["media"]["title"] is None
    assert "媒体文件" not in item.read_text(encoding="utf-8")
