"""The compact shard format (5; the records are format 4's): lunr's index as raw statistics, each posting once (docs/search.md).

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
A document number ``n`` is the lunr ref ``n`` in base 36. A heavy term's record may be
written in blocks of documents (one record per block, each with the term's idf):
:func:`expand` joins them.

Nothing is lost: :func:`expand` rebuilds lunr's serialized index from records and
lengths, and ``tests/test_search_index.py`` checks that it equals lunr.py's
``serialize()``. engine.js computes the weights of a query's terms the same way.
"""

from __future__ import annotations

import json
import re
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


def shard_text(records: Iterable[tuple[str, str]], ordered: bool = False) -> str:
    """A shard file: ``(term, record)`` pairs, written in JavaScript string order (``ordered``:
    they already are, as a layout lists each file's terms)."""
    if not ordered:
        records = sorted(records, key=lambda r: js_order(r[0]))
    return "[" + ",\n".join([text for _, text in records]) + "]\n"


def records(
    grouped: Grouped, terms: Iterable[str], index_of: dict[str, int], origin: Sequence[int], ranks: Sequence[int]
) -> list[tuple[str, str]]:
    """``(term, record)`` of each term, as :func:`record` writes it.

    Field by field with numpy, formatting the 8 million postings of 10k documents took
    ~1.4 CPU-s, most of it numpy's cost per call (half the fields hold a posting or two).
    Here the codes of the sparse fields' document gaps and term frequencies, and of every
    dense field's run of frequencies, are written at once; a field is then slices of those
    texts. What does not depend on the terms asked for (each term's runs and postings, the
    idf texts) is computed once per ``grouped`` (a batch of files: a call per file)."""
    if grouped.texts is None:  # once for all the terms of a Grouped (a batch of files)
        grouped.texts = _field_texts(grouped), grouped.run_field.tolist()
        rt = grouped.run_term  # ascending: each term's runs are consecutive
        lo = np.flatnonzero(np.concatenate(([True], rt[1:] != rt[:-1]))) if len(rt) else np.zeros(0, dtype=np.int64)
        hi = np.append(lo[1:], len(rt)) if len(rt) else lo
        held = rt[lo]
        runs = zip(lo.tolist(), hi.tolist(), grouped.sizes[held].tolist(), strict=True)
        grouped.term_runs = dict(zip(held.tolist(), runs, strict=True))
        grouped.idf_texts = {}
    texts, run_field = grouped.texts
    term_runs, idfs = grouped.term_runs, grouped.idf_texts
    out = []
    width = len(grouped.fields)
    none = (0, 0, 0)
    plain = _PLAIN.fullmatch
    before = ["0," * f for f in range(width)]  # the empty fields around a term's only field
    after = [",0" * (width - 1 - f) for f in range(width)]
    for t in terms:
        number = index_of[t]
        a, b, size = term_runs.get(number, none)
        if b - a == 1:  # one field (most terms)
            f = run_field[a]
            body = before[f] + texts[a] + after[f]
        else:
            fields = ["0"] * width
            for r in range(a, b):
                fields[run_field[r]] = texts[r]
            body = ",".join(fields)
        idf = idfs.get(size)
        if idf is None:
            idf = idfs[size] = repr(grouped.idf(number))
        quoted = f'"{t}"' if plain(t) else json.dumps(t, ensure_ascii=False)
        out.append((t, f"[{quoted},{origin[number]},{ranks[number]},{idf},{body}]"))
    return out


