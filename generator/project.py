"""Load a gongkai project: read → check → model, in one pass, never raising for content."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import pickle
from collections.abc import Callable, ItemsView, Iterator, ValuesView
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from generator.checks.collisions import url_collisions
from generator.checks.crossref import CrossChecker, hidden_links, identifier_checks
from generator.checks.deadlines import Deadline, check_deadlines
from generator.checks.markup import check_body
from generator.checks.privacy import PrivacyChecker, check_config
from generator.checks.schema import validate
from generator.diagnostics import Diagnostic, diag, sort_diagnostics
from generator.model.catalogue import Catalogue
from generator.model.config_load import load_config
from generator.model.entry import (
    Entry,
    Interpretation,
    Page,
    entry_from,
    interpretation_from,
    page_from,
    partial_item,
)
from generator.model.links import body_links
from generator.model.siteconfig import SiteConfig
from generator.parallel import aged, default_workers, fork_map, long_lived
from generator.progress import Progress
from generator.source.files import CONFIG_FILE, PAGES_DIR, PROBLEMS, SourceRef, discover, read_bounded
from generator.source.frontmatter import MAX_FILE_BYTES, SourceFile, parse

if TYPE_CHECKING:
    from generator.project_cache import CheckCache, Packed


@dataclass
class Project:
    root: Path
    config: SiteConfig
    catalogue: Catalogue
    build_date: dt.date
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, SourceFile] = field(default_factory=dict)
    inputs: str = ""  # SHA-256 of site_config.yml and every source file read (see source_digest)
    deadlines: list[Deadline] = field(default_factory=list)  # overdue or due soon (checks/deadlines.py)
    # rel -> (SHA-256 of its front matter text, SHA-256 of its bytes): what pages are keyed by
    # (generator/site/incremental.py); kept when ``sources`` is cleared to save memory
    source_digests: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    def public(self) -> Catalogue:
        return self.catalogue.public(self.build_date)


def default_build_date() -> dt.date:
    """The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC+8)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone(dt.timedelta(hours=8))).date()
    return dt.datetime.now(tz=dt.timezone(dt.timedelta(hours=8))).date()


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding site_config.yml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None


def _read(root: Path, ref: SourceRef) -> tuple[bytes | None, Diagnostic]:
    """The bytes of a source, or the diagnostic saying why it is not read."""
    if ref.problem == "outside":
        return None, diag(ref.rel, (1, 1), "E014")
    if ref.problem is None:
        try:
            size = (root / ref.rel).stat().st_size
            if size > MAX_FILE_BYTES:
                return None, diag(ref.rel, (1, 1), "E015", size=size, limit=MAX_FILE_BYTES)
            return read_bounded(root / ref.rel, MAX_FILE_BYTES), diag(ref.rel, None, "E016")
        except PermissionError:
            problem = "unreadable"
        except OSError:
            problem = "dangling"
    else:
        problem = ref.problem
    zh, en = PROBLEMS[problem]
    return None, diag(ref.rel, (1, 1), "E016", reason=zh, reason_en=en)


# Reading and checking files one by one is most of `check`; from this many files on it is
# spread over forked worker processes (results come back in discovery order).
PARALLEL_MIN_FILES = 400
CHUNK = 50


@dataclass
class _Loaded:
    """One source file read, parsed and checked on its own (in a worker or here)."""

    ref: SourceRef
    digest: bytes | None  # SHA-256 of the bytes read; None when the file could not be read
    src: SourceFile | None
    diagnostics: list[Diagnostic]
    item: Entry | Interpretation | Page | None
    partial: Entry | Interpretation | None = None  # built with placeholders for missing required fields
    # the item's body links (model.links.body_links), kept with cached results so that
    # hidden_links does not scan every body again; None: not computed
    links: tuple[tuple[str, int, int], ...] | None = None
    front: bytes = b""  # SHA-256 of the source's raw front matter (what pages are keyed by)
    # the UTF-8 length of the body when the file's bytes end with it, else -1 (project_cache)
    body_at: int = -1
    # a cached result's source file, still pickled, and its body or what reads it (see
    # SourceMap, project_cache.LazyBody); src is None
    deferred: tuple[bytes, str | Callable[[], str]] | None = None
    known: str | None = None  # the 索引号 its front matter gives, as text
    summary: bytes = b""  # what the cached cross-file checks read of it (see _summary)
    # what the check cache keeps of it, prepared by the worker that checked it (project_cache.pack)
    packed: Packed | None = None


