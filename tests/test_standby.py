"""The standby (double buffer, generator/site/publish.py): the site before the live one is kept
beside the target and brought up to date in place, instead of a new folder and link per page.

Every result is compared, whole tree, with a clean build of the same sources; the live site is
never changed by a build that fails or is killed, wherever it stops; the standby is the build's
own (marked) and a standby that was tampered with is never published as it is.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.ownership import WORK_MARKER
from generator.project import load_project
from generator.site import build as B
from generator.site import publish
from tests.conftest import BUILD_DATE, REPO, ProjectFactory
from tests.test_publish import sample_repo, snapshot, temp_dirs

HANG_GUARD = 300


def clean(root: Path, out: Path) -> dict[str, str]:
    """The site a clean build (no cache, no standby) makes of ``root``'s sources."""
    project = load_project(root, BUILD_DATE)
    assert not project.errors
    B.build_site(project, out, workers=1, cache=False)
    return snapshot(out)


def inodes(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file below ``folder``: (inode, hash of its bytes)."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in folder.rglob("*")
        if p.is_file()
    }


class Spy:
    """Counts what each build's :meth:`publish.Standby.sync` did (None: the standby was not used)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs: list[publish.SyncCounts] = []
        original = publish.Standby.sync

        def sync(standby: publish.Standby, out: Path) -> Path:
            self.pages = len(standby.pages)
            result = original(standby, out)
            self.runs.append(standby.counts)
            return result

        monkeypatch.setattr(publish.Standby, "sync", sync)
        self.pages = 0


def put(p: ProjectFactory, i: int, body: str = "", title: str = "") -> None:
    """Entry ``e{i}`` (its own 索引号 and 文号), with the given body and title or the default ones."""
    p.entry(
        f"e{i}",
        body=body or f"第{i}条的正文。\n",
        index_no=f"000000002/2024-{i:05d}",
        doc_number=f"测政办发〔2024〕{i}号",
        title=title or f"关于第{i}项工作的通知",
    )


def catalogue(p: ProjectFactory, n: int = 8) -> None:
    for i in range(1, n + 1):
        put(p, i)
    p.interpretation(index_no="000000002/2024-00100")


def build(p: ProjectFactory) -> B.BuildStats:
    project = p.load()
    assert not project.errors, [d.format() for d in project.errors]
    return B.build_site(project, p.root / "site", workers=1)


# ------------------------------------------------------------------ results
def test_edit_add_delete_revert_through_the_standby_equal_clean_builds(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project()
    catalogue(p)
    build(p)  # the first site: nothing to keep, so the standby is a tree of links to it
    site = p.root / "site"
    standby = publish.standby_path(site) / "site"
    assert inodes(standby) == inodes(site)  # the same files (inodes), none missing, none more
    assert (publish.standby_path(site) / WORK_MARKER).is_file()
    build(p)  # unchanged inputs: nothing written
    original = (p.root / "catalogue" / "e3.md").read_text(encoding="utf-8")
    spy = Spy(monkeypatch)
    steps = [
        ("edit", lambda: put(p, 3, body="改过的正文。\n")),
        ("add", lambda: put(p, 9, body="新的一条。\n")),
        ("delete", lambda: (p.root / "catalogue" / "e5.md").unlink()),
        ("title", lambda: put(p, 2, title="改过的标题")),
        ("revert", lambda: (p.root / "catalogue" / "e3.md").write_text(original, encoding="utf-8")),
    ]
    folders = 0
    for number, (name, change) in enumerate(steps):
        change()
        standby = publish.standby_path(site) / "site"
        was = {rel: ino for rel, (ino, _) in inodes(standby).items()} if standby.is_dir() else {}
        stats = build(p)
        assert snapshot(site) == clean(p.root, tmp_path / f"clean-{number}"), name
        assert temp_dirs(site) == []
        # the standby was used (from the first change on: the first build left one), and the pages
        # placed without building went into it, not into a new tree
        assert len(spy.runs) == number + 1, name
        counts = spy.runs[-1]
        assert spy.pages >= stats.placed > 0, name
        now = inodes(site)
        same = sum(1 for rel, (ino, _) in now.items() if was.get(rel) == ino)
        assert counts.kept == same > 0, (name, counts)  # every file already in place was kept, no other
        assert counts.put == len(now) - same, (name, counts)
        folders += counts.folders
    assert folders > 0  # folders with nothing to keep (search shards rewritten) were moved in whole


def test_the_standby_is_marked_and_nothing_outside_owned_names_changes(make_project: Any) -> None:
    p = make_project()
    catalogue(p, 4)
    before = {q.name for q in p.root.iterdir()}
    build(p)
    put(p, 1, body="一。\n")
    build(p)
    put(p, 1, body="二。\n")
    build(p)
    site = p.root / "site"
    standby = publish.standby_path(site)
    assert {q.name for q in p.root.iterdir()} - before == {"site", ".gongkai-cache", standby.name}
    assert (standby / WORK_MARKER).is_file()
    assert json.loads((standby / publish.STANDBY_RECORD).read_text(encoding="utf-8")) == {"target": str(site)}
    assert sorted(q.name for q in standby.iterdir()) == sorted([WORK_MARKER, publish.STANDBY_RECORD, "site"])
    assert any("一。" in q.read_text(encoding="utf-8") for q in (standby / "site" / "catalogue").rglob("*.html"))
    assert not any("一。" in q.read_text(encoding="utf-8") for q in (site / "catalogue").rglob("*.html"))


def test_a_foreign_folder_with_the_standby_name_is_left_alone(make_project: Any, tmp_path: Path) -> None:
    p = make_project()
    catalogue(p, 3)
    site = p.root / "site"
    foreign = publish.standby_path(site)
    (foreign / "site").mkdir(parents=True)
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    (foreign / publish.STANDBY_RECORD).write_text(json.dumps({"target": str(site)}), encoding="utf-8")
    for body in ("一。\n", "二。\n", "三。\n"):
        put(p, 1, body=body)
        build(p)
    assert sorted(q.name for q in foreign.iterdir()) == sorted(["notes.txt", "site", publish.STANDBY_RECORD])
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert list((foreign / "site").iterdir()) == []
    assert snapshot(site) == clean(p.root, tmp_path / "clean")


def _two_builds(p: ProjectFactory) -> Path:
    catalogue(p, 5)
    build(p)
    put(p, 1, body="一。\n")
    build(p)
    standby = publish.standby_path(p.root / "site")
    assert (standby / publish.STANDBY_RECORD).is_file()
    return standby


def test_a_standby_edited_by_hand_is_never_published_as_it_is(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project()
    standby = _two_builds(p) / "site"
    live = p.root / "site"
    pages = sorted(q for q in standby.rglob("index.html") if q.parent != standby)
    # a stray file, a stray folder, a page replaced by another file, a page edited in place
    # (shared with the build cache: the cache notices), a removed page, a folder where a page was
    (standby / "stray.html").write_text("不该发布", encoding="utf-8")
    (standby / "stray" / "deep").mkdir(parents=True)
    (standby / "stray" / "deep" / "x.txt").write_text("不该发布", encoding="utf-8")
    pages[0].unlink()
    pages[0].write_text("不该发布", encoding="utf-8")
    with open(pages[1], "a", encoding="utf-8") as fh:
        fh.write("不该发布")
    pages[2].unlink()
    pages[3].unlink()
    pages[3].mkdir()
    (pages[3] / "x.html").write_text("不该发布", encoding="utf-8")
    (standby / "index.html").write_text("不该发布", encoding="utf-8")  # the home page, in place
    os.symlink("/etc", standby / "etc")
    spy = Spy(monkeypatch)
    put(p, 2, body="二。\n")
    build(p)
    assert len(spy.runs) == 1  # the standby was used, and corrected
    assert snapshot(live) == clean(p.root, tmp_path / "clean")
    assert not any("不该发布".encode() in q.read_bytes() for q in live.rglob("*") if q.is_file())


@pytest.mark.parametrize("damage", ["no record", "bad record", "other target", "no site", "site is a link"])
def test_a_dirty_or_damaged_standby_is_discarded(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    p = make_project()
    standby = _two_builds(p)
    record = standby / publish.STANDBY_RECORD
    if damage == "no record":  # what a build killed during the sync leaves
        record.unlink()
    elif damage == "bad record":
        record.write_text("{", encoding="utf-8")
    elif damage == "other target":
        record.write_text(json.dumps({"target": str(tmp_path / "elsewhere")}), encoding="utf-8")
    elif damage == "no site":
        shutil.rmtree(standby / "site")
    else:
        shutil.rmtree(standby / "site")
        (tmp_path / "victim").mkdir()
        (tmp_path / "victim" / "precious.txt").write_text("keep me", encoding="utf-8")
        os.symlink(tmp_path / "victim", standby / "site")
    spy = Spy(monkeypatch)
    put(p, 2, body="二。\n")
    build(p)
    assert spy.runs == []  # not used: the fresh tree was published
    assert snapshot(p.root / "site") == clean(p.root, tmp_path / "clean")
    assert temp_dirs(p.root / "site") == []
    assert (standby / publish.STANDBY_RECORD).is_file()  # a new standby: the site before this build
    if damage == "site is a link":
        assert [q.name for q in (tmp_path / "victim").iterdir()] == ["precious.txt"]
    put(p, 3, body="三。\n")
    build(p)
    assert len(spy.runs) == 1
    assert snapshot(p.root / "site") == clean(p.root, tmp_path / "clean-2")


def test_a_build_failing_after_the_sync_changes_no_live_file(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project()
    _two_builds(p)
    live = p.root / "site"
    before = inodes(live)
    spy = Spy(monkeypatch)

    def failing_swap(new: Path, target: Path, work: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(B, "swap", failing_swap)
    put(p, 2, body="二。\n")
    with pytest.raises(OSError):
        build(p)
    assert len(spy.runs) == 1 and spy.runs[0].put > 0  # the standby was changed...
    assert inodes(live) == before  # ...and no file of the live site, not even in its inode's bytes
    assert temp_dirs(live) == []
    monkeypatch.undo()
    build(p)  # the dirty standby is dropped; the result is right
    assert snapshot(live) == clean(p.root, tmp_path / "clean")


# ------------------------------------------------------------------ killed builds
KILLER = """
import os, runpy, signal, sys
from generator.site import build as B
from generator.site import publish

