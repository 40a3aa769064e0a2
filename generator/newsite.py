"""``gongkai init DIR``: a new site repository, from the starter shipped inside the package.

The starter (``generator/starter/``) holds a ``site_config.yml`` with every key explained
in Chinese and one example agency marked 示例 (so that ``check`` and ``build`` pass at
once), one example entry and one example interpretation (drafts: never published), the
政府信息公开指南 skeleton, ``.gitignore``, ``requirements.txt`` pinning this very gongkai
version, a GitHub Actions workflow (pull requests: diff report, check, fmt, trial build;
main: build and publish to GitHub Pages) and a README for editors.

Nothing is ever overwritten: ``init`` refuses a folder that already holds any file it
would write, or a site's own folders (``site_config.yml``, ``catalogue/``, ``content/``,
``theme/``, ``site/``). A folder holding anything else (``.git``, a licence) is fine.
"""

from __future__ import annotations

import contextlib
import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path

from generator import __version__
from generator.diagnostics import Diagnostic, diag

STARTER = "starter"
# Package data cannot carry dot-files reliably: these are renamed when written.
RENAMES = {"gitignore": ".gitignore", "github": ".github"}
# A folder holding any of these is already a site (or half of one): never write into it.
SITE_PARTS = ("site_config.yml", "catalogue", "content", "theme", "site")
VERSION_MARK = "@VERSION@"


def starter_files() -> dict[str, bytes]:
    """Relative path in the new repository → content, version placeholders filled in."""
    out: dict[str, bytes] = {}

    def walk(node: Traversable, parts: tuple[str, ...]) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name.startswith(".") or child.name == "__pycache__":
                continue
            name = RENAMES.get(child.name, child.name) if not parts else child.name
            if child.is_dir():
                walk(child, (*parts, name))
            else:
                data = child.read_bytes().replace(VERSION_MARK.encode(), __version__.encode())
                out["/".join((*parts, name))] = data

    walk(importlib.resources.files("generator") / STARTER, ())
    return out


def _shown(target: Path, rel: str) -> str:
    return (target / rel).as_posix()


def init_problems(target: Path, files: dict[str, bytes]) -> list[Diagnostic]:
    """Why ``target`` cannot receive a new site (E760, E761); empty when it can."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        return [diag(target.as_posix(), None, "E761")]
    if not target.exists():
        return []
    clashes = {rel for rel in files if (target / rel).exists() or (target / rel).is_symlink()}
    clashes |= {part for part in SITE_PARTS if (target / part).exists() or (target / part).is_symlink()}
    # a parent of a starter file that exists as a file (e.g. a file named .github)
    for rel in files:
        parts = rel.split("/")
        for i in range(1, len(parts)):
            parent = "/".join(parts[:i])
            if (target / parent).exists() and not (target / parent).is_dir():
                clashes.add(parent)
    covered = {c for c in clashes if any(c.startswith(p + "/") for p in clashes if p != c)}
    return [diag(_shown(target, rel), None, "E760") for rel in sorted(clashes - covered)]


def init_site(target: Path) -> tuple[list[str], list[Diagnostic]]:
    """Write a new site repository into ``target``; return (files written, problems).

    On any problem nothing is left behind: files already written by this call are removed.
    """
    files = starter_files()
    problems = init_problems(target, files)
    if problems:
        return [], problems
    written: list[Path] = []
    made: list[Path] = []
    try:
        for folder in [target, *sorted({(target / rel).parent for rel in files})]:
            missing = [p for p in (folder, *folder.parents) if not p.exists()]
            for path in reversed(missing):
                path.mkdir()
                made.append(path)
        for rel, data in sorted(files.items()):
            path = target / rel
            with open(path, "xb") as handle:  # never overwrite, even in a race
                written.append(path)
                handle.write(data)
    except OSError as exc:
        for path in reversed(written):
            path.unlink(missing_ok=True)
        for path in reversed(made):
            with contextlib.suppress(OSError):
                path.rmdir()
        from generator.site.failures import os_reason

        where = exc.filename or target
        zh, en = os_reason(exc)
        return [], [diag(Path(where).as_posix(), None, "E762", reason=zh, reason_en=en)]
    return sorted(files), []
