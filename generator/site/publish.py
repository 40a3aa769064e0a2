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
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from generator.ownership import WORK_MARKER, mark_work, owned_work
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


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back while the block runs; deliver them afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    saved = {s: signal.signal(s, lambda signum, frame: pending.append(signum)) for s in _HANDLED}
    try:
        yield
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
        for signum in pending[:1]:
            signal.raise_signal(signum)
