"""Staged pages as the engine receives them: metadata, content, a Markdown docs tree."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from generator.model import urls as U
from generator.site.engine.errors import EngineError
from generator.site.htmlkit import esc, rel
from generator.site.pagetypes import StagedPage

# 当前位置: the site's sections (URLs of generator/model/urls.py) and each one's parent section.
SECTIONS: dict[str, tuple[str, str]] = {
    U.CATALOGUE: ("信息公开目录", ""),
    U.TOPICS: ("按主题分类", U.CATALOGUE),
    U.AGENCIES: ("按发布机构", U.CATALOGUE),
    U.YEARS: ("按年份", U.CATALOGUE),
    U.TYPES: ("按信息类别", U.CATALOGUE),
    U.LIBRARY: ("现行有效规范性文件库", U.CATALOGUE),
    U.LIBRARY_REPEALED: ("失效、废止和修改文件目录", U.LIBRARY),
    U.INTERPRETATIONS: ("政策解读", ""),
    "search/": ("搜索", ""),
    "stats/": ("年度报告统计", ""),
    "data/": ("开放数据", ""),
}
# The header tab a section's pages belong to, by the URL its tab links to (engine_config's nav).
TAB_OF_SECTION = {U.INTERPRETATIONS: U.INTERPRETATIONS} | {
    s: U.CATALOGUE for s in (U.CATALOGUE, U.TOPICS, U.AGENCIES, U.YEARS, U.TYPES, U.LIBRARY)
}


def _section(url: str) -> str:
    return max((s for s in SECTIONS if url.startswith(s)), key=len, default="")


def crumbs(page: StagedPage) -> str:
    """当前位置 (breadcrumb) of a page, links relative to it, so it works under any base path.

    Rendered here rather than in the theme: a template that branches on the page's URL makes
    every page shape unprovable for the skeleton fast path (engine/probe.py)."""
    here, title = page.url, esc(page.title)
    if here == U.HOME:
        items = [f'<li><a href="{rel(here, U.HOME)}" aria-current="page">首页</a></li>']
    else:
        chain: list[str] = []
        at = _section(here)
        while at:
            chain.insert(0, at)
            at = SECTIONS[at][1]
        items = [f'<li><a href="{rel(here, U.HOME)}">首页</a></li>']
        for url in chain:
            current = ' aria-current="page"' if url == here else ""
            label = title if url == here else SECTIONS[url][0]
            items.append(f'<li><a href="{rel(here, url)}"{current}>{label}</a></li>')
        if here != _section(here):
            items.append(f'<li><a href="{rel(here, here)}" aria-current="page">{title}</a></li>')
    return f'<nav class="gk-crumbs" aria-label="当前位置">当前位置：<ol>{"".join(items)}</ol></nav>'


# The last page's front matter: a build asks for it twice in a row (the page's cache key, then
# its render). One tuple, rebound at once, so that threads (gongkai serve) never mix two pages.
_last: tuple[StagedPage | None, dict[str, Any]] = (None, {})


def front_matter(page: StagedPage) -> dict[str, Any]:
    """The page's MkDocs metadata (what its Markdown file's front matter holds)."""
    global _last
    last = _last
    if last[0] is page:
        return last[1]
    front = _front_matter(page)
    _last = (page, front)
    return front


def _front_matter(page: StagedPage) -> dict[str, Any]:
    # crumbs and tab go inside "gk": values there are page slots the fast path fills; a value
    # elsewhere in the front matter is part of the page's shape (engine/skeletons.py)
    gk = {**page.meta, "crumbs": crumbs(page)}
    tab = TAB_OF_SECTION.get(_section(page.url), "")
    if tab:
        gk["tab"] = tab  # the header tab to mark active on a page outside the navigation
    front: dict[str, Any] = {"title": esc(page.title), "gk": gk}
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
