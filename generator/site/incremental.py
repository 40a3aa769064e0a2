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

The exports (:func:`cached_writer`) link the last run's files whole while the catalogue-wide
key (:func:`catalogue_key`: the front matter and paths of all sources) is unchanged;
otherwise each item's pieces are keyed by the item's own source and front matter, the
configuration and what the item shows of other items, and only the changed ones are made.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from generator.model.catalogue import Catalogue
from generator.parallel import long_lived, paused_gc
from generator.project import Project
from generator.site.cache import BuildCache, _place, digest
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
    """URL → base key for every job that declares its inputs; :data:`CATALOGUE` → :func:`catalogue_key`;
    the exports' keys (:func:`exports_keys`)."""
    from generator.project_cache import code_fingerprint

    try:
        config = (project.root / CONFIG_FILE).read_bytes()
    except OSError:
        return {}
    base = digest(LAYOUT, code_fingerprint(), fingerprint, project.build_date.isoformat(), config)
    keys: dict[str, str] = {CATALOGUE: catalogue_key(project, base), **exports_keys(project, config)}
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
    dest: Path | str,
    out: Path,
    root: Path,
    into: dict[str, tuple[str, int, int]] | None = None,
    verified: Verified | None = None,
) -> bool:
    """Put the page these inputs built at ``dest`` (and its files below ``out``), when the
    lookups it made give the same results on ``view``'s catalogue. ``into``: see
    :meth:`~generator.site.cache.BuildCache.place` (the page goes to the standby site).
    ``verified``: the pages the last build placed or built, and how this catalogue differs
    from that build's (see :class:`Verified`)."""
    if verified is not None:
        known = verified.old.get(key)
        if known is not None and _place_verified(cache, key, known, view, dest, out, root, into, verified):
            verified.new[key] = known
            return True
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
    if verified is not None:
        verified.new[key] = verified_entry(page_key, files, read, lookups)
    return True


def verified_entry(
    page_key: str,
    files: Iterable[Sequence[str]],
    read: dict[str, set[str]] | dict[str, list[str]],
    lookups: Iterable[Any],
) -> list[object]:
    """What :class:`Verified` lists of a page placed or built by this build (see :func:`_place_verified`):
    its page key, files, cache keys read, the lookups replayed on every build, those replayed when
    the catalogue changed, and the 索引号 its item lookups (:data:`ITEM_LOOKUPS`) were asked about."""
    rest: list[list[Any]] = []
    wide: list[list[Any]] = []
    items: set[str] = set()
    for name, args, d in lookups:
        if name in ITEM_LOOKUPS:
            items.add(str(args[0]))
        elif name in CATALOGUE_ONLY:
            wide.append([name, list(args), d])
        else:
            rest.append([name, list(args), d])
    return [page_key, [list(f) for f in files], {k: sorted(v) for k, v in read.items()}, rest, wide, sorted(items)]


# Lookups whose result follows from the catalogue alone, i.e. from what :func:`catalogue_key`
# holds: gongkai's code, the engine fingerprint, the build date, site_config.yml and every
# source's path and front matter (an item, its relations, whether and when it is public, its
# attachments and media are made from those; its body shows in no lookup's result). Any lookup
# not named here (``file_size`` reads the disk) is replayed on every build.
CATALOGUE_ONLY = frozenset(
    {
        "entry",
        "related",
        "interpretations_of",
        "sources_of",
        "listing",
        "group_keys",
        "interpretations_by",
        "totals",
        "has_page",
        "hidden_target",
    }
)
# Of those, the lookups about one item, named by their first argument (a 索引号), whose result is
# made of that item and the items related to it only: ``entry`` (the item's summary), ``related``
# (its relations' targets, or the entries whose relations target it), ``interpretations_of`` (the
# interpretations that explain it), ``sources_of`` (the entries an interpretation explains) — each
# a list of summaries, in an order that follows from those items. An item is made from its own
# source's front matter (and what every page's key holds), so such a result can change only when
# the source of the item or of an item related to it (before or now) changed: see
# :func:`dirty_items`. The other lookups of CATALOGUE_ONLY (listings, totals…) are replayed on a
# change of the catalogue (a listing only when its group changed: :func:`clean_groups`).
ITEM_LOOKUPS = frozenset({"entry", "related", "interpretations_of", "sources_of"})
VERIFIED = "pagein-verified.json"
VERIFIED_LAYOUT = "gongkai-pagein-verified-2"


