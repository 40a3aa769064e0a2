"""Item pages: one page per public entry (信息公开目录 record) and per interpretation (政策解读).

A page shows its own item in full; of other items (successors, relations, interpretations,
the documents an interpretation explains) only what a recorded lookup returns.
"""

from __future__ import annotations

from generator.model import urls as U
from generator.model.entry import Entry, Interpretation
from generator.site.htmlkit import a, cn_date, esc, iso, join, rel
from generator.site.lookups import Summary
from generator.site.pagekit import VALIDITY_CLASS, PageKit, recorded
from generator.site.pagetypes import StagedPage

RELATION_LABELS = [
    ("amends", "本文件修改了"),
    ("repeals", "本文件废止了"),
    ("replaces", "本文件替代了"),
    ("amended_by", "修改本文件的文件"),
    ("repealed_by", "废止本文件的文件"),
    ("replaced_by", "替代本文件的文件"),
]


class ItemPages(PageKit):
    @recorded
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

    def banner(self, e: Entry, here: str) -> str:
        if e.validity in (None, "有效"):
            return ""
        event = e.event(e.validity)
        when = f"于{cn_date(event.date)}" if event else ""
        links: list[str] = []
        successors: list[Summary]
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
            target = self.cat.entry(event.by)
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

    def meta_table(self, e: Entry, here: str) -> str:
        rows, wide = self.meta_rows(e, here)
        cells = [f'<th scope="row">{label}</th><td>{value}</td>' for label, value in rows]
        if len(cells) % 2:  # the odd last field's value takes the row (no empty header cell)
            label, value = rows[-1]
            cells[-1] = f'<th scope="row">{label}</th><td colspan="3">{value}</td>'
            cells.append("")
        body = "".join(f"<tr>{cells[i]}{cells[i + 1]}</tr>" for i in range(0, len(cells), 2))
        body += "".join(f'<tr><th scope="row">{k}</th><td colspan="3">{v}</td></tr>' for k, v in wide)
        return (
            f'<table class="gk-meta"><caption class="gk-sr">信息公开目录元数据</caption><tbody>{body}</tbody></table>'
        )

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
        rows = []
        for rel_name, label in RELATION_LABELS:
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
            target = self.cat.entry(ev.by) if ev.by else None
            by = f'<span class="gk-by">（依据：{self.link_to(here, target)}）</span>' if target else ""
            items.append(
                f'<li><time datetime="{iso(ev.date)}">{iso(ev.date)}</time> {self.validity_badge(ev.status)}{by}{note}</li>'
            )
        return (
            f'<section class="gk-timeline" aria-labelledby="gk-timeline-h"><h2 id="gk-timeline-h">效力状况记录</h2>'
            f"<ol>{''.join(items)}</ol></section>"
        )

    @recorded
    def interpretation_page(self, i: Interpretation) -> StagedPage:
        here = U.item_url(i)
        sources = self.cat.sources_of(i.index_no)
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
