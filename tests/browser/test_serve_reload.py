"""`gongkai serve` in Chromium: live reload under the CSP, and the problems page (issue 13, items 10-11).

Own page fixture: any console error, page error, failed request or HTTP status >= 400
fails the test.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serve_helpers import serving

pytestmark = pytest.mark.browser

ENTRY_URL = "catalogue/000000002-2024-00001/"


class Watched:
    """A Chromium page that records every console error, script error and failed request."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        self.loaded: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"pageerror: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "") if isinstance(message.location, dict) else ""
        self.problems.append(f"console: {message.text} ({where})")

    def _failed(self, request: Any) -> None:
        if "/livereload/" in request.url or "ERR_ABORTED" in str(request.failure):
            return  # the long poll is aborted when the page reloads; loads are aborted when the test leaves
        self.problems.append(f"failed: {request.url} {request.failure}")

    def _response(self, response: Any) -> None:
        self.loaded.append(response.url)
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def text(self) -> str:
        try:
            return str(self.page.inner_text("body", timeout=2000))
        except Exception:  # the page is reloading right now
            return ""

    def wait_text(self, needle: str, seconds: float = 90) -> bool:
        end = time.monotonic() + seconds  # a hang guard, not a performance assertion
        while time.monotonic() < end:
            if needle in self.text():
                return True
            time.sleep(0.3)
        return False


@pytest.fixture
def watched(chromium: Any) -> Iterator[Watched]:
    context = chromium.new_context(locale="zh-CN")
    yield Watched(context.new_page())
    context.close()


def _scratch(tmp_path: Path) -> Path:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    return scratch


def test_an_edit_reloads_the_open_page(make_project: Any, tmp_path: Path, watched: Watched) -> None:
    p = make_project()
    p.entry(title="第一版标题")
    with serving(p.root, _scratch(tmp_path)) as url:
        watched.page.goto(url + ENTRY_URL)
        assert "第一版标题" in watched.text()
        watched.page.wait_for_timeout(500)  # the page's reload poll is open
        p.entry(title="第二版标题")
        assert watched.wait_text("第二版标题"), "the open page did not reload after the edit"
        assert watched.page.url == url + ENTRY_URL  # reloaded in place, not navigated by the test
        watched.page.goto("about:blank")  # leave before the server stops (its open reload poll would fail)
    assert any(u.endswith("/.gongkai/livereload.js") for u in watched.loaded)
    assert watched.problems == [], watched.problems


def test_problems_page_turns_into_the_site_when_fixed(make_project: Any, tmp_path: Path, watched: Watched) -> None:
    p = make_project()
    p.entry(title="修正前的标题", disclosure="主动公示")
    with serving(p.root, _scratch(tmp_path)) as url:
        watched.page.goto(url + ENTRY_URL)
        text = watched.text()
        assert "网站尚未生成" in text
        assert "catalogue/e1.md:12:13 错误[E401]：公开方式 主动公示 不在词表中" in text
        assert "提示：您是不是要写 主动公开？" in text
        p.entry(title="修正前的标题", disclosure="主动公示", genre="通告书")  # still broken: a new list
        assert watched.wait_text("体裁 通告书 不在词表中")
        p.entry(title="修正后的标题")
        assert watched.wait_text("修正后的标题"), "the problems page did not turn into the site"
        assert "网站尚未生成" not in watched.text()
        watched.page.goto("about:blank")  # leave before the server stops (its open reload poll would fail)
    assert watched.problems == [], watched.problems


def test_a_broken_edit_keeps_the_page_and_shows_the_errors(make_project: Any, tmp_path: Path, watched: Watched) -> None:
    p = make_project()
    p.entry(title="好的标题")
    with serving(p.root, _scratch(tmp_path)) as url:
        watched.page.goto(url + ENTRY_URL)
        watched.page.wait_for_timeout(500)
        p.entry(title="坏的标题", disclosure="主动公示")
        assert watched.wait_text("有 1 个错误，这里显示的是上一次成功构建的网站。")
        text = watched.text()
        assert "好的标题" in text and "坏的标题" not in text
        assert "catalogue/e1.md:12:13 错误[E401]：公开方式 主动公示 不在词表中" in text
        p.entry(title="改好的标题")
        assert watched.wait_text("改好的标题")
        assert watched.page.locator(".gk-serve-problems").count() == 0
        watched.page.goto("about:blank")  # leave before the server stops (its open reload poll would fail)
    assert watched.problems == [], watched.problems
