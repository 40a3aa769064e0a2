"""Incremental builds (issue 18): per-file check results and pages keyed by their inputs.

Every step changes the sources, then an incremental build (check cache, build cache,
two workers) must equal a clean build of the same sources byte for byte, and the
cached check must report exactly what an uncached check reports.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

from bench.make_corpus import generate
from generator import project as P
from generator.model.entry import Entry
from generator.model.vocab import DEFAULT_GENRES
from generator.project import Project, load_project
from generator.project_cache import CHECK_FILE
from generator.site import build as B
from generator.site import incremental
from generator.site.pages import PageBuilder
from generator.site.pagetypes import StagedPage

DAY = dt.date(2026, 1, 15)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


class Repo:
    def __init__(self, root: Path, scratch: Path) -> None:
        self.root, self.scratch, self.n = root, scratch, 0

    def load(self) -> Project:
        """The cached check, asserted equal to an uncached one."""
        cached = load_project(self.root, DAY, cache=True)
        fresh = load_project(self.root, DAY)
        assert cached.diagnostics == fresh.diagnostics
        assert cached.sources == fresh.sources
        assert cached.inputs == fresh.inputs
        assert cached.source_digests == fresh.source_digests
        assert list(cached.catalogue.entries.values()) == list(fresh.catalogue.entries.values())
        assert list(cached.catalogue.interpretations.values()) == list(fresh.catalogue.interpretations.values())
        return cached

    def build(self, workers: int = 2) -> B.BuildStats:
        project = self.load()
        project.sources.clear()  # as `gongkai build` does: pages must not need them
        return B.build_site(project, self.root / "site", workers=workers)

    def assert_same_as_clean(self) -> None:
        self.n += 1
        clean = self.scratch / f"clean{self.n}"
        B.build_site(load_project(self.root, DAY), clean, cache=False, workers=2)
        assert differences(tree(self.root / "site"), tree(clean)) == []

    def files(self) -> list[Path]:
        return sorted((self.root / "catalogue").rglob("*.md"))

    def unreferenced(self) -> Path:
        """An entry no other file names (so deleting it leaves the project check-clean)."""
        texts = {p: p.read_text(encoding="utf-8") for p in self.files()}
        texts.update({p: p.read_text(encoding="utf-8") for p in (self.root / "content").rglob("*.md")})
        for path in self.files()[5:]:
            number = re.search(r"^index_no: (\S+)$", texts[path], re.M)
            assert number
            if not any(number.group(1) in text for other, text in texts.items() if other != path):
                return path
        raise AssertionError("no unreferenced entry")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setattr(B, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    generate(200, tmp_path / "repo", seed=5)
    return Repo(tmp_path / "repo", tmp_path)


def test_content_changes_build_what_a_clean_build_builds(repo: Repo) -> None:
    repo.build()
    repo.assert_same_as_clean()

    # a body edit
    path = repo.files()[10]
    path.write_text(path.read_text(encoding="utf-8") + "\n补充一句正文。\n", encoding="utf-8")
    stats = repo.build()
    assert stats.pages - 20 < stats.reused < stats.pages
    repo.assert_same_as_clean()

    # a title other pages print (listings, relations, interpretations)
    interp = sorted((repo.root / "content" / "interpretations").rglob("*.md"))[0]
    target = re.search(r"interprets: \[([^\],]+)", interp.read_text(encoding="utf-8"))
    assert target
    source = next(p for p in repo.files() if f"index_no: {target.group(1)}\n" in p.read_text(encoding="utf-8"))
    text = source.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    source.write_text(text.replace(title, title.rstrip('"') + "（修订）" + ('"' if title.endswith('"') else "")))
    repo.build()
    repo.assert_same_as_clean()

    # a deleted entry, then the same entry added again
    gone = repo.unreferenced()
    kept = gone.read_bytes()
    gone.unlink()
    repo.build()
    repo.assert_same_as_clean()
    gone.write_bytes(kept)
    repo.build()
    repo.assert_same_as_clean()

    # a renamed file (same content, another path)
    renamed = gone.with_name("renamed-entry.md")
    os.rename(gone, renamed)
    repo.build()
    repo.assert_same_as_clean()

    # an interpretation's body
    text = interp.read_text(encoding="utf-8")
    interp.write_text(text + "\n解读补充说明。\n", encoding="utf-8")
    repo.build()
    repo.assert_same_as_clean()


def test_configuration_vocabulary_and_attachment_changes(repo: Repo) -> None:
    repo.build()
    config = repo.root / "site_config.yml"
    original = config.read_text(encoding="utf-8")
    # a configuration change: an agency renamed
    config.write_text(original.replace("青禾市教育局", "青禾市教育委员会"), encoding="utf-8")
    repo.build()
    repo.assert_same_as_clean()
    # a vocabulary change: a genre renamed, the old name kept as an alias
    genres = [{"name": "通知文件", "aliases": ["通知"]} if g == "通知" else g for g in DEFAULT_GENRES]
    listed = ", ".join(
        f"{{name: {g['name']}, aliases: [{g['aliases'][0]}]}}" if isinstance(g, dict) else g for g in genres
    )
    config.write_text(config.read_text(encoding="utf-8") + f"vocabularies:\n  genres: [{listed}]\n", encoding="utf-8")
    project = repo.load()
    assert not project.errors
    repo.build()
    repo.assert_same_as_clean()
    # a vocabulary change that makes files wrong: every file using the term is reported
    config.write_text(config.read_text(encoding="utf-8").replace(", aliases: [通知]", ""), encoding="utf-8")
    project = repo.load()
    assert project.errors
    config.write_text(original, encoding="utf-8")
    repo.build()
    repo.assert_same_as_clean()


def test_an_attachment_change_reaches_the_cached_check(repo: Repo) -> None:
    """The privacy lint reads text attachments: their bytes are part of the cached result."""
    repo.build()
    csv = next((repo.root / "catalogue" / "files").glob("*.csv"))
    before = [d.code for d in repo.load().diagnostics]
    original = csv.read_bytes()
    csv.write_bytes(original + "联系人,13812345678\r\n".encode())
    after = [d.code for d in repo.load().diagnostics]
    assert "E802" in after and "E802" not in before
    csv.write_bytes(original)
    assert [d.code for d in repo.load().diagnostics] == before


def test_cross_file_checks_see_the_whole_catalogue(repo: Repo) -> None:
    """A cached file's result never hides a problem that another file's edit causes."""
    repo.load()
    first, second = repo.files()[20], repo.files()[21]
    number = re.search(r"^index_no: (\S+)$", first.read_text(encoding="utf-8"), re.M)
    other = re.search(r"^index_no: (\S+)$", second.read_text(encoding="utf-8"), re.M)
    assert number and other
    second.write_text(second.read_text(encoding="utf-8").replace(other.group(0), number.group(0)), encoding="utf-8")
    assert repo.load().errors  # a duplicate 索引号 (and whatever follows from it), cached or not


def test_an_edit_rereads_one_file_and_rebuilds_one_page(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Work proportional to the edit: fails where every file is checked and every page built."""
    for i in (5, 17, 30):  # bodies outside the plain subset (generator/site/plainbody.py) are cached
        f = repo.files()[i]
        f.write_text(f.read_text(encoding="utf-8") + "\n**特别提示**：以本文为准。\n", encoding="utf-8")
    repo.build(workers=1)
    checked: list[str] = []
    real_load = P._load_one
    monkeypatch.setattr(P, "_load_one", lambda root, ref, *a: checked.append(ref.rel) or real_load(root, ref, *a))
    from generator.site import exports

    computed: list[str] = []  # every item whose export pieces are serialized
    real_pieces, real_file = exports.entry_pieces, exports.interpretation_file
    monkeypatch.setattr(exports, "entry_pieces", lambda e, *a: computed.append(e.source) or real_pieces(e, *a))
    monkeypatch.setattr(exports, "interpretation_file", lambda i, *a: computed.append(i.source) or real_file(i, *a))
    built: list[str] = []
    real_entry = PageBuilder.entry_page

    def entry_page(self: PageBuilder, e: Entry) -> StagedPage:  # the name is part of a page's key
        built.append(e.source)
        return real_entry(self, e)

    monkeypatch.setattr(PageBuilder, "entry_page", entry_page)
    path = repo.files()[30]
    path.write_text(path.read_text(encoding="utf-8") + "\n再补充一句。\n", encoding="utf-8")
    rel = path.relative_to(repo.root).as_posix()
    project = load_project(repo.root, DAY, cache=True)
    assert checked == [rel]
    bodies = repo.root / ".gongkai-cache" / "v1" / "body"
    before = sum(1 for p in bodies.rglob("*") if p.is_file())
    assert before >= 3
    B.build_site(project, repo.root / "site", workers=1)
    assert built == [rel]
    assert computed == []  # the exports show no body: the last build's files are linked
    # the skipped pages' bodies stay in the cache (one old body replaced by the new one)
    assert sum(1 for p in bodies.rglob("*") if p.is_file()) == before
    repo.assert_same_as_clean()


