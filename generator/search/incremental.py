"""Incremental index builds: re-tokenize only the edited documents, rewrite only the records they change.

A term record (compact.py) holds the term's postings (documents, term frequencies), its
idf and its first appearance (origin, rank); the weights depend on every document's
field lengths, which ship separately (``lengths.json``). So an edit of one document
changes only the records of the terms whose postings in it changed, plus the terms whose
first appearance moves (a term the edit removes from the document that introduced it) or
whose rank among the terms introduced by one document shifts.

The previous build leaves its state next to the cache (:func:`save_state`: per document
a key of everything its postings and snippet text are made from, the postings, ranks,
the shard layout and the hash, size, modification time and inode of every file written;
an unchanged file is hard-linked from the previous build when those still match). :func:`update` takes the previous
postings, splices in the edited documents' new rows and recomputes first appearances
exactly as a clean build numbers them: the result is byte for byte the index a clean
build writes (``tests/test_search_incremental.py``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from generator.model.catalogue import Catalogue
from generator.model.entry import Interpretation, Item
from generator.parallel import paused_gc
from generator.search.documents import FIELDS, front_texts, search_doc
from generator.search.postings import FIELD_BITS, Postings, term_rows

STATE_VERSION = 8
STATE_FILE = "search-state.pickle"
MAX_CHANGED = 0.02  # above this share of edited documents, a clean build is as fast
UNSEEN = 0xFFFFFFFF  # the origin of a term new to the postings, until computed


def code_fingerprint() -> str:
    """The search package's code: a state written by other code (tokenizer, plain text,
    format) is not used."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _text_bytes(text: str) -> bytes:
    """``text`` as bytes, a different text never the same bytes: UTF-16 (half the CPU of
    UTF-8 for Chinese text, a copy for most bodies) when every character is one code unit
    (then each character is its own unit, surrogates included), else UTF-8; a first byte
    says which."""
    data = text.encode("utf-16-le", "surrogatepass")
    if len(data) == 2 * len(text):  # no character above U+FFFF
        return b"\x10" + data
    return b"\x08" + text.encode("utf-8", "surrogatepass")


def document_key(item: Item) -> bytes:
    """Everything a document's postings and snippet text are made from."""
    # every field of FIELDS (documents.py) but the body, each after its length (no text can
    # end one field and begin the next), then the body, after the length of the fields' bytes
    front = _text_bytes("".join(f"{len(text)}:{text}" for text, _ in front_texts(item)))
    h = hashlib.sha256(len(front).to_bytes(8, "little"))
    h.update(front)
    h.update(_text_bytes(item.body))
    return h.digest()


# source path → (SHA-256 of its front matter, of its bytes): Project.source_digests
Digests = Mapping[str, tuple[bytes, bytes]]


def basis(cat: Catalogue, url_of: Callable[[Item], str]) -> bytes | None:
    """What, beside its source file's bytes, decides an item of the public catalogue and what its
    document and display record hold: gongkai's code (every file of the package), the site's
    configuration (agency names, vocabularies, …) and the URL function. A source file's
    digest then stands for its item: same bytes, same basis, same item. None when the
    configuration is not told apart by its text (an object without one)."""
    from generator.project_cache import code_fingerprint

    h = hashlib.sha256(code_fingerprint().encode())
    h.update(f"\0{getattr(url_of, '__module__', '')}.{getattr(url_of, '__qualname__', '')}".encode())
    config = cat.config
    for fld in dataclasses.fields(config):
        value = getattr(config, fld.name)
        text = repr(value)
        if " at 0x" in text:  # a compiled pattern (index_pattern): its text
            pattern = getattr(value, "pattern", None)
            if not isinstance(pattern, str):
                return None
            text = pattern
        h.update(f"\0{fld.name}={len(text)}:{text}".encode("utf-8", "surrogatepass"))
    return h.digest()