def _load_one(root: Path, ref: SourceRef, config: SiteConfig, config_ok: bool) -> _Loaded:
    loaded = _check_one(root, ref, config, config_ok)
    src = loaded.src
    if loaded.item is not None:  # for hidden_links, which are cached with the results
        loaded.links = tuple(body_links(loaded.item.body))
    if src is not None:
        data = src.data
        loaded.known = str(data.get("index_no")) if data and "index_no" in data else None
        if config_ok:
            loaded.summary = _summary(loaded, src)
    return loaded


def _summary(loaded: _Loaded, src: SourceFile) -> bytes:
    """SHA-256 of all the cached cross-file checks read of one file (see _load_project).

    They read its item and partial item but for their bodies, the positions in its front
    matter, its 索引号 as text and the links in its body. Its item is made from the values
    of the front matter (validated against the configuration) and from its path, body and
    body line (model.entry: ``*_from``): without the body it follows from the front matter
    text, the body line and whether it parsed, as do the positions (lines counted from the
    body line back); path, configuration and gongkai are keyed elsewhere.
    """
    seen = (
        loaded.ref.kind,
        src.body_line,
        loaded.front,
        src.data is None,
        type(loaded.item).__name__,
        type(loaded.partial).__name__,
        loaded.known,
        loaded.links,
    )
    return hashlib.sha256(repr(seen).encode("utf-8", "surrogatepass")).digest()


def _check_one(root: Path, ref: SourceRef, config: SiteConfig, config_ok: bool) -> _Loaded:
    raw, problem = _read(root, ref)
    if raw is None:
        return _Loaded(ref, None, None, [problem], None)
    src = parse(ref.rel, raw)
    loaded = _Loaded(ref, hashlib.sha256(raw).digest(), src, list(src.diagnostics), None)
    loaded.front = hashlib.sha256(src.raw_front_matter.encode("utf-8", "surrogatepass")).digest()
    body = src.body.encode("utf-8", "surrogatepass")
    loaded.body_at = len(body) if raw.endswith(body) else -1
    if src.data is not None:
        loaded.diagnostics.extend(check_body(src))
    if not config_ok:
        return loaded
    checked = validate(src, ref.kind, config)
    loaded.diagnostics.extend(checked.diagnostics)
    if src.data is None:
        return loaded
    # A file with errors in optional fields still takes part in the cross-file
    # checks (every problem at once); one missing a required field cannot.
    values = checked.values
    try:
        if ref.kind == "entry":
            loaded.item = entry_from(values, ref.rel, src.body, src.body_line)
        elif ref.kind == "interpretation":
            loaded.item = interpretation_from(values, ref.rel, src.body, src.body_line)
        else:
            slug = ref.rel[len(PAGES_DIR) + 1 : -3] if ref.rel.startswith(PAGES_DIR + "/") else ref.rel[8:-3]
            loaded.item = page_from(values, ref.rel, slug, src.body, src.body_line)
    except TypeError:
        # a required field is missing (reported above): its other problems are still found
        loaded.diagnostics.extend(PrivacyChecker.check_source(root, ref.kind, src))
        loaded.partial = partial_item(ref.kind, values, ref.rel, src.body, src.body_line)
        if loaded.partial is not None:
            loaded.diagnostics.extend(identifier_checks(loaded.partial, config, src))
        return loaded
    loaded.diagnostics.extend(PrivacyChecker.check_item(root, loaded.item, src))
    if not isinstance(loaded.item, Page):
        loaded.diagnostics.extend(identifier_checks(loaded.item, config, src))
    return loaded


# What the workers need; set before forking, inherited, never pickled.
_JOB: tuple[Path, SiteConfig, bool, bool] | None = None


def _load_chunk(refs: list[SourceRef]) -> list[_Loaded]:
    assert _JOB is not None
    root, config, config_ok, keep = _JOB
    was = gc.isenabled()
    gc.enable()  # parsing makes cycles (YAML loaders): collect them here, also in forked workers
    try:
        return [_sealed(root, _load_one(root, ref, config, config_ok), keep) for ref in refs]
    finally:
        if not was:
            gc.disable()


