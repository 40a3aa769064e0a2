"""Cache keys of a build: the whole site's inputs, a finished page's, and the source files' stamps.

* :func:`inputs_key` — everything a build's output is made from; equal to the last
  build's, the site in place is already the output (:func:`unchanged_site`);
* :func:`page_key` — everything a finished page's HTML is made from (see
  :mod:`generator.site.cache`);
* :func:`source_stamps` — sizes and times of the sources, so an edit is seen from a
  ``stat`` before anything is read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from generator import __version__
from generator.ownership import cache_problems, target_problems
from generator.project import read_inputs
from generator.site.cache import CACHE_DIR, LAYOUT, BuildCache, digest, stamps
from generator.site.engine import engine_date, front_matter, page_content
from generator.site.pagetypes import StagedPage
from generator.site.result import BuildStats
from generator.site.themes import theme_digest
from generator.source.files import CONFIG_FILE, is_attachment_path

DIGESTS = "digests.json"  # see Digests


def inputs_key(root: Path, inputs: str, build_date: dt.date, target: Path, known: Digests | None = None) -> str:
    """Everything a build's output is made from: when it equals the last build's, so does the output.

    ``inputs`` (site_config.yml and every source, see :func:`generator.project.source_digest`),
    every other file below catalogue/ and content/ (attachments, media), the theme
    overrides, gongkai's own code, the engine packages' versions, the build dates and
    the target folder. ``known``: digests remembered from earlier builds (see :class:`Digests`).
    """
    from importlib.metadata import version

    sha = known or file_digest
    package = Path(__file__).resolve().parents[1]
    parts: list[str | bytes] = ["gongkai-build-2", inputs, build_date.isoformat(), engine_date(), str(target)]
    parts += [f"{p}={version(p)}" for p in ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pyyaml")]
    parts += [__version__, theme_digest(root)]  # the shipped theme with the site's theme/ layered over it
    for rel in _files(package, ".py"):
        parts += [rel, sha(package / rel)]
    for top in ("catalogue", "content"):
        for rel in _files(root / top, sources=top):  # the sources are in ``inputs``
            rel = f"{top}/{rel}"
            parts += [rel, sha(root / rel)]
    if known is not None:
        known.save()
    return digest(*parts)


def _files(folder: Path, suffix: str = "", sources: str = "") -> list[str]:
    """Files below ``folder`` (relative, in ``sorted(folder.rglob("*"))`` order): links to files
    count, links to folders are not entered (as ``rglob``).

    ``sources``: ``folder``'s path in the project (``catalogue`` or ``content``): its Markdown
    sources are left out (a ``.md`` file outside the attachment folders, see
    :func:`~generator.source.files.is_attachment_path`), without a string or a sort for each.
    """
    found: list[str] = []
    todo = [(os.fspath(folder), "")]
    while todo:
        path, prefix = todo.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        # a file is an attachment when its folder is in an attachment folder (or is one)
        skip_md = bool(sources) and not is_attachment_path(f"{sources}/{prefix}")
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    todo.append((entry.path, f"{prefix}{entry.name}/"))
                elif skip_md and entry.name.endswith(".md"):
                    continue
                elif entry.is_file() and entry.name.endswith(suffix):
                    found.append(prefix + entry.name)
            except OSError:
                continue
    return sorted(found, key=lambda rel: rel.split("/"))


def file_digest(path: Path) -> str:
    """SHA-256 of a file read in chunks (a 2.5 GB video never sits in memory).

    A file that cannot be read (an editor's lock file ``~$通知.docx`` with mode 000) is
    keyed by its size and time instead: nobody references it (``check`` reports a
    referenced one, E027), so it must not stop the build.
    """
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except OSError:
        try:
            st = path.stat()
        except OSError:
            return "missing"
        return f"unreadable:{st.st_size}:{st.st_mtime_ns}"
    return h.hexdigest()


class Digests:
    """SHA-256 of files remembered by their ``stat`` (size, times, inode), as git's index does.

    A file whose size, modification and change times, inode and device are those recorded
    is not read again, unless it was modified or changed within :data:`RACY_NS` before the
    run that recorded it began (or later): a change in the same time stamp granule as the
    one recorded would not show in its ``stat``, so such a file is hashed again (git's
    "racy" rule, with a margin for coarse file system clocks).
    """

    RACY_NS = 2_000_000_000

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started = time.time_ns()  # before anything is read: the time the next run compares with
        self.written = 0
        self.old: dict[str, list[Any]] = {}
        self.new: dict[str, list[Any]] = {}
        self.dirty = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.written = int(data["written"])
            self.old = {str(k): list(v) for k, v in data["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.written, self.old = 0, {}

    def __call__(self, path: Path) -> str:
        name = os.fspath(path)
        try:
            st = os.stat(name)
        except OSError:
            return file_digest(path)
        sig: list[Any] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]
        old = self.old.get(name)
        if old is not None and old[:5] == sig and max(st.st_mtime_ns, st.st_ctime_ns) < self.written - self.RACY_NS:
            self.new[name] = old
            return str(old[5])
        sha = file_digest(path)
        if ":" not in sha and sha != "missing":  # unreadable files are keyed by their stat already
            self.new[name] = [*sig, sha]
            self.dirty = True
        return sha

    def save(self) -> None:
        """Keep what was hashed in this run (files not seen are dropped); never raises."""
        if not self.dirty and self.new.keys() == self.old.keys():
            return
        data = {"written": self.started, "files": self.new}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)


def known_digests(root: Path) -> Digests:
    """The digests remembered in the build cache of the project at ``root``."""
    return Digests(root / CACHE_DIR / LAYOUT / DIGESTS)


def source_stamps(root: Path) -> dict[str, list[int]]:
    """Sizes and times of site_config.yml and of every file below catalogue/ and content/."""
    return stamps(root, ("catalogue", "content"), (CONFIG_FILE,))


def unchanged_site(
    root: Path, target: Path, build_date: dt.date, seen: dict[str, list[int]] | None = None
) -> BuildStats | None:
    """The last build's stats if ``target`` still holds its output and no input has changed since.

    Only builds without any diagnostic are remembered, so skipping the check here
    never hides a warning. Costs one read of the sources and a ``stat`` of the output.
    ``seen``: filled with the sources' stamps taken here, for the build that follows to record
    (``build_site(sources=…)``) instead of walking the sources again.
    """
    if target_problems(root, target) or cache_problems(root, root / CACHE_DIR):
        return None  # the build refuses it, with the reason
    target = target.resolve()
    store = BuildCache(root / CACHE_DIR)
    stamped = source_stamps(root)
    if seen is not None:
        seen.update(stamped)
    if store.sources_touched(stamped):
        return None  # an edit seen from the file times alone: no need to read every source twice
    inputs = read_inputs(root)
    if inputs is None:
        return None
    done = store.up_to_date(inputs_key(root, inputs, build_date, target, known_digests(root)), target)
    if done is None:
        return None
    entries, interpretations, pages, notes = done
    return BuildStats(entries, interpretations, pages, notes, reused=pages, unchanged=True)


def page_key(fp: str, page: StagedPage) -> str:
    """The build-cache key of a finished page: everything its HTML is made from."""
    front = json.dumps(front_matter(page), ensure_ascii=False, sort_keys=True)
    return digest(fp, page.url, front, page_content(page))