def test_a_foreign_or_altered_check_cache_is_ignored(repo: Repo) -> None:
    """The cache is a pickle: one not signed with this user's key is never loaded."""
    repo.load()
    cache = repo.root / CHECK_FILE
    data = bytearray(cache.read_bytes())
    data[-5] ^= 1
    cache.write_bytes(bytes(data))
    repo.load()  # still equal to the uncached check
    shutil.rmtree(repo.root / ".gongkai-cache")
    repo.load()


def test_input_keys_cover_a_jobs_own_inputs(tmp_path: Path) -> None:
    """A page's base key: its builder and arguments, its own source file's bytes (not the others')."""
    from generator.model import urls as U

    generate(30, tmp_path / "repo", seed=2)
    project = load_project(tmp_path / "repo", DAY)
    jobs = PageBuilder(project.public(), root=project.root).jobs()
    keys = incremental.input_keys(project, jobs, "fp")
    keyed = [job.url for job in jobs if job.inputs]
    assert keyed == [job.url for job in jobs] and len({keys[url] for url in keyed}) == len(keyed)
    entry = next(iter(project.public().entries.values()))
    front, _ = project.source_digests[entry.source]
    project.source_digests[entry.source] = (front, b"another body")
    again = incremental.input_keys(project, jobs, "fp")
    assert {url for url in keys if keys[url] != again.get(url)} == {U.item_url(entry)}
    del project.source_digests[entry.source]
    gone = incremental.input_keys(project, jobs, "fp")
    assert incremental.key_of(gone, U.item_url(entry)) is None  # no known source: always built
    assert gone[incremental.CATALOGUE] != keys[incremental.CATALOGUE]  # the exports' key: every source
    assert incremental.input_keys(project, jobs, "other engine")[keyed[5]] != keys[keyed[5]]


