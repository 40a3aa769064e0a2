"""The search index updated in a forked process beside the pages (generator/site/build.py,
``_Search``; generator/parallel.py, ``Forked``).

Every result equals a clean build of the same sources, through the standby and through the
fresh tree; a failure of the index, or of the build while the index is being made, leaves the
live site as it was and no process behind.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from generator.parallel import Forked, WorkerLost
from generator.site import build as B
from generator.site import publish
from tests.conftest import ProjectFactory
from tests.test_publish import snapshot, temp_dirs
from tests.test_standby import catalogue, clean, inodes, put


class Beside:
    """Counts the builds whose index (``kind`` :class:`B._Search`) or exports (:class:`B._Exports`)
    were made beside the pages, and the processes they forked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, kind: Any = B._Search) -> None:
        self.started = 0
        self.finished = 0
        self.pids: list[int] = []
        start, finish = kind.start.__func__, kind.finish

        def counted_start(cls: Any, *args: Any) -> Any:
            job = start(cls, *args)
            if job is not None:
                self.started += 1
                assert job.job._pid  # a process of its own
                self.pids.append(job.job._pid)
            return job

        def counted_finish(job: Any, *args: Any) -> None:
            finish(job, *args)
            self.finished += 1

        monkeypatch.setattr(kind, "start", classmethod(counted_start))
        monkeypatch.setattr(kind, "finish", counted_finish)


def build(p: ProjectFactory, workers: int = 2) -> B.BuildStats:
    project = p.load()
    assert not project.errors, [d.format() for d in project.errors]
    return B.build_site(project, p.root / "site", workers=workers)


def gone(pid: int) -> bool:
    """Whether process ``pid`` (a child of this one) no longer runs (reaped or never was)."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return bool(done)


def assert_left_as_it_was(
    p: ProjectFactory, tmp_path: Path, beside: Beside, before: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a failed build whose job beside the pages was started and never collected: no
    process left, the live site's inodes as ``before``, no temporary folder; then, the fault
    undone (``monkeypatch``), the next build equals a clean one."""
    site = p.root / "site"
    assert beside.started == 1 and beside.finished == 0
    assert all(gone(pid) for pid in beside.pids)
    assert inodes(site) == before
    assert temp_dirs(site) == []
    monkeypatch.undo()
    build(p)
    assert snapshot(site) == clean(p.root, tmp_path / "clean")


def each_change_equals_clean(
    p: ProjectFactory,
    tmp_path: Path,
    beside: Beside,
    fresh: bool,
    new: int,
    texts: tuple[str, str, str],
    before_build: Any = lambda: None,
    again: bool = False,
) -> None:
    """Edit a body, a title, add entry ``new``, delete, rename, change an interpretation, one at
    a time (``texts``: the edited body, title and the new entry's body), each built with a job
    made beside the pages (``fresh``: into a fresh tree, not the standby) and equal to a clean
    build of the same sources; no process is left behind. ``before_build`` runs before each
    build; ``again``: a last build with no change."""
    site = p.root / "site"

    def rename() -> None:
        (p.root / "catalogue" / "e4.md").rename(p.root / "catalogue" / "renamed.md")

    body, title, added = texts
    steps = [
        ("body", lambda: put(p, 3, body=body)),
        ("title", lambda: put(p, 2, title=title)),
        ("add", lambda: put(p, new, body=added)),
        ("delete", lambda: (p.root / "catalogue" / "e5.md").unlink()),
        ("rename", rename),
        ("interpretation", lambda: p.interpretation(index_no="000000002/2024-00100", body="改过的解读。\n")),
    ]
    if again:
        steps.append(("nothing", lambda: None))
    for number, (name, change) in enumerate(steps):
        change()
        if fresh:
            publish.drop_standby(site)  # the next build links a fresh tree
        before_build()
        build(p)
        assert beside.started == beside.finished == number + 1, name
        assert snapshot(site) == clean(p.root, tmp_path / f"clean-{number}"), name
        assert temp_dirs(site) == [], name
    assert all(gone(pid) for pid in beside.pids)


