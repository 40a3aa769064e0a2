"""Write the search index of a public catalogue into ``<site>/search/``.

Layout (UTF-8 JSON, deterministic; formats in docs/search.md)::

    search/manifest.json        format, build id, lunr version, BM25 parameters and query
                                pipeline, fields and boosts, bucket counts, the heavy terms,
                                document count
    search/facets.json          facet values; per document its values, date and sources
    search/lengths.json         per field, every document's length in terms (for the weights)
    search/shards/h<x>.json     the term record of a heavy term, x its hash (generator/search/compact.py),
                                restricted to documents 0 … BLOCK_DOCS − 1 (all of a smaller index)
    search/shards/h<x>-<k>.json its record restricted to the documents of block k (k ≥ 1)
    search/shards/<ns><n>.json  the term records of a bucket of light terms
    search/docs/<g>.json        what results show (title, 文号, 索引号, URL, date, agency, …) of
                                documents 4g … 4g+3
    search/text/<ref>.json      abstract and plain text of one document, for its snippet

The browser loads the manifest, facets and lengths once, then per query the shard files of its
terms, the docs/ files of the 20 results it shows and, once those show, their text/ files.

Two phases, each on ``workers`` forked processes for a large corpus (tokenizing is the
cost): (1) each worker takes a contiguous range of documents, gathers their postings
and writes their docs/ and text/ files; the postings are merged in document order,
which numbers the terms exactly as one pass would; (2) each worker groups the postings
and writes the term records of the terms of a fixed share of the shard files.
What a file holds never depends on which process wrote it. A term record holds raw
statistics (documents, term frequencies, idf), not lunr's weights, so an edit of one
document changes only the records of the terms whose postings it changes (and
lengths.json, the manifest).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from generator.model.catalogue import Catalogue
from generator.model.entry import Item
from generator.parallel import fork_map, long_lived
from generator.search.compact import ints, records, ref_of, shard_text
from generator.search.documents import (
    FIELDS,
    display,
    search_doc,
    search_items,
    snippet_text,
)
from generator.search.facets import facets
from generator.search.incremental import (
    Digests,
    Segment,
    Stamp,
    State,
    basis,
    code_fingerprint,
    document_keys,
    load_state,
    save_state,
    segments,
    shown_keys,
    stamp,
    update,
)
from generator.search.postings import K1, B, Grouped, Postings, first_ranks, merge, spill
from generator.search.shards import (
    BLOCK_DOCS,
    HEAVY_POSTINGS,
    TARGET_COST,
    TERM_COST,
    Layout,
    block_file,
    cost,
    heavy_name,
    same_postings,
    shard_name,
)
from generator.search.tokenizer import PIPELINE_LABELS

FORMAT_VERSION = 5
LUNR_VERSION = "2.3.9"
QUERY_PIPELINE = [PIPELINE_LABELS["query"]]
PARALLEL_MIN_DOCUMENTS = 500  # below this, forking costs more than it saves
PARALLEL_MIN_SHARDS = 200  # an incremental build rewriting fewer shard files writes them here
DOCS_PER_FILE = 4  # display records per docs/ file: 20 results fetch ~8 KB gzip (17 KB with 16 a file)
BATCH_POSTINGS = 2_000_000  # postings grouped at once (~100 MB), see _shards

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class IndexStats:
    documents: int
    terms: int
    postings: int
    shards: int
    bytes: int
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per phase (for the bench)
    reused: int = 0  # files copied from the previous build (an incremental build)


# json.dumps with these arguments makes an encoder per call (~a third of its CPU for a small record)
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``."""
    return _ENCODER.encode(value)


def new_postings(start: int = 0) -> Postings:
    return Postings(tuple(f.name for f in FIELDS), tuple(f.boost for f in FIELDS), start)


# Worker state for forked processes: set before the pool starts, inherited, never pickled.
_SHARED: dict[str, Any] = {}
Written = tuple[str, str, int]  # (path relative to search/, sha256, bytes)
_ROWS = ".rows-"  # a phase-1 worker's rows, in search/ until merged (postings.spill)


