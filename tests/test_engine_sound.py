"""The skeleton fast path is sound: a theme that uses page data in any way other than
printing it gives byte-identical pages with and without skeletons, because the probe
renders refuse that page shape (counted in ``Engine.skeletons.refused``).

Each case renders every page of a generated catalogue twice through the engine — with
and without skeletons — with a ``theme/`` override added to ``extrahead``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from bench.make_corpus import generate
from generator.project import load_project
from generator.site import build as B
from generator.site.engine import THEME_DIR, Engine, engine_config, shipped_theme
from generator.site.outputs import PAGE_SOURCES
from generator.site.pages import PageBuilder, StagedPage

GUARD = "{%- if page and page.meta and page.meta.gk and page.meta.gk.PubDate %}"

# Overrides that branch on, or transform, page data: each must refuse the catalogue's shape.
BRANCHING = {
    # the override quoted in issue 16: 158 of 330 pages came out wrong
    "length": '{% if page.meta.gk.ArticleTitle|length > 26 %}<meta name="gk-long" content="1">{% endif %}',
    "title_method": "{% if page.meta.title.startswith('青禾市人民政府') %}<meta name=\"gk-t\">{% endif %}",
    "meta_equality": "{% if page.meta.gk.ContentSource == '青禾市人民政府' %}<meta name=\"gk-eq\">{% endif %}",
    "meta_not_equal": "{% if page.meta.gk.ContentSource != '青禾市人民政府' %}<meta name=\"gk-ne\">{% endif %}",
    "order": "{% if page.meta.gk.PubDate < '2021' %}<meta name=\"gk-old\">{% endif %}",
    "truncate": '<meta name="gk-short" content="{{ page.meta.gk.ArticleTitle | truncate(14) }}">',
    "escaped_length": '{% if (page.meta.title | e) | length > 30 %}<meta name="gk-el">{% endif %}',
    "loop_meta_list": '{% for k in page.meta.gk.Keywords.split(\',\') %}<meta name="kw" content="{{ k }}">{% endfor %}',
    "loop_chars": "{% for c in page.meta.gk.PubDate %}{% if c == '3' %}3{% endif %}{% endfor %}",
    "in_value": "{% if '2023' in page.meta.gk.PubDate %}<meta name=\"gk-2023\">{% endif %}",
    "value_in_list": "{% if page.meta.gk.ContentSource in ['青禾市人民政府', '青禾市教育局'] %}<meta name=\"gk-in\">{% endif %}",
    "value_in_string": "{% if page.meta.gk.PubDate in '2016-01-05 2017-03-01' %}<meta name=\"gk-ins\">{% endif %}",
    "slice": "{% if page.meta.gk.PubDate[:4] == '2024' %}<meta name=\"gk-2024\">{% endif %}",
    "concat": "{% if (page.meta.title ~ '') | length > 26 %}<meta name=\"gk-cat\">{% endif %}",
    "format": "{% if ('%s' % page.meta.title) | length > 26 %}<meta name=\"gk-fmt\">{% endif %}",
    "set_block": '{% set t %}{{ page.meta.title }}{% endset %}{% if t | length > 26 %}<meta name="gk-set">{% endif %}',
    "macro": '{% macro m(x) %}{{ x }}{% endmacro %}{% if m(page.meta.title) | length > 26 %}<meta name="gk-m">{% endif %}',
    "filter_block": "{% filter upper %}{{ page.meta.gk.ArticleTitle }}{% endfilter %}",
    "dict_lookup": "{{ {'青禾市人民政府': 'A'}.get(page.meta.gk.ContentSource, 'B') }}",
    "dictsort_by_value": "{% for k, v in page.meta.gk | dictsort(by='value') %}{{ k }}{% endfor %}",
    "url_method": "{% if page.url.endswith('1/') %}<meta name=\"gk-url\">{% endif %}",
    "url_in": "{% if '2016' in page.url %}<meta name=\"gk-u16\">{% endif %}",
    "url_left_in": "{% if page.url in 'catalogue/007100001-2016-00001/' %}<meta name=\"gk-ul\">{% endif %}",
    "url_length": '{% if page.canonical_url | length > 60 + page.meta.gk.Keywords | length %}<meta name="gk-ulen">{% endif %}',
    "url_concat": "{% if (page.abs_url ~ '') | length > 30 %}<meta name=\"gk-uc\">{% endif %}",
    "file": "{% if page.file.src_uri.endswith('1/index.md') %}<meta name=\"gk-f\">{% endif %}",
    "test": "{% if page.meta.gk.ArticleTitle is sameas page.meta.title %}x{% elif page.meta.title is lower %}y{% endif %}",
    "probe_internals": '{% if page.meta.title.text | length > 26 %}<meta name="gk-pi">{% endif %}',
    "file_internals": '{% if page.file._file is defined %}<meta name="gk-ff">{% endif %}',
    "join_method": "{% if ''.join([page.url]) | length > 40 %}<meta name=\"gk-j\">{% endif %}",
    "python_call": "{% if ('x' ~ page.meta.gk.PubDate).startswith('x2024') %}<meta name=\"gk-pc\">{% endif %}",
    "macro_branch": (
        "{% macro big(x) %}{% if x | length > 26 %}L{% endif %}{% endmacro %}{{ big(page.meta.gk.ArticleTitle) }}"
    ),
    "content_length": '{% if page.content | length > 3000 %}<meta name="gk-big">{% endif %}',
}

# An override in the site_meta block whose super() output (which prints the canonical URL) is measured.
SUPER = (
    "{% block site_meta %}{% set s = super() %}{{ s }}"
    '{% if "-2016-" in s %}<meta name="gk-super">{% endif %}{% endblock %}'
)

# Overrides that only print page data: the fast path stays on.
PRINTING = {
    "print": '<meta name="gk-title" content="{{ page.meta.title | e }}"><meta name="u" content="{{ page.url }}">',
    "truth": '{% if page.meta.gk.Keywords %}<meta name="gk-kw" content="{{ page.meta.gk.Keywords | e }}">{% endif %}',
    "default": '<meta name="gk-d" content="{{ page.meta.gk.Description | d("-", true) | e }}">',
    "super": "{{ super() }}",
    "autoescape": (
        '{% autoescape true %}<meta name="gk-ae" content="{{ page.meta.title | e }}{{ page.meta.gk.ArticleTitle }}'
        '{{ page.canonical_url | e }}">{% endautoescape %}'
    ),
}


def staged_corpus(root: Path, entries: int, seed: int) -> tuple[Any, Any, list[StagedPage]]:
    """A generated catalogue of ``entries`` in ``root``: its project, public catalogue and every staged page."""
    generate(entries, root, seed=seed)
    project = load_project(root, dt.date(2026, 1, 15))
    catalogue = project.public()
    pages = [job.build() for job in PageBuilder(catalogue, root=root).jobs()]
    pages += [page for source in PAGE_SOURCES for page in source(catalogue)]
    return project, catalogue, pages


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, list[StagedPage]]:
    return staged_corpus(tmp_path_factory.mktemp("sound") / "c", 260, seed=11)


def theme_with(tmp: Path, extrahead: str = "", block: str = "") -> Path:
    theme = tmp / "theme"
    shutil.copytree(THEME_DIR, theme)
    main = theme / "main.html"
    text = main.read_text(encoding="utf-8")
    if extrahead:
        text = text.replace("{% block extrahead %}", "{% block extrahead %}" + GUARD + extrahead + "{%- endif %}")
    main.write_text(text + block, encoding="utf-8")
    return theme


def render_all(corpus: Any, theme: Path, work: Path, skeletons: bool) -> tuple[dict[str, bytes], Engine]:
    project, catalogue, pages = corpus
    (work / "docs").mkdir(parents=True)
    settings = engine_config(project.config, work / "docs", work / "site", B._nav_pages(catalogue), theme)
    engine = Engine(settings, work / "mkdocs.yml", [page.url for page in pages], skeletons=skeletons)
    # The shortest entry title first: the first page of the shape agrees with the probe
    # values on most of the conditions above, so a sampled check would not notice them.
    # Only item pages can take a skeleton; listing pages are rendered in full either way.
    items = [
        page for page in pages if page.url.startswith(("catalogue/", "interpretations/")) and page.url.count("/") == 2
    ]
    order = sorted(items, key=lambda page: (page.url.startswith("catalogue/"), len(page.title), page.url))
    try:
        return {page.url: engine.render(page) for page in order}, engine
    finally:
        engine.abort()


def wrong(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    assert a.keys() == b.keys()
    return sorted(url for url in a if a[url] != b[url])


def entry_shapes(engine: Engine) -> tuple[dict[Any, str], int]:
    assert engine.skeletons is not None
    refused = {key: why for key, why in engine.skeletons.refused.items() if key[0] == "catalogue/"}
    return refused, engine.skeletons.filled


@pytest.mark.parametrize("name", sorted(BRANCHING))
def test_theme_branching_on_page_data_gives_the_same_pages(corpus: Any, tmp_path: Path, name: str) -> None:
    theme = theme_with(tmp_path, BRANCHING[name])
    fast, engine = render_all(corpus, theme, tmp_path / "fast", skeletons=True)
    full, _ = render_all(corpus, theme, tmp_path / "full", skeletons=False)
    assert wrong(fast, full) == []
    refused, _ = entry_shapes(engine)
    assert refused, "the fallback (full rendering) was not taken"
    assert not engine.shipped_theme


def test_measuring_super_output_gives_the_same_pages(corpus: Any, tmp_path: Path) -> None:
    theme = theme_with(tmp_path)
    main = theme / "main.html"
    text = main.read_text(encoding="utf-8")
    start, end = text.index("{% block site_meta %}"), text.index("{% endblock %}", text.index("{% block site_meta %}"))
    main.write_text(text[:start] + SUPER + text[end + len("{% endblock %}") :], encoding="utf-8")
    fast, engine = render_all(corpus, theme, tmp_path / "fast", skeletons=True)
    full, _ = render_all(corpus, theme, tmp_path / "full", skeletons=False)
    assert wrong(fast, full) == []
    assert b'name="gk-super"' in b"".join(full.values())
    assert entry_shapes(engine)[0]


@pytest.mark.parametrize("name", sorted(PRINTING))
def test_printing_page_data_keeps_the_fast_path(corpus: Any, tmp_path: Path, name: str) -> None:
    theme = theme_with(tmp_path, PRINTING[name])
    fast, engine = render_all(corpus, theme, tmp_path / "fast", skeletons=True)
    full, _ = render_all(corpus, theme, tmp_path / "full", skeletons=False)
    assert wrong(fast, full) == []
    refused, filled = entry_shapes(engine)
    assert refused == {}
    assert filled > 200


def test_shipped_theme_keeps_the_fast_path(corpus: Any, tmp_path: Path) -> None:
    fast, engine = render_all(corpus, THEME_DIR, tmp_path / "fast", skeletons=True)
    full, _ = render_all(corpus, THEME_DIR, tmp_path / "full", skeletons=False)
    assert wrong(fast, full) == []
    assert engine.shipped_theme
    assert entry_shapes(engine)[0] == {}
    assert entry_shapes(engine)[1] > 200
    # a shell is learnt once per shape, not per page: a per-page value outside the filled slots
    # (it once was the 当前位置 trail) makes every page a shape and costs three renders a page
    assert engine.skeletons is not None and len(engine.skeletons.shapes) < 10


def test_same_as_shipped_is_decided_by_content_not_path(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(THEME_DIR, copy)
    assert shipped_theme(THEME_DIR)
    assert shipped_theme(copy)  # a merged folder holding the shipped files is the shipped theme
    (copy / "partials" / "extra.html").write_text("x", encoding="utf-8")
    assert not shipped_theme(copy)
    (copy / "partials" / "extra.html").unlink()
    header = copy / "partials" / "header.html"
    header.write_text(header.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert not shipped_theme(copy)


# Overrides that branch on data of listing pages (their title, URL): the shape is refused there too.
LISTING_BRANCHING = {
    "title length": '{% if page.meta.title | length > 6 %}<meta name="gk-long">{% endif %}',
    "url compared": '{% if page.url.endswith("/2/") %}<meta name="gk-second">{% endif %}',
    "crumbs searched": '{% if "按年份" in page.meta.gk.crumbs %}<meta name="gk-year">{% endif %}',
}


def render_listings(corpus: Any, theme: Path, work: Path, skeletons: bool) -> tuple[dict[str, bytes], Engine]:
    """Every page rendered outside the parent that is not an item page: the listing pages."""
    project, catalogue, pages = corpus
    (work / "docs").mkdir(parents=True)
    settings = engine_config(project.config, work / "docs", work / "site", B._nav_pages(catalogue), theme)
    engine = Engine(settings, work / "mkdocs.yml", [page.url for page in pages], skeletons=skeletons)
    listings = [
        page
        for page in pages
        if not engine.in_parent(page)
        and not (page.url.startswith(("catalogue/", "interpretations/")) and page.url.count("/") == 2)
    ]
    try:
        return {page.url: engine.render(page) for page in sorted(listings, key=lambda p: len(p.title))}, engine
    finally:
        engine.abort()


def listing_shapes(engine: Engine) -> tuple[int, int]:
    """(listing shapes refused, listing pages filled from a skeleton)."""
    assert engine.skeletons is not None
    shapes = {k: v for k, v in engine.skeletons.shapes.items() if k[0] not in ("catalogue/", "interpretations/")}
    return sum(1 for v in shapes.values() if v is None), sum(v.rendered for v in shapes.values() if v is not None)


def test_listing_pages_take_skeletons_with_the_shipped_theme(corpus: Any, tmp_path: Path) -> None:
    fast, engine = render_listings(corpus, THEME_DIR, tmp_path / "fast", skeletons=True)
    full, _ = render_listings(corpus, THEME_DIR, tmp_path / "full", skeletons=False)
    assert len(fast) > 50
    assert wrong(fast, full) == []
    refused, filled = listing_shapes(engine)
    assert refused == 0
    assert filled > 20  # folders of 5+ listing pages (topics/…/page/) are filled, not rendered in full


@pytest.mark.parametrize("name", sorted(LISTING_BRANCHING))
def test_theme_branching_on_listing_data_gives_the_same_pages(corpus: Any, tmp_path: Path, name: str) -> None:
    theme = theme_with(tmp_path, block="")
    main = theme / "main.html"
    text = main.read_text(encoding="utf-8")
    main.write_text(text.replace("{% block extrahead %}", "{% block extrahead %}" + LISTING_BRANCHING[name]), "utf-8")
    fast, engine = render_listings(corpus, theme, tmp_path / "fast", skeletons=True)
    full, _ = render_listings(corpus, theme, tmp_path / "full", skeletons=False)
    assert wrong(fast, full) == []
    assert listing_shapes(engine)[0] > 0, "the fallback (full rendering) was not taken"
