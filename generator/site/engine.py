"""The HTML engine adapter — the only module that imports MkDocs.

Staged pages become MkDocs pages whose content is an HTML block; the engine
configuration is derived in memory from ``site_config.yml``, and MkDocs +
Material render it with ``theme/`` as ``custom_dir``. Swapping the engine
(Zensical, ProperDocs) means rewriting this module and the theme, nothing else.

Two ways to run the same build:

* :func:`build_reference` — one plain ``mkdocs build`` over a docs tree holding every
  staged page as a Markdown file (front matter + the HTML block). A five-line plugin
  (:class:`_StagedHtml`) hands the HTML block to MkDocs as the page content, so
  Python-Markdown does not re-parse HTML that gongkai already rendered.
* :class:`Engine` — the same steps as ``mkdocs.commands.build.build`` (MkDocs 1.6.1,
  the last 1.x release: this code follows a frozen target), but each page is given
  to MkDocs' own template environment as it is staged, from memory, and pages can be
  rendered in worker processes forked after the shared state (config, files, nav,
  Jinja environment) exists. Pages that feed a plugin's state (Material's search
  index) and pages in the navigation are rendered in the parent.

``tests/test_engine.py`` builds fixtures both ways and compares every byte.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from generator.config import SiteConfig
from generator.site import urls as U
from generator.site.htmlkit import esc
from generator.site.pages import StagedPage

# Silence Material's end-of-life banner: gongkai prints its own output only.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "true")

THEME_DIR = Path(__file__).resolve().parents[2] / "theme"


# Only the site's own scripts, styles, fonts and data; no inline script or style, no plugins,
# no frames, no third-party requests. data: images are Material's CSS icons. Browsers ignore
# frame-ancestors in a <meta>; set it as an HTTP header on the server (docs/safety.md).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)


class EngineError(Exception):
    pass


def lunr_js_path() -> Path:
    """lunr.js as shipped inside the installed MkDocs package (the project carries no copy)."""
    import mkdocs

    path = Path(mkdocs.__file__).parent / "contrib" / "search" / "templates" / "search" / "lunr.js"
    if not path.is_file():
        raise EngineError(f"lunr.js not found in the installed MkDocs package: {path}")
    return path


# ------------------------------------------------------------------ staged pages
def front_matter(page: StagedPage) -> dict[str, Any]:
    """The page's MkDocs metadata (what its Markdown file's front matter holds)."""
    front: dict[str, Any] = {"title": esc(page.title), "gk": dict(page.meta)}
    if page.url == U.HOME or (page.url.startswith((U.CATALOGUE, U.INTERPRETATIONS)) and page.url.count("/") == 2):
        front["hide"] = ["navigation"]  # item pages and the home page use the full width
    if page.meta.get("layout") == "wide":
        front["hide"] = ["navigation", "toc"]
    return front


def page_content(page: StagedPage) -> str:
    """The HTML MkDocs receives as the page content."""
    return f'<div class="gk-page" id="gk-content" tabindex="-1">\n{page.html}\n</div>\n'


def staged_markdown(page: StagedPage) -> str:
    """The page as a Markdown file of a plain MkDocs docs tree."""
    front = yaml.safe_dump(front_matter(page), allow_unicode=True, sort_keys=True)
    return f"---\n{front}---\n\n{page_content(page)}"


def write_docs(pages: Iterable[StagedPage], docs: Path, root: Path) -> int:
    """Write a plain MkDocs docs tree (used by :func:`build_reference`); return the page count."""
    count = 0
    for page in pages:
        path = _inside(docs, U.to_file(page.url))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(staged_markdown(page), encoding="utf-8")
        copy_page_files(page, docs, root)
        count += 1
    return count


def copy_page_files(page: StagedPage, dest: Path, root: Path) -> None:
    """Copy the page's attachments and media (``page.files``) below ``dest``."""
    for source, target in page.files:
        path = _inside(dest, target)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / source, path)


def _inside(docs: Path, rel: str) -> Path:
    """``docs/rel``, refusing anything that would land outside the staging tree."""
    path = docs / rel
    if ".." in Path(rel).parts or Path(rel).is_absolute() or not path.resolve().is_relative_to(docs.resolve()):
        raise EngineError(f"页面或附件地址 {rel!r} 超出网站目录")
    return path


