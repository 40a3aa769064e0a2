"""Check results, cached by content (``.gongkai-cache/v1/check.pickle`` and ``check.delta``).

Reading, parsing and checking each source file on its own is most of ``check``. The
result for one file (its parsed :class:`~generator.source.frontmatter.SourceFile`, its
item and its own diagnostics) depends only on:

* the file's bytes (SHA-256) and its kind and path;
* ``site_config.yml`` (its bytes) and whether it was readable;
* gongkai's own code and data files, the Python and PyYAML versions;
* for items with text attachments, those attachments' bytes (the privacy lint reads
  them): each such dependency is stored with its hash and compared on lookup.

Anything else changed means a miss, and the file is read and checked as before. A hit
leaves the file's SourceFile pickled until a diagnostic needs a position from it
(project.SourceMap).

The cross-file checks (uniqueness, relations, interpretations, URL collisions, hidden
links, deadlines) read of each file only a summary (project._summary); their results are
kept under the digest of all the summaries, in order, and the build date (one set: the
last run's). Those about attachment files read the file system and run every time; the
SHA-256 of each attachment is kept with its stat and reused while the stat is the same (the
rule of :meth:`CheckCache.digest`; :meth:`CheckCache.file_sha`).

The whole file is rewritten when many results changed; a run that changed few writes
them to ``check.delta``, which is applied only on top of the whole file it was written
for (it names that file's signature). Both are written to a temporary file and renamed.

The cache files are pickles, so they are signed with a key kept outside the project (in
the user's cache folder, ``$XDG_CACHE_HOME/gongkai/check-key``): a cache file that a
content repository brings along, or that was altered, is ignored, never unpickled.
Deleting ``.gongkai-cache/`` is always safe.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import hashlib
import hmac
import os
import pickle
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, diag
from generator.model.links import body_links
from generator.source.files import CONFIG_FILE, safe_join
from generator.source.frontmatter import MAX_FILE_BYTES, SourceFile, decode

if TYPE_CHECKING:
    from generator.project import _Loaded

LAYOUT = "gongkai-check-5"
# A file whose stat is as recorded is not hashed again unless it changed this close to (or
# after) the start of the run that recorded it (git's "racy" rule, see CheckCache.digest).
RACY_NS = 2_000_000_000
CHECK_FILE = Path(".gongkai-cache") / "v1" / "check.pickle"
DELTA_NAME = "check.delta"  # the results changed since check.pickle was written (see save)
DELTA_MIN = 64
_MAC = 32
Stat = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device
# attachment dependencies, pickled result, pickled source, how to cut the body (see pack)
Packed = tuple[tuple[tuple[str, str, str], ...], bytes, bytes, tuple[int, int, bytes, bool]]
Record = tuple[str, bytes, tuple[tuple[str, str, str], ...], bytes, Stat, bytes, tuple[int, int, bytes, bool]]
_fingerprint: str | None = None


def code_fingerprint() -> str:
    """SHA-256 of every file of the gongkai package, the Python and the PyYAML versions."""
    global _fingerprint
    if _fingerprint is None:
        import yaml

        package = Path(__file__).resolve().parent
        h = hashlib.sha256(f"{sys.version}|{yaml.__version__}|{hasattr(yaml, 'CSafeLoader')}".encode())
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                for part in (path.relative_to(package).as_posix().encode(), path.read_bytes()):
                    h.update(len(part).to_bytes(8, "little"))
                    h.update(part)
        _fingerprint = h.hexdigest()
    return _fingerprint


def _secret() -> bytes | None:
    """The per-user signing key (created on first use); ``None`` when it cannot be kept."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "gongkai" / "check-key"
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".check-key.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
        os.replace(tmp, path)
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == 32 else None


def attachment_hash(root: Path, base: str, file: str) -> str:
    """What the privacy lint reads of one attachment, as a hash ("" when it reads nothing)."""
    from generator.checks.privacy import MAX_ATTACHMENT_BYTES

    path = safe_join(root, base, file)
    if path is None or not path.is_file():
        return ""
    try:
        with path.open("rb") as fh:
            return hashlib.sha256(fh.read(MAX_ATTACHMENT_BYTES)).hexdigest()
    except OSError:
        return "unreadable"