def test_no_page_shows_another_items_body(tmp_path: Path) -> None:
    """What input keys rely on: a body reaches only its own page (listings and neighbours never)."""
    from generator.model import urls as U

    generate(60, tmp_path / "repo", seed=3)
    cat = load_project(tmp_path / "repo", DAY).public()
    before = {job.url: job.build() for job in PageBuilder(cat, root=tmp_path / "repo").jobs()}
    items = [*cat.entries.values(), *cat.interpretations.values(), *cat.pages]
    for item in items:
        object.__setattr__(item, "body", item.body + "\n\n标记：正文改动。\n")
    after = {job.url: job.build() for job in PageBuilder(cat, root=tmp_path / "repo").jobs()}
    assert before.keys() == after.keys()
    changed = {url for url in before if before[url] != after[url]}
    own = {U.item_url(i) for i in [*cat.entries.values(), *cat.interpretations.values()]}
    own |= {U.page_url(p.slug) for p in cat.pages}
    assert changed and changed <= own
    assert all("标记：正文改动" in after[url].html for url in changed)


def test_an_export_file_edited_in_place_is_not_reused(repo: Repo) -> None:
    """Exports are hard links into the cache: one altered through the site is written again."""
    repo.build()
    csv = repo.root / "site" / "catalogue.csv"
    with csv.open("r+b") as fh:  # edits the cache entry too, through the hard link
        fh.write(b"tampered")
    path = repo.files()[7]
    path.write_text(path.read_text(encoding="utf-8") + "\n又补充一句。\n", encoding="utf-8")
    repo.build()
    repo.assert_same_as_clean()
