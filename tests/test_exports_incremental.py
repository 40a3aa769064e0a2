"""Exports written incrementally (issue 18): each item's pieces are kept in the build cache
under a key of what they show, so that an edit re-serializes only the items it changes.

Every scenario starts from a copy of one project whose exports were written through the
cache once, makes one change, writes the exports through the cache again (into a fresh
site folder, as a build does) and compares every export file byte for byte with
:func:`write_exports` on the same catalogue. It also records which items were serialized:
exactly those whose own JSON file changed (a stale piece reused would leave one out, or the
files would differ), so a scenario also fails when caching silently stops working.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from bench.make_corpus import generate
from generator.model import urls as U
from generator.project import load_project
from generator.site import build as B
from generator.site import exports as X
from generator.site import incremental
from generator.site.cache import CACHE_DIR, BuildCache
from tests.corpus_repo import (
    CorpusRepo,
    added_entry,
    added_entry_amending_an_old_one,
    agency_name_change,
    deleted_entry,
    differences,
    field_of,
    interpretation_title_edit,
    new_interpretation,
    relation_added,
    relation_removed,
    renamed_entry,
    title_edit,
    tree,
    vocabulary_change,
)

DAY = dt.date(2026, 1, 15)
AGGREGATES = (X.CSV_NAME, X.JSON_NAME, X.PACKAGE_NAME)


class Repo(CorpusRepo):
    """A generated project whose exports are written through a build cache of their own."""

    not_plain = ("relations:", "draft: true", "by: ")  # public, and named in no validity history

    def __init__(self, root: Path) -> None:
        self.root, self.runs = root, 0
        self.made: list[str] = []  # the 索引号 of the items serialized by the last cached run

    def write(self, day: dt.date = DAY) -> dict[str, bytes]:
        """The exports through the cache into a fresh folder, as a build writes them (then the
        cache pruned and its stamps saved, as a build does); asserted equal to write_exports."""
        project = load_project(self.root, day)
        cat = project.public()
        keys = incremental.input_keys(project, [], "engine")
        self.runs += 1
        out, clean = self.root / f"out{self.runs}", self.root / f"clean{self.runs}"
        out.mkdir()
        clean.mkdir()
        cache = BuildCache(self.root / CACHE_DIR)
        self.made.clear()
        incremental.cached_writer(X.write_exports, cache, keys, self.root)(cat, out)
        made = list(self.made)
        cache.prune(cache.used)
        cache.save_stamps(cache.new_stamps)
        X.write_exports(cat, clean)
        self.made[:] = made
        written = tree(out)
        assert differences(written, tree(clean)) == []
        assert set(AGGREGATES) <= written.keys()
        items = [*cat.entries.values(), *cat.interpretations.values()]
        assert written.keys() - set(AGGREGATES) == {X.item_file(i) for i in items}
        return written


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("warm-exports")
    generate(200, base / "repo", seed=5)
    repo = Repo(base / "repo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(base / "user-cache"))
        repo.write()
    shutil.rmtree(base / "repo" / "out1")
    shutil.rmtree(base / "repo" / "clean1")
    return base


@pytest.fixture
def repo(warm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setenv("XDG_CACHE_HOME", str(warm / "user-cache"))
    shutil.copytree(warm / "repo", tmp_path / "repo", symlinks=True)
    repo = Repo(tmp_path / "repo")
    repo.runs = 1
    real_entry, real_interpretation = X.entry_pieces, X.interpretation_file

    def entry_pieces(e: Any, *a: Any) -> X.EntryPieces:
        repo.made.append(e.index_no)
        return real_entry(e, *a)

    def interpretation_file(i: Any, *a: Any) -> bytes:
        repo.made.append(i.index_no)
        return real_interpretation(i, *a)

    monkeypatch.setattr(X, "entry_pieces", entry_pieces)
    monkeypatch.setattr(X, "interpretation_file", interpretation_file)
    return repo


def numbers(files: dict[str, bytes]) -> set[str]:
    """The 索引号 of the items whose own JSON file is among ``files``."""
    return {json.loads(data)["index_no"] for rel, data in files.items() if rel not in AGGREGATES}


# ------------------------------------------------------------------ changes
def body_edit(repo: Repo) -> None:
    path = repo.interpreted_entry()
    path.write_text(path.read_text(encoding="utf-8") + "\n补充一句正文。\n", encoding="utf-8")


def deleted_interpreted_entry(repo: Repo) -> None:
    repo.interpreted_entry().unlink()


def _front(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", f"---\n{line}\n", 1), encoding="utf-8")


def draft(repo: Repo) -> None:
    """An entry that interpretations explain becomes a draft."""
    _front(repo.interpreted_entry(), "draft: true")


def embargo(repo: Repo) -> None:
    """An entry other entries name (a relation) is embargoed until after the build date."""
    path = next(p for p in repo.files() if "relations:\n  repeals: [" in p.read_text(encoding="utf-8"))
    target = re.search(r"relations:\n  repeals: \[([^\],]+)", path.read_text(encoding="utf-8"))
    assert target
    _front(repo.entry(target.group(1)), f"embargo_until: {DAY + dt.timedelta(days=30)}")


def named_in_a_history_withdrawn(repo: Repo) -> None:
    """The document named by another entry's validity history ("by") becomes a draft."""
    by = next(m for p in repo.files() if (m := re.search(r", by: ([^,}\s]+)", p.read_text(encoding="utf-8"))))
    _front(repo.entry(by.group(1)), "draft: true")


