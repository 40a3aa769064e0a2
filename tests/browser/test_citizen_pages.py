"""What a citizen reads on the sample site, in Chromium: attachment type and size, search order
by validity, the topic index without empty classes, the guide's contents, the 47号 meta tags."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.citizen import (
    Watched,
    fixture_desktop,  # noqa: F401 - fixture
    fixture_phone,  # noqa: F401 - fixture
    fixture_site_url,  # noqa: F401 - fixture
)
from tests.conftest import REPO

pytestmark = pytest.mark.browser

ENTRY = "catalogue/012500002-2024-00011/"


def test_attachment_shows_its_type_and_size(desktop: Watched, site_url: str, sample_site: Path) -> None:
    page = desktop.page
    page.goto(site_url + ENTRY)
    item = page.locator("section.gk-attachments li").first
    href = item.get_by_role("link").get_attribute("href") or ""
    size = (sample_site / ENTRY / href).resolve().stat().st_size
    info = item.locator(".gk-att-info").inner_text()
    kind, shown = info.split(" · ")
    assert kind == "文本"  # the sample's attachment is a .txt file
    number, unit = shown.split(" ")
    factor = {"B": 1, "KB": 1024, "MB": 1024**2}[unit]
    assert abs(float(number) * factor - size) <= 0.05 * factor  # the file's own size
    assert item.locator(".gk-att-info").is_visible()
    assert desktop.problems == []


def _result_titles(page: Any) -> list[str]:
    page.wait_for_selector("#gk-search-results li.gk-result")
    return [t.strip() for t in page.locator("#gk-search-results li.gk-result .gk-result__title").all_inner_texts()]


@pytest.mark.parametrize("query", ["加装电梯", "电梯"])
def test_a_document_in_force_ranks_above_its_repealed_predecessor(desktop: Watched, site_url: str, query: str) -> None:
    page = desktop.page
    page.goto(site_url + "search/?q=" + query)
    titles = _result_titles(page)
    in_force = "澜江市人民政府办公室关于印发澜江市既有住宅加装电梯管理办法的通知"
    repealed = "澜江市人民政府办公室关于印发澜江市既有住宅加装电梯实施办法的通知"
    assert titles[0] == in_force
    assert titles.index(in_force) < titles.index(repealed)
    assert desktop.problems == []


def test_topic_index_hides_empty_classes(desktop: Watched, site_url: str) -> None:
    page = desktop.page
    page.goto(site_url + "topics/")
    counts = page.locator(".md-content .gk-topic .gk-n").all_inner_texts()
    assert counts and "0" not in counts  # no "(0)" class or subclass in the list
    assert page.locator(".gk-topic h2:has-text('国防')").count() == 0
    folded = page.locator("details.gk-empty-classes")
    assert folded.count() == 1 and not folded.locator("li").first.is_visible()
    folded.locator("summary").click()
    assert "国防" in folded.locator("ul").inner_text()
    assert folded.locator("a").count() == 0  # nothing to open in an empty class
    assert desktop.problems == []


def test_guide_has_a_table_of_contents_that_jumps(phone: Watched, site_url: str) -> None:
    page = phone.page
    page.goto(site_url + "guide/")
    toc = page.get_by_role("navigation", name="本页目录")
    assert toc.count() == 1
    links = toc.get_by_role("link")
    assert links.count() >= 5
    texts = [t.strip() for t in links.all_inner_texts()]
    assert "二、依申请公开" in texts and "（二）申请方式" in texts
    links.filter(has_text="四、监督和救济").click()
    target = page.locator(".gk-page h2:has-text('四、监督和救济')").last
    assert page.evaluate("location.hash") == "#" + (target.get_attribute("id") or "")
    top = target.bounding_box()
    assert top and 0 <= top["y"] < 844
    assert phone.problems == []


def _meta(page: Any) -> dict[str, str]:
    return dict(
        page.evaluate("[...document.querySelectorAll('meta[name]')].map(m => [m.getAttribute('name'), m.content])")
    )


def test_47_meta_tags_of_an_article(desktop: Watched, site_url: str) -> None:
    page = desktop.page
    page.goto(site_url + "interpretations/012500406-2024-00017/")
    meta = _meta(page)
    assert meta["SiteDomain"] == "www.lanjiang.gov.cn"  # a domain name, not a URL
    assert meta["SiteIDCode"] == "3399000001"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["PubDate"])
    assert meta["Url"] == "https://www.lanjiang.gov.cn/xxgk/interpretations/012500406-2024-00017/"
    assert meta["Author"] == "邵启航（市住房和城乡建设局局长）"  # the data's 解读人
    assert "Image" not in meta  # no image in the body: nothing invented
    page.goto(site_url + ENTRY)
    meta = _meta(page)
    assert meta["ArticleTitle"].startswith("澜江市人民政府办公室关于印发")
    assert "Author" not in meta  # an entry names no author
    assert meta["Url"].endswith("/" + ENTRY)
    assert desktop.problems == []


@pytest.mark.parametrize(
    ("url", "column", "kind", "keywords"),
    [
        ("topics/12/", "主题分类", "信息发布", "文化、广电、新闻出版"),
        ("agencies/zjj/", "发布机构", "信息发布", "澜江市住房和城乡建设局"),
        ("interpretations/", "政策解读", "解读回应", None),
        ("", "首页", "信息发布", None),
    ],
)
def test_47_meta_tags_of_a_column(
    desktop: Watched, site_url: str, url: str, column: str, kind: str, keywords: str | None
) -> None:
    page = desktop.page
    page.goto(site_url + url)
    meta = _meta(page)
    assert meta["ColumnName"] == column
    assert meta["ColumnType"] == kind
    assert meta.get("ColumnKeywords") == keywords
    if url == "":
        assert meta["ColumnDescription"] == "澜江市人民政府信息公开平台：政府信息公开目录、政策解读、政府信息公开指南。"
    assert "ArticleTitle" not in meta and "Url" not in meta
    assert desktop.problems == []


def test_sample_config_is_what_the_meta_tags_say() -> None:
    text = (REPO / "site_config.yml").read_text(encoding="utf-8")
    assert "url: https://www.lanjiang.gov.cn/xxgk/" in text and 'site_id_code: "3399000001"' in text
