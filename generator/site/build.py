"""Build orchestration: public catalogue → staging tree → engine → atomic swap into site/.

The engine writes into a fresh folder beside the target. Only when everything
succeeded is the old site renamed away and the new one renamed into place, so
an interrupted or failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.project import Project
from generator.site import urls as U
import itertools

from generator.site.engine import EngineError, engine_config, run_engine, theme_dir, write_docs
from generator.site.outputs import OUTPUT_WRITERS, PAGE_SOURCES
from generator.site.pages import PageBuilder
from generator.site.reproducible import engine_clock


class BuildError(Exception):
    pass


@dataclass(frozen=True)
class BuildStats:
    entries: int
    interpretations: int
    pages: int
    warnings: tuple[str, ...] = ()


def build_site(project: Project, target: Path) -> BuildStats:
    if project.errors:
        raise BuildError("内容检查未通过")
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    catalogue = project.public()
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))
    try:
        docs, out = work / "docs", work / "site"
        docs.mkdir()
        builder = PageBuilder(catalogue)
        extra = (source(catalogue) for source in PAGE_SOURCES)
        count = write_docs(itertools.chain(builder.all_pages(), *extra), docs, project.root)
        nav_pages = [(p.title, U.page_url(p.slug)) for p in catalogue.pages if p.nav_order is not None]
        settings = engine_config(project.config, docs, out, nav_pages, theme_dir(project.root))
        with engine_clock(catalogue):
            warnings = run_engine(settings, work / "mkdocs.yml")
        for writer in OUTPUT_WRITERS:
            writer(catalogue, out)
        _swap(out, target, work)
    except EngineError as exc:
        raise BuildError(str(exc)) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuildStats(len(catalogue.entries), len(catalogue.interpretations), count, tuple(warnings))


def _swap(new: Path, target: Path, work: Path) -> None:
    """Replace ``target`` by ``new`` with two renames on the same filesystem."""
    old = work / "previous"
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        if old.exists():
            os.rename(old, target)
        raise