def _dependencies(root: Path, loaded: _Loaded) -> tuple[tuple[str, str, str], ...]:
    """The text attachments whose contents the privacy lint read for this file (from its raw
    front matter, as the lint does: a file missing a required field is scanned too)."""
    from generator.checks.privacy import _raw_text_files

    if loaded.src is None or not loaded.src.data:
        return ()
    files = _raw_text_files(loaded.ref.kind, loaded.src.data)
    return tuple((base, file, attachment_hash(root, base, file)) for _, base, file in files)


# The bodies are most of the bytes: they are left out of the stored results and cut again
# from the file read for the lookup. A file whose SHA-256 (or stat, see CheckCache.digest) is
# the recorded one has the recorded bytes, so the body is cut where it was found then: its
# last ``cut`` bytes as they are (a UTF-8 file without CRLF line ends: no hashing), else by
# decoding the file as parse() does, checked against the stored hash of the body.
_TAIL_UNKNOWN = -1


def _body_of(src_body_line: int, path: str, raw: bytes, cut: int, want: bytes, recorded: bool = True) -> str | None:
    """The body of a file's bytes ``raw``; None if it cannot be cut or is not the body recorded.

    ``recorded``: ``raw`` are the bytes recorded (see above), so a body cut as their last ``cut``
    bytes needs no hash; otherwise (:class:`LazyBody`) every body cut is checked against ``want``.
    """
    if cut == 0:
        return ""
    if 0 < cut <= len(raw):
        try:
            body = raw[len(raw) - cut :].decode("utf-8")
        except UnicodeDecodeError:
            return None
        if recorded:
            return body
    else:
        text, _ = decode(path, raw)
        if text is None:
            return None
        skip = src_body_line - 1  # the body: from line body_line on (as parse() cuts it)
        parts = text.split("\n", skip) if skip > 0 else [text]
        body = parts[skip] if len(parts) > skip else ""
    if hashlib.sha256(body.encode("utf-8", "surrogatepass")).digest() != want:
        return None
    return body