Shape = dict[str, Any]  # see catalogue_shape
GROUP = "\0"  # joins a listing's kind and group key in Shape["groups"]


def catalogue_shape(
    source_digests: dict[str, tuple[bytes, bytes]], catalogue: Catalogue, members: dict[str, list[str]] | None = None
) -> Shape | None:
    """What :class:`Verified` compares between two builds:

    * ``sources``: each public item's source: path → [the SHA-256 of its front matter (from
      ``source_digests``, the project's), its 索引号];
    * ``edges``: the relations between public items, as pairs of 索引号 (an entry and an entry its
      ``amends``/``repeals``/``replaces`` names, an interpretation and an entry it explains);
    * ``groups``: each listing group (``members``: kind and key joined by :data:`GROUP` → its
      members' 索引号 in listing order, see :meth:`CatalogueView.plan_members`) → a digest of them.

    None when an item's source is not known (then nothing is taken from a comparison)."""
    sources: dict[str, list[str]] = {}
    edges: list[list[str]] = []
    entries = catalogue.entries
    for item in (*entries.values(), *catalogue.interpretations.values()):
        known = source_digests.get(item.source)
        if known is None or item.source in sources:
            return None
        sources[item.source] = [known[0].hex(), item.index_no]
    for entry in entries.values():
        for targets in entry.relations.values():
            edges.extend([entry.index_no, t] for t in targets if t in entries)
    for interp in catalogue.interpretations.values():
        edges.extend([interp.index_no, t] for t in interp.interprets if t in entries)
    groups = {group: digest(*numbers) for group, numbers in (members or {}).items()}
    return {"sources": sources, "edges": edges, "groups": groups}


