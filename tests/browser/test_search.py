"""A citizen searching the built sample site in real Chromium, under the site's strict CSP.

Queries are derived from whatever sample content the repository holds: an entry's title
words, a phrase of its body, its 文号 in three bracket styles, its 索引号.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.search_helpers import CJK_RUN, documents, page_parts

pytestmark = pytest.mark.browser

DOC_NUMBER = re.compile(r"^(?P<prefix>.+?)〔(?P<year>\d{4})〕(?P<num>\d+)号$")


@pytest.fixture(scope="module")
def docs(sample_site: Path) -> dict[str, dict[str, Any]]:
    found = documents(sample_site)
    if not found:
        pytest.skip("the repository has no sample content")
    return found


@pytest.fixture(scope="module")
def numbered(docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """An entry with a standard 文号, repealed if the sample has one."""
    candidates = sorted(
        (d for d in docs.values() if DOC_NUMBER.match(d["n"])), key=lambda d: (d["v"] != "废止", d["i"])
    )
    if not candidates:
        pytest.skip("no sample entry with a 文号")
    return candidates[0]


def own_errors(page: Any) -> list[str]:
    """Page errors not caused by Material's inline scripts (blocked by the CSP, fixed elsewhere)."""
    return [e for e in page.js_errors if "__md_" not in e]


def search(page: Any, url: str, query: str) -> None:
    if "/search/" not in page.url:
        page.goto(url + "search/")
    box = page.locator("#gk-search-q")
    box.fill(query)
    box.dispatch_event("input")  # IME-style commits may fire no key events
    page.wait_for_function(
        "q => document.getElementById('gk-search-status').textContent.indexOf(q) >= 0"
        " || document.querySelector('.gk-search-empty') !== null",
        arg=query,
    )


def result_titles(page: Any) -> list[str]:
    return page.locator(".gk-result__title").all_inner_texts()


def test_title_words_find_the_entry_with_highlights(csp_page: Any, sample_url: str, numbered: dict[str, Any]) -> None:
    runs = CJK_RUN.findall(numbered["t"])
    longest = max(runs, key=len)
    query = f"{longest[:2]} {longest[-3:]}"
    search(csp_page, sample_url, query)
    assert numbered["t"] in result_titles(csp_page)
    assert csp_page.locator(".gk-result__title mark").count() > 0
    assert own_errors(csp_page) == []
    assert not [v for v in csp_page.csp_violations if "search" in v]


def test_a_body_phrase_finds_the_entry(
    csp_page: Any, sample_url: str, sample_site: Path, numbered: dict[str, Any]
) -> None:
    _, body = page_parts(sample_site, numbered["u"])
    phrase = max(CJK_RUN.findall(body), key=len)[:6]
    search(csp_page, sample_url, phrase)
    assert numbered["t"] in result_titles(csp_page)
    assert csp_page.locator(".gk-result__snippet mark").count() > 0


@pytest.mark.parametrize("style", ["[{y}]{n}号", "【{y}】{n}号", "{y}年{n}号"])
def test_a_doc_number_in_any_bracket_style_ranks_its_entry_first(
    csp_page: Any, sample_url: str, numbered: dict[str, Any], style: str
) -> None:
    m = DOC_NUMBER.match(numbered["n"])
    assert m
    search(csp_page, sample_url, m["prefix"] + style.format(y=m["year"], n=m["num"]))
    first = csp_page.locator(".gk-result").first
    assert first.locator(".gk-result__title").inner_text() == numbered["t"]
    assert "完全匹配" in first.inner_text()


