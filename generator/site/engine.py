"""The HTML engine adapter — the only module that imports MkDocs.

Staged pages are written as a plain docs tree (Markdown files whose content is
an HTML block), the engine configuration is derived in memory from
``site_config.yml``, and MkDocs + Material render it with ``theme/`` as
``custom_dir``. Swapping the engine (Zensical, ProperDocs) means rewriting this
module and the theme, nothing else.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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


def write_docs(pages: Iterable[StagedPage], docs: Path, root: Path) -> int:
    """Write the staging docs tree; return the number of pages."""
    count = 0
    for page in pages:
        path = _inside(docs, U.to_file(page.url))
        path.parent.mkdir(parents=True, exist_ok=True)
        front = {"title": esc(page.title), "gk": page.meta}
        if page.url == U.HOME or (page.url.startswith((U.CATALOGUE, U.INTERPRETATIONS)) and page.url.count("/") == 2):
            front["hide"] = ["navigation"]  # item pages and the home page use the full width
        if page.meta.get("layout") == "wide":
            front["hide"] = ["navigation", "toc"]
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=True) + "---\n\n" \
            + '<div class="gk-page" id="gk-content" tabindex="-1" markdown="0">\n' + _no_blank_lines(page.html) + "\n</div>\n"
        path.write_text(text, encoding="utf-8")
        for source, target in page.files:
            dest = _inside(docs, target)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / source, dest)
        count += 1
    return count


def _inside(docs: Path, rel: str) -> Path:
    """``docs/rel``, refusing anything that would land outside the staging tree."""
    path = docs / rel
    if ".." in Path(rel).parts or Path(rel).is_absolute() or not path.resolve().is_relative_to(docs.resolve()):
        raise EngineError(f"页面或附件地址 {rel!r} 超出网站目录")
    return path


def _no_blank_lines(html: str) -> str:
    # A blank line would end Markdown's raw HTML block; keep the block contiguous.
    return "\n".join(line for line in html.split("\n") if line.strip()) if "<pre" not in html else html


def theme_dir(root: Path) -> Path:
    """The project's own theme/ overrides when present, else the ones shipped with gongkai."""
    own = root / "theme"
    return own if (own / "main.html").is_file() else THEME_DIR


def engine_config(
    cfg: SiteConfig, docs: Path, out: Path, nav_pages: list[tuple[str, str]], theme: Path = THEME_DIR
) -> dict[str, Any]:
    nav: list[Any] = [
        {"首页": "index.md"},
        {"信息公开目录": [
            {"目录首页": U.to_file(U.CATALOGUE)},
            {"按主题分类": U.to_file(U.TOPICS)},
            {"按发布机构": U.to_file(U.AGENCIES)},
            {"按年份": U.to_file(U.YEARS)},
            {"按信息类别": U.to_file(U.TYPES)},
            {"现行有效规范性文件库": U.to_file(U.LIBRARY)},
        ]},
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
            "features": ["navigation.tabs", "navigation.top", "navigation.indexes", "content.tooltips"],
            "palette": [
                {"scheme": "default", "primary": "red", "accent": "red",
                 "toggle": {"icon": "material/contrast-box", "name": "切换为高对比度模式"}},
                {"scheme": "slate", "primary": "black", "accent": "yellow",
                 "toggle": {"icon": "material/contrast-box", "name": "切换为普通模式"}},
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
        "validation": {"nav": {"omitted_files": "ignore", "not_found": "warn"},
                       "links": {"not_found": "ignore", "absolute_links": "ignore", "unrecognized_links": "ignore"}},
    }


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


def run_engine(settings: dict[str, Any], config_path: Path) -> list[str]:
    """Build with MkDocs; return the engine's warnings. Raises EngineError on failure."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    saved = (logger.handlers[:], logger.level, logger.propagate)
    logger.handlers = [handler]
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        text = yaml.safe_dump(settings, allow_unicode=True, sort_keys=True)
        config = load_config(io.StringIO(text), config_file_path=str(config_path))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (exceptions.MkDocsException, exceptions.Abort, OSError) as exc:
        raise EngineError(f"MkDocs: {exc}; {'; '.join(handler.records)}") from exc
    except Exception as exc:  # a broken theme template, a plugin bug: still an engine failure
        raise EngineError(f"MkDocs: {type(exc).__name__}: {exc}; {'; '.join(handler.records)}") from exc
    finally:
        logger.handlers, level, logger.propagate = saved[0], saved[1], saved[2]
        logger.setLevel(level)
    return handler.records
