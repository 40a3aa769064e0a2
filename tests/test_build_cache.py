"""The build cache can never make output differ from a clean build."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bench.make_corpus import generate
from generator.project import load_project
from generator.site import build as B
from generator.site import keys
from generator.site.cache import CACHE_DIR
from generator.site.engine import THEME_DIR

DAY = dt.date(2026, 1, 15)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


class Repo:
    def __init__(self, root: Path, scratch: Path) -> None:
        self.root, self.scratch, self.n = root, scratch, 0

    def cached(self) -> B.BuildStats:
        return B.build_site(load_project(self.root, DAY), self.root / "site", workers=2)

    def assert_same_as_clean(self) -> None:
        self.n += 1
        clean = self.scratch / f"clean{self.n}"
        B.build_site(load_project(self.root, DAY), clean, cache=False, workers=1)
        assert differences(tree(self.root / "site"), tree(clean)) == []

    def entry(self, index: int) -> Path:
        return sorted((self.root / "catalogue").rglob("*.md"))[index]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setattr(B, "PARALLEL_MIN_PAGES", 0)
    generate(80, tmp_path / "repo", seed=11)
    return Repo(tmp_path / "repo", tmp_path)


def test_cold_warm_and_edited_builds_equal_clean_builds(repo: Repo) -> None:
    first = repo.cached()
    assert first.reused == 0
    repo.assert_same_as_clean()
    again = repo.cached()
    assert again.unchanged and again.reused == again.pages  # nothing to do
    repo.assert_same_as_clean()

    # one body edited
    shards = repo.root / "site" / "search" / "shards"
    inodes = {p.name: p.stat().st_ino for p in shards.iterdir()}
    path = repo.entry(10)
    path.write_text(path.read_text(encoding="utf-8") + "\n补充一句正文。\n", encoding="utf-8")
    edited = repo.cached()
    assert edited.pages - 20 < edited.reused < edited.pages  # that page, its listings and home pages are new
    repo.assert_same_as_clean()
    # the search index was updated, not rebuilt: untouched shards are the previous build's files
    kept = [p.name for p in shards.iterdir() if inodes.get(p.name) == p.stat().st_ino]
    assert len(inodes) // 2 < len(kept) < len(inodes)

    # a title that other pages print (listings, interpretations, relations)
    interp = sorted((repo.root / "content" / "interpretations").rglob("*.md"))[0]
    target = next(
        line.split("[", 1)[1].split("]")[0] for line in interp.read_text().splitlines() if "interprets" in line
    )
    source = next(p for p in (repo.root / "catalogue").rglob("*.md") if f"index_no: {target}\n" in p.read_text())
    text = source.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    source.write_text(text.replace(title, title + "（修订）"), encoding="utf-8")
    repo.cached()
    repo.assert_same_as_clean()


def test_configuration_and_theme_changes_invalidate(repo: Repo) -> None:
    repo.cached()
    config = repo.root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("青禾市教育局", "青禾市教育委员会"), encoding="utf-8")
    repo.cached()
    repo.assert_same_as_clean()
    shutil.copytree(THEME_DIR, repo.root / "theme")
    partial = repo.root / "theme" / "partials" / "copyright.html"
    partial.write_text(partial.read_text(encoding="utf-8") + "<p>新增页脚</p>\n", encoding="utf-8")
    stats = repo.cached()
    assert stats.reused == 0
    repo.assert_same_as_clean()


def test_a_published_page_edited_in_place_is_not_reused(repo: Repo) -> None:
    repo.cached()
    page = next((repo.root / "site" / "catalogue").glob("*/index.html"))
    with page.open("r+b") as fh:  # edits the cache entry too, through the hard link
        fh.write(b"<!-- tampered -->")
    repo.cached()
    repo.assert_same_as_clean()


def test_deleting_the_cache_is_safe(repo: Repo) -> None:
    repo.cached()
    shutil.rmtree(repo.root / CACHE_DIR)
    assert repo.cached().reused == 0
    repo.assert_same_as_clean()


def test_an_unchanged_project_leaves_the_site_in_place(repo: Repo) -> None:
    repo.cached()
    before = {p: p.stat().st_ino for p in (repo.root / "site").rglob("*.html")}
    stats = repo.cached()
    assert stats.unchanged and stats.pages > 80
    assert {p: p.stat().st_ino for p in (repo.root / "site").rglob("*.html")} == before
    # any change to the published folder makes the next build write a new one
    (repo.root / "site" / "index.html").write_text("x", encoding="utf-8")
    assert not repo.cached().unchanged
    repo.assert_same_as_clean()
    # and so does a different build date
    stats = B.build_site(load_project(repo.root, dt.date(2026, 2, 1)), repo.root / "site")
    assert not stats.unchanged


def test_any_file_added_removed_or_touched_in_the_published_folder_is_seen(repo: Repo) -> None:
    """The last build remembers a digest of the published folder's listing (not the listing):
    every kind of change to it still makes the next build write a new site."""
    import json
    import os

    site = repo.root / "site"
    repo.cached()
    last = json.loads((repo.root / CACHE_DIR / "v1" / "last-build.json").read_text(encoding="utf-8"))
    assert isinstance(last["files"], str) and isinstance(last["sources"], str)  # no per-file JSON
    assert repo.cached().unchanged
    page = next((site / "catalogue").glob("*/index.html"))
    st = page.stat()
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # same size, another time
    assert not repo.cached().unchanged
    assert repo.cached().unchanged
    (site / "stray.txt").write_text("", encoding="utf-8")  # a file added
    assert not repo.cached().unchanged
    assert not (site / "stray.txt").exists()
    next(site.rglob("*.json")).unlink()  # a file removed
    assert not repo.cached().unchanged
    repo.assert_same_as_clean()


def test_the_command_skips_an_unchanged_project_before_checking_it(repo: Repo) -> None:
    from tests.conftest import run_cli

    args = ("build", str(repo.root), "--build-date", DAY.isoformat())
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    second = run_cli(*args)
    assert second.returncode == 0 and "内容未变，网站保持原样" in second.stdout
    path = repo.entry(3)
    path.write_text(path.read_text(encoding="utf-8") + "\n又一句。\n", encoding="utf-8")
    third = run_cli(*args)
    assert "内容未变" not in third.stdout and "取自构建缓存" in third.stdout
    repo.assert_same_as_clean()


def test_builds_with_warnings_are_not_remembered(make_project: object) -> None:
    from tests.conftest import ProjectFactory

    assert callable(make_project)
    p: ProjectFactory = make_project()
    p.entry(
        info_type="行政规范性文件", validity="有效", validity_history=[{"date": dt.date(2024, 3, 5), "status": "有效"}]
    )
    project = p.load()
    assert [d.code for d in project.diagnostics] == ["W101"]
    B.build_site(project, p.root / "site")
    assert not B.build_site(p.load(), p.root / "site").unchanged


def test_file_times_only_ever_lead_to_a_closer_look(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """unchanged_site skips reading the sources when a file time changed, never when none did."""
    import os

    site = repo.root / "site"
    repo.cached()
    assert B.unchanged_site(repo.root, site, DAY) is not None
    reads: list[int] = []
    real = keys.read_inputs
    monkeypatch.setattr(keys, "read_inputs", lambda root: reads.append(1) or real(root))
    # touched, not changed: no source is read, the build finds the inputs equal and
    # records the new times, after which the sources are compared again
    path = repo.entry(3)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert B.unchanged_site(repo.root, site, DAY) is None and reads == []
    assert repo.cached().unchanged
    assert B.unchanged_site(repo.root, site, DAY) is not None and reads == [1]
    # changed with the same size and time: the comparison of contents still sees it
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("。", "！", 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert B.unchanged_site(repo.root, site, DAY) is None and reads == [1, 1]
    assert not repo.cached().unchanged
    repo.assert_same_as_clean()
