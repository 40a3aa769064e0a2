"""Extension points of the build, registered in one place.

* :data:`PAGE_SOURCES` — functions ``(catalogue) -> Iterable[StagedPage]`` adding
  pages to the staging tree (the search page, statistics, …).
* :data:`OUTPUT_WRITERS` — functions ``(catalogue, site_dir) -> None`` writing
  machine outputs (search index, feeds, exports, …) into the freshly built
  site folder *before* it is swapped in; an exception aborts the build and
  leaves the previous site untouched.

Every function receives the *public* catalogue only (see Catalogue.public).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from generator.model.catalogue import Catalogue
from generator.site.exports import data_pages, write_exports
from generator.site.feeds import write_feeds
from generator.site.pagetypes import StagedPage
from generator.site.search import search_pages, write_search
from generator.site.stats import stats_pages, write_annual_json

PageSource = Callable[[Catalogue], Iterable[StagedPage]]
OutputWriter = Callable[[Catalogue, Path], None]

PAGE_SOURCES: list[PageSource] = [
    stats_pages,
    data_pages,
    search_pages,
]
OUTPUT_WRITERS: list[OutputWriter] = [
    write_annual_json,
    write_exports,
    write_feeds,
    write_search,
]
