"""Page builders: the public catalogue → staged pages (HTML fragments + page meta).

Nothing here knows MkDocs; :mod:`generator.site.engine` turns staged pages into
the engine's docs tree. All content text is escaped (:func:`esc`) or, for
editor-written bodies, rendered by :mod:`generator.site.body` and sanitized.

Rooms: :mod:`.pagetypes` (the staged-page types), :mod:`.pagekit` (what every builder
shares), :mod:`.itempages` (entry and interpretation pages), :mod:`.listings` (views and
homes). Builders read the catalogue only through recorded lookups (:mod:`.lookups`),
which is what lets a rebuild reuse a page whose lookups give the same results.
"""

from __future__ import annotations

from generator.model import urls as U
from generator.model.entry import Page
from generator.site.htmlkit import esc
from generator.site.itempages import ItemPages
from generator.site.listings import ListingPages
from generator.site.pagekit import contents_box, file_kind, human_size, recorded
from generator.site.pagetypes import PageJob, StagedPage

__all__ = ["PageBuilder", "PageJob", "StagedPage", "file_kind", "human_size"]


class PageBuilder(ItemPages, ListingPages):
    def jobs(self) -> list[PageJob]:
        """Every page of the site, in a stable order, each built only when asked."""
        # the homes and the views' index pages are searchable pages, built in the main process
        jobs = [self.job(U.HOME, self.site_home, search=True), self.job(U.CATALOGUE, self.catalogue_home, search=True)]
        for section in (
            self.topic_pages,
            self.agency_pages,
            self.year_pages,
            self.type_pages,
            self.library_pages,
            self.interpretation_listing,
        ):
            jobs.extend(section())
        for page in self.cat.plan_content_pages():
            jobs.append(self.job(U.page_url(page.slug), self.content_page, page, search=True))
        for item in self.cat.plan_items():
            method = self.entry_page if item.kind == "entry" else self.interpretation_page
            jobs.append(self.job(U.item_url(item), method, item))
        return jobs

    @recorded
    def content_page(self, page: Page) -> StagedPage:
        body = self.body.render(page.body, page.source, 1)
        return StagedPage(
            U.page_url(page.slug),
            page.title,
            f"<h1>{esc(page.title)}</h1>\n{contents_box(body)}{body}",
            self.column_meta(page.title),
        )
