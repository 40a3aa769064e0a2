"""The theme a build hands to the engine: the shipped theme with a site's own ``theme/``
files layered over it file by file (discovery and checks: :mod:`generator.source.themes`)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.source.themes import (
    SITE_THEME,
    shipped_theme_dir,
    shipped_theme_problem,
    site_overrides,
    theme_diagnostics,
    theme_files,
)


class ThemeError(Exception):
    """The theme cannot be assembled; carries positioned diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.format("zh").split("\n")[0] for d in diagnostics))
        self.diagnostics = diagnostics


def layered_theme(root: Path, work: Path) -> Path:
    """The theme folder to build ``root`` with.

    Without site overrides that is the shipped theme itself; with them, a merged copy
    written to ``work/theme`` (the build's own temporary folder). Raises
    :class:`ThemeError` for a broken installation or an unusable override.
    """
    problem = shipped_theme_problem()
    if problem is not None:
        raise ThemeError([problem])
    problems = theme_diagnostics(root)
    if any(d.is_error for d in problems):
        raise ThemeError(problems)
    if not site_overrides(root):
        return shipped_theme_dir()
    merged = work / SITE_THEME
    for rel, source in theme_files(root).items():
        target = merged / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return merged


def theme_dir(root: Path, work: Path | None = None) -> Path:
    """The engine's ``custom_dir`` for ``root``: :func:`layered_theme` into ``work`` when
    given, else (nothing may be written) the shipped theme."""
    return layered_theme(root, work) if work is not None else shipped_theme_dir()


def theme_digest(root: Path) -> bytes:
    """SHA-256 over the layered theme's paths and bytes (for the build's inputs key)."""
    h = hashlib.sha256()
    for rel, path in theme_files(root).items():
        for part in (rel.encode(), path.read_bytes()):
            h.update(len(part).to_bytes(8, "little"))
            h.update(part)
    return h.digest()


THEME_DIR = shipped_theme_dir()