def _sealed(root: Path, loaded: _Loaded, keep: bool) -> _Loaded:
    """``loaded`` with its source file pickled (``deferred``, as a cached result's is) and, when
    ``keep``, what the check cache keeps of it (``packed``), both made here, in the worker.

    A parsed source (every key's position in the front matter) is several times the size of
    its item; the cross-file checks ask for a few of them (:class:`SourceMap` unpickles those).
    Sent whole, every source would be unpickled in the parent, kept there for the whole build
    (1.8 GB at 100,000 entries) and pickled again there for the cache."""
    src = loaded.src
    if src is None:
        return loaded
    from generator.project_cache import pack, source_blob

    if keep:
        loaded.packed = pack(root, loaded)
        assert loaded.packed is not None
        blob = loaded.packed[2]
    else:
        blob = source_blob(src)
    loaded.src, loaded.deferred = None, (blob, src.body)
    return loaded


def _load_all(
    root: Path, refs: list[SourceRef], config: SiteConfig, config_ok: bool, keep: bool = False
) -> Iterator[_Loaded]:
    global _JOB
    chunks = [refs[i : i + CHUNK] for i in range(0, len(refs), CHUNK)]
    _JOB = (root, config, config_ok, keep)
    try:
        workers = default_workers() if len(refs) >= PARALLEL_MIN_FILES else 1
        if (workers <= 1 or len(chunks) < 2) and not gc.isenabled():
            aged()  # _load_chunk runs here and enables the collector: not over every cached result
        for chunk in fork_map(_load_chunk, chunks, workers):
            yield from chunk
    finally:
        _JOB = None


def load_project(
    root: Path,
    build_date: dt.date | None = None,
    progress: Progress | None = None,
    cache: bool = False,
    lazy: bool = False,
) -> Project:
    """Read, check and model the project at ``root``.

    ``cache=True`` reuses per-file results of earlier runs (see :mod:`generator.project_cache`);
    the diagnostics and the project are the same either way. ``lazy`` (with ``cache``): a file
    whose ``stat`` shows it unchanged since its result was recorded is not read; its body is
    read when first asked for (:class:`generator.project_cache.LazyBody`, which raises
    ``SourceChangedError`` if the file changed since). For a run that reads few bodies soon
    after the check (``check``, ``build``), not for one that keeps the project (``serve``).
    """
    # Loading makes tens of thousands of objects and no reference cycles (the parsers' own,
    # made in _load_chunk, are collected there): the collector's passes over them would cost
    # about a third of a cached check.
    with long_lived():
        return _load_project(root, build_date, progress, cache, lazy)