class SourceChangedError(Exception):
    """A body left in its file (:class:`LazyBody`) is no longer the body that was checked."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic

    def __reduce__(self) -> tuple[type[SourceChangedError], tuple[Diagnostic]]:
        return (SourceChangedError, (self.diagnostic,))  # raised in a worker, it reaches the parent pickled


class LazyBody:
    """The body of a file found unchanged by its ``stat`` (:meth:`CheckCache.settled`), read
    when first asked for (see :class:`generator.model.entry.Body`).

    The file is read then and the body cut from it as :func:`_body_of` does; it must be the
    body that was checked (its recorded SHA-256), whichever way it was cut: a file changed
    since the check raises :class:`SourceChangedError` (E028), so nothing unchecked is ever
    published."""

    __slots__ = ("body_line", "cut", "path", "rel", "want")

    def __init__(self, path: str, rel: str, body_line: int, cut: int, want: bytes) -> None:
        self.path, self.rel, self.body_line, self.cut, self.want = path, rel, body_line, cut, want

    def __call__(self) -> str:
        body = None
        try:
            with open(self.path, "rb") as fh:
                raw = fh.read(MAX_FILE_BYTES + 1)
        except OSError:
            raw = None
        if raw is not None and len(raw) <= MAX_FILE_BYTES:
            body = _body_of(self.body_line, self.rel, raw, self.cut, self.want, recorded=False)
        if body is None:
            raise SourceChangedError(diag(self.rel, (1, 1), "E028"))
        return body


def pack(root: Path, loaded: _Loaded) -> Packed | None:
    """What the cache keeps of a freshly checked file, but for its kind, digest and stat: its
    attachment dependencies, the pickled result without its source and body, the pickled
    source without its body, and how to cut the body again from the file's bytes. ``None``
    when there is nothing to keep (no source). Pure: the check's workers call it (see
    ``project._load_chunk``), so that the parent neither unpickles the sources nor pickles
    them again."""
    src = loaded.src
    if src is None:
        return None
    if loaded.item is not None and loaded.links is None:  # kept for hidden_links (checks/crossref.py)
        loaded.links = tuple(body_links(loaded.item.body))
    slim = copy.copy(loaded)
    slim.src = None
    slim.packed = None
    body = src.body
    item_cut = bool(body) and loaded.item is not None and loaded.item.body == body
    if item_cut:
        assert loaded.item is not None
        slim.item = dataclasses.replace(loaded.item, body="")
    want = hashlib.sha256(body.encode("utf-8", "surrogatepass")).digest() if body else b""
    cut = loaded.body_at if loaded.body_at >= 0 else _TAIL_UNKNOWN
    blob = _flat(slim)
    return (_dependencies(root, loaded), blob, source_blob(src), (src.body_line, cut, want, item_cut))


# A result is pickled as its fields' values in field order, and its item's (with the item's
# class): unpickling 100k results each spelling out every field's name was a third of a
# cached check. The class's fields decide the order; gongkai's code is part of the cache's
# key, so a record is only read by the classes that wrote it.
_FIELDS: dict[type, tuple[str, ...]] = {}
_LOADED: type[_Loaded] | None = None


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _flat(loaded: _Loaded) -> bytes:
    """``loaded`` (its ``src`` and ``packed`` None) pickled as :func:`_unflat` reads it."""
    item = loaded.item
    values = tuple(None if name == "item" else getattr(loaded, name) for name in _fields(type(loaded)))
    own = (type(item), tuple(getattr(item, name) for name in _fields(type(item)))) if item is not None else None
    return pickle.dumps((values, own), protocol=pickle.HIGHEST_PROTOCOL)


def _unflat(blob: bytes) -> _Loaded:
    """What :func:`_flat` pickled: the same result, made without its classes' ``__init__``
    (as unpickling makes it)."""
    global _LOADED
    if _LOADED is None:  # (imported once: project imports this module)
        from generator.project import _Loaded

        _LOADED = _Loaded
    values, own = pickle.loads(blob)
    loaded: _Loaded = object.__new__(_LOADED)
    loaded.__dict__.update(zip(_fields(_LOADED), values, strict=True))
    if own is not None:
        cls, item_values = own
        if not dataclasses.is_dataclass(cls) or not isinstance(cls, type):
            raise TypeError(f"not an item class: {cls!r}")
        item = object.__new__(cls)
        item.__dict__.update(zip(_fields(cls), item_values, strict=True))
        loaded.__dict__["item"] = item
    return loaded


def source_blob(src: SourceFile) -> bytes:
    """A parsed source pickled without its body (kept beside it: see project.SourceMap)."""
    return pickle.dumps(dataclasses.replace(src, body="") if src.body else src, protocol=pickle.HIGHEST_PROTOCOL)


def _stat(st: os.stat_result) -> Stat:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


class CheckCache:
    """The per-file results of the last check, valid for one configuration and one gongkai."""

    def __init__(self, root: Path, config_ok: bool) -> None:
        from generator.ownership import cache_problems  # the build's own rule for .gongkai-cache/

        self.root = root
        self._base = os.fspath(root)
        self.path = root / CHECK_FILE
        # a cache folder that is a link or a file is never read or written (build reports E025)
        self.secret = None if cache_problems(root, self.path.parent.parent) else _secret()
        try:
            config = (root / CONFIG_FILE).read_bytes()
        except OSError:
            config = b""
        self.key = hashlib.sha256(
            f"{LAYOUT}|{code_fingerprint()}|{config_ok}|".encode() + hashlib.sha256(config).digest()
        ).hexdigest()
        # rel -> (kind, SHA-256 of the bytes, attachment dependencies, pickled _Loaded without its
        # source and body, stat, pickled SourceFile without its body, how to cut the body again:
        # (body_line, cut, SHA-256 of the body, whether the item's body is the source's))
        self.files: dict[str, Record] = {}
        self.started = time.time_ns()  # before any file is read (see digest)
        self.written = 0  # when the run that wrote the cache started
        self.stats: dict[str, Stat] = {}  # rel -> its stat after it was read in this run
        self.seen: set[str] = set()
        self.changed = False
        self.hits = 0
        # the cross-file checks' results of the last run (see project._load_project):
        # (key, pickled (diagnostics, deadline diagnostics, deadlines)); used when the key is
        self.cross_key = b""
        self.cross_blob = b""
        self.cross_hits = 0
        self.base_mac = b""  # the signature of the whole file read
        self.base: dict[str, Record] = {}  # its results (before the delta file's were applied)
        # attachment (absolute path) -> (its stat after it was hashed, SHA-256 hex): the checks'
        # attachment hashes (checks/crossref.py), not hashed again while the stat is the same
        # (the rule of digest); those of this run's attachments are written (see file_sha)
        self.hashes: dict[str, tuple[Stat, str]] = {}
        self.new_hashes: dict[str, tuple[Stat, str]] = {}
        self._load()

    def _read(self, path: Path) -> tuple[bytes, Any] | None:
        """The signature and contents of a signed cache file of this configuration and gongkai."""
        assert self.secret is not None
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        mac, blob = raw[:_MAC], memoryview(raw)[_MAC:]  # (not a copy of some 300 MB at 100k files)
        if len(raw) < _MAC or not hmac.compare_digest(mac, hmac.new(self.secret, blob, "sha256").digest()):
            return None
        try:
            data = pickle.loads(blob)
        except Exception:  # a signed file that does not load: start afresh
            return None
        if isinstance(data, dict) and data.get("key") == self.key and isinstance(data.get("files"), dict):
            return mac, data
        return None

    def _load(self) -> None:
        if self.secret is None:
            return
        found = self._read(self.path)
        if found is None:
            return
        self.base_mac, data = found
        self.files = data["files"]
        self.base = dict(self.files)
        self.written = int(data.get("written", 0))
        cross = data.get("cross")
        # the results changed since (see save): only on top of the file they were written for
        delta = self._read(self.path.with_name(DELTA_NAME))
        if delta is not None and delta[1].get("base") == self.base_mac:
            data = delta[1]
            self.files.update(data["files"])
            for rel in data.get("gone", ()):
                self.files.pop(rel, None)
            self.written = int(data.get("written", 0))
            cross = data.get("cross")
        if isinstance(cross, tuple) and len(cross) == 2:
            self.cross_key, self.cross_blob = cross
        hashes = data.get("hashes")
        if isinstance(hashes, dict):
            self.hashes = hashes

    def _settled(self, recorded: Stat, sig: Stat) -> bool:
        """A file whose stat is ``sig`` is unchanged since ``recorded`` was taken: the same size,
        times, inode and device, last modified or changed more than RACY_NS before the
        recording run began (a change sets its change time to the clock)."""
        return tuple(recorded) == sig and max(sig[1], sig[2]) < self.written - RACY_NS

    def size_of(self, rel: str) -> int:
        """The size ``rel`` had when its result was recorded, or -1 (a hint for reading it)."""
        stored = self.files.get(rel)
        return stored[4][0] if stored is not None else -1

    def digest(self, rel: str, raw: bytes, st: os.stat_result | None) -> bytes:
        """SHA-256 of ``raw``, the bytes of ``rel`` just read; ``st``: its ``stat`` taken after reading.

        When the size, times, inode and device are those recorded with the file's result,
        and it was last modified or changed more than RACY_NS before the recording run
        began, it cannot have changed since (a change sets its change time to the clock):
        the recorded hash is returned without hashing. Otherwise ``raw`` is hashed.
        """
        if st is None:
            return hashlib.sha256(raw).digest()
        sig = _stat(st)
        self.stats[rel] = sig
        stored = self.files.get(rel)
        if stored is not None and st.st_size == len(raw) and self._settled(stored[4], sig):
            return stored[1]
        return hashlib.sha256(raw).digest()

    def file_sha(self, path: Path) -> str:
        """The SHA-256 (hex) of the attachment at ``path``, as ``checks.crossref._sha256`` gives it.

        Not hashed again when its stat is the one recorded after it was last hashed and it
        was last modified or changed more than RACY_NS before that run began (see digest).
        Raises OSError as hashing does.
        """
        from generator.checks.crossref import _sha256

        key = os.fspath(path)
        sig = _stat(os.stat(key))
        known = self.hashes.get(key)
        if known is not None and self._settled(known[0], sig):
            sha = known[1]
        else:
            sha = _sha256(path)
            sig = _stat(os.stat(key))  # after hashing: a change meanwhile is seen next time
        self.new_hashes[key] = (sig, sha)
        return sha

    def lookup(self, kind: str, rel: str, sha: bytes, raw: bytes) -> _Loaded | None:
        """The stored result for this file's bytes (``raw``, whose SHA-256 is ``sha``), if still valid.

        Its source file is left pickled (``deferred``): the cross-file checks ask for few.
        """
        self.seen.add(rel)
        stored = self.files.get(rel)
        if stored is None or stored[0] != kind or stored[1] != sha:
            return None
        body_line, cut, want, _ = stored[6]
        return self._hit(stored, lambda: _body_of(body_line, rel, raw, cut, want))

    def settled(self, kind: str, rel: str) -> _Loaded | None:
        """The stored result for ``rel`` when its ``stat`` shows it unchanged (the rule of
        :meth:`digest`), without reading the file: its body is read when first asked for
        (:class:`LazyBody`, which fails if it is not the body checked). None: read it."""
        stored = self.files.get(rel)
        if stored is None or stored[0] != kind:
            return None
        try:
            st = os.stat(f"{self._base}/{rel}")
        except OSError:
            return None
        sig = _stat(st)
        if not self._settled(stored[4], sig):
            return None
        self.seen.add(rel)
        self.stats[rel] = sig
        body_line, cut, want, _ = stored[6]
        return self._hit(stored, lambda: LazyBody(f"{self._base}/{rel}", rel, body_line, cut, want) if cut else "")

    def _hit(self, stored: Record, body_of: Callable[[], str | LazyBody | None]) -> _Loaded | None:
        for base, file, h in stored[2]:
            if attachment_hash(self.root, base, file) != h:
                return None
        try:
            loaded = _unflat(stored[3])
            body = body_of()
        except Exception:
            return None
        if body is None:
            return None
        if stored[6][3] and loaded.item is not None:
            object.__setattr__(loaded.item, "body", body)
        loaded.deferred = (stored[5], body)
        self.hits += 1
        return loaded

    def store(self, loaded: _Loaded) -> None:
        rel = loaded.ref.rel
        self.seen.add(rel)
        packed = loaded.packed
        if packed is None and loaded.src is not None and loaded.digest is not None and loaded.ref.problem is None:
            packed = pack(self.root, loaded)
        if loaded.digest is None or loaded.ref.problem is not None or packed is None:
            if self.files.pop(rel, None) is not None:
                self.changed = True
            return
        deps, blob, src_blob, cut = packed
        sig = self.stats.get(rel, (-1, -1, -1, -1, -1))
        self.files[rel] = (loaded.ref.kind, loaded.digest, deps, blob, sig, src_blob, cut)
        self.changed = True

    def cross(self, key: bytes) -> Any:
        """The cross-file results recorded under ``key``, or None."""
        if not self.cross_key or self.cross_key != key:
            return None
        try:
            found = pickle.loads(self.cross_blob)
        except Exception:
            return None
        self.cross_hits += 1
        return found

    def keep_cross(self, key: bytes, found: Any) -> None:
        self.cross_key = key
        self.cross_blob = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        self.changed = True

    def save(self) -> None:
        """Write the results of the files seen in this run (others are dropped); never raises."""
        gone = set(self.files) - self.seen
        for rel, sig in self.stats.items():  # record the stat of files found unchanged by their bytes
            stored = self.files.get(rel)
            if stored is not None and stored[4] != sig:
                self.files[rel] = (*stored[:4], sig, *stored[5:])
                self.changed = True
        if self.new_hashes != self.hashes:
            self.changed = True
        if self.secret is None or not (self.changed or gone):
            return
        for rel in gone:
            del self.files[rel]
        data: dict[str, Any] = {
            "key": self.key,
            "written": self.started,
            "cross": (self.cross_key, self.cross_blob),
            "hashes": self.new_hashes,
        }
        # Few results changed since the whole file was written: those go to a small second
        # file, bound to the whole one by its signature (rewriting every file's result for
        # one edited file would be a tenth of a warm check).
        base = self.base
        changed = {rel: record for rel, record in self.files.items() if base.get(rel) is not record}
        gone = set(base).difference(self.files)
        delta = self.path.with_name(DELTA_NAME)
        if self.base_mac and len(changed) + len(gone) <= max(DELTA_MIN, len(self.files) // 8):
            data.update(base=self.base_mac, files=changed, gone=sorted(gone))
            self._write(delta, data)
            return
        data["files"] = self.files
        if self._write(self.path, data):
            # an older delta is bound to the file just replaced: it is never applied again
            with contextlib.suppress(OSError):
                delta.unlink(missing_ok=True)

    def _write(self, path: Path, data: dict[str, Any]) -> bool:
        """Write and sign ``data`` at ``path`` through a temporary file (never half a file)."""
        assert self.secret is not None
        blob = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        mac = hmac.new(self.secret, blob, "sha256").digest()
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                fh.write(mac)
                fh.write(blob)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            return False
        return True
