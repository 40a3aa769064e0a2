"""Term statistics and lunr's BM25 weights, computed exactly as lunr.py computes them.

lunr.py's Builder is the reference but far too slow for 10k documents (minutes, GiB).
:class:`Postings` gathers the same statistics from term counts: terms numbered by first
appearance (lunr's ``_index``) and one (term, document, field, frequency) row per
posting, in flat arrays — appending to them runs in C, one call per field of a
document. Two processes can each gather a contiguous range of documents; :func:`merge`
joins them into what one pass would have produced.

:class:`Grouped` sorts the postings of a batch of terms by term and field (numpy): the
term records ship each posting's document and term frequency, each term's lunr idf, and
the index ships every document's field lengths, so the weights are computed where they
are used — by engine.js in the browser, by :func:`weight` (for ``compact.expand``) —
with the same floating-point operations in the same order as lunr.py's
``Builder._create_field_vectors``, rounded as lunr.py rounds (``round(score, 3)``): the
integer ``k`` of :func:`thousandths` with ``k / 1000 == round(score, 3)`` (both sides are
the double nearest to the same decimal, in Python and in JavaScript). Nothing a record
holds depends on other terms or on other documents' lengths, so an edit changes only
the records of the terms whose postings it changes.
``tests/test_search_index.py`` proves equality with lunr.py's serialized index.
"""

from __future__ import annotations

import math
import os
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import filterfalse, repeat
from typing import Any

import numpy as np

K1 = 1.2
B = 0.75
NEAR_HALF = 0.4999
FIELD_BITS = 3  # a posting's key: document << 3 | field (at most 8 fields)


@dataclass
class Postings:
    """Postings of the documents ``start`` … ``start + count - 1``, one row per posting."""

    fields: tuple[str, ...]
    boosts: tuple[int, ...]
    start: int = 0  # number of the first document added here
    count: int = 0
    ids: dict[str, int] = field(default_factory=dict)  # term → number, by first appearance
    term: array[int] = field(default_factory=lambda: array("I"))
    key: array[int] = field(default_factory=lambda: array("I"))  # document << 3 | field
    tf: array[int] = field(default_factory=lambda: array("I"))
    lengths: list[array[int]] = field(default_factory=list)  # per field: per document
    origin: array[int] = field(default_factory=lambda: array("I"))  # per term: document << 3 | field first holding it
    ordered: bool = False  # rows sorted by term, field and document (:meth:`order`), else in document order
    # the rows moved to a file by a worker (:func:`spill`): its path and how many rows
    spilled: tuple[str, int] | None = None

    def __post_init__(self) -> None:
        assert len(self.fields) <= 1 << FIELD_BITS
        if not self.lengths:
            self.lengths = [array("I") for _ in self.fields]

    def add(self, field_counts: Sequence[Mapping[str, int]]) -> None:
        """Add the next document: per field, how often each term occurs. Terms new to the
        postings must come in order of first appearance (tokenizer.term_counts does that)."""
        assert not self.ordered, "documents are added in document order"
        doc = self.start + self.count
        self.count += 1
        ids = self.ids
        for f, counts in enumerate(field_counts):
            self.lengths[f].append(sum(counts.values()))
            known = len(ids)
            for term in filterfalse(ids.__contains__, counts):  # numbered as lunr numbers them
                ids[term] = len(ids)
            self.origin.extend(repeat(doc << FIELD_BITS | f, len(ids) - known))
            self.term.extend(map(ids.__getitem__, counts))
            self.tf.extend(counts.values())
            self.key.extend(repeat(doc << FIELD_BITS | f, len(counts)))

    @property
    def rows(self) -> int:
        return self.spilled[1] if self.spilled is not None else len(self.term)

    @property
    def terms(self) -> list[str]:
        return list(self.ids)

    def order(self) -> None:
        """Sort the rows by term, field and document, as the term records list them: grouping
        a batch of terms is then a selection (no sort), and an incremental build shifts,
        drops and inserts rows in place of sorting all of them again.

        At 100k documents the rows are ~80M and a column 320 MB: the sort keys are computed a
        chunk at a time (whole-array expressions hold two or three temporaries of a column's
        size) and the rows sorted a bucket at a time (:func:`_stable_order`)."""
        if self.ordered:
            return
        term = np.frombuffer(self.term, dtype=np.uint32)
        key = np.frombuffer(self.key, dtype=np.uint32)
        wide = len(self.ids) >= 1 << (32 - FIELD_BITS)  # else term and field fit 32 bits: half the memory
        run: np.ndarray[tuple[int], np.dtype[np.unsignedinteger[Any]]] = np.empty(
            len(term), dtype=np.uint64 if wide else np.uint32
        )
        low = np.uint32((1 << FIELD_BITS) - 1)
        for a in range(0, len(term), CHUNK_ROWS):
            b = a + CHUNK_ROWS
            part = run[a:b]
            part[:] = term[a:b]
            np.left_shift(part, FIELD_BITS, out=part)
            np.bitwise_or(part, key[a:b] & low, out=part)
            del part
        del term, key
        rows = _stable_order(run)  # stable: documents stay ascending
        del run
        # each column permuted in its own buffer (one column's copy at a time: new arrays per
        # column cost the largest process ~2 GB more at 100k)
        for column in (self.term, self.key, self.tf):
            view = np.frombuffer(column, dtype=np.uint32)
            view[:] = view[rows]
            del view  # the array may be resized again only once no view holds its buffer
        self.ordered = True


