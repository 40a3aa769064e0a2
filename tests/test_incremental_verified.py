"""The verified-pages shortcut (incremental.Verified): when the catalogue key is the last
build's, a page the last build placed is placed again after replaying only its lookups that
do not follow from the catalogue (``file_size``); when only front matter or paths changed, a
page none of whose item lookups is about an item related to the change is placed after
replaying its other catalogue lookups (tests/test_incremental_delta.py).

Every scenario starts from a project whose last build placed pages (so the shortcut's list
is full), makes one change, builds incrementally and cleanly and compares the trees; it also
counts the pages placed through the shortcut, so that a change the shortcut must not cover
(site_config.yml, the build date) is seen not to take it, and a body edit is seen to take it.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.make_corpus import generate
from generator.project import load_project
from generator.site import build as B
from generator.site import incremental
from generator.site.cache import CACHE_DIR, LAYOUT
from generator.site.lookups import LOOKUPS
from tests.corpus_repo import differences, field_of, tree
from tests.test_incremental_pages import DAY, SCENARIOS, Repo


def _build(root: Path, day: Any = DAY) -> B.BuildStats:
    project = load_project(root, day, cache=True)
    assert not project.errors, [d.format() for d in project.diagnostics]
    project.sources.clear()
    return B.build_site(project, root / "site", workers=2)


def _body_edit(path: Path, text: str = "再补充一句。") -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def _verified(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / CACHE_DIR / LAYOUT / incremental.VERIFIED).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Built, then built again after a body edit: that build placed (and listed) most pages."""
    base = tmp_path_factory.mktemp("verified")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(B, "PARALLEL_MIN_PAGES", 0)
        mp.setenv("XDG_CACHE_HOME", str(base / "user-cache"))
        generate(200, base / "repo", seed=5)
        # an attachment without a hash: its size is read from the file (a file_size lookup)
        repo = Repo(base / "repo")
        path = next(p for p in repo.files() if ", sha256: " in p.read_text(encoding="utf-8"))
        path.write_text(re.sub(r", sha256: [0-9a-f]{64}", "", path.read_text(encoding="utf-8"), count=1))
        (base / "no-hash").write_text(path.relative_to(base / "repo").as_posix(), encoding="utf-8")
        _build(base / "repo")
        _body_edit(repo.files()[3])
        _build(base / "repo")
        yield base


