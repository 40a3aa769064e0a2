"""Pages keyed by their inputs, so that a rebuild skips building unchanged pages at all.

The build cache stores each finished page under :func:`~generator.site.build.page_key`,
a hash of the page itself: to find it, the page had to be built (from cached bodies),
which at 10k entries is seconds of work on every rebuild. This module finds a page
*before* it is built, from what the page is made of:

* its **own inputs** (the *base key*): the builder method and its arguments
  (:attr:`PageJob.inputs`), an item argument by its source file's SHA-256 (front matter
  and body); ``site_config.yml``, the build date, the engine fingerprint (settings, theme,
  engine clock) and gongkai's own code;
* what it **read of the catalogue**: every lookup the page made while it was built, with
  a digest of its result (:mod:`generator.site.lookups` — the builders can reach the
  catalogue in no other way). A new entry that amends an old one changes the result of the
  old page's ``related(…, "amended_by")``; a title edit changes the digest of every lookup
  that returned the edited entry; a listing page reads the size of its group and its own
  rows only.

The base key maps (kind ``pagein``) to the recorded lookups, the page key of the page they
built, and the files the page brings along (attachments). On a rebuild the lookups are
run again against the new catalogue (dictionary lookups); when every digest matches, the
stored page is placed without building it. A wrong hit would need two different results
of a lookup with the same BLAKE2b-128 digest, or two inputs with the same SHA-256.

The exports, which show the front matter of every item, keep a catalogue-wide key
(:func:`catalogue_key`: the front matter and paths of all sources).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from generator.model.catalogue import Catalogue
from generator.project import Project
from generator.site.cache import BuildCache, digest
from generator.site.engine import copy_page_files
from generator.site.lookups import CatalogueView
from generator.site.outputs import OutputWriter
from generator.site.pagetypes import PageJob, StagedPage
from generator.source.files import CONFIG_FILE

KIND = "pagein"
LAYOUT = "gongkai-page-inputs-3"
SOURCE = "source:"
CATALOGUE = "\0catalogue"  # the key of :func:`catalogue_key` among the pages' URLs


def input_keys(project: Project, jobs: Sequence[PageJob], fingerprint: str) -> dict[str, str]:
    """URL → base key for every job that declares its inputs; :data:`CATALOGUE` → :func:`catalogue_key`."""
    from generator.project_cache import code_fingerprint

    try:
        config = (project.root / CONFIG_FILE).read_bytes()
    except OSError:
        return {}
    base = digest(LAYOUT, code_fingerprint(), fingerprint, project.build_date.isoformat(), config)
    keys: dict[str, str] = {CATALOGUE: catalogue_key(project, base)}
    for job in jobs:
        if not job.inputs:
            continue
        parts: list[str | bytes] = [base, job.url]
        for token in job.inputs:
            if token.startswith(SOURCE):
                known = project.source_digests.get(token[len(SOURCE) :])
                if known is None:
                    break  # an item without a known source: always built
                parts += [token, known[1]]
            else:
                parts.append(token)
        else:
            keys[job.url] = digest(*parts)
    return keys


def catalogue_key(project: Project, base: str) -> str:
    """``base`` with the front matter and path of every source (what the exports show)."""
    everything = hashlib.sha256()
    for rel in sorted(project.source_digests):
        front, _ = project.source_digests[rel]
        for part in (rel.encode("utf-8", "surrogatepass"), front):
            everything.update(len(part).to_bytes(8, "little"))
            everything.update(part)
    return digest(base, everything.digest())


def key_of(keys: dict[str, str], url: str) -> str | None:
    """The base key of the page at ``url`` (None: the page is always built)."""
    return keys.get(url) or None if url != CATALOGUE else None


def place(
    cache: BuildCache,
    key: str,
    view: CatalogueView,
    dest: Path,
    out: Path,
    root: Path,
    into: dict[str, tuple[str, int, int]] | None = None,
) -> bool:
    """Put the page these inputs built at ``dest`` (and its files below ``out``), when the
    lookups it made give the same results on ``view``'s catalogue. ``into``: see
    :meth:`~generator.site.cache.BuildCache.place` (the page goes to the standby site)."""
    stored = cache.get(KIND, key)
    if stored is None:
        return False
    try:
        data = json.loads(stored)
        page_key = str(data["page"])
        files = tuple((str(s), str(t)) for s, t in data["files"])
        read = {str(kind): {str(k) for k in keys} for kind, keys in data["read"].items()}
        lookups = [(str(name), tuple(args), str(d)) for name, args, d in data["lookups"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    if not view.replay(lookups):
        return False
    if not cache.place("page", page_key, dest, into):
        return False
    for kind, keys in read.items():  # kept by the next prune, as if the page had been built
        cache.used.setdefault(kind, set()).update(keys)
    if files:
        copy_page_files(StagedPage("", "", "", files=files), out, root)
    return True


def remember(cache: BuildCache, key: str, page_key: str, page: StagedPage, read: dict[str, set[str]]) -> None:
    """Record that these inputs, with the lookups ``page`` made, built the page stored under
    ``page_key``, reading ``read`` from the cache."""
    record = {
        "page": page_key,
        "files": [list(f) for f in page.files],
        "read": {k: sorted(v) for k, v in read.items()},
        "lookups": [[name, list(args), d] for name, args, d in page.lookups],
    }
    cache.put(KIND, key, json.dumps(record, ensure_ascii=False).encode("utf-8"))


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
    run_key = digest(keys[CATALOGUE], "output-writer", getattr(writer, "__name__", repr(writer)))

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