def document_keys(
    items: Sequence[Item], digests: Digests | None, old: State | None, now: bytes | None
) -> tuple[list[bytes], list[bytes]]:
    """Per document its :func:`document_key` and its source file's digest (``b""`` unknown).

    An item whose source file holds the bytes of a document of the previous build (``old``,
    with the same :func:`basis` ``now``) is that document again: its key is taken from the
    state, and neither its body nor its fields are read (a body may be loaded on demand)."""
    if digests is None or now is None:
        return [document_key(item) for item in items], []
    sources = [d[1] if (d := digests.get(item.source)) is not None else b"" for item in items]
    known: dict[bytes, bytes] = {}
    if old is not None and old.basis == now and len(old.sources) == len(old.keys):
        known = dict(zip(old.sources, old.keys, strict=True))
        known.pop(b"", None)
    keys = [known.get(s) or document_key(item) for s, item in zip(sources, items, strict=True)]
    return keys, sources


def shown_keys(items: Sequence[Item], sources: Sequence[bytes], cat: Catalogue, digests: Digests) -> list[bytes]:
    """Per document what its display record (documents.display) is made from, as bytes: its
    source file's digest, and for an interpretation also those of the entries it explains
    (their titles are shown); ``b""`` when one is unknown (never taken as unchanged). With the
    same :func:`basis`, equal bytes mean the same record."""
    out = list(sources)
    for n, item in enumerate(items):
        if isinstance(item, Interpretation) and out[n]:
            parts = [out[n]]
            for source in cat.sources_of(item):
                d = digests.get(source.source)
                if d is None:
                    parts = []
                    break
                parts.append(d[1])
            out[n] = hashlib.sha256(b"".join(parts)).digest() if parts else b""
    return out


Stamp = tuple[str, int, int, int]  # sha256, size, mtime_ns, inode


def stamp(path: Path, sha: str) -> Stamp:
    st = path.stat()
    return sha, st.st_size, st.st_mtime_ns, st.st_ino


@dataclass
class State:
    params: list[Any]  # what else decides the files (thresholds, fields, format)
    keys: list[bytes]  # per document: document_key
    postings: Postings
    ranks: np.ndarray  # per term number: rank among the terms of its origin
    layout: dict[str, list[str]]  # shard file → its terms
    files: dict[str, Stamp]  # file (relative to search/) → its sha256 and what stat said after the build
    sizes: np.ndarray | None = None  # per term number: its rows (kept beside the rows, not in the pickle)
    rows: tuple[str, int] | None = None  # the row files already holding the postings' rows (none
    # changed since they were saved): their token and the bytes of a term frequency there
    basis: bytes | None = None  # see basis(): what sources and shown stand for
    sources: list[bytes] = dataclasses.field(default_factory=list)  # per document: its source file's digest
    shown: list[bytes] = dataclasses.field(default_factory=list)  # per document: shown_keys


ROWS = ("key", "tf")  # the postings' row arrays, kept in files of their own
_WIDTHS = {1: np.uint8, 2: np.uint16, 4: np.uint32}


def _read_rows(path: Path, count: int, width: int) -> np.ndarray:
    """``count`` values of ``width`` bytes each from the file ``path`` (exactly its size), as uint32."""
    with path.open("rb") as f:
        if os.fstat(f.fileno()).st_size != count * width:
            raise ValueError(f"{path.name}: not {count} rows of {width} bytes")
        values = np.fromfile(f, dtype=_WIDTHS[width], count=count)
        if len(values) != count:
            raise ValueError(f"{path.name}: fewer than {count} rows")
        return values if width == 4 else values.astype(np.uint32)


def _column(values: np.ndarray) -> array[int]:
    """A uint32 ndarray as a column of :class:`Postings` without copying it: an incremental
    update reads and rewrites the columns only through ``np.frombuffer`` (the buffer protocol),
    never appends to them (an ``array`` copy of the ~80M rows at 100k documents: ~0.9 CPU-s
    of each edit)."""
    assert values.dtype == np.uint32 and values.flags.c_contiguous and values.flags.writeable
    column: Any = values
    return column


def _write_rows(path: Path, values: array[int], narrow: bool) -> int:
    """Write ``values`` (uint32) into ``path``, each in the fewest of 1, 2 or 4 bytes that holds
    them all when ``narrow``; the bytes a value took."""
    view = np.frombuffer(values, dtype=np.uint32)
    top = int(view.max()) if narrow and len(view) else 1 << 32
    width = 1 if top < 1 << 8 else 2 if top < 1 << 16 else 4
    with path.open("wb") as f:
        if width == 4:
            values.tofile(f)
        else:
            view.astype(_WIDTHS[width]).tofile(f)
    del view  # (the array may be resized only once no view holds its buffer)
    return width


