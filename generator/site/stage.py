"""The staging tree: every page the engine renders, as a self-contained MkDocs project.

``gongkai stage DIR`` writes it; ``gongkai build --engine zensical`` builds it. It is
the very input the reference build hands to MkDocs:

* ``DIR/docs/`` — one Markdown file per staged page (front matter + the page's HTML
  block) and the pages' attachments and media (:func:`generator.site.engine.write_docs`);
* ``DIR/theme/`` — the effective theme overrides (the shipped theme, or the site's);
* ``DIR/mkdocs.yml`` — the derived engine configuration, with paths relative to DIR,
  so the folder can be moved and built without gongkai::

      SOURCE_DATE_EPOCH=… mkdocs build -f DIR/mkdocs.yml
      SOURCE_DATE_EPOCH=… zensical build -f DIR/mkdocs.yml

  (``DIR/build.env`` holds the ``SOURCE_DATE_EPOCH`` gongkai's own build uses.)

gongkai's own outputs (search index, feeds, exports, CSP checks, sitemap for engines
that lack one) are not part of the staging tree: they run on the engine's output.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.project import Project
from generator.site.engine import engine_config, theme_dir, write_docs
from generator.site.outputs import PAGE_SOURCES
from generator.site.pages import PageBuilder
from generator.site.pagetypes import StagedPage
from generator.site.reproducible import engine_epoch

CONFIG_NAME = "mkdocs.yml"
STAGE_MARK = ".gongkai-stage"  # a folder holding this file was written by `gongkai stage`


class StageError(Exception):
    """The staging folder cannot be written (not empty and not a staging folder)."""


# A MkDocs hook (a Python file named in mkdocs.yml, no installation needed): the staged
# page's Markdown is an HTML block that already is the page content, as in gongkai's build.
HOOKS_NAME = "gongkai_hooks.py"
HOOKS = '''"""Written by `gongkai stage`: a staged page's Markdown is an HTML block that is its content."""

_html = {}


def on_page_markdown(markdown, page, **kwargs):
    _html[page.file.src_uri] = markdown
    return ""


def on_page_content(html, page, **kwargs):
    return _html.pop(page.file.src_uri, html)
'''


@dataclass(frozen=True)
class Staged:
    root: Path
    config: Path
    pages: int
    epoch: int
    urls: list[str]


def nav_pages(catalogue: Catalogue) -> list[tuple[str, str]]:
    """The content pages listed in the navigation, as (title, URL)."""
    return [(p.title, U.page_url(p.slug)) for p in catalogue.pages if p.nav_order is not None]


def staged_pages(catalogue: Catalogue, root: Path) -> list[StagedPage]:
    """Every page of the site, built (entry and listing pages, then the page sources);
    ``root`` is the project folder (attachment sizes are read there)."""
    pages = [job.build() for job in PageBuilder(catalogue, root=root).jobs()]
    pages += [page for source in PAGE_SOURCES for page in source(catalogue)]
    return pages


def relative_config(settings: dict[str, Any]) -> dict[str, Any]:
    """``settings`` with docs, site and theme folders relative to the config file's folder."""
    out = dict(settings)
    out["docs_dir"], out["site_dir"] = "docs", "site"
    out["theme"] = {**settings["theme"], "custom_dir": "theme"}
    out["hooks"] = [HOOKS_NAME]
    return out


def write_stage(project: Project, dest: Path) -> Staged:
    """Write the staging tree of ``project`` into ``dest``: a new or empty folder, or one an
    earlier ``gongkai stage`` wrote (replaced). Anything else is refused, untouched."""
    dest = dest.resolve()
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise StageError(f"{dest} 不是文件夹，未改动")
    root = project.root.resolve()
    if (
        dest == root
        or root.is_relative_to(dest)
        or dest.is_relative_to(root / "catalogue")
        or dest.is_relative_to(root / "content")
    ):
        raise StageError(f"{dest} 包含项目源文件或位于其中，未改动")
    if dest.exists() and any(dest.iterdir()):
        if not (dest / STAGE_MARK).is_file():
            raise StageError(f"{dest} 不是空文件夹，也不是 gongkai stage 写出的文件夹，未改动")
        shutil.rmtree(dest)
    return stage_into(project, dest, project.public())


def stage_into(project: Project, dest: Path, catalogue: Catalogue) -> Staged:
    """Write the staging tree of ``catalogue`` (``project``'s public catalogue) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / STAGE_MARK).write_text("written by gongkai stage; the folder is replaced on the next run\n")
    pages = staged_pages(catalogue, project.root)
    count = write_docs(pages, dest / "docs", project.root)
    theme = theme_dir(project.root, dest)  # a site's overrides layered over the shipped theme, into dest/theme
    if theme != dest / "theme":
        shutil.copytree(theme, dest / "theme")
    settings = engine_config(project.config, dest / "docs", dest / "site", nav_pages(catalogue), dest / "theme")
    text = yaml.safe_dump(relative_config(settings), allow_unicode=True, sort_keys=True)
    (dest / CONFIG_NAME).write_text(text, encoding="utf-8")
    (dest / HOOKS_NAME).write_text(HOOKS, encoding="utf-8")
    epoch = engine_epoch(catalogue)
    (dest / "build.env").write_text(f"SOURCE_DATE_EPOCH={epoch}\n", encoding="utf-8")
    return Staged(dest, dest / CONFIG_NAME, count, epoch, [page.url for page in pages])
