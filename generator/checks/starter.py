"""W750: a placeholder of the ``gongkai init`` starter left in ``site_config.yml`` or a page."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostic, diag
from generator.model.stand_ins import CONFIG_PLACEHOLDER, PAGE_PLACEHOLDER


def placeholder_diagnostics(root: Path) -> list[Diagnostic]:
    """W750 for each placeholder of the starter still in ``site_config.yml`` or a published page.

    Only gongkai's own markers count (``（请替换）`` in site_config.yml, ``【请填写`` in
    content/pages/), so ordinary text is never reported; comment lines and draft pages are skipped.
    """
    out: list[Diagnostic] = []
    config = root / "site_config.yml"
    for n, line in enumerate(_lines(config), 1):
        col = line.find(CONFIG_PLACEHOLDER)
        if col >= 0 and not line.lstrip().startswith("#"):
            out.append(diag("site_config.yml", (n, col + 1), "W750", text=line.strip()))
    pages = root / "content" / "pages"
    for path in sorted(pages.rglob("*.md")) if pages.is_dir() else ():
        lines = _lines(path)
        if any(line.strip() == "draft: true" for line in _front(lines)):
            continue
        hits = [(n, line) for n, line in enumerate(lines, 1) if PAGE_PLACEHOLDER in line]
        hits = [(n, line) for n, line in hits if not line.lstrip().startswith("#")]
        if hits:
            n, line = hits[0]
            rel = path.relative_to(root).as_posix()
            more = (
                {"more": f"（本文件共 {len(hits)} 处）", "more_en": f" ({len(hits)} in this file)"}
                if len(hits) > 1
                else {}
            )
            out.append(diag(rel, (n, line.find(PAGE_PLACEHOLDER) + 1), "W750", text=line.strip(), **more))
    return out


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []  # unreadable files are reported by the reader


def _front(lines: list[str]) -> list[str]:
    if not lines or lines[0].strip() != "---":
        return []
    for i, line in enumerate(lines[1:], 1):
        if line.strip() == "---":
            return lines[1:i]
    return []
