"""Build orchestration: public catalogue → staged pages → engine → atomic swap into site/.

The engine writes into a fresh folder beside the target, which is swapped in whole
only when everything succeeded (see :mod:`generator.site.publish`), so a failed or
interrupted build leaves the previous site byte for byte as it was.

Scale: every page is a :class:`~generator.site.pagetypes.PageJob` whose URL is known
before it is built. The few pages in the navigation are built in this process; the
bulk (entry, interpretation and listing pages) is built and rendered by worker
processes forked once the engine is prepared (:func:`generator.parallel.fork_map`),
each writing its pages straight into the new site folder. With the build cache
(``.gongkai-cache/``), rendered bodies and finished pages are reused when nothing
that decides their bytes has changed (see :mod:`generator.site.cache` and
:mod:`generator.site.keys`).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.ownership import cache_problems, mark_site, target_problems
from generator.parallel import Forked, can_fork, default_workers, deferred_signals, fork_map, long_lived
from generator.progress import Progress
from generator.project import Project
from generator.project_cache import SourceChangedError
from generator.site import incremental
from generator.site.body import BodyError
from generator.site.cache import CACHE_DIR, BuildCache, digest
from generator.site.engine import (
    Engine,
    EngineError,
    build_reference,
    copy_page_files,
    engine_config,
    fingerprint,
    theme_dir,
    write_docs,
)
from generator.site.exports import write_exports
from generator.site.failures import engine_diagnostics
from generator.site.keys import inputs_key, known_digests, page_key, source_stamps, unchanged_site
from generator.site.lookups import CatalogueView
from generator.site.outputs import OUTPUT_WRITERS, PAGE_SOURCES, OutputWriter
from generator.site.pages import PageBuilder
from generator.site.pagetypes import PageJob
from generator.site.publish import (
    BACKGROUND_DELETE_PAGES,
    BuildInterrupted,
    Standby,
    clean_stale,
    discard,
    exclusive,
    interruptible,
    keep_standby,
    mirror_standby,
    new_work,
    swap,
    temp_prefix,
)
from generator.site.reproducible import engine_clock
from generator.site.result import BuildError, BuildStats
from generator.site.search import write_scripts, write_search, write_search_index
from generator.site.themes import ThemeError

__all__ = [  # the build's API: cli, serve and the tests reach it through this module
    "BuildError",
    "BuildInterrupted",
    "BuildStats",
    "build_site",
    "clean_stale",
    "deferred_signals",
    "interruptible",
    "refusals",
    "temp_prefix",
    "unchanged_site",
    "write_outputs",
]

# Below this many bulk pages, forking workers costs more than it saves.
PARALLEL_MIN_PAGES = 300
FIRST_BESIDE_MAX = 50_000  # public items up to which a first search index is made beside the pages (_Search)
CHUNK = 40


def engine_failure(exc: EngineError | ThemeError, root: Path, work: Path) -> BuildError:
    """An engine or theme failure as a BuildError carrying bilingual, positioned diagnostics."""
    if isinstance(exc, ThemeError):
        return BuildError("网站主题无法使用", tuple(exc.diagnostics), en="the site theme cannot be used")
    return BuildError(
        "网站引擎未能完成构建", engine_diagnostics(exc, root, work), en="the site engine could not build the site"
    )


def build_site(
    project: Project,
    target: Path,
    *,
    workers: int | None = None,
    cache: bool = True,
    progress: Progress | None = None,
    reference: bool = False,
    engine: str = "mkdocs",
    outputs: Callable[[Catalogue, Path], None] | None = None,
    sources: dict[str, list[int]] | None = None,
) -> BuildStats:
    """Build ``project`` into ``target``.

    ``sources``: the sources' stamps (:func:`~generator.site.keys.source_stamps`) taken before
    ``project`` was loaded (by :func:`unchanged_site`), recorded with the build instead of stamps
    taken after it: a file changed since they were taken then differs from them, so the next
    build reads the sources again (as it would for stamps taken at the end).

    ``outputs`` (``gongkai serve`` only; ``gongkai build`` never sets it) is called with the
    public catalogue and the new site folder *instead of* writing gongkai's own outputs
    (search index, exports, feeds, statistics JSON): serve puts the previous site's there
    and builds the real ones in the background. Such a build records nothing in the cache
    that would let a later build skip them (no up-to-date record, no pruning).

    ``reference=True`` renders through one plain ``mkdocs build`` of a docs tree
    instead (slow; no workers, no cache): the output the fast path must equal.
    ``engine="zensical"`` builds the staging tree with Zensical (see :mod:`generator.site.staged`).
    """
    if project.errors:
        raise BuildError("内容检查未通过")
    refused = refusals(project.root, target, cache and not reference)
    if refused is not None:
        raise refused
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(target):
        clean_stale(target)
        try:
            if reference:
                return _build_reference(project, target)
            if engine != "mkdocs":
                from generator.site.staged import build_staged

                return build_staged(project, target, engine)
            return _build(project, target, workers, cache, progress or Progress(), outputs, sources)
        except SourceChangedError as exc:  # a body read on demand (project_cache.LazyBody): nothing published
            raise BuildError(
                "源文件在检查之后被修改", (exc.diagnostic,), en="a source file changed after it was checked"
            ) from exc
        except BuildInterrupted:
            # a signal between making the scratch folder and entering the block that discards
            # it would leave the folder behind: the lock is still ours, so remove what is stale
            clean_stale(target)
            raise


def refusals(root: Path, target: Path, cache: bool = True) -> BuildError | None:
    """Why a build of ``root`` may not write ``target`` (or use the cache), if it may not."""
    refused = target_problems(root, target)
    if cache:
        refused += cache_problems(root, root / CACHE_DIR)
    return BuildError("构建目标不属于 gongkai，未写入也未删除任何文件", tuple(refused)) if refused else None


def _build(
    project: Project,
    target: Path,
    workers: int | None,
    cache: bool,
    progress: Progress,
    outputs: Callable[[Catalogue, Path], None] | None = None,
    sources: dict[str, list[int]] | None = None,
) -> BuildStats:
    catalogue = project.public()
    store = BuildCache(project.root / CACHE_DIR) if cache else None
    key = ""
    if store is not None and project.inputs:
        key = inputs_key(project.root, project.inputs, project.build_date, target, known_digests(project.root))
        done = store.up_to_date(key, target)
        if done is not None:
            store.refresh_sources(sources or source_stamps(project.root))  # touched but not changed
            entries, interpretations, pages, notes = done
            return BuildStats(entries, interpretations, pages, notes, reused=pages, unchanged=True)
    work = new_work(target)
    engine: Engine | None = None
    jobs: list[PageJob] = []
    swapped = first = recorded = False
    mirror: _Mirror | None = None
    verified: incremental.Verified | None = None
    # the site before the live one, brought up to date in place of a fresh tree (publish.py)
    standby = Standby.take(target) if store is not None else None
    search: _Search | None = None
    exports: _Exports | None = None
    try:
        docs, out = work / "docs", work / "site"
        docs.mkdir()
        if store is not None and outputs is None:
            # the search index reads only the catalogue: updated in another process meanwhile
            search = _Search.start(
                catalogue, project.root / CACHE_DIR / "search", target, work, standby, workers, project.source_digests
            )
        if standby is not None:
            # nothing changes the standby before its sync: read meanwhile, beside (forked after
            # the index's process, never while a thread runs: see parallel.can_fork)
            standby.scan_beside()
        builder = PageBuilder(catalogue, store, root=project.root)
        with long_lived():  # a job of every page, kept all build
            jobs = builder.jobs()
        built_here = len(jobs)  # PageBuilder's pages: keyed by their inputs (see incremental.py)
        for source in PAGE_SOURCES:
            jobs.extend(PageJob.ready(page) for page in source(catalogue))
        _no_duplicates(jobs)
        settings = engine_config(project.config, docs, out, _nav_pages(catalogue), theme_dir(project.root, work))
        with engine_clock(catalogue) as epoch:
            engine_cache = project.root / CACHE_DIR / "engine" if store is not None else None
            engine = prepared = Engine(settings, work / "mkdocs.yml", [job.url for job in jobs], cache=engine_cache)
            # the engine's clock is part of what a cached page was rendered with
            fp = digest(fingerprint(settings), str(epoch)) if store else ""
            state = _Work(jobs, engine, project.root, out, store, fp, view=builder.cat)
            state.standby = standby.pages if standby is not None else None
            known: dict[str, str] = {}
            if store is not None:
                with long_lived():  # the pages' keys, the last build's list of them: kept all build
                    known = incremental.input_keys(project, jobs[:built_here], fp)
                    state.inputs = {
                        j.url: k for j in jobs[:built_here] if not j.search and (k := incremental.key_of(known, j.url))
                    }
                    state.verified = incremental.verified_for(
                        store, known.get(incremental.CATALOGUE, ""), project.source_digests, catalogue, builder.cat
                    )
                if store is not None and outputs is None and not incremental.exports_kept(store, known):
                    # every item's export pieces to make (~2.5 CPU-s at 10k entries): written
                    # meanwhile, beside (they read only the catalogue and the cache). An update of
                    # a kept run is written here, after the pages: it costs less than a third
                    # process on the cores while this one places the pages
                    exports = _Exports.start(
                        incremental.cached_writer(write_exports, store, known, work),
                        catalogue,
                        out,
                        store,
                        standby is not None,
                        workers,
                    )
            # pages in the navigation (and content pages) are rendered here, in MkDocs' order
            parent = sorted(
                (i for i, job in enumerate(jobs) if job.search or job.url in engine.nav_urls),
                key=lambda i: prepared.order(jobs[i].url),
            )
            bulk = sorted(set(range(len(jobs))) - set(parent))
            progress.phase("生成页面", len(jobs))
            for i in parent:
                page = jobs[i].build()
                copy_page_files(page, out, project.root)
                engine.write(page)
                progress.advance()
            engine.templates()
            reused, placed, used, stamps, warnings = _render_bulk(state, bulk, workers or default_workers(), progress)
            verified = state.verified
            warnings = engine.finish() + warnings
            engine = None
        # the search index updates only what the edits change (its state lies beside the cache's v1/);
        # exports are kept in the cache under the catalogue's input key
        if store is not None and standby is not None:
            store.into = standby.pages  # exports placed from the cache go to the standby too (this process only)
        if search is not None:
            # while the index is still being made: what needs nothing of it. The pages' list for
            # the next build holds whether or not this one publishes (it names stored pages,
            # each checked when placed), and the standby is read as it is (nothing changes it
            # before its sync)
            if verified is not None:
                verified.save()
                verified = None
            if standby is not None:
                standby.scan()
        if outputs is not None:
            outputs(catalogue, out)
        else:
            write_outputs(
                catalogue,
                out,
                project.root / CACHE_DIR / "search" if store else None,
                target / "search",
                (lambda w: incremental.cached_writer(w, store, known, work)) if store is not None else None,
                store.into if store is not None else None,
                search,
                exports,
            )
        if store is not None:
            store.into = None
        mark_site(out)
        new = out
        if standby is not None:
            try:
                standby.stamp_of = _stamps_of(store, search.stamps if search is not None else {})
                with long_lived():  # its lists of the site's files (no cycles) set off a full collection
                    new = standby.sync(out)
            except OSError:  # the standby is dirty now (the next build drops it): publish the fresh tree
                if not standby.fill(out):
                    raise
                standby = None
        with deferred_signals():
            swap(new, target, work)
            swapped = True
            old = new if new.is_dir() else work / "previous"
            first = not old.exists() and not old.is_symlink()  # no site before this one
            keep_standby(target, old, standby)
        if first and store is not None:
            # the target's first site: a standby of links to it, so that the next build syncs that
            # in place rather than linking a fresh tree of every page; made while this thread
            # records the build (it only reads the live site, the records only the cache)
            mirror = _Mirror(target)
        if store:
            for kind, keys in store.used.items():
                used.setdefault(kind, set()).update(keys)
            if outputs is None:  # a build without its outputs did not use the outputs' entries
                store.prune(used)
            store.save_stamps({**stamps, **store.new_stamps})  # the bulk pages' and the exports'
            if verified is not None:
                verified.save()
        recorded = True
    except BodyError as exc:
        raise BuildError("正文无法排版", (exc.diagnostic,)) from exc
    except (EngineError, ThemeError) as exc:
        raise engine_failure(exc, project.root, work) from exc
    except BuildInterrupted as exc:
        exc.swapped = swapped
        raise
    finally:
        if search is not None:
            search.cancel()  # when the build failed before it was collected
        if exports is not None:
            exports.cancel()  # likewise
        if standby is not None:
            standby.cancel_scan()  # likewise
        if engine is not None:
            engine.abort()
        progress.close()
        discard(work, background=swapped and len(jobs) >= BACKGROUND_DELETE_PAGES)
        if mirror is not None and not recorded:  # failing after the swap: not left running
            mirror.join()
    try:
        stats = BuildStats(
            len(catalogue.entries), len(catalogue.interpretations), len(jobs), tuple(warnings), reused, placed=placed
        )
        if store is not None and key and not project.diagnostics and outputs is None:
            summary = [stats.entries, stats.interpretations, stats.pages, list(stats.warnings)]
            listing = standby.listing if standby is not None else None  # the synced site's files, known
            with long_lived():
                store.record(key, target, summary, sources or source_stamps(project.root), listing)
    finally:
        if mirror is not None:
            mirror.join()  # the build returns (or fails) with the standby made or not, nothing running
    return stats


def _stamps_of(
    store: BuildCache | None, searched: dict[str, tuple[int, int]]
) -> Callable[[str], tuple[int, int] | None] | None:
    """The sizes and times of stored files this build has just taken (:attr:`Standby.stamp_of`):
    the cache's (:meth:`BuildCache.stamp_of`) and the search index's noted files' (``searched``)."""
    if store is None:
        return None
    if not searched:
        return store.stamp_of
    cached = store.stamp_of
    return lambda stored: searched.get(stored) or cached(stored)


