"""A citizen browsing the sample site in real Chromium: indexes, banners, links both ways."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_from_home_through_an_index_to_a_repealed_document_and_its_replacement(page: Any, sample_url: str) -> None:
    page.goto(sample_url)
    page.get_by_role("link", name="按主题分类").first.click()
    page.wait_for_url(re.compile(r"/topics/$"))
    page.get_by_role("link", name="城乡建设（含住房）").first.click()
    assert "主题分类：城乡建设、环境保护" in page.locator("h1").inner_text()
    rows = page.locator("table.gk-list tbody tr")
    assert rows.count() >= 1
    page.get_by_role("link", name=re.compile("加装电梯实施办法")).first.click()
    # the banner is a status region (Zensical has a second, empty one: its clipboard dialog)
    banner = page.get_by_role("status").filter(has_text="废止")
    assert "废止" in banner.inner_text()
    banner.get_by_role("link").first.click()
    assert "加装电梯管理办法" in page.locator("h1").inner_text()
    assert page.get_by_role("status").filter(has_text="废止").count() == 0  # in force: no banner
    assert page.locator(".gk-banner").count() == 0
    assert page.js_errors == []


def test_policy_and_interpretation_link_both_ways(page: Any, sample_url: str) -> None:
    page.goto(sample_url + "interpretations/")
    first = page.locator("table.gk-list tbody tr").first
    title = first.locator("td").first.inner_text()
    first.locator("td").first.get_by_role("link").click()
    assert page.locator("h1").inner_text() == title
    sources = page.locator("section.gk-sources")
    source_title = sources.get_by_role("link").first.inner_text()
    sources.get_by_role("link").first.click()
    assert page.locator("h1").inner_text() == source_title
    related = page.locator("section.gk-related")
    assert title in related.inner_text()
    related.get_by_role("link", name=title).click()
    assert page.locator("h1").inner_text() == title


def test_tables_sort_by_keyboard(page: Any, sample_url: str) -> None:
    page.goto(sample_url + "library/")
    header = page.locator("table.gk-list th").nth(3).get_by_role("button")
    header.focus()
    page.keyboard.press("Enter")
    dates = page.locator("table.gk-list tbody tr td:nth-child(4)").all_inner_texts()
    assert dates == sorted(dates)
    assert page.locator("table.gk-list th").nth(3).get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Enter")
    dates = page.locator("table.gk-list tbody tr td:nth-child(4)").all_inner_texts()
    assert dates == sorted(dates, reverse=True)


def test_on_request_entry_shows_metadata_only(page: Any, sample_url: str) -> None:
    page.goto(sample_url + "types/")
    page.goto(sample_url + "catalogue/012500800-2024-00038/")
    assert page.get_by_role("note").inner_text().startswith("本信息为依申请公开")
    assert page.locator(".gk-body").count() == 0


def test_mobile_layout_has_no_horizontal_scroll(chromium: Any, sample_url: str) -> None:
    context = chromium.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    pg = context.new_page()
    pg.goto(sample_url + "catalogue/012500002-2021-00015/")
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 0