# ------------------------------------------------------------------ configuration
def theme_dir(root: Path) -> Path:
    """The project's own theme/ overrides when present, else the ones shipped with gongkai."""
    own = root / "theme"
    return own if (own / "main.html").is_file() else THEME_DIR


def engine_config(
    cfg: SiteConfig, docs: Path, out: Path, nav_pages: list[tuple[str, str]], theme: Path = THEME_DIR
) -> dict[str, Any]:
    nav: list[Any] = [
        {"首页": "index.md"},
        {
            "信息公开目录": [
                {"目录首页": U.to_file(U.CATALOGUE)},
                {"按主题分类": U.to_file(U.TOPICS)},
                {"按发布机构": U.to_file(U.AGENCIES)},
                {"按年份": U.to_file(U.YEARS)},
                {"按信息类别": U.to_file(U.TYPES)},
                {"现行有效规范性文件库": U.to_file(U.LIBRARY)},
            ]
        },
        {"政策解读": U.to_file(U.INTERPRETATIONS)},
        *({esc(title): U.to_file(url)} for title, url in nav_pages),
    ]
    return {
        # Material prints these without escaping; they are HTML here.
        "site_name": esc(cfg.name),
        "site_url": cfg.url,
        "site_description": esc(cfg.description),
        "docs_dir": str(docs),
        "site_dir": str(out),
        "use_directory_urls": True,
        "theme": {
            "name": "material",
            "custom_dir": str(theme),
            "language": "zh",
            "font": False,
            # not content.tooltips: it builds tooltips with innerHTML from every title attribute
            # (the theme's too: nav titles are unescaped by striptags), so a title became markup
            "features": ["navigation.tabs", "navigation.top", "navigation.indexes"],
            "palette": [
                {
                    "scheme": "default",
                    "primary": "red",
                    "accent": "red",
                    "toggle": {"icon": "material/contrast-box", "name": "切换为高对比度模式"},
                },
                {
                    "scheme": "slate",
                    "primary": "black",
                    "accent": "yellow",
                    "toggle": {"icon": "material/contrast-box", "name": "切换为普通模式"},
                },
            ],
        },
        "nav": nav,
        # No engine search: the catalogue search (generator/search, theme/partials/search.html) is the only one.
        "plugins": [],
        "markdown_extensions": ["md_in_html"],
        "extra_css": ["assets/stylesheets/gongkai.css", "assets/stylesheets/search.css"],
        "extra_javascript": ["assets/javascripts/gongkai.js"],
        "extra": {
            "gongkai": {**cfg.footer, "site_name": cfg.name},
            "generator": False,
            "csp": CONTENT_SECURITY_POLICY,
        },
        "validation": {
            "nav": {"omitted_files": "ignore", "not_found": "warn"},
            "links": {"not_found": "ignore", "absolute_links": "ignore", "unrecognized_links": "ignore"},
        },
    }


