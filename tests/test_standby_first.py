"""The first build of a target leaves a standby (generator/site/publish.py, ``mirror_standby``):
a tree of links to the site it published, so that the next build syncs that in place instead
of linking a fresh tree of every page.

Making it only reads the live site; a build killed or failing while it is made leaves the new
site published as it is, no standby (or none the next build would use as it is) and nothing
outside the build's own names; the next build's result equals a clean build.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.site import publish
from tests.conftest import BUILD_DATE, REPO
from tests.test_publish import sample_repo, snapshot, temp_dirs
from tests.test_standby import HANG_GUARD, Spy, build, catalogue, clean, inodes, put

KILLER = """
import os, runpy, signal, sys
from generator.site import build as B

step, count, armed = int(sys.argv[1]), [0], [False]

def trap(fn):
    def wrapped(*args, **kwargs):
        if armed[0]:
            count[0] += 1
            if count[0] == step:
                os.kill(os.getpid(), signal.SIGKILL)
        return fn(*args, **kwargs)
    return wrapped

for name in ("link", "mkdir", "rename", "replace", "unlink"):
    setattr(os, name, trap(getattr(os, name)))
mirror = B.mirror_standby

def armed_mirror(target):
    armed[0] = True
    try:
        return mirror(target)
    finally:
        armed[0] = False

B.mirror_standby = armed_mirror
sys.argv = ["gongkai", "build", sys.argv[2], "--build-date", sys.argv[3], "--quiet"]
runpy.run_module("generator", run_name="__main__")
"""


def _build_cli(root: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(root), "--build-date", BUILD_DATE.isoformat(), "--quiet"],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("step", [1, 2, 3, 40, 400])
def test_a_first_build_killed_while_making_the_standby(tmp_path: Path, step: int) -> None:
    root = sample_repo(tmp_path)
    site = root / "site"
    before = {q.name for q in root.iterdir()}
    expected = clean(root, tmp_path / "clean")
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(step), str(root), BUILD_DATE.isoformat()],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        cwd=REPO,
    )
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr)  # killed while making it
    assert snapshot(site) == expected  # the new site was published whole before the standby was made
    standby = publish.standby_path(site)
    assert not (standby / publish.STANDBY_RECORD).exists()  # nothing a build would use as it is
    # only the build's own names: the site, the cache, and marked scratch folders
    for name in {q.name for q in root.iterdir()} - before - {"site", ".gongkai-cache"}:
        assert name.startswith((".site.build-", ".site.mark-")), name
    guide = root / "content" / "pages" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n修改。\n", encoding="utf-8")
    _build_cli(root)
    assert snapshot(site) == clean(root, tmp_path / "clean-2")
    assert temp_dirs(site) == []
    assert (standby / publish.STANDBY_RECORD).is_file()


def test_a_standby_that_cannot_be_made_leaves_the_build_as_it_was(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project()
    catalogue(p, 4)
    real_link = os.link

    def full_disk(src: Any, dst: Any, **kwargs: Any) -> None:
        if ".site.build-" in os.fspath(dst):
            raise OSError(28, "No space left on device")
        real_link(src, dst, **kwargs)

    monkeypatch.setattr(os, "link", full_disk)
    build(p)
    site = p.root / "site"
    assert snapshot(site) == clean(p.root, tmp_path / "clean")
    assert not publish.standby_path(site).exists()
    assert temp_dirs(site) == []
    monkeypatch.undo()
    spy = Spy(monkeypatch)
    put(p, 1, body="改过。\n")
    build(p)  # the fresh path, as before there was a standby; then the site before is kept
    assert spy.runs == []
    assert snapshot(site) == clean(p.root, tmp_path / "clean-2")
    assert (publish.standby_path(site) / publish.STANDBY_RECORD).is_file()


def test_the_standby_of_a_first_build_is_synced_by_the_next(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project()
    catalogue(p, 6)
    build(p)
    site = p.root / "site"
    first = inodes(site)
    spy = Spy(monkeypatch)
    put(p, 2, body="改过的正文。\n")
    stats = build(p)
    assert snapshot(site) == clean(p.root, tmp_path / "clean")
    assert len(spy.runs) == 1 and stats.placed > 0
    now = inodes(site)
    same = sum(1 for rel, (ino, _) in now.items() if first.get(rel, (None,))[0] == ino)
    assert spy.runs[0].kept == same > 0  # the files already in place were kept, not linked anew
    # the first site is the standby now, as it was published
    assert inodes(publish.standby_path(site) / "site") == first