def load_state(folder: Path, params: list[Any]) -> State | None:
    try:
        with (folder / STATE_FILE).open("rb") as f, paused_gc():
            version, state, rows = pickle.load(f)
        if version != STATE_VERSION or not isinstance(state, State) or state.params != params:
            return None
        token, count, sizes, tf_width = rows
        state.postings.key = _column(_read_rows(folder / f"key-{token}.bin", count, 4))
        state.postings.tf = _column(_read_rows(folder / f"tf-{token}.bin", count, tf_width))
        per_term = np.frombuffer(sizes, dtype=np.uint32)
        if int(per_term.sum()) != count or len(per_term) != len(state.postings.ids):
            return None
        # the rows are sorted by term: each term's rows are the next sizes[term] ones
        state.postings.term = _column(np.repeat(np.arange(len(per_term), dtype=np.uint32), per_term))
        state.sizes = per_term.astype(np.int64)
        state.rows = token, tf_width
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError, KeyError):
        return None
    return state


def save_state(folder: Path, state: State) -> None:
    """The state, its postings' rows written straight from their arrays (a pickle would copy
    them); the pickle names the row files it belongs with. The rows are sorted by term, so
    the term of every row is not kept, only each term's number of rows (the rows were
    ~1 GB at 100k documents, now two thirds of that); a term frequency takes one byte when
    none is above 255 (then the rows are ~400 MB at 100k: less to write and read at each edit)."""
    folder.mkdir(parents=True, exist_ok=True)
    p = state.postings
    assert p.ordered, "the state keeps the rows sorted by term"
    if state.rows is None or not all((folder / f"{name}-{state.rows[0]}.bin").is_file() for name in ROWS):
        token = hashlib.sha256(os.urandom(16)).hexdigest()[:16]
        _write_rows(folder / f"key-{token}.bin", p.key, False)
        state.rows = token, _write_rows(folder / f"tf-{token}.bin", p.tf, True)
    token, tf_width = state.rows
    if state.sizes is None:
        state.sizes = np.bincount(np.frombuffer(p.term, dtype=np.uint32), minlength=len(p.ids))
    sizes = state.sizes.astype(np.uint32).tobytes()
    rows = {name: getattr(p, name) for name in (*ROWS, "term")}
    kept = state.sizes
    tmp = folder / f".{STATE_FILE}.{os.getpid()}"
    try:
        for name in rows:
            setattr(p, name, array("I"))
        state.sizes = state.rows = None
        with tmp.open("wb") as f, paused_gc():
            pickle.dump(
                (STATE_VERSION, state, (token, len(rows["term"]), sizes, tf_width)), f, protocol=pickle.HIGHEST_PROTOCOL
            )
    finally:
        for name, values in rows.items():
            setattr(p, name, values)
        state.sizes, state.rows = kept, (token, tf_width)
    os.replace(tmp, folder / STATE_FILE)
    for old in folder.glob("*-*.bin"):  # the rows of earlier states
        if not old.name.endswith(f"-{token}.bin"):
            old.unlink(missing_ok=True)


