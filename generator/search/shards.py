"""Which file holds a term: heavy terms alone, the rest by namespace and FNV-1a hash (as engine.js).

A *heavy* term (``HEAVY_POSTINGS`` postings or more) gets a file of its own,
``shards/h<x>.json``, ``x`` being the FNV-1a hash of the term in base 36 (two heavy terms
with one hash share the file): a query for ``工作`` loads ``工作`` and nothing else. A light
term goes to a bucket: its namespace plus FNV-1a of the term modulo the namespace's
bucket count, a power of two. Names depend on nothing but the term, the set of heavy
terms and those counts, and the counts change only when a namespace's postings double
or halve, so an edit leaves every term in its file (unless the term crosses the heavy
threshold). Namespaces keep the common
query path small: ``b`` holds bigrams and ASCII words (what almost every query needs),
``u`` single CJK characters (only single-character queries need them), ``k`` the exact
文号/索引号 keys (fetched when a query reads as an identifier).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from generator.search.compact import js_order, ref_of
from generator.search.tokenizer import is_key

NAMESPACES = ("b", "u", "k")
FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193
HEAVY_POSTINGS = 1000  # a term with this many postings or more has its own file
TARGET_COST = 2000  # per bucket, in cost units (≈ 6 bytes of JSON; ≈ 2 KB gzip per 1000 units)
TERM_COST = 8  # a record's own cost (term, index, empty fields), in postings
BLOCK_DOCS = 32768  # a heavy term's file holds its postings in one block of this many documents


def block_file(name: str, block: int) -> str:
    """The file of a heavy file's postings in documents ``block · BLOCK_DOCS`` … (engine.js: block):
    ``h<x>`` for the first block (an index of fewer documents has just that), ``h<x>-<k>`` after."""
    return name if block == 0 else f"{name}-{block}"


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over the term's code points (engine.js computes the same)."""
    h = FNV_OFFSET
    for ch in term:
        h = ((h ^ ord(ch)) * FNV_PRIME) & 0xFFFFFFFF
    return h


def namespace(term: str) -> str:
    if is_key(term):
        return "k"
    if len(term) == 1 and not term.isascii():
        return "u"
    return "b"


def shard_counts(cost_per_namespace: dict[str, int], target: int = TARGET_COST) -> dict[str, int]:
    """Buckets per namespace, a power of two, so that a bucket costs at most about ``target``
    (between half of it and it): a count changes only when the namespace doubles or halves."""
    return {ns: 1 << max(0, math.ceil(cost_per_namespace.get(ns, 0) / target) - 1).bit_length() for ns in NAMESPACES}


def heavy_name(term: str) -> str:
    """The file of a heavy term: ``h`` + its FNV-1a hash in base 36 (engine.js: ``toString(36)``)."""
    return "h" + ref_of(fnv1a(term))


def shard_name(term: str, counts: dict[str, int]) -> str:
    """The bucket of a light term."""
    ns = namespace(term)
    return f"{ns}{fnv1a(term) % counts[ns]}"


def cost(postings: int) -> int:
    return postings + TERM_COST


