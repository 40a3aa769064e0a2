"""``mkdocs build`` taken apart (MkDocs 1.6.1, the last 1.x release: a frozen target).

The same steps as ``mkdocs.commands.build.build``, but each page is given to MkDocs'
own template environment as it is staged, from memory, and pages can be rendered in
worker processes forked after the shared state (config, files, nav, Jinja environment)
exists. Pages that feed a plugin's state and pages in the navigation are rendered in
the parent. ``tests/test_engine.py`` compares every byte with the reference build.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from generator.model import urls as U
from generator.parallel import paused_gc
from generator.site.engine import sitemap
from generator.site.engine.bytecode import bytecode_cache
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
from generator.site.engine.themefiles import add_theme_files
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
    by_url: Mapping[str, Page]
    cache: Path | None = None  # the engine's folder in the build cache (compiled templates, sitemap)
    lazy: bool = False  # pages are made when first read (see Engine)


class _Pages(Mapping[str, "Page"]):
    """URL -> MkDocs page; the page is made (by MkDocs' own ``Page``) the first time it is read."""

    def __init__(self, files: dict[str, File]) -> None:
        self.files = files

    def __getitem__(self, url: str) -> Page:
        page = self.files[url].page
        if page is None:  # pragma: no cover - an excluded file: MkDocs makes no page for it either
            raise KeyError(url)
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)


class _Filled:
    """What a skeleton reads of a page (:meth:`Skeletons.slots`, :meth:`Skeletons.shape`), as the
    MkDocs page :meth:`Engine._render` makes would hold it: the front matter, the content the
    staged-HTML plugin hands over, and ``Page.url`` (the file's URL, ``""`` for ``./``)."""

    __slots__ = ("content", "meta", "url")

    def __init__(self, staged: StagedPage, file_url: str) -> None:
        self.meta = front_matter(staged)
        self.content = page_content(staged)
        self.url = "" if file_url in (".", "./") else file_url


