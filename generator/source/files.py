"""Discovering source files of a gongkai project."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

CATALOGUE_DIR = "catalogue"
CONTENT_DIR = "content"
INTERPRETATIONS_DIR = "content/interpretations"
PAGES_DIR = "content/pages"
CONFIG_FILE = "site_config.yml"
# Folders of attachments and media: a Markdown file there is a published file, not a source.
ATTACHMENT_DIRS = ("catalogue/files", "content/files", "content/media")
_ATTACHMENT_PREFIXES = tuple(folder + "/" for folder in ATTACHMENT_DIRS)


def is_attachment_path(rel: str) -> bool:
    """True for a path inside one of :data:`ATTACHMENT_DIRS`."""
    return rel.startswith(_ATTACHMENT_PREFIXES)


@dataclass(frozen=True)
class SourceRef:
    """A Markdown source: its kind, its path relative to the root, and what is wrong with it.

    ``problem`` is ``None`` for a regular file inside the repository, else one of
    :data:`PROBLEMS`: the file must not be read.
    """

    kind: str  # "entry" | "interpretation" | "page"
    rel: str
    problem: str | None = None

    @property
    def outside(self) -> bool:
        return self.problem == "outside"


# problem -> (Chinese reason, English reason) for E016; "outside" is E014.
PROBLEMS = {
    "outside": ("符号链接指向仓库之外", "symbolic link points outside the repository"),
    "dangling": ("符号链接的目标不存在或形成循环", "the symbolic link is broken or loops"),
    "special": ("不是普通文件（例如命名管道或设备）", "not a regular file (e.g. a pipe or a device)"),
    "unreadable": ("没有读取权限", "permission denied"),
}


def kind_of(rel: str) -> str | None:
    if is_attachment_path(rel):
        return None
    if rel.startswith(CATALOGUE_DIR + "/"):
        return "entry"
    if rel.startswith(INTERPRETATIONS_DIR + "/"):
        return "interpretation"
    if rel.startswith(CONTENT_DIR + "/"):
        return "page"
    return None


def discover(root: Path) -> list[SourceRef]:
    """All Markdown sources under catalogue/ and content/, sorted by path.

    Hidden files and folders are skipped, and so are the attachment folders
    (:data:`ATTACHMENT_DIRS`): a ``.md`` attachment is not an entry. Symbolic links are followed only when
    they stay inside ``root``; a link to a folder outside is returned as one
    source with ``problem="outside"`` (nothing beneath it is read), and so are
    broken links and special files (pipes, devices), so the checks can report them
    instead of hanging on a read.
    """
    root_real = root.resolve()
    base = os.fspath(root)
    found: list[SourceRef] = []
    for top in (CATALOGUE_DIR, CONTENT_DIR):
        if os.path.isdir(f"{base}/{top}"):
            _scan(base, top, root_real, found)
    found.sort(key=lambda s: s.rel)
    return found


def _scan(base: str, folder: str, root_real: Path, found: list[SourceRef]) -> None:
    """The sources in ``base/folder`` and below (``folder`` relative to the root), as
    ``os.walk(followlinks=False)`` finds them: plain strings and one ``scandir`` a folder."""
    try:
        with os.scandir(f"{base}/{folder}") as it:
            entries = list(it)
    except OSError:  # an unreadable folder is skipped, as os.walk skips it
        return
    for entry in entries:
        name = entry.name
        rel = f"{folder}/{name}"
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if name.startswith(".") or is_attachment_path(rel + "/"):
                continue
            if entry.is_symlink():  # never walked into; reported when it leaves the root
                if not _inside(Path(entry.path), root_real):
                    found.append(SourceRef(kind_of(rel + "/") or "page", rel, "outside"))
                continue
            _scan(base, rel, root_real, found)
        elif not name.startswith(".") and name.endswith(".md"):
            kind = kind_of(rel)
            if kind is not None:
                # a plain regular file is known as such from the folder listing (no stat)
                plain = not entry.is_symlink() and entry.is_file(follow_symlinks=False)
                found.append(SourceRef(kind, rel, None if plain else _problem(Path(entry.path), root_real)))


def _problem(path: Path, root_real: Path) -> str | None:
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "dangling"
        try:
            target.relative_to(root_real)
        except ValueError:
            return "outside"
    try:
        mode = path.stat().st_mode
    except OSError:
        return "dangling"
    if not stat.S_ISREG(mode):
        return "special"
    return None


def _inside(path: Path, root_real: Path) -> bool:
    try:
        path.resolve().relative_to(root_real)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def safe_join(root: Path, base: str, rel: str) -> Path | None:
    """Resolve ``rel`` under ``root/base``; ``None`` if it is unsafe or escapes.

    Refused: empty paths, absolute paths, backslashes, ``..``, anything with a
    colon (URL schemes, drive letters), control characters, and paths that leave
    ``root/base`` through a symbolic link (so an attachment can never publish
    ``.git/config`` or ``site_config.yml``).
    """
    if not rel or "\\" in rel or rel.startswith("/") or ":" in rel or any(ord(c) < 32 for c in rel):
        return None
    parts = Path(rel).parts
    if any(p in ("..", "") for p in parts):
        return None
    path = root / base / rel
    if not _inside(path, (root / base).resolve()):
        return None
    return path


def read_bounded(path: Path, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes: enough to tell that a file is too large.

    Never reads a huge file into memory; the caller reports the size (E015) from
    the length of the result.
    """
    with path.open("rb") as f:
        return f.read(limit + 1)
