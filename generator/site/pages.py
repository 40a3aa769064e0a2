"""Page builders: the public catalogue → staged pages (HTML fragments + page meta).

Nothing here knows MkDocs; :mod:`generator.site.engine` turns staged pages into
the engine's docs tree. All content text is escaped (:func:`esc`) or, for
editor-written bodies, rendered by :mod:`generator.site.body` and sanitized.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from generator.model import fields as F
from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.model.entry import Entry, Interpretation, Item, Page, value_of
from generator.site.body import BodyRenderer
from generator.site.cache import BuildCache
from generator.site.htmlkit import a, cn_date, esc, iso, join, rel

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


@dataclass(frozen=True)
class StagedPage:
    url: str
    title: str
    html: str
    meta: dict[str, str] = field(default_factory=dict)
    files: tuple[tuple[str, str], ...] = ()  # (source path relative to root, target path in site)
    search: bool = True  # False: left out of the engine's own search index (item and listing pages)


@dataclass(frozen=True)
class PageJob:
    """A page whose URL is known before it is built: builds may run later, in another process."""

    url: str
    build: Callable[[], StagedPage]
    search: bool = False  # the page's StagedPage.search, known before it is built

    @classmethod
    def ready(cls, page: StagedPage) -> PageJob:
        return cls(page.url, lambda: page, page.search)


class PageBuilder:
    def __init__(self, cat: Catalogue, cache: BuildCache | None = None, *, root: Path) -> None:
        self.cat = cat
        self.cfg = cat.config
        self.body = BodyRenderer(cache, cat.hidden)
        self.root = root  # the project folder: attachment sizes are read from it

    def jobs(self) -> list[PageJob]:
        """Every page of the site, in a stable order, each built only when asked."""
        jobs = [PageJob.ready(self.site_home()), PageJob.ready(self.catalogue_home())]
        for section in (
            self.topic_pages,
            self.agency_pages,
            self.year_pages,
            self.type_pages,
            self.library_pages,
            self.interpretation_listing,
        ):
            jobs.extend(section())
        for page in self.cat.pages:
            jobs.append(PageJob(U.page_url(page.slug), partial(self.content_page, page), search=True))
        for entry in self.cat.entries.values():
            jobs.append(PageJob(U.item_url(entry), partial(self.entry_page, entry)))
        for interp in self.cat.interpretations.values():
            jobs.append(PageJob(U.item_url(interp), partial(self.interpretation_page, interp)))
        return jobs

    def content_page(self, page: Page) -> StagedPage:
        body = self.body.render(page.body, page.source, 1)
        return StagedPage(
            U.page_url(page.slug),
            page.title,
            f"<h1>{esc(page.title)}</h1>\n{contents_box(body)}{body}",
            self.column_meta(page.title),
        )

    # ----------------------------------------------------------- item pages
    def link_to(self, here: str, item: Item) -> str:
        return a(rel(here, U.item_url(item)), item.title)

    def entry_page(self, e: Entry) -> StagedPage:
        here = U.item_url(e)
        parts = [f"<h1>{esc(e.title)}</h1>", self.banner(e, here), self.meta_table(e, here)]
        files: list[tuple[str, str]] = []
        if e.body_public:
            parts.append(f'<div class="gk-body">\n{self.body.render(e.body, e.source, e.body_line)}\n</div>')
            if e.attachments:
                items = []
                for att in e.attachments:
                    target = f"attachments/{att.file}"
                    files.append((f"catalogue/{att.file}", target))
                    sha = f' <span class="gk-sha">SHA-256 {esc(att.sha256[:12])}…</span>' if att.sha256 else ""
                    info = self.file_info(f"catalogue/{att.file}")
                    info_html = f' <span class="gk-att-info">{esc(info)}</span>' if info else ""
                    items.append(f"<li>{a(rel(here, target), att.title)}{info_html}{sha}</li>")
                parts.append(f'<section class="gk-attachments"><h2>附件</h2><ul>{"".join(items)}</ul></section>')
        else:
            parts.append(
                '<div class="gk-notice" role="note">本信息为依申请公开，网站仅公开目录信息。'
                "如需获取全文，请按"
                f"{a(rel(here, U.page_url('guide')), '政府信息公开指南')}提出申请。</div>"
            )
        parts.append(self.related_interpretations(e, here))
        parts.append(self.relations_section(e, here))
        parts.append(self.timeline(e, here))
        parts.append(self.history(e))
        meta = {
            "ArticleTitle": e.title,
            "PubDate": iso(e.published_date),
            "ColumnName": "政府信息公开目录",
            "ContentSource": self.cfg.agency_name(e.publisher),
            "Keywords": ",".join(e.keywords),
            "Description": e.abstract,
            "index_no": e.index_no,
            **self.article_meta(here, join(parts)),
        }
        return StagedPage(here, e.title, join(parts), meta, tuple(files), search=False)

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
        try:
            size = human_size((self.root / source).stat().st_size)
        except OSError:
            size = ""  # unreadable: check reports a referenced one (E027)
        return " · ".join(part for part in (kind, size) if part)

    def banner(self, e: Entry, here: str) -> str:
        if e.validity in (None, "有效"):
            return ""
        event = e.event(e.validity)
        when = f"于{cn_date(event.date)}" if event else ""
        links: list[str] = []
        if e.validity == "废止":
            text = f"本文件已{when}废止。"
            successors = self.cat.related(e.index_no, "repealed_by") or self.cat.related(e.index_no, "replaced_by")
            label = "废止或替代文件"
        elif e.validity == "失效":
            text = f"本文件已{when}失效" + (f"（有效期至{cn_date(e.expires)}）。" if e.expires else "。")
            successors = self.cat.related(e.index_no, "replaced_by")
            label = "替代文件"
        elif e.validity == "已修改":
            text = f"本文件已{when}被修改，请以修改后的规定为准。"
            successors = self.cat.related(e.index_no, "amended_by")
            label = "修改文件"
        else:  # 尚未生效
            text = "本文件尚未生效" + (f"，自{cn_date(e.effective_date)}起施行。" if e.effective_date else "。")
            successors = []
            label = ""
        if event and event.by and not successors:
            target = self.cat.entries.get(event.by)
            if target:
                successors = [target]
        for s in successors:
            number = f"（{esc(s.doc_number)}）" if s.doc_number else ""
            links.append(f"{self.link_to(here, s)}{number}")
        more = f"<p>{label}：{'；'.join(links)}</p>" if links else ""
        cls = VALIDITY_CLASS.get(e.validity, "other")
        return (
            f'<div class="gk-banner gk-banner--{cls}" role="status"><p><strong>{esc(e.validity)}</strong> '
            f"{esc(text)}</p>{more}</div>"
        )

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
            return a(rel(here, U.type_url(self._type_slug(value))), value)
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

    def meta_table(self, e: Entry, here: str) -> str:
        rows, wide = self.meta_rows(e, here)
        cells = [f'<th scope="row">{label}</th><td>{value}</td>' for label, value in rows]
        if len(cells) % 2:
            cells.append("<th></th><td></td>")
        body = "".join(f"<tr>{cells[i]}{cells[i + 1]}</tr>" for i in range(0, len(cells), 2))
        body += "".join(f'<tr><th scope="row">{k}</th><td colspan="3">{v}</td></tr>' for k, v in wide)
        return (
            f'<table class="gk-meta"><caption class="gk-sr">信息公开目录元数据</caption><tbody>{body}</tbody></table>'
        )

    def validity_badge(self, validity: str | None) -> str:
        if not validity:
            return ""
        return f'<span class="gk-badge gk-badge--{VALIDITY_CLASS.get(validity, "other")}">{esc(validity)}</span>'

    def related_interpretations(self, e: Entry, here: str) -> str:
        interps = self.cat.interpretations_of(e.index_no)
        if not interps:
            return ""
        items = "".join(
            f'<li>{self.link_to(here, i)} <span class="gk-form">{esc(i.form)}</span> '
            f'<time datetime="{iso(i.published_date)}">{iso(i.published_date)}</time></li>'
            for i in interps
        )
        return f'<section class="gk-related" aria-labelledby="gk-related-h"><h2 id="gk-related-h">相关解读</h2><ul>{items}</ul></section>'

    def relations_section(self, e: Entry, here: str) -> str:
        labels = [
            ("amends", "本文件修改了"),
            ("repeals", "本文件废止了"),
            ("replaces", "本文件替代了"),
            ("amended_by", "修改本文件的文件"),
            ("repealed_by", "废止本文件的文件"),
            ("replaced_by", "替代本文件的文件"),
        ]
        rows = []
        for rel_name, label in labels:
            targets = self.cat.related(e.index_no, rel_name)
            if targets:
                links = "；".join(self.link_to(here, t) for t in targets)
                rows.append(f"<li>{label}：{links}</li>")
        return f'<section class="gk-relations"><h2>关联文件</h2><ul>{"".join(rows)}</ul></section>' if rows else ""

    def timeline(self, e: Entry, here: str) -> str:
        """效力状况记录: dated events, oldest first, naming the deciding document when it is public."""
        if not e.validity_history:
            return ""
        items = []
        for ev in e.validity_history:
            note = f" {esc(ev.note)}" if ev.note else ""
            target = self.cat.entries.get(ev.by) if ev.by else None
            by = f'<span class="gk-by">（依据：{self.link_to(here, target)}）</span>' if target else ""
            items.append(
                f'<li><time datetime="{iso(ev.date)}">{iso(ev.date)}</time> {self.validity_badge(ev.status)}{by}{note}</li>'
            )
        return (
            f'<section class="gk-timeline" aria-labelledby="gk-timeline-h"><h2 id="gk-timeline-h">效力状况记录</h2>'
            f"<ol>{''.join(items)}</ol></section>"
        )

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

    def interpretation_page(self, i: Interpretation) -> StagedPage:
        here = U.item_url(i)
        sources = self.cat.sources_of(i)
        source_links = "".join(
            f"<li>{self.link_to(here, s)}"
            + (f"（{esc(s.doc_number)}）" if s.doc_number else "")
            + (f" {self.validity_badge(s.validity)}" if s.validity and s.validity != "有效" else "")
            + "</li>"
            for s in sources
        )
        # documents published elsewhere: named as the source names them, linked when it gave an address
        for ref in i.interprets_external:
            title = f'<a href="{esc(ref.url)}" rel="noopener">{esc(ref.title)}</a>' if ref.url else esc(ref.title)
            number = f"（{esc(ref.doc_number)}）" if ref.doc_number else ""
            source_links += f'<li class="gk-external">{title}{number}</li>'
        rows, _ = self.meta_rows(i, here)
        table = "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows)
        files: list[tuple[str, str]] = []
        media = ""
        if i.media:
            target = f"media/{i.media['file']}"
            files.append((f"content/{i.media['file']}", target))
            info = self.file_info(f"content/{i.media['file']}")
            info_html = f' <span class="gk-att-info">{esc(info)}</span>' if info else ""
            media = f'<p class="gk-media">{a(rel(here, target), i.media.get("title") or "媒体文件")}{info_html}</p>'
        parts = [
            f"<h1>{esc(i.title)}</h1>",
            f'<section class="gk-sources" aria-labelledby="gk-src-h"><h2 id="gk-src-h">原文件</h2><ul>{source_links}</ul></section>'
            if source_links
            else "",
            f'<table class="gk-meta gk-meta--narrow"><tbody>{table}</tbody></table>',
            media,
            f'<div class="gk-body">\n{self.body.render(i.body, i.source, i.body_line)}\n</div>',
            self.history(i),
        ]
        meta = {
            "ArticleTitle": i.title,
            "PubDate": iso(i.published_date),
            "ColumnName": "政策解读",
            "ContentSource": self.cfg.agency_name(i.interpreter_org),
            "Keywords": ",".join(i.keywords),
            "Description": i.abstract,
            "index_no": i.index_no,
            **self.article_meta(here, join(parts), i.interpreter),
        }
        return StagedPage(here, i.title, join(parts), meta, tuple(files), search=False)

    # -------------------------------------------------------------- listings
    def listing(
        self,
        url: str,
        title: str,
        entries: Sequence[Entry],
        intro: str = "",
        column: str = "政府信息公开目录",
        keywords: Sequence[str] = (),
    ) -> Iterator[PageJob]:
        size = self.cfg.page_size
        pages = max(1, math.ceil(len(entries) / size))
        for n in range(1, pages + 1):
            yield PageJob(
                U.paged(url, n), partial(self.listing_page, url, title, entries, intro, column, n, pages, keywords)
            )

    def listing_page(
        self,
        url: str,
        title: str,
        entries: Sequence[Entry],
        intro: str,
        column: str,
        n: int,
        pages: int,
        keywords: Sequence[str] = (),
    ) -> StagedPage:
        size = self.cfg.page_size
        here = U.paged(url, n)
        chunk = entries[(n - 1) * size : n * size]
        heading = title if n == 1 else f"{title}（第 {n} 页）"
        parts = [
            f"<h1>{esc(heading)}</h1>",
            intro,
            f'<p class="gk-count">共 {len(entries)} 条</p>',
            self.entry_table(here, chunk) if chunk else '<p class="gk-empty">暂无信息。</p>',
            self.pager(url, here, n, pages),
        ]
        return StagedPage(here, heading, join(parts), self.column_meta(column, keywords), search=False)

    def entry_table(self, here: str, entries: Sequence[Entry]) -> str:
        rows = []
        for e in entries:
            validity = self.validity_badge(e.validity) if e.validity else "—"
            rows.append(
                f'<tr><td class="gk-idx">{esc(e.index_no)}</td><td class="gk-title">{self.link_to(here, e)}</td>'
                f'<td class="gk-docno">{esc(e.doc_number or "—")}</td>'
                f'<td class="gk-date" data-sort="{iso(e.published_date)}">{iso(e.published_date)}</td>'
                f'<td class="gk-status" data-sort="{esc(e.validity or "")}">{validity}</td></tr>'
            )
        head = "".join(
            f'<th scope="col" data-type="{t}">{label}</th>'
            for label, t in (
                ("索引号", "text"),
                ("名称", "text"),
                ("文号", "text"),
                ("发布日期", "date"),
                ("效力状况", "text"),
            )
        )
        return (
            f'{table_wrap("信息列表")}<table class="gk-list" data-gk-sortable>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )

    def pager(self, url: str, here: str, n: int, pages: int) -> str:
        if pages == 1:
            return ""
        links = []
        if n > 1:
            links.append(f'<a rel="prev" href="{esc(rel(here, U.paged(url, n - 1)))}">上一页</a>')
        for k in range(1, pages + 1):
            if k == n:
                links.append(f'<span aria-current="page">{k}</span>')
            elif k in (1, pages) or abs(k - n) <= 2:
                links.append(f'<a href="{esc(rel(here, U.paged(url, k)))}">{k}</a>')
            elif abs(k - n) == 3:
                links.append('<span class="gk-gap">…</span>')
        if n < pages:
            links.append(f'<a rel="next" href="{esc(rel(here, U.paged(url, n + 1)))}">下一页</a>')
        return f'<nav class="gk-pager" aria-label="分页">{" ".join(links)}</nav>'

    def index_list(self, here: str, rows: Sequence[tuple[str, str, int]]) -> str:
        """A list of (url, label, count) links; empty groups are shown without a link."""
        items = []
        for url, label, count in rows:
            if count:
                items.append(f'<li>{a(rel(here, url), label)} <span class="gk-n">{count}</span></li>')
            else:
                items.append(f'<li class="gk-zero">{esc(label)} <span class="gk-n">0</span></li>')
        return f'<ul class="gk-index">{"".join(items)}</ul>'

    def topic_pages(self) -> Iterator[PageJob]:
        tree = self.cfg.vocab.topics
        groups = self.cat.by_topic()
        blocks, empty = [], []
        for top in tree.top:
            kids = tree.children.get(top.name, ())
            count = len(groups.get((top.name, None), []))
            if not count:  # an empty national class: folded away below, not listed as "(0)"
                empty.append(top.name)
                continue
            head = a(rel(U.TOPICS, U.topic_url(top.slug)), top.name) + f' <span class="gk-n">{count}</span>'
            rows = [
                (U.topic_url(tree.slug(top.name, k.name)), k.name, len(groups.get((top.name, k.name), [])))
                for k in kids
            ]
            sub = self.index_list(U.TOPICS, [r for r in rows if r[2]]) if any(r[2] for r in rows) else ""
            blocks.append(f'<section class="gk-topic"><h2>{head}</h2>{sub}</section>')
        if empty:
            names = "".join(f"<li>{esc(name)}</li>" for name in empty)  # names hold "、" themselves
            blocks.append(
                f'<details class="gk-empty-classes"><summary>暂无信息的主题分类（{len(empty)} 个）</summary>'
                f'<ul class="gk-index">{names}</ul></details>'
            )
        yield PageJob.ready(
            StagedPage(
                U.TOPICS, "按主题分类浏览", f"<h1>按主题分类浏览</h1>{''.join(blocks)}", self.column_meta("主题分类")
            )
        )
        for (first, second), entries in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            slug = tree.slug(first, second)
            title = f"主题分类：{first}" + (f" \\ {second}" if second else "")
            words = [first, second] if second else [first]
            yield from self.listing(U.topic_url(slug), title, entries, column="主题分类", keywords=words)

    def agency_pages(self) -> Iterator[PageJob]:
        groups = self.cat.by_agency()
        rows = [(U.agency_url(ag.id), ag.name, len(groups.get(ag.id, []))) for ag in self.cfg.agencies]
        yield PageJob.ready(
            StagedPage(
                U.AGENCIES,
                "按发布机构浏览",
                f"<h1>按发布机构浏览</h1>{self.index_list(U.AGENCIES, rows)}",
                self.column_meta("发布机构"),
            )
        )
        for ag in self.cfg.agencies:
            entries = groups.get(ag.id, [])
            interps = [i for i in self.cat.newest_interpretations() if i.interpreter_org == ag.id]
            intro = ""
            if interps:
                here = U.agency_url(ag.id)
                intro = (
                    f"<p>本机构发布政策解读 {len(interps)} 篇，见{a(rel(here, U.INTERPRETATIONS), '政策解读')}。</p>"
                )
            yield from self.listing(U.agency_url(ag.id), ag.name, entries, intro, column="发布机构", keywords=[ag.name])

    def year_pages(self) -> Iterator[PageJob]:
        groups = self.cat.by_year()
        rows = [(U.year_url(y), f"{y} 年", len(groups[y])) for y in sorted(groups, reverse=True)]
        yield PageJob.ready(
            StagedPage(
                U.YEARS, "按年份浏览", f"<h1>按年份浏览</h1>{self.index_list(U.YEARS, rows)}", self.column_meta("年份")
            )
        )
        for year in sorted(groups, reverse=True):
            yield from self.listing(U.year_url(year), f"{year} 年公开的信息", groups[year], column="年份")

    def _type_slug(self, name: str) -> str:
        term = self.cfg.vocab.info_types.get(name)
        return term.slug if term else "other"

    def type_pages(self) -> Iterator[PageJob]:
        groups = self.cat.by_info_type()
        terms = self.cfg.vocab.info_types.terms
        rows = [(U.type_url(t.slug), t.name, len(groups.get(t.name, []))) for t in terms]
        yield PageJob.ready(
            StagedPage(
                U.TYPES,
                "按信息类别浏览",
                f"<h1>按信息类别浏览</h1>{self.index_list(U.TYPES, rows)}",
                self.column_meta("信息类别"),
            )
        )
        for t in terms:
            yield from self.listing(
                U.type_url(t.slug), t.name, groups.get(t.name, []), column="信息类别", keywords=[t.name]
            )

    def library_pages(self) -> Iterator[PageJob]:
        intro = (
            f"<p>现行有效的规章和行政规范性文件，集中公开、动态更新。已失效、废止或修改的文件见"
            f"{a(rel(U.LIBRARY, U.LIBRARY_REPEALED), '失效、废止和修改文件目录')}。</p>"
        )
        yield from self.listing(
            U.LIBRARY,
            "现行有效规章和行政规范性文件库",
            self.cat.current_normative(),
            intro,
            column="现行有效规范性文件库",
        )
        yield from self.listing(
            U.LIBRARY_REPEALED, "失效、废止和修改文件目录", self.cat.repealed_normative(), column="现行有效规范性文件库"
        )

    def interpretation_listing(self) -> Iterator[PageJob]:
        interps = self.cat.newest_interpretations()
        pages = max(1, math.ceil(len(interps) / self.cfg.page_size))
        for n in range(1, pages + 1):
            yield PageJob(U.paged(U.INTERPRETATIONS, n), partial(self.interpretation_listing_page, interps, n, pages))

    def interpretation_listing_page(self, interps: Sequence[Interpretation], n: int, pages: int) -> StagedPage:
        size = self.cfg.page_size
        here = U.paged(U.INTERPRETATIONS, n)
        rows = []
        for i in interps[(n - 1) * size : n * size]:
            sources = "；".join(self.link_to(here, s) for s in self.cat.sources_of(i))
            rows.append(
                f'<tr><td class="gk-title">{self.link_to(here, i)}</td><td class="gk-form-cell">{esc(i.form)}</td>'
                f'<td class="gk-org">{esc(self.cfg.agency_name(i.interpreter_org))}</td>'
                f'<td class="gk-date" data-sort="{iso(i.published_date)}">{iso(i.published_date)}</td>'
                f'<td class="gk-src">{sources}</td></tr>'
            )
        head = "".join(f'<th scope="col">{h}</th>' for h in ("标题", "形式", "解读机构", "发布日期", "原文件"))
        table = (
            (
                f'{table_wrap("政策解读列表")}<table class="gk-list" data-gk-sortable><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table></div>"
            )
            if rows
            else '<p class="gk-empty">暂无解读。</p>'
        )
        title = "政策解读" if n == 1 else f"政策解读（第 {n} 页）"
        return StagedPage(
            here,
            title,
            join(
                [
                    f"<h1>{title}</h1>",
                    f'<p class="gk-count">共 {len(interps)} 篇</p>',
                    table,
                    self.pager(U.INTERPRETATIONS, here, n, pages),
                ]
            ),
            self.column_meta("政策解读"),
            search=False,
        )

    # ----------------------------------------------------------------- homes
    def newest_list(self, here: str, items: Sequence[Item]) -> str:
        lis = "".join(
            f'<li>{self.link_to(here, it)} <time datetime="{iso(it.published_date)}">{iso(it.published_date)}</time></li>'
            for it in items
        )
        return f'<ul class="gk-newest">{lis}</ul>' if lis else '<p class="gk-empty">暂无信息。</p>'

    def views_nav(self, here: str) -> str:
        views = [
            (U.CATALOGUE, "信息公开目录"),
            (U.TOPICS, "按主题分类"),
            (U.AGENCIES, "按发布机构"),
            (U.YEARS, "按年份"),
            (U.TYPES, "按信息类别"),
            (U.LIBRARY, "现行有效规范性文件库"),
            (U.INTERPRETATIONS, "政策解读"),
        ]
        if any(p.slug == "guide" for p in self.cat.pages):
            views.append((U.page_url("guide"), "政府信息公开指南"))
        views += [(U.STATS, "年度报告统计"), (U.DATA, "开放数据")]
        links = "".join(f"<li>{a(rel(here, u), label)}</li>" for u, label in views)
        return f'<nav class="gk-views" aria-label="目录导航"><ul>{links}</ul></nav>'

    def site_home(self) -> StagedPage:
        n = self.cfg.home_items
        parts = [
            f"<h1>{esc(self.cfg.name)}</h1>",
            f"<p>{esc(self.cfg.description)}</p>" if self.cfg.description else "",
            self.views_nav(U.HOME),
            '<div class="gk-columns">',
            f"<section><h2>最新公开</h2>{self.newest_list(U.HOME, self.cat.newest_entries()[:n])}"
            f"<p>{a(U.CATALOGUE, '更多公开信息 »')}</p></section>",
            f"<section><h2>最新解读</h2>{self.newest_list(U.HOME, self.cat.newest_interpretations()[:n])}"
            f"<p>{a(U.INTERPRETATIONS, '更多政策解读 »')}</p></section>",
            "</div>",
        ]
        return StagedPage(U.HOME, "首页", join(parts), self.column_meta("首页", description=self.cfg.description))

    def catalogue_home(self) -> StagedPage:
        here = U.CATALOGUE
        groups = self.cat.by_info_type()
        rows = [(U.type_url(t.slug), t.name, len(groups.get(t.name, []))) for t in self.cfg.vocab.info_types.terms]
        parts = [
            "<h1>政府信息公开目录</h1>",
            f'<p class="gk-count">目录共收录 {len(self.cat.entries)} 条信息、{len(self.cat.interpretations)} 篇政策解读。</p>',
            self.views_nav(here),
            f"<h2>信息类别</h2>{self.index_list(here, rows)}",
            f"<h2>最新公开</h2>{self.entry_table(here, self.cat.newest_entries()[: self.cfg.home_items])}",
        ]
        return StagedPage(here, "政府信息公开目录", join(parts), self.column_meta("政府信息公开目录"))
