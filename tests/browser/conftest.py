"""Browser fixtures: the built sample site on a loopback HTTP server, and Debian Chromium via Playwright."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


class QuietServer(http.server.ThreadingHTTPServer):
    """A test server that says nothing when the browser drops a connection it no longer
    needs (a page reloaded or left mid-transfer): that is the browser's right, not an error."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipeError, ConnectionResetError, …
            return
        super().handle_error(request, client_address)


def serve_dir(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def sample_url(sample_site: Path) -> Iterator[str]:
    server, url = serve_dir(sample_site)
    yield url
    server.shutdown()


# ------------------------------------------------------------------ the rule for every browser test
# Any console error, failed request, uncaught page error or HTTP status >= 400 in any page of any
# context fails the test that caused it (checked when the test ends). A test that provokes one on
# purpose says so, precisely: @pytest.mark.browser_allows(r"regex matched against the problem").
_PROBLEMS: list[str] = []


def _watch(context: Any) -> Any:
    context.on("console", lambda m: _PROBLEMS.append(f"console error: {m.text}") if m.type == "error" else None)
    context.on("weberror", lambda e: _PROBLEMS.append(f"page error: {e.error}"))
    context.on("requestfailed", _request_failed)
    context.on("response", lambda r: _PROBLEMS.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    return context


def _request_failed(request: Any) -> None:
    # net::ERR_ABORTED: the page navigated away before the response (a test going to the next
    # page while the favicon loads), not a failure of the site; a missing file still shows as HTTP 404.
    if "ERR_ABORTED" not in (request.failure or ""):
        _PROBLEMS.append(f"request failed: {request.url} ({request.failure})")


class _WatchedBrowser:
    """The Chromium browser, every context of which reports its problems to :data:`_PROBLEMS`."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **kwargs: Any) -> Any:
        return _watch(self._browser.new_context(**kwargs))

    def new_page(self, **kwargs: Any) -> Any:
        context = self.new_context(**kwargs)
        page = context.new_page()
        page.on("close", lambda _: context.close())
        return page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def browser_problems(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Fails the test on any console error, failed request, page error or HTTP >= 400."""
    _PROBLEMS.clear()
    yield _PROBLEMS
    allowed = [re.compile(p) for m in request.node.iter_markers("browser_allows") for p in m.args]
    left = [p for p in _PROBLEMS if not any(a.search(p) for a in allowed)]
    _PROBLEMS.clear()
    if left:
        pytest.fail("browser problems:\n" + "\n".join(left[:20]), pytrace=False)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is required for browser tests: apt-get install chromium")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield _WatchedBrowser(browser)
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(locale="zh-CN")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    yield pg
    context.close()


CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"


@pytest.fixture
def csp_page(chromium: Any) -> Iterator[Any]:
    """A page whose every response carries the site's strict Content-Security-Policy."""
    context = chromium.new_context(locale="zh-CN")

    def with_csp(route: Any) -> None:
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    context.route("**/*", with_csp)
    pg = context.new_page()
    errors: list[str] = []
    violations: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    pg.js_errors = errors
    pg.csp_violations = violations
    yield pg
    context.unroute_all(behavior="ignoreErrors")
    context.close()


# ----------------------------------------------------------------------------- safety
# Fixtures of the safety tests (test_safety_*.py); names start with safety_ to stay apart.

# Installed before any page script: records CSP violations for the test to read.
SAFETY_INIT_SCRIPT = """
window.__gk_csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__gk_csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber);
});
"""


class SafetyPage:
    """A page that remembers dialogs, CSP violations, CSP console messages and script errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(SAFETY_INIT_SCRIPT)
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.console.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def csp_violations(self) -> list[str]:
        reported = self.page.evaluate("window.__gk_csp || []")
        console = [m for m in self.console if "Content Security Policy" in m]
        return [*reported, *console]


@pytest.fixture
def safety_page(chromium: Any) -> Iterator[SafetyPage]:
    context = chromium.new_context(locale="zh-CN")
    yield SafetyPage(context.new_page())
    context.close()


@pytest.fixture
def safety_page_without_csp(chromium: Any) -> Iterator[SafetyPage]:
    """CSP switched off in the browser: what remains is the sanitizer and the escaping alone."""
    context = chromium.new_context(locale="zh-CN", bypass_csp=True)
    yield SafetyPage(context.new_page())
    context.close()


@pytest.fixture(scope="session")
def safety_hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.hostile import build_hostile_site

    return build_hostile_site(tmp_path_factory.mktemp("hostile-browser") / "repo")


@pytest.fixture(scope="session")
def safety_hostile_url(safety_hostile_site: Path) -> Iterator[str]:
    server, url = serve_dir(safety_hostile_site)
    yield url
    server.shutdown()


@pytest.fixture
def safety_search() -> Any:
    """``safety_search(page, query)`` → number of catalogue search results."""
    return _catalogue_search


def _catalogue_search(page: Any, query: str) -> int:
    """Search from the header box (the site's one search); return the number of results.

    The header form leads to the search page, whose script loads the index and fills
    the result list; an empty result shows a message item instead of results.
    """
    box = page.locator("#gk-header-q")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search/**")
    status = page.locator("#gk-search-status")
    for _ in range(60):
        if page.locator("#gk-search-results li.gk-result").count() or page.locator(".gk-search-empty-item").count():
            break
        page.wait_for_timeout(250)
    assert status.count() == 1
    return int(page.locator("#gk-search-results li.gk-result").count())
