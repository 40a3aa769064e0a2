"""The compact shard format (4): lunr's index as raw statistics, each posting once (docs/search.md).

lunr.js' serialized index stores every posting twice — in the inverted index (term →
field → document) and in the field vectors (document/field → term index, weight) — and
spells out every document ref and field name; its weights depend on every document
(idf on the document count, length normalisation on each field's average length). A
compact shard is a JSON array of *term records*, one per term, sorted by UTF-16 code
units::

    [term, origin, rank, idf, p_0, …, p_{F-1}]

``origin`` is ``document << 3 | field`` of the term's first appearance and ``rank`` its
rank among the terms first appearing there: (origin, rank) orders terms as lunr's term
index (``_index``) does. ``idf`` is lunr's idf of the term (a double, as Python writes
it). ``p_f`` is ``0`` when no document has the term in field ``f``, else sparse
``[gaps, tf]``: the ascending document numbers as gaps (the first number, then
differences) and the term's frequency in each, each list a string of :func:`codes` (a
number below 61 is one character of ``DIGITS``, a larger one ``Z<decimal>,``); or, when
the documents cover at least 2/5 of the numbers from the first to the last, dense: one
string of codes, the first document then, for it and every following number up to the
last, the term frequency or ``0`` (:func:`field_text`). ``lengths.json`` holds every
document's field lengths; with them the weight of a posting is lunr's BM25
(:func:`generator.search.postings.weight`).
A document number ``n`` is the lunr ref ``n`` in base 36.

Nothing is lost: :func:`expand` rebuilds lunr's serialized index from records and
lengths, and ``tests/test_search_index.py`` checks that it equals lunr.py's
``serialize()``. engine.js computes the weights of a query's terms the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from generator.search.postings import Grouped, kd, weight


def js_order(term: str) -> bytes:
    """Sort key matching JavaScript string comparison (UTF-16 code units)."""
    return term.encode("utf-16-be", "surrogatepass")


def ints(values: list[int]) -> str:
    """A JSON array of integers (``str`` of a list is the fastest writer; drop its spaces)."""
    return str(values).replace(" ", "")


DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY"  # 0–60: one character each
ESCAPE = "Z"  # a larger number: Z, its decimal digits, a comma
_TABLE = np.frombuffer(DIGITS.encode(), dtype=np.uint8)
_VALUE = {c: n for n, c in enumerate(DIGITS)}


def codes(values: Sequence[int] | np.ndarray) -> str:
    """Non-negative integers as a string: 15% smaller than a JSON array once gzipped."""
    a = np.asarray(values, dtype=np.int64)
    if len(a) and int(a.max()) >= len(DIGITS):
        return "".join(DIGITS[x] if x < len(DIGITS) else f"{ESCAPE}{x}," for x in a.tolist())
    return _TABLE[a].tobytes().decode("ascii")


def uncodes(text: str) -> list[int]:
    """The integers of :func:`codes` (engine.js reads them the same way)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == ESCAPE:
            end = text.index(",", i)
            out.append(int(text[i + 1 : end]))
            i = end + 1
        else:
            out.append(_VALUE[text[i]])
            i += 1
    return out


DENSE = (2, 5)  # a field's postings are written dense when they cover at least 2/5 of their span


def field_text(gaps: Sequence[int] | np.ndarray, tf: Sequence[int] | np.ndarray) -> str:
    """One field of a term record as JSON text: ``0`` (no posting), sparse ``["gaps","tf"]``
    or, when the documents cover at least 2/5 of the range from the first to the last
    (dense), ``"first, v_first … v_last"`` with ``v`` the term frequency, ``0`` where a
    document of the range lacks the term (about 6% smaller gzipped for common terms)."""
    n = len(gaps)
    if not n:
        return "0"
    g = np.asarray(gaps, dtype=np.int64)
    doc = np.cumsum(g)
    span = int(doc[-1] - doc[0]) + 1
    if DENSE[1] * n < DENSE[0] * span:
        return f'["{codes(g)}","{codes(tf)}"]'
    run = np.zeros(span + 1, dtype=np.int64)
    run[0] = doc[0]
    run[1 + doc - doc[0]] = np.asarray(tf, dtype=np.int64)
    return f'"{codes(run)}"'


