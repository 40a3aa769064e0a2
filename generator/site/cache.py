"""The on-disk build cache (``.gongkai-cache/``), content-addressed.

An entry is stored under the SHA-256 of *everything* that decides its bytes: for a
rendered Markdown body, the body text and the renderer's code and versions; for a
finished HTML page, the page's URL, metadata and content and the engine's
fingerprint (settings, package versions, engine code, theme files). A hit can
therefore only return what rendering would have produced; a stale entry is never
looked up again and is pruned after the next successful build. Deleting the folder
is always safe.

Finished pages are hard-linked into the new site folder (a copy when linking is not
possible). Each stored page's size and modification time are recorded in an index;
an entry whose file no longer matches (say, a published page edited in place, which
edits the cache through the link) is treated as missing and rendered again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from generator.parallel import long_lived

CACHE_DIR = ".gongkai-cache"
LAYOUT = "v1"
LAST_BUILD = "last-build.json"  # the inputs and digests of the output listing and source times of the last build
STAMPS = "stamps.txt"  # linked entries' sizes and times (see BuildCache.save_stamps)
_STAMPS_HEADER = "gongkai-stamps-1"


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class BuildCache:
    """Files ``<root>/<kind>/<key[:2]>/<key>``; writes are atomic (temporary file + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root / LAYOUT
        self._root = os.fspath(self.root)
        self.used: dict[str, set[str]] = {}
        self._stamps: dict[str, tuple[int, int]] | None = None  # see stamps
        self.new_stamps: dict[str, tuple[int, int]] = {}
        self.made: set[str] = set()  # folders made by _place in this build
        # where place() notes entries instead of linking them (a standby site: publish.Standby);
        # set by the build only in its own process, never while worker processes are forked
        self.into: dict[str, tuple[str, int, int]] | None = None

    @property
    def stamps(self) -> dict[str, tuple[int, int]]:
        """Linked entries: key -> (size, mtime_ns), as the last build left them (see
        :meth:`save_stamps`). Read when first asked for: a build that places nothing (or
        :func:`~generator.site.keys.unchanged_site`) never reads the 200k+ lines of a large site."""
        if self._stamps is None:
            # 230k tuples at 100k entries: a full collection meanwhile walked the whole
            # heap (the project's too) for 0.8 CPU-s
            with long_lived():
                self._stamps = _read_stamps(self.root / STAMPS)
        return self._stamps

    def path(self, kind: str, key: str) -> Path:
        return Path(self._file(kind, key))

    def _file(self, kind: str, key: str) -> str:
        return f"{self._root}/{kind}/{key[:2]}/{key}"  # a plain string: called once or twice per page

    def get(self, kind: str, key: str) -> bytes | None:
        self.used.setdefault(kind, set()).add(key)
        try:
            with open(self._file(kind, key), "rb") as fh:
                return fh.read()
        except OSError:
            return None

    def put(self, kind: str, key: str, data: bytes) -> Path:
        self.used.setdefault(kind, set()).add(key)
        path = self.path(kind, key)
        tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
        os.replace(tmp, path)
        return path

    def publish(self, kind: str, key: str, data: bytes, dest: Path) -> None:
        """Store ``data`` and place it at ``dest`` (a hard link to the stored file)."""
        stored = self.put(kind, key, data)
        _place(stored, dest, self.made)
        st = stored.stat()
        self.new_stamps[key] = (st.st_size, st.st_mtime_ns)

    def place(self, kind: str, key: str, dest: Path | str, into: dict[str, tuple[str, int, int]] | None = None) -> bool:
        """Put a stored entry at ``dest``; ``False`` when there is none or it was altered.

        ``into`` (default :attr:`into`): instead of linking it, note ``dest`` → (the stored file,
        its device, its inode) there (a standby site gets it, see :class:`generator.site.publish.Standby`).
        """
        self.used.setdefault(kind, set()).add(key)
        stored = self._file(kind, key)
        try:
            st = os.stat(stored)
        except OSError:
            return False
        if self.stamps.get(key) != (st.st_size, st.st_mtime_ns):
            return False
        if into is None:
            into = self.into
        if into is not None:
            into[os.fspath(dest)] = (stored, st.st_dev, st.st_ino)
        else:
            _place(stored, dest, self.made)
        self.new_stamps[key] = (st.st_size, st.st_mtime_ns)
        return True

    def stamp_of(self, stored: str) -> tuple[int, int] | None:
        """The size and time this build found (or gave) the stored file at ``stored`` to have."""
        if not stored.startswith(self._root + "/"):
            return None
        return self.new_stamps.get(stored.rpartition("/")[2])

    def save_stamps(self, stamps: dict[str, tuple[int, int]]) -> None:
        """Record ``stamps`` (what the next build's :attr:`stamps` will be); not rewritten when
        they are the ones read."""
        if stamps == self.stamps and (self.root / STAMPS).is_file():
            return
        _write_stamps(self.root / STAMPS, stamps)

    # -- the whole site ------------------------------------------------------
    def record(
        self,
        inputs: str,
        target: Path,
        stats: list[object],
        sources: dict[str, list[int]] | None = None,
        listing: dict[str, list[int]] | None = None,
    ) -> None:
        """Remember the inputs of the build now in ``target`` and its files' sizes and times.

        ``sources``: the sizes and times of the source files (see :func:`stamps`), so that a
        later build sees an edit from a ``stat`` instead of reading every file. ``listing``:
        ``target``'s files as :func:`_listing` would find them, when the build knows them
        (:meth:`generator.site.publish.Standby.sync`); a wrong one only makes the next
        :meth:`up_to_date` find the site changed.
        """
        data: dict[str, Any] = {
            "inputs": inputs,
            "target": str(target),
            "stats": stats,
            "files": listing_digest(listing if listing is not None else _listing(target)),
        }
        if sources is not None:
            data["sources"] = listing_digest(sources)
        _replace(self.root / LAST_BUILD, json.dumps(data, ensure_ascii=False))

    def _last_build(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.root / LAST_BUILD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def sources_touched(self, sources: dict[str, list[int]]) -> bool:
        """True when a source file's size or time differs from the last build's (or is unknown).

        False proves nothing (a file can change within the same time stamp): the caller
        then compares contents.
        """
        data = self._last_build()
        return data is None or data.get("sources") != listing_digest(sources)

    def refresh_sources(self, sources: dict[str, list[int]]) -> None:
        """Record new source times for the last build (its inputs were just found unchanged)."""
        data = self._last_build()
        known = listing_digest(sources)
        if data is None or data.get("sources") == known:
            return
        data["sources"] = known
        _replace(self.root / LAST_BUILD, json.dumps(data, ensure_ascii=False))

    def up_to_date(self, inputs: str, target: Path) -> tuple[int, int, int, tuple[str, ...]] | None:
        """The last build's stats when ``target`` holds its untouched output of the same inputs."""
        data = self._last_build()
        if data is None or data.get("inputs") != inputs or data.get("target") != str(target) or not target.is_dir():
            return None
        if listing_digest(_listing(target)) != data.get("files"):
            return None
        entries, interpretations, pages, warnings = data["stats"]
        return int(entries), int(interpretations), int(pages), tuple(str(w) for w in warnings)

    def prune(self, used: dict[str, set[str]]) -> int:
        """Delete entries of the given kinds that the last build did not use; return how many."""
        removed = 0
        for kind, keep in used.items():
            folder = self.root / kind
            if not folder.is_dir():
                continue
            base = os.fspath(folder)
            for sub in os.listdir(base):  # plain names and set operations: a large site has 100k+ entries
                try:
                    names = os.listdir(f"{base}/{sub}")
                except NotADirectoryError:
                    continue
                for name in set(names).difference(keep):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(f"{base}/{sub}/{name}")
                    removed += 1
        return removed


def _write_stamps(path: Path, stamps: dict[str, tuple[int, int]]) -> None:
    """One line per entry, ``key size mtime_ns``, after a header with their count (a JSON
    object of 100k+ entries took seconds to write and to read back)."""
    lines = [f"{_STAMPS_HEADER} {len(stamps)}\n"]
    lines += [f"{key} {size} {mtime}\n" for key, (size, mtime) in stamps.items()]
    _replace(path, "".join(lines))


def _read_stamps(path: Path) -> dict[str, tuple[int, int]]:
    """What :func:`_write_stamps` wrote; empty when the file is missing or not whole (every
    entry then counts as altered: rendered again, never trusted)."""
    try:
        parts = path.read_text(encoding="utf-8").split()
        if len(parts) < 2 or parts[0] != _STAMPS_HEADER or len(parts) != 3 * int(parts[1]) + 2:
            return {}
        return dict(zip(parts[2::3], zip(map(int, parts[3::3]), map(int, parts[4::3]), strict=True), strict=True))
    except (OSError, ValueError):
        return {}


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def stamps(root: Path, folders: tuple[str, ...], files: tuple[str, ...]) -> dict[str, list[int]]:
    """Sizes and times of ``files`` and of every file below ``folders`` of ``root``."""
    out: dict[str, list[int]] = {}
    for name in files:
        try:
            st = (root / name).stat()
            out[name] = [st.st_size, st.st_mtime_ns]
        except OSError:
            pass
    for name in folders:
        if (root / name).is_dir():
            out.update({f"{name}/{rel}": v for rel, v in _listing(root / name).items()})
    return out


def listing_digest(listing: dict[str, list[int]]) -> str:
    """A digest of a listing of sizes and times (:func:`stamps`, :func:`_listing`): what the last
    build remembers of them, as it only ever compares them whole (no 40k-entry JSON to write and read)."""
    text = "\n".join(f"{name}\0{size}\0{mtime}" for name, (size, mtime) in sorted(listing.items()))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _listing(root: Path) -> dict[str, list[int]]:
    """Every file below ``root``: relative path → [size, mtime in ns]."""
    out: dict[str, list[int]] = {}
    todo = [(os.fspath(root), "")]  # plain strings: a large site has a folder for every page
    while todo:
        folder, prefix = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    todo.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    st = entry.stat(follow_symlinks=False)
                    out[prefix + entry.name] = [st.st_size, st.st_mtime_ns]
    return out


def _place(stored: Path | str, dest: Path | str, made: set[str] | None = None) -> None:
    """Link ``stored`` at ``dest`` (a copy across file systems), making its folder first.

    ``made``: the folders this build has made, so that each is made once and no link is
    tried before its folder exists (a fresh site has a new folder for every page).
    """
    parent = os.path.dirname(dest)
    if made is None or parent not in made:
        _folder(parent)
        if made is not None:
            made.add(parent)
    try:
        os.link(stored, dest)
    except FileNotFoundError:  # the folder went away since it was made
        _folder(parent)
        os.link(stored, dest)
    except OSError:  # another filesystem, or links not allowed: copy
        shutil.copyfile(stored, dest)


def _folder(path: str) -> None:
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)