def _shown(item: Item, cat: Catalogue, url: str) -> str:
    """The JSON text of the display record of ``item``'s document. (Keeping the texts in the state for the next
    build cost more than dumping them again: ~0.15 CPU-s with the lookups and the pickling
    at 10k documents, against ~0.1 s without.)"""
    return dumps(display(item, cat, url))


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _put(path: str, data: bytes) -> None:
    """``Path(path).write_bytes(data)`` without the buffered file object (half the CPU for the
    thousands of small files an index has)."""
    fd = os.open(path, _WRITE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _write(out: Path, rel: str, text: str) -> Written:
    data = text.encode()
    _put(f"{out}/{rel}", data)
    return rel, hashlib.sha256(data).hexdigest(), len(data)


def _documents(span: tuple[int, int]) -> tuple[Postings, list[Written]]:
    """Phase 1: postings of the documents ``span``, their docs/ and text/ files."""
    items: list[Item] = _SHARED["items"]
    cat: Catalogue = _SHARED["cat"]
    url_of: Callable[[Item], str] = _SHARED["url_of"]
    out: Path = _SHARED["out"]
    lo, hi = span
    p = new_postings(lo)
    written, shown = [], []
    for n in range(lo, hi):
        doc = search_doc(n, items[n])
        p.add([doc.field_counts(i, p.ids) for i in range(len(FIELDS))])
        written.append(_write(out, f"text/{doc.ref}.json", dumps(snippet_text(doc))))
        shown.append(_shown(doc.item, cat, url_of(doc.item)))
        if (n + 1) % DOCS_PER_FILE == 0 or n + 1 == hi:
            written.append(_write(out, f"docs/{n // DOCS_PER_FILE}.json", "[" + ",\n".join(shown) + "]\n"))
            shown = []
    if _SHARED.get("parent") not in (None, os.getpid()):  # a forked worker: its rows go back in a file (postings.spill)
        spill(p, f"{out}/{_ROWS}{lo}")
    return p, written


def _shards(names: Sequence[str]) -> list[Written]:
    """Phase 2: the term records and files of the shards ``names``.

    The files are grouped in batches of about BATCH_POSTINGS postings: grouping holds
    ~50 bytes per posting, so one batch for a worker's whole share would need ~2 GB
    at 100k documents (the records do not depend on the batches).
    """
    p: Postings = _SHARED["postings"]
    layout: Layout = _SHARED["layout"]
    costs: dict[str, int] = _SHARED["costs"]
    ranks: list[int] = _SHARED["ranks"]
    out: Path = _SHARED["out"]
    block: int = _SHARED["block"]
    blocks = -(-p.count // block)  # a heavy file is written a block of documents at a time
    written = []
    batch: list[str] = []
    load = 0  # the cost of the files in batch
    for i, name in enumerate(names):
        batch.append(name)
        load += costs[name]
        if i + 1 < len(names) and load + costs[names[i + 1]] <= BATCH_POSTINGS:
            continue
        whole = batch if blocks <= 1 else [n for n in batch if n[0] != "h"]
        grouped = Grouped(p, (p.ids[t] for n in whole for t in layout.files[n]))
        for n in whole:
            text = shard_text(records(grouped, layout.files[n], p.ids, p.origin, ranks), ordered=True)
            written.append(_write(out, f"shards/{n}.json", text))
        split = [n for n in batch if n not in whole]
        for k in range(blocks if split else 0):  # each heavy file's terms with postings in block k
            grouped = Grouped(
                p, (p.ids[t] for n in split for t in layout.files[n]), (k * block, (k + 1) * block), _SHARED["counts"]
            )
            held = set(np.unique(grouped.run_term).tolist())
            for n in split:
                terms = [t for t in layout.files[n] if p.ids[t] in held]
                if terms:
                    text = shard_text(records(grouped, terms, p.ids, p.origin, ranks), ordered=True)
                    written.append(_write(out, f"shards/{block_file(n, k)}.json", text))
        batch, load = [], 0
    return written


def _blocks(heavy: list[str], p: Postings, written: list[Written], block: int) -> dict[str, Any]:
    """The manifest's keys for an index of more than one block of documents: the block size
    and, per heavy term (as ``heavy`` lists them), the blocks its file has (a hexadecimal
    mask, bit k for block k), for engine.js to load only blocks that can hold a match."""
    if p.count <= block:
        return {}
    held: dict[str, int] = {}
    for rel, _, _ in written:
        if rel.startswith("shards/h"):
            name, _, k = rel[len("shards/") : -len(".json")].partition("-")
            held[name] = held.get(name, 0) | 1 << int(k or 0)
    return {
        "blockDocs": block,
        "blocks": [format(held.get(heavy_name(t), 0), "x") for t in heavy],
    }


def _run(fn: Callable[[T], R], tasks: Sequence[T], parallel: bool) -> list[R]:
    return list(fork_map(fn, tasks, len(tasks) if parallel else 1))


def spans(n: int, parts: int, unit: int) -> list[tuple[int, int]]:
    """``parts`` contiguous ranges covering ``range(n)``, cut at multiples of ``unit``."""
    units = -(-n // unit)
    bounds = [min(n, units * k // parts * unit) for k in range(parts + 1)]
    return [(bounds[k], bounds[k + 1]) for k in range(parts) if bounds[k] < bounds[k + 1]] or [(0, n)]


def balance(costs: dict[str, int], parts: int) -> list[list[str]]:
    """Files shared among ``parts`` workers by cost, largest first (deterministic)."""
    shares: list[list[str]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for name in sorted(costs, key=lambda n: (-costs[n], n)):
        k = loads.index(min(loads))
        shares[k].append(name)
        loads[k] += costs[name]
    return [s for s in shares if s] or [[]]


def write_index(
    cat: Catalogue,
    out: Path,
    url_of: Callable[[Item], str],
    workers: int | None = None,
    heavy: int = HEAVY_POSTINGS,
    target: int = TARGET_COST,
    state: Path | None = None,
    previous: Path | None = None,
    into: dict[str, tuple[str, int, int]] | None = None,
    block: int = BLOCK_DOCS,
    digests: Digests | None = None,
) -> IndexStats:
    """Write ``search/`` for the public catalogue ``cat`` into ``out``.

    With ``state`` (a folder of the build cache) the build keeps what it needs to update
    the index next time; when ``previous`` (the last build's ``search/``) and the state
    agree and only a few documents changed, only those are tokenized again and only the
    files they change are computed: the rest are hard-linked from ``previous`` (each
    checked against the size, time and inode the state recorded). Either way the files are
    the same bytes. ``into`` (a standby site's :attr:`~generator.site.cache.BuildCache.into`):
    an unchanged file is not linked into ``out`` but noted there (destination → the previous
    build's file, its device and inode) for the standby to link; nothing reads it from ``out``.
    ``digests`` (the project's :attr:`~generator.project.Project.source_digests`): an item whose
    source file is unchanged is known by it, its body not read (see ``incremental.document_keys``),
    and the display records of unchanged documents are not made again.
    """
    # The collector paused: the index makes many objects and little cyclic garbage, and each
    # collection would walk the whole heap (the catalogue's too): ~0.1 CPU-s of an edit at 10k.
    with long_lived():
        return _write_index(cat, out, url_of, workers, heavy, target, state, previous, into, block, digests)


def _write_index(
    cat: Catalogue,
    out: Path,
    url_of: Callable[[Item], str],
    workers: int | None,
    heavy: int,
    target: int,
    state: Path | None,
    previous: Path | None,
    into: dict[str, tuple[str, int, int]] | None,
    block: int,
    digests: Digests | None,
) -> IndexStats:
    items = search_items(cat)
    workers = workers or min(2, os.cpu_count() or 1)
    parallel = (
        workers > 1 and len(items) >= PARALLEL_MIN_DOCUMENTS and "fork" in multiprocessing.get_all_start_methods()
    )
    for folder in ("docs", "text", "shards"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    clock = [time.perf_counter()]
    seconds: dict[str, float] = {}

    def lap(phase: str) -> None:
        clock.append(time.perf_counter())
        seconds[phase] = clock[-1] - clock[-2]

    params: list[Any] = [
        FORMAT_VERSION,
        heavy,
        target,
        DOCS_PER_FILE,
        [[f.name, f.boost, f.mode] for f in FIELDS],
        block,
    ]
    params.append(code_fingerprint() if state is not None else "")
    old = load_state(state, params) if state is not None and previous is not None and previous.is_dir() else None
    now = basis(cat, url_of) if state is not None and digests is not None else None
    keys, sources = document_keys(items, digests, old, now) if state is not None else ([], [])
    shown = shown_keys(items, sources, cat, digests) if sources and digests is not None else []
    changed = segments(old.keys, keys) if old is not None else None
    linked: dict[str, Stamp] = {}  # files hard-linked from the previous build: their stamps
    kept: list[str] = []  # files taken from the previous build
    reuse: Callable[[str, str], bool] = lambda rel, sha: False  # noqa: E731  # take an equal file of the previous build
    if old is not None and previous is not None and changed is not None:
        try:
            p, ranks, layout, written, reuse, counts = _incremental(
                items,
                cat,
                url_of,
                out,
                old,
                changed,
                previous,
                linked,
                kept,
                into,
                workers if parallel else 1,
                shown if now is not None and old.basis == now else [],
            )
        finally:
            _SHARED.clear()
        lap("incremental")
    else:
        try:
            _SHARED.update(items=items, cat=cat, url_of=url_of, out=out, parent=os.getpid())
            parts = _run(_documents, spans(len(items), workers if parallel else 1, DOCS_PER_FILE), parallel)
            lap("documents")
            p = merge([part for part, _ in parts])
            written = [w for _, ws in parts for w in ws]
            del parts  # the later parts' rows, copied into p (~0.5 GB at 100k, while p is sorted)
            _SHARED.clear()
            p.order()
            ranks = first_ranks(p.origin)
            counts = _sizes(p)
            sizes = counts.tolist()
            layout = Layout(zip(p.ids, sizes, strict=True), heavy, target)
            costs = {name: sum(cost(sizes[p.ids[t]]) for t in terms) for name, terms in layout.files.items()}
            _SHARED.update(
                postings=p, layout=layout, costs=costs, ranks=ranks.tolist(), out=out, counts=counts, block=block
            )
            lap("merge")
            for share in _run(_shards, balance(costs, workers if parallel else 1), parallel):
                written += share
            lap("shards")
        finally:
            _SHARED.clear()
            for name in os.listdir(out):  # a worker's rows not merged (the build failed)
                if name.startswith(_ROWS):
                    os.unlink(f"{out}/{name}")

    def put(rel: str, text: str) -> None:
        """Write ``rel``, or take the previous build's when it holds the same bytes."""
        data = text.encode()
        sha = hashlib.sha256(data).hexdigest()
        if not reuse(rel, sha):
            _put(f"{out}/{rel}", data)
            written.append((rel, sha, len(data)))

    put("facets.json", dumps(facets(items, cat)))
    put("lengths.json", "[" + ",\n".join(ints(x.tolist()) for x in p.lengths) + "]\n")
    same = same_postings(
        layout.heavy, p.ids, counts, np.frombuffer(p.key, dtype=np.uint32), np.frombuffer(p.tf, dtype=np.uint32)
    )
    aliases = [  # [term, the term whose file holds its postings, origin, rank] (engine.js: record)
        [t, same[t], int(p.origin[p.ids[t]]), int(ranks[p.ids[t]])] for t in layout.heavy if t in same
    ]
    digest = hashlib.sha256("".join([f"{rel} {sha}\n" for rel, sha, _ in sorted(written)]).encode())
    manifest = {
        "format": FORMAT_VERSION,
        "build": digest.hexdigest()[:16],
        "lunr": LUNR_VERSION,
        "bm25": {"k1": K1, "b": B},
        "pipeline": QUERY_PIPELINE,
        "fields": [{"name": f.name, "label": f.label, "boost": f.boost} for f in FIELDS],
        "shards": layout.counts,
        "heavy": layout.heavy,
        "same": aliases,
        **_blocks(layout.heavy, p, written, block),
        "documents": len(items),
        "docsPerFile": DOCS_PER_FILE,
    }
    put("manifest.json", dumps(manifest))
    lap("facets, manifest")
    if state is not None:
        files = layout.files  # each file's terms in JavaScript order
        stamps = {rel: linked.get(rel) or stamp(out / rel, sha) for rel, sha, _ in written}  # a link: its stamp
        new = State(params, keys, p, ranks, files, stamps, counts, old.rows if changed == [] and old else None)
        new.basis, new.sources, new.shown = now, sources, shown
        if not (
            old is not None
            and changed == []
            and stamps == old.files
            and (old.basis, old.sources, old.shown) == (now, sources, shown)
        ):
            save_state(state, new)  # else it is the state loaded: nothing to save
        lap("state")
    size = sum(n for _, _, n in written)
    return IndexStats(len(items), len(p.ids), len(p.term), len(layout.files), size, seconds, len(kept))


def _sizes(p: Postings) -> np.ndarray:
    """Per term number: its postings."""
    return np.bincount(np.frombuffer(p.term, dtype=np.uint32), minlength=len(p.ids))


def _incremental(
    items: list[Item],
    cat: Catalogue,
    url_of: Callable[[Item], str],
    out: Path,
    old: State,
    changed: list[Segment],
    previous: Path,
    linked: dict[str, Stamp],
    kept: list[str],
    into: dict[str, tuple[str, int, int]] | None,
    workers: int,
    shown: list[bytes],
) -> tuple[Postings, np.ndarray, Layout, list[Written], Callable[[str, str], bool], np.ndarray]:
    """Update the previous build's postings with the ``changed`` documents; compute the
    files they change, link the others from ``previous`` (or note them in ``into``, and
    in ``kept``); also returns what takes a file of the previous build if it has a hash.
    ``shown``: per document its ``shown_keys`` when the state's were made on the same basis
    (else empty: every display record is made again)."""
    p = old.postings
    was_sizes = old.sizes if old.sizes is not None else _sizes(p)
    ranks, touched, gone, resized, new_sizes = update(p, old.ranks, items, changed, was_sizes)
    heavy, target = old.params[1], old.params[2]
    counts = new_sizes.tolist()  # per term number: its postings
    sizes = dict(zip(p.ids, counts, strict=True))
    quick = Layout.updated(old.layout, sizes, resized | gone, heavy, target)
    if quick is not None:
        layout, regrouped = quick
    else:
        layout = Layout(sizes.items(), heavy, target)
        regrouped = {name for name, terms in layout.files.items() if terms != old.layout.get(name)}
    homes = (  # the files of the touched terms
        set(layout.files)
        if len(touched) == len(p.ids)
        else {heavy_name(t) if sizes[t] >= heavy else shard_name(t, layout.counts) for t in touched}
    )
    written: list[Written] = []

    old_dir, new_dir = os.fspath(previous), os.fspath(out)

    def recorded(rel: str) -> tuple[str, os.stat_result, Any] | None:
        """The previous build's file ``rel`` (its path, stat and state record) when it is still
        what that build wrote (the size, time and inode the state recorded), else None."""
        was = old.files.get(rel)
        if was is None:
            return None
        source = f"{old_dir}/{rel}"
        try:
            st = os.stat(source)
        except OSError:
            return None
        return (source, st, was) if (st.st_size, st.st_mtime_ns, st.st_ino) == was[1:] else None

    def reuse(rel: str, sha: str | None = None, was_rel: str | None = None) -> bool:
        """Link (or copy) an unchanged file of the previous build (``was_rel``, default
        ``rel``), if it is what the build wrote (and, given ``sha``, what this build would write)."""
        found = recorded(was_rel or rel)
        if found is None or (sha is not None and found[2][0] != sha):
            return False
        source, st, was = found
        try:
            if into is not None:  # the standby links it (see BuildCache.into)
                into[f"{new_dir}/{rel}"] = (source, st.st_dev, st.st_ino)
            else:
                os.link(source, f"{new_dir}/{rel}")
            linked[rel] = was  # same inode, size and time
        except OSError:  # another file system: copy, checking the bytes
            data = Path(source).read_bytes()
            if hashlib.sha256(data).hexdigest() != was[0]:
                return False
            _put(f"{new_dir}/{rel}", data)
        written.append((rel, was[0], st.st_size))
        kept.append(rel)
        return True

    blocks: dict[str, list[str]] = {}  # each heavy file's blocks in the previous build
    for rel in old.files:
        if rel.startswith("shards/h"):
            blocks.setdefault(rel[len("shards/") : -len(".json")].partition("-")[0], []).append(rel)

    def reuse_shard(name: str) -> bool:
        """Take the previous build's file ``name`` (every block of a heavy file, or none)."""
        rels = blocks.get(name)
        if rels is None:
            return reuse(f"shards/{name}.json")
        if any(recorded(rel) is None for rel in rels):
            return False
        taken = [rel for rel in rels if reuse(rel)]
        if len(taken) == len(rels):
            return True
        for rel in taken:  # (a copy whose bytes differ): none of them, the file is written again
            if into is not None:
                del into[f"{new_dir}/{rel}"]
            elif rel in linked:
                os.unlink(f"{new_dir}/{rel}")
            linked.pop(rel, None)
            kept.remove(rel)
            written[:] = [w for w in written if w[0] != rel]
        return False

    redo = [name for name in layout.files if name in regrouped or name in homes or not reuse_shard(name)]
    if redo:  # in batches, on the workers when there are many (every file when the document count changes)
        per_term = sizes.__getitem__  # cost() of a file's terms, summed in C (every file when the count changes)
        costs = {name: sum(map(per_term, layout.files[name])) + TERM_COST * len(layout.files[name]) for name in redo}
        _SHARED.update(
            postings=p, layout=layout, costs=costs, ranks=ranks.tolist(), out=out, counts=new_sizes, block=old.params[5]
        )
        parallel = workers > 1 and len(redo) >= PARALLEL_MIN_SHARDS
        for share in _run(_shards, balance(costs, workers if parallel else 1), parallel):
            written += share
        _SHARED.clear()
    edited = {d for _, _, lo, hi in changed for d in range(lo, hi)}
    was_number = list(range(len(items)))  # per document: its number in the previous build
    for olo, ohi, nlo, nhi in changed:
        shift = (ohi - olo) - (nhi - nlo)
        was_number[nhi:] = [n + shift for n in was_number[nhi:]]
    rels = [f"text/{ref_of(n)}.json" for n in range(max(len(items), len(old.keys)))]
    for n, item in enumerate(items):
        if n in edited or not reuse(rels[n], was_rel=rels[was_number[n]]):
            doc = search_doc(n, item)
            written.append(_write(out, rels[n], dumps(snippet_text(doc))))
    # display records also show other items (agency names, the policies interpreted): a docs/
    # file whose documents' shown_keys are the previous build's (same basis) is that build's;
    # the others are computed and written only where they differ from the previous build's
    same = len(shown) == len(items) and len(old.shown) == len(old.keys)  # (shown: given with the state's basis)
    for lo in range(0, len(items), DOCS_PER_FILE):
        hi = min(lo + DOCS_PER_FILE, len(items))
        rel = f"docs/{lo // DOCS_PER_FILE}.json"
        if same and b"" not in shown[lo:hi] and shown[lo:hi] == old.shown[lo:hi] and reuse(rel):
            continue
        texts = [_shown(item, cat, url_of(item)) for item in items[lo:hi]]
        data = ("[" + ",\n".join(texts) + "]\n").encode()
        sha = hashlib.sha256(data).hexdigest()
        if not reuse(rel, sha):
            _put(f"{new_dir}/{rel}", data)
            written.append((rel, sha, len(data)))
    return p, ranks, layout, written, reuse, new_sizes
