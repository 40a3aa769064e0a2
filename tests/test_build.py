"""Building small fixtures and inspecting the HTML they produce."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ProjectFactory

D = dt.date
OLD, NEW = "000000002/2024-00001", "000000002/2025-00001"


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = ProjectFactory(tmp_path_factory.mktemp("build") / "repo")
    p.entry(
        "old",
        title="测试市政务公开管理暂行办法",
        info_type="行政规范性文件",
        validity="废止",
        validity_history=[
            {"date": D(2024, 3, 5), "status": "有效"},
            {"date": D(2025, 2, 1), "status": "废止", "by": NEW},
        ],
        history=[{"date": D(2024, 4, 1), "note": "更正附件联系电话"}],
    )
    p.entry(
        "new",
        index_no=NEW,
        title="测试市政务公开管理办法",
        doc_number="测政办规〔2025〕1号",
        info_type="行政规范性文件",
        written_date=D(2025, 1, 20),
        published_date=D(2025, 2, 1),
        validity="有效",
        validity_history=[{"date": D(2025, 2, 1), "status": "有效"}],
        relations={"repeals": [OLD]},
    )
    p.entry(
        "request",
        index_no="000000002/2025-00002",
        title="依申请公开的会议纪要",
        disclosure="依申请公开",
        published_date=D(2025, 3, 1),
        written_date=D(2025, 3, 1),
        body="SECRET-REQUEST-BODY\n",
    )
    for n in range(3, 8):  # enough for two pages of 3 in 2025
        p.entry(
            f"n{n}",
            index_no=f"000000003/2025-0000{n}",
            publisher="edu",
            title=f"教育局第{n}号通知",
            published_date=D(2025, 4, n),
            written_date=D(2025, 4, n),
            topics=["科技、教育\\教育"],
        )
    p.interpretation(title="《政务公开管理暂行办法》解读", interprets=[OLD])
    p.interpretation(
        "i2",
        index_no="000000002/2025-00008",
        title="图解：政务公开管理办法",
        form="图解",
        interprets=[NEW],
        published_date=D(2025, 2, 1),
    )
    p.page("guide", "测试市人民政府信息公开指南", nav_order=1)
    return p.build()


def test_entry_page_has_the_official_metadata_table(built: Path) -> None:
    html = read(built, "catalogue/000000002-2025-00001")
    for label in (
        "索引号",
        "发布机构",
        "生成日期",
        "公开日期",
        "文号",
        "主题分类",
        "体裁",
        "效力状况",
        "公开方式",
        "关键词",
        "内容概述",
    ):
        assert f'<th scope="row">{label}</th>' in html, label
    # not entered for this entry: no row, never a default (test_schema_real covers entered values)
    assert '<th scope="row">公开范围</th>' not in html and '<th scope="row">公开时限</th>' not in html
    assert "测政办规〔2025〕1号" in html
    assert '<meta name="ArticleTitle" content="测试市政务公开管理办法">' in html
    assert '<meta name="SiteIDCode" content="1234567890">' in html
    assert "网站标识码：1234567890" in html


def test_repealed_entry_shows_banner_linking_its_replacement(built: Path) -> None:
    html = read(built, "catalogue/000000002-2024-00001")
    banner = re.search(r'<div class="gk-banner gk-banner--repealed" role="status">(.*?)</div>', html, re.S)
    assert banner, "banner missing"
    assert "本文件已于2025年2月1日废止。" in banner.group(1)
    assert (
        '<a href="../../catalogue/000000002-2025-00001/">测试市政务公开管理办法</a>（测政办规〔2025〕1号）'
        in banner.group(1)
    )
    assert "变更记录" in html and "更正附件联系电话" in html
    assert "效力状况记录" in html
    assert "gk-banner" not in read(built, "catalogue/000000002-2025-00001")


def test_interpretations_and_sources_link_both_ways(built: Path) -> None:
    policy = read(built, "catalogue/000000002-2024-00001")
    related = re.search(r'<section class="gk-related".*?</section>', policy, re.S)
    assert related and "../../interpretations/000000002-2024-00002/" in related.group(0)
    interp = read(built, "interpretations/000000002-2024-00002")
    sources = re.search(r'<section class="gk-sources".*?</section>', interp, re.S)
    assert sources and "../../catalogue/000000002-2024-00001/" in sources.group(0)
    assert "gk-badge--repealed" in sources.group(0)  # the source is marked repealed
    listing = read(built, "interpretations")
    assert "《政务公开管理暂行办法》解读" in listing and "图解" in listing


def test_on_request_entries_publish_metadata_only(built: Path) -> None:
    html = read(built, "catalogue/000000002-2025-00002")
    assert "依申请公开的会议纪要" in html and "仅公开目录信息" in html
    hits = [p for p in built.rglob("*") if p.is_file() and b"SECRET-REQUEST-BODY" in p.read_bytes()]
    assert hits == []


def test_index_pages_count_and_paginate(built: Path) -> None:
    year = read(built, "years/2025")
    assert "共 7 条" in year
    assert year.count('<td class="gk-idx">') == 3  # page_size 3
    assert 'rel="next" href="../../years/2025/page/2/"' in year
    page3 = read(built, "years/2025/page/3")
    assert page3.count('<td class="gk-idx">') == 1
    assert '<span aria-current="page">3</span>' in page3
    agencies = read(built, "agencies")
    assert re.search(r'测试市教育局</a> <span class="gk-n">5</span>', agencies)
    topics = read(built, "topics")
    assert re.search(r'>教育</a> <span class="gk-n">5</span>', topics)
    library = read(built, "library")
    assert "测试市政务公开管理办法" in library and "暂行办法" not in library
    assert "暂行办法" in read(built, "library/repealed")
    types = read(built, "types/guifanxing")
    assert "共 2 条" in types


def test_every_internal_link_resolves(built: Path) -> None:
    broken = []
    for page in built.rglob("index.html"):
        here = page.parent
        for href in links(page.read_text(encoding="utf-8")):
            if href.startswith(("http", "#", "mailto:", "javascript:", "data:")) or href.startswith("//"):
                continue
            target = (here / href.split("#")[0].split("?")[0]).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{page.relative_to(built)} → {href}")
    assert broken == []


def test_entries_are_not_in_the_navigation(built: Path) -> None:
    home = read(built, "")
    nav = re.search(r'<nav class="md-nav md-nav--primary[^"]*".*?</nav>\s*</div>', home, re.S)
    assert nav and "catalogue/000000002" not in nav.group(0)
    assert "测试市人民政府信息公开指南" in nav.group(0)


def test_urls_do_not_depend_on_titles_or_agencies(make_project: Any) -> None:
    p = make_project()
    p.entry(title="原标题")
    first = sorted(x.relative_to(p.root / "site") for x in p.build().rglob("catalogue/*/index.html"))
    p.entry(title="改过的标题", publisher="office")
    second = sorted(x.relative_to(p.root / "site") for x in p.build().rglob("catalogue/*/index.html"))
    assert first == second == [Path("catalogue/000000002-2024-00001/index.html")]


def test_a_failed_build_leaves_the_previous_site(make_project: Any) -> None:
    from generator.site.build import BuildError, build_site

    p = make_project()
    p.entry()
    site = p.build()
    before = {x: x.read_bytes() for x in site.rglob("*") if x.is_file()}
    p.entry(title="新标题")
    project = p.load()
    from generator.site import outputs

    def boom(cat: Any, out: Path) -> None:
        raise BuildError("模拟失败")

    outputs.OUTPUT_WRITERS.append(boom)
    try:
        with pytest.raises(BuildError):
            build_site(project, site)
    finally:
        outputs.OUTPUT_WRITERS.remove(boom)
    after = {x: x.read_bytes() for x in site.rglob("*") if x.is_file()}
    assert after == before
    assert [x.name for x in site.parent.iterdir() if x.name.startswith(".site.build-")] == []


def test_atom_feeds_list_public_items_newest_first(built: Path) -> None:
    import xml.etree.ElementTree as ET

    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(built / "feeds" / "catalogue.xml").getroot()
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert titles[0] == "教育局第7号通知"
    assert "依申请公开的会议纪要" in titles  # metadata of on-request entries is public
    assert feed.findtext("a:updated", namespaces=ns) == "2025-04-07T00:00:00+08:00"
    ids = [e.findtext("a:id", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert "https://www.example.gov.cn/xxgk/catalogue/000000003-2025-00007/" in ids
    interps = ET.parse(built / "feeds" / "interpretations.xml").getroot()
    assert len(interps.findall("a:entry", ns)) == 2
    home = read(built, "")
    assert 'type="application/atom+xml"' in home and "feeds/catalogue.xml" in home
