"""What the build may write to and delete: only folders it created and marked as its own.

* The published site carries :data:`SITE_MARKER`. A target that exists is replaced only
  when it is an empty folder, carries the marker, or is a site written by a gongkai build
  from before the marker (recognised by its ``datapackage.json`` named gongkai-catalogue).
* The temporary build folder beside the target carries :data:`WORK_MARKER`; leftovers
  of killed builds are removed only when they carry it.
* A target that is a symbolic link, that is the project root or lies above it, or that
  lies inside the project's sources (``catalogue/``, ``content/``, ``theme/``,
  ``site_config.yml``, ``.git``, the build cache) is refused; so is a build cache folder
  that is a symbolic link or not a folder.

Every refusal is a positioned diagnostic (E023/E024/E025) naming the target.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from generator.diagnostics import Diagnostic, diag

SITE_MARKER = ".gongkai-site"
WORK_MARKER = ".gongkai-build"
MARKER_TEXT = "This folder was written by gongkai build and is replaced by the next build.\n"
# folders and files below the project root that hold sources or state, never output
PROTECTED = ("catalogue", "content", "theme", "site_config.yml", ".git", ".gongkai-cache")


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return str(path)


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def target_problems(root: Path, target: Path) -> list[Diagnostic]:
    """Why the build must not write ``target`` (empty when it may)."""
    given = Path(os.path.abspath(root))
    root = root.resolve()
    absolute = Path(os.path.abspath(target))
    shown = _shown(absolute, given)
    # a link anywhere on the way from the root down to the target redirects the build
    probe = absolute
    while True:
        if probe.is_symlink():
            return [diag(shown, None, "E023", target=shown, reason="是符号链接", reason_en="is a symbolic link")]
        if probe == given or probe.parent == probe or not _within(probe, given):
            break
        probe = probe.parent
    resolved = absolute.resolve()
    if _within(root, resolved):
        return [
            diag(
                shown,
                None,
                "E023",
                target=shown,
                reason="是项目根目录或其上级",
                reason_en="is the project root or above it",
            )
        ]
    for name in PROTECTED:
        if _within(resolved, root / name):
            return [
                diag(
                    shown,
                    None,
                    "E023",
                    target=shown,
                    reason=f"位于项目源文件 {name} 之中",
                    reason_en=f"lies inside the project's {name}",
                )
            ]
    if resolved.exists() and not resolved.is_dir():
        return [diag(shown, None, "E023", target=shown, reason="不是文件夹", reason_en="is not a folder")]
    if resolved.is_dir() and not owned_site(resolved):
        return [diag(shown, None, "E024", target=shown)]
    return []


def cache_problems(root: Path, cache: Path) -> list[Diagnostic]:
    """The build cache must be a real folder inside the project (or not exist yet)."""
    shown = _shown(Path(os.path.abspath(cache)), root.resolve())
    probe = cache
    while probe != root and probe.parent != probe:
        if probe.is_symlink() or (probe.exists() and not probe.is_dir()):
            return [diag(shown, None, "E025", target=_shown(Path(os.path.abspath(probe)), root.resolve()))]
        probe = probe.parent
    return []


def owned_site(folder: Path) -> bool:
    """True when ``folder`` is empty, or a site a gongkai build published."""
    try:
        if not any(folder.iterdir()):
            return True
    except OSError:
        return False
    if (folder / SITE_MARKER).is_file():
        return True
    return _legacy_site(folder)


def _legacy_site(folder: Path) -> bool:
    """A site published before the marker existed: its datapackage.json was written by gongkai."""
    package = folder / "datapackage.json"
    try:
        if package.is_symlink() or package.stat().st_size > 1_000_000:
            return False
        data = json.loads(package.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("name") == "gongkai-catalogue"


def mark_site(folder: Path) -> None:
    (folder / SITE_MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def mark_work(folder: Path) -> None:
    (folder / WORK_MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def owned_work(folder: Path) -> bool:
    return not folder.is_symlink() and folder.is_dir() and (folder / WORK_MARKER).is_file()
