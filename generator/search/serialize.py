"""A fast writer of lunr.js' serialized index format (lunr 2.3.9, as lunr.py emits it).

lunr.py's Builder is the reference but too slow for 10k documents. This module
computes exactly what ``lunr.Builder.build().serialize()`` would — BM25 weights
with the same floating-point operations in the same order, rounded the same way,
terms numbered by first appearance — from terms that were already tokenized.
``tests/test_search_index.py`` proves equality with lunr.py on small corpora.

Two deliberate departures, both switchable for that proof:

* Terms are sorted by UTF-16 code units (lunr.js' TokenSet builder compares
  JavaScript strings and rejects any other order); lunr.py sorts by code point,
  which differs only when a term mixes astral and U+E000–U+FFFF characters.
* Empty field vectors are dropped: no posting refers to them, and 60k empty
  vectors would bloat every shard of a 10k-document index.

A *shard* is the full index restricted to a subset of its terms: the inverted
index entries of those terms and the field-vector elements of those terms, term
indices renumbered in first-appearance order. lunr.js scores a query as
``query · field vector / |query|``, so the score of a query against the whole
index is the sum over shards of the shard score times ``sqrt(n_shard / n)``,
where ``n`` counts the query terms found (see engine.js).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

LUNR_VERSION = "2.3.9"
K1 = 1.2
B = 0.75
_DOC_SHIFT = 36
_FIELD_SHIFT = 32
_TF_MASK = (1 << 32) - 1


@dataclass
class Postings:
    """Term statistics of a corpus, accumulated document by document."""

    fields: tuple[str, ...]
    boosts: tuple[int, ...]
    refs: list[str] = field(default_factory=list)
    term_ids: dict[str, int] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    postings: list[array[int]] = field(default_factory=list)  # per term: doc<<36 | field<<32 | tf
    lengths: list[list[int]] = field(default_factory=list)  # per field: per doc

    def __post_init__(self) -> None:
        self.lengths = [[] for _ in self.fields]

    def add(self, ref: str, field_terms: Sequence[Sequence[str]]) -> None:
        """Add one document: its terms per field, in field order."""
        doc = len(self.refs)
        self.refs.append(ref)
        ids, terms, postings = self.term_ids, self.terms, self.postings
        for f, values in enumerate(field_terms):
            self.lengths[f].append(len(values))
            base = (doc << _DOC_SHIFT) | (f << _FIELD_SHIFT)
            for term, tf in Counter(values).items():
                tid = ids.get(term)
                if tid is None:
                    tid = ids[term] = len(terms)
                    terms.append(term)
                    postings.append(array("Q"))
                postings[tid].append(base | tf)

    # --- scoring, exactly as lunr.py's Builder._create_field_vectors -------------
    def scorer(self) -> Scorer:
        return Scorer(self)


class Scorer:
    """BM25 weights of postings, bit-identical to lunr.py."""

    def __init__(self, p: Postings) -> None:
        n = len(p.refs)
        self.document_count = n
        self.boosts = p.boosts
        self.kd: list[list[float]] = []
        for lengths in p.lengths:
            avg = sum(lengths) / n if n else 0.0
            self.kd.append([K1 * (1 - B + B * (length / avg)) if avg else 0.0 for length in lengths])

    def idf(self, df: int) -> float:
        x = (self.document_count - df + 0.5) / (df + 0.5)
        return math.log(1 + abs(x))

    def weights(self, packed: Iterable[int], idf: float) -> list[tuple[int, int, float]]:
        """(doc, field, weight) for each posting of one term."""
        return [(doc, f, w) for doc, f, w in self.iter_weights(packed, idf)]

    def iter_weights(self, packed: Iterable[int], idf: float) -> Iterator[tuple[int, int, float]]:
        # The same float operations in the same order as lunr.py: (idf * ((k1 + 1) * tf)) / (kd + tf) * boost.
        kd, boosts, k1p1 = self.kd, self.boosts, K1 + 1
        for value in packed:
            doc, f, tf = value >> _DOC_SHIFT, (value >> _FIELD_SHIFT) & 0xF, value & _TF_MASK
            yield doc, f, round(idf * (k1p1 * tf) / (kd[f][doc] + tf) * boosts[f], 3)


def js_order(term: str) -> bytes:
    """Sort key matching JavaScript string comparison (UTF-16 code units)."""
    return term.encode("utf-16-be", "surrogatepass")


def serialize(
    p: Postings,
    term_ids: Sequence[int] | None = None,
    pipeline: Sequence[str] = (),
    drop_empty: bool = True,
    js_sort: bool = True,
    scorer: Scorer | None = None,
) -> dict[str, Any]:
    """The lunr.js index of ``p`` restricted to ``term_ids`` (default: every term).

    Pass one ``scorer`` for all shards of a corpus: building it is O(documents).
    """
    ids = sorted(term_ids) if term_ids is not None else range(len(p.terms))
    scorer = scorer or p.scorer()
    nfields = len(p.fields)
    vectors: dict[int, list[float]] = {}  # doc * nfields + field → [index, weight, …]
    if not drop_empty:
        vectors = {k: [] for k in range(len(p.refs) * nfields)}
    inverted: list[list[Any]] = []
    refs, names = p.refs, p.fields
    for local, tid in enumerate(ids):
        packed = p.postings[tid]
        per_field: list[dict[str, Any]] = [{} for _ in names]
        for doc, f, weight in scorer.iter_weights(packed, scorer.idf(len(packed))):
            per_field[f][refs[doc]] = {}
            key = doc * nfields + f
            vector = vectors.get(key)
            if vector is None:
                vectors[key] = [local, weight]
            else:
                vector += (local, weight)
        posting: dict[str, Any] = dict(zip(names, per_field, strict=True))
        posting["_index"] = local
        inverted.append([p.terms[tid], posting])
    inverted.sort(key=(lambda e: js_order(e[0])) if js_sort else (lambda e: e[0]))
    return {
        "version": LUNR_VERSION,
        "fields": list(p.fields),
        "fieldVectors": [
            [f"{names[key % nfields]}/{refs[key // nfields]}", vec] for key, vec in sorted(vectors.items())
        ],
        "invertedIndex": inverted,
        "pipeline": list(pipeline),
    }
