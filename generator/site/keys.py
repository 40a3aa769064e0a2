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
from pathlib import Path

from generator import __version__
from generator.project import read_inputs
from generator.site.cache import CACHE_DIR, BuildCache, digest, stamps
from generator.site.engine import engine_date, front_matter, page_content
from generator.site.ownership import cache_problems, target_problems
from generator.site.pages import StagedPage
from generator.site.result import BuildStats
from generator.site.themes import theme_digest
from generator.source.files import CONFIG_FILE, is_attachment_path


def inputs_key(root: Path, inputs: str, build_date: dt.date, target: Path) -> str:
    """Everything a build's output is made from: when it equals the last build's, so does the output.

    ``inputs`` (site_config.yml and every source, see :func:`generator.project.source_digest`),
    every other file below catalogue/ and content/ (attachments, media), the theme
    overrides, gongkai's own code, the engine packages' versions, the build dates and
    the target folder.
    """
    from importlib.metadata import version

    package = Path(__file__).resolve().parents[1]
    parts: list[str | bytes] = ["gongkai-build-2", inputs, build_date.isoformat(), engine_date(), str(target)]
    parts += [f"{p}={version(p)}" for p in ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pyyaml")]
    parts += [__version__, theme_digest(root)]  # the shipped theme with the site's theme/ layered over it
    for path in sorted(package.rglob("*.py")):
        if path.is_file():
            parts += [path.relative_to(package).as_posix(), file_digest(path)]
    for top in ("catalogue", "content"):
        for path in sorted((root / top).rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and (path.suffix != ".md" or is_attachment_path(rel)):  # sources: in ``inputs``
                parts += [rel, file_digest(path)]
    return digest(*parts)


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


def source_stamps(root: Path) -> dict[str, list[int]]:
    """Sizes and times of site_config.yml and of every file below catalogue/ and content/."""
    return stamps(root, ("catalogue", "content"), (CONFIG_FILE,))


def unchanged_site(root: Path, target: Path, build_date: dt.date) -> BuildStats | None:
    """The last build's stats if ``target`` still holds its output and no input has changed since.

    Only builds without any diagnostic are remembered, so skipping the check here
    never hides a warning. Costs one read of the sources and a ``stat`` of the output.
    """
    if target_problems(root, target) or cache_problems(root, root / CACHE_DIR):
        return None  # the build refuses it, with the reason
    target = target.resolve()
    store = BuildCache(root / CACHE_DIR)
    if store.sources_touched(source_stamps(root)):
        return None  # an edit seen from the file times alone: no need to read every source twice
    inputs = read_inputs(root)
    if inputs is None:
        return None
    done = store.up_to_date(inputs_key(root, inputs, build_date, target), target)
    if done is None:
        return None
    entries, interpretations, pages, notes = done
    return BuildStats(entries, interpretations, pages, notes, reused=pages, unchanged=True)


def page_key(fp: str, page: StagedPage) -> str:
    """The build-cache key of a finished page: everything its HTML is made from."""
    front = json.dumps(front_matter(page), ensure_ascii=False, sort_keys=True)
    return digest(fp, page.url, front, page_content(page))
