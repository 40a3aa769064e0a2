"""Write the search index of a public catalogue into ``<site>/search/``.

Layout (UTF-8 JSON, deterministic; formats in docs/search.md)::

    search/manifest.json        format, build id, lunr version and query pipeline, fields
                                and boosts, bucket counts, the heavy terms, document count
    search/facets.json          facet values; per document its values, date and sources
    search/shards/h<k>.json     the term record of heavy term k (generator/search/compact.py)
    search/shards/<ns><n>.json  the term records of a bucket of light terms
    search/docs/<g>.json        what results show (title, 文号, 索引号, URL, date, agency, …) of
                                documents 16g … 16g+15
    search/text/<ref>.json      abstract and plain text of one document, for its snippet

The browser loads the manifest and facets once, then per query the shard files of its
terms, the docs/ files of the 20 results it shows and, once those show, their text/ files.

Two phases, each on ``workers`` forked processes for a large corpus (tokenizing is the
cost): (1) each worker takes a contiguous range of documents, gathers their postings
and writes their docs/ and text/ files; the postings are merged in document order,
which numbers the terms exactly as one pass would; (2) each worker computes the weights
and term records of the terms of a fixed share of the shard files and writes them.
What a file holds never depends on which process wrote it.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from generator.model.catalogue import Catalogue
from generator.model.entry import Entry, Interpretation, Item
from generator.parallel import worker_signals
from generator.search.compact import record, shard_text
from generator.search.documents import (
    FIELDS,
    INTERPRETATION_TYPE,
    agency_of,
    display,
    search_doc,
    search_items,
    snippet_text,
)
from generator.search.postings import Postings, Weighted, kd_table, merge
from generator.search.shards import HEAVY_POSTINGS, TARGET_COST, Layout, cost
from generator.search.tokenizer import PIPELINE_LABELS

FORMAT_VERSION = 2
LUNR_VERSION = "2.3.9"
QUERY_PIPELINE = [PIPELINE_LABELS["query"]]
PARALLEL_MIN_DOCUMENTS = 500  # below this, forking costs more than it saves
DOCS_PER_FILE = 16  # display records per docs/ file: 20 results fetch ~20 KB (gzip)
BATCH_POSTINGS = 2_000_000  # postings weighed at once (~200 MB), see _shards

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


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def new_postings(start: int = 0) -> Postings:
    return Postings(tuple(f.name for f in FIELDS), tuple(f.boost for f in FIELDS), start)


# Worker state for forked processes: set before the pool starts, inherited, never pickled.
_SHARED: dict[str, Any] = {}
Written = tuple[str, str, int]  # (path relative to search/, sha256, bytes)


def _write(out: Path, rel: str, text: str) -> Written:
    data = text.encode()
    (out / rel).write_bytes(data)
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
        shown.append(dumps(display(doc, cat, url_of(doc.item))))
        if (n + 1) % DOCS_PER_FILE == 0 or n + 1 == hi:
            written.append(_write(out, f"docs/{n // DOCS_PER_FILE}.json", "[" + ",\n".join(shown) + "]\n"))
            shown = []
    return p, written


def _shards(names: Sequence[str]) -> list[Written]:
    """Phase 2: the weights, term records and files of the shards ``names``.

    The files are weighed in batches of about BATCH_POSTINGS postings: weighing holds
    ~100 bytes per posting, so one batch for a worker's whole share would need ~4 GB
    at 100k documents (the weights do not depend on the batches).
    """
    p: Postings = _SHARED["postings"]
    layout: Layout = _SHARED["layout"]
    costs: dict[str, int] = _SHARED["costs"]
    out: Path = _SHARED["out"]
    kd = kd_table(p)
    written = []
    batch: list[str] = []
    load = 0  # the cost of the files in batch
    for i, name in enumerate(names):
        batch.append(name)
        load += costs[name]
        if i + 1 < len(names) and load + costs[names[i + 1]] <= BATCH_POSTINGS:
            continue
        weighted = Weighted(p, (p.ids[t] for n in batch for t in layout.files[n]), kd)
        for n in batch:
            records = [(t, record(t, p.ids[t], weighted.by_field(p.ids[t]))) for t in layout.files[n]]
            written.append(_write(out, f"shards/{n}.json", shard_text(records)))
        batch, load = [], 0
    return written


def _run(fn: Callable[[T], R], tasks: Sequence[T], parallel: bool) -> list[R]:
    if parallel and len(tasks) > 1:
        # Frozen, the parent's objects are left alone by the children's garbage collector,
        # which would otherwise walk (and so copy, page by page) the whole inherited heap.
        gc.freeze()
        try:
            with ProcessPoolExecutor(
                len(tasks), mp_context=multiprocessing.get_context("fork"), initializer=worker_signals
            ) as pool:
                return list(pool.map(fn, tasks))
        finally:
            gc.unfreeze()
    return [fn(task) for task in tasks]


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


def facets(items: Sequence[Item], cat: Catalogue) -> dict[str, Any]:
    """Facet values (display order) and, per document: the index of its value(s), its date
    (ordinal) and, for an interpretation, the document numbers of the policies it interprets."""
    cfg = cat.config
    agencies = [a.name for a in cfg.agencies]
    topics = [t.name for t in cfg.vocab.topics.top]
    types = [*cfg.vocab.info_types.names(), INTERPRETATION_TYPE]
    validity = cfg.vocab.validity.names()
    years = sorted({item.year for item in items}, reverse=True)
    number = {item.index_no: n for n, item in enumerate(items)}

    def one(values: list[str], value: str) -> int:
        return values.index(value) if value in values else -1

    def row(item: Item) -> list[Any]:
        entry = item if isinstance(item, Entry) else None
        tops = sorted({topics.index(t) for t, _ in item.topics if t in topics})
        out = [
            one(agencies, cfg.agency_name(agency_of(item))),
            tops,
            years.index(item.year),
            one(types, (entry.info_type or "") if entry else INTERPRETATION_TYPE),
            one(validity, entry.validity or "") if entry else -1,
            item.published_date.toordinal(),
        ]
        if isinstance(item, Interpretation):
            out.append(sorted(number[s.index_no] for s in cat.sources_of(item) if s.index_no in number))
        return out

    return {
        "facets": [
            {"key": "agency", "label": "发布机构", "values": agencies},
            {"key": "topic", "label": "主题分类", "values": topics},
            {"key": "year", "label": "年份", "values": [str(y) for y in years]},
            {"key": "type", "label": "信息类别", "values": types},
            {"key": "validity", "label": "效力状况", "values": validity},
        ],
        "docs": [row(item) for item in items],
    }


def write_index(
    cat: Catalogue,
    out: Path,
    url_of: Callable[[Item], str],
    workers: int | None = None,
    heavy: int = HEAVY_POSTINGS,
    target: int = TARGET_COST,
) -> IndexStats:
    """Write ``search/`` for the public catalogue ``cat`` into ``out``."""
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

    try:
        _SHARED.update(items=items, cat=cat, url_of=url_of, out=out)
        parts = _run(_documents, spans(len(items), workers if parallel else 1, DOCS_PER_FILE), parallel)
        lap("documents")
        p = merge([part for part, _ in parts])
        written = [w for _, ws in parts for w in ws]
        _SHARED.clear()
        sizes = np.bincount(np.frombuffer(p.term, dtype=np.uint32), minlength=len(p.ids)).tolist()
        layout = Layout(zip(p.ids, sizes, strict=True), heavy, target)
        costs = {name: sum(cost(sizes[p.ids[t]]) for t in terms) for name, terms in layout.files.items()}
        _SHARED.update(postings=p, layout=layout, costs=costs, out=out)
        lap("merge")
        for share in _run(_shards, balance(costs, workers if parallel else 1), parallel):
            written += share
        lap("shards")
    finally:
        _SHARED.clear()
    written.append(_write(out, "facets.json", dumps(facets(items, cat))))
    digest = hashlib.sha256()
    for rel, sha, _ in sorted(written):
        digest.update(f"{rel} {sha}\n".encode())
    manifest = {
        "format": FORMAT_VERSION,
        "build": digest.hexdigest()[:16],
        "lunr": LUNR_VERSION,
        "pipeline": QUERY_PIPELINE,
        "fields": [{"name": f.name, "label": f.label, "boost": f.boost} for f in FIELDS],
        "shards": layout.counts,
        "heavy": layout.heavy,
        "documents": len(items),
        "docsPerFile": DOCS_PER_FILE,
    }
    written.append(_write(out, "manifest.json", dumps(manifest)))
    lap("facets, manifest")
    size = sum(n for _, _, n in written)
    return IndexStats(len(items), len(p.ids), len(p.term), len(layout.files), size, seconds)