class _Mirror:
    """:func:`mirror_standby` of ``target`` in a thread of this process, while the build records
    itself (prune, stamps, the pages' list, the build's record: the cache only). Both are mostly
    file-system calls, which run without the interpreter lock: at 10k entries the mirror (24k
    links) took ~1.3 s and the records ~0.6 s, one after the other, on one core. A thread, not a
    process: killing the build kills it too, and nothing is forked after the swap (see
    :func:`generator.parallel.can_fork`); :meth:`join` before the build returns or fails."""

    def __init__(self, target: Path) -> None:
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(target,), name="gongkai-standby-mirror")
        self.thread.start()

    def _run(self, target: Path) -> None:
        try:
            mirror_standby(target)
        except BaseException as exc:  # raised by join(), in the build's thread
            self.error = exc

    def join(self) -> None:
        self.thread.join()
        error, self.error = self.error, None
        if error is not None:
            raise error


def write_outputs(
    catalogue: Catalogue,
    out: Path,
    search_state: Path | None = None,
    previous: Path | None = None,
    cached_exports: Callable[[OutputWriter], OutputWriter] | None = None,
    search_into: dict[str, tuple[str, int, int]] | None = None,
    search: _Search | None = None,
    exports: _Exports | None = None,
) -> None:
    """gongkai's own outputs (search, feeds, exports, statistics) into the new site ``out``.

    With ``search_state`` (a cache folder) and ``previous`` (the last build's ``search/``) the
    search index is updated rather than rebuilt, to the same bytes; ``cached_exports`` wraps the
    exports writer so unchanged exports come from the build cache; ``search_into`` (a standby
    site's :attr:`BuildCache.into`): unchanged search files are noted there, not linked into ``out``.
    ``search``: the search index, started beside the pages (:class:`_Search`): collected here
    instead of writing it. ``exports``: the exports, likewise written beside the pages
    (:class:`_Exports`): collected where they would have been written. Any failure is a BuildError.
    """
    writers = list(OUTPUT_WRITERS)
    if search is None and write_search in writers:
        # An index made here is the build's largest memory (~2 GB on top at 100k entries): made
        # first, its arrays start from the heap the check and pages left, not from that plus the
        # exports' (freed objects do not give the process's memory back). Made beside the pages,
        # it is collected last, so that the other outputs are written while it is finishing.
        writers.remove(write_search)
        writers.insert(0, write_search)
    for writer in writers:
        try:
            if writer is write_search and search is not None:
                search.finish(out, search_into)
            elif writer is write_exports and exports is not None:
                exports.finish(search_into)
            elif writer is write_search and search_state is not None:
                write_search(catalogue, out, state=search_state, previous=previous, into=search_into)
            elif writer is write_exports and cached_exports is not None:
                cached_exports(writer)(catalogue, out)
            else:
                writer(catalogue, out)
        except BuildError:
            raise
        except Exception as exc:
            name = getattr(writer, "__name__", repr(writer))
            raise BuildError(f"生成 {name} 时出错：{type(exc).__name__}: {exc}") from exc