def record(term: str, origin: int, rank: int, idf: float, by_field: Sequence[tuple[Any, Any]]) -> str:
    """One term record as JSON text, from per field (document gaps, term frequencies)."""
    parts = [json.dumps(term, ensure_ascii=False), str(origin), str(rank), repr(idf)]
    parts += [field_text(gaps, tf) for gaps, tf in by_field]
    return f"[{','.join(parts)}]"


def shard_text(records: Iterable[tuple[str, str]]) -> str:
    """A shard file: ``(term, record)`` pairs, written in JavaScript string order."""
    return "[" + ",\n".join(text for _, text in sorted(records, key=lambda r: js_order(r[0]))) + "]\n"


def records(
    grouped: Grouped, terms: Iterable[str], index_of: dict[str, int], origin: Sequence[int], ranks: Sequence[int]
) -> list[tuple[str, str]]:
    """``(term, record)`` of each term."""
    out = []
    for t in terms:
        n = index_of[t]
        out.append((t, record(t, int(origin[n]), int(ranks[n]), grouped.idf(n), grouped.by_field(n))))
    return out


# --- reference decoder (engine.js does the same in the browser) ----------------------


def decode(rec: Sequence[Any]) -> tuple[str, tuple[int, int], float, list[list[tuple[int, int]]]]:
    """(term, (origin, rank), idf, per field [(document, tf)]) of one term record."""
    term, origin, rank, idf, *fields = rec
    out: list[list[tuple[int, int]]] = []
    for p in fields:
        pairs: list[tuple[int, int]] = []
        if isinstance(p, str):  # dense: the first document, then a term frequency (or 0) per document
            first, *run = uncodes(p)
            pairs = [(first + k, tf) for k, tf in enumerate(run) if tf]
        elif p:
            doc = 0
            for gap, tf in zip(uncodes(p[0]), uncodes(p[1]), strict=True):
                doc += gap
                pairs.append((doc, tf))
        out.append(pairs)
    return term, (origin, rank), idf, out


def ref_of(n: int) -> str:
    """Document reference: base-36 ordinal (engine.js: ``n.toString(36)``)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def expand(
    shards: Iterable[Sequence[Sequence[Any]]],
    fields: Sequence[str],
    boosts: Sequence[int],
    lengths: Sequence[Sequence[int]],
    pipeline: Sequence[str],
) -> dict[str, Any]:
    """lunr.js' serialized index (as lunr.py writes it) from every shard of an index and
    the documents' field lengths (``lengths.json``: per field, per document)."""
    documents = len(lengths[0]) if lengths else 0
    norms = [kd(per_doc, documents) for per_doc in lengths]
    decoded = sorted((decode(rec) for shard in shards for rec in shard), key=lambda r: r[1])
    inverted: list[tuple[str, dict[str, Any]]] = []
    vectors: dict[tuple[int, int], list[tuple[int, float]]] = {
        (d, f): [] for d in range(documents) for f in range(len(fields))
    }
    for index, (term, _, idf, per_field) in enumerate(decoded):  # lunr's term index: first appearance
        posting: dict[str, Any] = {name: {} for name in fields}
        for f, pairs in enumerate(per_field):
            for doc, tf in pairs:
                posting[fields[f]][ref_of(doc)] = {}
                vectors[doc, f].append((index, weight(idf, tf, norms[f][doc], boosts[f])))
        posting["_index"] = index
        inverted.append((term, posting))
    inverted.sort(key=lambda e: e[0])  # lunr.py sorts by code point
    return {
        "version": "2.3.9",
        "fields": list(fields),
        "fieldVectors": [
            [f"{fields[f]}/{ref_of(d)}", [x for pair in sorted(vec) for x in pair]] for (d, f), vec in vectors.items()
        ],
        "invertedIndex": [list(e) for e in inverted],
        "pipeline": list(pipeline),
    }
