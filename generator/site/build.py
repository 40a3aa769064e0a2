"""Build orchestration: public catalogue → staged pages → engine → atomic swap into site/.

The engine writes into a fresh folder beside the target (``.site.build-*``). Only
when everything succeeded is the new site swapped in, so a failed or interrupted
build leaves the previous site byte for byte as it was:

* the swap is one ``renameat2(RENAME_EXCHANGE)`` on Linux — at every instant
  ``site/`` is either the complete old site or the complete new one; elsewhere
  (or on file systems without it) two renames, with recovery on the next build;
* SIGINT/SIGTERM arriving during the swap are held back until it is done;
* a lock on the parent folder keeps two builds of the same target apart, and
  the next build removes temporary folders left by a build that was killed
  (SIGKILL, power loss), restoring the old site if it was caught mid-swap.

Scale: every page is a :class:`~generator.site.pagetypes.PageJob` whose URL is known
before it is built. The few pages in the navigation are built in this process; the
bulk (entry, interpretation and listing pages) is built and rendered by worker
processes forked once the engine is prepared, each writing its pages straight into
the new site folder. With the build cache (``.gongkai-cache/``), rendered bodies
and finished pages are reused when nothing that decides their bytes has changed
(see :mod:`generator.site.cache`).
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from generator import __version__
from generator.checks.diagnostics import Diagnostic
from generator.model.catalogue import Catalogue
from generator.parallel import default_workers, worker_signals
from generator.progress import Progress
from generator.project import Project, read_inputs
from generator.site import incremental
from generator.site import urls as U
from generator.site.body import BodyError
from generator.site.cache import CACHE_DIR, BuildCache, digest, stamps
from generator.site.engine import (
    Engine,
    EngineError,
    build_reference,
    copy_page_files,
    engine_config,
    engine_date,
    fingerprint,
    front_matter,
    page_content,
    theme_dir,
    write_docs,
)
from generator.site.exports import write_exports
from generator.site.failures import engine_diagnostics
from generator.site.lookups import CatalogueView
from generator.site.outputs import OUTPUT_WRITERS, PAGE_SOURCES, OutputWriter
from generator.site.ownership import cache_problems, mark_site, mark_work, owned_work, target_problems
from generator.site.pages import PageBuilder
from generator.site.pagetypes import PageJob, StagedPage
from generator.site.reproducible import engine_clock
from generator.site.search import write_search
from generator.site.themes import ThemeError, theme_digest
from generator.source.files import CONFIG_FILE, is_attachment_path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locking
    fcntl = None  # type: ignore[assignment]

# Deleting the previous site (one folder and one file per page) takes seconds at 10k
# pages; from this many pages on it is left to a background process.
BACKGROUND_DELETE_PAGES = 2000
# Below this many bulk pages, forking workers costs more than it saves.
PARALLEL_MIN_PAGES = 300
CHUNK = 40


class BuildError(Exception):
    """The build failed; the previous site is untouched. May carry positioned diagnostics."""

    def __init__(self, message: str, diagnostics: tuple[Diagnostic, ...] = (), en: str = "") -> None:
        super().__init__(message)
        self.diagnostics = diagnostics
        self.en = en  # the message in English (--lang en), when there is one

    def __reduce__(self) -> tuple[type[BuildError], tuple[str, tuple[Diagnostic, ...], str]]:
        return (type(self), (str(self), self.diagnostics, self.en))  # keep all three across worker processes


def engine_failure(exc: EngineError | ThemeError, root: Path, work: Path) -> BuildError:
    """An engine or theme failure as a BuildError carrying bilingual, positioned diagnostics."""
    if isinstance(exc, ThemeError):
        return BuildError("网站主题无法使用", tuple(exc.diagnostics), en="the site theme cannot be used")
    return BuildError(
        "网站引擎未能完成构建", engine_diagnostics(exc, root, work), en="the site engine could not build the site"
    )


class BuildInterrupted(BaseException):
    """A signal stopped the build. ``swapped`` tells whether the new site was already in place."""

    def __init__(self, signum: int, swapped: bool = False) -> None:
        super().__init__(signum)
        self.signum = signum
        self.swapped = swapped


@dataclass(frozen=True)
class BuildStats:
    entries: int
    interpretations: int
    pages: int
    warnings: tuple[str, ...] = ()
    reused: int = 0  # pages taken from the build cache
    placed: int = 0  # of these, pages placed through their input key without being built (incremental.py)
    unchanged: bool = False  # the inputs were those of the site already in place: nothing was written


def temp_prefix(target: Path) -> str:
    return f".{target.name}.build-"


def build_site(
    project: Project,
    target: Path,
    *,
    workers: int | None = None,
    cache: bool = True,
    progress: Progress | None = None,
    reference: bool = False,
    engine: str = "mkdocs",
) -> BuildStats:
    """Build ``project`` into ``target``.

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
    with _exclusive(target):
        clean_stale(target)
        if reference:
            return _build_reference(project, target)
        if engine != "mkdocs":
            from generator.site.staged import build_staged

            return build_staged(project, target, engine)
        return _build(project, target, workers, cache, progress or Progress())


