"""Write the search index of a public catalogue into ``<site>/search/``.

Layout (all JSON, UTF-8, deterministic)::

    search/manifest.json      fields, boosts, shard counts, build id
    search/facets.json        facet values and, per document, its value indexes
    search/shards/<ns><n>.json  lunr.js indexes, each holding a slice of the terms
    search/docs/<ref>.json    one result's display data and plain text (for snippets)

The browser loads the manifest and facets once, then only the shards of the query's
terms and the document files of the results it shows.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.model.catalogue import Catalogue
from generator.model.entry import Entry, Item
from generator.parallel import worker_signals
from generator.search import shards as S
from generator.search.documents import FIELDS, INTERPRETATION_TYPE, SearchDoc, agency_of, display, search_docs
from generator.search.serialize import Postings, serialize
from generator.search.tokenizer import PIPELINE_LABELS

FORMAT_VERSION = 1
TARGET_POSTINGS = 6000  # per shard: ~25-40 KB gzip (see bench/README-search.md)
QUERY_PIPELINE = [PIPELINE_LABELS["query"]]


@dataclass(frozen=True)
class IndexStats:
    documents: int
    terms: int
    postings: int
    shards: int
    bytes: int


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def build_postings(docs: Sequence[SearchDoc]) -> Postings:
    p = Postings(tuple(f.name for f in FIELDS), tuple(f.boost for f in FIELDS))
    for doc in docs:
        p.add(doc.ref, [doc.field_terms(i) for i in range(len(FIELDS))])
    return p


def shard_layout(p: Postings, target: int) -> tuple[dict[str, int], dict[str, list[int]]]:
    per_ns: dict[str, int] = {}
    for term, packed in zip(p.terms, p.postings, strict=True):
        ns = S.namespace(term)
        per_ns[ns] = per_ns.get(ns, 0) + len(packed)
    counts = S.shard_counts(per_ns, target)
    return counts, S.partition(p.terms, counts)


# Worker state for forked processes: set before the pool starts, inherited, never pickled.
_SHARED: dict[str, Any] = {}


def _write_shards(names: Sequence[str]) -> list[tuple[str, str]]:
    p: Postings = _SHARED["postings"]
    layout: dict[str, list[int]] = _SHARED["layout"]
    folder: Path = _SHARED["folder"]
    digests = []
    for name in names:
        text = dumps(serialize(p, layout[name], QUERY_PIPELINE, scorer=_SHARED["scorer"]))
        (folder / f"{name}.json").write_text(text, encoding="utf-8")
        digests.append((name, hashlib.sha256(text.encode()).hexdigest()))
    return digests


def write_shards(p: Postings, layout: dict[str, list[int]], folder: Path, workers: int) -> list[str]:
    """Serialize every shard (in parallel when it pays); return their digests in name order."""
    folder.mkdir(parents=True, exist_ok=True)
    _SHARED.update(postings=p, layout=layout, folder=folder, scorer=p.scorer())
    names = sorted(layout)
    try:
        if workers > 1 and len(p.refs) >= 500 and "fork" in _start_methods():
            import multiprocessing

            chunks = [names[i::workers] for i in range(workers)]
            with ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("fork"), initializer=worker_signals
            ) as pool:
                results = [d for part in pool.map(_write_shards, chunks) for d in part]
        else:
            results = _write_shards(names)
    finally:
        _SHARED.clear()
    return [digest for _, digest in sorted(results)]


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def facets(docs: Sequence[SearchDoc], cat: Catalogue) -> dict[str, Any]:
    """Facet values (display order) and, per document, the index of its value(s)."""
    cfg = cat.config
    agencies = [a.name for a in cfg.agencies]
    topics = [t.name for t in cfg.vocab.topics.top]
    types = [*cfg.vocab.info_types.names(), INTERPRETATION_TYPE]
    validity = cfg.vocab.validity.names()
    years = sorted({d.item.year for d in docs}, reverse=True)

    def one(values: list[str], value: str) -> int:
        return values.index(value) if value in values else -1

    def row(item: Item) -> list[Any]:
        entry = item if isinstance(item, Entry) else None
        tops = sorted({topics.index(t) for t, _ in item.topics if t in topics})
        return [
            one(agencies, cfg.agency_name(agency_of(item))),
            tops,
            years.index(item.year),
            one(types, entry.info_type if entry else INTERPRETATION_TYPE),
            one(validity, entry.validity or "") if entry else -1,
            item.published_date.toordinal(),
        ]

    return {
        "facets": [
            {"key": "agency", "label": "发布机构", "values": agencies},
            {"key": "topic", "label": "主题分类", "values": topics},
            {"key": "year", "label": "年份", "values": [str(y) for y in years]},
            {"key": "type", "label": "信息类别", "values": types},
            {"key": "validity", "label": "效力状况", "values": validity},
        ],
        "docs": [row(d.item) for d in docs],
    }


def write_index(
    cat: Catalogue, out: Path, url_of: Callable[[Item], str], workers: int | None = None, target: int = TARGET_POSTINGS
) -> IndexStats:
    """Write ``search/`` for the public catalogue ``cat`` into ``out``."""
    docs = search_docs(cat)
    p = build_postings(docs)
    counts, layout = shard_layout(p, target)
    digests = write_shards(p, layout, out / "shards", workers or min(2, os.cpu_count() or 1))
    docs_dir = out / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256("".join(digests).encode())
    for doc in docs:
        text = dumps(display(doc, cat, url_of(doc.item)))
        (docs_dir / f"{doc.ref}.json").write_text(text, encoding="utf-8")
        digest.update(text.encode())
    facet_text = dumps(facets(docs, cat))
    (out / "facets.json").write_text(facet_text, encoding="utf-8")
    digest.update(facet_text.encode())
    manifest = {
        "format": FORMAT_VERSION,
        "build": digest.hexdigest()[:16],
        "lunr": "2.3.9",
        "pipeline": QUERY_PIPELINE,
        "fields": [{"name": f.name, "label": f.label, "boost": f.boost} for f in FIELDS],
        "shards": counts,
        "documents": len(docs),
    }
    (out / "manifest.json").write_text(dumps(manifest), encoding="utf-8")
    size = sum(f.stat().st_size for f in out.rglob("*.json"))
    postings = sum(len(x) for x in p.postings)
    return IndexStats(len(docs), len(p.terms), postings, len(layout), size)