class Engine:
    """``mkdocs build`` taken apart: prepare once, render pages one by one, finish.

    ``urls`` are every page the site will have (so that navigation, sitemap and the
    pages' own URLs are known before any page is rendered). Use as::

        engine = Engine(settings, config_path, urls)      # clean site_dir, files, nav, env
        engine.render(page) -> bytes                       # any page, in any process
        engine.write(page)                                 # render + write into site_dir
        engine.templates()                                 # 404.html, sitemap.xml(.gz)
        engine.finish()                                    # post_build (search index) and shutdown

    ``cache`` (a folder of the build cache) keeps compiled templates and the last sitemap
    between builds. A build that renders a few pages pays little for the others: MkDocs
    makes a ``Page`` for every documentation file when it builds the navigation; here the
    navigation is built from the files it names and every other file's ``Page`` is made by
    MkDocs' own constructor the first time anything reads ``file.page`` (a page render, a
    template walking ``pages``, the sitemap) — the same object, later. That holds while the
    only plugin is the engine's own (the derived configuration never has others); with any
    other plugin, every page is made up front as MkDocs does.
    """

    def __init__(
        self,
        settings: dict[str, Any],
        config_path: Path,
        urls: list[str],
        skeletons: bool | None = None,
        cache: Path | None = None,
    ) -> None:
        if skeletons is None:
            skeletons = os.environ.get("GONGKAI_SKELETONS", "1") != "0"
        self.log = MkDocsLog()
        self.records = self.log.__enter__()
        try:
            with _gc_paused():
                self.shared = self._prepare(settings, config_path, urls, cache)
        except engine_errors() as exc:
            self.log.__exit__()
            raise EngineError(f"MkDocs: {describe(exc)}; {'; '.join(self.records.records)}") from exc
        self.site_dir = Path(self.shared.config.site_dir)
        # MkDocs percent-encodes its page URLs; ours are the plain paths (see urls.href)
        self.nav_urls = {unquote(p.url) for p in self.shared.nav.pages}
        self._order: dict[str, int] | None = None
        self._paths: dict[str, Path] = {}
        site_dir = self.shared.config.site_dir
        # File.abs_dest_path of each ``{url}index.md`` is ``{site_dir}/{url}index.html``, made
        # when asked for (see dest_of) without making its page; None: asked of MkDocs' File
        self._plain_dir = site_dir if self.shared.lazy and os.path.normpath(site_dir) == site_dir else None
        folders: dict[str, int] = {}
        for url in urls:
            folders[folder_of(url)] = folders.get(folder_of(url), 0) + 1
        crowded = {folder for folder, n in folders.items() if n >= SKELETON_MIN_PAGES}
        theme = settings.get("theme", {}).get("custom_dir")
        self.shipped_theme = theme is not None and shipped_theme(Path(theme))
        every = SKELETON_CHECK_EVERY if self.shipped_theme else SKELETON_CHECK_EVERY_CUSTOM
        self.skeletons = Skeletons(self.shared, crowded, every) if skeletons and crowded else None

    @staticmethod
    def _prepare(settings: dict[str, Any], config_path: Path, urls: list[str], cache: Path | None) -> Shared:
        from mkdocs import utils
        from mkdocs.structure.files import Files, get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation

        config = load_config(settings, config_path)
        config.plugins.on_startup(command="build", dirty=False)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)
        lazy = _lazy_pages_sound(config)
        files = get_files(config)  # static files below docs_dir (none are pages)
        file_class = _lazy_file_class() if lazy else _mkdocs_file_class()
        by_file: dict[str, File] = {}
        docs_dir, site_dir, directory_urls = config.docs_dir, config.site_dir, config.use_directory_urls
        included = _included_by_default(config)
        for src, url in sorted(((U.to_file(url), url) for url in urls), key=lambda s: walk_order(s[0])):
            file = by_file[url] = file_class(src, docs_dir, site_dir, directory_urls)
            if included is not None and included(file.src_uri):
                file.inclusion = included.level  # what set_exclusions would find (it skips a set one)
            files.append(file)
        env = config.theme.get_env()
        add_theme_files(files, env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        if lazy:
            # the navigation from the files it names: the same items, pages and links, and no Page
            # for the others (MkDocs logs those only below the warnings collected here)
            named = _nav_paths(config["nav"], config)
            nav = get_navigation(Files([f for f in files if f.src_uri in named]), config)
            # (listed once: the engine's own plugin, the only one here, changes no file in on_nav)
            doc_files = list(files.documentation_pages())
            for file in doc_files:
                file.lazy_config = config  # type: ignore[attr-defined]
        else:
            nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        if not lazy:
            doc_files = list(files.documentation_pages())
        by_url: Mapping[str, Page]
        if lazy:
            by_url = _Pages(by_file)
        else:
            pages: dict[str, Page] = {}
            for file in doc_files:
                page = file.page if file.page is not None else _mkdocs_page(file, config)
                pages[unquote(page.url)] = page
            by_url = pages
        env = config.plugins.on_env(env, config=config, files=files)
        # after on_env: the key is taken from the environment templates compile in
        env.bytecode_cache = bytecode_cache(env, cache, config.theme.custom_dir)
        files.copy_static_files()
        return Shared(config, files, doc_files, nav, env, by_url, cache, lazy)

    def order(self, url: str) -> int:
        """The page's position in MkDocs' own order (the docs tree walked top-down, sorted)."""
        if self._order is None:
            s = self.shared
            if isinstance(s.by_url, _Pages):
                index = {id(file): i for i, file in enumerate(s.doc_files)}
                self._order = {u: index[id(f)] for u, f in s.by_url.files.items() if id(f) in index}
            else:
                self._order = {u: i for i, u in enumerate(s.by_url)}  # doc_files order
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
        if self.skeletons is not None and isinstance(s.by_url, _Pages) and not self.in_parent(staged):
            # a page of a shape already learnt: filled without MkDocs' Page, context or template
            # (sound only with no plugin but the engine's own, which ``_Pages`` implies: see _prepare)
            filled = self.skeletons.fill_known(_Filled(staged, s.by_url.files[staged.url].url))
            if filled is not None:
                return filled.encode("utf-8", errors="xmlcharrefreplace") if filled.strip() else b""
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

    def add_page(self, url: str) -> bool:
        """Make ``url`` (a page that was not among ``urls``) renderable here, as it would be had it
        been listed: ``gongkai serve`` previews a new entry's page with the engine of the last
        build. ``False`` when that cannot be done (pages made up front, or a URL MkDocs would
        normalise); the caller then builds the site instead. The navigation, the sitemap and
        the other pages are not touched: a new item page is in none of them."""
        s = self.shared
        if not isinstance(s.by_url, _Pages) or not _plain(url):
            return False
        if url not in s.by_url.files:
            config = s.config
            file = _lazy_file_class()(U.to_file(url), config.docs_dir, config.site_dir, config.use_directory_urls)
            file.lazy_config = config  # type: ignore[attr-defined]
            s.by_url.files[url] = file
        return True

    def dest_of(self, url: str) -> str:
        """Where the page at ``url`` is written (:meth:`path_of` as a string, made faster: the
        build places every stored page there)."""
        if self._plain_known(url):
            return f"{self._plain_dir}/{url}index.html"
        return os.fspath(self.path_of(url))

    def _plain_known(self, url: str) -> bool:
        """A page of the site whose destination :meth:`dest_of` spells out (see ``_plain_dir``)."""
        by_url = self.shared.by_url
        return self._plain_dir is not None and _plain(url) and isinstance(by_url, _Pages) and url in by_url.files

    def path_of(self, url: str) -> Path:
        path = self._paths.get(url)
        if path is None and self._plain_known(url):
            path = self._paths[url] = Path(f"{self._plain_dir}/{url}index.html")
        if path is None:
            s = self.shared
            if isinstance(s.by_url, _Pages):
                path = Path(s.by_url.files[url].abs_dest_path)
            else:
                path = Path(s.by_url[url].file.abs_dest_path)
            self._paths[url] = path
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
                if name != "sitemap.xml" or not self._sitemap():
                    _build_theme_template(name, s.env, s.files, s.config, s.nav)
            for name in s.config.extra_templates:  # pragma: no cover - none configured
                _build_extra_template(name, s.files, s.config, s.nav)
        except engine_errors() as exc:
            raise EngineError(f"MkDocs: {describe(exc)}") from exc

    def _sitemap(self) -> bool:
        """Write sitemap.xml(.gz) as MkDocs' own template makes them — from the build cache if the
        same pages were listed before, else from the pages' URLs (:mod:`.sitemap`) — or return
        False to have MkDocs render it (a theme's own template, pages made up front)."""
        s = self.shared
        if not s.lazy:
            return False
        src_uris = [f.src_uri for f in s.doc_files]
        key = sitemap.key(s.env, s.config, src_uris)
        if key is None:  # the theme's own sitemap template
            return False
        if s.cache is not None and sitemap.cached(s.config, key, s.cache):
            return True
        if not sitemap.render(s.env, s.config, src_uris, s.nav):
            return False
        if s.cache is not None:
            sitemap.store(s.config, key, s.cache)
        return True

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


def _gc_paused() -> AbstractContextManager[None]:
    """No garbage collection while making objects that live as long as the build: each full
    collection walks the whole heap (the loaded project), and making 12,000 files' objects
    set off enough of them to cost more than making the objects (10k: Engine() 0.6 -> 0.25 CPU-s)."""
    return paused_gc()


def _plain(url: str) -> bool:
    """A directory URL whose path MkDocs would not normalise: ``a/b/`` (or the home page's ``""``)."""
    if not url:
        return True
    # no segment of ``url[:-1].split("/")`` is "", "." or "..": in "/" + url, no "//", "/./", "/../"
    slashed = "/" + url
    return url.endswith("/") and "//" not in slashed and "/./" not in slashed and "/../" not in slashed


def _lazy_pages_sound(config: MkDocsConfig) -> bool:
    """May pages be made when first read? Only the engine's own plugin, a ``nav``, and the
    files left out of it logged below the warnings collected (the derived configuration)."""
    import logging

    return (
        list(config.plugins) == ["gongkai-staged-html"]
        and isinstance(config["nav"], list)
        and config.validation.nav.omitted_files < logging.WARNING
    )


def _nav_paths(nav: Any, config: MkDocsConfig) -> set[str]:
    """The file paths a ``nav`` setting names, as ``Files.get_file_from_path`` looks them up."""
    from pathlib import PurePath

    found: set[str] = set()

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)
        elif isinstance(item, str):
            for path in (item, item.lstrip("/")):
                found.add(PurePath(path).as_posix())

    walk(nav)
    return found