@pytest.fixture
def repo(warm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setattr(B, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(warm / "user-cache"))
    shutil.copytree(warm / "repo", tmp_path / "repo", symlinks=True)
    return Repo(tmp_path / "repo")


@pytest.fixture
def shortcut(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The base keys of the pages placed through the shortcut in this test."""
    taken: list[str] = []
    real = incremental._place_verified

    def counted(cache: Any, key: str, *args: Any) -> bool:
        ok = real(cache, key, *args)
        if ok:
            taken.append(key)
        return ok

    monkeypatch.setattr(incremental, "_place_verified", counted)
    return taken


def _same_as_clean(repo: Repo, tmp_path: Path, day: Any = DAY) -> None:
    clean = tmp_path / "clean"
    B.build_site(load_project(repo.root, day), clean, cache=False, workers=2)
    assert differences(tree(repo.root / "site"), tree(clean)) == []


def test_the_warm_project_lists_pages_for_its_catalogue(repo: Repo) -> None:
    data = _verified(repo.root)
    assert data["layout"] == incremental.VERIFIED_LAYOUT
    assert len(data["pages"]) > 100


@pytest.mark.parametrize("name", SCENARIOS)
def test_after_a_verified_build_an_incremental_build_equals_a_clean_build(
    repo: Repo, tmp_path: Path, shortcut: list[str], name: str
) -> None:
    change, extra = SCENARIOS[name]
    change(repo)
    stats = _build(repo.root)
    _same_as_clean(repo, tmp_path)
    if name == "body edit":  # the catalogue key is unchanged: every listed page takes the shortcut
        # (all but the page the last build built: it is listed only once a build has placed it)
        assert stats.placed - 1 <= len(shortcut) <= stats.placed and len(shortcut) > 100
    elif extra is None:  # site_config.yml is in every page's base key: no listed page is looked for
        assert shortcut == []
    else:  # front matter or paths changed: the pages about no item related to the change take it
        assert len(shortcut) > 100 and len(shortcut) <= stats.placed


def test_two_body_edits_in_a_row_take_the_shortcut_and_stay_equal(
    repo: Repo, tmp_path: Path, shortcut: list[str]
) -> None:
    files = repo.files()
    _body_edit(files[20])
    first = _build(repo.root)
    _body_edit(files[21], "第二处修改。")
    second = _build(repo.root)
    assert len(shortcut) >= first.placed + second.placed - 2  # the page edited first is built, then listed
    _same_as_clean(repo, tmp_path)


def test_an_attachment_changed_under_an_unchanged_catalogue_rebuilds_its_page(
    warm: Path, repo: Repo, tmp_path: Path, shortcut: list[str]
) -> None:
    """Its size is read from the file (not front matter, not in the catalogue key): replayed."""
    text = (repo.root / (warm / "no-hash").read_text(encoding="utf-8")).read_text(encoding="utf-8")
    found = re.search(r"file: (files/[^,}]+)", text)
    assert found and ", sha256: " not in text.split(found.group(0), 1)[1].split("}", 1)[0]
    attachment = repo.root / "catalogue" / found.group(1)
    page = (repo.root / "site").joinpath(*_page_of(text))
    before = page.read_bytes()
    attachment.write_bytes(attachment.read_bytes() * 700)  # bytes -> kilobytes
    stats = _build(repo.root)
    assert stats.placed - 1 <= len(shortcut) < stats.placed + 1 and len(shortcut) > 100
    assert page.read_bytes() != before
    _same_as_clean(repo, tmp_path)


def _page_of(text: str) -> tuple[str, ...]:
    from generator.model import urls as U

    return (*U.index_url(field_of(text, "index_no")).strip("/").split("/"), "index.html")


def test_a_new_build_date_does_not_take_the_shortcut(repo: Repo, tmp_path: Path, shortcut: list[str]) -> None:
    import datetime as dt

    day = DAY + dt.timedelta(days=400)
    _body_edit(repo.files()[30])
    _build(repo.root, day)
    assert shortcut == []
    _same_as_clean(repo, tmp_path, day)


@pytest.mark.parametrize("damage", ["garbage", "other catalogue", "other catalogue, no shape", "bad record"])
def test_a_damaged_or_foreign_list_is_not_trusted(repo: Repo, tmp_path: Path, shortcut: list[str], damage: str) -> None:
    path = repo.root / CACHE_DIR / LAYOUT / incremental.VERIFIED
    data = _verified(repo.root)
    if damage == "garbage":
        path.write_text("{not json", encoding="utf-8")
    elif damage == "other catalogue, no shape":
        data["catalogue"], data["shape"] = "0" * 64, None
        path.write_text(json.dumps(data), encoding="utf-8")
    elif damage == "other catalogue":  # every source another: every item is dirty
        data["catalogue"] = "0" * 64
        data["shape"]["sources"] = {rel: ["0" * 64, n] for rel, (_front, n) in data["shape"]["sources"].items()}
        path.write_text(json.dumps(data), encoding="utf-8")
        items = {key for key, page in data["pages"].items() if page[5]}
        _body_edit(repo.files()[40])
        stats = _build(repo.root)
        assert shortcut and not items & set(shortcut)  # pages about no item (listings) take it, replayed
        assert stats.placed > len(shortcut) + 100  # the others are placed by the full replay
        _same_as_clean(repo, tmp_path)
        return
    else:
        data["pages"] = {key: [1, 2] for key in data["pages"]}
        path.write_text(json.dumps(data), encoding="utf-8")
    _body_edit(repo.files()[40])
    stats = _build(repo.root)
    assert shortcut == []
    assert stats.placed > 100  # the full replay placed them
    _same_as_clean(repo, tmp_path)
    assert len(_verified(repo.root)["pages"]) > 100  # and listed them again


def test_only_lookups_named_catalogue_only_are_skipped() -> None:
    """Every name is a lookup; the one reading the disk is replayed."""
    assert set(LOOKUPS) >= incremental.CATALOGUE_ONLY
    assert "file_size" in LOOKUPS and "file_size" not in incremental.CATALOGUE_ONLY


def test_the_first_body_edit_after_a_clean_build_takes_the_shortcut(
    repo: Repo, tmp_path: Path, shortcut: list[str]
) -> None:
    """Pages a build renders (in worker processes too) are listed as well as those it places:
    the first edit after a clean build (an empty cache) is no full replay of every page."""
    shutil.rmtree(repo.root / CACHE_DIR)
    clean = _build(repo.root)
    assert clean.placed == 0
    assert len(_verified(repo.root)["pages"]) > 100
    _body_edit(repo.files()[50])
    stats = _build(repo.root)
    assert stats.placed - 1 <= len(shortcut) <= stats.placed and len(shortcut) > 100
    _same_as_clean(repo, tmp_path)
    _body_edit(repo.files()[51], "又一处修改。")  # the page the edit rebuilt is listed again
    shortcut.clear()
    again = _build(repo.root)
    assert again.placed - 1 <= len(shortcut) <= again.placed
    _same_as_clean(repo, tmp_path / "again")
