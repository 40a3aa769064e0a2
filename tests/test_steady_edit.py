"""Work a body edit no longer does again for the whole site (issue 18, a 100,000-entry edit).

* the catalogue's shape (incremental.catalogue_shape, every listing group's members) is made
  only when the catalogue key is not the recorded one: a body edit keeps it, and the shape
  recorded for the next build is still the catalogue's;
* the public catalogue takes its newest-first orders from the full one's (one sort, not three);
* the annual statistics, asked for twice per build, are counted once;
* the engine spells out where a stored page goes without making a ``Path`` for every page.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator.model import annual
from generator.model.annual import annual_stats
from generator.model.catalogue import Catalogue, _newest_first
from generator.model.entry import without_body
from generator.site import incremental
from generator.site.cache import CACHE_DIR, LAYOUT
from generator.site.engine import fast
from generator.site.lookups import CatalogueView
from tests.corpus_repo import field_of
from tests.test_engine_cache import _engine, _site
from tests.test_incremental_pages import DAY, Repo
from tests.test_incremental_verified import _body_edit, _build, _same_as_clean, _verified, repo, warm

__all__ = ["repo", "warm"]  # the fixtures, shared with test_incremental_verified


@pytest.fixture
def shapes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One element per catalogue_shape call made by the builds of the test."""
    made: list[int] = []
    real = incremental.catalogue_shape

    def counted(*args: Any, **kwargs: Any) -> Any:
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(incremental, "catalogue_shape", counted)
    return made


def _fresh_shape(root: Path) -> Any:
    from generator.project import load_project

    project = load_project(root, DAY, cache=True)
    catalogue = project.public()
    members = CatalogueView(catalogue, root).plan_members()
    return json.loads(json.dumps(incremental.catalogue_shape(project.source_digests, catalogue, members)))


def test_a_body_edit_makes_no_shape_and_records_the_catalogues(repo: Repo, tmp_path: Path, shapes: list[int]) -> None:
    _body_edit(repo.files()[12])
    _build(repo.root)
    assert shapes == []  # the catalogue key is the recorded one
    assert _verified(repo.root)["shape"] == _fresh_shape(repo.root)
    _same_as_clean(repo, tmp_path)


def test_after_a_body_edit_a_front_matter_edit_still_compares_shapes(
    repo: Repo, tmp_path: Path, shapes: list[int]
) -> None:
    files = repo.files()
    _body_edit(files[13])
    _build(repo.root)
    path = files[14]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitle: ", "\ntitle: 修订", 1), encoding="utf-8")
    _build(repo.root)
    assert shapes  # another catalogue key: the shape is made and compared
    assert _verified(repo.root)["shape"] == _fresh_shape(repo.root)
    _same_as_clean(repo, tmp_path)


@pytest.mark.parametrize("damage", ["no shape", "garbage", "missing"])
def test_a_list_without_a_usable_shape_records_a_made_one(
    repo: Repo, tmp_path: Path, shapes: list[int], damage: str
) -> None:
    path = repo.root / CACHE_DIR / LAYOUT / incremental.VERIFIED
    if damage == "no shape":  # the same catalogue, its shape unknown: made for the next build
        data = _verified(repo.root)
        data["shape"] = None
        path.write_text(json.dumps(data), encoding="utf-8")
    elif damage == "garbage":
        path.write_text("{not json", encoding="utf-8")
    else:
        path.unlink()
    _body_edit(repo.files()[15])
    _build(repo.root)
    assert len(shapes) == 1
    assert _verified(repo.root)["shape"] == _fresh_shape(repo.root)
    _same_as_clean(repo, tmp_path)


# ------------------------------------------------------------------ the public catalogue
def _mixed(cat: Catalogue) -> Catalogue:
    """``cat`` with drafts, embargoed items and 依申请公开 entries among its items."""
    entries = []
    for i, e in enumerate(cat.entries.values()):
        if i % 7 == 0:
            e = replace(e, draft=True)
        elif i % 7 == 1:
            e = replace(e, embargo_until=dt.date(2099, 1, 1))
        elif i % 7 == 2:
            e = replace(e, disclosure="依申请公开")
        entries.append(e)
    interps = [replace(x, draft=True) if i % 3 == 0 else x for i, x in enumerate(cat.interpretations.values())]
    return Catalogue.build(cat.config, entries, interps, cat.pages, cat.build_date)