class Verified:
    """The pages the last build placed or built, with that build's catalogue key and shape.

    When this build's :func:`catalogue_key` is the one recorded, every lookup in
    :data:`CATALOGUE_ONLY` gives the result it gave then, which was the recorded one: a page
    listed under its base key is placed after replaying only its other lookups (a body edit
    then costs no replay of every page's lookups nor a read of every page's record).

    When the catalogue changed (an entry added, deleted, its front matter edited), the two
    builds' shapes are compared (:func:`catalogue_shape`). The *changed* 索引号 are the items
    whose source changed, appeared or went; the *dirty* ones those and the items related to
    one of them in either build (:func:`dirty_items`). An item lookup (:data:`ITEM_LOOKUPS`)
    about any other item gives the result it gave then: a listed page none of whose item
    lookups is about a dirty item is placed after replaying its other catalogue lookups
    (totals, group keys, hidden link targets, …) and the ones read from disk — but not its
    ``listing`` lookups of a *clean* group, one whose members are the same in the same order
    and none of them changed (:func:`clean_groups`): a listing shows its members' count and
    summaries only, and an item's summary is made from its own source. A page with a dirty
    item falls back to the full replay of its record.

    A page is listed with what :func:`place` needs of its record (page key, files, cache keys
    read, the lookups still to replay), so a record rewritten since does not matter. Only the
    pages placed or built by this build are listed for the next; anything unreadable falls back
    to the full replay.
    """

    def __init__(
        self,
        cache: BuildCache,
        catalogue: str,
        shape: Shape | None = None,
        current: Catalogue | None = None,
        members: dict[str, list[str]] | None = None,
        shape_of: Callable[[], tuple[Shape | None, dict[str, list[str]]]] | None = None,
    ) -> None:
        self.path = cache.root / VERIFIED
        self.catalogue = catalogue
        self.shape = shape
        # ``shape_of``: makes ``shape`` and ``members`` when they are needed (see verified_for)
        self._shape_of = shape_of if shape is None else None
        self.old: dict[str, list[object]] = {}
        self.new: dict[str, list[object]] = {}
        self.same = True  # the catalogue is the last build's: no catalogue lookup is replayed
        self.dirty: set[str] = set()
        self.clean: set[str] = set()  # listing groups whose listing lookups are not replayed
        if not catalogue:
            return
        try:
            with long_lived():
                data = json.loads(self.path.read_bytes())
            if data["layout"] != VERIFIED_LAYOUT:
                return
            if data["catalogue"] != catalogue:
                old = data["shape"]
                if self._shape_of is not None:
                    shape, members = self._take_shape()
                if shape is None or current is None or not isinstance(old, dict):
                    return
                self.same = False
                changed = changed_items(old, shape)
                self.dirty = dirty_items(old, shape, current, changed)
                self.clean = clean_groups(old, shape, changed, members or {})
            elif self._shape_of is not None and isinstance(data["shape"], dict):
                # the same catalogue key: the same shape (it follows from what the key holds)
                self.shape, self._shape_of = data["shape"], None
            self.old = dict(data["pages"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            self.old, self.same, self.dirty, self.clean = {}, True, set(), set()

    def _take_shape(self) -> tuple[Shape | None, dict[str, list[str]]]:
        assert self._shape_of is not None
        shape, members = self._shape_of()
        self.shape, self._shape_of = shape, None
        return shape, members

    def save(self) -> None:
        """Keep this build's list for the next (never raises: without it, the next build replays all)."""
        if not self.catalogue:
            return
        if self._shape_of is not None:
            self._take_shape()
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with long_lived():  # the encoder's lists are garbage, but not cyclic
                text = json.dumps(
                    {"layout": VERIFIED_LAYOUT, "catalogue": self.catalogue, "shape": self.shape, "pages": self.new}
                )
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)


def verified_for(
    cache: BuildCache,
    catalogue_key: str,
    source_digests: dict[str, tuple[bytes, bytes]],
    catalogue: Catalogue,
    view: CatalogueView,
) -> Verified:
    """:class:`Verified` for ``catalogue`` (the public one; ``view`` a view of it), whose shape
    (:func:`catalogue_shape`, its listing groups' members) is made only when the recorded
    catalogue key is not ``catalogue_key`` or nothing was recorded: a body edit does not
    change it, and walking every item and listing group for it was seconds at 100,000 entries."""

    def shape_of() -> tuple[Shape | None, dict[str, list[str]]]:
        members = view.plan_members()
        return catalogue_shape(source_digests, catalogue, members), members

    return Verified(cache, catalogue_key, current=catalogue, shape_of=shape_of)


def changed_items(old: Shape, new: Shape) -> set[str]:
    """The 索引号 of the public items whose source changed, appeared or went between two shapes."""
    old_sources: dict[str, list[str]] = {str(rel): [str(v[0]), str(v[1])] for rel, v in old["sources"].items()}
    new_sources: dict[str, list[str]] = new["sources"]
    changed: set[str] = set()
    for rel in old_sources.keys() | new_sources.keys():
        before, now = old_sources.get(rel), new_sources.get(rel)
        if before != now:
            changed.update(v[1] for v in (before, now) if v is not None)
    return changed


def dirty_items(old: Shape, new: Shape, current: Catalogue, changed: set[str] | None = None) -> set[str]:
    """The 索引号 whose item lookups may give another result than in the build whose shape is
    ``old`` (see :class:`Verified`): the ``changed`` ones (:func:`changed_items`) and those related
    to one of them then or now; ``current``: this build's public catalogue (shape ``new``)."""
    if changed is None:
        changed = changed_items(old, new)
    dirty = set(changed)
    for a, b in old["edges"]:  # related before (a relation of an unchanged item to one that went, say)
        a, b = str(a), str(b)
        if a in changed:
            dirty.add(b)
        if b in changed:
            dirty.add(a)
    for number in changed:  # related now: both directions are indexed in the catalogue
        entry = current.entries.get(number)
        if entry is not None:
            for targets in entry.relations.values():
                dirty.update(targets)
        for sources in current.reverse.get(number, {}).values():
            dirty.update(sources)
        dirty.update(current.interpreted_by.get(number, ()))
        interp = current.interpretations.get(number)
        if interp is not None:
            dirty.update(interp.interprets)
    return dirty


def clean_groups(old: Shape, new: Shape, changed: set[str], members: dict[str, list[str]]) -> set[str]:
    """The listing groups (see :func:`catalogue_shape`) with the same members in the same order
    as in the build whose shape is ``old``, none of them ``changed``: their listing lookups give
    the results they gave then."""
    before: dict[str, Any] = old["groups"]
    now: dict[str, str] = new["groups"]
    clean: set[str] = set()
    for group, numbers in members.items():
        made = now.get(group)
        if made is not None and before.get(group) == made and changed.isdisjoint(numbers):
            clean.add(group)
    return clean


def _place_verified(
    cache: BuildCache,
    key: str,
    known: list[object],
    view: CatalogueView,
    dest: Path | str,
    out: Path,
    root: Path,
    into: dict[str, tuple[str, int, int]] | None,
    verified: Verified,
) -> bool:
    try:
        page, raw_files, raw_read, raw_rest, raw_wide, raw_items = known
        page_key = str(page)
        files = tuple((str(s), str(t)) for s, t in raw_files)  # type: ignore[attr-defined]
        read = {str(kind): [str(k) for k in keys] for kind, keys in raw_read.items()}  # type: ignore[attr-defined]
        rest = [(str(name), tuple(args), str(d)) for name, args, d in raw_rest]  # type: ignore[attr-defined]
        if not verified.same:
            if not verified.dirty.isdisjoint(raw_items):  # type: ignore[arg-type]
                return False
            clean = verified.clean
            for name, args, d in raw_wide:  # type: ignore[attr-defined]
                if name != "listing" or f"{args[0]}{GROUP}{args[1]}" not in clean:
                    rest.append((str(name), tuple(args), str(d)))
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    if rest and not view.replay(rest):
        return False
    if not cache.place("page", page_key, dest, into):
        return False
    cache.used.setdefault(KIND, set()).add(key)  # its record stays for a build with another catalogue
    for kind, keys in read.items():
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
OUTPUTS = "outputs"  # an exports run: its files (each stored under kind FILES) and its items' pieces
FILES = "output"
EXPORTS = "\0exports"  # among the keys: what every export piece depends on (code, site_config.yml)
FRONT = "\0front:"  # among the keys, + a source's path: the SHA-256 of its front matter
RUN_LAYOUT = "gongkai-exports-2"


def exports_keys(project: Project, config: bytes) -> dict[str, str]:
    """:data:`EXPORTS` and one :data:`FRONT` key per source (see :func:`cached_writer`).

    Not the build date nor the engine: an item's pieces show neither (which items are
    public on the day is in the keys as the items themselves and as what the others show)."""
    from generator.project_cache import code_fingerprint

    keys = {EXPORTS: digest(RUN_LAYOUT, code_fingerprint(), config)}
    for rel, (front, _) in project.source_digests.items():
        keys[FRONT + rel] = front.hex()
    return keys


def cached_writer(writer: OutputWriter, cache: BuildCache, keys: dict[str, str], scratch: Path) -> OutputWriter:
    """The exports writer (:func:`~generator.site.exports.write_exports`) through the build cache.

    * The catalogue's input key unchanged (a body-only edit): the files of the last run with
      that key are linked into the new site, as they are.
    * Otherwise each item's pieces (:mod:`generator.site.exports`) are keyed by what they are
      made of: the code and ``site_config.yml`` (:data:`EXPORTS`), the item's source path and
      front matter, and the values it shows of other items (its relations, interpretations and
      the documents named in its validity history, or the documents an interpretation explains,
      computed on the new catalogue). An item whose key was in the last run has its own JSON
      file linked from the cache and its CSV line and catalogue.json element cut from the last
      run's files; only the others are serialized. catalogue.csv, catalogue.json and
      datapackage.json are joined from the pieces, so every file has write_exports's bytes.
      An item that is no longer public has no key this time: nothing of it is used.

    Any other writer is returned as it is. ``scratch`` is not used (kept for the call site).
    """
    from generator.site.exports import write_exports

    if not keys or writer is not write_exports or EXPORTS not in keys:
        return writer
    run_key = digest(keys[CATALOGUE], RUN_LAYOUT, keys[EXPORTS])
    last = _last_run(keys)

    def write(catalogue: Catalogue, out: Path) -> None:
        # tens of thousands of small lists, no cycles: the collector's passes over the build's heap cost more
        with paused_gc():
            if not _place_run(cache, run_key, out):
                record = _write_run(catalogue, out, cache, keys, run_key, _last_pieces(cache, last))
                cache.put(OUTPUTS, run_key, json.dumps(record, ensure_ascii=False).encode("utf-8"))
            cache.put(OUTPUTS, last, run_key.encode("ascii"))

    write.__name__ = getattr(writer, "__name__", "writer")
    return write


def _last_run(keys: dict[str, str]) -> str:
    """The key naming the run whose pieces the next one may reuse."""
    return digest(keys[EXPORTS], "last exports run")


def exports_kept(cache: BuildCache, keys: dict[str, str]) -> bool:
    """Whether :func:`cached_writer` (same ``keys``) finds a last run to reuse pieces of: then it
    serializes only the items that changed, else every item."""
    return EXPORTS in keys and cache.path(OUTPUTS, _last_run(keys)).is_file()


Pieces = dict[str, tuple[str, bytes, bytes]]  # an entry's key -> its file, CSV line and catalogue.json element


def _write_run(
    cat: Catalogue, out: Path, cache: BuildCache, keys: dict[str, str], run_key: str, last: Pieces
) -> dict[str, object]:
    """Every export file into ``out``; the run's record (see :func:`_place_run`, :func:`_last_pieces`)."""
    from generator.site import exports as X

    base, site, link = keys[EXPORTS], os.fspath(out), _linker(cache)
    shown = [col.value for col in X.COLUMNS if col.reads_catalogue]  # X.shown_of_others, once per run
    entries: list[list[object]] = []  # [file, key, CSV line length, catalogue.json element length]
    csv_lines: list[bytes] = []
    json_lines: list[bytes] = []
    for e in cat.entries.values():
        others = [value(e, cat) for value in shown]
        key = _item_key(keys, base, "entry", e.source, others)
        old = last.get(key) if key else None
        if old is not None and link(key, f"{site}/{old[0]}"):
            rel, line, element = old  # the same key: the same source path and front matter, the same 索引号
        else:
            rel = X.item_file(e)
            file, line, element = X.entry_pieces(e, cat, others)
            key = key or digest(base, "unkeyed entry", file)  # placed again only with the same bytes
            cache.publish(FILES, key, file, out / rel)
        entries.append([rel, key, len(line), len(element)])
        csv_lines.append(line)
        json_lines.append(element)
    files: list[list[str]] = []  # [file, key]
    for i in cat.interpretations.values():
        sources = X.interpreted(i, cat)
        key = _item_key(keys, base, "interpretation", i.source, sources)
        rel = X.item_file(i)
        if not key or not link(key, f"{site}/{rel}"):
            file = X.interpretation_file(i, cat, sources)
            key = key or digest(base, "unkeyed interpretation", file)
            cache.publish(FILES, key, file, out / rel)
        files.append([rel, key])
    aggregates = {
        X.CSV_NAME: X.csv_file(csv_lines),
        X.JSON_NAME: X.json_file(json_lines),
        X.PACKAGE_NAME: X.package_file(cat),
    }
    for name, data in aggregates.items():
        key = digest(run_key, name)
        cache.publish(FILES, key, data, out / name)
        files.append([name, key])
    return {
        "entries": entries,
        "files": files,
        "csv": digest(run_key, X.CSV_NAME),
        "json": digest(run_key, X.JSON_NAME),
    }


def _item_key(keys: dict[str, str], base: str, kind: str, source: str, others: object) -> str:
    """An item's pieces' key ("" when its source is unknown: then they are always made)."""
    front = keys.get(FRONT + source)
    if front is None:
        return ""
    # one string whose only free text is its last part (a path holds no NUL); ``others`` holds lists,
    # dicts, strings and None only, whose repr is unambiguous (and cheaper than JSON)
    text = f"{base}\0{kind}\0{source}\0{front}\0{others!r}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _linker(cache: BuildCache) -> Callable[[str, str], bool]:
    """``link(key, dest)``: ``cache.place(FILES, key, Path(dest))`` without its Path objects and
    lookups (11k calls a run); like it, only noted in :attr:`BuildCache.into` when a standby site
    takes the placed files."""
    stored_at, stamps, new_stamps, made = cache._file, cache.stamps, cache.new_stamps, cache.made
    used = cache.used.setdefault(FILES, set())

    def link(key: str, dest: str) -> bool:
        stored = stored_at(FILES, key)
        try:
            st = os.stat(stored)
        except OSError:
            return False
        stamp = (st.st_size, st.st_mtime_ns)
        if stamps.get(key) != stamp:
            return False
        used.add(key)
        into = cache.into
        if into is not None:  # a standby site gets it (see cache.place)
            into[dest] = (stored, st.st_dev, st.st_ino)
        else:
            _place(stored, dest, made)
        new_stamps[key] = stamp
        return True

    return link


def _last_pieces(cache: BuildCache, last: str) -> Pieces:
    """The entries' pieces of the run named by ``last``, cut from its catalogue.csv and
    catalogue.json as stored; nothing when any of it is missing, altered or does not add up."""
    from generator.site import exports as X

    try:
        run_key = cache.path(OUTPUTS, last).read_bytes().decode("ascii")
        record = json.loads(cache.path(OUTPUTS, run_key).read_bytes())  # read, not kept (no cache.get)
        csv_data, json_data = _stored(cache, str(record["csv"])), _stored(cache, str(record["json"]))
        if csv_data is None or json_data is None:
            return {}
        head = X.csv_head()
        if not csv_data.startswith(head) or not json_data.startswith(b"[\n"):
            return {}
        out: Pieces = {}
        at_csv, at_json = len(head), 2
        for rel, key, csv_len, json_len in record["entries"]:
            if csv_len <= 0 or json_len <= 0 or ".." in rel.split("/"):
                return {}
            line = csv_data[at_csv : at_csv + csv_len]
            element = json_data[at_json : at_json + json_len]
            at_csv += csv_len
            at_json += json_len
            after = json_data[at_json : at_json + 2]
            if after == b",\n":
                at_json += 2
            elif after == b"\n]":
                at_json += 1
            else:
                return {}
            out[key] = (rel, line, element)
        if at_csv != len(csv_data) or json_data[at_json:] != b"]\n":
            return {}
        return out
    except (OSError, ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
        return {}


def _stored(cache: BuildCache, key: str) -> bytes | None:
    """A stored file's bytes, when it is as it was stored (not edited through a link in a site)."""
    path = cache.path(FILES, key)
    try:
        data = path.read_bytes()
        st = path.stat()
    except OSError:
        return None
    if cache.stamps.get(key) != (st.st_size, st.st_mtime_ns) or len(data) != st.st_size:
        return None
    return data


def _place_run(cache: BuildCache, run_key: str, out: Path) -> bool:
    """Link every file of the stored run ``run_key`` into ``out``; nothing when one is missing or altered."""
    stored = cache.get(OUTPUTS, run_key)
    if stored is None:
        return False
    try:
        record = json.loads(stored)
        files = [(str(e[0]), str(e[1])) for e in record["entries"]] + [(str(r), str(k)) for r, k in record["files"]]
    except (ValueError, TypeError, KeyError, IndexError):
        return False
    site, link = os.fspath(out), _linker(cache)
    placed: list[str] = []
    for rel, key in files:
        dest = f"{site}/{rel}"
        if ".." in rel.split("/") or not link(key, dest):
            for path in placed:  # never leave a link the writer would then write through
                if cache.into is not None:
                    cache.into.pop(path, None)
                else:
                    os.unlink(path)
            return False
        placed.append(dest)
    return True
