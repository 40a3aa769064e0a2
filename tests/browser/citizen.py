"""Shared helpers of the citizen-facing browser tests (layout, axe-core, 适老 modes).

Not a conftest: these tests use their own fixtures so that they stay apart from the
page-error fixture of tests/browser/conftest.py.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import QuietServer

AXE_JS = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"

# One representative URL (relative to the site root) per page type.
PAGE_TYPES = {
    "home": "",
    "catalogue": "catalogue/",
    "entry": "catalogue/012500002-2024-00011/",
    "entry-repealed": "catalogue/012500002-2021-00015/",
    "entry-on-request": "catalogue/012500800-2024-00038/",
    "interpretation": "interpretations/012500406-2024-00017/",
    "interpretations": "interpretations/",
    "topic-index": "topics/",
    "topic": "topics/12/",
    "agency": "agencies/zjj/",
    "year": "years/2024/",
    "type": "types/guifanxing/",
    "library": "library/",
    "stats": "stats/",
    "guide": "guide/",
    "search": "search/?q=加装电梯",
    "search-empty": "search/?q=没有这样的文件xyz",
    "data": "data/",
    "about": "about/",
    "library-repealed": "library/repealed/",
    "404": "no-such-page/",
}

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


class Watched:
    """A Chromium page that records console errors, page errors, failed requests and HTTP >= 400."""

    def __init__(self, page: Any, expect_404: str | None = None) -> None:
        self.page = page
        self.problems: list[str] = []
        self.expect_404 = expect_404
        self.also_expected: tuple[str, ...] = ()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("requestfailed", lambda req: self._failed(req.url, req.failure or "failed"))
        page.on("response", lambda res: self._failed(res.url, str(res.status)) if res.status >= 400 else None)

    def _known(self, url: str) -> bool:
        if self.expect_404 and url.endswith(self.expect_404):
            return True
        return any(url.endswith(k) for k in self.also_expected)

    def _console(self, msg: Any) -> None:
        if msg.type != "error":
            return
        location = (msg.location or {}).get("url", "")
        # Chromium reports each failed request on the console as well: judged by _failed.
        if "Failed to load resource" in msg.text and self._known(location):
            return
        self.problems.append(f"console error: {msg.text} ({location})")

    def _failed(self, url: str, why: str) -> None:
        if why == "net::ERR_ABORTED":
            return  # cancelled by the test's own next navigation (e.g. the favicon of the page left)
        if not self._known(url):
            self.problems.append(f"request {url}: {why}")


def open_context(chromium: Any, viewport: dict[str, int], **kw: Any) -> Any:
    return chromium.new_context(locale="zh-CN", viewport=viewport, **kw)


def watched_page(chromium: Any, viewport: dict[str, int], **kw: Any) -> Iterator[Watched]:
    context = open_context(chromium, viewport, **kw)
    yield Watched(context.new_page())
    context.close()


def set_mode(page: Any, base: str, mode: str) -> None:
    """Switch the site into ``mode`` (default | contrast | large) the way a citizen does: by the header toggles."""
    page.goto(base)
    if mode == "contrast":
        page.locator("label[for='__palette_1']").click()
        wait_until(page, "document.body.getAttribute('data-md-color-scheme') === 'slate'")
    elif mode == "large":
        page.locator("#gk-text-toggle").click()
        wait_until(page, "document.documentElement.getAttribute('data-gk-text') === 'large'")


WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def run_axe(
    page: Any, tags: tuple[str, ...] = WCAG_TAGS, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[dict[str, Any]]:
    """axe-core on the current page: the violations of the rules tagged ``tags`` (by default WCAG
    2.0/2.1 A and AA) whose impact is one of ``impacts``."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async ([tags, impacts]) => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
          return r.violations.filter(v => impacts.includes(v.impact)).map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))
          }));
        }""",
        [list(tags), list(impacts)],
    )
    return list(result)


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site under ``prefix`` and answers every missing URL with 404.html, as web servers do."""

    prefix = "/"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "\\0missing")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve_site(root: Path, prefix: str = "/") -> tuple[http.server.ThreadingHTTPServer, str]:
    """The site on a loopback server below ``prefix`` (any base path), with a real 404 page."""
    handler = type("Handler", (_SiteHandler,), {"prefix": prefix})
    server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


# ----------------------------------------------------------------------------- fixtures
# Imported by the test modules that use them (``from tests.browser.citizen import fixture_site_url``);
# pytest knows them by their ``name``.


@pytest.fixture(scope="session", name="site_url")
def fixture_site_url(sample_site: Path) -> Iterator[str]:
    """The built sample site at the server root, with a real 404 page."""
    server, url = serve_site(sample_site)
    yield url
    server.shutdown()


@pytest.fixture(name="phone")
def fixture_phone(chromium: Any) -> Iterator[Watched]:
    yield from watched_page(chromium, PHONE)


@pytest.fixture(name="desktop")
def fixture_desktop(chromium: Any) -> Iterator[Watched]:
    yield from watched_page(chromium, DESKTOP)


def wait_until(page: Any, expression: str, timeout_ms: int = 10000) -> None:
    """Poll a JavaScript expression until it is true. (Playwright's wait_for_function polls by
    evaluating a string, which the site's Content-Security-Policy rightly forbids.)"""
    for _ in range(timeout_ms // 50):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"not true after {timeout_ms} ms: {expression}")
