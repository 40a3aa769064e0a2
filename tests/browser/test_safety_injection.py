"""Pages built from hostile content run no injected script and hold no injected element.

Each page is loaded twice: as published (with the Content-Security-Policy) and with
the browser's CSP switched off, so that the sanitizer and the escaping are proved
on their own, not only behind the policy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

HOSTILE_PAGES = [
    "",
    "catalogue/",
    "catalogue/000000002-2024-00001/",
    "catalogue/000000002-2024-00002/",
    "catalogue/000000002-2024-00003/",
    "interpretations/000000002-2024-00010/",
    "guide/",
    "agencies/office/",
    "topics/",
]

# Run in the page: everything that could execute or was injected, as readable strings. (Style
# attributes are not looked for: Material's scripts set them through the CSSOM, which the policy
# allows; tests/test_injection.py checks that the served HTML has none.)
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['iframe', 'frame', 'object', 'embed', 'applet', 'base', 'style'].includes(tag)) found.push('<' + tag + '>');
    if (tag === 'script' && !el.src && el.type !== 'application/json') found.push('inline script: ' + el.textContent.slice(0, 60));
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) found.push('<' + tag + ' ' + name + '>');
    }
    for (const prop of ['href', 'src', 'action', 'formAction', 'data']) {
      const value = el[prop];
      if (typeof value === 'string' && /^\\s*(javascript|vbscript|data):/i.test(value) && !(tag === 'img' && value.startsWith('data:image/svg'))) {
        found.push('<' + tag + ' ' + prop + '=' + value.slice(0, 40) + '>');
      }
    }
  }
  if (window.__gk_pwned) found.push('window.__gk_pwned set');
  return found;
}"""


def _visit_all(page: Any, base: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for url in HOSTILE_PAGES:
        page.page.goto(base + url)
        page.page.wait_for_load_state("networkidle")
        page.page.mouse.move(200, 300)  # give onmouseover= its chance
        injected = page.page.evaluate(INJECTED)
        if injected:
            found[url] = injected
    return found


# The hostile bodies keep harmless relative images (<img src=x>, x.png) the sanitizer allows: they 404.
# The console line has no URL; each 404 is also reported with its URL, and only these URLs are allowed.
HOSTILE_404 = pytest.mark.browser_allows(
    r"^HTTP 404: .*/x(\.png)?$", r"^console error: Failed to load resource: .* 404 "
)


@HOSTILE_404
def test_hostile_pages_with_the_policy(safety_hostile_url: str, safety_page: Any) -> None:
    assert _visit_all(safety_page, safety_hostile_url) == {}
    assert safety_page.dialogs == []
    assert safety_page.csp_violations() == []  # nothing was even attempted
    assert safety_page.errors == []


@HOSTILE_404
def test_hostile_pages_without_the_policy(safety_hostile_url: str, safety_page_without_csp: Any) -> None:
    assert _visit_all(safety_page_without_csp, safety_hostile_url) == {}
    assert safety_page_without_csp.dialogs == []


@pytest.mark.parametrize("query", ["标题1", "正文开始", "解读"])
def test_hostile_text_in_search_results(
    safety_hostile_url: str, safety_page_without_csp: Any, safety_search: Any, query: str
) -> None:
    """Search results are built in the browser from the search index: titles and excerpts stay text."""
    page = safety_page_without_csp.page
    page.goto(safety_hostile_url + "catalogue/")
    page.wait_for_load_state("networkidle")
    assert safety_search(page, query) > 0
    page.wait_for_timeout(300)
    assert page.evaluate(INJECTED) == []
    assert safety_page_without_csp.dialogs == []


def test_hostile_site_is_what_the_static_test_checks(safety_hostile_site: Path) -> None:
    assert (safety_hostile_site / "catalogue" / "000000002-2024-00001" / "index.html").is_file()
