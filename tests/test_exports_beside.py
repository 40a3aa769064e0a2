"""The exports written by a forked process beside the pages (generator/site/build.py, ``_Exports``)
when the build cache holds no run of them to update (a clean build: every item serialized).

Made there, they leave the same site and the same build cache as made in the build's own
process: the child hands the cache's bookkeeping (entries used, stamps, what it noted for a
standby site) back to the parent, without which the parent's prune would delete the exports'
entries and the next build would serialize every item again. A failing or killed export
process fails the build with a clear error, leaves the live site as it was and no process
behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from generator.site import build as B
from generator.site import exports as X
from generator.site import incremental, publish
from generator.site.cache import CACHE_DIR, STAMPS
from tests.conftest import ProjectFactory
from tests.test_publish import snapshot
from tests.test_search_beside import Beside as Counted
from tests.test_search_beside import assert_left_as_it_was, build, each_change_equals_clean, gone
from tests.test_standby import catalogue, clean, inodes, put


def counted(monkeypatch: pytest.MonkeyPatch) -> Counted:
    """Counts the builds whose exports were written beside the pages, and their processes."""
    return Counted(monkeypatch, B._Exports)


def here(monkeypatch: pytest.MonkeyPatch) -> None:
    """The exports written in the build's own process (as before they had a process of their own)."""
    monkeypatch.setattr(B._Exports, "start", classmethod(lambda cls, *args: None))


def cache_state(root: Path) -> dict[str, object]:
    """The build cache's entries by kind and the keys of its stamps (their times differ from build to build)."""
    base = root / CACHE_DIR / "v1"
    kinds = {
        kind.name: sorted(f.name for f in kind.glob("*/*"))
        for kind in sorted(base.iterdir())
        if kind.is_dir() and kind.name in ("output", "outputs", "page", "pagein")
    }
    lines = (base / STAMPS).read_text(encoding="utf-8").split("\n")[1:]
    return {**kinds, "stamps": sorted(line.split()[0] for line in lines if line)}


def wipe(p: ProjectFactory, *names: str) -> None:
    for name in names or ("site", ".site.standby", CACHE_DIR):
        shutil.rmtree(p.root / name, ignore_errors=True)


