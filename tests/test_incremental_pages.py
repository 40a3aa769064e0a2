"""Pages keyed by the catalogue lookups they make (issue 18): every kind of change, an
incremental build equal to a clean build file for file, and only the pages that show
the change built again.

Each scenario starts from a copy of one warm project (built once with the caches), makes
one change, builds incrementally (two workers) and cleanly (no cache), and compares the
whole output trees. It also counts the pages the incremental build *built* (the keyed
pages not placed from the cache): at least every keyed page whose bytes changed — or the
trees would differ — and, where the change touches a few items, at most a few more. A
scenario fails if a page is reused stale, and if caching silently stops working.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

from bench.make_corpus import generate
from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.model.entry import Entry, Interpretation
from generator.project import load_project
from generator.site import build as B
from generator.site.engine import engine_config
from generator.site.lookups import LookupOutsidePage
from generator.site.pagekit import job_input
from generator.site.pages import PageBuilder
from generator.site.pagetypes import StagedPage
from tests.corpus_repo import (
    CorpusRepo,
    added_entry,
    added_entry_amending_an_old_one,
    agency_name_change,
    deleted_entry,
    differences,
    field_of,
    new_interpretation,
    relation_added,
    relation_removed,
    renamed_entry,
    title_edit,
    tree,
    vocabulary_change,
)

DAY = dt.date(2026, 1, 15)
NEW = "（新增）"  # the title mark of an added entry


class Repo(CorpusRepo):
    def keyed(self) -> dict[str, StagedPage]:
        """The pages the build may place from the cache (keyed pages outside the navigation,
        which is rendered in the main process), built afresh."""
        project = load_project(self.root, DAY)
        builder = PageBuilder(project.public(), root=self.root)
        nav = set(files(engine_config(project.config, self.root, self.root, [])["nav"]))
        return {
            job.url: job.build()
            for job in builder.jobs()
            if not job.search and job.inputs and U.to_file(job.url) not in nav
        }


def files(nav: object) -> Iterator[str]:
    """The Markdown files named in an engine navigation."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from files(value)
    elif isinstance(nav, list):
        for value in nav:
            yield from files(value)


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("warm")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(B, "PARALLEL_MIN_PAGES", 0)
        mp.setenv("XDG_CACHE_HOME", str(base / "user-cache"))
        generate(200, base / "repo", seed=5)
        B.build_site(load_project(base / "repo", DAY, cache=True), base / "repo" / "site", workers=2)
        yield base


