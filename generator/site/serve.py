"""``gongkai serve``: build into a temporary folder, serve it, rebuild on change.

The server is MkDocs' live-reload server, reached through the engine module
(:func:`generator.site.engine.dev_server`). Two things differ from ``mkdocs serve``:

* **Live reload under the site's CSP.** MkDocs injects an inline ``<script>``, which
  the pages' Content-Security-Policy (``script-src 'self'``) blocks. Here pages get
  ``<script src="/.gongkai/livereload.js" data-epoch=…>`` instead: a same-origin file
  the policy allows. The published site's policy is not touched; only served pages
  carry the extra tag.
* **Errors.** A failed rebuild keeps serving the last good site, with a banner listing
  the errors at the foot of every page. When there has never
  been one in this session, the project's ``site/`` (the last successful
  ``gongkai build``) is served; without that, every page shows the list of problems
  (file:line:col, message, hint), and reloads itself when a file is saved.
* **Preview first, full build after.** An edit that changes only the body of entries or
  interpretations whose pages the public can read (the front matter parses to the same
  item), a new entry or interpretation file, and a deleted one are shown at once: the
  changed files are checked on their own, and the served site becomes the last full build's
  with the pages they give (:meth:`_Preview.pages`): an edited or a new item's page
  rendered by an engine kept prepared for that build (a new item's page only when the
  public may see it: never a draft's or an embargoed item's; a new item whose 索引号 or
  URL is taken, or that has attachments, is left to the full build), a deleted item's
  page and JSON removed. The full build (check of every file, every page, search index,
  exports, feeds, sitemap) then runs in the background and its site replaces the served
  one; until it is done the listings, search index, exports and feeds are those of the
  previous full build (a listing may still link to a deleted item's page, which answers
  404). When it finds a problem (a cross-file check: a 索引号 used twice, a relation to a
  deleted entry), the previewed pages are put back and the banner shows it. Each preview
  is made from every change since the last full build, so a new file deleted again, or
  made a draft, takes its page away at once; a change that is not previewed puts back
  every preview before the fast build below runs.
* **Fast full build for everything else.** Any other change (front matter, a renamed
  content page, an attachment, the theme, ``site_config.yml``) runs the check
  of every file (cached) and the pages (only those whose recorded lookups changed are
  rendered, see :mod:`generator.site.incremental`), swaps that site in and reloads the
  browsers; the search index, exports, feeds and statistics JSON are left out of it
  (``build_site(outputs=...)``) and come with the background full build, as after a
  preview. Meanwhile the previous site's are served, unless an item they show is no
  longer public (deleted, a draft, embargoed, its body now 依申请公开): then the search
  index and catalogue exports are missing until the background build is done, the feeds
  and statistics are written afresh, and only still-public items keep their own JSON.
  ``gongkai build`` never takes either path.

  These builds run in the server process, among its watcher and HTTP threads, so
  :func:`generator.parallel.fork_map` renders their pages on one core (it refuses to fork
  while other threads run: a lock one of them holds could never be released in a child).
  After such a change few pages need rendering (about 120 at 10k), so this costs little:
  placing the other pages and carrying the previous outputs over cost more.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import click

from generator.diagnostics import Diagnostic, render_text, summary
from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.model.entry import Entry, Interpretation
from generator.progress import Progress
from generator.project import Project, _load_one, load_project
from generator.site import engine
from generator.site.body import BodyError
from generator.site.build import BuildError, BuildInterrupted, _nav_pages, build_site
from generator.site.cache import CACHE_DIR
from generator.site.deferred import outputs_from
from generator.site.exports import ITEM_JSON
from generator.site.outputs import PAGE_SOURCES
from generator.site.pages import PageBuilder
from generator.site.reproducible import engine_clock
from generator.site.servepages import (
    PROBLEMS_CSS,
    PROBLEMS_STYLE,
    RELOAD_JS,
    RELOAD_SCRIPT,
    STALE_SEARCH,
    banner,
    inject_tags,
    problems_page,
)
from generator.site.themes import ThemeError, theme_dir
from generator.source.files import CONFIG_FILE, SourceRef, kind_of


@dataclass
class _State:
    """What the server shows: a site folder, or (``site`` is None) the problems."""

    site: Path | None = None
    problems: list[Diagnostic] = field(default_factory=list)
    failure: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    # the last successful full build: its project, public catalogue and the file stamps it read
    project: Project | None = None
    public: Catalogue | None = None
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)
    preview: _Preview | None = None  # an engine prepared for that build's pages
    # served file -> its bytes before a preview (None: it was not there)
    previewed: dict[Path, bytes | None] = field(default_factory=dict)
    changes: int = 0  # changes seen by the builder; a full build is current when none came since it started
    pending: bool = False  # a preview is shown and its full build has not finished yet
    reshaped: bool = False  # a preview added or removed pages: the full build changes listings too
    partial: bool = False  # the site shown came from a fast build: its outputs are the previous ones
    lang: str = "zh"  # the editor's messages, in the terminal and the browser (--lang)


def watched_stamps(root: Path) -> dict[str, tuple[int, int]]:
    """Size and mtime of every file a build reads: sources, attachments, the theme, site_config.yml."""
    out: dict[str, tuple[int, int]] = {}
    for top in ("catalogue", "content", "theme"):
        for dirpath, dirnames, filenames in os.walk(root / top):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                out[os.path.relpath(path, root).replace(os.sep, "/")] = (st.st_size, st.st_mtime_ns)
    try:
        st = os.stat(root / CONFIG_FILE)
        out[CONFIG_FILE] = (st.st_size, st.st_mtime_ns)
    except OSError:
        pass
    return out


class _Preview:
    """An engine prepared for the pages of a full build, to render edited item pages at once."""

    def __init__(self, root: Path, project: Project, public: Catalogue, scratch: Path) -> None:
        self.root, self.project, self.public, self.scratch = root, project, public, scratch
        urls = [job.url for job in PageBuilder(public, root=root).jobs()]
        urls += [page.url for source in PAGE_SOURCES for page in source(public)]
        self.urls = frozenset(urls)  # the last build's pages: a new item may not take one's URL
        docs = scratch / "docs"
        docs.mkdir(parents=True)
        settings = engine.engine_config(
            project.config, docs, scratch / "site", _nav_pages(public), theme_dir(root, scratch)
        )
        with engine_clock(public):
            # compiled templates are shared with the builds (Jinja writes them by rename)
            self.engine = engine.Engine(settings, scratch / "mkdocs.yml", urls, cache=root / CACHE_DIR / "engine")
        self.engine.abort()  # MkDocs' log: the full build collects it; previews have nothing to add
        self.lock = threading.Lock()  # the build loop and the background build may both preview
        # the first render compiles the templates and learns the item pages' skeletons (~0.75 s
        # at 10k): done here, after the full build, not when the editor saves a file
        builder = PageBuilder(public, root=root)
        warm = [builder.entry_page(e) for e in list(public.entries.values())[:1]]
        warm += [builder.interpretation_page(i) for i in list(public.interpretations.values())[:1]]
        for page in warm:
            self.engine.render(page)

    def pages(self, changed: set[str]) -> dict[str, bytes | None] | None:
        """What the served site must show for the source files ``changed`` since the last full
        build: relative file in the site -> its bytes, or ``None`` for a file to remove; ``None``
        when any change is more than a preview shows (the full build must run first).

        Previewed: a public entry's or interpretation's body edited (its page), a new entry or
        interpretation file (its page when the public may see it; nothing for a draft or an
        embargoed one), a deleted one (its page and JSON removed). Everything else (front matter,
        a content page, an attachment, the theme, the configuration, a file with a problem of
        its own, a new file taking a 索引号 or a URL in use) is left to the full build."""
        with self.lock:
            return self._pages(changed)

    def _pages(self, changed: set[str]) -> dict[str, bytes | None] | None:
        before = self.project.catalogue
        by_source: dict[str, Entry | Interpretation] = {e.source: e for e in before.entries.values()}
        by_source.update((i.source, i) for i in before.interpretations.values())
        edited: dict[str, Entry | Interpretation] = {}  # index_no -> the item with its new body
        added: list[Entry | Interpretation] = []
        gone: list[Entry | Interpretation] = []
        for rel in sorted(changed):
            kind = kind_of(rel)
            path = self.root / rel
            if kind not in ("entry", "interpretation") or not _source_name(rel):
                return None
            known = rel in self.project.source_digests
            if known and not path.exists() and not path.is_symlink():  # deleted
                was = by_source.get(rel)
                if was is None:
                    return None
                gone.append(was)
                continue
            if path.is_symlink() or not path.is_file():
                return None
            loaded = _load_one(self.root, SourceRef(kind, rel), self.project.config, True)
            item = loaded.item
            if loaded.diagnostics or not isinstance(item, (Entry, Interpretation)):
                return None  # problems are listed by the full build
            if not known:
                added.append(item)
                continue
            old = by_source.get(rel)
            # only the body differs, and the public sees the item with its body (not a draft,
            # not embargoed, not 依申请公开): the page is the only output that shows a body
            if old is None or _public_of(self.public, old) is not old or replace(item, body=old.body) != old:
                return None
            edited[old.index_no] = replace(old, body=item.body)
        catalogue: Catalogue | None = self.public
        if added or gone:
            catalogue = self._catalogue(edited, added, gone)
        if catalogue is None:
            return None
        builder = PageBuilder(catalogue, root=self.root)
        out: dict[str, bytes | None] = {}
        for was in gone:
            if _public_of(self.public, was) is not None:  # its page and JSON were served
                url = U.item_url(was)
                out[self._dest(url)] = None
                out[f"{url}{ITEM_JSON}"] = None
        shown = list(edited.values())  # as the public sees them: with their bodies (checked above)
        for item in added:  # as the public sees it: not at all (a draft, embargoed), or without body
            public = _public_of(catalogue, item)
            if public is not None:
                shown.append(public)
        for item in shown:
            url = U.item_url(item)
            if not self.engine.add_page(url):
                return None
            try:
                page = builder.entry_page(item) if isinstance(item, Entry) else builder.interpretation_page(item)
                if page.files and item.index_no not in edited:
                    return None  # a new item's attachments are copied by the full build
                data = self.engine.render(page)
            except (BodyError, engine.EngineError):
                return None
            if not data:
                return None
            out[self._dest(page.url)] = data
        return out

    def _dest(self, url: str) -> str:
        return self.engine.path_of(url).relative_to(self.engine.site_dir).as_posix()

    def _catalogue(
        self,
        edited: dict[str, Entry | Interpretation],
        added: list[Entry | Interpretation],
        gone: list[Entry | Interpretation],
    ) -> Catalogue | None:
        """The public catalogue with the items ``added`` and without those ``gone`` (what their pages
        show of each other), or ``None`` when a new item's 索引号 or URL is taken (the full
        build reports it)."""
        before = self.project.catalogue
        removed = {id(item) for item in gone}
        entries = {k: v for k, v in before.entries.items() if id(v) not in removed}
        interps = {k: v for k, v in before.interpretations.items() if id(v) not in removed}
        for index_no, item in edited.items():
            if isinstance(item, Entry):
                entries[index_no] = item
            else:
                interps[index_no] = item
        freed = {U.item_url(item) for item in gone}
        for item in added:
            url = U.item_url(item)
            if item.index_no in entries or item.index_no in interps or (url in self.urls and url not in freed):
                return None
            if isinstance(item, Entry):
                entries[item.index_no] = item
            else:
                interps[item.index_no] = item
            freed.discard(url)
        full = Catalogue.build(before.config, entries.values(), interps.values(), before.pages, before.build_date)
        return full.public(self.project.build_date)


def _public_of(catalogue: Catalogue, item: Entry | Interpretation) -> Entry | Interpretation | None:
    """The item as ``catalogue`` (a public one) has it, or ``None`` when the public does not see it."""
    if isinstance(item, Entry):
        return catalogue.entries.get(item.index_no)
    return catalogue.interpretations.get(item.index_no)


def _source_name(rel: str) -> bool:
    """Whether a file at ``rel`` is a Markdown source the build reads (not hidden, see ``discover``)."""
    return rel.endswith(".md") and not any(part.startswith(".") for part in rel.split("/"))


def _preview(root: Path, state: _State) -> bool:
    """Show body-only edits, new and deleted entries at once (see the module docstring);
    ``False`` when a full build must run."""
    started = time.monotonic()
    with state.lock:
        preview, site, before = state.preview, state.site, state.stamps
        state.changes += 1
    if preview is None or site is None or state.problems or state.failure:
        return False
    now = watched_stamps(root)
    changed = {rel for rel in before.keys() | now.keys() if before.get(rel) != now.get(rel)}
    pages: dict[str, bytes | None] | None = {}  # nothing changed (say, a new file deleted again)
    if changed:
        try:
            pages = preview.pages(changed)
        except Exception:  # anything unexpected: the full build decides, and reports it
            pages = None
    with state.lock:
        if state.site != site:
            return False
        if pages is None:
            # the build that runs now shows these changes; until it is done, the last build's
            # site (no preview of a file that may since have become a draft, or been embargoed)
            _unpreview(state, set(state.previewed))
            return False
        wanted = {site / rel: data for rel, data in pages.items()}
        _unpreview(state, set(state.previewed) - set(wanted))  # e.g. a new file deleted again
        for dest, data in wanted.items():
            if dest not in state.previewed:
                state.previewed[dest] = dest.read_bytes() if dest.is_file() else None
            _put(dest, data)
            if data is None or state.previewed[dest] is None:
                state.reshaped = True
        state.pending = True
    took = time.monotonic() - started
    shown = sum(data is not None for data in pages.values())
    _say(
        state,
        f"已预览 {shown} 个页面（{took:.2f} 秒）；完整构建在后台进行",
        f"previewed {shown} page(s) ({took:.2f} s); the full build runs in the background",
    )
    return True


def _put(dest: Path, data: bytes | None) -> None:
    """Write ``data`` to the served file ``dest``, or remove it (``None``; then its folder too, once empty).
    A new file is renamed in: the served one may be a hard link into the build cache."""
    if data is None:
        dest.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            dest.parent.rmdir()  # only when empty: the folder of a deleted item's page and JSON
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.preview")
    tmp.write_bytes(data)
    os.replace(tmp, dest)


def _unpreview(state: _State, dests: set[Path]) -> None:
    """Put the served files ``dests`` back as the last build made them (callers hold the lock)."""
    for dest in sorted(dests):
        _put(dest, state.previewed.pop(dest))
    if not state.previewed:
        state.pending = False


class _Cancellable(Progress):
    """Stops a background build at its next file or page once ``cancel`` is set (BuildInterrupted:
    the build removes its scratch folder and leaves the served site as it is)."""

    def __init__(self, cancel: threading.Event) -> None:
        super().__init__()
        self.cancel = cancel

    def advance(self, n: int = 1) -> None:
        if self.cancel.is_set():
            raise BuildInterrupted(signal.SIGINT)
        super().advance(n)


def _rebuild(
    root: Path,
    target: Path,
    build_date: dt.date | None,
    state: _State,
    progress: Progress | None = None,
    *,
    fast: bool = False,
) -> bool:
    """A full build into ``target``, shown when it succeeds. ``fast``: when the served site is a
    full build of this session, leave its search index, exports, feeds and statistics JSON to the
    background build (see :func:`generator.site.deferred.outputs_from`); ``state.partial`` then says one is due."""
    started = time.monotonic()
    stamps = watched_stamps(root)
    project = load_project(root, build_date, progress, cache=True)
    if project.diagnostics:
        click.echo(render_text(project.diagnostics, state.lang), err=True)
        click.echo(summary(project.diagnostics, state.lang), err=True)
    if project.errors:
        _failed(state, project.diagnostics, "")
        return False
    with state.lock:
        shown, old = state.site, state.public
    deferred = fast and shown == target and old is not None
    outputs = outputs_from(target, old) if deferred and old is not None else None
    try:
        stats = build_site(project, target, progress=progress, outputs=outputs)
    except BuildError as exc:
        if exc.diagnostics:
            click.echo(render_text(list(exc.diagnostics), state.lang), err=True)
        failure = exc.en if state.lang == "en" and exc.en else str(exc)
        _say(state, f"构建失败：{failure}", f"build failed: {failure}")
        _failed(state, list(exc.diagnostics), failure)
        return False
    public = project.public()
    preview: _Preview | None = None
    if outputs is None:  # a fast build's site is replaced in seconds: no engine prepared for it
        try:
            scratch = Path(tempfile.mkdtemp(prefix="preview-", dir=target.parent))
            preview = _Preview(root, project, public, scratch)
        except (engine.EngineError, ThemeError, BuildError, OSError):
            preview = None
    with state.lock:
        previous = state.preview
        state.site, state.problems, state.failure = target, [], ""
        state.project, state.public, state.stamps, state.preview = project, public, stamps, preview
        state.previewed, state.pending, state.partial = {}, False, outputs is not None
        state.reshaped = False
    if previous is not None:
        shutil.rmtree(previous.scratch, ignore_errors=True)
    took = time.monotonic() - started
    if outputs is not None:
        _say(
            state,
            f"已构建 {stats.pages} 个页面（{took:.2f} 秒）；搜索索引、数据导出和订阅源在后台生成",
            f"built {stats.pages} pages ({took:.2f} s); the search index, data exports and feeds follow in the background",
        )
    else:
        _say(state, f"已构建 {stats.pages} 个页面", f"built {stats.pages} pages")
    return True


def _say(state: _State, zh: str, en: str) -> None:
    """One line for the editor on stderr, in the language of ``--lang``."""
    click.echo(en if state.lang == "en" else zh, err=True)


def _failed(state: _State, problems: list[Diagnostic], failure: str) -> None:
    with state.lock:
        state.problems, state.failure = problems, failure
        shown = state.site
        _unpreview(state, set(state.previewed))  # the banner says: the last good build
        state.pending = False
    if shown is None:
        _say(
            state,
            "有错误，网站尚未生成：浏览器中显示问题清单，修正后自动刷新。",
            "errors, and no site yet: the browser lists the problems and reloads once they are fixed.",
        )
    else:
        _say(
            state,
            f"有错误，继续显示上一次成功构建的网站（{shown}）。",
            f"errors: still showing the last good build of the site ({shown}).",
        )


def previous_site(root: Path) -> Path | None:
    """The project's ``site/`` from the last successful ``gongkai build`` (builds replace it only on success)."""
    site = root / "site"
    return site if (site / "index.html").is_file() else None