class Made:
    """The 索引号 of the items whose export pieces were serialized (in this process)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.items: list[str] = []
        entry, interpretation = X.entry_pieces, X.interpretation_file

        def entry_pieces(e: Any, *a: Any) -> X.EntryPieces:
            self.items.append(e.index_no)
            return entry(e, *a)

        def interpretation_file(i: Any, *a: Any) -> bytes:
            self.items.append(i.index_no)
            return interpretation(i, *a)

        monkeypatch.setattr(X, "entry_pieces", entry_pieces)
        monkeypatch.setattr(X, "interpretation_file", interpretation_file)


def test_exports_made_beside_leave_the_same_site_and_cache_as_made_here(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project()
    catalogue(p, 6)
    with monkeypatch.context() as m:
        here(m)
        build(p)
    site_here, cache_here = snapshot(p.root / "site"), cache_state(p.root)
    assert cache_here["output"], "the exports were not written through the cache"
    wipe(p)
    beside = counted(monkeypatch)
    build(p)
    assert beside.started == beside.finished == 1
    assert snapshot(p.root / "site") == site_here == clean(p.root, tmp_path / "clean")
    assert cache_state(p.root) == cache_here
    assert all(gone(pid) for pid in beside.pids)


@pytest.mark.parametrize("fresh", [False, True], ids=["standby", "fresh tree"])
def test_the_build_after_exports_made_beside_reuses_their_pieces(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: bool
) -> None:
    p = make_project()
    catalogue(p, 6)
    beside = counted(monkeypatch)
    build(p)  # clean: every piece made in the exports' process
    assert beside.started == 1
    site = p.root / "site"
    made = Made(monkeypatch)  # the next builds update the kept run here, where what they serialize is seen
    before = inodes(site)
    put(p, 2, body="只改正文。\n")
    if fresh:
        publish.drop_standby(site)
    build(p)
    assert made.items == []  # the catalogue's front matter unchanged: the whole run placed
    after = inodes(site)
    for name in (X.CSV_NAME, X.JSON_NAME, X.PACKAGE_NAME):
        assert after[name][0] == before[name][0], name  # the stored file itself, linked again
    assert snapshot(site) == clean(p.root, tmp_path / "clean-body")
    put(p, 3, title="只改这一条的标题")
    if fresh:
        publish.drop_standby(site)
    made.items.clear()  # (the clean build above made every item's)
    build(p)
    assert made.items == ["000000002/2024-00003"]  # the other items' pieces came from the cache
    assert beside.started == 1  # both updates written here
    assert snapshot(site) == clean(p.root, tmp_path / "clean-title")


@pytest.mark.parametrize("fresh", [False, True], ids=["standby", "fresh tree"])
def test_edit_add_delete_rename_with_the_exports_made_beside_equal_clean_builds(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: bool
) -> None:
    """Each change built without a cache (the site and its standby kept): every export made beside."""
    p = make_project()
    catalogue(p, 8)
    build(p)
    texts = ("改过的正文。\n", "改过的标题", "新的一条。\n")
    each_change_equals_clean(
        p, tmp_path, counted(monkeypatch), fresh, 9, texts, before_build=lambda: wipe(p, CACHE_DIR), again=True
    )


def test_one_worker_or_no_cache_writes_them_here(make_project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    p = make_project()
    catalogue(p, 4)
    beside = counted(monkeypatch)
    build(p, workers=1)
    assert beside.started == 0
    put(p, 1, body="一。\n")
    project = p.load()
    B.build_site(project, p.root / "site", workers=2, cache=False)
    assert beside.started == 0
    put(p, 1, body="二。\n")
    build(p)  # a run kept in the cache: updated here
    assert beside.started == 0
    wipe(p, CACHE_DIR)
    put(p, 1, body="三。\n")
    build(p)  # none: every item made, beside
    assert beside.started == 1


def _crash(*args: Any) -> Any:
    raise ValueError("导出坏了")


_TEST_PROCESS = os.getpid()


def _die(*args: Any) -> Any:
    # only the exports' own process: never the test's (where they run when it cannot fork)
    assert os.getpid() != _TEST_PROCESS, "the exports were not written by a process of their own"
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize(
    ("broken", "message"),
    [(_crash, "write_exports.*导出坏了"), (_die, "write_exports.*WorkerLost")],
    ids=["failing", "killed"],
)
def test_a_failing_or_killed_export_process_fails_the_build_and_leaves_the_site(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: Any, message: str
) -> None:
    p = make_project()
    catalogue(p, 5)
    build(p)
    put(p, 1, body="一。\n")
    build(p)
    site = p.root / "site"
    before = inodes(site)
    beside = counted(monkeypatch)
    monkeypatch.setattr(X, "entry_pieces", broken)  # in the forked process, as it was forked
    put(p, 2, title="改过的标题")
    wipe(p, CACHE_DIR)  # every item's pieces to make: beside
    with pytest.raises(B.BuildError, match=message):
        build(p)
    assert_left_as_it_was(p, tmp_path, beside, before, monkeypatch)


def test_a_build_failing_while_the_exports_are_made_ends_their_process(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project()
    catalogue(p, 5)
    build(p)
    site = p.root / "site"
    before = inodes(site)
    beside = counted(monkeypatch)
    real = incremental.cached_writer

    def slow_writer(*args: Any) -> Any:
        writer = real(*args)

        def slow(*a: Any) -> None:
            time.sleep(60)  # still running when the build fails: must be ended, not waited for
            writer(*a)

        return slow

    def failing_pages(*args: Any) -> Any:
        raise B.BuildError("页面坏了")

    monkeypatch.setattr(incremental, "cached_writer", slow_writer)
    monkeypatch.setattr(B, "_render_bulk", failing_pages)
    put(p, 2, title="改过的标题")
    wipe(p, CACHE_DIR)
    began = time.monotonic()
    with pytest.raises(B.BuildError, match="页面坏了"):
        build(p)
    assert time.monotonic() - began < 30
    assert_left_as_it_was(p, tmp_path, beside, before, monkeypatch)
