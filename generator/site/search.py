"""The catalogue search: its page (``search/``) and its output writer (index + scripts).

Registered in :mod:`generator.site.outputs`. The page works under a strict
Content-Security-Policy (``script-src 'self'``): scripts are external files, no
inline script or handler. Without JavaScript it says so and points to the
catalogue's browse views.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.site.engine import THEME_DIR, lunr_js_path
from generator.site.engine.config import SEARCH_SCRIPT_NAMES, SEARCH_SCRIPTS_DIR
from generator.site.htmlkit import esc, rel
from generator.site.pagetypes import StagedPage

SEARCH = "search/"
SCRIPTS_DIR = SEARCH_SCRIPTS_DIR  # the page's script tags: theme/main.html, with their versions
SCRIPTS = SEARCH_SCRIPT_NAMES
EXAMPLE_DOC_NUMBER = "澜政办发〔2024〕1号"


def search_pages(cat: Catalogue) -> Iterable[StagedPage]:
    # search_scripts: theme/main.html loads the search scripts on this page, each URL with its
    # file's version (generator/site/engine/config.py: of the file the site serves, a site's
    # own theme/ version included)
    meta = {"ColumnName": "站内检索", "layout": "wide", "search_scripts": "1"}
    yield StagedPage(SEARCH, "站内检索", search_html(cat), meta)


def _example(cat: Catalogue) -> str:
    numbers = [e.doc_number for e in cat.newest_entries() if e.doc_number]
    return numbers[0] if numbers else EXAMPLE_DOC_NUMBER


def search_html(cat: Catalogue) -> str:
    browse = rel(SEARCH, U.CATALOGUE)
    return f"""<h1>站内检索</h1>
<form class="gk-search-form" id="gk-search-form" role="search" action="./" method="get" data-gk-root="{esc(rel(SEARCH, U.HOME))}">
<label for="gk-search-q">检索词</label>
<div class="gk-search-box">
<input type="search" id="gk-search-q" name="q" autocomplete="off" spellcheck="false" aria-describedby="gk-search-help">
<button type="submit">检索</button>
</div>
<p id="gk-search-help" class="gk-search-help">可输入标题或正文中的词句、文号（如 {esc(_example(cat))}）或索引号；多个词用空格分开，结果须包含全部检索词。</p>
</form>
<div class="gk-search-layout">
<div class="gk-search-main">
<p id="gk-search-status" class="gk-search-status" role="status" aria-live="polite"></p>
<ol id="gk-search-results" class="gk-search-results" aria-label="检索结果"></ol>
<div id="gk-search-more" class="gk-search-more"></div>
</div>
<aside id="gk-search-facets" class="gk-search-facets" aria-label="筛选检索结果"></aside>
</div>
<noscript><p class="gk-notice">检索功能需要启用浏览器的 JavaScript。也可以在<a href="{esc(browse)}">信息公开目录</a>中按主题、发布机构、年份和信息类别浏览。</p></noscript>"""


def write_search(
    cat: Catalogue,
    site: Path,
    state: Path | None = None,
    previous: Path | None = None,
    into: dict[str, tuple[str, int, int]] | None = None,
) -> None:
    """Write ``search/`` (index shards, facets, documents) and the search scripts.

    ``state``: a folder of the build cache where the index keeps what the next build
    needs to update it; ``previous``: the last build's ``search/`` folder. With both, a
    build after a few edits computes only the files they change (same bytes either way);
    ``into``: the unchanged ones are noted there for a standby site, not linked into ``site``
    (see :func:`generator.search.index.write_index`).
    """
    write_search_index(cat, site, state, previous, into)
    write_scripts(site)


def write_search_index(
    cat: Catalogue,
    site: Path,
    state: Path | None = None,
    previous: Path | None = None,
    into: dict[str, tuple[str, int, int]] | None = None,
    digests: Mapping[str, tuple[bytes, bytes]] | None = None,
) -> None:
    """The part of :func:`write_search` that reads nothing the engine writes: ``search/``
    without its page (the build may run it beside the pages, in another process).
    ``digests``: the project's :attr:`~generator.project.Project.source_digests`, by which an
    update knows the unchanged items without reading their bodies.

    The index's modules (NumPy among them, ~0.1-0.15 CPU-s to import) are imported here, not
    with this module: a build that updates the index in its process beside the pages imports
    them there, after the fork, not in the build's own process."""
    from generator.search.index import write_index

    write_index(cat, site / "search", U.item_url, state=state, previous=previous, into=into, digests=digests)


def write_scripts(site: Path) -> None:
    """The search scripts, after the engine copied the theme's (a theme's own are kept)."""
    scripts = site / SCRIPTS_DIR
    scripts.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(lunr_js_path(), scripts / "lunr.js")
    for name in SCRIPTS[1:]:
        # A project with its own theme/ may lack the search scripts: use gongkai's.
        if not (scripts / name).is_file():
            shutil.copyfile(THEME_DIR / SCRIPTS_DIR / name, scripts / name)
