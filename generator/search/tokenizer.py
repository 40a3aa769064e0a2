"""The search tokenizer: how text becomes index terms (specification: docs/search.md).

The same rules are implemented in ``theme/assets/javascripts/search/tokenizer.js``
for queries typed in the browser; ``tests/test_search_parity.py`` runs both over
the same strings. Change one, change the other and the spec together.

Three modes:

* ``full`` — short fields (title, 文号, 索引号, keywords, abstract): every CJK
  character as a unigram plus every overlapping bigram, in position order.
* ``text`` — long fields (body, interpretation text): bigrams only; a CJK run of
  a single character is kept as that character.
* ``query`` — like ``text``, de-duplicated, plus exact keys (``#…``) for
  anything in the query that reads as a 文号 or 索引号.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Container
from itertools import chain, filterfalse
from operator import add
from typing import Any

from generator.model.identifiers import normalise_doc_number, normalise_index_no

# Full-width ASCII (U+FF01–U+FF5E) folds to ASCII, except （） which 文号 detection reads
# raw; the ideographic space becomes a space; ASCII letters are lower-cased.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if cp not in (0xFF08, 0xFF09)}
_FOLD.update({0x3000: 0x20})
_FOLD.update({cp: cp + 0x20 for cp in range(ord("A"), ord("Z") + 1)})
_FOLD.update({cp: cp - 0xFEE0 + 0x20 for cp in range(0xFF21, 0xFF3B)})

CJK_RANGES = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"

KEY_PREFIX = "#"
# Whitespace that separates query chunks (the same list in tokenizer.js).
_CHUNK_SPLIT = re.compile("[ \t\n\r\f\v\u00a0\u2028\u2029]+")
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")
_INDEX_NO_SEPARATORS = re.compile("[/\\-－—_]")
_INDEX_NO_CANDIDATE = re.compile("^(?=.*[0-9])[0-9a-z]{6,}$")


def fold(text: str) -> str:
    """Full-width ASCII → ASCII, U+3000 → space, A–Z → a–z. Length-preserving."""
    return text.translate(_FOLD)


# For terms() only: the characters that fold to a word character (A-Z, full-width
# letters and digits). Every other folded character is a separator before and after
# folding, so terms() folds just these (str.translate over a whole body is slow).
_WORD_FOLDS = re.compile("[A-Z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_RUN_ANY = re.compile(f"[{CJK_RANGES}]+|[0-9a-z]+")


def _fold_words(text: str) -> str:
    if _WORD_FOLDS.search(text) is None:
        return text
    return _WORD_FOLDS.sub(lambda m: m.group().translate(_FOLD), text)


def terms(text: str, mode: str = "full") -> list[str]:
    """Index terms of ``text`` in position order (``mode``: ``full`` or ``text``).

    A run is CJK when its first character is above ``z`` (word runs are [0-9a-z]).
    """
    out: list[str] = []
    append, extend = out.append, out.extend
    if mode == "full":
        for run in _RUN_ANY.findall(_fold_words(text)):
            if len(run) > 1 and run[0] > "z":
                extend(chain.from_iterable(zip(run, map(add, run, run[1:]), strict=False)))  # c1, c1c2, c2, …
                append(run[-1])
            else:
                append(run)
    else:
        for run in _RUN_ANY.findall(_fold_words(text)):
            if len(run) > 1 and run[0] > "z":
                extend(map(add, run, run[1:]))
            else:
                append(run)
    return out


_CJK_CHAR = re.compile(f"[{CJK_RANGES}]")
_WORD_CHAR = re.compile("[0-9a-z]")


def term_counts(text: str, mode: str = "full", known: Container[str] = ()) -> dict[str, int]:
    """``Counter(terms(text, mode))``, computed faster: the build's hot loop (25 million terms
    for 10k documents). Terms not in ``known`` come in order of first appearance, which is
    all lunr's term numbering needs; the others may come in any order.

    For ``text`` the bigrams of every run are made by one C-level ``map`` over two strings
    (each run without its last, and without its first character), then counted.
    """
    if mode != "text":
        return Counter(terms(text, mode))
    folded = _fold_words(text)
    runs = _RUN_ANY.findall(folded)
    cjk = [run for run in runs if len(run) > 1 and run[0] > "z"]
    counts: dict[str, int] = Counter(map(add, "".join([r[:-1] for r in cjk]), "".join([r[1:] for r in cjk])))
    others = Counter([run for run in runs if len(run) == 1 or run[0] <= "z"])  # single characters, words
    if not others or not counts:
        return others or counts
    new_bigrams = list(filterfalse(known.__contains__, counts))
    new_others = list(filterfalse(known.__contains__, others))
    if new_bigrams and new_others:  # put the new terms in order of appearance, then the rest
        ordered = sorted(new_bigrams + new_others, key=lambda t: _first_position(folded, t))
        out = {t: counts.get(t) or others[t] for t in ordered}
        out.update(counts)
        out.update(others)
        return out
    counts.update(others)  # disjoint keys: dict.update, not Counter's adding update
    return counts


def _first_position(folded: str, term: str) -> int:
    """Where ``term`` first stands as a term of ``terms(folded, "text")``."""
    if term[0] > "z" and len(term) > 1:
        return folded.find(term)  # two adjacent CJK characters are always a bigram
    neighbour = _CJK_CHAR if term[0] > "z" else _WORD_CHAR  # a single character or word stands alone
    at = folded.find(term)
    while at >= 0 and ((at > 0 and neighbour.match(folded, at - 1)) or neighbour.match(folded, at + len(term))):
        at = folded.find(term, at + 1)
    return at


def doc_number_key(value: str) -> str | None:
    """The exact key of a 文号, the same for every bracket style (``#苏政办发2020-65``)."""
    number = normalise_doc_number(value)
    return KEY_PREFIX + number.key.lower() if number else None


def index_no_key(value: str) -> str:
    """The exact key of a 索引号: separators dropped, lower case (``#000014349201800222``)."""
    return KEY_PREFIX + normalise_index_no(value).lower()


def query_keys(text: str) -> list[str]:
    """Exact keys a query may mean: the whole query or any chunk read as 文号 or 索引号."""
    folded = fold(text)
    chunks = [c for c in _CHUNK_SPLIT.split(folded) if c]
    candidates = ["".join(chunks), *chunks] if len(chunks) > 1 else chunks
    keys: list[str] = []
    for chunk in candidates:
        if _NON_ASCII_DIGIT.search(chunk):
            continue
        key = doc_number_key(chunk)
        if key:
            keys.append(key)
        bare = _INDEX_NO_SEPARATORS.sub("", chunk)
        if _INDEX_NO_CANDIDATE.match(bare):
            keys.append(index_no_key(bare))
    return keys


def query_terms(text: str) -> list[str]:
    """Terms a query must match (``text`` mode) followed by its exact keys; no duplicates."""
    return list(dict.fromkeys([*terms(text, "text"), *query_keys(text)]))


def is_key(term: str) -> bool:
    return term.startswith(KEY_PREFIX)


# --- Lunr pipeline functions ---------------------------------------------------------
# Registered under the same labels in tokenizer.js. Each takes one token holding a whole
# field value (or the whole query) and expands it into the terms above.

PIPELINE_LABELS = {"full": "gongkai-full", "text": "gongkai-text", "query": "gongkai-query"}


def _pipeline_function(mode: str) -> Callable[..., Any]:
    def expand(token: Any, i: int, tokens: list[Any]) -> list[Any]:
        source = str(token)
        values = query_terms(source) if mode == "query" else terms(source, mode)
        return [token.clone(lambda _s, _m, v=v: v) for v in values]

    expand.__name__ = PIPELINE_LABELS[mode].replace("-", "_")
    return expand


gongkai_full = _pipeline_function("full")
gongkai_text = _pipeline_function("text")
gongkai_query = _pipeline_function("query")


def register_pipeline_functions() -> None:
    """Register the functions with lunr.py (idempotent)."""
    from lunr.pipeline import Pipeline

    for fn, mode in ((gongkai_full, "full"), (gongkai_text, "text"), (gongkai_query, "query")):
        label = PIPELINE_LABELS[mode]
        if Pipeline.registered_functions.get(label) is not fn:
            Pipeline.register_function(fn, label)