CHUNK_ROWS = 1 << 22  # rows per step of a whole-column computation in Postings.order (16 MB of uint32)


def _stable_order(run: np.ndarray, buckets: int = 16) -> np.ndarray:
    """``np.argsort(run, kind="stable")`` as 32-bit row numbers, sorted a bucket of keys at a
    time: at 100k (~80M rows) one argsort over all rows holds 64-bit indices and their merge
    buffer (~1 GB) on top of the postings. The buckets are ranges of keys holding about
    ``len(run) / buckets`` rows each (from a histogram of the keys' top bits: terms are
    numbered by first appearance, so the common ones, most of the rows, have the smallest
    keys and equal-width ranges would put half the rows in the first)."""
    n = len(run)
    if n == 0:
        return np.zeros(0, dtype=np.uint32)
    top = max(int(run[a : a + CHUNK_ROWS].max()) for a in range(0, n, CHUNK_ROWS))
    shift = max(0, top.bit_length() - 16)  # at most 65,536 bins
    counts = np.zeros((top >> shift) + 1, dtype=np.int64)
    for a in range(0, n, CHUNK_ROWS):
        counts += np.bincount(run[a : a + CHUNK_ROWS] >> shift, minlength=len(counts))
    # bucket of each bin: about n / buckets rows a bucket (a bin is never split)
    of_bin = np.minimum(np.cumsum(counts) - counts, n - 1) * buckets // n
    bucket = np.empty(n, dtype=np.uint8 if buckets <= 256 else np.uint32)
    for a in range(0, n, CHUNK_ROWS):
        bucket[a : a + CHUNK_ROWS] = of_bin[run[a : a + CHUNK_ROWS] >> shift]
    rows = np.empty(n, dtype=np.uint32 if n < 1 << 32 else np.uint64)
    at = 0
    for b in range(buckets):
        members = np.flatnonzero(bucket == b)  # ascending: the rows' own order within the bucket
        if len(members):
            rows[at : at + len(members)] = members[np.argsort(run[members], kind="stable")]
            at += len(members)
    assert at == n
    return rows


COLUMNS = ("term", "key", "tf")


