"""axe-core (WCAG 2.0/2.1 A and AA) on every page type, at 390 px and 1366 px, in the default
palette, the high-contrast palette and the 大字模式: no serious or critical violation.

axe-core comes from the npm registry: ``npm ci --prefix tests/browser/axe`` (scripts/test.sh
runs it); it is injected into the page, so the run needs no network afterwards.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.citizen import (
    AXE_JS,
    DESKTOP,
    PAGE_TYPES,
    PHONE,
    Watched,
    fixture_desktop,  # noqa: F401 - fixture
    fixture_phone,  # noqa: F401 - fixture
    fixture_site_url,  # noqa: F401 - fixture
    run_axe,
    set_mode,
    wait_until,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe_installed() -> None:
    if not AXE_JS.is_file():
        pytest.fail("axe-core is not installed: npm ci --prefix tests/browser/axe (scripts/test.sh does it)")


@pytest.mark.browser_allows(
    r"^HTTP 404: .*/no-such-page/$",  # the 404 page is one of the page types
    r"^HTTP 404: .*/favicon\.ico$",  # asked for by Chromium on the icon-less 404 page
    r"^console error: Failed to load resource: the server responded with a status of 404",
)
@pytest.mark.parametrize("mode", ["default", "contrast", "large"])
@pytest.mark.parametrize("width", ["390", "1366"])
def test_every_page_type_has_no_serious_axe_violation(
    chromium: Any,
    site_url: str,
    axe_installed: None,
    width: str,
    mode: str,
) -> None:
    # bypass_csp: axe is injected as an inline script, which the site's policy (rightly) refuses.
    context = chromium.new_context(locale="zh-CN", viewport=PHONE if width == "390" else DESKTOP, bypass_csp=True)
    watched = Watched(context.new_page(), expect_404="no-such-page/")
    watched.also_expected = ("/favicon.ico",)  # asked for by Chromium on the icon-less 404 page
    page = watched.page
    set_mode(page, site_url, mode)
    found: dict[str, list[Any]] = {}
    for name, url in PAGE_TYPES.items():
        page.goto(site_url + url)
        if name == "search":
            page.wait_for_selector("#gk-search-results li.gk-result")
        violations = run_axe(page)
        if violations:
            found[name] = violations
        if mode == "contrast" and name != "404":
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate", name
        if mode == "large" and name != "404":
            assert page.evaluate("document.documentElement.getAttribute('data-gk-text')") == "large", name
    context.close()
    assert found == {}
    assert watched.problems == []


# Material's palette toggles are <label>s; gongkai.js gives them role="button" (and a name and
# tabindex) so that a screen reader announces a button it can press. ARIA in HTML allows no role
# on <label>, hence axe's best-practice rule aria-allowed-role: a deliberate exception.
BEST_PRACTICE_EXCEPTIONS = {"aria-allowed-role"}


@pytest.mark.browser_allows(
    r"^HTTP 404: .*/no-such-page/$",
    r"^HTTP 404: .*/favicon\.ico$",
    r"^console error: Failed to load resource: the server responded with a status of 404",
)
@pytest.mark.parametrize("width", ["390", "1366"])
def test_every_page_type_follows_axe_best_practices(
    chromium: Any, site_url: str, axe_installed: None, width: str
) -> None:
    """axe's best-practice rules (beyond the WCAG bar above), every impact: unique landmarks (the
    search page has two search forms), no empty table header cell (an entry's metadata table with an
    odd number of fields), one main landmark, headings in order."""
    context = chromium.new_context(locale="zh-CN", viewport=PHONE if width == "390" else DESKTOP, bypass_csp=True)
    watched = Watched(context.new_page(), expect_404="no-such-page/")
    watched.also_expected = ("/favicon.ico",)
    page = watched.page
    found: dict[str, list[Any]] = {}
    for name, url in PAGE_TYPES.items():
        page.goto(site_url + url)
        if name in ("search", "search-empty"):
            page.wait_for_selector("#gk-search-results li.gk-result, #gk-search-status:not(:empty)")
        violations = [
            v
            for v in run_axe(page, tags=("best-practice",), impacts=("minor", "moderate", "serious", "critical"))
            if v["id"] not in BEST_PRACTICE_EXCEPTIONS
        ]
        if violations:
            found[name] = violations
    context.close()
    assert found == {}
    assert watched.problems == []


# ----------------------------------------------------------------------------- keyboard and focus


def test_header_search_box_shows_keyboard_focus(desktop: Watched, site_url: str) -> None:
    page = desktop.page
    page.goto(site_url + "catalogue/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "gk-header-q":
            break
    assert page.evaluate("document.activeElement.id") == "gk-header-q"
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert style[0] != "none" and style[1] >= 2
    assert desktop.problems == []


@pytest.mark.parametrize("key", ["Space", "Enter"])
def test_palette_toggle_answers_space_and_enter(desktop: Watched, site_url: str, key: str) -> None:
    page = desktop.page
    page.goto(site_url)
    toggle = page.locator("label[for='__palette_1']")
    assert toggle.get_attribute("tabindex") == "0"
    toggle.focus()
    page.keyboard.press(key)
    wait_until(page, "document.body.getAttribute('data-md-color-scheme') === 'slate'")
    # focus stays on the toggle (the label that now switches back), so the key can undo it
    wait_until(page, "document.activeElement.getAttribute('for') === '__palette_0'")
    page.keyboard.press(key)
    wait_until(page, "document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert desktop.problems == []


def test_large_text_toggle_is_a_pressed_button_kept_across_pages(phone: Watched, site_url: str) -> None:
    page = phone.page
    page.goto(site_url + "catalogue/")
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-content .md-typeset')).fontSize)")
    toggle = page.locator("#gk-text-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.focus()
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-pressed") == "true"
    after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-content .md-typeset')).fontSize)")
    assert after >= before * 1.2
    page.goto(site_url + "topics/")
    assert page.evaluate("document.documentElement.getAttribute('data-gk-text')") == "large"
    assert page.locator("#gk-text-toggle").get_attribute("aria-pressed") == "true"
    page.locator("#gk-text-toggle").press("Enter")
    page.goto(site_url)
    assert page.evaluate("document.documentElement.getAttribute('data-gk-text')") is None
    assert phone.problems == []


def _wait_results(page: Any) -> None:
    page.wait_for_selector("#gk-search-results li.gk-result")
    wait_until(page, "!/正在检索/.test(document.getElementById('gk-search-status').textContent)")


def test_focus_stays_on_the_facet_after_a_facet_click(desktop: Watched, site_url: str) -> None:
    page = desktop.page
    page.goto(site_url + "search/?q=加装电梯")
    _wait_results(page)
    facet = page.locator("#gk-search-facets button.gk-facet__value[data-facet]").first
    key = facet.get_attribute("data-gk-key")
    facet.focus()
    page.keyboard.press("Enter")
    wait_until(page, f"document.querySelector('[data-gk-key=\"{key}\"]')?.getAttribute('aria-pressed') === 'true'")
    assert page.evaluate("document.activeElement.getAttribute('data-gk-key')") == key
    page.keyboard.press("Enter")  # the same control, now pressed: releases the filter
    wait_until(page, f"document.querySelector('[data-gk-key=\"{key}\"]')?.getAttribute('aria-pressed') === 'false'")
    assert page.evaluate("document.activeElement.getAttribute('data-gk-key')") == key
    assert desktop.problems == []


def test_focus_stays_on_the_sort_control_after_sorting(desktop: Watched, site_url: str) -> None:
    page = desktop.page
    page.goto(site_url + "search/?q=加装电梯")
    _wait_results(page)
    page.get_by_role("button", name="按发布日期").click()
    wait_until(page, "document.querySelector('[data-gk-key=\"sort:date\"]')?.getAttribute('aria-pressed') === 'true'")
    assert page.evaluate("document.activeElement.tagName") != "BODY"
    assert page.evaluate("document.activeElement.getAttribute('data-gk-key')") == "sort:date"
    page.get_by_role("button", name="清除全部筛选").count()  # no filter: no clear button
    assert desktop.problems == []


def test_clearing_filters_leaves_focus_on_the_status_line(desktop: Watched, site_url: str) -> None:
    page = desktop.page
    page.goto(site_url + "search/?q=加装电梯")
    _wait_results(page)
    page.locator("#gk-search-facets button.gk-facet__value[data-facet]").first.click()
    page.get_by_role("button", name="清除全部筛选").click()
    wait_until(page, "!document.querySelector('.gk-facet__clear')")
    assert page.evaluate("document.activeElement.id") == "gk-search-status"
    assert desktop.problems == []


@pytest.mark.parametrize("url", ["catalogue/", "interpretations/", "library/", "stats/"])
def test_table_wrappers_are_labelled_keyboard_stops(desktop: Watched, site_url: str, url: str) -> None:
    page = desktop.page
    page.goto(site_url + url)
    wraps = page.locator(".gk-table-wrap")
    assert wraps.count() >= 1
    for k in range(wraps.count()):
        wrap = wraps.nth(k)
        assert wrap.get_attribute("tabindex") == "0"
        assert wrap.get_attribute("role") == "region"
        assert (wrap.get_attribute("aria-label") or "").strip()
    assert desktop.problems == []
