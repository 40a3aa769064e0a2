"""``mkdocs build`` taken apart (MkDocs 1.6.1, the last 1.x release: a frozen target).

The same steps as ``mkdocs.commands.build.build``, but each page is given to MkDocs'
own template environment as it is staged, from memory, and pages can be rendered in
worker processes forked after the shared state (config, files, nav, Jinja environment)
exists. Pages that feed a plugin's state and pages in the navigation are rendered in
the parent. ``tests/test_engine.py`` compares every byte with the reference build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from generator.model import urls as U
from generator.site.engine.config import shipped_theme
from generator.site.engine.errors import EngineError
from generator.site.engine.runtime import MkDocsLog, describe, engine_errors, load_config
from generator.site.engine.skeletons import (
    SKELETON_CHECK_EVERY,
    SKELETON_CHECK_EVERY_CUSTOM,
    SKELETON_MIN_PAGES,
    Skeletons,
    folder_of,
)
from generator.site.engine.staging import front_matter, page_content, walk_order, write_file
from generator.site.pagetypes import StagedPage

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


@dataclass
class Shared:
    """What every page render reads: prepared once, before workers fork."""

    config: MkDocsConfig
    files: Files
    doc_files: list[File]
    nav: Navigation
    env: Environment
    by_url: dict[str, Page]


class Engine:
    """``mkdocs build`` taken apart: prepare once, render pages one by one, finish.

    ``urls`` are every page the site will have (so that navigation, sitemap and the
    pages' own URLs are known before any page is rendered). Use as::

        engine = Engine(settings, config_path, urls)      # clean site_dir, files, nav, env
        engine.render(page) -> bytes                       # any page, in any process
        engine.write(page)                                 # render + write into site_dir
        engine.templates()                                 # 404.html, sitemap.xml(.gz)
        engine.finish()                                    # post_build (search index) and shutdown
    """

    def __init__(
        self, settings: dict[str, Any], config_path: Path, urls: list[str], skeletons: bool | None = None
    ) -> None:
        if skeletons is None:
            skeletons = os.environ.get("GONGKAI_SKELETONS", "1") != "0"
        self.log = MkDocsLog()
        self.records = self.log.__enter__()
        try:
            self.shared = self._prepare(settings, config_path, urls)
        except engine_errors() as exc:
            self.log.__exit__()
            raise EngineError(f"MkDocs: {describe(exc)}; {'; '.join(self.records.records)}") from exc
        self.site_dir = Path(self.shared.config.site_dir)
        # MkDocs percent-encodes its page URLs; ours are the plain paths (see urls.href)
        self.nav_urls = {unquote(p.url) for p in self.shared.nav.pages}
        self._order = {url: i for i, url in enumerate(self.shared.by_url)}  # doc_files order
        self._paths: dict[str, Path] = {}
        folders: dict[str, int] = {}
        for url in urls:
            folders[folder_of(url)] = folders.get(folder_of(url), 0) + 1
        crowded = {folder for folder, n in folders.items() if n >= SKELETON_MIN_PAGES}
        theme = settings.get("theme", {}).get("custom_dir")
        self.shipped_theme = theme is not None and shipped_theme(Path(theme))
        every = SKELETON_CHECK_EVERY if self.shipped_theme else SKELETON_CHECK_EVERY_CUSTOM
        self.skeletons = Skeletons(self.shared, crowded, every) if skeletons and crowded else None

    @staticmethod
    def _prepare(settings: dict[str, Any], config_path: Path, urls: list[str]) -> Shared:
        from mkdocs import utils
        from mkdocs.structure.files import File, get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page

        config = load_config(settings, config_path)
        config.plugins.on_startup(command="build", dirty=False)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)
        files = get_files(config)  # static files below docs_dir (none are pages)
        for src in sorted((U.to_file(url) for url in urls), key=walk_order):
            files.append(File(src, config.docs_dir, config.site_dir, config.use_directory_urls))
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        doc_files = list(files.documentation_pages())
        by_url: dict[str, Page] = {}
        for file in doc_files:
            page = file.page if file.page is not None else Page(None, file, config)
            by_url[unquote(page.url)] = page
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files()
        return Shared(config, files, doc_files, nav, env, by_url)

    def order(self, url: str) -> int:
        """The page's position in MkDocs' own order (the docs tree walked top-down, sorted)."""
        return self._order[url]

    def in_parent(self, page: StagedPage) -> bool:
        """Pages that must be rendered in the parent: in the navigation, or feeding a plugin's state."""
        return page.search or page.url in self.nav_urls

    def render(self, staged: StagedPage) -> bytes:
        """The page's HTML, exactly as ``_populate_page`` + ``_build_page`` of MkDocs make it."""
        try:
            return self._render(staged)
        except EngineError:
            raise
        except engine_errors() as exc:  # a broken theme template: name the page, no traceback
            raise EngineError(f"MkDocs: /{staged.url}: {describe(exc)}") from exc

    def _render(self, staged: StagedPage) -> bytes:
        from mkdocs.commands.build import get_context
        from mkdocs.structure.toc import get_toc

        s = self.shared
        config, files, plugins = s.config, s.files, s.config.plugins
        page = s.by_url[staged.url]
        config._current_page = page
        try:
            page = plugins.on_pre_page(page, config=config, files=files)
            # Page.read_source: the file's front matter and Markdown text
            source = plugins.on_page_read_source(page=page, config=config)
            if source is not None:  # pragma: no cover - no such plugin is configured
                raise EngineError("on_page_read_source plugins are not supported")
            page.meta = front_matter(staged)
            page.markdown = plugins.on_page_markdown(page_content(staged), page=page, config=config, files=files)
            if page.markdown:  # pragma: no cover - the staged-html plugin always empties it
                raise EngineError("a plugin changed the staged page's Markdown")
            # Page.render of an empty string
            page.content, page.toc, page._title_from_render = "", get_toc([]), None
            page.present_anchor_ids, page.links_to_anchors = set(), {}
            page.content = plugins.on_page_content(page.content, page=page, config=config, files=files)
            # _build_page
            page.active = True
            context = get_context(s.nav, s.doc_files, config, page)
            template = s.env.get_template(page.meta.get("template", "main.html"))
            context = plugins.on_page_context(context, page=page, config=config, nav=s.nav)
            output = None
            if self.skeletons is not None and not self.in_parent(staged):
                output = self.skeletons.render(page, template, lambda: template.render(context))
            if output is None:
                output = template.render(context)
            output = plugins.on_post_page(output, page=page, config=config)
            page.active = False
            return output.encode("utf-8", errors="xmlcharrefreplace") if output.strip() else b""
        finally:
            config._current_page = None
            if not self.in_parent(staged):
                page.content = page.markdown = None  # keep memory flat: nothing reads them again

    def path_of(self, url: str) -> Path:
        path = self._paths.get(url)
        if path is None:
            path = self._paths[url] = Path(self.shared.by_url[url].file.abs_dest_path)
        return path

    def write(self, staged: StagedPage) -> int:
        data = self.render(staged)
        if data:
            write_file(self.path_of(staged.url), data)
        return len(data)

    def templates(self) -> None:
        """404.html and sitemap.xml(.gz), as MkDocs renders them after reading every page."""
        from mkdocs.commands.build import _build_extra_template, _build_theme_template

        s = self.shared
        try:
            for name in s.config.theme.static_templates:
                _build_theme_template(name, s.env, s.files, s.config, s.nav)
            for name in s.config.extra_templates:  # pragma: no cover - none configured
                _build_extra_template(name, s.files, s.config, s.nav)
        except engine_errors() as exc:
            raise EngineError(f"MkDocs: {describe(exc)}") from exc

    def finish(self) -> list[str]:
        """Run post_build (Material writes its search index) and shutdown; return MkDocs' warnings."""
        config = self.shared.config
        try:
            config.plugins.on_post_build(config=config)
            config.plugins.on_shutdown()
        except engine_errors() as exc:
            raise EngineError(f"MkDocs: {describe(exc)}; {'; '.join(self.records.records)}") from exc
        finally:
            self.log.__exit__()
        return self.records.records

    def abort(self) -> None:
        self.log.__exit__()