class _Search:
    """The search index (all of :func:`write_search` but the scripts) made in a forked process
    while this one builds the pages: it reads only the public catalogue, the search state and
    the live site's ``search/``, and writes into a folder of its own in the scratch folder
    (``search-site/``), whose ``search/`` is moved into the new site when it is collected
    (:meth:`finish`, where :func:`write_search` would have run). The same bytes as writing it
    there: same function, same inputs. An update (a search state and a live site's index to
    update from) always runs beside; a first index too, up to :data:`FIRST_BESIDE_MAX` items:
    the pages and the index then fill each other's idle core (the parent's serial steps, the
    index's merge). A larger site's first index takes both cores for itself after the pages,
    so that their memory and its do not add up (the target at 100k items is 4 GB).
    """

    def __init__(self, job: Forked[_Indexed], staging: Path) -> None:
        self.job = job
        self.staging = staging
        self.stamps: dict[str, tuple[int, int]] = {}  # the noted files' sizes and times (see _search_index)

    @classmethod
    def start(
        cls,
        catalogue: Catalogue,
        state: Path,
        target: Path,
        work: Path,
        standby: Standby | None,
        workers: int | None,
        digests: dict[str, tuple[bytes, bytes]] | None = None,
    ) -> _Search | None:
        """``digests``: the project's source digests, by which the index knows unchanged items
        without reading their bodies (:func:`write_search_index`)."""
        previous = target / "search"
        if (workers or default_workers()) < 2 or not can_fork():
            return None
        first = not state.is_dir() or not previous.is_dir()
        if first and len(catalogue.entries) + len(catalogue.interpretations) > FIRST_BESIDE_MAX:
            return None
        staging = work / "search-site"
        staging.mkdir()
        job = Forked(_search_index, catalogue, staging, state, previous, standby is not None, digests)
        return cls(job, staging)

    def finish(self, out: Path, into: dict[str, tuple[str, int, int]] | None) -> None:
        """Collect the index: move it into ``out/search/``, note its unchanged files in ``into``
        (as the standby's: their paths in ``out``), then write the scripts."""
        noted, self.stamps = self.job.result()
        made = self.staging / "search"
        dest = out / "search"
        dest.mkdir(parents=True, exist_ok=True)
        for name in sorted(os.listdir(made)):
            if os.path.lexists(dest / name):
                raise BuildError(f"search/{name} was written twice")
            os.rename(made / name, dest / name)
        if noted:
            if into is None:
                raise BuildError("search files noted for a standby site the build does not have")
            old, new = f"{made}/", f"{dest}/"
            for path, stored in noted.items():
                if not path.startswith(old):
                    raise BuildError(f"search file outside the index: {path}")
                into[new + path[len(old) :]] = stored
        write_scripts(out)

    def cancel(self) -> None:
        self.job.cancel()


