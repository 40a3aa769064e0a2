"""What every page builder shares: the base class holding the catalogue view, page jobs
whose builds record their lookups, links, meta tags, badges and small HTML helpers."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from html import unescape
from pathlib import Path
from typing import Any, Concatenate, ParamSpec
from urllib.parse import urljoin

from generator.model import fields as F
from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.model.entry import Item, Page, value_of
from generator.site.body import BodyRenderer
from generator.site.cache import BuildCache
from generator.site.htmlkit import a, esc, iso, rel
from generator.site.lookups import CatalogueView, Summary
from generator.site.pagetypes import PageJob, StagedPage

VALIDITY_CLASS = {"有效": "valid", "尚未生效": "pending", "已修改": "amended", "失效": "expired", "废止": "repealed"}


FILE_KINDS = {
    "pdf": "PDF",
    "ofd": "OFD",
    "doc": "Word",
    "docx": "Word",
    "wps": "WPS",
    "xls": "Excel",
    "xlsx": "Excel",
    "et": "WPS 表格",
    "ppt": "PowerPoint",
    "pptx": "PowerPoint",
    "csv": "CSV",
    "txt": "文本",
    "zip": "ZIP 压缩包",
    "rar": "RAR 压缩包",
    "7z": "7z 压缩包",
    "jpg": "JPEG 图片",
    "jpeg": "JPEG 图片",
    "png": "PNG 图片",
    "gif": "GIF 图片",
    "mp3": "MP3 音频",
    "mp4": "MP4 视频",
}


def file_kind(name: str) -> str:
    """The type of a file as citizens know it, from its extension ("" when it has none)."""
    stem, dot, ext = name.rpartition("/")[2].rpartition(".")
    if not dot or not stem:
        return ""
    ext = ext.lower()
    return FILE_KINDS.get(ext, ext.upper())


def human_size(n: int) -> str:
    """``856 B``, ``12 KB``, ``1.2 MB`` (1 KB = 1024 B, as file managers show)."""
    if n < 1024:
        return f"{n} B"
    size, unit = n / 1024, "KB"
    for bigger in ("MB", "GB"):
        if size >= 1000:  # 1000 KB reads better as 1.0 MB
            size, unit = size / 1024, bigger
    return f"{size:.1f} {unit}" if size < 10 else f"{round(size)} {unit}"


IMG_SRC = re.compile(r'<img\b[^>]*?\bsrc="([^"]+)"')
HEADING = re.compile(r'<h([23]) id="([^"<>]+)">(.*?)</h\1>', re.S)
TAG = re.compile(r"<[^>]+>")
TOC_MIN = 3  # a page with fewer sections needs no table of contents


def contents_box(body: str) -> str:
    """本页目录: links to the rendered body's h2 (and their h3) sections, for long pages such
    as the 公开指南 (6,000 px on a phone). The headings are the renderer's own, already safe."""
    heads = [(int(level), hid, TAG.sub("", text).strip()) for level, hid, text in HEADING.findall(body)]
    if sum(1 for level, _, _ in heads if level == 2) < TOC_MIN:
        return ""
    items: list[str] = []
    open_sub = False
    for level, hid, text in heads:
        link = f'<a href="#{esc(hid)}">{text}</a>'
        if level == 2:
            items.append(("</ol></li>" if open_sub else "</li>") if items else "")
            items.append(f"<li>{link}")
            open_sub = False
        elif items:
            items.append(f"<li>{link}</li>" if open_sub else f"<ol><li>{link}</li>")
            open_sub = True
    items.append("</ol></li>" if open_sub else "</li>")
    return (
        '<nav class="gk-toc" aria-labelledby="gk-toc-h"><h2 id="gk-toc-h">本页目录</h2>'
        f"<ol>{''.join(items)}</ol></nav>\n"
    )


def table_wrap(label: str) -> str:
    """The opening tag of a listing table's wrapper: a labelled region keyboard users can
    reach and scroll (WCAG 2.1.1) when the table is wider than the screen."""
    return f'<div class="gk-table-wrap" tabindex="0" role="region" aria-label="{esc(label)}">'


P = ParamSpec("P")
_Builder = Any  # a PageKit subclass (typed loosely: the decorator is applied in class bodies)


def recorded(method: Callable[Concatenate[_Builder, P], StagedPage]) -> Callable[Concatenate[_Builder, P], StagedPage]:
    """A page-building method: its catalogue lookups are recorded into the page it returns."""

    @functools.wraps(method)
    def build(self: PageKit, *args: P.args, **kwargs: P.kwargs) -> StagedPage:
        with self.cat.recording() as record:
            page = method(self, *args, **kwargs)
        return replace(page, lookups=tuple((name, a, d) for (name, a), d in record.items()))

    return build


def job_input(value: object) -> str:
    """How one argument of a page job enters the page's input key (see :class:`PageJob`)."""
    if isinstance(value, (Item, Page)):
        return f"source:{value.source}"  # the source file's hash stands for the item
    if value is None or isinstance(value, (str, int)):
        return repr(value)
    if isinstance(value, tuple) and all(v is None or isinstance(v, (str, int)) for v in value):
        return repr(value)
    raise TypeError(f"a page job argument of type {type(value).__name__} has no input key")