class _Included:
    """Whether a page file is included under MkDocs' default exclusions alone (``.*`` and
    ``/templates/``, gitignore patterns): it is relative, no part of it starts with a dot, it is not
    below a top folder ``templates``. ``set_exclusions`` matched each of 121k pages against
    the pattern set (0.4 CPU-s at 100k entries); a path this does not clear is left to it."""

    def __init__(self, level: Any) -> None:
        self.level = level

    def __call__(self, src_uri: str) -> bool:
        return "/." not in "/" + src_uri and not src_uri.startswith(("templates/", "/")) and "\\" not in src_uri


def _included_by_default(config: MkDocsConfig) -> _Included | None:
    """:class:`_Included` when the configuration adds no exclusion, draft or not-in-nav pattern
    and MkDocs' default exclusions are the two it is written for; else None (all left to MkDocs)."""
    from mkdocs.structure import files as F

    if config.get("exclude_docs") or config.get("draft_docs") or config.get("not_in_nav"):
        return None
    patterns = [getattr(p, "pattern", None) for p in getattr(F._default_exclude, "patterns", ())]
    if patterns != [".*", "/templates/"]:
        return None
    return _Included(F.InclusionLevel.INCLUDED)


def _mkdocs_file_class() -> type[File]:
    from mkdocs.structure.files import File

    return File