def _load_project(
    root: Path, build_date: dt.date | None, progress: Progress | None, cache: bool, lazy: bool = False
) -> Project:
    build_date = build_date or default_build_date()
    config, diags = load_config(root)
    # Without a readable site_config.yml every entry would fail the agency and vocabulary
    # checks; report the config and the files' own reading problems only.
    config_ok = not any(d.path == CONFIG_FILE and (d.code < "E1" or d.code == "E701") for d in diags)
    if config_ok:
        diags.extend(check_config(root, CONFIG_FILE))  # the footer and names are on every page
    entries: list[Entry] = []
    interps: list[Interpretation] = []
    pages: list[Page] = []
    partial: list[Entry | Interpretation] = []
    sources = SourceMap()
    known: set[str] = set()
    source_digests: dict[str, tuple[bytes, bytes]] = {}
    links: dict[str, tuple[tuple[str, int, int], ...]] = {}
    refs = discover(root)
    inputs = source_digest(root)
    if progress:
        progress.phase("读取与检查", len(refs))
    store = None
    if cache:
        from generator.project_cache import CheckCache

        store = CheckCache(root, config_ok)
    summary = hashlib.sha256()
    for loaded in (
        _load_all(root, refs, config, config_ok)
        if store is None
        else _load_cached(store, root, refs, config, config_ok, lazy)
    ):
        if progress:
            progress.advance()
        diags.extend(loaded.diagnostics)
        rel = loaded.ref.rel
        if loaded.digest is None:
            continue
        if loaded.src is not None:
            sources[rel] = loaded.src
        elif loaded.deferred is not None:
            sources.defer(rel, *loaded.deferred)
        else:
            continue
        if loaded.known is not None:
            known.add(loaded.known)
        inputs.update(rel, loaded.digest)
        if loaded.links is not None and loaded.item is not None:
            links[rel] = loaded.links
        source_digests[rel] = (loaded.front, loaded.digest)
        if isinstance(loaded.item, Entry):
            entries.append(loaded.item)
        elif isinstance(loaded.item, Interpretation):
            interps.append(loaded.item)
        elif isinstance(loaded.item, Page):
            pages.append(loaded.item)
        if loaded.partial is not None:
            partial.append(loaded.partial)
        summary.update(len(rel).to_bytes(4, "little") + rel.encode("utf-8", "surrogatepass") + loaded.summary)
    deadlines: list[Deadline] = []
    if config_ok:
        checker = CrossChecker(root, config, entries, interps, sources, build_date, known, partial)
        # all but the file system's part of the cross-file checks: kept in the check cache
        # under the files' summaries, the configuration, gongkai and the build date
        key = hashlib.sha256(f"{build_date.isoformat()}|".encode() + summary.digest()).digest()
        cross = store.cross(key) if store is not None else None
        if cross is None:
            timing = check_deadlines(config, entries, interps, sources, root, build_date)
            found = [
                *checker.run(files=False),
                *url_collisions(root, config, entries, interps, pages, sources),
                *hidden_links(entries, interps, pages, build_date, links),
            ]
            cross = (found, timing.diagnostics, timing.deadlines)
            if store is not None:
                store.keep_cross(key, cross)
        diags.extend(cross[0])
        diags.extend(cross[1])
        deadlines = cross[2]
        if store is not None:
            checker.sha_of = store.file_sha
        diags.extend(checker.files())
    if store is not None:
        store.save()
    from generator.checks.starter import placeholder_diagnostics  # what gongkai init left for the office to fill
    from generator.source.themes import theme_diagnostics  # the site's theme/ overrides (no engine import)

    diags.extend(theme_diagnostics(root))
    diags.extend(placeholder_diagnostics(root))
    catalogue = Catalogue.build(config, entries, interps, pages, build_date)
    project = Project(root, config, catalogue, build_date, sort_diagnostics(diags), sources, inputs.hexdigest())
    project.deadlines = deadlines
    project.source_digests = source_digests
    return project


def _read_stat(base: str, rel: str, size: int = -1) -> tuple[bytes, os.stat_result] | None:
    """The bytes of a readable source of allowed size and its stat taken after reading them
    (see CheckCache.digest); None for anything else, which _load_one reads and reports.

    Plain descriptors, reads sized by the file (a buffered ``read(MAX_FILE_BYTES + 1)``
    would set up a 4 MB buffer for each small file), read until the end as that would.
    ``size``: the size the file had when last read (the check cache's record), or -1. With it
    the file is read with one ``read`` of one byte more and the stat after it shows that
    nothing is left (a short read and the size equal to the bytes read): open, read, fstat,
    close instead of the six calls that sizing the read first and reading to the end take.
    """
    try:
        fd = os.open(f"{base}/{rel}", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        chunks: list[bytes] = []
        total = 0
        if 0 <= size <= MAX_FILE_BYTES:
            chunk = os.read(fd, size + 1)
            st = os.fstat(fd)
            if len(chunk) <= size and st.st_size == len(chunk):  # all of it (the stat is after the read)
                return chunk, st
            chunks.append(chunk)  # not the recorded size: read on as without a hint
            total = len(chunk)
        size = os.fstat(fd).st_size
        while total <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(max(size - total, 0), MAX_FILE_BYTES - total) + 1)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        st = os.fstat(fd)
    except OSError:
        return None
    finally:
        os.close(fd)
    raw = chunks[0] if len(chunks) == 1 else b"".join(chunks)  # one read: no copy
    return (raw, st) if len(raw) <= MAX_FILE_BYTES else None


