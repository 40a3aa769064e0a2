"""``gongkai build --engine zensical``: an engine builds the staging tree, gongkai finishes the site.

The engine (behind :class:`generator.site.engine.adapters.StagedEngine`) turns the
staging tree that ``gongkai stage`` writes into HTML pages. Then gongkai does what it
always does itself, whatever the engine:

* removes the engine's own search (``search.json`` and its worker): the catalogue
  search is gongkai's (generator/search);
* keeps one skip link per page (the theme's, to ``#gk-content``);
* writes ``sitemap.xml`` with ``lastmod`` and ``sitemap.xml.gz``, byte for byte as
  MkDocs writes them, when the engine's sitemap has no dates;
* checks that every page carries the Content-Security-Policy;
* runs the output writers (search index, exports, feeds, statistics) and publishes
  with the same atomic swap as the default build.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
from pathlib import Path
from urllib.parse import urljoin

from markupsafe import escape

from generator.model import urls as U
from generator.ownership import mark_site
from generator.parallel import deferred_signals
from generator.project import Project
from generator.site.body import BodyError
from generator.site.build import write_outputs
from generator.site.engine import EngineError, walk_order
from generator.site.engine.adapters import staged_engine
from generator.site.publish import BACKGROUND_DELETE_PAGES, discard, new_work, swap
from generator.site.reproducible import engine_clock
from generator.site.result import BuildError, BuildStats
from generator.site.stage import stage_into

CSP_META = '<meta http-equiv="Content-Security-Policy"'
OUR_SKIP_LINK = '<a href="#gk-content" class="md-skip">'
ENGINE_SKIP_LINK = re.compile(r'\s*<a href="#__skip" class="md-skip">[^<]*</a>')
ENGINE_SEARCH = ("search.json", "search/search_index.json")


def build_staged(project: Project, target: Path, engine_name: str) -> BuildStats:
    """Build ``project`` into ``target`` with the named staged engine (see the module docstring)."""
    try:
        engine = staged_engine(engine_name)
    except EngineError as exc:
        raise BuildError(str(exc)) from exc
    catalogue = project.public()
    work = new_work(target)  # ours: a later build may clean it up if this one is killed
    swapped = False
    pages = 0
    try:
        out = work / "site"
        try:
            staged = stage_into(project, work / "stage", catalogue)
        except BodyError as exc:
            raise BuildError("正文无法排版", (exc.diagnostic,)) from exc
        pages = staged.pages
        with engine_clock(catalogue) as epoch:
            warnings = engine.build(staged.root, out)
        finish_pages(out)
        if not engine.writes_sitemap_lastmod:
            write_sitemap(out, staged.urls, project.config.url, epoch)
        missing = pages_without_csp(out)
        if missing:
            raise BuildError(f"{engine.name} 生成的页面缺少内容安全策略（CSP）：{'、'.join(missing[:5])}")
        write_outputs(catalogue, out)
        mark_site(out)
        with deferred_signals():
            swap(out, target, work)
            swapped = True
    except EngineError as exc:
        raise BuildError(str(exc)) from exc
    finally:
        discard(work, background=swapped and pages >= BACKGROUND_DELETE_PAGES)
    return BuildStats(len(catalogue.entries), len(catalogue.interpretations), pages, tuple(warnings))


def finish_pages(out: Path) -> None:
    """Remove the engine's own search files and its second skip link."""
    for name in ENGINE_SEARCH:
        (out / name).unlink(missing_ok=True)
    workers = out / "assets" / "javascripts" / "workers"
    for path in sorted(workers.glob("search.*.js")) if workers.is_dir() else []:
        path.unlink()
    if workers.is_dir() and not any(workers.iterdir()):
        workers.rmdir()
    for path in sorted(out.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if OUR_SKIP_LINK in text and ENGINE_SKIP_LINK.search(text):
            path.write_text(ENGINE_SKIP_LINK.sub("", text, count=1), encoding="utf-8")


def pages_without_csp(out: Path) -> list[str]:
    """Pages (relative paths) whose HTML has no Content-Security-Policy meta element."""
    return [
        path.relative_to(out).as_posix()
        for path in sorted(out.rglob("*.html"))
        if CSP_META not in path.read_text(encoding="utf-8")
    ]


def sitemap_xml(urls: list[str], site_url: str, epoch: int) -> str:
    """``sitemap.xml`` exactly as MkDocs' template renders it for these pages and build date."""
    day = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d")
    base = (site_url if site_url.endswith("/") else site_url + "/") if site_url else "/"
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in sorted(urls, key=lambda u: walk_order(U.to_file(u))):
        loc = escape(urljoin(base, url))
        parts.append(f"\n    <url>\n         <loc>{loc}</loc>\n         <lastmod>{day}</lastmod>\n    </url>")
    parts.append("\n</urlset>")
    return "".join(parts)


def write_sitemap(out: Path, urls: list[str], site_url: str, epoch: int) -> None:
    """Write ``sitemap.xml`` and ``sitemap.xml.gz`` (gzip header dated ``epoch``) as MkDocs does."""
    data = sitemap_xml(urls, site_url, epoch).encode("utf-8")
    (out / "sitemap.xml").write_bytes(data)
    gz = out / "sitemap.xml.gz"
    with gz.open("wb") as f, gzip.GzipFile(fileobj=f, filename=str(gz), mode="wb", mtime=epoch) as zipped:
        zipped.write(data)
