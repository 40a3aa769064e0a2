"""The engine configuration derived from ``site_config.yml``, the theme it renders with, the CSP.

``engine_config`` is the ``mkdocs.yml`` of a site, as a dict: no hand-kept file to drift.
Both MkDocs + Material and Zensical read it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator import __version__
from generator.model import urls as U
from generator.model.siteconfig import SiteConfig
from generator.site.engine.errors import EngineError
from generator.site.htmlkit import esc
from generator.site.themes import THEME_DIR, theme_dir  # noqa: F401 - the shipped theme; a site's is layered over it

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


# The theme's own files the pages load by a fixed name (Material's are named by their hash:
# bundle.<hash>.min.js): each URL carries ``?v=`` and the start of the file's SHA-256, so a
# browser that kept one of another release (or of the site's own theme/ before an edit)
# never runs it with these pages. The templates read the versions from config.extra.gk_assets.
STYLES = ("assets/stylesheets/gongkai.css", "assets/stylesheets/search.css")
SCRIPTS = ("assets/javascripts/gongkai.js",)
TEMPLATE_ASSETS = ("assets/javascripts/gk-text.js", "assets/javascripts/md-base.js",
                   "assets/javascripts/md-palette.js", "assets/javascripts/md-content.js")  # fmt: skip
# the search page's scripts, in the order it loads them (theme/main.html); lunr.js is MkDocs'
# own (generator/site/search.py: write_scripts copies it over any other)
SEARCH_SCRIPTS_DIR = "assets/javascripts/search"
SEARCH_SCRIPT_NAMES = ("lunr.js", "tokenizer.js", "engine.js", "search.js")
SEARCH_SCRIPTS = tuple(f"{SEARCH_SCRIPTS_DIR}/{name}" for name in SEARCH_SCRIPT_NAMES)
VERSION_CHARS = 12  # hexadecimal digits of SHA-256 in an asset URL's ?v=


def asset_version(data: bytes) -> str:
    """The ``?v=`` of an asset URL: the start of the SHA-256 of the file's bytes (unchanged
    bytes keep their URL: rebuilds stay byte-identical; changed bytes get a new one)."""
    return hashlib.sha256(data).hexdigest()[:VERSION_CHARS]


def asset_versions(theme: Path) -> dict[str, str]:
    """The version of each of the theme's fixed-name assets, from the files the site gets
    (``theme``: the shipped theme, or the site's own files layered over it)."""
    out: dict[str, str] = {}
    for rel in (*STYLES, *SCRIPTS, *TEMPLATE_ASSETS, *SEARCH_SCRIPTS):
        path = lunr_js_path() if rel == SEARCH_SCRIPTS[0] else theme / rel
        try:
            out[rel] = asset_version(path.read_bytes())
        except OSError as exc:
            raise EngineError(f"theme asset {rel} cannot be read: {exc}") from exc
    return out


def lunr_js_path() -> Path:
    """lunr.js as shipped inside the installed MkDocs package (the project carries no copy)."""
    import mkdocs

    path = Path(mkdocs.__file__).parent / "contrib" / "search" / "templates" / "search" / "lunr.js"
    if not path.is_file():
        raise EngineError(f"lunr.js not found in the installed MkDocs package: {path}")
    return path


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
    versions = asset_versions(theme)
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
        "extra_css": [f"{rel}?v={versions[rel]}" for rel in STYLES],
        "extra_javascript": [f"{rel}?v={versions[rel]}" for rel in SCRIPTS],
        "extra": {
            # site_domain: 47号 SiteDomain is the host name; computed here, as Zensical's templates have no str.split
            "gongkai": {**cfg.footer, "site_name": cfg.name, "site_domain": urlsplit(cfg.url).hostname or ""},
            "generator": False,
            "gongkai_version": __version__,  # <meta name="generator" content="gongkai X.Y.Z"> (theme/main.html)
            "csp": CONTENT_SECURITY_POLICY,
            # the ?v= of the scripts the templates load (theme/main.html, theme/partials/javascripts/)
            "gk_assets": {rel: versions[rel] for rel in (*TEMPLATE_ASSETS, *SEARCH_SCRIPTS)},
            "gk_search_scripts": list(SEARCH_SCRIPTS),
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
    stable["theme"] = {k: v for k, v in settings["theme"].items() if k != "custom_dir"}  # its files are hashed below
    h.update(yaml.safe_dump(stable, allow_unicode=True, sort_keys=True).encode())
    for package in ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pyyaml"):
        h.update(f"{package}={version(package)}\n".encode())
    for code in sorted(Path(__file__).parent.glob("*.py")):
        h.update(code.name.encode() + b"\0" + code.read_bytes())
    theme = Path(settings["theme"]["custom_dir"])
    for path in sorted(theme.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(theme).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def engine_date() -> str:
    """The date MkDocs stamps on pages (sitemap ``lastmod``): SOURCE_DATE_EPOCH or today."""
    from mkdocs.utils import get_build_date

    return str(get_build_date())


def shipped_theme(theme: Path) -> bool:
    """Does ``theme`` hold exactly the files of the shipped theme (by content, wherever it lies)?"""
    return _theme_digest(theme) == _theme_digest(THEME_DIR)


def _theme_digest(theme: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(theme.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(theme).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()
