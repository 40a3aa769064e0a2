"""Citizens on a phone (390 px) and a desktop (1366 px): listings, header, 当前位置, active tab,
404 page, print. Measured in Debian Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.citizen import (
    DESKTOP,
    PAGE_TYPES,
    Watched,
    fixture_desktop,  # noqa: F401 - fixture
    fixture_phone,  # noqa: F401 - fixture
    fixture_site_url,  # noqa: F401 - fixture
    open_context,
    serve_site,
)

pytestmark = pytest.mark.browser

LISTINGS = [
    "catalogue/",
    "topics/12/",
    "topics/10/",
    "library/",
    "library/repealed/",
    "interpretations/",
    "agencies/zjj/",
    "years/2024/",
    "types/guifanxing/",
]

# Per row: the title cell's width, the date cell's text lines, the row's width.
# How many text lines an element's own text takes (text nodes only, not the boxes around them).
LINES_JS = """
const LINES = el => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), tops = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const r = document.createRange(); r.selectNodeContents(n);
    for (const rect of r.getClientRects()) if (rect.width > 1) tops.add(Math.round(rect.top / 4));
  }
  return tops.size;
};
"""

MEASURE = (
    """
() => { """
    + LINES_JS
    + """ return [...document.querySelectorAll('table.gk-list[data-gk-sortable] tbody tr')].map(tr => {
  const title = tr.querySelector('td.gk-title'), date = tr.querySelector('td.gk-date');
  const lines = el => LINES(el);
  return {title: title.getBoundingClientRect().width, dateLines: lines(date), text: date.textContent.trim()};
}); }
"""
)


@pytest.mark.parametrize("url", LISTINGS)
def test_phone_listing_is_title_then_date(phone: Watched, site_url: str, url: str) -> None:
    page = phone.page
    page.goto(site_url + url)
    rows = page.evaluate(MEASURE)
    assert rows
    for row in rows:
        assert row["title"] >= 300, row  # the whole width of the screen, not one character
        assert row["dateLines"] == 1, row
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["text"])
    # no horizontal scrolling, and no 索引号 column stealing the width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("table.gk-list td.gk-idx").first.is_hidden()
    # a row is two or three lines, not a column of single characters (a topic page was 10,942 px)
    height = page.evaluate("document.querySelector('table.gk-list[data-gk-sortable]').getBoundingClientRect().height")
    assert height <= 130 * len(rows), height
    assert phone.problems == []


@pytest.mark.parametrize("url", LISTINGS)
def test_desktop_listing_has_a_wide_column_and_unbroken_dates(desktop: Watched, site_url: str, url: str) -> None:
    page = desktop.page
    page.goto(site_url + url)
    content = page.evaluate("document.querySelector('.md-content').getBoundingClientRect().width")
    assert content >= 1000, content  # was ~600 px of 1366 beside two sidebars
    for row in page.evaluate(MEASURE):
        assert row["dateLines"] == 1, row
        assert row["title"] >= 250, row
    heads = page.evaluate(
        "() => { "
        + LINES_JS
        + " return [...document.querySelectorAll('table.gk-list thead th')].map(th => [th.textContent.trim(), LINES(th)]); }"
    )
    assert heads and all(lines == 1 for _, lines in heads), heads
    assert desktop.problems == []


def test_phone_header_shows_the_whole_site_name(phone: Watched, site_url: str) -> None:
    page = phone.page
    for mode in ("default", "large"):
        if mode == "large":
            page.locator("#gk-text-toggle").click()
        page.goto(site_url + "catalogue/")
        name = page.locator(".md-header__title .md-header__topic").first.locator(".md-ellipsis")
        assert name.inner_text().strip() == "澜江市人民政府信息公开"
        fits = page.evaluate(
            """el => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1""",
            name.element_handle(),
        )
        assert fits, mode
        box = name.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, mode
    assert phone.problems == []


@pytest.mark.parametrize("name", [n for n in PAGE_TYPES if n != "404"])
def test_large_text_mode_keeps_the_phone_layout(phone: Watched, site_url: str, name: str) -> None:
    page = phone.page
    page.goto(site_url)
    page.locator("#gk-text-toggle").click()
    page.goto(site_url + PAGE_TYPES[name])
    assert page.evaluate("document.documentElement.getAttribute('data-gk-text')") == "large"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-content .md-typeset')).fontSize)")
    assert size >= 19
    assert phone.problems == []


# ----------------------------------------------------------------------------- 当前位置 and tabs

CRUMBS = {
    "catalogue/": ["首页", "政府信息公开目录"],
    "catalogue/012500002-2024-00011/": [
        "首页",
        "信息公开目录",
        "澜江市人民政府办公室关于印发澜江市既有住宅加装电梯管理办法的通知",
    ],
    "topics/": ["首页", "信息公开目录", "按主题分类浏览"],
    "topics/12/": ["首页", "信息公开目录", "按主题分类", "主题分类：文化、广电、新闻出版"],
    "library/repealed/": ["首页", "信息公开目录", "现行有效规范性文件库", "失效、废止和修改文件目录"],
    "interpretations/012500406-2024-00017/": ["首页", "政策解读"],
    "stats/": ["首页", "政府信息公开工作年度报告统计"],
    "search/?q=加装电梯": ["首页", "站内检索"],
    "guide/": ["首页"],
    "agencies/zjj/": ["首页", "信息公开目录", "按发布机构"],
    "years/2024/": ["首页", "信息公开目录", "按年份"],
    "types/guifanxing/": ["首页", "信息公开目录", "按信息类别"],
    "": ["首页"],
}


@pytest.mark.parametrize("url", list(CRUMBS))
def test_every_page_says_where_the_citizen_is(desktop: Watched, site_url: str, url: str) -> None:
    page = desktop.page
    page.goto(site_url + url)
    nav = page.get_by_role("navigation", name="当前位置")
    assert nav.count() == 1
    labels = [t.strip() for t in nav.locator("li").all_inner_texts()]
    assert labels[: len(CRUMBS[url])] == CRUMBS[url]
    current = nav.locator("[aria-current='page']")
    assert current.count() == 1
    title = page.locator(".md-content h1").first.inner_text().strip()
    if url not in ("", "guide/"):  # the home page's h1 is the site name; guide checked below
        assert current.inner_text().strip() in (title, re.sub(r"（第 \d+ 页）$", "", title))
    # every crumb before the current one is a working link
    for k in range(nav.locator("a:not([aria-current])").count()):
        href = nav.locator("a:not([aria-current])").nth(k).get_attribute("href")
        assert page.request.get(page.url.split("?")[0].rsplit("/", 1)[0] + "/" + href).ok, href
    assert desktop.problems == []


@pytest.mark.parametrize(
    ("url", "tab"),
    [
        ("catalogue/012500002-2024-00011/", "信息公开目录"),
        ("topics/12/", "信息公开目录"),
        ("years/2024/", "信息公开目录"),
        ("interpretations/012500406-2024-00017/", "政策解读"),
        ("interpretations/", "政策解读"),
        ("", "首页"),
    ],
)
def test_header_tab_of_the_section_is_active(desktop: Watched, site_url: str, url: str, tab: str) -> None:
    page = desktop.page
    page.goto(site_url + url)
    active = page.locator(".md-tabs__item--active")
    assert active.count() == 1
    assert active.inner_text().strip() == tab
    assert active.locator("a").get_attribute("aria-current") == "true"
    weight = page.evaluate("getComputedStyle(document.querySelector('.md-tabs__item--active a')).fontWeight")
    assert int(weight) >= 700  # told apart by more than colour
    assert desktop.problems == []


# ----------------------------------------------------------------------------- 404


@pytest.mark.browser_allows(
    r"^HTTP 404: .*/deep/missing/page/$",  # the point of the test
    r"^HTTP 404: .*/favicon\.ico$",  # asked of the server root (see below)
    r"^console error: Failed to load resource: the server responded with a status of 404",
)
@pytest.mark.parametrize("prefix", ["/", "/xxgk/", "/some/other/base/"])
def test_404_page_is_chinese_and_styled_under_any_base_path(chromium: Any, sample_site: Path, prefix: str) -> None:
    server, url = serve_site(sample_site, prefix)
    context = open_context(chromium, DESKTOP)
    watched = Watched(context.new_page(), expect_404="/deep/missing/page/")
    # The page links no icon (it could only be addressed relative to a base it cannot know), so
    # Chromium asks the server root for one; a host without it answers 404.
    watched.also_expected = ("/favicon.ico",)
    page = watched.page
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        response = page.goto(url + "a/deep/missing/page/")
        assert response is not None and response.status == 404
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        assert "页面不存在" in page.locator("h1").inner_text()
        assert "Not found" not in page.content()
        # styled: the header band is the site's red, the text not the browser's default serif
        band = page.evaluate("getComputedStyle(document.querySelector('.h')).backgroundColor")
        assert band == "rgb(179, 38, 30)"
        assert "sans-serif" in page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
        box = page.locator("h1").bounding_box()
        assert box and box["x"] >= 16  # inside the page's padding, not against the edge
        assert page.get_by_role("search").count() == 1
        assert csp == []
        assert watched.problems == []
    finally:
        context.close()
        server.shutdown()


# ----------------------------------------------------------------------------- print


def test_printed_entry_says_where_it_came_from(desktop: Watched, site_url: str) -> None:
    page = desktop.page
    page.goto(site_url + "catalogue/012500002-2024-00011/")
    page.emulate_media(media="print")
    head = page.locator(".gk-print-head")
    assert head.is_visible()
    text = head.inner_text()
    assert "澜江市人民政府信息公开" in text
    assert "https://www.lanjiang.gov.cn/xxgk/catalogue/012500002-2024-00011/" in text
    assert "网站标识码：3399000001" in text
    after = page.evaluate("getComputedStyle(document.querySelector('.gk-meta a[href]'), '::after').content")
    assert re.search(r"https?://[^ ]+/agencies/", after), after
    assert page.locator(".md-header").is_hidden()
    page.emulate_media(media="screen")
    assert head.is_hidden()
    assert desktop.problems == []


# ----------------------------------------------------------------------------- stats


def test_stats_page_shows_no_alarm_for_normal_data(desktop: Watched, site_url: str) -> None:
    """The sample's 尚未生效 regulations (signed in one year, in force in the next) are normal data."""
    page = desktop.page
    page.goto(site_url + "stats/")
    text = page.locator(".md-content").inner_text()
    assert "勾稽关系不成立" not in text
    assert page.locator(".gk-identity--note").count() == 0
    years = page.locator("section[aria-labelledby^='gk-y']").count()
    assert years >= 4
    assert page.locator(".gk-identity--ok").count() == 2 * years  # both rows of every year balance
    assert desktop.problems == []
