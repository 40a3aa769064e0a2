"""Build orchestration: public catalogue → staging tree → engine → atomic swap into site/.

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
import itertools
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from generator.checks.diagnostics import Diagnostic
from generator.project import Project
from generator.site import urls as U
from generator.site.body import BodyError
from generator.site.engine import EngineError, engine_config, run_engine, theme_dir, write_docs
from generator.site.outputs import OUTPUT_WRITERS, PAGE_SOURCES
from generator.site.pages import PageBuilder
from generator.site.reproducible import engine_clock

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locking
    fcntl = None  # type: ignore[assignment]


class BuildError(Exception):
    """The build failed; the previous site is untouched. May carry positioned diagnostics."""

    def __init__(self, message: str, diagnostics: tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


class BuildInterrupted(BaseException):
    """A signal stopped the build. ``swapped`` tells whether the new site was already in place."""

    def __init__(self, signum: int, swapped: bool = False) -> None:
        super().__init__(signum)
        self.signum = signum
        self.swapped = swapped


@dataclass(frozen=True)
class BuildStats:
    entries: int
    interpretations: int
    pages: int
    warnings: tuple[str, ...] = ()


def temp_prefix(target: Path) -> str:
    return f".{target.name}.build-"


def build_site(project: Project, target: Path) -> BuildStats:
    if project.errors:
        raise BuildError("内容检查未通过")
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(target):
        clean_stale(target)
        return _build(project, target)


def _build(project: Project, target: Path) -> BuildStats:
    catalogue = project.public()
    work = Path(tempfile.mkdtemp(prefix=temp_prefix(target), dir=target.parent))
    swapped = False
    try:
        docs, out = work / "docs", work / "site"
        docs.mkdir()
        builder = PageBuilder(catalogue)
        extra = (source(catalogue) for source in PAGE_SOURCES)
        try:
            count = write_docs(itertools.chain(builder.all_pages(), *extra), docs, project.root)
        except BodyError as exc:
            raise BuildError("正文无法排版", (exc.diagnostic,)) from exc
        nav_pages = [(p.title, U.page_url(p.slug)) for p in catalogue.pages if p.nav_order is not None]
        settings = engine_config(project.config, docs, out, nav_pages, theme_dir(project.root))
        with engine_clock(catalogue):
            warnings = run_engine(settings, work / "mkdocs.yml")
        for writer in OUTPUT_WRITERS:
            try:
                writer(catalogue, out)
            except BuildError:
                raise
            except Exception as exc:
                name = getattr(writer, "__name__", repr(writer))
                raise BuildError(f"生成 {name} 时出错：{type(exc).__name__}: {exc}") from exc
        with deferred_signals():
            _swap(out, target, work)
            swapped = True
    except EngineError as exc:
        raise BuildError(str(exc)) from exc
    except BuildInterrupted as exc:
        exc.swapped = swapped
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuildStats(len(catalogue.entries), len(catalogue.interpretations), count, tuple(warnings))


# ---------------------------------------------------------------- the swap
def _swap(new: Path, target: Path, work: Path) -> None:
    """Put ``new`` in place of ``target``; the old site ends up inside ``work``."""
    if target.exists() and _exchange(new, target):
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


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return bool(renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0)


def clean_stale(target: Path) -> list[Path]:
    """Remove temporary folders of killed builds; restore the old site if a swap was cut short."""
    removed: list[Path] = []
    for stale in sorted(target.parent.glob(temp_prefix(target) + "*")):
        if not stale.is_dir() or stale.is_symlink():
            continue
        previous = stale / "previous"
        if not target.exists() and previous.is_dir():
            os.rename(previous, target)
        shutil.rmtree(stale, ignore_errors=True)
        removed.append(stale)
    return removed


@contextmanager
def _exclusive(target: Path) -> Iterator[None]:
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
