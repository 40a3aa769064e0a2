"""Stale search scripts in a real browser with a real HTTP cache: a page of another release
than the index never shows results computed with the wrong format.

The site is served with long cache lifetimes (``Cache-Control: max-age``), as a CDN would,
and a release is replaced by another under the browser's feet. The "old release" is the
sample site with its engine and index relabelled as another format (and the page's
``?v=`` computed for that engine, as the build computes it).
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.search.index import FORMAT_VERSION
from generator.site.engine.config import asset_version
from generator.site.search import SCRIPTS_DIR
from tests.browser.conftest import QuietServer

pytestmark = pytest.mark.browser

OLD = FORMAT_VERSION - 1
FORMAT_LINE = f"var FORMAT = {FORMAT_VERSION};"
STALE = "检索索引已更新，本页的检索程序与之不匹配"


class _Cached(http.server.SimpleHTTPRequestHandler):
    """Every response may be kept a day (HTML too when ``html_cached``), the manifest excepted
    (engine.js asks for it with ``cache: "no-cache"`` anyway)."""

    html_cached = False

    def send_head(self) -> Any:
        # a release copied over another keeps its files' times: revalidation must not answer
        # "not modified" from times (a real deployment's ETag or time changes with the bytes)
        del self.headers["If-Modified-Since"]
        return super().send_head()

    def end_headers(self) -> None:
        html = self.path.split("?")[0].endswith("/") or ".html" in self.path
        keep = not html or self.html_cached
        self.send_header("Cache-Control", "max-age=86400" if keep else "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, type[_Cached]]]:
    root = tmp_path / "www"
    root.mkdir()
    handler_class = type("Handler", (_Cached,), {})
    server = QuietServer(("127.0.0.1", 0), functools.partial(handler_class, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/", handler_class
    server.shutdown()


def deploy(site: Path, root: Path) -> None:
    shutil.copytree(site, root, dirs_exist_ok=True)


def relabel_engine(root: Path, fmt: int) -> None:
    """The engine reads format ``fmt``; the search page names it by its new bytes."""
    engine = root / SCRIPTS_DIR / "engine.js"
    source = engine.read_text(encoding="utf-8")
    assert FORMAT_LINE in source
    engine.write_text(source.replace(FORMAT_LINE, f"var FORMAT = {fmt};"), encoding="utf-8")
    page = root / "search" / "index.html"
    html = page.read_text(encoding="utf-8")
    html, n = re.subn(r"(engine\.js\?v=)[0-9a-f]+", rf"\g<1>{asset_version(engine.read_bytes())}", html)
    assert n == 1
    page.write_text(html, encoding="utf-8")


def relabel_index(root: Path, fmt: Any) -> None:
    path = root / "search" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["format"] = fmt
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def old_release(site: Path, root: Path) -> None:
    deploy(site, root)
    relabel_engine(root, OLD)
    relabel_index(root, OLD)


@pytest.fixture
def tab(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    page.documents = []  # the search pages the tab loaded (a reload is one more)
    page.on("request", lambda r: page.documents.append(r.url) if r.resource_type == "document" else None)
    yield page
    context.close()


def searched(page: Any) -> str:
    page.wait_for_function(
        "() => /找到 \\d+ 条|没有找到|检索索引已更新，本页/.test(document.getElementById('gk-search-status').textContent)"
    )
    return str(page.locator("#gk-search-status").inner_text())


def test_a_new_release_is_searched_with_its_own_engine(
    tab: Any, served: tuple[Path, str, type[_Cached]], sample_site: Path
) -> None:
    root, url, _ = served
    old_release(sample_site, root)
    tab.goto(url + "search/?q=政府")
    assert "找到" in searched(tab)
    assert tab.evaluate("window.GongkaiSearch.format") == OLD  # the old engine, now in the cache
    deploy(sample_site, root)  # the new release: index and engine of FORMAT_VERSION
    tab.goto(url)
    tab.goto(url + "search/?q=政府")
    assert "找到" in searched(tab)
    assert tab.evaluate("window.GongkaiSearch.format") == FORMAT_VERSION
    assert tab.locator(".gk-result").count() > 0


def test_a_cached_old_page_reloads_once_and_then_searches(
    tab: Any, served: tuple[Path, str, type[_Cached]], sample_site: Path
) -> None:
    root, url, handler = served
    handler.html_cached = True  # the page itself is kept too: its old ?v= names the old engine
    old_release(sample_site, root)
    tab.goto(url + "search/?q=政府")
    assert "找到" in searched(tab)
    deploy(sample_site, root)
    tab.goto(url)
    del tab.documents[:]
    tab.goto(url + "search/?q=政府")  # the old page from the cache, the new index
    tab.wait_for_function(f"() => window.GongkaiSearch && window.GongkaiSearch.format === {FORMAT_VERSION}")
    assert "找到" in searched(tab)
    assert tab.evaluate("window.GongkaiSearch.format") == FORMAT_VERSION
    assert len([d for d in tab.documents if "/search/" in d]) == 2  # the cached page, then one reload


@pytest.mark.parametrize("fmt", [OLD, FORMAT_VERSION + 1, None])
def test_an_index_of_another_format_is_refused_with_a_message(
    tab: Any, served: tuple[Path, str, type[_Cached]], sample_site: Path, fmt: Any
) -> None:
    """The index and the engine differ on the server itself (a half-finished upload): one
    reload, then a message and no results — never wrong ones, never a loop."""
    root, url, _ = served
    deploy(sample_site, root)
    relabel_index(root, fmt)
    tab.goto(url + "search/?q=政府")
    assert STALE in searched(tab)
    tab.wait_for_timeout(500)  # no further reload
    assert STALE in str(tab.locator("#gk-search-status").inner_text())
    assert len([d for d in tab.documents if "/search/" in d]) == 2
    assert tab.locator(".gk-result").count() == 0
    assert tab.locator(".gk-search-reload").is_visible()
    # the reader's own reload: the message again, no loop, and no result computed
    tab.locator(".gk-search-reload").click()
    assert STALE in searched(tab)
    tab.wait_for_timeout(300)
    assert len([d for d in tab.documents if "/search/" in d]) == 3
    assert tab.locator(".gk-result").count() == 0
    # the index fixed on the server: the next load searches and forgets the refusal
    relabel_index(root, FORMAT_VERSION)
    tab.reload()
    assert "找到" in searched(tab)
    assert tab.evaluate("window.sessionStorage.getItem('gk-search-stale')") is None