def _mkdocs_page(file: File, config: MkDocsConfig) -> Page:
    from mkdocs.structure.pages import Page

    return Page(None, file, config)


_LAZY_FILE: list[type[File]] = []


def _lazy_file_class() -> type[File]:
    """MkDocs' ``File`` whose ``page``, once ``lazy_config`` is set, is made on first read."""
    if _LAZY_FILE:
        return _LAZY_FILE[0]
    from mkdocs.structure.files import File, InclusionLevel
    from mkdocs.structure.pages import Page

    class LazyFile(File):
        lazy_config: MkDocsConfig | None = None
        _page: Page | None = None

        def __init__(self, path: str, src_dir: str | None, dest_dir: str, use_directory_urls: bool) -> None:
            if path.endswith("index.md") and _plain(path[: -len("index.md")]):
                # what File.__init__ sets, without PurePath(path).as_posix(): the same string here
                self.src_uri, self.src_dir, self.dest_dir = path, src_dir, dest_dir
                self.use_directory_urls, self.inclusion = use_directory_urls, InclusionLevel.UNDEFINED
            else:
                super().__init__(path, src_dir, dest_dir, use_directory_urls)

        @property
        def page(self) -> Page | None:
            page = self._page
            if page is None and self.lazy_config is not None:
                page = Page(None, self, self.lazy_config)  # MkDocs' constructor sets self.page
            return page

        @page.setter
        def page(self, value: Page | None) -> None:
            self._page = value

    LazyFile.__name__ = LazyFile.__qualname__ = "File"  # as MkDocs' repr shows it
    _LAZY_FILE.append(LazyFile)
    return LazyFile
