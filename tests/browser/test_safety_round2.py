"""Round 2 of the hostile suite, in Chromium: tooltips built from titles, editor-chosen names.

Every test here also runs under the fixture rule of tests/browser/conftest.py: any console
error, failed request or HTTP status >= 400 fails it (this is what caught /feeds/sitemap.xml).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from tests.browser.conftest import serve_dir
from tests.conftest import BUILD_DATE, ProjectFactory

pytestmark = pytest.mark.browser

PWN = "window.__gk_pwned=1"
TITLE_BODY = f"""\
<abbr title="<img src=x onerror={PWN}>">缩写一</abbr>

<span title='<meta http-equiv="refresh" content="0;url=https://example.com/">'>悬停二</span>

[链接三](https://www.gov.cn/ "<img src=x onerror={PWN}>")

![图片四](../../attachments/files/pic.png "<img src=x onerror={PWN}>")

<p title="&lt;img src=x onerror={PWN}&gt;" lang="zh&quot;><img src=x onerror={PWN}>">段落五</p>

这里有 HTML 缩写。

*[HTML]: <img src=x onerror={PWN}>

脚注六[^1]。

[^1]: <img src=x onerror={PWN}> 注释
"""
HOSTILE_TITLE = f'<img src=x onerror={PWN}>"页面'

# Every element the page shows, counted: hovering must not add one.
COUNT = "() => [document.querySelectorAll('*').length, document.querySelectorAll('img,meta').length]"


@pytest.fixture(scope="session")
def round2_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = ProjectFactory(tmp_path_factory.mktemp("round2") / "repo")
    pic = p.attachment(
        "files/pic.png",
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4ee0000"
            "000049454e44ae426082"
        ),
    )
    minutes = p.attachment("files/会议纪要#2.txt", "会议纪要正文".encode())
    odd = p.attachment("files/附件 100%?.txt", "附件正文".encode())
    p.entry(
        body=TITLE_BODY,
        attachments=[
            {"title": "图片", "file": "files/pic.png", "sha256": pic},
            {"title": "会议纪要", "file": "files/会议纪要#2.txt", "sha256": minutes},
            {"title": "奇怪的名字", "file": "files/附件 100%?.txt", "sha256": odd},
        ],
    )
    p.page("关于我们", HOSTILE_TITLE, nav_order=1)
    p.page("联系 #我们", "联系我们", nav_order=2)
    p.interpretation(published_date=dt.date(2024, 3, 5))
    return p.build(build_date=BUILD_DATE)


@pytest.fixture(scope="session")
def round2_url(round2_site: Path) -> Iterator[str]:
    server, url = serve_dir(round2_site)
    yield url
    server.shutdown()


def _hover_every_title(page: Any) -> list[str]:
    before = page.evaluate(COUNT)
    url = page.url
    titled = page.locator("[title]")
    hovered = []
    for i in range(titled.count()):
        el = titled.nth(i)
        if el.is_visible():
            el.hover()
            page.wait_for_timeout(150)
            hovered.append(el.get_attribute("title") or "")
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    assert page.url == url  # no <meta refresh> took the page away
    assert page.evaluate(COUNT) == before, "hovering added elements"
    assert not page.evaluate("!!window.__gk_pwned")
    return hovered


@pytest.mark.parametrize("policy", ["csp", "no-csp"])
def test_hovering_titles_creates_nothing_and_goes_nowhere(
    round2_url: str, safety_page: Any, safety_page_without_csp: Any, policy: str
) -> None:
    sp = safety_page if policy == "csp" else safety_page_without_csp
    page = sp.page
    page.goto(round2_url + "catalogue/000000002-2024-00001/")
    page.wait_for_load_state("networkidle")
    hovered = _hover_every_title(page)
    assert hovered, "the page has titled elements to hover"
    assert all("<" not in t and ">" not in t for t in hovered if "缩写" not in t)
    page.goto(round2_url)
    page.wait_for_load_state("networkidle")
    _hover_every_title(page)  # the navigation carries the hostile page title
    assert sp.dialogs == [] and sp.errors == []
    assert sp.csp_violations() == []
    assert page.evaluate("document.querySelector('.md-tooltip, .md-tooltip2')") is None


def test_every_link_to_an_editor_named_file_or_page_loads(round2_url: str, page: Any) -> None:
    page.goto(round2_url + "catalogue/000000002-2024-00001/")
    page.wait_for_load_state("networkidle")
    hrefs = page.eval_on_selector_all(".gk-attachments a", "els => els.map(e => e.href)")
    assert len(hrefs) == 3
    bodies = {}
    for href in hrefs:
        response = page.request.get(href)
        assert response.status == 200, href
        bodies[unquote(href.rsplit("/", 1)[-1])] = response.body()
    assert sorted(bodies) == sorted(["pic.png", "会议纪要#2.txt", "附件 100%?.txt"])
    assert bodies["会议纪要#2.txt"] == "会议纪要正文".encode()
    assert bodies["附件 100%?.txt"] == "附件正文".encode()
    page.goto(round2_url)
    page.wait_for_load_state("networkidle")
    for name in ("关于我们", "联系 #我们"):
        link = page.locator(f'a[href*="{name[:2]}"], a[href*="%E5%85%B3"], a[href*="%E8%81%94"]').first
        assert link.count() == 1
    page.locator('a[href*="%E5%85%B3%E4%BA%8E"]').first.click()
    page.wait_for_load_state("networkidle")
    assert unquote(page.url).endswith("/关于我们/")
    page.goto(round2_url + "%E8%81%94%E7%B3%BB%20%23%E6%88%91%E4%BB%AC/")
    assert page.locator("h1").first.inner_text() == "联系我们"


def test_no_page_asks_for_a_sitemap_beside_the_feeds(round2_url: str, page: Any, browser_problems: list[str]) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(round2_url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert not [u for u in requested if u.endswith("feeds/sitemap.xml")]
    feeds = page.eval_on_selector_all('link[type="application/atom+xml"]', "els => els.map(e => e.rel)")
    assert feeds == ["alternate feed", "alternate feed"]  # still discoverable as feeds