class PageKit:
    """The state and helpers every page builder shares; the pages are in its subclasses."""

    def __init__(self, cat: Catalogue, cache: BuildCache | None = None, *, root: Path) -> None:
        # the builders read the catalogue only through recorded lookups (generator/site/lookups.py)
        self.cat = CatalogueView(cat, root)
        self.cfg = cat.config
        self.body = BodyRenderer(cache, self.cat.hidden_target)
        self._frozen = True

    def __setattr__(self, name: str, value: Any) -> None:
        # what a builder learns while planning must reach a page as a job argument (part of its
        # key), never as builder state read later, unrecorded
        if getattr(self, "_frozen", False):
            raise AttributeError(f"a page builder holds no state besides the catalogue view ({name})")
        super().__setattr__(name, value)

    def job(self, url: str, method: Callable[..., StagedPage], *args: Any, search: bool = False) -> PageJob:
        """A page built later by a :func:`recorded` ``method`` of this builder from ``args``."""
        inputs = (method.__name__, *(job_input(arg) for arg in args))
        return PageJob(url, partial(method, *args), search=search, inputs=inputs)

    def link_to(self, here: str, item: Item | Summary) -> str:
        url = item.url if isinstance(item, Summary) else U.item_url(item)
        return a(rel(here, url), item.title)

    # 47号 网页设计规范 meta tags (docs/citizens.md): values from the data only, omitted when unknown.
    def article_meta(self, here: str, html: str, author: str | None = None) -> dict[str, str]:
        """Url (the page's address on the configured site), Image (the body's first image),
        Author (when the data name one)."""
        meta = {"Url": self.cfg.url + here}
        body = html[html.find('<div class="gk-body">') :] if '<div class="gk-body">' in html else ""
        image = IMG_SRC.search(body)
        if image and not image.group(1).startswith(("data:", "#")):
            meta["Image"] = urljoin(self.cfg.url + here, unescape(image.group(1)))
        if author:
            meta["Author"] = author
        return meta

    def column_meta(self, column: str, keywords: Sequence[str] = (), description: str = "") -> dict[str, str]:
        """ColumnName, ColumnType (47号's four column types: this site has 信息发布 and 解读回应
        columns), ColumnKeywords and ColumnDescription when the data give them."""
        meta = {"ColumnName": column, "ColumnType": "解读回应" if column == "政策解读" else "信息发布"}
        if keywords:
            meta["ColumnKeywords"] = ",".join(keywords)
        if description:
            meta["ColumnDescription"] = description
        return meta

    def file_info(self, source: str) -> str:
        """``PDF · 1.2 MB``: a file's type (from its name) and size (from the file itself)."""
        kind = file_kind(source)
        n = self.cat.file_size(source)
        size = human_size(n) if n is not None else ""  # unreadable: check reports a referenced one (E027)
        return " · ".join(part for part in (kind, size) if part)

    def validity_badge(self, validity: str | None) -> str:
        if not validity:
            return ""
        return f'<span class="gk-badge gk-badge--{VALIDITY_CLASS.get(validity, "other")}">{esc(validity)}</span>'

    def type_slug(self, name: str) -> str:
        term = self.cfg.vocab.info_types.get(name)
        return term.slug if term else "other"

    def meta_rows(self, item: Item, here: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(grid rows, full-width rows) of the metadata table, derived from the field registry
        (model/fields.py ``Field.meta``). A field without ``always`` is shown only as entered
        (公开范围 and 公开时限 included: never a default nobody entered)."""
        rows: list[tuple[str, str]] = []
        wide: list[tuple[str, str]] = []
        for fld in F.meta_fields(item.kind):
            assert fld.meta is not None
            value = value_of(item, fld.name)
            if not value and not fld.meta.always:
                continue
            (wide if fld.meta.wide else rows).append((fld.label, self.meta_value(fld, value, here)))
        return rows, wide

    def meta_value(self, fld: F.Field, value: Any, here: str) -> str:
        """One metadata cell, by the field's type (a few fields link or badge their value)."""
        if fld.name == "validity":
            return self.validity_badge(value) if value else ""
        if fld.name == "info_type":
            return a(rel(here, U.type_url(self.type_slug(value))), value)
        if fld.type == "agency":
            return a(rel(here, U.agency_url(value)), self.cfg.agency_name(value))
        if fld.type == "agency_list":
            return esc("、".join(self.cfg.agency_name(i) for i in value))
        if fld.type == "date":
            return iso(value)
        if fld.type == "topics":
            return "；".join(esc(f"{t1}\\{t2}" if t2 else t1) for t1, t2 in value)
        if isinstance(value, (list, tuple)):
            return esc("、".join(value))
        return esc(value or "")

    def history(self, item: Item) -> str:
        if not item.history:
            return ""
        items = "".join(
            f'<li><time datetime="{iso(n.date)}">{iso(n.date)}</time> {esc(n.note)}</li>' for n in item.history
        )
        return (
            f'<section class="gk-history" aria-labelledby="gk-history-h"><h2 id="gk-history-h">变更记录</h2>'
            f"<ol>{items}</ol></section>"
        )