def refusals(root: Path, target: Path, cache: bool = True) -> BuildError | None:
    """Why a build of ``root`` may not write ``target`` (or use the cache), if it may not."""
    refused = target_problems(root, target)
    if cache:
        refused += cache_problems(root, root / CACHE_DIR)
    return BuildError("构建目标不属于 gongkai，未写入也未删除任何文件", tuple(refused)) if refused else None


def _build(project: Project, target: Path, workers: int | None, cache: bool, progress: Progress) -> BuildStats:
    catalogue = project.public()
    store = BuildCache(project.root / CACHE_DIR) if cache else None
    key = ""
    if store is not None and project.inputs:
        key = inputs_key(project.root, project.inputs, project.build_date, target)
        done = store.up_to_date(key, target)
        if done is not None:
            store.refresh_sources(source_stamps(project.root))  # touched but not changed
            entries, interpretations, pages, notes = done
            return BuildStats(entries, interpretations, pages, notes, reused=pages, unchanged=True)
    work = Path(tempfile.mkdtemp(prefix=temp_prefix(target), dir=target.parent))
    mark_work(work)
    engine: Engine | None = None
    jobs: list[PageJob] = []
    swapped = False
    try:
        docs, out = work / "docs", work / "site"
        docs.mkdir()
        builder = PageBuilder(catalogue, store, root=project.root)
        jobs = builder.jobs()
        built_here = len(jobs)  # PageBuilder's pages: keyed by their inputs (see incremental.py)
        for source in PAGE_SOURCES:
            jobs.extend(PageJob.ready(page) for page in source(catalogue))
        _no_duplicates(jobs)
        settings = engine_config(project.config, docs, out, _nav_pages(catalogue), theme_dir(project.root, work))
        with engine_clock(catalogue) as epoch:
            engine = prepared = Engine(settings, work / "mkdocs.yml", [job.url for job in jobs])
            # the engine's clock is part of what a cached page was rendered with
            fp = digest(fingerprint(settings), str(epoch)) if store else ""
            state = _Work(jobs, engine, project.root, out, store, fp, view=builder.cat)
            known: dict[str, str] = {}
            if store is not None:
                known = incremental.input_keys(project, jobs[:built_here], fp)
                state.inputs = {
                    j.url: k for j in jobs[:built_here] if not j.search and (k := incremental.key_of(known, j.url))
                }
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
            warnings = engine.finish() + warnings
            engine = None
        # the search index updates only what the edits change (its state lies beside the cache's v1/);
        # exports are kept in the cache under the catalogue's input key
        write_outputs(
            catalogue,
            out,
            project.root / CACHE_DIR / "search" if store else None,
            target / "search",
            (lambda w: incremental.cached_writer(w, store, known, work)) if store is not None else None,
        )
        mark_site(out)
        with deferred_signals():
            _swap(out, target, work)
            swapped = True
        if store:
            for kind, keys in store.used.items():
                used.setdefault(kind, set()).update(keys)
            store.prune(used)
            store.save_stamps({**stamps, **store.new_stamps})  # the bulk pages' and the exports'
    except BodyError as exc:
        raise BuildError("正文无法排版", (exc.diagnostic,)) from exc
    except (EngineError, ThemeError) as exc:
        raise engine_failure(exc, project.root, work) from exc
    except BuildInterrupted as exc:
        exc.swapped = swapped
        raise
    finally:
        if engine is not None:
            engine.abort()
        progress.close()
        _discard(work, background=swapped and len(jobs) >= BACKGROUND_DELETE_PAGES)
    stats = BuildStats(
        len(catalogue.entries), len(catalogue.interpretations), len(jobs), tuple(warnings), reused, placed=placed
    )
    if store is not None and key and not project.diagnostics:
        summary = [stats.entries, stats.interpretations, stats.pages, list(stats.warnings)]
        store.record(key, target, summary, source_stamps(project.root))
    return stats


