"""Listing pages: the views of the catalogue (by topic, agency, year, 信息类别, the library of
normative documents, the interpretations) and the two home pages.

A listing page is planned from its group's size (how many pages it has) and, when built,
reads its rows through recorded lookups (``listing``: the group's size and the rows of
this page only), so an edit outside its rows leaves it as it was.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from generator.model import urls as U
from generator.site.htmlkit import a, esc, iso, join, rel
from generator.site.lookups import Summary, topic_key
from generator.site.pagekit import PageKit, recorded, table_wrap
from generator.site.pagetypes import PageJob, StagedPage

CATALOGUE = "政府信息公开目录"


class ListingPages(PageKit):
    # ------------------------------------------------------------ listings
    def listing(
        self,
        url: str,
        title: str,
        group: tuple[str, str],
        size: int,
        intro: str = "",
        column: str = CATALOGUE,
        keywords: tuple[str, ...] = (),
    ) -> Iterator[PageJob]:
        """The pages of listing ``group`` (kind, key) of ``size`` members."""
        pages = max(1, math.ceil(size / self.cfg.page_size))
        for n in range(1, pages + 1):
            yield self.job(U.paged(url, n), self.listing_page, url, title, group, intro, column, n, keywords)

    @recorded
    def listing_page(
        self,
        url: str,
        title: str,
        group: tuple[str, str],
        intro: str,
        column: str,
        n: int,
        keywords: tuple[str, ...] = (),
    ) -> StagedPage:
        size = self.cfg.page_size
        here = U.paged(url, n)
        total, chunk = self.cat.listing(group[0], group[1], (n - 1) * size, n * size)
        pages = max(1, math.ceil(total / size))
        heading = title if n == 1 else f"{title}（第 {n} 页）"
        parts = [
            f"<h1>{esc(heading)}</h1>",
            self.intro(intro, group, here),
            f'<p class="gk-count">共 {total} 条</p>',
            self.entry_table(here, chunk) if chunk else '<p class="gk-empty">暂无信息。</p>',
            self.pager(url, here, n, pages),
        ]
        return StagedPage(here, heading, join(parts), self.column_meta(column, keywords), search=False)

    def intro(self, kind: str, group: tuple[str, str], here: str) -> str:
        """The paragraph above a listing's table, on every page of it (links relative to ``here``)."""
        if kind == "library":
            return (
                f"<p>现行有效的规章和行政规范性文件，集中公开、动态更新。已失效、废止或修改的文件见"
                f"{a(rel(here, U.LIBRARY_REPEALED), '失效、废止和修改文件目录')}。</p>"
            )
        if kind == "agency":
            count = self.cat.interpretations_by(group[1])
            if count:
                return f"<p>本机构发布政策解读 {count} 篇，见{a(rel(here, U.INTERPRETATIONS), '政策解读')}。</p>"
        return ""

    def entry_table(self, here: str, entries: Sequence[Summary]) -> str:
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

    def count(self, kind: str, key: str) -> int:
        return self.cat.listing(kind, key, 0, 0)[0]

    # ------------------------------------------------------------- the views
    def topic_pages(self) -> Iterator[PageJob]:
        tree = self.cfg.vocab.topics
        yield self.job(U.TOPICS, self.topic_index, search=True)
        sizes = self.cat.plan_sizes("topic")
        for key in sorted(sizes, key=lambda k: (k.split("\x1f")[0], k.partition("\x1f")[2])):
            first, _, rest = key.partition("\x1f")
            second = rest if "\x1f" in key else None
            slug = tree.slug(first, second)
            title = f"主题分类：{first}" + (f" \\ {second}" if second else "")
            words = (first, second) if second else (first,)
            group = ("topic", topic_key(first, second))
            yield from self.listing(U.topic_url(slug), title, group, sizes[key], column="主题分类", keywords=words)

    @recorded
    def topic_index(self) -> StagedPage:
        tree = self.cfg.vocab.topics
        blocks, empty = [], []
        for top in tree.top:
            kids = tree.children.get(top.name, ())
            count = self.count("topic", topic_key(top.name, None))
            if not count:  # an empty national class: folded away below, not listed as "(0)"
                empty.append(top.name)
                continue
            head = a(rel(U.TOPICS, U.topic_url(top.slug)), top.name) + f' <span class="gk-n">{count}</span>'
            rows = [
                (U.topic_url(tree.slug(top.name, k.name)), k.name, self.count("topic", topic_key(top.name, k.name)))
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
        return StagedPage(
            U.TOPICS, "按主题分类浏览", f"<h1>按主题分类浏览</h1>{''.join(blocks)}", self.column_meta("主题分类")
        )

    def agency_pages(self) -> Iterator[PageJob]:
        yield self.job(U.AGENCIES, self.agency_index, search=True)
        sizes = self.cat.plan_sizes("agency")
        for ag in self.cfg.agencies:
            url = U.agency_url(ag.id)
            group = ("agency", ag.id)
            size = sizes.get(ag.id, 0)
            yield from self.listing(url, ag.name, group, size, "agency", column="发布机构", keywords=(ag.name,))

    @recorded
    def agency_index(self) -> StagedPage:
        rows = [(U.agency_url(ag.id), ag.name, self.count("agency", ag.id)) for ag in self.cfg.agencies]
        return StagedPage(
            U.AGENCIES,
            "按发布机构浏览",
            f"<h1>按发布机构浏览</h1>{self.index_list(U.AGENCIES, rows)}",
            self.column_meta("发布机构"),
        )

    def year_pages(self) -> Iterator[PageJob]:
        yield self.job(U.YEARS, self.year_index, search=True)
        sizes = self.cat.plan_sizes("year")
        for year in sorted(sizes, key=int, reverse=True):
            yield from self.listing(
                U.year_url(int(year)), f"{year} 年公开的信息", ("year", year), sizes[year], column="年份"
            )

    @recorded
    def year_index(self) -> StagedPage:
        years = sorted(self.cat.group_keys("year"), key=int, reverse=True)
        rows = [(U.year_url(int(y)), f"{y} 年", self.count("year", y)) for y in years]
        return StagedPage(
            U.YEARS, "按年份浏览", f"<h1>按年份浏览</h1>{self.index_list(U.YEARS, rows)}", self.column_meta("年份")
        )

    def type_pages(self) -> Iterator[PageJob]:
        yield self.job(U.TYPES, self.type_index, search=True)
        sizes = self.cat.plan_sizes("type")
        for t in self.cfg.vocab.info_types.terms:
            yield from self.listing(
                U.type_url(t.slug),
                t.name,
                ("type", t.name),
                sizes.get(t.name, 0),
                column="信息类别",
                keywords=(t.name,),
            )

    @recorded
    def type_index(self) -> StagedPage:
        terms = self.cfg.vocab.info_types.terms
        rows = [(U.type_url(t.slug), t.name, self.count("type", t.name)) for t in terms]
        return StagedPage(
            U.TYPES,
            "按信息类别浏览",
            f"<h1>按信息类别浏览</h1>{self.index_list(U.TYPES, rows)}",
            self.column_meta("信息类别"),
        )

    def library_pages(self) -> Iterator[PageJob]:
        title, column = "现行有效规章和行政规范性文件库", "现行有效规范性文件库"
        current = self.cat.plan_sizes("library").get("", 0)
        yield from self.listing(U.LIBRARY, title, ("library", ""), current, "library", column=column)
        repealed = self.cat.plan_sizes("repealed").get("", 0)
        title = "失效、废止和修改文件目录"
        yield from self.listing(U.LIBRARY_REPEALED, title, ("repealed", ""), repealed, column=column)

    def interpretation_listing(self) -> Iterator[PageJob]:
        size = self.cat.plan_sizes("interpretations").get("", 0)
        pages = max(1, math.ceil(size / self.cfg.page_size))
        for n in range(1, pages + 1):
            yield self.job(U.paged(U.INTERPRETATIONS, n), self.interpretation_listing_page, n)

    @recorded
    def interpretation_listing_page(self, n: int) -> StagedPage:
        size = self.cfg.page_size
        here = U.paged(U.INTERPRETATIONS, n)
        total, chunk = self.cat.listing("interpretations", "", (n - 1) * size, n * size)
        pages = max(1, math.ceil(total / size))
        rows = []
        for i in chunk:
            sources = "；".join(self.link_to(here, s) for s in self.cat.sources_of(i.index_no))
            rows.append(
                f'<tr><td class="gk-title">{self.link_to(here, i)}</td><td class="gk-form-cell">{esc(i.form)}</td>'
                f'<td class="gk-org">{esc(self.cfg.agency_name(i.interpreter_org or ""))}</td>'
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
                    f'<p class="gk-count">共 {total} 篇</p>',
                    table,
                    self.pager(U.INTERPRETATIONS, here, n, pages),
                ]
            ),
            self.column_meta("政策解读"),
            search=False,
        )

    # ----------------------------------------------------------------- homes
    def newest_list(self, here: str, items: Sequence[Summary]) -> str:
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
        if self.cat.has_page("guide"):
            views.append((U.page_url("guide"), "政府信息公开指南"))
        views += [(U.STATS, "年度报告统计"), (U.DATA, "开放数据")]
        links = "".join(f"<li>{a(rel(here, u), label)}</li>" for u, label in views)
        return f'<nav class="gk-views" aria-label="目录导航"><ul>{links}</ul></nav>'

    @recorded
    def site_home(self) -> StagedPage:
        n = self.cfg.home_items
        entries = self.cat.listing("entries", "", 0, n)[1]
        interps = self.cat.listing("interpretations", "", 0, n)[1]
        parts = [
            f"<h1>{esc(self.cfg.name)}</h1>",
            f"<p>{esc(self.cfg.description)}</p>" if self.cfg.description else "",
            self.views_nav(U.HOME),
            '<div class="gk-columns">',
            f"<section><h2>最新公开</h2>{self.newest_list(U.HOME, entries)}"
            f"<p>{a(U.CATALOGUE, '更多公开信息 »')}</p></section>",
            f"<section><h2>最新解读</h2>{self.newest_list(U.HOME, interps)}"
            f"<p>{a(U.INTERPRETATIONS, '更多政策解读 »')}</p></section>",
            "</div>",
        ]
        return StagedPage(U.HOME, "首页", join(parts), self.column_meta("首页", description=self.cfg.description))

    @recorded
    def catalogue_home(self) -> StagedPage:
        here = U.CATALOGUE
        rows = [(U.type_url(t.slug), t.name, self.count("type", t.name)) for t in self.cfg.vocab.info_types.terms]
        entries, interps = self.cat.totals()
        parts = [
            "<h1>政府信息公开目录</h1>",
            f'<p class="gk-count">目录共收录 {entries} 条信息、{interps} 篇政策解读。</p>',
            self.views_nav(here),
            f"<h2>信息类别</h2>{self.index_list(here, rows)}",
            f"<h2>最新公开</h2>{self.entry_table(here, self.cat.listing('entries', '', 0, self.cfg.home_items)[1])}",
        ]
        return StagedPage(here, "政府信息公开目录", join(parts), self.column_meta("政府信息公开目录"))