class Layout:
    """Heavy terms (in JavaScript string order), their files, and the light terms of every bucket."""

    def __init__(self, sizes: Iterable[tuple[str, int]], heavy: int = HEAVY_POSTINGS, target: int = TARGET_COST):
        sizes = list(sizes)
        self.heavy = sorted((t for t, n in sizes if n >= heavy), key=js_order)
        light: list[tuple[str, str]] = []  # (term, namespace)
        per_ns = dict.fromkeys(NAMESPACES, 0)
        for term, n in sizes:
            if n < heavy:
                ns = namespace(term)
                light.append((term, ns))
                per_ns[ns] += cost(n)
        self.counts = shard_counts(per_ns, target)
        self.files: dict[str, list[str]] = {f"{ns}{i}": [] for ns in NAMESPACES for i in range(self.counts[ns])}
        for term in self.heavy:
            self.files.setdefault(heavy_name(term), []).append(term)
        for term, ns in light:
            self.files[f"{ns}{fnv1a(term) % self.counts[ns]}"].append(term)
        for terms in self.files.values():
            terms.sort(key=js_order)  # as the records are written (and the incremental state keeps them)

    @classmethod
    def updated(
        cls,
        files: Mapping[str, Sequence[str]],
        sizes: Mapping[str, int],
        moved: Iterable[str],
        heavy: int = HEAVY_POSTINGS,
        target: int = TARGET_COST,
    ) -> tuple[Layout, set[str]] | None:
        """The layout of ``sizes`` (term → postings) from the previous build's ``files``
        (file → its terms in JavaScript order), when only the terms ``moved`` (edited,
        added or gone) may have changed size: what ``Layout(sizes.items(), …)`` gives, with
        the names of the files whose terms changed; None when a bucket count changes (every
        light term may move: compute the layout anew)."""
        moved = set(moved)
        was_counts = {ns: sum(1 for name in files if name[0] == ns) for ns in NAMESPACES}

        def where(term: str) -> str | None:
            """The previous file of a term: its own (heavy) or its bucket, if it holds it."""
            name = heavy_name(term)
            if term in files.get(name, ()):
                return name
            ns = namespace(term)
            name = f"{ns}{fnv1a(term) % was_counts[ns]}" if was_counts[ns] else ""
            return name if term in files.get(name, ()) else None

        # The light terms' costs per namespace: those of the buckets' terms still light (a
        # bucket's terms are of its namespace), then the light terms no bucket held (new, or
        # heavy before: their sizes changed, so they are among the moved).
        per_ns = dict.fromkeys(NAMESPACES, 0)
        get = sizes.get
        for name, terms in files.items():
            if name[0] != "h":
                light = [n for n in map(get, terms) if n is not None and n < heavy]
                per_ns[name[0]] += sum(light) + TERM_COST * len(light)
        was = {term: where(term) for term in moved}
        for term in moved:
            n = get(term)
            held = was[term]
            if n is not None and n < heavy and (held is None or held[0] == "h"):
                per_ns[namespace(term)] += cost(n)
        counts = shard_counts(per_ns, target)
        if counts != was_counts:
            return None
        out = cls.__new__(cls)
        out.counts = counts
        out.files = dict(files)  # type: ignore[arg-type]  # lists copied below where they change
        changed: set[str] = set()
        for term in moved:
            before = was[term]
            size = sizes.get(term)
            now = None if size is None else heavy_name(term) if size >= heavy else shard_name(term, counts)
            if before == now:
                continue
            if before is not None:
                if before not in changed:
                    out.files[before] = list(out.files[before])
                out.files[before].remove(term)
                changed.add(before)
            if now is not None:
                if now not in changed:
                    out.files[now] = list(out.files.get(now, ()))
                out.files[now].append(term)
                changed.add(now)
        for name in changed:
            out.files[name].sort(key=js_order)
            if name[0] == "h" and not out.files[name]:
                del out.files[name]
        out.heavy = sorted((t for name, terms in out.files.items() if name[0] == "h" for t in terms), key=js_order)
        return out, changed


def same_postings(
    heavy: Sequence[str],
    ids: Mapping[str, int],
    sizes: np.ndarray,
    key: np.ndarray,
    tf: np.ndarray,
) -> dict[str, str]:
    """Heavy terms whose postings (documents, fields, term frequencies: the whole record but
    the term's own first appearance) equal an earlier heavy term's (JavaScript order), each
    mapped to the first term of its group. The manifest lists them (``same``) and engine.js
    loads the first term's file for all of them: the bigrams of a phrase that never occurs
    split (``容错纠错``: 容错, 错纠, 纠错) hold the same postings, and a query of the phrase
    fetched them once per bigram.

    ``key`` and ``tf`` are the postings' columns sorted by term number (then field and
    document), ``sizes`` each term number's rows: a term's rows are one run. Only terms with
    as many rows as another heavy term, and as large sums of keys and tfs, are compared."""
    by_size: dict[int, list[str]] = {}
    for term in heavy:
        by_size.setdefault(int(sizes[ids[term]]), []).append(term)
    if all(len(terms) < 2 for terms in by_size.values()):
        return {}
    size_of = np.asarray(sizes, dtype=np.int64)
    starts = np.zeros(len(size_of) + 1, dtype=np.int64)
    np.cumsum(size_of, out=starts[1:])
    keys, tfs = np.asarray(key), np.asarray(tf)
    out: dict[str, str] = {}
    for size, terms in by_size.items():
        if len(terms) < 2:
            continue
        firsts: dict[tuple[int, int], list[str]] = {}  # sums of the rows' keys and tfs → groups' first terms
        for term in terms:  # already in JavaScript order
            a = int(starts[ids[term]])
            k, f = keys[a : a + size], tfs[a : a + size]
            candidates = firsts.setdefault((int(k.sum(dtype=np.uint64)), int(f.sum(dtype=np.uint64))), [])
            for first in candidates:
                b = int(starts[ids[first]])
                if np.array_equal(k, keys[b : b + size]) and np.array_equal(f, tfs[b : b + size]):
                    out[term] = first
                    break
            else:
                candidates.append(term)
    return out