def write_outputs(
    catalogue: Catalogue,
    out: Path,
    search_state: Path | None = None,
    previous: Path | None = None,
    cached_exports: Callable[[OutputWriter], OutputWriter] | None = None,
) -> None:
    """gongkai's own outputs (search, feeds, exports, statistics) into the new site ``out``.

    With ``search_state`` (a cache folder) and ``previous`` (the last build's ``search/``) the
    search index is updated rather than rebuilt, to the same bytes; ``cached_exports`` wraps the
    exports writer so unchanged exports come from the build cache. Any failure is a BuildError.
    """
    for writer in OUTPUT_WRITERS:
        if cached_exports is not None and writer is write_exports:
            writer = cached_exports(writer)
        try:
            if writer is write_search and search_state is not None:
                write_search(catalogue, out, state=search_state, previous=previous)
            else:
                writer(catalogue, out)
        except BuildError:
            raise
        except Exception as exc:
            name = getattr(writer, "__name__", repr(writer))
            raise BuildError(f"生成 {name} 时出错：{type(exc).__name__}: {exc}") from exc


def _nav_pages(catalogue: Catalogue) -> list[tuple[str, str]]:
    return [(p.title, U.page_url(p.slug)) for p in catalogue.pages if p.nav_order is not None]


def inputs_key(root: Path, inputs: str, build_date: dt.date, target: Path) -> str:
    """Everything a build's output is made from: when it equals the last build's, so does the output.

    ``inputs`` (site_config.yml and every source, see :func:`generator.project.source_digest`),
    every other file below catalogue/ and content/ (attachments, media), the theme
    overrides, gongkai's own code, the engine packages' versions, the build dates and
    the target folder.
    """
    from importlib.metadata import version

    package = Path(__file__).resolve().parents[1]
    parts: list[str | bytes] = ["gongkai-build-2", inputs, build_date.isoformat(), engine_date(), str(target)]
    parts += [f"{p}={version(p)}" for p in ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pyyaml")]
    parts += [__version__, theme_digest(root)]  # the shipped theme with the site's theme/ layered over it
    for path in sorted(package.rglob("*.py")):
        if path.is_file():
            parts += [path.relative_to(package).as_posix(), file_digest(path)]
    for top in ("catalogue", "content"):
        for path in sorted((root / top).rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and (path.suffix != ".md" or is_attachment_path(rel)):  # sources: in ``inputs``
                parts += [rel, file_digest(path)]
    return digest(*parts)


def file_digest(path: Path) -> str:
    """SHA-256 of a file read in chunks (a 2.5 GB video never sits in memory).

    A file that cannot be read (an editor's lock file ``~$通知.docx`` with mode 000) is
    keyed by its size and time instead: nobody references it (``check`` reports a
    referenced one, E027), so it must not stop the build.
    """
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except OSError:
        try:
            st = path.stat()
        except OSError:
            return "missing"
        return f"unreadable:{st.st_size}:{st.st_mtime_ns}"
    return h.hexdigest()


def source_stamps(root: Path) -> dict[str, list[int]]:
    """Sizes and times of site_config.yml and of every file below catalogue/ and content/."""
    return stamps(root, ("catalogue", "content"), (CONFIG_FILE,))


def unchanged_site(root: Path, target: Path, build_date: dt.date) -> BuildStats | None:
    """The last build's stats if ``target`` still holds its output and no input has changed since.

    Only builds without any diagnostic are remembered, so skipping the check here
    never hides a warning. Costs one read of the sources and a ``stat`` of the output.
    """
    if target_problems(root, target) or cache_problems(root, root / CACHE_DIR):
        return None  # the build refuses it, with the reason
    target = target.resolve()
    store = BuildCache(root / CACHE_DIR)
    if store.sources_touched(source_stamps(root)):
        return None  # an edit seen from the file times alone: no need to read every source twice
    inputs = read_inputs(root)
    if inputs is None:
        return None
    done = store.up_to_date(inputs_key(root, inputs, build_date, target), target)
    if done is None:
        return None
    entries, interpretations, pages, notes = done
    return BuildStats(entries, interpretations, pages, notes, reused=pages, unchanged=True)


def _build_reference(project: Project, target: Path) -> BuildStats:
    catalogue = project.public()
    work = Path(tempfile.mkdtemp(prefix=temp_prefix(target), dir=target.parent))
    mark_work(work)
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
            _swap(out, target, work)
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


_WORK: _Work | None = None


def page_key(fp: str, page: StagedPage) -> str:
    """The build-cache key of a finished page: everything its HTML is made from."""
    front = json.dumps(front_matter(page), ensure_ascii=False, sort_keys=True)
    return digest(fp, page.url, front, page_content(page))


_Result = tuple[int, int, int, dict[str, set[str]], dict[str, tuple[int, int]], list[str]]


def _run(indices: list[int]) -> _Result:
    """Build, render and write the given pages; return (count, reused, placed, cache keys used, stamps, warnings)."""
    try:
        return _run_pages(indices)
    except EngineError as exc:  # described here: in a worker, the engine's exception would not survive pickling
        assert _WORK is not None
        raise engine_failure(exc, _WORK.root, _WORK.out.parent) from exc


def _run_pages(indices: list[int]) -> _Result:
    w = _WORK
    assert w is not None
    reused = placed = 0
    for i in indices:
        job = w.jobs[i]
        inputs = w.inputs.get(job.url)
        if (
            inputs
            and w.cache is not None
            and w.view is not None
            and incremental.place(w.cache, inputs, w.view, w.engine.path_of(job.url), w.out, w.root)
        ):
            reused += 1
            placed += 1
            continue
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
            if inputs:
                incremental.remember(w.cache, inputs, key, page, read)
            continue
        data = w.engine.render(page)
        if data:  # MkDocs writes nothing for an empty page; neither does the cache
            w.cache.publish("page", key, data, dest)
            if inputs:
                incremental.remember(w.cache, inputs, key, page, read)
    used: dict[str, set[str]] = {}
    stamps: dict[str, tuple[int, int]] = {}
    if w.cache is not None:
        used, w.cache.used = w.cache.used, {}
        stamps, w.cache.new_stamps = w.cache.new_stamps, {}
    warnings = w.engine.records.records[:]
    w.engine.records.records.clear()
    return len(indices), reused, placed, used, stamps, warnings


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
        nonlocal reused, placed
        count, hits, without_building, keys, new_stamps, notes = result
        reused += hits
        placed += without_building
        for kind, found in keys.items():
            used.setdefault(kind, set()).update(found)
        stamps.update(new_stamps)
        warnings.extend(notes)
        progress.advance(count)

    try:
        # fork() copies only the calling thread: with other threads alive (gongkai serve's
        # watcher and server) a lock they hold could never be released in a worker.
        if workers <= 1 or len(bulk) < PARALLEL_MIN_PAGES or threading.active_count() > 1:
            for chunk in _chunks(bulk, CHUNK):
                take(_run(chunk))
            return reused, placed, used, stamps, warnings
        # Fork after the engine is prepared; freeze the heap first so that the
        # workers' garbage collector does not copy every shared page.
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(workers, initializer=worker_signals) as pool:
                for result in pool.imap_unordered(_run, _chunks(bulk, CHUNK)):
                    take(result)
        finally:
            gc.unfreeze()
        return reused, placed, used, stamps, warnings
    finally:
        _WORK = None


def _discard(work: Path, background: bool) -> None:
    """Delete the build's scratch folder (holding the previous site after a swap)."""
    rm = shutil.which("rm")
    if background and rm:
        trash = work.with_name(work.name.replace(".build-", ".trash-", 1))
        try:
            os.rename(work, trash)
            subprocess.Popen(
                [rm, "-rf", "--", str(trash)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            return
        except OSError:
            pass
    shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------- the swap
def _swap(new: Path, target: Path, work: Path) -> None:
    """Put ``new`` in place of ``target``; the old site ends up inside ``work``."""
    if target.exists() and _exchange(new, target):
        return
    old = work / "previous"
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        if old.exists():
            os.rename(old, target)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return bool(renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0)


def clean_stale(target: Path) -> list[Path]:
    """Remove temporary folders of killed builds; restore the old site if a swap was cut short.

    Only folders a build marked as its own (:data:`~generator.site.ownership.WORK_MARKER`)
    are touched: a look-alike name is never deleted.
    """
    removed: list[Path] = []
    for stale in sorted(target.parent.glob(temp_prefix(target) + "*")):
        if not owned_work(stale):
            continue
        previous = stale / "previous"
        if not target.exists() and not target.is_symlink() and previous.is_dir() and not previous.is_symlink():
            os.rename(previous, target)
        shutil.rmtree(stale, ignore_errors=True)
        removed.append(stale)
    return removed


@contextmanager
def _exclusive(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on the target's parent folder for the whole build."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"另一个构建正在写入 {target}，请等它完成后再试") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


# ------------------------------------------------------------------ signals
_HANDLED = (signal.SIGINT, signal.SIGTERM)


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise BuildInterrupted(signum)


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`BuildInterrupted` (so ``finally`` blocks clean up)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {s: signal.signal(s, _raise_interrupted) for s in _HANDLED}
    try:
        yield
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back while the block runs; deliver them afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    saved = {s: signal.signal(s, lambda signum, frame: pending.append(signum)) for s in _HANDLED}
    try:
        yield
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
        for signum in pending[:1]:
            signal.raise_signal(signum)
