"""Pages keyed by their inputs, so that a rebuild skips building unchanged pages at all.

The build cache stores each finished page under :func:`~generator.site.build.page_key`,
a hash of the page itself: to find it, the page had to be built (from cached bodies),
which at 10k entries is seconds of work on every rebuild. This module adds a second
key per page, computed *before* the page is built, from what the page is made of:

* the page's own source file (front matter and body) for an item page;
* the front matter of *every* source file and their paths (what a page shows of other
  items — titles, URLs, validity, relations, listing rows — comes only from front
  matter: no page shows another item's body);
* ``site_config.yml``, the build date, the engine fingerprint (settings, theme, engine
  clock) and gongkai's own code.

An input key maps (kind ``pagein``) to the page key of the page it built and the files
the page brings along (attachments). A hit places the stored page without building it.
A body-only edit therefore changes the input key of one page; an edit of any front
matter (or a new, deleted or renamed file) changes every input key, and pages are
built again and found by their page key, as before. A wrong hit would need two
different inputs with the same SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.project import Project
from generator.site.cache import BuildCache, digest
from generator.site.engine import copy_page_files
from generator.site.outputs import OutputWriter
from generator.site.pages import StagedPage
from generator.source.files import CONFIG_FILE

KIND = "pagein"
LAYOUT = "gongkai-page-inputs-2"


def input_keys(project: Project, catalogue: Catalogue, fingerprint: str) -> dict[str, str]:
    """URL → input key for every entry, interpretation and listing page of the public catalogue."""
    from generator.project_cache import code_fingerprint

    try:
        config = (project.root / CONFIG_FILE).read_bytes()
    except OSError:
        return {}
    everything = hashlib.sha256()
    own: dict[str, bytes] = {}
    for rel in sorted(project.source_digests):
        front, whole = project.source_digests[rel]
        for part in (rel.encode("utf-8", "surrogatepass"), front):
            everything.update(len(part).to_bytes(8, "little"))
            everything.update(part)
        own[rel] = whole
    base = digest(LAYOUT, code_fingerprint(), fingerprint, project.build_date.isoformat(), config, everything.digest())
    keys: dict[str, str] = {}
    for item in [*catalogue.entries.values(), *catalogue.interpretations.values()]:
        mine = own.get(item.source)
        keys[U.item_url(item)] = digest(base, U.item_url(item), mine) if mine is not None else ""
    keys[""] = base  # listing pages: see key_of
    return keys


def key_of(keys: dict[str, str], url: str) -> str | None:
    """The input key of the page at ``url``: its item's, or (listing pages) the catalogue's."""
    if not keys:
        return None
    if url in keys:
        return keys[url] or None
    return digest(keys[""], url, b"listing")


def place(cache: BuildCache, key: str, dest: Path, out: Path, root: Path) -> bool:
    """Put the page built from these inputs at ``dest`` (and its files below ``out``)."""
    stored = cache.get(KIND, key)
    if stored is None:
        return False
    try:
        data = json.loads(stored)
        page_key = str(data["page"])
        files = tuple((str(s), str(t)) for s, t in data["files"])
        read = {str(kind): {str(k) for k in keys} for kind, keys in data["read"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    if not cache.place("page", page_key, dest):
        return False
    for kind, keys in read.items():  # kept by the next prune, as if the page had been built
        cache.used.setdefault(kind, set()).update(keys)
    if files:
        copy_page_files(StagedPage("", "", "", files=files), out, root)
    return True


def remember(cache: BuildCache, key: str, page_key: str, page: StagedPage, read: dict[str, set[str]]) -> None:
    """Record that these inputs built the page stored under ``page_key``, reading ``read`` from the cache."""
    record = {"page": page_key, "files": [list(f) for f in page.files], "read": {k: sorted(v) for k, v in read.items()}}
    cache.put(KIND, key, json.dumps(record).encode())


# ------------------------------------------------------------------ exports
OUTPUTS = "outputs"  # an output writer's run: the files it wrote, each stored under kind FILES
FILES = "output"


def cached_writer(writer: OutputWriter, cache: BuildCache, keys: dict[str, str], scratch: Path) -> OutputWriter:
    """``writer`` (whose files depend only on what listing pages depend on) through the build cache.

    The exports show front matter only, never a body: with the catalogue's input key
    unchanged (a body-only edit), the files of the last run are linked into the new
    site instead of being computed and written again. Otherwise the writer runs into
    ``scratch`` and its files are stored, then moved into the site.
    """
    if not keys:
        return writer
    run_key = digest(keys[""], "output-writer", getattr(writer, "__name__", repr(writer)))

    def write(catalogue: Catalogue, out: Path) -> None:
        if _place_run(cache, run_key, out):
            return
        folder = scratch / f"output-{run_key[:16]}"
        folder.mkdir()
        writer(catalogue, folder)
        names: list[str] = []
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                rel = path.relative_to(folder).as_posix()
                key = digest(run_key, rel)
                _store_file(cache, key, path)
                dest = out / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, dest)  # the same inode as the stored copy, like a placed page
                names.append(rel)
        cache.put(OUTPUTS, run_key, json.dumps(names, ensure_ascii=False).encode("utf-8"))

    write.__name__ = getattr(writer, "__name__", "writer")
    return write


def _place_run(cache: BuildCache, run_key: str, out: Path) -> bool:
    stored = cache.get(OUTPUTS, run_key)
    if stored is None:
        return False
    try:
        names = [str(n) for n in json.loads(stored)]
    except (ValueError, TypeError):
        return False
    placed: list[Path] = []
    for rel in names:
        dest = out / rel
        if ".." in rel.split("/") or not cache.place(FILES, digest(run_key, rel), dest):
            for path in placed:  # never leave a link the writer would then write through
                path.unlink(missing_ok=True)
            return False
        placed.append(dest)
    return True


def _store_file(cache: BuildCache, key: str, path: Path) -> None:
    """Store the file at ``path`` under ``key`` (a hard link; a copy across file systems)."""
    stored = cache.path(FILES, key)
    stored.parent.mkdir(parents=True, exist_ok=True)
    tmp = stored.with_name(f".{key}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(path, tmp)
    except OSError:
        shutil.copyfile(path, tmp)
    os.replace(tmp, stored)
    st = stored.stat()
    cache.used.setdefault(FILES, set()).add(key)
    cache.new_stamps[key] = (st.st_size, st.st_mtime_ns)