def on_request(repo: Repo) -> None:
    """An entry with attachments becomes 依申请公开: metadata only, no attachments."""
    path = next(
        p
        for p in repo.files()
        if "attachments:" in (t := p.read_text(encoding="utf-8")) and "disclosure: 主动公开" in t and "draft" not in t
    )
    path.write_text(path.read_text(encoding="utf-8").replace("disclosure: 主动公开", "disclosure: 依申请公开"))


def base_url_change(repo: Repo) -> None:
    config = repo.root / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    url = field_of(text, "  url")
    config.write_text(text.replace(f"  url: {url}", "  url: https://example.org/gk/", 1), encoding="utf-8")


def site_name_change(repo: Repo) -> None:
    """The name is in datapackage.json only."""
    config = repo.root / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    name = field_of(text, "  name")
    config.write_text(text.replace(f"  name: {name}", "  name: 青禾市政务公开", 1), encoding="utf-8")


ALL = -1
# name -> (change, items serialized beyond those whose own JSON changed; ALL: every item)
SCENARIOS: dict[str, tuple[Callable[[Repo], None], int]] = {
    "body edit": (body_edit, 0),
    "title edit": (title_edit, 0),
    "interpretation title edit": (interpretation_title_edit, 0),
    "added entry": (partial(added_entry, doc_number=False), 0),
    "added entry amending an old one": (partial(added_entry_amending_an_old_one, doc_number=False), 0),
    "deleted entry": (deleted_entry, 0),
    "deleted interpreted entry": (deleted_interpreted_entry, 0),
    "renamed entry": (renamed_entry, 1),  # keyed by its path: serialized again, to the same bytes
    "draft": (draft, 0),
    "embargo": (embargo, 0),
    "a document named in a validity history withdrawn": (named_in_a_history_withdrawn, 0),
    "依申请公开": (on_request, 0),
    "new interpretation": (new_interpretation, 0),
    "relation added": (relation_added, 0),
    "relation removed": (relation_removed, 0),
    "base URL change": (base_url_change, ALL),
    "site name change": (site_name_change, ALL),
    "agency name change": (agency_name_change, ALL),
    "vocabulary change": (vocabulary_change, ALL),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_incremental_exports_equal_a_clean_write(repo: Repo, name: str) -> None:
    change, extra = SCENARIOS[name]
    before = repo.write()
    assert repo.made == []  # nothing changed: nothing serialized
    public_before = numbers(before)
    change(repo)
    after = repo.write()
    changed = numbers({rel: data for rel, data in after.items() if before.get(rel) != data})
    made = set(repo.made)
    assert len(made) == len(repo.made)  # each item at most once
    if extra == ALL:
        assert made == numbers(after)
    else:
        assert changed <= made, "a changed item was not serialized"
        assert len(made) <= len(changed) + extra, f"{sorted(made - changed)} serialized, unchanged"
        assert changed or name in ("body edit", "renamed entry", "deleted entry"), "no item shows the change"
    # nothing withdrawn survives: not as a file, not in a catalogue file, not as a relation
    gone = public_before - numbers(after)
    assert bool(gone) == (name.startswith(("deleted", "draft", "embargo", "a document named")))
    for number in gone:
        assert not any(number.encode() in data for data in after.values()), number


def test_withdrawn_items_leave_no_trace_in_a_build(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through gongkai's build: an entry made a draft after a cached build is gone from every
    export file and folder, and only the items that showed it are serialized again."""
    monkeypatch.setattr(B, "PARALLEL_MIN_PAGES", 10**9)
    B.build_site(load_project(repo.root, DAY, cache=True), repo.root / "site", workers=1)
    path = repo.interpreted_entry()
    number = field_of(path.read_text(encoding="utf-8"), "index_no")
    showing = [
        field_of(p.read_text(encoding="utf-8"), "index_no")
        for p in [*repo.files(), *repo.interpretations()]
        if number in p.read_text(encoding="utf-8") and p != path
    ]
    _front(path, "draft: true")
    repo.made.clear()
    B.build_site(load_project(repo.root, DAY, cache=True), repo.root / "site", workers=1)
    assert repo.made and set(repo.made) <= set(showing)
    B.build_site(load_project(repo.root, DAY), tmp_path / "clean", cache=False, workers=1)
    site = tree(repo.root / "site")
    assert differences(site, tree(tmp_path / "clean")) == []
    exported = {rel: data for rel, data in site.items() if rel.endswith(".json") or rel.endswith(".csv")}
    assert not any(number.encode() in data for data in exported.values())
    assert not (repo.root / "site" / U.index_url(number)).exists()


def test_an_embargo_ending_brings_the_entry_back(repo: Repo) -> None:
    """The build date is not part of an item's key: the entries naming an embargoed entry
    show it from the day it is public, and nothing else is serialized."""
    embargo(repo)
    repo.write()
    until = DAY + dt.timedelta(days=30)
    later = repo.write(until)
    embargoed = next(
        field_of(p.read_text(encoding="utf-8"), "index_no")
        for p in repo.files()
        if f"embargo_until: {until}" in p.read_text(encoding="utf-8")
    )
    assert embargoed in numbers(later)
    naming = {n for n in numbers(later) if n != embargoed and embargoed.encode() in later[_file_of(later, n)]}
    assert naming and set(repo.made) == {embargoed} | naming


def _file_of(files: dict[str, bytes], number: str) -> str:
    return next(rel for rel, data in files.items() if rel not in AGGREGATES and json.loads(data)["index_no"] == number)


def test_altered_cache_files_are_not_reused(repo: Repo) -> None:
    """Stored files are hard links in a site: one edited in place is made again, and a
    catalogue file edited in place makes every entry's pieces again."""
    first = repo.write()
    site = repo.root / f"out{repo.runs}"
    rel = next(r for r in first if r.startswith("catalogue/"))
    with (site / rel).open("r+b") as fh:
        fh.write(b"tampered")
    repo.write()
    assert repo.made == [json.loads(first[rel])["index_no"]]
    with (repo.root / f"out{repo.runs}" / X.CSV_NAME).open("r+b") as fh:
        fh.write(b"tampered")
    again = repo.write()
    entries = {n for n in numbers(again) if not _file_of(again, n).startswith("interpretations/")}
    assert set(repo.made) == entries


def test_a_column_that_reads_other_items_must_say_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An item's key holds what it shows of other items only through the columns marked
    ``reads_catalogue``: any other column is given the configuration alone, so one that
    reaches for another item fails at once instead of going stale in the cache."""
    generate(20, tmp_path / "repo", seed=2)
    cat = load_project(tmp_path / "repo", DAY).public()
    sneaky = X.Column("entries", "条目数", "string", "", lambda e, c: str(len(c.entries)))
    monkeypatch.setattr(X, "COLUMNS", (*X.COLUMNS, sneaky))
    with pytest.raises(AttributeError):
        X.write_exports(cat, tmp_path)
    monkeypatch.setattr(X, "COLUMNS", (*X.COLUMNS[:-1], replace(sneaky, reads_catalogue=True)))
    X.write_exports(cat, tmp_path)
    rows = json.loads((tmp_path / X.JSON_NAME).read_text(encoding="utf-8"))
    assert {r["entries"] for r in rows} == {str(len(cat.entries))}