@pytest.mark.parametrize("fresh", [False, True], ids=["standby", "fresh tree"])
def test_edit_add_delete_rename_with_the_index_made_beside_equal_clean_builds(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: bool
) -> None:
    p = make_project()
    catalogue(p, 10)
    build(p)
    texts = ("改过的正文，检索词澜江应急预案。\n", "改过的标题加装电梯", "新的一条，老旧小区。\n")
    each_change_equals_clean(p, tmp_path, Beside(monkeypatch), fresh, 11, texts)


def test_one_worker_or_a_large_first_index_makes_it_here(make_project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    p = make_project()
    catalogue(p, 4)
    beside = Beside(monkeypatch)
    monkeypatch.setattr(B, "FIRST_BESIDE_MAX", 3)  # 4 entries + interpretations: a "large" site
    build(p)  # no index to update yet, a site above the limit: a first index is made here
    assert beside.started == 0
    put(p, 1, body="一。\n")
    build(p, workers=1)
    assert beside.started == 0
    put(p, 1, body="二。\n")
    build(p)  # an update: beside, whatever the size
    assert beside.started == 1


def test_a_small_site_s_first_index_is_made_beside_and_equals_a_clean_build(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project()
    catalogue(p, 4)
    beside = Beside(monkeypatch)
    build(p)  # the first build: no index yet
    assert beside.started == beside.finished == 1
    assert snapshot(p.root / "site") == clean(p.root, tmp_path / "clean")
    put(p, 2, body="第一次修改之后的正文。\n")  # and the state it left serves the next build's update
    build(p)
    assert beside.started == beside.finished == 2
    assert snapshot(p.root / "site") == clean(p.root, tmp_path / "clean2")


def test_a_failing_index_fails_the_build_and_leaves_the_site(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project()
    catalogue(p, 5)
    build(p)
    put(p, 1, body="一。\n")
    build(p)
    site = p.root / "site"
    before = inodes(site)
    beside = Beside(monkeypatch)

    def broken(*args: Any) -> None:
        raise ValueError("索引坏了")

    monkeypatch.setattr(B, "write_search_index", broken)  # in the forked process, as it was forked
    put(p, 2, body="二。\n")
    with pytest.raises(B.BuildError, match="索引坏了"):
        build(p)
    assert_left_as_it_was(p, tmp_path, beside, before, monkeypatch)


def test_a_build_failing_while_the_index_is_made_ends_its_process(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project()
    catalogue(p, 5)
    build(p)
    put(p, 1, body="一。\n")
    build(p)
    site = p.root / "site"
    before = inodes(site)
    beside = Beside(monkeypatch)
    real = B.write_search_index

    def slow(*args: Any) -> None:
        time.sleep(60)  # still running when the build fails: must be ended, not waited for
        real(*args)

    def failing_pages(*args: Any) -> Any:
        raise B.BuildError("页面坏了")

    monkeypatch.setattr(B, "write_search_index", slow)
    monkeypatch.setattr(B, "_render_bulk", failing_pages)
    put(p, 2, body="二。\n")
    began = time.monotonic()
    with pytest.raises(B.BuildError, match="页面坏了"):
        build(p)
    assert time.monotonic() - began < 30
    assert_left_as_it_was(p, tmp_path, beside, before, monkeypatch)


# ------------------------------------------------------------------ Forked
def _double(n: int) -> int:
    return 2 * n


def _fail(message: str) -> None:
    raise KeyError(message)


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _pid() -> int:
    return os.getpid()


def test_forked_returns_the_result_or_raises_the_exception() -> None:
    assert Forked(_double, 21).result() == 42
    assert Forked(_pid).result() != os.getpid()  # it did run in another process
    with pytest.raises(KeyError, match="缺少"):
        Forked(_fail, "缺少").result()
    with pytest.raises(WorkerLost):
        Forked(_die).result()


def test_forked_cancel_ends_the_child_and_a_second_call_is_refused() -> None:
    job = Forked(time.sleep, 60)
    pid = job._pid
    assert pid and not gone(pid)
    began = time.monotonic()
    job.cancel()
    job.cancel()
    assert gone(pid) and time.monotonic() - began < 10
    with pytest.raises(WorkerLost):
        job.result()


def test_ctrl_c_while_the_index_is_made_stops_it_and_leaves_the_site(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project()
    catalogue(p, 5)
    build(p)
    put(p, 1, body="一。\n")
    build(p)
    site = p.root / "site"
    before = inodes(site)
    beside = Beside(monkeypatch)
    real = B.write_search_index

    def slow(*args: Any) -> None:
        time.sleep(60)
        real(*args)

    monkeypatch.setattr(B, "write_search_index", slow)
    put(p, 2, body="二。\n")
    # Ctrl+C one second in (a timer, not a thread: with another thread alive nothing is forked)
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: os.kill(os.getpid(), signal.SIGINT))
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    began = time.monotonic()
    try:
        with pytest.raises(B.BuildInterrupted), B.interruptible():
            build(p)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - began < 30
    assert_left_as_it_was(p, tmp_path, beside, before, monkeypatch)


KILLED = """
import os, signal, sys, time
from pathlib import Path
from generator.site import build as B

pidfile = Path(sys.argv[1])
real = B.write_search_index

def slow(*args):
    pidfile.write_text(str(os.getpid()))
    time.sleep(120)
    real(*args)

def killed(*args):
    for _ in range(600):  # until the index's process has started
        if pidfile.exists() and pidfile.read_text():
            break
        time.sleep(0.05)
    os.kill(os.getpid(), signal.SIGKILL)

B.write_search_index = slow
B._render_bulk = killed
sys.argv = ["gongkai", "build", sys.argv[2], "--build-date", sys.argv[3], "--quiet"]
import runpy
runpy.run_module("generator", run_name="__main__")
"""


def running(pid: int) -> bool:
    """Is ``pid`` a live process? A zombie is not: a dead orphan stays one until whoever adopted
    it reaps it (a subreaper that never does, say)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def test_a_killed_build_leaves_no_index_process_behind(make_project: Any, tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import BUILD_DATE, REPO

    p = make_project()
    catalogue(p, 5)
    build(p)
    put(p, 1, body="一。\n")
    build(p)
    site = p.root / "site"
    before = inodes(site)
    put(p, 2, body="二。\n")
    pidfile = tmp_path / "index.pid"
    proc = subprocess.run(
        [sys.executable, "-c", KILLED, str(pidfile), str(p.root), BUILD_DATE.isoformat()],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr)
    child = int(pidfile.read_text())
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and running(child):
        time.sleep(0.1)
    assert not running(child)  # it died with the build
    assert inodes(site) == before
    build(p)
    assert snapshot(site) == clean(p.root, tmp_path / "clean")
    assert temp_dirs(site) == []


def test_a_signal_arriving_during_the_fork_is_not_lost() -> None:
    """Handled at the first Python code after the fork, a signal would raise in the modules'
    at-fork callbacks (logging's), where the exception is dropped: the build would go on."""
    armed = [True]

    def during_fork() -> None:
        if armed[0]:
            armed[0] = False
            os.kill(os.getpid(), signal.SIGTERM)

    os.register_at_fork(before=during_fork)  # (cannot be unregistered: it fires once)
    began = time.monotonic()
    with pytest.raises(B.BuildInterrupted), B.interruptible():
        Forked(time.sleep, 60)
    assert not armed[0]
    assert time.monotonic() - began < 30  # the child was ended, not waited for


def test_a_signal_arriving_while_fork_map_forks_its_workers_is_not_lost() -> None:
    from generator.parallel import fork_map

    armed = [True]

    def during_fork() -> None:
        if armed[0]:
            armed[0] = False
            os.kill(os.getpid(), signal.SIGTERM)

    os.register_at_fork(before=during_fork)  # (cannot be unregistered: it fires once)
    with pytest.raises(B.BuildInterrupted), B.interruptible():
        list(fork_map(_double, [1, 2, 3, 4], 2))
    assert not armed[0]