_request = threading.local()  # the path of the request being served (one thread per request)


def _injector(state: _State) -> Callable[[bytes, int], bytes]:
    """What the server adds to every page of a site: the reload script, the banner while there are
    errors, and on the search page a note while its index is being rebuilt after a preview."""

    def inject(content: bytes, epoch: int) -> bytes:
        with state.lock:
            problems, failure, pending = list(state.problems), state.failure, state.pending or state.partial
        extra = banner(problems, failure, state.lang) if problems or failure else b""
        if pending and getattr(_request, "path", "").startswith("/search/"):
            extra += STALE_SEARCH[state.lang]
        return inject_tags(content, epoch, extra)

    return inject


Respond = Callable[..., Any]


def _app(server: Any, state: _State) -> Callable[[dict[str, Any], Respond], Iterable[bytes]]:
    """The WSGI application: our assets and the problems page, else MkDocs' own serving."""
    served = server.serve_request

    def app(environ: dict[str, Any], start_response: Respond) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path in (RELOAD_SCRIPT, PROBLEMS_STYLE):
            body = (RELOAD_JS if path == RELOAD_SCRIPT else PROBLEMS_CSS).encode()
            kind = "application/javascript" if path == RELOAD_SCRIPT else "text/css"
            return _respond(start_response, "200 OK", f"{kind}; charset=utf-8", body)
        with state.lock:
            site, problems, failure = state.site, list(state.problems), state.failure
        if site is None and not path.startswith("/livereload/"):
            if _is_page(path):
                page = inject_tags(problems_page(problems, failure, state.lang), server.visible_epoch())
                return _respond(start_response, "200 OK", "text/html; charset=utf-8", page)
            missing = "no site yet" if state.lang == "en" else "网站尚未生成"
            return _respond(start_response, "404 Not Found", "text/plain; charset=utf-8", missing.encode())
        if site is not None:
            server.root = str(site)
        _request.path = path
        return served(environ, start_response)

    return app