def _load_cached(
    store: CheckCache, root: Path, refs: list[SourceRef], config: SiteConfig, config_ok: bool, lazy: bool = False
) -> Iterator[_Loaded]:
    """Like :func:`_load_all`, taking each file's result from the check cache when its bytes are
    known (``lazy``: or when its ``stat`` shows it unchanged, see :meth:`CheckCache.settled`)."""
    found: list[_Loaded | None] = []
    base = os.fspath(root)
    for ref in refs:
        hit = None
        if ref.problem is None and lazy:
            hit = store.settled(ref.kind, ref.rel)
        if ref.problem is None and hit is None:
            read = _read_stat(base, ref.rel, store.size_of(ref.rel))
            if read is not None:
                raw, st = read
                hit = store.lookup(ref.kind, ref.rel, store.digest(ref.rel, raw, st), raw)
        found.append(hit)
    misses = [ref for ref, hit in zip(refs, found, strict=True) if hit is None]
    fresh = _load_all(root, misses, config, config_ok, keep=True)
    for hit in found:
        if hit is None:
            hit = next(fresh)
            store.store(hit)
        yield hit
    for _ in fresh:  # exhausted: let it close its worker pool
        pass


class _Deferred(NamedTuple):
    blob: bytes  # the pickled SourceFile without its body
    body: str | Callable[[], str]  # or what reads it (project_cache.LazyBody)


class SourceMap(dict[str, SourceFile]):
    """Source path -> :class:`SourceFile`; those of cached results stay pickled until asked for.

    A cached check needs the parsed front matter of a file only to position a cross-file
    diagnostic about it: unpickling every file's positions would be a third of it. Reading
    (``[]``, ``get``, ``values``, ``items``, iteration into another dict, ``==``) unpickles.
    """

    def defer(self, rel: str, blob: bytes, body: str | Callable[[], str]) -> None:
        dict.__setitem__(self, rel, _Deferred(blob, body))  # type: ignore[misc]

    def __getitem__(self, rel: str) -> SourceFile:
        value: SourceFile | _Deferred = dict.__getitem__(self, rel)
        if isinstance(value, _Deferred):
            src: SourceFile = pickle.loads(value.blob)
            src.body = value.body if isinstance(value.body, str) else value.body()
            dict.__setitem__(self, rel, src)
            return src
        return value

    def get(self, rel: str, default: Any = None) -> Any:
        if rel in self:  # (not dict.get: that would return a pickled source)
            return self[rel]
        return default

    def _all(self) -> None:
        for rel in dict.keys(self):
            self[rel]

    def __iter__(self) -> Iterator[str]:  # not dict's own: dict(m) and {**m} then go through []
        return dict.__iter__(self)

    def values(self) -> ValuesView[SourceFile]:  # type: ignore[override]
        self._all()
        return dict.values(self)

    def items(self) -> ItemsView[str, SourceFile]:  # type: ignore[override]
        self._all()
        return dict.items(self)

    def pop(self, rel: str, *default: Any) -> Any:
        if rel in self:
            value = self[rel]
            dict.pop(self, rel)
            return value
        return dict.pop(self, rel, *default)

    def copy(self) -> dict[str, SourceFile]:
        return dict(self.items())

    def __eq__(self, other: object) -> bool:
        self._all()
        if isinstance(other, SourceMap):
            other._all()
        return dict.__eq__(self, other)

    __hash__ = None

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self.items()),))


class source_digest:
    """SHA-256 over site_config.yml and each source read (path and the SHA-256 of its bytes), in discovery order."""

    def __init__(self, root: Path) -> None:
        self._h = hashlib.sha256()
        try:
            config = (root / CONFIG_FILE).read_bytes()
        except OSError:
            config = b""
        self.update(CONFIG_FILE, hashlib.sha256(config).digest())

    def update(self, rel: str, raw: bytes) -> None:
        for part in (rel.encode("utf-8"), raw):
            self._h.update(len(part).to_bytes(8, "little"))
            self._h.update(part)

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def read_inputs(root: Path) -> str | None:
    """The ``inputs`` digest load_project would compute, without parsing anything."""
    inputs = source_digest(root)
    for ref in discover(root):
        if ref.problem is not None:
            return None
        raw, _ = _read(root, ref)
        if raw is None:
            return None
        inputs.update(ref.rel, hashlib.sha256(raw).digest())
    return inputs.hexdigest()
