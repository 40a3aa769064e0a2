"""Term statistics and lunr's BM25 weights, computed exactly as lunr.py computes them.

lunr.py's Builder is the reference but far too slow for 10k documents (minutes, GiB).
:class:`Postings` gathers the same statistics from term counts: terms numbered by first
appearance (lunr's ``_index``), per field and term the documents holding it (ascending)
and its frequency in each, per field the length of every document. Two processes can
each gather a contiguous range of documents; :func:`merge` joins them into what one pass
would have produced.

:class:`Weights` gives the field-vector weight of every posting with the same
floating-point operations in the same order as lunr.py's
``Builder._create_field_vectors``, rounded as lunr.py rounds (``round(score, 3)``), in
thousandths: the integer ``k`` with ``k / 1000 == round(score, 3)`` (both sides are the
double nearest to the same decimal, in Python and in JavaScript).
``tests/test_search_index.py`` proves equality with lunr.py's serialized index.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import sub
from typing import Any

K1 = 1.2
B = 0.75
NEAR_HALF = 0.4999

Entry = tuple["array[int]", "array[int]"]  # documents (ascending), term frequencies


@dataclass
class Postings:
    """Postings of the documents ``start`` … ``start + count - 1``."""

    fields: tuple[str, ...]
    boosts: tuple[int, ...]
    start: int = 0  # number of the first document added here
    count: int = 0
    order: dict[str, None] = field(default_factory=dict)  # every term, by first appearance
    tables: list[dict[str, Entry]] = field(default_factory=list)  # per field: term → entry
    lengths: list[array[int]] = field(default_factory=list)  # per field: per document

    def __post_init__(self) -> None:
        if not self.tables:
            self.tables = [{} for _ in self.fields]
            self.lengths = [array("I") for _ in self.fields]

    def add(self, field_counts: Sequence[Mapping[str, int]]) -> None:
        """Add the next document: per field, how often each term occurs. Terms new to the
        postings must come in order of first appearance (tokenizer.term_counts does that)."""
        doc = self.start + self.count
        self.count += 1
        order = self.order
        for f, counts in enumerate(field_counts):
            self.lengths[f].append(sum(counts.values()))
            table = self.tables[f]
            for term, tf in counts.items():  # the hot loop: kept plain, it is fastest so
                try:
                    docs, tfs = table[term]
                except KeyError:
                    table[term] = docs, tfs = array("I"), array("I")
                    if term not in order:  # numbered in order of first appearance, as lunr numbers them
                        order[term] = None
                docs.append(doc)
                tfs.append(tf)

    def sizes(self) -> dict[str, int]:
        """Postings per term: (document, field) pairs, what lunr's idf counts."""
        out = dict.fromkeys(self.order, 0)
        for table in self.tables:
            for term, (docs, _) in table.items():
                out[term] += len(docs)
        return out

    def size(self) -> int:
        return sum(len(docs) for table in self.tables for docs, _ in table.values())

    # Pickled between processes as a few flat arrays per field: pickling a hundred
    # thousand small arrays one by one takes seconds.
    def __getstate__(self) -> dict[str, Any]:
        flat = []
        for table in self.tables:
            docs, tfs = array("I"), array("I")
            for d, t in table.values():
                docs.extend(d)
                tfs.extend(t)
            flat.append((list(table), array("I", [len(d) for d, _ in table.values()]), docs, tfs))
        state = {k: v for k, v in self.__dict__.items() if k != "tables"}
        return {**state, "order": list(self.order), "flat": flat}

    def __setstate__(self, state: dict[str, Any]) -> None:
        flat = state.pop("flat")
        self.__dict__.update(state, order=dict.fromkeys(state["order"]), tables=[])
        for terms, counts, docs, tfs in flat:
            table: dict[str, Entry] = {}
            at = 0
            for term, n in zip(terms, counts, strict=True):
                table[term] = docs[at : at + n], tfs[at : at + n]
                at += n
            self.tables.append(table)


def merge(parts: Sequence[Postings]) -> Postings:
    """Join postings of consecutive document ranges (in order) into one, as one pass would."""
    out = parts[0]
    for part in parts[1:]:
        assert part.start == out.start + out.count, "document ranges must be consecutive"
        out.order.update(part.order)  # new terms after the known ones, in their order
        for mine, theirs in zip(out.tables, part.tables, strict=True):
            for term, (docs, tfs) in theirs.items():
                known = mine.get(term)
                if known is None:
                    mine[term] = docs, tfs
                else:
                    known[0].extend(docs)
                    known[1].extend(tfs)
        for lengths, more in zip(out.lengths, part.lengths, strict=True):
            lengths.extend(more)
        out.count += part.count
    return out


class Weights:
    """lunr.py's BM25 field-vector weights of a whole corpus, in thousandths."""

    def __init__(self, p: Postings) -> None:
        n = p.count
        self.postings = p
        self.document_count = n
        self.kd: list[list[float]] = []  # per field, per document: k1 * (1 - b + b * length / average)
        for lengths in p.lengths:
            avg = sum(lengths) / n if n else 0.0
            self.kd.append([K1 * (1 - B + B * (length / avg)) if avg else 0.0 for length in lengths])

    def idf(self, postings: int) -> float:
        """lunr's idf; like lunr it counts (document, field) postings, not documents."""
        x = (self.document_count - postings + 0.5) / (postings + 0.5)
        return math.log(1 + abs(x))

    def by_field(self, term: str, postings: int) -> list[tuple[Sequence[int], list[int]]]:
        """Per field: the documents holding ``term`` (ascending) and their weights in thousandths."""
        idf = self.idf(postings)
        out: list[tuple[Sequence[int], list[int]]] = []
        k1p1 = K1 + 1
        for f, (table, boost) in enumerate(zip(self.postings.tables, self.postings.boosts, strict=True)):
            entry = table.get(term)
            if entry is None:
                out.append(((), []))
                continue
            docs, tfs = entry
            kd = self.kd[f]
            # lunr.py: score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * len / avg) + tf); score *= boost.
            # Here score * 1000, i.e. (… * boost) * 1000: the same score, then scaled.
            scaled = [idf * (k1p1 * tf) / (kd[d] + tf) * boost * 1000 for d, tf in zip(docs, tfs, strict=True)]
            milli = [int(x + 0.5) for x in scaled]  # the nearest integer, unless near a half: see below
            if max(map(abs, map(sub, scaled, milli))) > NEAR_HALF:  # rare: exact rounding, see thousandths()
                milli = [
                    thousandths(idf * (k1p1 * tf) / (kd[d] + tf) * boost) if abs(x - k) > NEAR_HALF else k
                    for d, tf, x, k in zip(docs, tfs, scaled, milli, strict=True)
                ]
            out.append((docs, milli))
        return out


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
