"""Atom feeds of the newest disclosures and interpretations.

An item's ``updated`` is the date of its latest change the data record — a validity
event (废止, 失效, 已修改, 施行 …) or a revision note (``history``) — up to the build date,
else its publication date; never the wall clock. Items are ordered by that date (then
publication date, as the catalogue orders them), so a document repealed today comes
back to the top of the feed and reaches feed readers. The feed's ``updated`` is its
newest item's.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.model.entry import Entry, Interpretation, Item

FEED_SIZE = 50
FEEDS = {"catalogue": "政府信息公开目录：最新公开", "interpretations": "政策解读：最新发布"}


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def last_change(item: Item, until: dt.date | None) -> dt.date:
    """The latest dated change of ``item`` up to ``until`` (the build date), or its publication date."""
    events = item.validity_history if isinstance(item, Entry) else ()
    if not item.history and not events:  # most items: max() of the publication date alone
        return item.published_date
    dates = [item.published_date, *(note.date for note in item.history)]
    dates += [event.date for event in events]
    return max(d for d in dates if until is None or d <= until or d == item.published_date)


def newest_changes(items: Sequence[Item], until: dt.date | None, n: int) -> list[Item]:
    """The first ``n`` of ``items`` by newest change; ``items`` (newest publication first) keep
    their order at equal dates. Without sorting all of them (a feed shows 50 of 100k):
    :func:`heapq.nlargest` is documented as equal to ``sorted(…, reverse=True)[:n]``, ties included."""
    return heapq.nlargest(n, items, key=lambda item: last_change(item, until))


def _summary(item: Item, cat: Catalogue) -> str:
    if isinstance(item, Entry):
        parts = [item.doc_number or "", cat.config.agency_name(item.publisher), item.validity or "", item.abstract]
    else:
        assert isinstance(item, Interpretation)
        parts = [item.form, cat.config.agency_name(item.interpreter_org), item.abstract]
    return "；".join(p for p in parts if p)


def render_feed(cat: Catalogue, name: str, items: Sequence[Item]) -> str:
    base = cat.config.url
    feed_url = f"{base}feeds/{name}.xml"
    until = cat.build_date
    updated = _stamp(max(last_change(i, until) for i in items)) if items else "1970-01-01T00:00:00+08:00"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"  <title>{escape(cat.config.name)} — {escape(FEEDS[name])}</title>",
        f"  <id>{escape(feed_url)}</id>",
        f'  <link rel="self" href="{escape(feed_url)}"/>',
        f'  <link rel="alternate" href="{escape(base)}"/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(cat.config.footer.get('sponsor') or cat.config.name)}</name></author>",
    ]
    for item in items:
        url = base + U.href(U.item_url(item))
        lines += [
            "  <entry>",
            f"    <title>{escape(item.title)}</title>",
            f"    <id>{escape(url)}</id>",
            f'    <link rel="alternate" href="{escape(url)}"/>',
            f"    <published>{_stamp(item.published_date)}</published>",
            f"    <updated>{_stamp(last_change(item, until))}</updated>",
            f"    <summary>{escape(_summary(item, cat))}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def write_feeds(cat: Catalogue, site_dir: Path) -> None:
    folder = site_dir / "feeds"
    folder.mkdir(parents=True, exist_ok=True)
    sources: dict[str, Sequence[Item]] = {
        "catalogue": newest_changes(cat.newest_entries(), cat.build_date, FEED_SIZE),
        "interpretations": newest_changes(cat.newest_interpretations(), cat.build_date, FEED_SIZE),
    }
    for name, items in sources.items():
        (folder / f"{name}.xml").write_text(render_feed(cat, name, items), encoding="utf-8")
