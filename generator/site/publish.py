"""The atomic publish: a new site is built beside the target and swapped in whole.

The engine writes into a fresh folder beside the target (``.site.build-*``). Only
when everything succeeded is the new site swapped in, so a failed or interrupted
build leaves the previous site byte for byte as it was:

* the swap is one ``renameat2(RENAME_EXCHANGE)`` on Linux — at every instant
  ``site/`` is either the complete old site or the complete new one; elsewhere
  (or on file systems without it) two renames, with recovery on the next build;
* SIGINT/SIGTERM arriving during the swap are held back until it is done;
* a lock on the parent folder keeps two builds of the same target apart, and
  the next build removes temporary folders left by a build that was killed
  (SIGKILL, power loss), restoring the old site if it was caught mid-swap.

The standby (double buffer). After the swap the previous site is not deleted: it is kept
beside the target as ``.site.standby/site`` (a folder marked as the build's own, with a
record naming its target). The next build links its reused pages into the standby rather
than into a fresh tree, and brings the standby to exactly the new site in place
(:meth:`Standby.sync`): a file whose inode is already the wanted one is kept (same inode,
same bytes), any other is unlinked and the wanted file linked or renamed in — a file is
never written in place, since the standby's files share inodes with the live site and the
build cache. The standby is then exchanged with the target and the old site becomes the
next standby. Publishing costs what changed, not a new folder and link per page.

* before the first change to the standby its record is removed (durably): a build killed
  or failing during the sync leaves a standby without record, which the next build
  discards (deleted in the background) before building along the fresh path;
* the sync compares the standby's *whole* tree (one ``scandir`` per folder, inodes from the
  directory entries) with the wanted listing, so a standby edited by hand is corrected,
  never published as it is;
* the live site is never written: the standby is another tree, and only renames, links and
  unlinks inside it are made before the swap.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from generator.ownership import WORK_MARKER, mark_work, owned_work
from generator.parallel import Forked
from generator.site.cache import _place
from generator.site.result import BuildError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locking
    fcntl = None  # type: ignore[assignment]

# Deleting the previous site (one folder and one file per page) takes seconds at 10k
# pages; from this many pages on it is left to a background process.
BACKGROUND_DELETE_PAGES = 2000


class BuildInterrupted(BaseException):
    """A signal stopped the build. ``swapped`` tells whether the new site was already in place."""

    def __init__(self, signum: int, swapped: bool = False) -> None:
        super().__init__(signum)
        self.signum = signum
        self.swapped = swapped


def temp_prefix(target: Path) -> str:
    return f".{target.name}.build-"


def _mark_prefix(target: Path) -> str:
    return f".{target.name}.mark-"


def new_work(target: Path) -> Path:
    """Create the build's scratch folder beside ``target``, already marked as the build's own.

    The folder is made under a name :func:`clean_stale` does not take for a build
    (``.site.mark-…``), marked, and only then renamed to ``.site.build-…``: a build killed at
    any instant leaves no unmarked ``.build-`` folder behind, and a ``.mark-`` folder it may
    leave holds nothing but the marker (the next build removes it).
    """
    fresh = Path(tempfile.mkdtemp(prefix=_mark_prefix(target), dir=target.parent))
    mark_work(fresh)
    work = fresh.with_name(temp_prefix(target) + fresh.name[len(_mark_prefix(target)) :])
    if work.exists() or work.is_symlink():  # pragma: no cover - mkdtemp's name taken by hand
        shutil.rmtree(fresh)
        raise FileExistsError(work)
    os.rename(fresh, work)
    return work


def discard(work: Path, background: bool) -> None:
    """Delete the build's scratch folder (holding the previous site after a swap)."""
    rm = shutil.which("rm")
    if background and rm:
        trash = work.with_name(work.name.replace(".build-", ".trash-", 1))
        try:
            os.rename(work, trash)
            subprocess.Popen(
                [rm, "-rf", "--", str(trash)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            return
        except OSError:
            pass
    shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------- the swap
def swap(new: Path, target: Path, work: Path) -> None:
    """Put ``new`` in place of ``target``; the old site ends up inside ``work``."""
    if target.exists() and exchange(new, target):
        return
    old = work / "previous"
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        if old.exists():
            os.rename(old, target)
        raise


def exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return bool(renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0)


# ------------------------------------------------------------------ the standby
STANDBY_RECORD = "standby.json"  # present only while the standby holds a complete published site


def standby_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.standby")


@dataclass
class SyncCounts:
    """What :meth:`Standby.sync` did: files kept as they were, put in, removed; folders moved in whole."""

    kept: int = 0
    put: int = 0
    removed: int = 0
    folders: int = 0


class Standby:
    """The site before the live one, kept beside the target to become the next site in place.

    ``pages``: the reused pages a build puts in the standby instead of its fresh folder
    (the path the page has in the fresh folder → the stored file, its device and inode);
    see :meth:`generator.site.cache.BuildCache.place`.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.site = folder / "site"
        self.pages: dict[str, tuple[str, int, int]] = {}
        self.counts = SyncCounts()
        self.whole = True  # the build's fresh folder still holds all it wrote (see sync)
        self.listing: dict[str, list[int]] | None = None  # the synced site's files (see sync)
        self.stamp_of: Callable[[str], tuple[int, int] | None] | None = None
        self._have: tuple[dict[str, int], set[str]] | None = None  # see scan
        self._scanning: Forked[tuple[dict[str, int], set[str]]] | None = None  # see scan_beside

    def scan_beside(self) -> None:
        """Start reading the standby's tree in a forked process (:class:`generator.parallel.Forked`):
        a folder read for every page of the site, off the build's own path; :meth:`scan` takes
        the result. The same rule as for :meth:`scan`: nothing may change the standby from
        here until the sync. Where forking is not possible, :meth:`scan` reads it then."""
        self.cancel_scan()
        self._scanning = Forked(_scan, os.fspath(self.site))

    def cancel_scan(self) -> None:
        """End a scan started by :meth:`scan_beside` whose result is not wanted (never raises)."""
        if self._scanning is not None:
            self._scanning.cancel()
            self._scanning = None

    def scan(self) -> None:
        """Read the standby's tree now (or take what :meth:`scan_beside` read), for :meth:`sync`
        (the build may do it while it waits for something else). Nothing may change the standby
        between this and the sync: the build only notes what goes there (:attr:`pages`) until then."""
        scanning, self._scanning = self._scanning, None
        self._have = scanning.result() if scanning is not None else _scan(os.fspath(self.site))

    @classmethod
    def take(cls, target: Path) -> Standby | None:
        """The target's standby when it can be used; one that cannot is discarded (if it is ours)."""
        folder = standby_path(target)
        if not folder.exists() and not folder.is_symlink():
            return None
        if not owned_work(folder):
            return None  # not ours: never touched (and no standby is kept while it is there)
        site = folder / "site"
        try:
            record = json.loads((folder / STANDBY_RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = None
        if (
            not isinstance(record, dict)
            or record.get("target") != os.fspath(target)
            or site.is_symlink()
            or not site.is_dir()
        ):
            drop_standby(target)
            return None
        return cls(folder)

    def sync(self, out: Path) -> Path:
        """Make the standby's site exactly ``out`` plus :attr:`pages`; return it, ready to swap in.

        :attr:`stamp_of`: the size and modification time of a stored file (a page's source), when
        the caller has just taken them; with it, :attr:`listing` is set to every file of the
        synced site with its size and time, as :func:`generator.site.cache._listing` would find
        them, ``stat``-ing only the files the build wrote, copied or has no stamp of.

        ``out`` is the build's fresh folder. A file the standby already has under the same
        inode is kept; any other is unlinked, and the wanted one linked in from ``out`` or the
        cache. A folder of ``out`` with nothing to keep or place below it (say, a search index
        rewritten whole) is moved in as one, last, and what the standby had there moved out
        into ``out``'s parent (deleted with the scratch folder). Until then ``out`` is whole, so
        that on an error the caller can publish it instead (see :meth:`fill`).
        """
        _unlink_durably(self.folder / STANDBY_RECORD)  # dirty from here until the next record
        site, base = os.fspath(self.site), os.fspath(out)
        dev = os.stat(site).st_dev
        # rel -> (source, inode, source is in out); the pages' inode -1 when on another device
        want: dict[str, tuple[str, int, bool]] = {}
        page_dirs: set[str] = set()
        prefix = base + "/"
        cut = len(prefix)
        for dest, (stored, sdev, ino) in self.pages.items():
            if not dest.startswith(prefix):
                raise ValueError(f"page outside the new site: {dest}")
            rel = dest[cut:]
            want[rel] = (stored, ino if sdev == dev else -1, False)
            parent = rel.rpartition("/")[0]
            if parent and parent not in page_dirs:
                _ancestors(rel, page_dirs)
        out_files, out_dirs = _scan(base)
        want_dirs = out_dirs | page_dirs
        for rel, ino in out_files.items():
            want[rel] = (f"{base}/{rel}", ino, True)  # what the build wrote wins
        if self._have is None:
            self.scan()
        assert self._have is not None
        have, have_dirs = self._have
        self._have = None
        kept = {
            rel for rel, ino in have.items() if ino >= 0 and (wanted := want.get(rel)) is not None and wanted[1] == ino
        }
        # the folders of kept files: a page's are all in page_dirs, so only the build's own
        # files (few) can keep a folder of out that no page is in
        kept_dirs: set[str] = set()
        for rel in kept.intersection(out_files):
            _ancestors(rel, kept_dirs)
        moved: set[str] = set()  # folders of out moved in whole
        for rel in sorted(out_dirs - page_dirs - kept_dirs, key=len):  # shallowest first
            if not _within(rel, moved):
                moved.add(rel)
        counts = self.counts
        counts.kept = len(kept)
        copied: set[str] = set()
        gone = have.keys() - kept
        counts.removed += len(gone)
        for rel in gone:
            if not moved or not _within(rel, moved):
                os.unlink(f"{site}/{rel}")
        for rel in sorted(have_dirs - want_dirs, key=len, reverse=True):  # deepest first
            if _within(rel, moved):
                continue
            try:
                os.rmdir(f"{site}/{rel}")
            except FileNotFoundError:
                pass
            except OSError:
                shutil.rmtree(f"{site}/{rel}", ignore_errors=True)
        for rel in sorted(want_dirs - have_dirs, key=len):  # shallowest first
            if not _within(rel, moved) and rel not in moved:
                os.mkdir(f"{site}/{rel}")
        put = want.keys() - kept
        counts.put += len(put)
        for rel in put:
            if moved and _within(rel, moved):
                continue
            source, _ino, written = want[rel]
            dest = f"{site}/{rel}"
            if written:
                os.link(source, dest, follow_symlinks=False)
            else:
                try:
                    os.link(source, dest)
                except OSError:  # another file system, or links not allowed: copy
                    shutil.copyfile(source, dest)
                    copied.add(rel)
        self.whole = False
        counts.folders = len(moved)
        for number, rel in enumerate(sorted(moved)):
            if rel in have_dirs:
                os.rename(f"{site}/{rel}", f"{base}.replaced-{number}")
            os.rename(f"{base}/{rel}", f"{site}/{rel}")
        stamp_of = self.stamp_of
        if stamp_of is not None:
            listing: dict[str, list[int]] = {}
            for rel, (source, _ino, written) in want.items():
                # a page kept or linked in is the stored file itself (the same inode): its stamp
                known = None if written or rel in copied else stamp_of(source)
                if known is None:
                    st = os.lstat(f"{site}/{rel}")
                    known = (st.st_size, st.st_mtime_ns)
                listing[rel] = [known[0], known[1]]
            self.listing = listing
        return self.site

    def fill(self, out: Path) -> bool:
        """Put :attr:`pages` into ``out`` after all (the standby could not be synced): today's
        fresh tree. False when :meth:`sync` got as far as moving folders out of ``out``."""
        if not self.whole:
            return False
        made: set[str] = set()
        for dest, (stored, _dev, _ino) in self.pages.items():
            if not os.path.lexists(dest):
                _place(stored, dest, made)
        return True


def keep_standby(target: Path, old: Path, standby: Standby | None) -> bool:
    """After the swap: keep the previous site (now at ``old``) as the target's standby.

    ``standby``: the standby this build synced and swapped in (its ``site`` is then free or
    already ``old``). Returns whether a standby was kept; when not, ``old`` is left to the caller.
    Never raises: the new site is in place whatever happens here.
    """
    try:
        return _keep(target, old, standby)
    except OSError:
        return False


def _keep(target: Path, old: Path, standby: Standby | None) -> bool:
    if old.is_symlink() or not old.is_dir():
        return False
    if standby is not None:
        if old != standby.site:
            if standby.site.exists() or standby.site.is_symlink():
                return False
            os.rename(old, standby.site)
        _write_record(standby.folder, target)
        return True
    folder = standby_path(target)
    if folder.exists() or folder.is_symlink():
        return False  # a folder of that name that is not ours (ours was taken or dropped)
    wrapper = new_work(target)  # a marked .build- folder until renamed: a kill leaves nothing unowned
    try:
        os.rename(old, wrapper / "site")
        _write_record(wrapper, target)
        os.rename(wrapper, folder)
    except OSError:
        if (wrapper / "site").is_dir() and not old.exists():
            os.rename(wrapper / "site", old)
        shutil.rmtree(wrapper, ignore_errors=True)
        return False
    return True


def mirror_standby(target: Path) -> bool:
    """After a build that had no previous site to keep (a target built for the first time):
    make the target's standby a tree of links to the live site's files.

    The next build then brings that standby up to date in place (:meth:`Standby.sync`, which
    keeps every file whose inode is already the wanted one) instead of linking a fresh tree of
    every page. The live site is only read: its files get one more link each, never a write.
    The tree is made inside a marked ``.build-`` folder and renamed to the standby's name only
    when complete, with its record: a build killed or failing here leaves no standby (the next
    build removes the folder) and the live site as it was. Returns whether a standby was made;
    never raises for a file-system error (the new site is in place whatever happens here).
    """
    folder = standby_path(target)
    if folder.exists() or folder.is_symlink() or target.is_symlink() or not target.is_dir():
        return False
    try:
        wrapper = new_work(target)
    except OSError:
        return False
    try:
        live = os.fspath(target)
        files, dirs = _scan(live)
        site = os.fspath(wrapper / "site")
        os.mkdir(site)
        for rel in sorted(dirs, key=len):  # a folder's parent is shorter than it
            os.mkdir(f"{site}/{rel}")
        link = os.link
        for rel, ino in files.items():
            if ino >= 0:  # anything but a regular file is left out: the sync puts what is wanted
                link(f"{live}/{rel}", f"{site}/{rel}", follow_symlinks=False)
        _write_record(wrapper, target)
        os.rename(wrapper, folder)
    except OSError:
        shutil.rmtree(wrapper, ignore_errors=True)
        return False
    return True


def drop_standby(target: Path) -> None:
    """Discard the target's standby (deleted in the background), if it is the build's own."""
    folder = standby_path(target)
    if not owned_work(folder):
        return
    with suppress(OSError):
        _unlink_durably(folder / STANDBY_RECORD)
    trash = target.with_name(f"{temp_prefix(target)}standby-{os.urandom(6).hex()}")
    try:
        os.rename(folder, trash)  # a marked .build- folder: clean_stale removes it if we are killed now
    except OSError:
        return
    discard(trash, background=True)


def _write_record(folder: Path, target: Path) -> None:
    tmp = folder / f".{STANDBY_RECORD}.tmp"
    tmp.write_text(json.dumps({"target": os.fspath(target)}), encoding="utf-8")
    os.replace(tmp, folder / STANDBY_RECORD)


def _unlink_durably(path: Path) -> None:
    """Remove ``path`` and make the removal durable (fsync of its folder)."""
    with suppress(FileNotFoundError):
        os.unlink(path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _ancestors(rel: str, into: set[str]) -> None:
    parent = rel.rpartition("/")[0]
    while parent and parent not in into:
        into.add(parent)
        parent = parent.rpartition("/")[0]


def _within(rel: str, folders: set[str]) -> bool:
    """Whether ``rel`` lies below one of ``folders``."""
    parent = rel.rpartition("/")[0]
    while parent:
        if parent in folders:
            return True
        parent = parent.rpartition("/")[0]
    return False


def _scan(root: str) -> tuple[dict[str, int], set[str]]:
    """Every file below ``root`` (relative path → inode, -1 for anything but a regular file) and every folder.

    Inodes come from the directory entries: one ``scandir`` per folder, no ``stat`` per file.
    """
    files: dict[str, int] = {}
    dirs: set[str] = set()
    todo = [(root, "")]
    while todo:
        folder, prefix = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    dirs.add(rel)
                    todo.append((entry.path, rel + "/"))
                else:
                    files[rel] = entry.inode() if entry.is_file(follow_symlinks=False) else -1
    return files, dirs


def clean_stale(target: Path) -> list[Path]:
    """Remove temporary folders of killed builds; restore the old site if a swap was cut short.

    Only folders a build marked as its own (:data:`~generator.ownership.WORK_MARKER`)
    are touched: a look-alike name is never deleted.
    """
    removed: list[Path] = []
    for stale in sorted(target.parent.glob(temp_prefix(target) + "*")):
        if not owned_work(stale):
            continue
        previous = stale / "previous"
        if not target.exists() and not target.is_symlink() and previous.is_dir() and not previous.is_symlink():
            os.rename(previous, target)
        shutil.rmtree(stale, ignore_errors=True)
        removed.append(stale)
    for half in sorted(target.parent.glob(_mark_prefix(target) + "*")):
        # a folder new_work made but could not finish: removed only when it holds no more
        # than the marker (rmdir refuses anything else)
        if half.is_symlink() or not half.is_dir():
            continue
        try:
            names = os.listdir(half)
            if set(names) <= {WORK_MARKER}:
                for name in names:
                    os.unlink(half / name)
                os.rmdir(half)
                removed.append(half)
        except OSError:
            continue
    return removed


@contextmanager
def exclusive(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on the target's parent folder for the whole build."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"另一个构建正在写入 {target}，请等它完成后再试") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


# ------------------------------------------------------------------ signals
_HANDLED = (signal.SIGINT, signal.SIGTERM)


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise BuildInterrupted(signum)


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`BuildInterrupted` (so ``finally`` blocks clean up)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {s: signal.signal(s, _raise_interrupted) for s in _HANDLED}
    try:
        yield
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