class _Exports:
    """The exports (:func:`write_exports` through the build cache,
    :func:`~generator.site.incremental.cached_writer`) written by a forked process while this
    one builds the pages: they read only the public catalogue and the build cache, and write
    only their own files, into the new site folder (where the pages' workers make the same
    folders: each tolerates the other's) and into the cache. The cache's bookkeeping of what
    they used, stored and noted for a standby site (:attr:`BuildCache.used`, ``new_stamps``,
    ``into``) is made in the child and handed back to this process's cache when they are
    collected (:meth:`finish`, where they would have been written), so that the cache's
    prune, stamps and the standby's sync see exactly what writing them here would leave.
    Off the pages' critical path: at 10k entries a first run (every item serialized) took
    2.4–3.5 CPU-s on one core after the pages. Only a first run is made beside (the build asks
    :func:`~generator.site.incremental.exports_kept`): an update of a kept run costs ~0.3 s,
    less than a third process slows this one placing the pages.
    """

    def __init__(self, job: Forked[_Kept], store: BuildCache) -> None:
        self.job = job
        self.store = store

    @classmethod
    def start(
        cls,
        writer: OutputWriter,
        catalogue: Catalogue,
        out: Path,
        store: BuildCache | None,
        standby: bool,
        workers: int | None,
    ) -> _Exports | None:
        """``standby``: placed exports are noted for a standby site (:attr:`BuildCache.into`),
        not linked. None (the caller writes them itself) without a cache, or where forking
        would not pay or is not possible."""
        if store is None or writer is write_exports or (workers or default_workers()) < 2 or not can_fork():
            return None
        return cls(Forked(_cached_exports, writer, catalogue, out, store, standby), store)

    def finish(self, into: dict[str, tuple[str, int, int]] | None) -> None:
        """Collect the exports: their cache bookkeeping into this process's cache, what they
        noted for the standby site into ``into`` (the standby's :attr:`BuildCache.into`)."""
        used, stamps, noted = self.job.result()
        store = self.store
        for kind, keys in used.items():
            store.used.setdefault(kind, set()).update(keys)
        store.new_stamps.update(stamps)
        if noted:
            if into is None:
                raise BuildError("exports noted for a standby site the build does not have")
            into.update(noted)

    def cancel(self) -> None:
        self.job.cancel()