def fingerprint(settings: dict[str, Any]) -> str:
    """What, besides a page's own content and URL, decides its HTML: for the build cache.

    The engine settings (without the build's temporary folders), the versions of the
    engine packages, this module's code and every file of the theme overrides.
    """
    from importlib.metadata import version

    h = hashlib.sha256()
    stable = {k: v for k, v in settings.items() if k not in ("docs_dir", "site_dir")}
    h.update(yaml.safe_dump(stable, allow_unicode=True, sort_keys=True).encode())
    for package in ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pyyaml"):
        h.update(f"{package}={version(package)}\n".encode())
    h.update(Path(__file__).read_bytes())
    theme = Path(settings["theme"]["custom_dir"])
    for path in sorted(theme.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(theme).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def engine_date() -> str:
    """The date MkDocs stamps on pages (sitemap ``lastmod``): SOURCE_DATE_EPOCH or today."""
    from mkdocs.utils import get_build_date

    return str(get_build_date())


# ------------------------------------------------------------------ logging
class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


class _MkDocsLog:
    """Collect MkDocs' warnings instead of printing them, for the duration of a build."""

    def __init__(self) -> None:
        self.handler = _Collect()
        self.logger = logging.getLogger("mkdocs")

    def __enter__(self) -> _Collect:
        self.saved = (self.logger.handlers[:], self.logger.level, self.logger.propagate)
        self.logger.handlers = [self.handler]
        self.logger.setLevel(logging.WARNING)
        self.logger.propagate = False
        return self.handler

    def __exit__(self, *exc: object) -> None:
        self.logger.handlers, level, self.logger.propagate = self.saved[0], self.saved[1], self.saved[2]
        self.logger.setLevel(level)


def _load(settings: dict[str, Any], config_path: Path) -> Any:
    from mkdocs.config import load_config

    text = yaml.safe_dump(settings, allow_unicode=True, sort_keys=True)
    config = load_config(io.StringIO(text), config_file_path=str(config_path))
    config.plugins["gongkai-staged-html"] = _StagedHtml()
    return config


def _staged_html_plugin() -> type:
    from mkdocs.plugins import BasePlugin

    class StagedHtml(BasePlugin):
        """The staged page's HTML block is the page content: Markdown gets an empty string."""

        def __init__(self) -> None:
            self.html: dict[str, str] = {}

        def on_page_markdown(self, markdown: str, /, *, page: Any, config: Any, files: Any) -> str:
            self.html[page.file.src_uri] = markdown
            return ""

        def on_page_content(self, html: str, /, *, page: Any, config: Any, files: Any) -> str:
            return self.html.pop(page.file.src_uri, html)

    return StagedHtml


def _StagedHtml() -> Any:  # noqa: N802 - reads like the class it makes
    return _staged_html_plugin()()


def _engine_errors() -> tuple[type[BaseException], ...]:
    """What a failing engine raises: MkDocs' own errors, I/O, and any other exception
    (a broken theme template, a plugin bug) — still an engine failure, never a traceback."""
    return (Exception,)


def _describe(exc: BaseException) -> str:
    from mkdocs import exceptions

    if isinstance(exc, (exceptions.MkDocsException, exceptions.Abort, OSError)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


# ------------------------------------------------------------------ reference build
def build_reference(settings: dict[str, Any], config_path: Path) -> list[str]:
    """One plain MkDocs build of the docs tree in ``settings["docs_dir"]``; return its warnings."""
    from mkdocs.commands.build import build

    with _MkDocsLog() as log:
        try:
            config = _load(settings, config_path)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except _engine_errors() as exc:
            raise EngineError(f"MkDocs: {_describe(exc)}; {'; '.join(log.records)}") from exc
    return log.records


run_engine = build_reference  # the name the foundation used


# ------------------------------------------------------------------ fast build
@dataclass
class _Shared:
    config: Any
    files: Any
    doc_files: Any
    nav: Any
    env: Any
    by_url: dict[str, Any]


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
        self.log = _MkDocsLog()
        self.records = self.log.__enter__()
        try:
            self.shared = self._prepare(settings, config_path, urls)
        except _engine_errors() as exc:
            self.log.__exit__()
            raise EngineError(f"MkDocs: {_describe(exc)}; {'; '.join(self.records.records)}") from exc
        self.site_dir = Path(self.shared.config.site_dir)
        # MkDocs percent-encodes its page URLs; ours are the plain paths (see urls.href)
        self.nav_urls = {unquote(p.url) for p in self.shared.nav.pages}
        self._order = {unquote(file.page.url): i for i, file in enumerate(self.shared.doc_files)}
        folders: dict[str, int] = {}
        for url in urls:
            folders[_folder(url)] = folders.get(_folder(url), 0) + 1
        crowded = {folder for folder, n in folders.items() if n >= SKELETON_MIN_PAGES}
        self.skeletons = _Skeletons(self.shared, crowded) if skeletons and crowded else None

    @staticmethod
    def _prepare(settings: dict[str, Any], config_path: Path, urls: list[str]) -> _Shared:
        from mkdocs import utils
        from mkdocs.structure.files import File, get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page

        config = _load(settings, config_path)
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
        doc_files = files.documentation_pages()
        for file in doc_files:
            if file.page is None:
                Page(None, file, config)
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files()
        by_url = {unquote(file.page.url): file.page for file in doc_files}
        return _Shared(config, files, doc_files, nav, env, by_url)

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
        except _engine_errors() as exc:  # a broken theme template: name the page, no traceback
            raise EngineError(f"MkDocs: /{staged.url}: {_describe(exc)}") from exc

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
        return Path(self.shared.by_url[url].file.abs_dest_path)

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
        except _engine_errors() as exc:
            raise EngineError(f"MkDocs: {_describe(exc)}") from exc

    def finish(self) -> list[str]:
        """Run post_build (Material writes its search index) and shutdown; return MkDocs' warnings."""
        config = self.shared.config
        try:
            config.plugins.on_post_build(config=config)
            config.plugins.on_shutdown()
        except _engine_errors() as exc:
            raise EngineError(f"MkDocs: {_describe(exc)}; {'; '.join(self.records.records)}") from exc
        finally:
            self.log.__exit__()
        return self.records.records

    def abort(self) -> None:
        self.log.__exit__()


# ------------------------------------------------------------------ skeletons
# Rendering Material's base.html costs ~3 ms a page; for the thousands of entry
# pages that share a folder, the output differs only where the page's own strings
# (title, metadata values, URL, content) are printed. _Skeletons renders the
# template once per *shape* of page (folder, the structure and truthiness of its
# metadata, whether the content has an <h1>) with marker strings in those places,
# learns where each marker is printed and whether escaped, and fills the markers
# in for each page. The first page of each shape and every SKELETON_CHECK_EVERY-th
# one are also rendered in full and compared: a template that uses a page string
# in any other way (a filter, a length test) makes the shape fall back to full
# rendering, or, if noticed only later, fails the build.
SKELETON_MIN_PAGES = 50
SKELETON_CHECK_EVERY = 250
_MARK = "gkq7z"
_SPECIAL = "<&\"'>"


def _folder(url: str) -> str:
    """``catalogue/A/`` → ``catalogue/``; relative links from pages of one folder are the same."""
    return url.rsplit("/", 2)[0] + "/" if url.count("/") >= 2 else ""


def _escape(value: str) -> str:
    from markupsafe import escape

    return str(escape(value))


@dataclass
class _Skeleton:
    parts: list[str | tuple[str, bool]]  # literal text, or (slot, escaped)
    rendered: int = 0


class _Skeletons:
    def __init__(self, shared: _Shared, folders: set[str]) -> None:
        self.shared = shared
        self.folders = folders
        self.shapes: dict[tuple[str, str, bool], _Skeleton | None] = {}

    @staticmethod
    def slots(page: Any) -> dict[str, str]:
        meta = page.meta
        values = {"title": meta.get("title")}
        values.update({f"gk.{k}": v for k, v in (meta.get("gk") or {}).items()})
        out = {k: v for k, v in values.items() if isinstance(v, str) and v}
        out["content"] = page.content or ""
        out["seg"] = page.url.rsplit("/", 2)[-2] if page.url.count("/") >= 1 else ""
        return out

    def shape(self, page: Any) -> tuple[str, str, bool]:
        meta = dict(page.meta)
        structure = {k: v for k, v in meta.items() if k not in ("title", "gk")}
        structure["title?"] = bool(meta.get("title"))
        structure["gk?"] = {k: (v if not isinstance(v, str) else bool(v)) for k, v in (meta.get("gk") or {}).items()}
        text = json.dumps(structure, ensure_ascii=False, sort_keys=True, default=repr)
        return (_folder(page.url), text, "<h1" in (page.content or ""))

    def render(self, page: Any, template: Any, full: Any) -> str | None:
        """The page's template output via its shape's skeleton, or ``None`` to render in full."""
        folder = _folder(page.url)
        if folder not in self.folders or not page.url:
            return None
        key = self.shape(page)
        if key not in self.shapes:
            self.shapes[key] = self._learn(page, template)
            if self.shapes[key] is not None and self._fill(self.shapes[key], page) != full():  # type: ignore[arg-type]
                self.shapes[key] = None
        skeleton = self.shapes[key]
        if skeleton is None:
            return None
        skeleton.rendered += 1
        output = self._fill(skeleton, page)
        if skeleton.rendered % SKELETON_CHECK_EVERY == 0 and output != full():
            raise EngineError(
                f"the page template prints /{page.url} differently from its skeleton; "
                "set GONGKAI_SKELETONS=0 to render every page in full"
            )
        return output

    def _fill(self, skeleton: _Skeleton, page: Any) -> str:
        values = self.slots(page)
        out = []
        for part in skeleton.parts:
            if isinstance(part, str):
                out.append(part)
            else:
                value = values.get(part[0], "")
                out.append(_escape(value) if part[1] else value)
        return "".join(out)

    def _probe(self, page: Any, template: Any, values: dict[str, str]) -> tuple[str, Any]:
        from mkdocs.commands.build import get_context
        from mkdocs.structure.files import File
        from mkdocs.structure.pages import Page
        from mkdocs.structure.toc import get_toc

        s = self.shared
        config = s.config
        folder, seg = _folder(page.url), values["seg"]
        probe = Page(None, File(f"{folder}{seg}/index.md", config.docs_dir, config.site_dir, True), config)
        meta = dict(page.meta)
        if "title" in values:
            meta["title"] = values["title"]
        if isinstance(meta.get("gk"), dict):
            meta["gk"] = {k: values.get(f"gk.{k}", v) for k, v in meta["gk"].items()}
        probe.meta, probe.markdown, probe.content = meta, "", values["content"]
        probe.toc, probe._title_from_render = get_toc([]), None
        probe.present_anchor_ids, probe.links_to_anchors = set(), {}
        previous = config._current_page
        config._current_page = probe
        try:
            probe.active = True
            context = get_context(s.nav, s.doc_files, config, probe)
            context = config.plugins.on_page_context(context, page=probe, config=config, nav=s.nav)
            return template.render(context), probe
        finally:
            probe.active = False
            config._current_page = previous

    def _learn(self, page: Any, template: Any) -> _Skeleton | None:
        real = self.slots(page)
        h1 = "<h1" in real["content"]

        def markers(special: str) -> dict[str, str]:
            out = {}
            for n, name in enumerate(real):
                if name == "seg":
                    out[name] = f"{_MARK}{n}s"
                elif name == "content":
                    body = f"{_MARK}{n}c{special}"
                    out[name] = f"<h1>{body}</h1>" if h1 else body
                else:
                    out[name] = f"{_MARK}{n}v{special}"
            return out

        plain, marked = markers(""), markers(_SPECIAL)
        rendered_plain, _ = self._probe(page, template, plain)
        rendered_marked, probe = self._probe(page, template, marked)
        if probe.content != marked["content"]:  # a plugin rewrote the content: not a pure slot
            return None
        forms: list[tuple[str, str, bool]] = []
        for name, value in marked.items():
            forms.append((value, name, False))
            escaped = _escape(value)
            if escaped != value:
                forms.append((escaped, name, True))
        forms.sort(key=lambda f: -len(f[0]))
        lookup = {text: (name, esc_) for text, name, esc_ in forms}
        pattern = re.compile("|".join(re.escape(text) for text, _, _ in forms))
        parts: list[str | tuple[str, bool]] = []
        last = 0
        for m in pattern.finditer(rendered_marked):
            parts.append(rendered_marked[last : m.start()])
            parts.append(lookup[m.group(0)])
            last = m.end()
        parts.append(rendered_marked[last:])
        if any(isinstance(p, str) and _MARK in p for p in parts):
            return None  # a marker printed in a form we do not model
        skeleton = _Skeleton(parts)
        check = "".join(p if isinstance(p, str) else (_escape(plain[p[0]]) if p[1] else plain[p[0]]) for p in parts)
        return skeleton if check == rendered_plain else None


def walk_order(src_uri: str) -> tuple[tuple[int, Any], ...]:
    """Sort key giving ``mkdocs.structure.files.get_files``' order: ``os.walk`` top-down,
    folders sorted by name, a folder's files (``index`` first) before its subfolders."""
    *folders, name = src_uri.split("/")
    stem = name.rsplit(".", 1)[0]
    return (*((1, folder) for folder in folders), (0, (stem not in ("index", "README"), name)))


def write_file(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
