"""The URL scheme. Every URL is a directory URL derived from stable identifiers:
索引号 for items, vocabulary slugs for topics and info types, agency ids, years."""

from __future__ import annotations

from urllib.parse import quote

from generator.model.entry import Item
from generator.model.identifiers import slugify_index_no

HOME = ""
CATALOGUE = "catalogue/"
TOPICS = "topics/"
AGENCIES = "agencies/"
YEARS = "years/"
TYPES = "types/"
LIBRARY = "library/"
LIBRARY_REPEALED = "library/repealed/"
INTERPRETATIONS = "interpretations/"
STATS = "stats/"
DATA = "data/"
RESERVED = {
    "catalogue",
    "topics",
    "agencies",
    "years",
    "types",
    "library",
    "interpretations",
    "assets",
    "attachments",
    "media",
    "search",
    "stats",
    "feeds",
    "data",
}


def item_url(item: Item) -> str:
    return index_url(item.index_no, item.kind)


def index_url(index_no: str, kind: str = "entry") -> str:
    base = INTERPRETATIONS if kind == "interpretation" else CATALOGUE
    return f"{base}{slugify_index_no(index_no)}/"


def topic_url(slug: str) -> str:
    return f"{TOPICS}{slug}/"


def agency_url(agency_id: str) -> str:
    return f"{AGENCIES}{agency_id}/"


def year_url(year: int) -> str:
    return f"{YEARS}{year}/"


def type_url(slug: str) -> str:
    return f"{TYPES}{slug}/"


def page_url(slug: str) -> str:
    return f"page-{slug}/" if slug.split("/")[0] in RESERVED else f"{slug}/"


def paged(url: str, page: int) -> str:
    return url if page == 1 else f"{url}page/{page}/"


def to_file(url: str) -> str:
    """Staging Markdown file for a directory URL."""
    return f"{url}index.md" if url else "index.md"


def href(path: str) -> str:
    """A site path (as written to disk) as it must appear in a link: percent-encoded.

    File and page names come from editors (``会议纪要#2.txt``, ``关于我们``): ``#``, ``?``,
    ``%``, spaces, quotes and non-ASCII are encoded (UTF-8), ``/`` is kept. Every link,
    feed, sitemap and export URL built from a path goes through here.
    """
    return quote(path, safe="/")
