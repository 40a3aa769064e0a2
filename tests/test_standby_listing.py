"""The listing of the published site a build records (cache.record) is made from what the
standby sync knows (the stored pages' stamps, a ``stat`` of the rest) instead of a walk of
the site: it must equal the walk, or a no-change build would rebuild (and a changed site must
still be seen as changed)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from bench.make_corpus import generate
from generator.project import load_project
from generator.site import build as B
from generator.site import cache as C
from generator.site import keys, publish
from tests.corpus_repo import differences, tree

DAY = dt.date(2026, 1, 15)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setattr(B, "PARALLEL_MIN_PAGES", 0)
    generate(60, tmp_path / "repo", seed=13)
    return tmp_path / "repo"


def _build(root: Path) -> B.BuildStats:
    return B.build_site(load_project(root, DAY, cache=True), root / "site", workers=2)


def _edit(root: Path, n: int) -> None:
    path = sorted((root / "catalogue").rglob("*.md"))[n]
    path.write_text(path.read_text(encoding="utf-8") + f"\n修改 {n}。\n", encoding="utf-8")


def _recorded(root: Path) -> str:
    data: dict[str, Any] = json.loads((root / C.CACHE_DIR / C.LAYOUT / C.LAST_BUILD).read_text(encoding="utf-8"))
    return str(data["files"])


def _synced_listings(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, list[int]]]:
    seen: list[dict[str, list[int]]] = []
    real = publish.Standby.sync

    def sync(self: publish.Standby, *args: Any) -> Path:
        site = real(self, *args)
        if self.listing is not None:
            seen.append(self.listing)
        return site

    monkeypatch.setattr(publish.Standby, "sync", sync)
    return seen


def test_the_recorded_listing_is_the_sites_and_a_no_change_build_is_seen(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listings = _synced_listings(monkeypatch)
    _build(repo)
    for n in (3, 4, 5):  # the second build makes the standby, the later ones sync it
        _edit(repo, n)
        _build(repo)
    assert len(listings) >= 2  # the listing came from the sync
    site = repo / "site"
    assert listings[-1] == C._listing(site)
    assert _recorded(repo) == C.listing_digest(C._listing(site))
    assert keys.unchanged_site(repo, site, DAY) is not None
    page = next(site.rglob("catalogue/*/index.html"))
    with page.open("ab") as fh:  # a published page edited in place (through its link)
        fh.write(b"<!-- edited -->")
    assert keys.unchanged_site(repo, site, DAY) is None
    _build(repo)
    clean = repo.parent / "clean"
    B.build_site(load_project(repo, DAY), clean, cache=False, workers=1)
    assert differences(tree(site), tree(clean)) == []
    assert keys.unchanged_site(repo, site, DAY) is not None


def test_pages_copied_instead_of_linked_are_listed_by_their_own_stat(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listings = _synced_listings(monkeypatch)
    _build(repo)
    _edit(repo, 3)
    _build(repo)
    real_link = os.link

    def no_link_from_cache(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if f"/{C.CACHE_DIR}/" in os.fspath(src):
            raise OSError("links not allowed")
        real_link(src, dst, *args, **kwargs)

    monkeypatch.setattr(publish.os, "link", no_link_from_cache)
    _edit(repo, 4)
    _build(repo)
    site = repo / "site"
    assert listings and listings[-1] == C._listing(site)
    assert keys.unchanged_site(repo, site, DAY) is not None


def test_the_search_files_noted_for_the_standby_are_listed_without_a_stat(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(repo)
    for n in (3, 4):
        _edit(repo, n)
        _build(repo)
    stated: list[str] = []
    noted: set[str] = set()  # the search files noted for the standby, at their path in the synced site
    real_sync, real_lstat = publish.Standby.sync, os.lstat

    def lstat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        stated.append(os.fspath(path))
        return real_lstat(path, *args, **kwargs)

    def sync(self: publish.Standby, *args: Any) -> Path:
        out = os.fspath(args[0])
        noted.update(f"{self.site}/{dest[len(out) + 1 :]}" for dest in self.pages if "/search/" in dest)
        monkeypatch.setattr(os, "lstat", lstat)
        try:
            return real_sync(self, *args)
        finally:
            monkeypatch.setattr(os, "lstat", real_lstat)

    monkeypatch.setattr(publish.Standby, "sync", sync)
    _edit(repo, 5)
    _build(repo)
    site = repo / "site"
    assert noted and stated  # unchanged index files were noted; the files the build wrote were stat-ed
    assert noted.isdisjoint(stated)
    assert _recorded(repo) == C.listing_digest(C._listing(site))
    assert keys.unchanged_site(repo, site, DAY) is not None
