"""Discovering source files of a gongkai project."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CATALOGUE_DIR = "catalogue"
CONTENT_DIR = "content"
INTERPRETATIONS_DIR = "content/interpretations"
PAGES_DIR = "content/pages"
CONFIG_FILE = "site_config.yml"


@dataclass(frozen=True)
class SourceRef:
    """A Markdown source: its kind, its path relative to the root, and whether it escapes."""

    kind: str  # "entry" | "interpretation" | "page"
    rel: str
    outside: bool = False


def kind_of(rel: str) -> str | None:
    if rel.startswith(CATALOGUE_DIR + "/"):
        return "entry"
    if rel.startswith(INTERPRETATIONS_DIR + "/"):
        return "interpretation"
    if rel.startswith(CONTENT_DIR + "/"):
        return "page"
    return None


def discover(root: Path) -> list[SourceRef]:
    """All Markdown sources under catalogue/ and content/, sorted by path.

    Hidden files and folders are skipped. Symbolic links are followed only when
    they stay inside ``root``; others are returned with ``outside=True`` so the
    checks can report them.
    """
    root_real = root.resolve()
    found: list[SourceRef] = []
    for top in (CATALOGUE_DIR, CONTENT_DIR):
        base = root / top
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for d in list(dirnames):
                p = Path(dirpath) / d
                if p.is_symlink() and not _inside(p, root_real):
                    dirnames.remove(d)
            for name in sorted(filenames):
                if name.startswith(".") or not name.endswith(".md"):
                    continue
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                kind = kind_of(rel)
                if kind is None:
                    continue
                outside = path.is_symlink() and not _inside(path, root_real)
                found.append(SourceRef(kind, rel, outside))
    return sorted(found, key=lambda s: s.rel)


def _inside(path: Path, root_real: Path) -> bool:
    try:
        path.resolve().relative_to(root_real)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def safe_join(root: Path, base: str, rel: str) -> Path | None:
    """Resolve ``rel`` under ``root/base``; ``None`` if it is unsafe or escapes."""
    if not rel or "\\" in rel or rel.startswith("/") or ":" in rel or "\x00" in rel:
        return None
    parts = Path(rel).parts
    if any(p in ("..", "") for p in parts):
        return None
    path = root / base / rel
    if not _inside(path, root.resolve()):
        return None
    return path