def test_the_public_catalogue_is_the_one_built_from_its_items(warm: Path) -> None:
    from generator.project import load_project

    full = _mixed(load_project(warm / "repo", DAY).catalogue)
    public = full.public(DAY)
    entries = [e if e.body_public else without_body(e) for e in full.entries.values() if e.is_published(DAY)]
    interps = [i for i in full.interpretations.values() if i.is_published(DAY)]
    assert len(entries) < len(full.entries) and any(not e.body_public for e in entries)
    assert len(interps) < len(full.interpretations)
    built = Catalogue.build(full.config, reversed(entries), reversed(interps), full.pages, DAY)
    assert public == replace(built, hidden=public.hidden)
    assert list(public.entries) == sorted(public.entries)
    assert public.newest_entries() == _newest_first(public.entries.values())
    assert public.newest_interpretations() == _newest_first(public.interpretations.values())
    assert public.by_topic() == built.by_topic() and public.by_year() == built.by_year()
    assert all(public.entries[e.index_no] is e for e in public.newest_entries())  # the public items


# ------------------------------------------------------------------ annual statistics
def test_annual_statistics_asked_again_are_the_same_and_follow_other_entries(warm: Path) -> None:
    from generator.project import load_project

    cat = load_project(warm / "repo", DAY).public()
    first = annual_stats(cat.entries.values(), DAY)
    assert first and annual_stats(cat.entries.values(), DAY) == first
    first.clear()  # a caller's list is its own
    assert annual_stats(cat.entries.values(), DAY)
    fewer = [e for e in cat.entries.values() if e.info_type != "规章"]
    other_day = DAY - dt.timedelta(days=400)
    for entries, day in ((fewer, DAY), (cat.entries.values(), other_day)):
        got = annual_stats(entries, day)
        annual._LAST.clear()
        assert got == annual_stats(entries, day)


# ------------------------------------------------------------------ the engine's destinations
def _plain_before(url: str) -> bool:
    """fast._plain as it was written before (the rule it must still follow)."""
    if not url:
        return True
    return url.endswith("/") and all(seg not in ("", ".", "..") for seg in url[:-1].split("/"))


@pytest.mark.parametrize(
    "url",
    ["", "/", "a/", "a/b/", "a//b/", "/a/", "./", "../", "a/./", "a/../", "a/.b/", "a/..b/", "a", "a/b", ".a/", "…/"],
)
def test_plain_urls_are_the_ones_of_the_segment_rule(url: str) -> None:
    assert fast._plain(url) == _plain_before(url)


def test_dest_of_is_path_of_without_making_pages(make_project: Any, tmp_path: Path) -> None:
    p = _site(make_project)
    lazy, pages = _engine(p, tmp_path / "lazy", [])
    eager, _ = _engine(p, tmp_path / "eager", ["search"])
    try:
        assert lazy.shared.lazy and not eager.shared.lazy
        made = sum(f._page is not None for f in lazy.shared.doc_files)
        for page in pages:
            assert lazy.dest_of(page.url) == os.fspath(lazy.path_of(page.url)), page.url
            assert eager.dest_of(page.url) == os.fspath(eager.path_of(page.url)), page.url
            rel = Path(lazy.dest_of(page.url)).relative_to(lazy.site_dir)
            assert rel == Path(eager.dest_of(page.url)).relative_to(eager.site_dir)
        assert sum(f._page is not None for f in lazy.shared.doc_files) == made  # no page made for it
        for engine in (lazy, eager):
            with pytest.raises(KeyError):
                engine.dest_of("no/such/page/")
            with pytest.raises(KeyError):
                engine.path_of("no/such/page/")
    finally:
        lazy.abort()
        eager.abort()


def test_a_stored_page_is_placed_where_the_engine_writes_it(repo: Repo, tmp_path: Path) -> None:
    """The build places stored pages at dest_of: beside the edited page, rendered again, every
    placed page is where a clean build writes it (the trees are equal)."""
    from generator.model import urls as U

    path = repo.files()[16]
    _body_edit(path, "放置位置检查。")
    stats = _build(repo.root)
    assert stats.reused > 100
    index_no = field_of(path.read_text(encoding="utf-8"), "index_no")
    page = (repo.root / "site").joinpath(*U.index_url(index_no).strip("/").split("/"), "index.html")
    assert "放置位置检查" in page.read_text(encoding="utf-8")
    _same_as_clean(repo, tmp_path)