def test_an_index_number_ranks_its_item_first(csp_page: Any, sample_url: str, docs: dict[str, dict[str, Any]]) -> None:
    doc = sorted(docs.values(), key=lambda d: d["i"])[len(docs) // 2]
    search(csp_page, sample_url, doc["i"])
    assert result_titles(csp_page)[0] == doc["t"]


def test_a_repealed_document_is_marked(csp_page: Any, sample_url: str, docs: dict[str, dict[str, Any]]) -> None:
    repealed = [d for d in docs.values() if d["v"] in ("废止", "失效")]
    if not repealed:
        pytest.skip("no repealed or expired sample entry")
    doc = repealed[0]
    search(csp_page, sample_url, doc["t"])
    # by its title: another result's snippet may quote the title (a policy that repeals it)
    item = csp_page.locator(".gk-result", has=csp_page.locator(".gk-result__title", has_text=doc["t"])).first
    badge = item.locator(".gk-badge--repealed, .gk-badge--expired")
    assert badge.inner_text() == doc["v"]
    assert badge.evaluate("e => getComputedStyle(e).fontWeight") in ("700", "bold")


def count(page: Any) -> int:
    return page.locator(".gk-result").count() + (
        int(re.search(r"还有 (\d+) 条", page.locator("#gk-search-more").inner_text() or "还有 0 条")[1])  # type: ignore[index]
        if page.locator("#gk-search-more button").count()
        else 0
    )


def test_facets_filter_clear_and_live_in_a_shareable_url(
    csp_page: Any, chromium: Any, sample_url: str, docs: dict[str, dict[str, Any]]
) -> None:
    agencies = sorted({d["a"] for d in docs.values()})
    query = CJK_RUN.findall(agencies[0])[0][:2]  # the city name: in nearly every item
    search(csp_page, sample_url, query)
    total = count(csp_page)
    facet = csp_page.locator('section[data-facet="agency"] button').last
    label, expected = facet.inner_text().rsplit(" ", 1)
    facet.click()
    csp_page.wait_for_function("() => location.search.indexOf('agency=') >= 0")
    filtered = "() => document.getElementById('gk-search-status').textContent.indexOf('已筛选') >= 0"
    csp_page.wait_for_function(filtered)
    assert count(csp_page) == int(expected)
    assert all(label in m for m in csp_page.locator(".gk-result__meta").all_inner_texts())
    assert parse_qs(urlparse(csp_page.url).query)["agency"] == [label]
    shared, titles = csp_page.url, result_titles(csp_page)

    other = chromium.new_page()
    other.goto(shared)
    other.wait_for_function(filtered)
    assert other.locator(".gk-result__title").all_inner_texts() == titles
    assert other.locator("#gk-search-q").input_value() == query
    other.close()

    csp_page.go_back()
    csp_page.wait_for_function("() => location.search.indexOf('agency=') < 0")
    csp_page.wait_for_function(f"() => document.querySelectorAll('.gk-result').length === {min(total, 20)}")
    facet = csp_page.locator('section[data-facet="agency"] button').last
    facet.click()
    csp_page.wait_for_function(filtered)
    csp_page.get_by_role("button", name="清除全部筛选").click()
    csp_page.wait_for_function("() => location.search.indexOf('agency=') < 0")
    csp_page.wait_for_function(f"() => document.querySelectorAll('.gk-result').length === {min(total, 20)}")
    assert count(csp_page) == total


def test_follow_a_result_by_keyboard(csp_page: Any, sample_url: str, numbered: dict[str, Any]) -> None:
    search(csp_page, sample_url, numbered["n"])
    csp_page.locator("#gk-search-q").focus()
    csp_page.keyboard.press("ArrowDown")
    focused = csp_page.evaluate("document.activeElement.textContent")
    assert focused == numbered["t"]
    csp_page.keyboard.press("Enter")
    csp_page.wait_for_url(re.compile(re.escape(numbered["u"]) + "$"))
    assert csp_page.locator("h1").first.inner_text() == numbered["t"]


def test_no_results_explain_and_suggest(csp_page: Any, sample_url: str, docs: dict[str, dict[str, Any]]) -> None:
    search(csp_page, sample_url, "zzqqxxyy")
    assert "没有找到" in csp_page.locator(".gk-search-empty").inner_text()
    doc = next(iter(docs.values()))
    year = doc["d"][:4]
    other_year = next((d["d"][:4] for d in docs.values() if d["d"][:4] != year), None)
    if other_year is None:
        return
    csp_page.goto(f"{sample_url}search/?q={doc['t']}&year={other_year}")
    csp_page.wait_for_selector(".gk-search-empty, .gk-result")
    if csp_page.locator(".gk-search-empty").count():
        suggestion = csp_page.locator(".gk-search-suggestion", has_text="去掉筛选条件")
        suggestion.first.click()
        csp_page.wait_for_selector(".gk-result")
        assert doc["t"] in result_titles(csp_page)


def test_the_header_box_leads_to_the_catalogue_search(csp_page: Any, sample_url: str, numbered: dict[str, Any]) -> None:
    csp_page.goto(sample_url)
    box = csp_page.get_by_role("search").get_by_role("searchbox")
    box.fill(numbered["n"])
    box.press("Enter")
    csp_page.wait_for_url(re.compile(r"/search/\?q="))
    csp_page.wait_for_selector(".gk-result")
    assert result_titles(csp_page)[0] == numbered["t"]
    assert csp_page.locator("#gk-search-q").input_value() == numbered["n"]
    assert csp_page.locator(".md-search").count() == 0  # Material's own search dialog is gone


def test_the_same_search_again_keeps_the_results_and_the_focus(
    csp_page: Any, sample_url: str, numbered: dict[str, Any]
) -> None:
    """An input event that changes nothing (an IME commit; the page's first search and a keystroke's
    pending one) must not draw the results again: a keyboard user's focus stays on the result."""
    search(csp_page, sample_url, numbered["n"])
    csp_page.locator("#gk-search-q").focus()
    csp_page.keyboard.press("ArrowDown")
    csp_page.evaluate("document.activeElement.dataset.gkMark = 'first'")
    csp_page.locator("#gk-search-q").dispatch_event("input")
    csp_page.wait_for_timeout(1000)  # past the typing delay (150 ms) and a search: nothing may happen
    assert csp_page.evaluate("document.activeElement.dataset.gkMark || ''") == "first"
    csp_page.keyboard.press("Enter")
    csp_page.wait_for_url(re.compile(re.escape(numbered["u"]) + "$"))


def test_show_more_continues_the_whole_order(
    csp_page: Any, sample_url: str, sample_site: Path, docs: dict[str, dict[str, Any]]
) -> None:
    """The page sorts only its first page before showing it (engine.search(…, first)); the
    results shown after "显示更多" continue the whole relevance order, none twice, none lost."""
    from tests.search_helpers import run_queries

    agencies = sorted({d["a"] for d in docs.values()})
    query = CJK_RUN.findall(agencies[0])[0][:2]  # the city name: in nearly every item
    whole = [docs[ref]["u"] for ref in run_queries(sample_site, [{"q": query}])[0]["refs"]]
    if len(whole) <= 20:
        pytest.skip("the sample has one page of results for its city name")
    search(csp_page, sample_url, query)
    while csp_page.locator("#gk-search-more button").count():
        expected = min(len(whole), csp_page.locator(".gk-result").count() + 20)
        csp_page.locator("#gk-search-more button").click()
        csp_page.wait_for_function(
            "([n, all]) => document.querySelectorAll('.gk-result').length === n"
            " && (n === all || document.querySelector('#gk-search-more button') !== null)",
            arg=[expected, len(whole)],
        )
    links = csp_page.locator(".gk-result__title a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert [link.split("../", 1)[-1].lstrip("/") for link in links] == [u.lstrip("/") for u in whole]
    assert not own_errors(csp_page)