@pytest.fixture
def repo(warm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setattr(B, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(warm / "user-cache"))
    shutil.copytree(warm / "repo", tmp_path / "repo", symlinks=True)
    return Repo(tmp_path / "repo")


# ------------------------------------------------------------------ changes
def body_edit(repo: Repo) -> None:
    path = repo.files()[10]
    path.write_text(path.read_text(encoding="utf-8") + "\n补充一句正文。\n", encoding="utf-8")


# name -> (change, most keyed pages built beyond those whose bytes changed; None: every page may be)
SCENARIOS: dict[str, tuple[Callable[[Repo], None], int | None]] = {
    "body edit": (body_edit, 0),
    "title edit": (title_edit, 0),
    "added entry": (partial(added_entry, title_mark=NEW), 0),
    "added entry amending an old one": (partial(added_entry_amending_an_old_one, title_mark=NEW), 0),
    "deleted entry": (deleted_entry, 0),
    "renamed entry": (renamed_entry, 1),  # its own page: keyed by its path, built to the same bytes
    "new interpretation": (new_interpretation, 0),
    "relation added": (relation_added, 0),
    "relation removed": (relation_removed, 0),
    "site_config change": (agency_name_change, None),
    "vocabulary change": (vocabulary_change, None),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_an_incremental_build_equals_a_clean_build(repo: Repo, tmp_path: Path, name: str) -> None:
    change, extra = SCENARIOS[name]
    before = tree(repo.root / "site")
    change(repo)
    project = load_project(repo.root, DAY, cache=True)
    assert not project.errors, [d.format() for d in project.diagnostics]
    project.sources.clear()  # as `gongkai build` does: pages must not need them
    stats = B.build_site(project, repo.root / "site", workers=2)
    clean = tmp_path / "clean"
    B.build_site(load_project(repo.root, DAY), clean, cache=False, workers=2)
    after = tree(repo.root / "site")
    assert differences(after, tree(clean)) == []

    keyed = repo.keyed()
    changed = {url for url in keyed if before.get(f"{url}index.html") != after[f"{url}index.html"]}
    built = len(keyed) - stats.placed
    assert changed or name == "renamed entry", "the change shows on no keyed page"
    assert built >= len(changed)
    if extra is None:  # site_config.yml is part of every key: every keyed page is built...
        assert stats.placed == 0
        assert stats.reused > len(keyed) // 2  # ...and most are rendered from the cache
    else:
        assert built <= len(changed) + extra, f"{built} pages built for {len(changed)} changed"


def test_the_new_entry_shows_on_the_old_entrys_page(repo: Repo) -> None:
    """The scenario above checks bytes; this checks that the case is real (a reverse link)."""
    added_entry_amending_an_old_one(repo, title_mark=NEW)
    project = load_project(repo.root, DAY)
    old = next(e for e in project.public().entries.values() if e.index_no.endswith("-99999"))
    target = project.public().entries[old.relations["amends"][0]]
    page = repo.keyed()[U.item_url(target)]
    assert "修改本文件的文件" in page.html and NEW in page.html


# ------------------------------------------------- the recorded lookups, directly
def test_a_lookup_outside_a_page_build_is_refused(tmp_path: Path) -> None:
    generate(30, tmp_path / "repo", seed=2)
    builder = PageBuilder(load_project(tmp_path / "repo", DAY).public(), root=tmp_path / "repo")
    with pytest.raises(LookupOutsidePage):
        builder.cat.totals()
    with pytest.raises(LookupOutsidePage), builder.cat.recording():
        builder.cat.plan_sizes("year")  # planning data inside a page would not be recorded
    assert builder.cat.plan_sizes("year")
    with builder.cat.recording() as record:
        builder.cat.totals()
        with builder.cat.recording() as inner:  # a page built inside another page's build
            builder.cat.has_page("guide")
    assert list(inner) == [("has_page", ("guide",))]
    assert list(record) == [("totals", ()), ("has_page", ("guide",))]
    with pytest.raises(AttributeError):
        builder.groups = builder.cat.plan_sizes("year")  # type: ignore[attr-defined]  # no unrecorded state


def test_page_job_arguments_are_part_of_the_key() -> None:
    assert job_input("a") == "'a'" and job_input(3) == "3" and job_input(("a", None)) == "('a', None)"
    with pytest.raises(TypeError):
        job_input(["a"])  # a mutable argument has no stable key
    with pytest.raises(TypeError):
        job_input(object())


def mutations(cat: Catalogue, rng: random.Random) -> Iterator[Catalogue]:
    """Catalogues differing from ``cat`` in front matter of other items, in many ways."""
    entries = list(cat.entries.values())
    interps = list(cat.interpretations.values())

    def rebuilt(es: list[Entry], its: list[Interpretation]) -> Catalogue:
        return Catalogue.build(cat.config, es, its, cat.pages, cat.build_date)

    for _ in range(12):
        es, its = entries[:], interps[:]
        k = rng.randrange(len(es))
        kind = rng.randrange(6)
        if kind == 0:
            es[k] = replace(es[k], title=es[k].title + "（改）")
        elif kind == 1:
            del es[k]
        elif kind == 2:
            es[k] = replace(es[k], validity="废止", doc_number="新文号")
        elif kind == 3:
            other = es[rng.randrange(len(es))].index_no
            es[k] = replace(es[k], relations={**es[k].relations, "repeals": (other,)})
        elif kind == 4 and its:
            j = rng.randrange(len(its))
            its[j] = replace(its[j], interprets=(es[k].index_no,), form="图解")
        else:
            es[k] = replace(es[k], published_date=es[k].published_date - dt.timedelta(days=400))
        yield rebuilt(es, its)


def test_a_page_whose_lookups_replay_equal_is_the_same_page(tmp_path: Path) -> None:
    """Soundness, directly: for many changed catalogues, every page whose own inputs and
    recorded lookups are unchanged is rebuilt to exactly the page recorded before."""
    generate(80, tmp_path / "repo", seed=4)
    cat = load_project(tmp_path / "repo", DAY).public()
    builder = PageBuilder(cat, root=tmp_path / "repo")
    first = {job.url: (job, job.build()) for job in builder.jobs()}
    reused = rebuilt = 0
    for other in mutations(cat, random.Random(7)):
        again = PageBuilder(other, root=tmp_path / "repo")
        for job in again.jobs():
            if job.url not in first or first[job.url][0].inputs != job.inputs:
                continue
            old_job, old = first[job.url]
            own = [a for a in getattr(old_job.build, "args", ()) if isinstance(a, (Entry, Interpretation))]
            if any(a != other.get(a.index_no) for a in own):
                continue  # its own item changed: keyed by its source file
            page = job.build()
            if again.cat.replay(list(old.lookups)):
                assert page == old, job.url
                reused += 1
            else:
                rebuilt += 1
    assert reused > 10 * rebuilt > 0


def test_an_attachment_replaced_without_a_hash_rebuilds_its_page(repo: Repo, tmp_path: Path) -> None:
    """The page shows the file's size, read from the file: a recorded lookup, not front matter."""
    path = next(p for p in repo.files() if ", sha256: " in p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r", sha256: [0-9a-f]{64}", "", text, count=1), encoding="utf-8")
    B.build_site(load_project(repo.root, DAY, cache=True), repo.root / "site", workers=2)
    found = re.search(r"file: (files/[^,}]+)", text)
    assert found
    attachment = repo.root / "catalogue" / found.group(1)
    attachment.write_bytes(attachment.read_bytes() * 700)  # bytes -> kilobytes
    stats = B.build_site(load_project(repo.root, DAY, cache=True), repo.root / "site", workers=2)
    B.build_site(load_project(repo.root, DAY), tmp_path / "clean", cache=False, workers=2)
    assert differences(tree(repo.root / "site"), tree(tmp_path / "clean")) == []
    assert len(repo.keyed()) - stats.placed == 1


def test_every_link_of_every_listing_page_reaches_a_page(tmp_path: Path) -> None:
    """Also on page 2 and later of a listing: the intro of an agency's listing (its
    interpretations) and of the library linked relative to page 1, so from /page/2/ they
    pointed at /agencies/interpretations/ and /library/page/2/repealed/ (404)."""
    import posixpath

    generate(120, tmp_path / "repo", seed=3)
    cat = load_project(tmp_path / "repo", DAY).public()
    cat = replace(cat, config=replace(cat.config, page_size=3))
    jobs = PageBuilder(cat, root=tmp_path / "repo").jobs()
    urls = {job.url for job in jobs} | {U.STATS, U.DATA}  # the last two: pages of other sources
    paged = [job for job in jobs if "/page/" in job.url]
    assert any(job.url.startswith((U.AGENCIES, U.LIBRARY)) for job in paged)
    broken = []
    for job in paged:
        for href in re.findall(r'href="([^"#]+)"', job.build().html):
            target = posixpath.normpath(posixpath.join("/" + job.url, href)).strip("/")
            if (target + "/" if target else "") not in urls:
                broken.append(f"{job.url} → {href}")
    assert broken == []


def test_a_link_to_an_entry_made_a_draft_is_withdrawn_from_the_linking_page(repo: Repo, tmp_path: Path) -> None:
    """The body renderer asks, through a recorded lookup, whether each link reaches an
    unpublished item: the linking page (its own source unchanged) is built again."""
    linking, target = repo.plain_entry(skip=10), repo.plain_entry(skip=50)
    number = field_of(target.read_text(encoding="utf-8"), "index_no")
    url = "/" + U.index_url(number)
    linking.write_text(linking.read_text(encoding="utf-8") + f"\n另见[相关文件]({url})。\n", encoding="utf-8")
    B.build_site(load_project(repo.root, DAY, cache=True), repo.root / "site", workers=2)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    project = load_project(repo.root, DAY, cache=True)
    assert "W102" in [d.code for d in project.diagnostics] and not project.errors
    B.build_site(project, repo.root / "site", workers=2)
    B.build_site(load_project(repo.root, DAY), tmp_path / "clean", cache=False, workers=2)
    assert differences(tree(repo.root / "site"), tree(tmp_path / "clean")) == []
    page = repo.root / "site" / U.index_url(field_of(linking.read_text(encoding="utf-8"), "index_no")) / "index.html"
    assert "相关文件" in page.read_text(encoding="utf-8") and url not in page.read_text(encoding="utf-8")
