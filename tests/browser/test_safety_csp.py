"""The Content-Security-Policy holds on real pages, and the pages still work under it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.site.engine import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.browser


def pages_to_visit(site: Path) -> list[str]:
    """Representative pages of every kind, and any search page other outputs add."""
    entry = next(p for p in sorted((site / "catalogue").iterdir()) if (p / "index.html").is_file())
    interp = next(p for p in sorted((site / "interpretations").iterdir()) if (p / "index.html").is_file())
    # (404.html is left out: it uses absolute URLs under site.url's path, /xxgk/, not served here)
    urls = ["", "catalogue/", "topics/", "agencies/", "library/", "interpretations/", "guide/"]
    urls += [f"catalogue/{entry.name}/", f"interpretations/{interp.name}/"]
    urls += [
        p.parent.relative_to(site).as_posix() + "/"
        for p in sorted(site.rglob("index.html"))
        if "search" in p.relative_to(site).as_posix()
    ]
    return urls


def test_no_csp_violation_on_any_kind_of_page(sample_site: Path, sample_url: str, safety_page: Any) -> None:
    page = safety_page.page
    for url in pages_to_visit(sample_site):
        page.goto(sample_url + url)
        page.wait_for_load_state("networkidle")
        meta = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        assert meta == CONTENT_SECURITY_POLICY, url
        assert page.evaluate("typeof __md_get") == "function", url  # Material's bootstrap ran from its file
        assert safety_page.csp_violations() == [], url
    assert safety_page.errors == []


def test_palette_toggle_works_and_is_remembered(sample_url: str, safety_page: Any) -> None:
    page = safety_page.page
    page.goto(sample_url + "catalogue/")
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    toggled = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert toggled != scheme
    page.goto(sample_url + "interpretations/")  # restored from storage by md-palette.js
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == toggled
    assert safety_page.csp_violations() == []
    assert safety_page.errors == []


def test_table_sort_and_navigation_work(sample_url: str, safety_page: Any) -> None:
    page = safety_page.page
    page.goto(sample_url + "catalogue/")
    header = page.locator("table[data-gk-sortable] thead th").nth(3)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    page.locator(".md-tabs__link", has_text="政策解读").first.click()
    page.wait_for_url("**/interpretations/")
    assert page.locator("h1").first.inner_text() == "政策解读"
    assert safety_page.csp_violations() == []
    assert safety_page.errors == []


def test_header_search_works_under_the_policy(sample_url: str, safety_page: Any, safety_search: Any) -> None:
    page = safety_page.page
    page.goto(sample_url)
    page.wait_for_load_state("networkidle")
    assert safety_search(page, "政务公开") > 0
    assert safety_page.csp_violations() == []
    assert safety_page.errors == []