# what the exports' child hands back: cache keys used, stamps of what it stored or linked, what it noted
_Kept = tuple[dict[str, set[str]], dict[str, tuple[int, int]], dict[str, tuple[str, int, int]]]


def _cached_exports(writer: OutputWriter, catalogue: Catalogue, out: Path, store: BuildCache, noted: bool) -> _Kept:
    """In the forked process: the exports into ``out``; returns the cache's bookkeeping of them
    (only theirs: the parent's records are set aside meanwhile and put back, so that the call
    leaves ``store`` as it found it wherever it runs)."""
    held = store.used, store.new_stamps, store.into
    store.used, store.new_stamps, store.into = {}, {}, {} if noted else None
    try:
        writer(catalogue, out)
        return store.used, store.new_stamps, store.into or {}
    finally:
        store.used, store.new_stamps, store.into = held


# what the index's child hands back: the files noted for the standby site, their stored files' stamps
_Indexed = tuple[dict[str, tuple[str, int, int]], dict[str, tuple[int, int]]]


def _search_index(
    catalogue: Catalogue,
    staging: Path,
    state: Path,
    previous: Path,
    noted: bool,
    digests: dict[str, tuple[bytes, bytes]] | None = None,
) -> _Indexed:
    """In the forked process: the index into ``staging``; returns the unchanged files noted for
    the standby site (when ``noted``) instead of linked, and the size and modification time of
    each one's stored file (by its path; left out when it is no longer the inode noted), which the
    standby's listing of the synced site takes instead of a ``stat`` of each (150k files at 100k
    entries) in the build's own process (:meth:`generator.site.publish.Standby.sync`).
    ``digests``: the project's source digests (unchanged items known without their bodies)."""
    into: dict[str, tuple[str, int, int]] | None = {} if noted else None
    write_search_index(catalogue, staging, state, previous, into, digests)
    stamps: dict[str, tuple[int, int]] = {}
    for stored, dev, ino in (into or {}).values():
        try:
            st = os.stat(stored)
        except OSError:
            continue
        if st.st_ino == ino and st.st_dev == dev:
            stamps[stored] = (st.st_size, st.st_mtime_ns)
    return into or {}, stamps