def _field_texts(grouped: Grouped) -> list[str]:
    """The text of every run (term and field) of ``grouped``, as :func:`field_text` writes it."""
    starts, ends = grouped.run_start.astype(np.int64), grouped.run_end.astype(np.int64)
    n = ends - starts
    doc = grouped.doc
    first = doc[starts] if len(starts) else n
    span = doc[ends - 1] - first + 1 if len(starts) else n
    dense = DENSE[1] * n >= DENSE[0] * span
    # sparse fields: slices of the texts of their gaps and of their term frequencies (only
    # theirs: the dense fields, most of the postings of common terms, write their own)
    s = np.flatnonzero(~dense)
    s_n = n[s]
    s_at = np.zeros(len(s) + 1, dtype=np.int64)
    np.cumsum(s_n, out=s_at[1:])
    s_rows = np.repeat(starts[s] - s_at[:-1], s_n) + np.arange(int(s_at[-1]))
    s_doc = doc[s_rows]
    s_gaps = np.empty_like(s_doc)
    np.subtract(s_doc[1:], s_doc[:-1], out=s_gaps[1:])
    s_gaps[s_at[:-1]] = s_doc[s_at[:-1]]  # a run's first gap is its first document (no run is empty)
    gap_text, gap_at = _code_texts(s_gaps)
    tf_text, tf_at = _code_texts(grouped.tf[s_rows])
    # dense fields: the first document, then per document of the span its frequency or 0
    d = np.flatnonzero(dense)
    d_span, d_n = span[d], n[d]
    d_at = np.zeros(len(d) + 1, dtype=np.int64)
    np.cumsum(d_span, out=d_at[1:])
    rows = np.repeat(starts[d] - (np.cumsum(d_n) - d_n), d_n) + np.arange(int(d_n.sum()))
    values = np.zeros(int(d_at[-1]), dtype=np.uint32)
    values[np.repeat(d_at[:-1] - first[d], d_n) + doc[rows]] = grouped.tf[rows]
    run_text, run_at = _code_texts(values)
    first_text, first_at = _code_texts(first[d])
    texts = [""] * len(starts)
    g0, g1, t0, t1 = (x.tolist() for x in (gap_at[s_at[:-1]], gap_at[s_at[1:]], tf_at[s_at[:-1]], tf_at[s_at[1:]]))
    for r, a, b, c, e in zip(s.tolist(), g0, g1, t0, t1, strict=True):
        texts[r] = f'["{gap_text[a:b]}","{tf_text[c:e]}"]'
    f0, f1, v0, v1 = (x.tolist() for x in (first_at[:-1], first_at[1:], run_at[d_at[:-1]], run_at[d_at[1:]]))
    for r, a, b, c, e in zip(d.tolist(), f0, f1, v0, v1, strict=True):
        texts[r] = f'"{first_text[a:b]}{run_text[c:e]}"'
    return texts


_PLAIN = re.compile(r'[^"\\\x00-\x1f]*')  # JSON writes such a string as is, between quotes


def _code_texts(values: np.ndarray) -> tuple[str, np.ndarray]:
    """All ``values`` as one text of :func:`codes`, and where each value's code starts (one
    more: the end)."""
    v = np.asarray(values)
    wide = v >= len(DIGITS)
    if not wide.any():  # one character each
        return _TABLE[v].tobytes().decode("ascii"), np.arange(len(v) + 1)
    length = np.ones(len(v), dtype=np.int64)
    digits = np.ones(int(wide.sum()), dtype=np.int64)
    big = v[wide].astype(np.int64)
    power = 10
    while len(big) and power <= int(big.max()):
        digits += big >= power
        power *= 10
    length[wide] = 2 + digits  # Z, the digits, a comma
    at = np.zeros(len(v) + 1, dtype=np.int64)
    np.cumsum(length, out=at[1:])
    out = np.empty(int(at[-1]), dtype=np.uint8)
    out[at[:-1][~wide]] = _TABLE[v[~wide]]
    if len(big):
        where = at[:-1][wide]
        out[where] = ord(ESCAPE)
        for i in range(int(digits.max())):
            sel = digits > i
            out[where[sel] + 1 + i] = 48 + (big[sel] // 10 ** (digits[sel] - 1 - i)) % 10
        out[where + 1 + digits] = ord(",")
    return out.tobytes().decode("ascii"), at


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
    terms: dict[str, tuple[str, tuple[int, int], float, list[list[tuple[int, int]]]]] = {}
    for shard in shards:
        for rec in shard:
            term, first, idf, per_field = decode(rec)
            if term in terms:  # a heavy term's postings in another block of documents (format 5)
                for pairs, more in zip(terms[term][3], per_field, strict=True):
                    pairs.extend(more)
                    pairs.sort()
            else:
                terms[term] = (term, first, idf, per_field)
    decoded = sorted(terms.values(), key=lambda r: r[1])
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
