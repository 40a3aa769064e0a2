"""Atom feeds of the newest disclosures and interpretations.

Deterministic: entries are ordered by date then 索引号, and the feed's
``updated`` is the newest item's date, never the wall clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from generator.model.catalogue import Catalogue
from generator.model.entry import Entry, Interpretation, Item
from generator.site import urls as U

FEED_SIZE = 50
FEEDS = {"catalogue": "政府信息公开目录：最新公开", "interpretations": "政策解读：最新发布"}


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


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
    updated = _stamp(items[0].published_date) if items else "1970-01-01T00:00:00+08:00"
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
            f"    <updated>{_stamp(item.published_date)}</updated>",
            f"    <summary>{escape(_summary(item, cat))}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def write_feeds(cat: Catalogue, site_dir: Path) -> None:
    folder = site_dir / "feeds"
    folder.mkdir(parents=True, exist_ok=True)
    sources: dict[str, Sequence[Item]] = {
        "catalogue": cat.newest_entries()[:FEED_SIZE],
        "interpretations": cat.newest_interpretations()[:FEED_SIZE],
    }
    for name, items in sources.items():
        (folder / f"{name}.xml").write_text(render_feed(cat, name, items), encoding="utf-8")