def changed_documents(old: Sequence[bytes], new: Sequence[bytes]) -> list[int] | None:
    """The documents whose key changed; None when the documents are not the same ones
    (added, removed, reordered: every later document is renumbered) or too many changed."""
    if len(old) != len(new):
        return None
    changed = [n for n, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    return changed if len(changed) <= max(1, int(len(new) * MAX_CHANGED)) else None


Segment = tuple[int, int, int, int]  # old documents lo … hi - 1 replaced by the new documents lo … hi - 1


def segments(old: Sequence[bytes], new: Sequence[bytes]) -> list[Segment] | None:
    """What changed from the documents ``old`` to ``new`` (by key): per edited document
    ``(d, d + 1, d, d + 1)``, or, when documents were added or removed, the one run
    between the longest common beginning and end; None when too much changed."""
    changed = changed_documents(old, new)
    if changed is not None:
        return [(d, d + 1, d, d + 1) for d in changed]
    if len(old) == len(new):
        return None
    a = 0
    while a < min(len(old), len(new)) and old[a] == new[a]:
        a += 1
    z = 0
    while z < min(len(old), len(new)) - a and old[-1 - z] == new[-1 - z]:
        z += 1
    run = (a, len(old) - z, a, len(new) - z)
    if (run[1] - run[0]) + (run[3] - run[2]) > max(1, int(len(new) * MAX_CHANGED)):
        return None
    return [run]


def _spliced(values: np.ndarray, drop: list[int], at: list[int], inserted: np.ndarray) -> array[int]:
    """``values`` without the rows ``drop`` (ascending), with ``inserted`` placed before the
    rows ``at`` (ascending, as np.insert places them; a row both dropped and inserted before
    goes): one copy, whatever the size, straight into the array returned."""
    cuts = sorted([(i, 0, -1) for i in drop] + [(i, 1, n) for n, i in enumerate(at)])
    out: array[int] = array("I", [0]) * (len(values) - len(drop) + len(at))  # (not from bytes: a copy more)
    pieces, start = [], 0
    for i, kind, n in cuts:
        pieces.append(values[start:i])
        if kind:
            pieces.append(inserted[n : n + 1])
            start = max(start, i)
        else:
            start = i + 1
    pieces.append(values[start:])
    view = np.frombuffer(out, dtype=np.uint32)
    np.concatenate(pieces, out=view)
    del view  # the array may be resized only once no view holds its buffer
    return out


def update(
    p: Postings, ranks: np.ndarray, items: Sequence[Item], spans: Sequence[Segment], sizes: np.ndarray
) -> tuple[np.ndarray, set[str], set[str], set[str], np.ndarray]:
    """Re-tokenize the documents of ``spans`` into ``p`` (in place; later documents are
    renumbered when documents were added or removed); the new ranks, the terms whose
    records may differ from the previous build's (every term when the number of documents
    changes: idf), the terms no document holds any more and the terms of the replaced
    and new documents (the only ones whose number of postings may differ), and per term its
    number of postings (``sizes``: the previous ones).

    The rows stay sorted by term, field and document (``p.ordered``): the replaced
    documents' rows are dropped, the later documents' keys shifted (which keeps the
    order) and the new rows inserted where they sort."""
    assert p.ordered, "an incremental update keeps the rows sorted by term"
    if not spans:  # no document changed: nothing to copy
        return ranks, set(), set(), set(), sizes
    low = (1 << FIELD_BITS) - 1
    term = np.frombuffer(p.term, dtype=np.uint32)
    key = np.frombuffer(p.key, dtype=np.uint32)
    tf = np.frombuffer(p.tf, dtype=np.uint32)
    doc_of = key >> FIELD_BITS
    ids = p.ids
    origin = list(p.origin)
    rank = ranks.tolist()
    orders: dict[int, list[list[str]]] = {}  # document → per field its terms in order of first appearance
    touched: set[int] = set()
    candidates: set[int] = set()
    edited_rows: list[tuple[int, int, int]] = []  # (term, key, tf) of the edited documents' new rows
    replaced = np.zeros(p.count + 1, dtype=bool)  # per old document: replaced (one more: none)
    step = np.zeros(p.count + 1, dtype=np.int64)  # per old document: how far later ones move
    for olo, ohi, nlo, nhi in spans:
        replaced[olo:ohi] = True
        step[ohi] += (nhi - nlo) - (ohi - olo)
    dropped = np.flatnonzero(replaced[doc_of])  # the replaced documents' rows
    dropped_docs = doc_of[dropped]
    by_doc = np.argsort(dropped_docs, kind="stable")
    dropped, dropped_docs = dropped[by_doc], dropped_docs[by_doc]
    dropped_terms = term[dropped]
    shift = 0  # new number − old number of the documents after the spans seen so far
    for olo, ohi, nlo, nhi in sorted(spans):
        lo, hi = (int(x) for x in np.searchsorted(dropped_docs, [olo, ohi]))
        rows = dropped[lo:hi]
        before = {
            (t, k & low): n for t, k, n in zip(term[rows].tolist(), key[rows].tolist(), tf[rows].tolist(), strict=True)
        }
        candidates.update(t for t, _ in before)
        new_lengths: list[list[int]] = [[] for _ in FIELDS]
        for d in range(nlo, nhi):
            doc = search_doc(d, items[d])
            fields = [doc.field_counts(f) for f in range(len(FIELDS))]  # every term in order of first appearance
            orders[d] = [list(counts) for counts in fields]
            after: dict[tuple[int, int], int] = {}
            for f, counts in enumerate(fields):
                new_lengths[f].append(sum(counts.values()))
                for word in counts:
                    if word not in ids:
                        ids[word] = len(ids)
                        origin.append(UNSEEN)
                        rank.append(0)
                    after[ids[word], f] = counts[word]
            if ohi - olo == 1 == nhi - nlo:  # one document edited: the terms whose postings changed
                touched.update(t for tf_key, n in before.items() if after.get(tf_key) != n for t in tf_key[:1])
                touched.update(t for tf_key, n in after.items() if before.get(tf_key) != n for t in tf_key[:1])
            candidates.update(t for t, _ in after)
            edited_rows.extend((t, d << FIELD_BITS | g, n) for (t, g), n in after.items())
        for f, lengths in enumerate(new_lengths):
            p.lengths[f][olo + shift : ohi + shift] = array("I", lengths)
        shift += (nhi - nlo) - (ohi - olo)
    moving = [(ohi, (nhi - nlo) - (ohi - olo)) for olo, ohi, nlo, nhi in spans if (nhi - nlo) != (ohi - olo)]
    if len(moving) == 1:  # later documents renumbered (in place: uint32 arithmetic wraps a negative step)
        end, delta = moving[0]
        np.add(key, np.uint32((delta << FIELD_BITS) & 0xFFFFFFFF), out=key, where=key >= end << FIELD_BITS)
    elif moving:  # a shift that keeps every run's documents ascending
        moves = np.cumsum(step)
        key[:] = (key.astype(np.int64) + (moves[key >> FIELD_BITS] << FIELD_BITS)).astype(np.uint32)
    # The replaced documents' rows still stand among the others (renumbered or not, they sort
    # between their neighbours): each new row goes before the first row of its term that sorts
    # after it, and the columns are copied once, dropping and inserting at the same time.
    at: list[int] = []
    added = np.zeros((0, 3), dtype=np.uint32)
    if edited_rows:  # inserted where they sort: by term, then field, then document
        edited_rows.sort(key=lambda r: (r[0], r[1] & low, r[1] >> FIELD_BITS))
        added = np.array(edited_rows, dtype=np.int64).reshape(-1, 3).astype(np.uint32)
        starts = np.searchsorted(term, added[:, 0], side="left").tolist()
        ends = np.searchsorted(term, added[:, 0], side="right").tolist()
        for (_, k, _), lo, hi in zip(edited_rows, starts, ends, strict=True):
            if lo < hi:  # among the term's rows, sorted by field and document
                run = key[lo:hi]
                lo += int(np.searchsorted((run & low) << 29 | run >> FIELD_BITS, (k & low) << 29 | k >> FIELD_BITS))
            at.append(lo)
    drop = np.sort(dropped).tolist()
    p.term, p.key, p.tf = (_spliced(x, drop, at, added[:, c]) for c, x in enumerate((term, key, tf)))
    term, key = np.frombuffer(p.term, dtype=np.uint32), np.frombuffer(p.key, dtype=np.uint32)
    sizes = np.append(sizes.astype(np.int64), np.zeros(len(ids) - len(sizes), dtype=np.int64))
    sizes -= np.bincount(dropped_terms, minlength=len(ids))
    sizes += np.bincount(added[:, 0], minlength=len(ids))
    p.count = len(items)
    edited_rows.sort()

    # Terms first appearing in a replaced document (or new) are looked for in the whole
    # postings; the others' first appearances are renumbered with their documents.
    removed = {d for olo, ohi, _, _ in spans for d in range(olo, ohi)}
    scan = [t for t in candidates if origin[t] == UNSEEN or origin[t] >> FIELD_BITS in removed]
    if shift or any(ohi - olo != nhi - nlo for olo, ohi, nlo, nhi in spans):
        ends = np.array([ohi for _, ohi, _, _ in sorted(spans)], dtype=np.int64)
        deltas = np.cumsum([0] + [(nhi - nlo) - (ohi - olo) for olo, ohi, nlo, nhi in sorted(spans)])
        was = np.array(origin, dtype=np.int64)
        renumbered = was + (deltas[np.searchsorted(ends, was >> FIELD_BITS, side="right")] << FIELD_BITS)
        origin = np.where(was == UNSEEN, was, renumbered).tolist()
        touched.update(range(len(ids)))  # the document count is in every idf
    edited = {d for _, _, nlo, nhi in spans for d in range(nlo, nhi)}

    # First appearance of the candidates: the smallest (document, field) holding them. A term
    # first appearing in a document that was not edited still appears there: its first
    # appearance is that or an earlier place in an edited document. Only the terms first
    # appearing in an edited document (or new) need a scan of the postings.
    count = len(ids)
    none = int(np.iinfo(np.uint32).max)
    scanned = set(scan)
    first = np.full(count, none, dtype=np.uint32)
    if scan:  # the rows of a term are one run (sorted by term)
        rows = term_rows(term, np.array(scan, dtype=np.uint32))
        np.minimum.at(first, term[rows], key[rows])
    for t, k, _ in edited_rows:  # the edited documents' rows (sorted): where an earlier one is
        if first[t] == none and t not in scanned:
            first[t] = min(origin[t], k)  # the smallest key first: sorted
    for t in candidates:
        if first[t] == none and t not in scanned:
            first[t] = origin[t]  # dropped from the edited documents, kept where it first appeared
    affected = {d << FIELD_BITS | f for d in edited for f in range(len(FIELDS))}
    dead = []
    # terms whose first appearance moved (or was looked for: one in a removed document may
    # land on the document renumbered into its place, the same number)
    arrived: set[int] = set(scan)
    for t in sorted(candidates):
        new = int(first[t])
        if new == none:
            dead.append(t)
            affected.add(origin[t])
        elif new != origin[t]:
            affected.update((origin[t], new))
            origin[t] = new
            touched.add(t)
            arrived.add(t)
    names = list(ids)
    gone = {names[t] for t in dead}
    resized = {names[t] for t in candidates} - gone  # the terms whose postings may have changed in number
    alive = np.ones(count, dtype=bool)
    alive[dead] = False
    touched.difference_update(dead)

    # Ranks among the terms of each affected origin, in order of first appearance there.
    origins = np.array(origin, dtype=np.uint32)
    for o in sorted(affected):
        members = np.flatnonzero((origins == o) & alive).tolist()
        if o == UNSEEN or not members:
            continue
        d, f = o >> FIELD_BITS, o & low
        if d in orders:
            position = {t: n for n, t in enumerate(orders[d][f])}
            ordered = sorted(members, key=lambda t: position[names[t]])
        elif arrived.isdisjoint(members):  # a document not edited that only lost terms: the others keep their order
            ordered = sorted(members, key=rank.__getitem__)
        else:  # a document not edited where a term now first appears: this field's terms in order
            # (its body is read only for the body field)
            order = list(search_doc(d, items[d], body=f == len(FIELDS) - 1).field_counts(f))
            position = {t: n for n, t in enumerate(order)}
            ordered = sorted(members, key=lambda t: position[names[t]])
        for r, t in enumerate(ordered):
            if rank[t] != r:
                rank[t] = r
                touched.add(t)

    # Terms no document holds any more leave the numbering.
    if dead:
        number = (np.cumsum(alive) - 1).astype(np.uint32)
        term[:] = number[term]  # in place: a dead term has no rows, the order stays
        sizes = sizes[alive]
        keep = np.flatnonzero(alive).tolist()
        p.ids = {names[t]: n for n, t in enumerate(keep)}
        origin = [origin[t] for t in keep]
        rank = [rank[t] for t in keep]
        names = [names[t] for t in keep]
        touched = {int(number[t]) for t in touched}
    del term, key  # views of p's arrays
    p.origin = array("I", origin)
    return np.array(rank, dtype=np.int64), {names[t] for t in touched}, gone, resized, sizes