def spill(p: Postings, path: str) -> None:
    """Move the rows of ``p`` (its columns, 12 bytes a posting) to the file ``path``: a worker's
    part then goes back to the parent without them, and :func:`merge` reads them into the
    joined columns. Received pickled, a part's rows were held twice in the parent (the pickle
    and the arrays made from it), beside the other parts (~0.5 GB more at 100k)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        for name in COLUMNS:
            getattr(p, name).tofile(fh)
    p.spilled = (path, len(p.term))
    for name in COLUMNS:
        setattr(p, name, array("I"))


def merge(parts: Sequence[Postings]) -> Postings:
    """Join postings of consecutive document ranges (in order) into one, as one pass would.

    The joined columns are made at their full size once and each part's rows copied in (from
    its file when it was spilled, which is then removed), a chunk at a time."""
    out = parts[0]
    if len(parts) == 1 and out.spilled is None:
        return out
    total = sum(part.rows for part in parts)
    columns = {name: array("I", [0]) * total for name in COLUMNS}
    views = {name: np.frombuffer(columns[name], dtype=np.uint32) for name in COLUMNS}
    at = 0
    for k, part in enumerate(parts):
        assert not (out.ordered or part.ordered), "postings are merged in document order"
        number: np.ndarray | None = None
        if k:
            assert part.start == out.start + out.count, "document ranges must be consecutive"
            ids = out.ids
            for term in filterfalse(ids.__contains__, part.ids):  # new terms after the known ones
                ids[term] = len(ids)
                out.origin.append(part.origin[part.ids[term]])
            number = np.array([ids[t] for t in part.ids], dtype=np.uint32)
            for lengths, more in zip(out.lengths, part.lengths, strict=True):
                lengths.extend(more)
            out.count += part.count
        n = part.rows
        if part.spilled is not None:
            path = part.spilled[0]
            with open(path, "rb") as fh:
                for name in COLUMNS:
                    for a in range(0, n, CHUNK_ROWS):
                        b = min(n, a + CHUNK_ROWS)
                        dest = views[name][at + a : at + b]
                        if fh.readinto(dest.data) != dest.nbytes:
                            raise OSError(f"{path}: fewer rows than written")
                        if name == "term" and number is not None:
                            dest[:] = number[dest]
            os.unlink(path)
            part.spilled = None
        else:
            for name in COLUMNS:
                source = np.frombuffer(getattr(part, name), dtype=np.uint32)
                views[name][at : at + n] = source if name != "term" or number is None else number[source]
                del source
                if k:
                    setattr(part, name, array("I"))
        at += n
    del views  # (the arrays may be resized again only once no view holds their buffers)
    for name in COLUMNS:
        setattr(out, name, columns[name])
    return out


class Grouped:
    """The postings of some terms grouped by term and field, as the term records ship them.

    Rows are sorted by (term, field, document); ``runs[term]`` lists the rows of each of
    its fields. ``gaps`` holds each run's first document, then the differences; ``tf``
    the term frequencies. ``sizes`` counts each term's (document, field) postings: what
    lunr's idf counts.
    """

    def __init__(
        self,
        p: Postings,
        terms: Iterable[int] | None = None,
        docs: tuple[int, int] | None = None,
        sizes: np.ndarray | None = None,
    ) -> None:
        """The postings of the terms numbered ``terms`` (default: all); with ``docs`` (a
        range of document numbers) only theirs, ``sizes`` (each term's postings in all
        documents, for the idf) given. Memory is about 50 bytes per posting, so a large
        corpus is grouped a batch of terms at a time."""
        self.terms = p.terms
        self.fields = p.fields
        self.documents = p.count
        low, count = (1 << FIELD_BITS) - 1, len(self.terms)
        every = np.frombuffer(p.term, dtype=np.uint32)
        if terms is None:
            rows: np.ndarray = np.arange(len(every))
        elif p.ordered:  # each term's rows are one run: found by bisection, not by a pass over every row
            rows = term_rows(every, np.fromiter(terms, dtype=np.uint32))
        else:
            wanted = np.zeros(count, dtype=bool)
            wanted[np.fromiter(terms, dtype=np.intp)] = True
            rows = np.flatnonzero(wanted[every])
        key = np.frombuffer(p.key, dtype=np.uint32)[rows]
        if docs is not None:  # the rows stay in order (term, field, document)
            assert sizes is not None, "a block's records take the idf of all the term's postings"
            held = (key >= docs[0] << FIELD_BITS) & (key < docs[1] << FIELD_BITS)
            rows, key = rows[held], key[held]
        run = every[rows] << FIELD_BITS | (key & low)  # term and field
        if not p.ordered:
            order = np.argsort(run, kind="stable")  # stable: documents stay ascending
            run, key, rows = run[order], key[order], rows[order]
        term, fld, doc = run >> FIELD_BITS, (run & low).astype(np.int8), (key >> FIELD_BITS).astype(np.int32)
        self.tf = np.frombuffer(p.tf, dtype=np.uint32)[rows]
        self.sizes = np.bincount(term, minlength=count) if sizes is None else sizes
        starts = np.flatnonzero(np.diff(run, prepend=run[:1] + 1 if len(run) else run))
        self.doc = doc
        self._gaps: np.ndarray | None = None
        # the runs, one per term and field holding it, in row order: term, field, first row, end row
        self.run_term = term[starts]
        self.run_field = fld[starts]
        self.run_start = starts
        self.run_end = np.append(starts[1:], len(run)).astype(starts.dtype)
        self._runs: dict[int, list[tuple[int, int, int]]] | None = None
        self.texts: tuple[list[str], list[int]] | None = None  # per run: its text and field (compact.records)
        self.term_runs: dict[int, tuple[int, int, int]] = {}  # per term: first and end run, postings (compact.records)
        self.idf_texts: dict[int, str] = {}  # idf text per number of postings (compact.records)

    @property
    def gaps(self) -> np.ndarray:
        """Per row: its document, less the previous row's when both are of one run (term and
        field). compact.records codes only the sparse fields' gaps, from ``doc``."""
        if self._gaps is None:
            gaps = np.diff(self.doc, prepend=0)
            gaps[self.run_start] = self.doc[self.run_start]
            self._gaps = gaps
        return self._gaps

    @property
    def runs(self) -> dict[int, list[tuple[int, int, int]]]:
        """Per term grouped: [(field, first row, end row)] of its runs."""
        if self._runs is None:
            self._runs = {}
            rows = zip(self.run_start.tolist(), self.run_end.tolist(), strict=True)
            for t, f, (a, b) in zip(self.run_term.tolist(), self.run_field.tolist(), rows, strict=True):
                self._runs.setdefault(t, []).append((f, a, b))
        return self._runs

    def by_field(self, number: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per field: the document gaps of term ``number`` and its term frequencies."""
        none: np.ndarray = np.zeros(0, dtype=np.int64)
        out: list[tuple[np.ndarray, np.ndarray]] = [(none, none) for _ in self.fields]
        for f, a, b in self.runs.get(number, ()):
            out[f] = (self.gaps[a:b], self.tf[a:b])
        return out

    def idf(self, number: int) -> float:
        return idf(self.documents, int(self.sizes[number]))

    def sizes_by_term(self) -> Iterable[tuple[str, int]]:
        """(term, postings) of every term (of a Grouped made for all terms)."""
        return zip(self.terms, self.sizes.tolist(), strict=True)


def term_rows(term: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """The rows (ascending) of the terms ``terms`` in ``term``, a column sorted by term."""
    wanted = np.unique(terms.astype(np.uint32))
    starts = np.searchsorted(term, wanted, side="left")
    ends = np.searchsorted(term, wanted, side="right")
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.intp)
    # starts[i] + 0 … lengths[i] - 1, for every i: one arange, shifted per run
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return (np.arange(total, dtype=np.intp) + offsets).astype(np.intp, copy=False)


def first_ranks(origin: Sequence[int]) -> np.ndarray:
    """Per term: its rank among the terms first appearing in the same document and field.

    With its origin (``document << 3 | field``) it orders the terms as lunr numbers them
    (first appearance), and an edit of one document changes it only for terms that first
    appear there: terms are numbered in order of first appearance, so the terms of one
    origin are consecutive.
    """
    o = np.frombuffer(origin, dtype=np.uint32) if isinstance(origin, array) else np.asarray(origin)
    n = len(o)
    if not n:
        return np.zeros(0, dtype=np.int64)
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = o[1:] != o[:-1]
    starts = np.flatnonzero(new_run)
    lengths = np.diff(np.append(starts, n))
    return np.arange(n) - np.repeat(starts, lengths)


def idf(documents: int, postings: int) -> float:
    """lunr's idf; like lunr it counts (document, field) postings, not documents."""
    x = (documents - postings + 0.5) / (postings + 0.5)
    return math.log(1 + abs(x))


def kd(lengths: Sequence[int], n: int) -> list[float]:
    """Per document: k1 * (1 - b + b * length / average), as lunr.py computes it."""
    avg = sum(lengths) / n if n else 0.0
    return [K1 * (1 - B + B * (length / avg)) if avg else 0.0 for length in lengths]


def weight(idf: float, tf: int, kd: float, boost: int) -> float:
    """lunr.py's field-vector weight: BM25 with its k1 and b, times the field boost, rounded
    to thousandths (engine.js computes the same with the same operations in the same order)."""
    return thousandths(idf * ((K1 + 1) * tf) / (kd + tf) * boost) / 1000


def thousandths(score: float) -> int:
    """The integer ``k`` with ``k / 1000 == round(score, 3)`` (Python's correctly rounded round).

    ``round(score * 1000)`` agrees unless ``score * 1000`` lies within rounding error of a
    half-integer; those rare cases take the slow exact path.
    """
    scaled = score * 1000
    k = round(scaled)
    if abs(scaled - k) > NEAR_HALF:
        k = round(round(score, 3) * 1000)
    return k
