"""No partial sites: a failed, killed or interrupted build leaves the previous site/ byte for byte."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator.ownership import WORK_MARKER
from generator.site import build as B
from generator.site import outputs, publish
from generator.site.body import BodyRenderer
from generator.site.engine import EngineError
from tests.conftest import BUILD_DATE, REPO, ProjectFactory, run_cli

HANG_GUARD = 300


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes (and every folder, empty or not)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return out


def temp_dirs(site: Path) -> list[Path]:
    return sorted(site.parent.glob(B.temp_prefix(site) + "*"))


def sample_repo(tmp: Path) -> Path:
    root = tmp / "repo"
    root.mkdir()
    for name in ("site_config.yml", "catalogue", "content"):
        src = REPO / name
        shutil.copytree(src, root / name) if src.is_dir() else shutil.copy(src, root / name)
    return root


@pytest.fixture
def built(make_project: Any) -> tuple[ProjectFactory, Path, dict[str, str]]:
    """A small project with a published site/, and the snapshot of that site."""
    p = make_project()
    p.entry()
    p.interpretation()
    site = p.build()
    p.entry(title="改过的标题：一次成功的构建会改变网站")
    return p, site, snapshot(site)


# ------------------------------------------------------------- failed builds
def test_content_error_leaves_the_site(built: Any) -> None:
    p, site, before = built
    p.entry("broken", body="正文\x0b。\n", index_no="000000002/2024-00003")
    result = run_cli("build", str(p.root), "--build-date", BUILD_DATE.isoformat())
    assert result.returncode == 1
    assert "构建已取消，原有网站未改动。" in result.stderr
    assert snapshot(site) == before
    assert temp_dirs(site) == []


def test_engine_failure_leaves_the_site(built: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    p, site, before = built

    def broken_engine(engine: B.Engine) -> None:
        (engine.site_dir / "index.html").write_text("半成品")  # the engine got half way
        raise EngineError("MkDocs: 模拟的引擎故障")

    monkeypatch.setattr(B.Engine, "templates", broken_engine)
    with pytest.raises(B.BuildError) as info:
        B.build_site(p.load(), site)
    # the engine's words travel in a bilingual diagnostic, not as the raw message
    assert [d.code for d in info.value.diagnostics] == ["E758"]
    assert "模拟的引擎故障" in info.value.diagnostics[0].message("zh")
    assert snapshot(site) == before
    assert temp_dirs(site) == []


def test_broken_theme_template_is_an_engine_failure(built: Any) -> None:
    p, site, before = built
    (p.root / "theme").mkdir()
    (p.root / "theme" / "main.html").write_text('{% extends "base.html" %}{% block content %}{{ oops( }}{% endblock %}')
    result = run_cli("build", str(p.root), "--build-date", BUILD_DATE.isoformat())
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # the site's theme/ is checked before anything is built: positioned, like any content error
    assert "theme/main.html:1:" in result.stderr and "[E752]" in result.stderr
    assert "原有网站未改动。" in result.stderr
    assert snapshot(site) == before
    assert temp_dirs(site) == []


@pytest.mark.parametrize("error", [RuntimeError("写入失败"), OSError(28, "No space left on device")])
def test_output_writer_failure_leaves_the_site(built: Any, error: Exception) -> None:
    p, site, before = built

    def failing_writer(cat: Any, out: Path) -> None:
        (out / "catalogue.json").write_text("{半个文件")
        raise error

    outputs.OUTPUT_WRITERS.append(failing_writer)
    try:
        with pytest.raises(B.BuildError, match="failing_writer"):
            B.build_site(p.load(), site)
    finally:
        outputs.OUTPUT_WRITERS.remove(failing_writer)
    assert snapshot(site) == before
    assert temp_dirs(site) == []


class _Exploding:
    """A Markdown engine that fails the way a pathological body makes Python-Markdown fail."""

    def reset(self) -> None:
        return

    def convert(self, text: str) -> str:
        raise RecursionError("maximum recursion depth exceeded")


def test_renderer_failure_is_positioned_and_leaves_the_site(built: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    p, site, before = built
    original = BodyRenderer.render

    def render(self: BodyRenderer, text: str, source: str = "", line: int = 1) -> str:
        if source == "catalogue/e1.md":
            self._md = _Exploding()  # type: ignore[assignment]
        return original(self, text, source, line)

    monkeypatch.setattr(BodyRenderer, "render", render)
    # e1's body is plain: without this the fast path would never reach Python-Markdown
    monkeypatch.setattr("generator.site.body.render_plain", lambda text: None)
    with pytest.raises(B.BuildError) as info:
        B.build_site(p.load(), site, cache=False)  # the first build cached every body
    (d,) = info.value.diagnostics
    assert (
        d.format()
        == "catalogue/e1.md:14:1: 错误[E022]: 正文无法排版：嵌套过深\n  提示：简化这段正文的格式（嵌套的列表、引用、强调）"
    )
    assert snapshot(site) == before
    assert temp_dirs(site) == []


# ------------------------------------------------------------ killed builds
def _start_build(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(root), "--build-date", BUILD_DATE.isoformat()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition: Any, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + HANG_GUARD
    while not condition():
        assert proc.poll() is None, "the build ended before it could be interrupted"
        assert time.monotonic() < deadline, "hang guard"
        time.sleep(0.005)


@pytest.mark.parametrize(
    ("signum", "when"),
    [
        (signal.SIGKILL, "temp folder"),
        (signal.SIGKILL, "engine output"),
        (signal.SIGTERM, "temp folder"),
        (signal.SIGTERM, "engine output"),
        (signal.SIGINT, "engine output"),
    ],
)
def test_a_build_killed_midway_leaves_the_site(tmp_path: Path, signum: int, when: str) -> None:
    root = sample_repo(tmp_path)
    site = root / "site"
    first = run_cli("build", str(root), "--build-date", BUILD_DATE.isoformat(), "--quiet")
    assert first.returncode == 0, first.stderr
    before = snapshot(site)
    guide = root / "content" / "pages" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n新增的一段。\n", encoding="utf-8")

    proc = _start_build(root)
    if when == "temp folder":
        _wait_for(lambda: temp_dirs(site), proc)
    else:
        _wait_for(lambda: any((d / "site").is_dir() for d in temp_dirs(site)), proc)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=HANG_GUARD)

    assert snapshot(site) == before
    if signum == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode == 128 + signum
        assert "Traceback" not in stderr
        assert f"收到 {signal.Signals(signum).name} 信号，构建已中止，原有网站未改动。" in stderr
        assert temp_dirs(site) == []  # cleaned up on the way out

    again = run_cli("build", str(root), "--build-date", BUILD_DATE.isoformat(), "--quiet")
    assert again.returncode == 0, again.stderr
    assert temp_dirs(site) == []  # a killed build's leftovers are removed by the next one
    assert snapshot(site) != before
    assert "新增的一段" in (site / "guide" / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------- swap and cleanup
def test_stale_temp_folders_are_removed(built: Any) -> None:
    p, site, _ = built
    stale = site.parent / (B.temp_prefix(site) + "abc123")
    (stale / "site" / "catalogue").mkdir(parents=True)
    (stale / "site" / "index.html").write_text("被杀死的构建留下的半成品")
    (stale / WORK_MARKER).write_text("")  # what a build writes into its temp folder first
    B.build_site(p.load(), site)
    assert temp_dirs(site) == []
    assert "被杀死" not in (site / "index.html").read_text(encoding="utf-8")


def test_a_swap_cut_short_is_rolled_back(built: Any) -> None:
    """The two-rename fallback killed between its renames: site/ is missing, the old one in the temp folder."""
    _, site, before = built
    stale = site.parent / (B.temp_prefix(site) + "cut")
    stale.mkdir()
    (stale / WORK_MARKER).write_text("")
    os.rename(site, stale / "previous")
    assert B.clean_stale(site) == [stale]
    assert snapshot(site) == before
    assert temp_dirs(site) == []


@pytest.mark.parametrize("exchange", [True, False])
def test_swap_with_and_without_atomic_exchange(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    target, work = tmp_path / "site", tmp_path / ".site.build-x"
    target.mkdir()
    (target / "old.html").write_text("旧")
    (work / "site").mkdir(parents=True)
    (work / "site" / "new.html").write_text("新")
    publish.swap(work / "site", target, work)
    assert [p.name for p in target.iterdir()] == ["new.html"]
    left = work / ("site" if exchange else "previous")
    assert [p.name for p in left.iterdir()] == ["old.html"]


def test_a_second_build_of_the_same_target_is_refused(built: Any) -> None:
    p, site, before = built
    fd = os.open(site.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(B.BuildError, match="另一个构建正在写入"):
            B.build_site(p.load(), site)
    finally:
        os.close(fd)
    assert snapshot(site) == before


def test_signals_wait_for_the_end_of_the_swap() -> None:
    events: list[str] = []
    with pytest.raises(B.BuildInterrupted) as info, B.interruptible():
        with B.deferred_signals():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            events.append("swap finished")
        events.append("not reached")
    assert info.value.signum == signal.SIGTERM
    assert events == ["swap finished"]


def test_unexpected_errors_are_reported_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    from generator.commands.common import no_traceback

    with pytest.raises(SystemExit) as info, no_traceback("zh"):
        raise ValueError("某个缺陷")
    assert info.value.code == 3
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "内部错误：ValueError: 某个缺陷"
    assert "原有网站未改动" in err


def test_a_scratch_folder_is_born_marked(tmp_path: Path) -> None:
    """The temp folder appears under its .build- name only once it carries the marker, so a
    build killed between creating and marking it leaves nothing a later build cannot remove."""
    target = tmp_path / "site"
    work = publish.new_work(target)
    assert work.name.startswith(publish.temp_prefix(target))
    assert (work / WORK_MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [work.name]


def test_half_made_scratch_folders_are_removed_only_when_empty(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    bare = tmp_path / ".site.mark-bare"  # killed right after mkdtemp
    bare.mkdir()
    marked = tmp_path / ".site.mark-marked"  # killed after marking, before the rename
    marked.mkdir()
    (marked / WORK_MARKER).write_text("x", encoding="utf-8")
    foreign = tmp_path / ".site.mark-foreign"  # a look-alike holding someone's file
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    removed = publish.clean_stale(target)
    assert sorted(p.name for p in removed) == [".site.mark-bare", ".site.mark-marked"]
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert target.is_dir()