def _nav_pages(catalogue: Catalogue) -> list[tuple[str, str]]:
    return [(p.title, U.page_url(p.slug)) for p in catalogue.pages if p.nav_order is not None]


def _build_reference(project: Project, target: Path) -> BuildStats:
    catalogue = project.public()
    work = new_work(target)
    try:
        docs, out = work / "docs", work / "site"
        try:
            pages = [job.build() for job in PageBuilder(catalogue, root=project.root).jobs()]
        except BodyError as exc:
            raise BuildError("正文无法排版", (exc.diagnostic,)) from exc
        pages += [page for source in PAGE_SOURCES for page in source(catalogue)]
        count = write_docs(pages, docs, project.root)
        settings = engine_config(project.config, docs, out, _nav_pages(catalogue), theme_dir(project.root, work))
        with engine_clock(catalogue):
            warnings = build_reference(settings, work / "mkdocs.yml")
        write_outputs(catalogue, out)
        mark_site(out)
        with deferred_signals():
            swap(out, target, work)
    except (EngineError, ThemeError) as exc:
        raise engine_failure(exc, project.root, work) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuildStats(len(catalogue.entries), len(catalogue.interpretations), count, tuple(warnings))


def _no_duplicates(jobs: list[PageJob]) -> None:
    seen: set[str] = set()
    for job in jobs:
        if job.url in seen:
            raise BuildError(f"两个页面使用同一网址 /{job.url}")
        seen.add(job.url)