def _is_page(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return not last or last.endswith(".html") or "." not in last


def _respond(start_response: Respond, status: str, kind: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body)))])
    return [body]


def serve(root: Path, dev_addr: str, build_date: dt.date | None, lang: str = "zh") -> None:
    host, _, port = dev_addr.rpartition(":")
    work = Path(tempfile.mkdtemp(prefix="gongkai-serve-"))
    target = work / "site"
    state = _State(site=previous_site(root), lang=lang)  # shown only if the first build below fails
    full_lock = threading.Lock()  # one full build at a time
    wanted = threading.Event()  # a full build is due (after a preview)
    cancel = threading.Event()  # a full build is due now: the background one stops
    stopping = threading.Event()
    with full_lock:
        _rebuild(root, target, build_date, state)

    def builder() -> None:
        if _preview(root, state):
            wanted.set()  # the browsers reload now; the full build follows in the background
            return
        cancel.set()  # this build reads everything the background one would: no need to wait for it
        with full_lock:
            cancel.clear()
            _rebuild(root, target, build_date, state, fast=True)
        with state.lock:
            partial = state.partial
        if partial:
            wanted.set()  # the search index, exports and feeds follow in the background

    server = engine.dev_server(builder, host or "127.0.0.1", int(port), str(work), _injector(state))
    server.set_app(_app(server, state))

    def background() -> None:
        while not stopping.is_set():
            if not wanted.wait(timeout=0.5):
                continue
            wanted.clear()
            with state.lock:
                started, reshaped = state.changes, state.reshaped
            with full_lock:
                if stopping.is_set():
                    return
                try:
                    ok = _rebuild(root, target, build_date, state, _Cancellable(cancel))
                except BuildInterrupted:
                    continue  # the build loop's full build takes over
            with state.lock:
                later = state.changes != started
            if later and _preview(root, state):
                wanted.set()  # edits previewed during the build were replaced by its site: shown again
            if not ok or reshaped:
                # the previews are undone and the banner lists the problems, or the listings now
                # show a previewed new item (and no longer a deleted one)
                server.reload_browsers()

    def not_found(code: int) -> bytes | None:
        with state.lock:
            site = state.site
        page = site / "404.html" if site is not None and code == 404 else None
        return page.read_bytes() if page is not None and page.is_file() else None

    server.error_handler = not_found
    for name in ("catalogue", "content", "theme", "site_config.yml"):
        path = root / name
        if path.exists():
            server.watch(str(path))
    address = f"http://{host or '127.0.0.1'}:{port}/"
    _say(state, f"预览地址：{address}  （按 Ctrl+C 停止）", f"preview at {address}  (Ctrl+C to stop)")

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # stopped by a supervisor: clean up like Ctrl+C
    worker = threading.Thread(target=background, name="gongkai-full-build", daemon=True)
    worker.start()
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        cancel.set()  # a background build stops at its next page instead of running to its end
        server.shutdown()
        if full_lock.acquire(timeout=120):  # a background build writes into work/
            full_lock.release()
        shutil.rmtree(work, ignore_errors=True)
        sys.exit(0)
