"""The compact shard format: lunr's index, each posting stored once (docs/search.md).

lunr.js' serialized index stores every posting twice — in the inverted index (term →
field → document) and in the field vectors (document/field → term index, weight) — and
spells out every document ref and field name. A compact shard is a JSON array of *term
records*, one per term, sorted by UTF-16 code units::

    [term, index, p_0, …, p_{F-1}]

``index`` is lunr's term index (``_index``: first appearance in the corpus); ``p_f`` is
``0`` when no document has the term in field ``f``, else ``[gaps, weights]``: the
ascending document numbers as gaps (the first number, then differences) and the
field-vector weights in thousandths (``weight = k / 1000``). A document number ``n`` is
the lunr ref ``n`` in base 36.

Nothing is lost: :func:`expand` rebuilds lunr's serialized index from records, and
``tests/test_search_index.py`` checks that it equals lunr.py's ``serialize()``.
engine.js expands the records of a query's terms the same way (restricted to the
documents holding all of them) and hands the result to ``lunr.Index.load``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from generator.search.postings import Weighted


def js_order(term: str) -> bytes:
    """Sort key matching JavaScript string comparison (UTF-16 code units)."""
    return term.encode("utf-16-be", "surrogatepass")


def ints(values: list[int]) -> str:
    """A JSON array of integers (``str`` of a list is the fastest writer; drop its spaces)."""
    return str(values).replace(" ", "")


def record(term: str, index: int, by_field: Sequence[tuple[list[int], list[int]]]) -> str:
    """One term record as JSON text, from per field (document gaps, weights in thousandths)."""
    parts = [json.dumps(term, ensure_ascii=False), str(index)]
    for gaps, milli in by_field:
        parts.append(f"[{ints(gaps)},{ints(milli)}]" if gaps else "0")
    return f"[{','.join(parts)}]"


def shard_text(records: Iterable[tuple[str, str]]) -> str:
    """A shard file: ``(term, record)`` pairs, written in JavaScript string order."""
    return "[" + ",\n".join(text for _, text in sorted(records, key=lambda r: js_order(r[0]))) + "]\n"


def records(weighted: Weighted, terms: Iterable[str], index_of: dict[str, int]) -> list[tuple[str, str]]:
    """``(term, record)`` of each term."""
    return [(t, record(t, index_of[t], weighted.by_field(index_of[t]))) for t in terms]


# --- reference decoder (engine.js does the same in the browser) ----------------------


def decode(rec: Sequence[Any]) -> tuple[str, int, list[list[tuple[int, float]]]]:
    """(term, index, per field [(document, weight)]) of one term record."""
    term, index, *fields = rec
    out: list[list[tuple[int, float]]] = []
    for p in fields:
        pairs: list[tuple[int, float]] = []
        if p:
            doc = 0
            for gap, milli in zip(p[0], p[1], strict=True):
                doc += gap
                pairs.append((doc, milli / 1000))
        out.append(pairs)
    return term, index, out


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
    shards: Iterable[Sequence[Sequence[Any]]], fields: Sequence[str], documents: int, pipeline: Sequence[str]
) -> dict[str, Any]:
    """lunr.js' serialized index (as lunr.py writes it) from every shard of an index."""
    inverted: list[tuple[str, dict[str, Any]]] = []
    vectors: dict[tuple[int, int], list[tuple[int, float]]] = {
        (d, f): [] for d in range(documents) for f in range(len(fields))
    }
    for shard in shards:
        for rec in shard:
            term, index, per_field = decode(rec)
            posting: dict[str, Any] = {name: {} for name in fields}
            for f, pairs in enumerate(per_field):
                for doc, weight in pairs:
                    posting[fields[f]][ref_of(doc)] = {}
                    vectors[doc, f].append((index, weight))
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