# ------------------------------------------------------------------ bulk pages
@dataclass
class _Work:
    """What a worker needs; set as a module global before forking, so nothing is pickled."""

    jobs: list[PageJob]
    engine: Engine
    root: Path
    out: Path
    cache: BuildCache | None
    fingerprint: str
    inputs: dict[str, str] = field(default_factory=dict)  # URL -> input key (see incremental.py)
    view: CatalogueView | None = None  # what the pages' recorded lookups are replayed on
    standby: dict[str, tuple[str, int, int]] | None = None  # where placed pages go instead (publish.Standby)
    verified: incremental.Verified | None = None  # pages placed or built by the last build (see incremental.py)


_WORK: _Work | None = None


# (pages, reused, cache keys used, stamps, warnings, what Verified lists of the pages built)
_Result = tuple[int, int, dict[str, set[str]], dict[str, tuple[int, int]], list[str], dict[str, list[object]]]


def _run(indices: list[int]) -> _Result:
    """Build, render and write the given pages; return (count, reused, cache keys used, stamps, warnings).

    Pages placed through their input key never come here: :func:`_place_stored` placed them."""
    try:
        return _run_pages(indices)
    except EngineError as exc:  # described here: in a worker, the engine's exception would not survive pickling
        assert _WORK is not None
        raise engine_failure(exc, _WORK.root, _WORK.out.parent) from exc


