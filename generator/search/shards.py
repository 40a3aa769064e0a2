"""Which shard holds a term: namespace by kind of term, then FNV-1a hash (as engine.js).

Namespaces keep the common query path small: ``b`` holds bigrams and ASCII words
(what almost every query needs), ``u`` single CJK characters (only single-character
queries need them), ``k`` the exact 文号/索引号 keys (tiny, fetched when a query reads
as an identifier).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from generator.search.tokenizer import is_key

NAMESPACES = ("b", "u", "k")
FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193


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


def shard_counts(postings_per_namespace: dict[str, int], target: int) -> dict[str, int]:
    """Shards per namespace so that a shard holds about ``target`` postings."""
    return {ns: max(1, math.ceil(postings_per_namespace.get(ns, 0) / target)) for ns in NAMESPACES}


def shard_name(term: str, counts: dict[str, int]) -> str:
    ns = namespace(term)
    return f"{ns}{fnv1a(term) % counts[ns]}"


def partition(terms: Iterable[str], counts: dict[str, int]) -> dict[str, list[int]]:
    """Shard name → ids (positions in ``terms``) of the terms it holds; every shard is listed."""
    out: dict[str, list[int]] = {f"{ns}{i}": [] for ns in NAMESPACES for i in range(counts[ns])}
    for tid, term in enumerate(terms):
        out[shard_name(term, counts)].append(tid)
    return out