phase, step = sys.argv[1], int(sys.argv[2])
count, armed = [0], [False]

def tick():
    if armed[0]:
        count[0] += 1
        if count[0] == step:
            os.kill(os.getpid(), signal.SIGKILL)

def trap(fn):
    def wrapped(*args, **kwargs):
        tick()
        return fn(*args, **kwargs)
    return wrapped

for name in ("link", "unlink", "rename", "replace", "mkdir", "rmdir"):
    setattr(os, name, trap(getattr(os, name)))
publish.shutil.copyfile = trap(publish.shutil.copyfile)
if phase == "swap-no-exchange":
    publish.exchange = lambda a, b: False

def arm(fn, on, until_return):
    def wrapped(*args, **kwargs):
        armed[0] = on
        try:
            return fn(*args, **kwargs)
        finally:
            armed[0] = armed[0] and not until_return
    return wrapped

publish.Standby.sync = arm(publish.Standby.sync, phase == "sync", True)
B.swap = arm(B.swap, phase.startswith("swap"), False)  # armed from the swap through keeping the standby
publish.exchange = trap(publish.exchange)
sys.argv = ["gongkai", "build", sys.argv[3], "--build-date", sys.argv[4], "--quiet"]
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


def _edit(root: Path, guide: str, note: str) -> None:
    """The sources of a kill case: the guide page (``guide``, its text as it was) with ``note``
    appended, and the first entry retitled (once)."""
    (root / "content" / "pages" / "guide.md").write_text(guide + f"\n{note}\n", encoding="utf-8")
    entry = sorted((root / "catalogue").rglob("*.md"))[0]
    text = entry.read_text(encoding="utf-8")
    if "\ntitle: 改" not in text:
        entry.write_text(text.replace("\ntitle: ", "\ntitle: 改", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def killed_cases_clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    """The clean sites of the two sources every kill case ends with (the same in every case):
    built once, elsewhere, since a site depends on its sources only."""
    tmp = tmp_path_factory.mktemp("kill-clean")
    root = sample_repo(tmp)
    guide = (root / "content" / "pages" / "guide.md").read_text(encoding="utf-8")
    _edit(root, guide, "第二次修改。")
    second = clean(root, tmp / "clean-2")
    _edit(root, guide, "第三次修改。")
    return second, clean(root, tmp / "clean-3")


@pytest.mark.parametrize(
    ("phase", "step"),
    [
        ("sync", 1),  # before the standby is marked dirty
        ("sync", 2),
        ("sync", 5),
        ("sync", 30),
        ("sync", 60),
        ("swap", 1),  # before the exchange
        ("swap", 2),  # after it, before the standby's record
        ("swap-fresh", 1),
        ("swap-fresh", 2),  # the site before keeps on its way to becoming the standby
        ("swap-fresh", 3),
        ("swap-fresh", 4),
        ("swap-no-exchange", 2),  # before the first rename (1: the exchange that fails)
        ("swap-no-exchange", 3),  # between the two renames: the next build restores the site
        ("swap-no-exchange", 4),
    ],
)
def test_a_build_killed_during_the_sync_or_the_swap(
    tmp_path: Path, phase: str, step: int, killed_cases_clean: tuple[dict[str, str], dict[str, str]]
) -> None:
    expected, expected_3 = killed_cases_clean
    root = sample_repo(tmp_path)
    site = root / "site"
    guide = root / "content" / "pages" / "guide.md"
    text = guide.read_text(encoding="utf-8")
    _build_cli(root)
    guide.write_text(text + "\n第一次修改。\n", encoding="utf-8")
    _build_cli(root)  # the first site is now the standby
    standby = publish.standby_path(site)
    assert (standby / publish.STANDBY_RECORD).is_file()
    if phase == "swap-fresh":
        (standby / publish.STANDBY_RECORD).unlink()  # dirty: this build takes the fresh path
    before = snapshot(site)
    _edit(root, text, "第二次修改。")
    assert expected != before

    proc = subprocess.run(
        [sys.executable, "-c", KILLER, phase, str(step), str(root), BUILD_DATE.isoformat()],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        cwd=REPO,
    )
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr)  # the kill came where it was meant to
    after = snapshot(site) if site.exists() else None
    if phase == "swap-no-exchange" and step == 3:
        assert after is None  # caught between the renames: restored by the next build
    elif phase == "sync" or step == 1 or (phase == "swap-no-exchange" and step == 2):
        assert after == before  # the live site, byte for byte
    else:
        assert after == expected  # the new site was swapped in whole before the kill

    _build_cli(root)
    assert snapshot(site) == expected
    assert temp_dirs(site) == []
    assert (standby / publish.STANDBY_RECORD).is_file()
    _build_cli(root)  # unchanged: nothing to do
    _edit(root, text, "第三次修改。")
    _build_cli(root)  # and the standby is usable again
    assert snapshot(site) == expected_3