def _run_pages(indices: list[int]) -> _Result:
    w = _WORK
    assert w is not None
    reused = 0
    listed: dict[str, list[object]] = {}  # built for this catalogue: the next build may take the shortcut
    for i in indices:
        job = w.jobs[i]
        inputs = w.inputs.get(job.url)
        if inputs and w.cache is not None:
            # what building the page read from the cache (its body) stays in use when it is skipped
            held, w.cache.used = w.cache.used, {}
            page = job.build()
            read, w.cache.used = w.cache.used, held
            for kind, found in read.items():
                held.setdefault(kind, set()).update(found)
        else:
            page, read = job.build(), {}
        if page.url != job.url or w.engine.in_parent(page):
            raise BuildError(f"page job {job.url} built {page.url} (search={page.search})")
        copy_page_files(page, w.out, w.root)
        if w.cache is None:
            w.engine.write(page)
            continue
        key = page_key(w.fingerprint, page)
        dest = w.engine.path_of(page.url)
        if w.cache.place("page", key, dest):
            reused += 1
        else:
            data = w.engine.render(page)
            if not data:  # MkDocs writes nothing for an empty page; neither does the cache
                continue
            w.cache.publish("page", key, data, dest)
        if inputs:
            incremental.remember(w.cache, inputs, key, page, read)
            if w.verified is not None:
                listed[inputs] = incremental.verified_entry(key, page.files, read, page.lookups)
    used: dict[str, set[str]] = {}
    stamps: dict[str, tuple[int, int]] = {}
    if w.cache is not None:
        used, w.cache.used = w.cache.used, {}
        stamps, w.cache.new_stamps = w.cache.new_stamps, {}
    warnings = w.engine.records.records[:]
    w.engine.records.records.clear()
    return len(indices), reused, used, stamps, warnings, listed


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _render_bulk(
    state: _Work, bulk: list[int], workers: int, progress: Progress
) -> tuple[int, int, dict[str, set[str]], dict[str, tuple[int, int]], list[str]]:
    global _WORK
    _WORK = state
    reused = placed = 0
    used: dict[str, set[str]] = {}
    stamps: dict[str, tuple[int, int]] = {}
    warnings: list[str] = []

    def take(result: _Result) -> None:
        nonlocal reused
        count, hits, keys, new_stamps, notes, listed = result
        if state.verified is not None:
            state.verified.new.update(listed)
        reused += hits
        for kind, found in keys.items():
            used.setdefault(kind, set()).update(found)
        stamps.update(new_stamps)
        warnings.extend(notes)
        progress.advance(count)

    try:
        # Pages whose inputs built a stored page are linked here: cheaper than forking for them
        # (the workers' copy-on-write faults cost more than linking at 10k pages).
        with long_lived():  # what the pages placed add to the cache's and the list's records
            rest = _place_stored(state, bulk)
        placed = len(bulk) - len(rest)
        reused += placed
        progress.advance(len(bulk) - len(rest))
        cache = state.cache
        held: tuple[dict[str, set[str]], dict[str, tuple[int, int]]] = ({}, {})
        if cache is not None:  # the workers (or _run here) report only what they add
            held, (cache.used, cache.new_stamps) = (cache.used, cache.new_stamps), ({}, {})
            _ = cache.stamps  # read (lazily) once here, before forking: the workers inherit them
        try:
            # fork after the engine is prepared: the workers inherit it
            chunks = list(_chunks(rest, CHUNK))
            for result in fork_map(_run, chunks, workers if len(rest) >= PARALLEL_MIN_PAGES else 1, ordered=False):
                take(result)
        finally:
            if cache is not None:
                for kind, keys in held[0].items():
                    cache.used.setdefault(kind, set()).update(keys)
                cache.new_stamps.update(held[1])
        return reused, placed, used, stamps, warnings
    finally:
        _WORK = None


def _place_stored(w: _Work, bulk: list[int]) -> list[int]:
    """Place every bulk page whose input key leads to a stored page; return the others."""
    if w.cache is None or not w.inputs or w.view is None:
        return bulk
    rest: list[int] = []
    for i in bulk:
        url = w.jobs[i].url
        inputs = w.inputs.get(url)
        if not inputs or not incremental.place(
            w.cache, inputs, w.view, w.engine.dest_of(url), w.out, w.root, w.standby, w.verified
        ):
            rest.append(i)
    return rest
